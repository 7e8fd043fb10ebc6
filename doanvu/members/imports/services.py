"""Import of members from .xlsx/.csv (MEM-13): read, map, check (dry run), upsert by CCCD.

Streaming throughout: an .xlsx is read with openpyxl's read-only mode, a .csv with the csv
module, in batches of `BATCH` rows; each batch costs two lookups (persons by CCCD, their
current memberships) and a few bulk writes (COPY on PostgreSQL). What grows with the file is
8 bytes a row for the within-file duplicate check and one byte a row of status, so memory stays
flat whatever the size.

The same pass serves the dry run (`dry_run`, writes nothing) and the import (`run_import`,
which skips the rows the dry run found bad: only what the user confirmed is written). A row
is written only if the importer may write to the person's governing membership; each batch
commits with its audit records and the job's progress, so a killed worker's import can be
resumed or rolled back (docs/architecture.md, "The member import"). A
re-import of the same file changes nothing ("0 thêm, 0 cập nhật, N không đổi"): empty cells
never blank a stored value, and a row equal to what is stored is not written.

This module does the work; `tasks.py` runs it in the background and holds the steps that queue
it (this module never imports `tasks`). An upload nobody confirmed expires after the policy's
days (`import_jobs_expire`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import heapq
import marshal
import os
import re
import socket
import struct
import unicodedata
import uuid
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.accounts.scope import Scope
from doanvu.common.cccd import cccd_problem, normalise_cccd
from doanvu.common.dates import DateInputError, read_date, today
from doanvu.common.phones import PhoneError, normalize_phone
from doanvu.common.spreadsheet import unsafe_cell
from doanvu.common.text import fold, name_problem
from doanvu.common.xlsxread import column_letter
from doanvu.org.models import EducationLevel, Gender, Person, TheoryLevel, Unit

from ..core.rules import policy_age
from ..models import ImportJob, Membership, MembersPolicy, MemberStatus
from ..permissions import NOT_YOUR_UNIT, can_write_person, governing_memberships, require_unit_write

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BATCH = 5000
HEADER_SCAN_ROWS = 20



class ImportFileError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, no header row, merged header…)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ==============================================================================================
# Columns and header mapping
# ==============================================================================================


@dataclass(frozen=True)
class Column:
    key: str
    label: StrOrPromise
    aliases: tuple[str, ...]  # folded header texts that mean this column
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("full_name", gettext_lazy("Họ và tên"),
           ("ho va ten", "ho ten", "ho va ten doan vien", "ten doan vien", "ho ten doan vien"),
           True),
    Column("birth_date", gettext_lazy("Ngày sinh"),
           ("ngay sinh", "ngay thang nam sinh", "sinh ngay"), True),
    Column("gender", gettext_lazy("Giới tính"), ("gioi tinh", "gioi", "nam nu")),
    Column("cccd", gettext_lazy("Số CCCD"),
           ("so cccd", "cccd", "so can cuoc", "so can cuoc cong dan", "can cuoc cong dan",
            "can cuoc", "so dinh danh", "so dinh danh ca nhan", "so cccd cmnd", "cccd cmnd"),
           True),
    Column("joined_union_on", gettext_lazy("Ngày vào Đoàn"),
           ("ngay vao doan", "ngay ket nap", "ngay ket nap doan", "ngay ket nap vao doan"), True),
    Column("card_number", gettext_lazy("Số thẻ đoàn viên"),
           ("so the doan vien", "so the", "the doan vien")),
    Column("phone", gettext_lazy("Điện thoại"),
           ("dien thoai", "so dien thoai", "sdt", "dt", "dien thoai di dong")),
    Column("email", gettext_lazy("Thư điện tử"), ("email", "e mail", "thu dien tu")),
    Column("hometown", gettext_lazy("Quê quán"), ("que quan", "que", "nguyen quan")),
    Column("address", gettext_lazy("Nơi ở hiện nay"),
           ("noi o hien nay", "dia chi", "cho o hien nay", "noi o")),
    Column("ethnicity", gettext_lazy("Dân tộc"), ("dan toc",)),
    Column("religion", gettext_lazy("Tôn giáo"), ("ton giao",)),
    Column("education_level", gettext_lazy("Trình độ học vấn"),
           ("trinh do hoc van", "trinh do van hoa", "hoc van", "trinh do chuyen mon",
            "trinh do")),
    Column("political_theory", gettext_lazy("Lý luận chính trị"),
           ("ly luan chinh tri", "trinh do ly luan chinh tri", "llct")),
    Column("occupation", gettext_lazy("Nghề nghiệp"), ("nghe nghiep", "cong viec")),
    Column("branch", gettext_lazy("Chi đoàn"),
           ("chi doan", "ten chi doan", "chi doan sinh hoat", "sinh hoat tai chi doan")),
)  # fmt: skip
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
PERSON_FIELDS = (
    "full_name", "birth_date", "gender", "phone", "email", "hometown", "address", "ethnicity",
    "religion", "education_level", "political_theory", "occupation",
)  # fmt: skip
_ALIASES = sorted(((a, c.key) for c in COLUMNS for a in c.aliases), key=lambda x: -len(x[0]))
_ALIAS_EXACT = {a: k for a, k in _ALIASES}
_NON_WORD = re.compile(r"[^0-9a-z]+")
_PARENS = re.compile(r"\(.*?\)|\[.*?\]")


def header_key(text: object) -> str | None:
    """The column a header cell names ("Họ và tên (*)" → "full_name"), or None."""
    if text is None:
        return None
    norm = _NON_WORD.sub(" ", _PARENS.sub(" ", fold(str(text)))).strip()
    if not norm:
        return None
    if norm in _ALIAS_EXACT:
        return _ALIAS_EXACT[norm]
    for alias, key in _ALIASES:
        if len(alias) > 3 and (norm.startswith(alias + " ") or norm.endswith(" " + alias)):
            return key
    return None


def template_headers() -> list[str]:
    """The headers of the downloadable template: each column's label, kept only if the header
    reader maps it back to its column by itself (so the template needs no mapping step)."""
    return [str(c.label) for c in COLUMNS if header_key(str(c.label)) == c.key]


def auto_mapping(headers: Sequence[str]) -> dict[str, str]:
    """{column index as str: field key} for the headers we recognise (first one wins)."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for i, h in enumerate(headers):
        key = header_key(h)
        if key and key not in taken:
            mapping[str(i)] = key
            taken.add(key)
    return mapping


def missing_required(mapping: dict[str, str], *, unit_is_branch: bool) -> list[str]:
    keys = set(mapping.values())
    missing = [str(c.label) for c in COLUMNS if c.required and c.key not in keys]
    if not unit_is_branch and "branch" not in keys:
        missing.append(str(COLUMN_BY_KEY["branch"].label))
    return missing


# ==============================================================================================
# Reading files
# ==============================================================================================


@dataclass
class Sheet:
    headers: list[str]
    header_row: int  # 1-based row number of the header in the file
    rows: Iterator[tuple[int, Sequence[object]]]  # (1-based row number, values) after the header
    close: Callable[[], None] = lambda: None
    date1904: bool = False  # an .xlsx whose date serials count from 1904 (old Mac Excel)


