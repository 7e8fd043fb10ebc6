"""Reads of the organisation, always through a Scope (X-3) and for a date (X-10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.audit.models import AuditRecord
from doanvu.common.search import search_words
from doanvu.common.typing import UnitScope

from .models import (
    Cluster,
    CommitteeSeat,
    Department,
    Position,
    Supervision,
    Term,
    Unit,
    UnitEvent,
    UnitVersion,
)

READ = "read"  # accounts.models.PermissionKind.READ (accounts sits above org)


@dataclass(frozen=True)
class Node:
    """A unit as it stood on a date, for trees and lists."""

    id: int
    name: str
    kind: str
    kind_level: int
    sector: str
    path: str
    depth: int
    child_count: int
    parent_id: int | None
    parent_name: str | None = None
    dissolved_on: dt.date | None = None


def active_units(as_of: dt.date | None = None) -> QuerySet[Unit]:
    qs = Unit.objects.all()
    if as_of is None:
        return qs.filter(dissolved_on__isnull=True)
    return qs.filter(founded_on__lte=as_of).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=as_of)
    )


def versions_on(day: dt.date) -> QuerySet[UnitVersion]:
    return UnitVersion.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )


def unit_get(*, scope: UnitScope, pk: object, perm: str = READ,
             allowed: Callable[[UnitScope, Unit], bool] | None = None) -> Unit:
    """The unit if the scope reaches it with `perm` (and, given a predicate of
    `org.permissions`, if that allows it too); 404 alike for missing and not yours."""
    unit = unit_find(scope=scope, pk=pk, perm=perm, allowed=allowed)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    return unit


def unit_find(*, scope: UnitScope, pk: object, perm: str = READ,
              allowed: Callable[[UnitScope, Unit], bool] | None = None) -> Unit | None:
    """`unit_get` answering None instead of 404: a unit typed into a form's picker."""
    try:
        unit_id = int(str(pk))
    except (TypeError, ValueError):
        return None
    unit = Unit.objects.select_related("kind", "parent", "successor").filter(pk=unit_id).first()
    if unit is None or not scope.can(perm, unit) or (
            allowed is not None and not allowed(scope, unit)):
        return None
    return unit


_AGENCY_ITEMS: dict[str, tuple[type[Department | CommitteeSeat | Position | Supervision], str]] = {
    "ban": (Department, "unit"),
    "uy-vien": (CommitteeSeat, "term__unit"),
    "chuc-vu": (Position, "unit"),
    "phu-trach": (Supervision, "assigning_unit"),
}


def agency_item_get(*, unit: Unit, kind: str,
                    pk: object) -> Department | CommitteeSeat | Position | Supervision:
    """A department, committee seat, position or supervision of `unit` (already reached through
    `unit_get`), by the kind's name in the address; 404 alike for missing and another unit's."""
    if kind not in _AGENCY_ITEMS:
        raise Http404
    model, unit_field = _AGENCY_ITEMS[kind]
    try:
        item_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404 from None
    item = model.objects.filter(pk=item_id, **{unit_field: unit}).first()  # type: ignore[attr-defined]
    if item is None:
        raise Http404
    return item


def _nodes_current(qs: QuerySet[Unit], *, order: tuple[str, ...] = ("kind__level", "name"),
                   limit: int | None = None) -> list[Node]:
    live_children = (
        Unit.objects.filter(parent=OuterRef("pk"), dissolved_on__isnull=True)
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        qs.annotate(child_count=Coalesce(Subquery(live_children), 0))
        .order_by(*order)
        .values_list("pk", "name", "kind__name", "kind__level", "sector", "path", "depth",
                     "child_count", "parent_id", "parent__name", "dissolved_on")
    )
    return [Node(*row) for row in (rows[:limit] if limit else rows)]


