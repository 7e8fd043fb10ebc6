"""Every write to the organisation tree (ORG-3): create, rename, move, merge, split, dissolve.

Each change is dated. The Unit row holds the state of today; UnitVersion rows hold each interval,
so the tree can be shown as of any date. Changes may not be dated in the future, nor before the
latest recorded change of a unit they touch (history is appended, never rewritten).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from doanvu.audit.context import acting
from doanvu.common.access import scope_for
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.text import clean_name, fold, nfc
from doanvu.common.typing import Actor, UnitScope

from . import permissions
from .models import Unit, UnitEvent, UnitEventKind, UnitKind, UnitVersion
from .paths import child_path
from .signals import merge_attached, subtree_moved, unit_ended


class OrgError(ApplicationError):
    pass


class OrgScopeError(OrgError):
    """The actor may not make this change (the service's own check, X-3)."""


def _require(actor: Actor | None, allowed: Callable[[UnitScope], bool]) -> None:
    """Refuse an actor whose scope does not allow the change; `None` is the system."""
    if actor is not None and not allowed(scope_for(actor)):
        raise OrgScopeError(_("Đơn vị này không thuộc phạm vi quản trị của bạn."))


# -- checks -----------------------------------------------------------------------------------


def _check_date(on: dt.date, *units: Unit) -> None:
    if on > today():
        raise OrgError(
            _(
                "Ngày hiệu lực {on} ở tương lai: chỉ ghi nhận thay đổi đã có hiệu lực."
            ).format(on=format_date(on)),
            field="on",
        )
    for unit in units:
        if on < unit.founded_on:
            raise OrgError(
                _(
                    "Ngày hiệu lực {on} trước ngày thành lập của {unit_name} ({founded_on})."
                ).format(
                    on=format_date(on),
                    unit_name=unit.name,
                    founded_on=format_date(unit.founded_on),
                ),
                field="on",
            )
        if unit.dissolved_on is not None:
            raise OrgError(
                _(
                    "{unit_name} đã giải thể / sáp nhập từ {dissolved_on}."
                ).format(unit_name=unit.name, dissolved_on=format_date(unit.dissolved_on)))
        last = UnitVersion.objects.filter(unit=unit).order_by("-valid_from").first()
        if last is not None and on < last.valid_from:
            raise OrgError(
                _(
                    "{unit_name} đã có thay đổi ngày {valid_from}; ngày hiệu lực phải từ ngày đó "
                    "trở về sau."
                ).format(unit_name=unit.name, valid_from=format_date(last.valid_from)),
                field="on",
            )


def _check_subtree_dates(on: dt.date, unit: Unit) -> None:
    """A move re-dates the whole live subtree, so no unit in it may have a later change."""
    last = (
        UnitVersion.objects.filter(unit__path__startswith=unit.path,
                                   unit__dissolved_on__isnull=True, valid_from__gt=on)
        .select_related("unit").order_by("-valid_from").first()
    )
    if last is not None:
        who = last.unit.name if last.unit_id == unit.pk else _(
            "{unit_name} (thuộc {parent_name})"
        ).format(unit_name=last.unit.name, parent_name=unit.name)
        raise OrgError(
            _(
                "{who} đã có thay đổi ngày {valid_from}; ngày hiệu lực phải từ ngày đó trở về sau."
            ).format(who=who, valid_from=format_date(last.valid_from)),
            field="on",
        )


def _check_kind_under(kind: UnitKind, parent: Unit | None) -> None:
    allowed = list(kind.allowed_parents.all())
    if parent is None:
        if allowed:
            raise OrgError(_(
                "Loại “{kind_name}” phải trực thuộc một đơn vị cấp trên."
            ).format(kind_name=kind.name),
                           field="parent")
        return
    if allowed and parent.kind not in allowed:
        names = ", ".join(k.name for k in allowed)
        raise OrgError(
            _(
                "Loại “{kind_name}” không thể trực thuộc “{parent_kind}” (chỉ trực thuộc: {names})."
            ).format(kind_name=kind.name, parent_kind=parent.kind.name, names=names),
            field="parent",
        )


def _clean_name(name: str) -> str:
    name = clean_name(name, field="name", label=_("Tên đơn vị"), error=OrgError)
    if not name:
        raise OrgError(_("Tên đơn vị không được để trống."), field="name")
    if len(name) > 255:
        raise OrgError(_("Tên đơn vị dài quá 255 ký tự."), field="name")
    return name


# -- versions ---------------------------------------------------------------------------------


def _open_new_version(unit: Unit, on: dt.date) -> None:
    """Close the unit's open version at `on` and open one with the unit's current state."""
    _open_new_versions([unit], on)


def _open_new_versions(units: Sequence[Unit], on: dt.date) -> None:
    """The same for many units in a few queries (a moved province has thousands below it).
    A version opened on the same day is updated in place rather than closed empty."""
    fields = ["name", "name_folded", "kind_id", "sector", "parent_id", "path", "depth"]
    current = {v.unit_id: v for v in UnitVersion.objects.filter(
        unit_id__in=[u.pk for u in units], valid_to__isnull=True)}
    same_day, closed, new = [], [], []
    for unit in units:
        state = {"name": unit.name, "name_folded": fold(unit.name), "kind_id": unit.kind_id,
                 "sector": unit.sector, "parent_id": unit.parent_id, "path": unit.path,
                 "depth": unit.depth}
        version = current.get(unit.pk)
        if version is not None and version.valid_from == on:
            for key, value in state.items():
                setattr(version, key, value)
            same_day.append(version)
            continue
        if version is not None:
            version.valid_to = on
            closed.append(version)
        new.append(UnitVersion(unit=unit, valid_from=on, **state))
    UnitVersion.objects.bulk_update(same_day, fields, batch_size=1000)
    UnitVersion.objects.bulk_update(closed, ["valid_to"], batch_size=1000)
    UnitVersion.objects.bulk_create(new, batch_size=1000)


def _close_version(unit: Unit, on: dt.date) -> None:
    current = UnitVersion.objects.filter(unit=unit, valid_to__isnull=True).first()
    if current is None:
        return
    if current.valid_from >= on:
        current.delete()
    else:
        current.valid_to = on
        current.save(update_fields=["valid_to"])


def _event(unit: Unit, kind: str, on: dt.date, *, actor: Actor | None, decision: str = "",
           note: str = "", related: Sequence[Unit] = (),
           details: dict[str, Any] | None = None) -> UnitEvent:
    ev = UnitEvent.objects.create(
        unit=unit, kind=kind, date=on, decision=nfc(decision), note=note.strip(),
        details=details or {},
        created_by_id=actor.pk if actor is not None and actor.pk else None,
    )
    if related:
        ev.related_units.set(related)
    return ev


def _reparent(unit: Unit, new_parent: Unit, on: dt.date) -> None:
    """Move `unit` and its whole subtree under `new_parent`; open new versions at `on`."""
    old_prefix = unit.path
    new_prefix = child_path(new_parent.path, unit.pk)
    depth_shift = new_parent.depth + 1 - unit.depth
    subtree = Unit.objects.filter(path__startswith=old_prefix)
    live_ids = list(subtree.filter(dissolved_on__isnull=True).values_list("pk", flat=True))
    subtree.update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + depth_shift,
    )
    subtree_moved.send(sender=Unit, old_prefix=old_prefix, new_prefix=new_prefix)
    unit.refresh_from_db()
    unit.parent = new_parent
    unit.save(update_fields=["parent"])
    _open_new_versions(list(Unit.objects.filter(pk__in=live_ids)), on)


