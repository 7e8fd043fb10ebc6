"""The field-visit regime's arithmetic (FV-1 … FV-4, FV-6, FV-11), pure: every function takes the
policy (a `RegimePolicy`, built from a `FieldVisitPolicy` record or by a test) and plain facts,
and touches no database. Nothing here knows a number of its own.

- `requirement(policy, year, titles, statuses)`: who must go and how many days, with the
  arithmetic in words ("60 ngày × 6/12 tháng = 30 ngày, vì nghỉ thai sản 01/01–30/06").
- `why_not_counted(policy, visit)`: '' when a visit counts, else the reason in Vietnamese.
- `compliance(policy, requirement, visits, …)`: days counted (distinct calendar days, so two
  overlapping visits never count a day twice), by level, branch meetings, the "1+2" parts, and
  one sentence of what is still missing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.translation import get_language, gettext

from doanvu.common.text import fold


@functools.lru_cache(maxsize=1024)
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


_UNSET = "\0"  # no batch language: ask Django (a language code never holds a NUL)
_batch_language: ContextVar[str | None] = ContextVar("fieldvisits_rules_language", default=_UNSET)


def _(message: str) -> str:
    """gettext, remembered per language: the recompute formats the same few sentences for
    thousands of cadres, and Django's lookup costs more than the rules around it."""
    language = _batch_language.get()
    return _translated(get_language() if language == _UNSET else language, message)


@contextmanager
def one_language() -> Iterator[None]:
    """Inside, the sentences are translated into the language active on entry, read once (a
    batch of thousands of cadres in one request or task: Django's per-sentence lookup of the
    active language costs about as much as a cadre's rules)."""
    token = _batch_language.set(get_language())
    try:
        yield
    finally:
        _batch_language.reset(token)


DATE = "%d/%m/%Y"
SHORT = "%d/%m"


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    kinds: frozenset[str]


@dataclass(frozen=True)
class RegimePolicy:
    """The numbers of a field-visit regime (a `FieldVisitPolicy` without the database)."""

    min_days: int = 60
    levels: tuple[Level, ...] = ()
    days_by_level: Mapping[str, int] = field(default_factory=dict)
    coverage: Mapping[str, Sequence[str]] = field(default_factory=dict)
    counted_kinds: frozenset[str] = frozenset()
    chosen_kinds: frozenset[str] = frozenset()
    assigned_kinds: frozenset[str] = frozenset()
    branch_meeting_kind: str = ""
    branch_meetings_min: int = 1
    exempt_titles: tuple[str, ...] = ()
    exempt_statuses: frozenset[str] = frozenset()
    long_statuses: frozenset[str] = frozenset()
    long_status_min_months: int = 6
    prorate: str = "months"  # ProrateRule
    prorate_month_min_days: int = 15
    report_days: int = 3
    registration_day: int = 15
    one_plus_two: str = "days"  # OnePlusTwo
    one_plus_two_days: int = 60

    @classmethod
    def of(cls, record: object) -> RegimePolicy:
        """From a FieldVisitPolicy (any object with its fields)."""
        g = record.__getattribute__
        levels = tuple(Level(str(lv["code"]), str(lv.get("label") or lv["code"]),
                             frozenset(str(k) for k in lv.get("kinds", ())))
                       for lv in (g("levels") or []))
        return cls(
            min_days=int(g("min_days")), levels=levels,
            days_by_level={str(k): int(v) for k, v in (g("days_by_level") or {}).items()},
            coverage={str(k): tuple(str(x) for x in v) for k, v in (g("coverage") or {}).items()},
            counted_kinds=frozenset(g("counted_kinds") or ()),
            chosen_kinds=frozenset(g("chosen_kinds") or ()),
            assigned_kinds=frozenset(g("assigned_kinds") or ()),
            branch_meeting_kind=g("branch_meeting_kind") or "",
            branch_meetings_min=int(g("branch_meetings_min")),
            exempt_titles=tuple(w for w in (_words(t) for t in (g("exempt_titles") or ())) if w),
            exempt_statuses=frozenset(g("exempt_statuses") or ()),
            long_statuses=frozenset(g("long_statuses") or ()),
            long_status_min_months=int(g("long_status_min_months")),
            prorate=g("prorate"), prorate_month_min_days=int(g("prorate_month_min_days")),
            report_days=int(g("report_days")), registration_day=int(g("registration_day")),
            one_plus_two=g("one_plus_two"), one_plus_two_days=int(g("one_plus_two_days")),
        )

    def level_of(self, kind_code: str) -> Level | None:
        return next((lv for lv in self.levels if kind_code in lv.kinds), None)

    @functools.cached_property
    def level_by_kind(self) -> Mapping[str, str]:
        """Unit kind code → the code of its level (the first level naming the kind wins, as
        `level_of`), worked out once per policy."""
        out: dict[str, str] = {}
        for lv in self.levels:
            for k in lv.kinds:
                out.setdefault(k, lv.code)
        return out

    @functools.cached_property
    def level_labels(self) -> Mapping[str, str]:
        return {lv.code: lv.label for lv in self.levels}


