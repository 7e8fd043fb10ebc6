"""Reads of the emulation pages, always given a Scope: `<entity>_get` answers 404 alike for
missing and not yours (X-3)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.common.typing import UnitScope
from doanvu.org.models import Department, Unit

from . import permissions
from .models import (
    Criterion,
    ItemKind,
    Rubric,
    RubricDisqualifier,
    RubricItem,
    RubricTier,
    SectorGroup,
    SectorGroupMember,
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
