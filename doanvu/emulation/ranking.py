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
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
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
    RubricItem,
    RubricState,
    RubricTier,
    ScoreLine,
    ScoreSheet,
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


def rules_sheets(rubric: Rubric, *, without: frozenset[int] = frozenset()
                 ) -> list[rules.Sheet]:
    """Every sheet of the rubric as the rules read it (`scoring.rules_sheet`), in three queries
    whatever the number of sheets; `without`: score lines left out (the appeal adjustments made
    after a snapshot, when it is reproduced)."""
    sheets = list(ScoreSheet.objects.filter(rubric=rubric).order_by("id")
                  .values_list("id", "unit_id", "flags"))
    criteria = {pk: (code, method) for pk, code, method in Criterion.objects.filter(
        area__rubric=rubric).values_list("id", "code", "method")}
    items = {pk: (code, points) for pk, code, points in RubricItem.objects.filter(
        rubric=rubric).values_list("id", "code", "points")}
    own: dict[int, dict[str, rules.Raw | None]] = {pk: {} for pk, _u, _f in sheets}
    imported: dict[int, dict[str, rules.Raw | None]] = {pk: {} for pk, _u, _f in sheets}
    department: dict[int, dict[str, rules.Raw | None]] = {pk: {} for pk, _u, _f in sheets}
    adjustments: dict[int, list[rules.Adjustment]] = {pk: [] for pk, _u, _f in sheets}
    target = {LineSource.SELF.value: own, LineSource.IMPORTED.value: imported,
              LineSource.DEPARTMENT.value: department}
    raw_value = scoring.raw_value
    # the later line of a source wins, as `SheetData.current` reads them (by at, id)
    lines = ScoreLine.objects.filter(sheet__rubric=rubric)
    if without:
        lines = lines.exclude(pk__in=without)
    for sheet_id, criterion_id, source, raw, points, reason in (
            lines.order_by("at", "id")
            .values_list("sheet_id", "criterion_id", "source", "raw", "points", "reason")
            .iterator(chunk_size=5000)):
        code, method = criteria[criterion_id]
        if source == LineSource.ADJUSTMENT:
            adjustments[sheet_id].append(rules.Adjustment(criterion=code, delta=points,
                                                          reason=reason))
        else:
            target[source][sheet_id][code] = raw_value(method, raw)
    entries: dict[int, list[rules.Entry]] = {pk: [] for pk, _u, _f in sheets}
    for sheet_id, item_id, count, reason in (
            SheetEntry.objects.filter(sheet__rubric=rubric).order_by("at", "id")
            .values_list("sheet_id", "item_id", "count", "reason")):
        code, points = items[item_id]
        entries[sheet_id].append(rules.Entry(item=code, points=count * points, reason=reason))
    group = str(rubric.group_id)
    out = []
    for pk, unit_id, flags in sheets:
        scores = imported[pk]
        scores.update(department[pk])
        out.append(rules.Sheet(unit_id=unit_id, unit_code=str(unit_id), group=group,
                               self_scores=own[pk], department_scores=scores,
                               entries=tuple(entries[pk]), adjustments=tuple(adjustments[pk]),
                               flags=frozenset(flags or ())))
    return out


def compute_rows(rubric: Rubric, *, without: frozenset[int] = frozenset()) -> list[Row]:
    """The rubric's ranking table from the stored sheets, in table order (not stored)."""
    try:
        data = scoring.rules_rubric(rubric)
        sheets = rules_sheets(rubric, without=without)
        # `rules.evaluate`, keeping the results for their criteria total, bonus and penalty
        results = rules.final_scores(data, sheets)
        ranking = rules.rank(data, results)
        tiers = rules.classify(data, results, ranking)
    except rules.RuleError as exc:
        raise RankingError(exc.translated(_)) from exc
    by_id = {r.unit_id: r for r in results}
    rows = []
    for unit_id, ranked in ranking.items():
        r, decision = by_id[unit_id], tiers[unit_id]
        rows.append(Row(unit_id, r.total, r.criteria_total, r.bonus, r.penalty, ranked.rank,
                        ranked.position, decision.tier, reason_text(decision.reasons)))
    return rows


def _snap(entry: RankingEntry) -> dict[str, object]:
    return {"snapshot": entry.snapshot_id, "unit": entry.unit_id, "total": entry.total,
            "rank": entry.rank, "position": entry.position, "tier": entry.tier_code,
            "reasons": entry.tier_reasons}


@transaction.atomic
def ranking_compute(*, actor: Actor | None, rubric: Rubric, note: str = "",
                    at: dt.datetime | None = None) -> RankingSnapshot:
    """A draft snapshot of the rubric's classification and ranking from its stored sheets."""
    permissions.require(actor, rubric.issuing_unit, permissions.can_freeze)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if rubric.state == RubricState.DRAFT:
        raise RankingError(_("Thang điểm chưa mở chấm điểm: chưa có phiếu để xếp hạng."))
    rows = compute_rows(rubric)
    if not rows:
        raise RankingError(_("Thang điểm chưa có phiếu chấm điểm nào để xếp hạng."))
    tiers = dict(RubricTier.objects.filter(rubric=rubric).values_list("code", "name"))
    by_id = getattr(actor, "pk", None)
    with acting(actor):
        snapshot = RankingSnapshot.objects.create(
            rubric=rubric, computed_at=at or timezone.now(), computed_by_id=by_id,
            note=(note or "").strip())
    entries = RankingEntry.objects.bulk_create([
        RankingEntry(snapshot=snapshot, unit_id=r.unit_id, total=r.total,
                     criteria_total=r.criteria_total, bonus=r.bonus, penalty=r.penalty,
                     rank=r.rank, position=r.position, tier_code=r.tier_code,
                     tier_name=tiers.get(r.tier_code, r.tier_code), tier_reasons=r.reasons)
        for r in rows], batch_size=2000)
    record_bulk(model=RankingEntry,
                rows=[BulkRow(str(e.pk), {}, _snap(e), e.unit_id, "create") for e in entries],
                unit_id=rubric.issuing_unit_id, actor=actor,
                reason=_("Tính bảng xếp hạng thi đua"),
                description=_("Tính bảng xếp hạng “{name}” ({n} đơn vị)").format(
                    name=rubric.name, n=len(entries)),
                summary={"units": len(entries), "snapshot": snapshot.pk})
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
