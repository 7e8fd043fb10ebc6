"""MEM-9 recruitment "1+1": referrals, outcomes, and the share of members who referred."""

from __future__ import annotations

import datetime as dt

import pytest

from doanvu.accounts.scope import Scope
from doanvu.members.models import Referral, ReferralOutcome
from doanvu.members.referrals import services as referrals
from tests.conftest import login
from tests.members.conftest import MembersWorld, make_member


def test_mem9_referral_recorded_and_admission_linked(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    r = referrals.referral_create(
        actor=w.branch_secretary,
        referrer=an,
        full_name="  Võ   Thị Hoa ",
        referred_on=dt.date(2024, 3, 1),
        birth_date=dt.date(2008, 2, 2),
        phone="0912 345 678",
    )
    assert (r.full_name, r.phone, r.outcome) == (
        "Võ Thị Hoa",
        "0912345678",
        ReferralOutcome.PENDING,
    )
    hoa = make_member(
        w.branch_a1, "Võ Thị Hoa", birth=dt.date(2008, 2, 2), joined=dt.date(2024, 3, 26)
    )
    referrals.referral_set_outcome(
        actor=None, referral=r, outcome=ReferralOutcome.ADMITTED, admitted=hoa
    )
    r.refresh_from_db()
    assert (r.outcome, r.admitted_membership_id) == (ReferralOutcome.ADMITTED, hoa.pk)


def test_mem9_admission_needs_a_later_membership(members_world: MembersWorld) -> None:
    an, binh = members_world.a1[0], members_world.a1[1]
    r = referrals.referral_create(
        actor=None, referrer=an, full_name="Lê Văn Tý", referred_on=dt.date(2024, 3, 1)
    )
    with pytest.raises(referrals.ReferralError) as exc:
        referrals.referral_set_outcome(actor=None, referral=r, outcome=ReferralOutcome.ADMITTED)
    assert str(exc.value) == "Hãy chọn hồ sơ đoàn viên của thanh niên đã được kết nạp."
    with pytest.raises(referrals.ReferralError) as exc:
        referrals.referral_set_outcome(
            actor=None, referral=r, outcome=ReferralOutcome.ADMITTED, admitted=binh
        )
    assert str(exc.value) == (
        "Trần Thị Bích vào Đoàn ngày 26/03/2016, trước ngày được giới "
        "thiệu: không phải kết quả của lần giới thiệu này."
    )
    referrals.referral_set_outcome(actor=None, referral=r, outcome=ReferralOutcome.DECLINED)
    r.refresh_from_db()
    assert (r.outcome, r.admitted_membership_id) == (ReferralOutcome.DECLINED, None)


def test_mem9_bad_referrals_refused(members_world: MembersWorld) -> None:
    an = members_world.a1[0]
    with pytest.raises(referrals.ReferralError):
        referrals.referral_create(
            actor=None, referrer=an, full_name=" ", referred_on=dt.date(2024, 1, 1)
        )
    with pytest.raises(referrals.ReferralError):
        referrals.referral_create(
            actor=None, referrer=an, full_name="A", referred_on=dt.date(2015, 1, 1)
        )  # before joining the branch
    with pytest.raises(referrals.ReferralError):
        referrals.referral_create(
            actor=None,
            referrer=an,
            full_name="A",
            referred_on=dt.date(2024, 1, 1),
            birth_date=dt.date(2024, 6, 1),
        )
    assert Referral.objects.count() == 0


def test_mem9_share_of_members_who_referred_per_branch(members_world: MembersWorld) -> None:
    w = members_world.world
    an, binh, _ = members_world.a1
    for who, name in [(an, "Tý"), (an, "Tèo"), (binh, "Hoa")]:
        referrals.referral_create(
            actor=None, referrer=who, full_name=name, referred_on=dt.date(2024, 5, 1)
        )
    referrals.referral_create(
        actor=None, referrer=members_world.b1[0], full_name="Mai", referred_on=dt.date(2023, 5, 1)
    )
    share = referrals.referral_share(
        scope=Scope.for_user(w.province_secretary), unit=w.province, year=2024
    )
    assert [(r.unit.name, r.members, r.count, r.percent) for r in share] == [
        ("Chi đoàn ấp Bình Phong", 3, 2, 67),
        ("Chi đoàn ấp Tân Đông", 1, 0, 0),
    ]
    only_a = referrals.referral_share(
        scope=Scope.for_user(w.district_a_cadre), unit=w.province, year=2024
    )
    assert [r.unit.name for r in only_a] == ["Chi đoàn ấp Bình Phong"]


def test_mem9_referral_pages(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    url = f"/chi-doan/{w.branch_a1.pk}/gioi-thieu/"
    client = login(w.branch_secretary)
    response = client.post(
        url,
        {
            "full_name": "Võ Thị Hoa",
            "referred_on": "01/03/2024",
            "birth_date": "02/02/2008",
            "phone": "",
            "referrer": an.pk,
        },
    )
    assert response.status_code == 302
    r = Referral.objects.get()
    assert (r.referrer_id, r.full_name, r.referred_on) == (an.pk, "Võ Thị Hoa", dt.date(2024, 3, 1))
    page = client.get(url)
    assert page.status_code == 200
    assert "Võ Thị Hoa" in page.content.decode()
    bad = client.post(url, {"full_name": "", "referred_on": "31/02/2024", "referrer": an.pk})
    assert bad.status_code == 400
    assert "Ngày “31/02/2024” không tồn tại: tháng 2/2024 chỉ có 29 ngày." in bad.content.decode()
    response = client.post(f"/gioi-thieu/{r.pk}/ket-qua/", {"outcome": "khong_ket_nap"})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.outcome == "khong_ket_nap"


def test_mem9_referral_pages_outsiders_get_404(members_world: MembersWorld) -> None:
    w = members_world.world
    r = referrals.referral_create(
        actor=None, referrer=members_world.a1[0], full_name="Tý", referred_on=dt.date(2024, 3, 1)
    )
    for user in (w.outsider, w.district_b_cadre):
        client = login(user)
        assert client.get(f"/chi-doan/{w.branch_a1.pk}/gioi-thieu/").status_code == 404
        assert (
            client.post(f"/gioi-thieu/{r.pk}/ket-qua/", {"outcome": "khong_ket_nap"}).status_code
            == 404
        )
        assert client.post("/gioi-thieu/999999/ket-qua/", {"outcome": "x"}).status_code == 404
    r.refresh_from_db()
    assert r.outcome == ReferralOutcome.PENDING
    # a reader of the branch cannot record anything
    district_b_branch = login(w.district_b_cadre)
    assert district_b_branch.get(f"/chi-doan/{w.branch_b1.pk}/gioi-thieu/").status_code == 200
