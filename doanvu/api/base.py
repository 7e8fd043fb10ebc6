"""The API's conventions, in one place every endpoint copies (issue 16, API-1, X-3, X-9;
docs/architecture.md "API (issue 16)").

- **Errors** have one shape: `{"loi": {"ma": <code>, "thong_diep": <Vietnamese sentence>,
  "truong": {<field>: [<Vietnamese message>, …]}}}` for 400/401/403/404/405/406/413/415/429;
  malformed JSON, wrong types, unknown fields, impossible dates and oversize bodies are a 4xx,
  never a 500 (`exception_handler`, `BoundedJSONParser`, `StrictSerializer`, `DateField`).
- **Scope**: a view holds no permission logic; it reads through the apps' selectors
  (`<entity>_get(scope=…)`: 404 alike for missing and not yours) and lists filtered by
  `Scope.filter`/`scope.q`, with `scope_of(request)`.
- **Lists** are keyset pages (`keyset_page`, `?sau=<cursor>&so_dong=<n>`) answered by
  `list_response`: an ETag over the body, 304 to a matching If-None-Match.
- **Rate limits** per token (`TokenRateThrottle`, settings.API_THROTTLE_RATE).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback

from doanvu.accounts.scope import Scope, scope_of
from doanvu.audit.context import acting
from doanvu.common.dates import DateInputError, read_date
from doanvu.common.errors import ApplicationError
from doanvu.common.views import page_as_of

# the classes the REST_FRAMEWORK setting names, re-exported: endpoints import everything here
from .plumbing import (  # noqa: F401
    BoundedJSONParser,
    BoundedMultiPartParser,
    PayloadTooLarge,
    TokenRateThrottle,
    _too_large,
    body_limit,
)

# -- errors -------------------------------------------------------------------------------------

# (status → code, the sentence when the exception carries none of ours)
_CODES: dict[int, tuple[str, Any]] = {
    400: ("du_lieu_khong_hop_le", gettext_lazy("Dữ liệu gửi lên không hợp lệ.")),
    401: ("chua_xac_thuc", gettext_lazy(
        "Hãy gửi khóa truy cập trong tiêu đề Authorization: Token <khóa>.")),
    403: ("khong_duoc_phep", gettext_lazy("Bạn không có quyền làm việc này.")),
    404: ("khong_tim_thay", gettext_lazy("Không tìm thấy.")),
    405: ("phuong_thuc_khong_dung", ""),
    406: ("khong_chap_nhan", gettext_lazy(
        "API chỉ trả lời JSON: hãy gửi Accept: application/json.")),
    413: ("qua_lon", ""),
    415: ("kieu_noi_dung_khong_dung", ""),
    429: ("qua_nhieu_yeu_cau", ""),
}


def error_body(status_code: int, message: str, fields: Mapping[str, list[str]] | None = None,
               code: str = "") -> dict[str, Any]:
    return {"loi": {"ma": code or _CODES.get(status_code, ("loi", ""))[0],
                    "thong_diep": message, "truong": dict(fields or {})}}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "field.sub" or "field[2]": [messages]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = str(key)[:100]
            name = "" if name in ("non_field_errors", "detail") else name
            full = f"{prefix}.{name}" if prefix and name else (prefix or name)
            for k, v in _flatten(value, full).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list) and detail and all(
            not isinstance(d, (list, dict)) for d in detail):
        out.setdefault(prefix, []).extend(str(d) for d in detail)
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            for k, v in _flatten(value, f"{prefix}[{i}]").items():
                out.setdefault(k, []).extend(v)
    else:
        out.setdefault(prefix, []).append(str(detail))
    return out


def _validation_message(fields: Mapping[str, list[str]]) -> str:
    parts = [f"“{name}”: {msgs[0]}" if name else msgs[0]
             for name, msgs in list(fields.items())[:3] if msgs]
    return _("Dữ liệu gửi lên không hợp lệ — {problems}").format(problems="; ".join(parts))


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """Every refusal in the one shape, in Vietnamese (REST_FRAMEWORK["EXCEPTION_HANDLER"])."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc.args[0]) if exc.args and exc.args[0]
                                  else str(_CODES[404][1]))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc.args[0]) if exc.args else None)
    elif isinstance(exc, RequestDataTooBig):
        exc = _too_large()
    elif isinstance(exc, ApplicationError):
        field = exc.field or ""
        exc = exceptions.ValidationError({field or "non_field_errors": [exc.message]})
    if not isinstance(exc, exceptions.APIException):
        return None
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    code = status.HTTP_400_BAD_REQUEST if isinstance(exc, exceptions.ParseError) else None
    status_code = code or exc.status_code
    fields: dict[str, list[str]] = {}
    if isinstance(exc, exceptions.ValidationError):
        fields = {k: v for k, v in _flatten(exc.detail).items() if k}
        general = _flatten(exc.detail).get("", [])
        message = _validation_message(fields) if fields else (
            general[0] if general else str(_CODES[400][1]))
    elif isinstance(exc, exceptions.ParseError):
        message = _("Nội dung gửi lên không phải JSON đọc được: {why}").format(
            why=str(exc.detail))
    elif isinstance(exc, exceptions.MethodNotAllowed):
        view = context.get("view")
        allowed = ", ".join(m for m in getattr(view, "allowed_methods", [])
                            if m not in ("OPTIONS", "HEAD"))
        request = context.get("request")
        message = _("Phương thức {method} không dùng được ở địa chỉ này (dùng: {allowed})."
                    ).format(method=getattr(request, "method", ""), allowed=allowed or "GET")
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        media = str(getattr(context.get("request"), "content_type", ""))[:80]
        takes = [p.media_type for p in getattr(context.get("view"), "parser_classes", [])]
        if takes and "application/json" not in takes:
            message = _("Kiểu nội dung “{media}” không được nhận: hãy gửi {takes}.").format(
                media=media, takes=", ".join(takes))
        else:
            message = _("Kiểu nội dung “{media}” không được nhận: hãy gửi JSON "
                        "(Content-Type: application/json).").format(media=media)
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        headers["Retry-After"] = str(wait)
        message = _("Quá nhiều yêu cầu với khóa truy cập này: hãy thử lại sau {wait} giây."
                    ).format(wait=wait)
    elif isinstance(exc, exceptions.NotAuthenticated):
        message = str(_CODES[401][1])
    elif isinstance(exc, exceptions.NotAcceptable):
        message = str(_CODES[406][1])
    elif isinstance(exc, exceptions.PermissionDenied) and not _ours(exc.detail):
        message = str(_CODES[403][1])
    else:
        message = str(exc.detail) if not isinstance(exc.detail, (list, dict)) else str(
            _CODES.get(status_code, ("", ""))[1])
    set_rollback()
    return Response(error_body(status_code, message, fields), status=status_code,
                    headers=headers)


