"""Issue 15 (SUR-1, SUR-2): seed 000 part III — the 2020 mid-term review's 5 themes at 28 units,
each led by the department that writes its thematic report; answers from most units, four late,
two missing; the tabulation and its export read them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.accounts.models import User
from doanvu.surveys import selectors
from doanvu.surveys.models import Campaign, Response, ResponseState
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_sur1_demo_seed_000_five_themes_at_28_units(demo: str) -> None:
    campaign = Campaign.objects.get(unit__name="Trung ương Đoàn", year=2020)
    themes = list(campaign.themes.select_related("lead_department").order_by("number"))

    assert [(t.number, t.lead_department.name, t.units.count()) for t in themes] == [
        (1, "Ban Thanh niên công nhân và đô thị", 6), (2, "Ban Thanh niên nông thôn", 6),
        (3, "Ban Công tác thiếu nhi", 5), (4, "Ban Tuyên giáo", 6), (5, "Ban Tổ chức", 5)]
    units = {u for t in themes for u in t.units.all()}
    assert len(units) == 28
    assert {(t.opens_on, t.due_on, t.closes_on) for t in themes} == {
        (dt.date(2020, 4, 1), dt.date(2020, 5, 15), dt.date(2020, 5, 31))}


def test_sur2_demo_answers_most_some_late_two_missing(demo: str) -> None:
    responses = Response.objects.filter(
        questionnaire__theme__campaign__year=2020,
        questionnaire__theme__campaign__unit__name="Trung ương Đoàn")
    assert responses.count() == 28
    missing = responses.exclude(state=ResponseState.SUBMITTED)
    assert sorted(r.unit.name for r in missing) == ["Tỉnh đoàn Hậu Giang", "Tỉnh đoàn Tiền Giang"]
    late = sorted(r.unit.name for r in responses.filter(submitted_on__gt=dt.date(2020, 5, 15)))
    assert late == ["Tỉnh đoàn Cao Bằng", "Tỉnh đoàn Hà Nam", "Tỉnh đoàn Quảng Trị",
                    "Tỉnh đoàn Đắk Nông"]
    q = responses.get(unit__name="Tỉnh đoàn Hậu Giang").questionnaire
    rows = selectors.collection(questionnaire=q, day=dt.date(2020, 6, 1))
    assert selectors.collection_counts(rows) == {
        "on_time": 3, "late": 1, "missing": 1, "pending": 0, "waived": 0, "total": 5}


def test_sur2_demo_tabulation_page_and_export(demo: str) -> None:
    admin = User.objects.get(username="quantri")
    q = Response.objects.get(unit__name="Thành đoàn Hà Nội",
                             questionnaire__theme__campaign__year=2020).questionnaire
    client = login(admin)

    page = client.get(reverse("surveys:tabulation", args=[q.pk])).content.decode()
    assert "6 phiếu đã nộp" in page
    assert "<svg" in page
    export = client.get(reverse("surveys:tabulation_export", args=[q.pk]))
    assert export.status_code == 200
    assert export["Content-Disposition"].endswith('.xlsx"')


def test_sur3_demo_thematic_reports_and_the_mid_term_report(demo: str) -> None:
    campaign = Campaign.objects.get(unit__name="Trung ương Đoàn", year=2020)
    themes = list(campaign.themes.select_related("report__department", "lead_department"))

    assert all(t.report is not None and t.report.department == t.lead_department
               for t in themes)
    assert campaign.report is not None
    assert campaign.report.department.name == "Văn phòng"
    assert "Chuyên đề 3" in str(campaign.report.body)
