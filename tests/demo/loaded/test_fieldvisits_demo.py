"""Issue 13, item 8: the field-visit demo. Three regimes as data (seed 002's Tây Ninh plan, seed
000's central regime, a by-level variant), Tây Ninh's 2020 with cadres of every status, plans,
visits and reports, and the Ban Bí thư's 2020 with Youth Month visits — read back through the
rules (compliance.cadre_year), so what the demo shows is what the pages will compute."""

from __future__ import annotations

import datetime as dt

import pytest

from doanvu.fieldvisits import compliance, rules
from doanvu.fieldvisits.models import (
    Campaign,
    FieldVisitPolicy,
    PlannedVisit,
    PlanStatus,
    QuarterPlan,
    Visit,
)
from doanvu.fieldvisits.selectors import policy_for
from doanvu.org.models import Person, Unit

YEAR = 2020





def person(name: str, unit: str = "Tỉnh đoàn Tây Ninh") -> Person:
    return Person.objects.filter(full_name=name, positions__unit__name=unit).distinct().get()


def year_of(name: str, unit: str = "Tỉnh đoàn Tây Ninh") -> compliance.CadreYear:
    found = compliance.cadre_year(person(name, unit), YEAR)
    assert found is not None, name
    return found


@pytest.mark.django_db
def test_fv3_demo_holds_the_three_regimes_as_data(demo: None) -> None:
    tn, centre = Unit.objects.get(name="Tỉnh đoàn Tây Ninh"), Unit.objects.get(
        name="Trung ương Đoàn")
    hcm = Unit.objects.get(name="Thành đoàn TP. Hồ Chí Minh")
    policies = {p.issuing_unit_id: p for p in FieldVisitPolicy.objects.order_by("id")}

    assert set(policies) == {tn.pk, centre.pk, hcm.pk}
    seed002, seed000, variant = policies[tn.pk], policies[centre.pk], policies[hcm.pk]
    assert (seed002.valid_from, seed002.valid_to) == (dt.date(2018, 4, 18), dt.date(2022, 12, 31))
    assert seed002.plan_document is not None
    assert seed002.plan_document.symbol == "45-KH/TĐTN-TCKT"
    assert (seed002.min_days, seed002.report_days, seed002.registration_day) == (60, 3, 15)
    assert seed002.chosen_kinds == ["1.1", "1.3", "1.6"]
    assert seed002.assigned_kinds == ["1.2", "1.4", "1.5"]
    assert seed002.coverage == {"tinh": ["huyen", "co_so"], "huyen": ["co_so"]}
    assert (seed002.branch_meeting_kind, seed002.one_plus_two) == ("1.6", "days_unit")
    assert {(r["period"], r.get("month"), r.get("day")) for r in seed002.rollups} >= {
        ("year", 10, 20), ("year", 11, 1), ("year", 10, 10), ("quarter", None, None)}
    assert (seed000.min_days, seed000.valid_from.year, seed000.youth_month) == (60, 2020, 3)
    assert seed000.plan_document is not None and seed000.plan_document.number == 41
    assert variant.days_by_level == {"chi_doan": 30, "co_so": 20, "huyen": 10}
    assert variant.report_days == 10
    for p in policies.values():
        assert rules.policy_problems(rules.RegimePolicy.of(p)) == []
    # the regime in force is found by the lookup for a unit below the issuer
    dmc = Unit.objects.get(name="Huyện đoàn Dương Minh Châu")
    assert policy_for(unit=dmc, day=dt.date(YEAR, 6, 1)) == seed002


@pytest.mark.django_db
def test_fv1_demo_statuses_exempt_and_prorate(demo: None) -> None:
    maternity = year_of("Bùi Thị Thanh Tuyền")
    clerk = year_of("Tạ Thị Hồng Nhung")
    seconded = year_of("Võ Thành Nhân")
    short_training = year_of("Đặng Thị Thu Trang")

    assert maternity.required.days == 30
    assert maternity.required.text.startswith("60 ngày × 6/12 tháng = 30 ngày, vì nghỉ thai sản")
    assert maternity.result.met
    assert clerk.required.exempt and "Kế toán" in clerk.required.text
    assert clerk.visits == []
    assert (seconded.required.exempt, seconded.required.days) == (False, 20)
    assert seconded.result.met
    assert short_training.required.days == 60  # two months of training exempt nothing
    assert not short_training.result.met
    assert short_training.result.missing.startswith("Thiếu 9 ngày")


