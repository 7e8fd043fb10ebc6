from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from doanvu.common.forms import VNDateField, VNForm


class TokenCreateForm(VNForm):
    name = forms.CharField(label=gettext_lazy("Tên khóa"), max_length=100,
                           help_text=gettext_lazy("Ví dụ: tên chương trình sẽ dùng khóa."))
    expires_on = VNDateField(label=gettext_lazy("Hết hạn sau ngày"),
                             help_text=gettext_lazy("dd/mm/yyyy"))
