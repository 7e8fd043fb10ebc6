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


def test_sur2_branch_secretary_enters_a_paper_answer_at_360px(
        page: Page, live_server: object, open_sur: SurWorld) -> None:
    """A named members' questionnaire: the branch secretary enters a member's paper answer at
    360 px (nothing sideways); the lead department then sees it counted, with the name."""
    from doanvu.surveys import services
    from doanvu.surveys.models import Audience, NamedAnswer
    from tests.members.conftest import make_member
    from tests.surveys.conftest import scope

    w, lead = open_sur.world, open_sur.lead
    q = services.questionnaire_create(scope=scope(lead), actor=lead, theme=open_sur.theme,
                                      title="Nguyện vọng của đoàn viên (ghi tên)",
                                      audience=Audience.MEMBERS, named=True)
    services.question_add(scope=scope(lead), actor=lead, questionnaire=q, kind="single",
                          text="Bạn muốn tập huấn kỹ năng gì?", required=True,
                          options=["Tin học", "Ngoại ngữ"])
    services.questionnaire_send(scope=scope(lead), actor=lead, questionnaire=q)
    member = make_member(w.branch_a1, "Phạm Thị Dung", cccd="072000000009")

    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base, "bithu_chidoan")
    page.goto(base + reverse("surveys:index"))
    page.get_by_test_id("sur-entry-surveys").get_by_role("link").first.click()
    page.get_by_test_id("sur-paper-branches").get_by_role("link",
                                                          name="Chi đoàn ấp Bình Phong").click()
    page.get_by_label("Đoàn viên").select_option(str(member.person_id))
    page.get_by_test_id("sur-q-1").get_by_label("Ngoại ngữ").check()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.get_by_test_id("sur-paper-save").click()
    expect(page.get_by_test_id("sur-paper-done")).to_contain_text("Phạm Thị Dung")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360

    answer = NamedAnswer.objects.get(questionnaire=q)
    assert (answer.person_id, answer.on_paper, answer.entered_by.username) == (
        member.person_id, True, "bithu_chidoan")
    detail = login(lead).get(reverse("surveys:questionnaire_detail", args=[q.pk]))
    assert "Phạm Thị Dung" in detail.content.decode()
