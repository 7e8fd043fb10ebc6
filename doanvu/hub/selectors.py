"""Every read of the hub, given a Scope (X-3): inbox, a unit's view of what it is owed,
timeliness (HUB-6), monthly counts for the dashboard (HUB-5), calendar (HUB-4)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.models import RoleGrant, User
from doanvu.accounts.scope import Scope
from doanvu.common.periods import Period
from doanvu.common.search import search_query, search_words
from doanvu.common.typing import Actor
from doanvu.org.models import Unit
from doanvu.org.paths import ancestor_ids
from doanvu.org.selectors import nearest_issued

from . import permissions
from .models import (
    DONE_STATUSES,
    OPEN_STATUSES,
    CalendarEntry,
    DeadlinePolicy,
    Notification,
    Obligation,
    ObligationFile,
    ObligationStatus,
)

_RELATED = ("owed_by_unit", "owed_by_department", "owed_by_user", "owed_to_unit",
            "owed_to_department")


# -- policies -----------------------------------------------------------------------------------


def _in_force(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def policy_in_force(*, unit: Unit, code: str, on: dt.date) -> DeadlinePolicy | None:
    """The policy `code` in force on `on` for `unit`: its own, or its nearest ancestor's.

    Policies are public rules of the Union, not unit data, so no scope is needed to read them.
    """
    records = (DeadlinePolicy.objects.filter(_in_force(on), code=code).select_related("unit")
               .order_by("valid_from", "pk"))
    found: DeadlinePolicy | None = nearest_issued(unit=unit, records=records, unit_field="unit_id")
    return found


def policies_for_unit(*, unit: Unit, on: dt.date) -> list[DeadlinePolicy]:
    """Every policy code in force for `unit` on `on`, the nearest issuer winning."""
    chain = [*ancestor_ids(unit.path), unit.pk]
    depth = {uid: i for i, uid in enumerate(chain)}
    best: dict[str, DeadlinePolicy] = {}
    for p in DeadlinePolicy.objects.filter(_in_force(on), unit_id__in=chain).select_related("unit"):
        cur = best.get(p.code)
        if cur is None or (depth[p.unit_id], p.valid_from, p.pk) > (
            depth[cur.unit_id], cur.valid_from, cur.pk
        ):
            best[p.code] = p
    return sorted(best.values(), key=lambda p: p.title)


# -- single obligations ---------------------------------------------------------------------------


def obligation_get(*, scope: Scope, pk: object,
                   allowed: Callable[[Scope, Obligation], bool] | None = None) -> Obligation:
    """The obligation if the scope may read it (and, given a predicate of `hub.permissions`
    such as `can_submit`, if that allows it too); 404 alike for missing and not yours."""
    try:
        ob_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404(_("Không tìm thấy việc này.")) from None
    if not 0 < ob_id < 2**63:
        raise Http404(_("Không tìm thấy việc này."))
    ob = (
        Obligation.objects.select_related(*_RELATED, "policy", "submitted_by", "reviewed_by")
        .filter(pk=ob_id)
        .first()
    )
    if ob is None or not permissions.can_read(scope, ob) or (
            allowed is not None and not allowed(scope, ob)):
        raise Http404(_("Không tìm thấy việc này."))
    return ob


def obligation_files(*, obligation: Obligation) -> QuerySet[ObligationFile]:
    return ObligationFile.objects.filter(obligation=obligation).select_related("uploaded_by")


def obligation_file_get(*, obligation: Obligation, pk: object) -> ObligationFile:
    """A file of an obligation already read through `obligation_get`; 404 otherwise."""
    try:
        file_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404(_("Không tìm thấy tệp.")) from None
    f = obligation_files(obligation=obligation).filter(pk=file_id).first() if (
        0 < file_id < 2**63) else None
    if f is None:
        raise Http404(_("Không tìm thấy tệp."))
    return f


def notification_get(*, user: Actor, pk: object) -> Notification:
    """One of the user's own notifications; 404 alike for missing and someone else's."""
    try:
        n_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404(_("Không tìm thấy thông báo.")) from None
    n = Notification.objects.filter(user_id=user.pk, pk=n_id).first() if (
        0 < n_id < 2**63) else None
    if n is None:
        raise Http404(_("Không tìm thấy thông báo."))
    return n


# -- inbox (HUB-2) --------------------------------------------------------------------------------


def _late_first(qs: QuerySet[Obligation], today: dt.date) -> QuerySet[Obligation]:
    return qs.annotate(
        late_rank=Case(When(due_on__lt=today, then=Value(0)), default=Value(1),
                       output_field=IntegerField())
    ).order_by("late_rank", "due_on", "pk")


def my_open_obligations(*, scope: Scope, today: dt.date) -> QuerySet[Obligation]:
    """What the user owes and has not delivered: late first, then by due date."""
    qs = Obligation.objects.filter(permissions.responsible_q(scope), status__in=OPEN_STATUSES)
    return _late_first(qs.select_related(*_RELATED), today)


def my_submitted_obligations(*, scope: Scope, limit: int = 10) -> list[Obligation]:
    qs = Obligation.objects.filter(
        permissions.responsible_q(scope), status=ObligationStatus.SUBMITTED
    ).select_related(*_RELATED).order_by("-submitted_at", "-pk")
    return list(qs[:limit])


@dataclass(frozen=True)
class OwedToSummary:
    unit_id: int
    unit_name: str
    open: int
    late: int
    submitted: int
    done: int = 0  # accepted


def owed_to_my_units(*, scope: Scope, today: dt.date) -> list[OwedToSummary]:
    """For each unit the user holds a grant on: how much its lower units still owe it."""
    ids = permissions.own_unit_ids(scope)
    if not ids:
        return []
    rows = (
        Obligation.objects.filter(owed_to_unit_id__in=ids)
        .filter(permissions.read_q(scope))
        .values("owed_to_unit_id", "owed_to_unit__name")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            late=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
            submitted=Count("pk", filter=Q(status=ObligationStatus.SUBMITTED)),
            done=Count("pk", filter=Q(status=ObligationStatus.ACCEPTED)),
        )
        .order_by("owed_to_unit__name")
    )
    return [OwedToSummary(r["owed_to_unit_id"], r["owed_to_unit__name"], r["open"], r["late"],
                          r["submitted"], r["done"]) for r in rows]


@dataclass(frozen=True)
class MyWorkCounts:
    open: int
    late: int


def my_open_counts(*, scope: Scope, today: dt.date) -> MyWorkCounts:
    """How many of "Việc của tôi" are open and how many of those late (one query)."""
    row = Obligation.objects.filter(
        permissions.responsible_q(scope), status__in=OPEN_STATUSES
    ).aggregate(open=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
    return MyWorkCounts(row["open"] or 0, row["late"] or 0)


# -- a unit's view of what it is owed (HUB-2) ------------------------------------------------------

UNIT_FILTERS = {
    "chua-nop": Q(status__in=OPEN_STATUSES),
    "cho-tiep-nhan": Q(status=ObligationStatus.SUBMITTED),
    "da-tiep-nhan": Q(status=ObligationStatus.ACCEPTED),
    "mien": Q(status=ObligationStatus.WAIVED),
    "tat-ca": Q(),
}


def unit_owed_obligations(*, scope: Scope, unit: Unit, today: dt.date, state: str = "chua-nop",
                          kind: str = "", period: Period | None = None) -> QuerySet[Obligation]:
    """What the unit's lower units (and its own departments) owe it, as far as the user reads."""
    qs = Obligation.objects.filter(owed_to_unit=unit).filter(permissions.read_q(scope))
    if state == "qua-han":
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    else:
        qs = qs.filter(UNIT_FILTERS.get(state, UNIT_FILTERS["chua-nop"]))
    if kind:
        qs = qs.filter(kind=kind)
    if period is not None:
        qs = qs.filter(in_period_q(period))
    return _late_first(qs.select_related(*_RELATED), today)


