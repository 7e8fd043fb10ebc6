"""Writing .xlsx and .csv exports safely: the one place that makes workbooks and CSV writers.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel and
LibreOffice as a formula (formula or "CSV" injection: a member named `=HYPERLINK(…)` would run in
the cadre's spreadsheet). Following OWASP, such text is prefixed with a single quote, so it is
shown as typed and never evaluated; numbers and dates stay numbers and dates (a negative number
is not text). Every exporter writes through `csv_writer` or `XlsxWriter`, so none can forget;
`tests/common/test_spreadsheet.py` fails if a module makes a workbook or CSV writer elsewhere.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import IO, Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters an .xlsx cannot hold (openpyxl refuses them): dropped rather than failing the export.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: object) -> object:
    """The value to write: text that a spreadsheet would evaluate gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unsafe_cell(text: str) -> str:
    """The reverse of `safe_cell` for a file read back in: `'+84…` is `+84…` again."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def safe_row(values: Iterable[object]) -> list[object]:
    return [safe_cell(v) for v in values]


class SafeCsvWriter:
    """`csv.writer` whose every field goes through `safe_cell`."""

    def __init__(self, out: IO[str], **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, values: Iterable[object]) -> None:
        self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: IO[str], **kwargs: Any) -> SafeCsvWriter:
    return SafeCsvWriter(out, **kwargs)


class SafeSheet:
    """A write-only worksheet; `append` neutralises text and writes it as a string cell."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    def append(self, values: Iterable[object], *, font: Any = None, alignment: Any = None,
               number_formats: Mapping[int, str] | None = None) -> None:
        """One row; `number_formats` maps a 0-based column to its number format."""
        from openpyxl.cell import WriteOnlyCell

        cells = []
        for i, value in enumerate(values):
            value = safe_cell(value)
            if isinstance(value, str):
                value = _XML_ILLEGAL.sub("", value)
            cell = WriteOnlyCell(self._ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            if font is not None:
                cell.font = font
            if alignment is not None:
                cell.alignment = alignment
            if number_formats and i in number_formats:
                cell.number_format = number_formats[i]
            cells.append(cell)
        self._ws.append(cells)

    def column_widths(self, widths: Iterable[float]) -> None:
        from openpyxl.utils import get_column_letter

        for n, width in enumerate(widths, start=1):
            self._ws.column_dimensions[get_column_letter(n)].width = width

    def freeze(self, cell: str) -> None:
        self._ws.freeze_panes = cell


class XlsxWriter:
    """A write-only workbook (rows streamed, memory flat) of `SafeSheet`s."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self._wb = Workbook(write_only=True)

    def sheet(self, title: str) -> SafeSheet:
        return SafeSheet(self._wb.create_sheet(title))

    def save(self, out: IO[bytes]) -> None:
        self._wb.save(out)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self._wb.save(out)
        return out.getvalue()
