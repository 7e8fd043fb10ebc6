"""Reads of the emulation pages, always given a Scope: `<entity>_get` answers 404 alike for
missing and not yours (X-3)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.common.typing import UnitScope
from doanvu.org.models import Department, Unit

from . import permissions
from .models import (
    Appeal,
    Criterion,
    ItemKind,
    LineSource,
    RankingEntry,
    RankingSnapshot,
    Rubric,
    RubricDisqualifier,
    RubricItem,
    RubricState,
    RubricTier,
    ScoreLine,
    ScoreSheet,
    SectorGroup,
    SectorGroupMember,
    SheetEvidence,
    SheetState,
    WorkArea,
)

MAX_ID = 2**31


def _id(pk: object) -> int | None:
    try:
        n = int(str(pk))
    except (TypeError, ValueError):
        return None
    return n if 0 < n < MAX_ID else None


def rubric_find(*, scope: Scope, pk: object,
                allowed: Callable[[UnitScope, Unit], bool] = permissions.can_read) -> Rubric | None:
    rubric_id = _id(pk)
    if rubric_id is None:
        return None
    rubric = (Rubric.objects.select_related("issuing_unit", "group", "copied_from", "frozen_by")
              .filter(pk=rubric_id).first())
    if rubric is None or not allowed(scope, rubric.issuing_unit):
        return None
    return rubric


def rubric_get(*, scope: Scope, pk: object,
               allowed: Callable[[UnitScope, Unit], bool] = permissions.can_read) -> Rubric:
    """The rubric if the scope reaches its issuing unit as `allowed` says; 404 otherwise."""
    rubric = rubric_find(scope=scope, pk=pk, allowed=allowed)
    if rubric is None:
        raise Http404(_("Không tìm thấy thang điểm."))
    return rubric


def rubric_list(*, scope: Scope, unit: Unit) -> QuerySet[Rubric]:
    """The rubrics `unit` issued (the unit is reached already), newest year first."""
    rubrics = Rubric.objects.filter(issuing_unit=unit).select_related("group")
    return scope.filter(rubrics, via="issuing_unit__").order_by("-year", "group__order",
                                                                 "group__name")


def groups_of(*, unit: Unit) -> list[SectorGroup]:
    return list(SectorGroup.objects.filter(issuing_unit=unit).order_by("order", "name"))


def group_members(*, unit: Unit, year: int) -> dict[int, list[Unit]]:
    """Group id → the units evaluated in it in `year`."""
    out: dict[int, list[Unit]] = {}
    for m in (SectorGroupMember.objects.filter(group__issuing_unit=unit, year=year)
              .select_related("unit").order_by("unit__name")):
        out.setdefault(m.group_id, []).append(m.unit)
    return out


def departments_of(unit: Unit) -> list[Department]:
    """The departments and affiliated bodies of the issuing unit's agency (ORG-5) that are not
    ended: who may be responsible for a criterion."""
    return list(Department.objects.filter(unit=unit, valid_to__isnull=True)
                .order_by("category", "name"))


@dataclass
class AreaView:
    area: WorkArea
    criteria: list[Criterion]
    criteria_total: Decimal

    @property
    def balanced(self) -> bool:
        return self.criteria_total == self.area.max_points


@dataclass
class RubricTree:
    """The whole rubric as a page reads it, in five queries."""

    rubric: Rubric
    areas: list[AreaView]
    bonus: list[RubricItem] = field(default_factory=list)
    penalty: list[RubricItem] = field(default_factory=list)
    tiers: list[RubricTier] = field(default_factory=list)
    disqualifiers: list[RubricDisqualifier] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((a.area.max_points for a in self.areas), Decimal(0))

    @property
    def criteria_count(self) -> int:
        return sum(len(a.criteria) for a in self.areas)


def rubric_tree(rubric: Rubric) -> RubricTree:
    areas = list(WorkArea.objects.filter(rubric=rubric).order_by("order", "id").prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.select_related("department")
                 .order_by("order", "id"))))
    views = []
    for area in areas:
        criteria = list(area.criteria.all())
        views.append(AreaView(area, criteria,
                              sum((c.max_points for c in criteria), Decimal(0))))
    items = list(RubricItem.objects.filter(rubric=rubric).select_related("department")
                 .order_by("kind", "order", "id"))
    return RubricTree(
        rubric=rubric, areas=views,
        bonus=[i for i in items if i.kind == ItemKind.BONUS],
        penalty=[i for i in items if i.kind == ItemKind.PENALTY],
        tiers=list(RubricTier.objects.filter(rubric=rubric).order_by("rank")),
        disqualifiers=list(RubricDisqualifier.objects.filter(rubric=rubric)
                           .select_related("barred_tier").order_by("code")),
    )


# -- score sheets (EMU-2, EMU-8, EMU-10) ---------------------------------------------------------


def sheet_get(*, scope: Scope, pk: object) -> ScoreSheet:
    """The sheet if the scope reads its evaluated unit (the unit, those above it, a department
    of the issuing unit with a reach over it); 404 alike for missing and not yours."""
    sheet_id = _id(pk)
    sheet = (ScoreSheet.objects.select_related("rubric", "rubric__issuing_unit", "rubric__group",
                                               "unit", "submitted_by")
             .filter(pk=sheet_id).first() if sheet_id else None)
    if sheet is None or not permissions.can_read(scope, sheet.unit):
        raise Http404(_("Không tìm thấy phiếu chấm điểm."))
    return sheet


def sheet_criteria(*, sheet: ScoreSheet) -> list[Criterion]:
    """The criteria of the sheet's rubric (the sheet is reached already), in the rubric's
    order, with their area and responsible department."""
    return list(Criterion.objects.filter(area__rubric_id=sheet.rubric_id)
                .select_related("area", "department")
                .order_by("area__order", "area_id", "order", "id"))


def evidence_get(*, scope: Scope, pk: object) -> SheetEvidence:
    ev_id = _id(pk)
    ev = (SheetEvidence.objects.select_related("sheet", "sheet__unit").filter(pk=ev_id).first()
          if ev_id else None)
    if ev is None or not permissions.can_read(scope, ev.sheet.unit):
        raise Http404(_("Không tìm thấy minh chứng."))
    return ev


def sheets_of(*, rubric: Rubric) -> list[ScoreSheet]:
    """The rubric's sheets (the rubric is reached already), by unit name."""
    return list(ScoreSheet.objects.filter(rubric=rubric).select_related("unit")
                .order_by("unit__name"))


