"""Pages of the score sheets (EMU-2, EMU-8, EMU-10): a rubric's sheets, one unit's sheet with the
origin of every point, the unit's self-score form, evidence upload and submission, a
department's worklist and scoring form, the component import, bonus/penalty and adjustment forms.

Thin: every object comes from a selector given the request's Scope (404 alike for missing and not
yours); every write goes through `sheets` services, whose refusals show beside the field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from doanvu.accounts.scope import Scope, scope_of
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, add_error_from, form_submit
from doanvu.common.views import stored_file
from doanvu.hub import uploads

from . import (
    component_requests,
    components,
    deadlines,
    permissions,
    results,
    scoring,
    selectors,
)
from . import conclusions as carryover
from . import forms as f
from . import sheets as svc
from .models import (
    Criterion,
    LineSource,
    RubricItem,
    RubricState,
    ScoreSheet,
    SheetEvidence,
)


def _sheet_url(sheet: ScoreSheet) -> str:
    return reverse("emulation:sheet_detail", args=[sheet.pk])


def _criteria(sheet: ScoreSheet) -> list[Criterion]:
    return list(Criterion.objects.filter(area__rubric_id=sheet.rubric_id)
                .select_related("area", "department")
                .order_by("area__order", "area_id", "order", "id"))


def _own(scope: Scope, sheet: ScoreSheet) -> bool:
    return permissions.can_self_score(scope, sheet.unit, sheet.rubric.issuing_unit)


def _may(scope: Scope, sheet: ScoreSheet) -> dict[str, bool]:
    """What the user may do on this sheet (the services check again)."""
    issuing = sheet.rubric.issuing_unit
    open_ = sheet.rubric.state == RubricState.OPEN and not sheet.is_final
    item_departments = set(RubricItem.objects.filter(rubric_id=sheet.rubric_id)
                           .values_list("department_id", flat=True))
    departments = {d for d in item_departments
                   if permissions.can_department_score(scope, sheet.unit, d)}
    return {
        "self_score": open_ and _own(scope, sheet),
        "submit": open_ and not sheet.is_submitted
        and _own(scope, sheet),
        "enter": open_ and (permissions.can_edit(scope, issuing) or bool(departments)),
        "adjust": open_ and permissions.can_freeze(scope, issuing),
        "finalise": open_ and sheet.is_submitted and permissions.can_freeze(scope, issuing),
    }


# -- a rubric's sheets ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def sheet_list(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    rubric = selectors.rubric_get(scope=scope, pk=pk)
    can_edit = permissions.can_edit(scope, rubric.issuing_unit)
    return render(request, "emulation/sheet_list.html", {
        "rubric": rubric, "sheets": selectors.sheets_of(rubric=rubric),
        "can_open": can_edit and rubric.state == RubricState.OPEN,
        "can_import": can_edit and rubric.state == RubricState.OPEN,
        "open_form": f.SheetsOpenForm(),
        "can_set_deadlines": can_edit and rubric.state != RubricState.CLOSED,
    })


@login_required
@require_http_methods(["GET", "POST"])
def rubric_deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    """The year's scoring deadlines (EMU-2, EMU-8): the units' self-scoring date and how many
    days before each unit's inspection slot the departments must be done."""
    rubric = selectors.rubric_get(scope=scope_of(request), pk=pk, allowed=permissions.can_edit)
    back = reverse("emulation:sheet_list", args=[rubric.pk])
    form = f.DeadlinesForm(request.POST or None, initial={
        "self_score_due": rubric.self_score_due, "scoring_lead_days": rubric.scoring_lead_days})
    done = form_submit(request, form, lambda d: deadlines.deadlines_set(
        actor=request.user, rubric=rubric, self_score_due=d["self_score_due"],
        scoring_lead_days=d["scoring_lead_days"]),
        success=_("Đã lưu hạn chấm điểm; hạn của các phiếu theo lịch kiểm tra đã cập nhật."),
        redirect_to=back)
    return done or render(request, "emulation/form.html", {
        "form": form, "title": _("Hạn chấm điểm năm {year}").format(year=rubric.year),
        "lead": rubric.name, "back_url": back, "back_label": _("Phiếu chấm điểm"),
        "submit": _("Lưu hạn"),
    })


