"""INS-7: after a session each team member owes the head a reflection, the supervising
department the unit's problems; after the round the inspection department its compilation.
All hub obligations with due dates from the inspection policy, created once."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from doanvu.accounts.scope import Scope
from doanvu.hub import selectors as hub_selectors
from doanvu.hub.models import Obligation
from doanvu.inspections import followup, services
from doanvu.inspections.models import Session, SessionStatus
from doanvu.inspections.services import InspectionError, InspectionScopeError
from doanvu.org.models import Cluster, ClusterKind, Department, DepartmentCategory, Position
from tests.conftest import grant, login, make_user
from tests.inspections.conftest import Ins
from tests.inspections.followup_fixtures import After, arrange

D = dt.date


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


@pytest.fixture
def after(ins: Ins) -> After:
    return arrange(ins)


def held(a: After, on: dt.date | None = None) -> followup.Followups:
    return followup.session_held(actor=a.ins.head_user, session=a.session, on=on)


def reflection(a: After, person_id: int) -> Obligation:
    return Obligation.objects.get(key=followup.reflection_key(a.session, person_id))


def test_ins7_marking_held_gives_each_member_a_reflection_due_from_the_policy(
        after: After) -> None:
    done = held(after)
    ob = reflection(after, after.ins.secretary.pk)
    assert ob.due_on == D(2020, 11, 13)  # 3 days after 10/11 (policy default, seed 001)
    assert ob.kind == followup.REFLECTION_KIND
    assert ob.owed_by_user == after.secretary_user
    assert ob.owed_by_unit == after.ins.world.province == ob.owed_to_unit
    assert "Trần Lê Duy" not in ob.title and "Bùi Thị Thanh Tuyền" in ob.title
    # the head writes none; a member with neither an account nor a department gets a note
    assert not Obligation.objects.filter(
        key=followup.reflection_key(after.session, after.ins.head.pk)).exists()
    assert not Obligation.objects.filter(
        key=followup.reflection_key(after.session, after.ins.shared.pk)).exists()
    assert any("Mai Văn Hiếu" in n for n in done.notes)
    assert Session.objects.get(pk=after.session.pk).held_on == D(2020, 11, 10)


def test_ins7_a_member_without_account_owes_through_their_department(after: After) -> None:
    Position.objects.create(person=after.ins.shared, unit=after.ins.world.province,
                            department=after.office, title="Chuyên viên",
                            start_date=D(2019, 1, 1))
    held(after)
    ob = reflection(after, after.ins.shared.pk)
    assert ob.owed_by_user is None and ob.owed_by_department == after.office


def test_ins7_the_supervising_department_compiles_the_units_problems(after: After) -> None:
    held(after, D(2020, 11, 11))
    ob = Obligation.objects.get(key=followup.unit_compilation_key(after.session))
    assert ob.owed_by_department == after.bpt
    assert ob.owed_to_department == after.ins.world.tckt  # through the inspection department
    assert ob.due_on == D(2020, 11, 14)  # 3 days after the day it was held
    assert ob.kind == followup.UNIT_COMPILATION_KIND


def test_ins7_due_dates_follow_the_policy_record(after: After) -> None:
    after.ins.policy.reflection_days = 2
    after.ins.policy.unit_compilation_days = 7
    after.ins.policy.save()
    held(after)
    assert reflection(after, after.ins.secretary.pk).due_on == D(2020, 11, 12)
    assert Obligation.objects.get(
        key=followup.unit_compilation_key(after.session)).due_on == D(2020, 11, 17)


def test_ins7_without_supervision_the_clusters_standing_department_compiles(ins: Ins) -> None:
    a = arrange(ins, supervise=False)
    btg = Department.objects.create(unit=ins.world.province, name="Ban Tuyên giáo",
                                    category=DepartmentCategory.DEPARTMENT)
    cluster = Cluster.objects.create(owner=ins.world.province, name="Cụm phía Nam",
                                     kind=ClusterKind.ACTIVITY, standing_department=btg)
    cluster.members.add(ins.world.district_a)
    held(a)
    assert Obligation.objects.get(
        key=followup.unit_compilation_key(a.session)).owed_by_department == btg


def test_ins7_no_supervising_department_is_said_and_reflections_still_given(ins: Ins) -> None:
    a = arrange(ins, supervise=False)
    done = held(a)
    assert any("Chưa có ban phụ trách Huyện đoàn Châu Thành" in n for n in done.notes)
    assert not Obligation.objects.filter(key=followup.unit_compilation_key(a.session)).exists()
    assert reflection(a, ins.secretary.pk).due_on == D(2020, 11, 13)


def test_ins7_the_inspection_department_supervising_reports_to_the_standing(after: After) -> None:
    after.ins.policy.inspection_department = after.bpt
    after.ins.policy.save()
    held(after)
    ob = Obligation.objects.get(key=followup.unit_compilation_key(after.session))
    assert ob.owed_by_department == after.bpt and ob.owed_to_department is None


def test_ins7_marking_twice_is_refused_and_followups_are_idempotent(after: After) -> None:
    held(after)
    count = Obligation.objects.count()
    with pytest.raises(InspectionError, match="đã được ghi nhận diễn ra ngày 10/11/2020"):
        held(after)
    session = Session.objects.get(pk=after.session.pk)
    assert followup.session_followups(session).created == []
    assert followup.rounds_ended(on=D(2020, 11, 15)).created == []
    assert Obligation.objects.count() == count


def test_ins7_a_member_given_an_account_later_gets_the_reflection_from_the_daily_job(
        after: After) -> None:
    held(after)
    after.ins.shared.user = make_user("thanhvien_hieu")
    after.ins.shared.save(update_fields=["user"])
    done = followup.rounds_ended(on=D(2020, 11, 12))
    assert [o.key for o in done.created] == [
        followup.reflection_key(after.session, after.ins.shared.pk)]
    assert followup.rounds_ended(on=D(2020, 11, 12)).created == []


@pytest.mark.parametrize(("on", "message"), [
    (D(2020, 11, 9), "trước ngày theo lịch"),
    (D(2099, 1, 1), "Chưa đến ngày 01/01/2099"),
])
def test_ins7_a_wrong_day_is_refused_and_nothing_written(after: After, on: dt.date,
                                                         message: str) -> None:
    before = Obligation.objects.count()
    with pytest.raises(InspectionError, match=message):
        held(after, on)
    assert Session.objects.get(pk=after.session.pk).held_on is None
    assert Obligation.objects.count() == before


def test_ins7_a_session_not_inspected_is_not_marked_held(after: After) -> None:
    Session.objects.filter(pk=after.session.pk).update(status=SessionStatus.NOT_INSPECTED)
    after.session.refresh_from_db()
    with pytest.raises(InspectionError, match="không được kiểm tra năm nay"):
        held(after)


def test_ins7_only_the_team_or_the_issuing_unit_marks_it_held(after: After) -> None:
    w = after.ins.world
    for actor in (w.outsider, w.district_a_cadre):
        with pytest.raises(InspectionScopeError):
            followup.session_held(actor=actor, session=after.session)
    # the secretary may; the issuing unit's writers too
    followup.session_held(actor=after.secretary_user, session=after.session)
    assert Session.objects.get(pk=after.session.pk).held_on == D(2020, 11, 10)


def test_ins7_the_round_compilation_is_given_after_the_round_ends(after: After) -> None:
    round_ = after.ins.round
    assert followup.rounds_ended(on=D(2020, 11, 20)).created == []  # the last day: not yet
    done = followup.rounds_ended(on=D(2020, 11, 21))
    ob = Obligation.objects.get(key=followup.round_compilation_key(round_))
    assert ob in done.created
    assert ob.owed_by_department == after.ins.world.tckt and ob.owed_to_department is None
    assert ob.due_on == D(2020, 11, 25)  # 5 days after 20/11
    assert ob.kind == followup.ROUND_COMPILATION_KIND
    assert followup.rounds_ended(on=D(2020, 11, 22)).created == []


def test_ins7_a_later_cluster_meeting_ends_the_round_and_the_policy_sets_the_days(
        after: After) -> None:
    round_ = after.ins.round
    round_.cluster_meeting_on = D(2020, 11, 24)
    round_.save(update_fields=["cluster_meeting_on"])
    after.ins.policy.round_compilation_days = 10
    after.ins.policy.save()
    assert followup.rounds_ended(on=D(2020, 11, 23)).created == []
    followup.rounds_ended(on=D(2020, 11, 25))
    assert Obligation.objects.get(
        key=followup.round_compilation_key(round_)).due_on == D(2020, 12, 4)


def test_ins7_without_an_inspection_department_the_round_is_said_not_given(ins: Ins) -> None:
    done = followup.rounds_ended(on=D(2020, 12, 1))
    assert any("chưa có ban kiểm tra" in n for n in done.notes)
    assert not Obligation.objects.filter(kind=followup.ROUND_COMPILATION_KIND).exists()
    # the issuer's Ban Kiểm tra by its category, when the policy names none
    bkt = Department.objects.create(unit=ins.world.province, name="Ủy ban Kiểm tra",
                                    category=DepartmentCategory.INSPECTION)
    followup.rounds_ended(on=D(2020, 12, 1))
    assert Obligation.objects.get(kind=followup.ROUND_COMPILATION_KIND).owed_by_department == bkt


def test_ins7_the_command_runs_daily_and_twice_gives_nothing_more(after: After) -> None:
    out = StringIO()
    call_command("create_inspection_followups", "--ngay", "21/11/2020", stdout=out)
    assert "đã giao 1 việc sau kiểm tra" in out.getvalue()
    out = StringIO()
    call_command("create_inspection_followups", "--ngay", "21/11/2020", stdout=out)
    assert "đã giao 0 việc sau kiểm tra" in out.getvalue()


def test_ins7_reflections_and_compilations_are_in_my_work(after: After) -> None:
    held(after)
    mine = hub_selectors.my_open_obligations(scope=Scope.for_user(after.secretary_user),
                                             today=D(2020, 11, 11))
    assert [o.kind for o in mine] == [followup.REFLECTION_KIND]
    bpt_user = make_user("canbo_bpt")
    grant(bpt_user, "can_bo_ban", after.ins.world.province, department=after.bpt)
    theirs = hub_selectors.my_open_obligations(scope=Scope.for_user(bpt_user),
                                               today=D(2020, 11, 11))
    assert [o.kind for o in theirs] == [followup.UNIT_COMPILATION_KIND]


# -- the reflections page ---------------------------------------------------------------------


def test_ins7_a_member_writes_a_reflection_on_the_page_and_the_head_sees_it(
        after: After, media: Path) -> None:
    held(after)
    url = reverse("inspections:session_reflections", args=[after.session.pk])
    member = login(after.secretary_user)
    page = member.get(url)
    assert page.status_code == 200 and 'data-testid="reflection-form"' in page.content.decode()
    upload = SimpleUploadedFile("bai-thu-hoach.pdf", b"%PDF-1.4 " + b"x" * 200,
                                "application/pdf")
    answer = member.post(url, {"text": "Đơn vị làm tốt công tác tuyên truyền.",
                               "attachments": upload})
    assert answer.status_code == 302
    ob = reflection(after, after.ins.secretary.pk)
    assert ob.submission_text == "Đơn vị làm tốt công tác tuyên truyền."
    head_page = login(after.ins.head_user).get(url).content.decode()
    assert "Đơn vị làm tốt công tác tuyên truyền." in head_page
    assert "Bùi Thị Thanh Tuyền" in head_page and "Mai Văn Hiếu" in head_page
    f = ob.files.get()
    file_url = reverse("inspections:reflection_file", args=[after.session.pk, ob.pk, f.pk])
    assert login(after.ins.head_user).get(file_url).status_code == 200
    assert login(after.secretary_user).get(file_url).status_code == 200


def test_ins7_a_late_reflection_is_taken_and_shown_late(after: After) -> None:
    held(after)
    ob = reflection(after, after.ins.secretary.pk)
    followup.reflection_submit(actor=after.secretary_user, session=after.session, obligation=ob,
                               text="Bài thu hoạch", at=followup.submitted_at(D(2020, 11, 15)))
    ob.refresh_from_db()
    assert ob.is_late(D(2020, 11, 20)) and ob.days_late(D(2020, 11, 20)) == 2
    page = login(after.ins.head_user).get(
        reverse("inspections:session_reflections", args=[after.session.pk])).content.decode()
    assert "muộn 2 ngày" in page


def test_ins7_a_reflection_of_another_session_is_refused(after: After) -> None:
    held(after)
    other = services.session_create(actor=None, team=after.ins.team2,
                                    unit=after.ins.world.district_b, on=D(2020, 11, 12),
                                    half="sang").session
    with pytest.raises(InspectionError, match="không thuộc buổi kiểm tra"):
        followup.reflection_submit(actor=after.secretary_user, session=other,
                                   obligation=reflection(after, after.ins.secretary.pk),
                                   text="x")


def test_ins7_an_empty_reflection_is_refused_beside_the_field(after: After) -> None:
    held(after)
    url = reverse("inspections:session_reflections", args=[after.session.pk])
    answer = login(after.secretary_user).post(url, {"text": ""})
    assert answer.status_code == 400
    assert "Hãy ghi nội dung hoặc đính kèm ít nhất một tệp." in answer.content.decode()
    assert reflection(after, after.ins.secretary.pk).submitted_at is None


def test_ins7_a_member_sees_only_their_own_reflection(after: After) -> None:
    other_user = make_user("thanhvien_hieu")
    after.ins.shared.user = other_user
    after.ins.shared.save(update_fields=["user"])
    held(after)
    followup.reflection_submit(actor=after.secretary_user, session=after.session,
                               obligation=reflection(after, after.ins.secretary.pk),
                               text="Bài riêng của thư ký")
    page = login(other_user).get(
        reverse("inspections:session_reflections", args=[after.session.pk])).content.decode()
    assert "Bài riêng của thư ký" not in page and "Bùi Thị Thanh Tuyền" not in page
    ob = reflection(after, after.ins.secretary.pk)
    f_url = reverse("inspections:reflection_file", args=[after.session.pk, ob.pk, 1])
    assert login(other_user).get(f_url).status_code == 404


def test_ins7_mark_held_from_the_page(after: After) -> None:
    url = reverse("inspections:session_held", args=[after.session.pk])
    answer = login(after.ins.head_user).post(url, {"held_on": "10/11/2020"})
    assert answer.status_code == 302
    assert Session.objects.get(pk=after.session.pk).held_on == D(2020, 11, 10)
    bad = login(after.ins.head_user).post(url, {"held_on": "31/02/2020"})
    assert bad.status_code == 302 and Obligation.objects.filter(
        kind=followup.REFLECTION_KIND).count() == 1


def test_ins7_the_round_followup_page_shows_timeliness(after: After) -> None:
    held(after)
    followup.rounds_ended(on=D(2020, 11, 21))
    page = login(after.ins.world.province_secretary).get(
        reverse("inspections:round_followup", args=[after.ins.round.pk])).content.decode()
    assert "Ban Phong trào" in page and "Ban Tổ chức – Kiểm tra" in page
    assert "0/1 đã nộp" in page and "1 muộn" in page


# -- outsiders --------------------------------------------------------------------------------


def test_ins7_outsiders_and_the_inspected_unit_get_404(after: After, media: Path) -> None:
    held(after)
    ob = reflection(after, after.ins.secretary.pk)
    followup.reflection_submit(actor=after.secretary_user, session=after.session, obligation=ob,
                               files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 xxxx",
                                                         "application/pdf")])
    f = ob.files.get()
    s = after.session
    w = after.ins.world
    urls = [reverse("inspections:session_reflections", args=[s.pk]),
            reverse("inspections:reflection_file", args=[s.pk, ob.pk, f.pk])]
    for user in (w.outsider, w.district_a_cadre, w.district_b_cadre):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(urls[0], {"text": "x"}).status_code == 404
        assert client.post(reverse("inspections:session_held", args=[s.pk])).status_code == 404
    for name in ("round_followup", "round_recommendations"):
        assert login(w.outsider).get(
            reverse(f"inspections:{name}", args=[after.ins.round.pk])).status_code == 404


def test_ins7_the_policy_takes_its_followup_days_and_refuses_unknown_or_absurd(ins: Ins) -> None:
    kw = dict(actor=None, issuing_unit=ins.world.district_a, valid_from=D(2021, 1, 1),
              morning_start=dt.time(8), afternoon_start=dt.time(14), party_rep_count=1,
              excellent_count=0, excellent_levels=[], good_count=0, good_levels=[])
    with pytest.raises(InspectionError, match="không có mục “lunch_days”"):
        services.policy_issue(**kw, followup_days={"lunch_days": 2})  # type: ignore[arg-type]
    with pytest.raises(InspectionError, match="từ 0 đến 366"):
        services.policy_issue(**kw, followup_days={"reflection_days": 400})  # type: ignore[arg-type]
    policy = services.policy_issue(**kw, followup_days={"round_compilation_days": 7})  # type: ignore[arg-type]
    assert (policy.round_compilation_days, policy.reflection_days) == (7, 3)


def test_ins7_the_followup_pages_do_not_query_per_session(after: After) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    held(after)
    followup.recommendation_record(actor=None, round_=after.ins.round, content="Kiến nghị",
                                   department=after.bpt, raised_on=D(2020, 11, 15))
    client = login(after.ins.world.province_secretary)
    urls = [reverse("inspections:round_followup", args=[after.ins.round.pk]),
            reverse("inspections:round_recommendations", args=[after.ins.round.pk]),
            reverse("inspections:session_reflections", args=[after.session.pk])]

    def counts() -> list[int]:
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    before = counts()
    more = services.session_create(actor=None, team=after.ins.team2,
                                   unit=after.ins.world.district_b, on=D(2020, 11, 12),
                                   half="sang").session
    followup.session_held(actor=None, session=more)
    followup.recommendation_record(actor=None, round_=after.ins.round, content="Kiến nghị 2",
                                   department=after.office, raised_on=D(2020, 11, 15))
    assert counts() == before


def test_ins7_a_lower_round_under_an_inherited_policy_does_not_stop_the_daily_job(
        after: After) -> None:
    from doanvu.inspections.models import InspectionPlan

    w = after.ins.world
    lower = services.plan_create(actor=None, issuing_unit=w.district_b, year=2020,
                                 title="Kế hoạch kiểm tra của Tân Biên")
    services.round_create(actor=None, plan=lower, number=1, title="Đợt của Tân Biên",
                          window_start=D(2020, 11, 1), window_end=D(2020, 11, 5),
                          units=[w.commune_b1])
    upper = services.plan_create(actor=None, issuing_unit=w.centre, year=2020,
                                 title="Kế hoạch kiểm tra của Trung ương")
    services.round_create(actor=None, plan=upper, number=1, title="Đợt của Trung ương",
                          window_start=D(2020, 11, 1), window_end=D(2020, 11, 5),
                          units=[w.province])
    done = followup.rounds_ended(on=D(2020, 11, 21))
    assert [o.kind for o in done.created] == [followup.ROUND_COMPILATION_KIND]
    # the province's policy names its own department: Tân Biên has no Ban Kiểm tra of its own
    assert any("Huyện đoàn Tân Biên chưa có ban kiểm tra" in n for n in done.notes)
    # the centre has no policy at all: said, and the other rounds still done
    assert any(n.startswith("Đợt của Trung ương: Chưa có quy định kiểm tra") for n in done.notes)
    assert InspectionPlan.objects.count() == 3
