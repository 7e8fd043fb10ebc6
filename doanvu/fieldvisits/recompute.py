"""The yearly recompute of every cadre's field-visit compliance (FV-3, FV-4, FV-11), stored as
`Compliance` rows the tables and roll-ups read.

Set-based: the posts of the agencies' cadres, the regimes in force, the cadres' statuses,
their supervised units, their visits, and the kinds and paths of the places visited are each
read in ONE query for the whole scope (a province's agencies or the nation) as plain rows; the
year of each cadre is computed with the pure rules (`rules.requirement`, `rules.compliance`,
which reads each visit as a plain row of a `VisitFact`'s fields — no object per visit), and
the rows are written with bulk inserts and updates. The rows are derived data — a recompute
from the audited visits, posts and statuses — so they are not audited one by one.

Who is computed: each person holding a post, some time in the year, in a unit whose kind has a
specialised agency (FV-1), whose last post of the year lies in the scope and is covered by a
regime; the row belongs to that post's unit (as `compliance.cadre_year`).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connections, transaction
from django.db.models import BigIntegerField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django_tasks import task

from doanvu.common.dates import parse_date, today
from doanvu.members import api as members_api
from doanvu.org.models import Position, Supervision, Unit, UnitKind
from doanvu.org.paths import ancestor_ids

from . import rules
from .compliance import SYSTEM, status_spans
from .models import Compliance, FieldVisitPolicy, Visit

FIELDS = ("department_id", "policy_id", "exempt", "required_days", "requirement_text",
          "counted_days", "days_by_level", "days_by_month", "base_days_required",
          "branch_meetings", "assigned_unit_days", "unreported", "cost", "met", "missing",
          "computed_at")


class Computed(NamedTuple):
    """One cadre's year, ready to store (a named tuple: made once per cadre of the nation, where
    a frozen dataclass's checked attribute setting costs more than the tuple)."""

    person_id: int
    unit_id: int
    department_id: int | None
    policy_id: int
    required: rules.Requirement
    result: rules.ComplianceResult
    months: list[int]
    cost: Decimal


@dataclass(frozen=True)
class Stored:
    created: int
    updated: int
    deleted: int
    cadres: int


class _Policies:
    """The regimes valid some time in the year, resolved per unit and day in memory (the
    nearest issuer up the tree, the latest of one issuer's records valid that day)."""

    def __init__(self, year: int) -> None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        self.records = list(FieldVisitPolicy.objects.filter(valid_from__lte=end)
                            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
                            .order_by("valid_from", "id"))
        self.regimes = {r.pk: rules.RegimePolicy.of(r) for r in self.records}
        self._cache: dict[tuple[int, dt.date], FieldVisitPolicy | None] = {}

    def get(self, unit_id: int, path: str, day: dt.date) -> FieldVisitPolicy | None:
        key = (unit_id, day)
        if key not in self._cache:
            valid = {r.issuing_unit_id: r for r in self.records
                     if r.valid_from <= day and (r.valid_to is None or r.valid_to >= day)}
            chain = [*ancestor_ids(path), unit_id]
            self._cache[key] = next((valid[u] for u in reversed(chain) if u in valid), None)
        return self._cache[key]


def compute(*, year: int, unit: Unit | None = None, as_of: dt.date | None = None,
            own_only: bool = False) -> list[Computed]:
    """Every cadre's year in the agencies of `unit` and the units below it (the nation when
    None; `unit`'s own agency only with `own_only`), without writing anything. A handful of
    queries, whatever the number of cadres."""
    with rules.one_language(), _no_collector_pauses():
        return _compute(year=year, unit=unit, as_of=as_of, own_only=own_only)


