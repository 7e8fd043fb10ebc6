"""EMU-2 (seed 001 §III.3): the issuing unit asks a department for the component results of some
criteria by a date. The department owes a hub obligation with that date ("Việc của tôi",
timeliness); the import of a file covering all the criteria delivers it (late after the date), a
file covering only some does not; bad input is refused naming its field, writing nothing; the
page is a 404 outside the issuing unit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from doanvu.accounts.scope import Scope
from doanvu.audit.models import AuditRecord
from doanvu.common.periods import Period
from doanvu.emulation import component_requests as cr
from doanvu.emulation import services
from doanvu.emulation.components import component_import
from doanvu.emulation.models import ComponentRequest, Criterion
from doanvu.emulation.permissions import EmulationScopeError
from doanvu.hub import selectors as hub_selectors
from doanvu.hub.models import Obligation, ObligationStatus
from doanvu.org.models import Department
from tests.conftest import grant, login, make_user
from tests.emulation.conftest import SheetWorld, criterion
from tests.emulation.test_emu8_components import workbook

DUE = dt.date(2020, 11, 4)


def _ask(sheets: SheetWorld, codes: tuple[str, ...] = ("2.2", "1.2"), actor: object = None,
         **kw: object) -> ComponentRequest:
    emu = sheets.emu
    args: dict[str, object] = {
        "rubric": emu.rubric, "criteria": [criterion(emu, c) for c in codes],
        "owed_by": emu.world.tckt, "owed_to": emu.office, "due_on": DUE,
        "title": "Đánh giá hoạt động Nhà Thiếu nhi các huyện năm 2020"}
    args.update(kw)
    return cr.component_request_create(actor=actor or emu.world.province_secretary,
                                       **args)  # type: ignore[arg-type]


def _import(sheets: SheetWorld, rows: list[list[object]], on: dt.date) -> object:
    return component_import(actor=sheets.emu.office_cadre, rubric=sheets.emu.rubric,
                            upload=io.BytesIO(workbook(rows)), name="nha-thieu-nhi.xlsx",
                            title="Đánh giá Nhà Thiếu nhi", on=on)


def test_emu2_request_gives_the_department_an_obligation_due_that_day(
        sheets: SheetWorld) -> None:
    emu = sheets.emu
    records = AuditRecord.objects.count()

    req = _ask(sheets)

    ob = Obligation.objects.get(pk=req.obligation_id)
    assert (ob.due_on, ob.owed_by_unit, ob.owed_by_department, ob.owed_to_unit,
            ob.owed_to_department) == (DUE, emu.world.province, emu.world.tckt,
                                       emu.world.province, emu.office)
    assert ob.status == ObligationStatus.OPEN and ob.kind == cr.REQUEST_KIND
    assert req.criterion_codes == ["1.2", "2.2"]
    assert AuditRecord.objects.count() > records
    # in "Việc của tôi" of the department's cadre, not of another department's
    staff, other = make_user("canbo_tckt"), make_user("canbo_vp")
    grant(staff, "can_bo_ban", emu.world.province, department=emu.world.tckt)
    grant(other, "can_bo_ban", emu.world.province, department=emu.office)
    mine = hub_selectors.my_open_obligations(scope=Scope.for_user(staff), today=DUE)
    theirs = hub_selectors.my_open_obligations(scope=Scope.for_user(other), today=DUE)
    assert ob in list(mine) and ob not in list(theirs)


def test_emu2_import_covering_all_criteria_delivers_the_request_on_time(
        sheets: SheetWorld) -> None:
    a, b = sheets.sheet_a.unit.name, sheets.sheet_b.unit.name
    req = _ask(sheets)

    imp = _import(sheets, [[a, "2.2", 75], [b, "2.2", 60], [a, "1.2", 1]],
                  on=dt.date(2020, 11, 3))

    req.refresh_from_db()
    ob = Obligation.objects.get(pk=req.obligation_id)
    assert req.delivered_by == imp
    assert ob.status == ObligationStatus.SUBMITTED
    assert ob.submitted_on == dt.date(2020, 11, 3)
    assert "nha-thieu-nhi.xlsx" in ob.submission_text
    assert not ob.is_late(dt.date(2020, 12, 1))
    rows = cr.request_rows(rubric=sheets.emu.rubric, on=dt.date(2020, 12, 1))
    assert [(r.state, r.label) for r in rows] == [("da_nop", "Đã nộp 03/11/2020")]


def test_emu2_partial_import_delivers_nothing_and_the_request_goes_overdue(
        sheets: SheetWorld) -> None:
    req = _ask(sheets)

    _import(sheets, [[sheets.sheet_a.unit.name, "2.2", 75]], on=dt.date(2020, 11, 3))

    req.refresh_from_db()
    assert req.delivered_by is None
    assert Obligation.objects.get(pk=req.obligation_id).status == ObligationStatus.OPEN
    assert [(r.state, r.label) for r in cr.request_rows(rubric=sheets.emu.rubric,
                                                        on=dt.date(2020, 11, 4))] == [
        ("chua_nop", "Chưa nộp")]
    assert [(r.state, r.label) for r in cr.request_rows(rubric=sheets.emu.rubric,
                                                        on=dt.date(2020, 11, 6))] == [
        ("qua_han", "Quá hạn 2 ngày")]


def test_emu2_late_import_is_counted_late(sheets: SheetWorld) -> None:
    a = sheets.sheet_a.unit.name
    req = _ask(sheets, codes=("2.2",))

    _import(sheets, [[a, "2.2", 75], [a, "1.2", 1]], on=dt.date(2020, 11, 5))

    ob = Obligation.objects.get(pk=req.obligation_id)
    assert ob.submitted_on == dt.date(2020, 11, 5)
    assert ob.is_late(dt.date(2020, 12, 1)) and ob.days_late(dt.date(2020, 12, 1)) == 1
    counts = hub_selectors.unit_timeliness(unit=sheets.emu.world.province, kind=cr.REQUEST_KIND,
                                           period=Period.of_year(2020),
                                           as_of=dt.date(2020, 12, 1))
    assert (counts.expected, counts.on_time, counts.late) == (1, 0, 1)
    assert cr.request_rows(rubric=sheets.emu.rubric, on=dt.date(2020, 12, 1))[0].label == \
        "Đã nộp 05/11/2020 (muộn 1 ngày)"


@pytest.mark.parametrize(("kw", "field", "message"), [
    ({"criteria": []}, "criteria", "Hãy chọn ít nhất một tiêu chí."),
    ({"due_on": None}, "due_on", "Hãy ghi hạn gửi kết quả."),
    ({"owed_by": None}, "owed_by", "Hãy chọn ban, đơn vị thực hiện."),
    ({"owed_to": "tckt"}, "owed_to", "Ban thực hiện và ban nhận kết quả không thể là một."),
    ({"owed_by": "foreign"}, "owed_by", "Ban Tổ chức Huyện đoàn không phải là ban, đơn vị "
                                        "trực thuộc của Tỉnh đoàn Tây Ninh."),
    ({"criteria": "foreign"}, "criteria", "Tiêu chí 2.2 không thuộc thang điểm"),
    ({"due_on": dt.date(2019, 12, 31)}, "due_on", "không thể trước năm 2020"),
])
def test_emu2_bad_request_is_refused_naming_the_field_and_writes_nothing(
        sheets: SheetWorld, kw: dict[str, object], field: str, message: str) -> None:
    emu = sheets.emu
    if kw.get("owed_to") == "tckt":
        kw["owed_to"] = emu.world.tckt
    if kw.get("owed_by") == "foreign":
        kw["owed_by"] = Department.objects.create(unit=emu.world.district_a,
                                                  name="Ban Tổ chức Huyện đoàn")
    if kw.get("criteria") == "foreign":
        other = services.rubric_copy(actor=None, source=emu.rubric, year=2021)
        kw["criteria"] = [Criterion.objects.get(area__rubric=other, code="2.2")]
    before = (ComponentRequest.objects.count(), Obligation.objects.count(),
              AuditRecord.objects.count())

    with pytest.raises(cr.ComponentRequestError) as exc:
        _ask(sheets, **kw)

    assert exc.value.field == field
    assert message in exc.value.message
    assert (ComponentRequest.objects.count(), Obligation.objects.count(),
            AuditRecord.objects.count()) == before


def test_emu2_a_criterion_asked_twice_while_pending_is_refused(sheets: SheetWorld) -> None:
    _ask(sheets, codes=("2.2",))

    with pytest.raises(cr.ComponentRequestError) as exc:
        _ask(sheets, codes=("1.2", "2.2"))

    assert exc.value.field == "criteria" and "2.2" in exc.value.message
    assert ComponentRequest.objects.count() == 1


def test_emu2_request_service_refuses_outsiders(sheets: SheetWorld) -> None:
    for who in (sheets.emu.world.district_a_cadre, sheets.emu.world.outsider,
                sheets.tckt_scorer):
        with pytest.raises(EmulationScopeError):
            _ask(sheets, actor=who)
    assert ComponentRequest.objects.count() == 0 and Obligation.objects.filter(
        kind=cr.REQUEST_KIND).count() == 0


def test_emu2_request_page_creates_and_lists_and_names_bad_input(sheets: SheetWorld) -> None:
    emu = sheets.emu
    client = login(emu.world.province_secretary)
    url = reverse("emulation:component_request_create", args=[emu.rubric.pk])
    c22 = criterion(emu, "2.2")

    assert client.get(url).status_code == 200
    bad = client.post(url, {"owed_by": str(emu.world.tckt.pk), "due_on": "04/11/2020"})
    assert bad.status_code == 200 and "Hãy chọn ít nhất một tiêu chí." in bad.content.decode()
    assert ComponentRequest.objects.count() == 0
    good = client.post(url, {"criteria": [str(c22.pk)], "owed_by": str(emu.world.tckt.pk),
                             "owed_to": str(emu.office.pk), "due_on": "04/11/2020",
                             "title": ""})
    assert good.status_code == 302
    req = ComponentRequest.objects.get()
    assert req.criterion_codes == ["2.2"] and req.due_on == DUE and req.by == \
        emu.world.province_secretary
    page = client.get(reverse("emulation:component_import", args=[emu.rubric.pk]))
    text = page.content.decode()
    assert 'data-testid="component-request"' in text
    assert emu.world.tckt.name in text and "04/11/2020" in text and "Quá hạn" in text


@pytest.mark.parametrize("who", ["outsider", "district_b_cadre", "branch_secretary",
                                 "tckt_scorer"])
def test_emu2_request_page_is_a_404_for_outsiders(sheets: SheetWorld, who: str) -> None:
    user = getattr(sheets, who, None) or getattr(sheets.emu.world, who)
    client = login(user)
    url = reverse("emulation:component_request_create", args=[sheets.emu.rubric.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"criteria": [str(criterion(sheets.emu, "2.2").pk)],
                             "owed_by": str(sheets.emu.world.tckt.pk),
                             "due_on": "04/11/2020"}).status_code == 404
    assert ComponentRequest.objects.count() == 0


def test_emu2_a_department_cadre_of_the_city_does_not_create_requests(
        sheets: SheetWorld) -> None:
    """A department-reach grant (write in its own field) does not ask other departments."""
    cadre = make_user("btc_ghi")
    grant(cadre, "can_bo_ban", sheets.emu.world.province,
          department=sheets.emu.world.tckt)
    url = reverse("emulation:component_request_create", args=[sheets.emu.rubric.pk])

    assert login(cadre).get(url).status_code == 404