def _nodes_on(qs: QuerySet[UnitVersion], day: dt.date, *,
              order: tuple[str, ...] = ("kind__level", "name"),
              limit: int | None = None) -> list[Node]:
    children = (
        versions_on(day)
        .filter(parent=OuterRef("unit_id"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        qs.annotate(child_count=Coalesce(Subquery(children), 0))
        .order_by(*order)
        .values_list("unit_id", "name", "kind__name", "kind__level", "sector", "path", "depth",
                     "child_count", "parent_id", "parent__name")
    )
    return [Node(*row) for row in (rows[:limit] if limit else rows)]


def tree_roots(*, scope: UnitScope, as_of: dt.date | None = None) -> list[Node]:
    """The highest units the user reaches: the top of their tree view."""
    roots = scope.root_paths(READ)
    if roots == [""]:
        if as_of is None:
            return _nodes_current(active_units().filter(parent__isnull=True))
        return _nodes_on(versions_on(as_of).filter(parent__isnull=True), as_of)
    if as_of is None:
        return _nodes_current(active_units().filter(path__in=roots))
    return _nodes_on(versions_on(as_of).filter(unit__path__in=roots), as_of)


def tree_children(*, scope: UnitScope, unit: Unit, as_of: dt.date | None = None) -> list[Node]:
    if as_of is None:
        qs = scope.filter(active_units().filter(parent=unit))
        return _nodes_current(qs)
    vqs = scope.filter(versions_on(as_of).filter(parent=unit), via="unit__")
    return _nodes_on(vqs, as_of)


def unit_search(
    *, scope: UnitScope, query: str, as_of: dt.date | None = None, limit: int = 50
) -> list[Node]:
    """Accent-insensitive search by name (X-2): "tay ninh" finds "Tây Ninh"."""
    words = search_words(query)
    if not words:
        return []
    if as_of is None:
        # Today's search also finds dissolved and merged units (marked as such): their records
        # stay reachable and cadres still look them up by their old names.
        qs: QuerySet = scope.filter(Unit.objects.all())
        for w in words:
            qs = qs.filter(name_folded__contains=w)
        # Live units first, then dissolved ones; each read in (depth, name) index order so a
        # common word ("chi doan") stops after `limit` rows instead of sorting 200 000.
        order = ("depth", "name")
        nodes = _nodes_current(qs.filter(dissolved_on__isnull=True), order=order, limit=limit)
        if len(nodes) < limit:
            nodes += _nodes_current(qs.filter(dissolved_on__isnull=False), order=order,
                                    limit=limit - len(nodes))
    else:
        vqs = scope.filter(versions_on(as_of), via="unit__")
        for w in words:
            vqs = vqs.filter(name_folded__contains=w)
        nodes = _nodes_on(vqs, as_of, order=("depth", "name"), limit=limit)
    return _without_unreadable_parents(scope, nodes)


def _without_unreadable_parents(scope: UnitScope, nodes: list[Node]) -> list[Node]:
    """Name a result's parent only if the user may read it (X-3: a unit-reach secretary's
    search must not name the commune above the branch)."""
    parent_ids = {n.parent_id for n in nodes if n.parent_id is not None}
    if not parent_ids or scope.is_superuser:
        return nodes
    readable = set(scope.filter(Unit.objects.filter(pk__in=parent_ids))
                   .values_list("pk", flat=True))
    return [n if n.parent_id in readable else replace(n, parent_name=None) for n in nodes]


def unit_version_on(*, unit: Unit, day: dt.date) -> UnitVersion | None:
    return versions_on(day).filter(unit=unit).select_related("kind", "parent").first()


def unit_ancestors(*, scope: UnitScope, unit: Unit) -> list[Unit]:
    """Breadcrumb: the ancestors the user may read, root first."""
    from .paths import ancestor_ids

    ids = ancestor_ids(unit.path)
    by_id = {u.pk: u for u in scope.filter(Unit.objects.filter(pk__in=ids))}
    return [by_id[i] for i in ids if i in by_id]


def unit_subtree(*, scope: UnitScope, unit: Unit, as_of: dt.date | None = None,
                 perm: str = READ) -> QuerySet[Unit]:
    qs = scope.filter(active_units(as_of).filter(path__startswith=unit.path), perm)
    return qs.select_related("kind", "parent").order_by("path")


def unit_subtree_on(*, scope: UnitScope, unit: Unit, day: dt.date,
                    perm: str = READ) -> QuerySet[UnitVersion]:
    """The subtree as it stood on `day`: names, kinds, parents and depths of that date (X-10)."""
    root_path = versions_on(day).filter(unit=unit).values_list("path", flat=True).first()
    if root_path is None:
        return UnitVersion.objects.none()
    parent_name = versions_on(day).filter(unit_id=OuterRef("parent_id")).values("name")[:1]
    qs = scope.filter(versions_on(day).filter(path__startswith=root_path), perm, via="unit__")
    return (qs.annotate(parent_name=Subquery(parent_name))
            .select_related("kind", "unit", "parent").order_by("path"))


def subtree_paths_on(*, unit: Unit, day: dt.date, branches_only: bool = False) -> dict[int, str]:
    """Unit id → its path on `day`, for `unit` and the units under it as the tree stood that
    day (X-10); empty when `unit` did not stand then. `branches_only`: the branches (by their
    kind that day). One query for the root, one for the subtree."""
    root_path = versions_on(day).filter(unit=unit).values_list("path", flat=True).first()
    if root_path is None:
        return {}
    qs = versions_on(day).filter(path__startswith=root_path)
    if branches_only:
        qs = qs.filter(kind__is_branch=True)
    return dict(qs.order_by("path").values_list("unit_id", "path"))


def branches_on(*, unit: Unit, day: dt.date) -> list[Unit]:
    """The branches under `unit` (itself included) as the tree stood on `day` (X-10), in that
    day's tree order; empty when `unit` did not stand then."""
    paths = subtree_paths_on(unit=unit, day=day, branches_only=True)
    return sorted(Unit.objects.filter(pk__in=paths), key=lambda b: paths[b.pk])


def subtree_count(*, unit: Unit) -> int:
    return active_units().filter(path__startswith=unit.path).exclude(pk=unit.pk).count()


def unit_history(*, unit: Unit) -> QuerySet[UnitEvent]:
    return (
        UnitEvent.objects.filter(Q(unit=unit) | Q(related_units=unit))
        .distinct()
        .select_related("unit", "created_by")
        .prefetch_related("related_units")
        .order_by("-date", "-id")
    )


def unit_departments(*, unit: Unit, as_of: dt.date | None = None) -> QuerySet[Department]:
    """Departments and affiliated bodies of the unit's agency on a date (ORG-5)."""
    qs = Department.objects.filter(unit=unit)
    if as_of is not None:
        qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=as_of)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=as_of)
        )
    else:
        qs = qs.filter(valid_to__isnull=True)
    return qs.prefetch_related("positions__person")


