"""Pages of what emulation takes from inspection conclusions: the register of good models and
solutions (EMU-9) and the carry-over of last year's unremedied limitations as a penalty
(EMU-11). Thin: Scope → selector → form → service."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from doanvu.accounts.scope import scope_of
from doanvu.common.forms import action_submit
from doanvu.inspections import selectors as inspection_selectors

from . import conclusions, permissions, selectors
from .forms import CarryoverForm, GoodModelSearchForm
from .models import ScoreSheet


@login_required
@require_GET
def good_models(request: HttpRequest) -> HttpResponse:
    """EMU-9: the models and solutions noted in the conclusions the user reaches."""
    scope = scope_of(request)
    fields, years, units = inspection_selectors.good_model_facets(scope=scope)
    form = GoodModelSearchForm(request.GET or None, fields=fields, years=years, units=units)
    rows: list[Any] = []
    if not form.is_bound or form.is_valid():
        d = form.cleaned_data if form.is_bound else {}
        unit = next((u for u in units if u.pk == d.get("unit")), None)
        rows = inspection_selectors.good_models(scope=scope, text=d.get("q") or "",
                                                field=d.get("field") or "",
                                                year=d.get("year"), unit=unit)
    return render(request, "emulation/good_models.html", {"form": form, "rows": rows})


def _may_enter(request: HttpRequest, sheet: ScoreSheet) -> bool:
    scope = scope_of(request)
    return permissions.can_edit(scope, sheet.rubric.issuing_unit) or any(
        permissions.can_department_score(scope, sheet.unit, i.department_id)
        for i in conclusions.penalty_items(sheet))


@login_required
@require_POST
def carryover_apply(request: HttpRequest, pk: int, limitation: int) -> HttpResponse:
    """EMU-11: the scorer applies a penalty item for last year's unremedied limitation."""
    scope = scope_of(request)
    sheet = selectors.sheet_get(scope=scope, pk=pk)
    if not _may_enter(request, sheet):
        raise Http404(_("Không tìm thấy phiếu chấm điểm."))
    items = conclusions.penalty_items(sheet)
    form = CarryoverForm(request.POST, items=items)

    def apply() -> object:
        item = next(i for i in items if i.pk == form.cleaned_data["item"])
        return conclusions.carryover_apply(actor=request.user, sheet=sheet,
                                           limitation_id=limitation, item=item,
                                           reason=form.cleaned_data["reason"])

    return action_submit(
        request, apply, success=_("Đã ghi điểm trừ cho tồn tại năm trước chưa khắc phục."),
        back=reverse("emulation:sheet_detail", args=[sheet.pk]) + "#ton-tai", form=form)


@login_required
@require_POST
def remediation_apply(request: HttpRequest, pk: int, shortcoming: int) -> HttpResponse:
    """EMU-11: the scorer applies a penalty item for a shortcoming of last year's self-review
    left open, linked to it."""
    scope = scope_of(request)
    sheet = selectors.sheet_get(scope=scope, pk=pk)
    if not _may_enter(request, sheet):
        raise Http404(_("Không tìm thấy phiếu chấm điểm."))
    items = conclusions.penalty_items(sheet)
    form = CarryoverForm(request.POST, items=items)

    def apply() -> object:
        item = next(i for i in items if i.pk == form.cleaned_data["item"])
        return conclusions.remediation_apply(actor=request.user, sheet=sheet,
                                             shortcoming_id=shortcoming, item=item,
                                             reason=form.cleaned_data["reason"])

    return action_submit(
        request, apply, success=_("Đã ghi điểm trừ cho khuyết điểm năm trước chưa khắc phục."),
        back=reverse("emulation:sheet_detail", args=[sheet.pk]) + "#ton-tai", form=form)
