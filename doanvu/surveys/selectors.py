"""Reads of surveys, each given the reader's Scope (404 alike for missing and not yours)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.scope import READ, Scope
from doanvu.hub.models import DONE_STATUSES, ObligationStatus
from doanvu.org.models import Sector, Unit

from . import permissions, rules, tabulate
from .models import (
    AnonymousAnswer,
    Campaign,
    Questionnaire,
    QuestionnaireState,
    Response,
    ResponseFile,
    ResponseState,
    Theme,
)


def _get(qs: QuerySet[Any], pk: object) -> Any:
    try:
        return qs.get(pk=int(pk))  # type: ignore[call-overload]
    except (qs.model.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None


def _check(allowed: bool) -> None:
    if not allowed:
        raise Http404


def campaign_get(*, scope: Scope, pk: object, manage: bool = False) -> Campaign:
    c: Campaign = _get(Campaign.objects.select_related("unit", "report", "report_obligation"), pk)
    _check(permissions.can_read_campaign(scope, c))
    if manage:
        _check(permissions.can_manage_campaign(scope, c))
    return c


def theme_get(*, scope: Scope, pk: object, manage: bool = False) -> Theme:
    t: Theme = _get(Theme.objects.select_related("campaign__unit", "lead_department",
                                                 "report", "report_obligation"), pk)
    _check(permissions.can_read_campaign(scope, t.campaign))
    if manage:
        _check(permissions.can_manage_campaign(scope, t.campaign))
    return t


def questionnaire_get(*, scope: Scope, pk: object, lead: bool = False) -> Questionnaire:
    q: Questionnaire = _get(Questionnaire.objects.select_related(
        "theme__campaign__unit", "theme__lead_department"), pk)
    _check(permissions.can_read_campaign(scope, q.theme.campaign))
    if lead:
        _check(permissions.can_lead(scope, q.theme))
    return q


def questionnaire_for_member(*, scope: Scope, pk: object) -> Questionnaire:
    """A member survey the reader is asked (a cadre under one of its theme's units)."""
    from .services import member_unit

    q: Questionnaire = _get(Questionnaire.objects.select_related("theme__campaign__unit")
                            .filter(audience="members", state=QuestionnaireState.SENT), pk)
    _check(member_unit(scope, q) is not None)
    return q


def response_get(*, scope: Scope, pk: object, answer: bool = False) -> Response:
    r: Response = _get(Response.objects.select_related(
        "questionnaire__theme__campaign__unit", "questionnaire__theme__lead_department",
        "version", "unit", "obligation", "submitted_by"), pk)
    _check(permissions.can_read_response(scope, r))
    if answer:
        _check(permissions.can_answer(scope, r))
    return r


def response_file_get(*, scope: Scope, pk: object) -> ResponseFile:
    f: ResponseFile = _get(ResponseFile.objects.select_related(
        "response__questionnaire__theme__campaign__unit", "response__unit"), pk)
    _check(permissions.can_read_response(scope, f.response))
    return f


def campaigns_for(*, scope: Scope) -> QuerySet[Campaign]:
    return (Campaign.objects.filter(scope.q(READ, via="unit__")).select_related("unit")
            .order_by("-year", "name", "id"))


def my_responses(*, scope: Scope) -> QuerySet[Response]:
    """Answers the user's units owe (or gave): those they may write."""
    return (Response.objects.filter(scope.q(permissions.WRITE, via="unit__"))
            .select_related("questionnaire__theme", "unit", "obligation")
            .order_by("state", "questionnaire__theme__due_on", "unit__path"))


def my_member_surveys(*, scope: Scope) -> list[Questionnaire]:
    from .services import member_unit

    qs = (Questionnaire.objects.filter(audience="members", state=QuestionnaireState.SENT)
          .select_related("theme__campaign").prefetch_related("theme__units"))
    return [q for q in qs if member_unit(scope, q) is not None]


def unit_choices(*, scope: Scope, campaign: Campaign) -> QuerySet[Unit]:
    """Units a theme may survey: under the campaign's unit, standing, readable by the manager."""
    return (Unit.objects.filter(path__startswith=campaign.unit.path, dissolved_on__isnull=True)
            .exclude(pk=campaign.unit_id).filter(scope.q(READ)).select_related("kind")
            .order_by("path"))


@dataclass(frozen=True)
class CollectionRow:
    response: Response
    status: str  # on_time, late, missing, pending, draft
    label: str


def _status(r: Response, day: dt.date) -> tuple[str, str]:
    ob = r.obligation
    due = r.questionnaire.theme.due_on if ob is None else ob.due_on
    if r.state == ResponseState.SUBMITTED and r.submitted_on is not None:
        if r.submitted_on <= due:
            return "on_time", _("Đã nộp đúng hạn")
        return "late", _("Đã nộp muộn")
    if ob is not None and ob.status == ObligationStatus.WAIVED:
        return "waived", _("Được miễn")
    if day > due:
        return "missing", _("Chưa nộp, quá hạn")
    return "pending", _("Chưa nộp, còn hạn")


def collection(*, questionnaire: Questionnaire, day: dt.date) -> list[CollectionRow]:
    """Each surveyed unit's answer with its timeliness (HUB-6): on time, late, missing, not
    yet due. Submitted answers count by their day against the obligation's due date."""
    rows = []
    for r in (questionnaire.responses.select_related("unit", "obligation",
                                                     "questionnaire__theme")
              .order_by("unit__path")):
        status, label = _status(r, day)
        rows.append(CollectionRow(r, status, label))
    return rows


def collection_counts(rows: list[CollectionRow]) -> dict[str, int]:
    counts = {"on_time": 0, "late": 0, "missing": 0, "pending": 0, "waived": 0}
    for row in rows:
        counts[row.status] += 1
    counts["total"] = len(rows)
    return counts


@dataclass
class Tabulation:
    questionnaire: Questionnaire
    questions: list[rules.Question]
    tables: list[tabulate.QuestionTable]
    answered: int
    by_child: list[tuple[str, int]]  # answers per child unit of the campaign's unit
    # per choice question (by code): its counts per option, per child unit
    choices_by_child: dict[str, list[tuple[str, list[int]]]]
    # per choice question (by code): cross-tabulated by the answering unit's level, sector
    by_level: dict[str, list[tabulate.CrossRow]] = field(default_factory=dict)
    by_sector: dict[str, list[tabulate.CrossRow]] = field(default_factory=dict)


def _answer_rows(questionnaire: Questionnaire) -> list[tuple[int, dict[str, Any]]]:
    """(unit id, answers) of every submitted (or anonymous) answer, read lean: two columns as
    plain rows, the JSON decoded here — no model instances and no unit joined per row (the few
    units are read once by `_answers`)."""
    qs: QuerySet[Any]
    if questionnaire.anonymous:
        qs = AnonymousAnswer.objects.filter(questionnaire=questionnaire)
    else:
        qs = questionnaire.responses.filter(state=ResponseState.SUBMITTED)
    loads = json.loads
    return [(unit_id, loads(text)) for unit_id, text in
            qs.values_list("unit_id", Cast("answers", TextField())).iterator(chunk_size=5000)]


def _answers(questionnaire: Questionnaire) -> list[tuple[str, str, dict[str, Any]]]:
    """(unit name, unit path, answers) of every submitted (or anonymous) answer, by unit path."""
    rows = _answer_rows(questionnaire)
    units = {pk: (name, path) for pk, name, path in
             Unit.objects.filter(pk__in={u for u, _a in rows}).values_list("pk", "name", "path")}
    out = [(*units[u], a) for u, a in rows]
    out.sort(key=lambda r: r[1])
    return out


def _counted(questionnaire: Questionnaire, by_unit: Sequence[str]) -> tuple[
        list[tuple[int | None, str, Any, int]], dict[int, int]]:
    """PostgreSQL: the answers counted in the database — (unit id, question code, value, n)
    groups, the unit kept only for the questions in `by_unit` (choices, free text) — and the
    number of answers per unit. Rows returned: distinct values, not answers."""
    model: Any = AnonymousAnswer if questionnaire.anonymous else Response
    table = connection.ops.quote_name(model._meta.db_table)
    state = "" if questionnaire.anonymous else " AND a.state = %(state)s"
    params: dict[str, Any] = {"q": questionnaire.pk, "by_unit": list(by_unit),
              "state": ResponseState.SUBMITTED.value}
    loads = json.loads
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT CASE WHEN e.key = ANY(%(by_unit)s) THEN a.unit_id END, e.key, "
            f"e.value::text, count(*) FROM {table} a CROSS JOIN LATERAL jsonb_each(a.answers) e "
            f"WHERE a.questionnaire_id = %(q)s{state} GROUP BY 1, 2, 3", params)
        groups = [(u, code, loads(v), n) for u, code, v, n in cur.fetchall()]
        cur.execute(f"SELECT a.unit_id, count(*) FROM {table} a "
                    f"WHERE a.questionnaire_id = %(q)s{state} GROUP BY 1", params)
        per_unit = dict(cur.fetchall())
    return groups, per_unit