def unit_owed_kinds(*, scope: Scope, unit: Unit) -> list[tuple[str, str]]:
    rows = (
        Obligation.objects.filter(owed_to_unit=unit).filter(permissions.read_q(scope))
        .values("kind").annotate(label=Max("kind_label")).order_by("label")
    )
    return [(r["kind"], r["label"]) for r in rows]


# -- timeliness (HUB-6) ----------------------------------------------------------------------------


def in_period_q(period: Period) -> Q:
    """An obligation counts in a period when its own period lies inside it, or — having no
    period — when it falls due inside it. (A quarterly report on quý IV/2026 counts in năm 2026
    although it is due in January 2027.)"""
    return Q(period_start__gte=period.start, period_end__lte=period.end) | Q(
        period_start__isnull=True, due_on__gte=period.start, due_on__lte=period.end
    )


@dataclass(frozen=True)
class Timeliness:
    """Counts like DHIS2's reporting rates: of what was expected, how much came on time, late,
    or not at all. Not yet due and waived obligations are not expected."""

    expected: int
    on_time: int
    late: int
    missing: int
    pending: int

    @staticmethod
    def _share(n: int, d: int) -> float | None:
        return n / d if d else None

    @property
    def share_on_time(self) -> float | None:
        return self._share(self.on_time, self.expected)

    @property
    def share_late(self) -> float | None:
        return self._share(self.late, self.expected)

    @property
    def share_missing(self) -> float | None:
        return self._share(self.missing, self.expected)


