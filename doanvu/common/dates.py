"""Dates as Vietnamese users write them (dd/mm/yyyy) and the "as of" date of a request (X-10).

`read_date` is the one parser of typed dates: form fields (common.forms.VNDateField), query
strings (`?ngay=`, through `parse_date`) and the member importer all go through it, so a date
typed in the wrong shape and a date that does not exist get the same two messages everywhere:
"… không đúng dạng: hãy nhập theo dạng ngày/tháng/năm …" for the first, "… không tồn tại: tháng
2/2020 chỉ có 29 ngày." for the second."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ApplicationError

# d/m/yyyy with "/", "." or "-" between the parts; two-digit years only where the caller says
# how to read them (the importer, for lists kept by hand)
_DMY = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})$")
# ISO yyyy-mm-dd, as browsers, exports and spreadsheets write it, with an optional time of day
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][0-9:.]+(?:Z|[+\-]\d{2}:?\d{2})?)?$")


class DateInputError(ApplicationError):
    """A typed date that could not be read; `impossible` when its shape was right but the day
    does not exist (31/02/2020), so the message says that rather than asking for the shape."""

    def __init__(self, message: str, *, field: str | None = None,
                 impossible: bool = False) -> None:
        super().__init__(message, field=field)
        self.impossible = impossible


def today() -> dt.date:
    return timezone.localdate()


def _why_not_a_day(year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return _("không có tháng {month}").format(month=month)
    if year < 1:
        return _("không có năm {year}").format(year=year)
    if day < 1:
        return _("không có ngày {day}").format(day=day)
    return _("tháng {month}/{year} chỉ có {days} ngày").format(
        month=month, year=year, days=calendar.monthrange(year, month)[1])


def read_date(text: str | None, *, field: str = "",
              two_digit_pivot: int | None = None) -> dt.date | None:
    """The date `text` names: dd/mm/yyyy (also d.m.yyyy, d-m-yyyy) or yyyy-mm-dd; empty gives
    None. Otherwise a DateInputError whose message starts with `field` (default "Ngày") — the
    shape is wrong, or the shape is right but the day does not exist.

    With `two_digit_pivot`, "17/05/00" is read too: years up to the pivot are 20xx, later ones
    19xx; without it a two-digit year is a wrong shape."""
    label = (field or _("ngày")).strip()
    label = label[:1].upper() + label[1:]
    raw = (text or "").replace("\x00", "").strip()
    if not raw:
        return None
    parts: tuple[int, int, int] | None = None
    m = _DMY.match(raw)
    if m and (len(m[4]) == 4 or two_digit_pivot is not None):
        year = int(m[4])
        if len(m[4]) == 2:
            year += 2000 if year <= (two_digit_pivot or 0) else 1900
        parts = (year, int(m[3]), int(m[1]))
    elif (iso := _ISO.match(raw)) is not None:
        parts = (int(iso[1]), int(iso[2]), int(iso[3]))
    if parts is None:
        raise DateInputError(
            _("{label} “{raw}” không đúng dạng: hãy nhập theo dạng ngày/tháng/năm, ví dụ "
              "01/07/2025.").format(label=label, raw=raw),
            field=field or None)
    try:
        return dt.date(*parts)
    except ValueError:
        raise DateInputError(
            _("{label} “{raw}” không tồn tại: {why}.").format(
                label=label, raw=raw, why=_why_not_a_day(*parts)),
            field=field or None, impossible=True) from None


def parse_date(value: str | None, *, field: str = "") -> dt.date | None:
    """A date from a query string or a command line, by `read_date`: empty gives None; junk
    raises an ApplicationError (a DateInputError) naming the field."""
    return read_date(value, field=field or _("ngày"))


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
