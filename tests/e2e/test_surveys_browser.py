"""Surveys in a real browser at 360 px (issue 15, SUR-2): a district answers a questionnaire
whose second question shows only when the first is "Có", submits it, and the province sees the
answer in the tabulation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from doanvu.surveys.models import Response, ResponseState
from tests.conftest import World, login
from tests.surveys.conftest import SurWorld
from tests.surveys.conftest import sur as sur  # the fixture, here too

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def open_sur(transactional_db: None, world: World, sur: SurWorld) -> SurWorld:  # noqa: F811
    today = dt.date.today()
    sur.theme.opens_on, sur.theme.due_on, sur.theme.closes_on = today, today, today
    sur.theme.save()
    return sur


def test_sur2_answer_at_360px_with_a_condition_then_tabulated(
        page: Page, live_server: object, open_sur: SurWorld) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base, "canbo_chauthanh")
    response = open_sur.responses["a"]
    page.goto(base + reverse("surveys:response_detail", args=[response.pk]))

    second = page.get_by_test_id("sur-q-2")
    expect(second).to_be_hidden()
    page.get_by_test_id("sur-q-1").get_by_label("Có").check()
    expect(second).to_be_visible()
    second.locator("input").fill("12")
    page.get_by_test_id("sur-q-3").get_by_label("4").check()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360
    page.get_by_test_id("sur-submit").click()
    expect(page.get_by_test_id("sur-response-state")).to_contain_text("Đã nộp")

    saved = Response.objects.get(pk=response.pk)
    assert saved.state == ResponseState.SUBMITTED
    assert (saved.answers["c1"], saved.answers["c2"], saved.answers["c3"]) == ("Có", "12", "4")
    tab = login(open_sur.world.province_secretary).get(
        reverse("surveys:tabulation", args=[open_sur.q.pk])).content.decode()
    assert "1 phiếu đã nộp" in tab and "Trung bình 12,00" in tab
