"""Scores pushed by a department (issue 16, API-1; EMU-2, EMU-8): `POST thi-dua/phieu/<id>/diem/`
— a department (ban) of the issuing unit sends its scores of the criteria it is responsible for
on one score sheet, through the same service as the page "Chấm điểm: <ban>"
(`emulation.sheets.scores_save`, source `ban_cham`).

The service locks the sheet's row and checks everything: only the criteria whose responsible
department the user scores for (SCORE in that department's field over the unit), a number
within the criterion's maximum and what its method takes, the sheet neither final nor its rubric
closed, a reason for a change after submission or after the departments' due date. All or
nothing: the first refusal names its line (`diem[2].diem`) and nothing is written. A sheet the
user does not read is 404 alike for missing and not yours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.common.errors import ApplicationError
from doanvu.emulation import permissions as emu_permissions
from doanvu.emulation import scoring, sheets
from doanvu.emulation import selectors as emu
from doanvu.emulation.models import Criterion, LineSource, ScoreSheet

from ..base import ApiView, StrictSerializer, errors

TAG: str = gettext_lazy("Thi đua")  # type: ignore[assignment]  # a lazy str

MAX_LINES = 500
MAX_NUMBER = Decimal("9999999")


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A JSON number (not a string, not true/false), read as a Decimal from its written form."""

    default_error_messages = {
        "required": gettext_lazy("Hãy nhập thông tin này."),
        "null": gettext_lazy("Hãy nhập thông tin này (không để null)."),
        "type": gettext_lazy("Hãy gửi một số (không phải chuỗi ký tự), ví dụ 4.5."),
        "range": gettext_lazy("Số ngoài khoảng cho phép."),
    }

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, (int, float, Decimal)):
            self.fail("type")
        try:
            value = Decimal(str(data))
        except ArithmeticError:
            self.fail("type")
        if not value.is_finite() or abs(value) > MAX_NUMBER:
            self.fail("range")
        return value

    def to_representation(self, value: Any) -> Any:
        return value


class ScoreItemSerializer(StrictSerializer):
    tieu_chi = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text=gettext_lazy(
        "Mã số tiêu chí (của thang điểm của phiếu, do ban của bạn phụ trách)."))
    diem = NumberField(help_text=gettext_lazy(
        "Giá trị chấm: số điểm (không quá điểm tối đa), 1/0 với tiêu chí có/không, số lần hoặc "
        "tỷ lệ % theo cách chấm của tiêu chí; tối đa 2 chữ số sau dấu phẩy."))
    ghi_chu = serializers.CharField(required=False, allow_blank=True, default="",
                                    max_length=sheets.MAX_TEXT,
                                    help_text=gettext_lazy("Ghi chú, minh chứng của điểm."))


class ScoresPushSerializer(StrictSerializer):
    diem = ScoreItemSerializer(many=True, allow_empty=False, max_length=MAX_LINES,
                               help_text=gettext_lazy("Điểm của từng tiêu chí."))
    ly_do = serializers.CharField(required=False, allow_blank=True, default="",
                                  max_length=sheets.MAX_TEXT,
                                  help_text=gettext_lazy(
                                      "Lý do: bắt buộc khi sửa điểm đã chấm sau khi đơn vị nộp "
                                      "phiếu, hoặc khi chấm sau hạn các ban chấm điểm."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["diem"].error_messages.update({
            "empty": _("Hãy gửi ít nhất một điểm."),
            "not_a_list": _("Hãy gửi một danh sách các điểm."),
            "max_length": _("Mỗi lần gửi tối đa {max_length} điểm.")})


# -- the answer -----------------------------------------------------------------------------------


class PushedLineSerializer(serializers.Serializer):
    tieu_chi = serializers.IntegerField(help_text=gettext_lazy("Mã số tiêu chí."))
    ma = serializers.CharField(help_text=gettext_lazy("Mã tiêu chí trong thang điểm (1.1, 2.3…)."))
    ban_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Ban phụ trách tiêu chí."))
    diem = serializers.DecimalField(max_digits=9, decimal_places=2, coerce_to_string=False,
                                    allow_null=True,
                                    help_text=gettext_lazy("Giá trị ban đã chấm."))
    diem_tinh = serializers.DecimalField(max_digits=9, decimal_places=2, coerce_to_string=False,
                                         help_text=gettext_lazy(
                                             "Số điểm giá trị đó được tính theo thang điểm."))
    ghi_chu = serializers.CharField(help_text=gettext_lazy("Ghi chú, minh chứng."))
    ly_do = serializers.CharField(help_text=gettext_lazy("Lý do của lần chấm gần nhất."))
    nguoi_cham_id = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Tài khoản chấm lần gần nhất."))
    luc = serializers.DateTimeField(help_text=gettext_lazy("Chấm lúc."))


class SheetScoresSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Mã số phiếu chấm điểm."))
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị được chấm."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị được chấm."))
    thang_diem_id = serializers.IntegerField(help_text=gettext_lazy("Thang điểm của phiếu."))
    nam = serializers.IntegerField(help_text=gettext_lazy("Năm."))
    trang_thai = serializers.CharField(help_text=gettext_lazy(
        "Trạng thái phiếu: tu_cham, da_nop, ban_cham, da_kiem_tra, chinh_thuc."))
    phien_ban = serializers.IntegerField(help_text=gettext_lazy(
        "Số lần phiếu đã được ghi (tăng một mỗi lần ghi)."))
    han_cham = serializers.DateField(allow_null=True, help_text=gettext_lazy(
        "Hạn các ban chấm xong."))
    diem_ban_cham = PushedLineSerializer(many=True, help_text=gettext_lazy(
        "Điểm các ban đã chấm trên phiếu, theo thứ tự tiêu chí."))


