"""Who may do what with an obligation, asked of the one Scope (X-3).

Two different questions, kept apart on purpose:

- *permission* — may this user submit / review / remind? Scope.can, as everywhere: a provincial
  secretary may submit on behalf of a commune, since their grant reaches it.
- *responsibility* — whose to-do list and whose mailbox does an obligation land in? The users
  whose own grant (with write) is on the owing unit itself, or the person it is owed by. A
  grant reaching the whole subtree does not make a provincial secretary answer for every
  commune's report: those show in the province's view of what its lower units owe it.
"""

from __future__ import annotations

from django.db.models import Q

from doanvu.accounts.models import PermissionKind, Reach
from doanvu.accounts.scope import READ, Scope
from doanvu.org.models import Department, Unit

from .models import Obligation

WRITE = PermissionKind.WRITE.value
APPROVE = PermissionKind.APPROVE.value


def can_read(scope: Scope, obligation: Obligation) -> bool:
    """Readers of the owing unit (its own people and every unit above that reaches it), or the
    person it is owed by. Seeing the owing unit is what the page shows, so nothing leaks."""
    if scope.user_id is not None and obligation.owed_by_user_id == scope.user_id:
        return True
    return scope.can(READ, obligation.owed_by_unit)


def read_q(scope: Scope) -> Q:
    q = scope.q(READ, via="owed_by_unit__")
    if scope.user_id is not None:
        q |= Q(owed_by_user_id=scope.user_id)
    return q


def can_submit(scope: Scope, obligation: Obligation) -> bool:
    if scope.user_id is not None and obligation.owed_by_user_id == scope.user_id:
        return True
    return scope.can(WRITE, obligation.owed_by_unit,
                     department_id=obligation.owed_by_department_id)


def can_review(scope: Scope, obligation: Obligation) -> bool:
    """Accept, return or waive: approve on the unit (and department) it is owed to."""
    return scope.can(APPROVE, obligation.owed_to_unit,
                     department_id=obligation.owed_to_department_id)


def can_remind(scope: Scope, obligation: Obligation) -> bool:
    """A one-click reminder comes from the side that is owed."""
    return can_review(scope, obligation) or scope.can(
        WRITE, obligation.owed_to_unit, department_id=obligation.owed_to_department_id
    )


def can_assign(scope: Scope, owed_to_unit: Unit, owed_to_department: Department | None) -> bool:
    """Set an obligation, or move its due date: the side it is owed to (write or approve
    there, in its department for a department-reach grant)."""
    dep = owed_to_department.pk if owed_to_department is not None else None
    return (scope.can(WRITE, owed_to_unit, department_id=dep)
            or scope.can(APPROVE, owed_to_unit, department_id=dep))


def responsible_q(scope: Scope) -> Q:
    """Obligations the user answers for: "Việc của tôi"."""
    if scope.user_id is None:
        return Q(pk__in=[])
    unit_q = Q(pk__in=[])
    for g in scope.grants:
        if WRITE not in g.permissions:
            continue
        if g.reach == Reach.DEPARTMENT:
            unit_q |= Q(owed_by_unit_id=g.unit_id, owed_by_department_id=g.department_id)
        else:
            unit_q |= Q(owed_by_unit_id=g.unit_id)
    return Q(owed_by_user_id=scope.user_id) | (Q(owed_by_user__isnull=True) & unit_q)


def own_unit_ids(scope: Scope) -> list[int]:
    """The units the user holds a grant on (not the whole reach): "the user's units"."""
    return sorted({g.unit_id for g in scope.grants})
