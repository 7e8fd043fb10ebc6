"""Forms of the "1+1" referral pages (MEM-9)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from doanvu.common.dates import today
from doanvu.common.forms import PhoneField, VNDateField, VNForm

from ..models import ReferralOutcome


class ReferralForm(VNForm):
    full_name = forms.CharField(label=_("Họ tên thanh niên"), max_length=120)
    birth_date = VNDateField(label=_("Ngày sinh"), required=False)
    phone = PhoneField(label=_("Điện thoại"), required=False)
    referred_on = VNDateField(label=_("Ngày giới thiệu"), initial=today)
    referrer = forms.TypedChoiceField(label=_("Đoàn viên giới thiệu"), coerce=int, choices=())

    def __init__(self, *args: object, referrers: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["referrer"].choices = referrers  # type: ignore[attr-defined]


class ReferralOutcomeForm(VNForm):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=ReferralOutcome.choices)
    admitted = forms.IntegerField(
        label=_("Mã hồ sơ đoàn viên được kết nạp"), required=False, min_value=1, max_value=2**31 - 1
    )
