"""EMU-3, EMU-4: a rubric's classification and ranking, computed from the stored sheets into a
snapshot (bảng xếp hạng) that is published and then never changed.

`ranking_compute` reads every sheet of the rubric with its lines and entries in a fixed number
of queries (none per sheet), builds the rules' objects the way `scoring.rules_sheet` does, and
lets `rules.evaluate` answer; the entries are written in one bulk insert and one bulk audit
step. A recompute makes a new snapshot; a published one stays as it was (EMU-7 appeals read
it), pointed to the later one by `superseded_by`. `snapshot_reproduces` recomputes from the
stored sheets and compares.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.audit.context import acting
from doanvu.audit.services import BulkRow, record_bulk
from doanvu.common.errors import ApplicationError
from doanvu.common.typing import Actor

from . import permissions, rules, scoring
from .models import (
    Criterion,
    LineSource,
    RankingEntry,
    RankingSnapshot,
    Rubric,
    RubricState,
    ScoreLine,
    ScoreSheet,
    ScoringMethod,
    SheetEntry,
    SheetState,
    SnapshotState,
)

NAMES_SHOWN = 10  # how many units a refusal names before "and N more" (display only)


class RankingError(ApplicationError):
    """A ranking that cannot be computed or published (Vietnamese)."""


def reason_text(reasons: tuple[rules.TierReason, ...]) -> str:
    """Why a unit has its tier, as cadres read it."""
    texts = {
        rules.TierReason.THRESHOLD: _("Theo điểm cuối cùng"),
        rules.TierReason.DISQUALIFIER: _("Hạ bậc do vi phạm điều kiện loại trừ"),
        rules.TierReason.CAP: _("Hạ bậc do vượt tỷ lệ tối đa của xếp loại"),
    }
    return "; ".join(str(texts[rules.TierReason(r)]) for r in reasons)


@dataclass(frozen=True)
class Row:
    """One unit's computed line, before it is stored."""

    unit_id: int
    total: Decimal
    criteria_total: Decimal
    bonus: Decimal
    penalty: Decimal
    rank: int
    position: int
    tier_code: str
    reasons: str


def _entries(rubric: Rubric) -> dict[int, list[rules.Entry]]:
    """Sheet id → its bonus and penalty entries (few: read as they are)."""
    entries: dict[int, list[rules.Entry]] = {}
    for sheet_id, code, points, count, reason in (
            SheetEntry.objects.filter(sheet__rubric=rubric).order_by("at", "id")
            .values_list("sheet_id", "item__code", "item__points", "count", "reason")):
        entries.setdefault(sheet_id, []).append(
            rules.Entry(item=code, points=count * points, reason=reason))
    return entries


def rules_sheets(rubric: Rubric, *, sheet_ids: Collection[int] | None = None,
                 sheets: list[tuple[int, int, list[str]]] | None = None,
                 criteria: dict[int, tuple[str, str]] | None = None,
                 entries: dict[int, list[rules.Entry]] | None = None,
                 without: frozenset[int] = frozenset()) -> list[rules.Sheet]:
    """Every sheet of the rubric (or those of `sheet_ids`) as the rules read it
    (`scoring.rules_sheet`), in four queries whatever the number of sheets (fewer when the
    caller has read the sheets, the criteria — id → code, method — or the entries);
    `without`: score lines left out (the appeal adjustments made after a snapshot, when it is
    reproduced)."""
    if sheets is None:
        sheets = _sheet_rows(rubric)
    if sheet_ids is not None:
        sheets = [row for row in sheets if row[0] in sheet_ids]
    if criteria is None:
        criteria = {pk: (code, method) for pk, code, method in Criterion.objects.filter(
            area__rubric=rubric).values_list("id", "code", "method")}
    own: dict[int, dict[str, rules.Raw | None]] = {pk: {} for pk, _u, _f in sheets}
    imported: dict[int, dict[str, rules.Raw | None]] = {pk: {} for pk, _u, _f in sheets}
    department: dict[int, dict[str, rules.Raw | None]] = {pk: {} for pk, _u, _f in sheets}
    adjustments: dict[int, list[rules.Adjustment]] = {pk: [] for pk, _u, _f in sheets}
    target = {LineSource.SELF.value: own, LineSource.IMPORTED.value: imported,
              LineSource.DEPARTMENT.value: department}
    raw_value = scoring.raw_value
    lines = ScoreLine.objects.filter(sheet__rubric=rubric)
    if sheet_ids is not None and len(sheet_ids) <= _FEW:
        lines = lines.filter(sheet_id__in=sorted(sheet_ids))
    if without:
        lines = lines.exclude(pk__in=without)
    # the later line of a source wins, as `SheetData.current` reads them (by at, id)
    for sheet_id, criterion_id, source, raw, points, reason in (
            lines.order_by("at", "id")
            .values_list("sheet_id", "criterion_id", "source", "raw", "points", "reason")
            .iterator(chunk_size=5000)):
        if sheet_id not in own:
            continue
        code, method = criteria[criterion_id]
        if source == LineSource.ADJUSTMENT:
            adjustments[sheet_id].append(rules.Adjustment(criterion=code, delta=points,
                                                          reason=reason))
        else:
            target[source][sheet_id][code] = raw_value(method, raw)
    if entries is None:
        entries = _entries(rubric)
    group = str(rubric.group_id)
    out = []
    for pk, unit_id, flags in sheets:
        scores = imported[pk]
        scores.update(department[pk])
        out.append(rules.Sheet(unit_id=unit_id, unit_code=str(unit_id), group=group,
                               self_scores=own[pk], department_scores=scores,
                               entries=tuple(entries.get(pk, ())),
                               adjustments=tuple(adjustments[pk]),
                               flags=frozenset(flags or ())))
    return out


