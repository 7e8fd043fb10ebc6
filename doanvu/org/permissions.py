"""Who may change the organisation tree and a unit's agency, asked of the one Scope (X-3).

The pages ask these to show a button or answer 404; the services ask them again of their own
actor (`common.access.scope_for`), so an API call or a command cannot skip them. A rule that is
one permission kind on one unit is `scope.can` itself; these name the ones that are more.
"""

from __future__ import annotations

from doanvu.common.typing import UnitScope

from .models import Unit

READ = "read"  # accounts.models.PermissionKind (accounts sits above org)
WRITE = "write"
ADMINISTER = "administer"


def can_administer(scope: UnitScope, unit: Unit) -> bool:
    """Rename a unit, found a unit below it."""
    return scope.can(ADMINISTER, unit)


def can_found_under(scope: UnitScope, parent: Unit | None) -> bool:
    """A new unit: administer its parent; a new top unit only a superuser."""
    return scope.can(ADMINISTER, parent) if parent is not None else scope.is_superuser


def can_restructure(scope: UnitScope, unit: Unit) -> bool:
    """Move, merge, split or dissolve a unit: administer the unit it belongs to (the top unit:
    itself), since the change rewrites the parent's tree."""
    target = unit.parent if unit.parent_id is not None and unit.parent is not None else unit
    return scope.can(ADMINISTER, target)


def can_keep_agency(scope: UnitScope, unit: Unit) -> bool:
    """Departments, terms, seats, positions, supervisions of a live unit: write on it."""
    return unit.dissolved_on is None and scope.can(WRITE, unit)
