"""Every form of the project speaks the house way (issue 10, item 10): dates through the one
date field (VNDateField, common.dates.read_date), one phrasing for an empty required field, and
no field whose error repeats its own label (errors are shown beside the field, under it)."""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata

import pytest
from django import forms

import doanvu
from doanvu.common.forms import (
    REQUIRED_CHECK,
    REQUIRED_CHOICE,
    REQUIRED_FILE,
    REQUIRED_TEXT,
    FilePickerInput,
    VNDateField,
    VNForm,
    VNFormMixin,
)


def _project_forms() -> list[type[forms.BaseForm]]:
    for info in pkgutil.walk_packages(doanvu.__path__, "doanvu."):
        if info.name.rsplit(".", 1)[-1] in ("forms", "agency_forms") or ".forms" in info.name:
            importlib.import_module(info.name)
    found: list[type[forms.BaseForm]] = []
    todo: list[type] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("doanvu."):
                found.append(sub)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORMS = _project_forms()


def _fold(text: object) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold().rstrip(" :*")


def test_the_guard_finds_the_project_forms() -> None:
    names = {c.__name__ for c in FORMS}

    assert {"MemberForm", "DocumentForm", "UnitCreateForm", "GrantForm", "LoginForm",
            "ImportUploadForm"} <= names


@pytest.mark.parametrize("form", FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_form_uses_the_house_base_and_date_field(form: type[forms.BaseForm]) -> None:
    bare_dates = [name for name, field in form.base_fields.items()
                  if isinstance(field, forms.DateField) and not isinstance(field, VNDateField)]

    english_pickers = [name for name, field in form.base_fields.items()
                       if isinstance(field, forms.FileField)
                       and not isinstance(field.widget, FilePickerInput)]

    assert issubclass(form, VNFormMixin), f"{form.__name__} does not use common.forms.VNForm"
    assert bare_dates == [], f"{form.__name__}: use VNDateField for {bare_dates}"
    assert english_pickers == [], f"{form.__name__}: use FilePickerInput for {english_pickers}"


@pytest.mark.parametrize("form", FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_no_field_error_repeats_the_field_label(form: type[forms.BaseForm]) -> None:
    repeats = [
        (name, code, str(message))
        for name, field in form.base_fields.items() if field.label and field.widget.is_hidden
        is False
        for code, message in field.error_messages.items()
        if _fold(field.label) in _fold(message)
    ]

    assert repeats == []


@pytest.mark.parametrize("form", FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_required_messages_have_one_phrasing(form: type[forms.BaseForm]) -> None:
    odd = [(name, str(field.error_messages["required"]))
           for name, field in form.base_fields.items()
           if not str(field.error_messages["required"]).startswith("Hãy ")
           and field.error_messages["required"] is not forms.Field.default_error_messages[
               "required"]]

    assert odd == []


class _Sample(VNForm):
    name = forms.CharField(label="Tên", max_length=5)
    count = forms.IntegerField(label="Số lượng", required=False)
    kind = forms.ChoiceField(label="Loại", choices=[("a", "A")])
    file = forms.FileField(label="Tệp")
    ok = forms.BooleanField(label="Đồng ý")
    on = VNDateField(label="Ngày họp")


def test_empty_required_fields_get_the_house_message_without_their_label() -> None:
    form = _Sample(data={"name": "quá dài rồi", "count": "mười"})

    assert form.errors == {
        "name": ["Dài quá 5 ký tự (đang có 11)."],
        "count": ["Hãy nhập một số nguyên, ví dụ 12."],
        "kind": [str(REQUIRED_CHOICE)],
        "file": [str(REQUIRED_FILE)],
        "ok": [str(REQUIRED_CHECK)],
        "on": [str(REQUIRED_TEXT)],
    }


def test_a_field_added_in_init_gets_the_house_message_too() -> None:
    class Late(VNForm):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self.fields["note"] = forms.CharField(label="Ghi chú")

    assert Late(data={}).errors == {"note": [str(REQUIRED_TEXT)]}