def _is_blank(values: Sequence[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _find_header(first: list[Sequence[object]]) -> int:
    best, best_n = -1, 1
    for i, row in enumerate(first):
        n = len({k for k in (header_key(v) for v in row) if k})
        if n > best_n:
            best, best_n = i, n
    if best < 0:
        labels = ", ".join(str(c.label) for c in COLUMNS if c.required)
        raise ImportFileError(
            _(
                "Không tìm thấy dòng tiêu đề trong 20 dòng đầu của tệp: cần một dòng ghi tên các "
                "cột, ít nhất {labels}."
            ).format(labels=labels)
        )
    return best


def open_sheet(path: str, name: str = "") -> Sheet:
    """Open an .xlsx or .csv for streaming; raise ImportFileError for anything else."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        raise ImportFileError(_("Tệp rỗng: không có dòng nào để nhập."))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("Tệp Excel 97–2003 (.xls) chưa được hỗ trợ: hãy mở bằng Excel và lưu lại dạng .xlsx.")
        )
    date1904 = False
    if head.startswith(b"PK\x03\x04"):
        raw_rows, close, date1904 = _xlsx_rows(path)
    else:
        raw_rows, close = _csv_rows(path, head)
    first: list[tuple[int, Sequence[object]]] = []
    try:
        for _row in range(HEADER_SCAN_ROWS):
            try:
                first.append(next(raw_rows))
            except StopIteration:
                break
        h = _find_header([row for _n, row in first])
    except BaseException:
        close()
        raise
    header_row, header_cells = first[h][0], list(first[h][1])
    while header_cells and (header_cells[-1] is None or str(header_cells[-1]).strip() == ""):
        header_cells.pop()
    headers = ["" if v is None else " ".join(str(v).split()) for v in header_cells]
    # A merged header leaves the merged-over cells empty while the data below fill them.
    for _n, row in first[h + 1 :]:
        if _is_blank(row):
            continue
        for i, text in enumerate(headers):
            if not text and i < len(row) and row[i] not in (None, ""):
                close()
                raise ImportFileError(
                    _(
                        "Dòng tiêu đề (dòng {header_row}) có ô trống hoặc ô gộp ở cột "
                        "{column_letter} trong khi cột này có dữ liệu: hãy bỏ gộp ô và ghi tên cho "
                        "từng cột."
                    ).format(header_row=header_row, column_letter=column_letter(i))
                )
        break

    def rows() -> Iterator[tuple[int, Sequence[object]]]:
        yield from first[h + 1 :]
        yield from raw_rows

    return Sheet(headers, header_row, rows(), close, date1904)


def reader_limits() -> Any:
    """The reader's limits from the settings (doanvu.common.xlsxread.Limits)."""
    from doanvu.common.xlsxread import MAX_EXCEL_ROW, Limits

    return Limits(
        max_part_bytes=settings.MEMBER_IMPORT_MAX_UNZIPPED_MB * 1024 * 1024,
        max_ratio=settings.MEMBER_IMPORT_MAX_ZIP_RATIO,
        max_cell_chars=settings.MEMBER_IMPORT_MAX_CELL_CHARS,
        max_row_chars=settings.MEMBER_IMPORT_MAX_ROW_CHARS,
        max_rows=min(settings.MEMBER_IMPORT_MAX_ROWS, MAX_EXCEL_ROW),
    )


def _xlsx_rows(
    path: str,
) -> tuple[Iterator[tuple[int, Sequence[object]]], Callable[[], None], bool]:
    """Our own streaming reader (doanvu.common.xlsxread): memory stays flat whatever the size,
    where openpyxl keeps the whole shared-strings table; a file past its limits is refused."""
    from doanvu.common.xlsxread import XlsxError, XlsxLimitError, XlsxReader

    try:
        reader = XlsxReader(path, reader_limits())
    except XlsxLimitError as exc:
        raise ImportFileError(str(exc)) from exc
    except XlsxError as exc:
        raise ImportFileError(
            _("Không đọc được tệp: đây không phải bảng tính .xlsx hợp lệ (hoặc tệp đã hỏng).")
        ) from exc

    def gen() -> Iterator[tuple[int, Sequence[object]]]:
        try:
            yield from reader.rows()
        except XlsxLimitError as exc:
            raise ImportFileError(str(exc)) from exc
        except XlsxError as exc:
            raise ImportFileError(_("Tệp .xlsx bị hỏng giữa chừng: không đọc tiếp được.")) from exc

    return gen(), reader.close, reader.date1904


_NOT_UTF8 = gettext_lazy(
    "Tệp CSV không ở mã UTF-8: hãy lưu lại từ Excel bằng “CSV UTF-8 (Comma delimited)” "
    "(hoặc “Unicode Text”)."
)


def _csv_encoding(head: bytes) -> tuple[str, str]:
    """The file's encoding and its first line: UTF-16 with a byte-order mark (Excel's "Unicode
    Text"), else UTF-8 with or without one."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            sample = head[: len(head) // 2 * 2].decode("utf-16", errors="strict")
        except UnicodeDecodeError:
            sample = head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
        return "utf-16", sample.split("\n", 1)[0]
    if b"\x00" in head:
        raise ImportFileError(
            _("Tệp không phải bảng tính: hãy tải lên tệp .xlsx hoặc .csv (mã UTF-8 hoặc UTF-16).")
        )
    try:
        sample = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # the sample may cut a character in two: only its last 3 bytes may be incomplete
        try:
            sample = head[: exc.start].decode("utf-8-sig") if exc.start >= len(head) - 3 else ""
        except UnicodeDecodeError:
            sample = ""
        if not sample:
            raise ImportFileError(str(_NOT_UTF8)) from exc
    return "utf-8-sig", sample.split("\n", 1)[0]


def _csv_rows(path: str, head: bytes) -> tuple[Iterator[tuple[int, Sequence[object]]],
                                               Callable[[], None]]:
    """Rows of a .csv, bounded like an .xlsx: a line's length (so a file without line breaks
    is never read whole), a cell's length, columns ≤ XFD and the row count."""
    from doanvu.common.xlsxread import MAX_EXCEL_COLUMNS, MAX_EXCEL_ROW

    encoding, first_line = _csv_encoding(head)
    delimiter = max(",;\t", key=first_line.count)
    max_line = settings.MEMBER_IMPORT_MAX_ROW_CHARS
    max_cell = settings.MEMBER_IMPORT_MAX_CELL_CHARS
    max_rows = min(settings.MEMBER_IMPORT_MAX_ROWS, MAX_EXCEL_ROW)  # rows fit the keys' 23 bits
    fh = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed by Sheet.close

    def lines() -> Iterator[str]:
        n = 0
        while line := fh.readline(max_line + 1):
            n += 1
            if len(line) > max_line:
                raise ImportFileError(
                    _(
                        "Dòng {n} của tệp CSV dài quá {max_line} ký tự (giới hạn một dòng): hãy "
                        "kiểm tra tệp (có thể thiếu dấu xuống dòng)."
                    ).format(n=n, max_line=max_line)
                )
            yield line

    def gen() -> Iterator[tuple[int, Sequence[object]]]:
        try:
            for n, row in enumerate(csv.reader(lines(), delimiter=delimiter), 1):
                if n > max_rows:
                    raise ImportFileError(
                        _(
                            "Tệp có hơn {max_rows} dòng (giới hạn số dòng): hãy chia danh sách "
                            "thành nhiều tệp."
                        ).format(max_rows=max_rows)
                    )
                if len(row) > MAX_EXCEL_COLUMNS:
                    raise ImportFileError(
                        _(
                            "Dòng {n} có {count} cột, vượt quá XFD (giới hạn {MAX_EXCEL_COLUMNS} "
                            "cột của Excel)."
                        ).format(n=n, count=len(row), MAX_EXCEL_COLUMNS=MAX_EXCEL_COLUMNS)
                    )
                for i, text in enumerate(row):
                    if len(text) > max_cell:
                        raise ImportFileError(
                            _(
                                "Ô {column_letter}{n} dài quá {max_cell} ký tự (giới hạn độ dài "
                                "một ô): hãy rút gọn nội dung ô."
                            ).format(column_letter=column_letter(i), n=n, max_cell=max_cell)
                        )
                yield n, row
        except UnicodeDecodeError as exc:
            raise ImportFileError(str(_NOT_UTF8)) from exc
        except csv.Error as exc:
            raise ImportFileError(_("Tệp CSV hỏng: {exc}.").format(exc=exc)) from exc

    return gen(), fh.close


# ==============================================================================================
# Cell values
# ==============================================================================================


class CellError(Exception):
    pass


_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_cell_date(value: object, *, pivot: int | None = None) -> dt.date | None:
    """dd/mm/yyyy, d-m-yy, d.m.yyyy, yyyy-mm-dd, an Excel serial or a date cell. Two-digit
    years up to `pivot` (default: this year's) are 20xx, later ones 19xx."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(value)
    text = str(value).strip()
    if not text:
        return None
    parsed = _date_from_text(text, today().year % 100 if pivot is None else pivot)
    if isinstance(parsed, str):
        raise CellError(parsed)
    return parsed


@lru_cache(maxsize=65536)
def _date_from_text(text: str, two_digit_pivot: int) -> dt.date | str:
    """The date a text names, or the message saying why it names none (cached: a members list
    repeats the same few thousand dates). Dates are read by common.dates.read_date, as in every
    form, so the messages are the same; an Excel serial written as text is read here."""
    if text.replace(".", "", 1).isdigit() and 4 <= len(text.split(".")[0]) <= 5:
        try:
            return _from_serial(float(text))
        except CellError as exc:
            return str(exc)
    try:
        day = read_date(text, two_digit_pivot=two_digit_pivot)
    except DateInputError as exc:
        return str(exc)
    assert day is not None  # the text is not empty
    return day


def _from_serial(value: float) -> dt.date:
    if not 1 <= value < 2_958_466:
        raise CellError(_("Số “{value:g}” không phải một ngày Excel hợp lệ.").format(value=value))
    return _EXCEL_EPOCH + dt.timedelta(days=int(value))


def _text(value: object) -> str:
    """A cell as one line of NFC text (numbers without a trailing ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unsafe_cell(" ".join(str(value).split()))
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def validate_cccd(cccd: str, *, birth_date: dt.date | None, gender: str) -> str | None:
    """Why a CCCD is invalid, for the row report ("Số CCCD “…”: …"), or None (common.cccd)."""
    why = cccd_problem(cccd, birth_date=birth_date, gender=gender)
    return (
        _("Số CCCD “{cccd}”: {lower}{value}").format(cccd=cccd, lower=why[0].lower(), value=why[1:])
        if why
        else None
    )


_GENDERS = {"nam": Gender.MALE.value, "nu": Gender.FEMALE.value, "male": Gender.MALE.value,
            "female": Gender.FEMALE.value, "m": Gender.MALE.value, "f": Gender.FEMALE.value}
_EDUCATION = {fold(str(label)): value for value, label in EducationLevel.choices} | {
    "9/12": "thcs", "12/12": "thpt", "cu nhan": "dai_hoc", "ky su": "dai_hoc",
    "trung hoc co so": "thcs", "trung hoc pho thong": "thpt", "tien sy": "tien_si",
    "thac sy": "thac_si",
}
_THEORY = {"so cap": "so_cap", "trung cap": "trung_cap", "cao cap": "cao_cap",
           "cu nhan": "cao_cap", "cao cap cu nhan": "cao_cap", "cao cap / cu nhan": "cao_cap"}
# free-text person fields and their lengths (the model's max_length)
_TEXT_LIMITS = (("email", 254), ("hometown", 200), ("address", 255), ("ethnicity", 40),
                ("religion", 40), ("occupation", 120))


@lru_cache(maxsize=65536)
def _fold_cached(text: str) -> str:
    return fold(text)


# ==============================================================================================
# The pass over the rows
# ==============================================================================================


@dataclass
class RowData:
    row: int
    cccd: str
    person: dict[str, object]  # only the fields the file gives (non-empty)
    branch: Unit | None
    joined: dt.date | None
    card_number: str

    def spooled(self) -> tuple[object, ...]:
        """A marshal-able form (dates as ordinals, the branch as its id)."""
        person = dict(self.person)
        birth = person.get("birth_date")
        if isinstance(birth, dt.date):
            person["birth_date"] = birth.toordinal()
        return (self.row, self.cccd, person, self.branch.pk if self.branch else 0,
                self.joined.toordinal() if self.joined else 0, self.card_number)


@dataclass
class Outcome:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    total: int = 0
    spool: str = ""  # the dry run's spool of good rows (a file name in the spool folder)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({r for r, _c, _m in self.errors})


@dataclass
class _Change:
    obj: Any  # a Person or a Membership, with its new values set
    before: dict[str, object]
    after: dict[str, object]
    unit_id: int | None  # the branch of the governing membership (for the audit's scoping)


@dataclass
class _Plan:
    new_people: list[RowData] = field(default_factory=list)
    new_members: list[tuple[RowData, Person]] = field(default_factory=list)
    person_updates: list[_Change] = field(default_factory=list)
    member_updates: list[_Change] = field(default_factory=list)


class ImportSuperseded(Exception):  # noqa: N818 - a signal to stop, not a failure
    """The job is no longer this worker's (cancelled, or resumed by another worker)."""


_MEMBER_AUDITED = ("branch_id", "unit_path", "joined_union_on", "card_number", "name_folded",
                   "birth_date", "gender")
BATCH_MODEL = "members.importbatch"  # the audit record of one committed batch
OUT_OF_SCOPE = gettext_lazy(
    "Số CCCD {cccd} thuộc một đoàn viên do đơn vị khác quản lý, ngoài phạm vi bạn được cập "
    "nhật: không nhập dòng này. Hãy đề nghị đơn vị đang quản lý đoàn viên cập nhật, hoặc làm "
    "thủ tục chuyển sinh hoạt Đoàn về đơn vị của bạn."
)

# the dry run's spool: batches of rows, each a length and its marshal bytes
_LENGTH = struct.Struct("<I")
# status of each row in a bytearray, one byte a row
_NONE, _NEW, _UPDATE, _SAME, _BAD = 0, 1, 2, 3, 4


class _Pass:
    def __init__(self, job: ImportJob, *, write: bool, skip: set[int] | None = None,
                 progress: Callable[[int], None] | None = None) -> None:
        self.job = job
        self.unit: Unit = job.unit
        self.write = write
        self.skip = skip or set()
        self.progress = progress
        self.mapping = {int(k): v for k, v in (job.mapping or {}).items() if v}
        self.col = {key: i for i, key in sorted(self.mapping.items(), reverse=True)}
        self.out = Outcome()
        self.status = bytearray()
        self.keys: list[array[int]] = []  # sorted runs of cccd << 23 | row
        self.current_keys: array[int] = array("q")
        self.day = today()
        self.pivot = self.day.year % 100
        self.serial_shift = 0  # days to add to date serials (1462 for a 1904-based workbook)
        self.policy: MembersPolicy | None = None
        self._policy_read = False
        self._branches: dict[str, list[Unit]] | None = None
        self._branch_by_id: dict[int, Unit] = {}
        self._unit_is_branch = bool(self.unit.kind.is_branch)
        self.batch_size = int(settings.MEMBER_IMPORT_BATCH)
        self.scope = Scope.for_user(job.created_by)
        self.batch_index = 0  # batches of this pass so far (the import commits one at a time)
        self.start_batch = 0  # on resume: the batches already committed, not written again
        self.seen_before = 0  # on resume: rows those batches held
        self.worker = ""  # the import's claim on the job ("host:pid"), checked at each batch

    # -- set-up ---------------------------------------------------------------------------------
    def branches(self) -> dict[str, list[Unit]]:
        if self._branches is None:
            found: dict[str, list[Unit]] = {}
            qs = Unit.objects.filter(path__startswith=self.unit.path, kind__is_branch=True,
                                     dissolved_on__isnull=True).only("id", "name", "path",
                                                                     "name_folded")
            for b in qs:
                self._branch_by_id[b.pk] = b
                folded = b.name_folded or fold(b.name)
                names = {folded}
                for prefix in ("chi doan ", "phan doan "):
                    if folded.startswith(prefix):
                        names.add(folded[len(prefix):])
                for n in names:
                    found.setdefault(n, []).append(b)
            self._branches = found
            if self._unit_is_branch:
                self._branch_by_id[self.unit.pk] = self.unit
        return self._branches

    def error(self, row: int, column: str, message: str) -> None:
        self.out.errors.append((row, column, message))

    # -- one row --------------------------------------------------------------------------------
    def parse(self, n: int, values: Sequence[object]) -> RowData | None:
        col, size = self.col, len(values)

        def cell(key: str) -> object:
            i = col.get(key, -1)
            return values[i] if 0 <= i < size else None

        errors: list[tuple[str, str]] = []
        person: dict[str, object] = {}

        name = _text(cell("full_name"))
        if not name:
            errors.append(("full_name", _("Thiếu họ và tên.")))
        elif len(name) > 120:
            errors.append(("full_name", _("Họ và tên dài quá 120 ký tự.")))
        elif problem := name_problem(name, _("Họ và tên")):  # look-alike names (issue 8)
            errors.append(("full_name", problem))
        else:
            person["full_name"] = name
        birth = self._date(cell("birth_date"), "birth_date", errors)
        joined = self._date(cell("joined_union_on"), "joined_union_on", errors)
        if birth is not None:
            person["birth_date"] = birth
        gender = ""
        raw = cell("gender")
        if raw is not None and raw != "":
            text = _text(raw)
            gender = _GENDERS.get(_fold_cached(text), "") if text else ""
            if gender:
                person["gender"] = gender
            elif text:
                errors.append(
                    ("gender", _("Giới tính “{text}” phải là Nam hoặc Nữ.").format(text=text))
                )
        cccd = normalise_cccd(cell("cccd")) or ""
        if not cccd:
            errors.append(("cccd", _("Thiếu số CCCD.")))
        else:
            why = validate_cccd(cccd, birth_date=birth, gender=gender)
            if why:
                errors.append(("cccd", why))
        if birth is not None:
            self._check_ages(birth, joined, errors)
        if joined is not None and birth is not None and joined <= birth:
            errors.append(("joined_union_on", _("Ngày vào Đoàn phải sau ngày sinh.")))
        raw = cell("phone")
        if raw is not None and raw != "":
            phone = _text(raw)
            if phone.isdigit() and len(phone) == 9:
                phone = "0" + phone  # a spreadsheet dropped the leading 0 of a number cell
            try:
                person["phone"] = normalize_phone(phone)
            except PhoneError as exc:
                errors.append(("phone", str(exc)))
        for key, choices in (("education_level", _EDUCATION), ("political_theory", _THEORY)):
            raw = cell(key)
            if raw is not None and raw != "":
                text = _text(raw)
                level = choices.get(_fold_cached(text).replace(" / ", "/"))
                if level is not None:
                    person[key] = level
                elif text:
                    allowed = ", ".join(str(v) for v in dict(
                        EducationLevel.choices if key == "education_level"
                        else TheoryLevel.choices).values())
                    errors.append(
                        (
                            key,
                            _("“{text}” không phải {lower} (chọn: {allowed}).").format(
                                text=text, lower=COLUMN_BY_KEY[key].label.lower(), allowed=allowed
                            ),
                        )
                    )
        for key, limit in _TEXT_LIMITS:
            raw = cell(key)
            if raw is not None and raw != "":
                text = _text(raw)
                if len(text) > limit:
                    errors.append(
                        (
                            key,
                            _("{label} dài quá {limit} ký tự.").format(
                                label=COLUMN_BY_KEY[key].label, limit=limit
                            ),
                        )
                    )
                elif text:
                    person[key] = text
        card = _text(cell("card_number"))
        if len(card) > 30:
            errors.append(("card_number", _("Số thẻ đoàn viên dài quá 30 ký tự.")))
        branch = self._branch(_text(cell("branch")), errors)
        if errors:
            for key, message in errors:
                self.error(n, str(COLUMN_BY_KEY[key].label), message)
            return None
        return RowData(n, cccd, person, branch, joined, card)

    def _date(self, value: object, key: str, errors: list[tuple[str, str]]) -> dt.date | None:
        if self.serial_shift and isinstance(value, float):
            value += self.serial_shift
        try:
            parsed = parse_cell_date(value, pivot=self.pivot)
        except CellError as exc:
            errors.append((key, str(exc)))
            return None
        if parsed is None:
            if COLUMN_BY_KEY[key].required:
                errors.append(
                    (key, _("Thiếu {lower}.").format(lower=COLUMN_BY_KEY[key].label.lower()))
                )
            return None
        if parsed > self.day:
            errors.append(
                (
                    key,
                    _("{label} {parsed:%d/%m/%Y} ở tương lai.").format(
                        label=COLUMN_BY_KEY[key].label, parsed=parsed
                    ),
                )
            )
            return None
        return parsed

    def _check_ages(self, birth: dt.date, joined: dt.date | None,
                    errors: list[tuple[str, str]]) -> None:
        policy = self._policy()
        if policy is None:
            return
        # ages as the Union counts them (core.rules.union_age, the policy's age_counting)
        age_now = policy_age(birth, self.day, policy)
        if joined is not None:
            age_in = policy_age(birth, joined, policy)
            lo, hi = policy.min_admission_age, policy.max_admission_age
            if not lo <= age_in <= hi:
                errors.append(
                    (
                        "joined_union_on",
                        _(
                            "Tuổi khi vào Đoàn là {age_in}, ngoài khoảng {lo}–{hi} tuổi theo quy "
                            "định."
                        ).format(age_in=age_in, lo=lo, hi=hi),
                    )
                )
        if age_now > policy.maturity_age:
            errors.append(
                (
                    "birth_date",
                    _(
                        "Đã {age_now} tuổi, quá tuổi đoàn viên ({maturity_age}) theo quy định."
                    ).format(age_now=age_now, maturity_age=policy.maturity_age),
                )
            )
        elif age_now < policy.min_admission_age:
            errors.append(
                (
                    "birth_date",
                    _("Mới {age_now} tuổi, chưa đủ {min_admission_age} tuổi để vào Đoàn.").format(
                        age_now=age_now, min_admission_age=policy.min_admission_age
                    ),
                )
            )

    def _branch(self, raw: str, errors: list[tuple[str, str]]) -> Unit | None:
        if raw:
            hits = self.branches().get(_fold_cached(raw), [])
            if not hits:
                errors.append(
                    (
                        "branch",
                        _("Không có chi đoàn “{raw}” trong {name}.").format(
                            raw=raw, name=self.unit.name
                        ),
                    )
                )
            elif len({b.pk for b in hits}) > 1:
                errors.append(
                    (
                        "branch",
                        _(
                            "Có {count} chi đoàn tên “{raw}” trong {name}: hãy ghi tên đầy đủ."
                        ).format(count=len(hits), raw=raw, name=self.unit.name),
                    )
                )
            else:
                return hits[0]
        elif self._unit_is_branch:
            return self.unit
        else:
            errors.append(("branch", _("Thiếu tên chi đoàn.")))
        return None

    def _policy(self) -> MembersPolicy | None:
        if not self._policy_read:
            from ..core.selectors import policy_for

            self._policy_read = True
            try:
                self.policy = policy_for(unit=self.unit, day=self.day)
            except MembersPolicy.DoesNotExist:
                self.policy = None  # no policy yet: ages are not checked
        return self.policy

    # -- the whole file -------------------------------------------------------------------------
    def run(self, sheet: Sheet, *, spool: IO[bytes] | None = None) -> Outcome:
        """Read, check and (when writing) upsert every row; with `spool`, also keep the rows
        found good there, so the import after the user's confirmation need not read the file
        again."""
        batch: list[RowData] = []
        seen = 0
        read = 0  # rows read, blank and bad ones too: the progress (a heartbeat) counts them
        self.serial_shift = 1462 if sheet.date1904 else 0
        for n, values in sheet.rows:
            read += 1
            if self.progress and read % self.batch_size == 0:
                self.progress(seen)
            if _is_blank(values):
                continue
            seen += 1
            self._grow(n)
            if n in self.skip:
                self.status[n] = _BAD
                continue
            data = self.parse(n, values)
            if data is None:
                self.status[n] = _BAD
            else:
                self.remember(int(data.cccd), n)
                batch.append(data)
            if len(batch) >= self.batch_size:
                self._batch(batch, spool, seen)
                batch = []
                if self.progress:
                    self.progress(seen)
        if batch:
            self._batch(batch, spool, seen)
        return self._finish(seen)

    def run_spooled(self, spool: IO[bytes], total: int) -> Outcome:
        """Upsert the rows a dry run kept (skipping the ones found bad), without the file; on
        resume, the batches already committed are passed over unread."""
        self.branches()
        seen = 0
        index = 0
        while head := spool.read(_LENGTH.size):
            size = _LENGTH.unpack(head)[0]
            if index < self.start_batch:
                spool.seek(size, os.SEEK_CUR)
                index += 1
                continue
            index += 1
            chunk = marshal.loads(spool.read(size))
            batch: list[RowData] = []
            for row, cccd, person, branch_id, joined, card in chunk:
                seen += 1
                self._grow(row)
                if row in self.skip:
                    self.status[row] = _BAD
                    continue
                if "birth_date" in person:
                    person["birth_date"] = dt.date.fromordinal(person["birth_date"])
                branch = self._branch_by_id.get(branch_id) if branch_id else None
                if branch_id and branch is None:  # dissolved since the dry run
                    self._bad(row, "branch", _("Chi đoàn đã giải thể hoặc chuyển đi sau khi "
                                               "kiểm tra tệp: hãy kiểm tra lại."))
                    continue
                self.remember(int(cccd), row)
                batch.append(RowData(row, cccd, person, branch,
                                     dt.date.fromordinal(joined) if joined else None, card))
            self.batch_index = index - 1
            self.flush(batch, rows_read=self.seen_before + seen)
            if self.progress:
                self.progress(self.seen_before + seen)
        return self._finish(max(total, self.seen_before + seen))

    def _grow(self, n: int) -> None:
        """Room for row n's status. Row numbers are bounded by the reader (≤ 1 048 576, and
        increasing), so this grows to at most 1 MB, in steps of at least 64 KB."""
        if len(self.status) <= n:
            self.status.extend(bytes(max(n + 1 - len(self.status), 65536)))

    def _batch(self, batch: list[RowData], spool: IO[bytes] | None, seen: int) -> None:
        if spool is not None:
            data = marshal.dumps([d.spooled() for d in batch])
            spool.write(_LENGTH.pack(len(data)) + data)
        if self.batch_index >= self.start_batch:
            self.flush(batch, rows_read=seen)
        self.batch_index += 1

    def _finish(self, seen: int) -> Outcome:
        if self.progress:
            self.progress(seen)
        self.out.total = seen
        self.duplicates()
        self.out.errors.sort()
        return self.out

    def remember(self, cccd: int, n: int) -> None:
        self.current_keys.append(cccd << 23 | n)
        if len(self.current_keys) >= 65536:
            self.keys.append(array("q", sorted(self.current_keys)))
            self.current_keys = array("q")

    def duplicates(self) -> None:
        """Rows whose CCCD appeared on an earlier row (found by merging the sorted runs)."""
        runs = [*self.keys, array("q", sorted(self.current_keys))]
        mask = (1 << 23) - 1
        last_cccd, first_row = -1, 0
        for key in heapq.merge(*runs):
            cccd, row = key >> 23, key & mask
            if cccd != last_cccd:
                last_cccd, first_row = cccd, row
                continue
            self.error(
                row,
                str(COLUMN_BY_KEY["cccd"].label),
                _("Số CCCD {cccd:012d} trùng với dòng {first_row} trong tệp.").format(
                    cccd=cccd, first_row=first_row
                ),
            )
            self._retract(row)

    def _retract(self, row: int) -> None:
        previous = self.status[row]
        if previous == _NEW:
            self.out.added -= 1
        elif previous == _UPDATE:
            self.out.updated -= 1
        elif previous == _SAME:
            self.out.unchanged -= 1
        self.status[row] = _BAD

    # -- one batch: lookups, classification, writes -----------------------------------------------
    def flush(self, batch: list[RowData], *, rows_read: int = 0) -> None:
        """Classify a batch (the dry run stops there). The import writes it in ONE transaction
        with its audit records and the job's progress, after checking that the job is still
        this worker's and that the batch is the next one: a batch is committed whole or not
        at all, and exactly once."""
        if not self.write:
            self._classify(batch)
            return
        from ..models import ImportStatus

        with transaction.atomic():
            job = ImportJob.objects.select_for_update().only(
                "status", "worker", "batches_done").get(pk=self.job.pk)
            if (job.status != ImportStatus.RUNNING or job.worker != self.worker
                    or job.batches_done != self.batch_index):
                raise ImportSuperseded
            plan = self._classify(batch)
            self._write(plan)
            ImportJob.objects.filter(pk=self.job.pk).update(
                batches_done=self.batch_index + 1, processed_rows=rows_read,
                heartbeat_at=timezone.now(), progress=self.progress_state())

    def progress_state(self) -> dict[str, object]:
        """The counts so far, saved with each batch so a resumed import goes on from them."""
        return {"step": "import", "added": self.out.added, "updated": self.out.updated,
                "unchanged": self.out.unchanged, "errors": [list(e) for e in self.out.errors]}

    def restore(self, state: dict[str, Any], *, batches: int, rows: int) -> None:
        self.out.added = int(state.get("added", 0))
        self.out.updated = int(state.get("updated", 0))
        self.out.unchanged = int(state.get("unchanged", 0))
        self.out.errors = [(int(r), str(c), str(m)) for r, c, m in state.get("errors", [])]
        self.start_batch = batches
        self.seen_before = rows

    def _classify(self, batch: list[RowData]) -> _Plan:
        plan = _Plan()
        people = {p.cccd: p for p in _people_by_cccd([d.cccd for d in batch])}
        governing = governing_memberships([p.pk for p in people.values()])
        writable = self._writable(list(governing.values()))
        in_batch: set[str] = set()
        for d in batch:
            if d.cccd in in_batch:
                # a repeat of an earlier row: bad, not counted (duplicates() reports it at the
                # end); marked "unchanged" it would be taken off a count it was never added to
                self.status[d.row] = _BAD
                continue
            in_batch.add(d.cccd)
            person = people.get(d.cccd)
            if person is None:
                if d.joined is None:
                    self._bad(d.row, "joined_union_on", _("Thiếu ngày vào Đoàn."))
                    continue
                plan.new_people.append(d)
                self._count(d.row, _NEW)
                continue
            governs = governing.get(person.pk)
            if (governs.pk not in writable) if governs is not None \
                    else not can_write_person(self.scope, person):
                # nothing about the person may show: not the name, not the unit
                self._bad(d.row, "cccd", OUT_OF_SCOPE.format(cccd=d.cccd))
                continue
            member = governs if governs is not None and governs.is_current else None
            if member is not None and not member.unit_path.startswith(self.unit.path):
                # within the importer's scope, so the name and the branch may be shown
                self._bad(
                    d.row,
                    "cccd",
                    _(
                        "{full_name} (CCCD {cccd}) đang sinh hoạt tại {branch}, ngoài {unit}: cần "
                        "chuyển sinh hoạt Đoàn trước khi nhập."
                    ).format(
                        full_name=person.full_name,
                        cccd=d.cccd,
                        branch=member.branch.name,
                        unit=self.unit.name,
                    ),
                )
                continue
            changed = [f for f, v in d.person.items() if getattr(person, f) != v]
            before = {f: getattr(person, f) for f in changed}
            for f in changed:
                setattr(person, f, d.person[f])
            person_change = _Change(person, before, {f: d.person[f] for f in changed},
                                    governs.branch_id if governs is not None else None)
            if member is None:
                if d.joined is None:
                    self._bad(d.row, "joined_union_on", _("Thiếu ngày vào Đoàn."))
                    continue
                plan.new_members.append((d, person))
                self._count(d.row, _NEW)
                if changed:
                    plan.person_updates.append(person_change)
                continue
            m_before = {f: getattr(member, f) for f in _MEMBER_AUDITED}
            if d.branch is not None and member.branch_id != d.branch.pk:
                member.branch, member.unit_path = d.branch, d.branch.path
            if d.joined is not None and member.joined_union_on != d.joined:
                member.joined_union_on = d.joined
            if d.card_number and member.card_number != d.card_number:
                member.card_number = d.card_number
            if {"full_name", "birth_date", "gender"} & set(changed):
                member.name_folded = fold(person.full_name)
                member.birth_date = person.birth_date
                member.gender = person.gender
            m_changed = [f for f in _MEMBER_AUDITED if getattr(member, f) != m_before[f]]
            if changed:
                plan.person_updates.append(person_change)
            if m_changed:
                plan.member_updates.append(_Change(
                    member, {f: m_before[f] for f in m_changed},
                    {f: getattr(member, f) for f in m_changed}, member.branch_id))
            self._count(d.row, _UPDATE if changed or m_changed else _SAME)
        return plan

    def _writable(self, memberships: list[Membership]) -> set[int]:
        """Which of these memberships the importer may write to: one query a batch."""
        ids = [m.pk for m in memberships]
        if not ids or self.scope.is_superuser:
            return set(ids)
        from doanvu.accounts.models import PermissionKind

        q = self.scope.q(PermissionKind.WRITE.value, path_field="unit_path", id_field="branch_id")
        return set(Membership.objects.filter(q, pk__in=ids).values_list("pk", flat=True))

    def _count(self, row: int, status: int) -> None:
        self.status[row] = status
        if status == _NEW:
            self.out.added += 1
        elif status == _UPDATE:
            self.out.updated += 1
        elif status == _SAME:
            self.out.unchanged += 1

    def _bad(self, row: int, key: str, message: str) -> None:
        self.status[row] = _BAD
        self.error(row, str(COLUMN_BY_KEY[key].label), message)

    def _write(self, plan: _Plan) -> None:
        now = timezone.now()
        person_cols = ["full_name", "name_folded", "gender", "birth_date", "phone", "email",
                       "cccd", "ethnicity", "religion", "hometown", "hometown_folded", "address",
                       "education_level", "political_theory", "party_member", "occupation"]
        person_rows: list[tuple[object, ...]] = []
        for d in plan.new_people:
            p = d.person
            full_name = str(p["full_name"])
            hometown = str(p.get("hometown", ""))
            person_rows.append((full_name, _fold_cached(full_name), p.get("gender", ""),
                                p.get("birth_date"), p.get("phone", ""), p.get("email", ""),
                                d.cccd, p.get("ethnicity", ""), p.get("religion", ""), hometown,
                                _fold_cached(hometown), p.get("address", ""),
                                p.get("education_level", ""), p.get("political_theory", ""),
                                False, p.get("occupation", "")))
        person_ids = _insert_returning_ids(Person, person_cols, person_rows)
        member_rows = [
            self._member_row(pid, str(row[1]), d.person.get("birth_date"),
                             str(d.person.get("gender", "")), d, now)
            for pid, row, d in zip(person_ids, person_rows, plan.new_people, strict=True)
        ]
        for d, person in plan.new_members:
            member_rows.append(self._member_row(person.pk, fold(person.full_name),
                                                person.birth_date, person.gender, d, now))
        member_ids = _insert_returning_ids(Membership, MEMBER_COLS, member_rows)
        person_updates = [c.obj for c in plan.person_updates]
        if person_updates:
            for person in person_updates:
                person.name_folded = fold(person.full_name)
                person.hometown_folded = fold(person.hometown)
            Person.objects.bulk_update(person_updates,
                                       [*PERSON_FIELDS, "name_folded", "hometown_folded"],
                                       batch_size=1000)
        if plan.member_updates:
            Membership.objects.bulk_update([c.obj for c in plan.member_updates],
                                           list(_MEMBER_AUDITED), batch_size=1000)
        self._audit(plan, person_ids, member_ids)

    def _audit(self, plan: _Plan, person_ids: list[int], member_ids: list[int]) -> None:
        """One record per person and per membership updated, with the old and the new values
        of what changed; then one record for the batch listing what it added (ids) and the
        records of what it updated: what "Hủy" needs to undo the batch."""
        from doanvu.audit import chain

        job = self.job
        reason = _("Nhập đoàn viên từ tệp {original_name} (lượt nhập #{pk})").format(
            original_name=job.original_name, pk=job.pk
        )
        entries = [
            chain.AuditEntry(action="update", model="org.person", object_pk=str(c.obj.pk),
                        object_repr=str(c.obj.full_name), unit_id=c.unit_id,
                        changes={"before": c.before, "after": c.after, "import_job": job.pk},
                        reason=reason)
            for c in plan.person_updates
        ] + [
            chain.AuditEntry(action="update", model="members.membership", object_pk=str(c.obj.pk),
                        object_repr=str(c.obj.name_folded), unit_id=c.unit_id,
                        changes={"before": c.before, "after": c.after, "import_job": job.pk},
                        reason=reason)
            for c in plan.member_updates
        ]
        if not (entries or person_ids or member_ids):
            return
        updated = [r.id for r in chain.append_many(entries, actor=job.created_by)]
        chain.append_many(
            [
                chain.AuditEntry(
                    action="create",
                    model=BATCH_MODEL,
                    object_pk=f"{job.pk}:{self.batch_index}",
                    object_repr=_("Nhập đoàn viên từ {original_name}, lô {value}").format(
                        original_name=job.original_name, value=self.batch_index + 1
                    ),
                    unit_id=job.unit_id,
                    reason=reason,
                    changes={
                        "before": {},
                        "after": {
                            "persons_added": person_ids,
                            "memberships_added": member_ids,
                            "update_records": updated,
                        },
                    },
                )
            ],
            actor=job.created_by,
        )

    def _member_row(self, person_id: int, folded: str, birth: object, gender: str, d: RowData,
                    now: dt.datetime) -> tuple[object, ...]:
        branch = d.branch
        assert branch is not None
        return (person_id, branch.pk, branch.path, folded, birth, gender, d.joined, d.card_number,
                MemberStatus.ACTIVE.value, True, d.joined, None, "", False, False, False, now)


def _people_by_cccd(cccds: list[str]) -> Iterable[Person]:
    """The persons with these CCCDs: one array parameter on PostgreSQL (a 5 000-value IN list
    costs more to build and parse than to run)."""
    if connection.vendor == "postgresql":
        return Person.objects.raw(
            f"SELECT * FROM {Person._meta.db_table} WHERE cccd = ANY(%s)", [cccds]
        )
    return Person.objects.filter(cccd__in=cccds)


MEMBER_COLS = ["person_id", "branch_id", "unit_path", "name_folded", "birth_date", "gender",
               "joined_union_on", "card_number", "status", "is_current", "started_on",
               "ended_on", "end_reason", "has_salary", "pays_quarterly", "holds_union_post",
               "created_at"]


def _insert_returning_ids(model: type[Any], columns: list[str],
                          rows: list[tuple[object, ...]]) -> list[int]:
    """Insert rows, return their ids in order: ids from the sequence + COPY on PostgreSQL,
    bulk_create elsewhere."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = [r[0] for r in cur.fetchall()]
        _bulk_insert(model, ["id", *columns],
                     [(i, *row) for i, row in zip(ids, rows, strict=True)])
        return ids
    objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    model.objects.bulk_create(objs, batch_size=500)
    return [o.pk for o in objs]


def _bulk_insert(model: type[Any], columns: list[str], rows: list[tuple[object, ...]]) -> None:
    """COPY on PostgreSQL, bulk_create elsewhere (no signals: the pass audits each batch
    itself, see _Pass._audit)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        cols = ", ".join(qn(model._meta.get_field(c).column) for c in columns)
        with connection.cursor() as cur:
            sql = f"COPY {qn(model._meta.db_table)} ({cols}) FROM STDIN"
            with cur.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows],
                              batch_size=500)


