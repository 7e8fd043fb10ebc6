"""Writes of EMU-1: sector groups and rubrics. Every function is keyword-only, atomic, checks its
actor itself (`permissions.require`; a `None` actor is the system) and is audited through the
models' registration (apps.py) under `acting(actor)`.

A rubric is edited only while it is a draft: once scoring opens it is frozen, and every edit is
refused with `RubricFrozenError`. After each edit the whole rubric is checked
(`rubric_checks.spec_problems`) inside the transaction, so a change that makes its numbers
contradict themselves is refused, names the field, and leaves nothing written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.audit.context import acting
from doanvu.common.errors import ApplicationError
from doanvu.common.text import clean_name, strip_hidden
from doanvu.common.typing import Actor
from doanvu.org.models import Department, Unit

from . import permissions
from .models import (
    Criterion,
    ItemKind,
    Rubric,
    RubricDisqualifier,
    RubricItem,
    RubricState,
    RubricTier,
    ScoringMethod,
    SectorGroup,
    SectorGroupMember,
    TieBreakKey,
    WorkArea,
)
from .rubric_checks import (
    AreaSpec,
    CriterionSpec,
    DisqualifierSpec,
    ItemSpec,
    Problem,
    RubricSpec,
    TierSpec,
    spec_problems,
)


class RubricError(ApplicationError):
    """A rubric edit refused: its numbers would contradict themselves, or a field is wrong."""


class RubricFrozenError(RubricError):
    """The rubric is no longer a draft: scoring has opened (or closed)."""


def _text(value: str, *, field: str) -> str:
    """A name or a code: refused (naming the field) if it holds an invisible character."""
    return clean_name(value or "", field=field, label=_("Nội dung này"), error=RubricError).strip()


def _required(value: str, *, field: str, free: bool = False) -> str:
    """A required text; `free` text (a criterion's wording) keeps its lines, hidden characters
    dropped."""
    text = strip_hidden(value or "").strip() if free else _text(value, field=field)
    if not text:
        raise RubricError(_("Hãy nhập thông tin này."), field=field)
    return text


def _lock(rubric: Rubric) -> Rubric:
    """The rubric's row, locked for the transaction (a freeze and an edit cannot cross)."""
    return Rubric.objects.select_for_update().select_related("issuing_unit").get(pk=rubric.pk)


def _require_draft(rubric: Rubric) -> None:
    if rubric.state == RubricState.DRAFT:
        return
    if rubric.state == RubricState.OPEN:
        when = timezone.localtime(rubric.frozen_at).strftime("%d/%m/%Y") if rubric.frozen_at \
            else ""
        raise RubricFrozenError(_(
            "Thang điểm “{name}” đã khóa từ khi mở chấm điểm{when}: không thể sửa nữa. Nếu cần "
            "thay đổi, hãy sao chép thành một thang điểm mới."
        ).format(name=rubric.name, when=_(" ngày {day}").format(day=when) if when else ""))
    raise RubricFrozenError(_(
        "Thang điểm “{name}” đã kết thúc: không thể sửa nữa.").format(name=rubric.name))


def _department(rubric: Rubric, department: Department | None, *, field: str) -> None:
    if department is not None and department.unit_id != rubric.issuing_unit_id:
        raise RubricError(_("Ban này không thuộc {unit}.").format(unit=rubric.issuing_unit.name),
                          field=field)


def _pk(obj: Model | None) -> int:
    """The id to leave out when checking a code is free: none (0) for a new object."""
    return int(obj.pk) if obj is not None and obj.pk else 0


def _raise_first(problems: list[Problem]) -> None:
    if problems:
        raise RubricError(problems[0].message, field=problems[0].field)


# -- plain values of a rubric -------------------------------------------------------------------


def rubric_spec(rubric: Rubric) -> RubricSpec:
    """The rubric's content as plain values (what copies, exports and checks read)."""
    areas: dict[int, AreaSpec] = {}
    for a in WorkArea.objects.filter(rubric=rubric).order_by("order", "id"):
        areas[a.pk] = AreaSpec(a.code, a.title, a.max_points)
    for c in Criterion.objects.filter(area__rubric=rubric).order_by("area__order", "area_id",
                                                                      "order", "id"):
        areas[c.area_id].criteria.append(CriterionSpec(
            c.code, c.title, c.max_points, c.method, c.unit_points, c.department_id,
            c.evidence_required, c.evidence))
    tiers = list(RubricTier.objects.filter(rubric=rubric).order_by("rank"))
    tier_codes = {t.pk: t.code for t in tiers}
    return RubricSpec(
        name=rubric.name, bonus_cap=rubric.bonus_cap, penalty_cap=rubric.penalty_cap,
        tie_breaks=[dict(step) for step in rubric.tie_breaks or []],
        areas=list(areas.values()),
        items=[ItemSpec(i.kind, i.code, i.title, i.points, i.cap, i.department_id)
               for i in RubricItem.objects.filter(rubric=rubric).order_by("kind", "order", "id")],
        tiers=[TierSpec(t.code, t.name, t.rank, t.min_score, t.max_share) for t in tiers],
        disqualifiers=[DisqualifierSpec(d.code, d.label, tier_codes[d.barred_tier_id])
                       for d in RubricDisqualifier.objects.filter(rubric=rubric).order_by("code")],
    )


def _check(rubric: Rubric) -> None:
    _raise_first(spec_problems(rubric_spec(rubric)))


# -- sector groups ------------------------------------------------------------------------------


@transaction.atomic
def sector_group_create(*, actor: Actor | None, issuing_unit: Unit, name: str,
                        order: int = 100) -> SectorGroup:
    permissions.require(actor, issuing_unit)
    name = _required(name, field="name")
    if SectorGroup.objects.filter(issuing_unit=issuing_unit, name=name).exists():
        raise RubricError(_("Đơn vị đã có khối thi đua “{name}”.").format(name=name),
                          field="name")
    with acting(actor):
        return SectorGroup.objects.create(issuing_unit=issuing_unit, name=name, order=order)


@transaction.atomic
def sector_group_assign(*, actor: Actor | None, group: SectorGroup, units: Iterable[Unit],
                        year: int) -> list[SectorGroupMember]:
    """The units evaluated in `group` in `year` become exactly `units`: each must be below the
    issuing unit and in no other group of it that year."""
    issuer = group.issuing_unit
    permissions.require(actor, issuer)
    units = list(units)
    for unit in units:
        if unit.pk == issuer.pk or not unit.path.startswith(issuer.path):
            raise RubricError(_("{unit} không trực thuộc {issuer}.").format(
                unit=unit.name, issuer=issuer.name), field="units")
    taken = (SectorGroupMember.objects.filter(group__issuing_unit=issuer, year=year,
                                              unit__in=units)
             .exclude(group=group).select_related("unit", "group").first())
    if taken is not None:
        raise RubricError(_("{unit} đã thuộc khối “{group}” năm {year}.").format(
            unit=taken.unit.name, group=taken.group.name, year=year), field="units")
    with acting(actor):
        keep = {u.pk for u in units}
        for old in SectorGroupMember.objects.filter(group=group, year=year).exclude(
                unit_id__in=keep):
            old.delete()
        have = set(SectorGroupMember.objects.filter(group=group, year=year)
                   .values_list("unit_id", flat=True))
        for unit in units:
            if unit.pk not in have:
                SectorGroupMember.objects.create(group=group, unit=unit, year=year)
    return list(SectorGroupMember.objects.filter(group=group, year=year))


# -- rubrics ------------------------------------------------------------------------------------


def _year(year: int) -> int:
    if not 1931 <= year <= 2200:
        raise RubricError(_("Năm không hợp lệ."), field="year")
    return year


def _free_slot(issuing_unit: Unit, year: int, group: SectorGroup) -> None:
    if group.issuing_unit_id != issuing_unit.pk:
        raise RubricError(_("Khối này không thuộc {unit}.").format(unit=issuing_unit.name),
                          field="group")
    if Rubric.objects.filter(issuing_unit=issuing_unit, year=year, group=group).exists():
        raise RubricError(_("Năm {year} đã có thang điểm cho khối “{group}”.").format(
            year=year, group=group.name), field="year")


@transaction.atomic
def rubric_create(*, actor: Actor | None, issuing_unit: Unit, year: int, group: SectorGroup,
                  name: str) -> Rubric:
    permissions.require(actor, issuing_unit)
    _free_slot(issuing_unit, _year(year), group)
    with acting(actor):
        return Rubric.objects.create(issuing_unit=issuing_unit, year=year, group=group,
                                     name=_required(name, field="name"))


def _cap(value: Decimal | None, *, field: str) -> Decimal | None:
    if value is not None and value < 0:
        raise RubricError(_("Không được là số âm."), field=field)
    return value


@transaction.atomic
def rubric_update(*, actor: Actor | None, rubric: Rubric, name: str,
                  bonus_cap: Decimal | None, penalty_cap: Decimal | None,
                  tie_breaks: list[dict[str, str]]) -> Rubric:
    """The rubric's own fields: name, overall caps of bonus and penalty, tie-break order."""
    permissions.require(actor, rubric.issuing_unit)
    rubric = _lock(rubric)
    _require_draft(rubric)
    rubric.name = _required(name, field="name")
    rubric.bonus_cap = _cap(bonus_cap, field="bonus_cap")
    rubric.penalty_cap = _cap(penalty_cap, field="penalty_cap")
    rubric.tie_breaks = [{"key": s["key"], "ref": s.get("ref", "") or ""} for s in tie_breaks]
    with acting(actor):
        rubric.save(update_fields=["name", "bonus_cap", "penalty_cap", "tie_breaks",
                                   "updated_at"])
        _check(rubric)
    return rubric


def _code(value: str) -> str:
    code = _required(value, field="code")
    if len(code) > 20:
        raise RubricError(_("Mã dài quá 20 ký tự."), field="code")
    return code


@transaction.atomic
def area_save(*, actor: Actor | None, rubric: Rubric, area: WorkArea | None = None, code: str,
              title: str, max_points: Decimal, order: int | None = None) -> WorkArea:
    """Add a work area to a draft rubric, or change one of its areas."""
    permissions.require(actor, rubric.issuing_unit)
    rubric = _lock(rubric)
    _require_draft(rubric)
    code = _code(code)
    if WorkArea.objects.filter(rubric=rubric, code=code).exclude(pk=_pk(area)).exists():
        raise RubricError(_("Mã lĩnh vực “{code}” đã có.").format(code=code), field="code")
    area = area or WorkArea(rubric=rubric)
    _own(rubric, area.rubric_id)
    area.code, area.title, area.max_points = (
        code, _required(title, field="title", free=True), max_points)
    area.order = _order(order, area, WorkArea.objects.filter(rubric=rubric))
    with acting(actor):
        area.save()
        _check(rubric)
    return area


def _order(order: int | None, obj: Any, siblings: Any) -> int:
    """The position asked, else the object's own, else after the last of its siblings."""
    if order is not None:
        return order
    if obj.pk:
        return int(obj.order)
    last = siblings.aggregate(m=Max("order"))["m"]
    return 10 if last is None else int(last) + 10


def _own(rubric: Rubric, rubric_id: int | None) -> None:
    if rubric_id != rubric.pk:
        raise RubricError(_("Mục này không thuộc thang điểm."))


@transaction.atomic
def criterion_save(*, actor: Actor | None, rubric: Rubric, criterion: Criterion | None = None,
                   area: WorkArea, code: str, title: str, max_points: Decimal, method: str,
                   unit_points: Decimal | None = None, department: Department | None = None,
                   evidence_required: bool = False, evidence: str = "",
                   order: int | None = None) -> Criterion:
    """Add a criterion to an area of a draft rubric, or change one (it may move area)."""
    permissions.require(actor, rubric.issuing_unit)
    rubric = _lock(rubric)
    _require_draft(rubric)
    _own(rubric, area.rubric_id)
    code = _code(code)
    if Criterion.objects.filter(area__rubric=rubric, code=code).exclude(pk=_pk(criterion)).exists():
        raise RubricError(_("Mã tiêu chí “{code}” đã có trong thang điểm.").format(code=code),
                          field="code")
    if method not in ScoringMethod.values:
        raise RubricError(_("Cách chấm không hợp lệ."), field="method")
    _department(rubric, department, field="department")
    if criterion is not None:
        _own(rubric, WorkArea.objects.filter(pk=criterion.area_id).values_list(
            "rubric_id", flat=True).first())
    c = criterion or Criterion()
    c.area = area
    c.code, c.max_points, c.method = code, max_points, method
    c.title = _required(title, field="title", free=True)
    c.unit_points = unit_points if method == ScoringMethod.COUNT else None
    c.department = department
    c.evidence_required, c.evidence = evidence_required, strip_hidden(evidence or "").strip()
    c.order = _order(order, c, Criterion.objects.filter(area=area))
    with acting(actor):
        c.save()
        _check(rubric)
    return c


@transaction.atomic
def item_save(*, actor: Actor | None, rubric: Rubric, item: RubricItem | None = None, kind: str,
              code: str, title: str, points: Decimal, cap: Decimal | None = None,
              department: Department | None = None,
              order: int | None = None) -> RubricItem:
    """Add or change a bonus (điểm thưởng) or penalty (điểm trừ) item of a draft rubric."""
    permissions.require(actor, rubric.issuing_unit)
    rubric = _lock(rubric)
    _require_draft(rubric)
    code = _code(code)
    if kind not in ItemKind.values:
        raise RubricError(_("Loại không hợp lệ."), field="kind")
    if RubricItem.objects.filter(rubric=rubric, code=code).exclude(pk=_pk(item)).exists():
        raise RubricError(_("Mã “{code}” đã có.").format(code=code), field="code")
    _department(rubric, department, field="department")
    i = item or RubricItem(rubric=rubric)
    _own(rubric, i.rubric_id)
    i.kind, i.code, i.points, i.cap = kind, code, points, cap
    i.title = _required(title, field="title", free=True)
    i.department = department
    i.order = _order(order, i, RubricItem.objects.filter(rubric=rubric))
    with acting(actor):
        i.save()
        _check(rubric)
    return i


@transaction.atomic
def tier_save(*, actor: Actor | None, rubric: Rubric, tier: RubricTier | None = None, code: str,
              name: str, rank: int, min_score: Decimal,
              max_share: Decimal | None = None) -> RubricTier:
    """Add or change a tier (xếp loại) of a draft rubric: its threshold and optional cap."""
    permissions.require(actor, rubric.issuing_unit)
    rubric = _lock(rubric)
    _require_draft(rubric)
    code = _code(code)
    if RubricTier.objects.filter(rubric=rubric, code=code).exclude(pk=_pk(tier)).exists():
        raise RubricError(_("Mã xếp loại “{code}” đã có.").format(code=code), field="code")
    if RubricTier.objects.filter(rubric=rubric, rank=rank).exclude(pk=_pk(tier)).exists():
        raise RubricError(_("Đã có một mức xếp loại ở bậc {rank}.").format(rank=rank),
                          field="rank")
    t = tier or RubricTier(rubric=rubric)
    _own(rubric, t.rubric_id)
    t.code, t.name, t.rank, t.min_score, t.max_share = (
        code, _required(name, field="name"), rank, min_score, max_share)
    with acting(actor):
        t.save()
        _check(rubric)
    return t


@transaction.atomic
def disqualifier_save(*, actor: Actor | None, rubric: Rubric,
                      disqualifier: RubricDisqualifier | None = None, code: str, label: str,
                      barred_tier: RubricTier) -> RubricDisqualifier:
    """Add or change a condition that bars a tier (and those above it) in a draft rubric."""
    permissions.require(actor, rubric.issuing_unit)
    rubric = _lock(rubric)
    _require_draft(rubric)
    code = _code(code)
    _own(rubric, barred_tier.rubric_id)
    if RubricDisqualifier.objects.filter(rubric=rubric, code=code).exclude(
            pk=_pk(disqualifier)).exists():
        raise RubricError(_("Mã điều kiện “{code}” đã có.").format(code=code), field="code")
    d = disqualifier or RubricDisqualifier(rubric=rubric)
    _own(rubric, d.rubric_id)
    d.code, d.label, d.barred_tier = code, _required(label, field="label", free=True), barred_tier
    with acting(actor):
        d.save()
        _check(rubric)
    return d


@transaction.atomic
def rubric_part_delete(*, actor: Actor | None, rubric: Rubric, part: Model) -> None:
    """Remove an area (with its criteria), a criterion, an item, a tier (with the conditions
    naming it) or a condition from a draft rubric."""
    permissions.require(actor, rubric.issuing_unit)
    rubric = _lock(rubric)
    _require_draft(rubric)
    owner = part.area.rubric_id if isinstance(part, Criterion) else part.rubric_id  # type: ignore[attr-defined]
    _own(rubric, owner)
    with acting(actor):
        if isinstance(part, WorkArea):
            for c in part.criteria.all():
                c.delete()
        if isinstance(part, RubricTier):
            for d in part.disqualifiers.all():
                d.delete()
        part.delete()
        if isinstance(part, WorkArea | Criterion):
            rubric.tie_breaks = [s for s in rubric.tie_breaks if _ref_alive(rubric, s)]
            rubric.save(update_fields=["tie_breaks", "updated_at"])
        _check(rubric)


def _ref_alive(rubric: Rubric, step: dict[str, str]) -> bool:
    if step.get("key") == TieBreakKey.AREA_TOTAL:
        return WorkArea.objects.filter(rubric=rubric, code=step.get("ref")).exists()
    if step.get("key") == TieBreakKey.CRITERION:
        return Criterion.objects.filter(area__rubric=rubric, code=step.get("ref")).exists()
    return True


# -- whole rubrics: write a spec, copy, freeze, close -------------------------------------------


def _write_spec(rubric: Rubric, spec: RubricSpec) -> None:
    """Replace the content of `rubric` (locked, draft) by `spec` (already checked)."""
    for old in WorkArea.objects.filter(rubric=rubric):
        for gone in old.criteria.all():
            gone.delete()
        old.delete()
    for model in (RubricDisqualifier, RubricItem, RubricTier):
        for obj in model.objects.filter(rubric=rubric):  # type: ignore[attr-defined]
            obj.delete()
    rubric.name, rubric.bonus_cap, rubric.penalty_cap = spec.name, spec.bonus_cap, \
        spec.penalty_cap
    rubric.tie_breaks = [dict(s) for s in spec.tie_breaks]
    rubric.save(update_fields=["name", "bonus_cap", "penalty_cap", "tie_breaks", "updated_at"])
    for n, a in enumerate(spec.areas, start=1):
        area = WorkArea.objects.create(rubric=rubric, code=a.code, title=a.title,
                                       max_points=a.max_points, order=n * 10)
        for m, c in enumerate(a.criteria, start=1):
            Criterion.objects.create(
                area=area, code=c.code, title=c.title, max_points=c.max_points, method=c.method,
                unit_points=c.unit_points, department_id=c.department_id,
                evidence_required=c.evidence_required, evidence=c.evidence, order=m * 10)
    for n, i in enumerate(spec.items, start=1):
        RubricItem.objects.create(rubric=rubric, kind=i.kind, code=i.code, title=i.title,
                                  points=i.points, cap=i.cap, department_id=i.department_id,
                                  order=n * 10)
    tiers = {t.code: RubricTier.objects.create(rubric=rubric, code=t.code, name=t.name,
                                               rank=t.rank, min_score=t.min_score,
                                               max_share=t.max_share)
             for t in spec.tiers}
    for d in spec.disqualifiers:
        RubricDisqualifier.objects.create(rubric=rubric, code=d.code, label=d.label,
                                          barred_tier=tiers[d.barred_tier])


@transaction.atomic
def rubric_replace(*, actor: Actor | None, rubric: Rubric, spec: RubricSpec) -> Rubric:
    """The whole content of a draft rubric becomes `spec` (an import): all or nothing."""
    permissions.require(actor, rubric.issuing_unit)
    rubric = _lock(rubric)
    _require_draft(rubric)
    spec.name = _required(spec.name, field="name")
    _raise_first(spec_problems(spec))
    departments = {d for d in [*(c.department_id for a in spec.areas for c in a.criteria),
                               *(i.department_id for i in spec.items)] if d is not None}
    if Department.objects.filter(pk__in=departments).exclude(
            unit=rubric.issuing_unit).exists():
        raise RubricError(_("Có ban không thuộc {unit}.").format(unit=rubric.issuing_unit.name),
                          field="department")
    with acting(actor):
        _write_spec(rubric, spec)
    return rubric


@transaction.atomic
def rubric_copy(*, actor: Actor | None, source: Rubric, year: int,
                group: SectorGroup | None = None, name: str = "") -> Rubric:
    """A new draft for `year` (and `group`, by default the source's) with a deep copy of the
    source's areas, criteria, items, tiers, conditions and tie-break order, to be edited.
    Departments that have ended since are dropped from the copy's criteria."""
    issuer = source.issuing_unit
    permissions.require(actor, issuer)
    group = group or source.group
    _free_slot(issuer, _year(year), group)
    spec = rubric_spec(source)
    live = set(Department.objects.filter(unit=issuer, valid_to__isnull=True)
               .values_list("pk", flat=True))
    for a in spec.areas:
        for cs in a.criteria:
            cs.department_id = cs.department_id if cs.department_id in live else None
    for i in spec.items:
        i.department_id = i.department_id if i.department_id in live else None
    spec.name = _text(name, field="name") or _default_copy_name(source, year)
    with acting(actor):
        rubric = Rubric.objects.create(issuing_unit=issuer, year=year, group=group,
                                       name=spec.name, copied_from=source,
                                       final_rule=source.final_rule,
                                       scoring_lead_days=source.scoring_lead_days)
        _write_spec(rubric, spec)
    return rubric


def _default_copy_name(source: Rubric, year: int) -> str:
    old = str(source.year)
    if old in source.name:
        return source.name.replace(old, str(year))
    return _("{name} (năm {year})").format(name=source.name, year=year)


@transaction.atomic
def rubric_freeze(*, actor: Actor | None, rubric: Rubric,
                  at: dt.datetime | None = None) -> Rubric:
    """Open scoring: the rubric must be complete and consistent; from now on it is frozen."""
    permissions.require(actor, rubric.issuing_unit, permissions.can_freeze)
    rubric = _lock(rubric)
    _require_draft(rubric)
    _raise_first(spec_problems(rubric_spec(rubric), complete=True))
    rubric.state = RubricState.OPEN
    rubric.frozen_at = at or timezone.now()
    rubric.frozen_by = actor if getattr(actor, "pk", None) else None  # type: ignore[assignment]
    with acting(actor):
        rubric.save(update_fields=["state", "frozen_at", "frozen_by", "updated_at"])
    return rubric


@transaction.atomic
def rubric_close(*, actor: Actor | None, rubric: Rubric) -> Rubric:
    """End the scoring year of an open rubric (it stays frozen)."""
    permissions.require(actor, rubric.issuing_unit, permissions.can_freeze)
    rubric = _lock(rubric)
    if rubric.state != RubricState.OPEN:
        raise RubricError(_("Chỉ kết thúc được thang điểm đang chấm điểm."))
    rubric.state = RubricState.CLOSED
    with acting(actor):
        rubric.save(update_fields=["state", "updated_at"])
    return rubric
