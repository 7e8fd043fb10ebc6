"""Every write of inspections (INS-1 … INS-4, INS-9): keyword-only, in a transaction, audited,
checking the actor itself (a `None` actor is the system) and refusing with a Vietnamese
message that names what is wrong; on a refusal nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.audit.context import acting
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.text import fold
from doanvu.common.typing import Actor
from doanvu.documents import markup
from doanvu.documents.addressing import Address
from doanvu.documents.models import Document, DocumentType
from doanvu.documents.services import document_create, document_issue
from doanvu.hub import rules as hub_rules
from doanvu.hub import services as hub_services
from doanvu.hub.models import CalendarEntryKind
from doanvu.members import api as members_api
from doanvu.org.models import (
    Cluster,
    CommitteeSeat,
    Department,
    Person,
    Position,
    Supervision,
    Unit,
)
from doanvu.org.paths import ancestor_ids

from . import permissions, rules, selectors, signals
from .models import (
    AttendeeKind,
    HalfDay,
    InspectionPlan,
    InspectionPolicy,
    MoveState,
    Round,
    Session,
    SessionAttendee,
    SessionStatus,
    SlotMoveRequest,
    Team,
    TeamMember,
    TeamRole,
)


class InspectionError(ApplicationError):
    pass


class InspectionScopeError(InspectionError):
    """The actor may not make this change (the service's own check, X-3)."""


def _require(actor: Actor | None, allowed: Callable[[Scope], bool]) -> Scope:
    """The actor's scope if it allows the change; the system (None) reaches everything."""
    if actor is None:
        return Scope(user_id=None, is_superuser=True)
    scope = Scope.for_user(actor)
    if not allowed(scope):
        raise InspectionScopeError(_("Việc này không thuộc phạm vi bạn được thực hiện."))
    return scope


def _text(value: str | None, *, field: str, label: str, max_length: int,
          required: bool = False) -> str:
    text = markup.clean_line((value or "").replace("\x00", ""))
    if required and not text:
        raise InspectionError(_("Hãy nhập {label}.").format(label=label), field=field)
    if len(text) > max_length:
        raise InspectionError(_("{label} dài quá {n} ký tự.").format(
            label=label[:1].upper() + label[1:], n=max_length), field=field)
    return text


def _long(value: str | None) -> str:
    return (value or "").replace("\x00", "").replace("\r\n", "\n").strip()


# -- policy -----------------------------------------------------------------------------------


@transaction.atomic
def policy_issue(*, actor: Actor | None, issuing_unit: Unit, valid_from: dt.date,
                 morning_start: dt.time, afternoon_start: dt.time, party_rep_count: int,
                 excellent_count: int, excellent_levels: Sequence[str], good_count: int,
                 good_levels: Sequence[str], home_affairs_count: int = 0,
                 home_affairs_unit_kinds: Sequence[str] = (), source: str = "",
                 valid_to: dt.date | None = None,
                 documents_lead_days: int | None = None,
                 followup_days: dict[str, int] | None = None,
                 inspection_department: Department | None = None,
                 office_department: Department | None = None) -> InspectionPolicy:
    """Issue the inspection rules of `issuing_unit` from `valid_from` (administer there).
    Without `documents_lead_days` the record keeps its field's default (seed 001: 3 days);
    `followup_days` sets the days after a session or round (INS-7, INS-8) by field name
    (`reflection_days`, `unit_compilation_days`, …), the others keeping their defaults."""
    _require(actor, lambda s: s.can(permissions.ADMINISTER, issuing_unit))
    if afternoon_start <= morning_start:
        raise InspectionError(_("Giờ bắt đầu buổi chiều phải sau giờ bắt đầu buổi sáng."),
                              field="afternoon_start")
    if valid_to is not None and valid_to < valid_from:
        raise InspectionError(_("Ngày hết hiệu lực trước ngày có hiệu lực."), field="valid_to")
    extra: dict[str, int] = ({} if documents_lead_days is None
                             else {"documents_lead_days": documents_lead_days})
    for name, days in (followup_days or {}).items():
        if name not in FOLLOWUP_DAYS:
            raise InspectionError(_("Quy định kiểm tra không có mục “{name}”.").format(
                name=name), field=name)
        if not 0 <= days <= 366:
            raise InspectionError(_("Số ngày phải từ 0 đến 366."), field=name)
        extra[name] = days
    for name, department in (("inspection_department", inspection_department),
                             ("office_department", office_department)):
        if department is not None and department.unit_id != issuing_unit.pk:
            raise InspectionError(_("{department} không phải là ban của {unit}.").format(
                department=department.name, unit=issuing_unit.name), field=name)
    with acting(actor):
        return InspectionPolicy.objects.create(
            **extra, inspection_department=inspection_department,
            office_department=office_department,
            issuing_unit=issuing_unit, valid_from=valid_from, valid_to=valid_to,
            source=_text(source, field="source", label=_("căn cứ"), max_length=255),
            morning_start=morning_start, afternoon_start=afternoon_start,
            party_rep_count=party_rep_count, excellent_count=excellent_count,
            excellent_levels=list(excellent_levels), good_count=good_count,
            good_levels=list(good_levels), home_affairs_count=home_affairs_count,
            home_affairs_unit_kinds=list(home_affairs_unit_kinds))


FOLLOWUP_DAYS = ("reflection_days", "unit_compilation_days", "round_compilation_days",
                 "recommendation_department_days", "recommendation_office_days")


def _policy(unit: Unit, day: dt.date) -> InspectionPolicy:
    policy = selectors.policy_for(unit=unit, day=day)
    if policy is None:
        raise InspectionError(_("Chưa có quy định kiểm tra (giờ làm việc, thành phần tham dự) "
                                "áp dụng cho {unit} ngày {day}.").format(
                                    unit=unit.name, day=format_date(day)))
    return policy


def _times(policy: InspectionPolicy) -> rules.Times:
    return rules.Times(policy.morning_start, policy.afternoon_start)


# -- plans and rounds (INS-1) -------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Actor | None, issuing_unit: Unit, year: int, title: str,
                document: Document | None = None) -> InspectionPlan:
    _require(actor, lambda s: s.can(permissions.WRITE, issuing_unit))
    if not 1931 <= year <= 2100:
        raise InspectionError(_("Năm {year} không hợp lệ.").format(year=year), field="year")
    if document is not None and document.issuing_unit_id != issuing_unit.pk:
        raise InspectionError(_("Văn bản kế hoạch phải của chính {unit}.").format(
            unit=issuing_unit.name), field="document")
    with acting(actor):
        return InspectionPlan.objects.create(
            issuing_unit=issuing_unit, year=year, document=document,
            title=_text(title, field="title", label=_("tên kế hoạch"), max_length=500,
                        required=True))


