"""Pages of plans (PLAN-1 … PLAN-3): a unit's plans; a plan with its bases, the plans above and
below it, lower units' implementing plans, targets, solutions and tasks; the structure form;
tasks, progress, evidence and the import of a task table; the lead-time policy and directives.
Thin: the request's Scope → a selector → a service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from doanvu.accounts.scope import READ, scope_of
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, add_error_from, form_submit
from doanvu.common.views import stored_file
from doanvu.org.selectors import unit_get

from . import importers, permissions, selectors, services
from .forms import (
    DirectiveForm,
    EvidenceForm,
    ImportConfirmForm,
    ImportForm,
    LeadTimePolicyForm,
    PlanForm,
    ProgressForm,
    TaskForm,
    solution_titles,
)
from .models import Plan

IMPORT_SALT = "plans.import"  # i18n: data
IMPORT_MAX_AGE = 3600  # seconds a preview may be confirmed in


def _plan_url(document_id: int) -> str:
    return reverse("plans:plan", args=[document_id])


def _plan_required(document: Any) -> Plan:
    plan = selectors.plan_of(document)
    if plan is None:
        raise Http404(_("Văn bản này chưa có hồ sơ kế hoạch."))
    return plan


@login_required
@require_GET
def unit_plans(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's plans, with whether each has its structure recorded."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=READ)
    return render(request, "plans/unit_plans.html", {
        "unit": unit, "documents": selectors.unit_plans(unit=unit),
        "can_manage": permissions.can_manage(scope, unit),
        "can_administer": permissions.can_administer(scope, unit),
    })


@login_required
@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """PLAN-1 and PLAN-2: the plan beside its document."""
    scope = scope_of(request)
    document = selectors.plan_document_get(scope=scope, pk=pk)
    record = selectors.plan_of(document)
    can_manage = permissions.can_manage(scope, document.issuing_unit)
    context: dict[str, Any] = {"document": document, "plan": record, "can_manage": can_manage,
                               "lower": selectors.lower_plans(scope=scope, document=document)}
    if record is not None:
        tasks = selectors.tasks_of(record)
        day = today()
        for t in tasks:
            t.late = services.rules.is_late(due_by=t.due_by, progress=t.progress, on=day)  # type: ignore[attr-defined]
            t.deadline_label = services.deadline_text(t)  # type: ignore[attr-defined]
        groups: dict[Any, list[Any]] = {}
        for t in tasks:
            groups.setdefault(t.solution, []).append(t)
        context |= {
            "chain": selectors.higher_chain(record),
            "bases": list(record.bases.all()),
            "duties": selectors.duty_rows(plan=record),
            "groups": list(groups.items()),
            "late_count": len([t for t in tasks if t.late]),  # type: ignore[attr-defined]
            "targets": selectors.plan_targets(scope=scope, plan=record),
            "evidence_form": EvidenceForm(),
        }
    return render(request, "plans/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """PLAN-1: record or correct the plan's structure (writers of the issuing unit)."""
    scope = scope_of(request)
    document = selectors.plan_document_get(scope=scope, pk=pk, perm=permissions.WRITE)
    record = selectors.plan_of(document)
    initial: dict[str, Any] = {}
    if record is not None:
        bases = list(record.bases.all())
        initial = {"purposes": record.purposes, "organisation": record.organisation,
                   "implementing_due_on": record.implementing_due_on,
                   "basis_documents": [b.document_id for b in bases if b.document_id],
                   "basis_texts": "\n".join(b.text for b in bases if b.text)}
    elif document.legal_bases:
        initial = {"basis_texts": "\n".join(str(b) for b in document.legal_bases)}
    candidates = selectors.basis_candidates(scope=scope, unit=document.issuing_unit,
                                            exclude=document)[:selectors.CANDIDATES]
    form = PlanForm(request.POST or None, candidates=selectors.basis_candidates(
        scope=scope, unit=document.issuing_unit, exclude=document).filter(
        pk__in=[d.pk for d in candidates]), initial=initial)
    done = form_submit(request, form, lambda d: services.plan_save(
        actor=request.user, document=document, data=services.PlanInput(
            purposes=d["purposes"], organisation=d["organisation"],
            implementing_due_on=d["implementing_due_on"],
            basis_documents=list(d["basis_documents"]), basis_texts=form.basis_text_lines())),
        success=_("Đã lưu hồ sơ kế hoạch."), redirect_to=_plan_url(document.pk))
    return done or render(request, "plans/plan_form.html", {
        "document": document, "form": form, "plan": record})


