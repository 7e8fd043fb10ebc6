"""Person-level scope (issue 8): who may read a person's data and who may change it.

The Scope (accounts.scope) answers for units. A person is not in a unit: they move. The rule,
asked here by every view, service, import and (later) API call that reads or writes a person:

**The governing membership.** A person is governed by their current membership, or, where
there is none, by their last one (the latest `started_on`, then the highest id). A person with
no membership at all (an agency cadre known only by posts) is governed by the units of their
positions and committee seats; a person with neither (just created, or left over) by nobody:
only a superuser and the system (a `None` actor) reach them.

- **Read** of the personal record (CCCD, phone, e-mail, address, … and everything recorded on
  the person: cadre statuses, courses, positions, later memberships, the audit trail) needs
  `scope.can(READ, governing.branch)`.
- **Write** on the person (the personal record, cadre statuses and courses, merging two
  persons, an import row that updates a person) needs `scope.can(WRITE, governing.branch)`.
  Merging needs it for *both* persons.
- **An earlier unit** (it reads a membership that no longer governs) keeps the facts of its
  own period: that membership (branch, dates, status, its dues and ratings), the person's name
  and birth date (the identity it already held), the memberships up to its own and the audit
  records made before the next membership began — nothing later units recorded, and no write.

The batch form for imports is `governing_memberships(person_ids)`: one query, the same rule
(a current membership wins, else the latest by (started_on, id)); a person id missing from the
answer has no membership. An import row whose person is governed outside the importer's WRITE
scope must be refused without naming anything about that person.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, Scope
from doanvu.common.errors import ApplicationError
from doanvu.common.typing import Actor
from doanvu.org.models import CommitteeSeat, Person, Position, Unit

from .models import Membership

WRITE = PermissionKind.WRITE.value
FINANCE = PermissionKind.FINANCE.value
ADMIN = PermissionKind.ADMINISTER.value

NOT_YOUR_UNIT = _("Đơn vị này không thuộc phạm vi bạn được quyền cập nhật.")


class PersonScopeError(ApplicationError):
    """The person is governed by a unit outside the actor's scope."""


OUT_OF_SCOPE = _("Hồ sơ cá nhân này do đơn vị khác đang quản lý: bạn không thể thay đổi. Hãy đề "
                 "nghị đơn vị đang quản lý đoàn viên cập nhật, hoặc làm thủ tục chuyển sinh hoạt.")


class Access(enum.Enum):
    """What a membership page may show: the whole person, or one earlier unit's period."""

    FULL = "full"
    PERIOD = "period"


# -- the governing membership ----------------------------------------------------------------------


def _latest_first() -> list[str]:
    return ["-is_current", "-started_on", "-id"]


def person_governing_membership(person: Person | int) -> Membership | None:
    """The current membership, or else the last one (latest started_on, then id); None when
    the person never had one."""
    person_id = person if isinstance(person, int) else person.pk
    return (Membership.objects.filter(person_id=person_id).select_related("branch")
            .order_by(*_latest_first()).first())


def governing_memberships(person_ids: Iterable[int]) -> dict[int, Membership]:
    """The governing membership of each person (batch form, one query); persons without a
    membership are absent."""
    ids = sorted(set(person_ids))
    result: dict[int, Membership] = {}
    if not ids:
        return result
    qs = Membership.objects.select_related("branch").order_by("person_id", *_latest_first())
    if connection.vendor == "postgresql":  # one array parameter, not an IN list of 5 000 (imports)
        qs = qs.extra(where=["members_membership.person_id = ANY(%s)"], params=[ids])
    else:
        qs = qs.filter(person_id__in=ids)
    for m in qs:
        result.setdefault(m.person_id, m)
    return result


def governs_q(prefix: str = "") -> Q:
    """A Q over Membership: the row governs its person (no other membership of the person is
    current, or later by (started_on, id), unless this one is current)."""
    later = Membership.objects.filter(person_id=OuterRef(f"{prefix}person_id")).filter(
        Q(is_current=True)
        | Q(started_on__gt=OuterRef(f"{prefix}started_on"))
        | Q(started_on=OuterRef(f"{prefix}started_on"), id__gt=OuterRef(f"{prefix}id"))
    ).exclude(pk=OuterRef(f"{prefix}id"))
    return Q(**{f"{prefix}is_current": True}) | Q(~Exists(later))


def person_readable_q(scope: Scope) -> Q:
    """A Q over Membership rows already in the scope's READ reach: the scope reads the row's
    person (the row is current, or the person's governing membership is in reach too). Lists,
    searches by phone or CCCD, and exports show personal data only where this holds."""
    if scope.is_superuser:
        return Q()
    governing_in_reach = Membership.objects.filter(person_id=OuterRef("person_id")).filter(
        governs_q()).filter(scope.q(READ, path_field="unit_path", id_field="branch_id"))
    return Q(is_current=True) | Q(Exists(governing_in_reach))


def _post_units(person_id: int) -> list[Unit]:
    """Units that govern a person without a membership: those of their posts, the open ones
    if any."""
    posts = list(Position.objects.filter(person_id=person_id).select_related("unit")
                 .values_list("unit_id", "end_date"))
    seats = list(CommitteeSeat.objects.filter(person_id=person_id)
                 .values_list("term__unit_id", "end_date"))
    rows = posts + seats
    open_ = [u for u, end in rows if end is None]
    ids = set(open_ or [u for u, _flag in rows])
    return list(Unit.objects.filter(pk__in=ids))


