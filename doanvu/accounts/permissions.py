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


def requires_second_factor(scope: Scope) -> bool:
    """Who must enter a TOTP code after the password (issue 16): a superuser and whoever may
    grant roles — `can_grant` needs `administer` on a unit, so everyone who administers one."""
    return scope.administers_any


def may_reset_second_factor(scope: Scope, grants: list[tuple[RoleType, Unit]],
                            *, target_is_superuser: bool) -> bool:
    """An administrator may reset another user's second factor only if they could grant every
    current role of that user (so nobody takes over an account that reaches further than they
    do); a superuser's, or an account with no role, only a superuser."""
    if scope.is_superuser:
        return True
    if target_is_superuser or not grants:
        return False
    return all(can_grant(scope, role_type, unit) for role_type, unit in grants)
