"""Every read of inspections, given a Scope: `<entity>_get` answers 404 alike for missing and
not yours (X-3); lists filter by the scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.scope import READ, Scope
from doanvu.common.text import fold
from doanvu.hub.models import ObligationFile
from doanvu.org.models import CommitteeSeat, Department, Person, Position, Supervision, Unit
from doanvu.org.selectors import nearest_issued

from . import permissions
from .models import (
    Conclusion,
    ConclusionState,
    Direction,
    GoodModel,
    HalfDay,
    InspectionPlan,
    InspectionPolicy,
    Limitation,
    MoveState,
    Round,
    Session,
    SessionStatus,
    SlotMoveRequest,
    Team,
    TeamMember,
)

T = TypeVar("T", bound=models.Model)


def _id(pk: object) -> int | None:
    try:
        n = int(str(pk))
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**63 else None


def _get(qs: QuerySet[T], pk: object, readable: Callable[[Scope, T], bool], scope: Scope,
         allowed: Callable[[Scope, T], bool] | None, message: str) -> T:
    n = _id(pk)
    obj = qs.filter(pk=n).first() if n is not None else None
    if obj is None or not readable(scope, obj) or (allowed is not None and not allowed(scope, obj)):
        raise Http404(message)
    return obj


# -- policy -------------------------------------------------------------------------------------


def policy_for(*, unit: Unit, day: dt.date) -> InspectionPolicy | None:
    """The inspection policy in force for `unit` (the issuer of a plan) on `day`: its own or
    its nearest ancestor's. Policies are public rules, read without a scope."""
    records = (InspectionPolicy.objects.filter(valid_from__lte=day)
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("valid_from"))
    found: InspectionPolicy | None = nearest_issued(unit=unit, records=records,
                                                    unit_field="issuing_unit_id")
    return found


def policies_of(*, unit: Unit) -> list[InspectionPolicy]:
    """Every inspection policy the unit itself issued, newest first."""
    return list(InspectionPolicy.objects.filter(issuing_unit=unit)
                .select_related("inspection_department", "office_department")
                .order_by("-valid_from", "-pk"))


# -- plans and rounds ----------------------------------------------------------------------------


def plan_list(*, scope: Scope) -> list[InspectionPlan]:
    """Plans of units the scope reads, and plans with a team the user is in."""
    ids = permissions.person_ids(scope)
    q = scope.q(READ, via="issuing_unit__")
    if ids:
        q |= Q(rounds__teams__members__person_id__in=ids)
    return list(InspectionPlan.objects.filter(q).distinct().select_related("issuing_unit",
                                                                           "document"))


def plan_get(*, scope: Scope, pk: object,
             allowed: Callable[[Scope, InspectionPlan], bool] | None = None) -> InspectionPlan:
    return _get(InspectionPlan.objects.select_related("issuing_unit", "document"), pk,
                permissions.can_read_plan, scope, allowed, _("Không tìm thấy kế hoạch kiểm tra."))


def round_get(*, scope: Scope, pk: object,
              allowed: Callable[[Scope, Round], bool] | None = None) -> Round:
    return _get(Round.objects.select_related("plan__issuing_unit", "notice"), pk,
                permissions.can_read_round, scope, allowed, _("Không tìm thấy đợt kiểm tra."))


def team_get(*, scope: Scope, pk: object,
             allowed: Callable[[Scope, Team], bool] | None = None) -> Team:
    return _get(Team.objects.select_related("round__plan__issuing_unit"), pk,
                permissions.can_read_team, scope, allowed, _("Không tìm thấy đoàn kiểm tra."))


def session_get(*, scope: Scope, pk: object,
                allowed: Callable[[Scope, Session], bool] | None = None) -> Session:
    return _get(Session.objects.select_related("team__round__plan__issuing_unit", "unit__kind"),
                pk, permissions.can_read_session, scope, allowed,
                _("Không tìm thấy buổi kiểm tra."))


def move_request_get(*, scope: Scope, pk: object,
                     allowed: Callable[[Scope, Session], bool] | None = None) -> SlotMoveRequest:
    n = _id(pk)
    req = (SlotMoveRequest.objects.select_related(
        "session__team__round__plan__issuing_unit", "session__unit__kind").filter(pk=n).first()
        if n is not None else None)
    if req is None or not permissions.can_read_session(scope, req.session) or (
            allowed is not None and not allowed(scope, req.session)):
        raise Http404(_("Không tìm thấy đề nghị đổi lịch."))
    return req


