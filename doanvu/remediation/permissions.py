"""Who may do what with a unit's remediation, asked of the one Scope (X-3): its readers read the
register, solutions and evaluations; its writers keep them; approvers lock a month;
administrators issue the evaluation policy. Pages and services ask the same predicates."""

from __future__ import annotations

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, Scope
from doanvu.org.models import Unit

WRITE = PermissionKind.WRITE.value
APPROVE = PermissionKind.APPROVE.value
ADMINISTER = PermissionKind.ADMINISTER.value


def can_read(scope: Scope, unit: Unit) -> bool:
    return scope.can(READ, unit)


def can_manage(scope: Scope, unit: Unit) -> bool:
    return scope.can(WRITE, unit)


def can_approve(scope: Scope, unit: Unit) -> bool:
    return scope.can(APPROVE, unit)


def can_administer(scope: Scope, unit: Unit) -> bool:
    return scope.can(ADMINISTER, unit)