@transaction.atomic
def round_create(*, actor: Actor | None, plan: InspectionPlan, number: int, title: str,
                 window_start: dt.date, window_end: dt.date, units: Sequence[Unit],
                 purpose: str = "", content: str = "", method: str = "", procedure: str = "",
                 cluster_meeting: str = "", cluster_meeting_on: dt.date | None = None) -> Round:
    """A round of `plan`: the units inspected are below the issuing unit, each once."""
    _require(actor, lambda s: permissions.can_manage_plan(s, plan))
    if window_end < window_start:
        raise InspectionError(_("Ngày kết thúc đợt ({end}) trước ngày bắt đầu ({start}).").format(
            end=format_date(window_end), start=format_date(window_start)), field="window_end")
    if window_start.year != plan.year:
        raise InspectionError(_("Đợt kiểm tra phải nằm trong năm {year} của kế hoạch.").format(
            year=plan.year), field="window_start")
    if Round.objects.filter(plan=plan, number=number).exists():
        raise InspectionError(_("Kế hoạch đã có đợt {n}.").format(n=number), field="number")
    issuer = plan.issuing_unit
    for unit in units:
        if unit.pk == issuer.pk or not unit.path.startswith(issuer.path):
            raise InspectionError(_("{unit} không trực thuộc {issuer}: không kiểm tra trong "
                                    "kế hoạch này được.").format(unit=unit.name,
                                                                  issuer=issuer.name),
                                  field="units")
    with acting(actor):
        round_ = Round.objects.create(
            plan=plan, number=number,
            title=_text(title, field="title", label=_("tên đợt"), max_length=300, required=True),
            purpose=_long(purpose), content=_long(content), method=_long(method),
            procedure=_long(procedure), window_start=window_start, window_end=window_end,
            cluster_meeting=_text(cluster_meeting, field="cluster_meeting",
                                  label=_("giao ban cụm"), max_length=300),
            cluster_meeting_on=cluster_meeting_on)
        round_.units.set(units)
    if round_.cluster_meeting and cluster_meeting_on is not None:
        hub_services.calendar_entry_create(
            unit=issuer, title=round_.cluster_meeting[:255],
            kind=CalendarEntryKind.CLUSTER_MEETING,
            start=timezone.make_aware(dt.datetime.combine(cluster_meeting_on, dt.time())),
            all_day=True, source=round_, source_label=round_.title)
    return round_


# -- teams (INS-2) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInput:
    person: Person
    role: str = TeamRole.MEMBER
    body: str = ""