def tabulation(*, questionnaire: Questionnaire,
               unit_filter: Callable[[str], bool] | None = None) -> Tabulation:
    """Every question of the latest version tabulated over all answers (codes are kept across
    versions, so an old answer counts for the questions it shares), with answers per child of
    the campaign's unit (the roll-up up the tree). On PostgreSQL the database counts the
    answers by value (`_counted`) and the pure `tabulate_counted` reads the groups; elsewhere,
    or with a `unit_filter`, every answer is read as a plain row into the pure `tabulate`
    (the reference: tests/surveys/test_sur2_tabulation.py holds the two equal)."""
    from .services import current_version

    version = current_version(questionnaire)
    questions = rules.questions_of(version.questions)
    root = questionnaire.theme.campaign.unit
    children = [(u.name, u.path) for u in Unit.objects.filter(parent=root).order_by("path")]
    choice_codes = [q.code for q in questions if q.kind in rules.CHOICE_KINDS]
    if connection.vendor == "postgresql" and unit_filter is None:
        text_codes = [q.code for q in questions if q.kind in (rules.SHORT, rules.LONG)]
        groups, per_unit = _counted(questionnaire, choice_codes + text_codes)
        units = {pk: (name, path) for pk, name, path in Unit.objects.filter(
            pk__in=set(per_unit)).values_list("pk", "name", "path")}
        groups.sort(key=lambda g: units[g[0]][1] if g[0] is not None else "")
        tables = tabulate.tabulate_counted(
            questions, [(units[u][0] if u is not None else "", code, v, n)
                        for u, code, v, n in groups])
        counts: dict[str, int] = {}
        for u, n in per_unit.items():
            counts[units[u][1]] = counts.get(units[u][1], 0) + n
        answered = sum(per_unit.values())
        choice_values = {code: [(units[u][1], v, n) for u, c, v, n in groups
                                if c == code and u is not None] for code in choice_codes}
    else:
        rows = _answers(questionnaire)
        if unit_filter is not None:
            rows = [r for r in rows if unit_filter(r[1])]
        tables = tabulate.tabulate(questions, [(name, answers) for name, _path, answers in rows])
        counts = {}
        for _name, path, _a in rows:
            counts[path] = counts.get(path, 0) + 1
        answered = len(rows)
        choice_values = {code: [(path, a[code], 1) for _name, path, a in rows
                                if a.get(code) is not None] for code in choice_codes}
    by_child = [(n, c) for n, c in tabulate.rollup(counts, children) if c]
    by_unit: dict[str, list[tuple[str, list[int]]]] = {}
    by_level: dict[str, list[tabulate.CrossRow]] = {}
    by_sector: dict[str, list[tabulate.CrossRow]] = {}
    level, sector, levels = _unit_groups(set(counts))
    sectors = [str(label) for _v, label in Sector.choices]
    for question in questions:
        if (code := question.code) not in choice_codes:
            continue
        values = choice_values[code]
        by_unit[code] = tabulate.choices_by_unit_counted(question, values, children)
        by_level[code] = tabulate.crosstab(question, [(level[p], v, n) for p, v, n in values],
                                           levels)
        by_sector[code] = tabulate.crosstab(question, [(sector[p], v, n) for p, v, n in values],
                                            sectors)
    return Tabulation(questionnaire, questions, tables, answered, by_child, by_unit, by_level,
                      by_sector)


def _unit_groups(paths: set[str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """For the answering units (by path): their level's name, their sector's label (or "Chưa
    xếp khu vực"), and the level names from the top down."""
    level: dict[str, str] = {}
    sector: dict[str, str] = {}
    ranked: dict[str, int] = {}
    labels = dict(Sector.choices)
    for path, kind, rank, code in Unit.objects.filter(path__in=paths).values_list(
            "path", "kind__name", "kind__level", "sector"):
        level[path] = kind
        ranked[kind] = rank
        sector[path] = str(labels[code]) if code in labels else _("Chưa xếp khu vực")
    return level, sector, sorted(ranked, key=lambda k: (ranked[k], k))


def raw_rows(*, questionnaire: Questionnaire) -> list[tuple[str, dict[str, Any]]]:
    return [(name, answers) for name, _path, answers in _answers(questionnaire)]


def done_q() -> Q:
    return Q(obligation__status__in=DONE_STATUSES)
