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
