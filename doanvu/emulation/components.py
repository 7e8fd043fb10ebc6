"""Component results from the Office (EMU-2): an .xlsx with one row per evaluated unit per
criterion — e.g. the school area's results of school year 2019–2020, Nhà Thiếu nhi's and Hội
LHTN's evaluations due 04/11/2020 — loaded into the sheets as imported scores.

The first sheet of the workbook; row 1 holds the headers (any order, matched without accents):
"Đơn vị", "Mã tiêu chí", "Giá trị", and optionally "Ghi chú". The file is read and checked whole
— each unit must have a sheet of this rubric, each criterion belong to it, each value be what
the criterion's method takes, no unit and criterion twice — and every problem is listed naming
its row and column; only a file without any is written, as one bulk audit step.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.audit.services import BulkRow, record_bulk
from doanvu.common.spreadsheet import unsafe_cell
from doanvu.common.text import fold, strip_hidden
from doanvu.common.typing import Actor
from doanvu.common.xlsxread import column_letter

from . import component_requests, permissions, scoring
from .models import (
    ComponentImport,
    Criterion,
    LineSource,
    Rubric,
    RubricState,
    ScoreLine,
    ScoreSheet,
)
from .sheets import SheetError, check_score

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
MAX_ROWS = 20000

REQUIRED = ("unit", "criterion", "value")


def headers() -> dict[str, str]:
    """The file's column headers (Vietnamese, the cadres' own words)."""
    return {"unit": _("Đơn vị"), "criterion": _("Mã tiêu chí"), "value": _("Giá trị"),
            "note": _("Ghi chú")}


class ComponentImportError(SheetError):
    """The file was refused; `problems` lists every reason, each naming row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0], field="file")
        self.problems = problems


@dataclass
class Row:
    number: int
    sheet: ScoreSheet
    criterion: Criterion
    raw: Decimal
    points: Decimal
    note: str


def _open(upload: IO[bytes]) -> Any:
    from openpyxl import load_workbook

    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ComponentImportError([_("Tệp lớn quá 2 MB.")])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED_BYTES:
                raise ComponentImportError([_("Tệp giải nén ra quá lớn: không đọc.")])
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ComponentImportError:
        raise
    except Exception:  # any unreadable file: a message, never a 500
        raise ComponentImportError([_("Không đọc được tệp: hãy chọn một tệp .xlsx.")]) from None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unsafe_cell(strip_hidden(str(value)).strip())


