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