def sessions_readable(*, scope: Scope, unit_id: int | None = None, year: int | None = None,
                      status: str = "") -> QuerySet[Session]:
    """Every session the scope reads, as `session_get` asks (`can_read_session`): of a plan of
    a unit it reads, at a unit it reads, or of a team the user is in. `unit_id` keeps the
    sessions at that unit and those below it, `year` the plan's year, `status` the session's
    status; unordered (the API pages it by id)."""
    q = (scope.q(READ, via="team__round__plan__issuing_unit__") | scope.q(READ, via="unit__"))
    ids = permissions.person_ids(scope)
    if ids:
        q |= Q(team_id__in=TeamMember.objects.filter(person_id__in=ids).values("team_id"))
    sessions = Session.objects.filter(q).select_related(
        "unit", "team__round__plan__issuing_unit")
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).only("path").first()
        sessions = sessions.filter(unit__path__startswith=unit.path) if unit else sessions.none()
    if year is not None:
        sessions = sessions.filter(team__round__plan__year=year)
    if status:
        sessions = sessions.filter(status=status)
    return sessions


def team_members_of(*, team: Team) -> list[TeamMember]:
    """A team (read already) with its people, by order."""
    return list(TeamMember.objects.filter(team=team).select_related("person")
                .order_by("order", "pk"))


def conclusion_parts(*, conclusion: Conclusion) -> tuple[list[Limitation], list[Direction],
                                                          list[GoodModel]]:
    """The limitations, tasks (with their department) and good models of a conclusion read
    already through `conclusion_get`."""
    return (list(Limitation.objects.filter(conclusion=conclusion).order_by("order", "pk")),
            list(Direction.objects.filter(conclusion=conclusion).select_related("department")
                 .order_by("order", "pk")),
            list(GoodModel.objects.filter(conclusion=conclusion).order_by("order", "pk")))


def sessions_of_my_units(*, scope: Scope) -> list[Session]:
    """Sessions at the units of the user's own grants: "our inspection" for an inspected
    unit's cadres (not every session below a province, which its plans list)."""
    own = {g.unit_id for g in scope.grants}
    if not own:
        return []
    return list(Session.objects.filter(unit_id__in=own)
                .select_related("unit", "team__round__plan").order_by("-date", "half")[:50])


def team_rows(*, round_: Round) -> list[tuple[Team, list[TeamMember]]]:
    teams = list(round_.teams.all())
    members: dict[int, list[TeamMember]] = {t.pk: [] for t in teams}
    for m in TeamMember.objects.filter(team__round=round_).select_related("person"):
        members[m.team_id].append(m)
    return [(t, members[t.pk]) for t in teams]


def pending_requests(*, session: Session) -> list[SlotMoveRequest]:
    return list(session.move_requests.filter(state=MoveState.PENDING))


# -- the calendar of a round (INS-3) ------------------------------------------------------------


@dataclass
class CalendarDay:
    date: dt.date
    cells: dict[str, list[Session]] = field(default_factory=dict)  # half → sessions


def round_calendar(*, round_: Round) -> list[CalendarDay]:
    """Every day of the round with a session, each half-day's sessions (team order)."""
    days: dict[dt.date, CalendarDay] = {}
    sessions = (Session.objects.filter(team__round=round_)
                .select_related("unit", "team").order_by("date", "half", "team__number"))
    for s in sessions:
        day = days.setdefault(s.date, CalendarDay(s.date, {h: [] for h in HalfDay.values}))
        day.cells[s.half].append(s)
    return [days[d] for d in sorted(days)]


# -- who may sit in a team (INS-2) -------------------------------------------------------------


def team_candidates(*, round_: Round) -> QuerySet[Person]:
    """Persons holding a post (in the unit itself, a department or an affiliated body) or a
    committee seat of the issuing unit during the round: the people a team is drawn from."""
    unit, on = round_.plan.issuing_unit, round_.window_start
    open_on = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    posts = Position.objects.filter(open_on, unit=unit).values("person_id")
    seats = CommitteeSeat.objects.filter(term__unit=unit, term__start_date__lte=on).filter(
        Q(term__end_date__isnull=True) | Q(term__end_date__gte=on)).values("person_id")
    return Person.objects.filter(Q(pk__in=posts) | Q(pk__in=seats)).order_by("name_folded", "pk")


def person_bodies(*, round_: Round, persons: list[Person]) -> dict[int, str]:
    """Person id → where they work in the issuing unit (its department or affiliated body, or
    the unit), shown beside their name in the team and the notice."""
    unit, on = round_.plan.issuing_unit, round_.window_start
    open_on = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    out: dict[int, str] = {}
    for post in (Position.objects.filter(open_on, unit=unit, person__in=persons)
                 .select_related("department", "unit").order_by("start_date", "pk")):
        out.setdefault(post.person_id, f"{post.title}, {post.department.name}"
                       if post.department else post.title)
    return out


