"""Who calls the API: a token (`Authorization: Token <key>` or `Bearer <key>`) or, for the
documentation page and a browser, the logged-in session (with its CSRF check on writes)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from .models import ApiToken
from .services import key_hash, token_mark_used, token_usable

SCHEMES = ("token", "bearer")


class TokenAuthentication(authentication.BaseAuthentication):
    """The token's user, with the token as `request.auth`. A wrong, revoked or expired key is
    refused with 401 and the reason; the first use of a day is audited (services)."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in SCHEMES:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Tiêu đề Authorization phải có dạng “Token <khóa>”."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Khóa truy cập không đúng.")) from None
        token = (ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
                 if len(key) <= 200 else None)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Khóa truy cập không đúng."))
        why_not = token_usable(token)
        if why_not:
            raise exceptions.AuthenticationFailed(why_not)
        token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class SessionAuthentication(authentication.SessionAuthentication):
    """The logged-in browser (the documentation page's "Try it out"); writes need the CSRF
    token as the pages do."""
