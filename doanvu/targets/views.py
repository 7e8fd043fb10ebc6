"""Pages of targets (IND-2): a unit's dashboard — each target that applies to the unit with its
value against the goal, the trend since last year, and the child units holding it back, each a
link to the same page for that unit (the drill-down), those with no data "chưa có số liệu";
a target's own page (its trend over the years as inline SVG, the units under the unit, the
figures units enter); setting, correcting and removing a target; the semi-annual and annual
reports as .xlsx and as a draft Báo cáo. Thin: the request's Scope → a selector or a service,
refusals beside the field they name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doanvu.accounts.scope import READ, Scope, scope_of
from doanvu.common.dates import today
from doanvu.common.forms import form_submit
from doanvu.common.periods import Period
from doanvu.documents.models import Document
from doanvu.org.models import Unit
from doanvu.org.selectors import unit_get

from . import permissions, reports, rules, selectors, services
from .forms import DeleteForm, EntryForm, ReportForm, TargetForm
from .formulas import tree_on
from .models import Target


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
    rows = selectors.target_rows(scope=scope, unit=unit)
    trees: dict[dt.date, dict[str, Unit]] = {}
    items = [{
        "row": r,
        "empty": selectors.row_empty(r),
        "bar": bar(r.measure.value, r.target.goal, title=r.target.name),
        "parts": _parts(r, unit, trees),
    } for r in rows]
    can_set = permissions.can_set(scope, unit)
    return render(request, "targets/dashboard.html", {
        "unit": unit, "items": items, "can_set": can_set,
        "form": TargetForm(unit=unit) if can_set else None,
        "report_form": ReportForm(initial={"kind": "Y", "year": _report_year(rows)}),
        "can_report": can_set and unit.dissolved_on is None})


def _parts(row: selectors.TargetRow, unit: Unit,
           trees: dict[dt.date, dict[str, Unit]]) -> list[dict[str, object]]:
    """The units under `unit` on the row's measurement day: their figures and bars, and those
    with no data ("chưa có số liệu", never 0/0). `trees`: the days' children read so far."""
    day = selectors.measurement_day(row.target, today())
    if day not in trees:
        trees[day] = tree_on(unit, day).children
    return [{"part": f.part, "unit": f.unit, "empty": f.empty,
             "met": None if f.empty or f.part is None else rules.is_met(f.part.value,
                                                                         row.target.goal),
             "bar": None if f.empty or f.part is None
             else bar(f.part.value, row.target.goal, title=f.unit.name)}
            for f in selectors.child_figures(row=row, unit=unit, day=day, children=trees[day])]


def _report_year(rows: list[selectors.TargetRow]) -> int:
    """The year a report is offered for first: the latest year the targets measure, up to
    this year."""
    years = [int(r.target.params["year"]) for r in rows if "year" in (r.target.params or {})]
    return min(max(years, default=today().year), today().year)


