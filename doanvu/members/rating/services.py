"""Annual rating and classification (MEM-7) and rèn luyện registration (MEM-8).

Writes are services (keyword-only, atomic, audited with a reason); the caps are decided by the
pure rules in `rating.rules`; the scales are data (`RatingScale`, seeded from `builtin_scales`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.audit.context import acting
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.typing import Actor
from doanvu.org.models import Unit
from doanvu.org.selectors import branches_on, nearest_issued

from ..models import (
    MemberRating,
    Membership,
    RatingScale,
    TrainingRegistration,
    UnitClassification,
)
from ..permissions import NOT_YOUR_UNIT, require_unit_write
from . import rules


class RatingError(ApplicationError):
    pass


MEMBER, BRANCH, GRASSROOTS = "member", "branch", "grassroots"
NEW_SCALE_FROM = 2020  # HD 33-HD/TWĐTN-BTC: only decides which built-in data a year gets


# -- the built-in scales (data for the demo and tests) --------------------------------------------


def builtin_scales(year: int) -> list[dict[str, Any]]:
    """The scales of `year` as data: since 2020 (HD 33-HD/TWĐTN-BTC) four levels for members
    and organisations alike; before, Xuất sắc/Khá/Trung bình/Yếu (members) and Vững mạnh/
    Khá/Trung bình/Yếu (branches, grassroots). The caps are illustrative demo figures that a
    province edits in its own RatingScale; nothing in the rules knows them."""
    if year >= NEW_SCALE_FROM:
        levels = [
            {"code": "htxs", "name": _("Hoàn thành xuất sắc nhiệm vụ"), "rank": 1},
            {"code": "htt", "name": _("Hoàn thành tốt nhiệm vụ"), "rank": 2},
            {"code": "ht", "name": _("Hoàn thành nhiệm vụ"), "rank": 3},
            {"code": "khong_ht", "name": _("Không hoàn thành nhiệm vụ"), "rank": 4},
        ]
        source = _("Hướng dẫn 33-HD/TWĐTN-BTC (2020) về kiểm điểm, đánh giá, xếp loại chất lượng")
        member_caps = {
            "rules": [
                {"kind": "max_percent", "level": "htxs", "percent": 20},
                {
                    "kind": "max_percent_if_unit_below",
                    "level": "htxs",
                    "unit_below": "htt",
                    "percent": 10,
                },
                {"kind": "requires_training", "level": "htxs"},
            ]
        }
        unit_caps = {"rules": [{"kind": "max_percent", "level": "htxs", "percent": 20}]}
        return [
            {
                "target": MEMBER,
                "name": _("Xếp loại đoàn viên năm {year}").format(year=year),
                "source": source,
                "levels": levels,
                "caps": member_caps,
            },
            {
                "target": BRANCH,
                "name": _("Xếp loại chi đoàn năm {year}").format(year=year),
                "source": source,
                "levels": levels,
                "caps": unit_caps,
            },
            {
                "target": GRASSROOTS,
                "name": _("Xếp loại cơ sở Đoàn năm {year}").format(year=year),
                "source": source,
                "levels": levels,
                "caps": unit_caps,
            },
        ]
    source = _("Hướng dẫn đánh giá, xếp loại trước năm 2020")
    member_levels = [
        {"code": "xuat_sac", "name": _("Xuất sắc"), "rank": 1},
        {"code": "kha", "name": _("Khá"), "rank": 2},
        {"code": "trung_binh", "name": _("Trung bình"), "rank": 3},
        {"code": "yeu", "name": _("Yếu"), "rank": 4},
    ]
    unit_levels = [
        {"code": "vung_manh", "name": _("Vững mạnh"), "rank": 1},
        {"code": "kha", "name": _("Khá"), "rank": 2},
        {"code": "trung_binh", "name": _("Trung bình"), "rank": 3},
        {"code": "yeu", "name": _("Yếu"), "rank": 4},
    ]
    return [
        {
            "target": MEMBER,
            "name": _("Xếp loại đoàn viên năm {year}").format(year=year),
            "source": source,
            "levels": member_levels,
            "caps": {"rules": [{"kind": "max_percent", "level": "xuat_sac", "percent": 20}]},
        },
        {
            "target": BRANCH,
            "name": _("Xếp loại chi đoàn năm {year}").format(year=year),
            "source": source,
            "levels": unit_levels,
            "caps": {},
        },
        {
            "target": GRASSROOTS,
            "name": _("Xếp loại cơ sở Đoàn năm {year}").format(year=year),
            "source": source,
            "levels": unit_levels,
            "caps": {},
        },
    ]


@transaction.atomic
def rating_scales_install(*, issuing_unit: Unit, years: Iterable[int]) -> list[RatingScale]:
    """Create the built-in scales of `years` at `issuing_unit` where it has none yet."""
    out: list[RatingScale] = []
    for year in years:
        for data in builtin_scales(year):
            scale, _created = RatingScale.objects.get_or_create(
                issuing_unit=issuing_unit,
                year=year,
                target=data["target"],
                defaults={k: data[k] for k in ("name", "source", "levels", "caps")},
            )
            out.append(scale)
    return out


def target_of(unit: Unit) -> str | None:
    if unit.kind.is_branch:
        return BRANCH
    if unit.kind.is_grassroots:
        return GRASSROOTS
    return None


def scale_for(*, unit: Unit, year: int, target: str) -> RatingScale:
    """The scale in force for `unit`: the nearest ancestor's (or its own) for the year."""
    scale: RatingScale | None = nearest_issued(
        unit=unit, records=RatingScale.objects.filter(year=year, target=target),
        unit_field="issuing_unit_id")
    if scale is not None:
        return scale
    raise RatingError(
        _("Chưa có thang xếp loại năm {year} áp dụng cho {name}.").format(year=year, name=unit.name)
    )


