"""Pages of the session record and the conclusion (INS-6) and of its follow-up (INS-8): the
record/draft form, the conclusion page (issue, tasks done, limitations remedied), a
department's list of tasks to follow. Thin: Scope → selector (404 alike for missing and not
yours) → form → `conclusions` service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doanvu.accounts.scope import scope_of
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import add_error_from, form_submit
from doanvu.org.models import Department

from . import conclusions, permissions, selectors
from .forms import ConclusionForm, ConclusionIssueForm, DirectionMarkForm, RemediedForm
from .models import Conclusion, Session, TeamRole


def _url(session: Session) -> str:
    return reverse("inspections:conclusion_detail", args=[session.pk])


def _page(request: HttpRequest, session: Session, conclusion: Conclusion | None, *,
          issue_form: ConclusionIssueForm | None = None, status: int = 200) -> HttpResponse:
    scope = scope_of(request)
    issued = conclusion is not None and conclusion.is_issued
    supervising = selectors.supervising_department_ids(unit=session.unit)
    head = session.team.members.filter(role=TeamRole.HEAD).select_related("person").first()
    directions = list(conclusion.directions.select_related("department", "done_by")
                      ) if conclusion else []
    return render(request, "inspections/conclusion_detail.html", {
        "session": session, "team": session.team, "round": session.team.round,
        "conclusion": conclusion, "issued": issued,
        "notes": list(conclusion.notes.all()) if conclusion else [],
        "present": list(conclusion.present_attendees.all()) if conclusion else [],
        "limitations": list(conclusion.limitations.select_related("remedied_by"))
        if conclusion else [],
        "directions": [(d, issued and permissions.can_follow_direction(
            scope, session, d.department_id)) for d in directions],
        "adjustments": list(conclusion.adjustments.prefetch_related("score_lines__sheet"))
        if conclusion else [],
        "models": list(conclusion.good_models.all()) if conclusion else [],
        "can_write": not issued and permissions.can_write_conclusion(scope, session),
        "can_issue": conclusion is not None and not issued
        and permissions.can_issue_conclusion(scope, session),
        "can_remedy": issued and permissions.can_mark_remedied(scope, session, supervising),
        "issue_form": issue_form or ConclusionIssueForm(initial={
            "signer_name": head.person.full_name if head else ""}),
        "mark_form": DirectionMarkForm(), "remedied_form": RemediedForm(),
    }, status=status)


@login_required
@require_GET
def conclusion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session, conclusion = selectors.conclusion_get(scope=scope_of(request), session_pk=pk)
    return _page(request, session, conclusion)


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    session = selectors.session_get(scope=scope, pk=pk,
                                    allowed=permissions.can_write_conclusion)
    conclusion = selectors.conclusion_of(session=session)
    if conclusion is not None and conclusion.is_issued:
        messages.info(request, _("Kết luận đã ban hành: không sửa được nữa."))
        return redirect(_url(session))
    attendees = list(session.attendees.all())
    departments = Department.objects.filter(unit=session.team.round.plan.issuing_unit
                                            ).order_by("name")
    form = ConclusionForm(request.POST or None, headings=conclusions.agenda_headings(session),
                          attendees=attendees, departments=departments, conclusion=conclusion)

    def save(d: dict[str, Any]) -> Conclusion:
        v = form.values()
        return conclusions.conclusion_save(
            actor=request.user, session=session, notes=v["notes"], present=v["present"],
            present_others=v["present_others"], strengths=v["strengths"],
            limitations=v["limitations"],
            directions=[conclusions.DirectionInput(t, dept) for t, dept in v["directions"]],
            adjustments=[conclusions.AdjustmentInput(c, p, r) for c, p, r in v["adjustments"]],
            models=[conclusions.ModelInput(t, x, f, g) for t, x, f, g in v["models"]])

    done = form_submit(request, form, save, success=_("Đã lưu biên bản, dự thảo kết luận."),
                       redirect_to=_url(session))
    return done or render(request, "inspections/conclusion_form.html", {
        "session": session, "team": session.team, "round": session.team.round, "form": form,
        "groups": form.groups(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def conclusion_issue(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    session = selectors.session_get(scope=scope, pk=pk,
                                    allowed=permissions.can_issue_conclusion)
    conclusion = selectors.conclusion_of(session=session)
    if conclusion is None:
        raise Http404(_("Không tìm thấy kết luận kiểm tra."))
    if conclusion.is_issued:
        messages.info(request, _("Kết luận đã được ban hành."))
        return redirect(_url(session))
    form = ConclusionIssueForm(request.POST)
    done = form_submit(request, form, lambda d: conclusions.conclusion_issue(
        actor=request.user, conclusion=conclusion, signer_title=d["signer_title"],
        signer_name=d["signer_name"], issued_on=d["issued_on"]),
        success=lambda doc: _("Đã ban hành kết luận số {symbol}.").format(symbol=doc.symbol),
        redirect_to=_url(session))
    return done or _page(request, session, conclusion, issue_form=form, status=400)


@login_required
@require_POST
def direction_mark(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    direction = selectors.direction_get(scope=scope, pk=pk)
    session = direction.conclusion.session
    if not permissions.can_follow_direction(scope, session, direction.department_id):
        raise Http404(_("Không tìm thấy nhiệm vụ."))
    form = DirectionMarkForm(request.POST)
    back = request.POST.get("next") or _url(session)
    if not back.startswith("/") or back.startswith("//"):
        back = _url(session)
    if form.is_valid():
        try:
            conclusions.direction_mark(actor=request.user, direction=direction,
                                       done=form.cleaned_data["done"] == "1",
                                       on=form.cleaned_data["on"],
                                       note=form.cleaned_data["note"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, _("Đã cập nhật tình trạng nhiệm vụ."))
            return redirect(back)
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    return redirect(back)


@login_required
@require_POST
def limitation_remedied(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    limitation = selectors.limitation_get(scope=scope, pk=pk)
    session = limitation.conclusion.session
    if not permissions.can_mark_remedied(
            scope, session, selectors.supervising_department_ids(unit=session.unit)):
        raise Http404(_("Không tìm thấy hạn chế, tồn tại."))
    form = RemediedForm(request.POST)
    if form.is_valid():
        try:
            conclusions.limitation_remedied(actor=request.user, limitation=limitation,
                                            on=form.cleaned_data["on"],
                                            note=form.cleaned_data["note"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận hạn chế đã được khắc phục."))
            return redirect(_url(session))
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    return redirect(_url(session))


@login_required
@require_GET
def department_directions(request: HttpRequest, pk: int) -> HttpResponse:
    """INS-8: the tasks of issued conclusions a department follows to done."""
    scope = scope_of(request)
    department = selectors.followed_department_get(scope=scope, pk=pk)
    open_only = request.GET.get("con") == "1"
    rows = selectors.department_directions(scope=scope, department=department,
                                           open_only=open_only)
    return render(request, "inspections/department_directions.html", {
        "department": department, "open_only": open_only,
        "rows": [(d, permissions.can_follow_direction(scope, d.conclusion.session,
                                                      department.pk)) for d in rows],
        "mark_form": DirectionMarkForm(),
    })
