"""Reads of field visits, each given the reader's Scope (see permissions)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.scope import READ, Scope
from doanvu.common.dates import today
from doanvu.common.text import fold
from doanvu.org.models import Department, Person, Unit
from doanvu.org.selectors import nearest_issued

from . import permissions
from .models import Compliance, FieldVisitPolicy, Visit


def policy_for(*, unit: Unit, day: dt.date) -> FieldVisitPolicy | None:
    """The field-visit regime in force for `unit` on `day`: its own or its nearest ancestor's
    record valid then (the latest issued wins among one issuer's)."""
    records = (FieldVisitPolicy.objects
               .filter(valid_from__lte=day)
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
               .order_by("valid_from", "id"))
    found: FieldVisitPolicy | None = nearest_issued(unit=unit, records=records,
                                                    unit_field="issuing_unit_id")
    return found


ORGANISATION_SYMBOL = "tckt"  # i18n: data (the department's symbol, folded)
ORGANISATION_WORDS = ("to chuc",)  # i18n: data (folded words of its name)


def organisation_department(unit: Unit) -> Department | None:
    """The unit's Ban Tổ chức – Kiểm tra, which the regime's plans and reports go to (seed 002
    §IV), found by its symbol TCKT or "Tổ chức" in its name; None when the agency has none."""
    for d in Department.objects.filter(unit=unit).order_by("pk"):
        if d.valid_to is not None and d.valid_to < today():
            continue
        name = fold(f"{d.name} {d.short_name}")
        if fold(d.short_name or "") == ORGANISATION_SYMBOL or all(
                w in name for w in ORGANISATION_WORDS):
            return d
    return None


# -- visits and compliance rows, scope-checked (the API reads and writes through these) --------


def _pk(pk: object) -> int | None:
    try:
        value = int(str(pk))
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**63 else None


def visit_get(*, scope: Scope, pk: int) -> Visit:
    """One visit for a reader of the cadre's record or of the unit it was made from
    (`permissions.can_read_visit`); 404 alike for missing and not yours."""
    visit = (Visit.objects.select_related("person", "unit", "department", "planned",
                                          "planned__plan", "planned__place", "campaign")
             .filter(pk=pk).first() if 0 < pk < 2**63 else None)
    if visit is None or not permissions.can_read_visit(scope, visit):
        raise Http404(_("Không tìm thấy chuyến đi."))
    return visit


def _readable(scope: Scope, qs: QuerySet, person_id: int | None) -> QuerySet:
    """Rows (visits, compliance rows) of a unit the scope reads, and the user's own; with
    `person_id` a cadre whose whole record the scope reads (the governing unit), all theirs."""
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
        person = Person.objects.filter(pk=person_id).first()
        if person is not None and permissions.can_read_person(scope, person):
            return qs
    return qs.filter(scope.q(READ, via="unit__")
                     | Q(person_id__in=sorted(permissions.person_ids(scope))))


VISIT_STATES = ("chua-bao-cao", "da-bao-cao", "bao-cao-tre", "qua-han")


@dataclass(frozen=True)
class VisitFilter:
    """The filters of a visit list: the cadre, the unit the visit was made from, a unit visited,
    the days it overlaps, the report's state (`VISIT_STATES`)."""

    person_id: int | None = None
    unit_id: int | None = None
    place_id: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    state: str = ""


def visit_list(*, scope: Scope, filters: VisitFilter) -> QuerySet[Visit]:
    """The visits the scope reads (`_readable`), filtered; their cadre, unit, department and
    places read with them (a fixed number of queries whatever the page's length)."""
    qs = _readable(scope, Visit.objects.all(), filters.person_id)
    if filters.unit_id is not None:
        qs = qs.filter(unit_id=filters.unit_id)
    if filters.place_id is not None:
        qs = qs.filter(pk__in=Visit.places.through.objects.filter(
            unit_id=filters.place_id).values("visit_id"))
    if filters.start is not None:
        qs = qs.filter(end_date__gte=filters.start)
    if filters.end is not None:
        qs = qs.filter(start_date__lte=filters.end)
    if filters.state == "chua-bao-cao":
        qs = qs.filter(reported_on__isnull=True)
    elif filters.state == "da-bao-cao":
        qs = qs.filter(reported_on__isnull=False)
    elif filters.state == "bao-cao-tre":
        qs = qs.filter(report_late=True)
    elif filters.state == "qua-han":
        qs = qs.filter(reported_on__isnull=True, report_due__lt=today())
    return (qs.select_related("person", "unit", "department")
            .prefetch_related(Prefetch("places", queryset=Unit.objects.order_by("path", "pk"))))


def compliance_list(*, scope: Scope, year: int, unit_id: int | None = None,
                    person_id: int | None = None,
                    department_id: int | None = None) -> QuerySet[Compliance]:
    """The stored compliance rows of a year (`recompute`) the scope reads: of the agencies it
    reads (the unit the cadre worked from) and the user's own; a cadre whose record it reads,
    all of theirs. Optionally one agency, one cadre, one department."""
    qs = _readable(scope, Compliance.objects.filter(year=year), person_id)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    return qs.select_related("person", "unit", "department", "policy")


@dataclass
class RollupRow:
    unit: Unit
    cadres: int = 0
    met: int = 0
    not_met: int = 0
    exempt: int = 0
    days: int = 0
    cost: Decimal = Decimal(0)

    @property
    def share(self) -> float:
        counted = self.cadres - self.exempt
        return self.met / counted if counted else 0.0


def rollup_rows(unit: Unit, year: int) -> tuple[list[RollupRow], RollupRow]:
    """One row per unit directly below `unit` (and `unit`'s own agency first): its cadres and
    those of every agency under it, met / not met / exempt — one grouped query."""
    depth = unit.path.count("/")
    agg = (Compliance.objects.filter(year=year, unit__path__startswith=unit.path)
           .values("unit__path")
           .annotate(n=Count("id"), met=Count("id", filter=Q(met=True, exempt=False)),
                     exempt=Count("id", filter=Q(exempt=True)), days=Sum("counted_days"),
                     cost=Sum("cost")))
    by_prefix: dict[str, RollupRow] = {}
    totals: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0, Decimal(0)])
    for a in agg:
        parts = a["unit__path"].split("/")
        prefix = "/".join(parts[:depth + 1]) + "/" if len(parts) > depth + 1 else unit.path
        t = totals[prefix]
        t[0] += a["n"]
        t[1] += a["met"]
        t[2] += a["exempt"]
        t[3] += a["days"] or 0
        t[4] += a["cost"] or 0
    units = {u.path: u for u in Unit.objects.filter(path__in=list(totals))}
    children = list(Unit.objects.filter(parent=unit, kind__has_agency=True,
                                        dissolved_on__isnull=True).order_by("name", "id"))
    for u in [unit, *children, *units.values()]:
        if u.path not in by_prefix:
            n, met, exempt, days, cost = totals.get(u.path, [0, 0, 0, 0, Decimal(0)])
            by_prefix[u.path] = RollupRow(u, n, met, n - met - exempt, exempt, days, cost)
    out = [by_prefix.pop(unit.path)]
    out += sorted(by_prefix.values(), key=lambda r: (r.unit.name, r.unit.pk))
    total = RollupRow(unit, sum(r.cadres for r in out), sum(r.met for r in out),
                      sum(r.not_met for r in out), sum(r.exempt for r in out),
                      sum(r.days for r in out), sum((r.cost for r in out), Decimal(0)))
    return out, total