def _checked_members(members: Sequence[MemberInput]) -> list[tuple[MemberInput, str]]:
    """The members in order (head, secretary, members) with their bodies checked: exactly one
    head, at most one secretary, each person once."""
    heads = [m for m in members if m.role == TeamRole.HEAD]
    if len(heads) != 1:
        raise InspectionError(_("Mỗi đoàn kiểm tra có đúng một trưởng đoàn."), field="head")
    if sum(1 for m in members if m.role == TeamRole.SECRETARY) > 1:
        raise InspectionError(_("Mỗi đoàn kiểm tra có một thư ký."), field="secretary")
    seen: set[int] = set()
    for m in members:
        if m.person.pk in seen:
            raise InspectionError(_("{name} được chọn hai lần trong đoàn.").format(
                name=m.person.full_name), field="members")
        seen.add(m.person.pk)
    ranks = [TeamRole.HEAD, TeamRole.SECRETARY, TeamRole.MEMBER]
    ordered = sorted(members, key=lambda m: ranks.index(TeamRole(m.role)))
    return [(m, _text(m.body, field="members", label=_("cơ quan công tác"), max_length=200))
            for m in ordered]


def _write_members(team: Team, checked: list[tuple[MemberInput, str]]) -> None:
    for i, (m, body) in enumerate(checked):
        TeamMember.objects.create(team=team, person=m.person, role=m.role, order=i, body=body)


@transaction.atomic
def team_create(*, actor: Actor | None, round_: Round, number: int, name: str,
                members: Sequence[MemberInput]) -> Team:
    """A team of `round_` with exactly one head; each person once."""
    _require(actor, lambda s: permissions.can_manage_round(s, round_))
    name = _text(name, field="name", label=_("tên đoàn"), max_length=200, required=True)
    if Team.objects.filter(round=round_, number=number).exists():
        raise InspectionError(_("Đợt này đã có đoàn số {n}.").format(n=number), field="number")
    checked = _checked_members(members)
    with acting(actor, reason=_("Thành lập {name}").format(name=name)):
        team = Team.objects.create(round=round_, number=number, name=name)
        _write_members(team, checked)
    return team


@transaction.atomic
def team_update(*, actor: Actor | None, team: Team, number: int, name: str,
                members: Sequence[MemberInput]) -> Team:
    """Change a team: its number, name and people (a member replaced, a head changed). Refused
    when a person it adds is already elsewhere at one of the team's sessions; the conflict of
    interest of the new people is warned about on the team's page."""
    team = (Team.objects.select_for_update(of=("self",)).select_related("round__plan")
            .get(pk=team.pk))
    round_ = team.round
    _require(actor, lambda s: permissions.can_manage_team(s, team))
    name = _text(name, field="name", label=_("tên đoàn"), max_length=200, required=True)
    if Team.objects.filter(round=round_, number=number).exclude(pk=team.pk).exists():
        raise InspectionError(_("Đợt này đã có đoàn số {n}.").format(n=number), field="number")
    checked = _checked_members(members)
    persons = {m.person.pk: m.person.full_name for m, _body in checked}
    for session in team.sessions.select_related("unit").order_by("date", "half"):
        _refuse_clashes(rules.Booking(session.pk, session.date, session.half, session.unit_id,
                                      session.unit.name, team.pk, name, persons),
                        field="members")
    with acting(actor, reason=_("Điều chỉnh {name}").format(name=name)):
        if (team.number, team.name) != (number, name):
            team.number, team.name = number, name
            team.save(update_fields=["number", "name"])
        have = {tm.person_id: tm for tm in team.members.all()}
        keep = {m.person.pk for m, _body in checked}
        for tm in have.values():
            if tm.person_id not in keep:
                tm.delete()
        for i, (m, body) in enumerate(checked):
            row = have.get(m.person.pk)
            if row is None:
                TeamMember.objects.create(team=team, person=m.person, role=m.role, order=i,
                                          body=body)
            elif (row.role, row.order, row.body) != (m.role, i, body):
                row.role, row.order, row.body = m.role, i, body
                row.save(update_fields=["role", "order", "body"])
    return team


