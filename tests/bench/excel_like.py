"""Write an .xlsx the way Excel does: every text in one shared-strings table.

openpyxl writes text inline in the cells, so a file made by it never exercises the part of a
reader that costs memory in real files (the shared-strings table). Tests and the PERF-1 bench
write their spreadsheets with this instead; openpyxl and tablib read them back.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from doanvu.common.xlsxread import column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = "".join([
    XML, f'<Types xmlns="{PKG}/content-types">',
    '<Default Extension="rels" ',
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
    '<Default Extension="xml" ContentType="application/xml"/>',
    f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>',
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OFFICE}.worksheet+xml"/>',
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{OFFICE}.sharedStrings+xml"/>',
    "</Types>",
])
ROOT_RELS = "".join([
    XML, f'<Relationships xmlns="{PKG}/relationships">',
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>',
    "</Relationships>",
])
WORKBOOK = "".join([
    XML, f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">',
    '{pr}<sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>',
])
WORKBOOK_RELS = "".join([
    XML, f'<Relationships xmlns="{PKG}/relationships">',
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>',
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>',
    "</Relationships>",
])


def write_xlsx(path: str, rows: Iterable[Sequence[object]], *, date1904: bool = False) -> None:
    """Rows of str / int / float / None into sheet 1, texts shared. Streams the sheet; the
    strings table is kept (as Excel does) until the end. `date1904`: mark the workbook as
    counting date serials from 1904 (old Mac Excel)."""
    index: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml",
                   WORKBOOK.replace("{pr}", '<workbookPr date1904="1"/>' if date1904 else ""))
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'{XML}<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            buf: list[str] = []
            for r, row in enumerate(rows, 1):
                cells = []
                for c, value in enumerate(row):
                    ref = f"{column_letter(c)}{r}"
                    if value is None:
                        continue
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                    else:
                        text = str(value)
                        i = index.setdefault(text, len(index))
                        cells.append(f'<c r="{ref}" t="s"><v>{i}</v></c>')
                buf.append(f'<row r="{r}">{"".join(cells)}</row>')
                if len(buf) >= 1000:
                    fh.write("".join(buf).encode())
                    buf = []
            fh.write(("".join(buf) + "</sheetData></worksheet>").encode())
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            n = len(index)
            fh.write(f'{XML}<sst xmlns="{MAIN}" count="{n}" uniqueCount="{n}">'.encode())
            buf = []
            for text in index:  # dicts keep insertion order: index order
                buf.append(f'<si><t xml:space="preserve">{escape(text)}</t></si>')
                if len(buf) >= 1000:
                    fh.write("".join(buf).encode())
                    buf = []
            fh.write(("".join(buf) + "</sst>").encode())