# -- the PERF-3 recompute: the database scores and sums the criteria ------------------------------

_FEW = 500  # sheets read back line by line with an IN list; more: every line, filtered here


def _points_sql(criteria: list[tuple[int, str, Decimal, Decimal | None]], raw: str,
                least: str) -> str:
    """The points a valid stored raw value (not NULL) of one of `criteria` (id, method, max,
    points per item) earns, as `rules._points` gives them: the value; yes → max; count ×
    points per item up to max; max × % / 100 rounded half up to hundredths (in whole
    hundredths, so exact). The criterion's numbers are written into the query, which reads
    no criterion row: a CASE on the line's criterion id where the methods differ."""
    def one(method: str, max_points: Decimal, per_item: Decimal | None) -> str:
        if method == ScoringMethod.POINTS:
            return raw
        if method == ScoringMethod.YES_NO:
            return f"CASE WHEN {raw} = 1 THEN {max_points:f} ELSE 0 END"
        if method == ScoringMethod.COUNT:
            return f"{least}({raw} * {per_item:f}, {max_points:f})"
        return (f"({int(max_points * 100)} * CAST(ROUND({raw} * 100) AS BIGINT) + 5000) "
                f"/ 10000 / 100.0")

    plain = [pk for pk, method, _m, _p in criteria if method == ScoringMethod.POINTS]
    others = [c for c in criteria if c[1] != ScoringMethod.POINTS]
    if not others:
        return raw
    whens = ([f"WHEN l.criterion_id IN ({_ids(plain)}) THEN {raw}"] if plain else []) + [
        f"WHEN l.criterion_id = {int(pk)} THEN {one(method, max_points, per_item)}"
        for pk, method, max_points, per_item in others]
    return f"CASE {' '.join(whens)} END"


def _ids(pks: Iterable[int]) -> str:
    return ", ".join(str(int(pk)) for pk in pks)


def _refused_sql(criteria: list[tuple[int, str, Decimal, Decimal | None]]) -> str:
    """A condition on a score line `l` true when its raw value is one `rules._points` refuses
    (negative; over the max; neither 0 nor 1; not whole; over 100 %), the numbers of
    `criteria` (all the rubric's) written into the query: the raw value is compared first,
    the criterion id only then (not at all when every criterion has the same bound)."""
    by_bound: dict[tuple[str, Decimal | None], list[int]] = {}
    for pk, method, max_points, _p in criteria:
        key = (method, max_points if method == ScoringMethod.POINTS else None)
        by_bound.setdefault(key, []).append(pk)
    tests = ["l.raw < 0"]
    for (method, bound), pks in by_bound.items():
        if method == ScoringMethod.POINTS:
            test = f"l.raw > {bound:f}"
        elif method == ScoringMethod.YES_NO:
            test = "l.raw <> 0 AND l.raw <> 1"
        elif method == ScoringMethod.COUNT:
            test = "l.raw <> ROUND(l.raw)"
        else:
            test = "l.raw > 100"
        tests.append(f"({test})" if len(pks) == len(criteria)
                     else f"({test} AND l.criterion_id IN ({_ids(pks)}))")
    return " OR ".join(tests)


