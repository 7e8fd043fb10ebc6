"""MEM-1…3, MEM-12, X-2, X-3: the members core pages, with owner, member and outsider."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from doanvu.common.dates import today
from doanvu.members.core import services
from doanvu.members.models import Membership, MemberStatus, Transfer, TransferStatus
from tests.conftest import World, grant, login, make_user
from tests.members.conftest import MembersWorld, make_member


def _names(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_x2_member_search_folds_accents(members_world: MembersWorld) -> None:
    client = login(members_world.world.province_secretary)
    url = reverse("members:member_list")

    an = client.get(url, {"q": "nguyen van an"})
    dat = client.get(url, {"q": "dat"})
    by_cccd = client.get(url, {"q": "072 301"})

    assert "Nguyễn Văn An" in _names(an) and "Trần Thị Bích" not in _names(an)
    assert "Phạm Minh Đạt" in _names(dat) and "Nguyễn Văn An" not in _names(dat)
    assert "Trần Thị Bích" in _names(by_cccd) and "Nguyễn Văn An" not in _names(by_cccd)


def test_x2_member_search_htmx_returns_the_partial(members_world: MembersWorld) -> None:
    client = login(members_world.world.province_secretary)

    r = client.get(reverse("members:member_list"), {"q": "bich"},
                   HTTP_HX_REQUEST="true", HTTP_HX_TARGET="member-results")

    assert "Trần Thị Bích" in _names(r)
    assert "<html" not in _names(r)


def test_x2_member_search_keyset_pages_return_everyone_once(world: World) -> None:
    names = [f"Nguyễn Văn Số {i:03d}" for i in range(120)] + ["Nguyễn Văn Số 050"] * 3
    for n in names:
        make_member(world.branch_a1, n)
    client = login(world.province_secretary)
    seen: list[int] = []
    url = reverse("members:member_list") + f"?don_vi={world.branch_a1.pk}"
    pages = 0
    while url and pages < 10:
        r = client.get(url)
        pages += 1
        seen += [m.pk for m, _ in r.context["rows"]]
        url = (reverse("members:member_list") + "?" + r.context["next_query"]
               if r.context["has_next"] else "")

    assert pages == 3
    assert sorted(seen) == sorted(Membership.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 123


@pytest.mark.parametrize("n", [3, 60])
def test_x2_member_list_query_count_is_bounded(world: World, n: int,
                                               django_assert_max_num_queries: object) -> None:
    for i in range(n):
        make_member(world.branch_a1 if i % 2 else world.branch_b1, f"Lê Văn {i}")
    client = login(world.province_secretary)
    url = reverse("members:member_list")
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        r = client.get(url, {"don_vi": world.province.pk})
    assert r.status_code == 200


def test_x2_member_list_filters_and_counts(members_world: MembersWorld) -> None:
    w = members_world.world
    client = login(w.province_secretary)
    url = reverse("members:member_list")

    women = client.get(url, {"gioi_tinh": "nu"})
    counts = client.get(url, {"don_vi": w.province.pk}).context["counts"]
    district = client.get(url, {"don_vi": w.district_b.pk})

    assert [m.person.full_name for m, _ in women.context["rows"]] == ["Trần Thị Bích"]
    assert [(c.name, n) for c, n in counts] == [("Huyện đoàn Châu Thành", 3),
                                                ("Huyện đoàn Tân Biên", 1)]
    assert [m.person.full_name for m, _ in district.context["rows"]] == ["Phạm Minh Đạt"]


def test_x3_district_cadre_cannot_read_another_district(members_world: MembersWorld) -> None:
    w = members_world.world
    dat = members_world.b1[0]
    client = login(w.district_a_cadre)

    listing = client.get(reverse("members:member_list"), {"don_vi": w.district_b.pk})
    search = client.get(reverse("members:member_list"), {"q": "dat"})
    detail = client.get(reverse("members:member_detail", args=[dat.pk]))
    edit = client.get(reverse("members:member_edit", args=[dat.pk]))
    remove = client.post(reverse("members:member_remove", args=[dat.pk]),
                         {"on": "01/01/2024", "reason": "x"})
    transfer = client.get(reverse("members:transfer_request", args=[dat.pk]))
    admit = client.get(reverse("members:member_admit", args=[w.branch_b1.pk]))

    assert "Phạm Minh Đạt" not in _names(listing)
    assert "Phạm Minh Đạt" not in _names(search)
    assert [detail.status_code, edit.status_code, remove.status_code, transfer.status_code,
            admit.status_code] == [404, 404, 404, 404, 404]
    assert Membership.objects.get(pk=dat.pk).status == MemberStatus.ACTIVE


@pytest.mark.parametrize("who", ["outsider", "district_b_cadre", "branch_secretary"])
def test_x3_member_pages_are_404_for_outsiders(members_world: MembersWorld, who: str) -> None:
    w = members_world.world
    member = members_world.a1[0] if who != "branch_secretary" else members_world.b1[0]
    client = login(getattr(w, who))
    urls = [reverse(name, args=[member.pk]) for name in (
        "members:member_detail", "members:member_edit", "members:transfer_request",
        "members:transfer_branch_pick", "members:member_mature", "members:member_remove",
        "members:member_expel", "members:member_deceased", "members:cadre_status_add",
        "members:cadre_course_add")]

    read_only = {reverse(name, args=[member.pk])
                 for name in ("members:member_detail", "members:transfer_branch_pick")}
    statuses = {client.get(u).status_code for u in urls} | {client.post(u).status_code
                                                            for u in urls if u not in read_only}

    assert statuses == {404}
    assert {client.post(u).status_code for u in read_only} == {405}  # refused before looking


def test_mem2_admit_form_keeps_input_and_shows_errors(members_world: MembersWorld) -> None:
    w = members_world.world
    client = login(w.branch_secretary)
    url = reverse("members:member_admit", args=[w.branch_a1.pk])
    data = {"full_name": "Huỳnh Thị Mai", "birth_date": "05/06/2012", "gender": "nu",
            "cccd": "072312001111", "joined_union_on": "26/03/2025"}

    bad = client.post(url, data)
    good = client.post(url, {**data, "birth_date": "05/06/2005", "cccd": "072 305 001 111"})

    assert bad.status_code == 200
    assert "chưa đủ 16 tuổi (tính từ ngày 06/06/2027)" in _names(bad)
    assert 'value="Huỳnh Thị Mai"' in _names(bad)
    assert good.status_code == 302
    m = Membership.objects.get(person__cccd="072305001111")
    assert good["Location"] == reverse("members:member_detail", args=[m.pk])


def test_mem2_admit_form_shows_cccd_error_beside_the_field(members_world: MembersWorld) -> None:
    w = members_world.world
    client = login(w.branch_secretary)
    r = client.post(reverse("members:member_admit", args=[w.branch_a1.pk]), {
        "full_name": "Huỳnh Thị Mai", "birth_date": "05/06/2005", "gender": "nu",
        "cccd": "072205001111", "joined_union_on": "26/03/2025"})

    assert "Số CCCD: Chữ số thứ 4 (2) không khớp giới tính Nữ, sinh năm 2005." in _names(r)
    assert r.context["form"].errors["cccd"]


def test_mem3_transfer_flow_through_the_pages(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    sender = login(w.branch_secretary)
    pick = sender.get(reverse("members:transfer_branch_pick", args=[an.pk]), {"q": "tan dong"})
    assert "Chi đoàn ấp Tân Đông" in _names(pick)  # outside the secretary's scope, found

    r = sender.post(reverse("members:transfer_request", args=[an.pk]), {
        "to_branch": w.branch_b1.pk, "kind": "chinh_thuc", "requested_on": today().strftime(
            "%d/%m/%Y"), "reason": "Chuyển nơi ở"})
    assert r.status_code == 302
    t = Transfer.objects.get()

    # visible to both sides while in transit; counted once
    receiver = login(w.district_b_cadre)
    incoming = receiver.get(reverse("members:unit_transfers", args=[w.district_b.pk]))
    outgoing = sender.get(reverse("members:unit_transfers", args=[w.branch_a1.pk]))
    assert "Nguyễn Văn An" in _names(incoming) and "Tiếp nhận" in _names(incoming)
    assert "Nguyễn Văn An" in _names(outgoing)
    assert Membership.objects.filter(person=an.person, is_current=True).count() == 1

    # only the receiving branch's writers may accept
    for user in (w.branch_secretary, w.district_a_cadre, w.outsider):
        assert login(user).post(reverse("members:transfer_accept", args=[t.pk]),
                                {"on": today().strftime("%d/%m/%Y")}).status_code == 404
    ok = receiver.post(reverse("members:transfer_accept", args=[t.pk]),
                       {"on": today().strftime("%d/%m/%Y")})
    assert ok.status_code == 302
    assert Transfer.objects.get().status == TransferStatus.ACCEPTED
    new = Membership.objects.get(person=an.person, is_current=True)
    assert new.branch_id == w.branch_b1.pk
    # the sending side still reads the closed membership; the new one is the receiver's
    assert sender.get(reverse("members:member_detail", args=[an.pk])).status_code == 200
    assert sender.get(reverse("members:member_detail", args=[new.pk])).status_code == 404
    assert receiver.get(reverse("members:member_detail", args=[new.pk])).status_code == 200


def test_mem3_temporary_member_shown_at_host_but_counted_at_home(
        members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    t = services.transfer_request(actor=None, membership=an, to_branch=w.branch_b1,
                                  kind="tam_thoi", requested_on=today(),
                                  until=today() + dt.timedelta(days=30))
    services.transfer_accept(actor=None, transfer=t, on=today())
    client = login(w.province_secretary)

    host = client.get(reverse("members:member_list"), {"don_vi": w.branch_b1.pk})
    province = client.get(reverse("members:member_list"), {"don_vi": w.province.pk})

    assert "sinh hoạt tạm thời" in _names(host)
    assert [m.person.full_name for m, _ in host.context["rows"]] == ["Phạm Minh Đạt"]
    assert [h.membership_id for h in host.context["hosted"]] == [an.pk]
    assert sum(n for _, n in province.context["counts"]) == 4


def test_mem2_timeline_shows_the_audited_steps(members_world: MembersWorld) -> None:
    w = members_world.world
    client = login(w.branch_secretary)
    client.post(reverse("members:member_admit", args=[w.branch_a1.pk]), {
        "full_name": "Huỳnh Thị Mai", "birth_date": "05/06/2005", "gender": "nu",
        "cccd": "072305001111", "joined_union_on": "26/03/2022"})
    m = Membership.objects.get(person__cccd="072305001111")
    client.post(reverse("members:member_remove", args=[m.pk]),
                {"on": today().strftime("%d/%m/%Y"), "reason": "Bỏ sinh hoạt 3 tháng"})

    page = client.get(reverse("members:member_detail", args=[m.pk]))
    reasons = [r.reason for r in page.context["records"]]

    timeline = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _names(page).split(
        'data-testid="member-timeline"', 1)[1]))
    # the removal read as a sentence: the status and the reason, in Vietnamese (issue 10)
    assert "Tình trạng: Đang sinh hoạt → Xóa tên" in timeline
    assert "Lý do: (trống) → Bỏ sinh hoạt 3 tháng" in timeline
    assert "Kết nạp vào Chi đoàn ấp Bình Phong" in reasons
    assert Membership.objects.get(pk=m.pk).status == MemberStatus.REMOVED


def test_mem12_cadre_profile_on_the_member_page(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    client = login(w.branch_secretary)
    client.post(reverse("members:cadre_status_add", args=[an.pk]), {
        "kind": "thai_san", "start_date": "01/01/2024", "end_date": "30/06/2024"})
    client.post(reverse("members:cadre_course_add", args=[an.pk]), {
        "name": "Bồi dưỡng Bí thư chi đoàn", "start_date": "01/08/2024"})
    bad = client.post(reverse("members:cadre_course_add", args=[an.pk]), {
        "name": "Khóa sai", "start_date": "01/08/2024", "end_date": "01/07/2024"})

    page = _names(client.get(reverse("members:member_detail", args=[an.pk])))

    assert "Nghỉ thai sản" in page and "Bồi dưỡng Bí thư chi đoàn" in page
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in _names(bad)


def test_x3_branch_writer_of_another_branch_cannot_decide_a_transfer(
        members_world: MembersWorld) -> None:
    w = members_world.world
    t = services.transfer_request(actor=None, membership=members_world.b1[0],
                                  to_branch=w.branch_a1, kind="chinh_thuc",
                                  requested_on=today())
    other = make_user("bithu_khac")
    grant(other, "bi_thu_chi_doan", w.branch_b1)
    receiver = login(w.branch_secretary)

    refuse_other = login(other).post(reverse("members:transfer_refuse", args=[t.pk]),
                                     {"on": today().strftime("%d/%m/%Y"), "note": "x"})
    cancel_other = receiver.post(reverse("members:transfer_cancel", args=[t.pk]))
    refused = receiver.post(reverse("members:transfer_refuse", args=[t.pk]),
                            {"on": today().strftime("%d/%m/%Y"), "note": "Không nhận"})

    assert (refuse_other.status_code, cancel_other.status_code, refused.status_code) == (
        404, 404, 302)
    assert Membership.objects.get(pk=members_world.b1[0].pk).is_current
