"""Anonymous member surveys: one answer per person, and no path from an answer to a person —
not in the answer's row, not in the "has answered" marker, not in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import models
from django.urls import reverse

from doanvu.audit.models import AuditRecord
from doanvu.surveys import services
from doanvu.surveys.models import AnonymousAnswer, Audience, Questionnaire, Respondent
from doanvu.surveys.rules import SurveyError
from tests.conftest import login
from tests.surveys.conftest import SurWorld, scope


@pytest.fixture
def member_q(sur: SurWorld) -> Questionnaire:
    w = sur.world
    sur.theme.units.set([w.district_a])
    today = dt.date.today()
    sur.theme.opens_on, sur.theme.due_on, sur.theme.closes_on = today, today, today
    sur.theme.save()
    q = services.questionnaire_create(scope=scope(sur.lead), actor=sur.lead, theme=sur.theme,
                                      title="Nhu cầu, nguyện vọng của đoàn viên",
                                      audience=Audience.MEMBERS)
    services.question_add(scope=scope(sur.lead), actor=sur.lead, questionnaire=q,
                          kind="single", text="Bạn muốn được tập huấn kỹ năng gì?",
                          required=True, options=["Tin học", "Ngoại ngữ"])
    services.questionnaire_send(scope=scope(sur.lead), actor=sur.lead, questionnaire=q)
    return q


def test_sur2_anonymous_answer_once_per_person(sur: SurWorld, member_q: Questionnaire) -> None:
    user = sur.world.branch_secretary
    services.anonymous_answer(scope=scope(user), actor=user, questionnaire=member_q,
                              answers={"c1": "Tin học"})
    with pytest.raises(SurveyError) as exc:
        services.anonymous_answer(scope=scope(user), actor=user, questionnaire=member_q,
                                  answers={"c1": "Ngoại ngữ"})

    assert exc.value.message == "Bạn đã trả lời phiếu này; mỗi người chỉ trả lời một lần."
    assert AnonymousAnswer.objects.filter(questionnaire=member_q).count() == 1
    assert Respondent.objects.filter(questionnaire=member_q).count() == 1


def test_sur2_anonymous_answer_has_no_path_to_the_person(sur: SurWorld,
                                                        member_q: Questionnaire) -> None:
    user = sur.world.branch_secretary
    services.anonymous_answer(scope=scope(user), actor=user, questionnaire=member_q,
                              answers={"c1": "Tin học"})
    answer = AnonymousAnswer.objects.get(questionnaire=member_q)

    # the answer's row: no relation but the questionnaire, its version and the surveyed unit
    related = {f.related_model._meta.label for f in AnonymousAnswer._meta.get_fields()
               if f.is_relation and f.related_model is not None}
    assert related == {"surveys.Questionnaire", "surveys.QuestionnaireVersion", "org.Unit"}
    assert answer.unit == sur.world.district_a  # the surveyed unit, not the person's branch
    assert not any(isinstance(f, models.DateTimeField | models.DateField)
                   for f in AnonymousAnswer._meta.get_fields())
    # the marker says who answered, and holds nothing of the answer
    marker_fields = {f.name for f in Respondent._meta.get_fields()}
    assert marker_fields == {"id", "questionnaire", "user"}
    # the audit log never names an anonymous answer
    assert not AuditRecord.objects.filter(model__icontains="anonymousanswer").exists()
    assert not AuditRecord.objects.filter(object_pk=str(answer.pk)).exists()


def test_sur2_anonymous_page_answers_and_tabulates_without_names(
        sur: SurWorld, member_q: Questionnaire) -> None:
    client = login(sur.world.branch_secretary)
    url = reverse("surveys:member_answer", args=[member_q.pk])
    assert client.post(url, {}).status_code == 200
    assert client.post(url, {"c1": "Tin học"}).status_code == 302
    again = client.get(url).content.decode()
    assert "Bạn đã trả lời phiếu này" in again

    page = login(sur.world.province_secretary).get(
        reverse("surveys:tabulation", args=[member_q.pk])).content.decode()
    assert "1 phiếu đã nộp" in page
    assert "bithu_chidoan" not in page
    # not asked: a cadre of district B
    assert login(sur.world.district_b_cadre).get(url).status_code == 404
