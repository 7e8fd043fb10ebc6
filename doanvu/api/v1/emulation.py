"""Emulation (thi đua) in the API: the rubrics of a year you read, the score sheets of the
units you read (each criterion's score, who gave it, the sheet's state) and a rubric's ranking
(xếp hạng, xếp loại) — as the pages show them: the table to those who read the issuing unit
(drafts included, as its ranking page lists them), a unit's own line on its sheet."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.common.errors import ApplicationError
from doanvu.emulation import results, scoring
from doanvu.emulation import selectors as emulation
from doanvu.emulation.models import LineSource, RubricState, SheetState

from ..base import (
    CURSOR_PARAMETERS,
    ApiView,
    choice_param,
    decode_cursor,
    encode_cursor,
    errors,
    int_param,
    keyset_page,
    list_response,
    page_size,
    paginated,
)

TAG: str = gettext_lazy("Thi đua")  # type: ignore[assignment]  # a lazy str


def _who(user: Any) -> str:
    if user is None:
        return _("Hệ thống")
    return str(getattr(user, "full_name", "") or user.get_username())


# -- rubrics ------------------------------------------------------------------------------------


class SnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số bảng xếp hạng."))
    trang_thai = serializers.CharField(help_text=gettext_lazy("“nhap” (bản nháp) hoặc “cong_bo”."))
    trang_thai_ten = serializers.CharField(help_text=gettext_lazy("Trạng thái, tiếng Việt."))
    tinh_luc = serializers.DateTimeField(help_text=gettext_lazy("Tính lúc."))
    ngay_cong_bo = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Ngày công bố (null khi là bản nháp)."))
    thay_bang_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Bảng đã thay bảng này (sau khi giải quyết khiếu nại); null nếu đang có hiệu lực."))


def _snapshot(s: Any) -> dict[str, Any]:
    return {"id": s.pk, "trang_thai": s.state, "trang_thai_ten": str(s.get_state_display()),
            "tinh_luc": s.computed_at, "ngay_cong_bo": s.published_on,
            "thay_bang_id": s.superseded_by_id}


class RubricSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số thang điểm (kỳ thi đua)."))
    ten = serializers.CharField(help_text=gettext_lazy("Tên thang điểm."))
    nam = serializers.IntegerField(help_text=gettext_lazy("Năm thi đua."))
    khoi_id = serializers.IntegerField(help_text=gettext_lazy("Mã số khối thi đua."))
    khoi = serializers.CharField(help_text=gettext_lazy("Tên khối thi đua."))
    don_vi_ban_hanh_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị ban hành."))
    don_vi_ban_hanh = serializers.CharField(help_text=gettext_lazy("Tên đơn vị ban hành."))
    trang_thai = serializers.CharField(help_text=gettext_lazy(
        "“nhap” (đang soạn), “dang_cham” (đang chấm điểm) hoặc “da_dong” (đã kết thúc)."))
    trang_thai_ten = serializers.CharField(help_text=gettext_lazy("Trạng thái, tiếng Việt."))
    han_tu_cham = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Hạn đơn vị tự chấm và nộp phiếu."))


def _rubric(r: Any) -> dict[str, Any]:
    return {"id": r.pk, "ten": r.name, "nam": r.year, "khoi_id": r.group_id,
            "khoi": r.group.name, "don_vi_ban_hanh_id": r.issuing_unit_id,
            "don_vi_ban_hanh": r.issuing_unit.name, "trang_thai": r.state,
            "trang_thai_ten": str(r.get_state_display()), "han_tu_cham": r.self_score_due}


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số tiêu chí."))
    ma = serializers.CharField(help_text=gettext_lazy("Mã tiêu chí, ví dụ “1.1”."))
    ten = serializers.CharField(help_text=gettext_lazy("Nội dung tiêu chí."))
    linh_vuc = serializers.CharField(help_text=gettext_lazy("Mã lĩnh vực của tiêu chí."))
    diem_toi_da = serializers.DecimalField(max_digits=9, decimal_places=2,
                                           help_text=gettext_lazy("Điểm tối đa."))
    cach_cham = serializers.CharField(help_text=gettext_lazy(
        "“cham_diem”, “co_khong”, “so_lan” hoặc “ty_le”."))
    ban_phu_trach = serializers.CharField(help_text=gettext_lazy(
        "Ban chấm tiêu chí này (trống nếu đơn vị tự chấm)."))


def _criterion(c: Any) -> dict[str, Any]:
    return {"id": c.pk, "ma": c.code, "ten": c.title, "linh_vuc": c.area.code,
            "diem_toi_da": c.max_points, "cach_cham": c.method,
            "ban_phu_trach": c.department.name if c.department_id else ""}


class RubricDetailSerializer(RubricSerializer):
    tieu_chi = CriterionSerializer(many=True, help_text=gettext_lazy(
        "Các tiêu chí, theo lĩnh vực và thứ tự."))
    bang_xep_hang = SnapshotSerializer(many=True, help_text=gettext_lazy(
        "Các bảng xếp hạng đã tính của thang điểm, mới nhất trước (như trang xếp hạng)."))


RUBRIC_FILTERS = [
    OpenApiParameter("don_vi", int, description=gettext_lazy("Đơn vị ban hành.")),
    OpenApiParameter("nam", int, description=gettext_lazy("Năm thi đua.")),
    OpenApiParameter("trang_thai", str, enum=list(RubricState.values),
                     description=gettext_lazy("Trạng thái thang điểm.")),
]


class RubricList(ApiView):
    @extend_schema(
        operation_id="thi_dua_ky_danh_sach",
        tags=[TAG], summary=gettext_lazy("Các thang điểm thi đua (kỳ thi đua)"),
        description=gettext_lazy(
            "Thang điểm của các đơn vị ban hành bạn được xem (như trang thang điểm của đơn "
            "vị), theo mã số tăng dần."),
        parameters=[*RUBRIC_FILTERS, *CURSOR_PARAMETERS],
        responses={200: paginated(RubricSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        state = choice_param(request, "trang_thai", list(RubricState.values))
        qs = emulation.rubrics_readable(
            scope=self.scope(), issuing_unit_id=int_param(request, "don_vi"),
            year=int_param(request, "nam", maximum=9999), state=state)
        rows, cursor = keyset_page(request, qs)
        return list_response(request, RubricSerializer([_rubric(r) for r in rows],
                                                       many=True).data, cursor)


class RubricDetail(ApiView):
    @extend_schema(
        operation_id="thi_dua_ky_chi_tiet",
        tags=[TAG], summary=gettext_lazy("Một thang điểm thi đua"),
        description=gettext_lazy(
            "Thang điểm với các tiêu chí và các bảng xếp hạng đã tính; 404 như nhau cho thang "
            "điểm không có và của đơn vị bạn không được xem."),
        responses={200: RubricDetailSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        rubric = emulation.rubric_get(scope=self.scope(), pk=pk)
        tree = emulation.rubric_tree(rubric)
        data = {**_rubric(rubric),
                "tieu_chi": [_criterion(c) for a in tree.areas for c in a.criteria],
                "bang_xep_hang": [_snapshot(s) for s in emulation.snapshots_of(rubric=rubric)]}
        return Response(RubricDetailSerializer(data).data)


# -- score sheets -------------------------------------------------------------------------------


class SheetSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số phiếu chấm điểm."))
    thang_diem_id = serializers.IntegerField(help_text=gettext_lazy("Thang điểm của phiếu."))
    thang_diem = serializers.CharField(help_text=gettext_lazy("Tên thang điểm."))
    nam = serializers.IntegerField(help_text=gettext_lazy("Năm thi đua."))
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị được chấm."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị được chấm."))
    trang_thai = serializers.CharField(help_text=gettext_lazy(
        "“tu_cham”, “da_nop”, “ban_cham”, “da_kiem_tra” hoặc “chinh_thuc”."))
    trang_thai_ten = serializers.CharField(help_text=gettext_lazy("Trạng thái, tiếng Việt."))
    han_cham = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Hạn các ban chấm xong."))
    nop_luc = serializers.DateTimeField(allow_null=True, help_text=gettext_lazy(
        "Đơn vị nộp phiếu lúc."))


def _sheet(s: Any) -> dict[str, Any]:
    return {"id": s.pk, "thang_diem_id": s.rubric_id, "thang_diem": s.rubric.name,
            "nam": s.year, "don_vi_id": s.unit_id, "don_vi": s.unit.name,
            "trang_thai": s.state, "trang_thai_ten": str(s.get_state_display()),
            "han_cham": s.due_on, "nop_luc": s.submitted_at}


class ScoreSerializer(serializers.Serializer):
    diem = serializers.DecimalField(max_digits=9, decimal_places=2,
                                    help_text=gettext_lazy("Điểm (điều chỉnh: có dấu)."))
    gia_tri = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True,
                                       help_text=gettext_lazy("Giá trị đã nhập (nếu có)."))
    nguoi_cham = serializers.CharField(help_text=gettext_lazy("Người chấm (hoặc “Hệ thống”)."))
    luc = serializers.DateTimeField(help_text=gettext_lazy("Chấm lúc."))
    ly_do = serializers.CharField(help_text=gettext_lazy("Lý do (nếu có)."))


def _score(line: Any) -> dict[str, Any] | None:
    if line is None:
        return None
    return {"diem": line.points, "gia_tri": line.raw, "nguoi_cham": _who(line.by),
            "luc": line.at, "ly_do": line.reason}


class SheetCriterionSerializer(serializers.Serializer):
    ma = serializers.CharField(help_text=gettext_lazy("Mã tiêu chí."))
    ten = serializers.CharField(help_text=gettext_lazy("Nội dung tiêu chí."))
    diem_toi_da = serializers.DecimalField(max_digits=9, decimal_places=2,
                                           help_text=gettext_lazy("Điểm tối đa."))
    ban_phu_trach = serializers.CharField(help_text=gettext_lazy("Ban chấm (nếu có)."))
    tu_cham = ScoreSerializer(allow_null=True, help_text=gettext_lazy("Điểm đơn vị tự chấm."))
    ban_cham = ScoreSerializer(allow_null=True, help_text=gettext_lazy("Điểm ban chấm."))
    nhap_tu_tep = ScoreSerializer(allow_null=True, help_text=gettext_lazy(
        "Kết quả thành phần nhập từ tệp."))
    dieu_chinh = ScoreSerializer(many=True, help_text=gettext_lazy(
        "Các điều chỉnh của đoàn kiểm tra, theo thời gian."))
    diem = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True,
                                    help_text=gettext_lazy(
                                        "Điểm được tính của tiêu chí (null nếu chưa tính được)."))


class EntrySerializer(serializers.Serializer):
    ma = serializers.CharField(help_text=gettext_lazy("Mã khoản thưởng, trừ."))
    ten = serializers.CharField(help_text=gettext_lazy("Nội dung."))
    loai = serializers.CharField(help_text=gettext_lazy("“thuong” hoặc “tru”."))
    so_lan = serializers.IntegerField(help_text=gettext_lazy("Số lần."))
    ly_do = serializers.CharField(help_text=gettext_lazy("Lý do."))
    nguoi_ghi = serializers.CharField(help_text=gettext_lazy("Người ghi."))


class LineSerializer(serializers.Serializer):
    bang_id = serializers.IntegerField(help_text=gettext_lazy("Bảng xếp hạng đang công bố."))
    hang = serializers.IntegerField(help_text=gettext_lazy("Hạng."))
    xep_loai = serializers.CharField(help_text=gettext_lazy("Xếp loại."))
    ly_do_xep_loai = serializers.CharField(help_text=gettext_lazy("Lý do xếp loại."))
    diem = serializers.DecimalField(max_digits=9, decimal_places=2,
                                    help_text=gettext_lazy("Điểm cuối cùng."))


class SheetDetailSerializer(SheetSerializer):
    tong_diem = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True,
                                         help_text=gettext_lazy(
                                             "Điểm cuối cùng hiện tính được (null nếu còn giá "
                                             "trị không hợp lệ)."))
    van_de = serializers.CharField(help_text=gettext_lazy(
        "Vì sao chưa tính được điểm (trống nếu tính được)."))
    tieu_chi = SheetCriterionSerializer(many=True, help_text=gettext_lazy(
        "Từng tiêu chí: điểm của từng nguồn, ai chấm, lúc nào."))
    thuong_tru = EntrySerializer(many=True, help_text=gettext_lazy("Các khoản thưởng, trừ."))
    xep_hang = LineSerializer(allow_null=True, help_text=gettext_lazy(
        "Dòng của đơn vị trong bảng xếp hạng đang công bố (null trước khi công bố)."))


SHEET_FILTERS = [
    OpenApiParameter("don_vi", int, description=gettext_lazy(
        "Đơn vị được chấm (và các cấp dưới).")),
    OpenApiParameter("ky", int, description=gettext_lazy("Mã số thang điểm.")),
    OpenApiParameter("nam", int, description=gettext_lazy("Năm thi đua.")),
    OpenApiParameter("trang_thai", str, enum=list(SheetState.values),
                     description=gettext_lazy("Trạng thái phiếu.")),
]


class SheetList(ApiView):
    @extend_schema(
        operation_id="thi_dua_phieu_danh_sach",
        tags=[TAG], summary=gettext_lazy("Phiếu chấm điểm thi đua"),
        description=gettext_lazy(
            "Phiếu chấm điểm của các đơn vị bạn được xem (như trang phiếu), theo mã số tăng "
            "dần."),
        parameters=[*SHEET_FILTERS, *CURSOR_PARAMETERS],
        responses={200: paginated(SheetSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        state = choice_param(request, "trang_thai", list(SheetState.values))
        qs = emulation.sheets_readable(
            scope=self.scope(), unit_id=int_param(request, "don_vi"),
            rubric_id=int_param(request, "ky"), year=int_param(request, "nam", maximum=9999),
            state=state)
        rows, cursor = keyset_page(request, qs)
        return list_response(request, SheetSerializer([_sheet(s) for s in rows],
                                                      many=True).data, cursor)


class SheetDetail(ApiView):
    @extend_schema(
        operation_id="thi_dua_phieu_chi_tiet",
        tags=[TAG], summary=gettext_lazy("Một phiếu chấm điểm"),
        description=gettext_lazy(
            "Như trang phiếu: điểm từng tiêu chí theo từng nguồn (tự chấm, ban chấm, kết quả "
            "thành phần, điều chỉnh) với người chấm và thời điểm, thưởng, trừ, điểm cuối cùng và "
            "dòng của đơn vị trong bảng xếp hạng đang công bố; 404 như nhau cho phiếu không có "
            "và ngoài phạm vi."),
        responses={200: SheetDetailSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        sheet = emulation.sheet_get(scope=self.scope(), pk=pk)
        data = scoring.sheet_data(sheet)
        problem = ""
        try:
            result: scoring.SheetResult | None = scoring.sheet_result(sheet, data=data)
        except ApplicationError as exc:
            result, problem = None, str(exc)
        points = result.result.criterion_points if result else {}
        current = {s: data.current(s) for s in (LineSource.SELF, LineSource.DEPARTMENT,
                                                 LineSource.IMPORTED)}
        adjustments: dict[int, list[Any]] = {}
        for ln in data.adjustments():
            adjustments.setdefault(ln.criterion_id, []).append(ln)
        tree = emulation.rubric_tree(sheet.rubric)
        criteria = [{
            "ma": c.code, "ten": c.title, "diem_toi_da": c.max_points,
            "ban_phu_trach": c.department.name if c.department is not None else "",
            "tu_cham": _score(current[LineSource.SELF].get(c.pk)),
            "ban_cham": _score(current[LineSource.DEPARTMENT].get(c.pk)),
            "nhap_tu_tep": _score(current[LineSource.IMPORTED].get(c.pk)),
            "dieu_chinh": [_score(ln) for ln in adjustments.get(c.pk, [])],
            "diem": points.get(c.code),
        } for a in tree.areas for c in a.criteria]
        line = results.current_line(sheet)
        out = {**_sheet(sheet), "tong_diem": result.total if result else None,
               "van_de": problem, "tieu_chi": criteria,
               "thuong_tru": [{"ma": e.item.code, "ten": e.item.title, "loai": e.item.kind,
                               "so_lan": e.count, "ly_do": e.reason, "nguoi_ghi": _who(e.by)}
                              for e in data.entries],
               "xep_hang": None if line is None else {
                   "bang_id": line.snapshot_id, "hang": line.rank, "xep_loai": line.tier_name,
                   "ly_do_xep_loai": line.tier_reasons, "diem": line.total}}
        return Response(SheetDetailSerializer(out).data)


# -- the ranking --------------------------------------------------------------------------------


class EntrySerializerRow(serializers.Serializer):
    vi_tri = serializers.IntegerField(help_text=gettext_lazy("Thứ tự trong bảng."))
    hang = serializers.IntegerField(help_text=gettext_lazy("Hạng (bằng điểm thì cùng hạng)."))
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị."))
    diem = serializers.DecimalField(max_digits=9, decimal_places=2,
                                    help_text=gettext_lazy("Điểm cuối cùng."))
    diem_tieu_chi = serializers.DecimalField(max_digits=9, decimal_places=2,
                                             help_text=gettext_lazy("Điểm các tiêu chí."))
    diem_thuong = serializers.DecimalField(max_digits=9, decimal_places=2,
                                           help_text=gettext_lazy("Điểm thưởng."))
    diem_tru = serializers.DecimalField(max_digits=9, decimal_places=2,
                                        help_text=gettext_lazy("Điểm trừ."))
    xep_loai_ma = serializers.CharField(help_text=gettext_lazy("Mã xếp loại, ví dụ “htxs”."))
    xep_loai = serializers.CharField(help_text=gettext_lazy("Xếp loại."))
    ly_do_xep_loai = serializers.CharField(help_text=gettext_lazy("Lý do xếp loại."))
    bang_id = serializers.IntegerField(help_text=gettext_lazy("Bảng xếp hạng của dòng này."))
    bang_trang_thai = serializers.CharField(help_text=gettext_lazy(
        "Trạng thái của bảng: “nhap” hoặc “cong_bo”."))


class Ranking(ApiView):
    @extend_schema(
        operation_id="thi_dua_xep_hang",
        tags=[TAG], summary=gettext_lazy("Bảng xếp hạng, xếp loại của một thang điểm"),
        description=gettext_lazy(
            "Cho người được xem đơn vị ban hành (như trang xếp hạng): bảng đang công bố, hoặc "
            "bảng ?bang= (kể cả bản nháp) trong số các bảng của thang điểm; theo thứ tự trong "
            "bảng. Chưa công bố và không chọn bảng: danh sách rỗng. Đơn vị được chấm xem dòng "
            "của mình ở phiếu chấm điểm."),
        parameters=[OpenApiParameter("bang", int, description=gettext_lazy(
            "Mã số một bảng xếp hạng của thang điểm; bỏ trống là bảng đang công bố.")),
            *CURSOR_PARAMETERS],
        responses={200: paginated(EntrySerializerRow), **errors(400, 404)})
    def get(self, request: Request, pk: int) -> Response:
        scope = self.scope()
        rubric = emulation.rubric_get(scope=scope, pk=pk)
        chosen = int_param(request, "bang")
        cursor = decode_cursor(request, [int, int])
        limit = page_size(request)
        if chosen is not None:
            snapshot = emulation.snapshot_get(scope=scope, pk=chosen)
            if snapshot.rubric_id != rubric.pk:
                raise exceptions.ValidationError({"bang": [
                    _("Bảng xếp hạng này không thuộc thang điểm đã chọn.")]})
        else:
            snapshot = emulation.current_snapshot(rubric=rubric)  # type: ignore[assignment]
        if snapshot is None:
            return list_response(request, [], None)
        entries = emulation.snapshot_entries(
            snapshot=snapshot, after=(cursor[0], cursor[1]) if cursor else None,
            limit=limit + 1)
        more = len(entries) > limit
        entries = entries[:limit]
        rows = [{"vi_tri": e.position, "hang": e.rank, "don_vi_id": e.unit_id,
                 "don_vi": e.unit.name, "diem": e.total, "diem_tieu_chi": e.criteria_total,
                 "diem_thuong": e.bonus, "diem_tru": e.penalty, "xep_loai_ma": e.tier_code,
                 "xep_loai": e.tier_name, "ly_do_xep_loai": e.tier_reasons,
                 "bang_id": snapshot.pk, "bang_trang_thai": snapshot.state} for e in entries]
        last = entries[-1] if entries else None
        next_cursor = (encode_cursor([last.position, last.pk])
                       if more and last is not None else None)
        return list_response(request, EntrySerializerRow(rows, many=True).data, next_cursor)


# -- the grassroots unions' year-end classification (members.api) ------------------------------


class ClassificationSerializer(serializers.Serializer):
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đoàn cơ sở."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đoàn cơ sở."))
    nam = serializers.IntegerField(help_text=gettext_lazy("Năm xếp loại."))
    muc = serializers.CharField(help_text=gettext_lazy("Mã mức xếp loại, ví dụ “vung_manh”."))
    muc_ten = serializers.CharField(help_text=gettext_lazy("Mức xếp loại, tiếng Việt."))
    thu_bac = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Thứ bậc của mức (1 là cao nhất; null nếu thang không có mã này)."))
    bi_thu = serializers.CharField(help_text=gettext_lazy(
        "Họ tên Bí thư đoàn cơ sở cuối năm (trống nếu chưa ghi nhận)."))


class GrassrootsClassification(ApiView):
    @extend_schema(
        operation_id="xep_loai_co_so",
        tags=[TAG], summary=gettext_lazy("Xếp loại chất lượng đoàn cơ sở trong năm"),
        description=gettext_lazy(
            "Các đoàn cơ sở dưới đơn vị ?don_vi= (trong phạm vi của bạn) đã được xếp loại năm "
            "?nam=, theo mức từ cao xuống rồi theo tên (members.api.grassroots_results). "
            "Xếp loại từng đoàn viên: /api/v1/chi-doan/<id>/xep-loai/."),
        parameters=[
            OpenApiParameter("don_vi", int, required=True, description=gettext_lazy(
                "Đơn vị (các đoàn cơ sở dưới đơn vị này).")),
            OpenApiParameter("nam", int, required=True, description=gettext_lazy("Năm.")),
            *CURSOR_PARAMETERS],
        responses={200: paginated(ClassificationSerializer), **errors(400)})
    def get(self, request: Request) -> Response:
        from django.http import Http404

        from doanvu.members import api as members
        from doanvu.org import selectors as org

        scope = self.scope()
        unit_id = int_param(request, "don_vi")
        year = int_param(request, "nam", minimum=1900, maximum=9999)
        missing = {name: [_("Hãy nhập thông tin này.")]
                   for name, value in (("don_vi", unit_id), ("nam", year)) if value is None}
        if missing:
            raise exceptions.ValidationError(missing)
        try:
            unit = org.unit_get(scope=scope, pk=unit_id)
        except Http404:
            raise exceptions.ValidationError({"don_vi": [
                _("Không tìm thấy đơn vị này trong phạm vi của bạn.")]}) from None
        cursor = decode_cursor(request, [int, str, int])
        limit = page_size(request)

        def key(r: Any) -> tuple[int, str, int]:
            return (r.rank if r.rank is not None else 99, r.unit.name, r.unit.pk)

        found = sorted(members.grassroots_results(scope=scope, unit=unit, year=year or 0),
                       key=key)
        if cursor is not None:
            after = (cursor[0], cursor[1], cursor[2])
            found = [r for r in found if key(r) > after]
        page, more = found[:limit], len(found) > limit
        rows = [{"don_vi_id": r.unit.pk, "don_vi": r.unit.name, "nam": r.year, "muc": r.level,
                 "muc_ten": r.level_name, "thu_bac": r.rank,
                 "bi_thu": r.secretary.full_name if r.secretary else ""} for r in page]
        next_cursor = encode_cursor(list(key(page[-1]))) if more and page else None
        return list_response(request, ClassificationSerializer(rows, many=True).data,
                             next_cursor)
