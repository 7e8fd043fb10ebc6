"""EMU-2 and EMU-8: the deadlines of the year's scoring (seed 001 §III.3).

Departments finish scoring a unit before its inspection slot — an obligation per department,
dated by the slot, following a moved slot, delivered when the department's last criterion is
scored; after the date a department's score needs a reason. The units' self-scores lock at the
rubric's self-scoring deadline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from doanvu.audit.models import AuditRecord
from doanvu.emulation import deadlines
from doanvu.emulation import sheets as svc
from doanvu.emulation.models import LineSource, RubricState, ScoreLine, ScoreSheet
from doanvu.hub.models import Obligation, ObligationStatus
from doanvu.inspections import services as ins_services
from tests.conftest import grant, login, make_user
from tests.emulation.conftest import SheetWorld, criterion
from tests.inspections.conftest import Ins, ins  # noqa: F401  (the inspections fixture)

pytestmark = pytest.mark.django_db
D = dt.date


def _obligations(sheet: ScoreSheet) -> dict[str, Obligation]:
    return {ob.owed_by_department.short_name if ob.owed_by_department.short_name else
            ob.owed_by_department.name: ob
            for ob in Obligation.objects.filter(kind=deadlines.SCORING_KIND,
                                                key__startswith=f"emu:sheet:{sheet.pk}:")
            .select_related("owed_by_department")}


def _schedule(ins: Ins, sheets: SheetWorld, on: dt.date) -> None:  # noqa: F811
    ins_services.session_create(actor=None, team=ins.team1, unit=sheets.emu.world.district_a,
                                on=on, half="sang")


def test_emu2_departments_owe_their_scoring_the_day_before_the_unit_s_slot(
        sheets: SheetWorld, ins: Ins) -> None:  # noqa: F811
    sheet = sheets.sheet_a
    _schedule(ins, sheets, D(2020, 11, 12))
    sheet.refresh_from_db()
    assert sheet.due_on == D(2020, 11, 11)  # lead 1 day, the rubric's default
    obs = _obligations(sheet)
    # the two departments that own criteria (1.1 Ban Tổ chức – Kiểm tra, 2.1 Văn phòng)
    assert {ob.owed_by_department_id for ob in obs.values()} == {
        sheets.emu.world.tckt.pk, sheets.emu.office.pk}
    for ob in obs.values():
        assert ob.due_on == D(2020, 11, 11)
        assert ob.owed_to_unit_id == sheets.emu.world.province.pk
        assert ob.status == ObligationStatus.OPEN
    # the other district has no slot: its hand-set date stands, its obligations carry it
    other = sheets.sheet_b
    other.refresh_from_db()
    assert {ob.due_on for ob in _obligations(other).values()} == {other.due_on}
    # syncing again changes nothing and makes no second obligation
    assert deadlines.scoring_due_sync(actor=None, rubric=sheets.emu.rubric) == 0
    assert len(_obligations(sheet)) == 2


def test_emu2_a_moved_slot_moves_the_sheet_s_date_and_the_obligations(
        sheets: SheetWorld, ins: Ins) -> None:  # noqa: F811
    _schedule(ins, sheets, D(2020, 11, 12))
    session = ins.team1.sessions.get()
    request = ins_services.move_request_create(
        actor=None, session=session, proposed_date=D(2020, 11, 17), proposed_half="chieu",
        reason="Lãnh đạo cấp ủy bận họp")
    ins_services.move_request_decide(actor=None, request=request, accept=True)
    sheet = ScoreSheet.objects.get(pk=sheets.sheet_a.pk)
    assert sheet.due_on == D(2020, 11, 16)
    assert {ob.due_on for ob in _obligations(sheet).values()} == {D(2020, 11, 16)}


def test_emu2_the_lead_time_is_the_rubric_s_data(sheets: SheetWorld, ins: Ins  # noqa: F811
                                                 ) -> None:
    _schedule(ins, sheets, D(2020, 11, 12))
    deadlines.deadlines_set(actor=None, rubric=sheets.emu.rubric, self_score_due=None,
                            scoring_lead_days=3)
    sheet = ScoreSheet.objects.get(pk=sheets.sheet_a.pk)
    assert sheet.due_on == D(2020, 11, 9)
    assert {ob.due_on for ob in _obligations(sheet).values()} == {D(2020, 11, 9)}


def test_emu2_the_department_s_obligation_is_delivered_with_its_last_criterion(
        sheets: SheetWorld) -> None:
    sheet = sheets.sheet_b  # dated by hand, ahead
    svc.score_save(actor=sheets.tckt_scorer, sheet=sheet, criterion=criterion(sheets.emu, "1.1"),
                   source=LineSource.DEPARTMENT, raw="5")
    obs = _obligations(sheet)
    tckt = next(ob for ob in obs.values()
                if ob.owed_by_department_id == sheets.emu.world.tckt.pk)
    office = next(ob for ob in obs.values() if ob.owed_by_department_id == sheets.emu.office.pk)
    tckt.refresh_from_db()
    office.refresh_from_db()
    assert tckt.status == ObligationStatus.SUBMITTED and "1 tiêu chí" in tckt.submission_text
    assert office.status == ObligationStatus.OPEN  # Văn phòng has not scored 2.1 yet


def test_emu2_the_scoring_obligation_shows_in_the_department_s_work(sheets: SheetWorld) -> None:
    """The department's cadres answer for it (its scorers score; its staff see the date)."""
    staff = make_user("canbo_tckt")
    grant(staff, "can_bo_ban", sheets.emu.world.province, department=sheets.emu.world.tckt)
    body = login(staff).get("/viec-cua-toi/").content.decode()
    assert "Chấm điểm thi đua 2020: Huyện đoàn Châu Thành" in body
    assert "Chấm điểm thi đua 2020: Huyện đoàn Tân Biên" in body
    other = make_user("canbo_vp_khac")
    grant(other, "can_bo_ban", sheets.emu.world.province, department=sheets.emu.office)
    assert "Chấm điểm thi đua" in login(other).get("/viec-cua-toi/").content.decode()
    assert "Chấm điểm thi đua" not in login(sheets.emu.world.district_a_cadre).get(
        "/viec-cua-toi/").content.decode()