def _subtotals_sql(vendor: str, areas: list[list[tuple[int, str, Decimal, Decimal | None]]],
                   tie_criteria: list[tuple[int, str, Decimal, Decimal | None]]) -> str:
    """One query grouped by sheet (a UNION ALL of two: a sheet has one or two rows), each
    part reading a rubric's score lines once in sheet order with no subquery per line and no
    join with the criteria (their numbers are written into the query: `_points_sql`), so
    PostgreSQL aggregates in parallel: per work area (criteria: id, method, max, points per
    item) and per tie-break criterion, points in whole hundredths, then a count.

    The first part sums the self-scores, and counts the adjustment lines and the raw values
    the rules would refuse (of any source): such sheets are left to the rules
    (`results_by_sql`). The second corrects it where the source rule of `rules_sheets` +
    `rules.final_score` picks another line: a department line with a value replaces the
    self-score; so does an imported line with a value when the criterion has no department
    line (a department line without a value falls back to the self-score); it adds its points
    and takes off the self line's. Lines without a value count for nothing."""
    least = "MIN" if vendor == "sqlite" else "LEAST"
    line, sheet = ScoreLine._meta.db_table, ScoreSheet._meta.db_table
    src = {s: f"'{s.value}'" for s in LineSource}
    of_rubric = f"l.sheet_id IN (SELECT id FROM {sheet} WHERE rubric_id = %s)"
    groups = [*areas, *([c] for c in tie_criteria)]

    every = [c for area in areas for c in area]
    n_every = len({pk for pk, *_r in every})

    def of_group(group: list[tuple[int, str, Decimal, Decimal | None]]) -> str:
        # every criterion of the rubric (one work area): every line is one of them
        pks = {pk for pk, *_r in group}
        return "" if len(pks) == n_every else f"l.criterion_id IN ({_ids(sorted(pks))})"

    def summed(points: Callable[[list[tuple[int, str, Decimal, Decimal | None]]], str],
               when: str = "") -> list[str]:
        out = []
        for group in groups:
            if not group:
                out.append("0")
                continue
            condition = " AND ".join(c for c in (of_group(group), when) if c)
            where = f" FILTER (WHERE {condition})" if condition else ""
            out.append(f"COALESCE(CAST(ROUND(SUM({points(group)}){where} * 100) AS BIGINT), 0)")
        return out

    own = summed(lambda group: _points_sql(group, "l.raw", least),
                 f"l.source = {src[LineSource.SELF]}")
    selves = (f"SELECT l.sheet_id, {', '.join(own)}, COUNT(*) FILTER (WHERE "
              f"l.source = {src[LineSource.ADJUSTMENT]} OR {_refused_sql(every)}) "
              f"FROM {line} l WHERE {of_rubric} "
              f"AND (l.raw IS NOT NULL OR l.source = {src[LineSource.ADJUSTMENT]}) "
              f"GROUP BY l.sheet_id")
    # `emulation_line_overrides`, a partial index, finds the department and imported lines

    def replacing(group: list[tuple[int, str, Decimal, Decimal | None]]) -> str:
        return (f"{_points_sql(group, 'l.raw', least)} - CASE WHEN o.raw IS NULL THEN 0 "
                f"ELSE {_points_sql(group, 'o.raw', least)} END")

    others = (f"SELECT l.sheet_id, {', '.join(summed(replacing))}, 0 "
              f"FROM {line} l "
              f"LEFT JOIN {line} o ON o.sheet_id = l.sheet_id "
              f"AND o.criterion_id = l.criterion_id AND o.source = {src[LineSource.SELF]} "
              f"WHERE l.source IN ({src[LineSource.DEPARTMENT]}, {src[LineSource.IMPORTED]}) "
              f"AND {of_rubric} AND l.raw IS NOT NULL "
              f"AND (l.source = {src[LineSource.DEPARTMENT]} OR NOT EXISTS ("
              f"SELECT 1 FROM {line} d WHERE d.sheet_id = l.sheet_id "
              f"AND d.criterion_id = l.criterion_id AND d.source = {src[LineSource.DEPARTMENT]}"
              f")) GROUP BY l.sheet_id")
    return f"{selves} UNION ALL {others}"


