"""Field visits pushed by a province's system (issue 16, API-1; FV-2, FV-6, FV-9): record a visit
(`POST di-co-so/`) and file its report (`POST di-co-so/<id>/bao-cao/`), through the same
services as the pages' "Ghi chuyến đi cơ sở" form and report step (`fieldvisits.visits`).

The service checks everything — the cadre's post and the agency's reach, dates (none in the
future, a closed year, days of an exempting leave), the kind the regime lets the cadre choose
or the quarter's plan assigned, cost, lengths — and its Vietnamese refusal is answered as a 400
on the body's field. Places are read only below the cadre's agency (`selectors.visit_places`):
an id outside it is refused without its name. A resend with the same `ma_gui` answers the visit
already made (200), never a second one."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.fieldvisits import selectors as fv_selectors
from doanvu.fieldvisits import visits
from doanvu.fieldvisits.models import Visit, VisitKind

from ..base import ApiView, DateField, StrictSerializer, errors
from .fieldvisits import VisitList

TAG: str = gettext_lazy("Đi cơ sở")  # type: ignore[assignment]  # a lazy str

MAX_PLACES = 50

# the service's field → the body's
FIELDS = {"start_date": "tu_ngay", "end_date": "den_ngay", "places": "don_vi_den",
          "kind": "loai", "invitation_only": "chi_du_theo_thu_moi",
          "travel_order": "giay_di_duong", "activities": "noi_dung_da_lam",
          "cost": "cong_tac_phi", "client_key": "ma_gui", "report": "ket_qua",
          "proposals": "de_xuat"}


# -- bodies ---------------------------------------------------------------------------------------


class VisitLogSerializer(StrictSerializer):
    can_bo = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1,
        help_text=gettext_lazy(
            "Mã số cán bộ đã đi (bỏ trống: cán bộ gắn với tài khoản của khóa). Cán bộ tự ghi, "
            "hoặc người có quyền ghi ở đơn vị quản lý cán bộ."))
    tu_ngay = DateField(label=gettext_lazy("ngày bắt đầu"), help_text=gettext_lazy(
        "Ngày bắt đầu chuyến đi (dd/mm/yyyy), không sau hôm nay."))
    den_ngay = DateField(required=False, label=gettext_lazy("ngày kết thúc"),
                         help_text=gettext_lazy(
                             "Ngày kết thúc (dd/mm/yyyy); bỏ trống nếu đi trong một ngày."))
    don_vi_den = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1, error_messages=dict(
            invalid=gettext_lazy("Hãy gửi mã số đơn vị (số nguyên)."),
            min_value=gettext_lazy("Mã số đơn vị phải lớn hơn 0."),
            max_value=gettext_lazy("Mã số đơn vị quá lớn."))),
        min_length=1, max_length=MAX_PLACES, error_messages=dict(
            empty=gettext_lazy("Hãy chọn ít nhất một đơn vị đã đến."),
            min_length=gettext_lazy("Hãy chọn ít nhất một đơn vị đã đến."),
            max_length=gettext_lazy("Mỗi chuyến đi ghi tối đa {max_length} đơn vị.")),
        help_text=gettext_lazy(
            "Mã số các đơn vị đã đến, đều là đơn vị cấp dưới của cơ quan cán bộ công tác."))
    loai = serializers.ChoiceField(choices=VisitKind.choices, help_text=gettext_lazy(
        "Nội dung chuyến đi (mã 1.1 … 1.6): một nội dung chế độ cho cán bộ tự chọn, hoặc được "
        "phân công trong kế hoạch quý."))
    chi_du_theo_thu_moi = serializers.BooleanField(
        required=False, default=False, help_text=gettext_lazy(
            "Chỉ dự hoạt động theo thư mời của đoàn cấp dưới: được ghi nhưng không tính."))
    giay_di_duong = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=120,
        help_text=gettext_lazy("Giấy đi đường / quyết định cử."))
    noi_dung_da_lam = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000,
        help_text=gettext_lazy("Nội dung đã làm, kết quả nắm được."))
    cong_tac_phi = serializers.IntegerField(
        required=False, default=0, min_value=0, max_value=int(visits.MAX_COST),
        help_text=gettext_lazy("Công tác phí (đồng)."))
    ma_gui = serializers.UUIDField(required=False, help_text=gettext_lazy(
        "Mã gửi (UUID) do hệ thống gửi tự tạo: gửi lại cùng mã trả về chuyến đi đã ghi, không "
        "tạo bản trùng."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ma_gui"].error_messages["invalid"] = _(
            "Mã gửi phải là một UUID, ví dụ 3f2b8c1e-5d4a-4b7e-9c0d-1a2b3c4d5e6f.")


class VisitReportSerializer(StrictSerializer):
    ket_qua = serializers.CharField(max_length=10000, help_text=gettext_lazy(
        "Kết quả chuyến đi (báo cáo)."))
    de_xuat = serializers.CharField(required=False, allow_blank=True, default="",
                                    max_length=5000,
                                    help_text=gettext_lazy("Đề xuất, kiến nghị."))


# -- the answer -----------------------------------------------------------------------------------


class WrittenPlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số đơn vị."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên đơn vị."))


class VisitWrittenSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số chuyến đi."))
    can_bo_id = serializers.IntegerField(help_text=gettext_lazy("Mã số cán bộ."))
    can_bo = serializers.CharField(help_text=gettext_lazy("Họ tên cán bộ."))
    co_quan_id = serializers.IntegerField(help_text=gettext_lazy(
        "Đơn vị có cơ quan cán bộ công tác khi đi (nơi chuyến đi được tính)."))
    ban_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Ban của cán bộ khi đi (null nếu không thuộc ban nào)."))
    loai = serializers.CharField(help_text=gettext_lazy("Mã nội dung chuyến đi."))
    loai_ten = serializers.CharField(help_text=gettext_lazy("Tên nội dung chuyến đi."))
    tu_ngay = serializers.DateField(help_text=gettext_lazy("Ngày bắt đầu."))
    den_ngay = serializers.DateField(help_text=gettext_lazy("Ngày kết thúc."))
    don_vi_den = WrittenPlaceSerializer(many=True, help_text=gettext_lazy("Các đơn vị đã đến."))
    chi_du_theo_thu_moi = serializers.BooleanField(help_text=gettext_lazy(
        "Chỉ dự theo thư mời của cơ sở (không tính)."))
    giay_di_duong = serializers.CharField(help_text=gettext_lazy(
        "Giấy đi đường / quyết định cử."))
    noi_dung_da_lam = serializers.CharField(help_text=gettext_lazy("Nội dung đã làm."))
    cong_tac_phi = serializers.IntegerField(help_text=gettext_lazy("Công tác phí (đồng)."))
    theo_ke_hoach_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Dòng kế hoạch quý được phân công mà chuyến đi thực hiện (null nếu tự chọn)."))
    ma_gui = serializers.UUIDField(help_text=gettext_lazy("Mã gửi của chuyến đi."))
    han_bao_cao = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Hạn nộp báo cáo kết quả chuyến đi."))
    ngay_bao_cao = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Ngày nộp báo cáo (null: chưa báo cáo; chuyến đi chỉ được tính khi đã báo cáo)."))
    bao_cao_tre_han = serializers.BooleanField(help_text=gettext_lazy(
        "Báo cáo nộp sau hạn (chuyến đi được tính từ ngày báo cáo)."))
    ket_qua = serializers.CharField(help_text=gettext_lazy("Kết quả chuyến đi (báo cáo)."))
    de_xuat = serializers.CharField(help_text=gettext_lazy("Đề xuất, kiến nghị."))


def visit_row(v: Visit) -> dict[str, Any]:
    return {"id": v.pk, "can_bo_id": v.person_id, "can_bo": v.person.full_name,
            "co_quan_id": v.unit_id, "ban_id": v.department_id, "loai": v.kind,
            "loai_ten": str(VisitKind(v.kind).label), "tu_ngay": v.start_date,
            "den_ngay": v.end_date,
            "don_vi_den": [{"id": p.pk, "ten": p.name}
                           for p in v.places.order_by("path", "pk").only("pk", "name")],
            "chi_du_theo_thu_moi": v.invitation_only, "giay_di_duong": v.travel_order,
            "noi_dung_da_lam": v.activities, "cong_tac_phi": int(v.cost),
            "theo_ke_hoach_id": v.planned_id, "ma_gui": v.client_key,
            "han_bao_cao": v.report_due, "ngay_bao_cao": v.reported_on,
            "bao_cao_tre_han": v.report_late, "ket_qua": v.report, "de_xuat": v.proposals}


def refusal(exc: visits.VisitError) -> exceptions.APIException:
    """The service's refusal on the body's field (403 when the caller may not log for the
    cadre at all)."""
    if isinstance(exc, visits.VisitPermissionError):
        return exceptions.PermissionDenied(exc.message)
    field = FIELDS.get(exc.field or "", "non_field_errors")
    return exceptions.ValidationError({field: [exc.message]})


# -- views ----------------------------------------------------------------------------------------


class VisitLog(ApiView):
    @extend_schema(
        operation_id="di_co_so_ghi", tags=[TAG],
        summary=gettext_lazy("Ghi một chuyến đi cơ sở"),
        description=gettext_lazy(
            "Cùng dịch vụ với trang “Ghi chuyến đi cơ sở”: ngày đi (không sau hôm nay, năm chưa "
            "khóa, không trùng thời gian nghỉ được miễn), đơn vị đã đến (cấp dưới của cơ quan "
            "cán bộ), nội dung chế độ cho phép, công tác phí. Mỗi lỗi trả 400 nêu đúng trường; "
            "không ghi gì khi bị từ chối. Chuyến đi mới trả 201; gửi lại cùng “ma_gui” trả 200 "
            "với chuyến đi đã ghi. Cán bộ không đọc được trả 404; đọc được nhưng không được ghi "
            "trả 403."),
        request=VisitLogSerializer,
        responses={201: VisitWrittenSerializer, 200: VisitWrittenSerializer,
                   **errors(400, 403, 404, 413, 415)})
    def post(self, request: Request) -> Response:
        body = VisitLogSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        scope = self.scope()
        if "can_bo" in d:
            person = fv_selectors.cadre_get(scope=scope, pk=d["can_bo"])
        else:
            own = fv_selectors.own_cadre(scope=scope)
            if own is None:
                raise exceptions.ValidationError({"can_bo": [_(
                    "Tài khoản của khóa này chưa gắn với một cán bộ: hãy gửi “can_bo”.")]})
            person = own
        places, unknown = fv_selectors.visit_places(person=person, on=d["tu_ngay"],
                                                    ids=d["don_vi_den"])
        if unknown:
            raise exceptions.ValidationError({"don_vi_den": [_(
                "Không có đơn vị mã số {ids} dưới cơ quan của cán bộ: chỉ ghi đơn vị cấp dưới "
                "của cơ quan nơi cán bộ công tác.").format(
                    ids=", ".join(str(i) for i in unknown[:10]))]})
        key = d.get("ma_gui")
        made_before = key is not None and visits.by_key(key) is not None
        try:
            visit = visits.visit_log(
                actor=request.user, scope=scope, person=person, start_date=d["tu_ngay"],
                end_date=d.get("den_ngay"), places=places, kind=d["loai"],
                invitation_only=d["chi_du_theo_thu_moi"], travel_order=d["giay_di_duong"],
                activities=d["noi_dung_da_lam"], cost=d["cong_tac_phi"], client_key=key)
        except visits.VisitError as exc:
            raise refusal(exc) from None
        return Response(VisitWrittenSerializer(visit_row(visit)).data,
                        status=status.HTTP_200_OK if made_before else status.HTTP_201_CREATED)


class VisitReport(ApiView):
    @extend_schema(
        operation_id="di_co_so_bao_cao", tags=[TAG],
        summary=gettext_lazy("Nộp báo cáo kết quả một chuyến đi cơ sở"),
        description=gettext_lazy(
            "Cùng dịch vụ với bước “Báo cáo” của trang chuyến đi: chỉ sau khi chuyến đi kết "
            "thúc, một lần, năm chưa khóa; nộp sau hạn thì được đánh dấu trễ và chuyến đi tính "
            "từ ngày báo cáo. Việc phải làm “Báo cáo kết quả đợt đi cơ sở” được giao nộp. 404 "
            "như nhau cho chuyến đi không có và chuyến đi không đọc được."),
        request=VisitReportSerializer,
        responses={200: VisitWrittenSerializer, **errors(400, 403, 404, 413, 415)})
    def post(self, request: Request, pk: int) -> Response:
        scope = self.scope()
        visit = fv_selectors.visit_get(scope=scope, pk=pk)
        body = VisitReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        try:
            visit = visits.visit_report(actor=request.user, scope=scope, visit=visit,
                                        report=d["ket_qua"], proposals=d["de_xuat"])
        except visits.VisitError as exc:
            raise refusal(exc) from None
        return Response(VisitWrittenSerializer(visit_row(visit)).data)


class Visits(VisitList, VisitLog):
    """`di-co-so/`: GET lists the visits (fieldvisits.VisitList), POST records one (VisitLog) —
    one address, two methods."""