# -- the predicates ------------------------------------------------------------------------------


def can_person(scope: Scope, person: Person | int, perm: str) -> bool:
    """May the scope exercise `perm` (READ or WRITE) on the person's own data?"""
    if scope.is_superuser:
        return True
    person_id = person if isinstance(person, int) else person.pk
    governing = person_governing_membership(person_id)
    if governing is not None:
        return scope.can(perm, governing.branch)
    return any(scope.can(perm, unit) for unit in _post_units(person_id))


def can_read_person(scope: Scope, person: Person | int) -> bool:
    return can_person(scope, person, READ)


def can_write_person(scope: Scope, person: Person | int) -> bool:
    return can_person(scope, person, WRITE)


def can_merge_persons(scope: Scope, keep: Person, drop: Person) -> bool:
    """Merging rewrites both records: both must be in the write scope."""
    return can_write_person(scope, keep) and can_write_person(scope, drop)


def membership_access(scope: Scope, membership: Membership) -> Access | None:
    """FULL when the scope reads the person (this membership governs, or the governing one is
    in reach too); PERIOD when it reads only this membership's branch; None otherwise."""
    if can_read_person(scope, membership.person_id):
        return Access.FULL
    if scope.can(READ, membership.branch):
        return Access.PERIOD
    return None


def can_write_live_unit(scope: Scope, unit: Unit) -> bool:
    """Dues sheets, meetings, removal proposals: WRITE on a unit not dissolved."""
    return unit.dissolved_on is None and scope.can(WRITE, unit)


def can_import_to(scope: Scope, unit: Unit | None) -> bool:
    """Import members from a file (MEM-13): a live unit the scope writes to; without a unit,
    a write grant somewhere (the import page asks which unit)."""
    if unit is None:
        return scope.is_superuser or bool(scope.root_paths(WRITE))
    return can_write_live_unit(scope, unit)


def can_export_members(scope: Scope, unit: Unit | None) -> bool:
    """Export a member list as .xlsx: READ on the unit; without a unit, any grant (the export
    holds what the scope reads)."""
    if unit is None:
        return scope.has_any_grant
    return scope.can(READ, unit)


def can_write_unit(scope: Scope, unit: Unit) -> bool:
    """Record a unit's own facts (ratings, classifications, referrals, the ghost report's
    proposals, a transfer's side): WRITE on the unit."""
    return scope.can(WRITE, unit)


def can_admit_to(scope: Scope, unit: Unit | None) -> bool:
    """Admit a member (kết nạp): a live branch the scope writes to."""
    return (unit is not None and unit.kind.is_branch and unit.dissolved_on is None
            and scope.can(WRITE, unit))


def can_write_member(scope: Scope, membership: Membership, access: Access | None) -> bool:
    """Change a member from their page: the whole person is readable, the membership current,
    its branch writable."""
    return (access is Access.FULL and membership.is_current
            and scope.can(WRITE, membership.branch))


def can_waive_dues(scope: Scope, unit: Unit) -> bool:
    """The grassroots BCH waives dues of its branches' members (NQ 07-NQ/TWĐTN): WRITE on the
    live branch's parent, for a branch that is not itself grassroots."""
    parent = unit.parent
    return (unit.dissolved_on is None and parent is not None and unit.kind.is_branch
            and not unit.kind.is_grassroots and scope.can(WRITE, parent))


def can_record_remittance(scope: Scope, unit: Unit) -> bool:
    """What a live unit with a parent sent up: WRITE or FINANCE on it."""
    return (unit.parent_id is not None and unit.dissolved_on is None
            and (scope.can(WRITE, unit) or scope.can(FINANCE, unit)))


# -- for services ----------------------------------------------------------------------------------


def scope_of_actor(actor: Actor | None) -> Scope | None:
    """The actor's Scope, or None for the system (a `None` actor: migrations, tasks, demo)."""
    if actor is None:
        return None
    if isinstance(actor, Scope):
        return actor
    return Scope.for_user(actor)


def require_person_write(*, actor: Actor | None, persons: Iterable[Person | int],
                         field: str | None = None) -> None:
    """Refuse (PersonScopeError, naming nothing about the person) unless the actor may write on
    every one of `persons`."""
    scope = scope_of_actor(actor)
    if scope is None:
        return
    for person in persons:
        if not can_write_person(scope, person):
            raise PersonScopeError(str(OUT_OF_SCOPE), field=field)


def require_unit(*, actor: Actor | None, unit: Unit | tuple[Unit, ...], perm: str | tuple[str, ...],
                 message: str) -> None:
    """Refuse (PersonScopeError) unless the actor holds `perm` (or one of several) on `unit`
    (or on one of several): every write service of members checks its actor itself, so an API
    view, a command or a task cannot bypass the scope. A `None` actor is the system."""
    scope = scope_of_actor(actor)
    units = unit if isinstance(unit, tuple) else (unit,)
    perms = perm if isinstance(perm, tuple) else (perm,)
    if scope is not None and not any(scope.can(k, u) for u in units for k in perms):
        raise PersonScopeError(message)


def require_unit_write(*, actor: Actor | None, unit: Unit | tuple[Unit, ...], message: str) -> None:
    """Refuse unless the actor writes on `unit` (or on one of several)."""
    require_unit(actor=actor, unit=unit, perm=WRITE, message=message)
