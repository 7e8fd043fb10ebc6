"""SUR-3: the lead department drafts its thematic report from the tabulation as a document of
its unit (numbered when issued); the Office compiles the thematic reports into the mid-term
review report. Each once, and only by them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from doanvu.documents.models import Document
from doanvu.org.models import Department, DepartmentCategory
from doanvu.surveys import reports, services
from doanvu.surveys.rules import SurveyError
from tests.conftest import grant, login, make_user
from tests.surveys.conftest import GOOD, SurWorld, scope


def _answer(sur: SurWorld) -> None:
    user = sur.world.district_a_cadre
    services.response_save(scope=scope(user), actor=user, response=sur.responses["a"],
                           answers=GOOD, submit=True, on=dt.date(2020, 5, 2),
                           at=timezone.make_aware(dt.datetime(2020, 5, 2, 9)))


def test_sur3_thematic_report_is_drafted_from_the_tabulation(sur: SurWorld) -> None:
    _answer(sur)
    doc = reports.theme_report_draft(scope=scope(sur.lead), actor=sur.lead, theme=sur.theme)

    assert (doc.issuing_unit, doc.department, doc.doc_type.code) == (
        sur.world.province, sur.world.tckt, "bao_cao")
    text = reports.theme_body(sur.theme)
    assert "1 đơn vị nộp đúng hạn, 0 nộp muộn, 1 chưa nộp" in text
    assert "- Có: 1 phiếu (100,0%)." in text
    assert "- Đoàn viên: 2018: 3, 2019: 5." in text
    sur.theme.refresh_from_db()
    assert sur.theme.report == doc
    with pytest.raises(SurveyError) as exc:
        reports.theme_report_draft(scope=scope(sur.lead), actor=sur.lead, theme=sur.theme)
    assert exc.value.message == "Chuyên đề đã có báo cáo."


def test_sur3_only_the_lead_drafts_and_only_the_office_compiles(sur: SurWorld) -> None:
    with pytest.raises(SurveyError):
        reports.theme_report_draft(scope=scope(sur.world.district_a_cadre), actor=None,
                                   theme=sur.theme)
    with pytest.raises(SurveyError) as exc:
        reports.review_report_draft(scope=scope(sur.lead), actor=sur.lead,
                                    campaign=sur.campaign)
    assert "chưa có Văn phòng" in exc.value.message
    office = Department.objects.create(unit=sur.world.province, name="Văn phòng",
                                       category=DepartmentCategory.OFFICE)
    with pytest.raises(SurveyError) as exc:
        reports.review_report_draft(scope=scope(sur.lead), actor=sur.lead,
                                    campaign=sur.campaign)
    assert exc.value.message == "Chỉ Văn phòng mới tổng hợp được báo cáo này."
    assert Document.objects.count() == 0
    clerk = make_user("chuyenvien_vp")
    grant(clerk, "can_bo_ban", sur.world.province, department=office)

    reports.theme_report_draft(scope=scope(sur.lead), actor=sur.lead, theme=sur.theme)
    doc = reports.review_report_draft(scope=scope(clerk), actor=clerk, campaign=sur.campaign)
    assert doc.department == office
    assert "Giải pháp thúc đẩy hoạt động sáng tạo" in str(doc.body)


def test_sur3_pages_draft_the_reports_and_link_them(sur: SurWorld) -> None:
    client = login(sur.lead)
    got = client.post(reverse("surveys:theme_report", args=[sur.theme.pk]))
    sur.theme.refresh_from_db()
    assert got.status_code == 302 and got["Location"] == sur.theme.report.get_absolute_url()
    page = client.get(reverse("surveys:theme_detail", args=[sur.theme.pk])).content.decode()
    assert "Báo cáo chuyên đề:" in page
    assert login(sur.world.district_a_cadre).post(
        reverse("surveys:theme_report", args=[sur.theme.pk])).status_code == 404
    Department.objects.create(unit=sur.world.province, name="Văn phòng",
                              category=DepartmentCategory.OFFICE)
    owner = login(sur.world.province_secretary)
    got = owner.post(reverse("surveys:campaign_report", args=[sur.campaign.pk]))
    sur.campaign.refresh_from_db()
    assert got["Location"] == sur.campaign.report.get_absolute_url()
    again = owner.post(reverse("surveys:campaign_report", args=[sur.campaign.pk]), follow=True)
    assert "Đợt khảo sát đã có báo cáo tổng hợp." in again.content.decode()
