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

from django.db.models import Q
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
from doanvu.org.selectors import versions_on

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


@dataclass(frozen=True)
class Tree:
    """`unit` and the units under it as the tree stood on `day` (X-10): each unit's path,
    sector, parent and kind that day, and the unit's children then."""

    day: dt.date
    root: str  # the unit's path that day ("" when it did not stand then)
    paths: dict[int, str]
    sector: dict[int, str]
    parent: dict[int, int | None]
    kind: dict[int, int]
    children: dict[str, Unit]  # path that day → child unit

    def child_of(self, unit_id: int) -> str | None:
        """The path that day of the child the unit lies under (None: the root, or outside)."""
        path = self.paths.get(unit_id)
        if path is None or len(path) <= len(self.root) or not path.startswith(self.root):
            return None
        return path[: len(self.root) + STEP]

    def residential(self, unit_id: int) -> bool:
        """In a residential area that day: its own sector, else its parent's (a hamlet branch
        takes its commune's)."""
        sector = self.sector.get(unit_id) or self.sector.get(self.parent.get(unit_id) or 0, "")
        return sector in RESIDENTIAL


def tree_on(unit: Unit, day: dt.date) -> Tree:
    """Three queries: the root's version, the subtree's versions (and the parent's: a branch
    measured alone takes its commune's residential area), the children."""
    root, root_parent = versions_on(day).filter(unit=unit).values_list(
        "path", "parent_id").first() or ("", None)
    rows = (list(versions_on(day).filter(Q(path__startswith=root) | Q(unit_id=root_parent))
                 .values_list("unit_id", "path", "sector", "parent_id", "kind_id"))
            if root else [])
    paths = {r[0]: r[1] for r in rows}
    child_ids = {r[0]: r[1] for r in rows if r[3] == unit.pk}
    children = {child_ids[c.pk]: c
                for c in Unit.objects.filter(pk__in=child_ids).order_by("name")}
    return Tree(day, root, paths, {r[0]: r[2] for r in rows}, {r[0]: r[3] for r in rows},
                {r[0]: r[4] for r in rows}, children)


def _share(tree: Tree, rows: Iterable[tuple[int, int, int]]) -> Measure:
    """(unit id, part, whole) rows summed at the tree's root and per child."""
    by_child: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    part = whole = 0
    for unit_id, n, d in rows:
        part, whole = part + n, whole + d
        child = tree.child_of(unit_id)
        if child in tree.children:
            by_child[child][0] += n
            by_child[child][1] += d
    parts = [Part(tree.children[p], rules.percent(n, d), n, d) for p, (n, d) in by_child.items()]
    parts.sort(key=lambda x: (x.value, x.unit.name))
    return Measure(rules.percent(part, whole), part, whole, parts)


def _year_end(year: int, upto: dt.date) -> dt.date:
    return min(dt.date(year, 12, 31), upto)


# -- seed 003 ----------------------------------------------------------------------------------

YEAR = Param(_lazy("Năm"), "year")


def _secretary_courses(scope: Scope, unit: Unit, params: Mapping[str, Any],
                       upto: dt.date) -> Measure:
    year = int(params["year"])
    tree = tree_on(unit, _year_end(year, upto))
    rows = members.secretary_qualifications(scope=scope, unit=unit, day=tree.day,
                                            as_of=tree.day)
    branch_kinds = set(UnitKind.objects.filter(is_branch=True).values_list("pk", flat=True))
    courses: set[tuple[str, dt.date]] = set()
    by_child: dict[str, set[tuple[str, dt.date]]] = defaultdict(set)
    for r in rows:
        if tree.kind.get(r.unit.pk) not in branch_kinds or not tree.residential(r.unit.pk):
            continue
        held = {(c.name, c.start_date) for c in r.courses if c.start_date.year == year}
        courses |= held
        child = tree.child_of(r.unit.pk)
        if child in tree.children:
            by_child[child] |= held
    parts = [Part(c, Decimal(len(by_child[p])), len(by_child[p]), None)
             for p, c in tree.children.items() if p in by_child]
    parts.sort(key=lambda x: (x.value, x.unit.name))
    return Measure(Decimal(len(courses)), len(courses), None, parts)


register(Formula(
    code="residential_secretary_courses",
    name=_lazy("Số lớp bồi dưỡng, tập huấn Bí thư chi đoàn địa bàn dân cư trong năm"),
    unit_label=_lazy("lớp"), params={"year": YEAR}, measure=_secretary_courses))


def _commune_secretaries(scope: Scope, unit: Unit, params: Mapping[str, Any],
                         upto: dt.date) -> Measure:
    year = int(params["year"])
    tree = tree_on(unit, _year_end(year, upto))
    rows = members.secretary_qualifications(scope=scope, unit=unit, day=tree.day,
                                            as_of=tree.day)
    grassroots = set(UnitKind.objects.filter(is_grassroots=True, is_branch=False)
                     .values_list("pk", flat=True))
    rows = [r for r in rows if tree.kind.get(r.unit.pk) in grassroots
            and tree.sector.get(r.unit.pk) in RESIDENTIAL]
    education = [c for c, _label in EducationLevel.choices]
    theory = [c for c, _label in TheoryLevel.choices]
    return _share(tree, (
        (r.unit.pk,
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
    year = int(params["year"])
    tree = tree_on(unit, _year_end(year, upto))
    share = members.training_registration_share(scope=scope, unit=unit, year=year,
                                                as_of=tree.day)
    return _share(tree, ((r.unit.pk, r.count, r.members) for r in share.rows))


register(Formula(
    code="training_registration",
    name=_lazy("Tỉ lệ đoàn viên đăng ký rèn luyện đoàn viên trong năm"),
    unit_label="%", params={"year": YEAR}, measure=_training))


def _meeting(scope: Scope, unit: Unit, params: Mapping[str, Any], upto: dt.date) -> Measure:
    year = int(params["year"])
    tree = tree_on(unit, _year_end(year, upto))
    found = members.branches_meeting_regularly(scope=scope, unit=unit,
                                               period=Period.of_year(year), upto=upto,
                                               as_of=tree.day)
    return _share(tree, ((b.branch.pk, int(b.ok), 1) for b in found
                         if tree.residential(b.branch.pk)))


register(Formula(
    code="residential_branches_meeting",
    name=_lazy("Tỉ lệ chi đoàn địa bàn dân cư duy trì sinh hoạt định kỳ"),
    unit_label="%", params={"year": YEAR}, measure=_meeting))


def measure(*, scope: Scope, unit: Unit, code: str, params: Mapping[str, Any],
            upto: dt.date | None = None) -> Measure:
    return FORMULAS[code].measure(scope, unit, params, upto or today())
