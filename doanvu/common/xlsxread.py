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

import io
import os
import posixpath
import struct
import tempfile
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from lxml import etree

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFSET = struct.Struct("<Q")
_CACHE = 32768  # strings kept after use (branch names, places, dates repeat)
_WINDOW = 2048  # strings read ahead from disk at a time


class XlsxError(Exception):
    """The file is not a readable .xlsx workbook (or breaks off in the middle)."""


class XlsxLimitError(XlsxError):
    """The file goes past one of the reader's limits; the message (Vietnamese) names it."""


MAX_EXCEL_ROW = 1_048_576  # the last row Excel has
MAX_EXCEL_COLUMNS = 16_384  # columns A…XFD
_SMALL_PART = 1 << 20  # below this a part's compression ratio says nothing
_ELEMENTS_PER_CELL = 1000  # runs and tags inside one cell, or one string of the table


@dataclass(frozen=True)
class Limits:
    """What the reader accepts: beyond any of these it refuses the file (XlsxLimitError), so a
    tiny hostile file cannot make it use memory or time out of proportion."""

    max_part_bytes: int = 512 * 1024 * 1024  # one part of the zip, decompressed
    max_ratio: int = 200  # decompressed / compressed, for a part over 1 MB
    max_cell_chars: int = 32_767  # Excel's own limit on a cell's text
    max_row_chars: int = 1_000_000  # all the text of one row
    max_rows: int = MAX_EXCEL_ROW  # rows read (and the highest row number)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


class _BoundedPart(io.RawIOBase):
    """A zip member read through a counter: refused once it decompresses past the size limit
    or the ratio limit. The zip's headers are checked first, but they can lie, so the bytes
    actually read are counted too."""

    def __init__(self, zf: zipfile.ZipFile, name: str, limits: Limits) -> None:
        info = zf.getinfo(name)
        self._name = name
        self._limits = limits
        self._compressed = max(info.compress_size, 1)
        self._read = 0
        self._check(info.file_size)
        self._fh = zf.open(info)

    def _check(self, size: int) -> None:
        lim = self._limits
        if size > lim.max_part_bytes:
            raise XlsxLimitError(
                _("Tệp .xlsx quá lớn khi giải nén: phần “{part}” vượt "
                  "{limit} (giới hạn dung lượng giải nén). Hãy chia danh sách "
                  "thành nhiều tệp.").format(
                    part=self._name,
                    limit=_mb(lim.max_part_bytes))
            )
        if size > _SMALL_PART and size > lim.max_ratio * self._compressed:
            raise XlsxLimitError(
                _("Tệp .xlsx bất thường: phần “{part}” giải nén ra lớn gấp hơn "
                  "{max_ratio} lần (giới hạn tỉ lệ nén), có thể là tệp độc hại. Hãy mở tệp "
                  "bằng Excel, kiểm tra và lưu lại.").format(
                    part=self._name,
                    max_ratio=lim.max_ratio)
            )

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._fh.read(min(len(buffer), 1 << 16))
        n = len(data)
        buffer[:n] = data
        self._read += n
        self._check(self._read)
        return n

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(min(size, 1 << 16) if size and size > 0 else 1 << 16)
        self._read += len(data)
        self._check(self._read)
        return data

    def close(self) -> None:
        self._fh.close()
        super().close()


def _xml_error(exc: etree.XMLSyntaxError, part: str) -> XlsxError:
    """libxml2 without huge_tree refuses text nodes over 10 MB and nesting over 256 levels:
    say so as a limit, not as a broken file."""
    text = str(exc)
    if "HUGE" in text.upper() or "depth" in text.lower():
        return XlsxLimitError(
            _("Tệp .xlsx có cấu trúc vượt giới hạn trong phần “{part}” (lồng quá sâu hoặc một "
              "đoạn văn bản quá dài): hãy mở tệp bằng Excel, kiểm tra và lưu lại.").format(
                part=part)
        )
    return XlsxError(text)