# -- services ---------------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *, actor: Actor | None, parent: Unit | None, name: str, kind: UnitKind, founded_on: dt.date,
    sector: str = "", short_name: str = "", place: str = "", decision: str = "", note: str = "",
) -> Unit:
    _require(actor, lambda scope: permissions.can_found_under(scope, parent))
    name = _clean_name(name)
    if founded_on > today():
        raise OrgError(_("Ngày thành lập không được ở tương lai."), field="founded_on")
    if parent is not None:
        if parent.dissolved_on is not None:
            raise OrgError(_(
                "{parent_name} đã giải thể, không thể thêm đơn vị trực thuộc."
            ).format(parent_name=parent.name),
                           field="parent")
        if founded_on < parent.founded_on:
            raise OrgError(
                _(
                    "Ngày thành lập {founded_on} trước ngày thành lập của đơn vị cấp trên "
                    "({parent_founded_on})."
                ).format(
                    founded_on=format_date(founded_on),
                    parent_founded_on=format_date(parent.founded_on),
                ), field="founded_on",
            )
    _check_kind_under(kind, parent)
    with acting(actor):
        unit = Unit(name=name, kind=kind, parent=parent, sector=sector, short_name=nfc(short_name),
                    place=nfc(place), founded_on=founded_on, path="~", depth=0)
        unit.save()
        unit.path = child_path(parent.path if parent else "", unit.pk)
        unit.depth = (parent.depth if parent else 0) + 1
        Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
        _open_new_version(unit, founded_on)
        _event(unit, UnitEventKind.FOUNDED, founded_on, actor=actor, decision=decision, note=note,
               details={"parent": parent.name if parent else None})
    return unit