def _task_form(request: HttpRequest, record: Plan, **kwargs: Any) -> TaskForm:
    return TaskForm(request.POST or None, departments=selectors.lead_departments(record.unit),
                    units=selectors.lead_units(record.unit), **kwargs)


def _task_input(form: TaskForm, d: dict[str, Any]) -> services.TaskInput:
    department, unit = form.lead_objects()
    return services.TaskInput(text=d["text"], solution_title=d["solution_title"],
                              lead_department=department, lead_unit=unit,
                              partners=d["partners"], deadline=d["deadline"])


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    """PLAN-2: add a task (writers of the issuing unit)."""
    scope = scope_of(request)
    document = selectors.plan_document_get(scope=scope, pk=pk, perm=permissions.WRITE)
    record = _plan_required(document)
    form = _task_form(request, record)
    done = form_submit(request, form, lambda d: services.task_create(
        actor=request.user, plan=record, data=_task_input(form, d)),
        success=_("Đã thêm nhiệm vụ."), redirect_to=_plan_url(document.pk))
    return done or render(request, "plans/task_form.html", {
        "document": document, "form": form, "title": _("Thêm nhiệm vụ"),
        "solutions": solution_titles(record), "submit": _("Thêm nhiệm vụ")})


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """PLAN-2: correct a task (writers of the issuing unit)."""
    scope = scope_of(request)
    task = selectors.task_get(scope=scope, pk=pk, perm=permissions.WRITE)
    record = task.plan
    lead = (f"d{task.lead_department_id}" if task.lead_department_id
            else f"u{task.lead_unit_id}" if task.lead_unit_id else "")
    form = _task_form(request, record, initial={
        "solution_title": task.solution.title if task.solution else "", "text": task.text,
        "lead": lead, "partners": task.partners, "deadline": services.deadline_text(task)})
    done = form_submit(request, form, lambda d: services.task_update(
        actor=request.user, task=task, data=_task_input(form, d)),
        success=_("Đã lưu nhiệm vụ."), redirect_to=_plan_url(record.document_id))
    return done or render(request, "plans/task_form.html", {
        "document": record.document, "form": form, "title": _("Sửa nhiệm vụ"),
        "solutions": solution_titles(record), "submit": _("Lưu nhiệm vụ"), "task": task})


@login_required
@require_http_methods(["GET", "POST"])
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """PLAN-2: progress 0–100 with what was done; evidence files beside it."""
    scope = scope_of(request)
    task = selectors.task_get(scope=scope, pk=pk, perm=permissions.WRITE)
    form = ProgressForm(request.POST or None, initial={"progress": task.progress,
                                                       "note": task.progress_note})
    done = form_submit(request, form, lambda d: services.task_progress(
        actor=request.user, task=task, progress=d["progress"], note=d["note"]),
        success=_("Đã cập nhật tiến độ nhiệm vụ."),
        redirect_to=_plan_url(task.plan.document_id))
    return done or render(request, "plans/task_progress.html", {
        "document": task.plan.document, "task": task, "form": form,
        "deadline": services.deadline_text(task), "evidence": list(task.evidence.all()),
        "evidence_form": EvidenceForm()})


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    task = selectors.task_get(scope=scope, pk=pk, perm=permissions.WRITE)
    form = EvidenceForm(request.POST, request.FILES)
    return action_submit(request, lambda: services.evidence_add(
        actor=request.user, task=task, name=form.cleaned_data["name"],
        file=form.cleaned_data["file"]), form=form, success=_("Đã thêm minh chứng."),
        back=reverse("plans:task_progress", args=[task.pk]))


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> Any:
    found = selectors.evidence_get(scope=scope_of(request), pk=pk)
    return stored_file(found.file, found.file.name.rsplit("/", 1)[-1])


