"""Dates as Vietnamese users write them (dd/mm/yyyy) and the "as of" date of a request (X-10)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ApplicationError


def today() -> dt.date:
    return timezone.localdate()


def parse_date(value: str | None, *, field: str = "") -> dt.date | None:
    """Parse dd/mm/yyyy (or ISO yyyy-mm-dd); empty gives None; junk raises ApplicationError."""
    field = field or _("ngày")
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ApplicationError(
        _("{field_capitalize} “{value}” không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ "
          "01/07/2025.").format(field_capitalize=field.capitalize(), value=value),
        field=field,
    )


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