def _ours(detail: Any) -> bool:
    """A message we wrote (not DRF's English default)."""
    return str(detail) != str(exceptions.PermissionDenied.default_detail)


# -- bodies -------------------------------------------------------------------------------------


_VN_ERRORS = {
    "required": gettext_lazy("Hãy nhập thông tin này."),
    "null": gettext_lazy("Hãy nhập thông tin này (không để null)."),
    "blank": gettext_lazy("Hãy nhập thông tin này."),
    "invalid": gettext_lazy("Giá trị không đúng kiểu."),
    "max_length": gettext_lazy("Dài quá {max_length} ký tự."),
    "min_length": gettext_lazy("Ngắn hơn {min_length} ký tự."),
    "max_value": gettext_lazy("Lớn hơn giới hạn {max_value}."),
    "min_value": gettext_lazy("Nhỏ hơn giới hạn {min_value}."),
    "max_string_length": gettext_lazy("Số quá lớn."),
    "invalid_choice": gettext_lazy("“{input}” không phải một lựa chọn hợp lệ."),
    "not_a_list": gettext_lazy("Hãy gửi một danh sách."),
}
_TYPE_ERRORS = {
    serializers.CharField: gettext_lazy("Hãy gửi một chuỗi ký tự."),
    serializers.IntegerField: gettext_lazy("Hãy gửi một số nguyên."),
    serializers.BooleanField: gettext_lazy("Hãy gửi true hoặc false."),
}


