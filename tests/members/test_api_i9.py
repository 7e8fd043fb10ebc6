"""The public read API of members (issue 9, item 2): each read answers within the scope, and an
outsider's scope gets nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from doanvu.accounts.scope import Scope
from doanvu.common.periods import Period
from doanvu.members import api
from doanvu.members.models import (
    Attendance,
    CadreCourse,
    CadreStatus,
    DuesEntry,
    Meeting,
    MeetingKind,
    TrainingRegistration,
)
from doanvu.org.models import CommitteeKind, CommitteeSeat, Position, Term
from tests.members.conftest import MembersWorld


def _scopes(mw: MembersWorld) -> tuple[Scope, Scope, Scope]:
    w = mw.world
    return (Scope.for_user(w.district_a_cadre), Scope.for_user(w.district_b_cadre),
            Scope.for_user(w.outsider))


def test_i9_api_cadre_year_gives_the_statuses_posts_and_seats_overlapping_the_year(
        members_world: MembersWorld) -> None:
    w = members_world.world
    person = members_world.a1[0].person
    CadreStatus.objects.create(person=person, kind="biet_phai", start_date=dt.date(2023, 3, 1),
                               end_date=dt.date(2024, 2, 1))
    CadreStatus.objects.create(person=person, kind="biet_phai", start_date=dt.date(2021, 1, 1),
                               end_date=dt.date(2023, 12, 1))
    CadreStatus.objects.create(person=person, kind="biet_phai", start_date=dt.date(2025, 1, 1))
    Position.objects.create(person=person, unit=w.commune_a1, title="Phó Bí thư",
                            start_date=dt.date(2024, 6, 1))
    Position.objects.create(person=person, unit=w.commune_a1, title="Ủy viên",
                            start_date=dt.date(2020, 1, 1), end_date=dt.date(2023, 12, 31))
    term = Term.objects.create(unit=w.branch_a1, name="2022-2024", start_date=dt.date(2022, 9, 1))
    CommitteeSeat.objects.create(term=term, committee=CommitteeKind.BCH, person=person,
                                 title="Bí thư")
    inside, other, outsider = _scopes(members_world)

    year = api.cadre_year(scope=inside, person=person.pk, year=2024)

    assert year.person == person
    assert [s.start_date for s in year.statuses] == [dt.date(2023, 3, 1)]
    assert [p.title for p in year.positions] == ["Phó Bí thư"]
    assert [s.title for s in year.seats] == ["Bí thư"]
    for scope in (other, outsider):
        with pytest.raises(Http404):
            api.cadre_year(scope=scope, person=person.pk, year=2024)


def test_i9_api_branches_meeting_regularly_counts_months_with_a_branch_meeting(
        members_world: MembersWorld) -> None:
    w = members_world.world
    for month in (1, 2, 3):
        Meeting.objects.create(unit=w.branch_a1, kind=MeetingKind.BRANCH,
                               date=dt.date(2024, month, 10))
    Meeting.objects.create(unit=w.branch_b1, kind=MeetingKind.BRANCH, date=dt.date(2024, 1, 5))
    Meeting.objects.create(unit=w.branch_b1, kind=MeetingKind.COMMITTEE, date=dt.date(2024, 2, 5))
    inside, _other, outsider = _scopes(members_world)
    quarter = Period.quarter(2024, 1)
    province = Scope.for_user(w.province_secretary)

    rows = api.branches_meeting_regularly(scope=province, unit=w.province, period=quarter,
                                          upto=dt.date(2024, 12, 31))

    assert [(r.branch, r.ok, r.status.held, r.status.required) for r in rows] == [
        (w.branch_a1, True, 3, 3), (w.branch_b1, False, 1, 3)]
    assert [r.branch for r in api.branches_meeting_regularly(
        scope=inside, unit=w.district_a, period=quarter, upto=dt.date(2024, 12, 31))] == [
        w.branch_a1]
    assert api.branches_meeting_regularly(scope=inside, unit=w.province, period=quarter) == []
    assert api.branches_meeting_regularly(scope=outsider, unit=w.province, period=quarter) == []


def test_i9_api_training_registration_share_per_branch_and_in_total(
        members_world: MembersWorld) -> None:
    w = members_world.world
    a1 = members_world.a1
    for m in a1[:2]:
        TrainingRegistration.objects.create(membership=m, year=2024,
                                            registered_on=dt.date(2024, 3, 26))
    province = Scope.for_user(w.province_secretary)
    _inside, _other, outsider = _scopes(members_world)

    share = api.training_registration_share(scope=province, unit=w.province, year=2024)

    assert [(r.unit, r.members, r.count) for r in share.rows] == [
        (w.branch_a1, 3, 2), (w.branch_b1, 1, 0)]
    assert (share.members, share.registered, share.percent) == (4, 2, 50)
    nothing = api.training_registration_share(scope=outsider, unit=w.province, year=2024)
    assert (nothing.rows, nothing.members, nothing.registered) == ([], 0, 0)


def test_i9_api_secretary_qualifications_lists_seated_secretaries_with_courses(
        members_world: MembersWorld) -> None:
    w = members_world.world
    secretary = members_world.a1[0].person
    secretary.education_level = "dai_hoc"
    secretary.political_theory = "trung_cap"
    secretary.party_member = True
    secretary.save()
    deputy = members_world.a1[1].person
    other = members_world.b1[0].person
    term_a = Term.objects.create(unit=w.branch_a1, name="2022-2024",
                                 start_date=dt.date(2022, 9, 1))
    term_b = Term.objects.create(unit=w.branch_b1, name="2022-2024",
                                 start_date=dt.date(2022, 9, 1))
    for committee in (CommitteeKind.BCH, CommitteeKind.BTV):  # one row per unit and person
        CommitteeSeat.objects.create(term=term_a, committee=committee, person=secretary,
                                     title="Bí thư")
    CommitteeSeat.objects.create(term=term_a, committee=CommitteeKind.BCH, person=deputy,
                                 title="Phó Bí thư")
    CommitteeSeat.objects.create(term=term_b, committee=CommitteeKind.BCH, person=other,
                                 title="Bí thư")
    CadreCourse.objects.create(person=secretary, name="Bồi dưỡng cán bộ Đoàn",
                               start_date=dt.date(2023, 5, 1))
    inside, _other, outsider = _scopes(members_world)
    day = dt.date(2024, 6, 1)

    rows = api.secretary_qualifications(scope=Scope.for_user(w.province_secretary),
                                        unit=w.province, day=day)

    assert [(r.unit, r.person) for r in rows] == [(w.branch_a1, secretary), (w.branch_b1, other)]
    first = rows[0]
    assert (first.education_level, first.political_theory, first.party_member) == (
        "dai_hoc", "trung_cap", True)
    assert [c.name for c in first.courses] == ["Bồi dưỡng cán bộ Đoàn"]
    assert [r.person for r in api.secretary_qualifications(
        scope=inside, unit=w.district_a, day=day)] == [secretary]
    assert api.secretary_qualifications(scope=outsider, unit=w.province, day=day) == []
    assert api.secretary_qualifications(scope=Scope.for_user(w.province_secretary),
                                        unit=w.province, day=dt.date(2022, 1, 1)) == []


def test_i9_api_member_monthly_results_gives_dues_and_attendance_per_month(
        members_world: MembersWorld) -> None:
    w = members_world.world
    member = members_world.a1[0]
    DuesEntry.objects.create(membership=member, month=Period.month(2024, 1), amount_due=2000,
                             amount_paid=2000, paid_on=dt.date(2024, 1, 20))
    DuesEntry.objects.create(membership=member, month=Period.month(2024, 2), amount_due=2000)
    DuesEntry.objects.create(membership=member, month=Period.month(2024, 3), amount_due=2000,
                             waived=True, waiver_reason="Hoàn cảnh khó khăn")
    jan = Meeting.objects.create(unit=w.branch_a1, kind=MeetingKind.BRANCH,
                                 date=dt.date(2024, 1, 10))
    feb = Meeting.objects.create(unit=w.branch_a1, kind=MeetingKind.MEMBERS_DAY,
                                 date=dt.date(2024, 2, 10))
    Meeting.objects.create(unit=w.branch_a1, kind=MeetingKind.COMMITTEE,
                           date=dt.date(2024, 2, 12))
    Attendance.objects.create(meeting=jan, membership=member, status="co_mat")
    Attendance.objects.create(meeting=feb, membership=member, status="vang_khong_phep")
    inside, other, outsider = _scopes(members_world)

    months = api.member_monthly_results(scope=inside, membership=member.pk, year=2024)

    assert len(months) == 12
    assert [(r.month, r.dues_due, r.dues_paid, r.dues_waived, r.dues_owed, r.meetings,
             r.present, r.unexcused) for r in months[:4]] == [
        (Period.month(2024, 1), 2000, 2000, False, 0, 1, 1, 0),
        (Period.month(2024, 2), 2000, 0, False, 2000, 1, 0, 1),
        (Period.month(2024, 3), 2000, 0, True, 0, 0, 0, 0),
        (Period.month(2024, 4), None, 0, False, 0, 0, 0, 0),
    ]
    for scope in (other, outsider):
        with pytest.raises(Http404):
            api.member_monthly_results(scope=scope, membership=member.pk, year=2024)
