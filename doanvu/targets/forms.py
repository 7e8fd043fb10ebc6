"""The form that sets a target on a unit's dashboard; the service checks everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import VNDateField, VNForm
from doanvu.org.models import EducationLevel, TheoryLevel, Unit

from .formulas import FORMULAS, formula_choices


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