def rules_scale(scale: RatingScale) -> rules.Scale:
    label = {MEMBER: _("đoàn viên"), BRANCH: _("chi đoàn"), GRASSROOTS: _("cơ sở Đoàn")}[
        scale.target
    ]
    try:
        return rules.scale_from_data(scale.levels, scale.caps, population_label=label)
    except rules.ScaleDataError as exc:
        raise RatingError(
            _("Thang xếp loại “{name}” có lỗi: {exc}").format(name=scale.name, exc=exc)
        ) from None


def level_names(scale: RatingScale) -> dict[str, str]:
    return {str(x["code"]): str(x["name"]) for x in scale.levels}


# -- who counts in a year -------------------------------------------------------------------------


def active_in_year(year: int, prefix: str = "") -> Q:
    """Memberships that were current at some time in `year`."""
    ended = Q(**{f"{prefix}ended_on__isnull": True}) | Q(
        **{f"{prefix}ended_on__gte": dt.date(year, 1, 1)}
    )
    return Q(**{f"{prefix}started_on__lte": dt.date(year, 12, 31)}) & ended


def branch_members(*, branch: Unit, year: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(branch=branch)
        .filter(active_in_year(year))
        .select_related("person")
        .order_by("name_folded", "id")
    )


def _member_tally(branch: Unit, year: int) -> rules.Tally:
    population = Membership.objects.filter(branch=branch).filter(active_in_year(year)).count()
    counts = dict(
        MemberRating.objects.filter(membership__branch=branch, year=year)
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    return rules.Tally(population=population, counts=counts)


def _unit_level(unit: Unit, year: int) -> str | None:
    return (
        UnitClassification.objects.filter(unit=unit, year=year)
        .values_list("level", flat=True)
        .first()
    )


def _trained_ids(membership_ids: Iterable[int], year: int) -> set[int]:
    return set(
        TrainingRegistration.objects.filter(
            membership_id__in=list(membership_ids), year=year
        ).values_list("membership_id", flat=True)
    )


def _check_year(year: int) -> None:
    if not 1931 <= year <= today().year:
        raise RatingError(_("Năm {year} không hợp lệ để xếp loại.").format(year=year), field="year")


# -- member rating --------------------------------------------------------------------------------


@transaction.atomic
def member_rate(
    *, actor: Actor | None, membership: Membership, year: int, level: str, reason: str = ""
) -> MemberRating:
    """Rate one member for `year`; a rating that breaks a cap of the year's scale is refused
    with the cap's reason. Audited with the level and the reason."""
    require_unit_write(actor=actor, unit=membership.branch, message=str(NOT_YOUR_UNIT))
    _check_year(year)
    if not Membership.objects.filter(pk=membership.pk).filter(active_in_year(year)).exists():
        raise RatingError(
            _("{person} không sinh hoạt tại chi đoàn trong năm {year}.").format(
                person=membership.person, year=year
            )
        )
    scale = scale_for(unit=membership.branch, year=year, target=MEMBER)
    rscale = rules_scale(scale)
    existing = (
        MemberRating.objects.select_for_update().filter(membership=membership, year=year).first()
    )
    decision = rules.check_change(
        rscale,
        _member_tally(membership.branch, year),
        new=level,
        old=existing.level if existing else None,
        unit_level=_unit_level(membership.branch, year),
        trained=membership.pk in _trained_ids([membership.pk], year),
    )
    if not decision.allowed:
        raise RatingError(decision.reason, field="level")
    return _save_rating(actor, membership, year, level, reason, existing, scale)


def _save_rating(
    actor: Actor | None,
    membership: Membership,
    year: int,
    level: str,
    reason: str,
    existing: MemberRating | None,
    scale: RatingScale,
) -> MemberRating:
    name = level_names(scale)[level]
    audit_reason = _("Xếp loại đoàn viên năm {year}: {name}").format(year=year, name=name) + (
        f" — {reason}" if reason else ""
    )
    with acting(actor, reason=audit_reason):
        if existing is None:
            return MemberRating.objects.create(
                membership=membership, year=year, level=level, reason=reason[:255]
            )
        fields = ["level", "reason"]
        existing.level, existing.reason = level, reason[:255]
        if existing.recommended_to_party and not rules.may_recommend_to_party(
            rules_scale(scale), level
        ):
            existing.recommended_to_party = False
            fields.append("recommended_to_party")
        existing.save(update_fields=fields)
        return existing


@dataclass
class BulkResult:
    created: int = 0
    changed: int = 0
    removed: int = 0


@transaction.atomic
def member_rate_bulk(
    *,
    actor: Actor | None,
    branch: Unit,
    year: int,
    levels: Mapping[int, str | None],
    reason: str = "",
) -> BulkResult:
    """Save a branch's rating sheet in one go: `levels` maps membership id → level code (None
    or "" clears). The whole sheet is checked against the caps as it will stand, so the order
    of ticking never matters; nothing is saved when a cap would break."""
    require_unit_write(actor=actor, unit=branch, message=str(NOT_YOUR_UNIT))
    _check_year(year)
    scale = scale_for(unit=branch, year=year, target=MEMBER)
    rscale = rules_scale(scale)
    members = {m.pk: m for m in branch_members(branch=branch, year=year)}
    unknown = [pk for pk in levels if pk not in members]
    if unknown:
        raise RatingError(_("Danh sách có đoàn viên không thuộc chi đoàn trong năm này."))
    existing = {
        r.membership_id: r
        for r in MemberRating.objects.select_for_update().filter(
            membership_id__in=list(members), year=year
        )
    }
    final: dict[int, str | None] = {
        pk: (r.level if r else None) for pk, r in ((pk, existing.get(pk)) for pk in members)
    }
    for pk, level in levels.items():
        final[pk] = level or None
    trained = _trained_ids(members, year)
    decision = rules.check_distribution(
        rscale,
        len(members),
        final.values(),
        unit_level=_unit_level(branch, year),
        untrained=[
            lv
            for pk, lv in final.items()
            if pk not in trained and (existing.get(pk) is None or existing[pk].level != lv)
        ],
    )
    if not decision.allowed:
        raise RatingError(decision.reason)
    result = BulkResult()
    for pk, level in levels.items():
        old = existing.get(pk)
        if not level:
            if old is not None:
                with acting(actor, reason=_("Bỏ xếp loại đoàn viên năm {year}").format(year=year)):
                    old.delete()
                result.removed += 1
            continue
        if old is not None and old.level == level:
            continue
        _save_rating(actor, members[pk], year, level, reason, old, scale)
        if old is None:
            result.created += 1
        else:
            result.changed += 1
    return result


@transaction.atomic
def member_recommend_to_party(
    *, actor: Actor | None, membership: Membership, year: int, recommend: bool = True
) -> MemberRating:
    """Giới thiệu "đoàn viên ưu tú" cho Đảng: only from the year's top level."""
    require_unit_write(actor=actor, unit=membership.branch, message=str(NOT_YOUR_UNIT))
    rating = MemberRating.objects.filter(membership=membership, year=year).first()
    scale = scale_for(unit=membership.branch, year=year, target=MEMBER)
    rscale = rules_scale(scale)
    if recommend:
        if rating is None or not rules.may_recommend_to_party(rscale, rating.level):
            raise RatingError(
                _(
                    "Chỉ đoàn viên được xếp loại “{name}” năm {year} mới được giới thiệu là đoàn "
                    "viên ưu tú cho Đảng xem xét kết nạp."
                ).format(name=rscale.top.name, year=year)
            )
        if membership.person.party_member:
            raise RatingError(_("{person} đã là đảng viên.").format(person=membership.person))
    if rating is None:
        raise RatingError(
            _("{person} chưa được xếp loại năm {year}.").format(person=membership.person, year=year)
        )
    if rating.recommended_to_party != recommend:
        rating.recommended_to_party = recommend
        why = _("Giới thiệu đoàn viên ưu tú") if recommend else _("Thôi giới thiệu đoàn viên ưu tú")
        with acting(actor, reason=_("{why} năm {year}").format(why=why, year=year)):
            rating.save(update_fields=["recommended_to_party"])
    return rating


# -- unit classification --------------------------------------------------------------------------


def _siblings_of_target(unit: Unit, target: str) -> QuerySet[Unit]:
    flag = "kind__is_branch" if target == BRANCH else "kind__is_grassroots"
    return Unit.objects.filter(parent_id=unit.parent_id, dissolved_on__isnull=True, **{flag: True})


@transaction.atomic
def unit_classify(
    *, actor: Actor | None, unit: Unit, year: int, level: str, reason: str = ""
) -> UnitClassification:
    """Classify a branch or a grassroots union for `year`; the caps count the parent's units of
    the same kind (e.g. at most 20% of a commune's branches in the top level)."""
    require_unit_write(actor=actor, unit=unit.parent or unit, message=str(NOT_YOUR_UNIT))
    _check_year(year)
    target = target_of(unit)
    if target is None or unit.parent_id is None:
        raise RatingError(
            _("{name} không phải chi đoàn hay cơ sở Đoàn để xếp loại.").format(name=unit.name)
        )
    scale = scale_for(unit=unit, year=year, target=target)
    rscale = rules_scale(scale)
    siblings = _siblings_of_target(unit, target)
    counts = dict(
        UnitClassification.objects.filter(unit__in=siblings, year=year)
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    existing = UnitClassification.objects.select_for_update().filter(unit=unit, year=year).first()
    tally = rules.Tally(population=siblings.count(), counts=counts)
    decision = rules.check_change(
        rscale, tally, new=level, old=existing.level if existing else None
    )
    if not decision.allowed:
        raise RatingError(decision.reason, field="level")
    name = level_names(scale)[level]
    with acting(
        actor,
        reason=_("Xếp loại {unit} năm {year}: {level}").format(
            unit=unit.name, year=year, level=name
        )
        + (f" — {reason}" if reason else ""),
    ):
        if existing is None:
            return UnitClassification.objects.create(
                unit=unit, year=year, level=level, reason=reason[:255]
            )
        existing.level, existing.reason = level, reason[:255]
        existing.save(update_fields=["level", "reason"])
        return existing


# -- roll-up (one grouped query) ------------------------------------------------------------------


@dataclass
class RollupRow:
    unit: Unit
    members: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    classification: str = ""

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def unrated(self) -> int:
        return max(self.members - self.rated, 0)


@dataclass
class Rollup:
    unit: Unit
    year: int
    levels: list[dict[str, Any]]
    rows: list[RollupRow]
    total: RollupRow
    unit_levels: list[dict[str, Any]]


def rating_rollup(*, scope: Scope, unit: Unit, year: int) -> Rollup:
    """Counts per level per unit over `unit`'s subtree for `year`: one row per live direct
    sub-unit (and the unit itself when it is a branch). Members: one grouped query by the
    denormalised branch path; classifications: one more; the scope filters both."""
    children = [
        c
        for c in Unit.objects.filter(parent=unit, dissolved_on__isnull=True)
        .select_related("kind")
        .order_by("name")
        if scope.can("read", c)
    ]
    rows = [RollupRow(unit=c) for c in children]
    own = RollupRow(unit=unit)
    total = RollupRow(unit=unit)
    ratings = (
        scope.filter(
            MemberRating.objects.filter(year=year, membership__unit_path__startswith=unit.path),
            path_field="membership__unit_path",
            id_field="membership__branch_id",
        )
        .values_list("membership__unit_path", "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    members = (
        scope.filter(
            Membership.objects.filter(unit_path__startswith=unit.path).filter(active_in_year(year)),
            path_field="unit_path",
            id_field="branch_id",
        )
        .values_list("unit_path")
        .annotate(n=Count("id"))
        .order_by()
    )

    def row_for(path: str) -> RollupRow | None:
        for r in rows:
            if path.startswith(r.unit.path):
                return r
        return own if path == unit.path else None

    for path, n in members:
        total.members += n
        row = row_for(path)
        if row is not None:
            row.members += n
    for path, level, n in ratings:
        total.counts[level] = total.counts.get(level, 0) + n
        row = row_for(path)
        if row is not None:
            row.counts[level] = row.counts.get(level, 0) + n
    classified = dict(
        UnitClassification.objects.filter(unit__in=children, year=year).values_list(
            "unit_id", "level"
        )
    )
    for r in rows:
        r.classification = classified.get(r.unit.pk, "")
    try:
        levels = scale_for(unit=unit, year=year, target=MEMBER).levels
    except RatingError:
        levels = builtin_scales(year)[0]["levels"]
    unit_levels = builtin_scales(year)[1]["levels"]
    child_target = next((t for t in (target_of(c) for c in children) if t), None)
    if child_target and children:
        with contextlib.suppress(RatingError):
            unit_levels = scale_for(unit=children[0], year=year, target=child_target).levels
    shown = [*([own] if unit.kind.is_branch else []), *rows]
    return Rollup(
        unit=unit,
        year=year,
        levels=list(levels),
        rows=shown,
        total=total,
        unit_levels=list(unit_levels),
    )


# -- rèn luyện (MEM-8) ----------------------------------------------------------------------------


@transaction.atomic
def training_register_bulk(
    *,
    actor: Actor | None,
    branch: Unit,
    year: int,
    registered: Iterable[int],
    results: Mapping[int, str] | None = None,
    on: dt.date | None = None,
) -> BulkResult:
    """Save a branch's rèn luyện sheet: the ticked members are registered for `year` (the others
    are unregistered unless a result was recorded), with each member's result."""
    require_unit_write(actor=actor, unit=branch, message=str(NOT_YOUR_UNIT))
    _check_year(year)
    on = on or today()
    results = results or {}
    members = {m.pk: m for m in branch_members(branch=branch, year=year)}
    ticked = set(registered)
    if ticked - set(members) or set(results) - set(members):
        raise RatingError(_("Danh sách có đoàn viên không thuộc chi đoàn trong năm này."))
    existing = {
        t.membership_id: t
        for t in TrainingRegistration.objects.select_for_update().filter(
            membership_id__in=list(members), year=year
        )
    }
    out = BulkResult()
    with acting(actor, reason=_("Đăng ký rèn luyện đoàn viên năm {year}").format(year=year)):
        for pk in members:
            reg = existing.get(pk)
            result = (results.get(pk) or "").strip()[:120]
            if pk in ticked:
                if reg is None:
                    TrainingRegistration.objects.create(
                        membership_id=pk, year=year, registered_on=on, result=result
                    )
                    out.created += 1
                elif pk in results and reg.result != result:
                    reg.result = result
                    reg.save(update_fields=["result"])
                    out.changed += 1
            elif reg is not None:
                if reg.result and not result and pk not in results:
                    continue
                reg.delete()
                out.removed += 1
    return out


@dataclass
class ShareRow:
    unit: Unit
    members: int
    count: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.members) if self.members else 0


def _branches_under(unit: Unit, as_of: dt.date | None = None) -> list[Unit]:
    if as_of is not None:
        return branches_on(unit=unit, day=as_of)
    return list(
        Unit.objects.filter(
            path__startswith=unit.path, kind__is_branch=True, dissolved_on__isnull=True
        ).order_by("path")
    )


def branch_share(
    *, scope: Scope, unit: Unit, year: int, counted: QuerySet[Any], counted_member_field: str,
    as_of: dt.date | None = None,
) -> list[ShareRow]:
    """Per branch under `unit`: members active in `year` and how many of them appear in
    `counted` (registrations, referrals…). Two grouped queries whatever the number of branches.
    `as_of`: the branches under `unit` as the tree stood that day (X-10); today's by default."""
    branches = _branches_under(unit, as_of)
    members = Membership.objects.filter(active_in_year(year))
    if as_of is None:
        members = members.filter(unit_path__startswith=unit.path)
    else:
        members = members.filter(branch_id__in=[b.pk for b in branches])
    base = scope.filter(members, path_field="unit_path", id_field="branch_id")
    totals = dict(base.values_list("branch_id").annotate(n=Count("id")).order_by())
    hits = dict(
        base.filter(pk__in=counted.values(counted_member_field))
        .values_list("branch_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        ShareRow(unit=b, members=totals.get(b.pk, 0), count=hits.get(b.pk, 0))
        for b in branches
        if scope.can("read", b)
    ]


def training_share(
    *, scope: Scope, unit: Unit, year: int, as_of: dt.date | None = None
) -> list[ShareRow]:
    return branch_share(
        scope=scope,
        unit=unit,
        year=year,
        counted=TrainingRegistration.objects.filter(year=year),
        counted_member_field="membership_id",
        as_of=as_of,
    )


# -- demo -----------------------------------------------------------------------------------------


def load_demo_ratings() -> int:
    """Rate the demo's members for 2019 (old scale) and 2020–2025 (new scale) where members
    exist, within the caps, and classify their branches; a no-op without members. Returns the
    number of ratings written."""
    if not Membership.objects.exists():
        return 0
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        return 0
    years = [y for y in range(2019, 2026) if y <= today().year]
    rating_scales_install(issuing_unit=root, years=years)
    written = 0
    branch_ids = Membership.objects.values_list("branch_id", flat=True).distinct()
    branches = list(Unit.objects.filter(pk__in=branch_ids).select_related("kind"))
    with acting(None, reason=_("Dữ liệu minh họa: xếp loại đoàn viên")):
        for year in years:
            for branch in branches:
                written += _demo_rate_branch(branch, year)
    return written


def _demo_rate_branch(branch: Unit, year: int) -> int:
    members = list(branch_members(branch=branch, year=year))
    if not members:
        return 0
    scale = scale_for(unit=branch, year=year, target=MEMBER)
    codes = [str(x["code"]) for x in sorted(scale.levels, key=lambda x: int(x["rank"]))]
    done = set(
        MemberRating.objects.filter(membership__in=members, year=year).values_list(
            "membership_id", flat=True
        )
    )
    written = 0
    training_register_bulk(
        actor=None,
        branch=branch,
        year=year,
        registered=[m.pk for m in members],
        on=dt.date(year, 3, 26),
    )
    for i, member in enumerate(members):
        if member.pk in done:
            continue
        # a deterministic spread: every 5th member aims for the top, most rate second
        wish = codes[0] if i % 5 == 0 else codes[1] if i % 5 in (1, 2, 3) else codes[2]
        for level in codes[codes.index(wish) :]:
            try:
                member_rate(
                    actor=None,
                    membership=member,
                    year=year,
                    level=level,
                    reason=_("Chi đoàn biểu quyết (dữ liệu minh họa)"),
                )
            except RatingError:
                continue
            written += 1
            break
    target = target_of(branch)
    if target and branch.parent_id and branch.dissolved_on is None:
        unit_codes = [
            str(x["code"])
            for x in sorted(
                scale_for(unit=branch, year=year, target=target).levels,
                key=lambda x: int(x["rank"]),
            )
        ]
        for level in unit_codes[1:]:
            try:
                unit_classify(
                    actor=None, unit=branch, year=year, level=level, reason=_("Dữ liệu minh họa")
                )
                break
            except RatingError:
                continue
    return written
