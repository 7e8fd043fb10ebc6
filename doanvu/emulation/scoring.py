"""The adapter between the stored rubric and sheets (models) and the pure rules (`rules.py`).

The models keep the codes cadres see in the workbook; the rules have their own enums. Mapping:

- a criterion's method ``cham_diem`` / ``co_khong`` / ``so_lan`` / ``ty_le`` →
  `Method.POINTS` / `.YES_NO` / `.COUNT` (``unit_points`` → ``points_per_item``) / `.PERCENT`;
- an item's kind ``thuong`` / ``tru`` → `ItemKind.BONUS` / `.PENALTY`;
- a tie-break ``linh_vuc`` / ``tieu_chi`` / ``it_diem_tru`` / ``nhieu_diem_thuong`` →
  `TieBreak.area(ref)` / `.criterion(ref)` / `.fewer_penalty()` / `.more_bonus()`;
- a disqualifier's ``barred_tier`` → every tier at that rank or higher (rank 1 is the top);
- a tier's ``max_share`` → a `TierCap` of that tier (rounded down: the share is never exceeded);
- a bonus/penalty entry of ``count`` occurrences → `Entry.points = count × item.points`;
- a sheet's department score of a criterion is the department's own where given, else the
  imported component result (both are "department" scores for the rules); adjustments are
  `Adjustment`s, the sheet's recorded disqualifier codes its flags.

`sheet_result` gives the final score with the explanation (EMU-10): each line of the rules'
explanation joined back to the stored line it came from — who scored, when, why, evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from . import rules
from .models import (
    Criterion,
    FinalRule,
    ItemKind,
    LineSource,
    RubricDisqualifier,
    RubricItem,
    RubricTier,
    ScoreLine,
    ScoreSheet,
    ScoringMethod,
    SheetEntry,
    TieBreakKey,
    WorkArea,
)
from .models import Rubric as RubricModel

METHODS = {
    ScoringMethod.POINTS.value: rules.Method.POINTS,
    ScoringMethod.YES_NO.value: rules.Method.YES_NO,
    ScoringMethod.COUNT.value: rules.Method.COUNT,
    ScoringMethod.PERCENT.value: rules.Method.PERCENT,
}
ITEM_KINDS = {ItemKind.BONUS.value: rules.ItemKind.BONUS,
              ItemKind.PENALTY.value: rules.ItemKind.PENALTY}
FINAL_RULES = {FinalRule.DEPARTMENT_ELSE_SELF.value: rules.ScoreSource.DEPARTMENT_ELSE_SELF}


def _tie_break(step: dict[str, str]) -> rules.TieBreak:
    key, ref = step.get("key", ""), step.get("ref", "") or ""
    if key == TieBreakKey.AREA_TOTAL:
        return rules.TieBreak.area(ref)
    if key == TieBreakKey.CRITERION:
        return rules.TieBreak.criterion(ref)
    if key == TieBreakKey.FEWER_PENALTY:
        return rules.TieBreak.fewer_penalty()
    if key == TieBreakKey.MORE_BONUS:
        return rules.TieBreak.more_bonus()
    raise rules.RuleError(rules.gettext_noop("Không biết cách xét bằng điểm “{key}”."),
                          field="tie_breaks", key=key)


def rules_rubric(rubric: RubricModel) -> rules.Rubric:
    """The stored rubric as the rules read it (RuleError if its numbers contradict)."""
    areas = list(WorkArea.objects.filter(rubric=rubric).order_by("order", "id"))
    criteria = list(Criterion.objects.filter(area__rubric=rubric).select_related("area")
                    .order_by("area__order", "area_id", "order", "id"))
    items = list(RubricItem.objects.filter(rubric=rubric).order_by("kind", "order", "id"))
    tiers = list(RubricTier.objects.filter(rubric=rubric).order_by("rank"))
    disqualifiers = list(RubricDisqualifier.objects.filter(rubric=rubric)
                         .select_related("barred_tier").order_by("code"))
    return rules.Rubric(
        criteria=tuple(rules.Criterion(
            code=c.code, area=c.area.code, max_points=c.max_points, method=METHODS[c.method],
            points_per_item=c.unit_points if c.method == ScoringMethod.COUNT else None,
            label=c.title, department=str(c.department_id or "")) for c in criteria),
        areas=tuple(rules.WorkArea(code=a.code, label=a.title) for a in areas),
        items=tuple(rules.Item(code=i.code, kind=ITEM_KINDS[i.kind], cap=i.cap, label=i.title)
                    for i in items),
        tiers=tuple(rules.Tier(code=t.code, min_score=t.min_score, label=t.name)
                    for t in tiers),
        caps=tuple(rules.TierCap(tier=t.code, max_percent=t.max_share)
                   for t in tiers if t.max_share is not None),
        disqualifiers=tuple(rules.Disqualifier(
            code=d.code, label=d.label,
            barred_tiers=frozenset(t.code for t in tiers if t.rank <= d.barred_tier.rank))
            for d in disqualifiers),
        tie_breaks=tuple(_tie_break(step) for step in rubric.tie_breaks or []),
        bonus_cap=rubric.bonus_cap,
        penalty_cap=rubric.penalty_cap,
        score_source=FINAL_RULES[rubric.final_rule],
    )


def raw_value(method: str, raw: Decimal | None) -> rules.Raw | None:
    """A stored raw value as the rules take it for `method` (yes/no a bool, a count an int)."""
    if raw is None:
        return None
    if method == ScoringMethod.YES_NO:
        return raw == 1 if raw in (0, 1) else raw
    if method == ScoringMethod.COUNT and raw == raw.to_integral_value():
        return int(raw)
    return raw


@dataclass
class SheetData:
    """A sheet's stored lines and entries, loaded once (what `rules_sheet` and the page read)."""

    sheet: ScoreSheet
    lines: list[ScoreLine]
    entries: list[SheetEntry]

    def current(self, source: str) -> dict[int, ScoreLine]:
        """Criterion id → the line of `source` (self, department or imported)."""
        return {ln.criterion_id: ln for ln in self.lines if ln.source == source}

    def adjustments(self) -> list[ScoreLine]:
        return [ln for ln in self.lines if ln.source == LineSource.ADJUSTMENT]