@pytest.mark.django_db
def test_fv2_fv4_fv6_demo_cases(demo: None) -> None:
    logger = year_of("Mai Văn Hiếu")
    invited = [v for v in logger.visits if v.invitation_only]
    unreported = [v for v in logger.visits if v.reported_on is None]
    no_meeting = year_of("Huỳnh Văn Lợi")
    late = Visit.objects.filter(person=person("Phạm Minh Khôi"), report_late=True)

    assert len(invited) == 1 and invited[0].planned is None
    assert rules.why_not_counted(logger.regime, compliance.visit_fact(invited[0])).startswith(
        "Không tính: chỉ dự hoạt động theo thư mời")
    assert len(unreported) == 1
    assert logger.result.unreported == 1 and logger.result.counted_days == 59
    assert no_meeting.result.branch_meetings == 0
    assert "Chưa dự sinh hoạt chi đoàn ấp, khu phố" in no_meeting.result.missing
    assert late.count() == 1
    v = late.get()
    assert v.reported_on is not None and v.report_due == v.end_date + dt.timedelta(days=3)
    assert v.reported_on > v.report_due
    full = year_of("Trần Lê Duy")
    assert full.result.met and full.result.counted_days == 61
    assert full.result.by_level["huyen"] > 0 and full.result.by_level["co_so"] > 0
    assert full.result.assigned_unit_days > 0  # "1+2": days at the unit assigned to him
    district = year_of("Trần Thị Diễm My", "Huyện đoàn Dương Minh Châu")
    assert district.result.met and district.result.by_level["huyen"] == 0
    assert all(v.cost > 0 for v in full.visits)


@pytest.mark.django_db
def test_fv5_fv10_demo_plans_registered_approved_issued(demo: None) -> None:
    tn = Unit.objects.get(name="Tỉnh đoàn Tây Ninh")
    plans = list(QuarterPlan.objects.filter(unit=tn, year=YEAR).order_by(
        "quarter", "department", "id"))
    district_plans = QuarterPlan.objects.filter(unit__name="Huyện đoàn Dương Minh Châu",
                                                year=YEAR)

    assert {p.quarter for p in plans} == {1, 2, 3, 4}
    assert all(p.status == PlanStatus.ISSUED and p.document is not None for p in plans)
    assert len({p.document_id for p in plans}) == 4
    assert [p.registered_late for p in plans].count(True) == 1
    assert all(p.registered_on is not None and p.approved_on is not None for p in plans)
    assert district_plans.count() == 4
    assert all(p.department_id is None for p in district_plans)
    assert PlannedVisit.objects.filter(plan__unit=tn, assigned=True).exists()
    youth = Campaign.objects.get(unit=tn, start_date=dt.date(YEAR, 3, 1))
    assert Visit.objects.filter(campaign=youth).count() > 10


@pytest.mark.django_db
def test_fv10_demo_central_secretaries_under_seed_000(demo: None) -> None:
    centre = Unit.objects.get(name="Trung ương Đoàn")
    secretaries = list(Person.objects.filter(positions__unit=centre,
                                             positions__title__startswith="Bí thư")
                       .distinct().order_by("id"))
    campaign = Campaign.objects.get(unit=centre)
    years = [compliance.cadre_year(p, YEAR) for p in secretaries]

    assert len(secretaries) == 6
    assert all(y is not None and y.policy.issuing_unit_id == centre.pk for y in years)
    assert all(y.result.by_level["tinh"] > 0 for y in years if y)
    assert [y.result.met for y in years if y].count(True) == 5
    for p in secretaries:
        assert Visit.objects.filter(person=p, campaign=campaign,
                                    start_date__month=3).exists()


@pytest.mark.django_db
def test_demo_fieldvisit_rows_are_deterministic(demo: None) -> None:
    """Keys derive from names and dates (uuid5), so two loads give the same rows."""
    import uuid

    from doanvu.fieldvisits.demo import KEY

    late = Visit.objects.get(person=person("Phạm Minh Khôi"), report_late=True)
    secretary = Visit.objects.filter(person__full_name="Lê Quốc Phong").order_by(
        "start_date", "id").first()

    assert late.client_key == uuid.uuid5(
        KEY, f"tn/Phạm Minh Khôi/{late.start_date}/{late.kind}")
    assert secretary is not None
    assert secretary.client_key == uuid.uuid5(KEY, f"tw/Lê Quốc Phong/{secretary.start_date}")
    assert late.travel_order.startswith("GĐĐ ")