def department_get(*, scope: Scope, pk: object) -> Department:
    """A department the user scores for (SCORE in its field); 404 otherwise."""
    dep_id = _id(pk)
    dep = (Department.objects.select_related("unit").filter(pk=dep_id).first()
           if dep_id else None)
    if dep is None or not scope.can(permissions.SCORE, dep.unit, department_id=dep.pk):
        raise Http404(_("Không tìm thấy ban."))
    return dep


def scoring_departments(*, scope: Scope) -> list[Department]:
    """The departments the user holds SCORE for through a department's reach."""
    ids = {g.department_id for g in scope.grants
           if g.department_id and permissions.SCORE in g.permissions}
    return list(Department.objects.filter(pk__in=ids).select_related("unit")
                .order_by("unit__name", "name"))


@dataclass
class WorkItem:
    """One unit × criterion of a department's worklist (EMU-2): due before the inspection."""

    sheet: ScoreSheet
    criterion: Criterion
    line: ScoreLine | None

    @property
    def done(self) -> bool:
        return self.line is not None


@dataclass
class WorkSheet:
    sheet: ScoreSheet
    items: list[WorkItem]

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.done)


def department_worklist(*, department: Department) -> list[WorkSheet]:
    """Every sheet (not yet final) of the open rubrics with criteria of `department`, with those
    criteria and the department's current score of each; soonest due first.

    The due date is the sheet's `due_on`, set by the issuing unit before the unit's inspection
    slot (there is no inspection slot to read it from yet)."""
    criteria = list(Criterion.objects.filter(department=department,
                                             area__rubric__state=RubricState.OPEN)
                    .select_related("area").order_by("area__rubric_id", "area__order",
                                                      "area_id", "order", "id"))
    by_rubric: dict[int, list[Criterion]] = {}
    for c in criteria:
        by_rubric.setdefault(c.area.rubric_id, []).append(c)
    sheets = list(ScoreSheet.objects.filter(rubric_id__in=by_rubric)
                  .exclude(state=SheetState.FINAL).select_related("unit", "rubric"))
    lines = {(ln.sheet_id, ln.criterion_id): ln for ln in ScoreLine.objects.filter(
        sheet__in=sheets, criterion__in=criteria, source=LineSource.DEPARTMENT)}
    out = [WorkSheet(s, [WorkItem(s, c, lines.get((s.pk, c.pk)))
                         for c in by_rubric[s.rubric_id]]) for s in sheets]
    out.sort(key=lambda w: (w.sheet.due_on or date.max, w.sheet.unit.name))
    return out


