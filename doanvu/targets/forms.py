"""The form that sets a target on a unit's dashboard; the service checks everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import VNDateField, VNForm
from doanvu.common.periods import Period
from doanvu.org.models import EducationLevel, TheoryLevel, Unit

from .formulas import FORMULAS, formula_choices
from .models import Target


class TargetForm(VNForm):
    name = forms.CharField(label=_("Tên chỉ tiêu"), max_length=500)
    goal = forms.CharField(label=_("Giá trị chỉ tiêu"), max_length=30)
    due_on = VNDateField(label=_("Thời hạn"))
    scope_unit = forms.TypedChoiceField(label=_("Phạm vi áp dụng"), coerce=int)
    formula = forms.ChoiceField(label=_("Cách tính"), required=False)
    year = forms.IntegerField(label=_("Năm tính"), required=False, min_value=1900,
                              max_value=2200)
    min_education = forms.ChoiceField(
        label=_("Trình độ chuyên môn tối thiểu"), required=False,
        choices=[("", "—"), *EducationLevel.choices])
    min_theory = forms.ChoiceField(
        label=_("Trình độ lý luận chính trị tối thiểu"), required=False,
        choices=[("", "—"), *TheoryLevel.choices])

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = [unit, *Unit.objects.filter(parent=unit, dissolved_on__isnull=True)
                 .order_by("name")]
        self.fields["scope_unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]
        self.fields["formula"].choices = [  # type: ignore[attr-defined]
            ("", _("Các đơn vị tự nhập kết quả")), *formula_choices()]

    def params(self) -> dict[str, Any]:
        code = self.cleaned_data.get("formula") or ""
        if code not in FORMULAS:
            return {}
        return {k: self.cleaned_data.get(k) for k in FORMULAS[code].params}

    @classmethod
    def for_target(cls, target: Target, data: Any = None) -> TargetForm:
        """The form holding a target's fields, to correct it."""
        initial: dict[str, Any] = {
            "name": target.name, "goal": f"{target.goal.normalize():f}",
            "due_on": target.due_on, "scope_unit": target.scope_unit_id,
            "formula": target.formula, **(target.params or {})}
        return cls(data, unit=target.unit, initial=initial)


class EntryForm(VNForm):
    """A unit's own figure for a target that units enter."""

    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    value = forms.CharField(label=_("Kết quả"), max_length=30)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]


class DeleteForm(VNForm):
    confirm = forms.BooleanField(label=_("Tôi xác nhận xóa chỉ tiêu này"), required=False)


REPORT_KINDS = (("H", _("Sơ kết 6 tháng đầu năm")), ("Y", _("Tổng kết năm")))


class ReportForm(VNForm):
    """Which report (seed 003 §6): the first half of a year, or the whole year."""

    kind = forms.ChoiceField(label=_("Báo cáo"), choices=REPORT_KINDS)
    year = forms.IntegerField(label=_("Năm"), min_value=1900, max_value=2200)

    def period(self) -> Period:
        data = self.cleaned_data
        return Period.half(data["year"], 1) if data["kind"] == "H" else \
            Period.of_year(data["year"])
