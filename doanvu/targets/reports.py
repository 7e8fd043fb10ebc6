"""The reports on residential grassroots quality generated from a unit's targets (IND-2, seed
003 §6: "định kỳ 6 tháng và 01 năm có báo cáo sơ kết"): the same figures as a Union-format
document body (a draft "Báo cáo" of the unit, through `documents`) and as .xlsx.

Pure of writes: `report_body` gives the body's text in documents' light markup and
`report_workbook` the workbook's bytes; `services.report_document_create` makes the draft.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from doanvu.common.dates import format_date, today
from doanvu.common.periods import Period
from doanvu.common.spreadsheet import XLSX, XlsxWriter
from doanvu.org.models import Unit

from . import rules
from .selectors import ChildFigure, ReportRow, row_empty


def fmt(value: Decimal) -> str:
    """A figure as Vietnamese write it: 66,7; 100; 1."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def report_title(period: Period) -> str:
    kind = _("Sơ kết") if period.kind == "H" else _("Tổng kết")
    return _("{kind} {period} thực hiện chỉ tiêu nâng cao chất lượng tổ chức cơ sở Đoàn trên "
             "địa bàn dân cư").format(kind=kind, period=period)


def _value(r: ReportRow) -> str:
    if row_empty(r.row):
        return _("chưa có số liệu")
    m = r.row.measure
    label = f" {r.row.unit_label}" if r.row.unit_label else ""
    share = f" ({m.numerator}/{m.denominator})" if m.denominator else ""
    return f"{fmt(m.value)}{label}{share}"


def verdict(r: ReportRow) -> str:
    if row_empty(r.row):
        return _("Chưa có số liệu")
    return _("Đạt") if r.row.met else _("Chưa đạt")


def report_body(*, unit: Unit, period: Period, rows: list[ReportRow],
                figures: list[list[ChildFigure]]) -> str:
    """The report's body: the overall picture, then each target with its value, goal, verdict,
    change since the year before and the units holding it back or with no data."""
    met = sum(1 for r in rows if not row_empty(r.row) and r.row.met)
    out = [_("I. KẾT QUẢ CHUNG"),
           _("\\Số liệu tính đến ngày {day} trên dữ liệu của {unit} và các đơn vị trực thuộc; "
             "{met}/{n} chỉ tiêu đạt.").format(day=format_date(min(period.end, today())),
                                               unit=unit.name, met=met, n=len(rows)),
           _("II. KẾT QUẢ TỪNG CHỈ TIÊU")]
    for n, (r, kids) in enumerate(zip(rows, figures, strict=True), start=1):
        t = r.row.target
        out.append(f"{n}. {t.name}")
        out.append(_("- Kết quả: {value}; chỉ tiêu: {goal}; đánh giá: {verdict}.").format(
            value=_value(r), goal=fmt(t.goal), verdict=verdict(r).lower()))
        if r.row.previous is not None:
            out.append(_("- Cùng kỳ năm trước: {value}.").format(value=fmt(r.row.previous)))
        behind = [f for f in kids if not f.empty and f.part is not None
                  and not rules.is_met(f.part.value, t.goal)]
        if behind:
            out.append(_("- Đơn vị chưa đạt: {units}.").format(units="; ".join(
                f"{f.unit.name} ({fmt(f.part.value)})" for f in behind if f.part)))
        empty = [f.unit.name for f in kids if f.empty]
        if empty:
            out.append(_("- Đơn vị chưa có số liệu: {units}.").format(units="; ".join(empty)))
    out.append(_("III. PHƯƠNG HƯỚNG"))
    out.append(_("\\Tiếp tục chỉ đạo các đơn vị chưa đạt chỉ tiêu và các đơn vị chưa có số liệu "
                 "khắc phục trong kỳ tới."))
    return "\n".join(out)


def report_workbook(*, unit: Unit, period: Period, rows: list[ReportRow],
                    figures: list[list[ChildFigure]]) -> tuple[str, str, bytes]:
    """(filename, content type, bytes): one sheet of the targets, one of the units under the
    unit for each target."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    wb = XlsxWriter()
    ws = wb.sheet(_("Chỉ tiêu"))
    ws.column_widths((60, 12, 10, 10, 10, 14, 16, 16))
    ws.append([f"{report_title(period)} – {unit.name}"], font=Font(bold=True, size=13))
    ws.append([_("Chỉ tiêu"), _("Kết quả"), _("Đơn vị tính"), _("Tử số"), _("Mẫu số"),
               _("Giá trị chỉ tiêu"), _("Đánh giá"), _("Cùng kỳ năm trước")], font=bold)
    for r in rows:
        m = r.row.measure
        empty = row_empty(r.row)
        ws.append([r.row.target.name, None if empty else float(m.value), r.row.unit_label,
                   m.numerator, m.denominator, float(r.row.target.goal), verdict(r),
                   None if r.row.previous is None else float(r.row.previous)])
    us = wb.sheet(_("Đơn vị trực thuộc"))
    us.column_widths((60, 40, 12, 10, 10, 16))
    us.append([_("Chỉ tiêu"), _("Đơn vị"), _("Kết quả"), _("Tử số"), _("Mẫu số"),
               _("Đánh giá")], font=bold)
    for r, kids in zip(rows, figures, strict=True):
        for f in kids:
            if f.empty or f.part is None:
                us.append([r.row.target.name, f.unit.name, None, None, None,
                           _("Chưa có số liệu")])
                continue
            p = f.part
            us.append([r.row.target.name, f.unit.name, float(p.value), p.numerator,
                       p.denominator,
                       _("Đạt") if rules.is_met(p.value, r.row.target.goal) else _("Chưa đạt")])
    return f"chi-tieu-{unit.pk}-{period.key}.xlsx", XLSX, wb.to_bytes()