@transaction.atomic
def unit_rename(*, actor: Actor | None, unit: Unit, name: str, on: dt.date,
                decision: str = "",
                note: str = "", short_name: str | None = None) -> Unit:
    _require(actor, lambda scope: permissions.can_administer(scope, unit))
    name = _clean_name(name)
    _check_date(on, unit)
    if name == unit.name and (short_name is None or short_name == unit.short_name):
        raise OrgError(_("Tên mới trùng với tên hiện tại."), field="name")
    old = unit.name
    with acting(actor):
        unit.name = name
        fields = ["name"]
        if short_name is not None:
            unit.short_name = nfc(short_name)
            fields.append("short_name")
        unit.save(update_fields=fields)
        _open_new_version(unit, on)
        _event(unit, UnitEventKind.RENAMED, on, actor=actor, decision=decision, note=note,
               details={"from": old, "to": name})
    return unit


@transaction.atomic
def unit_move(*, actor: Actor | None, unit: Unit, new_parent: Unit, on: dt.date,
              decision: str = "", note: str = "") -> Unit:
    # Paths may have changed under a caller that made several changes in a row.
    unit.refresh_from_db()
    new_parent.refresh_from_db()
    _require(actor, lambda scope: permissions.can_restructure(scope, unit)
             and permissions.can_administer(scope, new_parent))
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise OrgError(_(
            "Không thể chuyển một đơn vị vào chính nó hoặc vào đơn vị cấp dưới của nó."
        ),
                       field="new_parent")
    if new_parent.pk == unit.parent_id:
        raise OrgError(_(
            "{unit_name} đã trực thuộc {new_parent_name}."
        ).format(unit_name=unit.name, new_parent_name=new_parent.name), field="new_parent")
    _check_date(on, unit, new_parent)
    _check_subtree_dates(on, unit)
    _check_kind_under(unit.kind, new_parent)
    old_parent = unit.parent
    with acting(actor):
        _reparent(unit, new_parent, on)
        _event(unit, UnitEventKind.MOVED, on, actor=actor, decision=decision, note=note,
               related=[new_parent],
               details={"from": old_parent.name if old_parent else None, "to": new_parent.name})
    return unit


@transaction.atomic
def unit_dissolve(*, actor: Actor | None, unit: Unit, on: dt.date, decision: str = "",
                  note: str = "") -> Unit:
    _require(actor, lambda scope: permissions.can_restructure(scope, unit))
    _check_date(on, unit)
    live = Unit.objects.filter(parent=unit, dissolved_on__isnull=True).count()
    if live:
        raise OrgError(
            _(
                "{unit_name} còn {live} đơn vị trực thuộc đang hoạt động: hãy chuyển, sáp nhập "
                "hoặc giải thể các đơn vị đó trước."
            ).format(unit_name=unit.name, live=live)
        )
    with acting(actor):
        unit.dissolved_on = on
        unit.save(update_fields=["dissolved_on"])
        _close_version(unit, on)
        _end_grants(unit, on)
        _event(unit, UnitEventKind.DISSOLVED, on, actor=actor, decision=decision, note=note)
    return unit


def _end_grants(unit: Unit, on: dt.date) -> None:
    """Roles held on a unit end the day before it stops existing (accounts' receiver)."""
    unit_ended.send(sender=Unit, unit=unit, on=on)


# -- merge ------------------------------------------------------------------------------------


@dataclass
class MergePlan:
    """What a merge would do, shown to the user before anything is committed."""

    target: Unit
    sources: list[Unit]
    on: dt.date
    moved_children: list[tuple[Unit, Unit]] = field(default_factory=list)  # (child, from source)
    attached: dict[str, int] = field(default_factory=dict)  # what stays reachable via the target