def plan_issuers(*, scope: Scope) -> list[Unit]:
    """The units whose plans the user may draw up: those of their grants with write."""
    ids = {g.unit_id for g in scope.grants if permissions.WRITE in g.permissions}
    return list(Unit.objects.filter(pk__in=ids, dissolved_on__isnull=True).order_by("name"))


def inspectable_units(*, plan: InspectionPlan) -> QuerySet[Unit]:
    """The live units directly under the plan's issuer: the ones a round inspects."""
    return Unit.objects.filter(parent=plan.issuing_unit, dissolved_on__isnull=True).order_by(
        "name")


# -- documents before the session (INS-5) -------------------------------------------------------


def session_missed_documents(*, unit: Unit, year: int) -> bool:
    """Whether `unit` was marked not inspected in `year` for missing its documents (EMU-7:
    such a unit may not appeal)."""
    return Session.objects.filter(unit=unit, date__year=year,
                                  status=SessionStatus.NOT_INSPECTED).exists()


def unit_slot(*, unit: Unit, year: int, issuing_unit: Unit) -> Session | None:
    """The session (the first, if several) at which `issuing_unit`'s plan of `year` inspects
    `unit`; None when it is not scheduled. Emulation dates the departments' scoring by it."""
    return (Session.objects.filter(unit=unit, team__round__plan__year=year,
                                   team__round__plan__issuing_unit=issuing_unit)
            .order_by("date", "pk").first())


def unit_slots(*, units: list[int], year: int, issuing_unit: Unit) -> dict[int, Session]:
    """`unit_slot` of many units at once (unit id → its first session)."""
    out: dict[int, Session] = {}
    for session in (Session.objects.filter(unit_id__in=units, team__round__plan__year=year,
                                           team__round__plan__issuing_unit=issuing_unit)
                    .order_by("-date", "-pk")):
        out[session.unit_id] = session
    return out


def session_documents(*, session: Session) -> list[ObligationFile]:
    """The files the inspected unit delivered for a session already read via `session_get`."""
    if session.documents_obligation_id is None:
        return []
    return list(ObligationFile.objects.filter(obligation_id=session.documents_obligation_id)
                .order_by("uploaded_at", "pk"))


def session_document_get(*, session: Session, pk: object) -> ObligationFile:
    """One delivered file of a session already read via `session_get`; 404 otherwise."""
    n = _id(pk)
    f = (ObligationFile.objects.filter(obligation_id=session.documents_obligation_id, pk=n)
         .first() if n is not None and session.documents_obligation_id is not None else None)
    if f is None:
        raise Http404(_("Không tìm thấy tệp."))
    return f


# -- the session record and the conclusion (INS-6, INS-8, EMU-9, EMU-11) ------------------------


def conclusion_of(*, session: Session) -> Conclusion | None:
    """The record of a session already read via `session_get` (draft or issued), or None."""
    return (Conclusion.objects.filter(session=session)
            .select_related("document", "issued_by", "updated_by").first())


def conclusion_get(*, scope: Scope, session_pk: object) -> tuple[Session, Conclusion | None]:
    """The session and its conclusion as the scope may read them: the team and the issuing
    unit read a draft, the inspected unit only the issued conclusion; 404 otherwise."""
    session = session_get(scope=scope, pk=session_pk)
    conclusion = conclusion_of(session=session)
    issued = conclusion is not None and conclusion.is_issued
    if not permissions.can_read_conclusion(scope, session, issued):
        raise Http404(_("Không tìm thấy kết luận kiểm tra."))
    return session, conclusion


def conclusion_visible(*, scope: Scope, session: Session) -> Conclusion | None:
    """The conclusion of a session read already through `session_get`, if the scope may read
    it as `conclusion_get` says (the team and the issuing unit a draft, the inspected unit once
    issued); None when there is none or it is not for this reader."""
    conclusion = conclusion_of(session=session)
    if conclusion is None or not permissions.can_read_conclusion(scope, session,
                                                                 conclusion.is_issued):
        return None
    return conclusion


def _issued_reachable(scope: Scope) -> Q:
    """Issued conclusions whose session the scope reads (issuer, inspected unit or team)."""
    q = (scope.q(READ, via="session__team__round__plan__issuing_unit__")
         | scope.q(READ, via="session__unit__"))
    ids = permissions.person_ids(scope)
    if ids:
        q |= Q(session__team__members__person_id__in=ids)
    return Q(state=ConclusionState.ISSUED) & q


