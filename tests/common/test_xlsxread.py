"""The streaming .xlsx reader used by the member import (MEM-13, PERF-1: memory stays flat)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from doanvu.common import xlsxread
from doanvu.common.xlsxread import XlsxError, XlsxReader
from tests.bench.excel_like import write_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def handmade(path: Path, sheet_xml: str, *, strings: list[str] | None = None,
             prefix: str = "", date1904: bool = False, extra_sheet_first: bool = False) -> None:
    """A workbook written by hand, as other producers (OpenXML SDK, WPS) write them."""
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns{":" + prefix if prefix else ""}="{MAIN}"'
    pr = f'<{p}workbookPr date1904="1"/>' if date1904 else ""
    sheets = (f'<{p}sheet name="Đoàn viên" sheetId="2" r:id="rId2"/>'
              f'<{p}sheet name="Khác" sheetId="1" r:id="rId1"/>' if extra_sheet_first
              else f'<{p}sheet name="Đoàn viên" sheetId="1" r:id="rId1"/>')
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><{p}workbook {ns} xmlns:r="{REL}">'
                f"{pr}<{p}sheets>{sheets}</{p}sheets></{p}workbook>")
    rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
            f"</Relationships>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        other = f'<{p}worksheet {ns}><{p}sheetData/></{p}worksheet>'
        if extra_sheet_first:
            z.writestr("xl/worksheets/sheet1.xml", other)
            z.writestr("xl/worksheets/sheet2.xml", sheet_xml)
        else:
            z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if strings is not None:
            items = "".join(f"<{p}si>{s}</{p}si>" for s in strings)
            z.writestr("xl/sharedStrings.xml",
                       f'<{p}sst {ns} count="{len(strings)}">{items}</{p}sst>')


def read_all(path: Path) -> list[tuple[int, list[object]]]:
    reader = XlsxReader(str(path))
    try:
        return list(reader.rows())
    finally:
        reader.close()


def test_reads_openpyxl_workbooks_like_openpyxl(tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Họ và tên", "Ngày sinh", "Số CCCD", "Đoàn viên", "Ghi chú"])
    ws.append(["Nguyễn Thị Ánh", dt.datetime(2003, 3, 12), "072303000001", True, None])
    ws.append(["Trần Văn Bình", "12/03/2003", 72303000002, False, 3.5])
    ws["B7"] = "dòng 7"  # a gap: rows 4–6 do not exist in the file
    path = tmp_path / "ds.xlsx"
    wb.save(path)
    rows = read_all(path)
    assert [n for n, _v in rows] == [1, 2, 3, 7]
    assert rows[0][1] == ["Họ và tên", "Ngày sinh", "Số CCCD", "Đoàn viên", "Ghi chú"]
    # dates come back as their Excel serial (openpyxl turns them into datetimes)
    assert rows[1][1][:4] == ["Nguyễn Thị Ánh", 37692.0, "072303000001", True]
    assert rows[2][1] == ["Trần Văn Bình", "12/03/2003", 72303000002.0, False, 3.5]
    assert rows[3][1] == [None, "dòng 7"]
    theirs = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert theirs[0] == tuple(rows[0][1])


def test_rich_text_inline_strings_prefixes_and_the_first_sheet_by_order(tmp_path: Path) -> None:
    sheet = (f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
             '<x:row r="2"><x:c r="B2" t="s"><x:v>0</x:v></x:c>'
             '<x:c r="D2" t="inlineStr"><x:is><x:t>Chi đoàn ấp 1</x:t></x:is></x:c></x:row>'
             '<x:row r="3"><x:c r="A3" t="s"><x:v>1</x:v></x:c><x:c r="B3"><x:v>36663</x:v></x:c>'
             '<x:c r="C3" t="e"><x:v>#N/A</x:v></x:c><x:c r="D3" t="str"><x:v>=A1</x:v></x:c>'
             "</x:row></x:sheetData></x:worksheet>")
    strings = ["<x:t>Họ và tên</x:t>",
               "<x:r><x:t>Võ </x:t></x:r><x:r><x:t>Thị Hạnh</x:t></x:r>"
               "<x:rPh><x:t>ふりがな</x:t></x:rPh>"]
    path = tmp_path / "sdk.xlsx"
    handmade(path, sheet, strings=strings, prefix="x", extra_sheet_first=True, date1904=True)
    reader = XlsxReader(str(path))
    try:
        assert reader.date1904 is True
        assert list(reader.rows()) == [
            (2, [None, "Họ và tên", None, "Chi đoàn ấp 1"]),
            (3, ["Võ Thị Hạnh", 36663.0, None, "=A1"]),
        ]
    finally:
        reader.close()


def test_shared_strings_are_read_back_from_disk_not_held(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsxread, "_CACHE", 8)  # a cache far smaller than the table
    path = tmp_path / "lon.xlsx"
    write_xlsx(str(path), ([f"Người thứ {i}", f"{i:012d}", "Kinh & <Hoa>"] for i in range(500)))
    reader = XlsxReader(str(path))
    try:
        assert reader.strings.count == 0  # spilled as the sheet needs it
        seen = list(reader.rows())
        assert reader.strings.count == 1001
        assert len(reader.strings._cache) <= 8
        # and backwards, where nothing is cached any more
        assert reader.strings[0] == "Người thứ 0" and reader.strings[999] == "Người thứ 499"
    finally:
        reader.close()
    assert seen[499] == (500, ["Người thứ 499", "000000000499", "Kinh & <Hoa>"])
    from openpyxl import load_workbook

    theirs = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert [list(r) for r in theirs] == [v for _n, v in seen]


def test_not_a_workbook_and_a_broken_sheet_raise_xlsx_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not a zip at all")
    with pytest.raises(XlsxError):
        XlsxReader(str(junk))
    empty = tmp_path / "empty.xlsx"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("hello.txt", "no workbook here")
    with pytest.raises(XlsxError):
        XlsxReader(str(empty))
    broken = tmp_path / "broken.xlsx"
    handmade(broken, f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0'
                     "</v></c></row><row r=", strings=["<t>a</t>"])
    reader = XlsxReader(str(broken))
    rows = reader.rows()
    assert next(rows) == (1, ["a"])
    with pytest.raises(XlsxError):
        next(rows)
    reader.close()


def test_a_cell_pointing_past_the_strings_table_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad-ref.xlsx"
    handmade(path, f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>5</v>'
                   "</c></row></sheetData></worksheet>", strings=["<t>a</t>"])
    with pytest.raises(XlsxError):
        read_all(path)
