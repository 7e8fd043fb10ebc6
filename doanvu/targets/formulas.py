"""The registry of target formulas (IND-1): named, tested Python functions over live data with a
parameter schema. There is no expression language: a new kind of target is a new function here,
reviewed and tested like any other code.

Every formula is given the reader's Scope, the unit it is measured at and its validated
parameters, reads members only through `doanvu.members.api` (whose reads are grouped queries
and answer only what the scope reads), and returns a `Measure`: the value at the unit and one
`Part` per child unit holding data, for the drill-down.

Seed 003's four targets:

- `residential_secretary_courses`: training courses (CadreCourse) begun in the year that the
  secretaries of residential branches attended — distinct by name and start date.
- `commune_secretaries_qualified`: % of the secretaries of residential grassroots unions (Đoàn
  xã, phường, thị trấn) with at least the education and political-theory levels the target sets.
- `training_registration`: % of members active in the year registered for rèn luyện.
- `residential_branches_meeting`: % of residential branches that met regularly in the year
  (members' own rule and policy: `regular_meeting_min_months`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.accounts.scope import Scope
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.members import api as members
from doanvu.org.models import EducationLevel, Sector, TheoryLevel, Unit, UnitKind
from doanvu.org.paths import STEP

from . import rules

RESIDENTIAL = (Sector.RURAL.value, Sector.URBAN.value)


@dataclass(frozen=True)
class Part:
    """One child unit's share of a measure."""

    unit: Unit
    value: Decimal
    numerator: int
    denominator: int | None  # None: a count, not a share


@dataclass(frozen=True)
class Measure:
    value: Decimal
    numerator: int
    denominator: int | None
    parts: list[Part] = field(default_factory=list)


@dataclass(frozen=True)
class Param:
    label: str | Promise
    kind: str  # "year" or "choice"
    choices: tuple[tuple[str, str | Promise], ...] = ()


@dataclass(frozen=True)
class Formula:
    code: str
    name: str | Promise
    unit_label: str | Promise  # what the value counts ("%", "lớp")
    params: Mapping[str, Param]
    measure: Callable[[Scope, Unit, Mapping[str, Any], dt.date], Measure]


FORMULAS: dict[str, Formula] = {}


def register(formula: Formula) -> Formula:
    FORMULAS[formula.code] = formula
    return formula


def formula_choices() -> list[tuple[str, str]]:
    return [(f.code, str(f.name)) for f in FORMULAS.values()]


def validate_params(code: str, raw: object) -> dict[str, Any]:
    """The formula's parameters checked against its schema; a Vietnamese error naming the
    parameter otherwise."""
    formula = FORMULAS.get(code)
    if formula is None:
        raise ApplicationError(_("Công thức không có trong danh mục."), field="formula")
    if not isinstance(raw, Mapping):
        raise ApplicationError(_("Tham số công thức không hợp lệ."), field="params")
    out: dict[str, Any] = {}
    for key, spec in formula.params.items():
        value = raw.get(key)
        if spec.kind == "year":
            try:
                year = int(str(value))
            except ValueError:
                raise ApplicationError(_("Tham số “{name}” phải là một năm.").format(
                    name=spec.label), field="params") from None
            if not 1900 <= year <= 2200:
                raise ApplicationError(_("Tham số “{name}” phải là một năm.").format(
                    name=spec.label), field="params")
            out[key] = year
        else:
            if value not in {c for c, _label in spec.choices}:
                raise ApplicationError(_("Tham số “{name}” không có trong danh mục.").format(
                    name=spec.label), field="params")
            out[key] = value
    unknown = set(raw) - set(formula.params)
    if unknown:
        raise ApplicationError(_("Tham số công thức không hợp lệ: {names}.").format(
            names=", ".join(sorted(map(str, unknown)))), field="params")
    return out


# -- grouping under the unit's children --------------------------------------------------------


def children_of(unit: Unit) -> dict[str, Unit]:
    return {c.path: c for c in Unit.objects.filter(parent=unit).order_by("name")}


def child_path_of(unit: Unit, path: str) -> str | None:
    """The path of the child of `unit` that `path` lies under (None: `unit` itself)."""
    if len(path) <= len(unit.path) or not path.startswith(unit.path):
        return None
    return path[: len(unit.path) + STEP]


def _share(unit: Unit, rows: Iterable[tuple[str, int, int]]) -> Measure:
    """(path, part, whole) rows summed at `unit` and per child."""
    children = children_of(unit)
    by_child: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    part = whole = 0
    for path, n, d in rows:
        part, whole = part + n, whole + d
        child = child_path_of(unit, path)
        if child in children:
            by_child[child][0] += n
            by_child[child][1] += d
    parts = [Part(children[p], rules.percent(n, d), n, d) for p, (n, d) in by_child.items()]
    parts.sort(key=lambda x: (x.value, x.unit.name))
    return Measure(rules.percent(part, whole), part, whole, parts)