# ==============================================================================================
# Entry points
# ==============================================================================================


def spool_path(job: ImportJob) -> str:
    """Where the job's dry run keeps the rows it found good: a private folder (not the uploads),
    under a name only the job's report knows."""
    name = str((job.report or {}).get("spool") or "")
    if not re.fullmatch(r"\d+-[0-9a-f]{32}\.rows", name):
        return ""
    return os.path.join(settings.MEMBER_IMPORT_SPOOL_DIR, name)


def dry_run(job: ImportJob, *, progress: Callable[[int], None] | None = None) -> Outcome:
    """Check every row; write nothing but the job's report and the spool of good rows (its
    name goes into job.report["spool"])."""
    os.makedirs(settings.MEMBER_IMPORT_SPOOL_DIR, exist_ok=True)
    # an earlier dry run's spool, and any a killed dry run left behind
    for old in os.listdir(settings.MEMBER_IMPORT_SPOOL_DIR):
        if old.startswith(f"{job.pk}-") and old.endswith(".rows"):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(settings.MEMBER_IMPORT_SPOOL_DIR, old))
    name = f"{job.pk}-{uuid.uuid4().hex}.rows"
    path = os.path.join(settings.MEMBER_IMPORT_SPOOL_DIR, name)
    sheet = open_sheet(job.file.path, job.original_name)
    try:
        with open(path, "wb") as spool:
            out = _Pass(job, write=False, progress=progress).run(sheet, spool=spool)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    finally:
        sheet.close()
    out.spool = name
    return out


