"""Who may do what with a rubric (X-3): named predicates over a Scope, asked alike by pages and
services. A rubric belongs to its issuing unit: reading it needs READ there, editing WRITE
(a department-reach grant does not edit a rubric: it is the whole unit's), and opening scoring
(freezing) or closing it APPROVE — the standing committee's decision."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import Scope
from doanvu.common.errors import ApplicationError
from doanvu.common.typing import Actor, UnitScope
from doanvu.org.models import Unit

READ = PermissionKind.READ.value
WRITE = PermissionKind.WRITE.value
APPROVE = PermissionKind.APPROVE.value

NOT_YOURS = _("Thang điểm này không thuộc phạm vi bạn được quyền cập nhật.")


class EmulationScopeError(ApplicationError):
    """The actor does not reach the issuing unit with the permission the write needs."""


def can_read(scope: UnitScope, unit: Unit) -> bool:
    return scope.can(READ, unit)


def can_edit(scope: UnitScope, unit: Unit) -> bool:
    """Build and edit the unit's rubrics and sector groups."""
    return scope.can(WRITE, unit)


def can_freeze(scope: UnitScope, unit: Unit) -> bool:
    """Open scoring (freeze a rubric) and close it."""
    return scope.can(APPROVE, unit)


def scope_of_actor(actor: Actor | None) -> Scope | None:
    if actor is None:
        return None
    if isinstance(actor, Scope):
        return actor
    return Scope.for_user(actor)


def require(actor: Actor | None, unit: Unit, allowed: object = can_edit) -> None:
    """Refuse (EmulationScopeError, nothing written) unless `allowed(scope, unit)`; a `None`
    actor is the system."""
    scope = scope_of_actor(actor)
    if scope is not None and not allowed(scope, unit):  # type: ignore[operator]
        raise EmulationScopeError(str(NOT_YOURS))


# -- score sheets (EMU-2, EMU-8) ----------------------------------------------------------------

SCORE = PermissionKind.SCORE.value

SHEET_NOT_YOURS = _("Phiếu chấm điểm này không thuộc phạm vi bạn được quyền cập nhật.")


def can_self_score(scope: UnitScope, unit: Unit, issuing_unit: Unit) -> bool:
    """The evaluated unit's own cadres (WRITE there, not a department's reach) score it; the
    issuing unit's cadres evaluate it and do not write its self-score (the system
    administrator may)."""
    return scope.can(WRITE, unit) and (scope.is_superuser or not scope.can(WRITE, issuing_unit))


def can_department_score(scope: UnitScope, unit: Unit, department_id: int | None) -> bool:
    """A department scores a unit's criterion only when it is the criterion's responsible
    department and the user holds SCORE in that department's field over the unit."""
    return department_id is not None and scope.can(SCORE, unit, department_id=department_id)


def require_sheet(scope: UnitScope | None, allowed: bool) -> None:
    """Refuse (EmulationScopeError, nothing written) a sheet write `allowed` says no to; a
    `None` scope is the system."""
    if scope is not None and not allowed:
        raise EmulationScopeError(str(SHEET_NOT_YOURS))
