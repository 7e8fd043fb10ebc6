"""SUR-2: questionnaires are versioned, sent to units as hub obligations, answered once with a
draft saved as they go, validated with Vietnamese messages naming the question (nothing changed
on error), and reopened by the lead department with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from doanvu.hub.models import Obligation, ObligationStatus
from doanvu.hub.selectors import my_open_obligations
from doanvu.surveys import services
from doanvu.surveys.models import Response, ResponseState
from doanvu.surveys.rules import SurveyError
from tests.conftest import login
from tests.surveys.conftest import DUE, GOOD, SurWorld, scope

IN_WINDOW = dt.date(2020, 5, 2)


def _save(sur: SurWorld, answers: dict[str, object], *, submit: bool = False,
          on: dt.date = IN_WINDOW, key: str = "a") -> Response:
    user = sur.world.district_a_cadre if key == "a" else sur.world.district_b_cadre
    return services.response_save(scope=scope(user), actor=user, response=sur.responses[key],
                                  answers=answers, submit=submit, on=on,
                                  at=timezone.make_aware(dt.datetime.combine(on, dt.time(9))))


def test_sur2_sending_makes_one_obligation_per_unit_in_my_work(sur: SurWorld) -> None:
    obs = Obligation.objects.filter(kind=services.ANSWER_KIND).order_by("owed_by_unit__path")

    assert [(o.owed_by_unit, o.owed_to_unit, o.owed_to_department, o.due_on) for o in obs] == [
        (sur.world.district_a, sur.world.province, sur.world.tckt, DUE),
        (sur.world.district_b, sur.world.province, sur.world.tckt, DUE)]
    mine = my_open_obligations(scope=scope(sur.world.district_a_cadre), today=IN_WINDOW)
    assert [o.source for o in mine] == [sur.responses["a"]]


def test_sur2_draft_then_submit_once_marks_the_obligation(sur: SurWorld) -> None:
    _save(sur, {"c1": "Có"})
    r = Response.objects.get(pk=sur.responses["a"].pk)
    assert (r.state, r.answers) == (ResponseState.DRAFT, {"c1": "Có"})

    _save(sur, GOOD, submit=True)
    r.refresh_from_db()
    assert r.state == ResponseState.SUBMITTED
    assert r.answers["c5"] == {"0|0": "3", "0|1": "5", "1|1": "2"}
    assert r.obligation.status == ObligationStatus.SUBMITTED
    with pytest.raises(SurveyError) as exc:
        _save(sur, GOOD, submit=True)
    assert "chỉ nộp một lần" in exc.value.message


@pytest.mark.parametrize(("answers", "message"), [
    ({**GOOD, "c3": ""}, "Câu 3 “Mức độ hiệu quả”: bắt buộc trả lời."),
    ({**GOOD, "c2": "900"}, "Câu 2 “Số câu lạc bộ”: 900 nằm ngoài khoảng 1 – 500."),
    ({**GOOD, "c2": "mười"}, "Câu 2 “Số câu lạc bộ”: “mười” không phải là số."),
    ({**GOOD, "c1": "Không"},
     "Câu 2 “Số câu lạc bộ” không được hỏi với câu trả lời đã chọn ở câu 1: hãy để trống."),
    ({**GOOD, "c3": "7"}, "Câu 3 “Mức độ hiệu quả”: 7 nằm ngoài khoảng 1 – 5."),
    ({**GOOD, "c4": ["Xe"]}, "Câu 4 “Khó khăn”: “Xe” không phải một lựa chọn của câu hỏi."),
    ({**GOOD, "c5": {"0|0": "-1"}},
     "Câu 5 “Số sáng kiến”, dòng “Đoàn viên”, cột “2018”: “-1” không phải số không âm."),
])
def test_sur2_bad_answer_is_refused_naming_the_question_and_nothing_changes(
        sur: SurWorld, answers: dict[str, object], message: str) -> None:
    _save(sur, {"c1": "Có"})
    with pytest.raises(SurveyError) as exc:
        _save(sur, answers, submit=True)

    assert exc.value.message == message
    r = Response.objects.get(pk=sur.responses["a"].pk)
    assert (r.state, r.answers) == (ResponseState.DRAFT, {"c1": "Có"})
    assert r.obligation.status == ObligationStatus.OPEN


def test_sur2_hidden_question_unanswered_is_fine(sur: SurWorld) -> None:
    answers = {**GOOD, "c1": "Không"}
    del answers["c2"]
    r = _save(sur, answers, submit=True)
    assert r.state == ResponseState.SUBMITTED


def test_sur2_after_the_window_refused_but_late_inside_it_counts_late(sur: SurWorld) -> None:
    with pytest.raises(SurveyError) as exc:
        _save(sur, GOOD, submit=True, on=dt.date(2020, 6, 1))
    assert exc.value.message == "Đã hết thời gian nhận trả lời (đến hết ngày 31/05/2020)."
    assert Response.objects.get(pk=sur.responses["a"].pk).answers == {}

    _save(sur, GOOD, submit=True, on=dt.date(2020, 5, 20))
    from doanvu.surveys.selectors import collection, collection_counts

    rows = collection(questionnaire=sur.q, day=dt.date(2020, 6, 5))
    assert [(r.response.unit, r.status) for r in rows] == [
        (sur.world.district_a, "late"), (sur.world.district_b, "missing")]
    assert collection_counts(rows)["late"] == 1


def test_sur2_versioned_old_answers_keep_their_questions(sur: SurWorld) -> None:
    _save(sur, GOOD, submit=True)
    old_version = Response.objects.get(pk=sur.responses["a"].pk).version
    lead = sur.lead

    services.question_add(scope=scope(lead), actor=lead, questionnaire=sur.q, kind="short",
                          text="Người điền phiếu", required=True)
    services.question_remove(scope=scope(lead), actor=lead, questionnaire=sur.q, code="c6")

    old_version.refresh_from_db()
    assert [q["code"] for q in old_version.questions] == ["c1", "c2", "c3", "c4", "c5", "c6"]
    current = services.current_version(sur.q)
    assert current.number == 2
    assert [q["code"] for q in current.questions] == ["c1", "c2", "c3", "c4", "c5", "c7"]
    # district B had not answered: its draft moved to the new version and needs the new question
    b = Response.objects.get(pk=sur.responses["b"].pk)
    assert b.version == current
    with pytest.raises(SurveyError) as exc:
        _save(sur, GOOD, submit=True, key="b")
    assert exc.value.message == "Câu trả lời cho câu hỏi không có trong phiếu."
    without_c6 = {k: v for k, v in GOOD.items() if k != "c6"}
    with pytest.raises(SurveyError) as exc:
        _save(sur, without_c6, submit=True, key="b")
    assert exc.value.message == "Câu 6 “Người điền phiếu”: bắt buộc trả lời."


def test_sur2_removing_a_condition_target_is_refused(sur: SurWorld) -> None:
    with pytest.raises(SurveyError) as exc:
        services.question_remove(scope=scope(sur.lead), actor=sur.lead, questionnaire=sur.q,
                                 code="c1")
    assert "đang là điều kiện hiển thị" in exc.value.message


def test_sur2_condition_on_a_text_question_refused(sur: SurWorld) -> None:
    with pytest.raises(SurveyError) as exc:
        services.question_add(scope=scope(sur.lead), actor=sur.lead, questionnaire=sur.q,
                              kind="short", text="X", condition_code="c6",
                              condition_value="a")
    assert exc.value.field == "condition_code"


def test_sur2_lead_reopens_with_a_reason_and_the_unit_submits_again(sur: SurWorld) -> None:
    _save(sur, GOOD, submit=True)
    with pytest.raises(SurveyError):
        services.response_reopen(scope=scope(sur.world.district_a_cadre), actor=None,
                                 response=sur.responses["a"], reason="x")
    with pytest.raises(SurveyError) as exc:
        services.response_reopen(scope=scope(sur.lead), actor=sur.lead,
                                 response=sur.responses["a"], reason=" ")
    assert exc.value.field == "reason"

    services.response_reopen(scope=scope(sur.lead), actor=sur.lead,
                             response=sur.responses["a"], reason="Số liệu bảng chưa khớp")
    r = Response.objects.get(pk=sur.responses["a"].pk)
    assert (r.state, r.reopen_reason) == (ResponseState.DRAFT, "Số liệu bảng chưa khớp")
    assert r.obligation.status == ObligationStatus.RETURNED
    # a reopened answer is taken after the window
    _save(sur, {**GOOD, "c2": "13"}, submit=True, on=dt.date(2020, 6, 10))
    r.refresh_from_db()
    assert (r.state, r.answers["c2"]) == (ResponseState.SUBMITTED, "13")


def test_sur2_answer_page_draft_submit_and_errors_beside_the_question(sur: SurWorld) -> None:
    client = login(sur.world.district_a_cadre)
    url = reverse("surveys:response_detail", args=[sur.responses["a"].pk])
    page = client.get(url).content.decode()
    assert "Phần I. Tổ chức" in page
    assert 'data-cond-code="c1"' in page

    post = {"c1": "Có", "c2": "900", "c3": "4", "luu": "1"}
    page = client.post(url, post)
    assert page.status_code == 200
    assert "Câu 2 “Số câu lạc bộ”: 900 nằm ngoài khoảng 1 – 500." in page.content.decode()
    assert 'value="900"' in page.content.decode()  # what the user typed is kept
    assert Response.objects.get(pk=sur.responses["a"].pk).answers == {}


def test_sur2_answer_page_saves_files_and_submits(sur: SurWorld, settings: object,
                                                   tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    services.question_add(scope=scope(sur.lead), actor=sur.lead, questionnaire=sur.q,
                          kind="file", text="Báo cáo kèm theo")
    client = login(sur.world.district_a_cadre)
    url = reverse("surveys:response_detail", args=[sur.responses["a"].pk])
    today = dt.date.today()
    sur.theme.opens_on, sur.theme.due_on, sur.theme.closes_on = today, today, today
    sur.theme.save()

    page = client.post(url, {"c1": "Có", "c2": "3", "c3": "5", "c5__0__0": "2",
                             "c7": SimpleUploadedFile("bao-cao.pdf", b"noi dung"), "nop": "1"})
    assert page.status_code == 302
    r = Response.objects.get(pk=sur.responses["a"].pk)
    assert r.state == ResponseState.SUBMITTED
    assert r.answers == {"c1": "Có", "c2": "3", "c3": "5", "c5": {"0|0": "2"}, "c7": True}
    f = r.files.get()
    got = client.get(reverse("surveys:response_file", args=[f.pk]))
    assert b"".join(got.streaming_content) == b"noi dung"  # type: ignore[attr-defined]
    shown = client.get(url).content.decode()
    assert "bao-cao.pdf" in shown and "Nộp phiếu" not in shown
    assert "Đoàn viên – 2018: 2" in shown and "0|0" not in shown


def test_sur2_preview_shows_the_questions_without_saving(sur: SurWorld) -> None:
    client = login(sur.lead)
    page = client.get(reverse("surveys:questionnaire_preview", args=[sur.q.pk]))
    body = page.content.decode()
    assert "Xem trước" in body and "Số sáng kiến" in body
    assert 'name="c5__1__1"' in body


def test_sur2_lead_page_adds_a_question_and_reopens(sur: SurWorld) -> None:
    client = login(sur.lead)
    page = client.post(reverse("surveys:question_add", args=[sur.q.pk]), {
        "kind": "single", "text": "Có cần tập huấn?", "options": "Có\nKhông",
        "condition_code": "c1", "condition_value": "Có"})
    assert page.status_code == 302
    questions = services.current_version(sur.q).questions
    assert questions[-1]["condition"] == {"code": "c1", "value": "Có"}
    page = client.post(reverse("surveys:question_add", args=[sur.q.pk]), {
        "kind": "single", "text": "X", "options": "Có"})
    assert "cần ít nhất hai lựa chọn" in page.content.decode()

    _save(sur, GOOD, submit=True)
    client.post(reverse("surveys:response_reopen", args=[sur.responses["a"].pk]),
                {"reason": "Thiếu số liệu"})
    assert Response.objects.get(pk=sur.responses["a"].pk).state == ResponseState.DRAFT
