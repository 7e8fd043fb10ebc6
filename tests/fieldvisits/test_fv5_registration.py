"""FV-5: quarterly registration — a cadre drafts only the kinds they choose; the department head
merges with the supervising Standing member and registers by the policy's day (an obligation
owed to Ban Tổ chức – Kiểm tra); a late registration is refused with nothing changed; the
Standing approves, assigns its own kinds, and the unit issues a numbered plan; a district union
agrees one plan for the whole agency."""

from __future__ import annotations

import datetime as dt

import pytest

from doanvu.documents.models import DocumentStatus
from doanvu.fieldvisits import plans
from doanvu.fieldvisits.models import PlannedVisit, PlanStatus, QuarterPlan
from doanvu.hub.models import Obligation, ObligationStatus
from tests.conftest import World
from tests.fieldvisits.plan_fixtures import FV, YEAR, build

D = dt.date


@pytest.fixture
def fv(world: World) -> FV:
    return build(world)


FEB10 = D(YEAR, 2, 10)


def draft(fv: FV, *, kind: str = "1.1", start: dt.date = FEB10, person: object = None,
          place: object = None) -> PlannedVisit:
    return plans.line_draft(actor=fv.cadre, unit=fv.world.province,
                            person=person or fv.cadre_person, year=YEAR, quarter=1, kind=kind,
                            place=place or fv.world.commune_a1, start_date=start,
                            end_date=start + dt.timedelta(days=1), content="Khảo sát")


def registered(fv: FV) -> QuarterPlan:
    line = draft(fv)
    plan = plans.plan_merge(actor=fv.head, plan=line.plan, supervisor=fv.deputy_person)
    return plans.plan_register(actor=fv.head, plan=plan, on=D(YEAR, 1, 14))


def test_fv5_cadre_drafts_chosen_kind_into_department_plan(fv: FV) -> None:
    line = draft(fv, kind="1.3")
    plan = line.plan
    assert (plan.unit, plan.department, plan.quarter, plan.status) == (
        fv.world.province, fv.movement, 1, PlanStatus.DRAFT)
    assert not line.assigned
    # the plan's registration is owed to Ban Tổ chức – Kiểm tra by the 15th, in "Việc của tôi"
    ob = Obligation.objects.get(pk=plan.obligation_id)
    assert ob.kind == "fv.department_quarter_plan"
    assert (ob.owed_by_department, ob.owed_to_department) == (fv.movement, fv.world.tckt)
    assert ob.due_on == D(YEAR, 1, 15)


def test_fv5_cadre_may_not_draft_an_assigned_kind(fv: FV) -> None:
    with pytest.raises(plans.PlanError) as exc:
        draft(fv, kind="1.2")
    assert exc.value.field == "kind"
    assert "1.2" in exc.value.message and "Thường trực" in exc.value.message
    assert not PlannedVisit.objects.exists()
    assert not QuarterPlan.objects.exists()


def test_fv5_cadre_outside_the_unit_refused(fv: FV) -> None:
    with pytest.raises(plans.PlanError) as exc:
        plans.line_draft(actor=None, unit=fv.world.province, person=fv.other_person, year=YEAR,
                         quarter=1, kind="1.1", place=fv.world.commune_a1,
                         start_date=D(YEAR, 2, 1), end_date=D(YEAR, 2, 1))
    assert exc.value.field == "person"
    assert not QuarterPlan.objects.exists()


def test_fv5_cadre_drafts_only_their_own_lines(fv: FV) -> None:
    with pytest.raises(plans.PlanPermissionError):
        draft(fv, person=fv.cadre2_person)


def test_fv5_bad_dates_and_place_name_the_field(fv: FV) -> None:
    with pytest.raises(plans.PlanError) as exc:
        draft(fv, start=D(YEAR, 4, 2))  # outside the quarter
    assert exc.value.field == "start_date"
    with pytest.raises(plans.PlanError) as exc:
        draft(fv, place=fv.world.centre)  # not below the province
    assert exc.value.field == "place"
    assert not PlannedVisit.objects.exists()


