"""Reads of surveys, each given the reader's Scope (404 alike for missing and not yours)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.scope import READ, Scope
from doanvu.hub.models import DONE_STATUSES, ObligationStatus
from doanvu.members import api as members_api
from doanvu.org.models import Sector, Unit

from . import permissions, rules, tabulate
from .models import (
    AnonymousAnswer,
    Audience,
    Campaign,
    NamedAnswer,
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


def member_asked(scope: Scope, user: Any, q: Questionnaire) -> bool:
    """Is the reader asked this members' questionnaire? Anonymous: a cadre under one of its
    theme's units (a grant there). Named: the login's Person is a current member of a branch
    under one of them."""
    from .services import member_unit, surveyed_unit_of

    if not q.named:
        return member_unit(scope, q) is not None
    person = members_api.person_of_user(user)
    branch = members_api.current_branch(person) if person is not None else None
    return branch is not None and surveyed_unit_of(q, branch) is not None


def questionnaire_for_member(*, scope: Scope, user: Any, pk: object,
                             named: bool = False) -> Questionnaire:
    """A member survey the reader is asked (404 otherwise), anonymous or `named`."""
    q: Questionnaire = _get(Questionnaire.objects.select_related("theme__campaign__unit")
                            .filter(audience="members", state=QuestionnaireState.SENT,
                                    named=named), pk)
    _check(member_asked(scope, user, q))
    return q


ENTRY_BRANCHES_MAX = 200  # branches the paper-entry page lists


def entry_surveys(*, scope: Scope) -> list[Questionnaire]:
    """Sent members' questionnaires the reader may enter paper answers for."""
    qs = (Questionnaire.objects.filter(audience=Audience.MEMBERS, state=QuestionnaireState.SENT)
          .select_related("theme__campaign").order_by("-id")[:50])
    return [q for q in qs if entry_branches(scope=scope, questionnaire=q).exists()]


def own_named_answer(*, user: Any, questionnaire: Questionnaire) -> NamedAnswer | None:
    person = members_api.person_of_user(user)
    if person is None:
        return None
    return NamedAnswer.objects.filter(questionnaire=questionnaire, person=person).first()


def branch_person(*, members: Sequence[tuple[int, str]], pk: object) -> Any:
    """The picked member among the branch's listed ones (404 otherwise)."""
    from doanvu.org.models import Person

    _check(str(pk) in {str(m) for m, _n in members})
    return _get(Person.objects.all(), pk)


def paper_count(*, questionnaire: Questionnaire, branch: Unit) -> int:
    from .models import PaperTally

    return (PaperTally.objects.filter(questionnaire=questionnaire, branch=branch)
            .values_list("count", flat=True).first() or 0)


def entry_branches(*, scope: Scope, questionnaire: Questionnaire) -> QuerySet[Unit]:
    """The standing branches under the questionnaire's surveyed units the reader writes: where
    they may enter members' paper answers."""
    under = Q(pk__in=[])
    for path in questionnaire.theme.units.values_list("path", flat=True):
        under |= Q(path__startswith=path)
    return (Unit.objects.filter(under, kind__is_branch=True, dissolved_on__isnull=True)
            .filter(scope.q(permissions.WRITE)).order_by("path"))


def questionnaire_for_entry(*, scope: Scope, pk: object) -> Questionnaire:
    """A sent members' questionnaire the reader may enter paper answers for (a writer of a
    branch under one of its surveyed units); 404 otherwise."""
    q: Questionnaire = _get(Questionnaire.objects.select_related("theme__campaign__unit")
                            .filter(audience=Audience.MEMBERS,
                                    state=QuestionnaireState.SENT), pk)
    _check(entry_branches(scope=scope, questionnaire=q).exists())
    return q


def entry_branch_get(*, scope: Scope, questionnaire: Questionnaire, pk: object) -> Unit:
    return _get(entry_branches(scope=scope, questionnaire=questionnaire), pk)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class RateRow:
    unit: Unit
    members: int  # current members of the unit's subtree (maintained counts)
    answered: int

    @property
    def percent(self) -> str:
        tenths = round(1000 * self.answered / self.members) if self.members else 0
        return tabulate.percent_text(tenths)


def member_rates(*, scope: Scope, questionnaire: Questionnaire) -> list[RateRow]:
    """A members' questionnaire: per surveyed unit, how many answered against its current
    members (members.api.member_counts, as far as the reader reads them)."""
    model: Any = NamedAnswer if questionnaire.named else AnonymousAnswer
    answered = dict(model.objects.filter(questionnaire=questionnaire).values_list("unit_id")
                    .annotate(n=Count("pk")).values_list("unit_id", "n"))
    units = list(questionnaire.theme.units.order_by("path"))
    counts = members_api.member_counts(scope=scope, units=units, status=None)
    return [RateRow(u, counts.get(u.pk, 0), answered.get(u.pk, 0)) for u in units]


