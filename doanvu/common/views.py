"""Small helpers shared by views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from .dates import format_date, parse_date, today
from .errors import ApplicationError
from .periods import Period, period_param


def as_of_param(request: HttpRequest, name: str = "ngay") -> tuple[dt.date | None, str]:
    """The "as of" date from the query string, and an error message if it was junk."""
    raw = request.GET.get(name, "")
    try:
        return parse_date(raw, field=_("ngày xem")), ""
    except ApplicationError as exc:
        return None, str(exc)


# -- downloads (issue 10, item 12) -------------------------------------------------------------
# A page may show today's data with a message when a date in its link is wrong; a file cannot
# carry that message, and a file of another date than the one asked for passes for the one
# asked for. So every download view reads its dates and periods through these helpers and is
# wrapped in `refuses_bad_input`: a wrong value answers 400 with a Vietnamese page naming the
# parameter, and no file.


class DownloadRefused(ApplicationError):
    """A parameter of a download is wrong: no file is made."""


def _refused(name: str, label: object, reason: str) -> DownloadRefused:
    return DownloadRefused(
        _("Không tạo được tệp vì tham số “{name}” ({label}) không hợp lệ: {reason} Hãy sửa "
          "lại rồi tải lại tệp.").format(name=name, label=label, reason=reason),
        field=name)


def download_date(request: HttpRequest, name: str = "ngay", *, field: str = "",
                  latest: dt.date | None = None) -> dt.date | None:
    """The date `?<name>=` of a download: None when absent; DownloadRefused when it is not a
    date (31/02/2020) or, with `latest`, later than `latest` (a day not yet come)."""
    raw = str(request.GET.get(name) or "").replace("\x00", "").strip()
    if not raw:
        return None
    field = field or _("ngày xem")
    try:
        day = parse_date(raw, field=field)
    except ApplicationError as exc:
        raise _refused(name, field, str(exc)) from exc
    if day is not None and latest is not None and day > latest:
        raise _refused(name, field, _("Ngày {day} chưa tới: hãy chọn một ngày đến hôm nay "
                                      "({latest}).").format(day=format_date(day),
                                                           latest=format_date(latest)))
    return day


def download_period(request: HttpRequest, name: str, *, field: str,
                    default: Period) -> Period:
    """The period `?<name>=` of a download: `default` when absent; DownloadRefused when junk."""
    raw = str(request.GET.get(name) or "").replace("\x00", "").strip()
    if not raw:
        return default
    try:
        return period_param(request.GET, name, field=field)
    except ApplicationError as exc:
        raise _refused(name, field, str(exc)) from exc


def download_form_valid(form: forms.Form) -> dict[str, Any]:
    """The cleaned filters of a download's filter form; DownloadRefused naming the first
    parameter that is wrong (a page drops a wrong filter with a message; a file may not)."""
    if form.is_bound and not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        field = form.fields.get(name)
        label = str(field.label).lower() if field is not None and field.label else name
        raw = str(form.data.get(name, ""))[:40].replace("\x00", "")
        reason = " ".join(str(e) for e in errors)
        raise _refused(name, label, f"“{raw}” — {reason}" if raw else reason)
    return getattr(form, "cleaned_data", {})


def refuses_bad_input(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap a download view: DownloadRefused from it answers 400 with the message, no file."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except DownloadRefused as exc:
            return render(request, "errors/error.html", {
                "code": 400, "title": _("Không tạo được tệp"), "message": str(exc),
            }, status=400)

    return wrapped


EARLIEST_YEAR = 1900  # common.periods.Period's first year


def page_as_of(request: HttpRequest, name: str = "ngay") -> tuple[dt.date | None, str]:
    """The "as of" date of a page (X-10) and the Vietnamese reason when it cannot be shown:
    None for today (or none asked), an error for junk or a day not yet come. A page shows the
    error beside its date field instead of silently showing today."""
    as_of, error = as_of_param(request, name)
    if error:
        return None, error
    if as_of is None:
        return None, ""
    day = today()
    if as_of > day:
        return None, _("Ngày xem {as_of} chưa tới: hãy chọn một ngày đến hôm nay ({day}).").format(
            as_of=format_date(as_of), day=format_date(day))
    if as_of.year < EARLIEST_YEAR:
        # periods (months, years) are kept from 1900 on; nothing was recorded before
        return None, _("Ngày xem {as_of} quá xa: hãy chọn một ngày từ năm {year} trở đi.").format(
            as_of=format_date(as_of), year=EARLIEST_YEAR)
    return (None if as_of == day else as_of), ""


def stored_file(file: Any, name: str, *, inline: bool = False) -> FileResponse:
    """A stored upload (a FieldFile already read through its scoped selector) as the response:
    to save (or, `inline`, to read in the browser) under its original `name`; a file missing
    from the storage answers 404, never 500."""
    try:
        handle = file.open("rb")
    except OSError:
        raise Http404(_("Không tìm thấy tệp.")) from None
    return FileResponse(handle, as_attachment=not inline, filename=name)