@login_required
@require_POST
def sheets_open(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = selectors.rubric_get(scope=scope_of(request), pk=pk, allowed=permissions.can_edit)
    form = f.SheetsOpenForm(request.POST)
    return action_submit(
        request, lambda: svc.sheets_open(actor=request.user, rubric=rubric,
                                         due_on=form.cleaned_data["due_on"]),
        success=lambda made: _("Đã mở {n} phiếu chấm điểm.").format(n=len(made)),
        back=reverse("emulation:sheet_list", args=[rubric.pk]), form=form)


# -- one sheet ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    sheet = selectors.sheet_get(scope=scope, pk=pk)
    data = scoring.sheet_data(sheet)
    problem = ""
    try:
        result: scoring.SheetResult | None = scoring.sheet_result(sheet, data=data)
    except ApplicationError as exc:
        result, problem = None, str(exc)
    criteria = _criteria(sheet)
    by_source = {s: data.current(s) for s in (LineSource.SELF, LineSource.DEPARTMENT,
                                               LineSource.IMPORTED)}
    adjustments: dict[int, list[Any]] = {}
    for ln in data.adjustments():
        adjustments.setdefault(ln.criterion_id, []).append(ln)
    files: dict[int | None, list[SheetEvidence]] = {}
    for ev in SheetEvidence.objects.filter(sheet=sheet).select_related("by").order_by("at"):
        files.setdefault(ev.criterion_id, []).append(ev)
    points = result.result.criterion_points if result else {}
    rows = [{
        "c": c,
        "self": by_source[LineSource.SELF].get(c.pk),
        "department": by_source[LineSource.DEPARTMENT].get(c.pk),
        "imported": by_source[LineSource.IMPORTED].get(c.pk),
        "adjustments": adjustments.get(c.pk, []),
        "files": files.get(c.pk, []),
        "points": points.get(c.code),
    } for c in criteria]
    departments = sorted({c.department for c in criteria if c.department is not None
                          and scope.can(permissions.SCORE, sheet.unit,
                                        department_id=c.department_id)},
                         key=lambda d: d.name)
    may = _may(scope, sheet)
    penalties = [i for i in carryover.penalty_items(sheet)
                 if permissions.can_edit(scope, sheet.rubric.issuing_unit)
                 or permissions.can_department_score(scope, sheet.unit, i.department_id)]
    candidates = carryover.carryover_candidates(sheet=sheet)
    remedy_entries = carryover.remediation_entries(sheet=sheet)
    return render(request, "emulation/sheet_detail.html", {
        "ranking_line": results.current_line(sheet),
        "sheet": sheet, "rubric": sheet.rubric, "rows": rows, "result": result,
        "problem": problem, "entries": data.entries, "sheet_files": files.get(None, []),
        "may": may, "departments": departments,
        # EMU-11: last year's unremedied limitations, a penalty the scorer may apply
        "candidates": [(c, f.CarryoverForm(items=penalties, initial={
            "reason": _("Tồn tại năm {year} chưa khắc phục: {text}").format(
                year=sheet.year - 1, text=c.limitation.text)[:2000]}))
            for c in candidates],
        "may_carry": may["enter"] and bool(penalties),
        # EMU-11: last year's shortcomings of the unit's self-review still open (remediation)
        "remedy_candidates": [
            (s, remedy_entries.get(s.pk, []), f.CarryoverForm(items=penalties, initial={
                "reason": _("Khuyết điểm năm {year} chưa khắc phục: {text}").format(
                    year=sheet.year - 1, text=s.text)[:2000]}))
            for s in carryover.remediation_candidates(sheet=sheet)],
    })


@login_required
@require_http_methods(["GET", "POST"])
def sheet_self_score(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    sheet = selectors.sheet_get(scope=scope, pk=pk)
    if not _own(scope, sheet):
        raise Http404(_("Không tìm thấy phiếu chấm điểm."))
    criteria = _criteria(sheet)
    own = scoring.sheet_data(sheet).current(LineSource.SELF)
    form = f.ScoresForm(request.POST or None, criteria=criteria, notes=True,
                        initial_values={k: _raw(v.raw) for k, v in own.items()},
                        initial_notes={k: v.evidence for k, v in own.items()})
    done = form_submit(request, form, lambda d: svc.scores_save(
        actor=request.user, sheet=sheet, source=LineSource.SELF, values=form.values(),
        evidence=form.notes(), reason=d["reason"]),
        success=_("Đã lưu điểm tự chấm."), redirect_to=_sheet_url)
    return done or render(request, "emulation/sheet_scores.html", {
        "form": form, "sheet": sheet, "title": _("Tự chấm điểm"), "notes": True,
    })


def _raw(value: Any) -> str:
    if value is None:
        return ""
    from .templatetags.emulation_tags import points

    return points(value)


@login_required
@require_http_methods(["GET", "POST"])
def department_score(request: HttpRequest, pk: int, department: int) -> HttpResponse:
    scope = scope_of(request)
    sheet = selectors.sheet_get(scope=scope, pk=pk)
    dep = selectors.department_get(scope=scope, pk=department)
    if dep.unit_id != sheet.rubric.issuing_unit_id or not permissions.can_department_score(
            scope, sheet.unit, dep.pk):
        raise Http404(_("Không tìm thấy phiếu chấm điểm."))
    criteria = [c for c in _criteria(sheet) if c.department_id == dep.pk]
    mine = scoring.sheet_data(sheet).current(LineSource.DEPARTMENT)
    form = f.ScoresForm(request.POST or None, criteria=criteria,
                        initial_values={k: _raw(v.raw) for k, v in mine.items()})
    done = form_submit(request, form, lambda d: svc.scores_save(
        actor=request.user, sheet=sheet, source=LineSource.DEPARTMENT, values=form.values(),
        reason=d["reason"]),
        success=_("Đã lưu điểm của {name}.").format(name=dep.name),
        redirect_to=reverse("emulation:department_worklist", args=[dep.pk]))
    return done or render(request, "emulation/sheet_scores.html", {
        "form": form, "sheet": sheet, "department": dep, "notes": False,
        "title": _("Chấm điểm: {name}").format(name=dep.name),
    })


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The upload limits act before the body is read (hub.uploads), so the handler is installed
    here, before the CSRF check reads the form."""
    if request.method == "POST":
        refusal = uploads.content_length_refusal(request)
        if refusal:
            return _evidence_page(request, pk, refusal=refusal)
        handler = uploads.install(request)
        return _evidence_checked(request, pk, handler)
    return _evidence_page(request, pk)


@csrf_protect
def _evidence_checked(request: HttpRequest, pk: int,
                      handler: uploads.LimitedUploadHandler) -> HttpResponse:
    request.POST  # noqa: B018 - reading the body runs the limiting handler
    return _evidence_page(request, pk, refusal=handler.refusal)


def _evidence_page(request: HttpRequest, pk: int, *, refusal: str = "") -> HttpResponse:
    scope = scope_of(request)
    sheet = selectors.sheet_get(scope=scope, pk=pk)
    if not _own(scope, sheet):
        raise Http404(_("Không tìm thấy phiếu chấm điểm."))
    criteria = _criteria(sheet)
    by_id = {c.pk: c for c in criteria}
    if refusal:
        # an unbound form: the body is not read again (nor at all, when refused by its length)
        form = f.EvidenceForm(criteria=criteria)
        form.errors["file"] = form.error_class([refusal])
        return render(request, "emulation/form.html", _evidence_context(form, sheet),
                      status=413)
    form = f.EvidenceForm(request.POST or None, request.FILES or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            svc.evidence_add(actor=request.user, sheet=sheet, upload=form.cleaned_data["file"],
                             criterion=by_id.get(form.cleaned_data["criterion"] or 0),
                             reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, _("Đã tải lên minh chứng."))
            return redirect(_sheet_url(sheet))
    return render(request, "emulation/form.html", _evidence_context(form, sheet))


def _evidence_context(form: Any, sheet: ScoreSheet) -> dict[str, Any]:
    return {"form": form, "title": _("Tải lên minh chứng"), "lead": str(sheet),
            "back_url": _sheet_url(sheet), "back_label": sheet.unit.name,
            "submit": _("Tải lên"), "multipart": True}


@login_required
@require_http_methods(["GET"])
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    ev = selectors.evidence_get(scope=scope_of(request), pk=pk)
    return stored_file(ev.file, ev.original_name)


@login_required
@require_POST
def sheet_submit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    sheet = selectors.sheet_get(scope=scope, pk=pk)
    if not _own(scope, sheet):
        raise Http404(_("Không tìm thấy phiếu chấm điểm."))
    return action_submit(
        request, lambda: svc.sheet_submit(actor=request.user, sheet=sheet),
        success=_("Đã nộp phiếu tự chấm điểm."), back=_sheet_url(sheet))


@login_required
@require_POST
def sheet_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    sheet = selectors.sheet_get(scope=scope, pk=pk)
    if not permissions.can_freeze(scope, sheet.rubric.issuing_unit):
        raise Http404(_("Không tìm thấy phiếu chấm điểm."))
    return action_submit(
        request, lambda: svc.sheet_finalise(actor=request.user, sheet=sheet),
        success=_("Phiếu đã chính thức và đã khóa."), back=_sheet_url(sheet))


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    sheet = selectors.sheet_get(scope=scope, pk=pk)
    items = [i for i in RubricItem.objects.filter(rubric_id=sheet.rubric_id)
             .order_by("kind", "order", "id")
             if permissions.can_edit(scope, sheet.rubric.issuing_unit)
             or permissions.can_department_score(scope, sheet.unit, i.department_id)]
    if not items:
        raise Http404(_("Không tìm thấy phiếu chấm điểm."))
    by_id = {i.pk: i for i in items}
    form = f.EntryForm(request.POST or None, items=items)
    done = form_submit(request, form, lambda d: svc.entry_add(
        actor=request.user, sheet=sheet, item=by_id[d["item"]], count=d["count"],
        reason=d["reason"]), success=_("Đã ghi điểm thưởng, điểm trừ."),
        redirect_to=_sheet_url(sheet))
    return done or render(request, "emulation/form.html", {
        "form": form, "title": _("Ghi điểm thưởng, điểm trừ"), "lead": str(sheet),
        "back_url": _sheet_url(sheet), "back_label": sheet.unit.name, "submit": _("Ghi"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def adjustment_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    sheet = selectors.sheet_get(scope=scope, pk=pk)
    if not permissions.can_freeze(scope, sheet.rubric.issuing_unit):
        raise Http404(_("Không tìm thấy phiếu chấm điểm."))
    criteria = _criteria(sheet)
    by_id = {c.pk: c for c in criteria}
    form = f.AdjustmentForm(request.POST or None, criteria=criteria)
    done = form_submit(request, form, lambda d: svc.adjustment_add(
        actor=request.user, sheet=sheet, criterion=by_id[d["criterion"]], delta=d["delta"],
        reason=d["reason"]), success=_("Đã ghi điều chỉnh của đoàn kiểm tra."),
        redirect_to=_sheet_url(sheet))
    return done or render(request, "emulation/form.html", {
        "form": form, "title": _("Điều chỉnh sau kiểm tra"), "lead": str(sheet),
        "back_url": _sheet_url(sheet), "back_label": sheet.unit.name, "submit": _("Ghi"),
    })


# -- departments --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def my_worklists(request: HttpRequest) -> HttpResponse:
    departments = selectors.scoring_departments(scope=scope_of(request))
    return render(request, "emulation/my_worklists.html", {"departments": departments})


@login_required
@require_http_methods(["GET"])
def department_worklist(request: HttpRequest, pk: int) -> HttpResponse:
    dep = selectors.department_get(scope=scope_of(request), pk=pk)
    return render(request, "emulation/worklist.html", {
        "department": dep, "work": selectors.department_worklist(department=dep),
    })


# -- component results ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def component_import(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = selectors.rubric_get(scope=scope_of(request), pk=pk, allowed=permissions.can_edit)
    form = f.ComponentImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp = components.component_import(actor=request.user, rubric=rubric, upload=upload,
                                              name=upload.name or "", title=form.cleaned_data[
                                                  "title"])
        except components.ComponentImportError as exc:
            problems = exc.problems
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, _("Đã nhập {n} dòng kết quả thành phần.").format(
                n=imp.rows))
            return redirect(reverse("emulation:sheet_list", args=[rubric.pk]))
    return render(request, "emulation/component_import.html", {
        "form": form, "rubric": rubric, "problems": problems,
        "imports": rubric.component_imports.select_related("by").order_by("-at")[:20],
        "requests": component_requests.request_rows(rubric=rubric),
        "can_request": rubric.state != RubricState.CLOSED,
    }, status=400 if problems else 200)
