"""Units (org) in the API, today or as they stood on a day (`?ngay=`, X-10)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.common.search import search_words
from doanvu.org import selectors as org

from ..base import (
    AS_OF_PARAMETER,
    CURSOR_PARAMETERS,
    ApiView,
    as_of,
    decode_cursor,
    encode_cursor,
    errors,
    int_param,
    list_response,
    page_size,
    paginated,
    text_param,
)

TAG: str = gettext_lazy("Đơn vị")  # type: ignore[assignment]  # a lazy str


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        help_text=gettext_lazy("Mã số đơn vị (không đổi qua các lần đổi tên, sáp nhập)."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên đơn vị (vào ngày xem)."))
    loai = serializers.CharField(help_text=gettext_lazy("Loại đơn vị, ví dụ “Chi đoàn”."))
    cap = serializers.IntegerField(help_text=gettext_lazy("Cấp của loại đơn vị (1 là Trung ương)."))
    khu_vuc = serializers.CharField(help_text=gettext_lazy("Mã khu vực (có thể trống)."))
    cha_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Mã số đơn vị cấp trên trực tiếp; null ở gốc cây."))
    thanh_lap_ngay = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Ngày thành lập (null khi xem theo một ngày)."))
    giai_the_ngay = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Ngày giải thể hoặc sáp nhập, nếu có."))
    ngay_xem = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Ngày xem (?ngay=); null là hôm nay."))


def _current(unit: Any) -> dict[str, Any]:
    return {"id": unit.pk, "ten": unit.name, "loai": unit.kind.name, "cap": unit.kind.level,
            "khu_vuc": unit.sector, "cha_id": unit.parent_id, "thanh_lap_ngay": unit.founded_on,
            "giai_the_ngay": unit.dissolved_on, "ngay_xem": None}


def _version(version: Any, day: Any) -> dict[str, Any]:
    return {"id": version.unit_id, "ten": version.name, "loai": version.kind.name,
            "cap": version.kind.level, "khu_vuc": version.sector, "cha_id": version.parent_id,
            "thanh_lap_ngay": None, "giai_the_ngay": None, "ngay_xem": day}


class UnitList(ApiView):
    @extend_schema(
        operation_id="don_vi_danh_sach",
        tags=[TAG], summary=gettext_lazy("Danh sách đơn vị trong phạm vi của bạn"),
        description=gettext_lazy(
            "Các đơn vị bạn được xem, theo mã số tăng dần. ?ngay= cho cây đơn vị như vào ngày "
            "đó (tên, cấp trên của ngày đó); ?q= tìm theo tên không dấu; ?cha= các đơn vị trực "
            "thuộc."),
        parameters=[AS_OF_PARAMETER, *CURSOR_PARAMETERS,
                    OpenApiParameter("q", str, description=gettext_lazy("Tìm theo tên.")),
                    OpenApiParameter("cha", int, description=gettext_lazy(
                        "Chỉ các đơn vị trực thuộc đơn vị này."))],
        responses={200: paginated(UnitSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        scope = self.scope()
        day = as_of(request)
        parent = int_param(request, "cha")
        words = search_words(text_param(request, "q"))
        after = decode_cursor(request, [int])
        limit = page_size(request)
        if day is None:
            qs = scope.filter(org.active_units()).select_related("kind")
            key = "pk"
        else:
            qs = scope.filter(org.versions_on(day), via="unit__").select_related("kind")
            key = "unit_id"
        if parent is not None:
            qs = qs.filter(parent_id=parent)
        for word in words:
            qs = qs.filter(name_folded__contains=word)
        if after is not None:
            qs = qs.filter(**{f"{key}__gt": after[0]})
        rows = list(qs.order_by(key)[: limit + 1])
        more = len(rows) > limit
        rows = rows[:limit]
        data = [_current(u) if day is None else _version(u, day) for u in rows]
        cursor = encode_cursor([data[-1]["id"]]) if more and data else None
        return list_response(request, UnitSerializer(data, many=True).data, cursor)


class UnitDetail(ApiView):
    @extend_schema(
        operation_id="don_vi_chi_tiet",
        tags=[TAG], summary=gettext_lazy("Một đơn vị"),
        description=gettext_lazy(
            "Đơn vị nếu bạn được xem (404 như nhau cho đơn vị không có và đơn vị ngoài phạm vi); "
            "?ngay= cho đơn vị như vào ngày đó (404 nếu ngày đó đơn vị chưa có)."),
        parameters=[AS_OF_PARAMETER], responses={200: UnitSerializer, **errors(400, 404)})
    def get(self, request: Request, pk: int) -> Response:
        unit = org.unit_get(scope=self.scope(), pk=pk)
        day = as_of(request)
        if day is None:
            return Response(UnitSerializer(_current(unit)).data)
        version = org.unit_version_on(unit=unit, day=day)
        if version is None:
            raise Http404(_("Đơn vị chưa có hoặc đã thôi tồn tại vào ngày xem."))
        return Response(UnitSerializer(_version(version, day)).data)