# -- ranking snapshots (EMU-3, EMU-4) -----------------------------------------------------------


def snapshots_of(*, rubric: Rubric) -> list[RankingSnapshot]:
    return list(RankingSnapshot.objects.filter(rubric=rubric)
                .select_related("published_by", "computed_by").order_by("-computed_at", "-id"))


def snapshot_get(*, scope: Scope, pk: object,
                 allowed: Callable[[UnitScope, Unit], bool] = permissions.can_read
                 ) -> RankingSnapshot:
    """The snapshot if the scope reaches its rubric's issuing unit as `allowed` says; 404
    otherwise."""
    snapshot_id = _id(pk)
    snapshot = (RankingSnapshot.objects.select_related("rubric__issuing_unit", "rubric__group",
                                                       "published_by")
                .filter(pk=snapshot_id).first() if snapshot_id else None)
    if snapshot is None or not allowed(scope, snapshot.rubric.issuing_unit):
        raise Http404(_("Không tìm thấy bảng xếp hạng."))
    return snapshot


def snapshot_entries(*, snapshot: RankingSnapshot) -> list[RankingEntry]:
    return list(RankingEntry.objects.filter(snapshot=snapshot).select_related("unit")
                .order_by("position", "id"))


# -- the unit's results, notices and appeals (EMU-6, EMU-7) --------------------------------------


def results_unit_get(*, scope: Scope, pk: object) -> Unit:
    """A unit whose results the scope reads (the unit, those above it); 404 otherwise."""
    unit_id = _id(pk)
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
    if unit is None or not permissions.can_read(scope, unit):
        raise Http404(_("Không tìm thấy đơn vị."))
    return unit


def unit_entry_get(*, scope: Scope, snapshot_pk: object, unit_pk: object) -> RankingEntry:
    """The unit's line of a published snapshot, for those who read the unit; 404 otherwise
    (a unit reads its own line without reaching the issuing unit's table)."""
    unit = results_unit_get(scope=scope, pk=unit_pk)
    snapshot_id = _id(snapshot_pk)
    entry = (RankingEntry.objects.select_related("snapshot", "snapshot__rubric",
                                                 "snapshot__rubric__issuing_unit",
                                                 "snapshot__rubric__group", "unit")
             .filter(snapshot_id=snapshot_id, unit=unit, snapshot__state="cong_bo").first()
             if snapshot_id else None)
    if entry is None:
        raise Http404(_("Không tìm thấy kết quả xếp hạng."))
    return entry


def appeal_get(*, scope: Scope, pk: object) -> Appeal:
    """An appeal, for those who read the appealing unit (the unit, the issuing unit above it);
    404 otherwise."""
    appeal_id = _id(pk)
    appeal = (Appeal.objects.select_related("snapshot", "snapshot__rubric",
                                            "snapshot__rubric__issuing_unit", "unit",
                                            "criterion", "decided_by", "filed_by", "result",
                                            "line")
              .filter(pk=appeal_id).first() if appeal_id else None)
    if appeal is None or not permissions.can_read(scope, appeal.unit):
        raise Http404(_("Không tìm thấy khiếu nại."))
    return appeal
