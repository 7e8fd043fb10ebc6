"""Exports of the hub: (filename, content_type, bytes), like pretix's exporters."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.dates import format_date
from doanvu.common.spreadsheet import XLSX, XlsxWriter

from .selectors import TimelinessRow, TimelinessTable

TIMELINESS_HEADERS = [
    _lazy("Đơn vị thực hiện"), _lazy("Loại việc"), _lazy("Phải nộp"), _lazy("Đúng hạn"),
    _lazy("Nộp muộn"), _lazy("Chưa nộp"), _lazy("Tỷ lệ đúng hạn"), _lazy("Tỷ lệ nộp muộn"),
    _lazy("Tỷ lệ chưa nộp"), _lazy("Chưa đến hạn"),
]


def _row(r: TimelinessRow) -> list[object]:
    c = r.counts
    return [r.owed_by, r.kind_label, c.expected, c.on_time, c.late, c.missing,
            c.share_on_time, c.share_late, c.share_missing, c.pending]


def export_timeliness_xlsx(table: TimelinessTable) -> tuple[str, str, bytes]:
    from openpyxl.styles import Font

    wb = XlsxWriter()
    ws = wb.sheet(_("Tính đúng hạn"))
    ws.column_widths((42, 42, 10, 10, 10, 10, 14, 14, 14, 13))
    ws.freeze("A4")
    ws.append([_(
        "Tính đúng hạn của các việc phải nộp cho {name} – {period}"
    ).format(name=table.unit.name, period=table.period)],
              font=Font(bold=True, size=13))
    ws.append([_(
        "Số liệu tại ngày {format_date}. Phải nộp = đúng hạn + nộp muộn + chưa nộp (đã quá hạn); "
        "không tính việc chưa đến hạn và việc được miễn."
    ).format(format_date=format_date(table.as_of))])
    ws.append([str(h) for h in TIMELINESS_HEADERS], font=Font(bold=True))
    shares = {6: "0.0%", 7: "0.0%", 8: "0.0%"}
    bold = Font(bold=True)
    for r in [*table.rows, *table.totals]:
        ws.append(_row(r), font=bold if r.unit_id == 0 else None, number_formats=shares)
    filename = f"dung-han-{table.unit.pk}-{table.period.key}.xlsx"
    return filename, XLSX, wb.to_bytes()