@dataclass(frozen=True)
class NamedRow:
    answer: NamedAnswer
    name: str  # the person's name, or "" when the reader may not read the person


def named_rows(*, scope: Scope, questionnaire: Questionnaire,
               branch: Unit | None = None) -> list[NamedRow]:
    """Who answered a named questionnaire (of one branch when given), the name shown only for
    persons the reader reads (members' person-level scope)."""
    qs = NamedAnswer.objects.filter(questionnaire=questionnaire).select_related(
        "person", "branch", "unit", "entered_by")
    if branch is not None:
        qs = qs.filter(branch=branch)
    rows = list(qs.order_by("branch__path", "person__name_folded", "id"))
    readable = members_api.readable_person_ids(scope=scope,
                                               person_ids=[a.person_id for a in rows])
    return [NamedRow(a, a.person.full_name if a.person_id in readable else "") for a in rows]


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


def questionnaires_for(*, scope: Scope, campaign_id: int | None = None, state: str = "",
                       audience: str = "") -> QuerySet[Questionnaire]:
    """The questionnaires of the campaigns the scope reads (as `questionnaire_get` reads one),
    of one campaign, state or audience when given (the JSON API, issue 16)."""
    qs = Questionnaire.objects.filter(scope.q(READ, via="theme__campaign__unit__"))
    if campaign_id is not None:
        qs = qs.filter(theme__campaign_id=campaign_id)
    if state:
        qs = qs.filter(state=state)
    if audience:
        qs = qs.filter(audience=audience)
    return qs.select_related("theme__campaign__unit", "theme__lead_department")


def my_responses(*, scope: Scope) -> QuerySet[Response]:
    """Answers the user's units owe (or gave): those they may write."""
    return (Response.objects.filter(scope.q(permissions.WRITE, via="unit__"))
            .select_related("questionnaire__theme", "unit", "obligation")
            .order_by("state", "questionnaire__theme__due_on", "unit__path"))


def my_member_surveys(*, scope: Scope, user: Any = None) -> list[Questionnaire]:
    from .services import member_unit

    qs = (Questionnaire.objects.filter(audience="members", state=QuestionnaireState.SENT)
          .select_related("theme__campaign").prefetch_related("theme__units"))
    out = [q for q in qs if not q.named and member_unit(scope, q) is not None]
    named = [q for q in qs if q.named]
    if named:
        person = members_api.person_of_user(user)
        branch = members_api.current_branch(person) if person is not None else None
        if branch is not None:
            out += [q for q in named
                    if any(branch.path.startswith(u.path) for u in q.theme.units.all())]
    return out


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
    # per scale or number question (by code): count, mean, min, max per level, per sector
    numbers_by_level: dict[str, list[tabulate.NumberRow]] = field(default_factory=dict)
    numbers_by_sector: dict[str, list[tabulate.NumberRow]] = field(default_factory=dict)
    # per free-text question (by code), when paged: (page shown, pages) — its table's `texts`
    # then hold that page only, its `answered` all of them
    text_pages: dict[str, tuple[int, int]] = field(default_factory=dict)


def _answer_rows(questionnaire: Questionnaire) -> list[tuple[int, dict[str, Any]]]:
    """(unit id, answers) of every submitted (or anonymous) answer, read lean: two columns as
    plain rows, the JSON decoded here — no model instances and no unit joined per row (the few
    units are read once by `_answers`)."""
    qs: QuerySet[Any]
    if questionnaire.anonymous:
        qs = AnonymousAnswer.objects.filter(questionnaire=questionnaire)
    elif questionnaire.named_members:
        qs = NamedAnswer.objects.filter(questionnaire=questionnaire)
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


def _answer_model(questionnaire: Questionnaire) -> Any:
    return (AnonymousAnswer if questionnaire.anonymous
            else NamedAnswer if questionnaire.named_members else Response)


