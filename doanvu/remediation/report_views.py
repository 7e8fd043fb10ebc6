"""REM-4 pages: a unit's reports on its remediation plan of a year — the departments' reports
owed to the Office with their due days (from the deadline policies), each prefilled from the
department's solutions and issued as a numbered document; the Office's compilation for
December's Standing Committee meeting and the year-end report; every report also as .xlsx."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doanvu.accounts.scope import READ, scope_of
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, form_submit
from doanvu.common.spreadsheet import XLSX
from doanvu.org.models import Unit
from doanvu.org.selectors import unit_get

from . import reports, selectors
from .forms import ReportForm
from .views import _year

YEAR_MIN, YEAR_MAX = 1900, 2200  # i18n: data (the years the pages accept)


def _unit_year(request: HttpRequest, pk: int, year: int) -> Unit:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404
    return unit_get(scope=scope_of(request), pk=pk, perm=READ)


def _page_url(unit: Unit, year: int) -> str:
    return reverse("remediation:reports", args=[unit.pk]) + f"?nam={year}"


def _plan_years(unit: Unit) -> list[int]:
    return [y + 1 for y in selectors.register_years(unit=unit)]


@login_required
@require_GET
def reports_page(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=READ)
    year = _year(request, _plan_years(unit))
    dues = reports.schedule(unit, year)
    return render(request, "remediation/reports.html", {
        "unit": unit, "year": year, "dues": [
            (d, reports.can_report(scope, unit, d.department)) for d in dues],
        "office": reports.office_of(unit), "office_docs": reports.office_documents(unit, year),
        "can_open": reports.can_open(scope, unit) and any(d.obligation is None for d in dues),
        "can_compile": reports.can_compile(scope, unit),
        "compilation": reports.COMPILATION, "year_end": reports.YEAR_END,
    })


@login_required
@require_POST
def reports_open(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    scope = scope_of(request)
    unit = _unit_year(request, pk, year)
    return action_submit(request, lambda: reports.obligations_open(
        scope=scope, unit=unit, year=year),
        success=lambda n: _("Đã giao {n} báo cáo cho các ban (trong “Việc của tôi”).").format(
            n=n), back=_page_url(unit, year))


def _due(unit: Unit, year: int, dept: int, period: str) -> reports.Due:
    try:
        return reports.find_due(unit, year, dept, period)
    except ApplicationError:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def department_report(request: HttpRequest, pk: int, year: int, dept: int,
                      period: str) -> HttpResponse:
    """A department's report, prefilled from its solutions (its writers, or the agency's)."""
    scope = scope_of(request)
    unit = _unit_year(request, pk, year)
    due = _due(unit, year, dept, period)
    if not reports.can_report(scope, unit, due.department):
        raise Http404
    rep = reports.progress_of(unit, year, period=due.period, department=due.department)
    form = ReportForm(request.POST or None,
                      initial={"body": reports.department_body(rep, due.department)})
    done = form_submit(request, form, lambda d: reports.department_report_issue(
        actor=request.user, scope=scope, unit=unit, year=year, department_pk=dept,
        period_key=period, body=d["body"], signer_title=d["signer_title"],
        signer_name=d["signer_name"], issued_on=d["issued_on"]),
        success=lambda doc: _("Đã ban hành báo cáo số {symbol} và gửi Văn phòng.").format(
            symbol=doc.symbol), redirect_to=_page_url(unit, year))
    return done or render(request, "remediation/report_form.html", {
        "unit": unit, "year": year, "form": form, "back": _page_url(unit, year),
        "title": due.title, "due": due, "report": rep,
        "xlsx": reverse("remediation:department_report_xlsx", args=[unit.pk, year, dept, period]),
        "submit": _("Ban hành và gửi Văn phòng")})


@login_required
@require_GET
def department_report_xlsx(request: HttpRequest, pk: int, year: int, dept: int,
                           period: str) -> HttpResponse:
    unit = _unit_year(request, pk, year)
    due = _due(unit, year, dept, period)
    rep = reports.progress_of(unit, year, period=due.period, department=due.department)
    return _xlsx(reports.department_workbook(rep),
                 f"khac-phuc-{unit.pk}-{year}-ban-{dept}-{due.period.key}.xlsx")


def _which(which: str) -> str:
    if which not in (reports.COMPILATION, reports.YEAR_END):
        raise Http404
    return which


@login_required
@require_http_methods(["GET", "POST"])
def office_report(request: HttpRequest, pk: int, year: int, which: str) -> HttpResponse:
    """The Office's compilation for December's meeting, or the year-end report."""
    scope = scope_of(request)
    unit = _unit_year(request, pk, year)
    which = _which(which)
    if not reports.can_compile(scope, unit):
        raise Http404
    ov = reports.overview(unit, year)
    form = ReportForm(request.POST or None, initial={"body": reports.office_body(ov, which)})
    done = form_submit(request, form, lambda d: reports.office_report_issue(
        actor=request.user, scope=scope, unit=unit, year=year, which=which, body=d["body"],
        signer_title=d["signer_title"], signer_name=d["signer_name"],
        issued_on=d["issued_on"]),
        success=lambda doc: _("Đã ban hành báo cáo số {symbol}.").format(symbol=doc.symbol),
        redirect_to=_page_url(unit, year))
    context: dict[str, Any] = {
        "unit": unit, "year": year, "form": form, "back": _page_url(unit, year),
        "title": reports.office_title(which, year), "overview": ov,
        "xlsx": reverse("remediation:office_report_xlsx", args=[unit.pk, year, which]),
        "submit": _("Ban hành báo cáo")}
    return done or render(request, "remediation/report_form.html", context)


@login_required
@require_GET
def office_report_xlsx(request: HttpRequest, pk: int, year: int, which: str) -> HttpResponse:
    unit = _unit_year(request, pk, year)
    which = _which(which)
    return _xlsx(reports.office_workbook(reports.overview(unit, year)),
                 f"khac-phuc-{unit.pk}-{year}-{which}.xlsx")


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
