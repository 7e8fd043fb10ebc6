"""The caller's own API tokens: list, create (from a logged-in browser only: a token cannot
mint its successors) and revoke. The same services as the account pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors, services
from ..base import (
    CURSOR_PARAMETERS,
    ApiView,
    DateField,
    StrictSerializer,
    errors,
    keyset_page,
    list_response,
    paginated,
)
from ..models import ApiToken

TAG: str = gettext_lazy("Khóa truy cập")  # type: ignore[assignment]  # a lazy str


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số khóa."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên khóa."))
    dau_khoa = serializers.CharField(help_text=gettext_lazy("Mấy ký tự đầu của khóa, để nhận ra."))
    tao_luc = serializers.DateTimeField(help_text=gettext_lazy("Tạo lúc."))
    het_han_sau_ngay = serializers.DateField(help_text=gettext_lazy("Dùng được đến hết ngày này."))
    dung_gan_nhat = serializers.DateTimeField(allow_null=True, help_text=gettext_lazy(
        "Lần dùng đầu tiên của ngày dùng gần nhất."))
    thu_hoi_luc = serializers.DateTimeField(allow_null=True, help_text=gettext_lazy("Thu hồi lúc."))


class NewTokenSerializer(TokenSerializer):
    khoa = serializers.CharField(help_text=gettext_lazy(
        "Khóa truy cập: chỉ hiện một lần này, hãy lưu lại ngay."))


class TokenCreateSerializer(StrictSerializer):
    ten = serializers.CharField(max_length=100, help_text=gettext_lazy("Tên khóa."))
    het_han = DateField(label=gettext_lazy("ngày hết hạn"), help_text=gettext_lazy(
        "Ngày hết hạn (dd/mm/yyyy), từ hôm nay đến tối đa số ngày quy định."))


def _row(t: ApiToken) -> dict[str, Any]:
    return {"id": t.pk, "ten": t.name, "dau_khoa": t.prefix, "tao_luc": t.created_at,
            "het_han_sau_ngay": t.expires_on, "dung_gan_nhat": t.last_used_at,
            "thu_hoi_luc": t.revoked_at}


_FIELDS = {"name": "ten", "expires_on": "het_han"}


class TokenList(ApiView):
    @extend_schema(operation_id="khoa_danh_sach", tags=[TAG],
                   summary=gettext_lazy("Khóa truy cập của bạn"),
                   parameters=CURSOR_PARAMETERS,
                   responses={200: paginated(TokenSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        rows, cursor = keyset_page(request, selectors.tokens_of(user=request.user))
        return list_response(request, TokenSerializer([_row(t) for t in rows], many=True).data,
                             cursor)

    @extend_schema(operation_id="khoa_tao", tags=[TAG],
                   summary=gettext_lazy("Tạo khóa truy cập"),
                   description=gettext_lazy(
                       "Chỉ từ trình duyệt đã đăng nhập (không dùng một khóa để tạo khóa khác). "
                       "Khóa chỉ hiện trong câu trả lời này."),
                   request=TokenCreateSerializer,
                   responses={201: NewTokenSerializer, **errors(400, 403, 413, 415)})
    def post(self, request: Request) -> Response:
        if isinstance(request.auth, ApiToken):
            raise exceptions.PermissionDenied(_(
                "Khóa truy cập chỉ tạo được khi đăng nhập bằng trình duyệt, không bằng một "
                "khóa khác."))
        body = TokenCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            new = services.token_create(actor=request.user, user=request.user,
                                        name=body.validated_data["ten"],
                                        expires_on=body.validated_data["het_han"])
        except services.TokenError as exc:
            raise exceptions.ValidationError(
                {_FIELDS.get(exc.field or "", "non_field_errors"): [exc.message]}) from None
        return Response({**_row(new.token), "khoa": new.key}, status=status.HTTP_201_CREATED)


class TokenRevoke(ApiView):
    @extend_schema(operation_id="khoa_thu_hoi", tags=[TAG],
                   summary=gettext_lazy("Thu hồi một khóa của bạn"),
                   description=gettext_lazy(
                       "Khóa thôi dùng được ngay. 404 như nhau cho khóa không có và khóa của "
                       "người khác."),
                   request=None, responses={200: TokenSerializer, **errors(400, 404)})
    def post(self, request: Request, pk: int) -> Response:
        token = selectors.token_get(user=request.user, pk=pk)
        token = services.token_revoke(actor=request.user, token=token)
        return Response(TokenSerializer(_row(token)).data)