def results_by_sql(rubric: Rubric, data: rules.Rubric) -> list[rules.Result]:
    """`results_by_rules`, the same numbers (tested side by side on SQLite and PostgreSQL), the
    criteria scored and summed per work area by the database in one query: Python builds no
    object per score line. Sheets the query cannot answer — with inspection adjustments, or a
    value the rules refuse (so that the rules say why) — and rubrics ranking by the self-score
    total go the rules' way."""
    if data.needs_self_total or data.places != 2:  # stored values have two places
        return results_by_rules(rubric, data)
    criteria: dict[int, tuple[str, str]] = {}
    by_code: dict[str, tuple[int, str, Decimal, Decimal | None]] = {}
    areas: dict[str, list[tuple[int, str, Decimal, Decimal | None]]] = {}
    for pk, code, method, max_points, per_item, area_code in (
            Criterion.objects.filter(area__rubric=rubric).order_by("id").values_list(
                "id", "code", "method", "max_points", "unit_points", "area__code")):
        criteria[pk] = (code, method)
        by_code[code] = (pk, method, max_points, per_item)
        areas.setdefault(area_code, []).append(by_code[code])
    tie_codes = list(dict.fromkeys(tb.target for tb in data.tie_breaks
                                   if rules.TieKey(tb.key) is rules.TieKey.CRITERION))
    n_areas = len(data.area_codes)
    sql = _subtotals_sql(connection.vendor, [areas.get(code, []) for code in data.area_codes],
                         [by_code[c] for c in tie_codes])
    summed: dict[int, tuple[int, ...]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [rubric.pk, rubric.pk])
        for sheet_id, *numbers in cursor.fetchall():
            earlier = summed.get(sheet_id)
            summed[sheet_id] = tuple(numbers) if earlier is None else tuple(
                a + b for a, b in zip(earlier, numbers, strict=True))
    sheets = _sheet_rows(rubric)
    entries = _entries(rubric)
    decimals: dict[int, Decimal] = {}

    def dec(hundredths: int) -> Decimal:
        value = decimals.get(hundredths)
        if value is None:
            value = decimals[hundredths] = Decimal(hundredths).scaleb(-2)
        return value

    zeros = (0,) * (n_areas + len(tie_codes) + 1)
    group = str(rubric.group_id)
    by_rules: set[int] = set()
    plain: list[rules.Subtotals] = []
    no_flags: frozenset[str] = frozenset()
    no_points: dict[str, Decimal] = {}  # shared, read only: no criterion tie-break
    for pk, unit_id, flags in sheets:
        row = summed.get(pk, zeros)
        if row[-1]:  # adjustments or refused values
            by_rules.add(pk)
            continue
        plain.append(rules.Subtotals(
            unit_id, str(unit_id), group, [dec(v) for v in row[:n_areas]],
            {c: dec(v) for c, v in zip(tie_codes, row[n_areas:-1], strict=True)}
            if tie_codes else no_points,
            tuple(entries[pk]) if pk in entries else (),
            frozenset(flags) if flags else no_flags))
    results = rules.results_of_subtotals(data, plain)
    if not by_rules:
        return results
    results += rules.final_scores(data, rules_sheets(
        rubric, sheet_ids=by_rules, sheets=sheets, criteria=criteria, entries=entries))
    by_unit = {r.unit_id: r for r in results}
    return [by_unit[unit_id] for _pk, unit_id, _f in sheets]  # in sheet order, as the rules


def _sheet_rows(rubric: Rubric) -> list[tuple[int, int, list[str]]]:
    """(id, unit id, disqualifier flags) of each sheet, by id; the flags decoded once per
    distinct value (the ORM would decode ten thousand empty lists one by one)."""
    field = ScoreSheet._meta.get_field("flags")
    decoded: dict[object, list[str]] = {}
    out = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, unit_id, {field.column} FROM {ScoreSheet._meta.db_table} "
                       f"WHERE rubric_id = %s ORDER BY id", [rubric.pk])
        for pk, unit_id, flags in cursor.fetchall():
            if not isinstance(flags, list):  # text on SQLite, decoded by psycopg
                key = flags
                flags = decoded.get(key)
                if flags is None:
                    flags = decoded[key] = json.loads(key) if key else []
            out.append((pk, unit_id, flags))
    return out


