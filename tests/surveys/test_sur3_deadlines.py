"""SUR-3: the reports' deadlines are hub obligations. A theme's report due date makes an
obligation of its lead department owed to the Office; a campaign's makes one of the Office owed
to the unit's leadership. They sit in "Việc của tôi" of those who owe them, move with the date,
are submitted when the report document is issued, and a bad date is refused naming the field
with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.common.dates import today
from doanvu.documents.models import Document
from doanvu.documents.services import document_issue
from doanvu.hub.models import Obligation, ObligationStatus
from doanvu.org.models import Department, DepartmentCategory
from doanvu.surveys import deadlines, reports, services
from doanvu.surveys.models import Campaign, Theme
from doanvu.surveys.rules import SurveyError
from tests.conftest import grant, login, make_user
from tests.surveys.conftest import CLOSES, SurWorld, scope

REPORT_DUE, REVIEW_DUE = dt.date(2020, 6, 15), dt.date(2020, 6, 30)


def _office(sur: SurWorld) -> Department:
    return Department.objects.create(unit=sur.world.province, name="Văn phòng",
                                     category=DepartmentCategory.OFFICE)


def _set_theme_due(sur: SurWorld, due: dt.date | None, actor: object = None) -> Theme:
    t = sur.theme
    return services.theme_save(
        scope=scope(sur.world.admin), actor=actor or sur.world.admin, campaign=sur.campaign,
        title=t.title, lead_department=t.lead_department, units=list(t.units.all()),
        opens_on=t.opens_on, closes_on=t.closes_on, due_on=t.due_on, theme=t,
        report_due_on=due)


def _set_campaign_due(sur: SurWorld, due: dt.date | None) -> Campaign:
    c = sur.campaign
    return services.campaign_save(scope=scope(sur.world.admin), actor=sur.world.admin,
                                  unit=c.unit, name=c.name, year=c.year, campaign=c,
                                  report_due_on=due)


def _issue(doc: Document, on: dt.date) -> Document:
    Document.objects.filter(pk=doc.pk).update(
        signer_title="Bí thư", signer_name="Nguyễn Văn A", recipients=["Lưu VP"])
    return document_issue(actor=None, document=doc, issued_on=on)


def _my_work(user: object) -> str:
    return login(user).get(reverse("hub:my_work")).content.decode()


def test_sur3_theme_report_due_is_an_obligation_of_the_lead_department(sur: SurWorld) -> None:
    office = _office(sur)
    theme = _set_theme_due(sur, REPORT_DUE)

    ob = theme.report_obligation
    assert ob is not None
    assert (ob.kind, ob.owed_by_unit, ob.owed_by_department, ob.owed_to_unit,
            ob.owed_to_department, ob.due_on, ob.status) == (
        deadlines.THEME_REPORT_KIND, sur.world.province, sur.world.tckt, sur.world.province,
        office, REPORT_DUE, ObligationStatus.OPEN)
    assert ob.source == theme
    title = "Báo cáo chuyên đề 1: Giải pháp thúc đẩy hoạt động sáng tạo"
    assert ob.title == title
    # in the lead department's "Việc của tôi", late (2020), not in the Office clerk's
    assert title in _my_work(sur.lead)
    clerk = make_user("chuyenvien_vp")
    grant(clerk, "can_bo_ban", sur.world.province, department=office)
    assert title not in _my_work(clerk)
    page = login(sur.lead).get(reverse("surveys:theme_detail", args=[theme.pk])).content
    assert "hạn 15/06/2020 · Chưa nộp, quá hạn" in page.decode()
    # saving again with the same date makes no second obligation
    _set_theme_due(sur, REPORT_DUE)
    assert Obligation.objects.filter(kind=deadlines.THEME_REPORT_KIND).count() == 1


def test_sur3_outsider_neither_owes_nor_sees_the_report_obligation(sur: SurWorld) -> None:
    _office(sur)
    theme = _set_theme_due(sur, REPORT_DUE)
    assert theme.report_obligation is not None
    outsider = sur.world.outsider
    client = login(outsider)

    assert "Báo cáo chuyên đề 1" not in _my_work(outsider)
    assert client.get(reverse("hub:obligation_detail",
                              args=[theme.report_obligation.pk])).status_code == 404
    got = client.get(reverse("surveys:theme_detail", args=[theme.pk]))
    assert got.status_code == 404 and "sáng tạo" not in got.content.decode()
    # a district the theme surveys does not owe it either
    assert "Báo cáo chuyên đề 1" not in _my_work(sur.world.district_a_cadre)


def test_sur3_changing_the_date_moves_the_obligation_and_clearing_waives_it(
        sur: SurWorld) -> None:
    _office(sur)
    ob = _set_theme_due(sur, REPORT_DUE).report_obligation
    assert ob is not None
    later = today() + dt.timedelta(days=30)

    theme = _set_theme_due(sur, later)
    ob.refresh_from_db()
    assert theme.report_obligation == ob and ob.due_on == later
    page = login(sur.lead).get(reverse("surveys:theme_detail", args=[theme.pk])).content
    assert "Chưa đến hạn" in page.decode()

    theme = _set_theme_due(sur, None)
    ob.refresh_from_db()
    assert theme.report_obligation is None and ob.status == ObligationStatus.WAIVED
    assert "Báo cáo chuyên đề 1" not in _my_work(sur.lead)
    # set again: a new obligation
    theme = _set_theme_due(sur, REPORT_DUE)
    assert theme.report_obligation is not None and theme.report_obligation != ob
    # not given: kept
    theme = services.theme_save(
        scope=scope(sur.world.admin), actor=None, campaign=sur.campaign, title="Tên mới",
        lead_department=theme.lead_department, units=list(theme.units.all()),
        opens_on=theme.opens_on, closes_on=theme.closes_on, due_on=theme.due_on, theme=theme)
    assert theme.report_due_on == REPORT_DUE


def test_sur3_theme_report_obligation_is_submitted_when_the_report_is_issued(
        sur: SurWorld) -> None:
    _office(sur)
    theme = _set_theme_due(sur, REPORT_DUE)
    doc = reports.theme_report_draft(scope=scope(sur.lead), actor=sur.lead, theme=theme)
    ob = Obligation.objects.get(pk=theme.report_obligation_id)
    assert ob.status == ObligationStatus.OPEN  # a draft delivers nothing

    _issue(doc, dt.date(2020, 6, 12))

    ob.refresh_from_db()
    assert ob.status == ObligationStatus.SUBMITTED and ob.submitted_on == dt.date(2020, 6, 12)
    assert "Báo cáo chuyên đề 1: Giải pháp" not in _my_work(sur.lead).split("Đã nộp")[0]
    page = login(sur.lead).get(reverse("surveys:theme_detail", args=[theme.pk])).content
    assert "hạn 15/06/2020 · Đã nộp đúng hạn" in page.decode()


def test_sur3_a_report_issued_before_the_date_is_set_delivers_at_once(sur: SurWorld) -> None:
    _office(sur)
    doc = reports.theme_report_draft(scope=scope(sur.lead), actor=sur.lead, theme=sur.theme)
    _issue(doc, dt.date(2020, 6, 20))

    theme = _set_theme_due(sur, REPORT_DUE)
    ob = Obligation.objects.get(pk=theme.report_obligation_id)
    assert ob.status == ObligationStatus.SUBMITTED and ob.submitted_on == dt.date(2020, 6, 20)
    page = login(sur.lead).get(reverse("surveys:campaign_detail", args=[sur.campaign.pk]))
    assert "hạn 15/06/2020 · Đã nộp muộn" in page.content.decode()


def test_sur3_review_report_due_is_the_offices_obligation_to_the_unit(sur: SurWorld) -> None:
    office = _office(sur)
    clerk = make_user("chuyenvien_vp")
    grant(clerk, "can_bo_ban", sur.world.province, department=office)
    _set_theme_due(sur, REPORT_DUE)
    campaign = _set_campaign_due(sur, REVIEW_DUE)

    ob = campaign.report_obligation
    assert ob is not None
    assert (ob.kind, ob.owed_by_unit, ob.owed_by_department, ob.owed_to_unit,
            ob.owed_to_department, ob.due_on) == (
        deadlines.REVIEW_REPORT_KIND, sur.world.province, office, sur.world.province, None,
        REVIEW_DUE)
    title = "Báo cáo tổng hợp: Khảo sát giữa nhiệm kỳ 2020"
    assert title in _my_work(clerk)
    assert title not in _my_work(sur.lead)
    assert title not in _my_work(sur.world.outsider)
    page = login(clerk).get(reverse("surveys:campaign_detail", args=[campaign.pk])).content
    assert "hạn 30/06/2020 · Chưa nộp, quá hạn" in page.decode()

    doc = reports.review_report_draft(scope=scope(clerk), actor=clerk, campaign=campaign)
    _issue(doc, dt.date(2020, 6, 29))
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.SUBMITTED and ob.submitted_on == dt.date(2020, 6, 29)


@pytest.mark.parametrize("due", [CLOSES - dt.timedelta(days=1), dt.date(2020, 7, 1)])
def test_sur3_bad_theme_report_date_is_refused_naming_the_field(sur: SurWorld,
                                                                due: dt.date) -> None:
    _office(sur)
    _set_campaign_due(sur, REVIEW_DUE)
    before = Obligation.objects.count()

    with pytest.raises(SurveyError) as exc:
        _set_theme_due(sur, due)

    assert exc.value.field == "report_due_on"
    assert exc.value.message.startswith("Hạn nộp báo cáo chuyên đề: phải không")
    sur.theme.refresh_from_db()
    assert sur.theme.report_due_on is None and sur.theme.report_obligation is None
    assert Obligation.objects.count() == before


def test_sur3_bad_review_report_date_is_refused_naming_the_field(sur: SurWorld) -> None:
    with pytest.raises(SurveyError) as exc:
        _set_campaign_due(sur, REVIEW_DUE)
    assert exc.value.field == "report_due_on" and "chưa có Văn phòng" in exc.value.message
    _office(sur)
    _set_theme_due(sur, REPORT_DUE)
    before = Obligation.objects.count()

    with pytest.raises(SurveyError) as exc:
        _set_campaign_due(sur, dt.date(2020, 6, 14))

    assert exc.value.field == "report_due_on"
    assert exc.value.message == ("Hạn nộp báo cáo tổng hợp: phải không sớm hơn hạn nộp báo cáo "
                                 "chuyên đề muộn nhất (15/06/2020, chuyên đề 1).")
    sur.campaign.refresh_from_db()
    assert sur.campaign.report_due_on is None and sur.campaign.report_obligation is None
    assert Obligation.objects.count() == before


def _theme_form(sur: SurWorld, **over: str) -> dict[str, object]:
    t = sur.theme
    data: dict[str, object] = {
        "number": str(t.number), "title": t.title, "lead_department": str(t.lead_department_id),
        "units": [str(u.pk) for u in t.units.all()], "opens_on": "01/04/2020",
        "closes_on": "31/05/2020", "due_on": "15/05/2020", "report_due_on": ""}
    data.update(over)
    return data


def test_sur3_theme_form_takes_the_date_and_shows_a_refusal_beside_it(sur: SurWorld) -> None:
    _office(sur)
    client = login(sur.world.province_secretary)
    url = reverse("surveys:theme_edit", args=[sur.theme.pk])

    bad = client.post(url, _theme_form(sur, report_due_on="30/05/2020"))
    assert bad.status_code == 200
    form = bad.context["form"]
    assert form.errors["report_due_on"] == [
        "Hạn nộp báo cáo chuyên đề: phải không sớm hơn ngày kết thúc nhận trả lời (31/05/2020)."]
    sur.theme.refresh_from_db()
    assert sur.theme.report_due_on is None and Obligation.objects.filter(
        kind=deadlines.THEME_REPORT_KIND).count() == 0

    ok = client.post(url, _theme_form(sur, report_due_on="15/06/2020"))
    assert ok.status_code == 302
    sur.theme.refresh_from_db()
    assert sur.theme.report_due_on == REPORT_DUE and sur.theme.report_obligation is not None


def test_sur3_campaign_form_takes_the_date_and_refuses_a_bad_one(sur: SurWorld) -> None:
    _office(sur)
    _set_theme_due(sur, REPORT_DUE)
    client = login(sur.world.province_secretary)
    url = reverse("surveys:campaign_edit", args=[sur.campaign.pk])
    data = {"name": sur.campaign.name, "year": "2020", "description": ""}

    bad = client.post(url, {**data, "report_due_on": "01/06/2020"})
    assert bad.status_code == 200
    assert "chuyên đề muộn nhất" in bad.context["form"].errors["report_due_on"][0]
    assert Obligation.objects.filter(kind=deadlines.REVIEW_REPORT_KIND).count() == 0

    ok = client.post(url, {**data, "report_due_on": "30/06/2020"})
    assert ok.status_code == 302
    sur.campaign.refresh_from_db()
    assert sur.campaign.report_due_on == REVIEW_DUE
    assert sur.campaign.report_obligation is not None