def _too_long(limit: int, *, where: str) -> XlsxLimitError:
    return XlsxLimitError(
        _("{where} dài quá {limit} ký tự (giới hạn độ dài một ô): hãy rút gọn nội dung ô.").format(
            where=where,
            limit=limit)
    )


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

    def __init__(self, source: IO[bytes] | None, limits: Limits = Limits()) -> None:
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
        self._limits = limits
        self._events: Iterator[str] | None = None
        if source is not None:
            self._events = self._texts(source)
        self._cache: OrderedDict[int, str] = OrderedDict()
        self._window: list[str] = []
        self._window_start = 0

    def _texts(self, source: IO[bytes]) -> Iterator[str]:
        """The table's strings in order; every element is freed once read, and a string with
        too many parts or too much text is refused."""
        limit = self._limits.max_cell_chars
        inside = 0
        try:
            for _event, elem in etree.iterparse(source, events=("end",),
                                                resolve_entities=False, remove_comments=True,
                                                remove_pis=True):
                name = _local(elem.tag)
                if name == "si":
                    text = _text_of(elem)
                    _drop(elem)
                    inside = 0
                    if len(text) > limit:
                        raise _too_long(limit, where=_("Một ô chữ của tệp"))
                    yield text
                elif (parent := elem.getparent()) is None or _local(parent.tag) == "sst":
                    _drop(elem)  # not a string: nothing to keep
                else:
                    inside += 1
                    if inside > _ELEMENTS_PER_CELL:
                        raise XlsxLimitError(
                            _("Tệp .xlsx bất thường: một chuỗi trong bảng chuỗi dùng chung có "
                              "quá {elements_per_cell} phần (giới hạn). Hãy mở tệp bằng Excel "
                              "và lưu lại.").format(
                                elements_per_cell=_ELEMENTS_PER_CELL)
                        )
                    if _local(elem.tag) not in _CELL_PARTS:
                        elem.clear(keep_tail=False)
        except etree.XMLSyntaxError as exc:
            raise _xml_error(exc, "xl/sharedStrings.xml") from exc

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
                text = next(self._events)
            except StopIteration:
                self._events = None
                break
            data = text.encode()
            blob.append(data)
            pos += len(data)
            ends.append(_OFFSET.pack(pos))
            count += 1
            self.count = count  # for the messages of _texts
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
            raise XlsxError(_("Ô tham chiếu chuỗi số {i} không có trong tệp.").format(i=i))
        start, end = struct.unpack("<QQ", os.pread(self._index_fd, 16, 8 * i))
        return os.pread(self._blob_fd, end - start, start).decode()

    def _load_window(self, i: int) -> str:
        """Read strings i… in one go: a sheet meets most of its strings in table order."""
        if not 0 <= i < self.count:
            raise XlsxError(_("Ô tham chiếu chuỗi số {i} không có trong tệp.").format(i=i))
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


_SMALL_XML = 16 * 1024 * 1024  # workbook.xml and its rels: a few KB in real files


def _first_sheet_path(zf: zipfile.ZipFile, limits: Limits) -> tuple[str, bool]:
    """The part of the workbook's first sheet (by the workbook's order, through its rels), and
    whether the workbook counts dates from 1904 (old Mac Excel) instead of 1900."""
    names = set(zf.namelist())
    date1904 = False
    small = Limits(max_part_bytes=min(_SMALL_XML, limits.max_part_bytes),
                   max_ratio=limits.max_ratio)
    try:
        with _BoundedPart(zf, "xl/workbook.xml", small) as fh:
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
                _drop(elem)
        if rid:
            with _BoundedPart(zf, "xl/_rels/workbook.xml.rels", small) as fh:
                for _event, elem in etree.iterparse(fh, resolve_entities=False):
                    if _local(elem.tag) == "Relationship" and elem.get("Id") == rid:
                        target = elem.get("Target", "")
                        path = (target.lstrip("/") if target.startswith("/")
                                else posixpath.normpath(posixpath.join("xl", target)))
                        if path in names:
                            return path, date1904
                    _drop(elem)
    except (KeyError, etree.XMLSyntaxError):
        pass
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
    if not sheets:
        raise XlsxError(_("Tệp không có trang tính nào."))
    return sheets[0], date1904


