"""MEM-10 ghost-member audit: reasons, scope, bounded queries, merge and removal actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doanvu.accounts.scope import Scope
from doanvu.audit.models import AuditRecord
from doanvu.common.cccd import likely_cccd
from doanvu.common.dates import today
from doanvu.common.periods import Period
from doanvu.members.ghost import services as audit_report
from doanvu.members.models import (
    Attendance,
    DuesEntry,
    Meeting,
    Membership,
    MemberStatus,
    RemovalProposal,
)
from doanvu.org import services as org_services
from doanvu.org.models import Person
from tests.conftest import login
from tests.members.conftest import MembersWorld, make_member


def _sections(report: audit_report.GhostReport) -> dict[str, audit_report.Section]:
    return {s.code: s for s in report.sections}


def _recent(months: int) -> dt.date:
    return audit_report._months_ago(today(), months)


def test_mem10_inactive_members_listed_unless_dues_or_attendance(
    members_world: MembersWorld,
) -> None:
    w = members_world.world
    an, bich, duc = members_world.a1
    day = _recent(2)
    DuesEntry.objects.create(
        membership=an,
        month=Period.month(day.year, day.month),
        amount_due=2000,
        amount_paid=2000,
        paid_on=day,
    )
    meeting = Meeting.objects.create(unit=w.branch_a1, date=day)
    Attendance.objects.create(meeting=meeting, membership=bich, status="co_mat")
    old = _recent(14)
    DuesEntry.objects.create(
        membership=duc, month=Period.month(old.year, old.month), amount_due=2000, amount_paid=2000
    )  # too long ago
    report = audit_report.ghost_report(scope=Scope.for_user(w.district_a_cadre), unit=w.district_a)
    inactive = _sections(report)["khong_hoat_dong"]
    assert [m.pk for m in inactive.rows] == [duc.pk]
    assert inactive.total == 1


def test_mem10_same_name_birth_hometown_grouped(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    twin = make_member(
        w.branch_a1, "NGUYỄN VĂN AN", birth=dt.date(2000, 1, 15), hometown="tay ninh"
    )
    make_member(w.branch_a1, "Nguyễn Văn An", birth=dt.date(2000, 1, 16))  # another person
    report = audit_report.ghost_report(scope=Scope.for_user(w.district_a_cadre), unit=w.district_a)
    names = _sections(report)["ten"]
    assert names.total == 1
    assert [[m.pk for m in g] for g in names.groups] == [[an.pk, twin.pk]]


def test_mem10_cccd_that_lost_its_leading_zero_is_listed(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]  # 072200001234
    lost = make_member(w.branch_a1, "Nguyen Van Ann", cccd="72200001234")
    # one digit short of 072301005678: it becomes 007230100567, a different number
    spaced = make_member(w.branch_a1, "Tran Thi B", cccd="0723 0100567")
    report = audit_report.ghost_report(scope=Scope.for_user(w.district_a_cadre), unit=w.district_a)
    groups = _sections(report)["cccd"].groups
    assert [[m.pk for m in g] for g in groups] == [[an.pk, lost.pk]]
    assert spaced.pk not in [m.pk for g in groups for m in g]
    assert likely_cccd("0722 0000 1234") == "072200001234"
    assert likely_cccd("abc") is None


def test_mem10_past_maturity_age_without_union_post(members_world: MembersWorld) -> None:
    w = members_world.world
    old = make_member(w.branch_a1, "Hồ Văn Lớn", birth=dt.date(1980, 1, 1))
    cadre = make_member(w.branch_a1, "Hồ Văn Bí Thư", birth=dt.date(1981, 1, 1))
    Membership.objects.filter(pk=cadre.pk).update(holds_union_post=True)
    report = audit_report.ghost_report(scope=Scope.for_user(w.district_a_cadre), unit=w.district_a)
    assert [m.pk for m in _sections(report)["qua_tuoi"].rows] == [old.pk]
    assert report.maturity_age == 30


def test_mem10_members_of_dissolved_units_and_scope(members_world: MembersWorld) -> None:
    w = members_world.world
    org_services.unit_dissolve(actor=None, unit=w.branch_b1, on=dt.date(2024, 1, 1))
    province = audit_report.ghost_report(
        scope=Scope.for_user(w.province_secretary), unit=w.province
    )
    assert [m.pk for m in _sections(province)["giai_the"].rows] == [members_world.b1[0].pk]
    district_a = audit_report.ghost_report(
        scope=Scope.for_user(w.district_a_cadre), unit=w.district_a
    )
    assert _sections(district_a)["giai_the"].rows == []
    # the district A cadre sees nothing of district B even when asking about the province
    scope_a = Scope.for_user(w.district_a_cadre)
    seen = audit_report.ghost_report(scope=scope_a, unit=w.province)
    assert all(m.branch_id != w.branch_b1.pk for s in seen.sections for m in s.rows)


def test_mem10_report_queries_do_not_grow_with_members(members_world: MembersWorld) -> None:
    w = members_world.world
    scope = Scope.for_user(w.province_secretary)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            audit_report.ghost_report(scope=scope, unit=w.province)
        return len(ctx.captured_queries)

    for i in range(4):
        make_member(w.branch_a1, f"Trùng Tên {i % 2}", birth=dt.date(1985, 1, 1 + i % 2))
    few = count()
    for i in range(30):
        make_member(w.branch_a1, f"Trùng Tên {i % 5}", birth=dt.date(1985, 1, 1 + i % 5))
    assert count() == few
    assert few <= 12


def test_mem10_merge_duplicate_in_same_branch(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    twin = make_member(w.branch_a1, "Nguyễn Văn An", birth=dt.date(2000, 1, 15))
    Person.objects.filter(pk=twin.person_id).update(phone="0912345678")
    drop_id = twin.person_id
    result = audit_report.person_merge(actor=w.district_a_cadre, keep=an.person, drop=twin.person)
    twin.refresh_from_db()
    assert twin.person_id == an.person_id
    assert (twin.is_current, twin.status) == (False, MemberStatus.REMOVED)
    assert [m.pk for m in result.ended] == [twin.pk]
    assert Person.objects.filter(pk=drop_id).exists() is False
    an.person.refresh_from_db()
    assert (an.person.phone, an.person.cccd) == ("0912345678", "072200001234")
    assert Membership.objects.filter(person=an.person, is_current=True).count() == 1
    record = AuditRecord.objects.filter(
        model="org.person", object_pk=str(drop_id), action="delete"
    ).first()
    assert record is not None
    assert record.reason == f"Gộp hồ sơ trùng: Nguyễn Văn An (#{drop_id}) vào #{an.person_id}"
    moved = AuditRecord.objects.filter(
        model="members.membership", object_pk=str(twin.pk), action="update"
    ).order_by("id")
    assert [r.reason for r in moved] == [record.reason, record.reason]


def test_mem10_merge_moves_old_membership_of_a_person_without_current(
    members_world: MembersWorld,
) -> None:
    w = members_world.world
    an = members_world.a1[0]
    old = make_member(w.branch_b1, "Nguyễn Văn An", birth=dt.date(2000, 1, 15))
    Membership.objects.filter(pk=old.pk).update(is_current=False, status=MemberStatus.TRANSFERRED)
    audit_report.person_merge(actor=None, keep=an.person, drop=old.person)
    old.refresh_from_db()
    assert (old.person_id, old.status) == (an.person_id, MemberStatus.TRANSFERRED)


def test_mem10_merge_refused_for_current_members_of_two_branches(
    members_world: MembersWorld,
) -> None:
    w = members_world.world
    an = members_world.a1[0]
    other = make_member(w.branch_b1, "Nguyễn Văn An", birth=dt.date(2000, 1, 15))
    with pytest.raises(audit_report.GhostError) as exc:
        audit_report.person_merge(actor=None, keep=an.person, drop=other.person)
    assert str(exc.value).startswith(
        "Cả hai hồ sơ đang sinh hoạt ở hai chi đoàn khác nhau "
        "(Chi đoàn ấp Bình Phong và Chi đoàn ấp Tân Đông)."
    )
    assert Person.objects.filter(pk=other.person_id).exists()
    with pytest.raises(audit_report.GhostError):
        audit_report.person_merge(actor=None, keep=an.person, drop=members_world.a1[1].person)


def test_mem10_propose_removal_once(members_world: MembersWorld) -> None:
    duc = members_world.a1[2]
    p = audit_report.ghost_removal_propose(
        actor=None, membership=duc, reason="Không đóng đoàn phí 12 tháng"
    )
    assert (p.reason, p.status) == ("Rà soát đoàn viên ảo: Không đóng đoàn phí 12 tháng", "de_nghi")
    with pytest.raises(audit_report.GhostError):
        audit_report.ghost_removal_propose(actor=None, membership=duc, reason="lại")
    assert RemovalProposal.objects.count() == 1


def test_mem10_pages_and_actions(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    twin = make_member(w.branch_a1, "Nguyễn Văn An", birth=dt.date(2000, 1, 15))
    client = login(w.district_a_cadre)
    page = client.get(f"/don-vi/{w.district_a.pk}/doan-vien-ao/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Trùng họ tên, ngày sinh và quê quán" in body
    assert "Tân Đông" not in body
    r = client.post(
        f"/don-vi/{w.district_a.pk}/doan-vien-ao/de-nghi-xoa-ten/",
        {"member": members_world.a1[2].pk, "reason": "Không sinh hoạt"},
    )
    assert r.status_code == 302
    assert RemovalProposal.objects.get().membership_id == members_world.a1[2].pk
    r = client.post(
        f"/don-vi/{w.district_a.pk}/doan-vien-ao/gop-ho-so/",
        {"keep": an.person_id, "drop": twin.person_id},
    )
    assert r.status_code == 302
    assert Person.objects.filter(pk=twin.person_id).exists() is False


def test_mem10_pages_outsiders_get_404(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    twin = make_member(w.branch_a1, "Nguyễn Văn An", birth=dt.date(2000, 1, 15))
    for user in (w.outsider, w.district_b_cadre):
        client = login(user)
        assert client.get(f"/don-vi/{w.district_a.pk}/doan-vien-ao/").status_code == 404
        assert (
            client.post(
                f"/don-vi/{w.district_a.pk}/doan-vien-ao/gop-ho-so/",
                {"keep": an.person_id, "drop": twin.person_id},
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/don-vi/{w.district_a.pk}/doan-vien-ao/de-nghi-xoa-ten/", {"member": an.pk}
            ).status_code
            == 404
        )
    # district B's cadre cannot pull district A's persons into its own unit's action
    client = login(w.district_b_cadre)
    assert (
        client.post(
            f"/don-vi/{w.district_b.pk}/doan-vien-ao/gop-ho-so/",
            {"keep": an.person_id, "drop": twin.person_id},
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/don-vi/{w.district_b.pk}/doan-vien-ao/de-nghi-xoa-ten/", {"member": an.pk}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/don-vi/{w.district_b.pk}/doan-vien-ao/gop-ho-so/",
            {"keep": "x", "drop": "99999999999999999999"},
        ).status_code
        == 404
    )
    assert Person.objects.filter(pk=twin.person_id).exists()
    assert RemovalProposal.objects.count() == 0
    # a branch secretary reads its branch's report but cannot act beyond its branch
    secretary = login(w.branch_secretary)
    assert secretary.get(f"/don-vi/{w.branch_a1.pk}/doan-vien-ao/").status_code == 200
    assert secretary.get(f"/don-vi/{w.commune_a1.pk}/doan-vien-ao/").status_code == 404
