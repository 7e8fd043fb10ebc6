"""Who may do what with inspections, asked of the one Scope (X-3). Pages and services ask the
same predicates.

- The issuing unit's cadres with `write` manage the plan, its rounds, teams and sessions;
  `approve` there issues the notice and may decide a slot request on the head's behalf.
- A team's people (their `org.Person` linked to the user) read their round and sessions.
- The inspected unit reads its own sessions; with `write` it asks to move its slot and names
  and confirms the attendees.
- The team head decides a request to move a slot.
"""

from __future__ import annotations

from django.db.models import Q

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, Scope
from doanvu.org.models import Person, Unit

from .models import InspectionPlan, Round, Session, SessionStatus, Team, TeamMember, TeamRole

WRITE = PermissionKind.WRITE.value
APPROVE = PermissionKind.APPROVE.value
ADMINISTER = PermissionKind.ADMINISTER.value
SCORE = PermissionKind.SCORE.value


def person_ids(scope: Scope) -> set[int]:
    """The persons of the scope's user (one, where the account is linked)."""
    if scope.user_id is None:
        return set()
    return set(Person.objects.filter(user_id=scope.user_id).values_list("pk", flat=True))


def _in_team(scope: Scope, q: Q) -> bool:
    ids = person_ids(scope)
    return bool(ids) and TeamMember.objects.filter(q, person_id__in=ids).exists()


def can_read_plan(scope: Scope, plan: InspectionPlan) -> bool:
    return scope.can(READ, plan.issuing_unit) or _in_team(scope, Q(team__round__plan=plan))


def can_manage_plan(scope: Scope, plan: InspectionPlan) -> bool:
    return scope.can(WRITE, plan.issuing_unit)


def can_read_round(scope: Scope, round_: Round) -> bool:
    return scope.can(READ, round_.plan.issuing_unit) or _in_team(scope, Q(team__round=round_))


def can_manage_round(scope: Scope, round_: Round) -> bool:
    return scope.can(WRITE, round_.plan.issuing_unit)


def can_issue_notice(scope: Scope, round_: Round) -> bool:
    return scope.can(APPROVE, round_.plan.issuing_unit)


def can_read_team(scope: Scope, team: Team) -> bool:
    return scope.can(READ, team.round.plan.issuing_unit) or _in_team(scope, Q(team=team))


def can_manage_team(scope: Scope, team: Team) -> bool:
    return can_manage_round(scope, team.round)


def can_read_session(scope: Scope, session: Session) -> bool:
    return (scope.can(READ, session.team.round.plan.issuing_unit)
            or scope.can(READ, session.unit) or _in_team(scope, Q(team_id=session.team_id)))


def can_ask_move(scope: Scope, session: Session) -> bool:
    """The inspected unit asks the head to move its slot."""
    return scope.can(WRITE, session.unit)


def is_head(scope: Scope, team: Team) -> bool:
    return _in_team(scope, Q(team=team, role=TeamRole.HEAD))


def can_decide_move(scope: Scope, session: Session) -> bool:
    """The team head; or, on the head's behalf, whoever approves for the issuing unit."""
    return is_head(scope, session.team) or scope.can(APPROVE, session.team.round.plan.issuing_unit)


def can_confirm_attendees(scope: Scope, session: Session) -> bool:
    return scope.can(WRITE, session.unit)


def can_propose_attendees(scope: Scope, session: Session) -> bool:
    return can_confirm_attendees(scope, session) or can_manage_team(scope, session.team)


def can_submit_documents(scope: Scope, session: Session) -> bool:
    """The inspected unit delivers its documents before the session (INS-5)."""
    return (session.documents_obligation_id is not None
            and session.status == SessionStatus.SCHEDULED and scope.can(WRITE, session.unit))


# -- after the session (INS-7, INS-8) -------------------------------------------------------------




def can_read_reflections(scope: Scope, session: Session) -> bool:
    """The reflections page: the team's people (each their own, the head all of them) and the
    issuing unit's readers. Not the inspected unit: reflections are written to the head."""
    return (_in_team(scope, Q(team_id=session.team_id))
            or scope.can(READ, session.team.round.plan.issuing_unit))


def can_read_all_reflections(scope: Scope, session: Session) -> bool:
    return is_head(scope, session.team) or scope.can(READ, session.team.round.plan.issuing_unit)


def can_record_recommendation(scope: Scope, round_: Round) -> bool:
    """The issuing unit's writers, or a department of it (the Office records them)."""
    issuer = round_.plan.issuing_unit
    return scope.can(WRITE, issuer) or bool(scope.departments_for(WRITE, issuer))
# -- the session record and the conclusion (INS-6, INS-8) ---------------------------------------


def can_write_conclusion(scope: Scope, session: Session) -> bool:
    """The team's secretary or head records the session and drafts the conclusion; so may the
    issuing unit's cadres with `write` (its inspection office)."""
    return (_in_team(scope, Q(team_id=session.team_id,
                             role__in=[TeamRole.HEAD, TeamRole.SECRETARY]))
            or scope.can(WRITE, session.team.round.plan.issuing_unit))


# who records the session held (INS-7) is who records it (INS-6)
can_mark_held = can_write_conclusion


def can_issue_conclusion(scope: Scope, session: Session) -> bool:
    """The head issues the conclusion; or, on the head's behalf, `approve` at the issuer."""
    return is_head(scope, session.team) or scope.can(APPROVE,
                                                     session.team.round.plan.issuing_unit)


def can_read_conclusion(scope: Scope, session: Session, issued: bool) -> bool:
    """The team and the issuing unit read the draft; the inspected unit reads it once issued."""
    return (scope.can(READ, session.team.round.plan.issuing_unit)
            or _in_team(scope, Q(team_id=session.team_id))
            or (issued and scope.can(READ, session.unit)))


def can_follow_direction(scope: Scope, session: Session, department_id: int) -> bool:
    """The department the task is given to (its field over the inspected unit), or the
    issuing unit's cadres with `write`, mark a task done."""
    return (department_id in _departments(scope, session.unit)
            or scope.can(WRITE, session.team.round.plan.issuing_unit))


def can_mark_remedied(scope: Scope, session: Session, department_ids: set[int]) -> bool:
    """The unit's supervising departments (`department_ids`), or the issuing unit's cadres
    with `write`, mark a limitation remedied."""
    if scope.can(WRITE, session.team.round.plan.issuing_unit):
        return True
    return bool(_departments(scope, session.unit) & department_ids)


def _departments(scope: Scope, unit: Unit) -> set[int]:
    """The departments whose cadres the user is over `unit`: a department-reach grant with
    `write` or `score` in its field."""
    return scope.departments_for(WRITE, unit) | scope.departments_for(SCORE, unit)