def _open(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    return (start is None or start <= on) and (end is None or end >= on)


def conflict_warnings(*, team: Team, unit: Unit, on: dt.date) -> list[str]:
    """Team members who belong to `unit` (a post or committee seat in it or a unit below
    it), are assigned to supervise it or a unit above it, or work in a department that
    supervises it or stands for a cluster it belongs to — a warning to show, not a refusal
    (INS-2)."""
    return team_conflicts(team=team, targets=[(unit, on)])


def team_conflicts(*, team: Team, targets: Sequence[tuple[Unit, dt.date]]) -> list[str]:
    """`conflict_warnings` for several (unit, day) at once, in a fixed number of queries."""
    members = list(TeamMember.objects.filter(team=team).select_related("person"))
    if not members or not targets:
        return []
    pids = [m.person_id for m in members]
    names = {m.person_id: m.person.full_name for m in members}
    posts = list(Position.objects.filter(person_id__in=pids).select_related("unit", "department"))
    seats = list(CommitteeSeat.objects.filter(person_id__in=pids).select_related("term__unit"))
    chains = {u.pk: {*ancestor_ids(u.path), u.pk} for u, _day in targets}
    everywhere = set().union(*chains.values())
    supervisions = list(Supervision.objects.filter(supervised_unit_id__in=everywhere)
                        .select_related("supervised_unit", "department"))
    clusters = list(Cluster.objects.filter(members__pk__in=everywhere,
                                           standing_department__isnull=False)
                    .distinct().select_related("standing_department"))
    cluster_units: dict[int, set[int]] = {}
    for cid, uid in Cluster.members.through.objects.filter(
            cluster_id__in=[c.pk for c in clusters]).values_list("cluster_id", "unit_id"):
        cluster_units.setdefault(cid, set()).add(uid)
    out: list[str] = []
    for unit, on in targets:
        chain = chains[unit.pk]
        reasons: dict[int, list[str]] = {}
        dept_posts: dict[int, set[int]] = {}
        for post in posts:
            if not _open(post.start_date, post.end_date, on):
                continue
            if post.department_id is not None:
                dept_posts.setdefault(post.department_id, set()).add(post.person_id)
            if post.unit.path.startswith(unit.path):
                reasons.setdefault(post.person_id, []).append(
                    _("giữ chức vụ {title} tại {unit}").format(title=post.title,
                                                              unit=post.unit.name))
        for seat in seats:
            term = seat.term
            if (_open(seat.start_date, seat.end_date, on)
                    and _open(term.start_date, term.end_date, on)
                    and term.unit.path.startswith(unit.path)):
                reasons.setdefault(seat.person_id, []).append(
                    _("là {title} {unit}").format(title=seat.title, unit=term.unit.name))
        for sup in supervisions:
            if sup.supervised_unit_id not in chain or not _open(sup.start_date, sup.end_date, on):
                continue
            if sup.person_id in names:
                reasons.setdefault(sup.person_id, []).append(  # type: ignore[arg-type]
                    _("được phân công phụ trách {unit}").format(unit=sup.supervised_unit.name))
            for pid in sorted(dept_posts.get(sup.department_id or 0, set())):
                reasons.setdefault(pid, []).append(
                    _("công tác tại {dept}, ban phụ trách {unit}").format(
                        dept=sup.department, unit=sup.supervised_unit.name))
        for cluster in clusters:
            if not cluster_units.get(cluster.pk, set()) & chain or not _open(
                    cluster.valid_from, cluster.valid_to, on):
                continue
            for pid in sorted(dept_posts.get(cluster.standing_department_id or 0, set())):
                reasons.setdefault(pid, []).append(
                    _("công tác tại {dept}, ban thường trực {cluster}").format(
                        dept=cluster.standing_department, cluster=cluster.name))
        out += [_("Lưu ý xung đột lợi ích: {name} {why}.").format(
                    name=names[pid], why="; ".join(dict.fromkeys(reasons[pid])))
                for pid in pids if pid in reasons]
    return list(dict.fromkeys(out))


# -- sessions and the clash rule (INS-3) --------------------------------------------------------


def _bookings(on: dt.date, half: str) -> list[rules.Booking]:
    sessions = list(Session.objects.select_for_update().filter(date=on, half=half)
                    .select_related("unit", "team__round__plan"))
    persons: dict[int, dict[int, str]] = {}
    for m in TeamMember.objects.filter(team_id__in={s.team_id for s in sessions}).select_related(
            "person"):
        persons.setdefault(m.team_id, {})[m.person_id] = m.person.full_name
    return [_booking(s, persons.get(s.team_id, {})) for s in sessions]


def _booking(session: Session, persons: dict[int, str]) -> rules.Booking:
    return rules.Booking(session.pk, session.date, session.half, session.unit_id,
                         session.unit.name, session.team_id, session.team.name, persons)


def _team_persons(team: Team) -> dict[int, str]:
    return {m.person_id: m.person.full_name
            for m in TeamMember.objects.filter(team=team).select_related("person")}


def _slot_label(on: dt.date, half: str) -> str:
    return _("buổi {half} ngày {day}").format(half=str(HalfDay(half).label).lower(),
                                               day=format_date(on))


def _refuse_clashes(candidate: rules.Booking, *, field: str = "date") -> None:
    found = rules.clashes(candidate, _bookings(candidate.date, candidate.half))
    if not found:
        return
    slot = _slot_label(candidate.date, candidate.half)
    lines = []
    for c in found:
        other = _("{team} làm việc tại {unit}").format(team=c.other.team_name,
                                                       unit=c.other.unit_name)
        if c.kind == "unit":
            lines.append(_("{unit} đã có lịch kiểm tra {slot} ({other}).").format(
                unit=candidate.unit_name, slot=slot, other=other))
        elif c.kind == "team":
            lines.append(_("{team} đã có lịch {slot} tại {unit}.").format(
                team=candidate.team_name, slot=slot, unit=c.other.unit_name))
        else:
            lines.append(_("{person} đã ở {other} {slot}.").format(
                person=c.person_name, other=other, slot=slot))
    raise InspectionError(_("Trùng lịch: {lines}").format(lines=" ".join(lines)), field=field)


def _check_slot(round_: Round, unit: Unit, on: dt.date, half: str, *,
                date_field: str = "date", half_field: str = "half") -> None:
    if half not in HalfDay.values:
        raise InspectionError(_("Hãy chọn buổi sáng hoặc buổi chiều."), field=half_field)
    if not round_.window_start <= on <= round_.window_end:
        raise InspectionError(_("Ngày {day} ngoài thời gian của đợt ({start} – {end}).").format(
            day=format_date(on), start=format_date(round_.window_start),
            end=format_date(round_.window_end)), field=date_field)
    if not round_.units.filter(pk=unit.pk).exists():
        raise InspectionError(_("{unit} không có trong danh sách đơn vị được kiểm tra của "
                                "đợt này.").format(unit=unit.name), field="unit")


def _calendar(session: Session) -> None:
    """The session in the hub's calendar of the inspected unit and of the issuing unit (what
    was written for it before is replaced)."""
    hub_services.calendar_entries_delete_for(source=session)
    start = timezone.make_aware(dt.datetime.combine(session.date, session.start_time))
    round_ = session.team.round
    for unit, title in (
            (session.unit, _("{team} kiểm tra đơn vị").format(team=session.team.name)),
            (round_.plan.issuing_unit, _("{team} kiểm tra {unit}").format(
                team=session.team.name, unit=session.unit.name))):
        hub_services.calendar_entry_create(
            unit=unit, title=title[:255], kind=CalendarEntryKind.INSPECTION, start=start,
            location=session.place, source=session, source_label=round_.title)


@dataclass(frozen=True)
class Scheduled:
    session: Session
    warnings: list[str]


@transaction.atomic
def session_create(*, actor: Actor | None, team: Team, unit: Unit, on: dt.date, half: str,
                   place: str = "") -> Scheduled:
    """Schedule `team` at `unit` for a half-day; the start time is the policy's. Refuses a
    unit, a team or a person in two places at once; warns of a conflict of interest."""
    _require(actor, lambda s: permissions.can_manage_team(s, team))
    round_ = team.round
    _check_slot(round_, unit, on, half)
    policy = _policy(round_.plan.issuing_unit, on)
    _refuse_clashes(rules.Booking(None, on, half, unit.pk, unit.name, team.pk, team.name,
                                  _team_persons(team)))
    try:
        with transaction.atomic(), acting(actor):
            session = Session.objects.create(
                team=team, unit=unit, date=on, half=half,
                start_time=_times(policy).start_of(half),
                place=_text(place, field="place", label=_("địa điểm"), max_length=255))
    except IntegrityError:
        raise InspectionError(_("Trùng lịch: {unit} hoặc {team} vừa được xếp {slot}.").format(
            unit=unit.name, team=team.name, slot=_slot_label(on, half)), field="date") from None
    _calendar(session)
    _documents_obligation(session, policy)
    signals.slot_changed.send(sender=Session, session=session)
    return Scheduled(session, conflict_warnings(team=team, unit=unit, on=on))


# -- documents before the session (INS-5) -------------------------------------------------------

DOCUMENTS_KIND = "ins.documents"


def _documents_rule(policy: InspectionPolicy) -> hub_rules.DueRule:
    return hub_rules.DueRule.before(policy.documents_lead_days, "slot", _("buổi kiểm tra"))


def _documents_obligation(session: Session, policy: InspectionPolicy) -> None:
    """The inspected unit owes its documents to the issuing unit (the team secretary reads
    them) `documents_lead_days` of the policy in force before the session; a moved slot moves
    the due date of the same obligation."""
    events = {"slot": session.date}
    if session.documents_obligation_id is not None:
        ob = session.documents_obligation
        assert ob is not None
        hub_services.obligation_reschedule(actor=None, obligation=ob, events=events,
                                           rule=_documents_rule(policy))
        return
    round_ = session.team.round
    if session.unit.dissolved_on is not None or round_.plan.issuing_unit.dissolved_on is not None:
        return  # the hub gives no new obligation to a unit dissolved since (a past schedule)
    ob = hub_services.obligation_create(
        actor=None, kind=DOCUMENTS_KIND, kind_label=_("Nộp tài liệu kiểm tra"),
        title=_("Nộp tài liệu kiểm tra: {team}, {round}").format(
            team=session.team.name, round=round_.title)[:255],
        owed_by_unit=session.unit, owed_to_unit=round_.plan.issuing_unit,
        rule=_documents_rule(policy), events=events, source=session,
        source_label=str(session)[:255], key=f"ins:session:{session.pk}:documents")
    session.documents_obligation = ob
    session.save(update_fields=["documents_obligation"])


def documents_submit(*, actor: Actor | None, session: Session, files: Sequence[UploadedFile],
                     text: str = "", on: dt.date | None = None) -> Session:
    """The inspected unit delivers its documents through the hub obligation. After the due
    date they are refused: the hub itself would take a late delivery (and count it late), but
    a unit that missed the lead time is not inspected this year (seed 001)."""
    _require(actor, lambda s: s.can(permissions.WRITE, session.unit))
    ob = session.documents_obligation
    if ob is None:
        raise InspectionError(_("Buổi kiểm tra này chưa có việc nộp tài liệu."),
                              field="attachments")
    day = on or today()
    if session.status == SessionStatus.NOT_INSPECTED:
        raise InspectionError(_("Đơn vị đã bị ghi nhận không được kiểm tra năm nay: {why}")
                              .format(why=session.status_reason), field="attachments")
    if day > ob.due_on:
        raise InspectionError(_("Đã quá hạn nộp tài liệu kiểm tra ({due}): không tiếp nhận "
                                "tài liệu nộp muộn.").format(due=format_date(ob.due_on)),
                              field="attachments")
    if not files:
        raise InspectionError(_("Hãy đính kèm ít nhất một tệp tài liệu."), field="attachments")
    # `on` records a delivery made in the past (demo, imports); views never pass it
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(12))) if on else None
    hub_services.obligation_submit(actor=actor, obligation=ob, text=text, files=files, at=at)
    return session


