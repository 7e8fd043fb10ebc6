"""Forms of remediation pages; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import FilePickerInput, VNDateField, VNForm
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


class ReportForm(VNForm):
    """REM-4: a report prefilled from the data, edited if need be, and who signs it."""

    body = forms.CharField(label=_("Nội dung báo cáo"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 16}),
                           help_text=_("Dòng bắt đầu bằng “I.”, “II.” là đề mục; dòng bắt đầu "
                                       "bằng “-” là một ý."))
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=120)
    issued_on = VNDateField(label=_("Ngày ban hành"), required=False)


CRITERIA_ROWS = 6  # how many criterion rows the page offers (a layout choice, not a rule)


class EvaluationPolicyForm(VNForm):
    """REM-3: the evaluation policy a unit issues — criteria with weights adding up to 100, and
    the least year mean suggesting each level of the members' rating scale."""

    name = forms.CharField(label=_("Tên quy định đánh giá"), max_length=255)
    source = forms.CharField(label=_("Căn cứ"), max_length=255, required=False)
    valid_from = VNDateField(label=_("Hiệu lực từ ngày"))
    valid_to = VNDateField(label=_("Hiệu lực đến ngày"), required=False)

    def __init__(self, *args: Any, levels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, CRITERIA_ROWS + 1):
            self.fields[f"tieu_chi_{i}"] = forms.CharField(
                label=_("Tiêu chí {i}").format(i=i), max_length=255, required=False)
            self.fields[f"trong_so_{i}"] = forms.IntegerField(
                label=_("Trọng số tiêu chí {i} (%)").format(i=i), min_value=1, max_value=100,
                required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
        self.levels = levels
        for code, name in levels:
            self.fields[f"nguong_{code}"] = forms.DecimalField(
                label=_("Điểm bình quân năm tối thiểu để gợi ý “{name}”").format(name=name),
                min_value=0, max_value=100, max_digits=5, decimal_places=2, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        total, rows = 0, 0
        for i in range(1, CRITERIA_ROWS + 1):
            label, weight = data.get(f"tieu_chi_{i}"), data.get(f"trong_so_{i}")
            if label and weight is None and f"trong_so_{i}" not in self.errors:
                self.add_error(f"trong_so_{i}", _("Trọng số tiêu chí {i}: chưa nhập.").format(i=i))
            if weight is not None and not label:
                self.add_error(f"tieu_chi_{i}", _("Tiêu chí {i}: chưa nhập tên tiêu chí.").format(
                    i=i))
            if label and weight:
                total += weight
                rows += 1
        if not rows:
            self.add_error("tieu_chi_1", _("Tiêu chí 1: hãy nhập ít nhất một tiêu chí."))
        elif total != 100 and not self.errors:
            self.add_error("trong_so_1", _("Trọng số các tiêu chí: tổng phải bằng 100 (%), hiện "
                                           "là {total}.").format(total=total))
        return data

    def criteria(self) -> list[dict[str, Any]]:
        from django.utils.text import slugify

        from doanvu.common.text import fold

        out = []
        for i in range(1, CRITERIA_ROWS + 1):
            label = self.cleaned_data.get(f"tieu_chi_{i}")
            if label:
                code = slugify(fold(label)).replace("-", "_")[:40] or f"tieu_chi_{i}"
                out.append({"code": code, "label": label,
                            "weight": self.cleaned_data[f"trong_so_{i}"]})
        return out

    def thresholds(self) -> list[dict[str, Any]]:
        return [{"level": code, "label": name, "min": self.cleaned_data[f"nguong_{code}"]}
                for code, name in self.levels
                if self.cleaned_data.get(f"nguong_{code}") is not None]


class YearRatingForm(VNForm):
    """REM-3 → the year-end rating: the level to record (the suggestion preselected)."""

    level = forms.ChoiceField(label=_("Mức xếp loại"), choices=())
    note = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)

    def __init__(self, *args: Any, levels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = levels  # type: ignore[attr-defined]
