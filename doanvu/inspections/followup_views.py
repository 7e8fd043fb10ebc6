"""Pages of what is owed after an inspection (INS-7, INS-8). Thin, as views.py: the scope → a
selector (404 alike for missing and not yours) → a form → a service → a redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doanvu.accounts.scope import scope_of
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import form_submit
from doanvu.common.views import stored_file
from doanvu.hub import permissions as hub_permissions
from doanvu.hub.forms import SubmitForm
from doanvu.org.models import Department

from . import followup, permissions, selectors
from . import followup_selectors as fselectors
from .forms import HeldForm, RecommendationForm
from .models import Round, Session


@login_required
@require_POST
def session_held(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary (or head) records that the session took place."""
    session = selectors.session_get(scope=scope_of(request), pk=pk,
                                    allowed=permissions.can_mark_held)
    form = HeldForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("inspections:session_reflections", pk=session.pk)
    try:
        done = followup.session_held(actor=request.user, session=session,
                                     on=form.cleaned_data["held_on"])
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã ghi nhận buổi kiểm tra; đã giao {n} việc sau kiểm "
                                    "tra.").format(n=len(done.created)))
        for note in done.notes:
            messages.warning(request, note)
    return redirect("inspections:session_reflections", pk=session.pk)


def _mine(request: HttpRequest, rows: list[fselectors.ReflectionRow]) -> Any:
    """The user's own open reflection, if they may hand it in."""
    scope = scope_of(request)
    for row in rows:
        ob = row.obligation
        if ob is not None and ob.owed_by_user_id == request.user.pk and ob.is_open() and \
                hub_permissions.can_submit(scope, ob):
            return ob
    return None


def _reflections_page(request: HttpRequest, session: Session, *,
                      form: SubmitForm | None = None, status: int = 200) -> HttpResponse:
    scope = scope_of(request)
    rows = fselectors.visible_reflections(scope=scope, session=session)
    return render(request, "inspections/session_reflections.html", {
        "session": session, "team": session.team, "round": session.team.round,
        "rows": rows, "mine": _mine(request, rows), "today": today(),
        "see_all": permissions.can_read_all_reflections(scope, session),
        "can_mark": permissions.can_mark_held(scope, session) and session.held_on is None
        and session.status != "khong_kiem_tra",
        "held_form": HeldForm(), "form": form or SubmitForm(),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_reflections(request: HttpRequest, pk: int) -> HttpResponse:
    """Bài thu hoạch: a member writes or uploads theirs; the head sees who handed it in."""
    session = selectors.session_get(scope=scope_of(request), pk=pk,
                                    allowed=permissions.can_read_reflections)
    if request.method == "GET":
        return _reflections_page(request, session)
    ob = _mine(request, fselectors.reflections(session=session))
    if ob is None:
        raise Http404(_("Không có bài thu hoạch nào của bạn chờ nộp ở buổi này."))
    form = SubmitForm(request.POST, request.FILES)
    done = form_submit(request, form, lambda d: followup.reflection_submit(
        actor=request.user, session=session, obligation=ob, text=d["text"],
        files=d["attachments"]),
        success=_("Đã gửi bài thu hoạch cho trưởng đoàn."),
        redirect_to=reverse("inspections:session_reflections", args=[session.pk]))
    return done or _reflections_page(request, session, form=form, status=400)


@login_required
@require_GET
def reflection_file(request: HttpRequest, pk: int, ob_pk: int, file_pk: int) -> HttpResponseBase:
    scope = scope_of(request)
    session = selectors.session_get(scope=scope, pk=pk, allowed=permissions.can_read_reflections)
    f = fselectors.reflection_file_get(scope=scope, session=session, obligation_pk=ob_pk,
                                       pk=file_pk)
    return stored_file(f.file, f.original_name, inline=True)


@login_required
@require_GET
def round_followup(request: HttpRequest, pk: int) -> HttpResponse:
    """After the round: each session's reflections and the unit's compilation, the round's
    compilation, each with its due date and timeliness."""
    round_ = selectors.round_get(scope=scope_of(request), pk=pk)
    day = today()
    return render(request, "inspections/round_followup.html", {
        "round": round_, "plan": round_.plan, "today": day,
        "followup": fselectors.round_followup(round_=round_, today=day),
        "round_end": followup.round_end(round_),
    })


def _recommendations_page(request: HttpRequest, round_: Round, *,
                          form: RecommendationForm | None = None,
                          status: int = 200) -> HttpResponse:
    scope = scope_of(request)
    return render(request, "inspections/round_recommendations.html", {
        "round": round_, "plan": round_.plan, "today": today(),
        "data": fselectors.recommendations(round_=round_),
        "can_record": permissions.can_record_recommendation(scope, round_),
        "form": form or _recommendation_form(round_),
    }, status=status)


def _recommendation_form(round_: Round, data: Any = None) -> RecommendationForm:
    return RecommendationForm(
        data, departments=Department.objects.filter(unit=round_.plan.issuing_unit,
                                                    valid_to__isnull=True).order_by("name"),
        units=round_.units.order_by("name"))


@login_required
@require_http_methods(["GET", "POST"])
def round_recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    """Kiến nghị, đề xuất of the cluster meeting: each with its department and its state."""
    scope = scope_of(request)
    round_ = selectors.round_get(scope=scope, pk=pk)
    if request.method == "GET":
        return _recommendations_page(request, round_)
    round_ = selectors.round_get(scope=scope, pk=pk,
                                 allowed=permissions.can_record_recommendation)
    form = _recommendation_form(round_, request.POST)
    done = form_submit(request, form, lambda d: followup.recommendation_record(
        actor=request.user, round_=round_, content=d["content"], department=d["department"],
        unit=d["unit"], raised_on=d["raised_on"]),
        success=_("Đã ghi nhận kiến nghị và giao ban tổng hợp."),
        redirect_to=reverse("inspections:round_recommendations", args=[round_.pk]))
    return done or _recommendations_page(request, round_, form=form, status=400)


