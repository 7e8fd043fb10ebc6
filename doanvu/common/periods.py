"""Periods as Vietnamese plans write them: "tháng 3/2020", "quý I/2020", "6 tháng đầu năm 2020",
"năm 2020", "năm học 2019 – 2020". One value type, parsed from and printed in Vietnamese, stored
as a short key ("2020-M03", "2020-Q1", "2020-H1", "2020-Y", "2019-SY")."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from .errors import ApplicationError
from .text import fold

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN_IN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
KINDS = ("M", "Q", "H", "Y", "SY")
# A school year runs from September to the end of August.
SCHOOL_YEAR_START_MONTH = 9


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str  # M month, Q quarter, H half-year, Y year, SY school year starting in `year`
    index: int = 1  # month 1-12, quarter 1-4, half 1-2; 1 for Y and SY

    def __post_init__(self) -> None:
        limits = {"M": 12, "Q": 4, "H": 2, "Y": 1, "SY": 1}
        if self.kind not in limits or not 1 <= self.index <= limits[self.kind]:
            raise ValueError(f"invalid period {self.kind}{self.index}")
        if not 1900 <= self.year <= 2200:
            raise ValueError("year out of range")

    # -- constructors ---------------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, "M", month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, "Q", quarter)

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        return cls(year, "H", half)

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(year, "Y", 1)

    @classmethod
    def school_year(cls, first_year: int) -> Period:
        return cls(first_year, "SY", 1)

    @classmethod
    def containing(cls, day: dt.date, kind: str) -> Period:
        if kind == "M":
            return cls.month(day.year, day.month)
        if kind == "Q":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == "H":
            return cls.half(day.year, 1 if day.month <= 6 else 2)
        if kind == "Y":
            return cls.of_year(day.year)
        if kind == "SY":
            start = day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1
            return cls.school_year(start)
        raise ValueError(kind)

    # -- dates ----------------------------------------------------------------------------------
    @property
    def start(self) -> dt.date:
        if self.kind == "M":
            return dt.date(self.year, self.index, 1)
        if self.kind == "Q":
            return dt.date(self.year, 3 * (self.index - 1) + 1, 1)
        if self.kind == "H":
            return dt.date(self.year, 1 if self.index == 1 else 7, 1)
        if self.kind == "SY":
            return dt.date(self.year, SCHOOL_YEAR_START_MONTH, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """Last day, inclusive."""
        if self.kind == "M":
            return dt.date(self.year, self.index, calendar.monthrange(self.year, self.index)[1])
        if self.kind == "Q":
            last_month = 3 * self.index
            return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])
        if self.kind == "H":
            return dt.date(self.year, 6, 30) if self.index == 1 else dt.date(self.year, 12, 31)
        if self.kind == "SY":
            return dt.date(self.year + 1, SCHOOL_YEAR_START_MONTH, 1) - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        if self.kind in ("Y", "SY"):
            return Period(self.year + 1, self.kind, 1)
        size = {"M": 12, "Q": 4, "H": 2}[self.kind]
        if self.index == size:
            return Period(self.year + 1, self.kind, 1)
        return Period(self.year, self.kind, self.index + 1)

    # -- text -----------------------------------------------------------------------------------
    @property
    def key(self) -> str:
        if self.kind == "M":
            return f"{self.year}-M{self.index:02d}"
        if self.kind in ("Q", "H"):
            return f"{self.year}-{self.kind}{self.index}"
        return f"{self.year}-{self.kind}"

    @classmethod
    def from_key(cls, key: str) -> Period:
        m = re.fullmatch(r"(\d{4})-(M|Q|H|Y|SY)(\d{1,2})?", key or "")
        if not m:
            raise ValueError(f"invalid period key {key!r}")
        year, kind, idx = int(m[1]), m[2], m[3]
        return cls(year, kind, int(idx) if idx else 1)

    def __str__(self) -> str:
        if self.kind == "M":
            return _("tháng {month}/{year}").format(
                       month=self.index,
                       year=self.year)
        if self.kind == "Q":
            return _("quý {quarter}/{year}").format(
                       quarter=ROMAN[self.index],
                       year=self.year)
        if self.kind == "H":
            half = _("đầu") if self.index == 1 else _("cuối")
            return _("6 tháng {half} năm {year}").format(half=half, year=self.year)
        if self.kind == "SY":
            return _("năm học {year} – {next_year}").format(
                       year=self.year,
                       next_year=self.year + 1)
        return _("năm {year}").format(year=self.year)


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:thang\s*)?0?(\d{1,2})\s*[/\-.]\s*(\d{4})$"), "M"),
    (re.compile(r"^quy\s*(iv|iii|ii|i|[1-4])\s*(?:[/\-]|nam)?\s*(\d{4})$"), "Q"),
    (re.compile(r"^6\s*thang\s*(dau|cuoi)\s*(?:nam)?\s*(\d{4})$"), "H"),
    (re.compile(r"^nam\s*hoc\s*(\d{4})\s*[-–—/]\s*(\d{4})$"), "SY"),
    (re.compile(r"^(?:nam\s*)?(\d{4})$"), "Y"),
]


def parse_period(text: str, *, field: str = "") -> Period:
    """Parse a period written in Vietnamese; raise ApplicationError naming the field."""
    field = field or _("kỳ")
    raw = (text or "").strip()
    folded = fold(raw).replace("–", "-")
    field_capitalize = field[:1].upper() + field[1:]
    for pattern, kind in _PATTERNS:
        m = pattern.match(folded)
        if not m:
            continue
        # the shape is right but no such period exists: say so, as for dates (common.dates)
        if kind == "M" and not 1 <= int(m[1]) <= 12:
            raise no_such_month(raw, int(m[1]), field=field)
        if kind == "SY" and int(m[2]) != int(m[1]) + 1:
            why = _("một năm học gồm hai năm liền nhau, ví dụ năm học {year} – {next_year}").format(
                year=int(m[1]), next_year=int(m[1]) + 1)
            raise PeriodDoesNotExist(_("{field_capitalize} “{raw}” không tồn tại: {why}.").format(
                field_capitalize=field_capitalize, raw=raw, why=why), field=field)
        try:
            if kind == "M":
                return Period.month(int(m[2]), int(m[1]))
            if kind == "Q":
                return Period.quarter(int(m[2]), _ROMAN_IN[m[1]])
            if kind == "H":
                return Period.half(int(m[2]), 1 if m[1] == "dau" else 2)
            if kind == "SY":
                return Period.school_year(int(m[1]))
            return Period.of_year(int(m[1]))
        except ValueError:
            break
    raise ApplicationError(
        _("{field_capitalize} “{raw}” không hợp lệ. Ví dụ: tháng 3/2020, quý I/2020, 6 tháng "
          "đầu năm 2020, năm 2020, năm học 2019 – 2020.").format(
            field_capitalize=field.capitalize(),
            raw=raw),
        field=field,
    )


class PeriodDoesNotExist(ApplicationError):
    """A period written in the right shape that does not exist ("tháng 13/2020")."""


def no_such_month(raw: str, month: int, *, field: str) -> PeriodDoesNotExist:
    field_capitalize = field[:1].upper() + field[1:]
    return PeriodDoesNotExist(_("{field_capitalize} “{raw}” không tồn tại: {why}.").format(
        field_capitalize=field_capitalize, raw=raw,
        why=_("không có tháng {month}").format(month=month)), field=field)


class PeriodField(models.CharField):
    """Stores a Period by its key; sorts chronologically within a kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Period | None:
        return Period.from_key(value) if value else None

    def to_python(self, value: Any) -> Period | None:
        if value is None or isinstance(value, Period):
            return value
        if value == "":
            return None
        try:
            return Period.from_key(value)
        except ValueError:
            return parse_period(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = self.to_python(value)
        return value.key if isinstance(value, Period) else None

    def value_to_string(self, obj: Any) -> str:
        value = self.value_from_object(obj)
        return value.key if isinstance(value, Period) else ""


def period_param(params: Mapping[str, Any], name: str, *, field: str,
                 kind: str | None = None) -> Period:
    """The period that a link or form names in `params[name]` ("thang", "ky").

    Missing, invalid or (with `kind`) of another kind: an ApplicationError naming the field.
    A page may show a default period when the parameter is missing from a GET, but a write must
    call this and refuse on error — never fall back to a default period and write there.
    """
    raw = str(params.get(name) or "").replace("\x00", "").strip()
    if not raw:
        raise ApplicationError(_("Chưa chọn {field}: hãy chọn {field} rồi lưu lại.").format(
                                   field=field), field=field)
    if kind is None:
        try:
            return Period.from_key(raw)
        except ValueError:
            pass
    period = parse_period(raw, field=field)
    if kind is not None and period.kind != kind:
        example = {"M": "3/2024", "Q": _("quý I/2024"), "Y": "2024"}.get(kind, "")
        raise ApplicationError(
            _("{field_capitalize} “{raw}” không hợp lệ: hãy nhập một {field}, ví dụ "
              "{example}.").format(
                field_capitalize=field.capitalize(),
                raw=raw,
                field=field,
                example=example),
            field=field)
    return period
