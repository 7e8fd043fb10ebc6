"""Field visits (đi cơ sở) in the API: the visits a reader reads, one visit with its plan slot,
places, log and report, and the compliance of a year — per cadre (the stored rows the agency
table shows) and per unit (the roll-up of the units below).

`VisitSerializer`, `VisitDetailSerializer`, `visit_row` and `visit_detail_row` are the one
shape of a visit: an endpoint that writes visits answers with them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.common.dates import DateInputError, read_date, today
from doanvu.fieldvisits import rules
from doanvu.fieldvisits import selectors as fieldvisits
from doanvu.fieldvisits.compliance import visit_fact
from doanvu.org import selectors as org

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

TAG: str = gettext_lazy("Đi cơ sở")  # type: ignore[assignment]  # a lazy str
YEARS = (2000, 2100)


# -- shapes ---------------------------------------------------------------------------------------


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số đơn vị đến."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên đơn vị đến."))


class VisitSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số chuyến đi."))
    can_bo_id = serializers.IntegerField(help_text=gettext_lazy("Mã số cán bộ đi cơ sở."))
    can_bo = serializers.CharField(help_text=gettext_lazy("Họ tên cán bộ."))
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy(
        "Cơ quan cán bộ công tác khi đi (đơn vị ghi nhận chuyến đi)."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên cơ quan đó."))
    phong_ban_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Phòng, ban của cán bộ (null: Thường trực, lãnh đạo)."))
    phong_ban = serializers.CharField(help_text=gettext_lazy("Tên phòng, ban."))
    noi_dung = serializers.CharField(help_text=gettext_lazy("Mã nội dung đi cơ sở (1.1 … 1.6)."))
    noi_dung_ten = serializers.CharField(help_text=gettext_lazy("Nội dung, tiếng Việt."))
    tu_ngay = serializers.DateField(help_text=gettext_lazy("Từ ngày."))
    den_ngay = serializers.DateField(help_text=gettext_lazy("Đến ngày."))
    so_ngay = serializers.IntegerField(help_text=gettext_lazy("Số ngày dương lịch của chuyến."))
    noi_den = PlaceSerializer(many=True, help_text=gettext_lazy("Các đơn vị đến."))
    chi_du_theo_thu_moi = serializers.BooleanField(help_text=gettext_lazy(
        "Chỉ dự theo thư mời của cơ sở (không được tính)."))
    cong_tac_phi = serializers.IntegerField(help_text=gettext_lazy("Công tác phí (đồng)."))
    han_bao_cao = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Hạn nộp báo cáo kết quả."))
    ngay_bao_cao = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Ngày nộp báo cáo; null khi chưa nộp."))
    bao_cao_tre = serializers.BooleanField(help_text=gettext_lazy("Báo cáo nộp sau hạn."))
    trang_thai = serializers.ChoiceField(choices=fieldvisits.VISIT_STATES, help_text=gettext_lazy(
        "Trạng thái báo cáo: chua-bao-cao, da-bao-cao, bao-cao-tre, qua-han (chưa nộp mà đã "
        "quá hạn)."))


class PlanSlotSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số dòng kế hoạch."))
    ke_hoach_id = serializers.IntegerField(help_text=gettext_lazy("Mã số kế hoạch quý."))
    nam = serializers.IntegerField(help_text=gettext_lazy("Năm của kế hoạch."))
    quy = serializers.IntegerField(help_text=gettext_lazy("Quý của kế hoạch."))
    tu_ngay = serializers.DateField(help_text=gettext_lazy("Từ ngày dự kiến."))
    den_ngay = serializers.DateField(help_text=gettext_lazy("Đến ngày dự kiến."))
    noi_den_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị dự kiến đến."))
    noi_den = serializers.CharField(help_text=gettext_lazy("Tên đơn vị dự kiến đến."))
    phan_cong = serializers.BooleanField(help_text=gettext_lazy("Do Thường trực phân công."))


class FileSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số tệp."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên tệp."))
    anh = serializers.BooleanField(help_text=gettext_lazy("Là ảnh."))
    dung_luong = serializers.IntegerField(help_text=gettext_lazy("Dung lượng (byte)."))


class VisitDetailSerializer(VisitSerializer):
    giay_di_duong = serializers.CharField(help_text=gettext_lazy(
        "Giấy đi đường / quyết định cử."))
    noi_dung_da_lam = serializers.CharField(help_text=gettext_lazy("Nội dung đã làm."))
    bao_cao = serializers.CharField(help_text=gettext_lazy("Báo cáo kết quả."))
    de_xuat = serializers.CharField(help_text=gettext_lazy("Đề xuất, kiến nghị."))
    khong_tinh = serializers.CharField(help_text=gettext_lazy(
        "Vì sao chuyến đi chưa hoặc không được tính; trống khi được tính."))
    ke_hoach = PlanSlotSerializer(allow_null=True, help_text=gettext_lazy(
        "Dòng kế hoạch quý mà chuyến đi thực hiện (null: ngoài kế hoạch)."))
    dot_cao_diem_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Đợt cao điểm (Tháng Thanh niên) của chuyến đi."))
    dot_cao_diem = serializers.CharField(help_text=gettext_lazy("Tên đợt cao điểm."))
    tep = FileSerializer(many=True, help_text=gettext_lazy("Ảnh và tệp đính kèm."))
    ghi_luc = serializers.DateTimeField(help_text=gettext_lazy("Ghi lúc."))


def _state(visit: Any, day: dt.date) -> str:
    if visit.reported_on is not None:
        return "bao-cao-tre" if visit.report_late else "da-bao-cao"
    if visit.report_due is not None and visit.report_due < day:
        return "qua-han"
    return "chua-bao-cao"


def visit_row(visit: Any, day: dt.date | None = None) -> dict[str, Any]:
    """A visit as `VisitSerializer` shows it (its person, unit, department and places read
    with it: `fieldvisits.selectors.visit_list`, `visit_get`)."""
    return {
        "id": visit.pk, "can_bo_id": visit.person_id, "can_bo": visit.person.full_name,
        "don_vi_id": visit.unit_id, "don_vi": visit.unit.name,
        "phong_ban_id": visit.department_id,
        "phong_ban": visit.department.name if visit.department_id else "",
        "noi_dung": visit.kind, "noi_dung_ten": str(visit.get_kind_display()),
        "tu_ngay": visit.start_date, "den_ngay": visit.end_date,
        "so_ngay": (visit.end_date - visit.start_date).days + 1,
        "noi_den": [{"id": p.pk, "ten": p.name} for p in visit.places.all()],
        "chi_du_theo_thu_moi": visit.invitation_only, "cong_tac_phi": int(visit.cost),
        "han_bao_cao": visit.report_due, "ngay_bao_cao": visit.reported_on,
        "bao_cao_tre": visit.report_late, "trang_thai": _state(visit, day or today()),
    }


def visit_detail_row(visit: Any) -> dict[str, Any]:
    """A visit as `VisitDetailSerializer` shows it: the list's fields, the log, the report,
    why it does not count (the regime in force where and when it was made), its plan slot."""
    policy = fieldvisits.policy_for(unit=visit.unit, day=visit.start_date)
    why = rules.why_not_counted(rules.RegimePolicy.of(policy), visit_fact(visit)) \
        if policy is not None else ""
    line = visit.planned
    return {
        **visit_row(visit),
        "giay_di_duong": visit.travel_order, "noi_dung_da_lam": visit.activities,
        "bao_cao": visit.report, "de_xuat": visit.proposals, "khong_tinh": why,
        "ke_hoach": None if line is None else {
            "id": line.pk, "ke_hoach_id": line.plan_id, "nam": line.plan.year,
            "quy": line.plan.quarter, "tu_ngay": line.start_date, "den_ngay": line.end_date,
            "noi_den_id": line.place_id, "noi_den": line.place.name,
            "phan_cong": line.assigned},
        "dot_cao_diem_id": visit.campaign_id,
        "dot_cao_diem": visit.campaign.name if visit.campaign_id else "",
        "tep": [{"id": f.pk, "ten": f.name, "anh": f.is_photo, "dung_luong": f.size}
                for f in visit.files.order_by("pk")],
        "ghi_luc": visit.created_at,
    }


# -- parameters -----------------------------------------------------------------------------------


def date_param(request: Request, name: str, label: str) -> dt.date | None:
    """`?<name>=` as a day (dd/mm/yyyy or yyyy-mm-dd, common.dates.read_date): None when
    absent; a day that does not exist or junk is a 400 naming the parameter."""
    raw = text_param(request, name, limit=40)
    if not raw:
        return None
    try:
        return read_date(raw, field=label)
    except DateInputError as exc:
        raise exceptions.ValidationError({name: [exc.message]}) from None


def year_param(request: Request) -> int:
    """`?nam=`: this year when absent; outside 2000–2100 or not a number, a 400 naming it."""
    return int_param(request, "nam", minimum=YEARS[0], maximum=YEARS[1]) or today().year


YEAR_PARAMETER = OpenApiParameter("nam", int, description=gettext_lazy(
    "Năm (2000–2100); bỏ trống là năm nay."))


# -- visits ---------------------------------------------------------------------------------------


class VisitList(ApiView):
    @extend_schema(
        operation_id="di_co_so_danh_sach",
        tags=[TAG], summary=gettext_lazy("Các chuyến đi cơ sở"),
        description=gettext_lazy(
            "Các chuyến đi bạn được xem: của cơ quan bạn được xem (đơn vị ghi nhận chuyến đi) "
            "và của chính bạn; lọc theo một cán bộ mà bạn được xem hồ sơ thì có cả các chuyến "
            "của cán bộ đó ở cơ quan trước. Theo mã số tăng dần."),
        parameters=[
            OpenApiParameter("can_bo", int, description=gettext_lazy("Mã số cán bộ.")),
            OpenApiParameter("don_vi", int, description=gettext_lazy(
                "Cơ quan ghi nhận chuyến đi.")),
            OpenApiParameter("noi_den", int, description=gettext_lazy("Một đơn vị đã đến.")),
            OpenApiParameter("tu", str, description=gettext_lazy(
                "Các chuyến còn diễn ra từ ngày này (dd/mm/yyyy).")),
            OpenApiParameter("den", str, description=gettext_lazy(
                "Các chuyến bắt đầu đến ngày này (dd/mm/yyyy).")),
            OpenApiParameter("trang_thai", str, enum=list(fieldvisits.VISIT_STATES),
                             description=gettext_lazy(
                                 "Trạng thái báo cáo: chua-bao-cao là mọi chuyến chưa nộp báo "
                                 "cáo (kể cả quá hạn), qua-han là chưa nộp mà đã quá hạn.")),
            *CURSOR_PARAMETERS],
        responses={200: paginated(VisitSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        state = choice_param(request, "trang_thai", list(fieldvisits.VISIT_STATES))
        start = date_param(request, "tu", _("Từ ngày"))
        end = date_param(request, "den", _("Đến ngày"))
        if start is not None and end is not None and end < start:
            raise exceptions.ValidationError({"den": [_(
                "Ngày “đến” phải từ ngày “từ” trở đi.")]})
        filters = fieldvisits.VisitFilter(
            person_id=int_param(request, "can_bo"), unit_id=int_param(request, "don_vi"),
            place_id=int_param(request, "noi_den"), start=start, end=end, state=state)
        rows, cursor = keyset_page(request, fieldvisits.visit_list(scope=self.scope(),
                                                                   filters=filters))
        day = today()
        return list_response(request, VisitSerializer([visit_row(v, day) for v in rows],
                                                      many=True).data, cursor)


class VisitDetail(ApiView):
    @extend_schema(
        operation_id="di_co_so_chi_tiet", tags=[TAG], summary=gettext_lazy("Một chuyến đi cơ sở"),
        description=gettext_lazy(
            "Chuyến đi với nơi đến, nội dung đã làm, báo cáo, dòng kế hoạch quý và lý do không "
            "được tính; cho người đọc hồ sơ của cán bộ hoặc của cơ quan ghi nhận chuyến đi. "
            "404 như nhau cho chuyến đi không có và ngoài phạm vi."),
        responses={200: VisitDetailSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        visit = fieldvisits.visit_get(scope=self.scope(), pk=pk)
        return Response(VisitDetailSerializer(visit_detail_row(visit)).data)


# -- compliance -----------------------------------------------------------------------------------


class ComplianceSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số dòng kết quả."))
    nam = serializers.IntegerField(help_text=gettext_lazy("Năm."))
    can_bo_id = serializers.IntegerField(help_text=gettext_lazy("Mã số cán bộ."))
    can_bo = serializers.CharField(help_text=gettext_lazy("Họ tên cán bộ."))
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Cơ quan của cán bộ."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên cơ quan."))
    phong_ban_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Phòng, ban (null: Thường trực, lãnh đạo)."))
    phong_ban = serializers.CharField(help_text=gettext_lazy("Tên phòng, ban."))
    che_do_id = serializers.IntegerField(help_text=gettext_lazy("Chế độ đi cơ sở áp dụng."))
    khong_ap_dung = serializers.BooleanField(help_text=gettext_lazy(
        "Cán bộ không phải đi cơ sở năm này."))
    phai_di = serializers.IntegerField(help_text=gettext_lazy("Số ngày phải đi."))
    cach_tinh = serializers.CharField(help_text=gettext_lazy("Cách tính số ngày phải đi."))
    da_di = serializers.IntegerField(help_text=gettext_lazy("Số ngày được tính."))
    theo_cap = serializers.DictField(child=serializers.IntegerField(), help_text=gettext_lazy(
        "Số ngày theo cấp (mã cấp → số ngày)."))
    theo_thang = serializers.ListField(child=serializers.IntegerField(), help_text=gettext_lazy(
        "Số ngày theo tháng, tháng 1 đến tháng 12."))
    sinh_hoat_chi_doan = serializers.IntegerField(help_text=gettext_lazy(
        "Số lần dự sinh hoạt chi đoàn."))
    o_co_so_phan_cong = serializers.IntegerField(help_text=gettext_lazy(
        "Số ngày ở cơ sở được phân công (1+2)."))
    chua_bao_cao = serializers.IntegerField(help_text=gettext_lazy("Số chuyến chưa báo cáo."))
    cong_tac_phi = serializers.IntegerField(help_text=gettext_lazy("Công tác phí (đồng)."))
    dat = serializers.BooleanField(help_text=gettext_lazy("Đạt."))
    con_thieu = serializers.CharField(help_text=gettext_lazy("Còn thiếu gì."))
    tinh_luc = serializers.DateTimeField(help_text=gettext_lazy("Kết quả được tính lúc."))


def _compliance_row(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk, "nam": r.year, "can_bo_id": r.person_id, "can_bo": r.person.full_name,
        "don_vi_id": r.unit_id, "don_vi": r.unit.name, "phong_ban_id": r.department_id,
        "phong_ban": r.department.name if r.department_id else "",
        "che_do_id": r.policy_id, "khong_ap_dung": r.exempt, "phai_di": r.required_days,
        "cach_tinh": r.requirement_text, "da_di": r.counted_days,
        "theo_cap": {str(k): int(v) for k, v in (r.days_by_level or {}).items()},
        "theo_thang": [int(n) for n in (r.days_by_month or [])],
        "sinh_hoat_chi_doan": r.branch_meetings, "o_co_so_phan_cong": r.assigned_unit_days,
        "chua_bao_cao": r.unreported, "cong_tac_phi": int(r.cost), "dat": r.met,
        "con_thieu": r.missing, "tinh_luc": r.computed_at,
    }


class ComplianceList(ApiView):
    @extend_schema(
        operation_id="di_co_so_tuan_thu",
        tags=[TAG], summary=gettext_lazy("Kết quả đi cơ sở của cán bộ trong năm"),
        description=gettext_lazy(
            "Kết quả đã tính của từng cán bộ (như bảng kết quả của cơ quan): số ngày phải đi, "
            "đã đi, theo cấp, theo tháng, đạt hay chưa; của các cơ quan bạn được xem và của "
            "chính bạn. Theo mã số tăng dần; “tinh_luc” cho biết lúc tính."),
        parameters=[
            YEAR_PARAMETER,
            OpenApiParameter("don_vi", int, description=gettext_lazy("Cơ quan của cán bộ.")),
            OpenApiParameter("can_bo", int, description=gettext_lazy("Mã số cán bộ.")),
            OpenApiParameter("phong_ban", int, description=gettext_lazy("Phòng, ban.")),
            *CURSOR_PARAMETERS],
        responses={200: paginated(ComplianceSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        qs = fieldvisits.compliance_list(
            scope=self.scope(), year=year_param(request), unit_id=int_param(request, "don_vi"),
            person_id=int_param(request, "can_bo"),
            department_id=int_param(request, "phong_ban"))
        rows, cursor = keyset_page(request, qs)
        return list_response(request, ComplianceSerializer(
            [_compliance_row(r) for r in rows], many=True).data, cursor)


class RollupRowSerializer(serializers.Serializer):
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Mã số đơn vị."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị."))
    can_bo = serializers.IntegerField(help_text=gettext_lazy(
        "Số cán bộ của cơ quan đơn vị và các cơ quan dưới nó."))
    dat = serializers.IntegerField(help_text=gettext_lazy("Số cán bộ đạt."))
    chua_dat = serializers.IntegerField(help_text=gettext_lazy("Số cán bộ chưa đạt."))
    khong_ap_dung = serializers.IntegerField(help_text=gettext_lazy(
        "Số cán bộ không phải đi."))
    ty_le_dat = serializers.FloatField(help_text=gettext_lazy(
        "Tỷ lệ đạt trên số cán bộ phải đi (0 đến 1)."))
    so_ngay = serializers.IntegerField(help_text=gettext_lazy("Tổng số ngày được tính."))
    cong_tac_phi = serializers.IntegerField(help_text=gettext_lazy("Công tác phí (đồng)."))


class UnitComplianceSerializer(serializers.Serializer):
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị xem."))
    nam = serializers.IntegerField(help_text=gettext_lazy("Năm."))
    tinh_luc = serializers.DateTimeField(allow_null=True, help_text=gettext_lazy(
        "Lần tính cũ nhất của các dòng cộng lại; null khi chưa tính."))
    cac_don_vi = RollupRowSerializer(many=True, help_text=gettext_lazy(
        "Cơ quan của đơn vị trước, rồi từng đơn vị trực thuộc (cộng cả các cấp dưới nó)."))
    tong = RollupRowSerializer(help_text=gettext_lazy("Cộng."))


def _rollup_row(r: Any) -> dict[str, Any]:
    return {"don_vi_id": r.unit.pk, "don_vi": r.unit.name, "can_bo": r.cadres, "dat": r.met,
            "chua_dat": r.not_met, "khong_ap_dung": r.exempt, "ty_le_dat": round(r.share, 4),
            "so_ngay": r.days, "cong_tac_phi": int(r.cost)}


class UnitCompliance(ApiView):
    @extend_schema(
        operation_id="di_co_so_tuan_thu_don_vi",
        tags=[TAG], summary=gettext_lazy("Tổng hợp kết quả đi cơ sở của một đơn vị"),
        description=gettext_lazy(
            "Như trang tổng hợp: cơ quan của đơn vị và từng đơn vị trực thuộc, số cán bộ đạt, "
            "chưa đạt, không phải đi trong năm; cho người xem đơn vị. 404 như nhau cho đơn vị "
            "không có và ngoài phạm vi."),
        parameters=[YEAR_PARAMETER],
        responses={200: UnitComplianceSerializer, **errors(400, 404)})
    def get(self, request: Request, pk: int) -> Response:
        unit = org.unit_get(scope=self.scope(), pk=pk)
        year = year_param(request)
        rows, total = fieldvisits.rollup_rows(unit, year)
        return Response(UnitComplianceSerializer({
            "don_vi_id": unit.pk, "nam": year,
            "tinh_luc": fieldvisits.compliance_computed_at(unit=unit, year=year),
            "cac_don_vi": [_rollup_row(r) for r in rows], "tong": _rollup_row(total)}).data)
