"""The public read API of members: what other modules (field visits, targets, remediation, …)
read of members. Import from here, not from the sub-packages, whose insides may move.

Every function takes the reader's Scope and answers only with what that scope reads: an entity
asked by id that the scope does not reach is a 404 (`Http404`, alike for missing and not
yours); a list under a unit the scope does not reach is empty.

- `cadre_year(scope=, person=, year=)` — a cadre's dated statuses (CadreStatus), posts
  (org Position) and committee seats overlapping `year` (field visits).
- `cadre_statuses(scope=, person_ids=, year=)` — the same statuses for many cadres at once,
  keyed by person id (a person the scope does not read is left out): the field-visit
  recompute of a whole agency.
- `register_review_section(key, builder)` — a module above members adds a section of a cadre's
  annual self-review and a criterion of their year-end rating (FV-8; rating/review.py).
- `branches_meeting_regularly(scope=, unit=, period=, upto=, as_of=)` — every live branch
  under `unit` with whether it met regularly in `period` (dues.meetings' rule: branch meetings
  or Ngày đoàn viên in enough months, the policy's `regular_meeting_min_months` scaled to the
  period).
- `training_registration_share(scope=, unit=, year=, as_of=)` — per branch under `unit`:
  members active in `year` and how many registered for rèn luyện, with the totals.
- `secretary_qualifications(scope=, unit=, day=, as_of=)` — the secretaries (Bí thư) seated on
  `day` in the committees of the units under `unit`, with their education, political theory,
  party membership and cadre courses (targets).
- These three take `as_of`: the units under `unit` as the tree stood that day (X-10, org's
  unit versions) rather than today's — a dissolved district's branches of its years.
- `member_monthly_results(scope=, membership=, year=)` — a member's twelve months of `year`:
  dues due / paid / waived and the branch meetings with the member's attendance (remediation).
- `member_counts(scope=, units=, status=)` — current members per unit's subtree (of `status`,
  active by default; every status when None), from the maintained counts (issue 11): no count
  over memberships. A unit the scope reaches only in part counts only what the scope reads.
- `grassroots_results(scope=, unit=, year=)` — the grassroots unions (cơ sở Đoàn) under
  `unit` the scope reads, classified in `year`, with the level's code, name and rank from the
  scale in force and the unit's secretary then (inspection attendee lists, INS-4).
- `member_count_breakdown(scope=, units=, by=, status=, year=)` — the same per value of `by`:
  "status", "gender" ('' unknown), "birth_year" (0 unknown) and "age_band" (core.rules.AGE_BANDS
  keys by the age reached in `year` = year − birth year, "" unknown or outside every band; a
  member's age on a given day under the policy's age_counting may be one less before the
  birthday: see docs/architecture.md "Maintained member counts").
- Members answering a survey (surveys, SUR-2): `person_of_user(user)` (the Person linked to
  a login, or None), `current_branch(person)` (the branch of the person's current membership —
  the governing one — or None), `branch_members(scope=, branch=)` (the current members of a
  branch whose record the scope may write: a branch secretary enters their paper answers),
  `readable_person_ids(scope=, person_ids=)` (those of the ids whose record the scope reads,
  by the governing membership: names are shown only for them) and `can_write_person`.
- The members list of the JSON API (issue 16): `member_filters` (the list's filters and their
  errors), `member_list_unit`, `member_search` (the list page's search, one keyset page, with
  the rows whose person the scope reads), `member_read_get` (a membership and whether the scope
  reads its person: FULL or the earlier unit's PERIOD).
- Members' year-end ratings (MEM-7) for the JSON API: `member_ratings(scope=, branch_pk=,
  year=)` (a branch's rating sheet as its page shows it: every member active in the year with
  the level, its name and rank in the scale in force, the reason, the recommendation to the
  Party and the rèn luyện registration; 404 alike for a missing branch and one not read) and
  `member_rating_rollup(scope=, unit=, year=)` (the roll-up page's counts per level per live
  sub-unit, with each sub-unit's own classification).
- Whole-subtree readers for the targets' recompute (PERF-4): `training_counts_on`,
  `branch_regularity_on`, `secretaries_on` — the same figures as the three above, as plain rows
  for every unit under `unit` as the tree stood on `as_of`, in a few grouped queries whatever
  the size (the nation). They answer only a scope that reads the whole subtree (empty
  otherwise: a partial reader goes through the functions above, which filter row by row).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.db.models.functions import TruncMonth

from doanvu.accounts.scope import READ, Scope
from doanvu.common.dates import today
from doanvu.common.periods import Period
from doanvu.common.text import fold
from doanvu.org.models import CommitteeSeat, Person, Position, Unit, UnitVersion
from doanvu.org.paths import ancestor_ids
from doanvu.org.selectors import branches_on, subtree_paths_on, versions_on

from .core.rules import AGE_BANDS
from .core.selectors import member_breakdown, member_totals, membership_get, person_get, policy_for
from .dues import rules as dues_rules
from .dues.meetings import REGULAR_KINDS, RegularStatus
from .models import (
    Attendance,
    CadreCourse,
    CadreStatus,
    DuesEntry,
    Meeting,
    Membership,
    MembersPolicy,
    UnitClassification,
)
from .permissions import WRITE, can_person, can_write_person, governing_memberships
from .rating.review import ReviewSection
from .rating.review import register_section as register_review_section
from .rating.services import (
    RatingError,
    Rollup,
    ShareRow,
    active_in_year,
    scale_for,
    target_of,
    training_share,
)

__all__ = [
    "BranchRegularity",
    "MemberRatingRow",
    "MemberSearchPage",
    "CadreYear",
    "MonthResult",
    "ReviewSection",
    "SecretaryRow",
    "TrainingShare",
    "SecretaryFacts",
    "UnitResult",
    "branch_regularity_on",
    "branch_members",
    "branches_meeting_regularly",
    "can_write_person",
    "current_branch",
    "cadre_statuses",
    "cadre_year",
    "grassroots_results",
    "member_count_breakdown",
    "member_counts",
    "member_filters",
    "member_list_unit",
    "member_monthly_results",
    "person_of_user",
    "readable_person_ids",
    "member_read_get",
    "member_rating_rollup",
    "member_ratings",
    "member_search",
    "search_too_broad",
    "register_review_section",
    "secretaries_on",
    "secretary_qualifications",
    "training_counts_on",
    "training_registration_share",
]

SECRETARY = fold("Bí thư")  # i18n: data (matched against position titles)


def _overlaps(start: dt.date, end: dt.date, *, start_field: str = "start_date",
              end_field: str = "end_date", start_nullable: bool = False) -> Q:
    begun = Q(**{f"{start_field}__lte": end})
    if start_nullable:
        begun |= Q(**{f"{start_field}__isnull": True})
    return begun & (Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start}))


def _reaches(scope: Scope, unit: Unit) -> bool:
    return scope.can(READ, unit)


# -- field visits: a cadre's year --------------------------------------------------------------


@dataclass(frozen=True)
class CadreYear:
    person: Person
    year: int
    statuses: list[CadreStatus]  # overlapping the year, by start date
    positions: list[Position]  # posts overlapping the year (unit selected)
    seats: list[CommitteeSeat]  # committee seats overlapping the year (term__unit selected)


def cadre_year(*, scope: Scope, person: object, year: int) -> CadreYear:
    """A cadre's dated statuses, posts and committee seats in `year` (person-level scope: the
    scope reads the person; 404 alike for missing and not yours)."""
    found = person_get(scope=scope, pk=person)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    statuses = list(CadreStatus.objects.filter(person=found).filter(_overlaps(start, end))
                    .order_by("start_date", "id"))
    positions = list(Position.objects.filter(person=found).filter(_overlaps(start, end))
                     .select_related("unit").order_by("start_date", "id"))
    seats = list(CommitteeSeat.objects.filter(person=found)
                 .filter(_overlaps(start, end, start_nullable=True))
                 .select_related("term__unit").order_by("term__start_date", "order", "id"))
    return CadreYear(found, year, statuses, positions, seats)


def cadre_statuses(*, scope: Scope, person_ids: Sequence[int] | QuerySet[Any, Any],
                   year: int) -> dict[int, list[CadreStatus]]:
    """Many cadres' statuses overlapping `year`, by person id, each list by start date; persons
    the scope does not read are left out (one query for the statuses, and one per unread
    person only when the scope is not a superuser's). `person_ids` may be a query of person
    ids (`.values("person_id")`), read as a subquery: thousands of ids are not sent as
    parameters."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out: dict[int, list[CadreStatus]] = defaultdict(list)
    ids = person_ids if isinstance(person_ids, QuerySet) else list(person_ids)
    rows = (CadreStatus.objects.filter(person_id__in=ids)
            .filter(_overlaps(start, end)).order_by("person_id", "start_date", "id"))
    readable: dict[int, bool] = {}
    for row in rows:
        pid = row.person_id
        if pid not in readable:
            readable[pid] = scope.is_superuser or can_person(scope, pid, READ)
        if readable[pid]:
            out[pid].append(row)
    return dict(out)


# -- branches meeting regularly ----------------------------------------------------------------


@dataclass(frozen=True)
class BranchRegularity:
    branch: Unit
    status: RegularStatus  # .ok, .held, .required, .missing

    @property
    def ok(self) -> bool:
        return self.status.ok


def _live_branches(scope: Scope, unit: Unit, as_of: dt.date | None = None) -> list[Unit]:
    if not _reaches(scope, unit):
        return []
    if as_of is None:
        branches = list(Unit.objects.filter(path__startswith=unit.path, kind__is_branch=True,
                                            dissolved_on__isnull=True).order_by("path"))
    else:
        branches = branches_on(unit=unit, day=as_of)
    return [b for b in branches if _reaches(scope, b)]


def branches_meeting_regularly(*, scope: Scope, unit: Unit, period: Period,
                               upto: dt.date | None = None,
                               as_of: dt.date | None = None) -> list[BranchRegularity]:
    """Every live branch under `unit` (itself included) the scope reads, with whether it met
    regularly in `period` (months begun by `upto`, today by default, count). One query for
    the meetings, one policy look-up per parent unit. `as_of`: the branches under `unit` as
    the tree stood that day (X-10); today's live branches by default."""
    upto = upto or today()
    branches = _live_branches(scope, unit, as_of)
    if not branches:
        return []
    months = [m for m in dues_rules.months_of(period) if m.start <= upto]
    held: dict[int, set[Period]] = defaultdict(set)
    for unit_id, day in (Meeting.objects.filter(unit__in=branches, kind__in=REGULAR_KINDS,
                                                date__gte=period.start, date__lte=period.end)
                         .values_list("unit_id", "date")):
        held[unit_id].add(Period.containing(day, "M"))
    on = min(period.end, upto) if months else period.start
    minimum: dict[int | None, int] = {}
    out = []
    for branch in branches:
        if branch.parent_id not in minimum:
            minimum[branch.parent_id] = policy_for(unit=branch, day=on).regular_meeting_min_months
        required = dues_rules.required_meeting_months(
            months_in_period=len(months), min_months_per_year=minimum[branch.parent_id])
        status = RegularStatus(period, months, sorted(held[branch.pk] & set(months)), required)
        out.append(BranchRegularity(branch, status))
    return out


# -- rèn luyện registration share ---------------------------------------------------------------


@dataclass(frozen=True)
class TrainingShare:
    unit: Unit
    year: int
    rows: list[ShareRow]  # per branch: .members, .count (registered), .percent
    members: int
    registered: int

    @property
    def percent(self) -> int:
        return round(100 * self.registered / self.members) if self.members else 0


def training_registration_share(*, scope: Scope, unit: Unit, year: int,
                                as_of: dt.date | None = None) -> TrainingShare:
    """Members active in `year` and how many registered for rèn luyện, per branch under
    `unit` the scope reads (two grouped queries) and in total. `as_of`: the branches under
    `unit` as the tree stood that day (X-10); today's by default."""
    rows = (training_share(scope=scope, unit=unit, year=year, as_of=as_of)
            if _reaches(scope, unit) else [])
    return TrainingShare(unit, year, rows, sum(r.members for r in rows),
                         sum(r.count for r in rows))


# -- secretaries' qualifications --------------------------------------------------------------


@dataclass(frozen=True)
class SecretaryRow:
    unit: Unit
    person: Person
    education_level: str  # org.EducationLevel code ("" when not recorded)
    political_theory: str  # org.TheoryLevel code
    party_member: bool
    courses: list[CadreCourse] = field(default_factory=list)


def secretary_qualifications(*, scope: Scope, unit: Unit, day: dt.date | None = None,
                             as_of: dt.date | None = None) -> list[SecretaryRow]:
    """The secretaries (Bí thư, whatever committee seat says so) seated on `day` in the
    committees of `unit` and the units under it the scope reads, one row per unit and person,
    with the qualifications recorded on the person; only persons the scope reads. `as_of`: the
    units under `unit` as the tree stood that day (X-10); today's by default."""
    day = day or today()
    if not _reaches(scope, unit):
        return []
    if as_of is None:
        under = Q(term__unit__path__startswith=unit.path)
    else:
        under = Q(term__unit_id__in=list(subtree_paths_on(unit=unit, day=as_of)))
    seats = (CommitteeSeat.objects.filter(under)
             .filter(_overlaps(day, day, start_nullable=True))
             .filter(_overlaps(day, day, start_field="term__start_date",
                               end_field="term__end_date"))
             .select_related("person", "term__unit").order_by("term__unit__path", "order", "id"))
    rows: dict[tuple[int, int], SecretaryRow] = {}
    for seat in seats:
        seat_unit = seat.term.unit
        if fold(seat.title) != SECRETARY or (seat_unit.pk, seat.person_id) in rows:
            continue
        if not _reaches(scope, seat_unit) or not can_person(scope, seat.person_id, READ):
            continue
        p = seat.person
        rows[(seat_unit.pk, p.pk)] = SecretaryRow(seat_unit, p, p.education_level,
                                                  p.political_theory, p.party_member)
    courses: dict[int, list[CadreCourse]] = defaultdict(list)
    for course in CadreCourse.objects.filter(
            person_id__in={k[1] for k in rows}).order_by("start_date", "id"):
        courses[course.person_id].append(course)
    for row in rows.values():
        row.courses.extend(courses[row.person.pk])
    return list(rows.values())


# -- a member's monthly results ---------------------------------------------------------------


@dataclass(frozen=True)
class MonthResult:
    month: Period
    dues_due: int | None  # None: no dues entry that month
    dues_paid: int
    dues_waived: bool
    meetings: int  # branch meetings held in the month (sinh hoạt chi đoàn, Ngày đoàn viên)
    present: int
    excused: int
    unexcused: int

    @property
    def dues_owed(self) -> int:
        if self.dues_due is None or self.dues_waived:
            return 0
        return max(self.dues_due - self.dues_paid, 0)


def member_monthly_results(*, scope: Scope, membership: object, year: int) -> list[MonthResult]:
    """The twelve months of `year` for one membership the scope reads (404 alike for missing
    and not yours): dues and attendance at the branch's meetings. Three queries."""
    member: Membership = membership_get(scope=scope, pk=membership)
    dues = {e.month: e for e in DuesEntry.objects.filter(
        membership=member, month__in=[Period.month(year, m) for m in range(1, 13)])}
    meetings: dict[Period, int] = defaultdict(int)
    for day in (Meeting.objects.filter(unit_id=member.branch_id, kind__in=REGULAR_KINDS,
                                       date__year=year).values_list("date", flat=True)):
        meetings[Period.containing(day, "M")] += 1
    seen: dict[Period, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, status in (Attendance.objects.filter(membership=member, meeting__date__year=year,
                                                  meeting__kind__in=REGULAR_KINDS)
                        .values_list("meeting__date", "status")):
        seen[Period.containing(day, "M")][status] += 1
    out = []
    for m in range(1, 13):
        month = Period.month(year, m)
        entry = dues.get(month)
        counts = seen[month]
        out.append(MonthResult(
            month=month,
            dues_due=entry.amount_due if entry else None,
            dues_paid=entry.amount_paid if entry else 0,
            dues_waived=bool(entry and entry.waived),
            meetings=meetings[month],
            present=counts["co_mat"],
            excused=counts["vang_co_phep"],
            unexcused=counts["vang_khong_phep"],
        ))
    return out


# -- maintained member counts (issue 11) -------------------------------------------------------


def member_counts(*, scope: Scope, units: Sequence[Unit],
                  status: str | None = "dang_sinh_hoat") -> dict[int, int]:
    """Unit id → current members of its subtree the scope reads (of `status`; all when None)."""
    totals = member_totals(scope=scope, paths=[u.path for u in units], status=status)
    return {u.pk: totals.get(u.path, 0) if _reaches(scope, u) else 0 for u in units}


def age_band_of(age: int) -> str:
    for key, (_label, low, high) in AGE_BANDS.items():
        if age >= low and (high is None or age <= high):
            return key
    return ""


def member_count_breakdown(*, scope: Scope, units: Sequence[Unit], by: Sequence[str],
                           status: str | None = "dang_sinh_hoat",
                           year: int | None = None) -> dict[int, dict[tuple[Any, ...], int]]:
    """Unit id → {values of `by` → members}; "age_band" is by age in `year` (default: this
    year) counted as year − birth year."""
    year = year or today().year
    dims = ["birth_year" if d == "age_band" else d for d in by]
    raw = member_breakdown(scope=scope, paths=[u.path for u in units],
                           by=list(dict.fromkeys(dims)), status=status)
    order = list(dict.fromkeys(dims))
    out: dict[int, dict[tuple[Any, ...], int]] = {}
    for u in units:
        acc: dict[tuple[Any, ...], int] = {}
        if _reaches(scope, u):
            for key, n in raw.get(u.path, {}).items():
                values = dict(zip(order, key, strict=True))
                row = tuple(
                    (age_band_of(year - values["birth_year"]) if values["birth_year"] else "")
                    if d == "age_band" else values[d] for d in by)
                acc[row] = acc.get(row, 0) + n
        out[u.pk] = acc
    return out


# -- last year's classification of the units below (inspections, INS-4) -----------------------


@dataclass(frozen=True)
class UnitResult:
    unit: Unit
    year: int
    level: str  # the scale's code, e.g. "htxs"
    level_name: str
    rank: int | None  # 1 = the top level; None when the scale does not know the code
    secretary: Person | None  # the unit's Bí thư at the end of `year`, if recorded


def _secretaries(unit_ids: list[int], day: dt.date) -> dict[int, Person]:
    """Unit id → its secretary on `day`: an open post titled "Bí thư …", else a committee seat
    titled "Bí thư"."""
    found: dict[int, Person] = {}
    posts = (Position.objects.filter(unit_id__in=unit_ids)
             .filter(_overlaps(day, day)).select_related("person").order_by("start_date", "id"))
    for post in posts:
        if fold(post.title).startswith(SECRETARY):
            found.setdefault(post.unit_id, post.person)
    seats = (CommitteeSeat.objects.filter(term__unit_id__in=unit_ids)
             .filter(_overlaps(day, day, start_nullable=True))
             .select_related("person", "term").order_by("order", "id"))
    for seat in seats:
        if fold(seat.title) == SECRETARY:
            found.setdefault(seat.term.unit_id, seat.person)
    return found


def grassroots_results(*, scope: Scope, unit: Unit, year: int) -> list[UnitResult]:
    """The grassroots unions under `unit` (not itself) the scope reads that were classified in
    `year`, by level rank then name; a unit out of reach answers an empty list."""
    if not _reaches(scope, unit):
        return []
    rows = list(UnitClassification.objects.filter(
        year=year, unit__path__startswith=unit.path, unit__kind__is_grassroots=True)
        .exclude(unit_id=unit.pk)
        .select_related("unit__kind").order_by("unit__name", "id"))
    rows = [r for r in rows if _reaches(scope, r.unit)]
    day = dt.date(year, 12, 31)
    secretaries = _secretaries([r.unit_id for r in rows], day)
    out: list[UnitResult] = []
    for r in rows:
        names: dict[str, tuple[str, int]] = {}
        target = target_of(r.unit)
        if target is not None:
            try:
                scale = scale_for(unit=r.unit, year=year, target=target)
            except RatingError:
                scale = None
            if scale is not None:
                names = {str(x["code"]): (str(x["name"]), int(x["rank"])) for x in scale.levels}
        name, rank = names.get(r.level, (r.level, None))
        out.append(UnitResult(r.unit, year, r.level, name, rank, secretaries.get(r.unit_id)))
    out.sort(key=lambda x: (x.rank if x.rank is not None else 99, x.unit.name))
    return out



# -- members' year-end ratings (MEM-7), for the JSON API ----------------------------------------


@dataclass(frozen=True)
class MemberRatingRow:
    """A member of a branch active in a year with that year's rating ("" when not rated)."""

    membership: Membership
    level: str
    level_name: str
    rank: int | None
    reason: str
    recommended: bool
    trained: bool


def member_ratings(*, scope: Scope, branch_pk: object, year: int
                   ) -> tuple[Unit, list[MemberRatingRow]]:
    """A branch's rating sheet for `year` as its page shows it: every member active in the year
    (name order) with the rating's level, its name and rank in the scale in force (the code
    itself and None when the scale has no such code), the reason, the recommendation to the
    Party and the rèn luyện registration. Http404 alike for a missing branch and one the scope
    does not read."""
    from .core.selectors import branch_get
    from .rating.selectors import ratings_of, registrations_of
    from .rating.services import MEMBER, branch_members

    branch = branch_get(scope=scope, pk=branch_pk)
    members = list(branch_members(branch=branch, year=year))
    ratings = ratings_of(members=members, year=year)
    trained = set(registrations_of(members=members, year=year))
    try:
        levels = scale_for(unit=branch, year=year, target=MEMBER).levels
    except RatingError:
        levels = []
    names = {str(x["code"]): (str(x.get("name") or x["code"]),
                              x["rank"] if isinstance(x.get("rank"), int) else None)
             for x in levels if isinstance(x, dict) and "code" in x}
    rows = []
    for m in members:
        r = ratings.get(m.pk)
        level = r.level if r is not None else ""
        name, rank = names.get(level, (level, None))
        rows.append(MemberRatingRow(m, level, name, rank, r.reason if r is not None else "",
                                    bool(r and r.recommended_to_party), m.pk in trained))
    return branch, rows


def member_rating_rollup(*, scope: Scope, unit: Unit, year: int) -> Rollup:
    """The rating roll-up page's figures (`rating.services.Rollup`): per live sub-unit the
    scope reads (and the unit itself when it is a branch) the members active in `year`, the
    ratings per level and the sub-unit's classification; the levels of the member scale and of
    the sub-units' scale. A unit the scope does not reach answers no rows."""
    from .rating.services import rating_rollup

    return rating_rollup(scope=scope, unit=unit, year=year)


# -- whole subtrees at once: the targets' recompute (PERF-4) ----------------------------------


def _versions_under(scope: Scope, unit: Unit, day: dt.date) -> QuerySet[UnitVersion] | None:
    """The unit versions standing on `day` under `unit`'s path that day (itself included), or
    None when the scope does not read the whole subtree or the unit did not stand then."""
    if not scope.covers_subtree(READ, unit):
        return None
    root = versions_on(day).filter(unit=unit).values_list("path", flat=True).first()
    if root is None:
        return None
    return versions_on(day).filter(path__startswith=root)


def training_counts_on(*, scope: Scope, unit: Unit,
                       years: Mapping[int, dt.date]) -> dict[int, dict[int, tuple[int, int]]]:
    """Per year of `years` (year → the day of its tree): branch id → (members active in the
    year, how many registered for rèn luyện) for the branches under `unit` that day holding
    such members — `training_registration_share`'s figures, for all the years in ONE grouped
    query over the whole subtree (each membership joined to its registration of each year: at
    most one, unique)."""
    trees = {y: _versions_under(scope, unit, day) for y, day in years.items()}
    wanted = {y: t for y, t in trees.items() if t is not None}
    if not wanted:
        return {y: {} for y in years}
    within = Q()
    for t in wanted.values():
        within |= Q(branch_id__in=t.filter(kind__is_branch=True).values("unit_id"))
    active = Q()
    for y in wanted:
        active |= active_in_year(y)
    qs = Membership.objects.filter(within, active)
    counts: dict[str, Any] = {}
    for y in wanted:
        qs = qs.annotate(**{f"reg{y}": FilteredRelation("trainings",
                                                        condition=Q(trainings__year=y))})
        counts[f"n{y}"] = Count("id", filter=active_in_year(y))
        counts[f"k{y}"] = Count(f"reg{y}__id", filter=active_in_year(y))
    rows = qs.values("branch_id").annotate(**counts).order_by()
    out: dict[int, dict[int, tuple[int, int]]] = {y: {} for y in years}
    branches = {y: set(t.filter(kind__is_branch=True).values_list("unit_id", flat=True))
                for y, t in wanted.items()} if len(wanted) > 1 else None
    for r in rows:
        for y in wanted:
            if r[f"n{y}"] and (branches is None or r["branch_id"] in branches[y]):
                out[y][r["branch_id"]] = (r[f"n{y}"], r[f"k{y}"])
    return out


def branch_regularity_on(*, scope: Scope, unit: Unit, period: Period, upto: dt.date,
                         as_of: dt.date) -> dict[int, bool]:
    """Branch id → met regularly in `period` (months begun by `upto`), for every branch under
    `unit` on `as_of` — `branches_meeting_regularly`'s answer in one query for the branches,
    one for the months with a meeting and one for the policies (resolved in memory, the nearest
    issuer up each branch's parent's chain, as `policy_for`)."""
    under = _versions_under(scope, unit, as_of)
    if under is None:
        return {}
    branches = list(Unit.objects.filter(pk__in=under.filter(kind__is_branch=True)
                                        .values("unit_id")).values_list("pk", "path",
                                                                        "parent_id"))
    months = [m for m in dues_rules.months_of(period) if m.start <= upto]
    # months with a meeting, among those begun by `upto`: counted by the database per branch
    last = months[-1].end if months else period.start - dt.timedelta(days=1)
    held = dict(Meeting.objects.filter(
        unit_id__in=under.filter(kind__is_branch=True).values("unit_id"),
        kind__in=REGULAR_KINDS, date__gte=period.start, date__lte=min(period.end, last))
        .values_list("unit_id").annotate(n=Count(TruncMonth("date"), distinct=True)).order_by())
    on = min(period.end, upto) if months else period.start
    records = list(MembersPolicy.objects.filter(valid_from__lte=on)
                   .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
                   .order_by("valid_from"))
    issued = {r.issuing_unit_id: r for r in records}  # the last of one issuer's records wins
    minimum: dict[int | None, int] = {}
    out: dict[int, bool] = {}
    for pk, path, parent_id in branches:
        if parent_id not in minimum:
            chain = [*ancestor_ids(path), pk]
            policy = next((issued[u] for u in reversed(chain) if u in issued), None)
            if policy is None:
                raise MembersPolicy.DoesNotExist(pk)
            minimum[parent_id] = policy.regular_meeting_min_months
        required = dues_rules.required_meeting_months(
            months_in_period=len(months), min_months_per_year=minimum[parent_id])
        out[pk] = held.get(pk, 0) >= required  # RegularStatus.ok
    return out


class SecretaryFacts(NamedTuple):
    """A named tuple: made once per secretary of the nation, where a frozen dataclass's
    checked attribute setting costs more."""

    unit_id: int
    person_id: int
    education_level: str
    political_theory: str
    courses: frozenset[tuple[str, dt.date]]  # (name, start date) of courses begun in the year


def secretaries_on(*, scope: Scope, unit: Unit, day: dt.date, as_of: dt.date,
                   course_year: int) -> list[SecretaryFacts]:
    """`secretary_qualifications`' rows as plain facts for the units under `unit` on `as_of`:
    the secretaries seated on `day`, one per unit and person, with the courses they began in
    `course_year`. Two queries (seats with the person's levels, courses)."""
    under = _versions_under(scope, unit, as_of)
    if under is None:
        return []
    seats = (CommitteeSeat.objects.filter(term__unit_id__in=under.values("unit_id"))
             .filter(_overlaps(day, day, start_nullable=True))
             .filter(_overlaps(day, day, start_field="term__start_date",
                               end_field="term__end_date"))
             .order_by()
             .values_list("term__unit_id", "person_id", "title", "person__education_level",
                          "person__political_theory"))
    folded: dict[str, bool] = {}
    rows: dict[tuple[int, int], tuple[str, str]] = {}
    for unit_id, person_id, title, education, theory in list(seats):
        if title not in folded:
            folded[title] = fold(title) == SECRETARY
        if folded[title] and (unit_id, person_id) not in rows:
            rows[(unit_id, person_id)] = (education, theory)
    courses: dict[int, set[tuple[str, dt.date]]] = defaultdict(set)
    people = {p for _u, p in rows}
    if people:
        found = CadreCourse.objects.filter(start_date__year=course_year)
        found = (found.filter(person_id__in=people) if len(people) < 1000 else found)
        for person_id, name, start in found.values_list("person_id", "name", "start_date"):
            if person_id in people:
                courses[person_id].add((name, start))
    none: frozenset[tuple[str, dt.date]] = frozenset()
    held = {p: frozenset(c) for p, c in courses.items()}
    return [SecretaryFacts(u, p, e, t, held.get(p, none)) for (u, p), (e, t) in rows.items()]


# -- members answering a survey (surveys, SUR-2) ------------------------------------------------


def person_of_user(user: Any) -> Person | None:
    """The Person linked to a login (org.Person.user), or None."""
    if getattr(user, "pk", None) is None:
        return None
    return Person.objects.filter(user_id=user.pk).first()


def current_branch(person: Person | int) -> Unit | None:
    """The branch of the person's current membership (which governs them), or None."""
    person_id = person if isinstance(person, int) else person.pk
    m = (Membership.objects.filter(person_id=person_id, is_current=True)
         .select_related("branch").first())
    return m.branch if m is not None else None


def branch_members(*, scope: Scope, branch: Unit) -> list[Membership]:
    """The current members of `branch` (person selected, by name) when the scope writes the
    branch — their current membership governs them, so it writes their record; else []."""
    if branch.dissolved_on is not None or not scope.can(WRITE, branch):
        return []
    return list(Membership.objects.filter(branch=branch, is_current=True)
                .select_related("person").order_by("name_folded", "id"))


def readable_person_ids(*, scope: Scope, person_ids: Sequence[int]) -> set[int]:
    """The persons of `person_ids` whose record the scope reads (person-level scope: the
    branch of the governing membership; persons without one by their posts)."""
    ids = set(person_ids)
    if scope.is_superuser:
        return ids
    governing = governing_memberships(ids)
    out = {pid for pid, m in governing.items() if scope.can(READ, m.branch)}
    out |= {pid for pid in ids - set(governing) if can_person(scope, pid, READ)}
    return out
# -- the members list of the JSON API (issue 16, API-1) -------------------------------------------
# The same search as the members list page (core.selectors.member_rows: filters, accent-free name
# search, keyset by (name_folded, id)) with the person-level rule: a row whose person the scope
# does not read (an earlier unit's membership) shows no personal data.


@dataclass(frozen=True)
class MemberSearchPage:
    rows: list[Membership]
    more: bool
    full: frozenset[int]  # ids of the rows whose person the scope reads (FULL access)


def member_filters(data: Mapping[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The list's filters (q, trang_thai, tuoi, gioi_tinh) read by the list page's form, and
    the Vietnamese errors of those that are not valid (the page drops them; an API refuses)."""
    from .core.forms import MemberFilterForm

    form = MemberFilterForm({k: data.get(k, "") for k in ("q", "trang_thai", "tuoi", "gioi_tinh")})
    form.is_valid()
    errors = {name: [str(m) for m in msgs] for name, msgs in form.errors.items()}
    return form.values(), errors


def member_list_unit(*, scope: Scope, raw: str) -> Unit | None:
    """The unit a list is asked for (`don_vi`) if the scope reads it; the scope's one root when
    none is asked (as the list page)."""
    from .core.selectors import default_unit, list_unit

    return list_unit(scope=scope, raw=raw) if raw else default_unit(scope=scope)


def member_search(*, scope: Scope, unit: Unit | None, filters: dict[str, str],
                  after: tuple[str, int] | None, limit: int) -> MemberSearchPage:
    """One keyset page of the members list (SearchTooBroad when neither plan answers in
    time), with which rows' persons the scope reads."""
    from .core.selectors import member_rows, with_person_access

    rows, more = member_rows(scope=scope, unit=unit, filters=filters, after=after, limit=limit)
    full = frozenset(with_person_access(Membership.objects.filter(pk__in=[m.pk for m in rows]),
                                        scope=scope)
                     .filter(person_visible=True)  # type: ignore[misc]
                     .values_list("pk", flat=True))
    return MemberSearchPage(rows=rows, more=more, full=full)


def member_read_get(*, scope: Scope, pk: object) -> tuple[Membership, bool]:
    """A membership the scope reads and whether it reads the person too (FULL; else only the
    unit's own period); 404 alike for missing and not yours."""
    from .core.selectors import member_access_get
    from .permissions import Access

    member, access = member_access_get(scope=scope, pk=pk)
    return member, access is Access.FULL


def search_too_broad() -> type[Exception]:
    from .core.selectors import SearchTooBroad

    return SearchTooBroad
