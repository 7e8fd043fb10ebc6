"""Form fields that speak the way Vietnamese users write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

from .dates import DateInputError, read_date
from .errors import ApplicationError
from .periods import Period, period_param
from .phones import MAX_TYPED, PhoneError, normalize_phone

T = TypeVar("T")
D = TypeVar("D", bound=Period | None)


# The house messages for an empty required field and a too long text. They are shown beside the
# field, under its label, so they do not repeat the label; one phrasing ("Hãy …") for all forms.
REQUIRED_TEXT = gettext_lazy("Hãy nhập thông tin này.")
REQUIRED_CHOICE = gettext_lazy("Hãy chọn một mục trong danh sách.")
REQUIRED_FILE = gettext_lazy("Hãy chọn tệp.")
REQUIRED_CHECK = gettext_lazy("Hãy đánh dấu xác nhận.")
INVALID_CHOICE = gettext_lazy("Lựa chọn không hợp lệ: hãy chọn lại trong danh sách.")
NOT_A_WHOLE_NUMBER = gettext_lazy("Hãy nhập một số nguyên, ví dụ 12.")
TOO_LONG = gettext_lazy("Dài quá %(limit_value)d ký tự (đang có %(show_value)d).")

_DJANGO_REQUIRED = forms.Field.default_error_messages["required"]
_DJANGO_INVALID_CHOICE = (forms.ChoiceField.default_error_messages["invalid_choice"],
                          forms.ModelChoiceField.default_error_messages["invalid_choice"])


def required_message(field: forms.Field) -> Any:
    """The house message for `field` left empty, by what the user does with it."""
    if isinstance(field, forms.BooleanField):
        return REQUIRED_CHECK
    if isinstance(field, forms.FileField):
        return REQUIRED_FILE
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return REQUIRED_CHOICE
    return REQUIRED_TEXT


def use_house_messages(fields: dict[str, forms.Field]) -> None:
    """Put the house messages on every field still carrying Django's generic ones (a field's
    own message, e.g. a unit picker's "Hãy tìm và chọn một đơn vị.", stays)."""
    for field in fields.values():
        messages_ = field.error_messages
        if messages_.get("required") is _DJANGO_REQUIRED:
            messages_["required"] = required_message(field)
        if messages_.get("invalid") is forms.IntegerField.default_error_messages["invalid"]:
            messages_["invalid"] = NOT_A_WHOLE_NUMBER  # Django's reads "Nhập một số tổng thể."
        if any(messages_.get("invalid_choice") is m for m in _DJANGO_INVALID_CHOICE):
            messages_["invalid_choice"] = INVALID_CHOICE
        # Django's says "Đảm bảo giá trị này có nhiều nhất …" from its validator
        if getattr(field, "max_length", None) is not None and "max_length" not in messages_:
            messages_["max_length"] = TOO_LONG


class VNFormMixin:
    """What every form of the project has (tests/common/test_form_guard.py checks that each one
    does): the house messages, put on the fields just before they are cleaned, so fields that a
    form adds in its own __init__ get them too."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        use_house_messages(self.fields)
        super().full_clean()  # type: ignore[misc]


class VNForm(VNFormMixin, forms.Form):
    """The project's base form."""


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy, read by common.dates.read_date: the project's one date field
    (tests/common/test_form_guard.py refuses a bare forms.DateField). A wrong shape and a day
    that does not exist get their own messages, shown beside the field."""

    input_formats = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
    # (read_date gives the messages; this one only replaces Django's "Nhập một ngày hợp lệ.")
    default_error_messages = {"required": REQUIRED_TEXT,
                              "invalid": gettext_lazy("Hãy nhập theo dạng dd/mm/yyyy.")}

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


class FilePickerInput(forms.FileInput):
    """A file input that speaks Vietnamese: the browser's own button ("Choose File", in the
    browser's language) is visually hidden but still focusable and read by screen readers; a
    label styled as a button says "Chọn tệp…" and static/js/file-picker.js shows the chosen
    file names, or "Chưa chọn tệp"."""

    template_name = "common/widgets/file_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = dict(attrs or {})
        attrs["class"] = " ".join(filter(None, ["file-picker-input", attrs.get("class")]))
        super().__init__(attrs)


class PhoneField(forms.CharField):
    """A phone number, checked and kept as digits by common.phones.normalize_phone (the same
    check as the member importer's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_TYPED)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel",
                                                           "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        try:
            return normalize_phone(super().to_python(value))
        except PhoneError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


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


def action_submit(
    request: HttpRequest,
    action: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    back: str,
    form: forms.Form | None = None,
) -> HttpResponse:
    """The one button → service → message → back flow of our POST-only views (no form to show
    again): with a `form`, its errors are flashed and nothing is called unless it is valid
    (`action` then reads its cleaned data); call `action()` (a service call); flash its
    ApplicationError's message as an error, or `success` (a text, or a function of the
    service's result); then redirect to `back`."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect(back)
    try:
        result = action()
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(back)


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