@dataclass(frozen=True)
class TimelinessRow:
    unit_id: int
    unit_name: str
    department_name: str
    kind: str
    kind_label: str
    counts: Timeliness

    @property
    def owed_by(self) -> str:
        if self.department_name:
            return f"{self.unit_name} – {self.department_name}"
        return self.unit_name


@dataclass
class TimelinessTable:
    unit: Unit
    period: Period
    as_of: dt.date
    rows: list[TimelinessRow] = field(default_factory=list)
    totals: list[TimelinessRow] = field(default_factory=list)


def _counts_annotations(as_of: dt.date) -> dict[str, Count]:
    """Counts as they stood at the end of `as_of` (X-10): a report sent after that day was
    still missing then. (A report returned since is judged by its current state.)"""
    delivered = Q(status__in=DONE_STATUSES, submitted_on__lte=as_of)
    return {
        "on_time": Count("pk", filter=delivered & Q(submitted_on__lte=F("due_on"))),
        "late": Count("pk", filter=delivered & Q(submitted_on__gt=F("due_on"))),
        "missing": Count("pk", filter=~delivered & Q(due_on__lt=as_of)),
        "pending": Count("pk", filter=~delivered & Q(due_on__gte=as_of)),
    }


def _timeliness(r: dict[str, int]) -> Timeliness:
    expected = r["on_time"] + r["late"] + r["missing"]
    return Timeliness(expected, r["on_time"], r["late"], r["missing"], r["pending"])


def timeliness_table(*, scope: Scope, unit: Unit, period: Period,
                     as_of: dt.date) -> TimelinessTable:
    """Per owing unit (or department) × kind of obligation, for obligations owed to `unit`."""
    qs = (
        Obligation.objects.filter(owed_to_unit=unit).exclude(status=ObligationStatus.WAIVED)
        .filter(in_period_q(period)).filter(scope.q(via="owed_by_unit__"))
    )
    rows = (
        qs.values("owed_by_unit_id", "owed_by_unit__name", "owed_by_department__name", "kind")
        .annotate(kind_label=Max("kind_label"), **_counts_annotations(as_of))
        .order_by("owed_by_unit__name", "owed_by_department__name", "kind")
    )
    table = TimelinessTable(unit=unit, period=period, as_of=as_of)
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    labels: dict[str, str] = {}
    for r in rows:
        table.rows.append(TimelinessRow(
            r["owed_by_unit_id"], r["owed_by_unit__name"], r["owed_by_department__name"] or "",
            r["kind"], r["kind_label"], _timeliness(r),
        ))
        labels[r["kind"]] = r["kind_label"]
        for k in ("on_time", "late", "missing", "pending"):
            sums[r["kind"]][k] += r[k]
    for kind in sorted(sums, key=lambda k: labels[k]):
        table.totals.append(TimelinessRow(0, _("Tổng cộng"), "", kind, labels[kind],
                                          _timeliness(sums[kind])))
    return table