def run_import(job: ImportJob, *, progress: Callable[[int], None] | None = None,
               worker: str = "") -> Outcome:
    """Write the rows that were valid in the dry run (job.report["bad_rows"]): from the dry
    run's spool when there is one, else by reading the file again; batch by batch, going on
    after the batches the job has already committed."""
    skip = set(job.report.get("bad_rows", []))
    work = _Pass(job, write=True, skip=skip, progress=progress)
    work.worker = worker
    work.restore(job.progress or {}, batches=job.batches_done, rows=job.processed_rows)
    path = spool_path(job)
    if path and os.path.exists(path):
        with open(path, "rb") as spool:
            out = work.run_spooled(spool, total=job.total_rows)
        return out
    sheet = open_sheet(job.file.path, job.original_name)
    try:
        out = work.run(sheet)
    finally:
        sheet.close()
    return out


def report_of(out: Outcome) -> dict[str, object]:
    return {
        "total": out.total,
        "added": out.added,
        "updated": out.updated,
        "unchanged": out.unchanged,
        "errors": [list(e) for e in out.errors],
        "bad_rows": out.bad_rows,
        "spool": out.spool,
    }


# ==============================================================================================
# The job's steps (the writes of the import pages)
# ==============================================================================================


def import_job_create(*, actor: Any, unit: Unit, upload: Any) -> ImportJob:
    """Store the upload and read its header row; a file we cannot read is refused whole."""
    require_unit_write(actor=actor, unit=unit, message=str(NOT_YOUR_UNIT))
    from django.core.files.base import File

    job = ImportJob(unit=unit, created_by=actor, original_name=str(upload.name)[:255])
    job.file.save(_safe_name(str(upload.name)), File(upload), save=False)
    try:
        sheet = open_sheet(job.file.path, job.original_name)
        sheet.close()
    except ImportFileError:
        job.file.delete(save=False)
        raise
    job.mapping = auto_mapping(sheet.headers)
    job.report = {"headers": sheet.headers, "header_row": sheet.header_row}
    job.save()
    return job


