"""Who may compose, edit and issue a document, asked of the one Scope (X-3).

Composing and editing need `write` on the issuing unit, issuing `approve`, in the document's
department for a department-reach grant. The pages ask these to show a button or answer 404;
the services ask them again of their own actor.
"""

from __future__ import annotations

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, Scope
from doanvu.org.models import Department, Unit
from doanvu.org.paths import ancestor_ids

from .models import Document

WRITE = PermissionKind.WRITE.value
APPROVE = PermissionKind.APPROVE.value


def can_compose(scope: Scope, unit: Unit, department: Department | None) -> bool:
    """A draft of `unit` under `department`'s name (or the unit's own): write there."""
    return scope.can(WRITE, unit, department_id=department.pk if department is not None else None)


def can_edit(scope: Scope, document: Document) -> bool:
    return document.is_draft and scope.can(WRITE, document.issuing_unit,
                                           department_id=document.department_id)


def can_issue(scope: Scope, document: Document) -> bool:
    return document.is_draft and scope.can(APPROVE, document.issuing_unit,
                                           department_id=document.department_id)


def can_approve(scope: Scope, unit: Unit, department: Department | None) -> bool:
    """Issue a draft, or enter a paper document with its number: approve there."""
    return scope.can(APPROVE, unit,
                     department_id=department.pk if department is not None else None)


def can_address(scope: Scope, issuing_unit: Unit, unit: Unit, *, group: str = "") -> bool:
    """Send a document of `issuing_unit` to `unit` (or to a group of its sub-units): a unit
    the user reads, or — a unit itself, not a group — one above the issuer (a report to the
    province, "b/c")."""
    return scope.can(READ, unit) or (not group and unit.pk in ancestor_ids(issuing_unit.path))
