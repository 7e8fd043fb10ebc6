"""Issue 15 on the demo: SUR-3's report deadlines as obligations (the demo's choice of dates:
seed 000 gives none), and an open anonymous members' survey of Đoàn xã Suối Đá that the
commune's and its branch secretary's logins are asked (so its page is seen and swept)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.accounts.models import User
from doanvu.common.dates import today
from doanvu.hub.models import ObligationStatus
from doanvu.surveys import deadlines
from doanvu.surveys.demo import OPEN_TITLE
from doanvu.surveys.models import AnonymousAnswer, Campaign, Questionnaire
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_sur3_demo_report_deadlines_are_obligations(demo: str) -> None:
    campaign = Campaign.objects.select_related("report_obligation__owed_by_department").get(
        unit__name="Trung ương Đoàn", year=2020)
    themes = list(campaign.themes.select_related(
        "lead_department", "report_obligation__owed_by_department",
        "report_obligation__owed_to_department").order_by("number"))

    assert [(t.report_due_on, t.report_obligation.kind,  # type: ignore[union-attr]
             t.report_obligation.owed_by_department,  # type: ignore[union-attr]
             t.report_obligation.owed_to_department.name)  # type: ignore[union-attr]
            for t in themes] == [
        (dt.date(2020, 6, 15), deadlines.THEME_REPORT_KIND, t.lead_department, "Văn phòng")
        for t in themes]
    ob = campaign.report_obligation
    assert ob is not None and campaign.report_due_on == dt.date(2020, 6, 30)
    assert (ob.kind, ob.owed_by_department.name, ob.owed_to_unit_id,  # type: ignore[union-attr]
            ob.owed_to_department_id) == (
        deadlines.REVIEW_REPORT_KIND, "Văn phòng", campaign.unit_id, None)
    # the reports are drafts in the demo: nothing delivered, all late
    assert {t.report_obligation.status for t in themes} | {ob.status} == {  # type: ignore[union-attr]
        ObligationStatus.OPEN}
    page = login(User.objects.get(username="quantri")).get(
        reverse("surveys:campaign_detail", args=[campaign.pk])).content.decode()
    assert page.count("Chưa nộp, quá hạn") == 6
    assert "hạn 30/06/2020" in page


def test_sur2_demo_open_member_survey_is_asked_of_suoi_da(demo: str) -> None:
    q = Questionnaire.objects.select_related("theme").get(title=OPEN_TITLE)
    day = today()
    assert q.anonymous and q.theme.opens_on < day < q.theme.closes_on
    assert [u.name for u in q.theme.units.all()] == ["Đoàn xã Suối Đá"]
    url = reverse("surveys:member_answer", args=[q.pk])

    for username in ("tn_xa_suoida", "tn_chidoan"):
        client = login(User.objects.get(username=username))
        assert OPEN_TITLE in client.get(reverse("surveys:index")).content.decode()
        page = client.get(url)
        assert page.status_code == 200
        assert "Vì sao bạn chưa dự sinh hoạt chi đoàn?" in page.content.decode()
    # a province cadre, above the commune, is not asked it
    other = login(User.objects.get(username="hcm_quan1"))
    assert OPEN_TITLE not in other.get(reverse("surveys:index")).content.decode()
    assert other.get(url).status_code == 404

    before = AnonymousAnswer.objects.filter(questionnaire=q).count()
    client = login(User.objects.get(username="tn_chidoan"))
    # "Không" asks why: required once shown
    refused = client.post(url, {"c1": "Không", "c3": "3"})
    assert refused.status_code == 200
    assert AnonymousAnswer.objects.filter(questionnaire=q).count() == before
    done = client.post(url, {"c1": "Không", "c2": "Bận đi làm ca.", "c3": "3",
                             "c4": ["Văn nghệ, thể thao"]})
    assert done.status_code == 302
    assert AnonymousAnswer.objects.filter(questionnaire=q).count() == before + 1
    assert "Bạn đã trả lời phiếu này" in client.get(url).content.decode()