def sheet_data(sheet: ScoreSheet) -> SheetData:
    lines = list(ScoreLine.objects.filter(sheet=sheet)
                 .select_related("criterion", "by", "component",
                                 "inspection_item__conclusion__document")
                 .order_by("at", "id"))
    entries = list(SheetEntry.objects.filter(sheet=sheet).select_related("item", "by")
                   .order_by("at", "id"))
    return SheetData(sheet, lines, entries)


def rules_sheet(sheet: ScoreSheet, data: SheetData | None = None) -> rules.Sheet:
    """The stored sheet as the rules read it."""
    data = data or sheet_data(sheet)
    own = {ln.criterion.code: raw_value(ln.criterion.method, ln.raw)
           for ln in data.current(LineSource.SELF).values()}
    department = {ln.criterion.code: raw_value(ln.criterion.method, ln.raw)
                  for ln in data.current(LineSource.IMPORTED).values()}
    department.update({ln.criterion.code: raw_value(ln.criterion.method, ln.raw)
                       for ln in data.current(LineSource.DEPARTMENT).values()})
    return rules.Sheet(
        unit_id=sheet.unit_id,
        unit_code=str(sheet.unit_id),
        group=str(sheet.rubric.group_id),
        self_scores=own,
        department_scores=department,
        entries=tuple(rules.Entry(item=e.item.code, points=e.count * e.item.points,
                                  reason=e.reason) for e in data.entries),
        adjustments=tuple(rules.Adjustment(criterion=ln.criterion.code, delta=ln.points,
                                           reason=ln.reason) for ln in data.adjustments()),
        flags=frozenset(sheet.flags or ()),
    )


# -- the explained result (EMU-10) ----------------------------------------------------------------


@dataclass
class Origin:
    """One line of the explanation as the unit reads it."""

    kind: str  # the label: "Đơn vị tự chấm", "Ban phụ trách chấm", "Điều chỉnh…", "Điểm thưởng"…
    code: str
    title: str
    points: Decimal
    by: str = ""
    at: datetime | None = None
    reason: str = ""
    evidence: str = ""
    source: str = ""  # LineSource value, or "thuong"/"tru"/"tran" for items and caps
    link: str = ""  # where the point came from: the inspection conclusion of an adjustment
    link_label: str = ""


