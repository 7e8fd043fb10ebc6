"""HUB-1, X-5: one obligation model, created and closed only through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from doanvu.audit.models import AuditRecord
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.hub import rules, selectors, services
from doanvu.hub.models import Obligation, ObligationStatus
from tests.conftest import World

from .conftest import at, make_ob

D = dt.date
QUARTERLY = rules.DueRule.quarter_day(15, quarter_offset=1)


KH45_DAY = D(2018, 4, 18)


def quarterly_policy(world: World, *, valid_from: dt.date = KH45_DAY,
                     valid_to: dt.date | None = None, unit: object = None,
                     rule: rules.DueRule = QUARTERLY) -> object:
    return services.policy_create(
        unit=unit or world.province, code="fv.quarterly_report",  # type: ignore[arg-type]
        title="Báo cáo kết quả đi cơ sở hằng quý", rule=rule, valid_from=valid_from,
        valid_to=valid_to, source_document="Kế hoạch số 45-KH/TĐTN-TCKT ngày 18/4/2018",
        source_text="hằng quý các đơn vị có trách nhiệm tổng hợp báo cáo",
    )


def test_hub1_obligation_from_the_policy_in_force_of_the_owed_to_unit(world: World) -> None:
    policy = quarterly_policy(world)

    ob = services.obligation_create(
        actor=world.province_secretary, kind="fv.quarterly_report",
        policy_code="fv.quarterly_report", title="Báo cáo kết quả đi cơ sở quý II/2020",
        owed_by_unit=world.district_a, owed_to_unit=world.province,
        owed_to_department=world.tckt, period=Period.quarter(2020, 2), on=D(2020, 4, 1),
        source_label="Kế hoạch số 45-KH/TĐTN-TCKT",
    )

    ob.refresh_from_db()
    assert ob.due_on == D(2020, 7, 15)
    assert ob.policy == policy
    assert ob.kind_label == "Báo cáo kết quả đi cơ sở hằng quý"
    assert ob.due_text == "chậm nhất ngày 15 tháng đầu của quý sau"
    assert ob.due_rule == {"kind": "quarter_day", "day": 15, "month": 1, "quarter_offset": 1}
    assert ob.period == Period.quarter(2020, 2)
    assert (ob.period_start, ob.period_end) == (D(2020, 4, 1), D(2020, 6, 30))
    assert ob.status == ObligationStatus.OPEN
    assert ob.created_by == world.province_secretary


def test_x5_nearest_ancestor_policy_wins_and_validity_is_dated(world: World) -> None:
    province_rule = quarterly_policy(world, valid_from=D(2018, 1, 1), valid_to=D(2021, 1, 1))
    later = quarterly_policy(world, valid_from=D(2021, 1, 1), rule=rules.DueRule.quarter_day(
        10, quarter_offset=1))
    district_rule = quarterly_policy(world, unit=world.district_a, valid_from=D(2019, 1, 1),
                                     rule=rules.DueRule.quarter_day(5, quarter_offset=1))

    assert selectors.policy_in_force(unit=world.commune_a1, code="fv.quarterly_report",
                                     on=D(2020, 5, 1)) == district_rule
    assert selectors.policy_in_force(unit=world.commune_b1, code="fv.quarterly_report",
                                     on=D(2020, 5, 1)) == province_rule
    assert selectors.policy_in_force(unit=world.commune_b1, code="fv.quarterly_report",
                                     on=D(2021, 1, 1)) == later
    assert selectors.policy_in_force(unit=world.commune_b1, code="fv.quarterly_report",
                                     on=D(2017, 12, 31)) is None
    assert selectors.policy_in_force(unit=world.centre, code="fv.quarterly_report",
                                     on=D(2020, 5, 1)) is None


def test_x5_overlapping_policy_of_the_same_unit_is_refused(world: World) -> None:
    quarterly_policy(world, valid_from=D(2018, 1, 1), valid_to=D(2021, 1, 1))

    with pytest.raises(ApplicationError) as exc:
        quarterly_policy(world, valid_from=D(2020, 6, 1))

    assert str(exc.value) == ("Tỉnh đoàn Tây Ninh đã có quy định “fv.quarterly_report” có hiệu "
                              "lực trong khoảng thời gian này.")


def test_x5_unresolvable_rule_is_refused_with_its_reason(world: World) -> None:
    before = Obligation.objects.count()

    with pytest.raises(ApplicationError) as missing_event:
        services.obligation_create(
            actor=None, kind="ins.department_report", title="Báo cáo sau kiểm tra",
            owed_by_unit=world.district_a, owed_to_unit=world.province,
            rule=rules.DueRule.after(3, "inspection_end", "kết thúc kiểm tra"),
            events={"inspection_end": None},
        )
    with pytest.raises(ApplicationError) as no_policy:
        services.obligation_create(
            actor=None, kind="fv.quarterly_report", policy_code="fv.quarterly_report",
            title="Báo cáo quý", owed_by_unit=world.district_a, owed_to_unit=world.province,
            period=Period.quarter(2020, 1), on=D(2020, 1, 5),
        )

    assert str(missing_event.value) == ("Chưa xác định được hạn: sự kiện “kết thúc kiểm tra” "
                                        "chưa có ngày.")
    assert str(no_policy.value) == ("Chưa có quy định thời hạn “fv.quarterly_report” có hiệu lực "
                                    "cho Tỉnh đoàn Tây Ninh tại ngày 05/01/2020.")
    assert Obligation.objects.count() == before


def test_hub1_department_must_belong_to_its_unit(world: World) -> None:
    with pytest.raises(ApplicationError) as exc:
        make_ob(by=world.district_a, to=world.district_b, title="X", due=D(2020, 1, 1),
                to_department=world.tckt)

    assert str(exc.value) == "Ban Tổ chức – Kiểm tra không thuộc Huyện đoàn Tân Biên."


def test_hub1_a_key_makes_creating_again_return_the_same_obligation(world: World) -> None:
    first = make_ob(by=world.district_a, to=world.province, title="Báo cáo", due=D(2020, 1, 1),
                    key="inspections:12:report")
    again = make_ob(by=world.district_a, to=world.province, title="Báo cáo", due=D(2020, 1, 9),
                    key="inspections:12:report")

    assert again.pk == first.pk
    assert Obligation.objects.filter(key="inspections:12:report").count() == 1


def test_hub1_reschedule_follows_the_event(world: World) -> None:
    ob = services.obligation_create(
        actor=None, kind="ins.department_report", title="Báo cáo sau kiểm tra",
        owed_by_unit=world.district_a, owed_to_unit=world.province,
        rule=rules.DueRule.after(3, "inspection_end", "kết thúc kiểm tra"),
        events={"inspection_end": D(2020, 6, 26)},
    )

    moved = services.obligation_reschedule(actor=None, obligation=ob,
                                           events={"inspection_end": D(2020, 7, 2)})

    assert (ob.due_on, moved.due_on) == (D(2020, 6, 29), D(2020, 7, 5))


def test_hub1_creating_and_submitting_is_audited_against_the_owing_unit(world: World) -> None:
    ob = make_ob(by=world.district_a, to=world.province, title="Báo cáo có nhật ký",
                 due=D(2020, 1, 1))
    services.obligation_submit(actor=world.district_a_cadre, obligation=ob, text="Nội dung")

    records = list(AuditRecord.objects.filter(model="hub.obligation", object_pk=str(ob.pk))
                   .order_by("id"))

    assert [r.action for r in records] == ["create", "update"]
    assert {r.unit_id for r in records} == {world.district_a.pk}
    assert records[1].actor_id == world.district_a_cadre.pk
    assert records[1].changes["after"]["status"] == "submitted"


def test_hub1_status_transitions_and_derived_lateness(world: World) -> None:
    t = today()
    ob = make_ob(by=world.district_a, to=world.province, title="Báo cáo",
                 due=t - dt.timedelta(days=4))
    assert ob.status_label(t) == "Quá hạn 4 ngày"

    services.obligation_submit(actor=world.district_a_cadre, obligation=ob, text="Bản 1")
    ob.refresh_from_db()
    assert (ob.status, ob.is_late(t), ob.status_label(t)) == (
        "submitted", True, "Đã nộp, chờ tiếp nhận (muộn 4 ngày)")

    services.obligation_return(actor=world.province_secretary, obligation=ob,
                               note="Bổ sung số liệu")
    ob.refresh_from_db()
    assert (ob.status, ob.review_note, ob.status_label(t)) == (
        "returned", "Bổ sung số liệu", "Bị trả lại, quá hạn 4 ngày")

    services.obligation_submit(actor=world.district_a_cadre, obligation=ob, text="Bản 2")
    services.obligation_accept(actor=world.province_secretary, obligation=ob)
    ob.refresh_from_db()
    assert (ob.status, ob.submission_text, ob.reviewed_by) == (
        "accepted", "Bản 2", world.province_secretary)

    with pytest.raises(ApplicationError) as exc:
        services.obligation_submit(actor=world.district_a_cadre, obligation=ob, text="Bản 3")
    assert str(exc.value) == "Việc này đang ở trạng thái “Đã tiếp nhận”: không nộp được."


def test_hub1_submitted_on_the_due_date_is_on_time(world: World) -> None:
    due = D(2020, 10, 10)
    ob = make_ob(by=world.district_a, to=world.province, title="Báo cáo năm", due=due)

    services.obligation_submit(actor=None, obligation=ob, text="Đúng hạn", at=at(due, 23))
    ob.refresh_from_db()

    assert (ob.submitted_on, ob.is_late(D(2026, 1, 1))) == (due, False)


def test_hub1_return_and_waive_need_a_reason_and_waive_closes(world: World) -> None:
    ob = make_ob(by=world.district_a, to=world.province, title="Báo cáo", due=D(2020, 1, 1))
    services.obligation_submit(actor=None, obligation=ob, text="x")

    with pytest.raises(ApplicationError) as no_reason:
        services.obligation_return(actor=None, obligation=ob, note="  ")
    services.obligation_waive(actor=None, obligation=ob, note="Đơn vị sáp nhập")
    ob.refresh_from_db()

    assert str(no_reason.value) == "Lý do trả lại không được để trống."
    assert (ob.status, ob.review_note) == ("waived", "Đơn vị sáp nhập")


def test_hub1_submission_needs_text_or_a_file(world: World) -> None:
    ob = make_ob(by=world.district_a, to=world.province, title="Báo cáo", due=D(2020, 1, 1))

    with pytest.raises(ApplicationError) as exc:
        services.obligation_submit(actor=None, obligation=ob, text="   ")

    assert str(exc.value) == "Hãy ghi nội dung hoặc đính kèm ít nhất một tệp."


def test_hub4_calendar_entries_are_written_through_services(world: World) -> None:
    start = at(D(2020, 11, 12), 8)

    entry = services.calendar_entry_create(unit=world.district_a, title="Kiểm tra năm 2020",
                                           kind="inspection", start=start,
                                           end=at(D(2020, 11, 12), 11), source=world.district_a)
    with pytest.raises(ApplicationError) as backwards:
        services.calendar_entry_create(unit=world.district_a, title="Sai giờ", kind="meeting",
                                       start=start, end=at(D(2020, 11, 11), 8))
    deleted = services.calendar_entries_delete_for(source=world.district_a)

    assert entry.source_id == world.district_a.pk
    assert str(backwards.value) == "Thời gian kết thúc phải sau thời gian bắt đầu."
    assert deleted == 1


def test_hub1_services_refuse_people_whose_roles_do_not_reach(world: World) -> None:
    ob = make_ob(by=world.district_b, to=world.province, title="Báo cáo Tân Biên",
                 due=D(2020, 1, 1))

    with pytest.raises(services.HubPermissionError) as submit:
        services.obligation_submit(actor=world.district_a_cadre, obligation=ob, text="x")
    services.obligation_submit(actor=world.district_b_cadre, obligation=ob, text="x")
    with pytest.raises(services.HubPermissionError) as accept:
        services.obligation_accept(actor=world.district_b_cadre, obligation=ob)
    services.obligation_accept(actor=world.province_secretary, obligation=ob)

    assert str(submit.value) == "Bạn không có quyền nộp thay Huyện đoàn Tân Biên."
    assert str(accept.value) == ("Chỉ người có quyền phê duyệt của Tỉnh đoàn Tây Ninh mới xử lý "
                                 "được việc này.")
    assert Obligation.objects.get(pk=ob.pk).status == "accepted"
