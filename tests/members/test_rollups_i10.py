"""Issue 10, item 5: above the branch, the dues and meetings pages roll up the branches below
(per lower unit, with links down) instead of a branch's own empty sheet and "0/12 tháng"."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from doanvu.common.periods import Period
from doanvu.members.dues import meetings
from doanvu.members.dues import services as dues
from doanvu.members.models import MeetingKind
from doanvu.org import services as org_services
from tests.conftest import D0, kind, login
from tests.members.conftest import MembersWorld, make_member

JAN = Period.month(2024, 1)


def _pay_two_of_three(mw: MembersWorld) -> None:
    an, bich, _duc = mw.a1
    dues.dues_record_payment(branch=mw.world.branch_a1, month=JAN, paid=[an.pk, bich.pk],
                             quarterly=[], actor=None)


def _cells(html: str, name: str) -> list[str]:
    row = html.split(f">{name}</a>")[1].split("</tr>")[0]
    return re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)


def test_i10_dues_rollup_counts_each_lower_unit_from_the_branch_sheets(
        members_world: MembersWorld) -> None:
    _pay_two_of_three(members_world)
    w = members_world.world

    rollup = dues.dues_rollup(unit=w.province, month=JAN)

    assert [(line.name, line.branches, line.members, line.paid, line.unpaid, line.collected)
            for line in rollup.lines] == [
        ("Huyện đoàn Châu Thành", 1, 3, 2, 1, 4000),
        ("Huyện đoàn Tân Biên", 1, 1, 0, 1, 0),
    ]
    assert (rollup.members, rollup.paid, rollup.unpaid, rollup.collected) == (4, 2, 2, 4000)


def test_i10_province_dues_page_is_a_rollup_not_an_empty_branch_sheet(
        members_world: MembersWorld) -> None:
    _pay_two_of_three(members_world)
    w = members_world.world

    html = login(w.province_secretary).get(reverse("members:dues_sheet", args=[w.province.pk]),
                                           {"thang": "1/2024"}).content.decode()

    assert "Chi đoàn chưa có đoàn viên" not in html
    assert 'name="paid"' not in html
    assert 'data-testid="dues-rollup"' in html
    assert f'href="{reverse("members:dues_sheet", args=[w.district_a.pk])}?thang=1/2024"' in html
    # branches, members, paid, unpaid, waived, collected; then owed up and sent for the year
    assert _cells(html, "Huyện đoàn Châu Thành")[:6] == ["1", "3", "2", "1", "0", "4.000đ"]
    assert _cells(html, "Huyện đoàn Tân Biên")[:6] == ["1", "1", "0", "1", "0", "0đ"]


def test_i10_branch_dues_page_stays_the_sheet(members_world: MembersWorld) -> None:
    w = members_world.world
    html = login(w.branch_secretary).get(reverse("members:dues_sheet", args=[w.branch_a1.pk]),
                                         {"thang": "1/2024"}).content.decode()

    assert html.count('name="paid"') == 3 and 'data-testid="dues-rollup"' not in html


def test_i10_meetings_rollup_counts_branches_that_meet_regularly(
        members_world: MembersWorld) -> None:
    w = members_world.world
    second = org_services.unit_create(actor=None, parent=w.commune_a1, name="Chi đoàn ấp Hai",
                                      kind=kind("chi_doan"), founded_on=D0)
    make_member(second, "Võ Thị Hai")
    for m in (1, 2, 3):
        meetings.meeting_create(unit=w.branch_a1, kind=MeetingKind.BRANCH,
                                date=dt.date(2024, m, 12), attendance={})
    meetings.meeting_create(unit=second, kind=MeetingKind.BRANCH, date=dt.date(2024, 1, 9),
                            attendance={})
    meetings.meeting_create(unit=second, kind=MeetingKind.COMMITTEE, date=dt.date(2024, 2, 9),
                            attendance={})  # a BCH meeting does not count

    rollup = meetings.meeting_rollup(unit=w.province, period=Period.quarter(2024, 1),
                                     upto=dt.date(2025, 1, 1))
    commune = meetings.meeting_rollup(unit=w.commune_a1, period=Period.quarter(2024, 1),
                                      upto=dt.date(2025, 1, 1))

    assert [(line.name, line.branches, line.regular) for line in rollup.lines] == [
        ("Huyện đoàn Châu Thành", 2, 1), ("Huyện đoàn Tân Biên", 1, 0)]
    assert [(line.name, line.held, line.months, line.regular) for line in commune.lines] == [
        ("Chi đoàn ấp Bình Phong", 3, 3, 1), ("Chi đoàn ấp Hai", 1, 3, 0)]


def test_i10_province_meetings_page_rolls_up_instead_of_zero_of_twelve(
        members_world: MembersWorld) -> None:
    w = members_world.world
    for m in (1, 2, 3):
        meetings.meeting_create(unit=w.branch_a1, kind=MeetingKind.BRANCH,
                                date=dt.date(2024, m, 12), attendance={})

    html = login(w.province_secretary).get(reverse("members:meeting_list", args=[w.province.pk]),
                                           {"ky": "quý I/2024"}).content.decode()

    assert "có sinh hoạt chi đoàn 0/" not in html
    assert "Chưa sinh hoạt đều đặn" not in html
    assert 'data-testid="meeting-rollup"' in html
    assert _cells(html, "Huyện đoàn Châu Thành")[:3] == ["1", "1", "0"]
    assert _cells(html, "Huyện đoàn Tân Biên")[:3] == ["1", "0", "1"]


def test_i10_rollups_link_down_only_where_the_reader_reaches(
        members_world: MembersWorld) -> None:
    """A unit-reach grant on a commune reads its totals but gets no link to its branch."""
    from tests.conftest import grant, make_user

    w = members_world.world
    accountant = make_user("ketoan_xa")
    grant(accountant, "ke_toan", w.commune_a1)
    client = login(accountant)

    dues_html = client.get(reverse("members:dues_sheet", args=[w.commune_a1.pk]),
                           {"thang": "1/2024"}).content.decode()
    meet_html = client.get(reverse("members:meeting_list", args=[w.commune_a1.pk])).content.decode()

    for html in (dues_html, meet_html):
        assert "Chi đoàn ấp Bình Phong" in html
        assert f"/{w.branch_a1.pk}/" not in html.split("<main")[1]
        assert "Tân Đông" not in html  # Tân Biên's branch, not below this commune


def test_i10_rollup_pages_query_counts_do_not_grow_with_branches(
        members_world: MembersWorld, django_assert_max_num_queries: object) -> None:
    w = members_world.world
    for i in range(6):
        branch = org_services.unit_create(actor=None, parent=w.commune_b1, name=f"Chi đoàn {i}",
                                          kind=kind("chi_doan"), founded_on=D0)
        make_member(branch, f"Đoàn viên {i}")
        meetings.meeting_create(unit=branch, kind=MeetingKind.BRANCH, date=dt.date(2024, 1, 3),
                                attendance={})
    client = login(w.province_secretary)

    with django_assert_max_num_queries(16):  # type: ignore[operator]
        assert client.get(reverse("members:dues_sheet", args=[w.province.pk]),
                          {"thang": "1/2024"}).status_code == 200
    with django_assert_max_num_queries(11):  # type: ignore[operator]
        assert client.get(reverse("members:meeting_list", args=[w.province.pk]),
                          {"ky": "quý I/2024"}).status_code == 200