def _counted(questionnaire: Questionnaire, codes: Sequence[str], by_unit: Sequence[str],
             numbers: Sequence[str]) -> tuple[list[tuple[int | None, str, Any, int]],
                                               list[tuple[int, str, int, Any, Any, Any]],
                                               dict[int, int]]:
    """PostgreSQL: the answers counted in the database, in one pass over them — the
    (unit id, question code, value, n) groups of the questions `codes`, the unit kept only for
    the questions in `by_unit` (choices, free text); in the same query (a second grouping set)
    the `numbers` questions' answers summed per unit — (unit id, code, count, total, minimum,
    maximum), for the cross-tabulation by level and sector — and, by a second small query, the
    number of answers per unit. Rows returned: distinct values, not answers. The codes are
    unnested from the list (not `jsonb_each`), so the planner knows how many rows each answer
    gives and aggregates both grouping sets by hashing."""
    model = _answer_model(questionnaire)
    table = connection.ops.quote_name(model._meta.db_table)
    state = "" if model is not Response else " AND a.state = %(state)s"
    params: dict[str, Any] = {"q": questionnaire.pk, "codes": list(codes),
                              "by_unit": list(by_unit), "numbers": list(numbers),
                              "state": ResponseState.SUBMITTED.value}
    loads = json.loads
    groups: list[tuple[int | None, str, Any, int]] = []
    parts: list[tuple[int, str, int, Any, Any, Any]] = []
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT GROUPING(a.unit_id), CASE WHEN k.key = ANY(%(by_unit)s) THEN a.unit_id END, "
            f"a.unit_id, k.key, e.value::text, count(*), count(v.n), sum(v.n), min(v.n), "
            f"max(v.n) FROM {table} a CROSS JOIN unnest(%(codes)s::text[]) AS k(key) "
            f"CROSS JOIN LATERAL (SELECT a.answers -> k.key AS value) e "
            f"CROSS JOIN LATERAL (SELECT CASE WHEN k.key = ANY(%(numbers)s) "
            f"AND jsonb_typeof(e.value) IN ('number', 'string') AND e.value #>> '{{}}' <> '' "
            f"THEN (e.value #>> '{{}}')::numeric END AS n) v "
            f"WHERE a.questionnaire_id = %(q)s{state} AND e.value IS NOT NULL "
            f"GROUP BY GROUPING SETS ((2, 4, 5), (3, 4)) "
            f"HAVING GROUPING(a.unit_id) = 1 OR (k.key = ANY(%(numbers)s) AND count(v.n) > 0)",
            params)
        for by_value, u, unit, code, v, n, nn, total, lo, hi in cur.fetchall():
            if by_value:
                groups.append((u, code, loads(v), n))
            else:
                parts.append((unit, code, nn, total, lo, hi))
        cur.execute(f"SELECT a.unit_id, count(*) FROM {table} a "
                    f"WHERE a.questionnaire_id = %(q)s{state} GROUP BY 1", params)
        per_unit = dict(cur.fetchall())
    return groups, parts, per_unit


