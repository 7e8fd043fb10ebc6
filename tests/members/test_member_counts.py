"""Maintained member counts (issue 11): the triggers keep members_membertally equal to a recount
through every write path, the check command reports and fixes a difference, and the member
list's sub-unit counts read the table."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from doanvu.accounts.scope import Scope
from doanvu.members import tally
from doanvu.members.core import rules, services
from doanvu.members.core.selectors import sub_unit_counts
from doanvu.members.models import Membership, MemberStatus, MemberTally
from tests.members.conftest import MembersWorld

ON = dt.date(2025, 6, 2)


def person(name: str, *, birth: dt.date = dt.date(2004, 2, 3), gender: str = "nu",
           serial: int = 4321) -> services.PersonInput:
    cccd = rules.make_cccd(province="072", gender=gender, birth_year=birth.year, serial=serial)
    return services.PersonInput(full_name=name, birth_date=birth, gender=gender, cccd=cccd)


def count(path: str, status: str = MemberStatus.ACTIVE) -> int:
    return tally.totals([path], status=status)[path]


def test_fixture_members_are_counted_at_every_level(members_world: MembersWorld) -> None:
    w = members_world.world
    assert [count(u.path) for u in (w.centre, w.province, w.district_a, w.commune_a1,
                                     w.branch_a1, w.district_b, w.commune_a2)] == [
        4, 4, 3, 3, 3, 1, 0]
    assert tally.breakdown([w.district_a.path], status=MemberStatus.ACTIVE,
                           by=("gender", "birth_year"))[w.district_a.path] == {
        ("nam", 2000): 1, ("nu", 2001): 1, ("nam", 1999): 1}
    assert tally.differences() == []


def test_admission_removal_and_death_move_counts(members_world: MembersWorld) -> None:
    w = members_world.world
    m = services.member_admit(actor=None, branch=w.branch_b1, person=person("Võ Thị Hồng"),
                              joined_union_on=ON)
    assert (count(w.branch_b1.path), count(w.centre.path)) == (2, 5)
    services.member_remove(actor=None, membership=m, on=ON, reason="thử")
    services.member_deceased(actor=None, membership=members_world.a1[0], on=ON)
    assert (count(w.branch_b1.path), count(w.centre.path)) == (1, 3)
    # ended memberships are no longer current: they leave the counts of every status
    assert count(w.centre.path, MemberStatus.REMOVED) == 0
    assert tally.differences() == []


def test_raw_update_and_delete_are_counted(members_world: MembersWorld) -> None:
    """Writes that bypass the services (queryset update, raw SQL) keep the counts too."""
    w = members_world.world
    Membership.objects.filter(branch=w.branch_a1).update(unit_path=w.branch_b1.path)
    assert (count(w.branch_a1.path), count(w.branch_b1.path)) == (0, 4)
    with connection.cursor() as cur:
        cur.execute("UPDATE members_membership SET gender = 'nu', birth_date = NULL")
    assert tally.breakdown([w.centre.path], status=MemberStatus.ACTIVE,
                           by=("gender", "birth_year"))[w.centre.path] == {("nu", 0): 4}
    Membership.objects.filter(pk=members_world.b1[0].pk).update(has_salary=True)
    assert tally.differences() == []


def test_check_command_reports_then_fixes_a_difference(members_world: MembersWorld) -> None:
    w = members_world.world
    out = StringIO()
    call_command("member_counts", stdout=out)
    assert "khớp" in out.getvalue()
    MemberTally.objects.filter(path=w.province.path, gender="nu").update(n=7)

    out = StringIO()
    with pytest.raises(CommandError) as err:
        call_command("member_counts", stdout=out)
    assert err.value.returncode == 1
    assert f"đơn vị {w.province.path}, tình trạng dang_sinh_hoat, giới tính nu, năm sinh 2001: " \
           "bảng ghi 7, đếm lại 1" in out.getvalue()

    call_command("member_counts", "--sua", stdout=StringIO())
    assert tally.differences() == []
    assert count(w.province.path) == 4


def test_member_list_sub_unit_counts_read_the_table(members_world: MembersWorld) -> None:
    w = members_world.world
    scope = Scope.for_user(w.admin)
    assert [(c.name, n) for c, n in sub_unit_counts(scope=scope, unit=w.province)] == [
        ("Huyện đoàn Châu Thành", 3), ("Huyện đoàn Tân Biên", 1)]
    # the table is what is read: a hand-made difference shows
    MemberTally.objects.filter(path=w.district_b.path).update(n=9)
    assert dict((c.name, n) for c, n in sub_unit_counts(scope=scope, unit=w.province))[
        "Huyện đoàn Tân Biên"] == 9


def test_api_counts_by_gender_and_age_band(members_world: MembersWorld) -> None:
    from doanvu.members import api

    w = members_world.world
    scope = Scope.for_user(w.admin)
    assert api.member_counts(scope=scope, units=[w.province, w.commune_a2]) == {
        w.province.pk: 4, w.commune_a2.pk: 0}
    # born 2000, 2001, 1999 (branch a1) and 2001 (b1): in 2025 aged 25, 24, 26, 24
    assert api.member_count_breakdown(scope=scope, units=[w.province], by=("gender", "age_band"),
                                      year=2025)[w.province.pk] == {
        ("nam", "24-30"): 3, ("nu", "24-30"): 1}
    assert api.member_count_breakdown(scope=scope, units=[w.province], by=("age_band",),
                                      year=2019)[w.province.pk] == {
        ("19-23",): 2, ("16-18",): 2}


def test_counts_respect_scope(members_world: MembersWorld) -> None:
    """A reader sees counts only of what they reach: a district cadre nothing of the other
    district; a unit-reach grant on a commune counts only the commune's own members."""
    from doanvu.accounts.models import Reach, RoleGrant, RoleType
    from doanvu.members import api

    w = members_world.world
    district_b = Scope.for_user(w.district_b_cadre)
    assert api.member_counts(scope=district_b, units=[w.district_a, w.district_b]) == {
        w.district_a.pk: 0, w.district_b.pk: 1}
    assert [(c.name, n) for c, n in sub_unit_counts(scope=district_b, unit=w.province)] == [
        ("Huyện đoàn Tân Biên", 1)]
    role = RoleType.objects.create(name="Xem một đơn vị", reach=Reach.UNIT, permissions=["read"])
    RoleGrant.objects.create(user=w.outsider, role_type=role, unit=w.commune_a1,
                             start_date=dt.date(2020, 1, 1))
    one_unit = Scope.for_user(w.outsider)
    assert api.member_counts(scope=one_unit, units=[w.commune_a1]) == {w.commune_a1.pk: 0}
    RoleGrant.objects.create(user=w.outsider, role_type=role, unit=w.branch_a1,
                             start_date=dt.date(2020, 1, 1))
    assert api.member_counts(scope=Scope.for_user(w.outsider), units=[w.commune_a1]) == {
        w.commune_a1.pk: 3}


