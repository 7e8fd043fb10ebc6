"""Rules of đoàn phí, remittance, regular meetings and removal (MEM-4, MEM-5, MEM-6).

Pure functions over plain values and a policy object (MembersPolicy or anything with the same
attributes): no ORM, no request. Every number comes from the policy, the remittance cadence of
each level and the yearly deadline too.

Money is integer đồng throughout. A level keeps ``floor(total × keep_numerator /
keep_denominator)`` and sends ``total − keep`` up, so keep + send = total exactly; the odd đồng
of a division therefore goes up to the higher level (it is never lost and never invented).
The top of the tree (a unit without a parent, Trung ương) keeps everything it receives.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from doanvu.common.periods import Period


class DuesTerms(Protocol):
    dues_no_salary: int
    dues_with_salary: int
    keep_numerator: int
    keep_denominator: int
    max_waiver_months: int
    removal_after_months: int


class RemittanceTerms(Protocol):
    """The remittance part of the policy: the cadence in which each level sends up, by unit-kind
    code (NQ 07-NQ/TWĐTN in the demo: branches monthly, grassroots and district unions
    quarterly, provinces once a year), and the day/month the yearly remittance is due by."""

    remittance_cadence_by_kind: Mapping[str, str]
    remittance_cadence_fallback: str
    remittance_year_deadline_day: int
    remittance_year_deadline_month: int


class Dong(int):
    """An amount in đồng that prints the Vietnamese way: 6000 → "6.000đ" (still an int)."""

    def __str__(self) -> str:
        return f"{int(self):,}".replace(",", ".") + _("đ")


def cadence_for(kind_code: str, policy: RemittanceTerms) -> str:
    """"M", "Q" or "Y": how often a unit of this kind sends dues up, as the policy says."""
    return str(policy.remittance_cadence_by_kind.get(kind_code,
                                                     policy.remittance_cadence_fallback))


# -- dues of a member ---------------------------------------------------------------------------


def monthly_amount(policy: DuesTerms, *, has_salary: bool) -> int:
    """Đoàn phí of one month for a member of this category."""
    return int(policy.dues_with_salary if has_salary else policy.dues_no_salary)


def quarterly_refusal(*, pays_quarterly: bool) -> str | None:
    """Why a quarterly payment is refused, or None if it is allowed."""
    if not pays_quarterly:
        return (_("Đoàn viên chưa được Ban Chấp hành chi đoàn đồng ý cho đóng đoàn phí theo quý."))
    return None


def waiver_refusal(policy: DuesTerms, *, already_waived: int, requested: int) -> str | None:
    """Why waiving `requested` more months in a year is refused, or None if allowed.

    `already_waived` counts the months of that calendar year already waived for the member.
    """
    if requested <= 0:
        return _("Hãy chọn ít nhất một tháng để miễn đoàn phí.")
    cap = int(policy.max_waiver_months)
    if already_waived + requested > cap:
        left = max(cap - already_waived, 0)
        return _(
            "Chỉ được miễn đoàn phí tối đa {cap} tháng trong một năm; đoàn viên đã được miễn "
            "{already_waived} tháng, còn được miễn {left} tháng."
        ).format(cap=cap, already_waived=already_waived, left=left)
    return None


# -- remittance -----------------------------------------------------------------------------------


def split(total: int, *, keep_numerator: int, keep_denominator: int) -> tuple[int, int]:
    """(kept, sent up) of `total` đồng; kept + sent == total, the odd đồng goes up."""
    if total < 0:
        raise ValueError("total must not be negative")
    if keep_denominator <= 0 or not 0 <= keep_numerator <= keep_denominator:
        raise ValueError("invalid keep share")
    kept = total * keep_numerator // keep_denominator
    return kept, total - kept


@dataclass(frozen=True)
class Flow:
    """What one unit handled in one of its remittance periods."""

    collected: int  # from its own members (a branch)
    from_below: int  # owed to it by its lower units for their periods ending in this one
    keep: int
    send: int

    @property
    def total(self) -> int:
        return self.collected + self.from_below


def remittance_flows(
    *,
    parents: Mapping[int, int | None],
    cadence: Mapping[int, str],
    shares: Mapping[int, tuple[int, int]],
    collected: Mapping[tuple[int, Period], int],
) -> dict[tuple[int, Period], Flow]:
    """Flows of every unit and period of a tree, from the months its branches collected.

    parents: unit → parent (None, or a unit outside the mapping, for the top);
    cadence: unit → "M" / "Q" / "Y", the period in which that unit sends up;
    shares: unit → (keep_numerator, keep_denominator) of the policy in force for it;
    collected: (unit, month) → đồng its own members paid for that month.

    A unit's period receives the sends of its lower units' periods that *end* within it. A unit
    whose parent is None keeps all (Trung ương); a unit whose parent lies outside `parents`
    still sends (its statement is being computed for a subtree).
    """
    depth: dict[int, int] = {}
    for start in parents:
        chain: list[int] = []
        cur: int | None = start
        while cur is not None and cur in parents and cur not in depth and cur not in chain:
            chain.append(cur)
            cur = parents[cur]
        base = depth.get(cur, -1) if cur is not None else -1
        for i, node in enumerate(reversed(chain)):
            depth[node] = base + 1 + i

    own: dict[tuple[int, Period], int] = defaultdict(int)
    for (u, month), amount in collected.items():
        own[(u, Period.containing(month.start, cadence[u]))] += amount
    below: dict[tuple[int, Period], int] = defaultdict(int)
    flows: dict[tuple[int, Period], Flow] = {}
    by_unit: dict[int, set[Period]] = defaultdict(set)
    for u, p in own:
        by_unit[u].add(p)

    for u in sorted(parents, key=lambda n: -depth[n]):
        periods = by_unit.get(u, set())
        parent = parents[u]
        num, den = shares[u]
        for p in sorted(periods):
            c, b = own.get((u, p), 0), below.get((u, p), 0)
            if parent is None:
                keep, send = c + b, 0
            else:
                keep, send = split(c + b, keep_numerator=num, keep_denominator=den)
            flows[(u, p)] = Flow(collected=c, from_below=b, keep=keep, send=send)
            if parent is not None and parent in parents:
                target = Period.containing(p.end, cadence[parent])
                below[(parent, target)] += send
                by_unit[parent].add(target)
    return flows


def remittance_deadline_note(cadence: str, policy: RemittanceTerms) -> str:
    """How the statement names the deadline of a cadence (shown to the user)."""
    if cadence == "Y":
        return _(
            "hằng năm, trước ngày "
            "{remittance_year_deadline_day:02d}/{remittance_year_deadline_month:02d}"
        ).format(
            remittance_year_deadline_day=policy.remittance_year_deadline_day,
            remittance_year_deadline_month=policy.remittance_year_deadline_month,
        )
    return {"M": _("hằng tháng"), "Q": _("hằng quý")}.get(cadence, "")


# -- meetings (MEM-5) ----------------------------------------------------------------------------


def required_meeting_months(*, months_in_period: int, min_months_per_year: int) -> int:
    """How many months of a period must have a branch meeting for "meets regularly".

    The policy gives a number of months a year (12: every month, as Điều lệ asks); a shorter
    period needs the same share, rounded up.
    """
    if months_in_period <= 0:
        return 0
    return min(months_in_period, math.ceil(min_months_per_year * months_in_period / 12))


def meets_regularly(*, months_with_meeting: int, months_in_period: int,
                    min_months_per_year: int) -> bool:
    return months_with_meeting >= required_meeting_months(
        months_in_period=months_in_period, min_months_per_year=min_months_per_year)


# -- removal (MEM-6) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthActivity:
    """What a member did in one month, as the removal rule sees it."""

    month: Period
    paid: bool = False  # paid (in full or by quarter) for this month
    waived: bool = False  # dues waived: a valid reason
    attended: bool = False  # present at any meeting of the month
    excused: bool = False  # absent with leave: a valid reason

    @property
    def inactive(self) -> bool:
        return not (self.paid or self.waived or self.attended or self.excused)


def removal_reason(months: Sequence[MonthActivity], *, removal_after_months: int) -> str | None:
    """Why the member should be proposed for removal (xóa tên), or None.

    `months` are consecutive months in order, ending with the last month considered. The member
    is proposed when the last `removal_after_months` of them are all inactive: no dues paid, no
    meeting attended, and no valid reason (waiver, excused absence).
    """
    n = int(removal_after_months)
    if n <= 0 or len(months) < n:
        return None
    window = list(months)[-n:]
    if not all(m.inactive for m in window):
        return None
    return _(
        "Không đóng đoàn phí và không sinh hoạt {n} tháng liên tục ({month} – {month2}) không có "
        "lý do chính đáng."
    ).format(n=n, month=window[0].month, month2=window[-1].month)


def months_before(month: Period, count: int) -> list[Period]:
    """The `count` months ending just before `month`, oldest first."""
    out: list[Period] = []
    y, m = month.year, month.index
    for _index in range(count):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(Period.month(y, m))
    return list(reversed(out))


def months_of(period: Period) -> list[Period]:
    """The months of a period, in order."""
    out: list[Period] = []
    cur = Period.containing(period.start, "M")
    while cur.start <= period.end:
        out.append(cur)
        cur = cur.next()
    return out