@dataclass
class SheetResult:
    result: rules.Result
    origins: list[Origin] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.result.total


def _who(line: ScoreLine | SheetEntry) -> str:
    user = line.by
    if user is None:
        return _("Hệ thống")
    return str(getattr(user, "full_name", "") or user.get_username())


def conclusion_link(line: ScoreLine | None) -> tuple[str, str]:
    """The page and the label of the inspection conclusion an adjustment came from (INS-6)."""
    item = line.inspection_item if line is not None else None
    if item is None:
        return "", ""
    conclusion = item.conclusion
    document = conclusion.document
    label = (_("Kết luận kiểm tra số {symbol}").format(symbol=document.symbol)
             if document is not None else _("Kết luận kiểm tra"))
    return reverse("inspections:conclusion_detail", args=[conclusion.session_id]), label


def sheet_result(sheet: ScoreSheet, *, data: SheetData | None = None,
                 rubric: rules.Rubric | None = None) -> SheetResult:
    """The final score of the sheet with the origin of every point; the origins sum to it."""
    data = data or sheet_data(sheet)
    rubric = rubric or rules_rubric(sheet.rubric)
    result = rules.final_score(rubric, rules_sheet(sheet, data), explain=True)
    own = {ln.criterion.code: ln for ln in data.current(LineSource.SELF).values()}
    department = {ln.criterion.code: ln for ln in data.current(LineSource.IMPORTED).values()}
    department.update({ln.criterion.code: ln
                       for ln in data.current(LineSource.DEPARTMENT).values()})
    adjustments: dict[str, list[ScoreLine]] = {}
    for ln in data.adjustments():
        adjustments.setdefault(ln.criterion.code, []).append(ln)
    entries: dict[str, list[SheetEntry]] = {}
    for e in data.entries:
        entries.setdefault(e.item.code, []).append(e)
    titles = {c.code: c.label for c in rubric.criteria}
    titles.update({i.code: i.label for i in rubric.items})
    source_label = dict(LineSource.choices)

    origins: list[Origin] = []
    for line in result.lines:
        title = titles.get(line.code, "")
        if line.origin == rules.Origin.CRITERION:
            stored = (department.get(line.code) if line.source == rules.Source.DEPARTMENT
                      else own.get(line.code) if line.source == rules.Source.SELF else None)
            if stored is None:
                origins.append(Origin(_("Chưa chấm"), line.code, title, line.points))
                continue
            origins.append(Origin(str(source_label[stored.source]), line.code, title,
                                  line.points, _who(stored), stored.at, stored.reason,
                                  stored.evidence, stored.source))
        elif line.origin == rules.Origin.ADJUSTMENT:
            pending = adjustments.get(line.code, [])
            stored = pending.pop(0) if pending else None
            link, link_label = conclusion_link(stored)
            origins.append(Origin(str(source_label[LineSource.ADJUSTMENT]), line.code, title,
                                  line.points, _who(stored) if stored else "",
                                  stored.at if stored else None, line.note,
                                  source=LineSource.ADJUSTMENT, link=link,
                                  link_label=link_label))
        elif line.origin in (rules.Origin.BONUS, rules.Origin.PENALTY):
            kind = (_("Điểm thưởng") if line.origin == rules.Origin.BONUS else _("Điểm trừ"))
            made = entries.get(line.code, [])
            entry = made.pop(0) if made else None
            origins.append(Origin(
                kind, line.code, title, line.points, _who(entry) if entry else "",
                entry.at if entry else None, line.note,
                source="thuong" if line.origin == rules.Origin.BONUS else "tru"))
        elif line.origin == rules.Origin.WEIGHT:
            origins.append(Origin(_("Trọng số lĩnh vực"), line.code, "", line.points,
                                  source="tran"))
        else:
            if line.code:
                why = _("Vượt mức tối đa của mục")
            elif line.note == rules.ItemKind.BONUS:
                why = _("Vượt tổng điểm thưởng tối đa")
            elif line.note == rules.ItemKind.PENALTY:
                why = _("Vượt tổng điểm trừ tối đa")
            else:
                why = _("Điểm cuối cùng trong giới hạn của thang điểm")
            origins.append(Origin(_("Giới hạn của thang điểm"), line.code, title, line.points,
                                  reason=why, source="tran"))
    return SheetResult(result, origins)
