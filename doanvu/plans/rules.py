"""The rules of plans as pure functions over plain values (no ORM, no request).

- PLAN-3, lead time: a directive to lower units must be issued at least the policy's days before
  they must act (seed 004: 01 tuần); an urgent directive from a higher level is the exception.
- PLAN-2, a task's lateness: past its last day and not done.
- PLAN-1, implementing plans: a lower unit's plan issued on time, late, or still missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

IN_TIME = "du_thoi_gian"  # i18n: data (LeadTimeVerdict codes)
EXCEPTION = "ngoai_le_gap"  # i18n: data
SHORT = "gap"  # i18n: data


def days_given(*, issued_on: dt.date, act_on: dt.date) -> int:
    """Whole days between issuing a directive and the day lower units must act."""
    return (act_on - issued_on).days


def lead_time_verdict(*, lead_days: int | None, issued_on: dt.date, act_on: dt.date,
                      urgent: bool) -> str:
    """IN_TIME when at least `lead_days` days are given (or no policy is in force), else
    EXCEPTION for an urgent directive from a higher level, else SHORT (warned about)."""
    if lead_days is None or days_given(issued_on=issued_on, act_on=act_on) >= lead_days:
        return IN_TIME
    return EXCEPTION if urgent else SHORT


@dataclass(frozen=True)
class LeadTimeCount:
    """A unit's directives of a year by what the lead-time rule said of them."""

    total: int
    in_time: int
    exceptions: int
    short: int

    @property
    def not_in_time(self) -> int:
        """Issued with less than the lead time, urgent or not (seed 004's shortcoming 2)."""
        return self.exceptions + self.short


def count_verdicts(verdicts: Iterable[str]) -> LeadTimeCount:
    items = list(verdicts)
    return LeadTimeCount(total=len(items), in_time=items.count(IN_TIME),
                         exceptions=items.count(EXCEPTION), short=items.count(SHORT))


def is_late(*, due_by: dt.date | None, progress: int, on: dt.date) -> bool:
    """A task is late once its last day has passed and it is not done (100%); an ongoing task
    (no last day) is never late."""
    return due_by is not None and on > due_by and progress < 100


ISSUED_ON_TIME = "dung_han"  # i18n: data
ISSUED_LATE = "tre_han"  # i18n: data
MISSING = "chua_ban_hanh"  # i18n: data (past the date, nothing issued)
NOT_YET = "chua_den_han"  # i18n: data


def implementing_state(*, due_on: dt.date, issued_on: dt.date | None, on: dt.date) -> str:
    """A lower unit's implementing plan: issued on time or late, missing past the date, or not
    yet due."""
    if issued_on is not None:
        return ISSUED_ON_TIME if issued_on <= due_on else ISSUED_LATE
    return MISSING if on > due_on else NOT_YET
