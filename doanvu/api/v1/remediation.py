"""Shortcomings (khắc phục khuyết điểm, REM-1, REM-2) in the API: the register entries of the
units you read and one entry with its solutions, deadlines and evidence (remediation's
selectors: `shortcomings_of`, `shortcoming_get`, `overdue_ids`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.common.dates import today
from doanvu.remediation import selectors as remediation

from ..base import (
    CURSOR_PARAMETERS,
    ApiView,
    choice_param,
    errors,
    int_param,
    keyset_page,
    list_response,
    paginated,
)

TAG: str = gettext_lazy("Khắc phục khuyết điểm")  # type: ignore[assignment]  # a lazy str
OPEN, CLOSED = "chua_xong", "da_xong"
STATES = [OPEN, CLOSED]
YES_NO = {"co": True, "khong": False}


class ShortcomingSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số khuyết điểm."))
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị tự kiểm điểm."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị."))
    nguon = serializers.CharField(help_text=gettext_lazy(
        "Nguồn: kiểm điểm tập thể Ban Thường vụ năm nào."))
    nam_kiem_diem = serializers.IntegerField(help_text=gettext_lazy("Năm kiểm điểm."))
    nam_phat_sinh = serializers.IntegerField(help_text=gettext_lazy("Năm phát sinh."))
    chuyen_tu_nam_truoc = serializers.BooleanField(help_text=gettext_lazy(
        "Phát sinh từ năm trước, chưa khắc phục xong, chuyển sang."))
    so_thu_tu = serializers.IntegerField(help_text=gettext_lazy(
        "Số thứ tự trong sổ khuyết điểm của năm."))
    linh_vuc = serializers.CharField(help_text=gettext_lazy("Lĩnh vực."))
    noi_dung = serializers.CharField(help_text=gettext_lazy("Nội dung khuyết điểm."))
    trung_voi_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Khuyết điểm mà mục này trùng (không tính thêm vào số cần khắc phục); null nếu không."))
    trang_thai = serializers.CharField(help_text=gettext_lazy(
        "“chua_xong” hoặc “da_xong” (đã khắc phục xong)."))
    trang_thai_ten = serializers.CharField(help_text=gettext_lazy("Tình trạng, tiếng Việt."))
    ngay_khac_phuc_xong = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Ngày khắc phục xong."))
    qua_han = serializers.BooleanField(help_text=gettext_lazy(
        "Chưa khắc phục xong mà có giải pháp đã quá thời hạn chưa hoàn thành."))
    so_minh_chung = serializers.IntegerField(help_text=gettext_lazy("Số minh chứng."))


class SolutionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số giải pháp."))
    noi_dung = serializers.CharField(help_text=gettext_lazy("Nội dung giải pháp."))
    nhom = serializers.CharField(help_text=gettext_lazy("Nhóm giải pháp."))
    nam_thuc_hien = serializers.IntegerField(help_text=gettext_lazy("Năm thực hiện."))
    ban_chu_tri = serializers.CharField(help_text=gettext_lazy(
        "Ban chủ trì nhóm giải pháp (trống nếu chưa giao)."))
    thoi_han = serializers.CharField(help_text=gettext_lazy(
        "Thời hạn như kế hoạch ghi (“tháng 03/2020”, “thường xuyên”); trống nếu không có."))
    han_cuoi = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Ngày cuối của thời hạn; null khi thường xuyên hoặc không có."))
    tien_do = serializers.IntegerField(help_text=gettext_lazy("Tiến độ (%)."))
    ket_qua = serializers.CharField(help_text=gettext_lazy("Kết quả thực hiện."))
    cham = serializers.BooleanField(help_text=gettext_lazy(
        "Đã quá thời hạn mà chưa hoàn thành."))


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số minh chứng."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên minh chứng."))
    them_luc = serializers.DateTimeField(help_text=gettext_lazy("Thêm lúc."))


class ShortcomingDetailSerializer(ShortcomingSerializer):
    danh_gia_khi_xong = serializers.CharField(help_text=gettext_lazy(
        "Đánh giá ghi khi khắc phục xong."))
    giai_phap = SolutionSerializer(many=True, help_text=gettext_lazy(
        "Các giải pháp khắc phục khuyết điểm này, với thời hạn và tiến độ."))
    minh_chung = EvidenceSerializer(many=True, help_text=gettext_lazy(
        "Minh chứng đã khắc phục, theo thời điểm thêm."))


def _row(s: Any, overdue: bool, evidence: int) -> dict[str, Any]:
    return {
        "id": s.pk, "don_vi_id": s.unit_id, "don_vi": s.unit.name,
        "nguon": _("Kiểm điểm tập thể năm {year}").format(year=s.review_year),
        "nam_kiem_diem": s.review_year, "nam_phat_sinh": s.year_found,
        "chuyen_tu_nam_truoc": s.carried, "so_thu_tu": s.number, "linh_vuc": s.area.name,
        "noi_dung": s.text, "trung_voi_id": s.same_as_id,
        "trang_thai": CLOSED if s.closed_on else OPEN,
        "trang_thai_ten": _("Đã khắc phục xong") if s.closed_on else _("Chưa khắc phục xong"),
        "ngay_khac_phuc_xong": s.closed_on, "qua_han": overdue, "so_minh_chung": evidence,
    }


def _solution(sol: Any, day: Any) -> dict[str, Any]:
    deadline = sol.deadline
    return {
        "id": sol.pk, "noi_dung": sol.text, "nhom": sol.group.name, "nam_thuc_hien": sol.group.year,
        "ban_chu_tri": sol.group.lead.name if sol.group.lead_id else "",
        "thoi_han": _("thường xuyên") if sol.ongoing else (str(deadline) if deadline else ""),
        "han_cuoi": None if sol.ongoing or deadline is None else deadline.end,
        "tien_do": sol.progress, "ket_qua": sol.progress_note,
        "cham": remediation.solution_late(sol, day),
    }


def _yes_no(request: Request, name: str) -> bool | None:
    raw = choice_param(request, name, list(YES_NO))
    return YES_NO[raw] if raw else None


class ShortcomingList(ApiView):
    @extend_schema(
        operation_id="khac_phuc_danh_sach",
        tags=[TAG], summary=gettext_lazy("Sổ khuyết điểm cần khắc phục"),
        description=gettext_lazy(
            "Khuyết điểm qua kiểm điểm tập thể của các đơn vị bạn được xem (như trang sổ khuyết "
            "điểm của từng đơn vị), theo mã số tăng dần."),
        parameters=[
            OpenApiParameter("don_vi", int, description=gettext_lazy("Đơn vị tự kiểm điểm.")),
            OpenApiParameter("nam", int, description=gettext_lazy("Năm kiểm điểm.")),
            OpenApiParameter("trang_thai", str, enum=STATES, description=gettext_lazy(
                "“chua_xong” hoặc “da_xong”.")),
            OpenApiParameter("qua_han", str, enum=list(YES_NO), description=gettext_lazy(
                "“co”: chỉ những khuyết điểm quá hạn; “khong”: những khuyết điểm không quá "
                "hạn.")),
            *CURSOR_PARAMETERS],
        responses={200: paginated(ShortcomingSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        state = choice_param(request, "trang_thai", STATES)
        overdue = _yes_no(request, "qua_han")
        day = today()
        qs = remediation.shortcomings_of(
            scope=self.scope(), unit_id=int_param(request, "don_vi"),
            year=int_param(request, "nam", minimum=1900, maximum=2200),
            closed=None if not state else state == CLOSED)
        if overdue is not None:
            late = remediation.overdue_ids(shortcomings=qs.values("pk"), day=day)
            qs = qs.filter(pk__in=late) if overdue else qs.exclude(pk__in=late)
        rows, cursor = keyset_page(request, qs)
        late = remediation.overdue_ids(shortcomings=[s.pk for s in rows], day=day)
        return list_response(request, ShortcomingSerializer(
            [_row(s, s.pk in late, s.evidence_count) for s in rows], many=True).data, cursor)


class ShortcomingDetail(ApiView):
    @extend_schema(
        operation_id="khac_phuc_chi_tiet", tags=[TAG],
        summary=gettext_lazy("Một khuyết điểm cần khắc phục"),
        description=gettext_lazy(
            "Như trang khuyết điểm: nguồn, tình trạng, các giải pháp với thời hạn và tiến độ, "
            "minh chứng; 404 như nhau cho khuyết điểm không có và ngoài phạm vi."),
        responses={200: ShortcomingDetailSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        day = today()
        item = remediation.shortcoming_get(scope=self.scope(), pk=pk)
        evidence = list(item.evidence.order_by("added_at", "id"))
        solutions = list(item.solutions.select_related("group__lead")
                         .order_by("group__year", "group__number", "position", "id"))
        late = remediation.overdue_ids(shortcomings=[item.pk], day=day)
        data = _row(item, item.pk in late, len(evidence))
        data.update({
            "danh_gia_khi_xong": item.closed_note,
            "giai_phap": [_solution(s, day) for s in solutions],
            "minh_chung": [{"id": e.pk, "ten": e.name, "them_luc": e.added_at}
                           for e in evidence],
        })
        return Response(ShortcomingDetailSerializer(data).data)
