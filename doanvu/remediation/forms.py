"""Forms of remediation pages; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import FilePickerInput, VNForm
from doanvu.org.models import Department, Person, Unit

from .models import Shortcoming, ShortcomingArea, SolutionGroup


class EvidenceForm(VNForm):
    name = forms.CharField(label=_("Tên minh chứng"), max_length=255)
    file = forms.FileField(label=_("Tệp minh chứng"), widget=FilePickerInput)


class CloseForm(VNForm):
    note = forms.CharField(label=_("Đánh giá kết quả khắc phục"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


YEAR_MIN, YEAR_MAX = 1900, 2200  # i18n: data (the years the register accepts, like its pages)


def _year_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=YEAR_MIN, max_value=YEAR_MAX,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class _ShortcomingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("Năm {year}, khuyết điểm {n}: {text}").format(
            year=obj.review_year, n=obj.number, text=str(obj.text)[:80])


class ShortcomingForm(VNForm):
    """REM-1: an entry of the register; the area is one of the unit's or a new one typed."""

    review_year = _year_field(_("Năm kiểm điểm"))
    year_found = _year_field(_("Năm phát sinh"))
    area = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=ShortcomingArea.objects.none(),
                                  required=False)
    area_name = forms.CharField(label=_("Hoặc lĩnh vực mới"), max_length=255, required=False)
    text = forms.CharField(label=_("Nội dung khuyết điểm"),
                           widget=forms.Textarea(attrs={"rows": 4}))
    same_as = _ShortcomingChoice(label=_("Trùng với khuyết điểm"), required=False,
                                 queryset=Shortcoming.objects.none(),
                                 help_text=_("Khuyết điểm cùng năm kiểm điểm mà khuyết điểm "
                                             "này lặp lại; không tính thêm vào số khuyết điểm."))

    def __init__(self, *args: Any, unit: Unit, exclude: Shortcoming | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ShortcomingArea.objects.filter(unit=unit)  # type: ignore[attr-defined]
        linkable = (Shortcoming.objects.filter(unit=unit, same_as__isnull=True)
                    .order_by("-review_year", "number"))
        if exclude is not None:
            linkable = linkable.exclude(pk=exclude.pk)
        self.fields["same_as"].queryset = linkable  # type: ignore[attr-defined]


class GroupForm(VNForm):
    """REM-2: a solution group of the plan, led by a department of the unit's agency."""

    name = forms.CharField(label=_("Tên nhóm giải pháp"), max_length=255)
    lead = forms.ModelChoiceField(label=_("Ban chủ trì"), queryset=Department.objects.none(),
                                  required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = Department.objects.filter(unit=unit).order_by("name")  # type: ignore[attr-defined]


class _NumberedChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("Khuyết điểm {n}: {text}").format(n=obj.number, text=str(obj.text)[:80])


class SolutionForm(VNForm):
    """REM-2: a solution of one of the plan's groups; the deadline as the plan writes it."""

    group = forms.ModelChoiceField(label=_("Nhóm giải pháp"),
                                   queryset=SolutionGroup.objects.none())
    text = forms.CharField(label=_("Nội dung giải pháp"),
                           widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.CharField(label=_("Thời hạn"), max_length=60, required=False,
                               help_text=_("Ví dụ: tháng 03/2020, quý I/2020, thường xuyên."))
    shortcomings = _NumberedChoice(label=_("Khuyết điểm được khắc phục"), required=False,
                                   queryset=Shortcoming.objects.none(),
                                   widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, unit: Unit, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = SolutionGroup.objects.filter(  # type: ignore[attr-defined]
            unit=unit, year=year).order_by("number")
        self.fields["shortcomings"].queryset = Shortcoming.objects.filter(  # type: ignore[attr-defined]
            unit=unit, review_year=year - 1).order_by("number")


class ProgressForm(VNForm):
    """REM-2: how far a solution has come (0–100 %) and what was done."""

    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Kết quả thực hiện"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationForm(VNForm):
    """REM-3: one member's month, a points field (0–100) per criterion of the policy in force."""

    person = forms.ModelChoiceField(label=_("Ủy viên Ban Thường vụ"),
                                    queryset=Person.objects.none())
    note = forms.CharField(label=_("Nhận xét"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, members: Any, criteria: list[dict[str, Any]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members  # type: ignore[attr-defined]
        note = self.fields.pop("note")
        for c in criteria:
            self.fields[f"diem_{c['code']}"] = forms.IntegerField(
                label=_("{label} (trọng số {weight}%)").format(label=c["label"],
                                                              weight=c["weight"]),
                min_value=0, max_value=100,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
        self.fields["note"] = note
        self.codes = [c["code"] for c in criteria]

    def points(self) -> dict[str, Any]:
        return {code: self.cleaned_data[f"diem_{code}"] for code in self.codes}


class MonthForm(VNForm):
    """REM-3: the month to lock, as typed ("3/2020", "tháng 03/2020")."""

    thang = forms.CharField(label=_("Tháng"), max_length=30)