def test_fv5_merge_needs_a_standing_member(fv: FV) -> None:
    line = draft(fv)
    with pytest.raises(plans.PlanError) as exc:
        plans.plan_merge(actor=fv.head, plan=line.plan, supervisor=fv.cadre2_person)
    assert exc.value.field == "supervisor"
    plan = plans.plan_merge(actor=fv.head, plan=line.plan, supervisor=fv.deputy_person)
    assert plan.supervisor == fv.deputy_person
    assert plans.standing_members(fv.world.province, D(YEAR, 1, 1)) == [
        fv.standing_person, fv.deputy_person]


def test_fv5_only_the_department_head_merges(fv: FV) -> None:
    line = draft(fv)
    with pytest.raises(plans.PlanPermissionError):
        plans.plan_merge(actor=fv.cadre, plan=line.plan, supervisor=fv.deputy_person)


def test_fv5_register_delivers_the_obligation(fv: FV) -> None:
    plan = registered(fv)
    assert plan.status == PlanStatus.REGISTERED
    assert plan.registered_on == D(YEAR, 1, 14) and not plan.registered_late
    ob = Obligation.objects.get(pk=plan.obligation_id)
    assert ob.status == ObligationStatus.SUBMITTED
    assert "1 chuyến" in ob.submission_text


def test_fv5_late_registration_refused_nothing_changed(fv: FV) -> None:
    line = draft(fv)
    plan = plans.plan_merge(actor=fv.head, plan=line.plan, supervisor=fv.deputy_person)
    with pytest.raises(plans.PlanError) as exc:
        plans.plan_register(actor=fv.head, plan=plan, on=D(YEAR, 1, 16))
    assert exc.value.field == "registered_on"
    assert "15/01/2020" in exc.value.message
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.registered_on is None
    assert Obligation.objects.get(pk=plan.obligation_id).status == ObligationStatus.OPEN
    # the Standing reopens it with a reason; it is then registered, flagged late
    with pytest.raises(plans.PlanPermissionError):
        plans.plan_allow_late(actor=fv.head, plan=plan, reason="Ban đi công tác")
    plans.plan_allow_late(actor=fv.standing, plan=plan, reason="Ban đi công tác dài ngày")
    plan = plans.plan_register(actor=fv.head, plan=plan, on=D(YEAR, 1, 20))
    assert plan.status == PlanStatus.REGISTERED and plan.registered_late


def test_fv5_registration_day_comes_from_the_policy(fv: FV) -> None:
    fv.policy.registration_day = 20
    fv.policy.save()
    line = draft(fv)
    plan = plans.plan_merge(actor=fv.head, plan=line.plan, supervisor=fv.deputy_person)
    assert Obligation.objects.get(pk=plan.obligation_id).due_on == D(YEAR, 1, 20)
    plan = plans.plan_register(actor=fv.head, plan=plan, on=D(YEAR, 1, 18))
    assert plan.status == PlanStatus.REGISTERED


def test_fv5_approve_and_assign(fv: FV) -> None:
    plan = registered(fv)
    with pytest.raises(plans.PlanPermissionError):
        plans.plan_approve(actor=fv.head, plan=plan)
    plan = plans.plan_approve(actor=fv.standing, plan=plan, on=D(YEAR, 1, 18))
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == fv.standing
    assert Obligation.objects.get(pk=plan.obligation_id).status == ObligationStatus.ACCEPTED
    line = plans.line_assign(actor=fv.standing, plan=plan, person=fv.cadre2_person, kind="1.2",
                             place=fv.world.district_a, start_date=D(YEAR, 3, 3),
                             end_date=D(YEAR, 3, 4), content="Kiểm tra Huyện đoàn")
    assert line.assigned and line.person == fv.cadre2_person


def test_fv5_assigning_a_chosen_kind_refused(fv: FV) -> None:
    plan = registered(fv)
    with pytest.raises(plans.PlanError) as exc:
        plans.line_assign(actor=fv.standing, plan=plan, person=fv.cadre2_person, kind="1.1",
                          place=fv.world.district_a, start_date=D(YEAR, 3, 3),
                          end_date=D(YEAR, 3, 3))
    assert exc.value.field == "kind"
    assert PlannedVisit.objects.filter(assigned=True).count() == 0


