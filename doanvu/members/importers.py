"""Import of members from .xlsx/.csv (MEM-13): read, map, check (dry run), upsert by CCCD.

Streaming throughout: an .xlsx is read with openpyxl's read-only mode, a .csv with the csv
module, in batches of `BATCH` rows; each batch costs two lookups (persons by CCCD, their
current memberships) and a few bulk writes (COPY on PostgreSQL). What grows with the file is
8 bytes a row for the within-file duplicate check and one byte a row of status, so memory stays
flat whatever the size.

The same pass serves the dry run (`dry_run`, writes nothing) and the import (`run_import`,
which skips the rows the dry run found bad: only what the user confirmed is written). A
re-import of the same file changes nothing ("0 thêm, 0 cập nhật, N không đổi"): empty cells
never blank a stored value, and a row equal to what is stored is not written.
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import io
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from doanvu.common.dates import today
from doanvu.common.text import fold
from doanvu.org.models import EducationLevel, Gender, Person, TheoryLevel, Unit

from .models import ImportJob, Membership, MembersPolicy, MemberStatus

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
    label: str
    aliases: tuple[str, ...]  # folded header texts that mean this column
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("full_name", "Họ và tên",
           ("ho va ten", "ho ten", "ho va ten doan vien", "ten doan vien", "ho ten doan vien"),
           True),
    Column("birth_date", "Ngày sinh", ("ngay sinh", "ngay thang nam sinh", "sinh ngay"), True),
    Column("gender", "Giới tính", ("gioi tinh", "gioi", "nam nu")),
    Column("cccd", "Số CCCD",
           ("so cccd", "cccd", "so can cuoc", "so can cuoc cong dan", "can cuoc cong dan",
            "can cuoc", "so dinh danh", "so dinh danh ca nhan", "so cccd cmnd", "cccd cmnd"),
           True),
    Column("joined_union_on", "Ngày vào Đoàn",
           ("ngay vao doan", "ngay ket nap", "ngay ket nap doan", "ngay ket nap vao doan"), True),
    Column("card_number", "Số thẻ đoàn viên", ("so the doan vien", "so the", "the doan vien")),
    Column("phone", "Điện thoại",
           ("dien thoai", "so dien thoai", "sdt", "dt", "dien thoai di dong")),
    Column("email", "Thư điện tử", ("email", "e mail", "thu dien tu")),
    Column("hometown", "Quê quán", ("que quan", "que", "nguyen quan")),
    Column("address", "Nơi ở hiện nay", ("noi o hien nay", "dia chi", "cho o hien nay", "noi o")),
    Column("ethnicity", "Dân tộc", ("dan toc",)),
    Column("religion", "Tôn giáo", ("ton giao",)),
    Column("education_level", "Trình độ học vấn",
           ("trinh do hoc van", "trinh do van hoa", "hoc van", "trinh do chuyen mon",
            "trinh do")),
    Column("political_theory", "Lý luận chính trị",
           ("ly luan chinh tri", "trinh do ly luan chinh tri", "llct")),
    Column("occupation", "Nghề nghiệp", ("nghe nghiep", "cong viec")),
    Column("branch", "Chi đoàn",
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
    missing = [c.label for c in COLUMNS if c.required and c.key not in keys]
    if not unit_is_branch and "branch" not in keys:
        missing.append(COLUMN_BY_KEY["branch"].label)
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


def _is_blank(values: Sequence[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _find_header(first: list[Sequence[object]]) -> int:
    best, best_n = -1, 1
    for i, row in enumerate(first):
        n = len({k for k in (header_key(v) for v in row) if k})
        if n > best_n:
            best, best_n = i, n
    if best < 0:
        labels = ", ".join(c.label for c in COLUMNS if c.required)
        raise ImportFileError(
            "Không tìm thấy dòng tiêu đề trong 20 dòng đầu của tệp: cần một dòng ghi tên các "
            f"cột, ít nhất {labels}."
        )
    return best


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def open_sheet(path: str, name: str = "") -> Sheet:
    """Open an .xlsx or .csv for streaming; raise ImportFileError for anything else."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        raise ImportFileError("Tệp rỗng: không có dòng nào để nhập.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "Tệp Excel 97–2003 (.xls) chưa được hỗ trợ: hãy mở bằng Excel và lưu lại dạng .xlsx."
        )
    if head.startswith(b"PK\x03\x04"):
        raw_rows, close = _xlsx_rows(path)
    else:
        raw_rows, close = _csv_rows(path, head)
    first: list[Sequence[object]] = []
    try:
        for _ in range(HEADER_SCAN_ROWS):
            try:
                first.append(next(raw_rows))
            except StopIteration:
                break
        h = _find_header(first)
    except BaseException:
        close()
        raise
    header_cells = list(first[h])
    while header_cells and (header_cells[-1] is None or str(header_cells[-1]).strip() == ""):
        header_cells.pop()
    headers = ["" if v is None else " ".join(str(v).split()) for v in header_cells]
    # A merged header leaves the merged-over cells empty while the data below fill them.
    for row in first[h + 1 :]:
        if _is_blank(row):
            continue
        for i, text in enumerate(headers):
            if not text and i < len(row) and row[i] not in (None, ""):
                close()
                raise ImportFileError(
                    f"Dòng tiêu đề (dòng {h + 1}) có ô trống hoặc ô gộp ở cột {_col_letter(i)} "
                    "trong khi cột này có dữ liệu: hãy bỏ gộp ô và ghi tên cho từng cột."
                )
        break

    def rows() -> Iterator[tuple[int, Sequence[object]]]:
        n = h + 1
        for row in first[h + 1 :]:
            n += 1
            yield n, row
        for row in raw_rows:
            n += 1
            yield n, row

    return Sheet(headers, h + 1, rows(), close)


