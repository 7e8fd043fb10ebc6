"""The shape of a rubric workbook, shared by the export and the import (one place for the sheet
names and headers, so a file exported can be imported as it is)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def sheet_general() -> str:
    return _("Chung")


def sheet_criteria() -> str:
    return _("Tiêu chí")


def sheet_items() -> str:
    return _("Thưởng, trừ")


def sheet_tiers() -> str:
    return _("Xếp loại")


def sheet_disqualifiers() -> str:
    return _("Loại trừ")


def sheet_tie_breaks() -> str:
    return _("Xét bằng điểm")


def general_labels() -> dict[str, str]:
    """Field → the label of its row on the general sheet (column A; the value in column B)."""
    return {
        "name": _("Tên thang điểm"),
        "issuing_unit": _("Đơn vị ban hành"),
        "year": _("Năm"),
        "group": _("Khối thi đua"),
        "bonus_cap": _("Tổng điểm thưởng tối đa"),
        "penalty_cap": _("Tổng điểm trừ tối đa"),
    }


def criteria_headers() -> dict[str, str]:
    """Field → column header, in column order."""
    return {
        "area_code": _("Mã lĩnh vực"),
        "area_title": _("Lĩnh vực"),
        "area_max": _("Điểm tối đa lĩnh vực"),
        "code": _("Mã tiêu chí"),
        "title": _("Tiêu chí"),
        "max_points": _("Điểm tối đa"),
        "method": _("Cách chấm"),
        "unit_points": _("Điểm mỗi lần"),
        "department": _("Ban phụ trách chấm"),
        "evidence_required": _("Bắt buộc minh chứng"),
        "evidence": _("Minh chứng cần có"),
    }


def items_headers() -> dict[str, str]:
    return {
        "kind": _("Loại"),
        "code": _("Mã"),
        "title": _("Nội dung"),
        "points": _("Điểm mỗi lần"),
        "cap": _("Tối đa của mục"),
        "department": _("Ban đề xuất"),
    }


def tiers_headers() -> dict[str, str]:
    return {
        "rank": _("Bậc"),
        "code": _("Mã"),
        "name": _("Tên xếp loại"),
        "min_score": _("Điểm tối thiểu"),
        "max_share": _("Tỷ lệ tối đa trong khối (%)"),
    }


def disqualifiers_headers() -> dict[str, str]:
    return {
        "code": _("Mã"),
        "label": _("Điều kiện"),
        "barred_tier": _("Không được xếp từ loại"),
    }


def tie_break_headers() -> dict[str, str]:
    return {
        "step": _("Bước"),
        "key": _("Cách xét"),
        "ref": _("Mã lĩnh vực / tiêu chí"),
    }


def yes() -> str:
    return _("Có")


def no() -> str:
    return _("Không")
