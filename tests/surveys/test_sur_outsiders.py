"""X-3 for every survey page and export: a cadre of a unit that is neither the campaign's nor
surveyed gets 404 everywhere and changes nothing; a surveyed unit sees only its own answer."""

from __future__ import annotations

from django.urls import reverse

from doanvu.documents.models import Document
from doanvu.surveys.models import Campaign, Response, ResponseState, Theme
from tests.conftest import login, make_user
from tests.surveys.conftest import SurWorld


def _pages(sur: SurWorld) -> list[tuple[str, int]]:
    return [("campaign_detail", sur.campaign.pk), ("campaign_edit", sur.campaign.pk),
            ("theme_create", sur.campaign.pk), ("theme_detail", sur.theme.pk),
            ("theme_edit", sur.theme.pk), ("questionnaire_create", sur.theme.pk),
            ("questionnaire_detail", sur.q.pk), ("question_add", sur.q.pk),
            ("questionnaire_preview", sur.q.pk), ("tabulation", sur.q.pk),
            ("tabulation_export", sur.q.pk), ("member_answer", sur.q.pk),
            ("response_detail", sur.responses["a"].pk)]


def test_sur_outsider_gets_404_everywhere_and_changes_nothing(sur: SurWorld) -> None:
    client = login(make_user("nguoi_ngoai_ks"))
    for name, pk in _pages(sur):
        assert client.get(reverse(f"surveys:{name}", args=[pk])).status_code == 404, name
    for name, pk in [*_pages(sur), ("question_remove", sur.q.pk),
                     ("questionnaire_send", sur.q.pk),
                     ("response_reopen", sur.responses["a"].pk),
                     ("theme_report", sur.theme.pk), ("campaign_report", sur.campaign.pk)]:
        if name == "tabulation_export" or name.endswith("_detail") and name != "response_detail":
            continue
        got = client.post(reverse(f"surveys:{name}", args=[pk]),
                          {"title": "x", "name": "x", "year": "2020", "code": "c1",
                           "reason": "x", "c1": "Có", "nop": "1"})
        assert got.status_code in (404, 405), name
    assert Campaign.objects.count() == 1 and Theme.objects.count() == 1
    assert not Document.objects.exists()
    assert not Response.objects.exclude(answers={}).exists()
    assert client.get(reverse("surveys:campaign_create",
                              args=[sur.world.province.pk])).status_code == 404


def test_sur_surveyed_unit_sees_its_answer_not_the_campaign_nor_its_neighbour(
        sur: SurWorld) -> None:
    client = login(sur.world.district_a_cadre)
    assert client.get(reverse("surveys:response_detail",
                              args=[sur.responses["a"].pk])).status_code == 200
    assert client.get(reverse("surveys:response_detail",
                              args=[sur.responses["b"].pk])).status_code == 404
    assert client.get(reverse("surveys:tabulation", args=[sur.q.pk])).status_code == 404
    assert client.get(reverse("surveys:campaign_detail",
                              args=[sur.campaign.pk])).status_code == 404
    got = client.post(reverse("surveys:response_detail", args=[sur.responses["b"].pk]),
                      {"c1": "Có", "nop": "1"})
    assert got.status_code == 404
    assert Response.objects.get(pk=sur.responses["b"].pk).state == ResponseState.DRAFT


def test_sur_reader_of_the_campaign_reads_but_does_not_lead(sur: SurWorld) -> None:
    # the district cadre of A is no lead; the province secretary reads and leads (unit-wide)
    client = login(sur.world.district_a_cadre)
    got = client.post(reverse("surveys:response_reopen", args=[sur.responses["a"].pk]),
                      {"reason": "x"})
    assert got.status_code == 404
    owner = login(sur.world.province_secretary)
    for name, pk in _pages(sur):
        if name == "member_answer":
            continue
        assert owner.get(reverse(f"surveys:{name}", args=[pk])).status_code == 200, name
    index = owner.get(reverse("surveys:index")).content.decode()
    assert "Khảo sát giữa nhiệm kỳ 2020" in index
