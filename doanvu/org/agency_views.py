"""Pages to keep a unit's agency and leadership current (ORG-5, ORG-6, ORG-7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doanvu.accounts.scope import scope_of
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, add_error_from, form_submit

from . import agency, permissions, selectors
from .agency_forms import (
    DepartmentForm,
    EndForm,
    PositionForm,
    SeatForm,
    SupervisionForm,
    TermForm,
)
from .models import CommitteeSeat, Position, Unit
from .views import pick_context


def _writable_unit(request: HttpRequest, pk: int) -> Unit:
    return selectors.unit_get(scope=scope_of(request), pk=pk, allowed=permissions.can_keep_agency)


def _render(request: HttpRequest, unit: Unit, form: object, title: str,
            **extra: object) -> HttpResponse:
    return render(request, "org/unit_form.html", {
        "unit": unit, "form": form, "title": title, "submit": _("Lưu"), **extra,
    })


def _back(unit: Unit) -> str:
    return reverse("org:unit_detail", args=[unit.pk])


@login_required
@require_http_methods(["GET", "POST"])
def department_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _writable_unit(request, pk)
    form = DepartmentForm(request.POST or None)
    done = form_submit(request, form, lambda d: agency.department_create(
        actor=request.user, unit=unit, name=d["name"], short_name=d["short_name"],
        category=d["category"], valid_from=d["valid_from"],
    ), success=lambda dep: _(
        "Đã thêm {dep_name}."
    ).format(dep_name=dep.name), redirect_to=_back(unit))
    if done:
        return done
    return _render(request, unit, form, _(
        "Thêm ban, đơn vị sự nghiệp — {unit_name}"
    ).format(unit_name=unit.name))


@login_required
@require_http_methods(["GET", "POST"])
def term_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _writable_unit(request, pk)
    form = TermForm(request.POST or None)
    done = form_submit(request, form, lambda d: agency.term_create(
        actor=request.user, unit=unit, name=d["name"], start_date=d["start_date"],
        end_date=d["end_date"],
    ), success=lambda term: _(
        "Đã thêm nhiệm kỳ {term_name}."
    ).format(term_name=term.name), redirect_to=_back(unit))
    if done:
        return done
    return _render(request, unit, form, _(
        "Thêm nhiệm kỳ — {unit_name}"
    ).format(unit_name=unit.name))


@login_required
@require_http_methods(["GET", "POST"])
def seat_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _writable_unit(request, pk)
    form = SeatForm(request.POST or None, unit=unit, people=agency.people_of_unit(unit=unit))

    def add(d: dict[str, Any]) -> CommitteeSeat:
        person = agency.person_resolve(full_name=d["full_name"], person=form.chosen_person())
        return agency.seat_add(actor=request.user, term=d["term"], committee=d["committee"],
                               person=person, title=d["title"], order=d["order"],
                               start_date=d["start_date"])

    done = form_submit(request, form, add, success=lambda seat: _(
        "Đã thêm {seat}."
    ).format(seat=seat),
                       redirect_to=_back(unit))
    if done:
        return done
    return _render(request, unit, form, _(
        "Thêm thành viên BCH, BTV, Thường trực — {unit_name}"
    ).format(unit_name=unit.name))


@login_required
@require_http_methods(["GET", "POST"])
def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _writable_unit(request, pk)
    form = PositionForm(request.POST or None, initial={"start_date": today()},
                        people=agency.people_of_unit(unit=unit),
                        departments=list(selectors.unit_departments(unit=unit)))

    def add(d: dict[str, Any]) -> Position:
        person = agency.person_resolve(full_name=d["full_name"], person=form.chosen_person())
        return agency.position_add(actor=request.user, unit=unit,
                                   department=form.chosen_department(), person=person,
                                   title=d["title"], full_time=d["full_time"],
                                   start_date=d["start_date"])

    done = form_submit(request, form, add, success=lambda pos: _(
        "Đã thêm chức vụ: {pos}."
    ).format(pos=pos),
                       redirect_to=_back(unit))
    if done:
        return done
    return _render(request, unit, form, _("Thêm chức vụ — {unit_name}").format(unit_name=unit.name))


@login_required
@require_http_methods(["GET", "POST"])
def supervision_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _writable_unit(request, pk)
    scope = scope_of(request)
    form = SupervisionForm(request.POST or None, initial={"start_date": today()},
                           people=agency.people_of_unit(unit=unit),
                           departments=list(selectors.unit_departments(unit=unit)))
    supervised = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        supervised = selectors.unit_find(scope=scope, pk=d["supervised_unit"])
        if supervised is None:
            form.add_error("supervised_unit", _("Không tìm thấy đơn vị trong phạm vi của bạn."))
        else:
            try:
                person = form.chosen_person()
                if person is None and d["full_name"]:
                    person = agency.person_resolve(full_name=d["full_name"])
                agency.supervision_add(
                    actor=request.user, assigning_unit=unit, supervised_unit=supervised,
                    person=person, department=form.chosen_department(),
                    role_label=d["role_label"], field=d["field"], start_date=d["start_date"])
            except ApplicationError as exc:
                add_error_from(form, exc)
            else:
                messages.success(request, _(
                    "Đã phân công phụ trách {supervised_name}."
                ).format(supervised_name=supervised.name))
                return redirect(_back(unit))
    return _render(request, unit, form, _(
        "Phân công phụ trách — {unit_name}"
    ).format(unit_name=unit.name),
                   **pick_context(form, "supervised_unit", _("Đơn vị được phụ trách"), supervised))


_ENDABLE: dict[str, tuple[Callable[..., object], str]] = {
    "ban": (agency.department_close, "department"),
    "uy-vien": (agency.seat_end, "seat"),
    "chuc-vu": (agency.position_end, "position"),
    "phu-trach": (agency.supervision_end, "supervision"),
}


@login_required
@require_POST
def item_end(request: HttpRequest, pk: int, what: str, item: int) -> HttpResponse:
    unit = _writable_unit(request, pk)
    if what not in _ENDABLE:
        raise Http404
    service, kwarg = _ENDABLE[what]
    obj = selectors.agency_item_get(unit=unit, kind=what, pk=item)
    form = EndForm(request.POST)
    back = reverse("org:unit_detail", args=[unit.pk])
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for e in form.errors["on"]))
        return redirect(back)
    return action_submit(
        request, lambda: service(actor=request.user, on=form.cleaned_data["on"], **{kwarg: obj}),
        success=_("Đã kết thúc: {obj}.").format(obj=obj), back=back)
