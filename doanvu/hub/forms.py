from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.forms import FilePickerInput, VNForm

from . import conf


class MultipleFileInput(FilePickerInput):
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


class SubmitForm(VNForm):
    text = forms.CharField(
        label=_lazy("Nội dung báo cáo"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = MultipleFileField(label=_lazy("Tệp đính kèm"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        exts = ", ".join(e.lstrip(".") for e in conf.upload_extensions())
        from .services import format_size

        self.fields["attachments"].help_text = (
            _(
                "Tối đa {upload_max_files} tệp, mỗi tệp tối đa {format_size}; nhận: {exts}."
            ).format(
                upload_max_files=conf.upload_max_files(),
                format_size=format_size(conf.upload_max_bytes()),
                exts=exts,
            )
        )


class NoteForm(VNForm):
    note = forms.CharField(
        label=_lazy("Ý kiến"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