def _attached_counts(units: Sequence[Unit]) -> dict[str, int]:
    from .models import Department, Position, Supervision, Term

    ids = [u.pk for u in units]
    counts = {
        _("ban, đơn vị trực thuộc"): Department.objects.filter(unit_id__in=ids).count(),
        _("nhiệm kỳ"): Term.objects.filter(unit_id__in=ids).count(),
        _("chức vụ"): Position.objects.filter(unit_id__in=ids).count(),
        _("phân công phụ trách"): Supervision.objects.filter(supervised_unit_id__in=ids).count(),
    }
    for _receiver, theirs in merge_attached.send(sender=Unit, units=list(units)):
        if isinstance(theirs, dict):
            counts.update(theirs)
    return counts


def unit_merge_preview(*, sources: Sequence[Unit], target: Unit, on: dt.date) -> MergePlan:
    if not sources:
        raise OrgError(_("Hãy chọn ít nhất một đơn vị để sáp nhập."), field="sources")
    seen: set[int] = set()
    for src in sources:
        if src.pk == target.pk:
            raise OrgError(_(
                "Không thể sáp nhập {src_name} vào chính nó."
            ).format(src_name=src.name), field="target")
        if src.pk in seen:
            raise OrgError(_(
                "{src_name} được chọn hai lần."
            ).format(src_name=src.name), field="sources")
        seen.add(src.pk)
        if target.path.startswith(src.path):
            raise OrgError(
                _(
                    "Không thể sáp nhập {src_name} vào đơn vị cấp dưới của nó ({target_name})."
                ).format(src_name=src.name, target_name=target.name),
                field="target")
        if src.path.startswith(target.path):
            raise OrgError(_(
                "{src_name} là đơn vị cấp dưới của {target_name}: hãy dùng “giải thể” hoặc “chuyển "
                "trực thuộc”."
            ).format(src_name=src.name, target_name=target.name), field="sources")
        allowed = set(src.kind.merge_targets.values_list("pk", flat=True))
        if target.kind_id != src.kind_id and target.kind_id not in allowed:
            raise OrgError(
                _(
                    "Loại “{kind_name}” không thể sáp nhập vào loại “{target_kind}”."
                ).format(kind_name=src.kind.name, target_kind=target.kind.name),
                field="target",
            )
    _check_date(on, target, *sources)
    plan = MergePlan(target=target, sources=list(sources), on=on)
    for src in sources:
        for child in Unit.objects.filter(parent=src, dissolved_on__isnull=True).order_by("name"):
            _check_kind_under(child.kind, target)
            _check_subtree_dates(on, child)
            plan.moved_children.append((child, src))
    plan.attached = _attached_counts(sources)
    return plan


@transaction.atomic
def unit_merge(*, actor: Actor | None, sources: Sequence[Unit], target: Unit, on: dt.date,
               decision: str = "", note: str = "") -> MergePlan:
    """Merge `sources` into `target` on `on`: their live sub-units move under the target and
    each source becomes a dissolved unit beneath it, so what was attached to it (members,
    scores, visits, departments) stays reachable by the target's cadres."""

    _require(actor, lambda scope: permissions.can_administer(scope, target)
             and all(permissions.can_restructure(scope, src) for src in sources))
    plan = unit_merge_preview(sources=sources, target=target, on=on)
    with acting(actor):
        for child, src in plan.moved_children:
            child.refresh_from_db()
            _reparent(child, target, on)
            _event(child, UnitEventKind.MOVED, on, actor=actor, decision=decision, note=note,
                   related=[target], details={"from": src.name, "to": target.name})
        for src in plan.sources:
            src.refresh_from_db()
            _close_version(src, on)
            _reparent_silently(src, target)
            src.dissolved_on = on
            src.successor = target
            src.save(update_fields=["dissolved_on", "successor"])
            _end_grants(src, on)
            _event(src, UnitEventKind.MERGED, on, actor=actor, decision=decision, note=note,
                   related=[target], details={"into": target.name})
        _event(target, UnitEventKind.ABSORBED, on, actor=actor, decision=decision, note=note,
               related=plan.sources,
               details={"sources": [s.name for s in plan.sources],
                        "moved": [c.name for c, _target in plan.moved_children]})
    return plan


