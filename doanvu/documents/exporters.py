"""Export of the document register: (filename, content_type, bytes), like pretix's exporters."""

from __future__ import annotations

import io
from collections.abc import Iterable

from doanvu.common.dates import format_date

from .models import Document
from .services import document_symbol

HEADERS = ["Số, ký hiệu", "Ngày ban hành", "Loại văn bản", "Trích yếu", "Đơn vị ban hành",
           "Ban tham mưu", "Người ký", "Nơi nhận", "Trạng thái"]
WIDTHS = [22, 14, 14, 70, 32, 26, 34, 60, 14]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_rows(documents: Iterable[Document]) -> Iterable[list[object]]:
    for d in documents:
        signer = " ".join(p for p in (d.signer_title.capitalize(), d.signer_name) if p)
        yield [
            document_symbol(d) if not d.is_draft else "",
            format_date(d.issued_on) if not d.is_draft else "",
            d.doc_type.name,
            d.title,
            d.issuing_unit.name,
            d.department.name if d.department_id else "",  # type: ignore[union-attr]
            signer,
            "; ".join(r.rstrip(";.") for r in d.recipients),
            d.get_status_display(),
        ]


def export_register_xlsx(documents: Iterable[Document], *, title: str) -> tuple[str, str, bytes]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sổ văn bản đi")
    for n, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A3"
    heading = WriteOnlyCell(ws, value=title)
    heading.font = Font(bold=True, size=13)
    ws.append([heading])
    header = []
    for h in HEADERS:
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(c)
    ws.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in register_rows(documents):
        cells = []
        for value in row:
            c = WriteOnlyCell(ws, value=value)
            c.alignment = wrap
            cells.append(c)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return "so-van-ban-di.xlsx", XLSX, out.getvalue()
