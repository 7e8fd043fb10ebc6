"""Import a plan's task table from .xlsx or from a table of a .docx (PLAN-2): read, preview with
a Vietnamese message per bad cell naming its row and column, then save all rows or none
(`services.tasks_import`).

The columns are found by their headers, as plans write them: "Giải pháp", "Nhiệm vụ" (or "Nội
dung"), "Chủ trì", "Phối hợp", "Thời hạn" (or "Thời gian"); "STT" and others are ignored. The
lead is a department of the unit's agency (by name or symbol) or the unit or one of its direct
sub-units, by name, compared without accents.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from doanvu.common.text import fold

from . import selectors, services
from .models import Plan

MAX_BYTES = 5 * 1024 * 1024  # i18n: data (the largest task table accepted)
MAX_ROWS = 1000  # i18n: data
HEADER_SCAN = 10  # i18n: data (rows searched for the header)

# folded header words → field, first match wins
HEADERS: tuple[tuple[str, str], ...] = (
    ("phoi hop", "partners"),  # i18n: data
    ("chu tri", "lead"),  # i18n: data
    ("thoi han", "deadline"),  # i18n: data
    ("thoi gian", "deadline"),  # i18n: data
    ("han hoan thanh", "deadline"),  # i18n: data
    ("nhiem vu", "text"),  # i18n: data
    ("noi dung", "text"),  # i18n: data
    ("cong viec", "text"),  # i18n: data
    ("giai phap", "solution"),  # i18n: data
)
FIELD_OF_ERROR = {"text": "text", "lead": "lead", "partners": "partners",
                  "deadline": "deadline", "solution_title": "solution"}


@dataclass
class PreviewRow:
    number: int  # the row's number in the file (the spreadsheet's row, the table's row)
    values: dict[str, str]
    lead_name: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[PreviewRow]
    errors: list[str]  # every message, "Dòng 4, cột “Thời hạn”: …"
    columns: dict[str, str]  # field → the header as the file writes it

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def raw(self) -> list[dict[str, object]]:
        return [{"n": r.number, **r.values} for r in self.rows]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _header_map(cells: list[str]) -> dict[int, tuple[str, str]]:
    found: dict[int, tuple[str, str]] = {}
    used: set[str] = set()
    for i, text in enumerate(cells):
        folded = fold(text)
        for words, name in HEADERS:
            if words in folded and name not in used:
                found[i] = (name, text)
                used.add(name)
                break
    return found


def _table(grid: list[list[str]]) -> tuple[dict[int, tuple[str, str]], list[tuple[int, list[str]]]]:
    # the header is the row naming the most columns (a title above it may say "nhiệm vụ" too)
    best: tuple[int, int, dict[int, tuple[str, str]]] | None = None
    for h, cells in enumerate(grid[:HEADER_SCAN]):
        mapping = _header_map(cells)
        if any(name == "text" for name, _label in mapping.values()) and (
                best is None or len(mapping) > best[0]):
            best = (len(mapping), h, mapping)
    if best is not None:
        _size, h, mapping = best
        body = [(h + 2 + k, row) for k, row in enumerate(grid[h + 1:])]
        return mapping, [(n, r) for n, r in body if any(c.strip() for c in r)]
    raise services.PlanError(_("Không tìm thấy dòng tiêu đề của bảng nhiệm vụ: cần ít nhất cột "
                               "“Nhiệm vụ” (hoặc “Nội dung”); có thể thêm “Giải pháp”, “Chủ "
                               "trì”, “Phối hợp”, “Thời hạn”."), field="file")


def read_grid(name: str, content: bytes) -> list[list[str]]:
    """The cells of the first sheet (.xlsx) or of the first table with a task header (.docx)."""
    lower = (name or "").lower()
    if len(content) > MAX_BYTES:
        raise services.PlanError(_("Tệp lớn quá 5 MB."), field="file")
    unreadable = services.PlanError(_("Tệp “{name}” không đọc được: chỉ nhận bảng tính .xlsx "
                                      "hoặc văn bản .docx có bảng nhiệm vụ.").format(name=name),
                                    field="file")
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            grid = [[_cell(v) for v in row]
                    for row in sheet.iter_rows(max_row=MAX_ROWS + HEADER_SCAN, values_only=True)]
            book.close()
        except Exception:  # noqa: BLE001  # any unreadable workbook is the same answer
            raise unreadable from None
        return grid
    if lower.endswith(".docx"):
        from docx import Document as DocxDocument

        try:
            tables = DocxDocument(io.BytesIO(content)).tables
            grids = [[[_cell(c.text) for c in row.cells] for row in t.rows] for t in tables]
        except Exception:  # noqa: BLE001
            raise unreadable from None
        for grid in grids:
            if any(any(n == "text" for n, _l in _header_map(r).values())
                   for r in grid[:HEADER_SCAN]):
                return grid
        return grids[0] if grids else []
    raise unreadable


def _lead(plan: Plan, text: str) -> tuple[object | None, object | None, bool]:
    """(department, unit, found) for the lead as written."""
    if not text:
        return None, None, True
    key = fold(text)
    for d in selectors.lead_departments(plan.unit):
        if key in (fold(d.name), fold(d.short_name or "")):
            return d, None, True
    for u in selectors.lead_units(plan.unit):
        if key in (fold(u.name), fold(u.short_name or "")):
            return None, (u if u.pk != plan.unit_id else None), True
    return None, None, False


def to_inputs(plan: Plan, raw: list[dict[str, object]],
              columns: dict[str, str]) -> tuple[list[PreviewRow], list[services.TaskInput]]:
    """Each raw row checked as a task of `plan`: its errors name the row and the column."""
    rows: list[PreviewRow] = []
    inputs: list[services.TaskInput] = []

    def label(name: str) -> str:
        return columns.get(name) or {"text": _("Nhiệm vụ"), "lead": _("Chủ trì"),
                                     "partners": _("Phối hợp"), "deadline": _("Thời hạn"),
                                     "solution": _("Giải pháp")}[name]

    for item in raw[:MAX_ROWS + 1]:
        values = {k: str(item.get(k) or "") for k in ("text", "solution", "lead", "partners",
                                                       "deadline")}
        row = PreviewRow(number=int(str(item.get("n") or 0)), values=values)
        department, unit, found = _lead(plan, values["lead"])
        if not found:
            row.errors.append(_("Dòng {n}, cột “{col}”: không tìm thấy ban hoặc đơn vị “{v}” "
                                "của {unit}.").format(n=row.number, col=label("lead"),
                                                      v=values["lead"], unit=plan.unit.name))
        data = services.TaskInput(text=values["text"], solution_title=values["solution"],
                                  lead_department=department,  # type: ignore[arg-type]
                                  lead_unit=unit,  # type: ignore[arg-type]
                                  partners=values["partners"], deadline=values["deadline"])
        try:
            services.task_check(plan=plan, data=data)
        except services.PlanError as exc:
            column = FIELD_OF_ERROR.get(exc.field or "", "text")
            row.errors.append(_("Dòng {n}, cột “{col}”: {message}").format(
                n=row.number, col=label(column), message=exc.message))
        row.lead_name = (department.name if department is not None  # type: ignore[attr-defined]
                         else unit.name if unit is not None else values["lead"])  # type: ignore[attr-defined]
        rows.append(row)
        inputs.append(data)
    return rows, inputs


def preview(plan: Plan, name: str, content: bytes) -> Preview:
    grid = read_grid(name, content)
    mapping, body = _table(grid)
    if len(body) > MAX_ROWS:
        raise services.PlanError(_("Bảng có quá {n} dòng.").format(n=MAX_ROWS), field="file")
    columns = {name_: label for name_, label in mapping.values()}
    raw: list[dict[str, object]] = []
    for number, cells in body:
        item: dict[str, object] = {"n": number}
        for i, (name_, _label) in mapping.items():
            item[name_] = cells[i] if i < len(cells) else ""
        raw.append(item)
    rows, _inputs = to_inputs(plan, raw, columns)
    errors = [e for r in rows for e in r.errors]
    if not rows:
        errors.append(_("Bảng nhiệm vụ không có dòng nào."))
    return Preview(rows=rows, errors=errors, columns=columns)
