"""Reads of remediation, each given the reader's Scope (404 alike for missing and not yours),
except `unremedied`, the public read of a unit's open shortcomings (see api)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from doanvu.accounts.scope import READ, Scope
from doanvu.common.periods import Period
from doanvu.org.models import CommitteeKind, Person, Unit
from doanvu.org.selectors import nearest_issued

from . import rules
from .models import (
    EvaluationPolicy,
    Evidence,
    MonthlyEvaluation,
    Shortcoming,
    Solution,
    SolutionGroup,
)


def _reachable(scope: Scope, unit: Unit, perm: str = READ) -> None:
    if not scope.can(perm, unit):
        raise Http404


def register_years(*, unit: Unit) -> list[int]:
    return list(Shortcoming.objects.filter(unit=unit).values_list("review_year", flat=True)
                .distinct().order_by("-review_year"))


def register_of(*, unit: Unit, year: int) -> QuerySet[Shortcoming]:
    return (Shortcoming.objects.filter(unit=unit, review_year=year)
            .select_related("area", "same_as")
            .annotate(evidence_count=Count("evidence"))
            .order_by("area__position", "number", "id"))


def count_of(shortcomings: list[Shortcoming]) -> rules.RegisterCount:
    return rules.register_count(
        rules.Entry(year_found=s.year_found, review_year=s.review_year,
                    duplicate=s.same_as_id is not None) for s in shortcomings)


def shortcoming_get(*, scope: Scope, pk: object, perm: str = READ) -> Shortcoming:
    try:
        s = Shortcoming.objects.select_related("unit", "area", "same_as").get(pk=int(pk))  # type: ignore[call-overload]
    except (Shortcoming.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None
    _reachable(scope, s.unit, perm)
    return s


def evidence_get(*, scope: Scope, pk: object) -> Evidence:
    try:
        e = Evidence.objects.select_related("shortcoming__unit").get(pk=int(pk))  # type: ignore[call-overload]
    except (Evidence.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None
    _reachable(scope, e.shortcoming.unit)
    return e


def solution_get(*, scope: Scope, pk: object, perm: str = READ) -> Solution:
    try:
        s = Solution.objects.select_related("group__unit", "group__lead").get(pk=int(pk))  # type: ignore[call-overload]
    except (Solution.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None
    _reachable(scope, s.group.unit, perm)
    return s


def groups_of(*, unit: Unit, year: int) -> QuerySet[SolutionGroup]:
    return (SolutionGroup.objects.filter(unit=unit, year=year).select_related("lead")
            .prefetch_related("solutions__shortcomings").order_by("number"))


def unremedied(unit: Unit, year: int) -> list[Shortcoming]:
    """EMU-11: the shortcomings of the unit's self-review of `year` (the ones it counts: no entry
    linked as the same as another) not closed by the end of that year — the candidates for the
    competition sheet's penalty."""
    year_end = dt.date(year, 12, 31)
    return list(Shortcoming.objects
                .filter(unit=unit, review_year=year, same_as__isnull=True)
                .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=year_end))
                .select_related("area").order_by("number", "id"))


# -- the register across units (the JSON API, issue 16) --------------------------------------------
def shortcomings_of(*, scope: Scope, unit_id: int | None = None, year: int | None = None,
                    closed: bool | None = None) -> QuerySet[Shortcoming]:
    """The register entries of every unit the scope reads (one unit's with `unit_id`, one
    review year's with `year`, closed or still open with `closed`), each with its evidence
    count; a unit the scope does not read gives nothing."""
    qs = scope.filter(Shortcoming.objects.all(), READ, via="unit__")
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if year is not None:
        qs = qs.filter(review_year=year)
    if closed is not None:
        qs = qs.filter(closed_on__isnull=not closed)
    return (qs.select_related("unit", "area", "same_as")
            .annotate(evidence_count=Count("evidence")))


def solution_late(solution: Solution, day: dt.date) -> bool:
    """A solution past the last day of its deadline and not done (REM-4's "chậm so với thời
    hạn"); an ongoing one or one without a deadline is never late."""
    deadline = cast(Period | None, solution.deadline)
    return (not solution.ongoing and deadline is not None and deadline.end < day
            and solution.progress < 100)


