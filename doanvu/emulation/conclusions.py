"""What the score sheets take from inspection conclusions (INS-6 → EMU-2, EMU-11).

Adjustments. Inspections sit below emulation and do not import it: a conclusion stores its
self-score adjustments with the criterion's code, and sends them through
`inspections.hooks.adjustments`. This module listens (connected in `apps.ready`):
`apply=False` (the draft is saved) checks the codes and the maxima against the rubric of the
unit's sheet of that year and writes nothing; `apply=True` (the conclusion is issued) writes
each item as a `ScoreLine(source=ADJUSTMENT)` linked to its item, so the unit sees each point's
origin and the conclusion it came from (EMU-10). The team head issuing the conclusion is
authorised by inspections; the sheet's own rules (open, not final; the adjusted score within
0 … the criterion's maximum) are asked here. A refusal raises and undoes the whole issue.

Carry-over (EMU-11). Last year's limitations of the unit's conclusions that its supervising
department has not marked remedied are penalty candidates on this year's sheet; the scorer
applies one as an ordinary penalty entry (`sheets.entry_add`) of a penalty item of the
rubric, linked to the limitation. Last year's shortcomings of the unit's own self-review left
open (`remediation.api.unremedied`) are listed beside them; a penalty for one is applied the
same way and linked to the shortcoming (`remediation_apply`, `SheetEntry.shortcoming`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.audit.context import acting
from doanvu.common.typing import Actor
from doanvu.inspections import selectors as inspection_selectors
from doanvu.inspections.hooks import AdjustmentRequest
from doanvu.remediation.api import unremedied

from . import rules, scoring
from . import sheets as svc
from .models import (
    Criterion,
    ItemKind,
    LineSource,
    RubricItem,
    ScoreLine,
    ScoreSheet,
    SheetEntry,
    SheetState,
)


def _sheet(req: AdjustmentRequest) -> ScoreSheet | None:
    return (ScoreSheet.objects.filter(unit=req.unit, year=req.year,
                                      rubric__issuing_unit=req.issuing_unit)
            .select_related("rubric", "unit").order_by("pk").first())


def _check(sheet: ScoreSheet, items: list[Any]) -> list[tuple[Any, Criterion]]:
    criteria = {c.code: c for c in Criterion.objects.filter(area__rubric_id=sheet.rubric_id)}
    out = []
    for n, item in enumerate(items, start=1):
        c = criteria.get(item.criterion_code)
        if c is None:
            raise svc.SheetError(_("Điều chỉnh dòng {n}: không có tiêu chí mã “{code}” trong "
                                   "thang điểm “{rubric}”.").format(
                                       n=n, code=item.criterion_code, rubric=sheet.rubric.name),
                                 field="adjustments")
        if abs(Decimal(item.points)) > c.max_points:
            raise svc.SheetError(_("Điều chỉnh dòng {n}: {points} điểm vượt quá điểm tối đa "
                                   "{max} của tiêu chí {code}.").format(
                                       n=n, points=rules.fmt(Decimal(item.points)),
                                       max=rules.fmt(c.max_points), code=c.code),
                                 field="adjustments")
        out.append((item, c))
    return out


def on_adjustments(sender: object, request: AdjustmentRequest, **kwargs: object) -> None:
    """The receiver of `inspections.hooks.adjustments`."""
    if request.apply:
        conclusion_adjustments_apply(request)
    else:
        sheet = _sheet(request)
        if sheet is not None:
            _check(sheet, list(request.items))


@transaction.atomic
def conclusion_adjustments_apply(req: AdjustmentRequest) -> list[ScoreLine]:
    """Write the issued conclusion's adjustments into the unit's sheet of the year, all or
    none."""
    found = _sheet(req)
    if found is None:
        raise svc.SheetError(_("Chưa có phiếu chấm điểm thi đua năm {year} của {unit}: chưa "
                               "thể ghi điều chỉnh điểm của kết luận.").format(
                                   year=req.year, unit=req.unit.name), field="adjustments")
    sheet = svc._lock(found)
    if sheet.is_final:
        raise svc.SheetError(_("Phiếu chấm điểm năm {year} của {unit} đã chính thức và đã khóa: "
                               "không ghi được điều chỉnh của kết luận.").format(
                                   year=req.year, unit=req.unit.name), field="adjustments")
    svc._require_open(sheet)
    checked = _check(sheet, list(req.items))
    document = getattr(req.conclusion, "document", None)
    symbol = getattr(document, "symbol", "") or ""
    now = timezone.now()
    made = []
    with acting(req.actor, reason=_("Điều chỉnh theo kết luận kiểm tra {symbol}").format(
            symbol=symbol).strip()):
        for item, c in checked:
            made.append(ScoreLine.objects.create(
                sheet=sheet, criterion=c, source=LineSource.ADJUSTMENT, raw=None,
                points=item.points, reason=item.reason, inspection_item=item,
                by_id=svc._by_id(req.actor), at=now))
        try:
            scoring.sheet_result(sheet)
        except rules.RuleError as exc:
            raise svc.SheetError(_("Điều chỉnh của kết luận: {why}").format(
                why=svc._rule_message(exc)), field="adjustments") from None
        svc._advance(sheet, SheetState.INSPECTED)
        svc._bump(sheet, "state")
    return made


# -- carry-over (EMU-11) ---------------------------------------------------------------------------


@dataclass
class Candidate:
    limitation: Any  # inspections.Limitation
    entries: list[SheetEntry]


def carryover_candidates(*, sheet: ScoreSheet) -> list[Candidate]:
    """Last year's limitations of the sheet's unit left unremedied, each with the penalty
    entries already made for it on this sheet."""
    limitations = inspection_selectors.unremedied_limitations(unit=sheet.unit,
                                                              year=sheet.year - 1)
    entries: dict[int, list[SheetEntry]] = {}
    for e in SheetEntry.objects.filter(sheet=sheet, limitation__isnull=False).select_related(
            "item"):
        entries.setdefault(e.limitation_id or 0, []).append(e)
    return [Candidate(x, entries.get(x.pk, [])) for x in limitations]


def remediation_candidates(*, sheet: ScoreSheet) -> list[Any]:
    """Last year's shortcomings of the unit's own self-review (kiểm điểm tập thể) not closed
    by the end of that year, read through `remediation.api`: shown beside the limitations as
    penalty candidates; the scorer applies one as an ordinary penalty entry."""
    return unremedied(sheet.unit, sheet.year - 1)


def remediation_entries(*, sheet: ScoreSheet) -> dict[int, list[SheetEntry]]:
    """The penalty entries of the sheet linked to a shortcoming, by the shortcoming's id."""
    entries: dict[int, list[SheetEntry]] = {}
    for e in SheetEntry.objects.filter(sheet=sheet, shortcoming__isnull=False).select_related(
            "item"):
        entries.setdefault(e.shortcoming_id or 0, []).append(e)
    return entries


