"""Pages of the field-visit regime (FV-3, FV-11): a unit's regimes, one regime in plain
Vietnamese, and the form to issue or correct one (administer on the issuing unit). Thin: the
request's Scope → a selector (404 alike for missing and not yours) → a form → a service."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from doanvu.accounts.scope import READ, scope_of
from doanvu.common.dates import today
from doanvu.common.forms import form_submit
from doanvu.org.selectors import unit_get

from . import permissions, policies
from .policy_forms import PolicyForm, initial_of
from .selectors import policy_for


@login_required
@require_GET
def policy_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The regimes a unit issued, and the one in force for it today (its own or a unit's above)."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=READ)
    return render(request, "fieldvisits/policy_list.html", {
        "unit": unit, "policies": policies.policies_of(unit=unit),
        "current": policy_for(unit=unit, day=today()),
        "can_issue": permissions.can_issue_policy(scope, unit),
    })


@login_required
@require_GET
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    policy = policies.policy_get(scope=scope, pk=pk)
    return render(request, "fieldvisits/policy_detail.html", {
        "policy": policy, "sentences": policies.describe(policy),
        "can_edit": permissions.can_edit_policy(scope, policy),
        "can_read_issuer": scope.can(READ, policy.issuing_unit),
    })


def _values(d: dict[str, object]) -> dict[str, object]:
    return {name: d.get(name) for name in policies.FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def policy_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new regime for the unit, prefilled from the one in force for it."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=permissions.ADMINISTER)
    current = policy_for(unit=unit, day=today())
    initial = initial_of(current) if current is not None else {
        "min_days": 60, "branch_meetings_min": 1, "long_status_min_months": 6,
        "prorate": "months", "prorate_month_min_days": 15, "report_days": 3,
        "registration_day": 15, "one_plus_two": "days", "one_plus_two_days": 60,
        "youth_month": 3}
    initial.update({"valid_from": today(), "valid_to": None, "plan_document": None})
    form = PolicyForm(request.POST or None, initial=initial, unit=unit)
    done = form_submit(request, form, lambda d: policies.policy_create(
        actor=request.user, scope=scope, issuing_unit=unit, values=_values(d)),
        success=_("Đã ban hành chế độ đi cơ sở."),
        redirect_to=lambda p: reverse("fieldvisits:policy_detail", args=[p.pk]))
    return done or render(request, "fieldvisits/policy_form.html", {
        "unit": unit, "form": form, "policy": None},
        status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    policy = policies.policy_get(scope=scope, pk=pk, edit=True)
    form = PolicyForm(request.POST or None, initial=initial_of(policy),
                      unit=policy.issuing_unit)
    done = form_submit(request, form, lambda d: policies.policy_edit(
        actor=request.user, scope=scope, policy=policy, values=_values(d)),
        success=_("Đã lưu chế độ đi cơ sở."),
        redirect_to=lambda p: reverse("fieldvisits:policy_detail", args=[p.pk]))
    return done or render(request, "fieldvisits/policy_form.html", {
        "unit": policy.issuing_unit, "form": form, "policy": policy},
        status=400 if request.method == "POST" else 200)
