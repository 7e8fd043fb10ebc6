"""Reads of targets, given the reader's Scope: the targets that apply to a unit, each measured
there with its value, goal, trend and the child units that hold it back (IND-2)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from doanvu.accounts.scope import READ, Scope
from doanvu.common.dates import today
from doanvu.org.models import Unit
from doanvu.org.paths import ancestor_paths

from . import rules
from .formulas import FORMULAS, Measure, Part, child_path_of, children_of, measure
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


# -- PERF-4: the dashboard from the maintained figures -----------------------------------------


@dataclass(frozen=True)
class AggregateRow(TargetRow):
    """A dashboard row read from the stored figures (`recompute`), with when they were
    computed, for which measurement day, and whether a change since awaits a recompute."""

    computed_at: dt.datetime | None = None
    measured_on: dt.date | None = None
    stale: bool = False


def target_rows_from_aggregates(*, scope: Scope, unit: Unit,
                                upto: dt.date | None = None) -> list[TargetRow]:
    """`target_rows` read from the maintained figures (PERF-4): one query for the computations
    and one for the figures of the unit and its children, whatever the size of the subtree; no
    formula runs. A target not computed yet, or a reader who does not read the unit's whole
    subtree (the stored figures count all of it), gets the live formula instead."""
    from .models import TargetComputation, TargetFigure
    from .recompute import figure_value

    upto = upto or today()
    targets = list(targets_for(unit=unit))
    whole = scope.covers_subtree(READ, unit)
    computed = ({c.target_id: c for c in TargetComputation.objects.filter(
        target_id__in=[t.pk for t in targets if t.formula in FORMULAS])} if whole else {})
    figures: dict[int, list[TargetFigure]] = defaultdict(list)
    if computed:
        for f in (TargetFigure.objects.filter(target_id__in=list(computed))
                  .filter(Q(unit=unit) | Q(parent=unit)).select_related("unit")):
            figures[f.target_id].append(f)
    rows: list[TargetRow] = []
    for target in targets:
        comp = computed.get(target.pk)
        if comp is None:
            rows.extend(_live_rows(scope=scope, unit=unit, target=target, upto=upto))
            continue
        code = target.formula
        own = next((f for f in figures[target.pk] if f.unit_id == unit.pk), None)
        parts = sorted((Part(f.unit, figure_value(code, f.numerator, f.denominator),
                             f.numerator, f.denominator)
                        for f in figures[target.pk] if f.unit_id != unit.pk and f.has_data),
                       key=lambda p: (p.value, p.unit.name))
        n, d = (own.numerator, own.denominator) if own else (0, None if code in _counts()
                                                               else 0)
        now = Measure(figure_value(code, n, d), n, d, parts)
        previous = (figure_value(code, own.previous_numerator, own.previous_denominator)
                    if own and own.previous_numerator is not None
                    else (figure_value(code, 0, 0) if "year" in FORMULAS[code].params else None))
        rows.append(AggregateRow(
            target, now, previous, str(FORMULAS[code].unit_label), comp.computed_at,
            comp.measured_on,
            comp.stale_since is not None or comp.measured_on != measured_on(target, upto)))
    return rows


def _counts() -> frozenset[str]:
    from .recompute import COUNTS

    return COUNTS


def _live_rows(*, scope: Scope, unit: Unit, target: Target, upto: dt.date) -> list[TargetRow]:
    formula = FORMULAS.get(target.formula)
    if formula is None:
        return [TargetRow(target, _entered(scope=scope, target=target, unit=unit), None, "")]
    day = measured_on(target, upto)
    now = measure(scope=scope, unit=unit, code=target.formula, params=target.params, upto=day)
    previous = None
    if "year" in formula.params:
        earlier = {**target.params, "year": int(target.params["year"]) - 1}
        previous = measure(scope=scope, unit=unit, code=target.formula, params=earlier,
                           upto=_year_before(day)).value
    return [TargetRow(target, now, previous, str(formula.unit_label))]
