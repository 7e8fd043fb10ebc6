"""The API classes the REST_FRAMEWORK setting names (parser, throttle). They live apart from
`base` because DRF imports them while `rest_framework.views` is still loading: nothing here may
import DRF's views. Endpoints import them through `base`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "qua_lon"


def body_limit() -> int:
    return int(getattr(settings, "API_MAX_BODY_BYTES", 1024 * 1024))


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge(_("Nội dung gửi lên quá lớn: tối đa {kb} KB.").format(
        kb=body_limit() // 1024))


class BoundedJSONParser(parsers.JSONParser):
    """JSON bodies up to API_MAX_BODY_BYTES (413 beyond); what is not JSON, or nests deeper
    than Python reads, is a 400 naming the problem."""

    def parse(self, stream: Any, media_type: str | None = None,
              parser_context: Mapping[str, Any] | None = None) -> Any:
        limit = body_limit()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise _too_large()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.ParseError(_("nội dung không phải UTF-8.")) from None
        try:
            return json.loads(text, parse_constant=_no_constant)
        except RecursionError:
            raise exceptions.ParseError(_("JSON lồng nhau quá sâu.")) from None
        except ValueError as exc:
            raise exceptions.ParseError(_("lỗi ở dòng {line}, cột {col}.").format(
                line=getattr(exc, "lineno", "?"), col=getattr(exc, "colno", "?"))) from None


def _no_constant(name: str) -> None:
    raise ValueError(name)


# -- rate limits --------------------------------------------------------------------------------


class TokenRateThrottle(SimpleRateThrottle):
    """API_THROTTLE_RATE requests per token (per user for a logged-in browser, per address for
    the anonymous), counted in the default cache."""

    scope = "api"

    def get_rate(self) -> str:
        return str(getattr(settings, "API_THROTTLE_RATE", "1200/min"))

    def get_cache_key(self, request: Request, view: Any) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