# -- policy consistency ------------------------------------------------------------------------

def policy_problems(policy: RegimePolicy) -> list[str]:
    """What makes a regime inconsistent, in Vietnamese (empty when none)."""
    problems = []
    split = sum(policy.days_by_level.values())
    if split > policy.min_days:
        problems.append(_("Tổng số ngày theo cấp (%(split)s) vượt số ngày tối thiểu cả năm "
                          "(%(total)s).") % {"split": split, "total": policy.min_days})
    codes = {lv.code for lv in policy.levels}
    for code in [*policy.days_by_level, *(c for v in policy.coverage.values() for c in v)]:
        if code not in codes:
            problems.append(_("Cấp “%(code)s” chưa được khai báo trong danh sách các cấp.")
                            % {"code": code})
    if policy.chosen_kinds & policy.assigned_kinds:
        problems.append(_("Một nội dung không thể vừa do cán bộ tự chọn vừa do Thường trực "
                          "phân công."))
    if policy.branch_meeting_kind and policy.branch_meeting_kind not in policy.counted_kinds:
        problems.append(_("Nội dung dự sinh hoạt chi đoàn phải là nội dung được tính."))
    if not 1 <= policy.registration_day <= 28:
        problems.append(_("Ngày hạn đăng ký kế hoạch quý phải từ 1 đến 28."))
    return problems


# -- FV-1: who must go, and how many days ----------------------------------------------------

@dataclass(frozen=True)
class StatusSpan:
    kind: str
    label: str
    start: dt.date
    end: dt.date | None  # None: open-ended


@dataclass(frozen=True)
class Requirement:
    exempt: bool  # exempt for the whole year: listed as exempt, never as late
    days: int
    text: str  # the arithmetic or the reason, in Vietnamese
    by_level: Mapping[str, int] = field(default_factory=dict)
    exempt_days: frozenset[dt.date] = frozenset()


