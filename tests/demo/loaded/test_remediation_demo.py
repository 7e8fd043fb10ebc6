"""Issue 14: the remediation demo from seed 004 — Tây Ninh's register of its 2019 self-review (5
new + 3 carried − 1 the same = 7), three solution groups with their leads and the plan's
deadlines, and months of evaluations of full-time standing members."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doanvu.common.periods import Period
from doanvu.org.models import Unit
from doanvu.remediation import api, selectors
from doanvu.remediation.models import MonthlyEvaluation, SolutionGroup
from tests.conftest import login


@pytest.mark.django_db
def test_rem1_demo_register_counts_seven(demo: None) -> None:
    tn = Unit.objects.get(name="Tỉnh đoàn Tây Ninh")

    count = selectors.count_of(list(selectors.register_of(unit=tn, year=2019)))

    assert (count.new, count.carried, count.duplicates, count.total) == (5, 3, 1, 7)
    # number 6 closed in May 2020, with evidence: all 7 were still open at the end of 2019
    assert [s.number for s in api.unremedied(tn, 2019)] == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.django_db
def test_rem2_demo_groups_leads_and_deadlines(demo: None) -> None:
    tn = Unit.objects.get(name="Tỉnh đoàn Tây Ninh")
    groups = list(SolutionGroup.objects.filter(unit=tn, year=2020).order_by("number"))

    assert [g.lead.name if g.lead else None for g in groups] == [
        "Văn phòng", "Ban Tổ chức – Kiểm tra", "Ban Phong trào"]
    deadlines = {s.deadline for g in groups for s in g.solutions.all()}
    assert {Period.month(2020, 3), Period.quarter(2020, 1)} <= deadlines
    assert any(s.ongoing for s in groups[0].solutions.all())


@pytest.mark.django_db
def test_rem3_demo_months_and_page(demo: None) -> None:
    tn = Unit.objects.get(name="Tỉnh đoàn Tây Ninh")

    evaluations = MonthlyEvaluation.objects.filter(unit=tn)
    assert evaluations.count() == 9
    assert set(evaluations.filter(locked=True).values_list("month", flat=True)) == {
        Period.month(2020, 1), Period.month(2020, 2)}
    body = login(_admin()).get(  # type: ignore[arg-type]
        reverse("remediation:evaluations", args=[tn.pk]) + "?nam=2020").content.decode()
    assert "Hoàng Thị Thanh Thúy" in body


def _admin() -> object:
    from doanvu.accounts.models import User

    return User.objects.filter(is_superuser=True).order_by("pk").first()


@pytest.mark.django_db
def test_rem4_demo_departments_owe_their_reports_to_the_office(demo: None) -> None:
    import datetime as dt

    from doanvu.remediation import reports

    tn = Unit.objects.get(name="Tỉnh đoàn Tây Ninh")

    dues = reports.schedule(tn, 2020)

    assert sorted({d.department.short_name for d in dues}) == ["BPT", "TCKT"]
    assert all(d.obligation is not None for d in dues)
    yearly = [d for d in dues if d.period == Period.of_year(2020)]
    assert [d.due_on for d in yearly] == [dt.date(2020, 11, 1)] * 2
    assert len(dues) == 8
    page = login(_admin()).get(  # type: ignore[arg-type]
        reverse("remediation:reports", args=[tn.pk]) + "?nam=2020")
    assert page.status_code == 200 and "Ban Phong trào" in page.content.decode()
    # the year's evaluations suggest a level by the demo's thresholds (80 ≤ mean < 90: htt)
    thuy = MonthlyEvaluation.objects.filter(unit=tn, person__full_name="Hoàng Thị Thanh Thúy"
                                            ).first()
    assert thuy is not None
    result = selectors.year_result(unit=tn, person=thuy.person, year=2020)
    assert result.mean is not None and result.suggestion == "htt"