def import_job_discard(*, job: ImportJob) -> None:
    """Drop a job just uploaded and never checked (an upload the caller refuses at once, e.g.
    the API's when required columns are missing): its stored file and its row."""
    from ..models import ImportStatus

    if job.status != ImportStatus.UPLOADED:
        raise ImportStateError(_("Lượt nhập này đã được kiểm tra thử: không bỏ được."))
    job.file.delete(save=False)
    job.delete()


def _safe_name(name: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", fold(name)).strip("-.") or "tep"
    return base[-80:]


def import_job_check(*, job: ImportJob, mapping: dict[str, str],
                     progress: Callable[[int], None] | None = None) -> Outcome:
    """Save the mapping and run the dry run: nothing but the job is written."""
    from ..models import ImportStatus

    job.mapping = {k: v for k, v in mapping.items() if v}
    out = dry_run(job, progress=progress)
    job.report = {**report_of(out), "headers": job.report.get("headers", []),
                  "header_row": job.report.get("header_row", 1)}
    job.total_rows = out.total
    job.bad_rows = len(out.bad_rows)
    job.processed_rows = 0
    job.status = ImportStatus.CHECKED
    job.worker, job.heartbeat_at, job.progress = "", None, {}
    job.save(update_fields=["mapping", "report", "total_rows", "bad_rows", "processed_rows",
                            "status", "worker", "heartbeat_at", "progress"])
    return out


# ==============================================================================================
# Fault handling: who runs a job, whether it still runs, resume and cancel
# ==============================================================================================


def worker_id() -> str:
    """This process, as a job records its worker: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_gone(worker: str) -> bool:
    """True when the worker that claimed a job was a process of this host that no longer
    exists (killed, crashed, restarted); a worker on another host is judged by heartbeat."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.MEMBER_IMPORT_STALE_SECONDS)


def import_job_interrupted(job: ImportJob) -> bool:
    """Whether the job's dry run or import has stopped without finishing: marked so, or
    "running" with the worker that took it gone or silent for longer than
    MEMBER_IMPORT_STALE_SECONDS (a worker reports after every batch)."""
    from ..models import ImportStatus

    if job.status == ImportStatus.INTERRUPTED:
        return True
    if job.status not in (ImportStatus.RUNNING, ImportStatus.CHECKING):
        return False
    if not job.worker:
        # queued, no worker has taken it yet: waiting (import_job_waiting_for_worker), not
        # interrupted — a worker started later takes it (its start sweep must leave it be)
        return False
    if _worker_gone(job.worker):
        return True
    return job.heartbeat_at is None or job.heartbeat_at < _stale_before()


def import_job_waiting_for_worker(job: ImportJob, *, now: dt.datetime | None = None) -> bool:
    """Queued (a dry run or an import) and still taken by no worker after
    TASK_PICKUP_WARN_SECONDS: the page says so and what to do (common.background)."""
    from doanvu.common.background import pickup_overdue

    from ..models import ImportStatus

    return (job.status in (ImportStatus.RUNNING, ImportStatus.CHECKING) and not job.worker
            and pickup_overdue(job.heartbeat_at, now=now))


def import_job_step(job: ImportJob) -> str:
    """"check" (the dry run) or "import": what an interrupted job was doing."""
    from ..models import ImportStatus

    if job.status == ImportStatus.CHECKING:
        return "check"
    if job.status == ImportStatus.RUNNING:
        return "import"
    return str((job.progress or {}).get("step") or "import")


def import_jobs_sweep() -> int:
    """Mark the jobs whose worker died as interrupted (run when a worker starts, so a restart
    after a crash shows them at once); returns how many."""
    from ..models import ImportStatus

    marked = 0
    running = ImportJob.objects.filter(status__in=[ImportStatus.RUNNING, ImportStatus.CHECKING])
    for job in running.only("status", "worker", "heartbeat_at", "progress"):
        if import_job_interrupted(job):
            marked += ImportJob.objects.filter(
                pk=job.pk, status=job.status, worker=job.worker, heartbeat_at=job.heartbeat_at
            ).update(status=ImportStatus.INTERRUPTED,
                     progress={**(job.progress or {}), "step": import_job_step(job)})
    return marked


class ImportStateError(Exception):
    """A resume or cancel asked of a job not in that state (Vietnamese message)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def import_job_take_over(job: ImportJob, *, status: str, **values: object) -> bool:
    """Move an interrupted job to `status` if nobody touched it since it was read (two clicks,
    or a worker that reports late, cannot both win)."""
    if not import_job_interrupted(job):
        raise ImportStateError(_("Lượt nhập này vẫn đang chạy: hãy chờ, trang sẽ tự cập nhật."))
    return bool(ImportJob.objects.filter(
        pk=job.pk, status=job.status, worker=job.worker, heartbeat_at=job.heartbeat_at,
        batches_done=job.batches_done,
    ).update(status=status, **values))


def import_job_cancel(*, job: ImportJob, actor: Any) -> dict[str, int]:
    """"Hủy": an interrupted dry run goes back to the mapping page; an interrupted import is
    rolled back from its audit records — the persons and memberships its batches added are
    deleted and the ones it updated get their old values back — in one transaction, audited
    like the import (one record per person or membership restored, one for the job)."""
    require_unit_write(actor=actor, unit=job.unit, message=str(NOT_YOUR_UNIT))
    from doanvu.audit import chain
    from doanvu.audit.models import AuditRecord

    from ..models import ImportStatus

    step = import_job_step(job)
    if step == "check":
        import_job_take_over(job, status=ImportStatus.UPLOADED, worker="", heartbeat_at=None,
                             processed_rows=0, progress={})
        return {}
    with transaction.atomic():
        if not import_job_take_over(job, status=ImportStatus.CANCELLED, worker="",
                                    heartbeat_at=None):
            raise ImportStateError(_("Lượt nhập này vừa được người khác tiếp tục hoặc hủy."))
        batches = list(AuditRecord.objects.filter(model=BATCH_MODEL,
                                                  object_pk__startswith=f"{job.pk}:"))
        persons: list[int] = []
        members: list[int] = []
        updates: list[int] = []
        for rec in batches:
            after = rec.changes.get("after", {})
            persons += after.get("persons_added", [])
            members += after.get("memberships_added", [])
            updates += after.get("update_records", [])
        entries: list[chain.AuditEntry] = []
        reason = _("Hủy lượt nhập #{pk} (tệp {original_name}) bị gián đoạn").format(
            pk=job.pk, original_name=job.original_name
        )
        for rec in AuditRecord.objects.filter(id__in=updates).order_by("-id"):
            model: type[Person] | type[Membership] = (
                Person if rec.model == "org.person" else Membership)
            before = dict(rec.changes.get("before", {}))
            obj: Any = model.objects.filter(pk=int(rec.object_pk)).first()
            if obj is None:
                continue
            old = {f: chain.to_jsonable(getattr(obj, f)) for f in before}
            values: dict[str, object] = {}
            for f, v in before.items():
                field_obj: Any = model._meta.get_field(f)
                values[field_obj.attname] = field_obj.to_python(v)
            if model is Person:
                values["name_folded"] = fold(str(values.get("full_name", obj.full_name)))
                values["hometown_folded"] = fold(str(values.get("hometown", obj.hometown)))
            # a queryset update: the restore is audited below, once, like the import
            model.objects.filter(pk=obj.pk).update(**values)
            entries.append(chain.AuditEntry(action="update", model=rec.model,
                                       object_pk=rec.object_pk, object_repr=rec.object_repr,
                                       unit_id=rec.unit_id, reason=reason,
                                       changes={"before": old, "after": before,
                                                "import_job": job.pk}))
        if members:
            Membership.objects.filter(pk__in=members).delete()
        if persons:
            Person.objects.filter(pk__in=persons).delete()
        counts = {"restored": len(entries), "memberships_deleted": len(members),
                  "persons_deleted": len(persons)}
        entries.append(
            chain.AuditEntry(
                action="delete",
                model="members.importjob",
                object_pk=str(job.pk),
                object_repr=_("Hủy nhập đoàn viên từ {original_name}").format(
                    original_name=job.original_name
                ),
                unit_id=job.unit_id,
                reason=reason,
                changes={"before": {"memberships": members, "persons": persons}, "after": counts},
            )
        )
        chain.append_many(entries, actor=actor)
    path = spool_path(job)
    if path:
        with contextlib.suppress(OSError):
            os.unlink(path)
    return counts


# ==============================================================================================
# Uploads left behind: expiry after the policy's days
# ==============================================================================================


def import_jobs_expire(*, now: dt.datetime | None = None) -> int:
    """Expire the uploads nobody confirmed: a job uploaded, checked, failed or whose dry run was
    interrupted, uploaded longer ago than its unit's policy's `import_upload_expiry_days`,
    loses its file and spool and becomes "expired", with one audit record each (the records of
    what it did stay). A job confirmed, running, done or cancelled is left alone; a unit without
    a policy keeps its uploads. Safe to run twice; returns how many jobs expired."""
    from ..core.selectors import policy_for
    from ..models import ImportStatus

    now = now or timezone.now()
    day = timezone.localdate(now)
    waiting = ImportJob.objects.filter(status__in=[
        ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED,
        ImportStatus.INTERRUPTED]).select_related("unit").order_by("pk")
    days_by_unit: dict[int, int | None] = {}
    expired = 0
    for job in waiting:
        if job.status == ImportStatus.INTERRUPTED and import_job_step(job) != "check":
            continue  # an interrupted import: its batches are in; resume or cancel decide
        if job.unit_id not in days_by_unit:
            try:
                days_by_unit[job.unit_id] = policy_for(
                    unit=job.unit, day=day).import_upload_expiry_days
            except MembersPolicy.DoesNotExist:
                days_by_unit[job.unit_id] = None
        days = days_by_unit[job.unit_id]
        if days is None or job.created_at > now - dt.timedelta(days=days):
            continue
        expired += _expire(job, days=days)
    return expired


def _expire(job: ImportJob, *, days: int) -> bool:
    from doanvu.audit import chain

    from ..models import ImportStatus

    spool = spool_path(job)
    with transaction.atomic():
        # only as it was read: a click on "check" or "confirm" meanwhile wins
        if not ImportJob.objects.filter(
            pk=job.pk, status=job.status, worker=job.worker, heartbeat_at=job.heartbeat_at,
        ).update(status=ImportStatus.EXPIRED, file="", worker="", heartbeat_at=None,
                 progress={}, report={"headers": (job.report or {}).get("headers", []),
                                      "expired_after_days": days}):
            return False
        chain.append(
            action="update",
            model="members.importjob",
            object_pk=str(job.pk),
            object_repr=_("Nhập đoàn viên từ {original_name}").format(
                original_name=job.original_name
            ),
            unit_id=job.unit_id,
            reason=_(
                "Hết hạn: tệp tải lên không được xác nhận trong {days} ngày, đã xóa tệp"
            ).format(days=days),
            changes={
                "before": {
                    "status": job.status,
                    "file": job.file.name,
                    "spool": os.path.basename(spool),
                },
                "after": {"status": ImportStatus.EXPIRED, "file": "", "spool": ""},
            },
        )
    if job.file.name:
        with contextlib.suppress(OSError):
            job.file.storage.delete(job.file.name)
    # the spool the report names and any a killed dry run left behind
    with contextlib.suppress(OSError):
        for name in os.listdir(settings.MEMBER_IMPORT_SPOOL_DIR):
            if name.startswith(f"{job.pk}-") and name.endswith(".rows"):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(settings.MEMBER_IMPORT_SPOOL_DIR, name))
    return True


# ==============================================================================================
# The background tasks' bodies
# ==============================================================================================


def _claim(job_id: int, status: str) -> str:
    """Take the job for this worker if it is queued in `status` and nobody has it: "" when
    it is not ours to run (already running elsewhere, cancelled, or a duplicate task)."""
    me = worker_id()
    claimed = ImportJob.objects.filter(pk=job_id, status=status, worker="").update(
        worker=me, heartbeat_at=timezone.now())
    return me if claimed else ""


def import_job_check_run(*, job_id: int) -> dict[str, int]:
    """The background dry run: check, count the rows read so far for the progress bar (each
    count is a heartbeat); a file that breaks off or goes past a limit is reported on the
    mapping page (the job goes back to "uploaded" with the reason), never left "checking"."""
    from ..models import ImportStatus

    me = _claim(job_id, ImportStatus.CHECKING)
    if not me:
        return {"skipped": 1}
    job = ImportJob.objects.select_related("unit", "unit__kind", "created_by").get(pk=job_id)

    def progress(n: int) -> None:
        ImportJob.objects.filter(pk=job.pk, worker=me).update(processed_rows=n,
                                                              heartbeat_at=timezone.now())

    failure = ""
    try:
        out = import_job_check(job=job, mapping=job.mapping, progress=progress)
    except ImportFileError as exc:
        failure = exc.message
    except Exception:
        failure = _("Kiểm tra thử dừng vì một lỗi ngoài dự kiến: hãy thử lại; nếu vẫn lỗi, báo "
                    "cho quản trị hệ thống.")
        _fail_check(job, failure)
        raise
    if failure:
        _fail_check(job, failure)
        return {"failed": 1}
    return {"total": out.total, "errors": len(out.bad_rows)}


def _fail_check(job: ImportJob, failure: str) -> None:
    from ..models import ImportStatus

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.UPLOADED, report={**job.report, "failure": failure},
        processed_rows=0, worker="", heartbeat_at=None, progress={})


def import_job_run(*, job_id: int) -> dict[str, int]:
    """The background task's body: import batch by batch (each committed with its audit
    records and the job's progress), then finish the job with its summary record."""
    from doanvu.accounts.models import PermissionKind
    from doanvu.audit import chain

    from ..models import ImportStatus

    me = _claim(job_id, ImportStatus.RUNNING)
    if not me:
        return {"skipped": 1}
    job = ImportJob.objects.select_related("unit", "unit__kind", "created_by").get(pk=job_id)
    if not Scope.for_user(job.created_by).can(PermissionKind.WRITE.value, job.unit):
        _fail_import(job, _("Người tải tệp lên không còn quyền cập nhật đơn vị này: không nhập."))
        return {"failed": 1}

    def progress(n: int) -> None:
        ImportJob.objects.filter(pk=job.pk, worker=me).update(heartbeat_at=timezone.now())

    try:
        out = run_import(job, progress=progress, worker=me)
    except ImportSuperseded:
        return {"skipped": 1}
    except ImportFileError as exc:
        _fail_import(job, exc.message)
        return {"failed": 1}
    except Exception:
        # what is committed stays (whole batches, audited); the page offers resume or cancel
        with transaction.atomic():
            now = ImportJob.objects.select_for_update().filter(
                pk=job.pk, worker=me, status=ImportStatus.RUNNING).first()
            if now is not None:  # progress as the last committed batch left it
                now.status = ImportStatus.INTERRUPTED
                now.progress = {**now.progress, "step": "import"}
                now.save(update_fields=["status", "progress"])
        raise
    dry = dict(job.report)
    report = {**report_of(out), "headers": dry.get("headers", []),
              "header_row": dry.get("header_row", 1), "dry_run": {
                  k: dry.get(k) for k in ("total", "added", "updated", "unchanged")}}
    # the rows refused in the dry run (not read again) and any refused now
    report["errors"] = sorted([*dry.get("errors", []), *[list(e) for e in out.errors]])
    report["new_errors"] = len(out.errors)
    bad_rows = len({e[0] for e in report["errors"]})
    counts = {"added": out.added, "updated": out.updated, "unchanged": out.unchanged,
              "errors": bad_rows, "total": out.total}
    with transaction.atomic():
        done = ImportJob.objects.filter(pk=job.pk, worker=me,
                                        status=ImportStatus.RUNNING).update(
            report=report, processed_rows=out.total, status=ImportStatus.DONE,
            bad_rows=bad_rows, heartbeat_at=timezone.now(), progress={})
        if not done:
            return {"skipped": 1}
        chain.append(
            action="create",
            model="members.importjob",
            object_pk=str(job.pk),
            object_repr=_("Nhập đoàn viên từ {original_name}").format(
                original_name=job.original_name
            ),
            unit_id=job.unit_id,
            changes={"before": {}, "after": counts},
            actor=job.created_by,
            reason=_("Nhập {added} thêm, {updated} cập nhật, {unchanged} không đổi").format(
                added=out.added, updated=out.updated, unchanged=out.unchanged
            ),
        )
    # the spool served its one import (a job is imported once); the upload is kept
    if spool_path(job):
        with contextlib.suppress(OSError):
            os.unlink(spool_path(job))
    return counts


def _fail_import(job: ImportJob, failure: str) -> None:
    from ..models import ImportStatus

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, report={**job.report, "failure": failure}, worker="",
        heartbeat_at=None)
