from __future__ import annotations

from typing import Any

from django import forms

from doanvu.common.forms import VNDateField

from .models import Sector, Unit, UnitKind


class ChangeMetaForm(forms.Form):
    """Fields every dated change carries."""

    on = VNDateField(label="Ngày hiệu lực")
    decision = forms.CharField(label="Số quyết định", max_length=120, required=False)
    note = forms.CharField(label="Ghi chú", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class UnitRefField(forms.IntegerField):
    """A unit chosen from search results (a radio list); the view resolves it within scope."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {
            "required": "Hãy tìm và chọn một đơn vị.",
            "invalid": "Đơn vị đã chọn không hợp lệ.",
        })
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)


class UnitCreateForm(forms.Form):
    name = forms.CharField(label="Tên đơn vị", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt", max_length=60, required=False)
    kind = forms.ModelChoiceField(label="Loại đơn vị", queryset=UnitKind.objects.all(),
                                  error_messages={"required": "Hãy chọn loại đơn vị.",
                                                  "invalid_choice": "Loại đơn vị không hợp lệ."})
    sector = forms.ChoiceField(label="Khu vực", choices=[("", "—")] + list(Sector.choices),
                               required=False)
    place = forms.CharField(label="Địa danh", max_length=120, required=False)
    founded_on = VNDateField(label="Ngày thành lập")
    decision = forms.CharField(label="Số quyết định", max_length=120, required=False)
    note = forms.CharField(label="Ghi chú", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, parent: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parent is not None:
            allowed = UnitKind.objects.filter(allowed_parents=parent.kind)
            if allowed.exists():
                self.fields["kind"].queryset = allowed  # type: ignore[attr-defined]


class UnitRenameForm(ChangeMetaForm):
    name = forms.CharField(label="Tên mới", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt mới", max_length=60, required=False)
    field_order = ["name", "short_name", "on", "decision", "note"]


class UnitMoveForm(ChangeMetaForm):
    new_parent = UnitRefField(label="Đơn vị cấp trên mới")
    field_order = ["new_parent", "on", "decision", "note"]


class UnitDissolveForm(ChangeMetaForm):
    confirm = forms.BooleanField(label="Tôi xác nhận giải thể đơn vị này",
                                 error_messages={"required": "Hãy đánh dấu xác nhận."})


class UnitMergeForm(ChangeMetaForm):
    target = UnitRefField(label="Sáp nhập vào đơn vị")
    field_order = ["target", "on", "decision", "note"]


class UnitSplitForm(ChangeMetaForm):
    parts = forms.CharField(
        label="Tên các đơn vị mới (mỗi dòng một tên)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Hãy nhập tên các đơn vị mới."},
    )
    keep_original = forms.BooleanField(label="Giữ lại đơn vị cũ (tách một phần)", required=False)
    field_order = ["parts", "keep_original", "on", "decision", "note"]

    def part_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["parts"].splitlines() if line.strip()]
