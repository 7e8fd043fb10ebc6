"""The pure arithmetic of targets: no ORM, no request, every number passed in.

- `percent`: a share as a percentage to one decimal (0 of 0 is 0: nothing to count is not met).
- `is_met`: a value reaches its goal (targets are "at least": 100%, ≥ 01 lớp).
- `trend`: how a value moved since the previous period.
- `level_at_least`: a qualification at or above a minimum in an ordered list of levels.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

UP, DOWN, SAME = "up", "down", "same"


def percent(part: int, whole: int) -> Decimal:
    if whole <= 0:
        return Decimal(0)
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_met(value: Decimal, goal: Decimal) -> bool:
    return value >= goal


def trend(previous: Decimal | None, current: Decimal) -> str:
    if previous is None or previous == current:
        return SAME
    return UP if current > previous else DOWN


def level_at_least(level: str, minimum: str, order: Sequence[str]) -> bool:
    """`level` ranks at or above `minimum` in `order` (lowest first); an unknown or empty level
    does not qualify."""
    if level not in order or minimum not in order:
        return False
    return order.index(level) >= order.index(minimum)


def no_data(count: int, denominator: int | None, *, entered: bool) -> bool:
    """Nothing to measure: a share of nothing (0 of 0), or a target that units enter with no
    figure entered — "chưa có số liệu", never 0/0 and never "not met". A count (courses held)
    of 0 is a real 0."""
    if denominator is not None:
        return denominator == 0
    return entered and count == 0


def met_or_none(value: Decimal, goal: Decimal, *, empty: bool) -> bool | None:
    """Met, not met, or None when there is no data to judge."""
    return None if empty else is_met(value, goal)
