"""Reads of targets, given the reader's Scope: the targets that apply to a unit, each measured
there with its value, goal, trend and the child units that hold it back (IND-2)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from doanvu.accounts.scope import READ, Scope
from doanvu.common.dates import today
from doanvu.common.periods import Period
from doanvu.org.models import Unit
from doanvu.org.paths import ancestor_paths
from doanvu.org.selectors import versions_on

from . import rules
from .formulas import (
    FORMULAS,
    Measure,
    Part,
    child_path_of,
    children_of,
    measure,
    tree_on,
)
from .models import Target, TargetEntry


def targets_for(*, unit: Unit) -> QuerySet[Target]:
    """The targets whose scope holds `unit` (set for it or for a unit above it)."""
    return (Target.objects.filter(scope_unit__path__in=[*ancestor_paths(unit.path), unit.path])
            .select_related("unit", "plan", "scope_unit").order_by("due_on", "position", "id"))


@dataclass(frozen=True)
class TargetRow:
    target: Target
    measure: Measure
    previous: Decimal | None  # the value a year earlier (formulas with a year)
    unit_label: str

    @property
    def met(self) -> bool:
        return rules.is_met(self.measure.value, self.target.goal)

    @property
    def trend(self) -> str:
        return rules.trend(self.previous, self.measure.value)

    @property
    def behind(self) -> list[Part]:
        """The child units holding the target back: below the goal, lowest first."""
        return [p for p in self.measure.parts if not rules.is_met(p.value, self.target.goal)]


def _entered(*, scope: Scope, target: Target, unit: Unit) -> Measure:
    """Units' own figures: the mean of the entries under `unit` the scope reads, per child."""
    found = (TargetEntry.objects.filter(target=target, unit__path__startswith=unit.path)
             .select_related("unit"))
    entries = [e for e in found if scope.can(READ, e.unit)]
    children = children_of(unit)
    by_child: dict[str, list[Decimal]] = defaultdict(list)
    for e in entries:
        child = child_path_of(unit, e.unit.path)
        if child in children:
            by_child[child].append(e.value)

    def mean(values: list[Decimal]) -> Decimal:
        return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01")) if values \
            else Decimal(0)

    parts = sorted((Part(children[p], mean(v), len(v), None) for p, v in by_child.items()),
                   key=lambda x: (x.value, x.unit.name))
    return Measure(mean([e.value for e in entries]), len(entries), None, parts)


def measured_on(target: Target, upto: dt.date) -> dt.date:
    """A target's measurement day: `upto` (today) or its due date if earlier — it is read on
    the tree and data of that day (X-10)."""
    return min(upto, target.due_on)


def _year_before(day: dt.date) -> dt.date:
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) \
        else day.replace(year=day.year - 1)


def target_rows(*, scope: Scope, unit: Unit, upto: dt.date | None = None) -> list[TargetRow]:
    """Each target measured on its measurement day, and a year earlier for the trend."""
    upto = upto or today()
    rows = []
    for target in targets_for(unit=unit):
        formula = FORMULAS.get(target.formula)
        if formula is None:
            rows.append(TargetRow(target, _entered(scope=scope, target=target, unit=unit),
                                  None, ""))
            continue
        day = measured_on(target, upto)
        now = measure(scope=scope, unit=unit, code=target.formula, params=target.params,
                      upto=day)
        previous = None
        if "year" in formula.params:
            earlier = {**target.params, "year": int(target.params["year"]) - 1}
            previous = measure(scope=scope, unit=unit, code=target.formula, params=earlier,
                               upto=_year_before(day)).value
        rows.append(TargetRow(target, now, previous, str(formula.unit_label)))
    return rows


# -- the pages beyond the dashboard: the units with no data, the trend, reports ----------------
# (new functions beside the measuring ones above, which they call unchanged)

TREND_YEARS = 4  # how many yearly points the trend chart shows, ending at the target's year


def row_empty(row: TargetRow) -> bool:
    """The row has nothing to measure (rules.no_data): shown as "chưa có số liệu"."""
    return rules.no_data(row.measure.numerator, row.measure.denominator,
                         entered=row.target.entered_by_units)


def measurement_day(target: Target, upto: dt.date, *, year: int | None = None) -> dt.date:
    """The day whose tree a target's measure reads: for a formula with a year, the end of
    that year or the measurement day if earlier; otherwise the measurement day."""
    day = measured_on(target, upto) if year is None else upto
    formula = FORMULAS.get(target.formula)
    if formula is not None and "year" in formula.params:
        y = year if year is not None else int(target.params["year"])
        return min(dt.date(y, 12, 31), day)
    return day


@dataclass(frozen=True)
class ChildFigure:
    """One unit directly under the measured unit, as the tree stood on the measurement day:
    its part of the measure, or none ("chưa có số liệu")."""

    unit: Unit
    part: Part | None
    entered: bool

    @property
    def empty(self) -> bool:
        return self.part is None or rules.no_data(self.part.numerator, self.part.denominator,
                                                  entered=self.entered)


