"""MEM-5 meetings: record from a phone, attendance, "meets regularly"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.members.dues import meetings
from doanvu.members.models import Attendance, AttendanceStatus, Meeting, MeetingKind
from tests.conftest import login
from tests.members.conftest import MembersWorld, make_member


def test_mem5_phone_form_defaults_everyone_present_one_tap_per_exception(
        members_world: MembersWorld) -> None:
    w = members_world.world
    an, bich, duc = members_world.a1
    client = login(w.branch_secretary)
    url = reverse("members:meeting_create", args=[w.branch_a1.pk])

    form = client.get(url).content.decode()
    response = client.post(url, {"kind": "sinh_hoat", "date": "10/03/2024",
                                 "place": "Nhà văn hóa ấp",
                                 "content": "Học tập Nghị quyết", f"a_{bich.pk}": "vang_co_phep",
                                 f"a_{duc.pk}": "vang_khong_phep"})

    assert form.count('value="co_mat" checked') == 3
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.unit_id, meeting.kind, meeting.date, meeting.place, meeting.created_by_id) == (
        w.branch_a1.pk, "sinh_hoat", dt.date(2024, 3, 10), "Nhà văn hóa ấp", w.branch_secretary.pk)
    assert dict(Attendance.objects.values_list("membership_id", "status")) == {
        an.pk: "co_mat", bich.pk: "vang_co_phep", duc.pk: "vang_khong_phep"}


def test_mem5_thirty_members_one_post_and_bounded_queries(members_world: MembersWorld) -> None:
    w = members_world.world
    for i in range(27):
        make_member(w.branch_a1, f"Đoàn viên {i:02d}")
    client = login(w.branch_secretary)
    url = reverse("members:meeting_create", args=[w.branch_a1.pk])
    with CaptureQueriesContext(connection) as form_queries:
        form = client.get(url)

    response = client.post(url, {"kind": "ngay_doan_vien", "date": "05/03/2024"})
    meeting = Meeting.objects.get()
    with CaptureQueriesContext(connection) as detail_queries:
        detail = client.get(reverse("members:meeting_detail", args=[meeting.pk]))

    assert form.content.decode().count('type="radio"') == 30 * 3
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=meeting, status="co_mat").count() == 30
    assert detail.content.decode().count('value="co_mat" checked') == 30
    assert len(form_queries) <= 10
    assert len(detail_queries) <= 10


def test_mem5_detail_corrects_attendance(members_world: MembersWorld) -> None:
    w = members_world.world
    an, bich, duc = members_world.a1
    meeting = meetings.meeting_create(unit=w.branch_a1, kind="sinh_hoat", date=dt.date(2024, 3, 1),
                                      attendance={m.pk: "co_mat" for m in members_world.a1})
    client = login(w.branch_secretary)

    response = client.post(reverse("members:meeting_detail", args=[meeting.pk]), {
        "date": "01/03/2024", "place": "Nhà bí thư", "content": "",
        f"a_{an.pk}": "vang_co_phep"})

    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("membership_id", "status")) == {
        an.pk: "vang_co_phep", bich.pk: "co_mat", duc.pk: "co_mat"}
    meeting.refresh_from_db()
    assert meeting.place == "Nhà bí thư"


def test_mem5_refuses_future_dates_and_strangers(members_world: MembersWorld) -> None:
    w = members_world.world
    with pytest.raises(ApplicationError):
        meetings.meeting_create(unit=w.branch_a1, kind="sinh_hoat",
                                date=dt.date.today() + dt.timedelta(days=2), attendance={})
    with pytest.raises(ApplicationError):
        meetings.meeting_create(unit=w.branch_a1, kind="sinh_hoat", date=dt.date(2024, 3, 1),
                                attendance={members_world.b1[0].pk: "co_mat"})
    assert Meeting.objects.count() == 0


def _meet(mw: MembersWorld, months: list[int], kind: str = MeetingKind.BRANCH) -> None:
    for m in months:
        meetings.meeting_create(unit=mw.world.branch_a1, kind=kind, date=dt.date(2024, m, 12),
                                attendance={})


def test_mem5_meets_regularly_every_month_by_default(members_world: MembersWorld) -> None:
    _meet(members_world, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    _meet(members_world, [12], kind=MeetingKind.COMMITTEE)  # BCH meetings do not count

    year = meetings.branch_meets_regularly(unit=members_world.world.branch_a1,
                                           period=Period.of_year(2024), upto=dt.date(2025, 1, 5))
    q1 = meetings.branch_meets_regularly(unit=members_world.world.branch_a1,
                                         period=Period.quarter(2024, 1), upto=dt.date(2025, 1, 5))

    assert (year.held, year.required, year.ok, year.missing) == (11, 12, False,
                                                                 [Period.month(2024, 12)])
    assert (q1.held, q1.required, q1.ok) == (3, 3, True)


def test_mem5_threshold_comes_from_the_policy(members_world: MembersWorld) -> None:
    members_world.policy.regular_meeting_min_months = 10
    members_world.policy.save()
    _meet(members_world, [1, 2, 3, 5, 6, 7, 8, 9, 10, 11])
    _meet(members_world, [11], kind=MeetingKind.MEMBERS_DAY)  # same month counts once

    status = meetings.branch_meets_regularly(unit=members_world.world.branch_a1,
                                             period=Period.of_year(2024), upto=dt.date(2025, 1, 5))

    assert (status.held, status.required, status.ok) == (10, 10, True)


def test_mem5_branch_page_shows_status(members_world: MembersWorld) -> None:
    _meet(members_world, [1, 2])
    client = login(members_world.world.district_a_cadre)

    page = client.get(reverse("members:meeting_list", args=[members_world.world.branch_a1.pk]),
                      {"ky": "quý I/2024"})

    body = page.content.decode()
    assert page.status_code == 200
    assert "Chưa sinh hoạt đều đặn" in body
    assert "2/3 tháng" in body
    assert "Tháng không sinh hoạt: 3/2024" in body


@pytest.mark.parametrize("who", ["outsider", "district_b_cadre"])
def test_mem5_outsiders_get_404(members_world: MembersWorld, who: str) -> None:
    w = members_world.world
    meeting = meetings.meeting_create(unit=w.branch_a1, kind="sinh_hoat", date=dt.date(2024, 3, 1),
                                      attendance={m.pk: "co_mat" for m in members_world.a1})
    client = login(getattr(w, who))
    urls = [reverse("members:meeting_list", args=[w.branch_a1.pk]),
            reverse("members:meeting_create", args=[w.branch_a1.pk]),
            reverse("members:meeting_detail", args=[meeting.pk])]

    gets = [client.get(u).status_code for u in urls]
    posts = [client.post(u, {"kind": "sinh_hoat", "date": "01/03/2024",
                             f"a_{members_world.a1[0].pk}": "vang_khong_phep"}).status_code
             for u in urls]

    assert gets == [404, 404, 404]
    assert posts == [405, 404, 404]  # the list is read-only: 405 before looking
    assert Meeting.objects.count() == 1
    assert set(Attendance.objects.values_list("status", flat=True)) == {AttendanceStatus.PRESENT}
