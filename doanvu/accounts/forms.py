from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import VNDateField, VNForm, VNFormMixin

from .models import RoleType


class LoginForm(VNFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext("Tên đăng nhập")
        self.fields["password"].label = gettext("Mật khẩu")


def password_rules() -> str:
    """What the validators ask of a password, in Vietnamese (Django's own translations)."""
    return " ".join(str(t) for t in password_validation.password_validators_help_texts())


class OwnPasswordChangeForm(VNFormMixin, PasswordChangeForm):
    error_messages = {
        "password_incorrect": _("Mật khẩu hiện tại không đúng. Hãy nhập lại."),
        "password_mismatch": _("Hai lần nhập mật khẩu mới không khớp nhau."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "old_password": (gettext("Mật khẩu hiện tại"), ""),
            "new_password1": (gettext("Mật khẩu mới"), password_rules()),
            "new_password2": (gettext("Nhập lại mật khẩu mới"),
                              gettext("Nhập đúng như trên để xác nhận.")),
        }
        for name, (label, help_text) in labels.items():
            self.fields[name].label = label
            self.fields[name].help_text = help_text


class GrantForm(VNForm):
    username = forms.CharField(label=_("Tên đăng nhập của người nhận"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên (nếu tạo tài khoản mới)"), max_length=120,
                                required=False)
    password = forms.CharField(label=_("Mật khẩu ban đầu (nếu tạo tài khoản mới)"), required=False,
                               widget=forms.PasswordInput(render_value=False))
    role_type = forms.ModelChoiceField(label=_("Vai trò"), queryset=RoleType.objects.all())
    unit = forms.IntegerField(label=_("Đơn vị"), widget=forms.HiddenInput, error_messages={
        "required": _("Hãy tìm và chọn đơn vị."), "invalid": _("Đơn vị không hợp lệ.")})
    department = forms.IntegerField(label=_("Ban (với vai trò theo lĩnh vực)"), required=False,
                                    widget=forms.Select)
    start_date = VNDateField(label=_("Từ ngày"))
    end_date = VNDateField(label=_("Đến ngày"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = (
            gettext("{password_rules} Người nhận phải đổi mật khẩu này ở lần đăng nhập đầu "
                    "tiên.").format(password_rules=password_rules()))


class SecondFactorCodeForm(VNForm):
    """A 6-digit code from the authenticator app, or (where allowed) one recovery code."""

    code = forms.CharField(label=_("Mã xác thực"), max_length=40, strip=True)

    def __init__(self, *args: Any, recovery: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.widget.attrs.update({"autocomplete": "one-time-code", "autofocus": True,
                                   "inputmode": "text" if recovery else "numeric"})
        field.help_text = (gettext("Mã 6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng.")
                           if recovery else gettext("Mã 6 chữ số đang hiện trong ứng dụng."))
        field.error_messages["required"] = gettext("Hãy nhập mã xác thực.")
