"""Export of the document register: (filename, content_type, bytes), like pretix's exporters."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from doanvu.common.dates import format_date
from doanvu.common.spreadsheet import XLSX, XlsxWriter

from .models import Document
from .services import document_symbol

HEADERS = [_("Số, ký hiệu"), _("Ngày ban hành"), _("Loại văn bản"), _("Trích yếu"),
           _("Đơn vị ban hành"), _("Ban tham mưu"), _("Người ký"), _("Nơi nhận"), _("Trạng thái")]
WIDTHS = [22, 14, 14, 70, 32, 26, 34, 60, 14]


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
    from openpyxl.styles import Alignment, Font

    wb = XlsxWriter()
    ws = wb.sheet(gettext("Sổ văn bản đi"))
    ws.column_widths(WIDTHS)
    ws.freeze("A3")
    ws.append([title], font=Font(bold=True, size=13))
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append([str(header) for header in HEADERS], font=Font(bold=True), alignment=wrap)
    for row in register_rows(documents):
        ws.append(row, alignment=wrap)
    return "so-van-ban-di.xlsx", XLSX, wb.to_bytes()