def read_rows(upload: IO[bytes], *, rubric: Rubric) -> list[Row]:
    """The file's rows, checked whole; ComponentImportError lists every problem."""
    book = _open(upload)
    ws = book.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    names = headers()
    wanted = {fold(v): k for k, v in names.items()}
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = wanted.get(fold(_text(cell)))
        if key and key not in columns:
            columns[key] = i
    missing = [names[k] for k in REQUIRED if k not in columns]
    if missing:
        raise ComponentImportError([_("Dòng 1: thiếu cột {list}.").format(
            list=", ".join(f"“{m}”" for m in missing))])

    sheets = {fold(s.unit.name): s for s in
              ScoreSheet.objects.filter(rubric=rubric).select_related("unit", "rubric")}
    criteria = {c.code: c for c in Criterion.objects.filter(area__rubric=rubric)
                .select_related("area")}
    rules_rubric = scoring.rules_rubric(rubric)
    problems: list[str] = []
    out: list[Row] = []
    seen: dict[tuple[int, int], int] = {}

    def at(n: int, key: str, message: str) -> None:
        problems.append(_("Dòng {row}, cột {col} ({header}): {message}").format(
            row=n, col=column_letter(columns[key]), header=names[key], message=message))

    for n, values in enumerate(rows, start=2):
        if n > MAX_ROWS + 1:
            problems.append(_("Tệp có quá {n} dòng.").format(n=MAX_ROWS))
            break
        cells = {k: (values[i] if i < len(values) else None) for k, i in columns.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        unit_name = _text(cells["unit"])
        sheet = sheets.get(fold(unit_name))
        if not unit_name:
            at(n, "unit", _("thiếu tên đơn vị."))
        elif sheet is None:
            at(n, "unit", _("“{name}” không có phiếu chấm điểm của thang điểm này.").format(
                name=unit_name[:80]))
        elif sheet.is_final:
            at(n, "unit", _("phiếu của “{name}” đã chính thức và đã khóa.").format(
                name=sheet.unit.name))
            sheet = None
        code = _text(cells["criterion"])
        criterion = criteria.get(code)
        if criterion is None:
            at(n, "criterion", _("không có tiêu chí “{code}” trong thang điểm.").format(
                code=code[:40]) if code else _("thiếu mã tiêu chí."))
        raw_cell = cells["value"]
        raw: Decimal | None = None
        if raw_cell is None or _text(raw_cell) == "":
            at(n, "value", _("thiếu giá trị."))
        else:
            try:
                raw = Decimal(_text(raw_cell).replace(",", "."))
                if not raw.is_finite():
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                at(n, "value", _("“{value}” không phải là một số.").format(
                    value=_text(raw_cell)[:40]))
                raw = None
        points = None
        if criterion is not None and raw is not None:
            try:
                points = check_score(rules_rubric, criterion, raw)
            except SheetError as exc:
                at(n, "value", exc.message)
        if sheet is not None and criterion is not None:
            first = seen.setdefault((sheet.pk, criterion.pk), n)
            if first != n:
                at(n, "criterion", _("đơn vị và tiêu chí này đã có ở dòng {row}.").format(
                    row=first))
        note = _text(cells.get("note"))[:2000]
        if sheet is not None and criterion is not None and raw is not None and points is not None:
            out.append(Row(n, sheet, criterion, raw, points, note))
    if problems:
        raise ComponentImportError(problems)
    if not out:
        raise ComponentImportError([_("Tệp không có dòng kết quả nào.")])
    return out


def _snap(line: ScoreLine) -> dict[str, object]:
    return {"sheet": line.sheet_id, "criterion": line.criterion_id, "source": line.source,
            "raw": line.raw, "points": line.points, "reason": line.reason}


@transaction.atomic
def component_import(*, actor: Actor | None, rubric: Rubric, upload: IO[bytes], name: str,
                     title: str, on: dt.date | None = None) -> ComponentImport:
    """Load the file; the component requests it covers are delivered (component_requests).
    `on` records an import made in the past (demo); views never pass it."""
    permissions.require(actor, rubric.issuing_unit)
    if rubric.state != RubricState.OPEN:
        raise ComponentImportError([_("Thang điểm không còn trong thời gian chấm điểm.")])
    title = strip_hidden(title or "").strip()[:255]
    if not title:
        raise SheetError(_("Hãy ghi nội dung của tệp kết quả (ví dụ: Kết quả khu vực Trường "
                           "học năm học 2019 – 2020)."), field="title")
    rows = read_rows(upload, rubric=rubric)
    # lock the sheets touched, in id order (two imports cannot deadlock)
    ids = sorted({r.sheet.pk for r in rows})
    locked = {s.pk: s for s in ScoreSheet.objects.select_for_update().filter(pk__in=ids)
              .order_by("pk")}
    if any(s.is_final for s in locked.values()):
        raise ComponentImportError([_("Một phiếu vừa được chốt: hãy nhập lại.")])
    now = timezone.make_aware(dt.datetime.combine(on, dt.time(16))) if on else timezone.now()
    by_id = getattr(actor, "pk", None) if actor is not None and hasattr(actor, "pk") else None
    imp = ComponentImport.objects.create(rubric=rubric, title=title, original_name=name[:255],
                                         rows=len(rows), by_id=by_id, at=now)
    current = {(ln.sheet_id, ln.criterion_id): ln for ln in ScoreLine.objects.filter(
        sheet_id__in=ids, source=LineSource.IMPORTED)}
    reason = _("Kết quả thành phần: {title}").format(title=title)
    new: list[ScoreLine] = []
    changed: list[ScoreLine] = []
    audit: list[BulkRow] = []
    for r in rows:
        line = current.get((r.sheet.pk, r.criterion.pk))
        if line is None:
            new.append(ScoreLine(sheet=locked[r.sheet.pk], criterion=r.criterion,
                                 source=LineSource.IMPORTED, raw=r.raw, points=r.points,
                                 reason=reason, evidence=r.note, component=imp, by_id=by_id,
                                 at=now))
            continue
        before = _snap(line)
        line.raw, line.points, line.reason, line.evidence = r.raw, r.points, reason, r.note
        line.component, line.by_id, line.at = imp, by_id, now
        changed.append(line)
        audit.append(BulkRow(str(line.pk), before, _snap(line), locked[r.sheet.pk].unit_id))
    ScoreLine.objects.bulk_create(new)
    if changed:
        ScoreLine.objects.bulk_update(changed, ["raw", "points", "reason", "evidence",
                                                "component", "by", "at"])
    audit.extend(BulkRow(str(ln.pk), {}, _snap(ln), locked[ln.sheet_id].unit_id, "create")
                 for ln in new)
    for s in locked.values():
        s.version += 1
    ScoreSheet.objects.bulk_update(list(locked.values()), ["version"])
    record_bulk(model=ScoreLine, rows=audit, unit_id=rubric.issuing_unit_id, reason=reason,
                actor=actor, description=_("Nhập kết quả thành phần “{title}” ({n} dòng)")
                .format(title=title, n=len(rows)),
                summary={"rows": len(rows), "sheets": len(ids)})
    component_requests.deliver(imp=imp, codes={r.criterion.code for r in rows}, at=now)
    return imp