def sheet_scores(sheet: ScoreSheet, criteria: list[Criterion]) -> dict[str, Any]:
    lines = scoring.sheet_data(sheet).current(LineSource.DEPARTMENT)
    return {"id": sheet.pk, "don_vi_id": sheet.unit_id, "don_vi": sheet.unit.name,
            "thang_diem_id": sheet.rubric_id, "nam": sheet.year, "trang_thai": sheet.state,
            "phien_ban": sheet.version, "han_cham": sheet.due_on,
            "diem_ban_cham": [{
                "tieu_chi": c.pk, "ma": c.code, "ban_id": c.department_id,
                "diem": lines[c.pk].raw, "diem_tinh": lines[c.pk].points,
                "ghi_chu": lines[c.pk].evidence, "ly_do": lines[c.pk].reason,
                "nguoi_cham_id": lines[c.pk].by_id, "luc": lines[c.pk].at}
                for c in criteria if c.pk in lines]}


def _refusal(exc: ApplicationError, index: dict[int, int]) -> exceptions.APIException:
    """The service's refusal on the line it is about: `c<id>` is the line's value (its
    criterion, when the criterion itself is not the user's), `e<id>` its note."""
    if isinstance(exc, emu_permissions.EmulationScopeError):
        return exceptions.PermissionDenied(exc.message)
    field = exc.field or ""
    name = "ly_do" if field == "reason" else "non_field_errors"
    if field[:1] in ("c", "e") and field[1:].isdigit() and int(field[1:]) in index:
        i = index[int(field[1:])]
        part = ("tieu_chi" if isinstance(exc, sheets.CriterionNotYours)
                else "diem" if field[0] == "c" else "ghi_chu")
        name = f"diem[{i}].{part}"
    return exceptions.ValidationError({name: [exc.message]})


class SheetScoresPush(ApiView):
    @extend_schema(
        operation_id="thi_dua_phieu_ban_cham", tags=[TAG],
        summary=gettext_lazy("Một ban gửi điểm chấm các tiêu chí mình phụ trách trên một phiếu"),
        description=gettext_lazy(
            "Cùng dịch vụ với trang “Chấm điểm” của ban: chỉ các tiêu chí do ban của bạn phụ "
            "trách, giá trị trong giới hạn của tiêu chí, phiếu chưa chính thức và thang điểm "
            "còn trong thời gian chấm; sửa điểm sau khi đơn vị đã nộp phiếu hoặc chấm sau hạn "
            "cần “ly_do”. Tất cả hoặc không gì cả: lỗi đầu tiên nêu đúng dòng (diem[2].diem) và "
            "không ghi gì. Hai ban gửi cùng lúc đều được ghi (phiếu khóa dòng khi ghi). Trả "
            "về điểm các ban trên phiếu. 404 như nhau cho phiếu không có và phiếu không đọc "
            "được."),
        request=ScoresPushSerializer,
        responses={200: SheetScoresSerializer, **errors(400, 403, 404, 413, 415)})
    def post(self, request: Request, pk: int) -> Response:
        sheet = emu.sheet_get(scope=self.scope(), pk=pk)
        body = ScoresPushSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        criteria = emu.sheet_criteria(sheet=sheet)
        by_id = {c.pk: c for c in criteria}
        index: dict[int, int] = {}
        values: dict[Criterion, object] = {}
        notes: dict[Criterion, str] = {}
        for i, item in enumerate(d["diem"]):
            c = by_id.get(item["tieu_chi"])
            if c is None:
                raise exceptions.ValidationError({f"diem[{i}].tieu_chi": [_(
                    "Không có tiêu chí mã số {id} trong thang điểm của phiếu này.").format(
                        id=item["tieu_chi"])]})
            if c.pk in index:
                raise exceptions.ValidationError({f"diem[{i}].tieu_chi": [_(
                    "Tiêu chí {code} đã có ở dòng diem[{j}]: mỗi tiêu chí gửi một lần.").format(
                        code=c.code, j=index[c.pk])]})
            index[c.pk] = i
            values[c] = item["diem"]
            notes[c] = item["ghi_chu"]
        try:
            sheet = sheets.scores_save(actor=request.user, sheet=sheet,
                                       source=LineSource.DEPARTMENT, values=values,
                                       evidence=notes, reason=d["ly_do"])
        except ApplicationError as exc:
            raise _refusal(exc, index) from None
        return Response(SheetScoresSerializer(sheet_scores(sheet, criteria)).data)
