"""Roll-up pages (FV-7) and costs per department (FV-9): a unit's reports of a year with their due
days from the policy, the generated documents, the .xlsx downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doanvu.accounts.scope import scope_of
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit
from doanvu.common.spreadsheet import XLSX

from . import rollups
from .plan_forms import SignForm
from .plan_views import _year, unit_get, year_ok


@login_required
@require_http_methods(["GET"])
def rollup_page(request: HttpRequest, unit_pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope, unit_pk)
    year = _year(request)
    problem = ""
    dues: list[rollups.Due] = []
    try:
        dues = rollups.schedule(unit, year)
    except ApplicationError as exc:
        problem = exc.message
    docs = rollups.documents_of(dues)
    costs = rollups.cost_by_department(unit, year)
    return render(request, "fieldvisits/rollup_page.html", {
        "unit": unit, "year": year, "problem": problem,
        "rows": [(d, docs.get(d.key)) for d in dues], "costs": costs,
        "cost_total": sum(c.cost for c in costs), "visit_total": sum(c.visits for c in costs),
        "can_generate": rollups.can_generate(scope, unit), "sign_form": SignForm(),
        "years": [year - 1, year + 1],
    })


@login_required
@require_http_methods(["GET"])
def rollup_xlsx(request: HttpRequest, unit_pk: int, year: int, code: str, n: int
                ) -> HttpResponse:
    unit = unit_get(scope_of(request), unit_pk)
    year_ok(year)
    try:
        due = rollups.find_due(unit, year, code, n)
    except ApplicationError:
        raise Http404 from None
    data = rollups.workbook(rollups.report(unit, year, due.spec.period, n))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="di-co-so-{unit.pk}-{year}-{code}-{n}.xlsx"')
    return response


@login_required
@require_POST
def rollup_generate(request: HttpRequest, unit_pk: int, year: int, code: str, n: int
                    ) -> HttpResponse:
    unit = unit_get(scope_of(request), unit_pk)
    year_ok(year)
    form = SignForm(request.POST)
    back = reverse("fieldvisits:rollup_page", args=[unit.pk]) + f"?nam={year}"
    return action_submit(request, lambda: rollups.rollup_generate(
        actor=request.user, unit=unit, year=year, code=code, n=n,
        signer_title=form.cleaned_data["signer_title"],
        signer_name=form.cleaned_data["signer_name"],
        issued_on=form.cleaned_data["issued_on"]), form=form,
        success=lambda g: _("Đã ban hành báo cáo số {symbol}.").format(
            symbol=g.document.symbol), back=back)


@login_required
@require_POST
def rollup_obligations(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = unit_get(scope_of(request), unit_pk)
    year_ok(year)
    back = reverse("fieldvisits:rollup_page", args=[unit.pk]) + f"?nam={year}"
    return action_submit(request, lambda: rollups.obligations_open(
        actor=request.user, unit=unit, year=year),
        success=lambda n: _("Đã đưa {n} báo cáo vào “Việc của tôi”.").format(n=n), back=back)
