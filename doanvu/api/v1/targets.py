"""Targets (chỉ tiêu) in the API: the targets that apply to a unit with their figures as its
dashboard reads them (the maintained figures, PERF-4, with when they were computed and whether
a change awaits a recompute), and one target there with every unit directly under it, its
trend over the years and the figures units entered."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.accounts.scope import READ
from doanvu.common.dates import today
from doanvu.org import selectors as org
from doanvu.targets import rules
from doanvu.targets import selectors as targets

from ..base import (
    CURSOR_PARAMETERS,
    ApiView,
    decode_cursor,
    encode_cursor,
    errors,
    int_param,
    list_response,
    page_size,
    paginated,
)

TAG: str = gettext_lazy("Chỉ tiêu")  # type: ignore[assignment]  # a lazy str


def _number(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False,
                                    **kwargs)


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số chỉ tiêu."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên chỉ tiêu."))
    don_vi_giao_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị giao chỉ tiêu."))
    don_vi_giao = serializers.CharField(help_text=gettext_lazy("Tên đơn vị giao."))
    pham_vi_id = serializers.IntegerField(help_text=gettext_lazy(
        "Đơn vị mà chỉ tiêu áp dụng cho nó và các đơn vị dưới nó."))
    pham_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị phạm vi."))
    ke_hoach_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Văn bản kế hoạch đặt chỉ tiêu (nếu có)."))
    han = serializers.DateField(help_text=gettext_lazy("Thời hạn."))
    cong_thuc = serializers.CharField(help_text=gettext_lazy(
        "Mã công thức tính; trống: các đơn vị tự nhập kết quả."))
    do_don_vi_nhap = serializers.BooleanField(help_text=gettext_lazy(
        "Kết quả do các đơn vị tự nhập (không tính từ dữ liệu)."))
    chi_tieu = _number(help_text=gettext_lazy("Giá trị chỉ tiêu (mức phải đạt, “ít nhất”)."))
    gia_tri = _number(help_text=gettext_lazy("Giá trị đạt được ở đơn vị xem."))
    tu_so = serializers.IntegerField(help_text=gettext_lazy(
        "Tử số (hoặc số đếm; số kết quả đã nhập với chỉ tiêu do đơn vị nhập)."))
    mau_so = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Mẫu số; null khi là số đếm."))
    don_vi_tinh = serializers.CharField(help_text=gettext_lazy("Đơn vị tính, ví dụ “%”."))
    dat = serializers.BooleanField(allow_null=True, help_text=gettext_lazy(
        "Đạt chỉ tiêu; null khi chưa có số liệu."))
    chua_co_so_lieu = serializers.BooleanField(help_text=gettext_lazy(
        "Chưa có số liệu để tính (không phải 0)."))
    nam_truoc = _number(allow_null=True, help_text=gettext_lazy(
        "Giá trị cùng ngày năm trước (chỉ tiêu theo năm)."))
    xu_huong = serializers.ChoiceField(choices=[rules.UP, rules.DOWN, rules.SAME],
                                       help_text=gettext_lazy(
                                           "So với năm trước: up, down, same."))
    so_lieu_luu = serializers.BooleanField(help_text=gettext_lazy(
        "Đọc từ số liệu đã tính sẵn (false: tính trực tiếp từ dữ liệu)."))
    ngay_do = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Ngày đo của số liệu đã tính sẵn."))
    tinh_luc = serializers.DateTimeField(allow_null=True, help_text=gettext_lazy(
        "Số liệu đã tính sẵn được tính lúc."))
    dang_tinh_lai = serializers.BooleanField(help_text=gettext_lazy(
        "Có thay đổi từ lần tính trước (hoặc đã sang ngày đo khác): số liệu đang chờ tính "
        "lại."))


class ChildSerializer(serializers.Serializer):
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị trực thuộc."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị (vào ngày đo)."))
    gia_tri = _number(allow_null=True, help_text=gettext_lazy(
        "Giá trị của đơn vị; null khi chưa có số liệu."))
    tu_so = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Tử số."))
    mau_so = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Mẫu số."))
    dat = serializers.BooleanField(allow_null=True, help_text=gettext_lazy(
        "Đạt; null khi chưa có số liệu."))


class PointSerializer(serializers.Serializer):
    nam = serializers.IntegerField(help_text=gettext_lazy("Năm."))
    gia_tri = _number(help_text=gettext_lazy("Giá trị cuối năm (hoặc tại ngày đo)."))
    chua_co_so_lieu = serializers.BooleanField(help_text=gettext_lazy("Chưa có số liệu."))


class TargetEntrySerializer(serializers.Serializer):
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị phải nhập kết quả."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị."))
    gia_tri = _number(allow_null=True, help_text=gettext_lazy("Kết quả; null khi chưa nhập."))
    ngay_nhap = serializers.DateField(allow_null=True, help_text=gettext_lazy("Ngày nhập."))


class TargetDetailSerializer(TargetSerializer):
    don_vi_xem_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị xem."))
    ngay_xem = serializers.DateField(help_text=gettext_lazy(
        "Ngày mà cây đơn vị và dữ liệu được đọc (ngày đo)."))
    don_vi_truc_thuoc = ChildSerializer(many=True, help_text=gettext_lazy(
        "Các đơn vị trực thuộc vào ngày đo: có số liệu trước (thấp nhất trước), rồi các đơn "
        "vị chưa có số liệu."))
    theo_nam = PointSerializer(many=True, help_text=gettext_lazy(
        "Giá trị qua các năm (chỉ tiêu theo năm)."))
    ket_qua_nhap = TargetEntrySerializer(many=True, help_text=gettext_lazy(
        "Với chỉ tiêu do đơn vị nhập: các đơn vị phải nhập và kết quả đã nhập."))


def _row(r: Any) -> dict[str, Any]:
    t = r.target
    empty = targets.row_empty(r)
    stored = isinstance(r, targets.AggregateRow)
    return {
        "id": t.pk, "ten": t.name, "don_vi_giao_id": t.unit_id, "don_vi_giao": t.unit.name,
        "pham_vi_id": t.scope_unit_id, "pham_vi": t.scope_unit.name, "ke_hoach_id": t.plan_id,
        "han": t.due_on, "cong_thuc": t.formula, "do_don_vi_nhap": t.entered_by_units,
        "chi_tieu": t.goal, "gia_tri": r.measure.value, "tu_so": r.measure.numerator,
        "mau_so": r.measure.denominator, "don_vi_tinh": r.unit_label,
        "dat": rules.met_or_none(r.measure.value, t.goal, empty=empty),
        "chua_co_so_lieu": empty, "nam_truoc": r.previous, "xu_huong": r.trend,
        "so_lieu_luu": stored, "ngay_do": r.measured_on if stored else None,
        "tinh_luc": r.computed_at if stored else None,
        "dang_tinh_lai": bool(r.stale) if stored else False,
    }


class UnitTargets(ApiView):
    @extend_schema(
        operation_id="don_vi_chi_tieu",
        tags=[TAG], summary=gettext_lazy("Các chỉ tiêu của một đơn vị"),
        description=gettext_lazy(
            "Như bảng chỉ tiêu của đơn vị: các chỉ tiêu áp dụng cho đơn vị (giao cho nó hoặc "
            "một đơn vị trên nó), mỗi chỉ tiêu đo tại đơn vị với giá trị, đạt hay chưa, xu hướng; "
            "đọc từ số liệu đã tính sẵn, kèm lúc tính và cờ đang chờ tính lại. ?nam= chỉ các "
            "chỉ tiêu có thời hạn trong năm đó. Theo mã số tăng dần. 404 như nhau cho đơn vị "
            "không có và ngoài phạm vi."),
        parameters=[OpenApiParameter("nam", int, description=gettext_lazy(
            "Năm của thời hạn (2000–2100).")), *CURSOR_PARAMETERS],
        responses={200: paginated(TargetSerializer), **errors(400, 404)})
    def get(self, request: Request, pk: int) -> Response:
        scope = self.scope()
        unit = org.unit_get(scope=scope, pk=pk, perm=READ)
        year = int_param(request, "nam", minimum=2000, maximum=2100)
        after = decode_cursor(request, [int])
        limit = page_size(request)
        rows = sorted((r for r in targets.target_rows_from_aggregates(scope=scope, unit=unit)
                       if (year is None or r.target.due_on.year == year)
                       and (after is None or r.target.pk > after[0])),
                      key=lambda r: r.target.pk)
        page = rows[:limit]
        cursor = encode_cursor([page[-1].target.pk]) if len(rows) > limit and page else None
        return list_response(request, TargetSerializer([_row(r) for r in page],
                                                       many=True).data, cursor)


def _child(f: Any, goal: Decimal) -> dict[str, Any]:
    part = None if f.empty else f.part
    return {"don_vi_id": f.unit.pk, "don_vi": f.unit.name,
            "gia_tri": part.value if part else None,
            "tu_so": part.numerator if part else None,
            "mau_so": part.denominator if part else None,
            "dat": rules.is_met(part.value, goal) if part else None}


class UnitTarget(ApiView):
    @extend_schema(
        operation_id="don_vi_chi_tieu_chi_tiet",
        tags=[TAG], summary=gettext_lazy("Một chỉ tiêu tại một đơn vị"),
        description=gettext_lazy(
            "Như trang của chỉ tiêu: giá trị tại đơn vị (số liệu đã tính sẵn như bảng chỉ "
            "tiêu), từng đơn vị trực thuộc vào ngày đo (các đơn vị chưa có số liệu ghi rõ), "
            "giá trị qua các năm, và kết quả các đơn vị đã nhập. 404 như nhau cho đơn vị hoặc "
            "chỉ tiêu không có, ngoài phạm vi hoặc không áp dụng cho đơn vị."),
        responses={200: TargetDetailSerializer, **errors(404)})
    def get(self, request: Request, pk: int, target: int) -> Response:
        scope = self.scope()
        unit = org.unit_get(scope=scope, pk=pk, perm=READ)
        row = next((r for r in targets.target_rows_from_aggregates(scope=scope, unit=unit)
                    if r.target.pk == target), None)
        if row is None:
            raise Http404(_("Không tìm thấy chỉ tiêu."))
        t = row.target
        day = targets.measurement_day(t, today())
        entries: list[dict[str, Any]] = []
        if t.entered_by_units:
            found = targets.entries_of(scope=scope, target=t)
            for u in targets.expected_units(target=t, unit=unit,
                                            day=targets.measured_on(t, today())):
                e = found.get(u.pk)
                entries.append({"don_vi_id": u.pk, "don_vi": u.name,
                                "gia_tri": e.value if e else None,
                                "ngay_nhap": e.entered_on if e else None})
        data = {
            **_row(row), "don_vi_xem_id": unit.pk, "ngay_xem": day,
            "don_vi_truc_thuoc": [_child(f, t.goal) for f in targets.child_figures(
                row=row, unit=unit, day=day)],
            "theo_nam": [{"nam": p.year, "gia_tri": p.value, "chua_co_so_lieu": p.empty}
                         for p in targets.target_points(scope=scope, unit=unit, target=t)],
            "ket_qua_nhap": entries,
        }
        return Response(TargetDetailSerializer(data).data)
