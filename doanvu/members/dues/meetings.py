"""Meetings (MEM-5): sinh hoạt chi đoàn, Ngày đoàn viên, họp BCH, with attendance per member,
and the "meets regularly" status of a branch for a period.

"Meets regularly" (sinh hoạt đều đặn): the branch held a branch meeting (sinh hoạt chi đoàn or
Ngày đoàn viên; BCH meetings do not count) in at least ``policy.regular_meeting_min_months``
months a year — 12 by default, every month as Điều lệ asks — scaled to the period's length and
rounded up (``dues.rules.required_meeting_months``). Only months already begun count for a
period still running.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from doanvu.audit.context import acting
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.common.typing import Actor
from doanvu.org.models import Unit
from doanvu.org.paths import STEP

from ..core.selectors import policy_for
from ..models import Attendance, AttendanceStatus, Meeting, MeetingKind, Membership
from ..permissions import NOT_YOUR_UNIT, require_unit_write
from . import rules
from .services import current_members, policies_in_force

REGULAR_KINDS = (MeetingKind.BRANCH, MeetingKind.MEMBERS_DAY)


@dataclass(frozen=True)
class AttendanceRow:
    membership: Membership
    status: str


def _check_attendance(attendance: Mapping[int, str], members: Mapping[int, Membership]) -> None:
    valid = set(AttendanceStatus.values)
    if any(s not in valid for s in attendance.values()):
        raise ApplicationError(_("Tình trạng tham dự không hợp lệ."))
    if set(attendance) - set(members):
        raise ApplicationError(_("Có người không phải đoàn viên của chi đoàn trong danh sách."))


def _check_meeting(unit: Unit, kind: str, date: dt.date | None) -> dt.date:
    if kind not in MeetingKind.values:
        raise ApplicationError(_("Loại cuộc họp không hợp lệ."), field="kind")
    if date is None:
        raise ApplicationError(_("Hãy nhập ngày họp."), field="date")
    if date > today():
        raise ApplicationError(_("Ngày họp không được ở tương lai."), field="date")
    if unit.founded_on and date < unit.founded_on:
        raise ApplicationError(_("Ngày họp trước ngày thành lập đơn vị."), field="date")
    if unit.dissolved_on and date >= unit.dissolved_on:
        raise ApplicationError(_("Đơn vị đã giải thể vào ngày họp."), field="date")
    return date


@transaction.atomic
def meeting_create(*, unit: Unit, kind: str, date: dt.date, place: str = "", content: str = "",
                   attendance: Mapping[int, str], actor: Actor | None = None) -> Meeting:
    """Record a meeting and its attendance (membership id → status) in one go.

    Members of the unit missing from `attendance` are not recorded (e.g. not on the BCH).
    """
    require_unit_write(actor=actor, unit=unit, message=str(NOT_YOUR_UNIT))
    date = _check_meeting(unit, kind, date)
    members = {m.pk: m for m in current_members(unit=unit, on=date)}
    _check_attendance(attendance, members)
    with acting(actor):
        meeting = Meeting(unit=unit, kind=kind, date=date, place=place[:200], content=content,
                          created_by=actor)  # type: ignore[misc]
        meeting.save()
        for mid, status in attendance.items():
            Attendance(meeting=meeting, membership=members[mid], status=status).save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, date: dt.date, place: str, content: str,
                   attendance: Mapping[int, str], actor: Actor | None = None) -> int:
    """Correct a meeting and its attendance; returns how many attendance rows changed."""
    require_unit_write(actor=actor, unit=meeting.unit, message=str(NOT_YOUR_UNIT))
    date = _check_meeting(meeting.unit, meeting.kind, date)
    rows = {a.membership_id: a for a in meeting.attendance.all()}
    members = {m.pk: m for m in current_members(unit=meeting.unit, on=date)}
    recorded = {a.membership_id: a.membership for a in
                meeting.attendance.select_related("membership")}
    _check_attendance(attendance, {**members, **recorded})
    changed = 0
    with acting(actor):
        fields = [f for f, v in (("date", date), ("place", place[:200]), ("content", content))
                  if getattr(meeting, f) != v]
        meeting.date, meeting.place, meeting.content = date, place[:200], content
        if fields:
            meeting.save(update_fields=fields)
        for mid, status in attendance.items():
            row = rows.get(mid)
            if row is None:
                Attendance(meeting=meeting, membership_id=mid, status=status).save()
                changed += 1
            elif row.status != status:
                row.meeting = meeting
                row.status = status
                row.save(update_fields=["status"])
                changed += 1
    return changed


def meeting_list(*, unit: Unit, period: Period | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.filter(unit=unit)
    if period is not None:
        qs = qs.filter(date__gte=period.start, date__lte=period.end)
    return qs.order_by("-date", "-id")


def meeting_attendance_rows(*, meeting: Meeting) -> list[AttendanceRow]:
    """Everyone recorded at the meeting, then current members not yet recorded (as present)."""
    recorded = list(meeting.attendance.select_related("membership__person")
                    .order_by("membership__name_folded", "membership_id"))
    seen = {a.membership_id for a in recorded}
    rows = [AttendanceRow(a.membership, a.status) for a in recorded]
    rows += [AttendanceRow(m, AttendanceStatus.PRESENT)
             for m in current_members(unit=meeting.unit, on=meeting.date) if m.pk not in seen]
    return rows


def attendance_counts(meetings: list[Meeting]) -> dict[int, dict[str, int]]:
    """Per meeting, how many were present / excused / unexcused (one query)."""
    from django.db.models import Count

    out: dict[int, dict[str, int]] = {m.pk: {s: 0 for s in AttendanceStatus.values}
                                      for m in meetings}
    for mid, status, n in (Attendance.objects.filter(meeting__in=[m.pk for m in meetings])
                           .values("meeting_id", "status").order_by()
                           .annotate(n=Count("id")).values_list("meeting_id", "status", "n")):
        out[mid][status] = n
    return out


@dataclass(frozen=True)
class RegularStatus:
    period: Period
    months: list[Period]  # the months considered (begun by `upto`)
    months_with_meeting: list[Period]
    required: int

    @property
    def held(self) -> int:
        return len(self.months_with_meeting)

    @property
    def ok(self) -> bool:
        return self.held >= self.required

    @property
    def missing(self) -> list[Period]:
        held = set(self.months_with_meeting)
        return [m for m in self.months if m not in held]


def branch_meets_regularly(*, unit: Unit, period: Period,
                           upto: dt.date | None = None) -> RegularStatus:
    """Did the branch meet regularly in `period`? (see the module docstring; 2 queries)"""
    upto = upto or today()
    months = [m for m in rules.months_of(period) if m.start <= upto]
    policy = policy_for(unit=unit, day=min(period.end, upto) if months else period.start)
    days = (Meeting.objects.filter(unit=unit, kind__in=REGULAR_KINDS,
                                   date__gte=period.start, date__lte=period.end)
            .values_list("date", flat=True))
    held = sorted({Period.containing(d, "M") for d in days} & set(months))
    required = rules.required_meeting_months(months_in_period=len(months),
                                             min_months_per_year=policy.regular_meeting_min_months)
    return RegularStatus(period, months, held, required)


@dataclass(frozen=True)
class MeetingRollupLine:
    """One lower unit: how many of the branches in its subtree met regularly in the period."""

    unit_id: int
    name: str
    path: str
    is_branch: bool
    branches: int
    regular: int
    held: int  # for a branch: months with a branch meeting; else the sum over its branches
    months: int

    @property
    def not_regular(self) -> int:
        return self.branches - self.regular


@dataclass(frozen=True)
class MeetingRollup:
    unit: Unit
    period: Period
    months: int
    lines: list[MeetingRollupLine]

    @property
    def branches(self) -> int:
        return sum(line.branches for line in self.lines)

    @property
    def regular(self) -> int:
        return sum(line.regular for line in self.lines)

    @property
    def not_regular(self) -> int:
        return self.branches - self.regular


def meeting_rollup(*, unit: Unit, period: Period, upto: dt.date | None = None) -> MeetingRollup:
    """Above the branch: per lower unit, its live branches and how many met regularly in
    `period` (the rule of `branch_meets_regularly`, each branch under its own policy; 4
    queries for the whole subtree)."""
    upto = upto or today()
    months = [m for m in rules.months_of(period) if m.start <= upto]
    step = len(unit.path) + STEP
    children = list(Unit.objects.filter(parent=unit, dissolved_on__isnull=True)
                    .values_list("pk", "name", "path", "kind__is_branch").order_by("name"))
    branches = list(Unit.objects.filter(path__startswith=unit.path, kind__is_branch=True,
                                        dissolved_on__isnull=True)
                    .exclude(pk=unit.pk).values_list("pk", "path"))
    day = min(period.end, upto) if months else period.start
    policies = policies_in_force(branches, day) if branches else {}
    held: dict[int, set[Period]] = {pk: set() for pk, _path in branches}
    for unit_id, date in (Meeting.objects.filter(unit__path__startswith=unit.path,
                                                 kind__in=REGULAR_KINDS, date__gte=period.start,
                                                 date__lte=period.end)
                          .values_list("unit_id", "date")):
        if unit_id in held:
            held[unit_id].add(Period.containing(date, "M"))
    wanted = set(months)
    per_child: dict[str, list[int]] = {path: [0, 0, 0] for _pk, _n, path, _b in children}
    for pk, path in branches:
        counts = per_child.get(path[:step])
        if counts is None:
            continue
        n = len(held[pk] & wanted)
        required = rules.required_meeting_months(
            months_in_period=len(months),
            min_months_per_year=policies[pk].regular_meeting_min_months)
        counts[0] += 1
        counts[1] += int(n >= required)
        counts[2] += n
    lines = [MeetingRollupLine(pk, name, path, is_branch, per_child[path][0], per_child[path][1],
                               per_child[path][2], len(months))
             for pk, name, path, is_branch in children]
    return MeetingRollup(unit, period, len(months), lines)
