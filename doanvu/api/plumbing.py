"""The API classes the REST_FRAMEWORK setting names (parser, throttle). They live apart from
`base` because DRF imports them while `rest_framework.views` is still loading: nothing here may
import DRF's views. Endpoints import them through `base`."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken

logger = logging.getLogger(__name__)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "qua_lon"


def body_limit() -> int:
    return int(getattr(settings, "API_MAX_BODY_BYTES", 1024 * 1024))


def _too_large(limit: int | None = None) -> PayloadTooLarge:
    return PayloadTooLarge(_("Nội dung gửi lên quá lớn: tối đa {kb} KB.").format(
        kb=(limit or body_limit()) // 1024))


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


# -- files --------------------------------------------------------------------------------------


class _FileBound(FileUploadHandler):
    """First in the chain: stops a file as soon as its bytes pass `limit` (nothing of it is
    kept; the rest of the body is drained unread) and remembers which file it was."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.refused = ""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.refused = str(self.file_name or "")
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers build the file


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


class BoundedMultiPartParser(parsers.MultiPartParser):
    """multipart/form-data for the endpoints that take files (the pages' upload bounds): the
    whole body is bounded by the view's `max_body_bytes()` before a byte is read
    (`ApiView.initial`, 413), each file by the view's `max_file_bytes()` as it streams in (413
    naming the file, nothing of it stored), the form fields by Django's DATA_UPLOAD_* settings;
    a body that is not readable multipart is a 400."""

    media_type = "multipart/form-data"

    def parse(self, stream: Any, media_type: str | None = None,
              parser_context: Mapping[str, Any] | None = None) -> Any:
        from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
        from django.http.multipartparser import MultiPartParser, MultiPartParserError

        context = parser_context or {}
        request, view = context["request"], context.get("view")
        bound_of = getattr(view, "max_file_bytes", None)
        limit = int(bound_of()) if callable(bound_of) else body_limit()
        bound = _FileBound(limit)
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            data, files = MultiPartParser(meta, stream, [bound, *request.upload_handlers],
                                          parsers.get_encoding(context)).parse()
        except RequestDataTooBig:
            raise PayloadTooLarge(_("Các trường gửi kèm (không kể tệp) quá lớn.")) from None
        except (MultiPartParserError, SuspiciousOperation, ValueError) as exc:
            raise exceptions.ValidationError({"non_field_errors": [_(
                "Nội dung multipart/form-data không đọc được: {why}").format(
                why=str(exc)[:200])]}) from None
        if bound.refused:
            raise PayloadTooLarge(_(
                "Tệp “{name}” vượt quá giới hạn {size} cho mỗi tệp: không được tiếp nhận."
            ).format(name=bound.refused[:200], size=_size(limit)))
        return parsers.DataAndFiles(data, files)


# -- rate limits --------------------------------------------------------------------------------


def _cache_errors() -> tuple[type[BaseException], ...]:
    """What the default cache raises when its server is unreachable (Redis, settings
    CACHE_URL): the socket's errors, and redis-py's own."""
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is in requirements.txt
        return (OSError,)
    return (OSError, RedisError)


class TokenRateThrottle(SimpleRateThrottle):
    """API_THROTTLE_RATE requests per token (per user for a logged-in browser, per address for
    the anonymous), counted in the default cache — shared by the app servers when
    DOANVU_CACHE_URL names a Redis. When that cache cannot be reached the request is let
    through uncounted and a warning logged: a limit is a guard against a runaway program, and
    refusing every program (or a 500) while Redis restarts would be worse."""

    scope = "api"

    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except _cache_errors() as exc:
            logger.warning("API: rate limit not counted, the cache is unreachable (%s)", exc)
            return True

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


