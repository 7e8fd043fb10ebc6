"""Forms of the plans' pages; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import FilePickerInput, VNDateField, VNForm
from doanvu.documents.models import Document
from doanvu.org.models import Department, Unit

from .models import Solution


class _DocumentChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.symbol or obj.title[:40]} — {obj.title[:120]} ({obj.issuing_unit.name})"


class PlanForm(VNForm):
    """PLAN-1: the bases, purposes and requirements, organisation of implementation, and the
    date lower units must issue their implementing plans by."""

    basis_documents = _DocumentChoice(
        label=_("Căn cứ là kế hoạch, văn bản trong hệ thống"), required=False,
        queryset=Document.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("Kế hoạch, văn bản của cấp trên (hoặc gửi đến đơn vị) mà kế hoạch này "
                    "thực hiện."))
    basis_texts = forms.CharField(
        label=_("Căn cứ khác"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một căn cứ chưa có trong hệ thống, ví dụ “Thực hiện Kết luận số "
                    "08-KL/TWĐTN-BTC ngày 05/3/2019 …”."))
    purposes = forms.CharField(label=_("Mục đích, yêu cầu"), required=False,
                               widget=forms.Textarea(attrs={"rows": 5}))
    organisation = forms.CharField(label=_("Tổ chức thực hiện"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 5}))
    implementing_due_on = VNDateField(
        label=_("Hạn các đơn vị cấp dưới ban hành kế hoạch thực hiện"), required=False,
        help_text=_("Để trống nếu không yêu cầu. Mỗi đơn vị nhận kế hoạch sẽ có một việc phải "
                    "nộp trong “Việc của tôi”."))

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basis_documents"].queryset = candidates  # type: ignore[attr-defined]

    def basis_text_lines(self) -> list[str]:
        return [line.strip() for line in str(self.cleaned_data.get("basis_texts") or "")
                .splitlines() if line.strip()]


def lead_choices(departments: Any, units: Any) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("— chưa phân công —"))]
    choices += [(f"d{d.pk}", d.name) for d in departments]
    choices += [(f"u{u.pk}", u.name) for u in units]
    return choices


class TaskForm(VNForm):
    """PLAN-2: a task of a solution; the deadline as the plan writes it."""

    solution_title = forms.CharField(
        label=_("Giải pháp"), max_length=500, required=False,
        help_text=_("Chọn một giải pháp đã có trong danh sách gợi ý hoặc gõ tên giải pháp "
                    "mới."))
    text = forms.CharField(label=_("Nội dung nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 4}))
    lead = forms.ChoiceField(label=_("Chủ trì"), required=False)
    partners = forms.CharField(label=_("Phối hợp"), max_length=500, required=False)
    deadline = forms.CharField(
        label=_("Thời hạn"), max_length=60, required=False,
        help_text=_("Một ngày (31/03/2020), một kỳ (tháng 3/2020, quý I/2020, 6 tháng đầu năm "
                    "2020) hoặc “thường xuyên”."))

    def __init__(self, *args: Any, departments: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = lead_choices(departments, units)  # type: ignore[attr-defined]
        self.fields["solution_title"].widget.attrs["list"] = "plan-solutions"
        self._departments = {d.pk: d for d in departments}
        self._units = {u.pk: u for u in units}

    def lead_objects(self) -> tuple[Department | None, Unit | None]:
        raw = str(self.cleaned_data.get("lead") or "")
        if raw.startswith("d") and raw[1:].isdigit():
            return self._departments.get(int(raw[1:])), None
        if raw.startswith("u") and raw[1:].isdigit():
            return None, self._units.get(int(raw[1:]))
        return None, None


def solution_titles(plan: Any) -> list[str]:
    return list(Solution.objects.filter(plan=plan).order_by("position")
                .values_list("title", flat=True))


class ProgressForm(VNForm):
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Kết quả thực hiện"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(VNForm):
    name = forms.CharField(label=_("Tên minh chứng"), max_length=255)
    file = forms.FileField(label=_("Tệp minh chứng"), widget=FilePickerInput)


class ImportForm(VNForm):
    file = forms.FileField(label=_("Bảng nhiệm vụ (.xlsx hoặc .docx)"), widget=FilePickerInput)


class ImportConfirmForm(VNForm):
    token = forms.CharField(widget=forms.HiddenInput)


class LeadTimePolicyForm(VNForm):
    name = forms.CharField(label=_("Tên quy định"), max_length=255)
    lead_days = forms.IntegerField(label=_("Số ngày ban hành trước tối thiểu"), min_value=0,
                                   max_value=365)
    valid_from = VNDateField(label=_("Hiệu lực từ ngày"))
    valid_to = VNDateField(label=_("Hiệu lực đến ngày"), required=False)
    source = forms.CharField(label=_("Căn cứ"), max_length=255, required=False)


class DirectiveForm(VNForm):
    title = forms.CharField(label=_("Trích yếu văn bản chỉ đạo"), max_length=500)
    issued_on = VNDateField(label=_("Ngày ban hành"))
    act_on = VNDateField(label=_("Ngày cơ sở bắt đầu thực hiện"))
    urgent = forms.BooleanField(label=_("Gấp theo chỉ đạo của cấp trên"), required=False)
    urgent_source = forms.CharField(label=_("Văn bản chỉ đạo của cấp trên"), max_length=500,
                                    required=False)
    urgent_reason = forms.CharField(label=_("Lý do gấp"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    confirm_short = forms.BooleanField(
        label=_("Vẫn ghi nhận dù ban hành không đủ thời gian theo quy định"), required=False)
