"""Inspections (kiểm tra) in the API: the inspection sessions you read (a team's half-day at an
inspected unit: the plan and round, the team, the schedule, the state), one session with its
conclusion's summary when you may read the conclusion, the conclusion itself (INS-6, INS-8) and
the follow-up after the session (the team's reflections, INS-7) — each as its page shows it."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.inspections import followup_selectors as followup
from doanvu.inspections import permissions
from doanvu.inspections import selectors as inspections
from doanvu.inspections.models import SessionStatus

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

TAG: str = gettext_lazy("Kiểm tra")  # type: ignore[assignment]  # a lazy str


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số buổi kiểm tra."))
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị được kiểm tra."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị được kiểm tra."))
    ngay = serializers.DateField(help_text=gettext_lazy("Ngày kiểm tra."))
    buoi = serializers.CharField(help_text=gettext_lazy("“sang” hoặc “chieu”."))
    gio_bat_dau = serializers.TimeField(help_text=gettext_lazy("Giờ bắt đầu."))
    dia_diem = serializers.CharField(help_text=gettext_lazy("Địa điểm."))
    trang_thai = serializers.CharField(help_text=gettext_lazy(
        "“du_kien” (theo lịch) hoặc “khong_kiem_tra” (không được kiểm tra năm nay)."))
    trang_thai_ten = serializers.CharField(help_text=gettext_lazy("Tình trạng, tiếng Việt."))
    da_kiem_tra_ngay = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Ngày đã kiểm tra (null khi chưa ghi nhận)."))
    doan_id = serializers.IntegerField(help_text=gettext_lazy("Đoàn kiểm tra."))
    doan = serializers.CharField(help_text=gettext_lazy("Tên đoàn kiểm tra."))
    dot = serializers.CharField(help_text=gettext_lazy("Tên đợt kiểm tra."))
    ke_hoach_id = serializers.IntegerField(help_text=gettext_lazy("Kế hoạch kiểm tra."))
    ke_hoach = serializers.CharField(help_text=gettext_lazy("Tên kế hoạch."))
    nam = serializers.IntegerField(help_text=gettext_lazy("Năm của kế hoạch."))
    don_vi_kiem_tra_id = serializers.IntegerField(help_text=gettext_lazy(
        "Đơn vị ban hành kế hoạch."))
    don_vi_kiem_tra = serializers.CharField(help_text=gettext_lazy("Tên đơn vị ban hành."))


def _session(s: Any) -> dict[str, Any]:
    team = s.team
    plan = team.round.plan
    return {"id": s.pk, "don_vi_id": s.unit_id, "don_vi": s.unit.name, "ngay": s.date,
            "buoi": s.half, "gio_bat_dau": s.start_time, "dia_diem": s.place,
            "trang_thai": s.status, "trang_thai_ten": str(s.get_status_display()),
            "da_kiem_tra_ngay": s.held_on, "doan_id": team.pk, "doan": team.name,
            "dot": team.round.title, "ke_hoach_id": plan.pk, "ke_hoach": plan.title,
            "nam": plan.year, "don_vi_kiem_tra_id": plan.issuing_unit_id,
            "don_vi_kiem_tra": plan.issuing_unit.name}


class TeamMemberSerializer(serializers.Serializer):
    ho_ten = serializers.CharField(help_text=gettext_lazy("Họ và tên."))
    vai_tro = serializers.CharField(help_text=gettext_lazy(
        "“truong_doan”, “thu_ky” hoặc “thanh_vien”."))
    vai_tro_ten = serializers.CharField(help_text=gettext_lazy("Vai trò, tiếng Việt."))
    co_quan = serializers.CharField(help_text=gettext_lazy("Cơ quan, đơn vị công tác."))


class ConclusionSummarySerializer(serializers.Serializer):
    trang_thai = serializers.CharField(help_text=gettext_lazy(
        "“nhap” (đang soạn) hoặc “ban_hanh” (đã ban hành)."))
    trang_thai_ten = serializers.CharField(help_text=gettext_lazy("Trạng thái, tiếng Việt."))
    ban_hanh_luc = serializers.DateTimeField(allow_null=True, help_text=gettext_lazy(
        "Ban hành lúc."))
    so_ky_hieu = serializers.CharField(help_text=gettext_lazy(
        "Số, ký hiệu văn bản kết luận (nếu đã ban hành)."))


def _summary(conclusion: Any) -> dict[str, Any]:
    return {"trang_thai": conclusion.state, "trang_thai_ten": str(conclusion.get_state_display()),
            "ban_hanh_luc": conclusion.issued_at,
            "so_ky_hieu": conclusion.document.symbol if conclusion.document_id else ""}


class SessionDetailSerializer(SessionSerializer):
    thoi_gian_dot_tu = serializers.DateField(help_text=gettext_lazy("Đợt kiểm tra từ ngày."))
    thoi_gian_dot_den = serializers.DateField(help_text=gettext_lazy("Đợt kiểm tra đến ngày."))
    noi_dung = serializers.CharField(help_text=gettext_lazy("Nội dung kiểm tra của đợt."))
    ly_do_trang_thai = serializers.CharField(help_text=gettext_lazy(
        "Lý do của tình trạng (khi không được kiểm tra)."))
    thanh_vien_doan = TeamMemberSerializer(many=True, help_text=gettext_lazy(
        "Thành viên đoàn kiểm tra."))
    ket_luan = ConclusionSummarySerializer(allow_null=True, help_text=gettext_lazy(
        "Tóm tắt kết luận khi bạn được xem (đoàn và đơn vị ban hành: cả dự thảo; đơn vị được "
        "kiểm tra: khi đã ban hành); null nếu chưa có hoặc không được xem."))


FILTERS = [
    OpenApiParameter("don_vi", int, description=gettext_lazy(
        "Đơn vị được kiểm tra (và các cấp dưới).")),
    OpenApiParameter("nam", int, description=gettext_lazy("Năm của kế hoạch kiểm tra.")),
    OpenApiParameter("trang_thai", str, enum=list(SessionStatus.values),
                     description=gettext_lazy("Tình trạng buổi kiểm tra.")),
]


class SessionList(ApiView):
    @extend_schema(
        operation_id="kiem_tra_danh_sach",
        tags=[TAG], summary=gettext_lazy("Các buổi kiểm tra"),
        description=gettext_lazy(
            "Buổi kiểm tra của kế hoạch các đơn vị bạn được xem, tại các đơn vị bạn được xem, "
            "hoặc của đoàn kiểm tra có bạn; theo mã số tăng dần."),
        parameters=[*FILTERS, *CURSOR_PARAMETERS],
        responses={200: paginated(SessionSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        status = choice_param(request, "trang_thai", SessionStatus.values)
        qs = inspections.sessions_readable(
            scope=self.scope(), unit_id=int_param(request, "don_vi"),
            year=int_param(request, "nam", maximum=9999), status=status)
        rows, cursor = keyset_page(request, qs)
        return list_response(request, SessionSerializer([_session(s) for s in rows],
                                                        many=True).data, cursor)


class SessionDetail(ApiView):
    @extend_schema(
        operation_id="kiem_tra_chi_tiet",
        tags=[TAG], summary=gettext_lazy("Một buổi kiểm tra"),
        description=gettext_lazy(
            "Lịch, đơn vị được kiểm tra, đoàn kiểm tra và tóm tắt kết luận (khi bạn được xem); "
            "404 như nhau cho buổi không có và ngoài phạm vi."),
        responses={200: SessionDetailSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        scope = self.scope()
        session = inspections.session_get(scope=scope, pk=pk)
        conclusion = inspections.conclusion_visible(scope=scope, session=session)
        round_ = session.team.round
        data = {**_session(session), "thoi_gian_dot_tu": round_.window_start,
                "thoi_gian_dot_den": round_.window_end, "noi_dung": round_.content,
                "ly_do_trang_thai": session.status_reason,
                "thanh_vien_doan": [
                    {"ho_ten": m.person.full_name, "vai_tro": m.role,
                     "vai_tro_ten": str(m.get_role_display()), "co_quan": m.body}
                    for m in inspections.team_members_of(team=session.team)],
                "ket_luan": _summary(conclusion) if conclusion is not None else None}
        return Response(SessionDetailSerializer(data).data)


class LimitationSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số hạn chế, tồn tại."))
    noi_dung = serializers.CharField(help_text=gettext_lazy("Hạn chế, tồn tại."))
    da_khac_phuc_ngay = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Ngày ghi nhận đã khắc phục (null khi chưa)."))


class DirectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số nhiệm vụ."))
    noi_dung = serializers.CharField(help_text=gettext_lazy("Nhiệm vụ."))
    ban_id = serializers.IntegerField(help_text=gettext_lazy("Ban theo dõi."))
    ban = serializers.CharField(help_text=gettext_lazy("Tên ban theo dõi."))
    hoan_thanh_ngay = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Ngày hoàn thành (null khi chưa)."))


class GoodModelSerializer(serializers.Serializer):
    ten = serializers.CharField(help_text=gettext_lazy("Tên mô hình, giải pháp."))
    mo_ta = serializers.CharField(help_text=gettext_lazy("Mô tả."))
    linh_vuc = serializers.CharField(help_text=gettext_lazy("Lĩnh vực."))


class ConclusionSerializer(ConclusionSummarySerializer):
    buoi_kiem_tra_id = serializers.IntegerField(help_text=gettext_lazy("Buổi kiểm tra."))
    uu_diem = serializers.CharField(help_text=gettext_lazy("Ưu điểm."))
    han_che = LimitationSerializer(many=True, help_text=gettext_lazy("Hạn chế, tồn tại."))
    nhiem_vu = DirectionSerializer(many=True, help_text=gettext_lazy(
        "Nhiệm vụ giao các ban theo dõi."))
    mo_hinh = GoodModelSerializer(many=True, help_text=gettext_lazy("Mô hình, giải pháp hay."))


class ConclusionDetail(ApiView):
    @extend_schema(
        operation_id="kiem_tra_ket_luan",
        tags=[TAG], summary=gettext_lazy("Kết luận của một buổi kiểm tra"),
        description=gettext_lazy(
            "Như trang kết luận: đoàn và đơn vị ban hành xem cả dự thảo, đơn vị được kiểm tra "
            "chỉ xem khi đã ban hành; 404 khi chưa có kết luận, không có buổi hoặc ngoài phạm "
            "vi."),
        responses={200: ConclusionSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        session, conclusion = inspections.conclusion_get(scope=self.scope(), session_pk=pk)
        if conclusion is None:
            raise Http404(_("Buổi kiểm tra này chưa có kết luận."))
        limitations, directions, models = inspections.conclusion_parts(conclusion=conclusion)
        data = {**_summary(conclusion), "buoi_kiem_tra_id": session.pk,
                "uu_diem": conclusion.strengths,
                "han_che": [{"id": x.pk, "noi_dung": x.text, "da_khac_phuc_ngay": x.remedied_on}
                            for x in limitations],
                "nhiem_vu": [{"id": d.pk, "noi_dung": d.text, "ban_id": d.department_id,
                              "ban": d.department.name, "hoan_thanh_ngay": d.done_on}
                             for d in directions],
                "mo_hinh": [{"ten": m.title, "mo_ta": m.description, "linh_vuc": m.field}
                            for m in models]}
        return Response(ConclusionSerializer(data).data)


class ReflectionSerializer(serializers.Serializer):
    ho_ten = serializers.CharField(help_text=gettext_lazy("Thành viên đoàn."))
    vai_tro = serializers.CharField(help_text=gettext_lazy("Vai trò trong đoàn."))
    viec_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Việc nộp bài thu hoạch (null nếu không giao được)."))
    han = serializers.DateField(allow_null=True, help_text=gettext_lazy("Hạn nộp."))
    trang_thai = serializers.CharField(help_text=gettext_lazy(
        "Mã trạng thái của việc (trống nếu không giao được)."))
    trang_thai_ten = serializers.CharField(help_text=gettext_lazy("Trạng thái, tiếng Việt."))
    nop_luc = serializers.DateTimeField(allow_null=True, help_text=gettext_lazy("Nộp lúc."))
    so_tep = serializers.IntegerField(help_text=gettext_lazy("Số tệp đã nộp."))


class ReflectionPageSerializer(serializers.Serializer):
    ket_qua = ReflectionSerializer(many=True, help_text=gettext_lazy(
        "Bài thu hoạch của các thành viên đoàn (trừ trưởng đoàn)."))


class SessionReflections(ApiView):
    @extend_schema(
        operation_id="kiem_tra_bai_thu_hoach",
        tags=[TAG], summary=gettext_lazy("Bài thu hoạch sau buổi kiểm tra"),
        description=gettext_lazy(
            "Như trang sau kiểm tra: trưởng đoàn và đơn vị ban hành xem của mọi thành viên, "
            "một thành viên xem bài của mình; đơn vị được kiểm tra không xem (404)."),
        responses={200: ReflectionPageSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        scope = self.scope()
        session = inspections.session_get(scope=scope, pk=pk,
                                          allowed=permissions.can_read_reflections)
        rows = []
        for r in followup.visible_reflections(scope=scope, session=session):
            ob = r.obligation
            rows.append({
                "ho_ten": r.member.person.full_name, "vai_tro": str(r.member.get_role_display()),
                "viec_id": ob.pk if ob else None, "han": ob.due_on if ob else None,
                "trang_thai": ob.status if ob else "",
                "trang_thai_ten": str(ob.get_status_display()) if ob else "",
                "nop_luc": ob.submitted_at if ob else None, "so_tep": len(r.files)})
        return Response(ReflectionPageSerializer({"ket_qua": rows}).data)
