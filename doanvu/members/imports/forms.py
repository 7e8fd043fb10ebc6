"""Forms of the import pages (MEM-13)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.common.forms import FilePickerInput, VNForm

from .services import COLUMN_BY_KEY, COLUMNS, missing_required

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class ImportUploadForm(VNForm):
    unit = forms.IntegerField(
        error_messages={"required": gettext_lazy("Hãy chọn đơn vị nhận đoàn viên."),
                        "invalid": gettext_lazy("Hãy chọn đơn vị nhận đoàn viên.")},
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp danh sách (.xlsx hoặc .csv)"),
        widget=FilePickerInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"required": gettext_lazy("Hãy chọn tệp .xlsx hoặc .csv."),
                        "empty": gettext_lazy("Tệp rỗng: không có dòng nào để nhập."),
                        "invalid": gettext_lazy("Hãy chọn tệp .xlsx hoặc .csv.")},
    )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn quá 200 MB: hãy chia thành nhiều tệp."))
        return f


class ImportMappingForm(VNForm):
    """One select per column of the file: which field it holds (or none)."""

    def __init__(self, *args: Any, headers: list[str], mapping: dict[str, str],
                 unit_is_branch: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.unit_is_branch = unit_is_branch
        choices = [("", _("— không nhập cột này —"))] + [
            (c.key, c.label + (" *" if c.required else "")) for c in COLUMNS
        ]
        for i, h in enumerate(headers):
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=h or _("(cột {value} không có tên)").format(value=i + 1),
                choices=choices,
                required=False,
                initial=mapping.get(str(i), ""),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, str] = {}
        for i, h in enumerate(self.headers):
            key = data.get(f"col_{i}")
            if not key:
                continue
            if key in seen:
                self.add_error(
                    f"col_{i}",
                    _("Cột “{label}” đã được gán cho cột “{value}” của tệp.").format(
                        label=COLUMN_BY_KEY[key].label, value=seen[key]
                    ),
                )
            seen[key] = h
        missing = missing_required(self.mapping(), unit_is_branch=self.unit_is_branch)
        if missing:
            self.add_error(None, _("Chưa gán các cột bắt buộc: ") + ", ".join(missing) + ".")
        return data

    def mapping(self) -> dict[str, str]:
        data = getattr(self, "cleaned_data", {}) or {}
        return {str(i): data[f"col_{i}"] for i in range(len(self.headers))
                if data.get(f"col_{i}")}

    def rows(self) -> list[tuple[str, forms.BoundField]]:
        return [(h, self[f"col_{i}"]) for i, h in enumerate(self.headers)]
