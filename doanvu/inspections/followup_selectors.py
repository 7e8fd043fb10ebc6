"""Reads of what is owed after an inspection (INS-7, INS-8), for a session or a round already
read through `selectors.session_get` / `round_get` (which answer 404 outside the scope)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.hub.models import Obligation, ObligationFile

from . import followup, permissions
from .models import Recommendation, Round, Session, TeamMember, TeamRole

_RELATED = ("owed_by_unit", "owed_by_department", "owed_by_user", "owed_to_unit",
            "owed_to_department")


@dataclass
class ReflectionRow:
    member: TeamMember
    obligation: Obligation | None
    files: list[ObligationFile]


def _person_of(key: str) -> int | None:
    tail = key.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


def reflections(*, session: Session) -> list[ReflectionRow]:
    """Each member of the session's team but the head, with their reflection (None when no
    obligation could be given) and its files; three queries."""
    members = list(session.team.members.exclude(role=TeamRole.HEAD).select_related("person")
                   .order_by("order", "pk"))
    obs = {_person_of(o.key): o for o in Obligation.objects.filter(
        kind=followup.REFLECTION_KIND, key__startswith=f"ins:session:{session.pk}:reflection:")
        .select_related(*_RELATED)}
    files: dict[int, list[ObligationFile]] = {}
    for f in ObligationFile.objects.filter(obligation__in=[o.pk for o in obs.values()]).order_by(
            "uploaded_at", "pk"):
        files.setdefault(f.obligation_id, []).append(f)
    rows = []
    for m in members:
        ob = obs.get(m.person_id)
        rows.append(ReflectionRow(m, ob, files.get(ob.pk, []) if ob else []))
    return rows


def visible_reflections(*, scope: Scope, session: Session) -> list[ReflectionRow]:
    """All of them for the head and the issuing unit; a member sees their own row only."""
    rows = reflections(session=session)
    if permissions.can_read_all_reflections(scope, session):
        return rows
    mine = permissions.person_ids(scope)
    return [r for r in rows if r.member.person_id in mine]


def reflection_file_get(*, scope: Scope, session: Session, obligation_pk: object,
                        pk: object) -> ObligationFile:
    """A file of a reflection the scope sees on the session's page; 404 otherwise."""
    for row in visible_reflections(scope=scope, session=session):
        if row.obligation is None or str(row.obligation.pk) != str(obligation_pk):
            continue
        for f in row.files:
            if str(f.pk) == str(pk):
                return f
    raise Http404(_("Không tìm thấy tệp."))


@dataclass
class SessionFollowup:
    session: Session
    compilation: Obligation | None
    reflections_due: int
    reflections_in: int
    reflections_late: int


@dataclass
class RoundFollowup:
    compilation: Obligation | None
    sessions: list[SessionFollowup]


def round_followup(*, round_: Round, today: object) -> RoundFollowup:
    """The round's compilation and, per session, the unit's compilation and how many
    reflections are in (on time or late); a fixed number of queries."""
    sessions = list(Session.objects.filter(team__round=round_)
                    .select_related("unit", "team").order_by("date", "half", "team__number"))
    ids = [s.pk for s in sessions]
    obs = list(Obligation.objects.filter(
        kind__in=[followup.REFLECTION_KIND, followup.UNIT_COMPILATION_KIND],
        source_type__model="session", source_type__app_label="inspections", source_id__in=ids)
        .select_related(*_RELATED))
    compilations = {o.source_id: o for o in obs if o.kind == followup.UNIT_COMPILATION_KIND}
    counts: dict[int, list[int]] = {}
    for o in obs:
        if o.kind != followup.REFLECTION_KIND:
            continue
        c = counts.setdefault(o.source_id or 0, [0, 0, 0])
        c[0] += 1
        if o.submitted_on is not None:
            c[1] += 1
        if o.is_late(today):  # type: ignore[arg-type]
            c[2] += 1
    rows = [SessionFollowup(s, compilations.get(s.pk), *counts.get(s.pk, [0, 0, 0]))
            for s in sessions]
    compilation = (Obligation.objects.filter(key=followup.round_compilation_key(round_))
                   .select_related(*_RELATED).first())
    return RoundFollowup(compilation, rows)


@dataclass
class RecommendationRow:
    recommendation: Recommendation
    compilation: Obligation | None  # the department's


@dataclass
class Recommendations:
    rows: list[RecommendationRow]
    office: Obligation | None


def recommendations(*, round_: Round) -> Recommendations:
    recs = list(Recommendation.objects.filter(round=round_)
                .select_related("unit", "department").order_by("department__name", "pk"))
    keys = {followup.recommendation_department_key(round_, r.department_id) for r in recs}
    keys.add(followup.recommendation_office_key(round_))
    obs = {o.key: o for o in Obligation.objects.filter(key__in=keys).select_related(*_RELATED)}
    rows = [RecommendationRow(r, obs.get(followup.recommendation_department_key(
        round_, r.department_id))) for r in recs]
    return Recommendations(rows, obs.get(followup.recommendation_office_key(round_)))
