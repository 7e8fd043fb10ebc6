"""Issue 10, item 11: ages as the Union counts them (HD 22-HD/TWĐTN, the Charter).

"Từ 16 tuổi" starts at 15 years and one day; "quá 30 tuổi" starts the day after the 30th
birthday. Admission, maturity, the ghost audit's "over age" list, the import's checks and the
members list's age bands all compare through core.rules.union_age, counted as the policy says
(MembersPolicy.age_counting)."""

from __future__ import annotations

import datetime as dt

import pytest

from doanvu.accounts.scope import Scope
from doanvu.members.core import rules, services
from doanvu.members.core.selectors import member_filter
from doanvu.members.ghost import services as ghost
from doanvu.members.models import MemberStatus
from tests.members.conftest import MembersWorld, make_member
from tests.members.test_core_services import person

ON = dt.date(2025, 3, 26)


def _ago(years: int, days: int = 0) -> dt.date:
    return rules.years_before(ON, years) - dt.timedelta(days=days)


@pytest.mark.parametrize(("birth_years", "extra_days", "admitted"), [
    (15, 0, False),  # 15th birthday today: not yet "16"
    (15, 1, True),  # 15 years and one day
    (30, 0, True),  # 30th birthday today: not over 30
    (30, 1, False),  # the day after: over 30
])
def test_i10_admit_service_counts_ages_the_unions_way(
        members_world: MembersWorld, birth_years: int, extra_days: int, admitted: bool) -> None:
    w = members_world.world
    birth = _ago(birth_years, extra_days)
    try:
        m = services.member_admit(actor=None, branch=w.branch_a1,
                                  person=person(birth=birth, gender="nu"),
                                  joined_union_on=ON)
    except services.AdmissionError as exc:
        assert not admitted, exc.message
    else:
        assert admitted and m.is_current


def test_i10_admit_with_completed_years_policy(members_world: MembersWorld) -> None:
    members_world.policy.age_counting = rules.AGE_COMPLETED
    members_world.policy.save()
    with pytest.raises(services.AdmissionError):
        services.member_admit(actor=None, branch=members_world.world.branch_a1,
                              person=person(birth=_ago(15, 1), gender="nu"),
                              joined_union_on=ON)


def test_i10_maturity_from_the_day_after_the_30th_birthday(members_world: MembersWorld) -> None:
    w = members_world.world
    thirty_today = make_member(w.branch_a1, "Đoàn Văn Ba Mươi", birth=_ago(30))
    past_thirty = make_member(w.branch_a1, "Đoàn Văn Quá", birth=_ago(30, 1))

    with pytest.raises(services.LifecycleError) as exc:
        services.member_mature(actor=None, membership=thirty_today, on=ON)
    matured = services.member_mature(actor=None, membership=past_thirty, on=ON)

    assert "chưa quá 30 tuổi" in exc.value.message
    assert matured.status == MemberStatus.MATURED


def test_i10_ghost_audit_lists_over_30_from_the_day_after(members_world: MembersWorld) -> None:
    w = members_world.world
    thirty_today = make_member(w.branch_a1, "Đoàn Văn Ba Mươi", birth=_ago(30))
    past_thirty = make_member(w.branch_a1, "Đoàn Văn Quá", birth=_ago(30, 1))

    report = ghost.ghost_report(scope=Scope.for_user(w.district_a_cadre), unit=w.district_a,
                                day=ON)
    over = [m.pk for s in report.sections if s.code == "qua_tuoi" for m in s.rows]

    assert past_thirty.pk in over
    assert thirty_today.pk not in over


def test_i10_age_band_filter_counts_the_unions_way(members_world: MembersWorld) -> None:
    w = members_world.world
    fifteen_and_a_day = make_member(w.branch_a1, "Bé Một Ngày", birth=_ago(15, 1))
    fifteen_today = make_member(w.branch_a1, "Bé Hôm Nay", birth=_ago(15))

    scope = Scope.for_user(w.branch_secretary)
    band = {m.pk for m in member_filter(scope=scope, unit=w.branch_a1,
                                        filters={"tuoi": "16-18"}, day=ON)}

    assert fifteen_and_a_day.pk in band
    assert fifteen_today.pk not in band
