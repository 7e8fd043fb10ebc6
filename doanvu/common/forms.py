"""Form fields that speak the way Vietnamese users write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy; bad input names the field in Vietnamese."""

    input_formats = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                      "autocomplete": "off"}))
        kwargs.setdefault("error_messages", {
            "required": "Hãy nhập ngày.",
            "invalid": "Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025.",
        })
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str):
            value = value.strip()
        return super().to_python(value)


def add_error_from(form: forms.Form, exc: Exception) -> None:
    """Attach an ApplicationError to its field when the form has it, else to the form."""
    field = getattr(exc, "field", None)
    message = str(exc)
    if field and field in form.fields:
        form.add_error(field, message)
    else:
        form.add_error(None, message)
