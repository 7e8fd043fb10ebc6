"""Who may do what with targets, asked of the one Scope (X-3): a unit's readers read its targets'
dashboard; its writers set targets for units they write and enter units' results."""

from __future__ import annotations

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, Scope
from doanvu.org.models import Unit

WRITE = PermissionKind.WRITE.value


def can_read(scope: Scope, unit: Unit) -> bool:
    return scope.can(READ, unit)


def can_set(scope: Scope, unit: Unit) -> bool:
    return scope.can(WRITE, unit)
