"""Exports of unit lists: (filename, content_type, bytes), like pretix's exporters."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from doanvu.common.dates import format_date

from .models import Sector, Unit

HEADERS = ["Mã", "Tên đơn vị", "Loại", "Khu vực", "Đơn vị cấp trên", "Cấp", "Ngày thành lập"]


def _rows(units: Iterable[Unit]) -> Iterable[list[object]]:
    sectors = dict(Sector.choices)
    for u in units:
        yield [u.pk, u.name, u.kind.name, sectors.get(u.sector, ""),
               u.parent.name if u.parent else "", u.depth, format_date(u.founded_on)]


def export_units_csv(units: Iterable[Unit], *, root: Unit, as_of: dt.date | None) -> tuple[str, str, bytes]:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 CSV with diacritics only with a BOM
    writer = csv.writer(buf)
    writer.writerow(HEADERS)
    writer.writerows(_rows(units))
    return (f"don-vi-{root.pk}.csv", "text/csv; charset=utf-8", buf.getvalue().encode("utf-8"))


def export_units_xlsx(units: Iterable[Unit], *, root: Unit, as_of: dt.date | None) -> tuple[str, str, bytes]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Đơn vị")
    title = f"Danh sách đơn vị thuộc {root.name}"
    if as_of:
        title += f" (tại ngày {format_date(as_of)})"
    ws.append([title])
    header = []
    from openpyxl.cell import WriteOnlyCell

    for h in HEADERS:
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True)
        header.append(c)
    ws.append(header)
    for row in _rows(units):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return (f"don-vi-{root.pk}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out.getvalue())
