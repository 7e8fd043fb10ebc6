"""Small helpers shared by views."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _

from .dates import parse_date
from .errors import ApplicationError


def as_of_param(request: HttpRequest, name: str = "ngay") -> tuple[dt.date | None, str]:
    """The "as of" date from the query string, and an error message if it was junk."""
    raw = request.GET.get(name, "")
    try:
        return parse_date(raw, field=_("ngày xem")), ""
    except ApplicationError as exc:
        return None, str(exc)
