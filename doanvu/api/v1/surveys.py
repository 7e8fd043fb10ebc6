"""Surveys (khảo sát, SUR-1…SUR-3) in the API: the campaigns and questionnaires of the units you
read, one questionnaire with its questions and collection, and its tabulation — the figures of
the tabulation page, from the same `surveys.selectors.tabulation`.

Anonymity holds exactly as on the pages: an anonymous questionnaire's free text carries no unit
and cannot be narrowed to a unit; a named one's tabulation names nobody; who answered a named
questionnaire is named only for persons the reader reads (`selectors.named_rows`)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.common.dates import today
from doanvu.org import selectors as org
from doanvu.surveys import rules, selectors, services
from doanvu.surveys.models import Audience, QuestionnaireState

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

TAG: str = gettext_lazy("Khảo sát")  # type: ignore[assignment]  # a lazy str
TEXTS_PER_PAGE = 50  # free-text answers per question and page, as the tabulation page shows


def _decimal(value: Any) -> str | None:
    return None if value is None else str(value)


def _decimal_field(text: Any) -> serializers.CharField:
    return serializers.CharField(allow_null=True, help_text=text)


# -- campaigns ------------------------------------------------------------------------------------


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số đợt khảo sát."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên đợt khảo sát."))
    nam = serializers.IntegerField(help_text=gettext_lazy("Năm."))
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị tổ chức khảo sát."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị tổ chức."))
    muc_dich = serializers.CharField(help_text=gettext_lazy("Mục đích, yêu cầu."))
    han_bao_cao_tong_hop = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Hạn nộp báo cáo tổng hợp (nếu có)."))


class SurveyedUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số đơn vị được khảo sát."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên đơn vị."))


class ThemeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số chuyên đề."))
    so = serializers.IntegerField(help_text=gettext_lazy("Chuyên đề số."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên chuyên đề."))
    ban_chu_tri = serializers.CharField(help_text=gettext_lazy("Ban chủ trì."))
    nhan_tu = serializers.DateField(help_text=gettext_lazy("Nhận trả lời từ ngày."))
    nhan_den = serializers.DateField(help_text=gettext_lazy("Nhận trả lời đến ngày."))
    han_tra_loi = serializers.DateField(help_text=gettext_lazy("Hạn trả lời."))
    han_bao_cao = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Hạn nộp báo cáo chuyên đề (nếu có)."))
    don_vi_khao_sat = SurveyedUnitSerializer(many=True, help_text=gettext_lazy(
        "Các đơn vị được khảo sát."))
    phieu_ids = serializers.ListField(child=serializers.IntegerField(), help_text=gettext_lazy(
        "Mã số các phiếu khảo sát của chuyên đề (xem /api/v1/khao-sat/<id>/)."))


class CampaignDetailSerializer(CampaignSerializer):
    chuyen_de = ThemeSerializer(many=True, help_text=gettext_lazy("Các chuyên đề."))


def _campaign(c: Any) -> dict[str, Any]:
    return {"id": c.pk, "ten": c.name, "nam": c.year, "don_vi_id": c.unit_id,
            "don_vi": c.unit.name, "muc_dich": c.description,
            "han_bao_cao_tong_hop": c.report_due_on}


def _theme(t: Any) -> dict[str, Any]:
    units = sorted(t.units.all(), key=lambda u: u.path)
    return {"id": t.pk, "so": t.number, "ten": t.title, "ban_chu_tri": t.lead_department.name,
            "nhan_tu": t.opens_on, "nhan_den": t.closes_on, "han_tra_loi": t.due_on,
            "han_bao_cao": t.report_due_on,
            "don_vi_khao_sat": [{"id": u.pk, "ten": u.name} for u in units],
            "phieu_ids": sorted(q.pk for q in t.questionnaires.all())}


class SurveyCampaignList(ApiView):
    @extend_schema(
        operation_id="dot_khao_sat_danh_sach", tags=[TAG],
        summary=gettext_lazy("Các đợt khảo sát"),
        description=gettext_lazy("Đợt khảo sát của các đơn vị bạn được xem (như trang “Khảo "
                                 "sát”), theo mã số tăng dần."),
        parameters=[
            OpenApiParameter("don_vi", int, description=gettext_lazy("Đơn vị tổ chức.")),
            OpenApiParameter("nam", int, description=gettext_lazy("Năm.")),
            *CURSOR_PARAMETERS],
        responses={200: paginated(CampaignSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        unit_id = int_param(request, "don_vi")
        year = int_param(request, "nam", minimum=1900, maximum=2200)
        qs = selectors.campaigns_for(scope=self.scope())
        if unit_id is not None:
            qs = qs.filter(unit_id=unit_id)
        if year is not None:
            qs = qs.filter(year=year)
        rows, cursor = keyset_page(request, qs)
        return list_response(request, CampaignSerializer([_campaign(c) for c in rows],
                                                         many=True).data, cursor)


class SurveyCampaignDetail(ApiView):
    @extend_schema(
        operation_id="dot_khao_sat_chi_tiet", tags=[TAG],
        summary=gettext_lazy("Một đợt khảo sát"),
        description=gettext_lazy("Đợt khảo sát với các chuyên đề, đơn vị được khảo sát và các "
                                 "phiếu; 404 như nhau cho đợt không có và ngoài phạm vi."),
        responses={200: CampaignDetailSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        campaign = selectors.campaign_get(scope=self.scope(), pk=pk)
        themes = (campaign.themes.select_related("lead_department")
                  .prefetch_related("units", "questionnaires").order_by("number", "id"))
        data = _campaign(campaign)
        data["chuyen_de"] = [_theme(t) for t in themes]
        return Response(CampaignDetailSerializer(data).data)


# -- questionnaires -------------------------------------------------------------------------------


class QuestionnaireSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số phiếu khảo sát."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên phiếu."))
    dot_id = serializers.IntegerField(help_text=gettext_lazy("Đợt khảo sát."))
    dot = serializers.CharField(help_text=gettext_lazy("Tên đợt khảo sát."))
    chuyen_de_id = serializers.IntegerField(help_text=gettext_lazy("Chuyên đề."))
    chuyen_de = serializers.CharField(help_text=gettext_lazy("Tên chuyên đề."))
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị tổ chức khảo sát."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị tổ chức."))
    ban_chu_tri = serializers.CharField(help_text=gettext_lazy("Ban chủ trì."))
    doi_tuong = serializers.CharField(help_text=gettext_lazy(
        "“units”: mỗi đơn vị một phiếu; “members”: mỗi đoàn viên một phiếu."))
    an_danh = serializers.BooleanField(help_text=gettext_lazy(
        "Phiếu đoàn viên không ghi tên: không câu trả lời nào gắn với một người."))
    ghi_ten = serializers.BooleanField(help_text=gettext_lazy(
        "Phiếu đoàn viên ghi tên người trả lời."))
    trang_thai = serializers.CharField(help_text=gettext_lazy("Mã trạng thái."))
    trang_thai_ten = serializers.CharField(help_text=gettext_lazy("Trạng thái, tiếng Việt."))
    ngay_gui = serializers.DateField(allow_null=True, help_text=gettext_lazy("Ngày gửi."))
    han_tra_loi = serializers.DateField(help_text=gettext_lazy("Hạn trả lời."))


def _questionnaire(q: Any) -> dict[str, Any]:
    theme = q.theme
    return {"id": q.pk, "ten": q.title, "dot_id": theme.campaign_id, "dot": theme.campaign.name,
            "chuyen_de_id": theme.pk, "chuyen_de": theme.title,
            "don_vi_id": theme.campaign.unit_id, "don_vi": theme.campaign.unit.name,
            "ban_chu_tri": theme.lead_department.name, "doi_tuong": q.audience,
            "an_danh": q.anonymous, "ghi_ten": q.named_members, "trang_thai": q.state,
            "trang_thai_ten": str(q.get_state_display()), "ngay_gui": q.sent_on,
            "han_tra_loi": theme.due_on}


class QuestionSerializer(serializers.Serializer):
    ma = serializers.CharField(help_text=gettext_lazy("Mã câu hỏi (c1, c2…), không đổi."))
    so = serializers.IntegerField(help_text=gettext_lazy("Câu số."))
    loai = serializers.CharField(help_text=gettext_lazy(
        "Loại: single, multiple, scale, number, short, long, table, file."))
    loai_ten = serializers.CharField(help_text=gettext_lazy("Loại câu hỏi, tiếng Việt."))
    noi_dung = serializers.CharField(help_text=gettext_lazy("Nội dung câu hỏi."))
    bat_buoc = serializers.BooleanField(help_text=gettext_lazy("Bắt buộc trả lời."))
    phan = serializers.CharField(help_text=gettext_lazy("Phần (tiêu đề nhóm câu hỏi)."))
    lua_chon = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy(
        "Các lựa chọn (câu chọn một, chọn nhiều)."))
    nho_nhat = _decimal_field(gettext_lazy("Giá trị nhỏ nhất (thang điểm, số), dạng chuỗi."))
    lon_nhat = _decimal_field(gettext_lazy("Giá trị lớn nhất (thang điểm, số), dạng chuỗi."))
    hang = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy(
        "Các hàng (câu dạng bảng)."))
    cot = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy(
        "Các cột (câu dạng bảng)."))
    dieu_kien_ma = serializers.CharField(help_text=gettext_lazy(
        "Chỉ hỏi khi câu này (mã) được trả lời…; trống nếu luôn hỏi."))
    dieu_kien_gia_tri = serializers.CharField(help_text=gettext_lazy("…bằng (hoặc có) giá trị "
                                                                     "này."))


def _question(q: rules.Question) -> dict[str, Any]:
    return {"ma": q.code, "so": q.number, "loai": q.kind, "loai_ten": q.kind_label,
            "noi_dung": q.text, "bat_buoc": q.required, "phan": q.section,
            "lua_chon": list(q.options), "nho_nhat": _decimal(q.min),
            "lon_nhat": _decimal(q.max), "hang": list(q.rows), "cot": list(q.cols),
            "dieu_kien_ma": q.condition.code if q.condition else "",
            "dieu_kien_gia_tri": q.condition.value if q.condition else ""}


class CollectionRowSerializer(serializers.Serializer):
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị được khảo sát."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị."))
    tinh_trang = serializers.CharField(help_text=gettext_lazy(
        "on_time, late, missing, pending hoặc waived."))
    tinh_trang_ten = serializers.CharField(help_text=gettext_lazy("Tình trạng, tiếng Việt."))
    nop_ngay = serializers.DateField(allow_null=True, help_text=gettext_lazy("Ngày nộp."))


class RateSerializer(serializers.Serializer):
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị được khảo sát."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị."))
    doan_vien = serializers.IntegerField(help_text=gettext_lazy(
        "Số đoàn viên hiện có (trong phạm vi bạn được xem)."))
    da_tra_loi = serializers.IntegerField(help_text=gettext_lazy("Số phiếu đã trả lời."))
    ty_le = serializers.CharField(help_text=gettext_lazy("Tỷ lệ trả lời (%), như trang ghi."))


class RespondentSerializer(serializers.Serializer):
    ho_ten = serializers.CharField(help_text=gettext_lazy(
        "Họ tên người trả lời; trống khi bạn không được xem hồ sơ người này."))
    xem_ho_so = serializers.BooleanField(help_text=gettext_lazy(
        "Bạn được xem hồ sơ người này (tên chỉ hiện khi có)."))
    chi_doan = serializers.CharField(help_text=gettext_lazy("Chi đoàn của người trả lời."))
    phieu_giay = serializers.BooleanField(help_text=gettext_lazy(
        "Nhập từ phiếu giấy (không phải tự trả lời)."))


class QuestionnaireDetailSerializer(QuestionnaireSerializer):
    loi_dan = serializers.CharField(help_text=gettext_lazy("Lời dẫn."))
    phien_ban = serializers.IntegerField(help_text=gettext_lazy("Phiên bản câu hỏi hiện hành."))
    cau_hoi = QuestionSerializer(many=True, help_text=gettext_lazy(
        "Các câu hỏi của phiên bản hiện hành."))
    thu_phieu = CollectionRowSerializer(many=True, help_text=gettext_lazy(
        "Phiếu các đơn vị (phiếu gửi đơn vị): đúng hạn, muộn, quá hạn, còn hạn."))
    so_phieu_an_danh = serializers.IntegerField(help_text=gettext_lazy(
        "Số phiếu ẩn danh đã nhận (phiếu đoàn viên không ghi tên)."))
    ty_le_tra_loi = RateSerializer(many=True, help_text=gettext_lazy(
        "Phiếu đoàn viên đã gửi: tỷ lệ trả lời theo từng đơn vị được khảo sát."))
    nguoi_tra_loi = RespondentSerializer(many=True, help_text=gettext_lazy(
        "Phiếu ghi tên: những người đã trả lời (tên chỉ hiện với người bạn được xem)."))


def _rates(scope: Any, q: Any) -> list[dict[str, Any]]:
    if q.audience != Audience.MEMBERS or q.state != QuestionnaireState.SENT:
        return []
    return [{"don_vi_id": r.unit.pk, "don_vi": r.unit.name, "doan_vien": r.members,
             "da_tra_loi": r.answered, "ty_le": r.percent}
            for r in selectors.member_rates(scope=scope, questionnaire=q)]


class SurveyList(ApiView):
    @extend_schema(
        operation_id="khao_sat_danh_sach", tags=[TAG],
        summary=gettext_lazy("Các phiếu khảo sát"),
        description=gettext_lazy("Phiếu khảo sát của các đợt bạn được xem, theo mã số tăng "
                                 "dần."),
        parameters=[
            OpenApiParameter("dot", int, description=gettext_lazy("Đợt khảo sát.")),
            OpenApiParameter("trang_thai", str, enum=QuestionnaireState.values,
                             description=gettext_lazy("Mã trạng thái.")),
            OpenApiParameter("doi_tuong", str, enum=Audience.values,
                             description=gettext_lazy("Gửi tới: units hoặc members.")),
            *CURSOR_PARAMETERS],
        responses={200: paginated(QuestionnaireSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        qs = selectors.questionnaires_for(
            scope=self.scope(), campaign_id=int_param(request, "dot"),
            state=choice_param(request, "trang_thai", list(QuestionnaireState.values)),
            audience=choice_param(request, "doi_tuong", list(Audience.values)))
        rows, cursor = keyset_page(request, qs)
        return list_response(request, QuestionnaireSerializer(
            [_questionnaire(q) for q in rows], many=True).data, cursor)


class SurveyDetail(ApiView):
    @extend_schema(
        operation_id="khao_sat_chi_tiet", tags=[TAG],
        summary=gettext_lazy("Một phiếu khảo sát"),
        description=gettext_lazy(
            "Như trang phiếu: câu hỏi, tình hình thu phiếu các đơn vị, tỷ lệ trả lời của đoàn "
            "viên, người đã trả lời phiếu ghi tên (tên chỉ hiện với người bạn được xem); 404 "
            "như nhau cho phiếu không có và ngoài phạm vi."),
        responses={200: QuestionnaireDetailSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        scope = self.scope()
        q = selectors.questionnaire_get(scope=scope, pk=pk)
        version = services.current_version(q)
        data = _questionnaire(q)
        named = selectors.named_rows(scope=scope, questionnaire=q) if q.named_members else []
        data.update({
            "loi_dan": q.intro, "phien_ban": version.number,
            "cau_hoi": [_question(x) for x in rules.questions_of(version.questions)],
            "thu_phieu": [{"don_vi_id": r.response.unit_id, "don_vi": r.response.unit.name,
                           "tinh_trang": r.status, "tinh_trang_ten": str(r.label),
                           "nop_ngay": r.response.submitted_on}
                          for r in selectors.collection(questionnaire=q, day=today())],
            "so_phieu_an_danh": q.anonymous_answers.count() if q.anonymous else 0,
            "ty_le_tra_loi": _rates(scope, q),
            "nguoi_tra_loi": [{"ho_ten": r.name, "xem_ho_so": bool(r.name),
                               "chi_doan": r.answer.branch.name,
                               "phieu_giay": r.answer.on_paper} for r in named],
        })
        return Response(QuestionnaireDetailSerializer(data).data)


# -- tabulation -----------------------------------------------------------------------------------


class OptionCountSerializer(serializers.Serializer):
    lua_chon = serializers.CharField(help_text=gettext_lazy("Lựa chọn (hoặc điểm)."))
    so_luong = serializers.IntegerField(help_text=gettext_lazy("Số phiếu chọn."))
    ty_le = serializers.CharField(help_text=gettext_lazy(
        "Tỷ lệ (%) như trang ghi, dấu phẩy thập phân; câu chọn một cộng đủ 100,0."))


def _options(options: Any) -> list[dict[str, Any]]:
    return [{"lua_chon": o.option, "so_luong": o.count, "ty_le": o.percent} for o in options]


class CrossRowSerializer(serializers.Serializer):
    nhom = serializers.CharField(help_text=gettext_lazy("Cấp đơn vị hoặc khu vực."))
    so_tra_loi = serializers.IntegerField(help_text=gettext_lazy("Số phiếu trong nhóm."))
    lua_chon = OptionCountSerializer(many=True, help_text=gettext_lazy(
        "Từng lựa chọn: số phiếu, tỷ lệ trong nhóm."))


class NumberRowSerializer(serializers.Serializer):
    nhom = serializers.CharField(help_text=gettext_lazy("Cấp đơn vị hoặc khu vực."))
    so_tra_loi = serializers.IntegerField(help_text=gettext_lazy("Số phiếu trả lời."))
    trung_binh = serializers.CharField(help_text=gettext_lazy("Trung bình (2 chữ số thập phân)."))
    nho_nhat = serializers.CharField(help_text=gettext_lazy("Nhỏ nhất."))
    lon_nhat = serializers.CharField(help_text=gettext_lazy("Lớn nhất."))
    tong = serializers.CharField(help_text=gettext_lazy("Tổng."))


class ChildChoicesSerializer(serializers.Serializer):
    don_vi = serializers.CharField(help_text=gettext_lazy(
        "Đơn vị trực thuộc đơn vị tổ chức; trống là phiếu của chính đơn vị tổ chức."))
    so_luong = serializers.ListField(child=serializers.IntegerField(), help_text=gettext_lazy(
        "Số phiếu chọn từng lựa chọn, theo thứ tự các lựa chọn."))


class CellSerializer(serializers.Serializer):
    hang = serializers.CharField(help_text=gettext_lazy("Hàng."))
    cot = serializers.CharField(help_text=gettext_lazy("Cột."))
    tong = serializers.CharField(help_text=gettext_lazy("Tổng các phiếu."))


class TextSerializer(serializers.Serializer):
    don_vi = serializers.CharField(allow_null=True, help_text=gettext_lazy(
        "Đơn vị được khảo sát của câu trả lời; null ở phiếu ẩn danh (không gắn đơn vị)."))
    noi_dung = serializers.CharField(help_text=gettext_lazy("Câu trả lời."))


class QuestionTableSerializer(serializers.Serializer):
    ma = serializers.CharField(help_text=gettext_lazy("Mã câu hỏi."))
    so = serializers.IntegerField(help_text=gettext_lazy("Câu số."))
    loai = serializers.CharField(help_text=gettext_lazy("Loại câu hỏi."))
    noi_dung = serializers.CharField(help_text=gettext_lazy("Nội dung câu hỏi."))
    so_tra_loi = serializers.IntegerField(help_text=gettext_lazy("Số phiếu trả lời câu này."))
    lua_chon = OptionCountSerializer(many=True, help_text=gettext_lazy(
        "Câu chọn: từng lựa chọn với số phiếu và tỷ lệ (chọn nhiều: tỷ lệ trên số người trả "
        "lời)."))
    phan_bo = OptionCountSerializer(many=True, help_text=gettext_lazy(
        "Câu thang điểm: số phiếu từng điểm."))
    trung_binh = _decimal_field(gettext_lazy("Câu thang điểm, số: trung bình."))
    nho_nhat = _decimal_field(gettext_lazy("Câu thang điểm, số: nhỏ nhất."))
    lon_nhat = _decimal_field(gettext_lazy("Câu thang điểm, số: lớn nhất."))
    tong = _decimal_field(gettext_lazy("Câu thang điểm, số: tổng."))
    o_bang = CellSerializer(many=True, help_text=gettext_lazy("Câu dạng bảng: tổng từng ô."))
    theo_don_vi_truc_thuoc = ChildChoicesSerializer(many=True, help_text=gettext_lazy(
        "Câu chọn: số phiếu từng lựa chọn theo đơn vị trực thuộc."))
    theo_cap = CrossRowSerializer(many=True, help_text=gettext_lazy(
        "Câu chọn: bảng chéo theo cấp của đơn vị trả lời."))
    theo_khu_vuc = CrossRowSerializer(many=True, help_text=gettext_lazy(
        "Câu chọn: bảng chéo theo khu vực của đơn vị trả lời."))
    so_theo_cap = NumberRowSerializer(many=True, help_text=gettext_lazy(
        "Câu thang điểm, số: theo cấp của đơn vị trả lời."))
    so_theo_khu_vuc = NumberRowSerializer(many=True, help_text=gettext_lazy(
        "Câu thang điểm, số: theo khu vực của đơn vị trả lời."))
    van_ban = TextSerializer(many=True, help_text=gettext_lazy(
        "Câu trả lời bằng chữ: các câu của trang đang xem (50 một trang)."))
    trang = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Câu trả lời bằng chữ: trang đang xem (?trang=; quá trang cuối là trang cuối)."))
    so_trang = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Câu trả lời bằng chữ: số trang."))


class UnitCountSerializer(serializers.Serializer):
    don_vi = serializers.CharField(help_text=gettext_lazy(
        "Đơn vị trực thuộc đơn vị tổ chức; trống là chính đơn vị tổ chức."))
    so_phieu = serializers.IntegerField(help_text=gettext_lazy("Số phiếu."))


class CollectionCountsSerializer(serializers.Serializer):
    dung_han = serializers.IntegerField(help_text=gettext_lazy("Đã nộp đúng hạn."))
    muon = serializers.IntegerField(help_text=gettext_lazy("Đã nộp muộn."))
    qua_han = serializers.IntegerField(help_text=gettext_lazy("Chưa nộp, quá hạn."))
    con_han = serializers.IntegerField(help_text=gettext_lazy("Chưa nộp, còn hạn."))
    duoc_mien = serializers.IntegerField(help_text=gettext_lazy("Được miễn."))
    tong = serializers.IntegerField(help_text=gettext_lazy("Số đơn vị được khảo sát."))


class TabulationSerializer(serializers.Serializer):
    phieu_id = serializers.IntegerField(help_text=gettext_lazy("Mã số phiếu khảo sát."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên phiếu."))
    an_danh = serializers.BooleanField(help_text=gettext_lazy("Phiếu ẩn danh."))
    loc_don_vi_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Chỉ tính phiếu của đơn vị này và cấp dưới (?don_vi=); null là tất cả."))
    so_phieu = serializers.IntegerField(help_text=gettext_lazy("Số phiếu đã nhận."))
    theo_don_vi = UnitCountSerializer(many=True, help_text=gettext_lazy(
        "Số phiếu theo đơn vị trực thuộc đơn vị tổ chức."))
    cau_hoi = QuestionTableSerializer(many=True, help_text=gettext_lazy(
        "Tổng hợp từng câu hỏi."))
    thu_phieu = CollectionCountsSerializer(allow_null=True, help_text=gettext_lazy(
        "Phiếu gửi đơn vị: số đơn vị theo tình hình nộp; null ở phiếu đoàn viên."))
    ty_le_tra_loi = RateSerializer(many=True, help_text=gettext_lazy(
        "Phiếu đoàn viên đã gửi: tỷ lệ trả lời theo từng đơn vị được khảo sát."))


def _numbers(rows: Any) -> list[dict[str, Any]]:
    return [{"nhom": r.label, "so_tra_loi": r.count, "trung_binh": str(r.mean),
             "nho_nhat": str(r.minimum), "lon_nhat": str(r.maximum), "tong": str(r.total)}
            for r in rows]


def _cross(rows: Any) -> list[dict[str, Any]]:
    return [{"nhom": r.label, "so_tra_loi": r.answered, "lua_chon": _options(r.options)}
            for r in rows]


def _table(tab: Any, t: Any, anonymous: bool) -> dict[str, Any]:
    q = t.question
    paged = tab.text_pages.get(q.code)
    texts = q.kind in (rules.SHORT, rules.LONG)
    return {
        "ma": q.code, "so": q.number, "loai": q.kind, "noi_dung": q.text,
        "so_tra_loi": t.answered, "lua_chon": _options(t.options),
        "phan_bo": _options(t.distribution), "trung_binh": _decimal(t.mean),
        "nho_nhat": _decimal(t.minimum), "lon_nhat": _decimal(t.maximum),
        "tong": _decimal(t.total),
        "o_bang": [{"hang": row, "cot": col, "tong": str(t.cell(r, c))}
                   for r, row in enumerate(q.rows) for c, col in enumerate(q.cols)]
        if q.kind == rules.TABLE else [],
        "theo_don_vi_truc_thuoc": [{"don_vi": name, "so_luong": counts}
                                   for name, counts in tab.choices_by_child.get(q.code, [])],
        "theo_cap": _cross(tab.by_level.get(q.code, [])),
        "theo_khu_vuc": _cross(tab.by_sector.get(q.code, [])),
        "so_theo_cap": _numbers(tab.numbers_by_level.get(q.code, [])),
        "so_theo_khu_vuc": _numbers(tab.numbers_by_sector.get(q.code, [])),
        # as the page: an anonymous questionnaire's free text shows no unit
        "van_ban": [{"don_vi": None if anonymous else unit, "noi_dung": text}
                    for unit, text in t.texts] if texts else [],
        "trang": paged[0] if paged else None, "so_trang": paged[1] if paged else None,
    }


_COUNTS = {"on_time": "dung_han", "late": "muon", "missing": "qua_han", "pending": "con_han",
           "waived": "duoc_mien", "total": "tong"}


class SurveyTabulation(ApiView):
    @extend_schema(
        operation_id="khao_sat_tong_hop", tags=[TAG],
        summary=gettext_lazy("Tổng hợp một phiếu khảo sát"),
        description=gettext_lazy(
            "Các số liệu của trang tổng hợp: số phiếu từng lựa chọn, bảng chéo theo cấp và khu "
            "vực, thống kê câu thang điểm và câu số, tổng các ô bảng, câu trả lời bằng chữ từng "
            "trang 50 câu (?trang=), tỷ lệ trả lời theo đơn vị. Phiếu ẩn danh: câu trả lời bằng "
            "chữ không kèm đơn vị và không lọc được theo đơn vị; phiếu ghi tên: không nêu tên "
            "ai. 404 như nhau cho phiếu không có và ngoài phạm vi."),
        parameters=[
            OpenApiParameter("don_vi", int, description=gettext_lazy(
                "Chỉ tính phiếu của đơn vị này và cấp dưới (không dùng với phiếu ẩn danh).")),
            OpenApiParameter("trang", int, description=gettext_lazy(
                "Trang của các câu trả lời bằng chữ (mặc định 1).")),
        ],
        responses={200: TabulationSerializer, **errors(400, 404)})
    def get(self, request: Request, pk: int) -> Response:
        scope = self.scope()
        q = selectors.questionnaire_get(scope=scope, pk=pk)
        page = int_param(request, "trang", maximum=10**6) or 1
        unit_id = int_param(request, "don_vi")
        unit_filter = None
        if unit_id is not None:
            if q.anonymous:
                raise exceptions.ValidationError({"don_vi": [_(
                    "Phiếu ẩn danh không tổng hợp riêng theo đơn vị: câu trả lời không gắn với "
                    "đơn vị nào ngoài đơn vị được khảo sát.")]})
            try:
                unit = org.unit_get(scope=scope, pk=unit_id)
            except Http404 as exc:  # the filter names no unit the reader reads
                raise exceptions.ValidationError({"don_vi": [_(
                    "Không có đơn vị này trong phạm vi bạn được xem.")]}) from exc
            path = unit.path
            unit_filter = path.startswith
        tab = selectors.tabulation(questionnaire=q, unit_filter=unit_filter,
                                   text_page=lambda _code: page,
                                   texts_per_page=TEXTS_PER_PAGE)
        counts = None
        if q.audience == Audience.UNITS:
            raw = selectors.collection_counts(selectors.collection(questionnaire=q, day=today()))
            counts = {name: raw[key] for key, name in _COUNTS.items()}
        data = {
            "phieu_id": q.pk, "ten": q.title, "an_danh": q.anonymous, "loc_don_vi_id": unit_id,
            "so_phieu": tab.answered,
            "theo_don_vi": [{"don_vi": name, "so_phieu": n} for name, n in tab.by_child],
            "cau_hoi": [_table(tab, t, q.anonymous) for t in tab.tables],
            "thu_phieu": counts, "ty_le_tra_loi": _rates(scope, q),
        }
        return Response(TabulationSerializer(data).data)
