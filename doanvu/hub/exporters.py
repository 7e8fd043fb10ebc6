"""Exports of the hub: (filename, content_type, bytes), like pretix's exporters."""

from __future__ import annotations

import io

from doanvu.common.dates import format_date

from .selectors import TimelinessRow, TimelinessTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIMELINESS_HEADERS = [
    "Đơn vị thực hiện", "Loại việc", "Phải nộp", "Đúng hạn", "Nộp muộn", "Chưa nộp",
    "Tỷ lệ đúng hạn", "Tỷ lệ nộp muộn", "Tỷ lệ chưa nộp", "Chưa đến hạn",
]


def _row(r: TimelinessRow) -> list[object]:
    c = r.counts
    return [r.owed_by, r.kind_label, c.expected, c.on_time, c.late, c.missing,
            c.share_on_time, c.share_late, c.share_missing, c.pending]


def export_timeliness_xlsx(table: TimelinessTable) -> tuple[str, str, bytes]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tính đúng hạn"
    ws.append([f"Tính đúng hạn của các việc phải nộp cho {table.unit.name} – {table.period}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"Số liệu tại ngày {format_date(table.as_of)}. Phải nộp = đúng hạn + nộp muộn + "
               "chưa nộp (đã quá hạn); không tính việc chưa đến hạn và việc được miễn."])
    ws.append(TIMELINESS_HEADERS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for r in [*table.rows, *table.totals]:
        ws.append(_row(r))
        if r.unit_id == 0:
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=4, min_col=7, max_col=9):
        for cell in row:
            cell.number_format = "0.0%"
    for col, width in zip("ABCDEFGHIJ", (42, 42, 10, 10, 10, 10, 14, 14, 14, 13), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    out = io.BytesIO()
    wb.save(out)
    filename = f"dung-han-{table.unit.pk}-{table.period.key}.xlsx"
    return filename, XLSX, out.getvalue()
