from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from doanvu.common.forms import VNDateField

from .models import RoleType


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].error_messages["required"] = "Hãy nhập tên đăng nhập."
        self.fields["password"].error_messages["required"] = "Hãy nhập mật khẩu."


def password_rules() -> str:
    """What the validators ask of a password, in Vietnamese (Django's own translations)."""
    return " ".join(str(t) for t in password_validation.password_validators_help_texts())


class OwnPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        "password_incorrect": "Mật khẩu hiện tại không đúng. Hãy nhập lại.",
        "password_mismatch": "Hai lần nhập mật khẩu mới không khớp nhau.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "old_password": ("Mật khẩu hiện tại", "Hãy nhập mật khẩu hiện tại.", ""),
            "new_password1": ("Mật khẩu mới", "Hãy nhập mật khẩu mới.", password_rules()),
            "new_password2": ("Nhập lại mật khẩu mới", "Hãy nhập lại mật khẩu mới.",
                              "Nhập đúng như trên để xác nhận."),
        }
        for name, (label, required, help_text) in labels.items():
            self.fields[name].label = label
            self.fields[name].error_messages["required"] = required
            self.fields[name].help_text = help_text


class GrantForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập của người nhận", max_length=150)
    full_name = forms.CharField(label="Họ và tên (nếu tạo tài khoản mới)", max_length=120,
                                required=False)
    password = forms.CharField(label="Mật khẩu ban đầu (nếu tạo tài khoản mới)", required=False,
                               widget=forms.PasswordInput(render_value=False))
    role_type = forms.ModelChoiceField(label="Vai trò", queryset=RoleType.objects.all(),
                                       error_messages={"required": "Hãy chọn vai trò.",
                                                       "invalid_choice": "Vai trò không hợp lệ."})
    unit = forms.IntegerField(label="Đơn vị", widget=forms.HiddenInput, error_messages={
        "required": "Hãy tìm và chọn đơn vị.", "invalid": "Đơn vị không hợp lệ."})
    department = forms.IntegerField(label="Ban (với vai trò theo lĩnh vực)", required=False,
                                    widget=forms.Select)
    start_date = VNDateField(label="Từ ngày")
    end_date = VNDateField(label="Đến ngày", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = (
            f"{password_rules()} Người nhận phải đổi mật khẩu này ở lần đăng nhập đầu tiên.")