class StrictSerializer(serializers.Serializer):
    """A request body: a JSON object whose every field is known (an unknown field is refused,
    naming it, rather than silently dropped), with Vietnamese messages naming the field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        not_an_object = _("Nội dung phải là một đối tượng JSON (các cặp “trường”: giá trị).")
        self.error_messages.update({"null": not_an_object, "required": not_an_object,
                                    "invalid": not_an_object})
        for field in self.fields.values():
            for key, message in _VN_ERRORS.items():
                if key in field.error_messages:
                    field.error_messages[key] = message
            for kind, message in _TYPE_ERRORS.items():
                if isinstance(field, kind):
                    field.error_messages["invalid"] = message

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if data is None or data is serializers.empty:  # DRF would say "No data provided"
            raise serializers.ValidationError({"non_field_errors": [
                _("Nội dung phải là một đối tượng JSON (các cặp “trường”: giá trị).")]})
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {"non_field_errors": [_(
                    "Nội dung phải là một đối tượng JSON (các cặp “trường”: giá trị).")]})
        writable = {name for name, f in self.fields.items() if not f.read_only}
        unknown = sorted(str(k) for k in data if k not in writable)
        if unknown:
            raise serializers.ValidationError(
                {name[:100]: [_("Trường này không có ở địa chỉ này (các trường nhận: "
                                "{known}).").format(known=", ".join(sorted(writable)))]
                 for name in unknown[:20]})
        for name, value in data.items():
            field = self.fields[name]
            if isinstance(field, serializers.CharField) and not isinstance(value, str) \
                    and value is not None:
                raise serializers.ValidationError({name: [str(_TYPE_ERRORS[
                    serializers.CharField])]})
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.DATE)
class DateField(serializers.Field):
    """A date sent as dd/mm/yyyy or yyyy-mm-dd, read by common.dates.read_date (the forms' and
    `?ngay=`'s one parser: "31/02/2020" is refused as a day that does not exist); answered as
    yyyy-mm-dd."""

    default_error_messages = {"required": _VN_ERRORS["required"],
                              "null": _VN_ERRORS["null"],
                              "type": gettext_lazy("Hãy gửi ngày dạng chuỗi “dd/mm/yyyy”.")}

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("type")
        try:
            day = read_date(data, field=str(self.label or self.field_name or ""))
        except DateInputError as exc:
            raise serializers.ValidationError(exc.message) from None
        if day is None:
            self.fail("required")
        return day

    def to_representation(self, value: Any) -> Any:
        return value.isoformat() if value else None


# -- parameters ---------------------------------------------------------------------------------


def as_of(request: Request, name: str = "ngay") -> Any:
    """The "as of" day of `?ngay=` (X-10) as the pages read it (common.views.page_as_of): None
    for today; junk, a day that does not exist or has not come is a 400 naming the parameter."""
    day, error = page_as_of(request, name)  # type: ignore[arg-type]
    if error:
        raise exceptions.ValidationError({name: [error]})
    return day


def int_param(request: Request, name: str, *, minimum: int = 1,
              maximum: int = 2**63 - 1) -> int | None:
    raw = request.query_params.get(name, "").replace("\x00", "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError(
            {name: [_("“{raw}” không phải số nguyên.").format(raw=raw[:40])]}) from None
    if not minimum <= value <= maximum:
        raise exceptions.ValidationError(
            {name: [_("Hãy chọn một số từ {low} đến {high}.").format(low=minimum,
                                                                      high=maximum)]})
    return value


def text_param(request: Request, name: str, *, limit: int = 200) -> str:
    return request.query_params.get(name, "").replace("\x00", "").strip()[:limit]


# -- keyset pages -------------------------------------------------------------------------------

CURSOR = "sau"
LIMIT = "so_dong"


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(request: Request, shape: Sequence[type]) -> list[Any] | None:
    """The cursor of `?sau=` as values of the types `shape` names; a cursor that is not one of
    ours is a 400 naming the parameter (not silently the first page)."""
    raw = text_param(request, CURSOR, limit=1000)
    if not raw:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        ok = (isinstance(values, list) and len(values) == len(shape)
              and all(type(v) is t for v, t in zip(values, shape, strict=True)))
    except (ValueError, TypeError):
        ok = False
    if not ok or any(isinstance(v, int) and not 0 <= v < 2**63 for v in values):
        raise exceptions.ValidationError({CURSOR: [_(
            "Con trỏ trang không đúng: hãy dùng đúng giá trị “trang_sau” của trang trước.")]})
    return values  # type: ignore[no-any-return]


def page_size(request: Request) -> int:
    default = int(getattr(settings, "API_PAGE_SIZE", 50))
    return int_param(request, LIMIT, maximum=int(getattr(settings, "API_PAGE_SIZE_MAX", 200))
                     ) or default


def keyset_page(request: Request, qs: QuerySet[Any]) -> tuple[list[Any], str | None]:
    """One page of `qs` by ascending id after `?sau=`, and the cursor of the next page (None at
    the end). Stable while rows are added or removed: a row is never shown twice."""
    after = decode_cursor(request, [int])
    limit = page_size(request)
    if after is not None:
        qs = qs.filter(pk__gt=after[0])
    rows = list(qs.order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor([rows[-1].pk]) if more and rows else None)


def list_response(request: Request, rows: list[Any], next_cursor: str | None) -> Response:
    """A list's answer `{"ket_qua": rows, "trang_sau": cursor}` with a (weak) ETag over the
    body; a matching If-None-Match is answered 304 without a body."""
    data = {"ket_qua": rows, "trang_sau": next_cursor}
    body = JSONRenderer().render(data)
    etag = 'W/"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    asked = request.headers.get("If-None-Match", "")
    if etag in [t.strip() for t in asked.split(",")] or asked.strip() == "*":
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        response = Response(data)
    response["ETag"] = etag
    return response


_PAGES: dict[type[serializers.Serializer], type[serializers.Serializer]] = {}


def paginated(row: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The schema of a list of `row`: {ket_qua: [row], trang_sau: cursor | null}."""
    if row in _PAGES:
        return _PAGES[row]
    name = row.__name__.removesuffix("Serializer") + "Page"
    _PAGES[row] = type(name, (serializers.Serializer,), {
        "__module__": row.__module__,
        "ket_qua": row(many=True, help_text=gettext_lazy("Các dòng của trang này.")),
        "trang_sau": serializers.CharField(
            allow_null=True, help_text=gettext_lazy(
                "Con trỏ của trang sau (gửi lại trong ?sau=); null ở trang cuối.")),
    })
    return _PAGES[row]


class ErrorDetailSerializer(serializers.Serializer):
    ma = serializers.CharField(help_text=gettext_lazy("Mã lỗi, không đổi theo ngôn ngữ."))
    thong_diep = serializers.CharField(help_text=gettext_lazy("Câu báo lỗi tiếng Việt."))
    truong = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=gettext_lazy("Lỗi của từng trường (tên trường → các câu báo lỗi)."))


