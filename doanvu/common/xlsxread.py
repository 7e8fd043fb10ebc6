"""A streaming reader for the first worksheet of an .xlsx file, in memory that does not grow.

openpyxl's read-only mode streams the sheet but keeps the whole shared-strings table in memory
(a list of every distinct text in the workbook: for a members list, one per name, CCCD, phone
and card number), so memory grows with the file. Here the table is spilled to a temporary file
as it is read (one blob of UTF-8 text and one array of 8-byte offsets), and cells fetch their
text with `os.pread` through a small cache of the recent and frequent ones. The sheet itself
is parsed with lxml's `iterparse`, which hands Python only the `<row>` elements (whatever the
namespace prefix), each dropped once read.

Values come back as Excel stores them: text as `str`, numbers as `float` (dates are numbers
with a date format; callers that expect a date read the serial, counted from 1904 when
`date1904` says so), booleans as `bool`, errors and empty cells as None. Rows keep their
numbers in the file (1-based), gaps included, so messages can say "dòng 17" as the user sees
it.
"""

from __future__ import annotations

import os
import posixpath
import struct
import tempfile
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from typing import IO, Any

from lxml import etree

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFSET = struct.Struct("<Q")
_CACHE = 32768  # strings kept after use (branch names, places, dates repeat)
_WINDOW = 2048  # strings read ahead from disk at a time


class XlsxError(Exception):
    """The file is not a readable .xlsx workbook (or breaks off in the middle)."""


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def column_letter(i: int) -> str:
    """1 → "B", 26 → "AA": the letters of a 0-based column, as Excel names it."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _column_index(ref: str) -> int:
    """"B7" → 1, "AA3" → 26 (0-based column of a cell reference)."""
    n = 0
    for ch in ref:
        o = ord(ch)
        if 65 <= o <= 90:
            n = n * 26 + o - 64
        elif 97 <= o <= 122:
            n = n * 26 + o - 96
        else:
            break
    return n - 1


def _text_of(si: Any) -> str:
    """The text of a shared string or inline string: its <t>, or its runs' <t>, without the
    phonetic guides (<rPh>)."""
    parts: list[str] = []
    for child in si:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            for t in child:
                if _local(t.tag) == "t":
                    parts.append(t.text or "")
    return "".join(parts)


class SharedStrings:
    """The workbook's shared-strings table on disk, read back by index through a cache."""

    def __init__(self, source: IO[bytes] | None) -> None:
        # closed by close(), after the sheet has been read
        self._blob = tempfile.TemporaryFile(prefix="doanvu-xlsx-")  # noqa: SIM115
        self._index = tempfile.TemporaryFile(prefix="doanvu-xlsx-")  # noqa: SIM115
        self._index.write(_OFFSET.pack(0))  # where string 0 starts; each string adds its end
        self._index.flush()
        self._blob_fd = self._blob.fileno()
        self._index_fd = self._index.fileno()
        self.count = 0  # strings on disk so far: the table is spilled as the sheet needs it
        self._pos = 0
        self._source = source
        self._events: Iterator[tuple[str, Any]] | None = None
        if source is not None:
            self._events = etree.iterparse(source, events=("end",), tag="{*}si",
                                           huge_tree=True, resolve_entities=False)
        self._cache: OrderedDict[int, str] = OrderedDict()
        self._window: list[str] = []
        self._window_start = 0

    def _spill_to(self, i: int) -> None:
        """Read the table on until string i and a window beyond it are on disk."""
        if self._events is None:
            return
        target = i + _WINDOW
        blob: list[bytes] = []
        ends: list[bytes] = []
        pos, count = self._pos, self.count
        while count <= target:
            try:
                _event, si = next(self._events)
            except StopIteration:
                self._events = None
                break
            data = _text_of(si).encode()
            _drop(si)
            blob.append(data)
            pos += len(data)
            ends.append(_OFFSET.pack(pos))
            count += 1
        self._blob.write(b"".join(blob))
        self._index.write(b"".join(ends))
        self._blob.flush()
        self._index.flush()
        self._pos, self.count = pos, count

    def __getitem__(self, i: int) -> str:
        cache = self._cache
        text = cache.get(i)
        if text is not None:
            cache.move_to_end(i)
            return text
        if i >= self.count:
            self._spill_to(i)
        start = self._window_start
        end = start + len(self._window)
        if start <= i < end:
            text = self._window[i - start]
        elif i >= end:  # the sheet moved on to strings it has not used yet: read ahead
            text = self._load_window(i)
        else:  # an older string no longer cached
            text = self._read_one(i)
        cache[i] = text
        if len(cache) > _CACHE:
            cache.popitem(last=False)
        return text

    def _read_one(self, i: int) -> str:
        if not 0 <= i < self.count:
            raise XlsxError(f"Ô tham chiếu chuỗi số {i} không có trong tệp.")
        start, end = struct.unpack("<QQ", os.pread(self._index_fd, 16, 8 * i))
        return os.pread(self._blob_fd, end - start, start).decode()

    def _load_window(self, i: int) -> str:
        """Read strings i… in one go: a sheet meets most of its strings in table order."""
        if not 0 <= i < self.count:
            raise XlsxError(f"Ô tham chiếu chuỗi số {i} không có trong tệp.")
        n = min(_WINDOW, self.count - i)
        offsets = struct.unpack(f"<{n + 1}Q", os.pread(self._index_fd, 8 * (n + 1), 8 * i))
        blob = os.pread(self._blob_fd, offsets[-1] - offsets[0], offsets[0])
        base = offsets[0]
        self._window = [blob[a - base : b - base].decode()
                        for a, b in zip(offsets, offsets[1:], strict=False)]
        self._window_start = i
        return self._window[0]

    def close(self) -> None:
        self._events = None
        if self._source is not None:
            self._source.close()
        self._blob.close()
        self._index.close()


