"""Writes for a unit's agency and leadership: departments (ORG-5), terms and committee seats,
positions (ORG-6), supervision assignments (ORG-7). Audited through the model registry."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from doanvu.audit.context import acting
from doanvu.common.access import scope_for
from doanvu.common.dates import format_date
from doanvu.common.errors import ApplicationError
from doanvu.common.text import clean_name, nfc
from doanvu.common.typing import Actor

from . import permissions
from .models import (
    CommitteeSeat,
    Department,
    Person,
    Position,
    Supervision,
    Term,
    Unit,
)


class AgencyError(ApplicationError):
    pass


class AgencyScopeError(AgencyError):
    """The actor may not keep this unit's agency (the service's own check, X-3)."""


def _require_write(actor: Actor | None, unit: Unit) -> None:
    """The service's own check of its view's (a `None` actor is the system)."""
    if actor is not None and not permissions.can_keep_agency(scope_for(actor), unit):
        raise AgencyScopeError(_("Đơn vị này không thuộc phạm vi bạn được cập nhật."))


def _require_linkable(actor: Actor | None, unit: Unit, person: Person) -> None:
    """A post links a person to the unit, and a person without a membership is governed by the
    units of their posts (person-level scope, members.permissions): so a unit posts only a
    person already linked to it, or one linked to nothing yet (just created)."""
    if actor is None:
        return
    if (Position.objects.filter(person=person, unit=unit).exists()
            or CommitteeSeat.objects.filter(person=person, term__unit=unit).exists()):
        return
    if (Position.objects.filter(person=person).exists()
            or CommitteeSeat.objects.filter(person=person).exists()
            or person.memberships.exists()):
        raise AgencyError(_(
            "Người này do đơn vị khác quản lý: hãy chọn người đã có trong danh sách của đơn vị, "
            "hoặc nhập họ tên để thêm người mới."
        ), field="person")


def _required(value: str, label: str, field: str) -> str:
    value = clean_name(value, field=field, label=label, error=AgencyError)
    if not value:
        raise AgencyError(_("{label} không được để trống.").format(label=label), field=field)
    return value


def _check_after(start: dt.date, unit: Unit, field: str) -> None:
    if start < unit.founded_on:
        raise AgencyError(
            _(
                "Ngày {start} trước ngày thành lập {unit_name} ({founded_on})."
            ).format(
                start=format_date(start),
                unit_name=unit.name,
                founded_on=format_date(unit.founded_on),
            ), field=field)
    if unit.dissolved_on is not None:
        raise AgencyError(_(
            "{unit_name} đã giải thể; không thể cập nhật."
        ).format(unit_name=unit.name))


def _end(obj: Department | Position | CommitteeSeat | Supervision, start: dt.date | None,
         on: dt.date, attr: str) -> None:
    if getattr(obj, attr) is not None:
        raise AgencyError(_("Mục này đã kết thúc."))
    if start is not None and on < start:
        raise AgencyError(_(
            "Ngày kết thúc {on} trước ngày bắt đầu {start}."
        ).format(on=format_date(on), start=format_date(start)), field="on")
    setattr(obj, attr, on)
    obj.save(update_fields=[attr])


def person_resolve(*, full_name: str, person: Person | None = None) -> Person:
    """The chosen person, or a new one with the typed name."""
    if person is not None:
        return person
    name = _required(full_name, _("Họ và tên"), "full_name")
    return Person.objects.create(full_name=name)


@transaction.atomic
def department_create(*, actor: Actor | None, unit: Unit, name: str, short_name: str, category: str,
                      valid_from: dt.date | None) -> Department:
    _require_write(actor, unit)
    name = _required(name, _("Tên ban"), "name")
    if valid_from is not None:
        _check_after(valid_from, unit, "valid_from")
    if Department.objects.filter(unit=unit, name__iexact=name, valid_to__isnull=True).exists():
        raise AgencyError(_(
            "{unit_name} đã có “{name}”."
        ).format(unit_name=unit.name, name=name), field="name")
    with acting(actor):
        return Department.objects.create(unit=unit, name=name, short_name=nfc(short_name),
                                         category=category, valid_from=valid_from)


@transaction.atomic
def department_close(*, actor: Actor | None, department: Department, on: dt.date) -> Department:
    _require_write(actor, department.unit)
    with acting(actor):
        _end(department, department.valid_from, on, "valid_to")
    return department


@transaction.atomic
def term_create(*, actor: Actor | None, unit: Unit, name: str, start_date: dt.date,
                end_date: dt.date | None) -> Term:
    _require_write(actor, unit)
    name = _required(name, _("Tên nhiệm kỳ"), "name")
    _check_after(start_date, unit, "start_date")
    if end_date is not None and end_date <= start_date:
        raise AgencyError(_("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."), field="end_date")
    if Term.objects.filter(unit=unit, name=name).exists():
        raise AgencyError(_("Nhiệm kỳ {name} đã có.").format(name=name), field="name")
    with acting(actor):
        return Term.objects.create(unit=unit, name=name, start_date=start_date, end_date=end_date)


@transaction.atomic
def seat_add(*, actor: Actor | None, term: Term, committee: str, person: Person, title: str,
             order: int, start_date: dt.date | None) -> CommitteeSeat:
    _require_write(actor, term.unit)
    _require_linkable(actor, term.unit, person)
    title = _required(title, _("Chức danh"), "title")
    if start_date is not None and start_date < term.start_date:
        raise AgencyError(_(
            "Ngày bắt đầu trước nhiệm kỳ ({start_date})."
        ).format(start_date=format_date(term.start_date)),
                          field="start_date")
    if CommitteeSeat.objects.filter(term=term, committee=committee, person=person,
                                    end_date__isnull=True).exists():
        raise AgencyError(_(
            "{person} đã có trong cơ quan này."
        ).format(person=person), field="person")
    with acting(actor):
        return CommitteeSeat.objects.create(term=term, committee=committee, person=person,
                                            title=title, order=order, start_date=start_date)


@transaction.atomic
def seat_end(*, actor: Actor | None, seat: CommitteeSeat, on: dt.date) -> CommitteeSeat:
    _require_write(actor, seat.term.unit)
    with acting(actor):
        _end(seat, seat.start_date, on, "end_date")
    return seat


@transaction.atomic
def position_add(*, actor: Actor | None, unit: Unit, department: Department | None, person: Person,
                 title: str, full_time: bool, start_date: dt.date) -> Position:
    _require_write(actor, unit)
    _require_linkable(actor, unit, person)
    title = _required(title, _("Chức vụ"), "title")
    _check_after(start_date, unit, "start_date")
    if department is not None and department.unit_id != unit.pk:
        raise AgencyError(_("Ban đã chọn không thuộc đơn vị này."), field="department")
    with acting(actor):
        return Position.objects.create(unit=unit, department=department, person=person,
                                       title=title, full_time=full_time, start_date=start_date)


@transaction.atomic
def position_end(*, actor: Actor | None, position: Position, on: dt.date) -> Position:
    _require_write(actor, position.unit)
    with acting(actor):
        _end(position, position.start_date, on, "end_date")
    return position


@transaction.atomic
def supervision_add(*, actor: Actor | None, assigning_unit: Unit, supervised_unit: Unit,
                    person: Person | None, department: Department | None, role_label: str,
                    field: str, start_date: dt.date) -> Supervision:
    _require_write(actor, assigning_unit)
    if actor is not None and not scope_for(actor).can(permissions.READ, supervised_unit):
        raise AgencyScopeError(_("Đơn vị được phụ trách không thuộc phạm vi của bạn."),
                               field="supervised_unit")
    if person is None and department is None:
        raise AgencyError(_("Hãy chọn người hoặc ban phụ trách."), field="person")
    if supervised_unit.pk == assigning_unit.pk or not supervised_unit.path.startswith(
            assigning_unit.path):
        raise AgencyError(_("Chỉ phân công phụ trách đơn vị cấp dưới của đơn vị mình."),
                          field="supervised_unit")
    if department is not None and department.unit_id != assigning_unit.pk:
        raise AgencyError(_("Ban đã chọn không thuộc đơn vị phân công."), field="department")
    _check_after(start_date, assigning_unit, "start_date")
    with acting(actor):
        return Supervision.objects.create(
            assigning_unit=assigning_unit, supervised_unit=supervised_unit, person=person,
            department=department, role_label=nfc(role_label), field=nfc(field),
            start_date=start_date)


@transaction.atomic
def supervision_end(*, actor: Actor | None, supervision: Supervision, on: dt.date) -> Supervision:
    _require_write(actor, supervision.assigning_unit)
    with acting(actor):
        _end(supervision, supervision.start_date, on, "end_date")
    return supervision


def people_of_unit(*, unit: Unit) -> list[Person]:
    """People already linked to a unit (positions, committee seats), to choose from."""
    ids = set(Position.objects.filter(unit=unit).values_list("person_id", flat=True))
    ids |= set(CommitteeSeat.objects.filter(term__unit=unit).values_list("person_id", flat=True))
    return list(Person.objects.filter(pk__in=ids).order_by("name_folded"))