def _missed(session: Session) -> bool:
    ob = session.documents_obligation
    if ob is None:
        return False
    submitted = ob.submitted_on
    return submitted is None or submitted > ob.due_on


def documents_missed_mark(*, on: dt.date | None = None,
                          round_: Round | None = None) -> list[Session]:
    """Mark "không được kiểm tra năm nay" every scheduled session (of `round_`, or all) whose
    documents were not delivered by their due date (strictly before `on`). Running it again
    marks nothing more."""
    day = on or today()
    marked: list[Session] = []
    candidates = (Session.objects.filter(status=SessionStatus.SCHEDULED,
                                         documents_obligation__due_on__lt=day)
                  .select_related("documents_obligation", "unit"))
    if round_ is not None:
        candidates = candidates.filter(team__round=round_)
    for candidate in candidates:
        if not _missed(candidate):
            continue
        with transaction.atomic():
            session = (Session.objects.select_for_update(of=("self",))
                       .select_related("documents_obligation").get(pk=candidate.pk))
            if session.status != SessionStatus.SCHEDULED or not _missed(session):
                continue
            ob = session.documents_obligation
            assert ob is not None
            reason = _("Không nộp tài liệu kiểm tra đúng hạn ({due}, trước buổi kiểm tra "
                       "{slot}): đơn vị không được kiểm tra năm nay và không có quyền khiếu "
                       "nại.").format(due=format_date(ob.due_on),
                                      slot=_slot_label(session.date, session.half))
            session.status = SessionStatus.NOT_INSPECTED
            session.status_on = day
            session.status_reason = reason[:500]
            with acting(None, reason=session.status_reason):
                session.save(update_fields=["status", "status_on", "status_reason"])
            marked.append(session)
    return marked


