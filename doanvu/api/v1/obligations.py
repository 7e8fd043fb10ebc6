"""Obligations (hub) in the API: "Việc của tôi" and what a unit is owed, and one obligation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.common.dates import today
from doanvu.hub import selectors as hub
from doanvu.org import selectors as org

from ..base import (
    CURSOR_PARAMETERS,
    ApiView,
    choice_param,
    errors,
    keyset_page,
    list_response,
    paginated,
)

TAG: str = gettext_lazy("Việc phải nộp")  # type: ignore[assignment]  # a lazy str
STATES = [*hub.UNIT_FILTERS, "qua-han"]


class ObligationSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số việc."))
    loai = serializers.CharField(help_text=gettext_lazy("Mã loại việc."))
    loai_ten = serializers.CharField(help_text=gettext_lazy("Loại việc, tiếng Việt."))
    noi_dung = serializers.CharField(help_text=gettext_lazy("Nội dung phải nộp."))
    don_vi_phai_nop_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Đơn vị phải nộp."))
    don_vi_phai_nop = serializers.CharField(help_text=gettext_lazy("Tên đơn vị phải nộp."))
    ban_phai_nop = serializers.CharField(help_text=gettext_lazy("Ban phải nộp (nếu có)."))
    don_vi_nhan_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Đơn vị nhận."))
    don_vi_nhan = serializers.CharField(help_text=gettext_lazy("Tên đơn vị nhận."))
    han = serializers.DateField(help_text=gettext_lazy("Hạn nộp."))
    thoi_han = serializers.CharField(help_text=gettext_lazy("Thời hạn như quy định ghi."))
    trang_thai = serializers.CharField(help_text=gettext_lazy("Mã trạng thái."))
    trang_thai_ten = serializers.CharField(help_text=gettext_lazy("Trạng thái, tiếng Việt."))
    qua_han = serializers.BooleanField(help_text=gettext_lazy("Chưa nộp mà đã quá hạn."))
    nop_luc = serializers.DateTimeField(allow_null=True, help_text=gettext_lazy("Nộp lúc."))
    can_cu = serializers.CharField(help_text=gettext_lazy("Căn cứ (văn bản, quy định)."))


def _row(ob: Any, day: Any) -> dict[str, Any]:
    open_ = ob.status in ("open", "returned")
    return {
        "id": ob.pk, "loai": ob.kind, "loai_ten": ob.kind_label, "noi_dung": ob.title,
        "don_vi_phai_nop_id": ob.owed_by_unit_id,
        "don_vi_phai_nop": ob.owed_by_unit.name if ob.owed_by_unit_id else "",
        "ban_phai_nop": ob.owed_by_department.name if ob.owed_by_department_id else "",
        "don_vi_nhan_id": ob.owed_to_unit_id,
        "don_vi_nhan": ob.owed_to_unit.name if ob.owed_to_unit_id else "",
        "han": ob.due_on, "thoi_han": ob.due_text, "trang_thai": ob.status,
        "trang_thai_ten": str(ob.get_status_display()), "qua_han": open_ and ob.due_on < day,
        "nop_luc": ob.submitted_at, "can_cu": ob.source_label,
    }


def _page(request: Request, qs: Any) -> Response:
    day = today()
    rows, cursor = keyset_page(request, qs)
    return list_response(request, ObligationSerializer([_row(o, day) for o in rows],
                                                       many=True).data, cursor)


class MyObligations(ApiView):
    @extend_schema(
        operation_id="viec_cua_toi",
        tags=[TAG], summary=gettext_lazy("Việc của tôi"),
        description=gettext_lazy("Những việc bạn phải nộp mà chưa nộp (như trang “Việc của tôi”), "
                                 "theo mã số tăng dần."),
        parameters=CURSOR_PARAMETERS,
        responses={200: paginated(ObligationSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        return _page(request, hub.my_open_obligations(scope=self.scope(), today=today()))


class UnitObligations(ApiView):
    @extend_schema(
        operation_id="don_vi_viec",
        tags=[TAG], summary=gettext_lazy("Việc các đơn vị phải nộp cho một đơn vị"),
        description=gettext_lazy("Như trang việc của đơn vị: những gì cấp dưới (và các ban) phải "
                                 "nộp cho đơn vị này, trong phạm vi bạn được xem."),
        parameters=[OpenApiParameter("trang_thai", str, enum=STATES, description=gettext_lazy(
            "Lọc theo trạng thái; mặc định “chua-nop”.")), *CURSOR_PARAMETERS],
        responses={200: paginated(ObligationSerializer), **errors(400, 404)})
    def get(self, request: Request, pk: int) -> Response:
        scope = self.scope()
        unit = org.unit_get(scope=scope, pk=pk)
        state = choice_param(request, "trang_thai", STATES) or "chua-nop"
        return _page(request, hub.unit_owed_obligations(scope=scope, unit=unit, today=today(),
                                                        state=state))


class ObligationDetail(ApiView):
    @extend_schema(
        operation_id="viec_chi_tiet",tags=[TAG], summary=gettext_lazy("Một việc phải nộp"),
                   description=gettext_lazy("404 như nhau cho việc không có và ngoài phạm vi."),
                   responses={200: ObligationSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        ob = hub.obligation_get(scope=self.scope(), pk=pk)
        return Response(ObligationSerializer(_row(ob, today())).data)
