"""MEM-4, MEM-5, MEM-6 rules as pure functions (no database)."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from doanvu.common.periods import Period
from doanvu.members.demo import REMITTANCE_CADENCE_BY_KIND
from doanvu.members.dues import rules


@dataclass
class Terms:
    dues_no_salary: int = 2000
    dues_with_salary: int = 5000
    keep_numerator: int = 2
    keep_denominator: int = 3
    max_waiver_months: int = 6
    removal_after_months: int = 3


def test_mem4_monthly_amount_comes_from_the_policy() -> None:
    assert rules.monthly_amount(Terms(), has_salary=False) == 2000
    assert rules.monthly_amount(Terms(), has_salary=True) == 5000
    assert rules.monthly_amount(Terms(dues_no_salary=3000), has_salary=False) == 3000


def test_mem4_quarterly_payment_needs_consent() -> None:
    assert rules.quarterly_refusal(pays_quarterly=True) is None
    assert rules.quarterly_refusal(pays_quarterly=False) == (
        "Đoàn viên chưa được Ban Chấp hành chi đoàn đồng ý cho đóng đoàn phí theo quý.")


def test_mem4_waiver_cap_per_year_with_reason() -> None:
    assert rules.waiver_refusal(Terms(), already_waived=4, requested=2) is None
    assert rules.waiver_refusal(Terms(), already_waived=4, requested=3) == (
        "Chỉ được miễn đoàn phí tối đa 6 tháng trong một năm; đoàn viên đã được miễn 4 tháng, "
        "còn được miễn 2 tháng.")
    assert rules.waiver_refusal(Terms(max_waiver_months=2), already_waived=0, requested=3) == (
        "Chỉ được miễn đoàn phí tối đa 2 tháng trong một năm; đoàn viên đã được miễn 0 tháng, "
        "còn được miễn 2 tháng.")


def test_mem4_split_sends_the_odd_dong_up() -> None:
    assert rules.split(6000, keep_numerator=2, keep_denominator=3) == (4000, 2000)
    assert rules.split(7000, keep_numerator=2, keep_denominator=3) == (4666, 2334)
    assert rules.split(1, keep_numerator=2, keep_denominator=3) == (0, 1)
    assert rules.split(0, keep_numerator=2, keep_denominator=3) == (0, 0)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=20),
       st.data())
def test_mem4_split_is_exact(total: int, den: int, data: st.DataObject) -> None:
    num = data.draw(st.integers(min_value=0, max_value=den))
    keep, send = rules.split(total, keep_numerator=num, keep_denominator=den)
    assert keep + send == total
    assert keep == total * num // den
    assert send >= 0


@st.composite
def trees(draw: st.DrawFn) -> tuple[dict[int, int | None], dict[int, str],
                                     dict[int, tuple[int, int]], dict[tuple[int, Period], int]]:
    """A centre, provinces, districts, communes, branches; random shares and collections."""
    parents: dict[int, int | None] = {1: None}
    cadence = {1: "Y"}
    next_id = 2
    level_of = {1: 0}
    for _ in range(draw(st.integers(min_value=1, max_value=25))):
        parent = draw(st.sampled_from(sorted(parents)))
        if level_of[parent] >= 4:
            continue
        parents[next_id] = parent
        level_of[next_id] = level_of[parent] + 1
        cadence[next_id] = {1: "Y", 2: "Q", 3: "Q", 4: "M"}[level_of[next_id]]
        next_id += 1
    shares = {}
    for u in parents:
        den = draw(st.integers(min_value=1, max_value=7))
        shares[u] = (draw(st.integers(min_value=0, max_value=den)), den)
    collected: dict[tuple[int, Period], int] = {}
    leaves = [u for u in parents if u not in set(parents.values())] or [1]
    for _ in range(draw(st.integers(min_value=0, max_value=40))):
        u = draw(st.sampled_from(leaves))
        month = Period.month(2024, draw(st.integers(min_value=1, max_value=12)))
        collected[(u, month)] = collected.get((u, month), 0) + draw(
            st.integers(min_value=0, max_value=10**7))
    return parents, cadence, shares, collected


@settings(max_examples=200, deadline=None)
@given(trees())
def test_mem4_remittance_adds_up(tree: tuple) -> None:  # type: ignore[type-arg]
    parents, cadence, shares, collected = tree

    flows = rules.remittance_flows(parents=parents, cadence=cadence, shares=shares,
                                   collected=collected)

    # what every level keeps adds up to what the branches collected, to the đồng
    assert sum(f.keep for f in flows.values()) == sum(collected.values())
    # each level keeps + sends exactly what it received
    assert all(f.keep + f.send == f.total for f in flows.values())
    # what each level received from below is exactly what its lower units sent
    for (u, p), flow in flows.items():
        sent_to_it = sum(f.send for (v, q), f in flows.items()
                         if parents.get(v) == u and Period.containing(q.end, cadence[u]) == p)
        assert flow.from_below == sent_to_it
    # the centre sends nothing
    assert all(f.send == 0 for (u, _p), f in flows.items() if parents[u] is None)


def test_mem4_remittance_example_branch_commune_district() -> None:
    # branch 4 → commune 3 → district 2 → (outside: province); each keeps 2/3
    parents: dict[int, int | None] = {2: 99, 3: 2, 4: 3}
    cadence = {2: "Q", 3: "Q", 4: "M"}
    shares = {u: (2, 3) for u in parents}
    collected = {(4, Period.month(2024, 1)): 6000, (4, Period.month(2024, 2)): 6000,
                 (4, Period.month(2024, 3)): 3000, (4, Period.month(2024, 4)): 3000}

    flows = rules.remittance_flows(parents=parents, cadence=cadence, shares=shares,
                                   collected=collected)

    q1 = Period.quarter(2024, 1)
    assert flows[(4, Period.month(2024, 1))] == rules.Flow(6000, 0, 4000, 2000)
    assert flows[(4, Period.month(2024, 3))] == rules.Flow(3000, 0, 2000, 1000)
    assert flows[(3, q1)] == rules.Flow(0, 5000, 3333, 1667)
    assert flows[(2, q1)] == rules.Flow(0, 1667, 1111, 556)
    assert flows[(3, Period.quarter(2024, 2))] == rules.Flow(0, 1000, 666, 334)


@dataclass
class Remitting:
    remittance_cadence_by_kind: dict[str, str] = field(default_factory=lambda: dict(
        REMITTANCE_CADENCE_BY_KIND))
    remittance_cadence_fallback: str = "Q"
    remittance_year_deadline_day: int = 30
    remittance_year_deadline_month: int = 12


def test_mem4_cadence_per_level_from_the_policy() -> None:
    demo = Remitting()
    assert [rules.cadence_for(k, demo) for k in ("chi_doan", "co_so", "huyen", "tinh")] == [
        "M", "Q", "Q", "Y"]
    assert rules.cadence_for("tinh", Remitting(remittance_cadence_by_kind={"tinh": "Q"})) == "Q"
    assert rules.cadence_for("khac", Remitting(remittance_cadence_fallback="M")) == "M"
    assert rules.remittance_deadline_note("Y", demo) == "hằng năm, trước ngày 30/12"
    assert rules.remittance_deadline_note("Q", demo) == "hằng quý"


def test_i9_yearly_remittance_deadline_from_the_policy() -> None:
    policy = Remitting(remittance_year_deadline_day=15, remittance_year_deadline_month=1)
    assert rules.remittance_deadline_note("Y", policy) == "hằng năm, trước ngày 15/01"


def test_mem5_required_months_scale_with_the_period() -> None:
    assert rules.required_meeting_months(months_in_period=12, min_months_per_year=12) == 12
    assert rules.required_meeting_months(months_in_period=3, min_months_per_year=10) == 3
    assert rules.required_meeting_months(months_in_period=12, min_months_per_year=10) == 10
    assert rules.required_meeting_months(months_in_period=6, min_months_per_year=9) == 5
    assert rules.meets_regularly(months_with_meeting=11, months_in_period=12,
                                 min_months_per_year=12) is False
    assert rules.meets_regularly(months_with_meeting=10, months_in_period=12,
                                 min_months_per_year=10) is True


def _m(i: int, **kw: bool) -> rules.MonthActivity:
    return rules.MonthActivity(month=Period.month(2024, i), **kw)


def test_mem6_three_inactive_months_propose_removal() -> None:
    months = [_m(1, paid=True), _m(2), _m(3), _m(4)]
    assert rules.removal_reason(months, removal_after_months=3) == (
        "Không đóng đoàn phí và không sinh hoạt 3 tháng liên tục (tháng 2/2024 – tháng 4/2024) "
        "không có lý do chính đáng.")


def test_mem6_valid_reasons_and_any_activity_break_the_streak() -> None:
    assert rules.removal_reason([_m(1), _m(2, excused=True), _m(3)],
                                removal_after_months=3) is None
    assert rules.removal_reason([_m(1), _m(2, waived=True), _m(3)],
                                removal_after_months=3) is None
    assert rules.removal_reason([_m(1), _m(2, attended=True), _m(3)],
                                removal_after_months=3) is None
    assert rules.removal_reason([_m(1), _m(2)], removal_after_months=3) is None
    assert rules.removal_reason([_m(1), _m(2)], removal_after_months=2) is not None


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
                min_size=0, max_size=14), st.integers(min_value=1, max_value=12))
def test_mem6_rule_proposes_exactly_when_the_last_n_months_are_inactive(
        flags: list[tuple[bool, bool, bool, bool]], n: int) -> None:
    months = [rules.MonthActivity(Period.month(2023 + i // 12, i % 12 + 1), *f)
              for i, f in enumerate(flags)]
    expected = len(months) >= n and not any(any(f) for f in flags[-n:])
    assert (rules.removal_reason(months, removal_after_months=n) is not None) == expected


def test_mem6_window_is_the_whole_months_before() -> None:
    assert rules.months_before(Period.month(2024, 2), 3) == [
        Period.month(2023, 11), Period.month(2023, 12), Period.month(2024, 1)]
