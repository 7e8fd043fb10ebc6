"""SUR-1: a campaign has themes, each with a title, a lead department of the campaign's unit, the
units surveyed from its tree, a window and the day answers are due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.org.models import Cluster, ClusterKind, Department, DepartmentCategory
from doanvu.surveys import services
from doanvu.surveys.models import Campaign, Theme
from doanvu.surveys.rules import SurveyError
from tests.conftest import World, login
from tests.surveys.conftest import CLOSES, DUE, OPENS, SurWorld, scope


def _theme(world: World, campaign: Campaign, **kw: object) -> Theme:
    args: dict[str, object] = dict(
        scope=scope(world.province_secretary), actor=world.province_secretary,
        campaign=campaign, title="Chuyên đề thử", lead_department=world.tckt,
        units=[world.district_a], opens_on=OPENS, closes_on=CLOSES, due_on=DUE)
    args.update(kw)
    return services.theme_save(**args)  # type: ignore[arg-type]


def test_sur1_theme_numbers_follow_and_units_are_kept(sur: SurWorld) -> None:
    theme = _theme(sur.world, sur.campaign, units=[sur.world.commune_a1, sur.world.district_b])

    assert theme.number == 2
    assert set(theme.units.all()) == {sur.world.commune_a1, sur.world.district_b}


@pytest.mark.parametrize(("change", "field"), [
    ({"title": "  "}, "title"),
    ({"units": []}, "units"),
    ({"due_on": dt.date(2020, 6, 10)}, "due_on"),
    ({"closes_on": dt.date(2020, 3, 1)}, "closes_on"),
])
def test_sur1_bad_theme_is_refused_naming_the_field(sur: SurWorld, change: dict[str, object],
                                                    field: str) -> None:
    with pytest.raises(SurveyError) as exc:
        _theme(sur.world, sur.campaign, **change)

    assert exc.value.field == field
    assert Theme.objects.filter(campaign=sur.campaign).count() == 1


def test_sur1_units_outside_the_campaigns_unit_and_foreign_departments_refused(
        sur: SurWorld) -> None:
    other = Department.objects.create(unit=sur.world.district_a, name="Văn phòng",
                                      category=DepartmentCategory.DEPARTMENT)
    with pytest.raises(SurveyError) as exc:
        _theme(sur.world, sur.campaign, units=[sur.world.centre])
    assert exc.value.field == "units"
    assert "không thuộc Tỉnh đoàn Tây Ninh" in exc.value.message
    with pytest.raises(SurveyError) as exc:
        _theme(sur.world, sur.campaign, lead_department=other)
    assert exc.value.field == "lead_department"


def test_sur1_district_cadre_cannot_run_the_provinces_campaign(sur: SurWorld) -> None:
    with pytest.raises(SurveyError):
        services.campaign_save(scope=scope(sur.world.district_a_cadre), actor=None,
                               unit=sur.world.province, name="X", year=2020)
    with pytest.raises(SurveyError):
        _theme(sur.world, sur.campaign, scope=scope(sur.world.district_a_cadre))
    assert Campaign.objects.count() == 1


def test_sur1_pages_create_a_campaign_and_a_theme_with_a_cluster(sur: SurWorld) -> None:
    w = sur.world
    cluster = Cluster.objects.create(owner=w.province, name="Cụm 1", kind=ClusterKind.values[0])
    cluster.members.set([w.commune_a1, w.commune_b1])
    client = login(w.province_secretary)

    page = client.post(reverse("surveys:campaign_create", args=[w.province.pk]),
                       {"name": "Khảo sát nhu cầu đoàn viên", "year": "2021"})
    campaign = Campaign.objects.get(name="Khảo sát nhu cầu đoàn viên")
    assert page.status_code == 302
    page = client.post(reverse("surveys:theme_create", args=[campaign.pk]), {
        "title": "Nhu cầu học tập", "lead_department": w.tckt.pk, "units": [w.district_a.pk],
        "cluster": cluster.pk, "opens_on": "01/03/2021", "closes_on": "31/03/2021",
        "due_on": "20/03/2021"})
    assert page.status_code == 302
    theme = Theme.objects.get(campaign=campaign)
    assert set(theme.units.all()) == {w.district_a, w.commune_a1, w.commune_b1}
    assert theme.due_on == dt.date(2021, 3, 20)
    detail = client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).content.decode()
    assert "Nhu cầu học tập" in detail
    assert "3 đơn vị" in detail


def test_sur1_theme_form_error_is_shown_beside_the_field(sur: SurWorld) -> None:
    client = login(sur.world.province_secretary)
    page = client.post(reverse("surveys:theme_create", args=[sur.campaign.pk]), {
        "title": "Nhu cầu", "lead_department": sur.world.tckt.pk,
        "units": [sur.world.district_a.pk], "opens_on": "01/03/2021",
        "closes_on": "31/03/2021", "due_on": "20/04/2021"})

    assert page.status_code == 200
    assert "Hạn trả lời: phải nằm trong thời gian nhận trả lời." in page.content.decode()
    assert Theme.objects.filter(campaign=sur.campaign).count() == 1


def test_sur1_theme_edit_after_sending_adds_units_and_their_obligations(sur: SurWorld) -> None:
    w = sur.world
    _theme(w, sur.campaign, theme=sur.theme, title=sur.theme.title,
           units=[w.district_a, w.district_b, w.commune_a1])

    assert sur.q.responses.count() == 3
    with pytest.raises(SurveyError) as exc:
        _theme(w, sur.campaign, theme=sur.theme, title=sur.theme.title, units=[w.district_a])
    assert exc.value.field == "units"
