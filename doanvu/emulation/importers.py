"""Import of a rubric workbook of the exported shape into a draft rubric (EMU-1), all or
nothing: the file is read and checked whole — every cell, then the rubric's numbers
(`rubric_checks`) — and every problem is listed naming the sheet, the row and the column, in
Vietnamese; only a file without any is written (`services.rubric_replace`)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _

from doanvu.common.spreadsheet import unsafe_cell
from doanvu.common.text import fold, strip_hidden
from doanvu.common.typing import Actor
from doanvu.common.xlsxread import column_letter
from doanvu.org.models import Department

from . import services
from . import xlsx_layout as L
from .models import ItemKind, Rubric, ScoringMethod, TieBreakKey
from .rubric_checks import (
    AreaSpec,
    CriterionSpec,
    DisqualifierSpec,
    ItemSpec,
    RubricSpec,
    TierSpec,
    spec_problems,
)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
MAX_ROWS = 2000
MAX_POINTS = Decimal("99999")


class RubricImportError(services.RubricError):
    """The file was refused; `problems` lists every reason, each naming sheet, row, column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0], field="file")
        self.problems = problems


@dataclass
class _Place:
    sheet: str
    row: int
    columns: dict[str, int]  # field → 1-based column


@dataclass
class _Reader:
    departments: dict[str, int]
    problems: list[str] = field(default_factory=list)
    places: dict[tuple[str, str], _Place] = field(default_factory=dict)

    def at(self, place: _Place, fieldname: str, message: str, headers: dict[str, str]) -> None:
        col = place.columns.get(fieldname)
        if col is None:
            self.problems.append(_("Trang “{sheet}”, dòng {row}: {message}").format(
                sheet=place.sheet, row=place.row, message=message))
            return
        self.problems.append(_("Trang “{sheet}”, dòng {row}, cột {col} ({header}): {message}")
                             .format(sheet=place.sheet, row=place.row, col=column_letter(col - 1),
                                     header=headers.get(fieldname, ""), message=message))

    # -- cells -------------------------------------------------------------------------------
    def text(self, value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return unsafe_cell(strip_hidden(str(value)).strip())

    def number(self, place: _Place, fieldname: str, value: object, headers: dict[str, str], *,
               required: bool) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.at(place, fieldname, _("hãy nhập một số."), headers)
            return None
        if isinstance(value, bool):
            self.at(place, fieldname, _("“{value}” không phải là số.").format(value=value),
                    headers)
            return None
        try:
            if isinstance(value, int | float):
                number = Decimal(str(value))
            else:
                number = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
        except InvalidOperation:
            self.at(place, fieldname, _("“{value}” không phải là số.").format(
                value=str(value)[:40]), headers)
            return None
        if not number.is_finite() or number < 0 or number > MAX_POINTS:
            self.at(place, fieldname, _("“{value}” phải là số từ 0 đến 99.999.").format(
                value=str(value)[:40]), headers)
            return None
        if number != number.quantize(Decimal("0.01")):
            self.at(place, fieldname, _("“{value}”: tối đa 2 chữ số sau dấu phẩy.").format(
                value=str(value)[:40]), headers)
            return None
        return number.quantize(Decimal("0.01"))

    def required(self, place: _Place, fieldname: str, value: object,
                 headers: dict[str, str], *, limit: int = 0) -> str:
        text = self.text(value)
        if not text:
            self.at(place, fieldname, _("ô này không được để trống."), headers)
        elif limit and len(text) > limit:
            self.at(place, fieldname, _("dài quá {n} ký tự.").format(n=limit), headers)
        return text

    def department(self, place: _Place, fieldname: str, value: object,
                   headers: dict[str, str]) -> int | None:
        text = self.text(value)
        if not text:
            return None
        found = self.departments.get(fold(text))
        if found is None:
            self.at(place, fieldname, _("không có ban, đơn vị “{name}” trong cơ quan chuyên "
                                        "trách của đơn vị ban hành.").format(name=text[:80]),
                    headers)
        return found

    def choice(self, place: _Place, fieldname: str, value: object, headers: dict[str, str],
               choices: list[tuple[str, str]]) -> str:
        text = self.text(value)
        by_fold = {fold(label): code for code, label in choices} | {
            fold(code): code for code, _label in choices}
        code = by_fold.get(fold(text))
        if code is None:
            self.at(place, fieldname, _("“{value}” không phải một lựa chọn; hãy ghi một trong: "
                                        "{options}.").format(
                value=text[:60], options="; ".join(label for _c, label in choices)), headers)
            return ""
        return code


def _rows(ws: Any, headers: dict[str, str], sheet: str,
          reader: _Reader) -> list[tuple[_Place, dict[str, object]]]:
    """The data rows of a sheet whose first row holds the headers (in any order)."""
    rows = ws.iter_rows(values_only=True)
    head = next(rows, None) or ()
    by_label = {fold(str(v or "")).strip(): n for n, v in enumerate(head, start=1)}
    columns: dict[str, int] = {}
    for key, label in headers.items():
        col = by_label.get(fold(label))
        if col is None:
            reader.problems.append(_("Trang “{sheet}”, dòng 1: thiếu cột “{header}”.").format(
                sheet=sheet, header=label))
        else:
            columns[key] = col
    if len(columns) < len(headers):
        return []
    out = []
    for n, values in enumerate(rows, start=2):
        if n > MAX_ROWS:
            reader.problems.append(_("Trang “{sheet}”: quá {n} dòng.").format(sheet=sheet,
                                                                             n=MAX_ROWS))
            break
        cells = {key: (values[col - 1] if col - 1 < len(values) else None)
                 for key, col in columns.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        out.append((_Place(sheet, n, columns), cells))
    return out


def _open(upload: IO[bytes]) -> Any:
    from openpyxl import load_workbook

    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise RubricImportError([_("Tệp lớn quá 2 MB: thang điểm không cần tệp lớn như vậy.")])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED_BYTES:
                raise RubricImportError([_("Tệp giải nén ra quá lớn: không đọc.")])
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except RubricImportError:
        raise
    except Exception:  # any unreadable file: a message, never a 500
        raise RubricImportError([_("Không đọc được tệp: hãy chọn tệp .xlsx xuất từ trang thang "
                                   "điểm (hoặc cùng mẫu).")]) from None


def rubric_read(upload: IO[bytes], *, rubric: Rubric) -> RubricSpec:
    """The rubric in the file, checked; RubricImportError lists every problem."""
    book = _open(upload)
    departments: dict[str, int] = {}
    for pk, name, short in Department.objects.filter(unit_id=rubric.issuing_unit_id).values_list(
            "pk", "name", "short_name"):
        departments[fold(name)] = pk
        if short:
            departments.setdefault(fold(short), pk)
    reader = _Reader(departments)
    sheets = {fold(ws.title): ws for ws in book.worksheets}
    needed = [L.sheet_general(), L.sheet_criteria(), L.sheet_items(), L.sheet_tiers(),
              L.sheet_disqualifiers(), L.sheet_tie_breaks()]
    missing = [name for name in needed if fold(name) not in sheets]
    if missing:
        book.close()
        raise RubricImportError([_("Tệp thiếu trang “{sheet}”.").format(sheet=name)
                                 for name in missing])
    try:
        spec = _read_all(reader, {name: sheets[fold(name)] for name in needed}, rubric)
    finally:
        book.close()
    if not reader.problems:
        for problem in spec_problems(spec):
            _place_problem(reader, problem.key, problem.field, problem.message)
    if reader.problems:
        raise RubricImportError(reader.problems)
    return spec


def _place_problem(reader: _Reader, key: tuple[str, str], fieldname: str, message: str) -> None:
    place = reader.places.get(key)
    headers = {
        "area": L.criteria_headers(), "criterion": L.criteria_headers(),
        "item": L.items_headers(), "tier": L.tiers_headers(),
        "disqualifier": L.disqualifiers_headers(), "tie_break": L.tie_break_headers(),
    }.get(key[0], {})
    if key[0] == "area":
        fieldname = {"max_points": "area_max", "code": "area_code"}.get(fieldname, fieldname)
    if key[0] == "tie_break":
        fieldname = "ref"
    if key[0] == "rubric" and fieldname in ("bonus_cap", "penalty_cap"):
        place = reader.places.get(("general", fieldname))
        if place is not None:
            reader.problems.append(_("Trang “{sheet}”, dòng {row}, cột B: {message}").format(
                sheet=place.sheet, row=place.row, message=message))
            return
    if place is None:
        reader.problems.append(message)
        return
    reader.at(place, fieldname, message, headers)


def _read_all(reader: _Reader, ws: dict[str, Any], rubric: Rubric) -> RubricSpec:
    spec = RubricSpec(name=rubric.name)
    # general: label in column A, value in column B
    labels = {fold(v): k for k, v in L.general_labels().items()}
    for n, values in enumerate(ws[L.sheet_general()].iter_rows(values_only=True), start=1):
        if n > 50 or not values:
            break
        key = labels.get(fold(str(values[0] or "")))
        value = values[1] if len(values) > 1 else None
        place = _Place(L.sheet_general(), n, {"value": 2})
        head = {"value": L.general_labels().get(key or "", "")}
        if key == "name":
            spec.name = reader.required(place, "value", value, head, limit=255)
        elif key in ("bonus_cap", "penalty_cap"):
            reader.places[("general", key)] = place
            setattr(spec, key, reader.number(place, "value", value, head, required=False))

    headers = L.criteria_headers()
    areas: dict[str, AreaSpec] = {}
    for place, cells in _rows(ws[L.sheet_criteria()], headers, L.sheet_criteria(), reader):
        area_code = reader.required(place, "area_code", cells["area_code"], headers, limit=20)
        area_title = reader.required(place, "area_title", cells["area_title"], headers)
        area_max = reader.number(place, "area_max", cells["area_max"], headers, required=True)
        area = areas.get(area_code)
        if area is None and area_code:
            area = areas[area_code] = AreaSpec(area_code, area_title, area_max or Decimal(0))
            reader.places[("area", area_code)] = place
        elif area is not None and (area.title != area_title or
                                   (area_max is not None and area.max_points != area_max)):
            reader.at(place, "area_max", _(
                "lĩnh vực {code} đã ghi ở dòng {row} với tên hoặc điểm tối đa khác.").format(
                code=area_code, row=reader.places[("area", area_code)].row), headers)
        code_text = reader.text(cells["code"])
        if not code_text and all(reader.text(cells[k]) == "" for k in
                                 ("title", "max_points", "method")):
            continue  # an area with no criterion yet
        code = reader.required(place, "code", cells["code"], headers, limit=20)
        title = reader.required(place, "title", cells["title"], headers)
        max_points = reader.number(place, "max_points", cells["max_points"], headers,
                                   required=True)
        method = reader.choice(place, "method", cells["method"], headers,
                               [(str(c), str(lbl)) for c, lbl in ScoringMethod.choices])
        unit_points = reader.number(place, "unit_points", cells["unit_points"], headers,
                                    required=False)
        department = reader.department(place, "department", cells["department"], headers)
        evidence_required = reader.choice(place, "evidence_required",
                                          cells["evidence_required"] or L.no(), headers,
                                          [("1", L.yes()), ("0", L.no())]) == "1"
        if area is not None and code:
            area.criteria.append(CriterionSpec(
                code, title, max_points or Decimal(0), method or ScoringMethod.POINTS,
                unit_points if method == ScoringMethod.COUNT else None, department,
                evidence_required, reader.text(cells["evidence"])))
            reader.places.setdefault(("criterion", code), place)
    spec.areas = list(areas.values())

    headers = L.items_headers()
    for place, cells in _rows(ws[L.sheet_items()], headers, L.sheet_items(), reader):
        kind = reader.choice(place, "kind", cells["kind"], headers,
                             [(str(c), str(lbl)) for c, lbl in ItemKind.choices])
        code = reader.required(place, "code", cells["code"], headers, limit=20)
        title = reader.required(place, "title", cells["title"], headers)
        points = reader.number(place, "points", cells["points"], headers, required=True)
        cap = reader.number(place, "cap", cells["cap"], headers, required=False)
        department = reader.department(place, "department", cells["department"], headers)
        spec.items.append(ItemSpec(kind, code, title, points or Decimal(0), cap, department))
        reader.places.setdefault(("item", code), place)

    headers = L.tiers_headers()
    for place, cells in _rows(ws[L.sheet_tiers()], headers, L.sheet_tiers(), reader):
        rank = reader.number(place, "rank", cells["rank"], headers, required=True)
        if rank is not None and (rank != rank.to_integral() or not 1 <= rank <= 20):
            reader.at(place, "rank", _("bậc là số nguyên từ 1 đến 20."), headers)
        code = reader.required(place, "code", cells["code"], headers, limit=20)
        name = reader.required(place, "name", cells["name"], headers, limit=120)
        min_score = reader.number(place, "min_score", cells["min_score"], headers,
                                  required=True)
        max_share = reader.number(place, "max_share", cells["max_share"], headers,
                                  required=False)
        spec.tiers.append(TierSpec(code, name, int(rank or 0), min_score or Decimal(0),
                                   max_share))
        reader.places.setdefault(("tier", code), place)

    tier_by = {fold(t.code): t.code for t in spec.tiers} | {fold(t.name): t.code
                                                            for t in spec.tiers}
    headers = L.disqualifiers_headers()
    for place, cells in _rows(ws[L.sheet_disqualifiers()], headers, L.sheet_disqualifiers(),
                              reader):
        code = reader.required(place, "code", cells["code"], headers, limit=20)
        label = reader.required(place, "label", cells["label"], headers)
        tier_text = reader.required(place, "barred_tier", cells["barred_tier"], headers)
        tier = tier_by.get(fold(tier_text))
        if tier_text and tier is None:
            reader.at(place, "barred_tier", _("không có mức xếp loại “{name}” trong trang "
                                              "“{sheet}”.").format(name=tier_text[:60],
                                                                   sheet=L.sheet_tiers()),
                      headers)
        spec.disqualifiers.append(DisqualifierSpec(code, label, tier or ""))
        reader.places.setdefault(("disqualifier", code), place)

    headers = L.tie_break_headers()
    for place, cells in _rows(ws[L.sheet_tie_breaks()], headers, L.sheet_tie_breaks(), reader):
        key = reader.choice(place, "key", cells["key"], headers,
                            [(str(c), str(lbl)) for c, lbl in TieBreakKey.choices])
        spec.tie_breaks.append({"key": key, "ref": reader.text(cells["ref"])})
        reader.places[("tie_break", str(len(spec.tie_breaks)))] = place
    return spec


def rubric_import(*, actor: Actor | None, rubric: Rubric, upload: IO[bytes]) -> Rubric:
    """Read the file whole, then replace the draft's content with it (all or nothing)."""
    from . import permissions

    permissions.require(actor, rubric.issuing_unit)
    services._require_draft(rubric)
    spec = rubric_read(upload, rubric=rubric)
    return services.rubric_replace(actor=actor, rubric=rubric, spec=spec)