def test_fv5_assigning_a_cadre_outside_the_department_refused(fv: FV) -> None:
    plan = registered(fv)
    for who in (fv.other_person, fv.deputy_person):  # another unit; not of Ban Phong trào
        with pytest.raises(plans.PlanError) as exc:
            plans.line_assign(actor=fv.standing, plan=plan, person=who, kind="1.2",
                              place=fv.world.district_a, start_date=D(YEAR, 3, 3),
                              end_date=D(YEAR, 3, 3))
        assert exc.value.field == "person"
    assert PlannedVisit.objects.filter(assigned=True).count() == 0


def test_fv5_issue_numbered_document(fv: FV) -> None:
    plan = plans.plan_approve(actor=fv.standing, plan=registered(fv), on=D(YEAR, 1, 18))
    with pytest.raises(plans.PlanPermissionError):
        plans.plan_issue(actor=fv.head, unit=fv.world.province, year=YEAR, quarter=1,
                         signer_title="Bí thư", signer_name="Phạm Quốc Dũng")
    doc = plans.plan_issue(actor=fv.standing, unit=fv.world.province, year=YEAR, quarter=1,
                           signer_title="Bí thư", signer_name="Phạm Quốc Dũng",
                           issued_on=D(YEAR, 1, 20))
    assert doc.status == DocumentStatus.ISSUED and doc.number == 1
    assert doc.doc_type.code == "ke_hoach"
    assert doc.symbol.startswith("1-KH/") and doc.symbol.endswith("TCKT")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.document == doc
    text = str(doc.body)
    assert "Nguyễn Văn An" in text and "Ban Phong trào" in text and "Võ Thị Hạnh" in text
    with pytest.raises(plans.PlanError):  # issued once
        plans.plan_issue(actor=fv.standing, unit=fv.world.province, year=YEAR, quarter=1,
                         signer_title="Bí thư", signer_name="Phạm Quốc Dũng")
    with pytest.raises(plans.PlanError):  # frozen
        draft(fv)


def test_fv5_issue_refused_without_an_approved_plan(fv: FV) -> None:
    registered(fv)
    with pytest.raises(plans.PlanError) as exc:
        plans.plan_issue(actor=fv.standing, unit=fv.world.province, year=YEAR, quarter=1,
                         signer_title="Bí thư", signer_name="Phạm Quốc Dũng")
    assert "duyệt" in exc.value.message


def test_fv5_district_agency_wide_plan(fv: FV) -> None:
    district = fv.world.district_a
    a = plans.line_draft(actor=fv.district_secretary, unit=district, person=fv.district_person,
                         year=YEAR, quarter=2, kind="1.6", place=fv.world.branch_a1,
                         start_date=D(YEAR, 4, 20), end_date=D(YEAR, 4, 20))
    b = plans.line_draft(actor=fv.district_secretary, unit=district,
                         person=fv.district_cadre_person, year=YEAR, quarter=2, kind="1.1",
                         place=fv.world.commune_a2, start_date=D(YEAR, 5, 5),
                         end_date=D(YEAR, 5, 6))
    assert a.plan == b.plan and a.plan.department is None
    assert QuarterPlan.objects.filter(unit=district).count() == 1
    plan = plans.plan_merge(actor=fv.district_secretary, plan=a.plan, supervisor=None)
    plan = plans.plan_register(actor=fv.district_secretary, plan=plan, on=D(YEAR, 4, 10))
    plan = plans.plan_approve(actor=fv.district_secretary, plan=plan, on=D(YEAR, 4, 12))
    doc = plans.plan_issue(actor=fv.district_secretary, unit=district, year=YEAR, quarter=2,
                           signer_title="Bí thư", signer_name="Huỳnh Văn Lâm",
                           issued_on=D(YEAR, 4, 13))
    assert doc.issuing_unit == district and doc.number == 1
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED
    assert "Ngô Thị Mai" in str(doc.body)