def _reparent_silently(unit: Unit, new_parent: Unit) -> None:
    """Move a dissolved unit (and its dissolved remains) under its successor without new
    versions: as of any later date it does not exist, but its records follow the successor."""
    old_prefix = unit.path
    new_prefix = child_path(new_parent.path, unit.pk)
    shift = new_parent.depth + 1 - unit.depth
    Unit.objects.filter(path__startswith=old_prefix).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + shift,
    )
    subtree_moved.send(sender=Unit, old_prefix=old_prefix, new_prefix=new_prefix)
    unit.refresh_from_db()
    unit.parent = new_parent
    unit.save(update_fields=["parent"])


# -- split ------------------------------------------------------------------------------------


@dataclass
class SplitPart:
    name: str
    children: list[Unit] = field(default_factory=list)


@dataclass
class SplitPlan:
    unit: Unit
    on: dt.date
    parts: list[SplitPart]
    keep_original: bool
    remaining: list[Unit] = field(default_factory=list)


def unit_split_preview(*, unit: Unit, parts: Sequence[SplitPart], on: dt.date,
                       keep_original: bool) -> SplitPlan:
    _check_date(on, unit)
    if unit.parent is None:
        raise OrgError(_("Không thể chia tách đơn vị cấp cao nhất."))
    if not parts or (not keep_original and len(parts) < 2):
        raise OrgError(
            _("Chia tách cần ít nhất hai đơn vị mới, hoặc một đơn vị mới nếu giữ lại đơn vị cũ."),
            field="parts",
        )
    live = {c.pk: c for c in Unit.objects.filter(parent=unit, dissolved_on__isnull=True)}
    assigned: set[int] = set()
    names: set[str] = set()
    for i, part in enumerate(parts, start=1):
        part.name = _clean_name(part.name)
        if fold(part.name) in names:
            raise OrgError(_(
                "Tên đơn vị mới “{part_name}” bị trùng."
            ).format(part_name=part.name), field=f"part-{i}-name")
        names.add(fold(part.name))
        for child in part.children:
            if child.pk not in live:
                raise OrgError(_(
                    "{child_name} không phải đơn vị trực thuộc đang hoạt động của {unit_name}."
                ).format(child_name=child.name, unit_name=unit.name), field=f"part-{i}-children")
            if child.pk in assigned:
                raise OrgError(_(
                    "{child_name} được giao cho hai đơn vị mới."
                ).format(child_name=child.name),
                               field=f"part-{i}-children")
            _check_subtree_dates(on, child)
            assigned.add(child.pk)
    remaining = [c for pk, c in live.items() if pk not in assigned]
    if remaining and not keep_original:
        names_left = ", ".join(c.name for c in remaining[:5])
        raise OrgError(
            _(
                "Còn {remaining} đơn vị trực thuộc chưa được giao cho đơn vị mới nào "
                "({names_left}…); mọi đơn vị trực thuộc phải có nơi chuyển đến."
            ).format(remaining=len(remaining), names_left=names_left), field="parts",
        )
    return SplitPlan(unit=unit, on=on, parts=list(parts), keep_original=keep_original,
                     remaining=sorted(remaining, key=lambda c: c.name))


@transaction.atomic
def unit_split(*, actor: Actor | None, unit: Unit, parts: Sequence[SplitPart], on: dt.date,
               keep_original: bool, decision: str = "", note: str = "") -> list[Unit]:
    """Split `unit` into new sibling units on `on`, each taking the sub-units assigned to it.
    Without keep_original the unit is dissolved; its own records stay with it in place."""
    _require(actor, lambda scope: permissions.can_restructure(scope, unit))
    plan = unit_split_preview(unit=unit, parts=parts, on=on, keep_original=keep_original)
    parent = unit.parent
    assert parent is not None
    created: list[Unit] = []
    with acting(actor):
        for part in plan.parts:
            new = unit_create(actor=actor, parent=parent, name=part.name, kind=unit.kind,
                              founded_on=on, sector=unit.sector, place=unit.place,
                              decision=decision, note=_(
                                  "Chia tách từ {unit_name}"
                              ).format(unit_name=unit.name))
            for child in part.children:
                child.refresh_from_db()
                _reparent(child, new, on)
            created.append(new)
        if not keep_original:
            unit.dissolved_on = on
            unit.save(update_fields=["dissolved_on"])
            _close_version(unit, on)
        _event(unit, UnitEventKind.SPLIT, on, actor=actor, decision=decision, note=note,
               related=created,
               details={"parts": [p.name for p in plan.parts], "kept": keep_original})
    return created