# The dashboard's bounded view of the timeliness table (issue 11): a province has hundreds of
# direct sub-units, so the page shows the summary over all of them and one page of rows, the
# rows needing attention first; the whole table stays in the .xlsx export (timeliness_table).

TIMELINESS_PAGE_SIZE = 50

# state code (the ?loc= value) -> the HAVING condition on a row's counts
TIMELINESS_STATES: dict[str, Q] = {
    "chua-nop": Q(missing__gt=0),
    "nop-muon": Q(late__gt=0),
    "dung-han": Q(on_time__gt=0, late=0, missing=0),
    "chua-den-han": Q(pending__gt=0),
}
# the same conditions on the grouped rows, for the one query that counts rows per state
_STATE_SQL: dict[str, str] = {
    "chua-nop": "r.missing > 0",
    "nop-muon": "r.late > 0",
    "dung-han": "r.on_time > 0 AND r.late = 0 AND r.missing = 0",
    "chua-den-han": "r.pending > 0",
}


@dataclass
class TimelinessPage:
    """What the dashboard shows of the timeliness table: `totals` (per kind) and `summary` (all
    kinds) cover every sub-unit whatever the filter; `rows` is one page, at most
    TIMELINESS_PAGE_SIZE long; `state_counts` counts the rows matching the search per state
    ("" = all). `paged` says the table is long enough to need the pager, filters and the
    attention-first order; a short table is shown whole in name order, as it always was."""

    unit: Unit
    period: Period
    as_of: dt.date
    state: str
    query: str
    page: int
    rows: list[TimelinessRow]
    totals: list[TimelinessRow]
    summary: Timeliness
    state_counts: dict[str, int]
    paged: bool
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def matching(self) -> int:
        return self.state_counts.get(self.state, 0)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.matching // TIMELINESS_PAGE_SIZE))


def _matches(words: list[str]) -> Case | Value:
    """1 when the owing unit's folded name holds every search word, else 0."""
    if not words:
        return Value(1, output_field=IntegerField())
    cond = Q()
    for w in words:
        cond &= Q(owed_by_unit__name_folded__contains=w)
    return Case(When(cond, then=Value(1)), default=Value(0), output_field=IntegerField())


def _timeliness_rows_qs(*, scope: Scope, unit: Unit, period: Period,
                        words: list[str]) -> QuerySet[Obligation]:
    qs = (
        Obligation.objects.filter(owed_to_unit=unit).exclude(status=ObligationStatus.WAIVED)
        .filter(in_period_q(period)).filter(scope.q(via="owed_by_unit__"))
    )
    for w in words:
        qs = qs.filter(owed_by_unit__name_folded__contains=w)
    return qs