# -- moving a slot ------------------------------------------------------------------------------


@transaction.atomic
def move_request_create(*, actor: Actor | None, session: Session, proposed_date: dt.date,
                        proposed_half: str, reason: str) -> SlotMoveRequest:
    """The inspected unit asks the team head to move its slot (one open request at a time)."""
    _require(actor, lambda s: permissions.can_ask_move(s, session))
    reason = _text(reason, field="reason", label=_("lý do xin đổi lịch"), max_length=500,
                   required=True)
    locked = Session.objects.select_for_update().select_related("team__round", "unit").get(
        pk=session.pk)
    if (proposed_date, proposed_half) == (locked.date, locked.half):
        raise InspectionError(_("Buổi đề nghị trùng với lịch hiện tại."), field="proposed_date")
    _check_slot(locked.team.round, locked.unit, proposed_date, proposed_half,
                date_field="proposed_date", half_field="proposed_half")
    if SlotMoveRequest.objects.filter(session=locked, state=MoveState.PENDING).exists():
        raise InspectionError(_("Đơn vị đã có một đề nghị đổi lịch đang chờ trưởng đoàn quyết "
                                "định."), field="proposed_date")
    # the head decides, and asks the rule again then; a slot already taken is said at once
    _refuse_clashes(rules.Booking(locked.pk, proposed_date, proposed_half, locked.unit_id,
                                  locked.unit.name, locked.team_id, locked.team.name,
                                  _team_persons(locked.team)), field="proposed_date")
    with acting(actor, reason=reason):
        return SlotMoveRequest.objects.create(
            session=locked, asked_by_id=getattr(actor, "pk", None), from_date=locked.date,
            from_half=locked.half, proposed_date=proposed_date, proposed_half=proposed_half,
            reason=reason)


