from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.forms import VNDateField, VNForm

from .models import Sector, Unit, UnitKind


class ChangeMetaForm(VNForm):
    """Fields every dated change carries."""

    on = VNDateField(label=_lazy("Ngày hiệu lực"))
    decision = forms.CharField(label=_lazy("Số quyết định"), max_length=120, required=False)
    note = forms.CharField(label=_lazy("Ghi chú"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class UnitRefField(forms.IntegerField):
    """A unit chosen from search results (a radio list); the view resolves it within scope."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {
            "required": _("Hãy tìm và chọn một đơn vị."),
            "invalid": _("Đơn vị đã chọn không hợp lệ."),
        })
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)


class UnitCreateForm(VNForm):
    name = forms.CharField(label=_lazy("Tên đơn vị"), max_length=255)
    short_name = forms.CharField(label=_lazy("Tên viết tắt"), max_length=60, required=False)
    kind = forms.ModelChoiceField(label=_lazy("Loại đơn vị"), queryset=UnitKind.objects.all())
    sector = forms.ChoiceField(label=_lazy("Khu vực"), choices=[("", "—")] + list(Sector.choices),
                               required=False)
    place = forms.CharField(label=_lazy("Địa danh"), max_length=120, required=False)
    founded_on = VNDateField(label=_lazy("Ngày thành lập"))
    decision = forms.CharField(label=_lazy("Số quyết định"), max_length=120, required=False)
    note = forms.CharField(label=_lazy("Ghi chú"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, parent: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parent is not None:
            allowed = UnitKind.objects.filter(allowed_parents=parent.kind)
            if allowed.exists():
                self.fields["kind"].queryset = allowed  # type: ignore[attr-defined]


class UnitRenameForm(ChangeMetaForm):
    name = forms.CharField(label=_lazy("Tên mới"), max_length=255)
    short_name = forms.CharField(label=_lazy("Tên viết tắt mới"), max_length=60, required=False)
    field_order = ["name", "short_name", "on", "decision", "note"]


class UnitMoveForm(ChangeMetaForm):
    new_parent = UnitRefField(label=_lazy("Đơn vị cấp trên mới"))
    field_order = ["new_parent", "on", "decision", "note"]


class UnitDissolveForm(ChangeMetaForm):
    confirm = forms.BooleanField(label=_lazy("Tôi xác nhận giải thể đơn vị này"),
                                 error_messages={"required": _lazy("Hãy đánh dấu xác nhận.")})


class UnitMergeForm(ChangeMetaForm):
    target = UnitRefField(label=_lazy("Sáp nhập vào đơn vị"))
    field_order = ["target", "on", "decision", "note"]


class UnitSplitForm(ChangeMetaForm):
    parts = forms.CharField(
        label=_lazy("Tên các đơn vị mới (mỗi dòng một tên)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _lazy("Hãy nhập tên các đơn vị mới.")},
    )
    keep_original = forms.BooleanField(label=_lazy(
        "Giữ lại đơn vị cũ (tách một phần)"
    ), required=False)
    field_order = ["parts", "keep_original", "on", "decision", "note"]

    def part_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["parts"].splitlines() if line.strip()]
