"""Named (non-anonymous) member surveys (SUR-2): one answer per person, the member's own or
entered from paper by their branch's secretary; names shown only to readers of the person;
audited; response rates per surveyed unit; and anonymous paper answers counted per branch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from doanvu.accounts.models import User
from doanvu.audit.models import AuditRecord
from doanvu.members.models import Membership
from doanvu.surveys import selectors, services, tabulate
from doanvu.surveys.models import (
    AnonymousAnswer,
    Audience,
    NamedAnswer,
    PaperTally,
    Questionnaire,
)
from doanvu.surveys.rules import SurveyError
from tests.conftest import grant, login, make_user
from tests.members.conftest import make_member
from tests.surveys.conftest import SurWorld, scope


@dataclass
class Named:
    q: Questionnaire
    member: Membership  # branch A1, has a login (`member_user`)
    member_user: User
    paper: Membership  # branch A1, no login
    other: Membership  # branch B1 (district B), no login
    b_secretary: User  # secretary of branch B1


def _members_q(sur: SurWorld, *, named: bool) -> Questionnaire:
    lead = sur.lead
    q = services.questionnaire_create(scope=scope(lead), actor=lead, theme=sur.theme,
                                      title="Nhu cầu, nguyện vọng của đoàn viên",
                                      audience=Audience.MEMBERS, named=named)
    services.question_add(scope=scope(lead), actor=lead, questionnaire=q, kind="single",
                          text="Bạn muốn được tập huấn kỹ năng gì?", required=True,
                          options=["Tin học", "Ngoại ngữ"])
    services.question_add(scope=scope(lead), actor=lead, questionnaire=q, kind="scale",
                          text="Mức độ hài lòng", minimum="1", maximum="5")
    services.question_add(scope=scope(lead), actor=lead, questionnaire=q, kind="long",
                          text="Nguyện vọng khác")
    services.questionnaire_send(scope=scope(lead), actor=lead, questionnaire=q)
    return q


@pytest.fixture
def named(sur: SurWorld) -> Named:
    w = sur.world
    today = dt.date.today()
    sur.theme.opens_on, sur.theme.due_on, sur.theme.closes_on = today, today, today
    sur.theme.save()
    q = _members_q(sur, named=True)
    member = make_member(w.branch_a1, "Nguyễn Văn An", cccd="072000000001")
    member_user = make_user("doanvien_an")
    member.person.user = member_user
    member.person.save()
    paper = make_member(w.branch_a1, "Trần Thị Bình", cccd="072000000002")
    other = make_member(w.branch_b1, "Lê Văn Cường", cccd="072000000003")
    b_secretary = make_user("bithu_tandong")
    grant(b_secretary, "bi_thu_chi_doan", w.branch_b1)
    return Named(q, member, member_user, paper, other, b_secretary)


def test_sur2_named_one_answer_per_person_second_refused(sur: SurWorld, named: Named) -> None:
    user = named.member_user
    services.named_answer(scope=scope(user), actor=user, questionnaire=named.q,
                          answers={"c1": "Tin học", "c2": "4"})
    with pytest.raises(SurveyError) as exc:
        services.named_answer(scope=scope(user), actor=user, questionnaire=named.q,
                              answers={"c1": "Ngoại ngữ"})
    assert exc.value.message == "Bạn đã trả lời phiếu này; mỗi người chỉ trả lời một lần."
    # the branch secretary cannot enter a paper answer for the same person either
    sec = sur.world.branch_secretary
    with pytest.raises(SurveyError) as exc:
        services.named_answer(scope=scope(sec), actor=sec, questionnaire=named.q,
                              answers={"c1": "Ngoại ngữ"}, person=named.member.person)
    assert exc.value.message == ("Nguyễn Văn An đã có phiếu trả lời; mỗi người chỉ trả lời "
                                 "một lần.")
    answers = list(NamedAnswer.objects.filter(questionnaire=named.q))
    assert [(a.person_id, a.answers["c1"], a.on_paper) for a in answers] == [
        (named.member.person_id, "Tin học", False)]
    assert answers[0].unit == sur.world.district_a  # the surveyed unit
    assert answers[0].branch == sur.world.branch_a1  # the member's branch
    assert answers[0].entered_by == user
    # the database holds the rule too
    with pytest.raises(IntegrityError), transaction.atomic():
        NamedAnswer.objects.create(questionnaire=named.q, version=answers[0].version,
                                   unit=sur.world.district_a, person=named.member.person,
                                   branch=sur.world.branch_a1, answers={"c1": "Tin học"})


def test_sur2_named_paper_answer_by_the_branch_secretary(sur: SurWorld, named: Named) -> None:
    sec = sur.world.branch_secretary
    client = login(sec)
    index = client.get(reverse("surveys:index")).content.decode()
    assert reverse("surveys:paper_branches", args=[named.q.pk]) in index
    branches = client.get(reverse("surveys:paper_branches", args=[named.q.pk]))
    assert branches.status_code == 200
    url = reverse("surveys:paper_entry", args=[named.q.pk, sur.world.branch_a1.pk])
    assert url in branches.content.decode()
    page = client.get(url).content.decode()
    assert "Trần Thị Bình" in page and "Nguyễn Văn An" in page

    missing = client.post(url, {"person": str(named.paper.person_id)})  # c1 is required
    assert missing.status_code == 200
    assert "Câu 1 “Bạn muốn được tập huấn kỹ năng gì?”" in missing.content.decode()
    assert not NamedAnswer.objects.exists()

    done = client.post(url, {"person": str(named.paper.person_id), "c1": "Ngoại ngữ",
                             "c2": "5", "c3": "Có thêm sân chơi"})
    assert done.status_code == 302
    a = NamedAnswer.objects.get(questionnaire=named.q)
    assert (a.person_id, a.on_paper, a.entered_by, a.unit, a.branch) == (
        named.paper.person_id, True, sec, sur.world.district_a, sur.world.branch_a1)
    assert a.answers == {"c1": "Ngoại ngữ", "c2": "5", "c3": "Có thêm sân chơi"}
    after = client.get(url).content.decode()
    assert f'<option value="{named.paper.person_id}"' not in after  # no longer offered
    assert f'<option value="{named.member.person_id}"' in after
    # a second paper answer for the same person: refused, nothing written
    again = client.post(url, {"person": str(named.paper.person_id), "c1": "Tin học"})
    assert again.status_code == 200
    assert NamedAnswer.objects.count() == 1


def test_sur2_named_outsider_cannot_enter_nor_read_names(sur: SurWorld, named: Named) -> None:
    sec = sur.world.branch_secretary
    services.named_answer(scope=scope(sec), actor=sec, questionnaire=named.q,
                          answers={"c1": "Tin học"}, person=named.paper.person)
    b_sec = named.b_secretary
    # another branch's secretary: refused for a member not theirs, nothing written
    with pytest.raises(SurveyError) as exc:
        services.named_answer(scope=scope(b_sec), actor=b_sec, questionnaire=named.q,
                              answers={"c1": "Tin học"}, person=named.member.person)
    assert exc.value.message == "Bạn không có quyền nhập phiếu cho đoàn viên này."
    assert NamedAnswer.objects.count() == 1
    client = login(b_sec)
    a1_url = reverse("surveys:paper_entry", args=[named.q.pk, sur.world.branch_a1.pk])
    assert client.get(a1_url).status_code == 404
    assert client.post(a1_url, {"person": str(named.member.person_id),
                                "c1": "Tin học"}).status_code == 404
    own = client.get(reverse("surveys:paper_entry", args=[named.q.pk, sur.world.branch_b1.pk]))
    assert own.status_code == 200
    body = own.content.decode()
    assert "Lê Văn Cường" in body
    assert "Trần Thị Bình" not in body and "Nguyễn Văn An" not in body
    assert client.get(reverse("surveys:questionnaire_detail",
                              args=[named.q.pk])).status_code == 404
    # names are shown only to readers of the person
    rows = selectors.named_rows(scope=scope(b_sec), questionnaire=named.q)
    assert [r.name for r in rows] == [""]
    lead_rows = selectors.named_rows(scope=scope(sur.lead), questionnaire=named.q)
    assert [r.name for r in lead_rows] == ["Trần Thị Bình"]
    lead_page = login(sur.lead).get(reverse("surveys:questionnaire_detail",
                                            args=[named.q.pk])).content.decode()
    assert "Trần Thị Bình" in lead_page
    # an outsider with no grant: no page at all
    out = login(sur.world.outsider)
    for url in (reverse("surveys:paper_branches", args=[named.q.pk]), a1_url,
                reverse("surveys:named_answer", args=[named.q.pk])):
        assert out.get(url).status_code == 404


def test_sur2_named_answer_is_in_the_audit_log(sur: SurWorld, named: Named) -> None:
    sec = sur.world.branch_secretary
    a = services.named_answer(scope=scope(sec), actor=sec, questionnaire=named.q,
                              answers={"c1": "Tin học"}, person=named.paper.person)
    record = AuditRecord.objects.get(model="surveys.namedanswer", object_pk=str(a.pk))
    assert record.action == "create"
    assert record.actor_id == sec.pk
    assert record.unit_id == sur.world.branch_a1.pk
    assert "Trần Thị Bình" in record.object_repr


def test_sur2_named_same_rules_as_unit_answers(sur: SurWorld, named: Named) -> None:
    user = named.member_user
    sc = scope(user)
    with pytest.raises(SurveyError) as exc:
        services.named_answer(scope=sc, actor=user, questionnaire=named.q,
                              answers={"c1": "Tin học", "c2": "9"})
    assert exc.value.field == "c2" and "Câu 2" in exc.value.message
    with pytest.raises(SurveyError) as exc:
        services.named_answer(scope=sc, actor=user, questionnaire=named.q,
                              answers={"c1": "Tin học"},
                              on=dt.date.today() + dt.timedelta(days=1))
    assert "hết hạn" in exc.value.message or "đã đóng" in exc.value.message or \
        "nhận trả lời" in exc.value.message
    # an anonymous answer to a named questionnaire is refused, and the reverse
    with pytest.raises(SurveyError):
        services.anonymous_answer(scope=sc, actor=user, questionnaire=named.q,
                                  answers={"c1": "Tin học"})
    anon = _members_q(sur, named=False)
    with pytest.raises(SurveyError) as exc:
        services.named_answer(scope=sc, actor=user, questionnaire=anon,
                              answers={"c1": "Tin học"})
    assert exc.value.message == "Phiếu này ẩn danh: không ghi tên người trả lời."
    # a user with no member record is not asked
    cadre = sur.world.district_a_cadre
    with pytest.raises(SurveyError) as exc:
        services.named_answer(scope=scope(cadre), actor=cadre, questionnaire=named.q,
                              answers={"c1": "Tin học"})
    assert "chưa gắn với hồ sơ đoàn viên" in exc.value.message
    assert not NamedAnswer.objects.exists()
    # a new version after an answer: the answer keeps the version it answered
    services.named_answer(scope=sc, actor=user, questionnaire=named.q,
                          answers={"c1": "Tin học"})
    v1 = NamedAnswer.objects.get().version
    services.question_add(scope=scope(sur.lead), actor=sur.lead, questionnaire=named.q,
                          kind="short", text="Sở thích")
    assert services.current_version(named.q).number == v1.number + 1
    assert NamedAnswer.objects.get().version == v1


def test_sur2_named_member_answers_on_the_page(sur: SurWorld, named: Named) -> None:
    client = login(named.member_user)
    index = client.get(reverse("surveys:index")).content.decode()
    url = reverse("surveys:named_answer", args=[named.q.pk])
    assert url in index
    assert client.post(url, {}).status_code == 200
    assert client.post(url, {"c1": "Tin học", "c3": "Cần sân chơi"}).status_code == 302
    assert "Bạn đã trả lời phiếu này" in client.get(url).content.decode()
    assert client.post(url, {"c1": "Ngoại ngữ"}).status_code == 200
    assert NamedAnswer.objects.get().answers["c1"] == "Tin học"
    # the anonymous page does not take a named questionnaire
    assert client.get(reverse("surveys:member_answer", args=[named.q.pk])).status_code == 404


def test_sur2_named_response_rate_per_surveyed_unit(sur: SurWorld, named: Named) -> None:
    sec = sur.world.branch_secretary
    services.named_answer(scope=scope(sec), actor=sec, questionnaire=named.q,
                          answers={"c1": "Tin học"}, person=named.paper.person)
    rates = selectors.member_rates(scope=scope(sur.lead), questionnaire=named.q)
    assert [(r.unit, r.members, r.answered, r.percent) for r in rates] == [
        (sur.world.district_a, 2, 1, "50,0"), (sur.world.district_b, 1, 0, "0,0")]
    page = login(sur.lead).get(reverse("surveys:questionnaire_detail", args=[named.q.pk]))
    assert 'data-testid="sur-member-rates"' in page.content.decode()


def test_sur2_named_tabulation_equals_the_pure_reference(sur: SurWorld, named: Named) -> None:
    sec, b_sec = sur.world.branch_secretary, named.b_secretary
    services.named_answer(scope=scope(sec), actor=sec, questionnaire=named.q,
                          answers={"c1": "Tin học", "c2": "4", "c3": "Sân chơi"},
                          person=named.paper.person)
    services.named_answer(scope=scope(b_sec), actor=b_sec, questionnaire=named.q,
                          answers={"c1": "Ngoại ngữ", "c2": "2"}, person=named.other.person)
    user = named.member_user
    services.named_answer(scope=scope(user), actor=user, questionnaire=named.q,
                          answers={"c1": "Tin học", "c2": "5"})

    tab = selectors.tabulation(questionnaire=named.q)
    rows = selectors._answers(named.q)
    reference = tabulate.tabulate(tab.questions, [(n, a) for n, _p, a in rows])
    assert [(t.answered, t.options, t.mean, t.minimum, t.maximum, t.distribution, t.texts)
            for t in tab.tables] == [
        (t.answered, t.options, t.mean, t.minimum, t.maximum, t.distribution, t.texts)
        for t in reference]
    assert tab.answered == 3
    assert [(o.option, o.count) for o in tab.tables[0].options] == [("Tin học", 2),
                                                                    ("Ngoại ngữ", 1)]
    assert tab.tables[2].texts == [("Huyện đoàn Châu Thành", "Sân chơi")]  # the surveyed unit
    assert dict(tab.by_child) == {"Huyện đoàn Châu Thành": 2, "Huyện đoàn Tân Biên": 1}


def test_sur2_anonymous_paper_answers_counted_per_branch(sur: SurWorld, named: Named) -> None:
    anon = _members_q(sur, named=False)
    sec = sur.world.branch_secretary
    client = login(sec)
    url = reverse("surveys:paper_entry", args=[anon.pk, sur.world.branch_a1.pk])
    page = client.get(url).content.decode()
    assert 'name="person"' not in page  # nobody is named
    assert client.post(url, {"c1": "Tin học"}).status_code == 302
    n = services.paper_anonymous_answer(scope=scope(sec), actor=sec, questionnaire=anon,
                                        branch=sur.world.branch_a1, answers={"c1": "Ngoại ngữ"})
    assert n == 2
    # the branch has 2 members: a third paper answer is refused, nothing written
    with pytest.raises(SurveyError) as exc:
        services.paper_anonymous_answer(scope=scope(sec), actor=sec, questionnaire=anon,
                                        branch=sur.world.branch_a1,
                                        answers={"c1": "Tin học"})
    assert exc.value.message == ("Chi đoàn ấp Bình Phong có 2 đoàn viên và đã nhập đủ 2 phiếu "
                                 "giấy.")
    assert AnonymousAnswer.objects.filter(questionnaire=anon).count() == 2
    assert PaperTally.objects.get(questionnaire=anon).count == 2
    assert set(AnonymousAnswer.objects.filter(questionnaire=anon)
               .values_list("unit_id", flat=True)) == {sur.world.district_a.pk}
    # another branch's secretary cannot enter the branch's answers
    b_sec = named.b_secretary
    with pytest.raises(SurveyError):
        services.paper_anonymous_answer(scope=scope(b_sec), actor=b_sec, questionnaire=anon,
                                        branch=sur.world.branch_a1, answers={"c1": "Tin học"})
    assert login(b_sec).get(url).status_code == 404
    assert AnonymousAnswer.objects.filter(questionnaire=anon).count() == 2
    # nothing audited names an anonymous answer
    assert not AuditRecord.objects.filter(model="surveys.anonymousanswer").exists()