def test_emu8_a_department_scoring_after_the_date_must_say_why(
        sheets: SheetWorld, ins: Ins) -> None:  # noqa: F811
    _schedule(ins, sheets, D(2020, 11, 12))  # so the date (11/11/2020) has passed
    sheet = ScoreSheet.objects.get(pk=sheets.sheet_a.pk)
    c = criterion(sheets.emu, "1.1")
    with pytest.raises(svc.SheetError) as refused:
        svc.score_save(actor=sheets.tckt_scorer, sheet=sheet, criterion=c,
                       source=LineSource.DEPARTMENT, raw="5")
    assert refused.value.field == "reason" and "11/11/2020" in str(refused.value)
    assert not ScoreLine.objects.filter(sheet=sheet).exists()
    svc.score_save(actor=sheets.tckt_scorer, sheet=sheet, criterion=c,
                   source=LineSource.DEPARTMENT, raw="5", reason="Chờ kết quả thẩm định")
    line = ScoreLine.objects.get(sheet=sheet)
    assert line.points == Decimal("5") and line.reason == "Chờ kết quả thẩm định"


def test_emu8_the_unit_s_self_scores_lock_at_the_deadline(sheets: SheetWorld) -> None:
    world = sheets.emu.world
    sheet = sheets.sheet_a
    c = criterion(sheets.emu, "1.2")
    svc.score_save(actor=world.district_a_cadre, sheet=sheet, criterion=c,
                   source=LineSource.SELF, raw="1")
    deadlines.deadlines_set(actor=None, rubric=sheets.emu.rubric,
                            self_score_due=dt.date.today() - dt.timedelta(days=1),
                            scoring_lead_days=1)
    before = AuditRecord.objects.count()
    with pytest.raises(svc.SheetError, match="Đã hết hạn tự chấm điểm"):
        svc.score_save(actor=world.district_a_cadre, sheet=sheet, criterion=c,
                       source=LineSource.SELF, raw="0", reason="Sửa lại")
    with pytest.raises(svc.SheetError, match="Đã hết hạn tự chấm điểm"):
        svc.sheet_submit(actor=world.district_a_cadre, sheet=sheet)
    assert ScoreLine.objects.get(sheet=sheet).raw == Decimal("1")
    assert AuditRecord.objects.count() == before
    sheet.refresh_from_db()
    assert sheet.state == "tu_cham"
    # the page says so
    body = login(world.district_a_cadre).post(
        f"/thi-dua/phieu/{sheet.pk}/nop/", follow=True).content.decode()
    assert "Đã hết hạn tự chấm điểm" in body


