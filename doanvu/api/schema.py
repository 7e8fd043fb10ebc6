"""How the OpenAPI schema describes our authentication (drf-spectacular extensions)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "doanvu.api.auth.TokenAuthentication"
    name = "khoaTruyCap"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(gettext_lazy(
                "Khóa truy cập của bạn (trang “Khóa truy cập API” trong tài khoản), gửi dạng "
                "“Token <khóa>” (hoặc “Bearer <khóa>”).")),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "doanvu.api.auth.SessionAuthentication"
    name = "phienDangNhap"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": str(gettext_lazy(
                    "Phiên đăng nhập của trình duyệt (trang tài liệu này)."))}