def overdue_ids(*, shortcomings: QuerySet[Shortcoming, Any] | list[int],
                day: dt.date) -> set[int]:
    """Of `shortcomings` (a queryset or ids), those still open with a solution late on `day`
    (`solution_late`): one query whatever their number."""
    through = Solution.shortcomings.through
    rows = (through.objects.filter(shortcoming_id__in=shortcomings,
                                   shortcoming__closed_on__isnull=True,
                                   solution__ongoing=False, solution__deadline__isnull=False,
                                   solution__progress__lt=100)
            .values_list("shortcoming_id", "solution__deadline"))
    return {pk for pk, deadline in rows
            if deadline is not None and cast(Period, deadline).end < day}


# -- REM-3 ----------------------------------------------------------------------------------------
def evaluation_policy_for(*, unit: Unit, day: dt.date) -> EvaluationPolicy | None:
    records = (EvaluationPolicy.objects.filter(valid_from__lte=day)
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
               .order_by("valid_from", "id"))
    found: EvaluationPolicy | None = nearest_issued(unit=unit, records=records,
                                                    unit_field="issuing_unit_id")
    return found


def evaluation_years(*, unit: Unit) -> list[int]:
    keys = (MonthlyEvaluation.objects.filter(unit=unit).order_by("-month")
            .values_list("month", flat=True)[:1])
    # PeriodField reads a Period back (the stubs see its CharField's str)
    return [cast(Period, p).year for p in keys]


@dataclass
class MemberRow:
    person: Person
    months: list[tuple[MonthlyEvaluation | None, object]]  # (evaluation, score) per month


def evaluations_of(*, unit: Unit, year: int) -> tuple[list[str], list[MemberRow]]:
    """The members' months side by side: the month keys of the year that have evaluations and,
    per member, each month's evaluation and weighted score."""
    evals = list(MonthlyEvaluation.objects.filter(unit=unit, month__startswith=f"{year}-M")
                 .select_related("person", "policy").order_by("person__full_name", "month"))
    months = sorted({e.month.key for e in evals})
    by_person: dict[int, dict[str, MonthlyEvaluation]] = defaultdict(dict)
    persons: dict[int, Person] = {}
    for e in evals:
        by_person[e.person_id][e.month.key] = e
        persons[e.person_id] = e.person
    rows = []
    for pid, person in persons.items():
        cells: list[tuple[MonthlyEvaluation | None, object]] = []
        for key in months:
            found = by_person[pid].get(key)
            score = (rules.weighted_score({c["code"]: c["weight"] for c in found.policy.criteria},
                                          found.points) if found is not None else None)
            cells.append((found, score))
        rows.append(MemberRow(person=person, months=cells))
    return months, rows


def standing_members(*, unit: Unit, month: Period) -> QuerySet[Person]:
    """Whom the unit evaluates for `month`: its Standing Committee's (Ban Thường vụ, Thường trực)
    seats and its full-time positions held during the month, and whoever it evaluated then."""
    start, end = month.start, month.end
    seated = Q(seats__term__unit=unit,
               seats__committee__in=[CommitteeKind.BTV, CommitteeKind.STANDING],
               seats__term__start_date__lte=end) & (
        Q(seats__term__end_date__isnull=True) | Q(seats__term__end_date__gte=start)) & (
        Q(seats__end_date__isnull=True) | Q(seats__end_date__gte=start))
    placed = Q(positions__unit=unit, positions__full_time=True,
               positions__start_date__lte=end) & (
        Q(positions__end_date__isnull=True) | Q(positions__end_date__gte=start))
    evaluated = MonthlyEvaluation.objects.filter(unit=unit, month=month).values("person_id")
    ids = set(Person.objects.filter(seated).values_list("pk", flat=True))
    ids |= set(Person.objects.filter(placed).values_list("pk", flat=True))
    ids |= {row["person_id"] for row in evaluated}
    return Person.objects.filter(pk__in=ids).order_by("full_name", "pk")


