"""Deadline rules (X-5) as pure values: no ORM, no request, no constants from the seeds.

A DueRule says how a due date follows from dated events and from the period an obligation is
about. The numbers (3 days, the 15th, 10/10) come from DeadlinePolicy records or from the module
that creates the obligation, never from this file.

Kinds:

- ``fixed``: a given date ("chậm nhất ngày 04/11/2020").
- ``after_event``: N days after an event ("03 ngày sau khi kết thúc kiểm tra").
- ``before_event``: N days before an event or slot ("chậm nhất trước lịch kiểm tra 03 ngày").
- ``lead_time``: at least N days before the lower unit must act ("ban hành trước thời điểm các
  đơn vị triển khai thực hiện ít nhất là 01 tuần"): the same arithmetic as ``before_event``,
  described as a lead time.
- ``quarter_day``: day D of a month of a quarter: the quarter containing the period's start,
  moved by ``quarter_offset`` quarters ("ngày 15 tháng đầu mỗi quý": D=15, month 1, offset 0 for
  what is due in the quarter itself; offset 1 for a report on the quarter, due in the next one).
- ``annual``: a day and month every year ("trước 20/10 hằng năm"), in the calendar year of the
  period's start, moved by ``year_offset`` years.

Days are calendar days. A day beyond the end of a month (31 in April, 29/02 in 2027) means the
last day of that month.

"Trước ngày X" (before X) in the seeds means "by X": a report sent on X itself is on time, and
that is the default (``strict`` false). A policy that really means "the day before" sets
``strict``; the due date is then the day before X.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period

FIXED = "fixed"
AFTER_EVENT = "after_event"
BEFORE_EVENT = "before_event"
LEAD_TIME = "lead_time"
QUARTER_DAY = "quarter_day"
ANNUAL = "annual"
KINDS = (FIXED, AFTER_EVENT, BEFORE_EVENT, LEAD_TIME, QUARTER_DAY, ANNUAL)
EVENT_KINDS = (AFTER_EVENT, BEFORE_EVENT, LEAD_TIME)
PERIOD_KINDS = (QUARTER_DAY, ANNUAL)

MAX_DAYS = 3660  # ten years: anything longer is a typo in a policy record
_MONTH_IN_QUARTER = {1: _lazy("tháng đầu"), 2: _lazy("tháng thứ hai"), 3: _lazy("tháng cuối")}


class DueRuleError(ApplicationError):
    """A rule that cannot give a date, or a rule record that is malformed."""


@dataclass(frozen=True)
class DueRule:
    kind: str
    days: int = 0
    event: str = ""  # key of the event in the `events` mapping ("inspection_end", "slot")
    event_label: str = ""  # how a cadre names it ("kết thúc kiểm tra", "lịch kiểm tra")
    on: dt.date | None = None  # fixed
    day: int = 0  # quarter_day, annual
    month: int = 0  # annual: month of the year; quarter_day: month within the quarter (1-3)
    quarter_offset: int = 0
    year_offset: int = 0
    strict: bool = False

    def __post_init__(self) -> None:
        validate(self)

    # -- constructors ---------------------------------------------------------------------------
    @classmethod
    def fixed(cls, on: dt.date) -> DueRule:
        return cls(FIXED, on=on)

    @classmethod
    def after(cls, days: int, event: str, label: str = "") -> DueRule:
        return cls(AFTER_EVENT, days=days, event=event, event_label=label)

    @classmethod
    def before(cls, days: int, event: str, label: str = "") -> DueRule:
        return cls(BEFORE_EVENT, days=days, event=event, event_label=label)

    @classmethod
    def lead(cls, days: int, event: str, label: str = "") -> DueRule:
        return cls(LEAD_TIME, days=days, event=event, event_label=label)

    @classmethod
    def quarter_day(cls, day: int, *, month: int = 1, quarter_offset: int = 0) -> DueRule:
        return cls(QUARTER_DAY, day=day, month=month, quarter_offset=quarter_offset)

    @classmethod
    def annual(cls, day: int, month: int, *, year_offset: int = 0, strict: bool = False) -> DueRule:
        return cls(ANNUAL, day=day, month=month, year_offset=year_offset, strict=strict)

    # -- storage --------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Only the fields that matter for the kind, so stored rules stay readable."""
        data = asdict(self)
        keep = {"kind"} | _FIELDS[self.kind]
        out = {k: v for k, v in data.items() if k in keep}
        if self.on is not None and "on" in out:
            out["on"] = self.on.isoformat()
        return out

    @classmethod
    def from_json(cls, data: object) -> DueRule:
        """Build a rule from stored JSON; a malformed record raises DueRuleError in Vietnamese."""
        if not isinstance(data, Mapping):
            raise DueRuleError(_(
                "Quy tắc tính hạn không hợp lệ: cần một bản ghi có trường “kind”."
            ))
        kind = data.get("kind")
        if kind not in KINDS:
            raise DueRuleError(_(
                "Loại quy tắc tính hạn “{kind}” không được hỗ trợ."
            ).format(kind=kind))
        unknown = set(data) - {"kind"} - _FIELDS[kind]
        if unknown:
            names = ", ".join(sorted(unknown))
            raise DueRuleError(_(
                "Quy tắc tính hạn “{kind}” có trường không dùng được: {names}."
            ).format(kind=kind, names=names))
        kwargs: dict[str, Any] = {"kind": kind}
        for name in _FIELDS[kind]:
            if name not in data:
                continue
            value = data[name]
            if name == "on":
                kwargs[name] = _parse_iso(value)
            elif name in ("event", "event_label"):
                if not isinstance(value, str):
                    raise DueRuleError(_(
                        "Trường “{name}” của quy tắc tính hạn phải là chữ."
                    ).format(name=name))
                kwargs[name] = value.strip()
            elif name == "strict":
                if not isinstance(value, bool):
                    raise DueRuleError(_(
                        "Trường “strict” của quy tắc tính hạn phải là true/false."
                    ))
                kwargs[name] = value
            else:
                if isinstance(value, bool) or not isinstance(value, int):
                    raise DueRuleError(_(
                        "Trường “{name}” của quy tắc tính hạn phải là số nguyên."
                    ).format(name=name))
                kwargs[name] = value
        return cls(**kwargs)

    @property
    def needs_period(self) -> bool:
        return self.kind in PERIOD_KINDS

    @property
    def label(self) -> str:
        return self.event_label or self.event