@transaction.atomic
def move_request_decide(*, actor: Actor | None, request: SlotMoveRequest, accept: bool,
                        reason: str = "") -> SlotMoveRequest:
    """The head accepts (the session moves, after the clash rule is asked again) or refuses
    with a reason."""
    locked = (SlotMoveRequest.objects.select_for_update(of=("self",))
              .select_related("session__team__round__plan__issuing_unit", "session__unit")
              .get(pk=request.pk))
    session = locked.session
    _require(actor, lambda s: permissions.can_decide_move(s, session))
    if locked.state != MoveState.PENDING:
        raise InspectionError(_("Đề nghị này đã được quyết định."), field="decision")
    reason = _text(reason, field="decision_reason", label=_("lý do"), max_length=500,
                   required=not accept)
    if accept:
        _check_slot(session.team.round, session.unit, locked.proposed_date, locked.proposed_half)
        _refuse_clashes(rules.Booking(session.pk, locked.proposed_date, locked.proposed_half,
                                      session.unit_id, session.unit.name, session.team_id,
                                      session.team.name, _team_persons(session.team)))
        policy = _policy(session.team.round.plan.issuing_unit, locked.proposed_date)
        session.date, session.half = locked.proposed_date, locked.proposed_half
        session.start_time = _times(policy).start_of(session.half)
        with acting(actor, reason=_("Trưởng đoàn đồng ý đổi lịch: {why}").format(
                why=locked.reason)):
            session.save(update_fields=["date", "half", "start_time"])
        _calendar(session)
        _documents_obligation(session, policy)
        signals.slot_changed.send(sender=Session, session=session)
    locked.state = MoveState.ACCEPTED if accept else MoveState.REFUSED
    locked.decided_by_id = getattr(actor, "pk", None)
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    with acting(actor, reason=reason or None):
        locked.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    return locked


# -- attendees (INS-4) --------------------------------------------------------------------------


def _attendee_rules(policy: InspectionPolicy) -> rules.AttendeeRules:
    return rules.AttendeeRules(
        party_rep_count=policy.party_rep_count, excellent_count=policy.excellent_count,
        excellent_levels=tuple(policy.excellent_levels), good_count=policy.good_count,
        good_levels=tuple(policy.good_levels), home_affairs_count=policy.home_affairs_count,
        home_affairs_unit_kinds=tuple(policy.home_affairs_unit_kinds))


@transaction.atomic
def attendees_propose(*, actor: Actor | None, session: Session) -> list[SessionAttendee]:
    """Propose the required attendees from the policy and last year's classification of the
    units under the inspected unit (members' public API), replacing an earlier proposal the
    unit has not confirmed."""
    scope = _require(actor, lambda s: permissions.can_propose_attendees(s, session))
    locked = Session.objects.select_for_update().select_related(
        "unit__kind", "team__round__plan__issuing_unit").get(pk=session.pk)
    if locked.attendees_confirmed_at is not None:
        raise InspectionError(_("Đơn vị đã xác nhận thành phần tham dự; không đề xuất lại."))
    policy = _policy(locked.team.round.plan.issuing_unit, locked.date)
    last_year = locked.date.year - 1
    results = [
        rules.Result(r.unit.pk, r.unit.name, r.unit.sector, r.level, r.level_name,
                     r.secretary.pk if r.secretary else None,
                     r.secretary.full_name if r.secretary else "")
        for r in members_api.grassroots_results(scope=scope, unit=locked.unit, year=last_year)]
    proposed = rules.propose_attendees(_attendee_rules(policy), unit_kind=locked.unit.kind.code,
                                       results=results)
    with acting(actor, reason=_("Đề xuất thành phần tham dự theo kết quả xếp loại năm "
                                "{year}").format(year=last_year)):
        SessionAttendee.objects.filter(session=locked).delete()
        rows = []
        for i, p in enumerate(proposed):
            r = p.result
            row = SessionAttendee(session=locked, kind=p.kind, order=i)
            if r is not None:
                row.from_unit_id = r.unit_id
                row.level_name = r.level_name
                row.person_id = r.secretary_id
                row.full_name = r.secretary_name
                row.title = _("Bí thư {unit}").format(unit=r.unit_name)[:200]
            row.save()
            rows.append(row)
    return rows


@dataclass(frozen=True)
class AttendeeInput:
    attendee_id: int
    full_name: str
    title: str = ""