def _year_days(year: int) -> int:
    return (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1


def _add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months (the last day of a shorter month when needed)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def lasts_months(start: dt.date, end: dt.date | None, months: int) -> bool:
    """Does the span from `start` to `end` (both included; None: open-ended) last `months`
    calendar months or more? 01/01–30/06 lasts 6 months; 01/01–29/06 does not."""
    if end is None or end == dt.date.max:
        return True
    return end + dt.timedelta(days=1) >= _add_months(start, months)


def exempting_spans(policy: RegimePolicy, statuses: Iterable[StatusSpan],
                    year: int) -> list[StatusSpan]:
    """The statuses that exempt under the policy, clipped to `year`. A long status (seconded to
    the base, concentrated training) exempts only when it lasts the policy's months or more."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out = []
    for s in statuses:
        end = s.end or last
        if s.kind in policy.long_statuses:
            if not lasts_months(s.start, s.end, policy.long_status_min_months):
                continue
        elif s.kind not in policy.exempt_statuses:
            continue
        start, stop = max(s.start, first), min(end, last)
        if start <= stop:
            out.append(StatusSpan(s.kind, s.label, start, stop))
    return sorted(out, key=lambda s: (s.start, s.kind))


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> str:
    """Accent-free lower-case words separated by one space, punctuation dropped: “Thi đua –
    khen thưởng” and “thi đua, khen thưởng” both read “thi dua khen thuong”."""
    return " ".join(re.findall(r"[0-9a-z]+", fold(text)))


def exempt_title(policy: RegimePolicy, titles: Iterable[str]) -> str:
    """The first title that exempts its holder ('' when none): an exempt title's words appear,
    in order and as whole words, in the title (“Phó Chánh văn phòng phụ trách hành chính quản
    trị” holds “phó chánh văn phòng phụ trách hành chính”)."""
    wanted = [w for w in (_words(t) for t in policy.exempt_titles) if w]  # (already words)
    for title in titles:
        padded = f" {_words(title)} "
        if any(f" {w} " in padded for w in wanted):
            return title
    return ""


def _exempt_day_set(spans: Iterable[StatusSpan]) -> set[dt.date]:
    days: set[dt.date] = set()
    for s in spans:
        d = s.start
        end = s.end or s.start
        while d <= end:
            days.add(d)
            d += dt.timedelta(days=1)
    return days


def exempt_months(policy: RegimePolicy, days: set[dt.date], year: int) -> int:
    """Months of `year` exempt under the months rule: the exempt days in the month reach the
    policy's threshold (or cover the whole month, when the threshold is larger)."""
    n = 0
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        length = ((dt.date(year + (month == 12), month % 12 + 1, 1) - first).days)
        inside = sum(1 for d in days if d.year == year and d.month == month)
        if inside >= min(policy.prorate_month_min_days, length):
            n += 1
    return n


def _scaled(value: int, num: int, den: int) -> int:
    """value × num / den, rounded half up (half away from zero), in whole days; exact integer
    arithmetic (the recompute scales a requirement for every cadre of the nation)."""
    top = value * num
    if den < 0:
        top, den = -top, -den
    whole = (2 * abs(top) + den) // (2 * den)
    return whole if top >= 0 else -whole


def requirement(policy: RegimePolicy, year: int, *, titles: Sequence[str] = (),
                statuses: Iterable[StatusSpan] = ()) -> Requirement:
    """The days `year` requires of a cadre holding `titles` with `statuses`, and why."""
    title = exempt_title(policy, titles)
    if title:
        return Requirement(True, 0, _("Không áp dụng: được phân công nhiệm vụ “%(title)s”.")
                           % {"title": title})
    spans = exempting_spans(policy, statuses, year)
    days = _exempt_day_set(spans)
    base = policy.min_days
    if not days:
        return Requirement(False, base, _("%(days)s ngày/năm theo chế độ.") % {"days": base},
                           dict(policy.days_by_level))
    reasons = "; ".join(f"{s.label.lower()} {s.start:{SHORT}}–{(s.end or s.start):{SHORT}}"
                        for s in spans)
    if policy.prorate == "days":
        total = _year_days(year)
        left = total - len(days)
        need = _scaled(base, left, total)
        text = (_("%(base)s ngày × %(left)s/%(total)s ngày = %(need)s ngày, vì %(why)s")
                % {"base": base, "left": left, "total": total, "need": need, "why": reasons})
        num, den = left, total
    else:
        months = 12 - exempt_months(policy, days, year)
        need = _scaled(base, months, 12)
        text = (_("%(base)s ngày × %(months)s/12 tháng = %(need)s ngày, vì %(why)s")
                % {"base": base, "months": months, "need": need, "why": reasons})
        num, den = months, 12
    by_level = {k: _scaled(v, num, den) for k, v in policy.days_by_level.items()}
    if need == 0:
        return Requirement(True, 0, _("Không áp dụng cả năm, vì %(why)s") % {"why": reasons},
                           by_level, frozenset(days))
    return Requirement(False, need, text, by_level, frozenset(days))


# -- FV-2, FV-6: which visits count --------------------------------------------------------

class VisitFact(NamedTuple):
    """What the rules need of a visit. A tuple: `compliance` reads any sequence of these
    fields in this order, so the recompute hands it plain rows of the nation's visits without
    building an object per visit (`VisitRow`)."""

    start: dt.date
    end: dt.date
    kind: str
    invitation_only: bool = False
    reported_on: dt.date | None = None
    place_kinds: tuple[str, ...] = ()  # unit kind codes of the places visited
    assigned_place: bool = False  # one of the places is the cadre's assigned base ("1+2")
    cost: Decimal = Decimal(0)


# a VisitFact, or any sequence of its eight fields in its order (a row of the recompute)
VisitRow = Sequence[Any]


def report_due(policy: RegimePolicy, end: dt.date) -> dt.date:
    """The day a visit's report is due: the policy's days after the visit ends (FV-6)."""
    return end + dt.timedelta(days=policy.report_days)


def why_not_counted(policy: RegimePolicy, visit: VisitFact) -> str:
    """'' when the visit counts; else why not, in Vietnamese (FV-2, FV-6)."""
    if visit.invitation_only:
        return _("Không tính: chỉ dự hoạt động theo thư mời của đoàn cấp dưới.")
    if visit.kind not in policy.counted_kinds:
        return _("Không tính: nội dung %(kind)s không thuộc các nội dung được tính.") % {
            "kind": visit.kind}
    if visit.reported_on is None:
        return _("Chưa tính: chuyến đi chưa có báo cáo kết quả.")
    return ""


def visit_days(visit: VisitFact) -> list[dt.date]:
    n = (visit.end - visit.start).days + 1
    return [visit.start + dt.timedelta(days=i) for i in range(max(n, 0))]


# -- FV-3, FV-4, FV-11: compliance -----------------------------------------------------------

@dataclass(frozen=True)
class ComplianceResult:
    required: Requirement
    counted_days: int
    by_level: Mapping[str, int]  # distinct counted days at each level
    branch_meetings: int
    assigned_unit_days: int
    levels_missing: tuple[str, ...]  # labels of coverage levels not yet visited
    unreported: int
    met: bool
    missing: str  # one sentence, '' when nothing is missing
    extra_days: int  # days beyond the requirement (shown, encouraged)
    base_days_required: int = 0  # the "2" of "1+2": days at the base, pro-rated as required
    assigned_unit_required: bool = False  # the "1": the policy asks for the assigned unit
    by_month: tuple[int, ...] = ()  # counted days in each month (twelve, summing to counted)


def one_plus_two_days_required(policy: RegimePolicy, required: Requirement) -> int:
    """The "2" of "1+2" (FV-11): the policy's days at the base, pro-rated in the proportion
    the cadre's requirement was (0 when exempt)."""
    if required.exempt or policy.min_days <= 0:
        return 0 if required.exempt else policy.one_plus_two_days
    return _scaled(policy.one_plus_two_days, required.days, policy.min_days)


@functools.lru_cache(maxsize=16)
def _year_ordinals(year: int) -> tuple[int, int]:
    """The ordinals of 1 January and 31 December of `year`."""
    return dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()


@functools.lru_cache(maxsize=16)
def _month_masks(year: int) -> tuple[int, ...]:
    """The days of each month of `year` as bits (bit i: the day i days after 1 January)."""
    masks = []
    offset = 0
    for month in range(1, 13):
        length = calendar.monthrange(year, month)[1]
        masks.append(((1 << length) - 1) << offset)
        offset += length
    return tuple(masks)


def compliance(policy: RegimePolicy, required: Requirement, visits: Iterable[VisitRow], *,
               cadre_kind: str, year: int, as_of: dt.date | None = None) -> ComplianceResult:
    """A cadre's year against the regime. Only counted visits (see `why_not_counted`) count;
    a day counts once however many visits cover it, and only inside `year` (up to `as_of`
    when given — a report counts from its date); exempt days never count against anyone.
    `visits` are `VisitFact`s or plain sequences of their fields in the same order."""
    first_o, last_o = _year_ordinals(year)
    if as_of is not None:
        last_o = min(last_o, as_of.toordinal())
    level_by_kind = policy.level_by_kind
    # the counted days as the bits of one integer (bit i: the day i days after 1 January): a
    # visit's days are one shifted run of bits, a day covered twice is still one bit, and
    # counting a month is one mask — the recompute runs this for every cadre of the nation
    days = 0
    level_days: dict[str, int] = {}
    assigned = 0
    meetings = 0
    unreported = 0
    counted_kinds = policy.counted_kinds
    meeting_kind = policy.branch_meeting_kind
    for start, end, kind, invited, reported, place_kinds, assigned_place, _cost in visits:
        # why_not_counted, inlined: the recompute runs this for every visit of the nation
        if invited or kind not in counted_kinds:
            continue
        if reported is None or (as_of is not None and reported > as_of):
            unreported += 1
            continue
        lo, hi = start.toordinal(), end.toordinal()
        if lo < first_o:
            lo = first_o
        if hi > last_o:
            hi = last_o
        if lo > hi:
            continue
        inside = ((1 << (hi - lo + 1)) - 1) << (lo - first_o)
        days |= inside
        for place_kind in place_kinds:
            code = level_by_kind.get(place_kind)
            if code is not None:
                level_days[code] = level_days.get(code, 0) | inside
        if assigned_place:
            assigned |= inside
        if meeting_kind and kind == meeting_kind:
            meetings += 1
    counted = days.bit_count()
    by_month = tuple([(days & mask).bit_count() for mask in _month_masks(year)])
    by_level = {lv.code: level_days.get(lv.code, 0).bit_count() for lv in policy.levels}
    labels = policy.level_labels
    needs: list[str] = []
    wants_unit = policy.one_plus_two == "days_unit"
    if required.exempt:
        return ComplianceResult(required, counted, by_level, meetings, assigned.bit_count(), (),
                                unreported, True, "", counted, 0, wants_unit, by_month)
    base_need = one_plus_two_days_required(policy, required)
    if counted < required.days:
        needs.append(_("thiếu %(n)s ngày") % {"n": required.days - counted})
    if base_need - counted > max(required.days - counted, 0):
        needs.append(_("thiếu %(n)s ngày ở cơ sở theo chủ trương 1+2") % {
            "n": base_need - counted})
    for code, need in required.by_level.items():
        have = by_level.get(code, 0)
        if have < need:
            needs.append(_("thiếu %(n)s ngày ở %(level)s") % {
                "n": need - have, "level": labels.get(code, code)})
    if policy.branch_meeting_kind and meetings < policy.branch_meetings_min:
        needs.append(_("chưa dự sinh hoạt chi đoàn ấp, khu phố") if meetings == 0 else
                     _("mới dự sinh hoạt chi đoàn %(n)s/%(m)s lần") % {
                         "n": meetings, "m": policy.branch_meetings_min})
    levels_missing = tuple(labels.get(c, c) for c in policy.coverage.get(cadre_kind, ())
                           if by_level.get(c, 0) == 0)
    needs.extend(_("chưa đi %(level)s") % {"level": label} for label in levels_missing)
    if wants_unit and not assigned:
        needs.append(_("chưa đến cơ sở được phân công phụ trách"))
    sentence = ""
    if needs:
        text = "; ".join(needs)
        sentence = text[0].upper() + text[1:] + "."
    return ComplianceResult(required, counted, by_level, meetings, assigned.bit_count(),
                            levels_missing, unreported, not needs, sentence,
                            max(counted - required.days, 0), base_need, wants_unit, by_month)


# -- FV-5: registration ---------------------------------------------------------------------

def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def registration_due(policy: RegimePolicy, year: int, quarter: int) -> dt.date:
    """The day a quarter's plan must be registered: the policy's day of the quarter's first
    month (FV-5 step 2)."""
    return dt.date(year, 3 * quarter - 2, policy.registration_day)


def may_choose(policy: RegimePolicy, kind: str) -> bool:
    """May a cadre register a visit of `kind` on their own (else the Standing assigns it)?"""
    return kind in policy.chosen_kinds


# -- the chart: counted days per month -------------------------------------------------------

def days_by_month(policy: RegimePolicy, visits: Iterable[VisitFact], *, year: int,
                  as_of: dt.date | None = None) -> list[int]:
    """Distinct counted days in each month of `year` (twelve numbers; the same days
    `compliance` counts, so they sum to its `counted_days`)."""
    last = dt.date(year, 12, 31) if as_of is None else min(dt.date(year, 12, 31), as_of)
    first_o, last_o = dt.date(year, 1, 1).toordinal(), last.toordinal()
    days: set[int] = set()
    for v in visits:
        if why_not_counted(policy, v):
            continue
        if as_of is not None and v.reported_on is not None and v.reported_on > as_of:
            continue
        lo, hi = max(v.start.toordinal(), first_o), min(v.end.toordinal(), last_o)
        days.update(range(lo, hi + 1))
    months = [0] * 12
    for o in days:
        months[dt.date.fromordinal(o).month - 1] += 1
    return months
# -- FV-2, FV-6: the year's closing (logging and reporting) ----------------------------------

def year_closes_on(year: int, *, month: int, day: int) -> dt.date:
    """The last day visits of `year` may be logged or reported: the policy's day and month of
    the next year (a day past the month's end is its last day)."""
    month = min(max(month, 1), 12)
    first = dt.date(year + 1, month, 1)
    last = (dt.date(year + 1 + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return first.replace(day=min(max(day, 1), last))


def year_closed(year: int, *, month: int, day: int, on: dt.date) -> bool:
    return on > year_closes_on(year, month=month, day=day)