def _residential(units: Iterable[Unit]) -> set[int]:
    """The units of `units` in a residential area: their own sector, else their parent's (a
    hamlet branch takes its commune's). One query for the parents."""
    units = list(units)
    parents = dict(Unit.objects.filter(pk__in={u.parent_id for u in units if u.parent_id})
                   .values_list("pk", "sector"))
    return {u.pk for u in units
            if (u.sector or parents.get(u.parent_id or 0, "")) in RESIDENTIAL}


def _year_end(year: int, upto: dt.date) -> dt.date:
    return min(dt.date(year, 12, 31), upto)


# -- seed 003 ----------------------------------------------------------------------------------

YEAR = Param(_lazy("Năm"), "year")


def _secretary_courses(scope: Scope, unit: Unit, params: Mapping[str, Any],
                       upto: dt.date) -> Measure:
    year = int(params["year"])
    rows = members.secretary_qualifications(scope=scope, unit=unit, day=_year_end(year, upto))
    branch_kinds = set(UnitKind.objects.filter(is_branch=True).values_list("pk", flat=True))
    rows = [r for r in rows if r.unit.kind_id in branch_kinds]
    residential = _residential(r.unit for r in rows)
    children = children_of(unit)
    courses: set[tuple[str, dt.date]] = set()
    by_child: dict[str, set[tuple[str, dt.date]]] = defaultdict(set)
    for r in rows:
        if r.unit.pk not in residential:
            continue
        held = {(c.name, c.start_date) for c in r.courses if c.start_date.year == year}
        courses |= held
        child = child_path_of(unit, r.unit.path)
        if child in children:
            by_child[child] |= held
    parts = [Part(c, Decimal(len(by_child[p])), len(by_child[p]), None)
             for p, c in children.items() if p in by_child]
    parts.sort(key=lambda x: (x.value, x.unit.name))
    return Measure(Decimal(len(courses)), len(courses), None, parts)


register(Formula(
    code="residential_secretary_courses",
    name=_lazy("Số lớp bồi dưỡng, tập huấn Bí thư chi đoàn địa bàn dân cư trong năm"),
    unit_label=_lazy("lớp"), params={"year": YEAR}, measure=_secretary_courses))


def _commune_secretaries(scope: Scope, unit: Unit, params: Mapping[str, Any],
                         upto: dt.date) -> Measure:
    year = int(params["year"])
    rows = members.secretary_qualifications(scope=scope, unit=unit, day=_year_end(year, upto))
    grassroots = set(UnitKind.objects.filter(is_grassroots=True, is_branch=False)
                     .values_list("pk", flat=True))
    rows = [r for r in rows if r.unit.kind_id in grassroots and r.unit.sector in RESIDENTIAL]
    education = [c for c, _label in EducationLevel.choices]
    theory = [c for c, _label in TheoryLevel.choices]
    return _share(unit, (
        (r.unit.path,
         int(rules.level_at_least(r.education_level, params["min_education"], education)
             and rules.level_at_least(r.political_theory, params["min_theory"], theory)), 1)
        for r in rows))


register(Formula(
    code="commune_secretaries_qualified",
    name=_lazy("Tỉ lệ Bí thư Đoàn xã, phường, thị trấn đạt chuẩn chuyên môn và lý luận chính "
               "trị"),
    unit_label="%",
    params={"year": YEAR,
            "min_education": Param(_lazy("Trình độ chuyên môn tối thiểu"), "choice",
                                   tuple(EducationLevel.choices)),
            "min_theory": Param(_lazy("Trình độ lý luận chính trị tối thiểu"), "choice",
                                tuple(TheoryLevel.choices))},
    measure=_commune_secretaries))


def _training(scope: Scope, unit: Unit, params: Mapping[str, Any], upto: dt.date) -> Measure:
    share = members.training_registration_share(scope=scope, unit=unit, year=int(params["year"]))
    return _share(unit, ((r.unit.path, r.count, r.members) for r in share.rows))


register(Formula(
    code="training_registration",
    name=_lazy("Tỉ lệ đoàn viên đăng ký rèn luyện đoàn viên trong năm"),
    unit_label="%", params={"year": YEAR}, measure=_training))


def _meeting(scope: Scope, unit: Unit, params: Mapping[str, Any], upto: dt.date) -> Measure:
    year = int(params["year"])
    found = members.branches_meeting_regularly(scope=scope, unit=unit,
                                               period=Period.of_year(year), upto=upto)
    residential = _residential(b.branch for b in found)
    return _share(unit, ((b.branch.path, int(b.ok), 1) for b in found
                         if b.branch.pk in residential))


register(Formula(
    code="residential_branches_meeting",
    name=_lazy("Tỉ lệ chi đoàn địa bàn dân cư duy trì sinh hoạt định kỳ"),
    unit_label="%", params={"year": YEAR}, measure=_meeting))


def measure(*, scope: Scope, unit: Unit, code: str, params: Mapping[str, Any],
            upto: dt.date | None = None) -> Measure:
    return FORMULAS[code].measure(scope, unit, params, upto or today())
