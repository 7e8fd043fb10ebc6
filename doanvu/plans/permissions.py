"""Who may do what with a unit's plans, asked of the one Scope (X-3): readers of the issuing unit
(and of the units a plan was sent to) read it; writers keep its structure, tasks, progress,
evidence and directives; administrators issue the lead-time policy."""

from __future__ import annotations

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, Scope
from doanvu.org.models import Unit

WRITE = PermissionKind.WRITE.value
ADMINISTER = PermissionKind.ADMINISTER.value


def can_read(scope: Scope, unit: Unit) -> bool:
    return scope.can(READ, unit)


def can_manage(scope: Scope, unit: Unit) -> bool:
    return scope.can(WRITE, unit)


def can_administer(scope: Scope, unit: Unit) -> bool:
    return scope.can(ADMINISTER, unit)