def _text_page(questionnaire: Questionnaire, code: str, page: int,
               size: int) -> tuple[list[tuple[str, str]], int, int, int]:
    """PostgreSQL: one page of a free-text question's non-blank answers, by unit path —
    ((unit name, text) of that page, the page (out of range: the nearest), pages, how many) —
    the database returns that page only (LIMIT/OFFSET, the count by a window)."""
    model = _answer_model(questionnaire)
    table = connection.ops.quote_name(model._meta.db_table)
    state = "" if model is not Response else " AND a.state = %(state)s"
    params: dict[str, Any] = {"q": questionnaire.pk, "code": code, "size": size,
                              "state": ResponseState.SUBMITTED.value}
    sql = (f"SELECT u.name, a.answers ->> %(code)s, count(*) OVER () FROM {table} a "
           f"JOIN org_unit u ON u.id = a.unit_id WHERE a.questionnaire_id = %(q)s{state} "
           f"AND a.answers ? %(code)s AND (a.answers ->> %(code)s) ~ '\\S' "
           f"ORDER BY u.path, a.id LIMIT %(size)s OFFSET %(offset)s")
    page = max(page, 1)
    with connection.cursor() as cur:
        cur.execute(sql, {**params, "offset": (page - 1) * size})
        rows = cur.fetchall()
        if not rows and page > 1:  # past the end: the last page
            cur.execute(f"SELECT count(*) FROM {table} a WHERE a.questionnaire_id = %(q)s"
                        f"{state} AND a.answers ? %(code)s "
                        f"AND (a.answers ->> %(code)s) ~ '\\S'", params)
            page = max(1, -(-cur.fetchone()[0] // size))
            cur.execute(sql, {**params, "offset": (page - 1) * size})
            rows = cur.fetchall()
    count = rows[0][2] if rows else 0
    return [(name, text) for name, text, _n in rows], page, max(1, -(-count // size)), count


def tabulation(*, questionnaire: Questionnaire,
               unit_filter: Callable[[str], bool] | None = None,
               text_page: Callable[[str], int] | None = None,
               texts_per_page: int = 50) -> Tabulation:
    """Every question of the latest version tabulated over all answers (codes are kept across
    versions, so an old answer counts for the questions it shares), with answers per child of
    the campaign's unit (the roll-up up the tree). On PostgreSQL the database counts the
    answers by value (`_counted`) and the pure `tabulate_counted` reads the groups; elsewhere,
    or with a `unit_filter`, every answer is read as a plain row into the pure `tabulate`
    (the reference: tests/surveys/test_sur2_tabulation.py holds the two equal). With
    `text_page` (code → page wanted), free-text questions keep one page of `texts_per_page`
    texts (`text_pages`); on PostgreSQL the database returns only that page (`_text_page`)."""
    from .services import current_version

    version = current_version(questionnaire)
    questions = rules.questions_of(version.questions)
    root = questionnaire.theme.campaign.unit
    children = [(u.name, u.path) for u in Unit.objects.filter(parent=root).order_by("path")]
    choice_codes = [q.code for q in questions if q.kind in rules.CHOICE_KINDS]
    number_codes = [q.code for q in questions if q.kind in (rules.SCALE, rules.NUMBER)]
    parts: list[tuple[str, str, int, Any, Any, Any]]  # (unit path, code, count, total, lo, hi)
    if connection.vendor == "postgresql" and unit_filter is None:
        text_codes = [q.code for q in questions if q.kind in (rules.SHORT, rules.LONG)]
        paged = text_codes if text_page is not None else []
        groups, number_parts, per_unit = _counted(
            questionnaire, [q.code for q in questions if q.code not in paged],
            choice_codes + text_codes, number_codes)
        unit_rows = list(Unit.objects.filter(pk__in=set(per_unit)).values_list(
            "pk", "name", "path", "kind__name", "kind__level", "sector"))
        units = {pk: (name, path) for pk, name, path, *_rest in unit_rows}
        level, sector, levels = _groups_of([r[2:] for r in unit_rows])
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
        parts = [(units[u][1], code, n, total, lo, hi)
                 for u, code, n, total, lo, hi in number_parts]
        text_pages: dict[str, tuple[int, int]] = {}
        for t in tables:
            if text_page is not None and t.question.code in paged:
                t.texts, page, pages, t.answered = _text_page(
                    questionnaire, t.question.code, text_page(t.question.code), texts_per_page)
                text_pages[t.question.code] = (page, pages)
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
        parts = [(path, code, n, total, lo, hi) for _name, path, a in rows
                 for code in number_codes
                 for _l, n, total, lo, hi in tabulate.number_parts([("", a.get(code), 1)])]
        level, sector, levels = _unit_groups(set(counts))
        text_pages = {}
        for t in tables:
            if text_page is not None and t.question.kind in (rules.SHORT, rules.LONG):
                t.texts, page, pages = tabulate.page_of(t.texts, text_page(t.question.code),
                                                        texts_per_page)
                text_pages[t.question.code] = (page, pages)
    by_child = [(n, c) for n, c in tabulate.rollup(counts, children) if c]
    by_unit: dict[str, list[tuple[str, list[int]]]] = {}
    by_level: dict[str, list[tabulate.CrossRow]] = {}
    by_sector: dict[str, list[tabulate.CrossRow]] = {}
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
    numbers_by_level: dict[str, list[tabulate.NumberRow]] = {}
    numbers_by_sector: dict[str, list[tabulate.NumberRow]] = {}
    for code in number_codes:
        mine = [(p, n, total, lo, hi) for p, c, n, total, lo, hi in parts if c == code]
        numbers_by_level[code] = tabulate.crosstab_numbers(
            [(level[p], n, total, lo, hi) for p, n, total, lo, hi in mine], levels)
        numbers_by_sector[code] = tabulate.crosstab_numbers(
            [(sector[p], n, total, lo, hi) for p, n, total, lo, hi in mine], sectors)
    return Tabulation(questionnaire, questions, tables, answered, by_child, by_unit, by_level,
                      by_sector, numbers_by_level, numbers_by_sector, text_pages)


def _unit_groups(paths: set[str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """For the answering units (by path): their level's name, their sector's label (or "Chưa
    xếp khu vực"), and the level names from the top down."""
    return _groups_of(Unit.objects.filter(path__in=paths).values_list(
        "path", "kind__name", "kind__level", "sector"))


def _groups_of(units: Iterable[Sequence[Any]]) -> tuple[dict[str, str], dict[str, str],
                                                         list[str]]:
    """`_unit_groups` of units already read: (path, kind name, kind level, sector) rows."""
    level: dict[str, str] = {}
    sector: dict[str, str] = {}
    ranked: dict[str, int] = {}
    labels = dict(Sector.choices)
    for path, kind, rank, code in units:
        level[path] = kind
        ranked[kind] = rank
        sector[path] = str(labels[code]) if code in labels else _("Chưa xếp khu vực")
    return level, sector, sorted(ranked, key=lambda k: (ranked[k], k))


def raw_rows(*, questionnaire: Questionnaire) -> list[tuple[str, dict[str, Any]]]:
    return [(name, answers) for name, _path, answers in _answers(questionnaire)]


def done_q() -> Q:
    return Q(obligation__status__in=DONE_STATUSES)