def test_dues_rollup_of_this_month_reads_the_counts(members_world: MembersWorld) -> None:
    from doanvu.common.dates import today
    from doanvu.common.periods import Period
    from doanvu.members.dues.services import _members_in_month, dues_rollup

    w = members_world.world
    month = Period.month(today().year, today().month)
    lines = {line.name: line.members for line in dues_rollup(unit=w.province, month=month).lines}
    assert lines == {"Huyện đoàn Châu Thành": 3, "Huyện đoàn Tân Biên": 1}
    assert dict(_members_in_month(w.province, month)) == {
        w.district_a.path: 3, w.district_b.path: 1}
    MemberTally.objects.filter(path=w.district_b.path).update(n=5)
    assert {line.name: line.members for line in dues_rollup(unit=w.province,
                                                            month=month).lines}[
        "Huyện đoàn Tân Biên"] == 5


def test_maturity_and_transfer_move_counts(members_world: MembersWorld) -> None:
    from tests.members.conftest import make_member

    w = members_world.world
    old = make_member(w.branch_b1, "Lê Văn Lão", birth=dt.date(1990, 3, 4))
    assert count(w.branch_b1.path) == 2
    services.member_mature(actor=None, membership=old, on=ON)
    assert count(w.branch_b1.path) == 1
    t = services.transfer_request(actor=None, membership=members_world.a1[0],
                                  to_branch=w.branch_b1, kind="chinh_thuc", requested_on=ON)
    assert (count(w.branch_a1.path), count(w.branch_b1.path)) == (3, 1)  # counted at home
    services.transfer_accept(actor=None, transfer=t, on=ON)
    assert (count(w.branch_a1.path), count(w.branch_b1.path), count(w.province.path)) == (2, 2, 4)
    assert tally.differences() == []


def test_member_list_panel_of_counts_is_bounded(members_world: MembersWorld,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A province with hundreds of units directly under it: the panel shows the first
    SUB_UNITS_SHOWN with their counts and says how many more there are; page 2 has no panel."""
    from django.test import Client

    from doanvu.members.core import views

    w = members_world.world
    monkeypatch.setattr(views, "SUB_UNITS_SHOWN", 1)
    client = Client()
    client.force_login(w.admin)
    page = client.get(f"/doan-vien/?don_vi={w.province.pk}")
    assert [(c.name, n) for c, n in page.context["counts"]] == [("Huyện đoàn Châu Thành", 3)]
    assert page.context["more_sub_units"] == 1
    assert "và 1 đơn vị trực thuộc khác" in page.content.decode()
    monkeypatch.setattr(views, "SUB_UNITS_SHOWN", 2)
    page = client.get(f"/doan-vien/?don_vi={w.province.pk}")
    assert len(page.context["counts"]) == 2 and page.context["more_sub_units"] == 0
    assert 'data-testid="more-sub-units"' not in page.content.decode()
    page = client.get(f"/doan-vien/?don_vi={w.province.pk}&sau=a|1")
    assert page.context["counts"] == []
