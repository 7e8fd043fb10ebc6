"""MEM-11 branch structure advice: thresholds from policy, merge carried out via org."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from doanvu.accounts.scope import Scope
from doanvu.members.models import Membership, MemberStatus
from doanvu.members.structure import services as structure
from doanvu.org import services as org_services
from doanvu.org.models import Unit
from tests.conftest import World, kind, login
from tests.members.conftest import MembersWorld, make_member

D = dt.date(2017, 1, 1)


def _branch(world: World, parent: Unit, name: str, members: int) -> Unit:
    b = org_services.unit_create(
        actor=None, parent=parent, name=name, kind=kind("chi_doan"), founded_on=D
    )
    for i in range(members):
        make_member(b, f"{name} {i}")
    return b


def test_mem11_small_branch_merges_into_smallest_sibling_large_splits(
    members_world: MembersWorld,
) -> None:
    w = members_world.world
    members_world.policy.branch_min_members = 5
    members_world.policy.branch_max_members = 10
    members_world.policy.save()
    mid = _branch(w, w.commune_a1, "Chi đoàn ấp Giữa", 6)
    big = _branch(w, w.commune_a1, "Chi đoàn ấp Lớn", 23)
    report = structure.structure_advice(scope=Scope.for_user(w.district_a_cadre), unit=w.district_a)
    got = [
        (
            a.branch.name,
            a.members,
            a.action,
            a.target.name if a.target else None,
            a.parts,
            a.can_carry_out,
        )
        for a in report.advice
    ]
    assert got == [
        # branch_a1 (3 members) → the smallest sibling is Giữa (6), not Lớn (23)
        ("Chi đoàn ấp Bình Phong", 3, "merge", "Chi đoàn ấp Giữa", 0, True),
        ("Chi đoàn ấp Lớn", 23, "split", None, 3, True),
    ]
    assert mid.pk != big.pk
    secretary = structure.structure_advice(
        scope=Scope.for_user(w.branch_secretary), unit=w.branch_a1
    )
    assert [(a.branch.pk, a.can_carry_out) for a in secretary.advice] == [(w.branch_a1.pk, False)]


def test_mem11_advice_queries_bounded(members_world: MembersWorld) -> None:
    w = members_world.world
    for i in range(8):
        _branch(w, w.commune_a2, f"Chi đoàn ấp {i}", i % 3)
    with CaptureQueriesContext(connection) as ctx:
        report = structure.structure_advice(
            scope=Scope.for_user(w.province_secretary), unit=w.province
        )
    assert len(ctx.captured_queries) <= 4
    assert len(report.advice) == 10  # every branch here is below 5 members


def test_mem11_merge_carried_out_moves_members(members_world: MembersWorld) -> None:
    w = members_world.world
    target = _branch(w, w.commune_a1, "Chi đoàn ấp Bình Hòa", 2)
    on = dt.date(2025, 3, 1)
    plan, moving = structure.merge_preview(branch=w.branch_a1, target=target, on=on)
    assert (plan.target.pk, moving) == (target.pk, 3)
    moved = structure.branch_merge_carry_out(
        actor=w.district_a_cadre, branch=w.branch_a1, target=target, on=on, decision="12-QĐ/ĐTN"
    )
    assert moved == 3
    w.branch_a1.refresh_from_db()
    assert w.branch_a1.dissolved_on == on
    assert Membership.objects.filter(branch=target, is_current=True).count() == 5
    old = Membership.objects.filter(branch=w.branch_a1)
    assert (
        sorted(old.values_list("status", "is_current", "ended_on"))
        == [(MemberStatus.TRANSFERRED, False, on)] * 3
    )


def test_mem11_pages_and_outsiders(members_world: MembersWorld) -> None:
    w = members_world.world
    target = _branch(w, w.commune_a1, "Chi đoàn ấp Bình Hòa", 6)
    url = f"/don-vi/{w.district_a.pk}/co-cau-chi-doan/"
    merge_url = f"/chi-doan/{w.branch_a1.pk}/sap-nhap-lien-ap/{target.pk}/"
    client = login(w.district_a_cadre)
    page = client.get(url)
    assert page.status_code == 200
    assert merge_url in page.content.decode()
    preview = client.post(merge_url, {"on": "01/03/2025", "decision": ""})
    assert preview.status_code == 200
    assert "3</strong> đoàn viên đang sinh hoạt chuyển sang" in preview.content.decode()
    w.branch_a1.refresh_from_db()
    assert w.branch_a1.dissolved_on is None
    for user in (w.outsider, w.district_b_cadre, w.branch_secretary):
        other = login(user)
        assert other.get(merge_url).status_code == 404
        assert other.post(merge_url, {"on": "01/03/2025", "confirm": "1"}).status_code == 404
    for user in (w.outsider, w.district_b_cadre):
        assert login(user).get(url).status_code == 404
    # a branch of another commune is not a sibling
    far = f"/chi-doan/{w.branch_a1.pk}/sap-nhap-lien-ap/{w.branch_b1.pk}/"
    assert client.get(far).status_code == 404
    done = client.post(merge_url, {"on": "01/03/2025", "decision": "", "confirm": "1"})
    assert done.status_code == 302
    assert Membership.objects.filter(branch=target, is_current=True).count() == 9
