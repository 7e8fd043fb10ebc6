"""The pure arithmetic of targets, property-tested."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from doanvu.targets import rules

counts = st.integers(min_value=0, max_value=10**6)


@given(counts, counts)
def test_ind1_percent_lies_between_0_and_100(part: int, extra: int) -> None:
    value = rules.percent(part, part + extra)
    assert Decimal(0) <= value <= Decimal(100)
    if extra == 0 and part > 0:
        assert value == Decimal(100)


@given(counts)
def test_ind1_percent_of_nothing_is_zero_and_all_is_100(n: int) -> None:
    assert rules.percent(0, 0) == Decimal(0)
    if n:
        assert rules.percent(n, n) == Decimal(100)
        assert rules.percent(0, n) == Decimal(0)


@given(st.decimals(min_value=0, max_value=10**6, places=2),
       st.decimals(min_value=0, max_value=10**6, places=2))
def test_ind1_met_and_trend_agree_with_ordering(value: Decimal, goal: Decimal) -> None:
    assert rules.is_met(value, goal) == (value >= goal)
    assert rules.trend(goal, value) == (rules.UP if value > goal else
                                        rules.DOWN if value < goal else rules.SAME)
    assert rules.trend(None, value) == rules.SAME


ORDER = ("thcs", "thpt", "trung_cap", "cao_dang", "dai_hoc", "thac_si", "tien_si")


@given(st.sampled_from(ORDER), st.sampled_from(ORDER))
def test_ind1_level_at_least_follows_the_order(level: str, minimum: str) -> None:
    assert rules.level_at_least(level, minimum, ORDER) == (ORDER.index(level)
                                                           >= ORDER.index(minimum))
    assert rules.level_at_least("", minimum, ORDER) is False