_FIELDS: dict[str, set[str]] = {
    FIXED: {"on"},
    AFTER_EVENT: {"days", "event", "event_label"},
    BEFORE_EVENT: {"days", "event", "event_label"},
    LEAD_TIME: {"days", "event", "event_label"},
    QUARTER_DAY: {"day", "month", "quarter_offset"},
    ANNUAL: {"day", "month", "year_offset", "strict"},
}


def _parse_iso(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DueRuleError(_(
            "Ngày “{value}” trong quy tắc tính hạn không hợp lệ."
        ).format(value=value)) from None


def validate(rule: DueRule) -> None:
    """Raise DueRuleError when a rule's numbers make no sense for its kind."""
    if rule.kind not in KINDS:
        raise DueRuleError(_(
            "Loại quy tắc tính hạn “{kind}” không được hỗ trợ."
        ).format(kind=rule.kind))
    if rule.kind == FIXED and rule.on is None:
        raise DueRuleError(_("Quy tắc hạn cố định cần một ngày cụ thể."))
    if rule.kind in EVENT_KINDS:
        if not rule.event:
            raise DueRuleError(_("Quy tắc tính hạn theo sự kiện cần tên sự kiện."))
        if not 0 <= rule.days <= MAX_DAYS:
            raise DueRuleError(_(
                "Số ngày của quy tắc tính hạn phải từ 0 đến {MAX_DAYS}."
            ).format(MAX_DAYS=MAX_DAYS))
    if rule.kind == QUARTER_DAY:
        if not 1 <= rule.day <= 31:
            raise DueRuleError(_("Ngày trong tháng phải từ 1 đến 31."))
        if not 1 <= rule.month <= 3:
            raise DueRuleError(_("Tháng trong quý phải là 1, 2 hoặc 3."))
        if not -8 <= rule.quarter_offset <= 8:
            raise DueRuleError(_("Độ lệch quý phải từ -8 đến 8."))
    if rule.kind == ANNUAL:
        if not 1 <= rule.month <= 12:
            raise DueRuleError(_("Tháng phải từ 1 đến 12."))
        if not 1 <= rule.day <= calendar.monthrange(2000, rule.month)[1]:
            raise DueRuleError(_(
                "Ngày {day} không có trong tháng {month}."
            ).format(day=rule.day, month=rule.month))
        if not -2 <= rule.year_offset <= 2:
            raise DueRuleError(_("Độ lệch năm phải từ -2 đến 2."))


def _clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _shift_quarter(year: int, quarter: int, offset: int) -> tuple[int, int]:
    index = year * 4 + (quarter - 1) + offset
    return index // 4, index % 4 + 1


def resolve(rule: DueRule, events: Mapping[str, dt.date | None] | None = None,
            period: Period | None = None) -> dt.date:
    """The due date of `rule`, given the dates of events and the period the obligation is for.

    Raises DueRuleError naming what is missing when the date cannot be known yet.
    """
    events = events or {}
    if rule.kind == FIXED:
        assert rule.on is not None
        return rule.on
    if rule.kind in EVENT_KINDS:
        when = events.get(rule.event)
        if when is None:
            raise DueRuleError(
                _("Chưa xác định được hạn: sự kiện “{label}” chưa có ngày.").format(
                    label=rule.label),
                field="events",
            )
        delta = dt.timedelta(days=rule.days)
        try:
            return when + delta if rule.kind == AFTER_EVENT else when - delta
        except OverflowError:
            raise DueRuleError(_("Chưa xác định được hạn: ngày tính ra nằm ngoài lịch.")) from None
    if period is None:
        raise DueRuleError(
            _("Chưa xác định được hạn: quy tắc tính theo kỳ nhưng chưa chọn kỳ (tháng, quý, năm)."),
            field="period",
        )
    if rule.kind == QUARTER_DAY:
        start = period.start
        year, quarter = _shift_quarter(start.year, (start.month - 1) // 3 + 1, rule.quarter_offset)
        return _clamped(year, 3 * (quarter - 1) + rule.month, rule.day)
    # ANNUAL
    due = _clamped(period.start.year + rule.year_offset, rule.month, rule.day)
    return due - dt.timedelta(days=1) if rule.strict else due


def _days(n: int) -> str:
    if n and n % 7 == 0 and n <= 28:
        return _("{value:02d} tuần").format(value=n // 7)
    return _("{n:02d} ngày").format(n=n)


def describe(rule: DueRule) -> str:
    """The rule in the words a Union plan would use."""
    if rule.kind == FIXED:
        assert rule.on is not None
        return _("chậm nhất ngày {on:%d/%m/%Y}").format(on=rule.on)
    if rule.kind == AFTER_EVENT:
        if rule.days == 0:
            return f"ngay khi {rule.label}"
        return _("chậm nhất {days} sau khi {label}").format(days=_days(rule.days), label=rule.label)
    if rule.kind == BEFORE_EVENT:
        if rule.days == 0:
            return _("chậm nhất vào ngày {label}").format(label=rule.label)
        return _("chậm nhất trước {label} {days}").format(label=rule.label, days=_days(rule.days))
    if rule.kind == LEAD_TIME:
        return _("trước khi {label} ít nhất {days}").format(label=rule.label, days=_days(rule.days))
    if rule.kind == QUARTER_DAY:
        month = _MONTH_IN_QUARTER[rule.month]
        if rule.quarter_offset == 0:
            which = _("mỗi quý")
        elif rule.quarter_offset == 1:
            which = _("của quý sau")
        elif rule.quarter_offset == -1:
            which = _("của quý trước")
        elif rule.quarter_offset > 0:
            which = _(
                "của quý thứ {quarter_offset} sau kỳ báo cáo"
            ).format(quarter_offset=rule.quarter_offset)
        else:
            which = _("của quý thứ {value} trước kỳ báo cáo").format(value=-rule.quarter_offset)
        return _(
            "chậm nhất ngày {day:02d} {month} {which}"
        ).format(day=rule.day, month=month, which=which)
    # ANNUAL
    when = f"{rule.day:02d}/{rule.month:02d}"
    if rule.year_offset == 0:
        year = _("hằng năm")
    elif rule.year_offset == 1:
        year = _("năm sau")
    elif rule.year_offset == -1:
        year = _("năm trước")
    elif rule.year_offset > 0:
        year = _("sau năm của kỳ báo cáo {year_offset} năm").format(year_offset=rule.year_offset)
    else:
        year = _("trước năm của kỳ báo cáo {value} năm").format(value=-rule.year_offset)
    if rule.strict:
        return _("trước ngày {when} {year} (không tính ngày {when})").format(when=when, year=year)
    return _("trước ngày {when} {year} (tính cả ngày {when})").format(when=when, year=year)
