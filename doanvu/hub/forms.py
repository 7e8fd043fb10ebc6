from __future__ import annotations

from typing import Any

from django import forms

from . import conf


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "accept": ",".join(conf.upload_extensions()),
        }))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class SubmitForm(forms.Form):
    text = forms.CharField(
        label="Nội dung báo cáo", required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Nội dung nộp dài quá 20.000 ký tự."},
    )
    attachments = MultipleFileField(label="Tệp đính kèm")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        exts = ", ".join(e.lstrip(".") for e in conf.upload_extensions())
        from .services import format_size

        self.fields["attachments"].help_text = (
            f"Tối đa {conf.upload_max_files()} tệp, mỗi tệp tối đa "
            f"{format_size(conf.upload_max_bytes())}; nhận: {exts}."
        )


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Ý kiến", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Ý kiến dài quá 2.000 ký tự."},
    )