class XlsxReader:
    """`rows()` yields (row number, list of values) for the first worksheet; `close()` frees
    the temporary files. Everything it reads is bounded by `limits`."""

    def __init__(self, path: str, limits: Limits = Limits()) -> None:
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(path)
            self._sheet, self.date1904 = _first_sheet_path(self._zip, limits)
            names = set(self._zip.namelist())
            self._zip.getinfo(self._sheet)
            # check the sheet's and the strings' headers now, before any row is read
            _BoundedPart(self._zip, self._sheet, limits).close()
            source = _BoundedPart(self._zip, "xl/sharedStrings.xml", limits) \
                if "xl/sharedStrings.xml" in names else None
            self.strings = SharedStrings(source, limits)  # type: ignore[arg-type]  # keeps source open until its close()
        except XlsxError:
            self._zip.close()
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, etree.XMLSyntaxError, OSError, KeyError,
                EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
            raise XlsxError(str(exc)) from exc

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        try:
            with _BoundedPart(self._zip, self._sheet, self.limits) as fh:
                yield from self._rows(fh)  # type: ignore[arg-type]
        except etree.XMLSyntaxError as exc:
            raise _xml_error(exc, self._sheet) from exc
        except XlsxError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError,
                NotImplementedError) as exc:
            raise XlsxError(str(exc)) from exc

    def _rows(self, fh: IO[bytes]) -> Iterator[tuple[int, list[object]]]:
        """Every element is freed once read; a cell's value is taken at its end, so a row holds
        values, not elements. Limits: row numbers and count, columns ≤ XFD, a cell's and a
        row's text, and the tags inside a cell or outside any row."""
        lim = self.limits
        strings = self.strings
        last = 0
        count = 0
        values: list[object] = []
        row_chars = 0
        inside = 0  # elements read since the last cell or row ended
        v_text: str | None = None  # the <v> of the cell being read
        names: dict[str, str] = {}
        for _event, elem in etree.iterparse(fh, events=("end",), resolve_entities=False,
                                            remove_comments=True, remove_pis=True):
            tag = elem.tag
            name = names.get(tag)
            if name is None:
                name = _local(tag)
                if len(names) < 256:
                    names[tag] = name
            if name == "v":  # the most frequent: kept for its cell, counted
                v_text = elem.text
                inside += 1
                if inside > _ELEMENTS_PER_CELL:
                    raise _too_many_tags(last)
            elif name == "c":
                number = last + 1
                col = len(values)
                ref = elem.get("r")
                if ref:
                    letters = ref.rstrip(_DIGITS)
                    col = _COLUMNS.get(letters, -1)
                    if col < 0:
                        col = _column_index(letters) if len(letters) <= 3 else MAX_EXCEL_COLUMNS
                        if col < MAX_EXCEL_COLUMNS:
                            _COLUMNS[letters] = col
                    if col < len(values):
                        col = len(values)  # out of order: keep the order of the file
                if col >= MAX_EXCEL_COLUMNS:
                    raise XlsxLimitError(
                        _("Dòng {number} có ô ở cột vượt quá XFD (giới hạn {max_excel_columns} "
                          "cột của Excel): tệp không hợp lệ.").format(
                            number=number,
                            max_excel_columns=MAX_EXCEL_COLUMNS)
                    )
                value = _cell_value(elem, strings, v_text)
                elem.clear(keep_tail=False)
                inside = 0
                v_text = None
                if isinstance(value, str):
                    if len(value) > lim.max_cell_chars:
                        raise _too_long(lim.max_cell_chars,
                                        where=_("Ô {column}{number}").format(
                                                  column=column_letter(col),
                                                  number=number))
                    row_chars += len(value)
                    if row_chars > lim.max_row_chars:
                        raise XlsxLimitError(
                            _("Dòng {number} có quá {max_chars} ký tự (giới hạn một "
                              "dòng): hãy rút gọn nội dung.").format(
                                number=number,
                                max_chars=lim.max_row_chars)
                        )
                if col > len(values):
                    values.extend([None] * (col - len(values)))
                values.append(value)
            elif name == "row":
                ref = elem.get("r")
                number = int(ref) if ref and ref.isdigit() and len(ref) <= 8 else (
                    MAX_EXCEL_ROW + 1 if ref and ref.isdigit() else last + 1)
                if number > MAX_EXCEL_ROW:
                    shown = ref if ref and ref.isdigit() and len(ref) <= 20 else str(number)
                    raise XlsxLimitError(
                        _("Tệp có dòng số {shown}, vượt giới hạn {max_excel_row} dòng: hãy "
                          "chia danh sách thành nhiều tệp.").format(
                            shown=shown,
                            max_excel_row=MAX_EXCEL_ROW)
                    )
                count += 1
                if count > lim.max_rows:
                    raise XlsxLimitError(
                        _("Tệp có hơn {max_rows} dòng (giới hạn số dòng): hãy chia danh "
                          "sách thành nhiều tệp.").format(
                            max_rows=lim.max_rows)
                    )
                last = number
                row_values = values
                values = []
                row_chars = 0
                inside = 0
                v_text = None
                _drop(elem)
                yield number, row_values
            elif name in _CELL_PARTS:  # inside an inline string: kept for its cell, counted
                inside += 1
                if inside > _ELEMENTS_PER_CELL:
                    raise _too_many_tags(last)
            else:
                parent = elem.getparent()
                if parent is not None and _local(parent.tag) in _CELL_PARTS_PARENTS:
                    inside += 1  # kept until its cell ends: bounded
                    if inside > _ELEMENTS_PER_CELL:
                        raise _too_many_tags(last)
                    elem.clear(keep_tail=False)
                else:
                    _drop(elem)  # outside any cell: nothing to keep

    def close(self) -> None:
        self.strings.close()
        self._zip.close()


# the parts of a cell's value, kept until the cell ends
_CELL_PARTS = frozenset({"v", "is", "t", "r"})
_CELL_PARTS_PARENTS = frozenset({"c", "is", "r"})


def _drop(elem: Any) -> None:
    """Free an element that has been read, and the siblings read before it."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}


def _too_many_tags(last: int) -> XlsxLimitError:
    return XlsxLimitError(
        _("Tệp .xlsx bất thường: một ô sau dòng {last} có quá {elements_per_cell} thẻ (giới "
          "hạn). Hãy mở tệp bằng Excel và lưu lại.").format(
            last=last,
            elements_per_cell=_ELEMENTS_PER_CELL)
    )


def _cell_value(c: Any, strings: SharedStrings, v: str | None) -> object:
    """A cell's value from its type and its <v> (read as the parser went by), or its inline
    string."""
    kind = c.get("t")
    if kind == "inlineStr":
        for child in c:
            if _local(child.tag) == "is":
                return _text_of(child)
        return None
    if v is None:
        return None
    if kind == "s":
        return strings[int(v)]
    if kind is None or kind == "n":
        return float(v)
    if kind in ("str", "d"):
        return v
    if kind == "b":
        return v.strip() == "1"
    return None  # "e" (an error such as #N/A)