@login_required
@require_http_methods(["GET", "POST"])
def task_import(request: HttpRequest, pk: int) -> HttpResponse:
    """PLAN-2: upload a task table (.xlsx or a .docx table) → preview with each bad cell named
    → confirm: every row saved, or none."""
    scope = scope_of(request)
    document = selectors.plan_document_get(scope=scope, pk=pk, perm=permissions.WRITE)
    record = _plan_required(document)
    context: dict[str, Any] = {"document": document, "plan": record}
    if request.method == "POST" and "token" in request.POST:
        confirm = ImportConfirmForm(request.POST)
        try:
            if not confirm.is_valid():
                raise signing.BadSignature
            payload = signing.loads(confirm.cleaned_data["token"],
                                    salt=f"{IMPORT_SALT}:{record.pk}", max_age=IMPORT_MAX_AGE)
            rows, inputs = importers.to_inputs(record, payload["rows"], payload["columns"])
            problems = [e for r in rows for e in r.errors]
            if problems:
                raise services.PlanError(problems[0], field="file")
            made = services.tasks_import(actor=request.user, plan=record, rows=inputs)
        except signing.BadSignature:
            messages.error(request, _("Bản xem trước đã hết hạn hoặc không hợp lệ; hãy tải tệp "
                                      "lên lại."))
            return redirect(reverse("plans:task_import", args=[document.pk]))
        except ApplicationError as exc:
            messages.error(request, str(exc))
            return redirect(reverse("plans:task_import", args=[document.pk]))
        messages.success(request, _("Đã nhập {n} nhiệm vụ.").format(n=len(made)))
        return redirect(_plan_url(document.pk))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = importers.preview(record, upload.name or "", upload.read())
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            context["preview"] = preview
            if preview.ok:
                context["confirm"] = ImportConfirmForm(initial={"token": signing.dumps(
                    {"rows": preview.raw(), "columns": preview.columns},
                    salt=f"{IMPORT_SALT}:{record.pk}", compress=True)})
    context["form"] = form
    return render(request, "plans/task_import.html", context)


# -- PLAN-3 ---------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def lead_time(request: HttpRequest, pk: int) -> HttpResponse:
    """PLAN-3: the unit's lead-time policies, the one in force, and a new one (administrators)."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=READ)
    can_administer = permissions.can_administer(scope, unit)
    form = LeadTimePolicyForm(request.POST or None) if can_administer else None
    if request.method == "POST" and form is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    done = form and form_submit(request, form, lambda d: services.lead_time_policy_create(
        actor=request.user, issuing_unit=unit, name=d["name"], lead_days=d["lead_days"],
        valid_from=d["valid_from"], valid_to=d["valid_to"], source=d["source"]),
        success=_("Đã ban hành quy định."),
        redirect_to=reverse("plans:lead_time", args=[unit.pk]))
    return done or render(request, "plans/lead_time.html", {
        "unit": unit, "policies": selectors.lead_time_policies(unit=unit),
        "in_force": selectors.lead_time_policy_for(unit=unit, day=today()), "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def directives(request: HttpRequest, pk: int) -> HttpResponse:
    """PLAN-3: the unit's directives to lower units of a year with the count, and registering a
    new one (writers): warned when issued with less than the lead time."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=READ)
    raw = str(request.GET.get("nam") or "")
    year = int(raw) if raw.isdigit() and 1900 <= int(raw) <= 2200 else today().year
    can_manage = permissions.can_manage(scope, unit)
    form = DirectiveForm(request.POST or None) if can_manage else None
    if request.method == "POST" and form is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    warned = False
    done = None
    if form is not None and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            made = services.directive_register(
                actor=request.user, unit=unit, title=d["title"], issued_on=d["issued_on"],
                act_on=d["act_on"], urgent=d["urgent"], urgent_source=d["urgent_source"],
                urgent_reason=d["urgent_reason"], confirm_short=d["confirm_short"])
        except services.LeadTimeWarning as exc:
            add_error_from(form, exc)
            warned = True
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận văn bản chỉ đạo: {verdict}.").format(
                verdict=made.get_verdict_display()))
            done = redirect(reverse("plans:directives", args=[unit.pk])
                            + f"?nam={made.issued_on.year}")
    return done or render(request, "plans/directives.html", {
        "unit": unit, "year": year, "items": selectors.directives_of(unit=unit, year=year),
        "count": selectors.lead_time_count(unit, year), "form": form, "warned": warned,
        "policy": selectors.lead_time_policy_for(unit=unit, day=today())})