def _first_sheet_path(zf: zipfile.ZipFile) -> tuple[str, bool]:
    """The part of the workbook's first sheet (by the workbook's order, through its rels), and
    whether the workbook counts dates from 1904 (old Mac Excel) instead of 1900."""
    names = set(zf.namelist())
    date1904 = False
    try:
        with zf.open("xl/workbook.xml") as fh:
            rid = None
            for _event, elem in etree.iterparse(fh, resolve_entities=False):
                name = _local(elem.tag)
                if name == "workbookPr":
                    date1904 = elem.get("date1904", "").lower() in ("1", "true")
                elif name == "sheet":
                    rid = elem.get(f"{{{_REL_NS}}}id") or elem.get(
                        "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
                    )
                    break
        if rid:
            with zf.open("xl/_rels/workbook.xml.rels") as fh:
                for _event, elem in etree.iterparse(fh, resolve_entities=False):
                    if _local(elem.tag) == "Relationship" and elem.get("Id") == rid:
                        target = elem.get("Target", "")
                        path = (target.lstrip("/") if target.startswith("/")
                                else posixpath.normpath(posixpath.join("xl", target)))
                        if path in names:
                            return path, date1904
    except (KeyError, etree.XMLSyntaxError):
        pass
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
    if not sheets:
        raise XlsxError("Tệp không có trang tính nào.")
    return sheets[0], date1904


class XlsxReader:
    """`rows()` yields (row number, list of values) for the first worksheet; `close()` frees
    the temporary files."""

    def __init__(self, path: str) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
            self._sheet, self.date1904 = _first_sheet_path(self._zip)
            names = set(self._zip.namelist())
            source = self._zip.open("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names \
                else None
            self.strings = SharedStrings(source)  # keeps source open until its close()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, etree.XMLSyntaxError, OSError, KeyError,
                EOFError, ValueError, RuntimeError) as exc:
            raise XlsxError(str(exc)) from exc

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        strings = self.strings
        try:
            with self._zip.open(self._sheet) as fh:
                last = 0
                for _event, row in etree.iterparse(fh, events=("end",), tag="{*}row",
                                                   huge_tree=True, resolve_entities=False):
                    ref = row.get("r")
                    number = int(ref) if ref and ref.isdigit() else last + 1
                    last = number
                    values = _row_values(row, strings)
                    _drop(row)
                    yield number, values
        except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, EOFError, ValueError,
                RuntimeError) as exc:
            raise XlsxError(str(exc)) from exc

    def close(self) -> None:
        self.strings.close()
        self._zip.close()


def _drop(elem: Any) -> None:
    """Free an element that has been read, and the siblings read before it."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}


def _row_values(row: Any, strings: SharedStrings) -> list[object]:
    values: list[object] = []
    columns = _COLUMNS
    for c in row:
        ref = c.get("r")
        if ref:
            letters = ref.rstrip(_DIGITS)
            col = columns.get(letters)
            if col is None:
                col = columns[letters] = _column_index(letters)
            if col > len(values):
                values.extend([None] * (col - len(values)))
        kind = c.get("t")
        value: object = None
        if kind == "inlineStr":
            for child in c:
                if _local(child.tag) == "is":
                    value = _text_of(child)
        else:
            v = None
            for child in c:
                tag = child.tag
                if tag[-2:] == "}v" or tag == "v" or tag.endswith(":v"):
                    v = child.text
                    break
            if v is not None:
                if kind == "s":
                    value = strings[int(v)]
                elif kind is None or kind == "n":
                    value = float(v)
                elif kind in ("str", "d"):
                    value = v
                elif kind == "b":
                    value = v.strip() == "1"
                # "e" (an error such as #N/A): None
        values.append(value)
    return values
