"""Members in the API: the members list page's search (members.api.member_search) and one
membership, under person-level scope (a field a row may not show is blank)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.members import api as members

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

TAG: str = gettext_lazy("Đoàn viên")  # type: ignore[assignment]  # a lazy str


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        help_text=gettext_lazy("Mã số lần sinh hoạt (đoàn viên ở một chi đoàn)."))
    ho_ten = serializers.CharField(help_text=gettext_lazy("Họ và tên."))
    ngay_sinh = serializers.DateField(allow_null=True, help_text=gettext_lazy("Ngày sinh."))
    gioi_tinh = serializers.CharField(help_text=gettext_lazy("“nam”, “nu” hoặc trống."))
    chi_doan_id = serializers.IntegerField(help_text=gettext_lazy("Mã số chi đoàn sinh hoạt."))
    chi_doan = serializers.CharField(help_text=gettext_lazy("Tên chi đoàn sinh hoạt."))
    trang_thai = serializers.CharField(
        help_text=gettext_lazy("Mã tình trạng, ví dụ “dang_sinh_hoat”."))
    trang_thai_ten = serializers.CharField(help_text=gettext_lazy("Tình trạng, tiếng Việt."))
    la_noi_hien_tai = serializers.BooleanField(help_text=gettext_lazy(
        "Đây là nơi sinh hoạt hiện tại của người này."))
    vao_doan_ngay = serializers.DateField(help_text=gettext_lazy("Ngày vào Đoàn."))
    so_the = serializers.CharField(help_text=gettext_lazy("Số thẻ đoàn viên."))
    sinh_hoat_tu = serializers.DateField(help_text=gettext_lazy("Sinh hoạt tại chi đoàn từ ngày."))
    den_ngay = serializers.DateField(allow_null=True,
                                     help_text=gettext_lazy("Đến ngày (nếu đã thôi)."))
    xem_ho_so = serializers.BooleanField(help_text=gettext_lazy(
        "Bạn được xem hồ sơ cá nhân của người này (false: chỉ giai đoạn sinh hoạt tại đơn vị "
        "của bạn, các trường cá nhân để trống)."))
    dien_thoai = serializers.CharField(
        help_text=gettext_lazy("Điện thoại (trống nếu không được xem)."))
    email = serializers.CharField(help_text=gettext_lazy("Thư điện tử (trống nếu không được xem)."))
    cccd = serializers.CharField(help_text=gettext_lazy("Số CCCD (trống nếu không được xem)."))


def _row(m: Any, full: bool) -> dict[str, Any]:
    person = m.person
    return {
        "id": m.pk, "ho_ten": person.full_name, "ngay_sinh": person.birth_date,
        "gioi_tinh": person.gender, "chi_doan_id": m.branch_id, "chi_doan": m.branch.name,
        "trang_thai": m.status, "trang_thai_ten": str(m.get_status_display()),
        "la_noi_hien_tai": m.is_current, "vao_doan_ngay": m.joined_union_on,
        "so_the": m.card_number, "sinh_hoat_tu": m.started_on, "den_ngay": m.ended_on,
        "xem_ho_so": full,
        "dien_thoai": person.phone if full else "",
        "email": person.email if full else "",
        "cccd": (person.cccd or "") if full else "",
    }


FILTERS = [
    OpenApiParameter("don_vi", int, description=gettext_lazy(
        "Đơn vị (và các cấp dưới); bỏ trống là đơn vị gốc của bạn.")),
    OpenApiParameter("q", str, description=gettext_lazy(
        "Tìm theo họ tên không dấu (đầu các chữ), hoặc số điện thoại / CCCD.")),
    OpenApiParameter("trang_thai", str, description=gettext_lazy(
        "Tình trạng; bỏ trống là đang sinh hoạt, “tat_ca” là mọi tình trạng.")),
    OpenApiParameter("tuoi", str, description=gettext_lazy("Độ tuổi, như trang danh sách.")),
    OpenApiParameter("gioi_tinh", str, description=gettext_lazy("“nam” hoặc “nu”.")),
]


class MemberList(ApiView):
    @extend_schema(
        operation_id="doan_vien_danh_sach",
        tags=[TAG], summary=gettext_lazy("Danh sách đoàn viên"),
        description=gettext_lazy(
            "Cùng bộ lọc và cách tìm như trang danh sách đoàn viên, xếp theo họ tên; trang theo "
            "con trỏ. Dòng của người nay sinh hoạt ở đơn vị ngoài phạm vi của bạn để trống các "
            "trường cá nhân."),
        parameters=[*FILTERS, *CURSOR_PARAMETERS],
        responses={200: paginated(MemberSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        scope = self.scope()
        filters, problems = members.member_filters(request.query_params)
        if problems:
            raise exceptions.ValidationError(problems)
        unit_id = int_param(request, "don_vi")  # blank or not a number: a 400 naming it
        raw_unit = "" if unit_id is None else str(unit_id)
        unit = members.member_list_unit(scope=scope, raw=raw_unit)
        if raw_unit and unit is None:
            raise exceptions.ValidationError(
                {"don_vi": [_("Không tìm thấy đơn vị này trong phạm vi của bạn.")]})
        cursor = decode_cursor(request, [str, int])
        after = (cursor[0], cursor[1]) if cursor else None
        try:
            page = members.member_search(scope=scope, unit=unit, filters=filters, after=after,
                                         limit=page_size(request))
        except members.search_too_broad() as exc:
            raise exceptions.ValidationError({"q": [str(getattr(exc, "message", exc))]}) from None
        data = [_row(m, m.pk in page.full) for m in page.rows]
        last = page.rows[-1] if page.rows else None
        next_cursor = (encode_cursor([last.name_folded, last.pk])
                       if page.more and last is not None else None)
        return list_response(request, MemberSerializer(data, many=True).data, next_cursor)


class MemberDetail(ApiView):
    @extend_schema(
        operation_id="doan_vien_chi_tiet",
        tags=[TAG], summary=gettext_lazy("Một đoàn viên (một lần sinh hoạt)"),
        description=gettext_lazy(
            "404 như nhau cho mã không có và ngoài phạm vi. Đơn vị cũ của người đã chuyển đi "
            "chỉ thấy giai đoạn của mình: các trường cá nhân để trống."),
        responses={200: MemberSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        member, full = members.member_read_get(scope=self.scope(), pk=pk)
        return Response(MemberSerializer(_row(member, full)).data)