@transaction.atomic
def remediation_apply(*, actor: Actor | None, sheet: ScoreSheet, shortcoming_id: object,
                      item: RubricItem, reason: str, count: int = 1) -> SheetEntry:
    """A penalty entry of `item` on `sheet` for a shortcoming of the unit's self-review of last
    year left open by the end of that year (`remediation.api.unremedied`), linked to it, through
    `sheets.entry_add` (same checks: who may enter, the sheet open, a reason)."""
    found = next((s for s in unremedied(sheet.unit, sheet.year - 1)
                  if str(s.pk) == str(shortcoming_id)), None)
    if found is None:
        raise svc.SheetError(_("Không có khuyết điểm năm {year} chưa khắc phục này của {unit}.")
                             .format(year=sheet.year - 1, unit=sheet.unit.name),
                             field="shortcoming")
    if item.kind != ItemKind.PENALTY or item.rubric_id != sheet.rubric_id:
        raise svc.SheetError(_("Hãy chọn một mục điểm trừ của thang điểm."), field="item")
    entry = svc.entry_add(actor=actor, sheet=sheet, item=item, count=count, reason=reason)
    entry.shortcoming = found
    with acting(actor, reason=entry.reason):
        entry.save(update_fields=["shortcoming"])
    return entry


def penalty_items(sheet: ScoreSheet) -> list[RubricItem]:
    return list(RubricItem.objects.filter(rubric_id=sheet.rubric_id, kind=ItemKind.PENALTY)
                .order_by("order", "id"))


@transaction.atomic
def carryover_apply(*, actor: Actor | None, sheet: ScoreSheet, limitation_id: object,
                    item: RubricItem, reason: str, count: int = 1) -> SheetEntry:
    """A penalty entry of `item` on `sheet` for an unremedied limitation of last year, through
    `sheets.entry_add` (same checks: who may enter, the sheet open, a reason)."""
    limitation = inspection_selectors.limitation_for(unit=sheet.unit, year=sheet.year - 1,
                                                     pk=limitation_id)
    if limitation is None:
        raise svc.SheetError(_("Không có tồn tại năm {year} chưa khắc phục này của {unit}.")
                             .format(year=sheet.year - 1, unit=sheet.unit.name),
                             field="limitation")
    if item.kind != ItemKind.PENALTY or item.rubric_id != sheet.rubric_id:
        raise svc.SheetError(_("Hãy chọn một mục điểm trừ của thang điểm."), field="item")
    entry = svc.entry_add(actor=actor, sheet=sheet, item=item, count=count, reason=reason)
    entry.limitation = limitation
    with acting(actor, reason=entry.reason):
        entry.save(update_fields=["limitation"])
    return entry