@contextmanager
def _no_collector_pauses() -> Iterator[None]:
    """The cyclic garbage collector held off while computing: the nation's ~100 000 small rows
    and lists all live until the end and hold no cycles, and the collector walking them again
    after every few hundred allocations took a third of the time. Reference counting still
    frees everything; the collector is back (if it was on) as soon as the compute ends."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _compute(*, year: int, unit: Unit | None, as_of: dt.date | None,
             own_only: bool) -> list[Computed]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    overlaps = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    # the kinds with an agency first, a handful of ids the planner can estimate (joined to
    # `has_agency`, it expected a tenth of the nation's units and scanned them all)
    kinds = list(UnitKind.objects.values_list("pk", "code", "has_agency"))
    agency_kinds = [pk for pk, _code, has_agency in kinds if has_agency]
    # the places' kinds read as ids and named here: the handful of kind codes, not a string
    # per place read and freed again
    kind_code = {pk: code for pk, code, _has_agency in kinds}
    agency_posts = Position.objects.filter(overlaps, unit__kind_id__in=agency_kinds)
    if unit is not None and own_only:
        agency_posts = agency_posts.filter(unit=unit)
    elif unit is not None:
        agency_posts = agency_posts.filter(unit__path__startswith=unit.path)
    holders = agency_posts.values("person_id")
    # 1. every post of the holders in the year (the last one governs the year)
    posts: dict[int, list[tuple]] = defaultdict(list)
    for row in _plain_rows(Position.objects.filter(overlaps, person_id__in=holders)
                           .order_by("person_id", "start_date", "id")
                           .values_list("person_id", "unit_id", "department_id", "title",
                                        "end_date", "unit__path", "unit__kind_id")):
        posts[row[0]].append(row)
    with_agency = set(agency_kinds)
    prefix = unit.path if unit is not None else ""
    policies = _Policies(year)
    cadres: dict[int, tuple[tuple, FieldVisitPolicy]] = {}
    for pid, rows in posts.items():
        last = rows[-1]
        if last[6] not in with_agency or not last[5].startswith(prefix):
            continue
        if own_only and unit is not None and last[1] != unit.pk:
            continue
        day = min(end, last[4] or end)
        policy = policies.get(last[1], last[5], day)
        if policy is not None:
            cadres[pid] = (last, policy)
    if not cadres:
        return []
    # 2. statuses, 3. supervised units, 4. visits joined to their places' kinds: one query
    # each (the nation's visits of the year are read whole, a unit's by its cadres; the
    # statuses and supervisions of the posts' holders, a subquery rather than thousands of ids)
    statuses = members_api.cadre_statuses(scope=SYSTEM, person_ids=holders, year=year)
    assigned: dict[int, list[str]] = defaultdict(list)
    for pid, path in (Supervision.objects.filter(overlaps, person_id__in=holders)
                      .values_list("person_id", "supervised_unit__path")):
        assigned[pid].append(path)
    prefixes = {pid: tuple(paths) for pid, paths in assigned.items()}
    visit_qs = Visit.objects.filter(start_date__lte=end, end_date__gte=start)
    place_qs = Visit.places.through.objects.filter(visit__start_date__lte=end,
                                                   visit__end_date__gte=start)
    if unit is not None:
        visit_qs = visit_qs.filter(person_id__in=holders)
        place_qs = place_qs.filter(visit__person_id__in=holders)
    # each visit as the rules read it (`rules.VisitRow`: start, end, kind, invitation only,
    # reported on, the kinds of its places, at an assigned unit, cost): plain lists filled
    # straight from the rows. The places are a second query joined to their units by inner
    # joins (a visit without places is read all the same): one query left-joining the visits
    # to their places' units made PostgreSQL hash every unit of the nation
    visits: dict[int, list[list[Any]]] = {pid: [] for pid in cadres}
    seen: dict[int, list[Any]] = {}
    supervisor_of: dict[int, int] = {}  # visit → its cadre, for the cadres who supervise units
    visit_rows = _plain_rows(visit_qs.values_list(
        "id", "person_id", "kind", "start_date", "end_date", "invitation_only", "reported_on",
        Cast("cost", BigIntegerField())).order_by())  # whole đồng (no decimals): an integer
    for vid, pid, kind, v_start, v_end, invited, reported, v_cost in visit_rows:
        of_cadre = visits.get(pid)
        if of_cadre is not None:
            fact = seen[vid] = [v_start, v_end, kind, invited, reported, [], False, v_cost]
            of_cadre.append(fact)
            if pid in prefixes:
                supervisor_of[vid] = pid
    if supervisor_of:  # the places' paths only when a visit may be at an assigned unit
        place_rows = _plain_rows(
            place_qs.values_list("visit_id", "unit__kind_id", "unit__path").order_by())
        for vid, place_kind, place_path in place_rows:
            visited = seen.get(vid)
            if visited is not None:
                visited[5].append(kind_code[place_kind])
                if vid in supervisor_of and place_path.startswith(
                        prefixes[supervisor_of[vid]]):
                    visited[6] = True
    else:
        for vid, place_kind in _plain_rows(
                place_qs.values_list("visit_id", "unit__kind_id").order_by()):
            visited = seen.get(vid)
            if visited is not None:
                visited[5].append(kind_code[place_kind])
    # 5. the rules, cadre by cadre, in memory (a requirement is the same for the same regime,
    # titles and statuses, so it is worked out once for them)
    requirements: dict[tuple, rules.Requirement] = {}
    regimes = {pk: (pk, regime) for pk, regime in policies.regimes.items()}
    out = []
    for pid, (last, policy) in cadres.items():
        policy_id, regime = regimes[policy.pk]
        titles = tuple(r[3] for r in posts[pid])
        held = statuses.get(pid)
        spans = tuple(status_spans(held)) if held else ()
        key = (policy_id, titles, spans)
        required = requirements.get(key)
        if required is None:
            required = requirements[key] = rules.requirement(
                regime, year, titles=titles, statuses=spans)
        facts = visits[pid]
        result = rules.compliance(regime, required, facts, cadre_kind=kind_code[last[6]],
                                  year=year, as_of=as_of)
        cost = Decimal(sum([f[7] for f in facts if f[7]]))
        out.append(Computed(pid, last[1], last[2], policy_id, required, result,
                            list(result.by_month), cost))
    return out


def _plain_rows(query: Any) -> list[tuple]:
    """A `values_list` query's rows as the database driver returns them, without Django's
    per-row iteration and converters: for the year's tens of thousands of visits and places,
    whose columns (integers, texts, dates, booleans) the drivers already return as Python
    values (SQLite's dates and booleans by their declared types)."""
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _row(c: Computed, year: int, at: dt.datetime) -> Compliance:
    r = c.result
    return Compliance(
        person_id=c.person_id, unit_id=c.unit_id, department_id=c.department_id, year=year,
        policy_id=c.policy_id, exempt=c.required.exempt, required_days=c.required.days,
        requirement_text=c.required.text[:255], counted_days=r.counted_days,
        days_by_level=dict(r.by_level), days_by_month=c.months,
        base_days_required=r.base_days_required, branch_meetings=r.branch_meetings,
        assigned_unit_days=r.assigned_unit_days, unreported=r.unreported, cost=c.cost,
        met=r.met, missing=r.missing[:500], computed_at=at)


@transaction.atomic
def store(*, year: int, computed: Iterable[Computed], unit: Unit | None = None,
          own_only: bool = False) -> Stored:
    """Write the computed rows: insert the new, update the changed, and delete the scope's rows
    of that year no longer computed (a cadre who left the agencies)."""
    at = timezone.now()
    fresh = {(c.person_id, c.unit_id): _row(c, year, at) for c in computed}
    existing_qs = Compliance.objects.filter(year=year)
    if unit is not None and own_only:
        existing_qs = existing_qs.filter(unit=unit)
    elif unit is not None:
        existing_qs = existing_qs.filter(unit__path__startswith=unit.path)
    existing = {(c.person_id, c.unit_id): c for c in existing_qs}
    changed = []
    for key, row in fresh.items():
        old = existing.get(key)
        if old is None:
            continue
        row.pk = old.pk
        if any(getattr(old, f) != getattr(row, f) for f in FIELDS if f != "computed_at"):
            changed.append(row)
    new = [row for key, row in fresh.items() if key not in existing]
    gone = [c.pk for key, c in existing.items() if key not in fresh]
    # a changed row is replaced (deleted and inserted again with its id): far cheaper than
    # bulk_update's CASE WHEN per field, and nothing points at these derived rows
    for i in range(0, len(changed), 5000):
        Compliance.objects.filter(pk__in=[r.pk for r in changed[i:i + 5000]]).delete()
    Compliance.objects.bulk_create([*changed, *new], batch_size=1000)
    # the rows left as they were are fresh too: they were computed now
    changed_pks = {row.pk for row in changed}
    unchanged = [old.pk for key, old in existing.items()
                 if key in fresh and old.pk not in changed_pks]
    for i in range(0, len(unchanged), 5000):
        Compliance.objects.filter(pk__in=unchanged[i:i + 5000]).update(computed_at=at)
    for i in range(0, len(gone), 5000):
        Compliance.objects.filter(pk__in=gone[i:i + 5000]).delete()
    return Stored(len(new), len(changed), len(gone), len(fresh))


def recompute(*, year: int, unit: Unit | None = None, as_of: dt.date | None = None,
              own_only: bool = False) -> Stored:
    """Compute and store every cadre's year in `unit`'s agencies and below (the nation when
    None; only `unit`'s own agency with `own_only`)."""
    computed = compute(year=year, unit=unit, as_of=as_of, own_only=own_only)
    return store(year=year, computed=computed, unit=unit, own_only=own_only)


def last_computed(*, year: int, unit: Unit, own_only: bool = False) -> dt.datetime | None:
    """When the rows of `unit`'s agencies and below (its own with `own_only`) were last
    computed (None: never)."""
    rows = Compliance.objects.filter(year=year)
    rows = rows.filter(unit=unit) if own_only else rows.filter(unit__path__startswith=unit.path)
    row = (rows
           .order_by("computed_at", "id").values_list("computed_at", flat=True).first())
    return row


@task()
def recompute_task(on: str | None = None) -> dict[str, int]:
    """The daily recompute of the nation's compliance for the year of `on` (today); safe to run
    twice (`manage.py recompute_fieldvisits --hang-doi` enqueues it)."""
    day = parse_date(on) if on else None
    done = recompute(year=(day or today()).year, as_of=day)
    return {"cadres": done.cadres, "created": done.created, "updated": done.updated,
            "deleted": done.deleted}