def unit_clusters(*, unit: Unit) -> dict[str, QuerySet[Cluster]]:
    return {
        "owned": Cluster.objects.filter(owner=unit)
        .select_related("standing_department")
        .prefetch_related("members"),
        "member_of": Cluster.objects.filter(members=unit).select_related(
            "owner", "standing_department"
        ),
    }


def unit_terms(*, unit: Unit) -> QuerySet[Term]:
    return Term.objects.filter(unit=unit).order_by("-start_date")


def term_seats(*, term: Term) -> QuerySet[CommitteeSeat]:
    return CommitteeSeat.objects.filter(term=term).select_related("person").order_by(
        "committee", "order", "person__name_folded"
    )


def unit_positions(*, unit: Unit, as_of: dt.date | None = None) -> QuerySet[Position]:
    qs = Position.objects.filter(unit=unit).select_related("person", "department")
    if as_of is None:
        return qs.filter(end_date__isnull=True)
    return qs.filter(start_date__lte=as_of).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=as_of))


def unit_supervisions(*, unit: Unit,
                      as_of: dt.date | None = None) -> dict[str, QuerySet[Supervision]]:
    """Who supervises this unit, and which lower units this unit's people supervise (ORG-7)."""
    base = Supervision.objects.select_related(
        "person", "department", "supervised_unit", "assigning_unit"
    )
    if as_of is None:
        base = base.filter(end_date__isnull=True)
    else:
        base = base.filter(start_date__lte=as_of).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=as_of)
        )
    return {
        "of_unit": base.filter(supervised_unit=unit),
        "by_unit": base.filter(assigning_unit=unit).order_by("supervised_unit__name"),
    }


