"""Password validators whose messages Django's Vietnamese catalogue lacks."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth import password_validation

from doanvu.common.text import fold


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with the message in Vietnamese: Django 5.2 changed the message's msgid and its
    Vietnamese translation no longer matches, so the English text would reach the user."""

    def get_error_message(self) -> str:
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self) -> str:
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự."


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
