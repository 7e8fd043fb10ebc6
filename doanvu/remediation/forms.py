"""Forms of remediation pages; the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import VNForm


class EvidenceForm(VNForm):
    name = forms.CharField(label=_("Tên minh chứng"), max_length=255)
    file = forms.FileField(label=_("Tệp minh chứng"))


class CloseForm(VNForm):
    note = forms.CharField(label=_("Đánh giá kết quả khắc phục"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