@transaction.atomic
def attendees_confirm(*, actor: Actor | None, session: Session,
                      rows: Sequence[AttendeeInput]) -> Session:
    """The inspected unit names every required attendee and confirms the list."""
    _require(actor, lambda s: permissions.can_confirm_attendees(s, session))
    locked = Session.objects.select_for_update().get(pk=session.pk)
    attendees = {a.pk: a for a in SessionAttendee.objects.filter(session=locked)}
    if not attendees:
        raise InspectionError(_("Chưa có danh sách thành phần tham dự để xác nhận."))
    given = {r.attendee_id: r for r in rows}
    for n, a in enumerate(sorted(attendees.values(), key=lambda a: (a.order, a.pk)), start=1):
        r = given.get(a.pk)
        label = _("Dòng {n} ({kind})").format(n=n, kind=AttendeeKind(a.kind).label)
        name = markup.clean_line((r.full_name if r else "").replace("\x00", ""))
        if not name:
            raise InspectionError(_("{row}: hãy nhập họ và tên người tham dự.").format(row=label),
                                  field=f"name_{a.pk}")
        if len(name) > 120:
            raise InspectionError(_("{row}: họ và tên dài quá 120 ký tự.").format(row=label),
                                  field=f"name_{a.pk}")
        title = markup.clean_line((r.title if r else a.title).replace("\x00", ""))[:200]
        if name != a.full_name or title != a.title:
            if name != a.full_name:
                a.person_id = None
            a.full_name, a.title = name, title
            with acting(actor):
                a.save(update_fields=["full_name", "title", "person"])
    locked.attendees_confirmed_at = timezone.now()
    locked.attendees_confirmed_by_id = getattr(actor, "pk", None)
    with acting(actor, reason=_("Đơn vị xác nhận thành phần tham dự")):
        locked.save(update_fields=["attendees_confirmed_at", "attendees_confirmed_by"])
    return locked


# -- the notice establishing the teams (INS-9) ---------------------------------------------------


def _notice_body(round_: Round) -> str:
    lines = [_("I. THÀNH LẬP CÁC ĐOÀN KIỂM TRA")]
    for i, (team, members) in enumerate(selectors.team_rows(round_=round_), start=1):
        lines.append(f"{i}. {team.name}")
        for m in members:
            body = f", {m.body}" if m.body else ""
            lines.append(f"- {m.get_role_display()}: {m.person.full_name}{body}")
    lines.append(_("II. NỘI DUNG KIỂM TRA"))
    lines += [f"\\{x}" if x[:1].isdigit() else x for x in (round_.content or "").splitlines()
              if x.strip()] or [_("Theo kế hoạch.")]
    lines.append(_("III. HÌNH THỨC, CÁCH THỨC, PHƯƠNG PHÁP KIỂM TRA"))
    lines += [x for x in (round_.method or "").splitlines() if x.strip()] or [
        _("Theo kế hoạch.")]
    lines.append(_("IV. QUY TRÌNH, CÁC BƯỚC THỰC HIỆN"))
    lines += [x for x in (round_.procedure or "").splitlines() if x.strip()] or [
        _("Theo kế hoạch.")]
    lines.append(_("V. LỊCH KIỂM TRA"))
    sessions = Session.objects.filter(team__round=round_).select_related("unit", "team").order_by(
        "date", "half", "team__number")
    for s in sessions:
        lines.append(_("- {day}, buổi {half} (từ {start}): {team} làm việc tại {unit}.").format(
            day=format_date(s.date), half=str(s.get_half_display()).lower(),
            start=s.start_time.strftime("%Hg%M"), team=s.team.name, unit=s.unit.name))
    if not sessions:
        lines.append(_("Lịch cụ thể sẽ được thông báo sau."))
    return "\n".join(lines)


def _notice_title(round_title: str) -> str:
    """ "Thành lập các đoàn kiểm tra định kỳ Đợt 2 năm 2020" from "Kiểm tra định kỳ Đợt 2 …"."""
    lowered = round_title[:1].lower() + round_title[1:]
    if fold(round_title).startswith(fold(_("kiểm tra"))):
        return _("Thành lập các đoàn {round}").format(round=lowered)
    return _("Thành lập các đoàn kiểm tra {round}").format(round=lowered)


@transaction.atomic
def team_notice_issue(*, actor: Actor | None, round_: Round, signer_title: str,
                      signer_name: str, issued_on: dt.date | None = None) -> Document:
    """Generate the notice establishing the round's teams as a numbered document of the issuing
    unit (Thông báo), addressed to the inspected units, and issue it (INS-9)."""
    _require(actor, lambda s: permissions.can_issue_notice(s, round_))
    locked = Round.objects.select_for_update(of=("self",)).select_related(
        "plan__issuing_unit").get(pk=round_.pk)
    if locked.notice_id is not None:
        raise InspectionError(_("Đợt này đã có thông báo thành lập đoàn kiểm tra."))
    if not locked.teams.exists():
        raise InspectionError(_("Đợt này chưa có đoàn kiểm tra nào."))
    unit = locked.plan.issuing_unit
    doc_type = DocumentType.objects.filter(code="thong_bao").first()
    if doc_type is None:
        raise InspectionError(_("Chưa có loại văn bản Thông báo trong danh mục."))
    draft = document_create(
        actor=actor, issuing_unit=unit, doc_type=doc_type,
        title=_notice_title(locked.title),
        body=markup.parse_body(_notice_body(locked)),
        addresses=[Address(unit=u) for u in locked.units.filter(dissolved_on__isnull=True)],
        recipients=[_("Lưu VP")], signer_title=signer_title, signer_name=signer_name,
        issued_on=issued_on)
    document = document_issue(actor=actor, document=draft, issued_on=issued_on)
    locked.notice = document
    with acting(actor):
        locked.save(update_fields=["notice"])
    return document
