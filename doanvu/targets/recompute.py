"""The maintained figures of formula targets (PERF-4): every unit's numerator and denominator
under each target's scope, on the target's measurement day and a year earlier, stored as
`TargetFigure` rows the dashboard reads (`selectors.target_rows_from_aggregates`) instead of
running the formulas on each view.

Set-based: per target and day, the tree of that day is read once (the unit versions standing
then), and each formula's raw facts once for the whole scope through members' whole-subtree
readers (`members.api.training_counts_on`, `branch_regularity_on`, `secretaries_on`: a few
grouped queries, whatever the size); the facts are then rolled up in memory to every ancestor
by path prefix (a path is its ancestors' ids, so each prefix names the unit). The formulas in
`formulas.py` stay the reference — the same filters (residential by the day's sector, kinds by
the day's kind) on the same facts; tests assert the figures equal them.

How the figures stay correct (docs/architecture.md, "Targets", PERF-4):

- a full recompute every day (`manage.py recompute_targets`, or its task on the worker) — the
  measurement day moves with today until a target's due date;
- after a change to what the formulas read — a member saved or moved (a membership), a
  registration, a meeting, a course, a committee seat or term, a person's levels, a unit or its
  versions (a merge, a move, a dissolution: org's `subtree_moved`, `unit_ended`) — `receivers`
  mark every computed target stale once the change commits and enqueue one recompute; the
  dashboard says the figures are being recomputed until it has run. Bulk writes that send no
  signal are caught by the daily run.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from doanvu.accounts.scope import Scope
from doanvu.common.dates import parse_date, today
from doanvu.common.periods import Period
from doanvu.members import api as members
from doanvu.org.models import Unit, UnitKind
from doanvu.org.paths import STEP
from doanvu.org.selectors import versions_on

from . import rules
from .formulas import FORMULAS, RESIDENTIAL
from .models import Target, TargetComputation, TargetFigure

SYSTEM = Scope(user_id=None, is_superuser=True)
COUNTS = frozenset({"residential_secretary_courses"})  # a count, not a share


@dataclass
class DayTree:
    """Every unit standing on `day`: path, sector, parent and kind that day."""

    day: dt.date
    paths: dict[int, str]
    sector: dict[int, str]
    parent: dict[int, int | None]
    kind: dict[int, int]

    def residential(self, unit_id: int) -> bool:
        sector = self.sector.get(unit_id) or self.sector.get(self.parent.get(unit_id) or 0, "")
        return sector in RESIDENTIAL


def day_tree(day: dt.date) -> DayTree:
    paths: dict[int, str] = {}
    sector: dict[int, str] = {}
    parent: dict[int, int | None] = {}
    kind: dict[int, int] = {}
    rows = versions_on(day).values_list("unit_id", "path", "sector", "parent_id", "kind_id")
    for unit_id, path, sec, parent_id, kind_id in list(rows):
        paths[unit_id] = path
        sector[unit_id] = sec
        parent[unit_id] = parent_id
        kind[unit_id] = kind_id
    return DayTree(day, paths, sector, parent, kind)


@dataclass
class Figures:
    """Per unit: (numerator, denominator) of its subtree; `parent` the day's parent."""

    values: dict[int, tuple[int, int]]


def _ancestors(path: str, root_len: int) -> Iterable[int]:
    """The ids of the units from the root (of `root_len` chars) down to `path` itself."""
    for end in range(root_len, len(path) + 1, STEP):
        yield int(path[end - STEP:end], 36)


def _roll_up(tree: DayTree, root: str, rows: Iterable[tuple[int, int, int]]) -> Figures:
    acc: dict[int, list[int]] = {}
    root_len = len(root)
    for unit_id, n, d in rows:
        path = tree.paths.get(unit_id)
        if path is None or not path.startswith(root):
            continue
        for a in _ancestors(path, root_len):
            cell = acc.get(a)
            if cell is None:
                acc[a] = [n, d]
            else:
                cell[0] += n
                cell[1] += d
    return Figures({k: (v[0], v[1]) for k, v in acc.items()})


def _roll_up_sets(tree: DayTree, root: str,
                  rows: Iterable[tuple[int, frozenset[Any]]]) -> Figures:
    acc: dict[int, set[Any]] = defaultdict(set)
    root_len = len(root)
    for unit_id, held in rows:
        path = tree.paths.get(unit_id)
        if path is None or not path.startswith(root):
            continue
        for a in _ancestors(path, root_len):
            acc[a] |= held
    return Figures({k: (len(v), 0) for k, v in acc.items()})