def _target_form_page(request: HttpRequest, *, unit: Unit, form: TargetForm,
                      target: Target | None = None, status: int = 200) -> HttpResponse:
    return render(request, "targets/target_form.html", {
        "unit": unit, "form": form, "target": target,
        "delete_form": DeleteForm() if target is not None else None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    """IND-1: a target the unit sets for itself or a unit directly under it; a refusal comes
    back beside the field it names, with what was typed."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=permissions.WRITE)
    form = TargetForm(request.POST if request.method == "POST" else None, unit=unit)

    def create(data: dict[str, object]) -> Target:
        return services.target_create(
            scope=scope, unit=unit, name=str(data["name"]), goal=data["goal"],
            due_on=data["due_on"],  # type: ignore[arg-type]
            scope_unit=Unit.objects.get(pk=int(str(data["scope_unit"]))),
            formula=str(data["formula"] or ""), params=form.params())

    done = form_submit(request, form, create, success=_("Đã giao chỉ tiêu."),
                       redirect_to=reverse("targets:dashboard", args=[unit.pk]))
    return done or _target_form_page(request, unit=unit, form=form,
                                     status=400 if request.method == "POST" else 200)


def _own_target(request: HttpRequest, pk: int) -> tuple[Scope, Target]:
    """A target its setting unit's writers may correct or remove; 404 alike for missing and
    not yours."""
    scope = scope_of(request)
    target = Target.objects.select_related("unit", "plan", "scope_unit").filter(pk=pk).first() \
        if str(pk).isdigit() and int(pk) < 2**63 else None
    if target is None or not permissions.can_set(scope, target.unit):
        raise Http404(_("Không tìm thấy chỉ tiêu."))
    return scope, target


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a target (audited); the removal form sits below."""
    scope, target = _own_target(request, pk)
    form = TargetForm.for_target(target, request.POST if request.method == "POST" else None)

    def update(data: dict[str, object]) -> Target:
        return services.target_update(
            scope=scope, target=target, name=str(data["name"]), goal=data["goal"],
            due_on=data["due_on"],  # type: ignore[arg-type]
            scope_unit=Unit.objects.get(pk=int(str(data["scope_unit"]))),
            formula=str(data["formula"] or ""), params=form.params())

    done = form_submit(request, form, update, success=_("Đã sửa chỉ tiêu."),
                       redirect_to=reverse("targets:dashboard", args=[target.unit_id]))
    return done or _target_form_page(request, unit=target.unit, form=form, target=target,
                                     status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a target once confirmed (audited, its entered figures with it); refused for a
    target of an issued plan. A refusal shows on the edit page beside the confirmation."""
    scope, target = _own_target(request, pk)
    form = DeleteForm(request.POST)
    done = form_submit(
        request, form, lambda d: services.target_delete(scope=scope, target=target,
                                                        confirmed=bool(d["confirm"])),
        success=_("Đã xóa chỉ tiêu."),
        redirect_to=reverse("targets:dashboard", args=[target.unit_id]))
    if done is not None:
        return done
    return render(request, "targets/target_form.html", {
        "unit": target.unit, "form": TargetForm.for_target(target), "target": target,
        "delete_form": form}, status=400)


# -- one target at a unit: the trend, every unit under it, the figures units enter ------------


def _applying(scope: Scope, pk: int, target_pk: int) -> tuple[Unit, Target]:
    unit = unit_get(scope=scope, pk=pk, perm=READ)
    target = selectors.targets_for(unit=unit).filter(pk=target_pk).first() \
        if int(target_pk) < 2**63 else None
    if target is None:
        raise Http404(_("Không tìm thấy chỉ tiêu."))
    return unit, target


def line_chart(points: list[selectors.Point], goal: Decimal, *, title: str,
               unit_label: str = "") -> SafeString:
    """The yearly values as an inline-SVG line (no external asset): a dot per year, green
    when it reaches the goal and red otherwise, hollow when there was no data; the goal as a
    dashed line; each year and value written beneath."""
    width, height, pad = 300, 120, 24
    top = max([p.value for p in points] + [goal, Decimal(1)])
    step = (width - 2 * pad) / max(len(points) - 1, 1)

    def y(v: Decimal) -> float:
        return float(height - pad - (v / top) * (height - 2 * pad))

    xs = [pad + i * step for i in range(len(points))]
    line = " ".join(f"{x:.1f},{y(p.value):.1f}" for x, p in zip(xs, points, strict=True)
                    if not p.empty)
    parts = [f'<svg class="chart target-trend" viewBox="0 0 {width} {height}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<line class="trend-goal" x1="{pad}" y1="{y(goal):.1f}" x2="{width - pad}" '
             f'y2="{y(goal):.1f}"/>',
             f'<text class="trend-label" x="{width / 2:.1f}" y="{max(y(goal) - 4, 10):.1f}">'
             f'{escape(_("chỉ tiêu {goal}").format(goal=f"{goal.normalize():f}"))}'
             f'{escape(unit_label)}</text>']
    if line:
        parts.append(f'<polyline class="trend-line" points="{line}"/>')
    for x, p in zip(xs, points, strict=True):
        css = "trend-empty" if p.empty else (
            "trend-met" if rules.is_met(p.value, goal) else "trend-missed")
        label = "—" if p.empty else f"{p.value.normalize():f}".replace(".", ",") + unit_label
        parts.append(f'<circle class="{css}" cx="{x:.1f}" cy="{y(p.value):.1f}" r="4"/>'
                     f'<text class="trend-label" x="{x:.1f}" y="{height - 6}">{p.year}</text>'
                     f'<text class="trend-label" x="{x:.1f}" y="{max(y(p.value) - 8, 10):.1f}">'
                     f'{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - the only text is escaped


def _detail_page(request: HttpRequest, scope: Scope, unit: Unit, target: Target, *,
                 entry_form: EntryForm | None = None, status: int = 200) -> HttpResponse:
    row = selectors.target_row(scope=scope, unit=unit, target=target)
    day = selectors.measurement_day(target, today())
    figures = selectors.child_figures(row=row, unit=unit, day=day)
    points = selectors.target_points(scope=scope, unit=unit, target=target)
    expected: list[Unit] = []
    entries = {}
    writable: list[Unit] = []
    if target.entered_by_units:
        expected = selectors.expected_units(target=target, unit=unit,
                                            day=selectors.measured_on(target, today()))
        entries = selectors.entries_of(scope=scope, target=target)
        writable = [u for u in expected if permissions.can_set(scope, u)]
        if entry_form is None and writable:
            entry_form = EntryForm(units=writable)
    empty = selectors.row_empty(row)
    return render(request, "targets/target_detail.html", {
        "unit": unit, "target": target, "row": row, "empty": empty, "day": day,
        "figures": [{"f": f, "met": None if f.empty or f.part is None
                     else rules.is_met(f.part.value, target.goal),
                     "bar": None if f.empty or f.part is None
                     else bar(f.part.value, target.goal, title=f.unit.name)}
                    for f in figures],
        "chart": line_chart(points, target.goal, title=target.name,
                            unit_label="%" if row.unit_label == "%" else "") if points
        else None,
        "points": points,
        "expected": [{"unit": u, "entry": entries.get(u.pk)} for u in expected],
        "entered_count": sum(1 for u in expected if u.pk in entries),
        "entry_form": entry_form if writable else None,
        "can_edit": permissions.can_set(scope, target.unit),
    }, status=status)


@login_required
@require_GET
def target_detail(request: HttpRequest, pk: int, target: int) -> HttpResponse:
    scope = scope_of(request)
    unit, item = _applying(scope, pk, target)
    return _detail_page(request, scope, unit, item)


@login_required
@require_POST
def entry_set(request: HttpRequest, pk: int, target: int) -> HttpResponse:
    """A unit's writers enter or correct its figure; a refusal comes back beside the field."""
    scope = scope_of(request)
    unit, item = _applying(scope, pk, target)
    if not item.entered_by_units:
        raise Http404(_("Chỉ tiêu này được tính từ dữ liệu, không nhập tay."))
    expected = selectors.expected_units(target=item, unit=unit,
                                        day=selectors.measured_on(item, today()))
    writable = [u for u in expected if permissions.can_set(scope, u)]
    if not writable:
        raise Http404(_("Không tìm thấy chỉ tiêu."))
    form = EntryForm(request.POST, units=writable)
    done = form_submit(
        request, form, lambda d: services.target_entry_set(
            scope=scope, target=item, unit=next(u for u in writable if u.pk == d["unit"]),
            value=d["value"], on=today()),
        success=lambda e: _("Đã ghi kết quả của {unit}.").format(unit=e.unit.name),
        redirect_to=reverse("targets:target_detail", args=[unit.pk, item.pk]))
    return done or _detail_page(request, scope, unit, item, entry_form=form, status=400)


# -- reports (seed 003 §6) -----------------------------------------------------------------------


def _report(scope: Scope, unit: Unit, period: Period) -> tuple[
        list[selectors.ReportRow], list[list[selectors.ChildFigure]]]:
    rows = selectors.report_rows(scope=scope, unit=unit, period=period)
    trees: dict[object, dict[str, Unit]] = {}
    figures = []
    for r in rows:
        if r.day not in trees:
            trees[r.day] = tree_on(unit, r.day).children
        figures.append(selectors.child_figures(row=r.row, unit=unit, day=r.day,
                                               children=trees[r.day]))
    return rows, figures


def _flash_errors(request: HttpRequest, form: ReportForm) -> None:
    """The form sits on the dashboard: its errors come back as messages naming the field."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(e) for e in errors)
        messages.error(request, f"{label}: {text}" if label else text)


@login_required
@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's figures as .xlsx, for the unit's readers; `?bao-cao=H|Y&nam=2022`."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=READ)
    form = ReportForm({"kind": request.GET.get("bao-cao", ""), "year": request.GET.get("nam")})
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect("targets:dashboard", unit.pk)
    rows, figures = _report(scope, unit, form.period())
    filename, content_type, data = reports.report_workbook(
        unit=unit, period=form.period(), rows=rows, figures=figures)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def report_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as a draft "Báo cáo" of the unit (documents: Union format, DOCX, PDF), for
    its writers; then its page, where it is edited and issued."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=permissions.WRITE)
    form = ReportForm(request.POST)

    def create(data: dict[str, object]) -> Document:
        period = form.period()
        rows, figures = _report(scope, unit, period)
        return services.report_document_create(
            actor=request.user, scope=scope, unit=unit, period=period,  # type: ignore[arg-type]
            body=reports.report_body(unit=unit, period=period, rows=rows, figures=figures))

    done = form_submit(request, form, create,
                       success=_("Đã lập dự thảo báo cáo; hãy xem lại rồi ban hành."),
                       redirect_to=lambda d: reverse("documents:detail", args=[d.pk]))
    if done is not None:
        return done
    _flash_errors(request, form)
    return redirect("targets:dashboard", unit.pk)
