"""Forms of dues, remittance, meetings and removal decisions (MEM-4, MEM-5, MEM-6)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.common.errors import ApplicationError
from doanvu.common.forms import VNDateField, VNForm
from doanvu.common.periods import Period, parse_period

from ..models import AttendanceStatus, MeetingKind


def parse_month(text: str, *, field: str = "") -> Period:
    field = field or _("tháng")
    period = parse_period(text, field=field)
    if period.kind != "M":
        raise ApplicationError(
            _("Hãy nhập một tháng, ví dụ 3/2024 (đã nhập “{text}”).").format(text=text), field=field
        )
    return period


class MeetingForm(VNForm):
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=MeetingKind.choices,
                             initial=MeetingKind.BRANCH)
    date = VNDateField(label=gettext_lazy("Ngày họp"))
    place = forms.CharField(label=gettext_lazy("Địa điểm"), max_length=200, required=False)
    content = forms.CharField(label=gettext_lazy("Nội dung"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if edit:
            del self.fields["kind"]


class RemittanceSentForm(VNForm):
    amount_sent = forms.IntegerField(
        label=gettext_lazy("Số tiền đã nộp (đồng)"),
        min_value=0,
        max_value=2_000_000_000,
        error_messages={
            "required": gettext_lazy("Hãy nhập số tiền đã nộp."),
            "invalid": gettext_lazy("Số tiền phải là số nguyên (đồng)."),
            "min_value": gettext_lazy("Số tiền không được âm."),
            "max_value": gettext_lazy("Số tiền quá lớn."),
        },
    )
    sent_on = VNDateField(label=gettext_lazy("Ngày nộp"))
    note = forms.CharField(
        label=gettext_lazy("Ghi chú (số phiếu thu…)"), max_length=255, required=False
    )


class DecisionForm(VNForm):
    decision = forms.CharField(
        label=gettext_lazy("Quyết định / biên bản họp chi đoàn"),
        max_length=255,
        error_messages={"required": gettext_lazy("Hãy ghi quyết định hoặc số biên bản.")},
    )


class WaiverForm(VNForm):
    membership = forms.TypedChoiceField(label=gettext_lazy("Đoàn viên"), coerce=int, choices=())
    months = forms.CharField(
        label=gettext_lazy("Các tháng được miễn"),
        help_text=gettext_lazy("Ví dụ: 3/2024, 4/2024, 5/2024"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do (hoàn cảnh khó khăn)"),
        max_length=255,
        error_messages={"required": gettext_lazy("Hãy ghi lý do miễn đoàn phí.")},
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = members  # type: ignore[attr-defined]

    def clean_months(self) -> list[Period]:
        raw = self.cleaned_data["months"]
        parts = [p for p in raw.replace(";", ",").split(",") if p.strip()]
        try:
            return [parse_month(p.strip()) for p in parts]
        except ApplicationError as exc:
            raise forms.ValidationError(str(exc)) from None


ATTENDANCE_CHOICES = [(s.value, s.label) for s in AttendanceStatus]
