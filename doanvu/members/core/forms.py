"""Forms of the members core pages: they keep what the user typed and show errors by the field."""

from __future__ import annotations

from typing import Any

from django import forms

from doanvu.common.forms import VNDateField
from doanvu.org.models import EducationLevel, Gender, TheoryLevel

from ..models import CadreStatusKind, MemberStatus, TransferKind
from .rules import AGE_BANDS

REQUIRED = {"required": "Hãy nhập thông tin này."}


def _text(label: str, *, required: bool = False, max_length: int = 255,
          **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length,
                           error_messages={**REQUIRED,
                                           "max_length": f"Tối đa {max_length} ký tự."},
                           **kwargs)


class MemberForm(forms.Form):
    """The personal record (MEM-1) and the membership details (MEM-2)."""

    full_name = _text("Họ và tên", required=True, max_length=120)
    birth_date = VNDateField(label="Ngày sinh")
    gender = forms.ChoiceField(label="Giới tính", choices=Gender.choices,
                               error_messages={"required": "Hãy chọn giới tính.",
                                               "invalid_choice": "Giới tính không hợp lệ."})
    cccd = _text("Số CCCD", max_length=20, help_text="12 chữ số, có thể gõ cách",
                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    phone = _text("Điện thoại", max_length=20,
                  widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.EmailField(label="Thư điện tử", required=False,
                             error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."})
    ethnicity = _text("Dân tộc", max_length=40, initial="Kinh")
    religion = _text("Tôn giáo", max_length=40, initial="Không")
    hometown = _text("Quê quán", max_length=200)
    address = _text("Nơi ở hiện nay")
    education_level = forms.ChoiceField(label="Trình độ học vấn, chuyên môn", required=False,
                                        choices=[("", "—"), *EducationLevel.choices])
    political_theory = forms.ChoiceField(label="Trình độ lý luận chính trị", required=False,
                                         choices=[("", "—"), *TheoryLevel.choices])
    party_member = forms.BooleanField(label="Đảng viên", required=False)
    party_joined_on = VNDateField(label="Ngày vào Đảng", required=False)
    occupation = _text("Nghề nghiệp", max_length=120)
    joined_union_on = VNDateField(label="Ngày vào Đoàn")
    card_number = _text("Số thẻ đoàn viên", max_length=30)
    has_salary = forms.BooleanField(label="Có lương (mức đoàn phí có lương)", required=False)
    pays_quarterly = forms.BooleanField(label="Đóng đoàn phí theo quý (được BCH đồng ý)",
                                        required=False)
    holds_union_post = forms.BooleanField(label="Đang giữ chức vụ Đoàn", required=False)
    reason = _text("Ghi chú (lý do)", help_text="ghi vào nhật ký")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("full_name", "cccd", "phone", "reason"):
            if isinstance(data.get(name), str):
                data[name] = data[name].replace("\x00", "")
        return data


class TransferRequestForm(forms.Form):
    to_branch = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                   max_value=2**62,
                                   error_messages={"required": "Hãy chọn chi đoàn tiếp nhận.",
                                                   "invalid": "Hãy chọn chi đoàn tiếp nhận.",
                                                   "max_value": "Hãy chọn chi đoàn tiếp nhận.",
                                                   "min_value": "Hãy chọn chi đoàn tiếp nhận."})
    kind = forms.ChoiceField(label="Hình thức", choices=TransferKind.choices,
                             initial=TransferKind.OFFICIAL,
                             error_messages={"invalid_choice": "Hình thức không hợp lệ."})
    requested_on = VNDateField(label="Ngày đề nghị")
    until = VNDateField(label="Đến ngày (sinh hoạt tạm thời)", required=False)
    reason = _text("Lý do", help_text="ví dụ: đi làm ăn xa, chuyển nơi cư trú")


class DecisionForm(forms.Form):
    """A dated decision with a note: accept, refuse, end."""

    on = VNDateField(label="Ngày")
    note = _text("Ghi chú / lý do")

    def __init__(self, *args: Any, note_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required


class EndMembershipForm(forms.Form):
    """Maturity, removal, expulsion, death: a date and the reason (and a decision number)."""

    on = VNDateField(label="Ngày")
    decision = _text("Số quyết định / biên bản", max_length=120)
    reason = _text("Lý do")

    def __init__(self, *args: Any, decision_required: bool = False, reason_required: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].required = decision_required
        self.fields["reason"].required = reason_required
        if not decision_required:
            del self.fields["decision"]


class ProposalDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label="Quyết định", coerce=lambda v: v == "1",
                                     choices=[("1", "Đồng ý xóa tên"), ("0", "Không xóa tên")],
                                     error_messages={"required": "Hãy chọn quyết định.",
                                                     "invalid_choice": "Hãy chọn quyết định."})
    on = VNDateField(label="Ngày quyết định")
    decision = _text("Quyết định / biên bản họp chi đoàn", required=True)


class CadreStatusForm(forms.Form):
    kind = forms.ChoiceField(label="Trạng thái", choices=CadreStatusKind.choices,
                             error_messages={"required": "Hãy chọn trạng thái.",
                                             "invalid_choice": "Trạng thái không hợp lệ."})
    start_date = VNDateField(label="Từ ngày")
    end_date = VNDateField(label="Đến ngày", required=False)
    note = _text("Ghi chú")


class CadreCourseForm(forms.Form):
    name = _text("Khóa học", required=True)
    organiser = _text("Đơn vị tổ chức", max_length=200)
    start_date = VNDateField(label="Từ ngày")
    end_date = VNDateField(label="Đến ngày", required=False)
    certificate = _text("Văn bằng, chứng chỉ", max_length=200)


class EndDateForm(forms.Form):
    end_date = VNDateField(label="Ngày kết thúc")
    certificate = _text("Văn bằng, chứng chỉ", max_length=200)


STATUS_FILTER = [("", "Đang sinh hoạt"), ("tat_ca", "Mọi tình trạng"),
                 *[(v, label) for v, label in MemberStatus.choices if v != MemberStatus.ACTIVE]]


class MemberFilterForm(forms.Form):
    """The list's filters; junk values are dropped, never an error page."""

    q = forms.CharField(required=False, max_length=100, label="Tìm")
    trang_thai = forms.ChoiceField(required=False, choices=STATUS_FILTER, label="Tình trạng")
    tuoi = forms.ChoiceField(required=False, label="Độ tuổi",
                             choices=[("", "Mọi độ tuổi"),
                                      *[(k, v[0]) for k, v in AGE_BANDS.items()]])
    gioi_tinh = forms.ChoiceField(required=False, label="Giới tính",
                                  choices=[("", "Nam và nữ"), *Gender.choices])

    def values(self) -> dict[str, str]:
        """Cleaned values, with anything invalid treated as empty."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        out = {}
        for name in self.fields:
            value = data.get(name) if name not in self.errors else ""
            out[name] = str(value or "").replace("\x00", "").strip()
        return out
