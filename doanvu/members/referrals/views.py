"""Pages of "1+1" referrals (MEM-9). Every object comes through a selector given the
request's Scope, so "missing" and "not yours" answer the same 404; every write goes through a
service."""


from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import scope_of
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, add_error_from

from .. import permissions
from ..core.selectors import branch_get, membership_get
from . import services as referrals
from .forms import ReferralForm, ReferralOutcomeForm
from .selectors import branch_current_members, referral_get

WRITE = PermissionKind.WRITE.value
ADMIN = PermissionKind.ADMINISTER.value


@login_required
@require_http_methods(["GET", "POST"])
def referral_list(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    branch = branch_get(scope=scope, pk=pk)
    can_write = permissions.can_write_unit(scope, branch)
    current = list(branch_current_members(branch=branch))
    form = ReferralForm(
        request.POST or None, referrers=[(m.pk, m.person.full_name) for m in current]
    )
    if request.method == "POST":
        if not can_write:
            raise Http404(_("Không tìm thấy chi đoàn."))
        if form.is_valid():
            d = form.cleaned_data
            referrer = next(m for m in current if m.pk == d["referrer"])
            try:
                referrals.referral_create(
                    actor=request.user,
                    referrer=referrer,
                    full_name=d["full_name"],
                    referred_on=d["referred_on"],
                    birth_date=d["birth_date"],
                    phone=d["phone"],
                )
            except ApplicationError as exc:
                add_error_from(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã ghi nhận giới thiệu {full_name}.").format(full_name=d["full_name"]),
                )
                return redirect("members:referral_list", pk=branch.pk)
    return render(
        request,
        "members/referral_list.html",
        {
            "branch": branch,
            "form": form,
            "can_write": can_write,
            "referrals": referrals.referrals_of_branch(branch=branch),
            "outcome_form": ReferralOutcomeForm(),
            "year": today().year,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def referral_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    referral = referral_get(scope=scope, pk=pk, perm=WRITE)
    form = ReferralOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kết quả không hợp lệ."))
        return redirect("members:referral_list", pk=referral.referrer.branch_id)
    admitted = None
    if form.cleaned_data["admitted"]:
        try:
            admitted = membership_get(scope=scope, pk=form.cleaned_data["admitted"])
        except Http404:
            messages.error(
                request, _("Không tìm thấy hồ sơ đoàn viên được kết nạp trong phạm vi của bạn.")
            )
            return redirect("members:referral_list", pk=referral.referrer.branch_id)
    return action_submit(
        request,
        lambda: referrals.referral_set_outcome(
            actor=request.user, referral=referral, outcome=form.cleaned_data["outcome"],
            admitted=admitted),
        success=_("Đã cập nhật kết quả giới thiệu {full_name}.").format(
            full_name=referral.full_name),
        back=reverse("members:referral_list", args=[referral.referrer.branch_id]))
