"""Form fields that speak the way Vietnamese users write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .dates import DateInputError, read_date
from .errors import ApplicationError
from .periods import Period, period_param

T = TypeVar("T")
D = TypeVar("D", bound=Period | None)


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy, read by common.dates.read_date: the project's one date field
    (tests/common/test_form_guard.py refuses a bare forms.DateField). A wrong shape and a day
    that does not exist get their own messages, shown beside the field."""

    input_formats = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                      "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return read_date(str(value))
        except DateInputError as exc:
            code = "impossible" if exc.impossible else "invalid"
            raise forms.ValidationError(str(exc), code=code) from None


def add_error_from(form: forms.Form, exc: Exception) -> None:
    """Attach an ApplicationError to its field when the form has it, else to the form."""
    field = getattr(exc, "field", None)
    message = str(exc)
    if field and field in form.fields:
        form.add_error(field, message)
    else:
        form.add_error(None, message)


def form_submit(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    redirect_to: str | Callable[[T], str],
) -> HttpResponse | None:
    """The one form → service → field error → message → redirect flow of our views.

    On a valid POST, call `action(form.cleaned_data)` (a service call); if it raises an
    ApplicationError, attach the message to its field (or the form) and return None, so the
    caller renders the form again with what the user typed; otherwise flash `success` and
    redirect. On GET or an invalid form, return None. Either argument may be a function of the
    service's result (the object it created)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ApplicationError as exc:
        add_error_from(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


def period_shown(request: HttpRequest, name: str, *, field: str, default: D) -> Period | D:
    """The period a page shows from `?<name>=`: `default` when none is asked; when a wrong one
    is, the reason as a message and `default` (a read only — a write calls `period_param` and
    refuses instead)."""
    if not str(request.GET.get(name) or "").replace("\x00", "").strip():
        return default
    try:
        return period_param(request.GET, name, field=field)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return default
