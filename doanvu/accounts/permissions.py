"""Who may manage accounts and grants, asked of the one Scope (X-3).

The pages ask these to show a menu or answer 404; the services ask them again of their actor.
"""

from __future__ import annotations

from doanvu.org.models import Unit

from .models import PermissionKind, Reach, RoleType
from .scope import Scope

ADMINISTER = PermissionKind.ADMINISTER.value


def can_manage_accounts(scope: Scope) -> bool:
    """Create accounts, open the grants pages: administer some unit (or be a superuser)."""
    return scope.administers_any


def can_grant(scope: Scope, role_type: RoleType, unit: Unit) -> bool:
    """Give or end a role: administer everything the role reaches."""
    if role_type.reach in (Reach.SUBTREE, Reach.DEPARTMENT):
        return scope.covers_subtree(ADMINISTER, unit)
    return scope.can(ADMINISTER, unit)


def permissions_not_held(scope: Scope, role_type: RoleType, unit: Unit) -> list[str]:
    """Permissions of the role the granter does not hold over its whole reach: nobody hands
    out more than they have (a district administrator cannot create a finance officer)."""
    labels = dict(PermissionKind.choices)
    subtree = role_type.reach in (Reach.SUBTREE, Reach.DEPARTMENT)
    missing = []
    for perm in role_type.permissions:
        held = scope.covers_subtree(perm, unit) if subtree else scope.can(perm, unit)
        if not held:
            missing.append(str(labels.get(perm, perm)).lower())
    return missing
