"""The yearly recompute of every cadre's field-visit compliance (FV-3, FV-4, FV-11), stored as
`Compliance` rows the tables and roll-ups read.

Set-based: the agency posts of the scope, the posts of their holders, the regimes in force,
the cadres' statuses, their visits with the kinds of the places visited and their supervised
units are each read in ONE query for the whole scope (a province's agencies or the nation),
the year of each cadre is computed with the pure rules (`rules.requirement`,
`rules.compliance`, `rules.days_by_month`), and the rows are written with bulk inserts and
updates. The rows are derived data — a recompute from the audited visits, posts and statuses —
so they are not audited one by one.

Who is computed: each person holding a post, some time in the year, in a unit whose kind has a
specialised agency (FV-1), whose last post of the year lies in the scope and is covered by a
regime; the row belongs to that post's unit (as `compliance.cadre_year`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from doanvu.common.dates import parse_date, today
from doanvu.members import api as members_api
from doanvu.org.models import Position, Supervision, Unit
from doanvu.org.paths import ancestor_ids

from . import rules
from .compliance import SYSTEM, status_spans
from .models import Compliance, FieldVisitPolicy, Visit

FIELDS = ("department_id", "policy_id", "exempt", "required_days", "requirement_text",
          "counted_days", "days_by_level", "days_by_month", "base_days_required",
          "branch_meetings", "assigned_unit_days", "unreported", "cost", "met", "missing",
          "computed_at")


@dataclass(frozen=True)
class Computed:
    """One cadre's year, ready to store."""

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
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    overlaps = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    agency_posts = Position.objects.filter(overlaps, unit__kind__has_agency=True)
    if unit is not None and own_only:
        agency_posts = agency_posts.filter(unit=unit)
    elif unit is not None:
        agency_posts = agency_posts.filter(unit__path__startswith=unit.path)
    holders = agency_posts.values("person_id")
    # 1. every post of the holders in the year (the last one governs the year)
    posts: dict[int, list[tuple]] = defaultdict(list)
    for row in (Position.objects.filter(overlaps, person_id__in=holders)
                .order_by("person_id", "start_date", "id")
                .values_list("person_id", "unit_id", "department_id", "title", "end_date",
                             "unit__path", "unit__kind__code", "unit__kind__has_agency")):
        posts[row[0]].append(row)
    prefix = unit.path if unit is not None else ""
    policies = _Policies(year)
    cadres: dict[int, tuple[tuple, FieldVisitPolicy]] = {}
    for pid, rows in posts.items():
        last = rows[-1]
        if not last[7] or not last[5].startswith(prefix):
            continue
        if own_only and unit is not None and last[1] != unit.pk:
            continue
        day = min(end, last[4] or end)
        policy = policies.get(last[1], last[5], day)
        if policy is not None:
            cadres[pid] = (last, policy)
    if not cadres:
        return []
    ids = list(cadres)
    # 2. statuses, 3. visits joined to their places' kinds, 4. supervised units: one query
    # each (the nation's visits of the year are read whole, a unit's by its cadres)
    statuses = members_api.cadre_statuses(scope=SYSTEM, person_ids=ids, year=year)
    visit_qs = Visit.objects.filter(start_date__lte=end, end_date__gte=start)
    if unit is not None:
        visit_qs = visit_qs.filter(person_id__in=holders)
    visits: dict[int, dict[int, list[Any]]] = defaultdict(dict)
    visit_rows: Any = visit_qs.values_list(
            "id", "person_id", "kind", "start_date", "end_date", "invitation_only",
            "reported_on", "cost", "places__kind__code", "places__path").order_by()
    for (vid, pid, kind, v_start, v_end, invited, reported, v_cost, place_kind,
         place_path) in visit_rows:
        if pid not in cadres:
            continue
        seen: list[Any] | None = visits[pid].get(vid)
        if seen is None:
            seen = visits[pid][vid] = [kind, v_start, v_end, invited, reported, v_cost, [], []]
        if place_kind is not None:
            seen[6].append(place_kind)
            seen[7].append(place_path)
    assigned: dict[int, list[str]] = defaultdict(list)
    for pid, path in (Supervision.objects.filter(overlaps, person_id__in=holders)
                      .values_list("person_id", "supervised_unit__path")):
        assigned[pid].append(path)
    # 5. the rules, cadre by cadre, in memory
    out = []
    for pid, (last, policy) in cadres.items():
        regime = policies.regimes[policy.pk]
        required = rules.requirement(
            regime, year, titles=[r[3] for r in posts[pid]],
            statuses=status_spans(statuses.get(pid, ())))
        prefixes = tuple(assigned.get(pid, ()))
        facts = []
        cost = Decimal(0)
        for kind, v_start, v_end, invited, reported, v_cost, kinds, paths in \
                visits[pid].values():
            facts.append(rules.VisitFact(
                v_start, v_end, kind, invited, reported, tuple(kinds),
                bool(prefixes) and any(p.startswith(prefixes) for p in paths), v_cost))
            cost += v_cost or 0
        result = rules.compliance(regime, required, facts, cadre_kind=last[6], year=year,
                                  as_of=as_of)
        months = list(result.by_month)
        out.append(Computed(pid, last[1], last[2], policy.pk, required, result, months, cost))
    return out


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
