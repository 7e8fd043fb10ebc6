"""X-3: the scoped list of sessions (used by the API) reads what `session_get` reads: the
issuing unit's, the inspected unit's and a team member's sessions, nothing of another unit."""

from __future__ import annotations

from doanvu.accounts.scope import Scope
from doanvu.inspections import selectors
from tests.inspections.conclusion_world import Concl, concl  # noqa: F401
from tests.inspections.conftest import ins  # noqa: F401


def test_x3_sessions_readable_match_session_get(concl: Concl) -> None:  # noqa: F811
    w = concl.ins.world
    both = {concl.session, concl.session_2019}

    def listed(user: object, **filters: object) -> set[object]:
        return set(selectors.sessions_readable(scope=Scope.for_user(user), **filters))

    assert listed(w.province_secretary) == both
    assert listed(w.province_secretary, year=2020) == {concl.session}
    assert listed(w.province_secretary, unit_id=w.district_b.pk) == set()
    assert listed(w.province_secretary, status="khong_kiem_tra") == set()
    assert listed(w.district_a_cadre) == both  # the inspected unit
    assert listed(concl.member_user) == {concl.session}  # a member of team 1 only
    assert listed(w.district_b_cadre) == set()
    assert listed(w.outsider) == set()