def results_by_rules(rubric: Rubric, data: rules.Rubric, *,
                     without: frozenset[int] = frozenset()) -> list[rules.Result]:
    """Every sheet's result by the pure rules from its stored lines (`rules.final_scores`)."""
    return rules.final_scores(data, rules_sheets(rubric, without=without))


def compute_rows(rubric: Rubric, *, by_sql: bool = True,
                 without: frozenset[int] = frozenset()) -> list[Row]:
    """The rubric's ranking table from the stored sheets, in table order (not stored).
    `by_sql`: the criteria summed by the database (`results_by_sql`), else by the rules;
    `without`: score lines left out (then by the rules)."""
    return _compute(rubric, by_sql=by_sql, without=without)[1]


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: the recompute makes some hundred thousand objects
    (results, ranks, tier decisions, rows) with no reference cycle — reference counting frees
    them — and each collection the allocations would trigger walks every object of the
    process (a fifth of the recompute's time). Enabled again after, unless it was not."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _compute(rubric: Rubric, *, by_sql: bool = True, without: frozenset[int] = frozenset()
             ) -> tuple[rules.Rubric, list[Row]]:
    with _no_cycle_collection():
        return _compute_rows(rubric, by_sql=by_sql, without=without)


def _compute_rows(rubric: Rubric, *, by_sql: bool, without: frozenset[int]
                  ) -> tuple[rules.Rubric, list[Row]]:
    try:
        data = scoring.rules_rubric(rubric)
        # `rules.evaluate`, keeping the results for their criteria total, bonus and penalty
        results = (results_by_sql(rubric, data) if by_sql and not without
                   else results_by_rules(rubric, data, without=without))
        ranking = rules.rank(data, results)
        tiers = rules.classify(data, results, ranking)
    except rules.RuleError as exc:
        raise RankingError(exc.translated(_)) from exc
    by_id = {r.unit_id: r for r in results}
    texts: dict[tuple[rules.TierReason, ...], str] = {}  # a few distinct reasons
    rows = []
    for unit_id, ranked in ranking.items():
        r, decision = by_id[unit_id], tiers[unit_id]
        text = texts.get(decision.reasons)
        if text is None:
            text = texts[decision.reasons] = reason_text(decision.reasons)
        rows.append(Row(unit_id, r.total, r.criteria_total, r.bonus, r.penalty, ranked.rank,
                        ranked.position, decision.tier, text))
    return data, rows


def _store_entries(snapshot: RankingSnapshot, rows: list[Row], tiers: dict[str, str]
                   ) -> dict[int, int]:
    """Insert the snapshot's entries with one `executemany` (the ORM's bulk_create prepares
    every field of ten thousand objects one by one); unit id → entry id."""
    meta = RankingEntry._meta
    names = ["snapshot", "unit", "total", "criteria_total", "bonus", "penalty", "rank",
             "position", "tier_code", "tier_name", "tier_reasons"]
    columns = ", ".join(str(meta.get_field(n).column) for n in names)  # type: ignore[union-attr]
    ops = connection.ops
    decimals: dict[Decimal, Any] = {}

    def number(value: Decimal) -> Any:  # as the field would store it (9 digits, 2 places)
        stored = decimals.get(value)
        if stored is None:
            stored = decimals[value] = ops.adapt_decimalfield_value(value, 9, 2)
        return stored

    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})",
            [(snapshot.pk, r.unit_id, number(r.total), number(r.criteria_total),
              number(r.bonus), number(r.penalty), r.rank, r.position, r.tier_code,
              tiers.get(r.tier_code, r.tier_code), r.reasons) for r in rows])
    return dict(RankingEntry.objects.filter(snapshot=snapshot).values_list("unit_id", "id"))


