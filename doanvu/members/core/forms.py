"""Forms of the members core pages: they keep what the user typed and show errors by the field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.common.forms import PhoneField, VNDateField, VNForm
from doanvu.common.search import SearchField
from doanvu.org.models import EducationLevel, Gender, TheoryLevel

from ..models import CadreStatusKind, MemberStatus, TransferKind
from .rules import AGE_BANDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REQUIRED = {"required": gettext_lazy("Hãy nhập thông tin này.")}


def _text(label: StrOrPromise, *, required: bool = False, max_length: int = 255,
          **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            **REQUIRED,
            "max_length": _("Tối đa {max_length} ký tự.").format(max_length=max_length),
        },
        **kwargs,
    )


class MemberForm(VNForm):
    """The personal record (MEM-1) and the membership details (MEM-2)."""

    full_name = _text(gettext_lazy("Họ và tên"), required=True, max_length=120)
    birth_date = VNDateField(label=gettext_lazy("Ngày sinh"))
    gender = forms.ChoiceField(
        label=gettext_lazy("Giới tính"),
        choices=Gender.choices,
    )
    cccd = _text(
        gettext_lazy("Số CCCD"),
        max_length=20,
        help_text=gettext_lazy("12 chữ số, có thể gõ cách"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = PhoneField(label=gettext_lazy("Điện thoại"), required=False)
    email = forms.EmailField(
        label=gettext_lazy("Thư điện tử"),
        required=False,
        error_messages={"invalid": gettext_lazy("Hãy nhập đúng dạng, ví dụ ten@gmail.com.")},
    )
    ethnicity = _text(gettext_lazy("Dân tộc"), max_length=40, initial="Kinh")
    religion = _text(gettext_lazy("Tôn giáo"), max_length=40, initial="Không")  # i18n: data
    hometown = _text(gettext_lazy("Quê quán"), max_length=200)
    address = _text(gettext_lazy("Nơi ở hiện nay"))
    education_level = forms.ChoiceField(
        label=gettext_lazy("Trình độ học vấn, chuyên môn"),
        required=False,
        choices=[("", "—"), *EducationLevel.choices],
    )
    political_theory = forms.ChoiceField(
        label=gettext_lazy("Trình độ lý luận chính trị"),
        required=False,
        choices=[("", "—"), *TheoryLevel.choices],
    )
    party_member = forms.BooleanField(label=gettext_lazy("Đảng viên"), required=False)
    party_joined_on = VNDateField(label=gettext_lazy("Ngày vào Đảng"), required=False)
    occupation = _text(gettext_lazy("Nghề nghiệp"), max_length=120)
    joined_union_on = VNDateField(label=gettext_lazy("Ngày vào Đoàn"))
    card_number = _text(gettext_lazy("Số thẻ đoàn viên"), max_length=30)
    has_salary = forms.BooleanField(
        label=gettext_lazy("Có lương (mức đoàn phí có lương)"), required=False
    )
    pays_quarterly = forms.BooleanField(
        label=gettext_lazy("Đóng đoàn phí theo quý (được BCH đồng ý)"), required=False
    )
    holds_union_post = forms.BooleanField(
        label=gettext_lazy("Đang giữ chức vụ Đoàn"), required=False
    )
    reason = _text(gettext_lazy("Ghi chú (lý do)"), help_text=gettext_lazy("ghi vào nhật ký"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("full_name", "cccd", "phone", "reason"):
            if isinstance(data.get(name), str):
                data[name] = data[name].replace("\x00", "")
        return data


class TransferRequestForm(VNForm):
    to_branch = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**62,
        error_messages={
            "required": gettext_lazy("Hãy chọn chi đoàn tiếp nhận."),
            "invalid": gettext_lazy("Hãy chọn chi đoàn tiếp nhận."),
            "max_value": gettext_lazy("Hãy chọn chi đoàn tiếp nhận."),
            "min_value": gettext_lazy("Hãy chọn chi đoàn tiếp nhận."),
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Hình thức"),
        choices=TransferKind.choices,
        initial=TransferKind.OFFICIAL,
    )
    requested_on = VNDateField(label=gettext_lazy("Ngày đề nghị"))
    until = VNDateField(label=gettext_lazy("Đến ngày (sinh hoạt tạm thời)"), required=False)
    reason = _text(
        gettext_lazy("Lý do"), help_text=gettext_lazy("ví dụ: đi làm ăn xa, chuyển nơi cư trú")
    )


class DecisionForm(VNForm):
    """A dated decision with a note: accept, refuse, end."""

    on = VNDateField(label=gettext_lazy("Ngày"))
    note = _text(gettext_lazy("Ghi chú / lý do"))

    def __init__(self, *args: Any, note_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required


class EndMembershipForm(VNForm):
    """Maturity, removal, expulsion, death: a date and the reason (and a decision number)."""

    on = VNDateField(label=gettext_lazy("Ngày"))
    decision = _text(gettext_lazy("Số quyết định / biên bản"), max_length=120)
    reason = _text(gettext_lazy("Lý do"))

    def __init__(self, *args: Any, decision_required: bool = False, reason_required: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].required = decision_required
        self.fields["reason"].required = reason_required
        if not decision_required:
            del self.fields["decision"]


class ProposalDecisionForm(VNForm):
    approve = forms.TypedChoiceField(
        label=gettext_lazy("Quyết định"),
        coerce=lambda v: v == "1",
        choices=[("1", gettext_lazy("Đồng ý xóa tên")), ("0", gettext_lazy("Không xóa tên"))],
    )
    on = VNDateField(label=gettext_lazy("Ngày quyết định"))
    decision = _text(gettext_lazy("Quyết định / biên bản họp chi đoàn"), required=True)


class CadreStatusForm(VNForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        choices=CadreStatusKind.choices,
    )
    start_date = VNDateField(label=gettext_lazy("Từ ngày"))
    end_date = VNDateField(label=gettext_lazy("Đến ngày"), required=False)
    note = _text(gettext_lazy("Ghi chú"))


class CadreCourseForm(VNForm):
    name = _text(gettext_lazy("Khóa học"), required=True)
    organiser = _text(gettext_lazy("Đơn vị tổ chức"), max_length=200)
    start_date = VNDateField(label=gettext_lazy("Từ ngày"))
    end_date = VNDateField(label=gettext_lazy("Đến ngày"), required=False)
    certificate = _text(gettext_lazy("Văn bằng, chứng chỉ"), max_length=200)


class EndDateForm(VNForm):
    end_date = VNDateField(label=gettext_lazy("Ngày kết thúc"))
    certificate = _text(gettext_lazy("Văn bằng, chứng chỉ"), max_length=200)


STATUS_FILTER = [("", gettext_lazy("Đang sinh hoạt")), ("tat_ca", gettext_lazy("Mọi tình trạng")),
                 *[(v, label) for v, label in MemberStatus.choices if v != MemberStatus.ACTIVE]]


class MemberFilterForm(VNForm):
    """The list's filters; junk values are dropped, never an error page."""

    q = SearchField(label=gettext_lazy("Tìm"))
    trang_thai = forms.ChoiceField(
        required=False, choices=STATUS_FILTER, label=gettext_lazy("Tình trạng")
    )
    tuoi = forms.ChoiceField(required=False, label=gettext_lazy("Độ tuổi"),
                             choices=[("", gettext_lazy("Mọi độ tuổi")),
                                      *[(k, v[0]) for k, v in AGE_BANDS.items()]])
    gioi_tinh = forms.ChoiceField(required=False, label=gettext_lazy("Giới tính"),
                                  choices=[("", gettext_lazy("Nam và nữ")), *Gender.choices])

    def values(self) -> dict[str, str]:
        """Cleaned values, with anything invalid treated as empty."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        out = {}
        for name in self.fields:
            value = data.get(name) if name not in self.errors else ""
            out[name] = str(value or "").replace("\x00", "").strip()
        return out