def direction_get(*, scope: Scope, pk: object) -> Direction:
    n = _id(pk)
    d = (Direction.objects.select_related(
        "department", "conclusion__session__team__round__plan__issuing_unit",
        "conclusion__session__unit").filter(pk=n).first() if n is not None else None)
    if d is None or not permissions.can_read_conclusion(scope, d.conclusion.session,
                                                        d.conclusion.is_issued):
        raise Http404(_("Không tìm thấy nhiệm vụ."))
    return d


def limitation_get(*, scope: Scope, pk: object) -> Limitation:
    n = _id(pk)
    x = (Limitation.objects.select_related(
        "conclusion__session__team__round__plan__issuing_unit",
        "conclusion__session__unit").filter(pk=n).first() if n is not None else None)
    if x is None or not permissions.can_read_conclusion(scope, x.conclusion.session,
                                                        x.conclusion.is_issued):
        raise Http404(_("Không tìm thấy hạn chế, tồn tại."))
    return x


def supervising_department_ids(*, unit: Unit, on: dt.date | None = None) -> set[int]:
    """The departments assigned to supervise `unit` (org Supervision) on `on` (any time when
    None)."""
    qs = Supervision.objects.filter(supervised_unit=unit, department__isnull=False)
    if on is not None:
        qs = qs.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    return set(qs.values_list("department_id", flat=True))


def followed_department_get(*, scope: Scope, pk: object) -> Department:
    """A department whose follow-up list the scope may read: one of a unit it reads."""
    n = _id(pk)
    dept = Department.objects.select_related("unit").filter(pk=n).first() if n else None
    if dept is None or not scope.can(READ, dept.unit):
        raise Http404(_("Không tìm thấy ban."))
    return dept


def department_directions(*, scope: Scope, department: Department,
                          open_only: bool = False) -> list[Direction]:
    """The tasks of issued conclusions given to `department`, that the scope reads."""
    qs = (Direction.objects.filter(department=department)
          .filter(Q(conclusion__in=Conclusion.objects.filter(_issued_reachable(scope))))
          .select_related("conclusion__session__unit", "conclusion__document", "done_by",
                          "conclusion__session__team__round__plan__issuing_unit")
          .order_by("done_on", "-conclusion__session__date", "order", "pk"))
    if open_only:
        qs = qs.filter(done_on__isnull=True)
    return list(qs)


def good_models(*, scope: Scope, text: str = "", field: str = "", year: int | None = None,
                unit: Unit | None = None, limit: int = 200) -> list[GoodModel]:
    """EMU-9: models and solutions of issued conclusions the scope reaches, found by words
    (without diacritics), field, year and unit (the unit and those below it)."""
    qs = GoodModel.objects.filter(
        conclusion__in=Conclusion.objects.filter(_issued_reachable(scope)))
    for word in fold(text).split()[:8]:
        qs = qs.filter(folded__contains=word)
    if field:
        qs = qs.filter(field__iexact=field)
    if year is not None:
        qs = qs.filter(conclusion__session__date__year=year)
    if unit is not None:
        qs = qs.filter(conclusion__session__unit__path__startswith=unit.path)
    return list(qs.select_related("conclusion__session__unit", "conclusion__document")
                .order_by("-conclusion__session__date", "conclusion__session__unit__name",
                          "order", "pk")[:limit])


def good_model_facets(*, scope: Scope) -> tuple[list[str], list[int], list[Unit]]:
    """The fields, years and units the register offers to filter by."""
    qs = GoodModel.objects.filter(
        conclusion__in=Conclusion.objects.filter(_issued_reachable(scope)))
    fields = sorted({f for f in qs.values_list("field", flat=True) if f}, key=fold)
    years = sorted({d.year for d in qs.values_list("conclusion__session__date", flat=True)},
                   reverse=True)
    units = list(Unit.objects.filter(pk__in=qs.values("conclusion__session__unit_id"))
                 .order_by("name"))
    return fields, years, units


def unremedied_limitations(*, unit: Unit, year: int) -> list[Limitation]:
    """EMU-11: the limitations of `unit`'s issued conclusions of `year` not yet marked
    remedied (read for a sheet the caller already read)."""
    return list(Limitation.objects.filter(
        conclusion__session__unit=unit, conclusion__session__date__year=year,
        conclusion__state=ConclusionState.ISSUED, remedied_on__isnull=True)
        .select_related("conclusion__session", "conclusion__document")
        .order_by("conclusion__session__date", "order", "pk"))


def limitation_for(*, unit: Unit, year: int, pk: object) -> Limitation | None:
    """One unremedied limitation of `unit` in `year` (EMU-11), or None."""
    n = _id(pk)
    if n is None:
        return None
    return next((x for x in unremedied_limitations(unit=unit, year=year) if x.pk == n), None)