class ErrorSerializer(serializers.Serializer):
    loi = ErrorDetailSerializer()


def errors(*codes: int) -> dict[int, Any]:
    """The error answers of an endpoint, for its schema (401 and 429 always)."""
    return {code: ErrorSerializer for code in sorted({401, 429, *codes})}


CURSOR_PARAMETERS = [
    OpenApiParameter(CURSOR, str, description=gettext_lazy(
        "Con trỏ trang: giá trị “trang_sau” của trang trước.")),
    OpenApiParameter(LIMIT, int, description=gettext_lazy(
        "Số dòng một trang (mặc định 50, tối đa 200).")),
]
AS_OF_PARAMETER = OpenApiParameter("ngay", str, description=gettext_lazy(
    "Xem như vào ngày này (dd/mm/yyyy); bỏ trống là hôm nay."))


# -- the base view ------------------------------------------------------------------------------


class ApiView(APIView):
    """Every endpoint's base: the body bound, changes attributed to the caller in the audit
    log (a token's user is known only once DRF has authenticated), answers never cached by a
    shared cache."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_body_bytes():
            raise _too_large(self.max_body_bytes())
        super().initial(request, *args, **kwargs)
        self._acting = contextlib.ExitStack()
        self._acting.enter_context(acting(request.user))

    def finalize_response(self, request: Request, response: Any, *args: Any,
                          **kwargs: Any) -> Any:
        stack = getattr(self, "_acting", None)
        if stack is not None:
            stack.close()
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Vary"] = "Authorization, Cookie, Accept-Language"
        response["Cache-Control"] = "private, no-cache"
        return response

    def scope(self) -> Scope:
        return scope_of(self.request)  # type: ignore[arg-type]

    def max_body_bytes(self) -> int:
        """The largest body this endpoint reads (Content-Length beyond it: 413 unread);
        endpoints taking files raise it to their pages' upload bounds."""
        return body_limit()

