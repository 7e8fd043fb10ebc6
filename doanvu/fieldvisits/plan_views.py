"""Pages of the quarter plans (FV-5) and Youth Month campaigns (FV-10), under /di-co-so/. Thin:
the scope → the object (404 alike for missing and not yours) → a form → a service → a
redirect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doanvu.accounts.scope import Scope, scope_of
from doanvu.common.dates import today
from doanvu.common.forms import action_submit, form_submit
from doanvu.org.models import Person, Unit

from . import permissions, plans, rules
from .models import Campaign, PlannedVisit, PlanStatus, QuarterPlan, VisitKind
from .plan_forms import CampaignForm, LineForm, MergeForm, ReasonForm, SignForm
from .selectors import policy_for


def unit_get(scope: Scope, pk: int) -> Unit:
    unit = Unit.objects.select_related("kind").filter(pk=pk).first()
    if unit is None or not permissions.can_read_unit(scope, unit):
        raise Http404
    return unit


def _plan(scope: Scope, pk: int) -> QuarterPlan:
    plan = (QuarterPlan.objects.select_related("unit__kind", "department", "supervisor",
                                               "campaign", "document", "obligation")
            .filter(pk=pk).first())
    if plan is None or not permissions.can_read_unit(scope, plan.unit):
        raise Http404
    return plan


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        n = int(value or "")
    except ValueError:
        return default
    return n if low <= n <= high else default


def year_ok(year: int, quarter: int = 1) -> None:
    """A year or quarter from the path outside what can exist: 404."""
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise Http404


def _year(request: HttpRequest) -> int:
    return _int(request.GET.get("nam"), today().year, 2000, 2100)


def _places(unit: Unit) -> Any:
    return (Unit.objects.filter(path__startswith=unit.path, depth__gt=unit.depth,
                                depth__lte=unit.depth + 3, dissolved_on__isnull=True)
            .order_by("path", "pk"))


def _cadres(plan: QuarterPlan) -> Any:
    first, last = rules.quarter_bounds(plan.year, plan.quarter)
    posts = plan.unit.positions.filter(start_date__lte=last).exclude(end_date__lt=first)
    if plan.department_id is not None:
        posts = posts.filter(department_id=plan.department_id)
    return Person.objects.filter(pk__in=posts.values("person_id")).order_by("name_folded", "pk")


# -- a unit's plans ---------------------------------------------------------------------------

@login_required
@require_http_methods(["GET"])
def plan_list(request: HttpRequest, unit_pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope, unit_pk)
    year = _year(request)
    policy = policy_for(unit=unit, day=dt.date(year, 1, 1))
    regime = rules.RegimePolicy.of(policy) if policy is not None else None
    plans_ = list(QuarterPlan.objects.filter(unit=unit, year=year)
                  .select_related("department", "supervisor", "document", "campaign")
                  .order_by("quarter", "department__name", "pk"))
    can_issue = scope.can(permissions.APPROVE, unit)
    quarters = []
    for q in range(1, 5):
        mine = [p for p in plans_ if p.quarter == q]
        quarters.append({
            "quarter": q, "plans": mine,
            "due": rules.registration_due(regime, year, q) if regime else None,
            "can_issue": can_issue and any(p.status == PlanStatus.APPROVED for p in mine),
        })
    return render(request, "fieldvisits/plan_list.html", {
        "unit": unit, "year": year, "policy": policy, "quarters": quarters,
        "sign_form": SignForm(), "years": [year - 1, year + 1],
        "agency_wide": policy is not None and plans.is_agency_wide(policy, unit),
    })


@login_required
@require_http_methods(["GET"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    plan = _plan(scope, pk)
    first, _last = rules.quarter_bounds(plan.year, plan.quarter)
    policy = policy_for(unit=plan.unit, day=first)
    regime = rules.RegimePolicy.of(policy) if policy is not None else None
    due = rules.registration_due(regime, plan.year, plan.quarter) if regime else None
    manage = permissions.can_manage_plan(scope, plan)
    approve = permissions.can_approve_plan(scope, plan)
    draft = plan.status == PlanStatus.DRAFT
    lines = list(plan.lines.select_related("person", "place").order_by("start_date", "pk"))
    standing = Person.objects.filter(
        pk__in=[p.pk for p in plans.standing_members(plan.unit, first)]).order_by(
        "name_folded", "pk")
    assign_form = None
    if approve and plan.status in (PlanStatus.REGISTERED, PlanStatus.APPROVED) and regime:
        assign_form = LineForm(kinds=regime.assigned_kinds, places=_places(plan.unit),
                               persons=_cadres(plan))
    return render(request, "fieldvisits/plan_detail.html", {
        "plan": plan, "lines": lines, "due": due, "today": today(),
        "can_merge": manage and draft,
        "merge_form": MergeForm(standing=standing, initial={
            "supervisor": plan.supervisor_id, "note": plan.note}) if manage and draft else None,
        "can_register": manage and draft,
        "can_allow_late": approve and draft and due is not None and today() > due
        and not plan.registered_late,
        "reason_form": ReasonForm(),
        "can_approve": approve and plan.status == PlanStatus.REGISTERED,
        "assign_form": assign_form,
        "can_delete": (manage or approve) and plan.status != PlanStatus.ISSUED,
    })


def _back(plan: QuarterPlan) -> str:
    return reverse("fieldvisits:plan_detail", args=[plan.pk])


@login_required
@require_POST
def plan_merge(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(scope_of(request), pk)
    form = MergeForm(request.POST, standing=Person.objects.all())
    return action_submit(request, lambda: plans.plan_merge(
        actor=request.user, plan=plan, supervisor=form.cleaned_data["supervisor"],
        note=form.cleaned_data["note"]), form=form,
        success=_("Đã tổng hợp kế hoạch của phòng, ban."), back=_back(plan))


@login_required
@require_POST
def plan_register(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(scope_of(request), pk)
    return action_submit(request, lambda: plans.plan_register(actor=request.user, plan=plan),
                         success=_("Đã đăng ký kế hoạch với Ban Tổ chức – Kiểm tra."),
                         back=_back(plan))


@login_required
@require_POST
def plan_allow_late(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(scope_of(request), pk)
    form = ReasonForm(request.POST)
    return action_submit(request, lambda: plans.plan_allow_late(
        actor=request.user, plan=plan, reason=form.cleaned_data["reason"]), form=form,
        success=_("Đã cho phép đăng ký trễ hạn."), back=_back(plan))


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(scope_of(request), pk)
    return action_submit(request, lambda: plans.plan_approve(actor=request.user, plan=plan),
                         success=_("Đã duyệt kế hoạch."), back=_back(plan))


@login_required
@require_POST
def line_assign(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(scope_of(request), pk)
    # every kind reaches the service, which says why a chosen kind is not the Standing's
    form = LineForm(request.POST, kinds=[k for k, _label in VisitKind.choices],
                    places=_places(plan.unit), persons=_cadres(plan))
    return action_submit(request, lambda: plans.line_assign(
        actor=request.user, plan=plan, person=form.cleaned_data["person"],
        kind=form.cleaned_data["kind"], place=form.cleaned_data["place"],
        start_date=form.cleaned_data["start_date"], end_date=form.cleaned_data["end_date"],
        content=form.cleaned_data["content"]), form=form,
        success=_("Đã phân công chuyến đi."), back=_back(plan))


@login_required
@require_POST
def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    line = PlannedVisit.objects.select_related("plan__unit", "person").filter(pk=pk).first()
    if line is None or not (permissions.can_read_unit(scope, line.plan.unit)
                            or permissions.is_self(scope, line.person_id)):
        raise Http404
    back = request.POST.get("next") or ""
    if not back.startswith("/di-co-so/"):
        back = _back(line.plan)
    return action_submit(request, lambda: plans.line_delete(actor=request.user, line=line),
                         success=_("Đã xóa chuyến đi khỏi kế hoạch."), back=back)


@login_required
@require_POST
def plan_issue(request: HttpRequest, unit_pk: int, year: int, quarter: int) -> HttpResponse:
    unit = unit_get(scope_of(request), unit_pk)
    year_ok(year, quarter)
    form = SignForm(request.POST)
    back = reverse("fieldvisits:plan_list", args=[unit.pk]) + f"?nam={year}"
    return action_submit(request, lambda: plans.plan_issue(
        actor=request.user, unit=unit, year=year, quarter=quarter,
        signer_title=form.cleaned_data["signer_title"],
        signer_name=form.cleaned_data["signer_name"],
        issued_on=form.cleaned_data["issued_on"]), form=form,
        success=lambda doc: _("Đã ban hành kế hoạch số {symbol}.").format(symbol=doc.symbol),
        back=back)


# -- the cadre's own lines --------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def my_lines(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=request.user).first()  # type: ignore[misc]
    unit = permissions.governing_unit(person) if person is not None else None
    if person is None or unit is None:
        if request.method == "POST":
            raise Http404
        return render(request, "fieldvisits/plan_mine.html", {"person": None})
    now = today()
    year = _year(request)
    quarter = _int(request.GET.get("quy"), rules.quarter_of(now), 1, 4)
    first, last = rules.quarter_bounds(year, quarter)
    policy = policy_for(unit=unit, day=first)
    regime = rules.RegimePolicy.of(policy) if policy is not None else None
    form = None
    if regime is not None:
        form = LineForm(request.POST or None, kinds=regime.chosen_kinds, places=_places(unit),
                        campaigns=Campaign.objects.filter(
                            unit=unit, start_date__lte=last, end_date__gte=first).order_by(
                            "start_date", "pk"))
        here = reverse("fieldvisits:my_lines") + f"?nam={year}&quy={quarter}"
        done = form_submit(request, form, lambda d: plans.line_draft(
            actor=request.user, unit=unit, person=person, year=year, quarter=quarter,
            kind=d["kind"], place=d["place"], start_date=d["start_date"],
            end_date=d["end_date"], content=d["content"], campaign=d.get("campaign")),
            success=_("Đã thêm chuyến đi vào kế hoạch quý."), redirect_to=here)
        if done is not None:
            return done
    elif request.method == "POST":
        raise Http404
    lines = list(PlannedVisit.objects.filter(person=person, plan__year=year,
                                             plan__quarter=quarter)
                 .select_related("plan__department", "place").order_by("start_date", "pk"))
    prev = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    nxt = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return render(request, "fieldvisits/plan_mine.html", {
        "person": person, "unit": unit, "year": year, "quarter": quarter, "form": form,
        "lines": lines, "policy": policy, "prev": prev, "next": nxt,
        "due": rules.registration_due(regime, year, quarter) if regime else None,
        "can_read_unit": permissions.can_read_unit(scope_of(request), unit),
    }, status=400 if form is not None and form.errors else 200)


# -- FV-10: campaigns -------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request: HttpRequest, unit_pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope, unit_pk)
    can_create = scope.can(permissions.WRITE, unit)
    form = CampaignForm(request.POST or None, initial={"year": today().year}) \
        if can_create else None
    if request.method == "POST":
        if form is None:
            raise Http404
        done = form_submit(request, form, lambda d: plans.campaign_create(
            actor=request.user, unit=unit, year=d["year"], name=d["name"],
            target_days=d["target_days"], note=d["note"]),
            success=_("Đã lập đợt cao điểm."),
            redirect_to=lambda c: reverse("fieldvisits:campaign_detail", args=[c.pk]))
        if done is not None:
            return done
    campaigns = list(Campaign.objects.filter(unit=unit).order_by("-start_date", "-pk"))
    rows = [(c, plans.campaign_progress(c)) for c in campaigns]
    return render(request, "fieldvisits/campaign_list.html", {
        "unit": unit, "rows": rows, "form": form,
    }, status=400 if form is not None and form.errors else 200)


@login_required
@require_http_methods(["GET"])
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    campaign = Campaign.objects.select_related("unit").filter(pk=pk).first()
    if campaign is None or not permissions.can_read_unit(scope, campaign.unit):
        raise Http404
    return render(request, "fieldvisits/campaign_detail.html", {
        "campaign": campaign, "progress": plans.campaign_progress(campaign),
        "plans": campaign.plans.select_related("department").order_by("quarter", "pk"),
    })