def timeliness_page(*, scope: Scope, unit: Unit, period: Period, as_of: dt.date,
                    state: str = "", query: str = "", page: int = 1) -> TimelinessPage:
    """One page of the timeliness table of `unit` (see TimelinessPage), in three queries
    whatever the number of sub-units: the totals per kind and the row counts per state (one
    query over the grouped rows), then the page itself (LIMIT/OFFSET in SQL)."""
    if state not in TIMELINESS_STATES:
        state = ""
    query = search_query(query)
    words = search_words(query)
    counts = _counts_annotations(as_of)
    grouped = (
        _timeliness_rows_qs(scope=scope, unit=unit, period=period, words=[])
        .values(k=F("kind"), uid=F("owed_by_unit_id"), dept=F("owed_by_department_id"),
                hit=_matches(words))
        .annotate(kind_label=Max("kind_label"), **counts)
        .order_by()
    )
    inner_sql, inner_params = grouped.query.get_compiler(using=grouped.db).as_sql()
    state_cols = ", ".join(
        f"SUM(CASE WHEN r.hit = 1 AND {cond} THEN 1 ELSE 0 END)" for cond in _STATE_SQL.values()
    )
    sql = (
        "SELECT r.k, MAX(r.kind_label), SUM(r.on_time), SUM(r.late), SUM(r.missing), "
        f"SUM(r.pending), COUNT(*), SUM(r.hit), {state_cols} "
        f"FROM ({inner_sql}) r GROUP BY r.k"
    )
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(sql, inner_params)
        kinds = cursor.fetchall()
    totals: list[TimelinessRow] = []
    all_rows = 0
    state_counts = dict.fromkeys(["", *TIMELINESS_STATES], 0)
    sums = {"on_time": 0, "late": 0, "missing": 0, "pending": 0}
    for kind, label, on_time, late, missing, pending, n_rows, n_match, *per_state in sorted(
            kinds, key=lambda r: r[1]):
        c = {"on_time": int(on_time), "late": int(late), "missing": int(missing),
             "pending": int(pending)}
        totals.append(TimelinessRow(0, _("Tổng cộng"), "", kind, label, _timeliness(c)))
        for key in sums:
            sums[key] += c[key]
        all_rows += int(n_rows)
        state_counts[""] += int(n_match)
        for code, n in zip(TIMELINESS_STATES, per_state, strict=True):
            state_counts[code] += int(n)
    paged = all_rows > TIMELINESS_PAGE_SIZE or bool(words) or bool(state)
    page = max(1, min(page, -(-state_counts[state] // TIMELINESS_PAGE_SIZE) or 1))
    if not paged:
        page = 1
    rows_qs = (
        _timeliness_rows_qs(scope=scope, unit=unit, period=period, words=words)
        .values("owed_by_unit_id", "owed_by_unit__name", "owed_by_department__name", "kind")
        .annotate(kind_label=Max("kind_label"), **counts)
    )
    if state:
        rows_qs = rows_qs.filter(TIMELINESS_STATES[state])
    names = ("owed_by_unit__name", "owed_by_department__name", "kind")
    if paged:
        rows_qs = rows_qs.order_by("-missing", "-late", *names, "owed_by_unit_id")
    else:
        rows_qs = rows_qs.order_by(*names, "owed_by_unit_id")
    start = (page - 1) * TIMELINESS_PAGE_SIZE
    fetched = list(rows_qs[start:start + TIMELINESS_PAGE_SIZE + 1])
    rows = [
        TimelinessRow(r["owed_by_unit_id"], r["owed_by_unit__name"],
                      r["owed_by_department__name"] or "", r["kind"], r["kind_label"],
                      _timeliness(r))
        for r in fetched[:TIMELINESS_PAGE_SIZE]
    ]
    return TimelinessPage(
        unit=unit, period=period, as_of=as_of, state=state, query=query, page=page, rows=rows,
        totals=totals, summary=_timeliness(sums), state_counts=state_counts, paged=paged,
        has_next=len(fetched) > TIMELINESS_PAGE_SIZE,
    )


def unit_timeliness(*, unit: Unit, kind: str | None, period: Period,
                    as_of: dt.date) -> Timeliness:
    """One unit's own record of delivering (for inspections and scoring to use): every
    obligation it owed, of one kind or all, in a period. Callers have already scoped `unit`."""
    qs = Obligation.objects.filter(owed_by_unit=unit).exclude(
        status=ObligationStatus.WAIVED).filter(in_period_q(period))
    if kind:
        qs = qs.filter(kind=kind)
    return _timeliness(qs.aggregate(**_counts_annotations(as_of)))


# -- monthly counts for the dashboard chart (HUB-5) ------------------------------------------------


@dataclass(frozen=True)
class MonthCounts:
    month: Period
    on_time: int
    late: int
    open: int

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.open


def months_of(period: Period) -> list[Period]:
    first, last = period.start, period.end
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [Period.month(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1)
            for i in range(count)]


def monthly_counts(*, scope: Scope, unit: Unit, direction: str, period: Period,
                   today: dt.date) -> list[MonthCounts]:
    """Obligations falling due each month of `period`, owed to the unit (direction "to") or
    by it ("by"): delivered on time, late (delivered late or still missing), or still open."""
    base = Obligation.objects.exclude(status=ObligationStatus.WAIVED).filter(
        due_on__gte=period.start, due_on__lte=period.end
    ).filter(permissions.read_q(scope))
    qs = base.filter(owed_to_unit=unit) if direction == "to" else base.filter(owed_by_unit=unit)
    rows = (
        qs.annotate(month=TruncMonth("due_on")).values("month")
        .annotate(
            on_time=Count("pk", filter=Q(status__in=DONE_STATUSES,
                                         submitted_on__lte=F("due_on"))),
            late=Count("pk", filter=Q(status__in=DONE_STATUSES, submitted_on__gt=F("due_on"))
                       | Q(status__in=OPEN_STATUSES, due_on__lt=today)),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__gte=today)),
        )
        .order_by("month")
    )
    by_month: dict[tuple[int, int], tuple[int, int, int]] = {}
    for r in rows:
        m = r["month"]
        by_month[(m.year, m.month)] = (r["on_time"], r["late"], r["open"])
    return [MonthCounts(p, *by_month.get((p.year, p.index), (0, 0, 0)))
            for p in months_of(period)]


# -- notifications -------------------------------------------------------------------------------


def unread_count(*, user: Actor | None) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def notifications_for(*, user: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user.pk).select_related(
        "obligation", "obligation__owed_by_unit"
    )


# -- responsible people --------------------------------------------------------------------------


def responsible_users(*, obligations: Iterable[Obligation],
                      on: dt.date) -> dict[int, list[User]]:
    """For each obligation, the users it lands on (see permissions): the person it is owed by,
    or else every active user whose own grant with write is on the owing unit (and, for a
    department grant, in the owing department)."""
    obs = list(obligations)
    unit_ids = {o.owed_by_unit_id for o in obs if o.owed_by_user_id is None}
    grants = (
        RoleGrant.objects.filter(unit_id__in=unit_ids, start_date__lte=on, user__is_active=True,
                                 unit__dissolved_on__isnull=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("user", "role_type")
        .order_by("user__username")
    )
    by_unit: dict[int, list[RoleGrant]] = defaultdict(list)
    for g in grants:
        if permissions.WRITE in (g.role_type.permissions or ()):
            by_unit[g.unit_id].append(g)
    result: dict[int, list[User]] = {}
    for o in obs:
        if o.owed_by_user is not None:
            result[o.pk] = [o.owed_by_user] if o.owed_by_user.is_active else []
            continue
        users: dict[int, User] = {}
        for g in by_unit.get(o.owed_by_unit_id, []):
            if g.role_type.reach == "department" and g.department_id != o.owed_by_department_id:
                continue
            users.setdefault(g.user_id, g.user)
        result[o.pk] = list(users.values())
    return result


# -- calendar (HUB-4) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarItem:
    day: dt.date
    kind: str  # "deadline", "deadline_group", or a CalendarEntryKind value
    title: str
    detail: str
    url: str
    late: bool = False
    done: bool = False
    uid: str = ""
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    all_day: bool = True


def calendar_items(*, scope: Scope, start: dt.date, end: dt.date,
                   today: dt.date) -> list[CalendarItem]:
    """Deadlines and dated events of the user's units (and their own) from `start` to `end`
    inclusive. What many lower units owe one of the user's units on one day is one item."""
    from django.urls import reverse

    own = permissions.own_unit_ids(scope)
    items: list[CalendarItem] = []
    mine = Q(owed_by_unit_id__in=own) | Q(owed_by_user_id=scope.user_id) if scope.user_id else Q(
        pk__in=[])
    owed = (
        Obligation.objects.filter(mine, due_on__gte=start, due_on__lte=end)
        .exclude(status=ObligationStatus.WAIVED).filter(permissions.read_q(scope))
        .select_related("owed_by_unit", "owed_by_department", "owed_to_unit",
                        "owed_to_department")
        .order_by("due_on", "pk")
    )
    for o in owed:
        done = o.status in DONE_STATUSES
        who = o.owed_by_unit.name + (f" – {o.owed_by_department.name}"
                                     if o.owed_by_department else "")
        to = o.owed_to_unit.name + (f" – {o.owed_to_department.name}"
                                    if o.owed_to_department else "")
        items.append(CalendarItem(
            day=o.due_on, kind="deadline", title=_("Hạn nộp: {title}").format(title=o.title),
            detail=_(
                "{who} nộp cho {to}. Thời hạn: {due_text}. Trạng thái: {status_label}."
            ).format(who=who, to=to, due_text=o.due_text, status_label=o.status_label(today)),
            url=reverse("hub:obligation_detail", args=[o.pk]),
            late=o.is_open() and o.due_on < today, done=done, uid=f"obligation-{o.pk}",
        ))
    groups = (
        Obligation.objects.filter(owed_to_unit_id__in=own, due_on__gte=start, due_on__lte=end)
        .exclude(status=ObligationStatus.WAIVED).filter(permissions.read_q(scope))
        .exclude(mine)
        .values("owed_to_unit_id", "owed_to_unit__name", "kind", "due_on")
        .annotate(label=Max("kind_label"), total=Count("pk"),
                  open=Count("pk", filter=Q(status__in=OPEN_STATUSES)))
        .order_by("due_on", "owed_to_unit__name", "kind")
    )
    for g in groups:
        url = reverse("hub:unit_obligations", args=[g["owed_to_unit_id"]])
        items.append(CalendarItem(
            day=g["due_on"], kind="deadline_group",
            title=_("Hạn cấp dưới nộp: {value}").format(value=g['label']),
            detail=_(
                "{value} việc phải nộp cho {value2}, {value3} việc chưa nộp."
            ).format(value=g['total'], value2=g['owed_to_unit__name'], value3=g['open']),
            url=f"{url}?loai={g['kind']}&trang_thai=tat-ca",
            late=g["open"] > 0 and g["due_on"] < today, done=g["open"] == 0,
            uid=f"due-{g['owed_to_unit_id']}-{g['kind']}-{g['due_on']:%Y%m%d}",
        ))
    entries = (
        CalendarEntry.objects.filter(unit_id__in=own)
        .filter(start__date__lte=end)
        .filter(Q(end__isnull=True, start__date__gte=start) | Q(end__date__gte=start))
        .select_related("unit").order_by("start", "pk")
    )
    from django.utils import timezone

    for e in entries:
        first = timezone.localtime(e.start).date()
        last = timezone.localtime(e.end).date() if e.end else first
        day = max(first, start)
        while day <= min(last, end):
            items.append(CalendarItem(
                day=day, kind=e.kind, title=e.title,
                detail=f"{e.get_kind_display()} – {e.unit.name}"
                       + (_(", tại {location}").format(location=e.location) if e.location else ""),
                url=reverse("org:unit_detail", args=[e.unit_id]), uid=f"entry-{e.pk}",
                start=e.start, end=e.end, all_day=e.all_day,
            ))
            day += dt.timedelta(days=1)
    items.sort(key=lambda i: (i.day, 0 if i.kind.startswith("deadline") else 1, i.title))
    return items
