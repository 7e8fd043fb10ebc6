"""Who may do what with field visits, asked of the one Scope (X-3). Pages and services ask the
same predicates.

**A cadre's field-visit record follows the cadre** (the person-level rule of issue 8): it is
governed by the unit of the cadre's current agency post (`governing_unit`: the open post that
started last; with none open, the last post held). That unit's readers read the whole record;
its writers correct it. The unit a visit was made from (`Visit.unit`) keeps the facts of its
own period — it reads the visits and compliance rows it recorded, and nothing later.

- The cadre (their `org.Person` linked to the user) reads their own record, logs and reports
  their own visits and drafts their own lines of a quarter's plan.
- `write` on the governing unit (the department head, Ban Tổ chức – Kiểm tra) edits any
  cadre's visits and merges the department's plan; `approve` there approves plans, assigns the
  Standing's kinds and issues the quarter's plan; `administer` there edits the regime.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, Scope
from doanvu.common.dates import today
from doanvu.org.models import Person, Position, Unit

from .models import FieldVisitPolicy, QuarterPlan, Visit

WRITE = PermissionKind.WRITE.value
APPROVE = PermissionKind.APPROVE.value
ADMINISTER = PermissionKind.ADMINISTER.value


def person_ids(scope: Scope) -> set[int]:
    """The persons of the scope's user (one, where the account is linked)."""
    if scope.user_id is None:
        return set()
    return set(Person.objects.filter(user_id=scope.user_id).values_list("pk", flat=True))


def is_self(scope: Scope, person: Person | int) -> bool:
    pk = person if isinstance(person, int) else person.pk
    return pk in person_ids(scope)


def governing_post(person: Person | int, *, on: dt.date | None = None) -> Position | None:
    """The post that governs a cadre's record on `on` (today): the open post that started last;
    with none open, the last post held."""
    day = on or today()
    posts = (Position.objects.filter(person=person, start_date__lte=day)
             .select_related("unit", "department"))
    open_post = (posts.filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
                 .order_by("-start_date", "-id").first())
    return open_post or posts.order_by("-end_date", "-start_date", "-id").first()


def governing_unit(person: Person | int, *, on: dt.date | None = None) -> Unit | None:
    post = governing_post(person, on=on)
    return post.unit if post is not None else None


def can_read_person(scope: Scope, person: Person | int) -> bool:
    """The cadre's whole record: the cadre, or a reader of the governing unit."""
    if scope.is_superuser or is_self(scope, person):
        return True
    unit = governing_unit(person)
    return unit is not None and scope.can(READ, unit)


def can_manage_person(scope: Scope, person: Person | int) -> bool:
    """Correct any visit of the cadre (write on the governing unit)."""
    unit = governing_unit(person)
    return scope.is_superuser or (unit is not None and scope.can(WRITE, unit))


def can_read_visit(scope: Scope, visit: Visit) -> bool:
    """The cadre's readers, and the unit the visit was made from (the facts of its period)."""
    return scope.can(READ, visit.unit) or can_read_person(scope, visit.person_id)


def can_log_for(scope: Scope, person: Person | int) -> bool:
    """Log or report a visit of `person`: the cadre, or a writer of the governing unit."""
    return is_self(scope, person) or can_manage_person(scope, person)


def can_change_visit(scope: Scope, visit: Visit) -> bool:
    return can_log_for(scope, visit.person_id)


def can_read_unit(scope: Scope, unit: Unit) -> bool:
    """Tables, roll-ups and plans of a unit's agency."""
    return scope.can(READ, unit)


def can_manage_plan(scope: Scope, plan: QuarterPlan) -> bool:
    """Merge lines into a department's plan and register it (write on the unit, in the
    department's field for department reach)."""
    return scope.can(WRITE, plan.unit, department_id=plan.department_id)


def can_approve_plan(scope: Scope, plan: QuarterPlan) -> bool:
    return scope.can(APPROVE, plan.unit)


def can_edit_policy(scope: Scope, policy: FieldVisitPolicy) -> bool:
    return scope.can(ADMINISTER, policy.issuing_unit)


def can_issue_policy(scope: Scope, unit: Unit) -> bool:
    return scope.can(ADMINISTER, unit)
