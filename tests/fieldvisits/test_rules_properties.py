"""Properties of the regime's pure rules (issue 13, Done-when 1), with hypothesis: pro-rating is
monotone in the months exempted; adding a counted visit never lowers compliance; invitation-only
visits never count; a day is never counted twice, however visits overlap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from doanvu.fieldvisits import rules
from tests.fieldvisits.compliance_fixtures import YEAR, regime

FIRST = dt.date(YEAR, 1, 1)
KINDS = ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6")
PLACES = ("huyen", "co_so", "chi_doan")
POLICIES = st.sampled_from([
    regime(),
    regime(prorate="days"),
    regime(min_days=30, prorate_month_min_days=1),
    regime(levels=[{"code": "huyen", "label": "cấp huyện", "kinds": ["huyen"]},
                   {"code": "xa", "label": "cấp xã", "kinds": ["co_so"]},
                   {"code": "chi_doan", "label": "chi đoàn", "kinds": ["chi_doan"]}],
           days_by_level={"chi_doan": 30, "xa": 20, "huyen": 10},
           coverage={"tinh": ["huyen", "xa"]}),
    regime(one_plus_two="days_unit", one_plus_two_days=70),
])


@st.composite
def visits(draw: st.DrawFn, *, counted: bool | None = None) -> rules.VisitFact:
    start = FIRST + dt.timedelta(days=draw(st.integers(-20, 370)))
    end = start + dt.timedelta(days=draw(st.integers(0, 12)))
    invited = draw(st.booleans()) if counted is None else not counted
    reported = (end + dt.timedelta(days=draw(st.integers(0, 10)))
                if counted or draw(st.booleans()) else None)
    return rules.VisitFact(
        start=start, end=end, kind=draw(st.sampled_from(KINDS)), invitation_only=invited,
        reported_on=reported,
        place_kinds=tuple(draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=2))),
        assigned_place=draw(st.booleans()))


def year_of(policy: rules.RegimePolicy, facts: list[rules.VisitFact],
            required: rules.Requirement | None = None) -> rules.ComplianceResult:
    req = required or rules.requirement(policy, YEAR)
    return rules.compliance(policy, req, facts, cadre_kind="tinh", year=YEAR)


def progress(r: rules.ComplianceResult) -> tuple[int, ...]:
    """Every figure compliance may only raise when a counted visit is added."""
    return (r.counted_days, *r.by_level.values(), r.branch_meetings, r.assigned_unit_days)


@given(POLICIES, st.integers(0, 364), st.integers(0, 200), st.integers(0, 200))
def test_pro_rating_is_monotone_in_the_months_exempted(policy: rules.RegimePolicy, begin: int,
                                                       length: int, more: int) -> None:
    """Exempting a longer span (so more months) never requires more days, and the arithmetic
    always names the reason."""
    start = FIRST + dt.timedelta(days=begin)
    short = rules.StatusSpan("thai_san", "Nghỉ thai sản", start, start + dt.timedelta(days=length))
    long = rules.StatusSpan("thai_san", "Nghỉ thai sản", start,
                            start + dt.timedelta(days=length + more))
    a = rules.requirement(policy, YEAR, statuses=[short])
    b = rules.requirement(policy, YEAR, statuses=[long])
    none = rules.requirement(policy, YEAR)
    assert b.days <= a.days <= none.days == policy.min_days
    for code, need in b.by_level.items():
        assert need <= a.by_level[code] <= none.by_level[code]
    months_a = rules.exempt_months(policy, set(a.exempt_days), YEAR)
    months_b = rules.exempt_months(policy, set(b.exempt_days), YEAR)
    assert months_a <= months_b
    if not a.exempt and a.days < none.days:
        assert "nghỉ thai sản" in a.text and "=" in a.text


@given(POLICIES, st.lists(visits(), max_size=12), visits(counted=True))
def test_adding_a_counted_visit_never_lowers_compliance(policy: rules.RegimePolicy,
                                                        facts: list[rules.VisitFact],
                                                        extra: rules.VisitFact) -> None:
    before = year_of(policy, facts)
    after = year_of(policy, [*facts, extra])
    assert all(x >= y for x, y in zip(progress(after), progress(before), strict=True))
    assert after.met or not before.met
    assert after.missing.count(";") <= before.missing.count(";")
    if after.counted_days > before.counted_days:
        assert rules.days_by_month(policy, [*facts, extra], year=YEAR) != \
            rules.days_by_month(policy, facts, year=YEAR)


@given(POLICIES, st.lists(visits(), max_size=12), st.lists(visits(counted=False), max_size=6))
def test_invitation_only_visits_never_count(policy: rules.RegimePolicy,
                                            facts: list[rules.VisitFact],
                                            invited: list[rules.VisitFact]) -> None:
    assert all(rules.why_not_counted(policy, v).startswith("Không tính") for v in invited)
    assert year_of(policy, [*facts, *invited]) == year_of(policy, facts)
    assert year_of(policy, invited).counted_days == 0


@given(POLICIES, st.lists(visits(counted=True), min_size=1, max_size=12))
def test_days_are_never_counted_twice(policy: rules.RegimePolicy,
                                      facts: list[rules.VisitFact]) -> None:
    """The days counted are the distinct calendar days of the year the counted visits cover:
    repeating or overlapping visits adds nothing; the months sum to the same number."""
    days = {d for v in facts for d in rules.visit_days(v) if d.year == YEAR}
    result = year_of(policy, facts)
    assert result.counted_days == len(days)
    assert year_of(policy, facts + facts).counted_days == len(days)
    assert sum(rules.days_by_month(policy, facts, year=YEAR)) == len(days)
    assert result.by_month == tuple(rules.days_by_month(policy, facts, year=YEAR))
    assert [sum(1 for d in days if d.month == m) for m in range(1, 13)] == list(result.by_month)
    assert all(n <= len(days) for n in result.by_level.values())
    # a visit inside another adds nothing
    outer = facts[0]
    inner = rules.VisitFact(start=outer.end, end=outer.end, kind=outer.kind,
                            reported_on=outer.reported_on, place_kinds=outer.place_kinds)
    assert year_of(policy, [*facts, inner]).counted_days == len(days)


@given(POLICIES, st.lists(visits(), max_size=12), st.sampled_from(["tinh", "huyen"]),
       st.none() | st.integers(0, 364).map(lambda d: FIRST + dt.timedelta(days=d)))
def test_plain_rows_count_as_their_visit_facts(policy: rules.RegimePolicy,
                                               facts: list[rules.VisitFact], kind: str,
                                               as_of: dt.date | None) -> None:
    """The recompute hands `compliance` each visit as a plain list of a VisitFact's fields in
    their order (no object per visit of the nation), inside `one_language`: the same year."""
    rows = [[v.start, v.end, v.kind, v.invitation_only, v.reported_on, list(v.place_kinds),
             v.assigned_place, v.cost] for v in facts]
    req = rules.requirement(policy, YEAR)
    expected = rules.compliance(policy, req, facts, cadre_kind=kind, year=YEAR, as_of=as_of)
    with rules.one_language():
        got = rules.compliance(policy, req, rows, cadre_kind=kind, year=YEAR, as_of=as_of)
    assert got == expected
    assert sum(got.by_month) == got.counted_days


@given(st.integers(-400, 400), st.integers(-400, 400), st.integers(1, 400) | st.integers(-400, -1))
def test_scaling_rounds_half_up_as_decimal_does(value: int, num: int, den: int) -> None:
    """A requirement is scaled in integers: the same whole days as the decimal arithmetic,
    rounded half away from zero."""
    exact = (Decimal(value) * num / den).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    assert rules._scaled(value, num, den) == int(exact)
