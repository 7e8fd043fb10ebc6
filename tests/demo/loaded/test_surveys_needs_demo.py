"""Issue 15 (SUR-2), seed 003: Huyện đoàn Dương Minh Châu's anonymous members' needs survey —
a few hundred answers, deterministic, tabulated with the per-unit roll-up and cross-tabulation,
and no path from an answer to a person."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doanvu.accounts.models import User
from doanvu.surveys import selectors
from doanvu.surveys.demo import NEEDS, NEEDS_ANSWERS, NEEDS_NAME
from doanvu.surveys.models import AnonymousAnswer, Questionnaire
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _needs() -> Questionnaire:
    return Questionnaire.objects.get(theme__campaign__name=NEEDS_NAME)


def test_sur2_demo_needs_survey_of_the_district_is_anonymous_with_hundreds_of_answers(
        demo: str) -> None:
    q = _needs()

    assert q.anonymous and q.state == "sent"
    assert q.theme.campaign.unit.name == "Tỉnh đoàn Tây Ninh"
    assert [u.name for u in q.theme.units.all()] == ["Huyện đoàn Dương Minh Châu"]
    assert AnonymousAnswer.objects.filter(questionnaire=q).count() == NEEDS_ANSWERS
    fields = {f.name for f in AnonymousAnswer._meta.get_fields()}
    assert fields == {"id", "questionnaire", "version", "unit", "answers"}


def test_sur2_demo_needs_survey_tabulates_with_roll_up_and_cross_tabulation(demo: str) -> None:
    tab = selectors.tabulation(questionnaire=_needs())
    needs = tab.tables[0]

    assert tab.answered == NEEDS_ANSWERS
    assert [o.option for o in needs.options] == NEEDS
    assert needs.answered == NEEDS_ANSWERS
    assert sum(o.tenths for o in needs.options) == 1000
    assert max(needs.options, key=lambda o: o.count).option == NEEDS[0]  # weighted most
    assert sum(n for _, n in tab.by_child) == NEEDS_ANSWERS
    assert tab.by_child == [("Huyện đoàn Dương Minh Châu", NEEDS_ANSWERS)]  # the one district
    assert sum(r.answered for r in tab.by_level["c1"]) == NEEDS_ANSWERS


def test_sur2_demo_needs_survey_page_shows_no_unit_beside_free_text(demo: str) -> None:
    q = _needs()
    secretary = User.objects.filter(
        grants__unit__name="Tỉnh đoàn Tây Ninh", grants__end_date__isnull=True,
        grants__role_type__code="bi_thu").first()
    assert secretary is not None
    page = login(secretary).get(reverse("surveys:tabulation", args=[q.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert f"{NEEDS_ANSWERS} phiếu đã nộp" in text
    assert "Mong" in text and "— Đoàn" not in text