def supervisors_of(*, unit: Unit, day: dt.date) -> list[Supervision]:
    """Routing for reports and follow-ups (ORG-7): the current supervisors of a unit."""
    return list(
        Supervision.objects.filter(supervised_unit=unit, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person", "department")
    )


def unit_lineage(*, unit: Unit) -> list[Unit]:
    """The unit and every unit merged into it, directly or through others (ORG-3)."""
    found = [unit]
    frontier = [unit.pk]
    seen = {unit.pk}
    while frontier:
        preds = list(Unit.objects.filter(successor_id__in=frontier).exclude(pk__in=seen))
        frontier = [p.pk for p in preds]
        seen.update(frontier)
        found.extend(preds)
    return found


def nearest_issued(*, unit: Unit, records: QuerySet, unit_field: str) -> Any:
    """Rules are data issued by a unit for itself and everything below it: of `records`, the
    one in force for `unit` is its own or its nearest ancestor's. Among one issuer's records
    the last in the queryset's order wins. None when no unit on the way up issued one."""
    from .paths import ancestor_ids

    chain = [*ancestor_ids(unit.path), unit.pk]
    found = {getattr(r, unit_field): r for r in records.filter(**{f"{unit_field}__in": chain})}
    return next((found[u] for u in reversed(chain) if u in found), None)


def audit_list(*, scope: UnitScope, perm: str,
               within: Unit | None = None) -> QuerySet[AuditRecord]:
    """The audit log page: records of the units the scope reaches with `perm` (via their
    current unit), and with `within` only those of that unit and the units below it. Here
    rather than in audit, which sits below org and knows no unit."""
    units = Unit.objects.all()
    if within is not None:
        units = units.filter(path__startswith=within.path)
    if scope.is_superuser and within is None:
        return AuditRecord.objects.order_by("-id")
    unit_ids = scope.filter(units, perm).values("pk")
    return AuditRecord.objects.filter(unit_id__in=unit_ids).order_by("-id")


@dataclass(frozen=True)
class _Placed:
    pk: int
    path: str


def audit_namer(*, scope: UnitScope) -> Callable[[type[Any], list[Any]], set[str]]:
    """For the audit log's names of related records: of `objects` (of one model), the pks the
    scope may see named — a unit it reads, or a record whose unit (by the audit registry's
    unit path) it reads. A record kept by no unit (a person, a role type) is named; a unit
    outside the scope is not, so the log never names what the user may not read (X-3).
    Two queries for a model kept by a unit, none for units themselves."""
    from doanvu.audit.registry import spec_for

    def may_name(model: type[Any], objects: list[Any]) -> set[str]:
        if scope.is_superuser:
            return {str(o.pk) for o in objects}
        if model is Unit:
            return {str(o.pk) for o in objects if scope.can(READ, o)}
        spec = spec_for(model)
        if spec is None or spec.unit is None:
            return {str(o.pk) for o in objects}
        if callable(spec.unit):
            unit_of = {o.pk: spec.unit(o) for o in objects}
        else:
            unit_of = dict(model._base_manager.filter(pk__in=[o.pk for o in objects])
                           .order_by().values_list("pk", spec.unit))
        paths = dict(Unit.objects.filter(pk__in={u for u in unit_of.values() if u is not None})
                     .values_list("pk", "path"))
        return {str(pk) for pk, unit_id in unit_of.items()
                if unit_id is None
                or (unit_id in paths and scope.can(READ, _Placed(unit_id, paths[unit_id])))}

    return may_name