class _Run:
    """One recompute: trees and secretaries read once per day, shared by the targets."""

    def __init__(self) -> None:
        self.trees: dict[dt.date, DayTree] = {}
        self.secretaries: dict[tuple[int, dt.date, int], list[members.SecretaryFacts]] = {}
        self.training: dict[tuple[int, int, dt.date], dict[int, tuple[int, int]]] = {}
        self.branch_kinds = set(UnitKind.objects.filter(is_branch=True).values_list("pk",
                                                                                     flat=True))
        self.grassroots = set(UnitKind.objects.filter(is_grassroots=True, is_branch=False)
                              .values_list("pk", flat=True))

    def prefetch_training(self, unit: Unit, years: dict[int, dt.date]) -> None:
        """The registrations of several years at once (one pass over the memberships)."""
        found = members.training_counts_on(scope=SYSTEM, unit=unit, years=years)
        for year, day in years.items():
            self.training[(unit.pk, year, day)] = found[year]

    def tree(self, day: dt.date) -> DayTree:
        if day not in self.trees:
            self.trees[day] = day_tree(day)
        return self.trees[day]

    def secretaries_of(self, unit: Unit, day: dt.date, year: int) -> list[members.SecretaryFacts]:
        key = (unit.pk, day, year)
        if key not in self.secretaries:
            self.secretaries[key] = members.secretaries_on(scope=SYSTEM, unit=unit, day=day,
                                                           as_of=day, course_year=year)
        return self.secretaries[key]

    def figures(self, code: str, unit: Unit, params: Mapping[str, Any],
                upto: dt.date) -> tuple[DayTree, Figures]:
        """The formula's figures at `unit` and every unit under it, as `formulas.measure`
        would give them one unit at a time."""
        year = int(params["year"])
        day = min(dt.date(year, 12, 31), upto)
        tree = self.tree(day)
        root = tree.paths.get(unit.pk, "")
        if not root:
            return tree, Figures({})
        if code == "residential_secretary_courses":
            rows = self.secretaries_of(unit, day, year)
            return tree, _roll_up_sets(tree, root, (
                (r.unit_id, r.courses) for r in rows
                if tree.kind.get(r.unit_id) in self.branch_kinds and tree.residential(r.unit_id)))
        if code == "commune_secretaries_qualified":
            from doanvu.org.models import EducationLevel, TheoryLevel

            education = [c for c, _label in EducationLevel.choices]
            theory = [c for c, _label in TheoryLevel.choices]
            rows = self.secretaries_of(unit, day, year)
            return tree, _roll_up(tree, root, (
                (r.unit_id,
                 int(rules.level_at_least(r.education_level, params["min_education"], education)
                     and rules.level_at_least(r.political_theory, params["min_theory"],
                                              theory)), 1)
                for r in rows if tree.kind.get(r.unit_id) in self.grassroots
                and tree.sector.get(r.unit_id) in RESIDENTIAL))
        if code == "training_registration":
            key = (unit.pk, year, day)
            if key not in self.training:
                self.prefetch_training(unit, {year: day})
            counts = self.training.pop(key)
            branches = (u for u, p in tree.paths.items()
                        if tree.kind[u] in self.branch_kinds and p.startswith(root))
            return tree, _roll_up(tree, root, (
                (b, counts.get(b, (0, 0))[1], counts.get(b, (0, 0))[0]) for b in branches))
        if code == "residential_branches_meeting":
            ok = members.branch_regularity_on(scope=SYSTEM, unit=unit,
                                              period=Period.of_year(year), upto=upto, as_of=day)
            return tree, _roll_up(tree, root, ((b, int(v), 1) for b, v in ok.items()
                                               if tree.residential(b)))
        raise KeyError(code)


def year_before(day: dt.date) -> dt.date:
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) \
        else day.replace(year=day.year - 1)


@dataclass(frozen=True)
class Done:
    targets: int
    figures: int


@dataclass(frozen=True)
class Computed:
    target: Target
    day: dt.date  # the measurement day
    tree: DayTree
    now: Figures
    previous: Figures | None  # a year earlier (formulas with a year)


def compute(*, upto: dt.date | None = None,
            targets: Iterable[Target] | None = None) -> list[Computed]:
    """Every formula target's figures (the nation's formula targets by default) as on `upto`
    (today), without writing anything."""
    upto = upto or today()
    run = _Run()
    chosen = (list(targets) if targets is not None
              else list(Target.objects.exclude(formula="").select_related("scope_unit")
                        .order_by("pk")))
    out = []
    for target in chosen:
        if target.formula not in FORMULAS:
            continue
        day = min(upto, target.due_on)
        if target.formula == "training_registration":
            year = int(target.params["year"])
            run.prefetch_training(target.scope_unit, {
                year: min(dt.date(year, 12, 31), day),
                year - 1: min(dt.date(year - 1, 12, 31), year_before(day))})
        tree, now = run.figures(target.formula, target.scope_unit, target.params, day)
        previous = None
        if "year" in FORMULAS[target.formula].params:
            earlier = {**target.params, "year": int(target.params["year"]) - 1}
            previous = run.figures(target.formula, target.scope_unit, earlier,
                                   year_before(day))[1]
        out.append(Computed(target, day, tree, now, previous))
    return out