@transaction.atomic
def ranking_compute(*, actor: Actor | None, rubric: Rubric, note: str = "",
                    at: dt.datetime | None = None) -> RankingSnapshot:
    """A draft snapshot of the rubric's classification and ranking from its stored sheets."""
    permissions.require(actor, rubric.issuing_unit, permissions.can_freeze)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if rubric.state == RubricState.DRAFT:
        raise RankingError(_("Thang điểm chưa mở chấm điểm: chưa có phiếu để xếp hạng."))
    data, rows = _compute(rubric)
    if not rows:
        raise RankingError(_("Thang điểm chưa có phiếu chấm điểm nào để xếp hạng."))
    tiers = {t.code: t.label for t in data.tiers}  # the tier's name (`scoring.rules_rubric`)
    by_id = getattr(actor, "pk", None)
    with acting(actor):
        snapshot = RankingSnapshot.objects.create(
            rubric=rubric, computed_at=at or timezone.now(), computed_by_id=by_id,
            note=(note or "").strip())
    ids = _store_entries(snapshot, rows, tiers)
    record_bulk(model=RankingEntry,
                rows=[BulkRow(str(ids[r.unit_id]), {}, {
                    "snapshot": snapshot.pk, "unit": r.unit_id, "total": r.total,
                    "rank": r.rank, "position": r.position, "tier": r.tier_code,
                    "reasons": r.reasons}, r.unit_id, "create") for r in rows],
                unit_id=rubric.issuing_unit_id, actor=actor,
                reason=_("Tính bảng xếp hạng thi đua"),
                description=_("Tính bảng xếp hạng “{name}” ({n} đơn vị)").format(
                    name=rubric.name, n=len(rows)),
                summary={"units": len(rows), "snapshot": snapshot.pk})
    return snapshot


@transaction.atomic
def ranking_publish(*, actor: Actor | None, snapshot: RankingSnapshot,
                    on: dt.date | None = None) -> RankingSnapshot:
    """Publish a draft snapshot; the earlier published one of the rubric is superseded by it
    and stays as it was."""
    rubric = snapshot.rubric
    permissions.require(actor, rubric.issuing_unit, permissions.can_freeze)
    snapshot = RankingSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    if snapshot.state != SnapshotState.DRAFT:
        raise RankingError(_("Bảng xếp hạng này đã công bố; muốn thay đổi hãy tính lại bảng "
                             "mới."))
    not_final = list(ScoreSheet.objects.filter(rubric=rubric).exclude(state=SheetState.FINAL)
                     .order_by("unit__name").values_list("unit__name", flat=True))
    if not_final:
        shown = ", ".join(not_final[:NAMES_SHOWN])
        more = len(not_final) - NAMES_SHOWN
        raise RankingError(
            _("Chưa công bố được: còn {n} đơn vị có phiếu chưa chính thức ({names}{more}). "
              "Chỉ công bố khi mọi phiếu của thang điểm đã chính thức.").format(
                n=len(not_final), names=shown,
                more=_(" và {k} đơn vị khác").format(k=more) if more > 0 else ""))
    with acting(actor):
        for earlier in RankingSnapshot.objects.select_for_update().filter(
                rubric=rubric, state=SnapshotState.PUBLISHED, superseded_by__isnull=True):
            earlier.superseded_by = snapshot
            earlier.save(update_fields=["superseded_by"])
        snapshot.state = SnapshotState.PUBLISHED
        snapshot.published_on = on or timezone.localdate()
        snapshot.published_by = actor if getattr(actor, "pk", None) else None  # type: ignore[assignment]
        snapshot.save(update_fields=["state", "published_on", "published_by"])
    return snapshot


def stored_rows(snapshot: RankingSnapshot) -> list[Row]:
    return [Row(e.unit_id, e.total, e.criteria_total, e.bonus, e.penalty, e.rank, e.position,
                e.tier_code, e.tier_reasons)
            for e in RankingEntry.objects.filter(snapshot=snapshot).order_by("position", "id")]


def later_appeal_lines(snapshot: RankingSnapshot) -> frozenset[int]:
    """The score lines appeals decided after the snapshot was computed added (EMU-7): the
    snapshot was made without them."""
    from .models import Appeal

    return frozenset(Appeal.objects.filter(
        snapshot__rubric_id=snapshot.rubric_id, line__isnull=False,
        decided_at__gt=snapshot.computed_at).values_list("line_id", flat=True))


def snapshot_reproduces(snapshot: RankingSnapshot) -> bool:
    """Whether recomputing from the stored sheets gives the snapshot's table exactly; the
    adjustments of appeals decided after it are left out, so a published snapshot an appeal
    superseded still reproduces."""
    fresh = sorted(compute_rows(snapshot.rubric, without=later_appeal_lines(snapshot)),
                   key=lambda r: (r.position, r.unit_id))
    return fresh == stored_rows(snapshot)
