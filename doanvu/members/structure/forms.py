"""Form of the branch merge page (MEM-11)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from doanvu.common.dates import today
from doanvu.common.forms import VNDateField, VNForm


class MergeDateForm(VNForm):
    on = VNDateField(label=_("Ngày hiệu lực"), initial=today)
    decision = forms.CharField(label=_("Số quyết định"), max_length=120, required=False)
