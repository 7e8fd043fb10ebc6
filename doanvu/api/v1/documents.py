"""Documents in the API: the register of the units you read, and one document (document_get:
its issuer's scope, or a unit it was sent to once issued)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.documents import selectors as documents
from doanvu.documents.models import DocumentStatus

from ..base import (
    CURSOR_PARAMETERS,
    ApiView,
    choice_param,
    errors,
    int_param,
    keyset_page,
    list_response,
    paginated,
    text_param,
)

TAG: str = gettext_lazy("Văn bản")  # type: ignore[assignment]  # a lazy str


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số văn bản."))
    loai = serializers.CharField(help_text=gettext_lazy("Loại văn bản."))
    so_ky_hieu = serializers.CharField(
        help_text=gettext_lazy("Số, ký hiệu (trống khi là dự thảo)."))
    trich_yeu = serializers.CharField(help_text=gettext_lazy("Trích yếu."))
    don_vi_ban_hanh_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị ban hành."))
    don_vi_ban_hanh = serializers.CharField(help_text=gettext_lazy("Tên đơn vị ban hành."))
    ngay_ban_hanh = serializers.DateField(allow_null=True, help_text=gettext_lazy("Ngày ban hành."))
    so = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Số văn bản."))
    nam = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Năm của số."))
    trang_thai = serializers.CharField(help_text=gettext_lazy("Mã trạng thái."))
    trang_thai_ten = serializers.CharField(help_text=gettext_lazy("Trạng thái, tiếng Việt."))
    nguoi_ky = serializers.CharField(help_text=gettext_lazy("Họ tên người ký."))
    han_bao_cao = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Hạn báo cáo của nơi nhận (nếu có)."))


def _row(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk, "loai": d.doc_type.name, "so_ky_hieu": d.symbol, "trich_yeu": d.title,
        "don_vi_ban_hanh_id": d.issuing_unit_id, "don_vi_ban_hanh": d.issuing_unit.name,
        "ngay_ban_hanh": d.issued_on, "so": d.number, "nam": d.year, "trang_thai": d.status,
        "trang_thai_ten": str(d.get_status_display()), "nguoi_ky": d.signer_name,
        "han_bao_cao": d.report_due_on,
    }


class DocumentList(ApiView):
    @extend_schema(
        operation_id="van_ban_danh_sach",
        tags=[TAG], summary=gettext_lazy("Sổ văn bản"),
        description=gettext_lazy("Văn bản của các đơn vị bạn được xem (như trang sổ văn bản), "
                                 "theo mã số tăng dần."),
        parameters=[
            OpenApiParameter("don_vi", int, description=gettext_lazy("Đơn vị ban hành.")),
            OpenApiParameter("nam", int, description=gettext_lazy("Năm.")),
            OpenApiParameter("loai", int, description=gettext_lazy("Mã số loại văn bản.")),
            OpenApiParameter("trang_thai", str, description=gettext_lazy("Mã trạng thái.")),
            OpenApiParameter("q", str,
                             description=gettext_lazy("Tìm trong số, ký hiệu và trích yếu.")),
            *CURSOR_PARAMETERS],
        responses={200: paginated(DocumentSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        state = choice_param(request, "trang_thai", DocumentStatus.values)
        filters = documents.RegisterFilter(
            unit_id=int_param(request, "don_vi"), year=int_param(request, "nam", maximum=9999),
            doc_type_id=int_param(request, "loai"),
            status=state, query=text_param(request, "q"))
        qs = documents.document_register(scope=self.scope(), filters=filters)
        rows, cursor = keyset_page(request, qs)
        return list_response(request, DocumentSerializer([_row(d) for d in rows],
                                                         many=True).data, cursor)


class DocumentDetail(ApiView):
    @extend_schema(
        operation_id="van_ban_chi_tiet",tags=[TAG], summary=gettext_lazy("Một văn bản"),
                   description=gettext_lazy(
                       "Văn bản của đơn vị bạn được xem, hoặc văn bản đã ban hành gửi đến đơn vị "
                       "của bạn; 404 như nhau cho văn bản không có và ngoài phạm vi."),
                   responses={200: DocumentSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(DocumentSerializer(_row(documents.document_get(
            scope=self.scope(), pk=pk))).data)
