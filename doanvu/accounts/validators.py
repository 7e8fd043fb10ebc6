"""Password validators whose messages Django's Vietnamese catalogue lacks."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _

from doanvu.common.text import fold


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with the message in Vietnamese: Django 5.2 changed the message's msgid and its
    Vietnamese translation no longer matches, so the English text would reach the user."""

    def get_error_message(self) -> str:
        return _("Mật khẩu quá ngắn: cần ít nhất {min_length} ký tự.").format(
                   min_length=self.min_length)

    def get_help_text(self) -> str:
        return _("Mật khẩu cần ít nhất {min_length} ký tự.").format(
                   min_length=self.min_length)


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's, also against the accent-free attributes: "nguyenthimoi" is as guessable as
    "Nguyễn Thị Mới", and Django compares it only with the accented name."""

    def validate(self, password: str, user: Any = None) -> None:
        super().validate(password, user)
        if user is None:
            return
        folded = copy.copy(user)
        for attribute in self.user_attributes:
            value = getattr(user, attribute, None)
            if isinstance(value, str):
                setattr(folded, attribute, fold(value))
        super().validate(password, folded)
