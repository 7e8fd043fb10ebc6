"""Branch structure advice (MEM-11, seed 003 §4.1).

Branches with fewer current members than policy.branch_min_members are proposed for an
inter-hamlet merge (chi đoàn liên khu, liên ấp) into their smallest live sibling branch; those
with more than policy.branch_max_members for a split into phân đoàn. An authorised cadre
(administer on the parent) carries a merge out here in one click after seeing org's own
preview (`org.services.unit_merge_preview`), or through the org pages; the merge moves the
source's current members into the receiving branch so none is left in a dissolved unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.audit.context import acting
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.typing import Actor
from doanvu.org import services as org_services
from doanvu.org.models import Unit

from ..core.selectors import policy_for
from ..models import Membership, MemberStatus
from ..permissions import ADMIN, NOT_YOUR_UNIT, require_unit
from ..rating.rules import split_parts


class StructureError(ApplicationError):
    pass


MERGE, SPLIT = "merge", "split"


@dataclass
class Advice:
    branch: Unit
    members: int
    action: str  # MERGE or SPLIT
    target: Unit | None = None  # merge: the proposed receiving sibling
    target_members: int = 0
    parts: int = 0  # split: how many phân đoàn
    can_carry_out: bool = False
    parent_name: str = ""  # empty when the user does not read the parent


@dataclass
class StructureReport:
    unit: Unit
    min_members: int
    max_members: int
    advice: list[Advice]


def structure_advice(*, scope: Scope, unit: Unit, day: dt.date | None = None) -> StructureReport:
    """Branches under `unit` (that the scope reads) outside the policy's thresholds, with the
    proposed merge or split. Two queries whatever the size: branches, and one grouped count."""
    day = day or today()
    policy = policy_for(unit=unit, day=day)
    branches = list(
        Unit.objects.filter(
            path__startswith=unit.path,
            kind__is_branch=True,
            kind__code="chi_doan",
            dissolved_on__isnull=True,
        )
        .select_related("kind", "parent")
        .order_by("path")
    )
    counts = dict(
        Membership.objects.filter(unit_path__startswith=unit.path, is_current=True)
        .values_list("branch_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_parent: dict[int | None, list[Unit]] = {}
    for b in branches:
        by_parent.setdefault(b.parent_id, []).append(b)
    advice: list[Advice] = []
    for b in branches:
        if not scope.can("read", b):
            continue
        n = counts.get(b.pk, 0)
        parent_name = b.parent.name if b.parent and scope.can("read", b.parent) else ""
        admin = b.parent is not None and scope.can("administer", b.parent)
        if n < policy.branch_min_members:
            # only siblings the user reads: a proposal never names a unit beyond reach
            siblings = [
                s for s in by_parent.get(b.parent_id, []) if s.pk != b.pk and scope.can("read", s)
            ]
            target = min(siblings, key=lambda s: (counts.get(s.pk, 0), s.name), default=None)
            advice.append(
                Advice(
                    branch=b,
                    members=n,
                    action=MERGE,
                    target=target,
                    target_members=counts.get(target.pk, 0) if target else 0,
                    can_carry_out=admin and target is not None,
                    parent_name=parent_name,
                )
            )
        elif n > policy.branch_max_members:
            advice.append(
                Advice(
                    branch=b,
                    members=n,
                    action=SPLIT,
                    parts=split_parts(n, policy.branch_max_members),
                    can_carry_out=admin,
                    parent_name=parent_name,
                )
            )
    return StructureReport(
        unit=unit,
        min_members=policy.branch_min_members,
        max_members=policy.branch_max_members,
        advice=advice,
    )


def merge_preview(*, branch: Unit, target: Unit, on: dt.date) -> tuple[org_services.MergePlan, int]:
    """Org's preview of the merge and how many current members would move with it."""
    _check_pair(branch, target)
    plan = org_services.unit_merge_preview(sources=[branch], target=target, on=on)
    return plan, Membership.objects.filter(branch=branch, is_current=True).count()


def _check_pair(branch: Unit, target: Unit) -> None:
    if not branch.kind.is_branch or not target.kind.is_branch:
        raise StructureError(_("Chỉ sáp nhập chi đoàn với chi đoàn."))
    if branch.parent_id != target.parent_id:
        raise StructureError(
            _("{name} không cùng đơn vị cấp trên với {branch_name}.").format(
                name=target.name, branch_name=branch.name
            )
        )


@transaction.atomic
def branch_merge_carry_out(
    *, actor: Actor | None, branch: Unit, target: Unit, on: dt.date, decision: str = ""
) -> int:
    """Merge `branch` into its sibling `target` through org.services.unit_merge, then move the
    branch's current members into `target`: each old membership ends (transferred) and a new
    one starts on `on`, so dues, meetings and ratings stay with the branch they belong to.
    Returns the number of members moved."""
    require_unit(actor=actor, unit=branch.parent or branch, perm=ADMIN, message=str(NOT_YOUR_UNIT))
    require_unit(actor=actor, unit=target, perm=ADMIN, message=str(NOT_YOUR_UNIT))
    _check_pair(branch, target)
    moving = list(
        Membership.objects.select_for_update()
        .filter(branch=branch, is_current=True)
        .select_related("person")
    )
    org_services.unit_merge(
        actor=actor,
        sources=[branch],
        target=target,
        on=on,
        decision=decision,
        note=_("Sáp nhập chi đoàn liên khu, liên ấp (đề xuất cơ cấu chi đoàn)"),
    )
    target.refresh_from_db()
    with acting(
        actor,
        reason=_("Sáp nhập {name} vào {target_name}").format(
            name=branch.name, target_name=target.name
        ),
    ):
        for old in moving:
            old.is_current = False
            old.status = MemberStatus.TRANSFERRED
            old.ended_on = on
            old.end_reason = _("Sáp nhập chi đoàn vào {name}").format(name=target.name)[:255]
            old.save(update_fields=["is_current", "status", "ended_on", "end_reason"])
            Membership.objects.create(
                person=old.person,
                branch=target,
                unit_path=target.path,
                name_folded=old.name_folded,
                birth_date=old.birth_date,
                gender=old.gender,
                joined_union_on=old.joined_union_on,
                card_number=old.card_number,
                started_on=on,
                has_salary=old.has_salary,
                pays_quarterly=old.pays_quarterly,
                holds_union_post=False,
            )
    return len(moving)
