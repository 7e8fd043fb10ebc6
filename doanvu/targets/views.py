"""Pages of targets (IND-2): a unit's dashboard — each target that applies to the unit with its
value against the goal, the trend since last year, and the child units holding it back, each a
link to the same page for that unit (the drill-down). Thin: the request's Scope → a selector."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from doanvu.accounts.scope import READ, scope_of
from doanvu.common.forms import action_submit
from doanvu.org.models import Unit
from doanvu.org.selectors import unit_get

from . import permissions, rules, selectors, services
from .forms import TargetForm


def bar(value: Decimal, goal: Decimal, *, title: str) -> SafeString:
    """One horizontal bar as inline SVG: the value's length, green when it reaches the goal,
    red otherwise, with the goal marked; scaled to the larger of the two."""
    top = max(value, goal, Decimal(1))
    width = float(value / top * 200)
    mark = float(goal / top * 200)
    css = "bar-ontime" if rules.is_met(value, goal) else "bar-late"
    return mark_safe(  # noqa: S308 - the only text is escaped
        f'<svg class="chart target-bar" viewBox="0 0 200 12" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<rect class="bar-open" x="0" y="2" width="200" height="8"/>'
        f'<rect class="{css}" x="0" y="2" width="{width:.1f}" height="8"/>'
        f'<line class="grid" x1="{mark:.1f}" y1="0" x2="{mark:.1f}" y2="12"/></svg>')


@login_required
@require_GET
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=READ)
    rows = selectors.target_rows_from_aggregates(scope=scope, unit=unit)
    items = [{
        "row": r,
        "bar": bar(r.measure.value, r.target.goal, title=r.target.name),
        "parts": [{"part": p, "met": rules.is_met(p.value, r.target.goal),
                   "bar": bar(p.value, r.target.goal, title=p.unit.name)}
                  for p in r.measure.parts],
    } for r in rows]
    can_set = permissions.can_set(scope, unit)
    return render(request, "targets/dashboard.html", {
        "unit": unit, "items": items, "can_set": can_set,
        "form": TargetForm(unit=unit) if can_set else None})


@login_required
@require_POST
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    """IND-1: a target the unit sets for itself or a unit directly under it."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=permissions.WRITE)
    form = TargetForm(request.POST, unit=unit)

    def create() -> object:
        data = form.cleaned_data
        return services.target_create(
            scope=scope, unit=unit, name=data["name"], goal=data["goal"], due_on=data["due_on"],
            scope_unit=Unit.objects.get(pk=data["scope_unit"]), formula=data["formula"] or "",
            params=form.params())

    return action_submit(request, create, form=form, success=_("Đã giao chỉ tiêu."),
                         back=reverse("targets:dashboard", args=[unit.pk]))