def evaluation_of(*, unit: Unit, person: Person, month: Period) -> MonthlyEvaluation | None:
    return MonthlyEvaluation.objects.filter(unit=unit, person=person, month=month).first()


@dataclass
class OwnYear:
    """A member's own months of one unit: per criterion its points month by month, and the
    month's weighted score."""

    unit: Unit
    months: list[Period]
    criteria: list[tuple[str, list[object]]]
    scores: list[object]
    locked: list[bool]


def own_years(*, person: Person) -> list[int]:
    keys = (MonthlyEvaluation.objects.filter(person=person).order_by("-month")
            .values_list("month", flat=True)[:1])
    return [cast(Period, p).year for p in keys]


def own_evaluations(*, person: Person, year: int) -> list[OwnYear]:
    evals = list(MonthlyEvaluation.objects.filter(person=person, month__startswith=f"{year}-M")
                 .select_related("unit", "policy").order_by("unit_id", "month"))
    by_unit: dict[int, list[MonthlyEvaluation]] = defaultdict(list)
    for e in evals:
        by_unit[e.unit_id].append(e)
    result = []
    for items in by_unit.values():
        labels: dict[str, str] = {}
        for e in items:
            for c in e.policy.criteria:
                labels.setdefault(c["code"], c["label"])
        criteria = [(label, [e.points.get(code) for e in items]) for code, label in labels.items()]
        scores: list[object] = [
            rules.weighted_score({c["code"]: c["weight"] for c in e.policy.criteria}, e.points)
            for e in items]
        result.append(OwnYear(unit=items[0].unit, months=[cast(Period, e.month) for e in items],
                              criteria=criteria, scores=scores,
                              locked=[e.locked for e in items]))
    return result


# -- REM-3 → the member's year-end rating ----------------------------------------------------------
@dataclass
class YearResult:
    """A member's year of monthly evaluations by one unit: the months' weighted scores, their
    mean and the level the policy's thresholds suggest (a level code of the members' scale)."""

    unit: Unit
    person: Person
    year: int
    scores: list[Decimal]
    mean: Decimal | None
    suggestion: str | None
    policy: EvaluationPolicy | None


def thresholds_of(policy: EvaluationPolicy | None) -> list[rules.Threshold]:
    if policy is None:
        return []
    return [rules.Threshold(level=str(t["level"]), minimum=Decimal(str(t["min"])))
            for t in policy.rating_thresholds or []]


def year_result(*, unit: Unit, person: Person, year: int) -> YearResult:
    evals = list(MonthlyEvaluation.objects.filter(unit=unit, person=person,
                                                  month__startswith=f"{year}-M")
                 .select_related("policy").order_by("month"))
    scores = [rules.weighted_score({c["code"]: c["weight"] for c in e.policy.criteria}, e.points)
              for e in evals]
    mean = rules.year_mean(scores)
    policy = evaluation_policy_for(unit=unit, day=dt.date(year, 12, 31))
    return YearResult(unit, person, year, scores, mean,
                      rules.suggested_level(thresholds_of(policy), mean), policy)


def year_results_of(*, scope: Scope, person: Person, year: int) -> list[YearResult]:
    """The units the scope reads that evaluated the person in `year`, each with its result."""
    unit_ids = (MonthlyEvaluation.objects.filter(person=person, month__startswith=f"{year}-M")
                .values_list("unit_id", flat=True).distinct())
    units = [u for u in Unit.objects.filter(pk__in=list(unit_ids)).order_by("pk")
             if scope.can(READ, u)]
    return [year_result(unit=u, person=person, year=year) for u in units]


def evaluated_person(*, unit: Unit, pk: object, year: int) -> Person:
    """A person the unit evaluated in `year` (404 otherwise)."""
    try:
        key = int(pk)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        raise Http404 from None
    if not 0 < key < 2**63:  # beyond any database's integer: no such person
        raise Http404
    if not MonthlyEvaluation.objects.filter(unit=unit, person_id=key,
                                            month__startswith=f"{year}-M").exists():
        raise Http404
    return Person.objects.get(pk=key)
