"""Members' year-end ratings (MEM-7) in the API: a branch's rating sheet (every member active in
the year with the level given, the reason, the recommendation to the Party, the rèn luyện
registration) and a unit's roll-up (per sub-unit: members, rated per level, not rated, the
sub-unit's own classification) — what the two pages show, read through members.api under the
same scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from doanvu.accounts.scope import READ
from doanvu.common.dates import today
from doanvu.members import api as members
from doanvu.org import selectors as org

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

TAG: str = gettext_lazy("Xếp loại đoàn viên")  # type: ignore[assignment]  # a lazy str
FIRST_YEAR = 2000

YEAR = OpenApiParameter("nam", int, description=gettext_lazy(
    "Năm xếp loại (2000 đến năm nay); bỏ trống là năm trước."))


def _year(request: Request) -> int:
    """?nam= (a 400 naming it outside 2000..this year); the last year when not given — the
    year a rating sheet is filled in at its end."""
    year = int_param(request, "nam", minimum=FIRST_YEAR, maximum=today().year)
    return year if year is not None else today().year - 1


class RatingSerializer(serializers.Serializer):
    doan_vien_id = serializers.IntegerField(help_text=gettext_lazy(
        "Mã số lần sinh hoạt (đoàn viên ở chi đoàn này), như /api/v1/doan-vien/<id>/."))
    ho_ten = serializers.CharField(help_text=gettext_lazy("Họ và tên."))
    la_noi_hien_tai = serializers.BooleanField(help_text=gettext_lazy(
        "Người này hiện còn sinh hoạt ở chi đoàn này."))
    muc = serializers.CharField(help_text=gettext_lazy(
        "Mã mức xếp loại, ví dụ “htt”; trống: chưa xếp loại."))
    muc_ten = serializers.CharField(help_text=gettext_lazy("Mức xếp loại, tiếng Việt."))
    thu_bac = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Thứ bậc của mức (1 là cao nhất; null nếu chưa xếp loại hoặc thang không có mã này)."))
    nhan_xet = serializers.CharField(help_text=gettext_lazy("Nhận xét, căn cứ xếp loại."))
    gioi_thieu_uu_tu = serializers.BooleanField(help_text=gettext_lazy(
        "Được giới thiệu là đoàn viên ưu tú cho Đảng năm đó."))
    ren_luyen = serializers.BooleanField(help_text=gettext_lazy(
        "Đã đăng ký rèn luyện đoàn viên năm đó."))


class BranchRatings(ApiView):
    @extend_schema(
        operation_id="chi_doan_xep_loai_doan_vien",
        tags=[TAG], summary=gettext_lazy("Bảng xếp loại đoàn viên của một chi đoàn"),
        description=gettext_lazy(
            "Như trang xếp loại của chi đoàn: mọi đoàn viên sinh hoạt ở chi đoàn trong năm, "
            "theo họ tên, với mức đã xếp (trống nếu chưa), nhận xét, giới thiệu đoàn viên ưu tú "
            "và đăng ký rèn luyện. 404 như nhau cho chi đoàn không có và ngoài phạm vi."),
        parameters=[YEAR, *CURSOR_PARAMETERS],
        responses={200: paginated(RatingSerializer), **errors(400, 404)})
    def get(self, request: Request, pk: int) -> Response:
        scope = self.scope()
        year = _year(request)
        _branch, rows = members.member_ratings(scope=scope, branch_pk=pk, year=year)
        cursor = decode_cursor(request, [str, int])

        def key(r: members.MemberRatingRow) -> tuple[str, int]:
            return (r.membership.name_folded, r.membership.pk)

        if cursor is not None:
            after = (cursor[0], cursor[1])
            rows = [r for r in rows if key(r) > after]
        limit = page_size(request)
        page, more = rows[:limit], len(rows) > limit
        data = [{"doan_vien_id": r.membership.pk, "ho_ten": r.membership.person.full_name,
                 "la_noi_hien_tai": r.membership.is_current, "muc": r.level,
                 "muc_ten": r.level_name, "thu_bac": r.rank, "nhan_xet": r.reason,
                 "gioi_thieu_uu_tu": r.recommended, "ren_luyen": r.trained} for r in page]
        next_cursor = encode_cursor(list(key(page[-1]))) if more and page else None
        return list_response(request, RatingSerializer(data, many=True).data, next_cursor)


class RatingLevelSerializer(serializers.Serializer):
    muc = serializers.CharField(help_text=gettext_lazy("Mã mức."))
    muc_ten = serializers.CharField(help_text=gettext_lazy("Tên mức."))
    thu_bac = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Thứ bậc (1 là cao nhất)."))


class RatingLevelCountSerializer(serializers.Serializer):
    muc = serializers.CharField(help_text=gettext_lazy("Mã mức xếp loại đoàn viên."))
    so_luong = serializers.IntegerField(help_text=gettext_lazy("Số đoàn viên được xếp mức này."))


class RatingRollupRowSerializer(serializers.Serializer):
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy(
        "Đơn vị trực thuộc (hoặc chính chi đoàn khi hỏi một chi đoàn)."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị."))
    doan_vien = serializers.IntegerField(help_text=gettext_lazy(
        "Đoàn viên sinh hoạt trong năm (trong phạm vi của bạn)."))
    da_xep_loai = serializers.IntegerField(help_text=gettext_lazy("Đã xếp loại."))
    chua_xep_loai = serializers.IntegerField(help_text=gettext_lazy("Chưa xếp loại."))
    theo_muc = RatingLevelCountSerializer(many=True, help_text=gettext_lazy(
        "Số đoàn viên theo từng mức của thang (mọi mức, kể cả 0)."))
    xep_loai_don_vi = serializers.CharField(help_text=gettext_lazy(
        "Mã mức xếp loại của chính đơn vị trực thuộc năm đó (trống nếu chưa)."))


class RatingRollupSerializer(serializers.Serializer):
    don_vi_id = serializers.IntegerField(help_text=gettext_lazy("Đơn vị được tổng hợp."))
    don_vi = serializers.CharField(help_text=gettext_lazy("Tên đơn vị."))
    nam = serializers.IntegerField(help_text=gettext_lazy("Năm xếp loại."))
    muc_doan_vien = RatingLevelSerializer(many=True, help_text=gettext_lazy(
        "Các mức xếp loại đoàn viên của thang đang áp dụng."))
    muc_don_vi = RatingLevelSerializer(many=True, help_text=gettext_lazy(
        "Các mức xếp loại tổ chức của các đơn vị trực thuộc."))
    dong = RatingRollupRowSerializer(many=True, help_text=gettext_lazy(
        "Mỗi đơn vị trực thuộc còn hoạt động mà bạn được xem, theo tên."))
    tong = RatingRollupRowSerializer(help_text=gettext_lazy(
        "Cả đơn vị (mọi đoàn viên trong phạm vi của bạn); xep_loai_don_vi để trống."))


def _levels(levels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"muc": str(x.get("code", "")), "muc_ten": str(x.get("name", "")),
             "thu_bac": x.get("rank") if isinstance(x.get("rank"), int) else None}
            for x in levels if isinstance(x, dict)]


def _rollup_row(row: Any, codes: list[str]) -> dict[str, Any]:
    return {"don_vi_id": row.unit.pk, "don_vi": row.unit.name, "doan_vien": row.members,
            "da_xep_loai": row.rated, "chua_xep_loai": row.unrated,
            "theo_muc": [{"muc": c, "so_luong": row.counts.get(c, 0)} for c in codes],
            "xep_loai_don_vi": row.classification}


class UnitRatingRollup(ApiView):
    @extend_schema(
        operation_id="don_vi_xep_loai_doan_vien",
        tags=[TAG], summary=gettext_lazy("Tổng hợp xếp loại đoàn viên của một đơn vị"),
        description=gettext_lazy(
            "Như trang tổng hợp xếp loại: với mỗi đơn vị trực thuộc còn hoạt động (và chính chi "
            "đoàn khi hỏi một chi đoàn), số đoàn viên sinh hoạt trong năm, số được xếp từng mức, "
            "số chưa xếp loại và mức xếp loại của chính đơn vị đó; cùng dòng tổng. Chỉ đếm những "
            "gì trong phạm vi của bạn. 404 như nhau cho đơn vị không có và ngoài phạm vi."),
        parameters=[YEAR],
        responses={200: RatingRollupSerializer, **errors(400, 404)})
    def get(self, request: Request, pk: int) -> Response:
        scope = self.scope()
        unit = org.unit_get(scope=scope, pk=pk, perm=READ)
        year = _year(request)
        rollup = members.member_rating_rollup(scope=scope, unit=unit, year=year)
        codes = [str(x["code"]) for x in rollup.levels if isinstance(x, dict) and "code" in x]
        data = {"don_vi_id": unit.pk, "don_vi": unit.name, "nam": year,
                "muc_doan_vien": _levels(rollup.levels),
                "muc_don_vi": _levels(rollup.unit_levels),
                "dong": [_rollup_row(r, codes) for r in rollup.rows],
                "tong": _rollup_row(rollup.total, codes)}
        return Response(RatingRollupSerializer(data).data)