def compliance_computed_at(*, unit: Unit, year: int) -> dt.datetime | None:
    """When the oldest of the stored rows of `unit`'s agencies and below was computed (None:
    never) — what a roll-up of those rows is as of (`recompute.last_computed`)."""
    return (Compliance.objects.filter(year=year, unit__path__startswith=unit.path)
            .order_by("computed_at", "id").values_list("computed_at", flat=True).first())
def cadre_get(*, scope: Scope, pk: object) -> Person:
    """A cadre whose field-visit record the scope reads (the cadre, a reader of the governing
    unit: `permissions.can_read_person`); 404 alike for missing and not yours."""
    person_id = _pk(pk)
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None or not permissions.can_read_person(scope, person):
        raise Http404(_("Không tìm thấy cán bộ."))
    return person


def own_cadre(*, scope: Scope) -> Person | None:
    """The cadre the scope's user is (the account linked to a person), if any."""
    if scope.user_id is None:
        return None
    return Person.objects.filter(user_id=scope.user_id).order_by("pk").first()


def visit_places(*, person: Person, on: dt.date | None, ids: Iterable[int]
                 ) -> tuple[list[Unit], list[int]]:
    """The units of `ids` a visit of `person` starting `on` may name as visited — strictly below
    the agency of the cadre's post that day, as the page's choices offer — in the order given,
    and the ids that are not such a unit (never named: they may be another agency's)."""
    wanted = list(dict.fromkeys(ids))
    post = permissions.governing_post(person, on=on) if on else None
    if post is None:
        return [], []  # the service refuses a cadre without a post that day
    agency = post.unit
    found = {u.pk: u for u in Unit.objects.filter(pk__in=wanted, path__startswith=agency.path)
             .exclude(pk=agency.pk)}
    return [found[i] for i in wanted if i in found], [i for i in wanted if i not in found]