def _xlsx_rows(path: str) -> tuple[Iterator[Sequence[object]], Callable[[], None]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError,
            IndexError) as exc:
        raise ImportFileError(
            "Không đọc được tệp: đây không phải bảng tính .xlsx hợp lệ (hoặc tệp đã hỏng)."
        ) from exc

    def gen() -> Iterator[Sequence[object]]:
        try:
            yield from ws.iter_rows(values_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ImportFileError("Tệp .xlsx bị hỏng giữa chừng: không đọc tiếp được.") from exc

    return gen(), wb.close


def _csv_rows(path: str, head: bytes) -> tuple[Iterator[Sequence[object]], Callable[[], None]]:
    if b"\x00" in head:
        raise ImportFileError(
            "Tệp không phải bảng tính: hãy tải lên tệp .xlsx hoặc .csv (mã UTF-8)."
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
            raise ImportFileError(
                "Tệp CSV không ở mã UTF-8: hãy lưu lại từ Excel bằng “CSV UTF-8 (Comma delimited)”."
            ) from exc
    first_line = sample.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by Sheet.close

    def gen() -> Iterator[Sequence[object]]:
        try:
            yield from csv.reader(fh, delimiter=delimiter)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                "Tệp CSV không ở mã UTF-8: hãy lưu lại từ Excel bằng “CSV UTF-8 (Comma delimited)”."
            ) from exc
        except csv.Error as exc:
            raise ImportFileError(f"Tệp CSV hỏng: {exc}.") from exc

    return gen(), fh.close


# ==============================================================================================
# Cell values
# ==============================================================================================


class CellError(Exception):
    pass


_DATE_RE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_cell_date(value: object) -> dt.date | None:
    """dd/mm/yyyy, d-m-yy, d.m.yyyy, yyyy-mm-dd, an Excel serial or a date cell."""
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
    m = _DATE_RE.match(text)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            y += 2000 if y <= today().year % 100 else 1900
        try:
            return dt.date(y, mo, d)
        except ValueError:
            raise CellError(f"Ngày “{text}” không có thật.") from None
    m = _ISO_RE.match(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise CellError(f"Ngày “{text}” không có thật.") from None
    if text.replace(".", "", 1).isdigit() and 4 <= len(text.split(".")[0]) <= 5:
        return _from_serial(float(text))
    raise CellError(
        f"Ngày “{text}” không đúng dạng: hãy ghi ngày/tháng/năm, ví dụ 17/05/2000."
    )


def _from_serial(value: float) -> dt.date:
    if not 1 <= value < 2_958_466:
        raise CellError(f"Số “{value:g}” không phải một ngày Excel hợp lệ.")
    return _EXCEL_EPOCH + dt.timedelta(days=int(value))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def normalise_cccd(value: object) -> str:
    """Digits only ("072 200 001 234" → "072200001234"); a number cell gets its leading 0 back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value))
        return digits.zfill(12) if len(digits) == 11 else digits
    return re.sub(r"[\s\u00a0\u200b.\-]", "", str(value or ""))


def validate_cccd(cccd: str, *, birth_date: dt.date | None, gender: str) -> str | None:
    """Why a CCCD is invalid (Vietnamese), or None — rules.validate_cccd: 12 digits, a real
    province code, century/gender and year digits consistent with birth date and gender."""
    from . import rules

    try:
        rules.validate_cccd(cccd, birth_date=birth_date, gender=gender)
    except rules.RuleError as exc:
        return f"Số CCCD “{cccd}”: {str(exc)[0].lower()}{str(exc)[1:]}"
    return None


_GENDERS = {"nam": Gender.MALE.value, "nu": Gender.FEMALE.value, "male": Gender.MALE.value,
            "female": Gender.FEMALE.value, "m": Gender.MALE.value, "f": Gender.FEMALE.value}
_EDUCATION = {fold(label): value for value, label in EducationLevel.choices} | {
    "9/12": "thcs", "12/12": "thpt", "cu nhan": "dai_hoc", "ky su": "dai_hoc",
    "trung hoc co so": "thcs", "trung hoc pho thong": "thpt", "tien sy": "tien_si",
    "thac sy": "thac_si",
}
_THEORY = {"so cap": "so_cap", "trung cap": "trung_cap", "cao cap": "cao_cap",
           "cu nhan": "cao_cap", "cao cap cu nhan": "cao_cap", "cao cap / cu nhan": "cao_cap"}
_PHONE_RE = re.compile(r"^0\d{9,10}$")


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


@dataclass
class Outcome:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    total: int = 0

    @property
    def bad_rows(self) -> list[int]:
        return sorted({r for r, _c, _m in self.errors})


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
        self.out = Outcome()
        self.status = bytearray()
        self.keys: list[array[int]] = []  # sorted runs of cccd << 23 | row
        self.current_keys: array[int] = array("q")
        self.day = today()
        self.policy: MembersPolicy | None = None
        self._policy_read = False
        self._branches: dict[str, list[Unit]] | None = None
        self._unit_is_branch = bool(self.unit.kind.is_branch)

    # -- set-up ---------------------------------------------------------------------------------
    def branches(self) -> dict[str, list[Unit]]:
        if self._branches is None:
            found: dict[str, list[Unit]] = {}
            qs = Unit.objects.filter(path__startswith=self.unit.path, kind__is_branch=True,
                                     dissolved_on__isnull=True).only("id", "name", "path",
                                                                     "name_folded")
            for b in qs:
                folded = b.name_folded or fold(b.name)
                names = {folded}
                for prefix in ("chi doan ", "phan doan "):
                    if folded.startswith(prefix):
                        names.add(folded[len(prefix):])
                for n in names:
                    found.setdefault(n, []).append(b)
            self._branches = found
        return self._branches

    def error(self, row: int, column: str, message: str) -> None:
        self.out.errors.append((row, column, message))

    # -- one row --------------------------------------------------------------------------------
    def parse(self, n: int, values: Sequence[object]) -> RowData | None:
        get: dict[str, object] = {}
        for i, key in self.mapping.items():
            if i < len(values):
                get[key] = values[i]
        ok = True
        person: dict[str, object] = {}

        def bad(key: str, message: str) -> None:
            nonlocal ok
            ok = False
            self.error(n, COLUMN_BY_KEY[key].label, message)

        name = _text(get.get("full_name"))
        if not name:
            bad("full_name", "Thiếu họ và tên.")
        elif len(name) > 120:
            bad("full_name", "Họ và tên dài quá 120 ký tự.")
        else:
            person["full_name"] = name
        birth = joined = None
        for key in ("birth_date", "joined_union_on"):
            try:
                value = parse_cell_date(get.get(key))
            except CellError as exc:
                bad(key, str(exc))
                continue
            if value is None:
                if COLUMN_BY_KEY[key].required:
                    bad(key, f"Thiếu {COLUMN_BY_KEY[key].label.lower()}.")
                continue
            if value > self.day:
                bad(key, f"{COLUMN_BY_KEY[key].label} {value:%d/%m/%Y} ở tương lai.")
                continue
            if key == "birth_date":
                birth = value
            else:
                joined = value
        if birth is not None:
            person["birth_date"] = birth
        gender = ""
        raw_gender = _fold_cached(_text(get.get("gender")))
        if raw_gender:
            gender = _GENDERS.get(raw_gender, "")
            if not gender:
                bad("gender", f"Giới tính “{_text(get.get('gender'))}” phải là Nam hoặc Nữ.")
            else:
                person["gender"] = gender
        cccd = normalise_cccd(get.get("cccd"))
        if not cccd:
            bad("cccd", "Thiếu số CCCD.")
        else:
            why = validate_cccd(cccd, birth_date=birth, gender=gender)
            if why:
                bad("cccd", why)
        if birth is not None:
            policy = self._policy()
            if policy is not None:
                age_now = _age(birth, self.day)
                if joined is not None:
                    age_in = _age(birth, joined)
                    lo, hi = policy.min_admission_age, policy.max_admission_age
                    if not lo <= age_in <= hi:
                        bad("joined_union_on", f"Tuổi khi vào Đoàn là {age_in}, ngoài khoảng "
                                               f"{lo}–{hi} tuổi theo quy định.")
                if age_now > policy.maturity_age:
                    bad("birth_date", f"Đã {age_now} tuổi, quá tuổi đoàn viên "
                                      f"({policy.maturity_age}) theo quy định.")
                elif age_now < policy.min_admission_age:
                    bad("birth_date", f"Mới {age_now} tuổi, chưa đủ "
                                      f"{policy.min_admission_age} tuổi để vào Đoàn.")
        if joined is not None and birth is not None and joined <= birth:
            bad("joined_union_on", "Ngày vào Đoàn phải sau ngày sinh.")
        phone = _text(get.get("phone"))
        if phone:
            digits = re.sub(r"[\s.\-()]", "", phone)
            if digits.startswith("+84"):
                digits = "0" + digits[3:]
            elif len(digits) == 9 and digits.isdigit():
                digits = "0" + digits
            if not _PHONE_RE.match(digits):
                bad("phone", f"Số điện thoại “{phone}” không hợp lệ (10 chữ số, bắt đầu bằng 0).")
            else:
                person["phone"] = digits
        for key, choices in (("education_level", _EDUCATION), ("political_theory", _THEORY)):
            raw = _text(get.get(key))
            if raw:
                level = choices.get(_fold_cached(raw).replace(" / ", "/"))
                if level is None:
                    allowed = ", ".join(dict(EducationLevel.choices if key == "education_level"
                                             else TheoryLevel.choices).values())
                    bad(key, f"“{raw}” không phải {COLUMN_BY_KEY[key].label.lower()} "
                             f"(chọn: {allowed}).")
                else:
                    person[key] = level
        for key, limit in (("email", 254), ("hometown", 200), ("address", 255),
                           ("ethnicity", 40), ("religion", 40), ("occupation", 120)):
            raw = _text(get.get(key))
            if raw:
                if len(raw) > limit:
                    bad(key, f"{COLUMN_BY_KEY[key].label} dài quá {limit} ký tự.")
                else:
                    person[key] = raw
        card = _text(get.get("card_number"))
        if len(card) > 30:
            bad("card_number", "Số thẻ đoàn viên dài quá 30 ký tự.")
        branch: Unit | None = None
        raw_branch = _text(get.get("branch"))
        if raw_branch:
            hits = self.branches().get(_fold_cached(raw_branch), [])
            if not hits:
                bad("branch", f"Không có chi đoàn “{raw_branch}” trong {self.unit.name}.")
            elif len({b.pk for b in hits}) > 1:
                bad("branch", f"Có {len(hits)} chi đoàn tên “{raw_branch}” trong "
                              f"{self.unit.name}: hãy ghi tên đầy đủ.")
            else:
                branch = hits[0]
        elif self._unit_is_branch:
            branch = self.unit
        else:
            bad("branch", "Thiếu tên chi đoàn.")
        if not ok:
            return None
        return RowData(n, cccd, person, branch, joined, card)

    def _policy(self) -> MembersPolicy | None:
        if not self._policy_read:
            from .selectors import policy_for

            self._policy_read = True
            try:
                self.policy = policy_for(unit=self.unit, day=self.day)
            except MembersPolicy.DoesNotExist:
                self.policy = None  # no policy yet: ages are not checked
        return self.policy

    # -- the whole file -------------------------------------------------------------------------
    def run(self, sheet: Sheet) -> Outcome:
        batch: list[RowData] = []
        seen = 0
        for n, values in sheet.rows:
            if _is_blank(values):
                continue
            seen += 1
            while len(self.status) <= n:
                self.status.extend(bytes(max(1024, len(self.status))))
            if n in self.skip:
                self.status[n] = _BAD
                continue
            data = self.parse(n, values)
            if data is None:
                self.status[n] = _BAD
            else:
                self.remember(int(data.cccd), n)
                batch.append(data)
            if len(batch) >= BATCH:
                self.flush(batch)
                batch = []
                if self.progress:
                    self.progress(seen)
        if batch:
            self.flush(batch)
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
            self.error(row, COLUMN_BY_KEY["cccd"].label,
                       f"Số CCCD {cccd:012d} trùng với dòng {first_row} trong tệp.")
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
    def flush(self, batch: list[RowData]) -> None:
        cccds = [d.cccd for d in batch]
        people = {p.cccd: p for p in Person.objects.filter(cccd__in=cccds)}
        current = {
            m.person_id: m
            for m in Membership.objects.filter(person_id__in=[p.pk for p in people.values()],
                                               is_current=True).select_related("branch")
        }
        new_people: list[RowData] = []
        person_updates: list[Person] = []
        new_members: list[tuple[RowData, Person]] = []
        member_updates: list[Membership] = []
        in_batch: set[str] = set()
        for d in batch:
            if d.cccd in in_batch:  # reported by duplicates() at the end
                self.status[d.row] = _SAME
                continue
            in_batch.add(d.cccd)
            person = people.get(d.cccd)
            if person is None:
                if d.joined is None:
                    self._bad(d.row, "joined_union_on", "Thiếu ngày vào Đoàn.")
                    continue
                new_people.append(d)
                self._count(d.row, _NEW)
                continue
            member = current.get(person.pk)
            if member is not None and not member.unit_path.startswith(self.unit.path):
                self._bad(d.row, "cccd",
                          f"{person.full_name} (CCCD {d.cccd}) đang sinh hoạt tại "
                          f"{member.branch.name}, ngoài {self.unit.name}: cần chuyển sinh hoạt "
                          "Đoàn trước khi nhập.")
                continue
            changed = [f for f, v in d.person.items() if getattr(person, f) != v]
            for f in changed:
                setattr(person, f, d.person[f])
            if member is None:
                if d.joined is None:
                    self._bad(d.row, "joined_union_on", "Thiếu ngày vào Đoàn.")
                    continue
                new_members.append((d, person))
                self._count(d.row, _NEW)
                if changed:
                    person_updates.append(person)
                continue
            m_changed = False
            if d.branch is not None and member.branch_id != d.branch.pk:
                member.branch, member.unit_path = d.branch, d.branch.path
                m_changed = True
            if d.joined is not None and member.joined_union_on != d.joined:
                member.joined_union_on = d.joined
                m_changed = True
            if d.card_number and member.card_number != d.card_number:
                member.card_number = d.card_number
                m_changed = True
            if "full_name" in changed or "birth_date" in changed:
                member.name_folded = fold(person.full_name)
                member.birth_date = person.birth_date
                m_changed = True
            if changed:
                person_updates.append(person)
            if m_changed:
                member_updates.append(member)
            self._count(d.row, _UPDATE if changed or m_changed else _SAME)
        if self.write:
            with transaction.atomic():
                self._write(new_people, person_updates, new_members, member_updates)

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
        self.error(row, COLUMN_BY_KEY[key].label, message)

    def _write(self, new_people: list[RowData], person_updates: list[Person],
               new_members: list[tuple[RowData, Person]],
               member_updates: list[Membership]) -> None:
        now = timezone.now()
        person_cols = ["full_name", "name_folded", "gender", "birth_date", "phone", "email",
                       "cccd", "ethnicity", "religion", "hometown", "hometown_folded", "address",
                       "education_level", "political_theory", "party_member", "occupation"]
        person_rows: list[tuple[object, ...]] = []
        for d in new_people:
            p = d.person
            full_name = str(p["full_name"])
            hometown = str(p.get("hometown", ""))
            person_rows.append((full_name, _fold_cached(full_name), p.get("gender", ""),
                                p.get("birth_date"), p.get("phone", ""), p.get("email", ""),
                                d.cccd, p.get("ethnicity", ""), p.get("religion", ""), hometown,
                                _fold_cached(hometown), p.get("address", ""),
                                p.get("education_level", ""), p.get("political_theory", ""),
                                False, p.get("occupation", "")))
        ids = _insert_returning_ids(Person, person_cols, person_rows)
        member_rows = [
            self._member_row(pid, str(row[1]), d.person.get("birth_date"), d, now)
            for pid, row, d in zip(ids, person_rows, new_people, strict=True)
        ]
        for d, person in new_members:
            member_rows.append(self._member_row(person.pk, fold(person.full_name),
                                                person.birth_date, d, now))
        _bulk_insert(Membership, MEMBER_COLS, member_rows)
        if person_updates:
            for person in person_updates:
                person.name_folded = fold(person.full_name)
                person.hometown_folded = fold(person.hometown)
            Person.objects.bulk_update(person_updates,
                                       [*PERSON_FIELDS, "name_folded", "hometown_folded"],
                                       batch_size=1000)
        if member_updates:
            Membership.objects.bulk_update(
                member_updates,
                ["branch", "unit_path", "joined_union_on", "card_number", "name_folded",
                 "birth_date"],
                batch_size=1000,
            )

    def _member_row(self, person_id: int, folded: str, birth: object, d: RowData,
                    now: dt.datetime) -> tuple[object, ...]:
        branch = d.branch
        assert branch is not None
        return (person_id, branch.pk, branch.path, folded, birth, d.joined, d.card_number,
                MemberStatus.ACTIVE.value, True, d.joined, None, "", False, False, False, now)


MEMBER_COLS = ["person_id", "branch_id", "unit_path", "name_folded", "birth_date",
               "joined_union_on", "card_number", "status", "is_current", "started_on",
               "ended_on", "end_reason", "has_salary", "pays_quarterly", "holds_union_post",
               "created_at"]


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


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
    """COPY on PostgreSQL (no signals, so no audit record per row: one summary record per
    job); bulk_create elsewhere."""
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


def read_headers(job: ImportJob) -> Sheet:
    return open_sheet(job.file.path, job.original_name)


def dry_run(job: ImportJob) -> Outcome:
    """Check every row; write nothing but the job's report."""
    sheet = open_sheet(job.file.path, job.original_name)
    try:
        out = _Pass(job, write=False).run(sheet)
    finally:
        sheet.close()
    return out


def run_import(job: ImportJob, *, progress: Callable[[int], None] | None = None) -> Outcome:
    """Write the rows that were valid in the dry run (job.report["bad_rows"])."""
    skip = set(job.report.get("bad_rows", []))
    sheet = open_sheet(job.file.path, job.original_name)
    try:
        out = _Pass(job, write=True, skip=skip, progress=progress).run(sheet)
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
    }


def sample_csv(rows: Sequence[Sequence[object]]) -> bytes:
    """A CSV in memory (tests, bench)."""
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


# ==============================================================================================
# The job's steps (the writes of the import pages)
# ==============================================================================================


def import_job_create(*, actor: Any, unit: Unit, upload: Any) -> ImportJob:
    """Store the upload and read its header row; a file we cannot read is refused whole."""
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


def _safe_name(name: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", fold(name)).strip("-.") or "tep"
    return base[-80:]


def import_job_check(*, job: ImportJob, mapping: dict[str, str]) -> Outcome:
    """Save the mapping and run the dry run: nothing but the job is written."""
    from .models import ImportStatus

    job.mapping = {k: v for k, v in mapping.items() if v}
    out = dry_run(job)
    job.report = {**report_of(out), "headers": job.report.get("headers", []),
                  "header_row": job.report.get("header_row", 1)}
    job.total_rows = out.total
    job.bad_rows = len(out.bad_rows)
    job.processed_rows = 0
    job.status = ImportStatus.CHECKED
    job.save(update_fields=["mapping", "report", "total_rows", "bad_rows", "processed_rows",
                            "status"])
    return out


def import_job_confirm(*, job: ImportJob) -> None:
    """Queue the import of the rows the dry run found valid."""
    from .models import ImportStatus
    from .tasks import import_members

    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.RUNNING, processed_rows=0
    )
    if updated:
        import_members.enqueue(job_id=job.pk)


def import_job_run(*, job_id: int) -> dict[str, int]:
    """The background task's body: import, count, and write ONE audit record for the job."""
    from doanvu.audit import chain

    from .models import ImportStatus

    job = ImportJob.objects.select_related("unit", "unit__kind", "created_by").get(pk=job_id)

    def progress(n: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=n)

    try:
        out = run_import(job, progress=progress)
    except ImportFileError as exc:
        job.status = ImportStatus.FAILED
        job.report = {**job.report, "failure": exc.message}
        job.save(update_fields=["status", "report"])
        return {"failed": 1}
    dry = dict(job.report)
    job.report = {**report_of(out), "headers": dry.get("headers", []),
                  "header_row": dry.get("header_row", 1), "dry_run": {
                      k: dry.get(k) for k in ("total", "added", "updated", "unchanged")}}
    # the rows refused in the dry run (not read again) and any refused now
    job.report["errors"] = sorted([*dry.get("errors", []), *[list(e) for e in out.errors]])
    job.report["new_errors"] = len(out.errors)
    job.bad_rows = len({e[0] for e in job.report["errors"]})
    job.processed_rows = out.total
    job.status = ImportStatus.DONE
    job.save(update_fields=["report", "processed_rows", "status", "bad_rows"])
    counts = {"added": out.added, "updated": out.updated, "unchanged": out.unchanged,
              "errors": job.bad_rows, "total": out.total}
    chain.append(action="create", model="members.importjob", object_pk=str(job.pk),
                 object_repr=f"Nhập đoàn viên từ {job.original_name}", unit_id=job.unit_id,
                 changes={"before": {}, "after": counts}, actor=job.created_by,
                 reason=f"Nhập {out.added} thêm, {out.updated} cập nhật, "
                        f"{out.unchanged} không đổi")
    return counts
