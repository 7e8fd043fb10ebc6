"""A cadre's field-visit year from the database through the pure rules (FV-1, FV-3, FV-4, FV-11):
the policy in force for the cadre's unit, the requirement from their posts and statuses, and the
compliance of their visits. The recompute of a whole agency and the tables build on this."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from doanvu.accounts.scope import Scope
from doanvu.members import api as members_api
from doanvu.org.models import Person, Position, Supervision, Unit

from . import rules
from .models import FieldVisitPolicy, Visit
from .selectors import policy_for

SYSTEM = Scope(user_id=None, is_superuser=True)


@dataclass(frozen=True)
class CadreYear:
    person: Person
    unit: Unit  # the agency the cadre worked in that year (the post governing the year)
    year: int
    policy: FieldVisitPolicy
    regime: rules.RegimePolicy
    required: rules.Requirement
    result: rules.ComplianceResult
    visits: list[Visit]  # the year's visits, by start date, places prefetched


def year_posts(person: Person | int, year: int) -> list[Position]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return list(Position.objects.filter(person=person, start_date__lte=end)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
                .select_related("unit__kind", "department").order_by("start_date", "id"))


def status_spans(statuses: Iterable[object]) -> list[rules.StatusSpan]:
    return [rules.StatusSpan(s.kind, s.get_kind_display(), s.start_date, s.end_date)  # type: ignore[attr-defined]
            for s in statuses]


def assigned_unit_ids(person: Person | int, year: int) -> set[int]:
    """The units a cadre is assigned to supervise in `year` (ORG-7: the "1" of "1+2")."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return set(Supervision.objects.filter(person=person, start_date__lte=end)
               .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
               .values_list("supervised_unit_id", flat=True))


def visit_fact(visit: Visit, *, assigned_paths: Iterable[str] = ()) -> rules.VisitFact:
    """The rules' view of a visit (its places prefetched with their kinds)."""
    places = list(visit.places.all())
    prefixes = tuple(assigned_paths)
    return rules.VisitFact(
        start=visit.start_date, end=visit.end_date, kind=visit.kind,
        invitation_only=visit.invitation_only, reported_on=visit.reported_on,
        place_kinds=tuple(p.kind.code for p in places),
        assigned_place=any(p.path.startswith(prefixes) for p in places) if prefixes else False,
        cost=visit.cost,
    )


def cadre_year(person: Person, year: int, *, as_of: dt.date | None = None) -> CadreYear | None:
    """A cadre's year under the regime in force for the unit of their last post of the year
    (None when the cadre held no post that year or no regime covers the unit). The caller
    checks the reader's scope (permissions.can_read_person)."""
    posts = year_posts(person, year)
    if not posts:
        return None
    post = posts[-1]
    day = min(dt.date(year, 12, 31), post.end_date or dt.date(year, 12, 31))
    policy = policy_for(unit=post.unit, day=day)
    if policy is None:
        return None
    regime = rules.RegimePolicy.of(policy)
    statuses = members_api.cadre_statuses(scope=SYSTEM, person_ids=[person.pk], year=year)
    required = rules.requirement(regime, year, titles=[p.title for p in posts],
                                 statuses=status_spans(statuses.get(person.pk, [])))
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    visits = list(Visit.objects.filter(person=person, start_date__lte=end, end_date__gte=start)
                  .prefetch_related("places__kind").order_by("start_date", "id"))
    assigned = Unit.objects.filter(pk__in=assigned_unit_ids(person, year)).values_list(
        "path", flat=True)
    paths = list(assigned)
    facts = [visit_fact(v, assigned_paths=paths) for v in visits]
    result = rules.compliance(regime, required, facts, cadre_kind=post.unit.kind.code,
                              year=year, as_of=as_of)
    return CadreYear(person, post.unit, year, policy, regime, required, result, visits)