def recompute(*, upto: dt.date | None = None, targets: Iterable[Target] | None = None) -> Done:
    """Every formula target's figures from raw data, as on `upto` (today); replaces the stored
    ones target by target, each in its own transaction. Safe to run again."""
    chosen = (list(targets) if targets is not None
              else list(Target.objects.exclude(formula="").select_related("scope_unit")
                        .order_by("pk")))
    # Changes from here on mark the figures stale again (and enqueue another run).
    TargetComputation.objects.filter(target__in=[t.pk for t in chosen]).update(stale_since=None)
    done = compute(upto=upto, targets=chosen)
    written = sum(_store(c.target, c.tree, c.now, c.previous, c.day) for c in done)
    return Done(len(chosen), written)


def _store(target: Target, tree: DayTree, now: Figures, previous: Figures | None,
           day: dt.date) -> int:
    """Write what changed of the target's figures (new units, changed figures, units gone):
    a daily recompute of an unchanged nation writes next to nothing. Returns the rows
    written."""
    count = target.formula in COUNTS
    units = set(now.values) | set(previous.values if previous else ())
    units.add(target.scope_unit_id)
    rows: dict[int, tuple[Any, ...]] = {}
    for unit_id in units:
        n, d = now.values.get(unit_id, (0, 0))
        p = previous.values.get(unit_id) if previous is not None else None
        rows[unit_id] = (tree.parent.get(unit_id), n, None if count else d,
                         unit_id in now.values,
                         p[0] if p else (0 if previous is not None else None),
                         (None if count else (p[1] if p else 0)) if previous is not None
                         else None)
    with transaction.atomic():
        stored = {r[0]: r[1:] for r in TargetFigure.objects.filter(target=target)
                  .values_list("unit_id", *COLUMNS[2:])}
        gone = [u for u in stored if u not in rows]
        new = [(target.pk, u, *r) for u, r in rows.items() if u not in stored]
        changed = [(target.pk, u, *r) for u, r in rows.items()
                   if u in stored and stored[u] != r]
        for i in range(0, len(gone), 10000):
            TargetFigure.objects.filter(target=target, unit_id__in=gone[i:i + 10000]).delete()
        _insert(new)
        _update(target, changed)
        TargetComputation.objects.update_or_create(
            target=target, defaults={"measured_on": day, "computed_at": timezone.now()})
    return len(gone) + len(new) + len(changed)


COLUMNS = ("target_id", "unit_id", "parent_id", "numerator", "denominator", "has_data",
           "previous_numerator", "previous_denominator")


def _copy_rows(rows: list[tuple[Any, ...]]) -> str:
    buf = io.StringIO()
    for r in rows:
        buf.write("\t".join("\\N" if v is None else ("t" if v is True else "f")
                            if isinstance(v, bool) else str(v) for v in r))
        buf.write("\n")
    return buf.getvalue()


def _insert(rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            table = TargetFigure._meta.db_table
            with cur.cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                copy.write(_copy_rows(rows))
        return
    TargetFigure.objects.bulk_create(
        (TargetFigure(**dict(zip(COLUMNS, r, strict=True))) for r in rows), batch_size=2000)


def _update(target: Target, rows: list[tuple[Any, ...]]) -> None:
    """Changed figures: on PostgreSQL copied into a temporary table and updated from it in one
    statement; elsewhere row by row (small data)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        table = TargetFigure._meta.db_table
        with connection.cursor() as cur:
            cur.execute(f"CREATE TEMPORARY TABLE targets_figure_new AS SELECT "
                        f"{', '.join(COLUMNS)} FROM {table} WITH NO DATA")
            with cur.cursor.copy("COPY targets_figure_new "
                                 f"({', '.join(COLUMNS)}) FROM STDIN") as copy:
                copy.write(_copy_rows(rows))
            sets = ", ".join(f"{c} = n.{c}" for c in COLUMNS[2:])
            cur.execute(f"UPDATE {table} f SET {sets} FROM targets_figure_new n "
                        "WHERE f.target_id = n.target_id AND f.unit_id = n.unit_id")
            cur.execute("DROP TABLE targets_figure_new")
        return
    for r in rows:
        values = dict(zip(COLUMNS, r, strict=True))
        TargetFigure.objects.filter(target_id=values.pop("target_id"),
                                    unit_id=values.pop("unit_id")).update(**values)


def figure_value(code: str, numerator: int, denominator: int | None) -> Any:
    """A stored figure's value, as the formula states it (a count, or a percentage)."""
    from decimal import Decimal

    if code in COUNTS:
        return Decimal(numerator)
    return rules.percent(numerator, denominator or 0)


@task()
def recompute_task(on: str | None = None) -> dict[str, int]:
    """The recompute of every formula target as on `on` (today): daily, and after a change to
    what the formulas read (receivers); safe to run twice."""
    done = recompute(upto=parse_date(on) if on else None)
    return {"targets": done.targets, "figures": done.figures}