def child_figures(*, row: TargetRow, unit: Unit, day: dt.date,
                  children: dict[str, Unit] | None = None) -> list[ChildFigure]:
    """Every child of `unit` on `day` (X-10), those with figures first (lowest first, as the
    measure orders them), then those with no data, by name. `children`: the day's children
    when the caller has read them already (`formulas.tree_on(unit, day).children`)."""
    if children is None:
        children = tree_on(unit, day).children
    entered = row.target.entered_by_units
    out = [ChildFigure(p.unit, p, entered) for p in row.measure.parts]
    seen = {p.unit.pk for p in row.measure.parts}
    out += [ChildFigure(c, None, entered)
            for c in sorted(children.values(), key=lambda u: u.name) if c.pk not in seen]
    return sorted(out, key=lambda f: f.empty)  # stable: the figures keep their order


@dataclass(frozen=True)
class Point:
    """A yearly point of a target's trend."""

    year: int
    value: Decimal
    empty: bool


def target_points(*, scope: Scope, unit: Unit, target: Target, upto: dt.date | None = None,
                  years: int = TREND_YEARS) -> list[Point]:
    """The target's value at `unit` for each of the `years` years ending at its year (formulas
    with a year; none otherwise): each year measured at its end, or at the measurement day for
    the year that holds it, on that day's tree; years after the measurement day are left out."""
    formula = FORMULAS.get(target.formula)
    if formula is None or "year" not in formula.params:
        return []
    day = measured_on(target, upto or today())
    last = int(target.params["year"])
    points = []
    for year in range(last - years + 1, last + 1):
        if dt.date(year, 1, 1) > day:
            continue
        m = measure(scope=scope, unit=unit, code=target.formula,
                    params={**target.params, "year": year}, upto=min(day, dt.date(year, 12, 31)))
        points.append(Point(year, m.value, rules.no_data(m.numerator, m.denominator,
                                                         entered=False)))
    return points


@dataclass(frozen=True)
class ReportRow:
    row: TargetRow
    day: dt.date  # the day whose tree and data it reads
    year: int | None  # the year measured (formulas with a year)


def report_rows(*, scope: Scope, unit: Unit, period: Period) -> list[ReportRow]:
    """The targets applying to `unit` measured for a report of `period` (seed 003 §6: the
    semi-annual and annual reports): each formula with a year measured for the period's year
    up to its end (or today if earlier), against the same day a year before; targets units
    enter, with the figures entered."""
    upto = min(period.end, today())
    out = []
    for target in targets_for(unit=unit):
        formula = FORMULAS.get(target.formula)
        if formula is None:
            out.append(ReportRow(TargetRow(target, _entered(scope=scope, target=target,
                                                            unit=unit), None, ""),
                                 measured_on(target, upto), None))
            continue
        params: dict[str, object] = dict(target.params)
        previous = None
        year = None
        if "year" in formula.params:
            year = period.year
            params["year"] = year
            previous = measure(scope=scope, unit=unit, code=target.formula,
                               params={**params, "year": year - 1},
                               upto=_year_before(upto)).value
        now = measure(scope=scope, unit=unit, code=target.formula, params=params, upto=upto)
        out.append(ReportRow(TargetRow(target, now, previous, str(formula.unit_label)),
                             measurement_day(target, upto, year=year), year))
    return out


def expected_units(*, target: Target, unit: Unit, day: dt.date) -> list[Unit]:
    """The units expected to enter a figure for a target that units enter, seen from `unit`:
    the units directly under the target's scope as the tree stood on `day` (the scope itself
    when nothing stood under it), those at or under `unit` that day."""
    scope_tree = tree_on(target.scope_unit, day)
    if not scope_tree.root:
        return []
    units = list(scope_tree.children.values()) or [target.scope_unit]
    here = scope_tree.paths.get(unit.pk)
    if here is None:  # `unit` lies above the scope: it sees every expected unit
        under = versions_on(day).filter(unit=unit).values_list("path", flat=True).first()
        return sorted([u for u in units if under and scope_tree.root.startswith(under)],
                      key=lambda u: u.name)
    return sorted([u for u in units if scope_tree.paths[u.pk].startswith(here)],
                  key=lambda u: u.name)


def entries_of(*, scope: Scope, target: Target) -> dict[int, TargetEntry]:
    """The figures entered for `target` by units the scope reads, by unit id."""
    found = TargetEntry.objects.filter(target=target).select_related("unit")
    return {e.unit_id: e for e in found if scope.can(READ, e.unit)}


def target_row(*, scope: Scope, unit: Unit, target: Target,
               upto: dt.date | None = None) -> TargetRow:
    """One target measured at `unit` as `target_rows` measures each (a target's own page need
    not measure the others)."""
    upto = upto or today()
    formula = FORMULAS.get(target.formula)
    if formula is None:
        return TargetRow(target, _entered(scope=scope, target=target, unit=unit), None, "")
    day = measured_on(target, upto)
    now = measure(scope=scope, unit=unit, code=target.formula, params=target.params, upto=day)
    previous = None
    if "year" in formula.params:
        previous = measure(scope=scope, unit=unit, code=target.formula,
                           params={**target.params, "year": int(target.params["year"]) - 1},
                           upto=_year_before(day)).value
    return TargetRow(target, now, previous, str(formula.unit_label))