def test_emu8_the_unit_may_still_self_score_before_the_deadline(sheets: SheetWorld) -> None:
    world = sheets.emu.world
    deadlines.deadlines_set(actor=None, rubric=sheets.emu.rubric,
                            self_score_due=dt.date.today(), scoring_lead_days=1)
    svc.score_save(actor=world.district_a_cadre, sheet=sheets.sheet_a,
                   criterion=criterion(sheets.emu, "1.2"), source=LineSource.SELF, raw="1")
    assert ScoreLine.objects.filter(sheet=sheets.sheet_a, source=LineSource.SELF).count() == 1


def test_emu8_bad_deadlines_are_refused_naming_the_field(sheets: SheetWorld) -> None:
    rubric = sheets.emu.rubric
    with pytest.raises(deadlines.DeadlineError) as lead:
        deadlines.deadlines_set(actor=None, rubric=rubric, self_score_due=None,
                                scoring_lead_days=61)
    assert lead.value.field == "scoring_lead_days"
    with pytest.raises(deadlines.DeadlineError) as year:
        deadlines.deadlines_set(actor=None, rubric=rubric, self_score_due=D(2019, 12, 31),
                                scoring_lead_days=1)
    assert year.value.field == "self_score_due"
    rubric.refresh_from_db()
    assert rubric.scoring_lead_days == 1 and rubric.self_score_due is None
    rubric.state = RubricState.CLOSED
    rubric.save(update_fields=["state"])
    with pytest.raises(deadlines.DeadlineError, match="đã kết thúc"):
        deadlines.deadlines_set(actor=None, rubric=rubric, self_score_due=None,
                                scoring_lead_days=2)


def test_emu2_a_slot_dated_sheet_is_not_dated_by_hand(sheets: SheetWorld, ins: Ins  # noqa: F811
                                                     ) -> None:
    _schedule(ins, sheets, D(2020, 11, 12))
    with pytest.raises(svc.SheetError) as refused:
        svc.sheet_due_set(actor=None, sheet=sheets.sheet_a, due_on=D(2020, 12, 1))
    assert refused.value.field == "due_on" and "12/11/2020" in str(refused.value)
    assert ScoreSheet.objects.get(pk=sheets.sheet_a.pk).due_on == D(2020, 11, 11)


def test_emu8_deadlines_page_for_the_issuing_unit_and_nobody_outside(sheets: SheetWorld) -> None:
    world = sheets.emu.world
    url = f"/thi-dua/thang-diem/{sheets.emu.rubric.pk}/han-cham/"
    admin = login(world.province_secretary)
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"self_score_due": "31/10/2020", "scoring_lead_days": "2"},
                          follow=True)
    assert "Đã lưu hạn chấm điểm" in response.content.decode()
    sheets.emu.rubric.refresh_from_db()
    assert sheets.emu.rubric.self_score_due == D(2020, 10, 31)
    bad = admin.post(url, {"self_score_due": "31/02/2020", "scoring_lead_days": "99"})
    assert bad.status_code == 200 and "Hạn đơn vị tự chấm" in bad.content.decode()
    for outsider in (world.outsider, world.district_a_cadre, sheets.tckt_scorer):
        client = login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"scoring_lead_days": "5"}).status_code == 404
    sheets.emu.rubric.refresh_from_db()
    assert sheets.emu.rubric.scoring_lead_days == 2
