"""MEM-4, MEM-6 pages: collection sheet, unpaid months, remittance, waiver, removal proposals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.common.dates import today
from doanvu.common.periods import Period
from doanvu.members.dues import services as dues
from doanvu.members.models import DuesEntry, MemberStatus, RemovalProposal
from tests.conftest import login
from tests.members.conftest import MembersWorld, make_member

JAN = Period.month(2024, 1)


def test_mem4_sheet_lists_members_with_one_checkbox_each(members_world: MembersWorld) -> None:
    w = members_world.world
    client = login(w.branch_secretary)

    response = client.get(reverse("members:dues_sheet", args=[w.branch_a1.pk]), {"thang": "1/2024"})

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('name="paid"') == 3
    assert "Nguyễn Văn An" in body and "Phạm Minh Đạt" not in body
    assert "Lưu: đánh dấu đã nộp" in body


def test_mem4_sheet_save_ticks_who_paid(members_world: MembersWorld) -> None:
    w = members_world.world
    an, bich, _duc = members_world.a1
    client = login(w.branch_secretary)
    url = reverse("members:dues_sheet", args=[w.branch_a1.pk])

    response = client.post(url, {"thang": "1/2024", "paid": [an.pk, bich.pk]})
    page = client.get(url, {"thang": "1/2024"}).content.decode()

    assert response.status_code == 302
    assert sorted(DuesEntry.objects.filter(month=JAN, amount_paid__gt=0)
                  .values_list("membership_id", flat=True)) == sorted([an.pk, bich.pk])
    assert "4.000đ" in page  # collected
    assert "2.000đ" in page


def test_mem4_sheet_refuses_future_months(members_world: MembersWorld) -> None:
    w = members_world.world
    future = Period.containing(today(), "M").next()
    client = login(w.branch_secretary)

    client.post(reverse("members:dues_sheet", args=[w.branch_a1.pk]),
                {"thang": f"{future.index}/{future.year}", "paid": [members_world.a1[0].pk]})

    assert DuesEntry.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "district_b_cadre"])
def test_mem4_outsiders_get_404_on_every_dues_page(members_world: MembersWorld, who: str) -> None:
    w = members_world.world
    client = login(getattr(w, who))
    pk = w.branch_a1.pk
    urls = [reverse(n, args=[pk]) for n in ("members:dues_sheet", "members:dues_unpaid",
                                            "members:dues_waive", "members:remittance",
                                            "members:removal_list")]

    statuses = [client.get(u).status_code for u in urls]
    posts = [client.post(u, {"thang": "1/2024", "paid": [members_world.a1[0].pk],
                             "amount_sent": "1000", "sent_on": "01/02/2024"}).status_code
             for u in urls]

    assert statuses == [404] * 5
    assert posts == [404, 405, 404, 404, 404]  # the unpaid list is read-only: 405 before looking
    assert DuesEntry.objects.count() == 0
    assert RemovalProposal.objects.count() == 0


def test_mem4_reader_without_write_cannot_save(members_world: MembersWorld) -> None:
    from tests.conftest import grant, make_user

    w = members_world.world
    inspector = make_user("kiemtra")
    grant(inspector, "thanh_vien_doan_kiem_tra", w.commune_a1)
    client = login(inspector)
    url = reverse("members:dues_sheet", args=[w.branch_a1.pk])

    page = client.get(url, {"thang": "1/2024"})
    post = client.post(url, {"thang": "1/2024", "paid": [members_world.a1[0].pk]})

    assert page.status_code == 200
    assert "Lưu: đánh dấu đã nộp" not in page.content.decode()
    assert post.status_code == 404
    assert DuesEntry.objects.count() == 0


def test_mem4_junk_ids_and_params_never_fail(members_world: MembersWorld) -> None:
    w = members_world.world
    client = login(w.branch_secretary)
    names = ["members:dues_sheet", "members:dues_unpaid", "members:dues_waive",
             "members:remittance", "members:meeting_list", "members:meeting_create",
             "members:meeting_detail", "members:removal_list", "members:removal_proposal_decide"]
    statuses = set()
    for name in names:
        for pk in (0, 999999, 2**64):
            url = reverse(name, args=[pk])
            query = {"thang": "\x00", "ky": "abc", "nam": "99999"}
            statuses.add(client.get(url, query).status_code)
            statuses.add(client.post(url, {"paid": "abc", "decision": "x\x00"}).status_code)
    for junk in ("\x00", "13/2020", "abc", "quý V/2020", "1/99999"):
        response = client.get(reverse("members:dues_sheet", args=[w.branch_a1.pk]),
                              {"thang": junk})
        statuses.add(response.status_code)
    bad_post = client.post(reverse("members:dues_sheet", args=[w.branch_a1.pk]),
                           {"thang": "1/2024", "paid": ["abc"]})

    assert statuses <= {200, 404, 405}
    assert bad_post.status_code == 302
    assert DuesEntry.objects.count() == 0


def test_mem4_sheet_query_count_does_not_grow_with_members(members_world: MembersWorld) -> None:
    w = members_world.world
    client = login(w.branch_secretary)
    url = reverse("members:dues_sheet", args=[w.branch_a1.pk])
    dues.dues_record_payment(branch=w.branch_a1, month=JAN, paid=[members_world.a1[0].pk])
    client.get(url, {"thang": "1/2024"})
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"thang": "1/2024"})
    for i in range(30):
        make_member(w.branch_a1, f"Đoàn viên {i:02d}")
    with CaptureQueriesContext(connection) as large:
        response = client.get(url, {"thang": "1/2024"})

    assert response.content.decode().count('name="paid"') == 33
    assert len(large) == len(small)
    assert len(large) <= 12


def test_mem4_unpaid_months_per_member_and_per_branch(members_world: MembersWorld) -> None:
    w = members_world.world
    an, bich, duc = members_world.a1
    for month in (1, 2, 3):
        dues.dues_record_payment(branch=w.branch_a1, month=Period.month(2024, month),
                                 paid=[an.pk] + ([bich.pk] if month != 2 else []))

    lines = dues.dues_unpaid(unit=w.branch_a1, year=2024, upto=dt.date(2024, 3, 31))
    branch_lines = dues.dues_unpaid(unit=w.district_a, year=2024, upto=dt.date(2024, 3, 31))
    page = login(w.district_a_cadre).get(reverse("members:dues_unpaid", args=[w.branch_a1.pk]),
                                         {"nam": "2024"})

    assert [(line.label, [m.index for m in line.months], line.amount) for line in lines] == [
        ("Lê Hoàng Đức", [1, 2, 3], 6000), ("Trần Thị Bích", [2], 2000)]
    assert [(line.label, len(line.months), line.amount) for line in branch_lines] == [
        ("Chi đoàn ấp Bình Phong", 3, 8000)]
    assert page.status_code == 200
    assert "Lê Hoàng Đức" in page.content.decode()


def test_mem4_remittance_page_shows_statement_and_records_sent(members_world: MembersWorld
                                                              ) -> None:
    w = members_world.world
    for month in (1, 2, 3):
        dues.dues_record_payment(branch=w.branch_a1, month=Period.month(2024, month),
                                 paid=[m.pk for m in members_world.a1])
    commune_cadre = login(w.district_a_cadre)
    url = reverse("members:remittance", args=[w.commune_a1.pk])

    page = commune_cadre.get(url, {"ky": "quý I/2024"})
    post = commune_cadre.post(url + "?ky=quý I/2024", {"amount_sent": "1500",
                                                       "sent_on": "05/04/2024"})
    branch_page = login(w.branch_secretary).get(
        reverse("members:remittance", args=[w.branch_a1.pk]), {"ky": "tháng 1/2024"})

    body = page.content.decode()
    assert page.status_code == 200
    assert "Chi đoàn ấp Bình Phong" in body
    assert "6.000đ" in body and "4.000đ" in body and "2.000đ" in body
    assert post.status_code == 302
    remit = dues.remittance_compute(unit=w.commune_a1, period=Period.quarter(2024, 1))
    assert (remit.owes_up, remit.sent, remit.difference) == (2000, 1500, 500)
    # the branch secretary reads the branch statement but not the commune's name
    assert branch_page.status_code == 200
    assert "Đoàn xã Thái Bình" not in branch_page.content.decode()


def test_mem4_waiver_page_for_the_grassroots_committee(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    url = reverse("members:dues_waive", args=[w.branch_a1.pk])

    secretary = login(w.branch_secretary).get(url)
    ok = login(w.district_a_cadre).post(url, {"membership": an.pk, "months": "1/2024, 2/2024",
                                              "reason": "Gia đình khó khăn"})
    refused = login(w.district_a_cadre).post(url, {
        "membership": an.pk, "months": ", ".join(f"{i}/2024" for i in range(3, 8)),
        "reason": "Ốm"})

    assert secretary.status_code == 404  # the branch cannot waive its own members' dues
    assert ok.status_code == 302
    assert refused.status_code == 200
    assert "còn được miễn 4 tháng" in refused.content.decode()
    assert DuesEntry.objects.filter(membership=an, waived=True).count() == 2


def test_mem6_removal_page_generates_and_decides(members_world: MembersWorld) -> None:
    w = members_world.world
    client = login(w.branch_secretary)
    url = reverse("members:removal_list", args=[w.branch_a1.pk])

    client.post(url)
    proposals = list(RemovalProposal.objects.order_by("id"))
    page = client.get(url).content.decode()
    decide = client.post(reverse("members:removal_proposal_decide", args=[proposals[0].pk]),
                         {"approve": "1", "decision": "Biên bản số 3"})
    reject = client.post(reverse("members:removal_proposal_decide", args=[proposals[1].pk]),
                         {"approve": "0", "decision": "Có lý do"})

    assert len(proposals) == 3  # nobody paid or attended in the last 3 months
    assert page.count("Đồng ý xóa tên") == 3
    assert (decide.status_code, reject.status_code) == (302, 302)
    removed = proposals[0].membership
    removed.refresh_from_db()
    kept = proposals[1].membership
    kept.refresh_from_db()
    assert (removed.status, removed.is_current) == (MemberStatus.REMOVED, False)
    assert (kept.status, kept.is_current) == (MemberStatus.ACTIVE, True)


def test_mem6_outsiders_cannot_decide(members_world: MembersWorld) -> None:
    w = members_world.world
    [p, *_] = dues.removal_proposals_generate(branch=w.branch_a1)

    statuses = [login(getattr(w, who)).post(reverse("members:removal_proposal_decide", args=[p.pk]),
                                            {"approve": "1", "decision": "x"}).status_code
                for who in ("outsider", "district_b_cadre")]
    get = login(w.branch_secretary).get(reverse("members:removal_proposal_decide", args=[p.pk]))

    assert statuses == [404, 404]
    assert get.status_code == 405
    p.refresh_from_db()
    assert p.status == "de_nghi"


# -- issue 8, finding 6: a write never falls back to a default period ----------------------------


def _paid_this_month(members_world: MembersWorld) -> list[int]:
    month = Period.containing(today(), "M")
    return sorted(DuesEntry.objects.filter(month=month, amount_paid__gt=0)
                  .values_list("membership_id", flat=True))


def test_sec8_dues_sheet_with_an_invalid_month_writes_nothing(members_world: MembersWorld
                                                              ) -> None:
    w = members_world.world
    three = sorted(m.pk for m in members_world.a1)
    dues.dues_record_payment(branch=w.branch_a1, month=Period.containing(today(), "M"),
                             paid=three)
    before = DuesEntry.objects.count()
    client = login(w.branch_secretary)
    url = reverse("members:dues_sheet", args=[w.branch_a1.pk])

    response = client.post(url, {"thang": "31/02/2020"}, follow=True)

    assert response.status_code == 200
    assert "Chưa lưu sổ đoàn phí: Tháng “31/02/2020” không hợp lệ." in response.content.decode()
    assert _paid_this_month(members_world) == three
    assert DuesEntry.objects.count() == before


def test_sec8_dues_sheet_without_a_month_writes_nothing(members_world: MembersWorld) -> None:
    w = members_world.world
    three = sorted(m.pk for m in members_world.a1)
    dues.dues_record_payment(branch=w.branch_a1, month=Period.containing(today(), "M"),
                             paid=three)
    client = login(w.branch_secretary)
    url = reverse("members:dues_sheet", args=[w.branch_a1.pk])

    missing = client.post(url, {"paid": [three[0]]}, follow=True)
    quarter = client.post(url, {"thang": "quý I/2024", "paid": [three[0]]}, follow=True)

    assert missing.status_code == quarter.status_code == 200
    assert "Chưa lưu sổ đoàn phí: Chưa chọn tháng" in missing.content.decode()
    assert "Tháng “quý I/2024” không hợp lệ: hãy nhập một tháng" in quarter.content.decode()
    assert _paid_this_month(members_world) == three
    assert DuesEntry.objects.filter(month=JAN).count() == 0


def test_sec8_remittance_with_an_invalid_or_missing_period_writes_nothing(
        members_world: MembersWorld) -> None:
    from doanvu.members.models import Remittance

    w = members_world.world
    client = login(w.district_a_cadre)
    url = reverse("members:remittance", args=[w.commune_a1.pk])
    data = {"amount_sent": "1500", "sent_on": "05/04/2024"}

    invalid = client.post(url + "?ky=31/02/2020", data)
    missing = client.post(url, data)
    ok = client.post(url, {**data, "ky": "quý I/2024"})

    assert (invalid.status_code, missing.status_code, ok.status_code) == (400, 400, 302)
    assert "Chưa ghi: Kỳ “31/02/2020” không hợp lệ." in invalid.content.decode()
    assert "Chưa ghi: Chưa chọn kỳ" in missing.content.decode()
    assert [str(r.period) for r in Remittance.objects.all()] == ["quý I/2024"]
