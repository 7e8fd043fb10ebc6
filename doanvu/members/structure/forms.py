"""Form of the branch merge page (MEM-11)."""

from __future__ import annotations

from django import forms

from doanvu.common.dates import today
from doanvu.common.forms import VNDateField


class MergeDateForm(forms.Form):
    on = VNDateField(label="Ngày hiệu lực", initial=today)
    decision = forms.CharField(label="Số quyết định", max_length=120, required=False)
