"""Issue 10, item 11 (X-10): the member record and the removal review "as of" a date.

`?ngay=dd/mm/yyyy` shows the state on that day — status, branch, posts, cadre statuses, the
record's fields; the removal review lists who met the criteria then. A date that does not exist
or has not come answers 400 with the reason beside the date field, never today's state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.common.dates import today
from doanvu.common.periods import Period
from doanvu.members.core import services
from doanvu.members.models import (
    CadreStatus,
    DuesEntry,
    Membership,
    ProposalStatus,
    RemovalProposal,
)
from doanvu.org.models import Position
from tests.conftest import login
from tests.members.conftest import MembersWorld, make_member

T = dt.date(2022, 5, 10)  # the day of the transfer


def _state(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    start = html.index('data-testid="member-state"')
    return " ".join(html[start:html.index("</p>", start)].split())


def _moved(mw: MembersWorld) -> tuple[Membership, Membership]:
    """Nguyễn Văn An, at Bình Phong since 2016, transferred to Tân Đông on T."""
    w = mw.world
    an = mw.a1[0]
    t = services.transfer_request(actor=None, membership=an, to_branch=w.branch_b1,
                                  kind="chinh_thuc", requested_on=T - dt.timedelta(days=7))
    accepted = services.transfer_accept(actor=None, transfer=t, on=T)
    an.refresh_from_db()
    assert accepted.new_membership is not None
    return an, accepted.new_membership


def test_x10_member_record_shows_branch_and_status_of_the_day(members_world: MembersWorld) -> None:
    old, new = _moved(members_world)
    client = login(members_world.world.province_secretary)
    url = reverse("members:member_detail", args=[new.pk])

    before = client.get(url, {"ngay": "09/05/2022"})
    on_the_day = client.get(url, {"ngay": "10/05/2022"})
    now = client.get(url)
    not_yet = client.get(url, {"ngay": "01/01/2015"})

    assert before.status_code == on_the_day.status_code == now.status_code == 200
    assert "Ngày 09/05/2022: Đang sinh hoạt · Chi đoàn ấp Bình Phong" in _state(before)
    assert "Ngày 10/05/2022: Đang sinh hoạt · Chi đoàn ấp Tân Đông" in _state(on_the_day)
    assert "Đang sinh hoạt · Chi đoàn ấp Tân Đông" in _state(now)
    assert "Chưa vào Đoàn" in _state(not_yet)
    # the history of the day: no later membership yet, the transfer asked for but not accepted
    assert "Chi đoàn ấp Tân Đông" not in before.content.decode().split("Quá trình sinh hoạt")[1] \
        .split("Chuyển sinh hoạt")[0]
    # the past is read only
    assert "Sửa hồ sơ" in now.content.decode()
    assert "Sửa hồ sơ" not in before.content.decode()


def test_x10_member_record_shows_the_status_after_the_membership_ended(
        members_world: MembersWorld) -> None:
    bich = members_world.a1[1]
    ended = dt.date(2023, 8, 1)
    services.member_remove(actor=None, membership=bich, on=ended, reason="Biên bản số 3")
    client = login(members_world.world.province_secretary)
    url = reverse("members:member_detail", args=[bich.pk])

    assert "Đang sinh hoạt" in _state(client.get(url, {"ngay": "31/07/2023"}))
    assert "Xóa tên" in _state(client.get(url, {"ngay": "01/08/2023"}))


def test_x10_member_record_shows_posts_statuses_and_fields_of_the_day(
        members_world: MembersWorld) -> None:
    w = members_world.world
    duc = members_world.a1[2]
    Position.objects.create(person=duc.person, unit=w.branch_a1, title="Bí thư chi đoàn",
                            start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 12, 31))
    CadreStatus.objects.create(person=duc.person, kind="thai_san",
                               start_date=dt.date(2020, 3, 1), end_date=dt.date(2020, 8, 31))
    # an edit today (audited): the card number and the union post were different before
    duc.card_number = "TV-2024"
    duc.holds_union_post = True
    duc.save()
    client = login(w.province_secretary)
    url = reverse("members:member_detail", args=[duc.pk])
    yesterday = (today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")

    in_2020 = client.get(url, {"ngay": "01/06/2020"}).content.decode()
    in_2023 = client.get(url, {"ngay": "01/06/2023"}).content.decode()
    before_edit = client.get(url, {"ngay": yesterday}).content.decode()
    now = client.get(url).content.decode()

    assert "Bí thư chi đoàn" in in_2020 and "Nghỉ thai sản" in in_2020
    assert "Bí thư chi đoàn" not in in_2023 and "Nghỉ thai sản" not in in_2023
    assert "TV-2024" in now and "TV-2024" not in before_edit
    post = 'data-testid="member-union-post">'
    assert f"{post}đang giữ" in now
    assert f"{post}không" in before_edit


@pytest.mark.parametrize("bad", ["31/02/2020", "hôm qua", "32/13/2020", "01/01/2999", "01/01/0001"])
def test_x10_member_record_refuses_a_wrong_date(members_world: MembersWorld, bad: str) -> None:
    client = login(members_world.world.province_secretary)
    response = client.get(reverse("members:member_detail", args=[members_world.a1[0].pk]),
                          {"ngay": bad})
    html = response.content.decode()

    assert response.status_code == 400
    assert 'data-testid="as-of-error"' in html
    assert "Ngày xem" in html
    assert 'data-testid="member-state"' not in html  # never today's state instead


# -- the removal review ---------------------------------------------------------------------------


D = dt.date(2024, 6, 15)  # the window: 3/2024, 4/2024, 5/2024


def _paid(m: Membership, month: int, paid_on: dt.date) -> None:
    DuesEntry.objects.create(membership=m, month=Period.month(2024, month), amount_due=2000,
                             amount_paid=2000, paid_on=paid_on)


def test_x10_removal_review_lists_who_met_the_criteria_that_day(
        members_world: MembersWorld) -> None:
    w = members_world.world
    an, bich, duc = members_world.a1
    _paid(bich, 4, dt.date(2024, 4, 20))  # paid in time: not due
    _paid(duc, 4, dt.date(2024, 7, 1))  # paid after D: due as of D, not as of 2/7/2024
    late = make_member(w.branch_a1, "Mới Vào", joined=dt.date(2024, 4, 1))  # after the window
    client = login(w.branch_secretary)
    url = reverse("members:removal_list", args=[w.branch_a1.pk])

    on_d = client.get(url, {"ngay": D.strftime("%d/%m/%Y")})
    later = client.get(url, {"ngay": "02/07/2024"})

    assert on_d.status_code == later.status_code == 200
    due_on_d = [m.pk for m, _reason in on_d.context["review"].due]
    due_later = [m.pk for m, _reason in later.context["review"].due]
    assert sorted(due_on_d) == sorted([an.pk, duc.pk])
    assert late.pk not in due_on_d
    assert duc.pk not in due_later and an.pk in due_later
    assert "Đoàn viên đủ điều kiện đề nghị xóa tên tại ngày 15/06/2024" in on_d.content.decode()


def test_x10_removal_review_shows_proposals_as_they_stood(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    p = RemovalProposal.objects.create(membership=an, reason="Không sinh hoạt 3 tháng",
                                       proposed_on=dt.date(2024, 6, 1),
                                       status=ProposalStatus.REJECTED,
                                       decided_on=dt.date(2024, 7, 1), decision="Biên bản 7")
    client = login(w.branch_secretary)
    url = reverse("members:removal_list", args=[w.branch_a1.pk])

    before = client.get(url, {"ngay": "01/05/2024"})
    open_then = client.get(url, {"ngay": "15/06/2024"})
    decided = client.get(url, {"ngay": "02/07/2024"})

    assert before.context["proposals_then"] == []
    assert open_then.context["proposals_then"] == [(p, False)]
    assert "Chờ chi đoàn quyết định" in open_then.content.decode()
    assert decided.context["proposals_then"] == [(p, True)]


@pytest.mark.parametrize("bad", ["31/02/2020", "abc", "01/01/2999", "01/01/0001"])
def test_x10_removal_review_refuses_a_wrong_date(members_world: MembersWorld, bad: str) -> None:
    w = members_world.world
    response = login(w.branch_secretary).get(
        reverse("members:removal_list", args=[w.branch_a1.pk]), {"ngay": bad})
    html = response.content.decode()

    assert response.status_code == 400
    assert 'data-testid="as-of-error"' in html
    assert "Rà soát đề nghị mới" not in html


def _proposal(mw: MembersWorld) -> RemovalProposal:
    return RemovalProposal.objects.create(membership=mw.a1[0], reason="Không sinh hoạt",
                                          proposed_on=dt.date(2024, 6, 1))


def test_x10_decide_from_the_review_of_a_day_records_that_day(
        members_world: MembersWorld) -> None:
    w = members_world.world
    p = _proposal(members_world)
    client = login(w.branch_secretary)
    url = reverse("members:removal_proposal_decide", args=[p.pk])

    bad = client.post(url, {"decision": "Biên bản 9", "approve": "0", "ngay": "31/06/2024"})
    p.refresh_from_db()
    assert bad.status_code == 302 and p.status == ProposalStatus.PROPOSED  # nothing decided

    client.post(url, {"decision": "Biên bản 9", "approve": "0", "ngay": "20/06/2024"})
    p.refresh_from_db()
    assert (p.status, p.decided_on) == (ProposalStatus.REJECTED, dt.date(2024, 6, 20))


def test_x10_decide_page_takes_the_day_and_refuses_a_wrong_one(
        members_world: MembersWorld) -> None:
    w = members_world.world
    p = _proposal(members_world)
    client = login(w.branch_secretary)
    url = reverse("members:removal_decide", args=[p.membership_id, p.pk])

    good = client.get(url, {"ngay": "20/06/2024"})
    bad = client.get(url, {"ngay": "31/02/2024"})

    assert good.status_code == 200
    assert 'value="20/06/2024"' in good.content.decode()
    assert bad.status_code == 400
    assert "31/02/2024" in bad.content.decode()
    assert bad.context["form"].errors["on"]
