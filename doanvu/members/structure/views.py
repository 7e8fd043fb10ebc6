"""Pages of branch structure advice and merges (MEM-11). Objects come through selectors given
the request's Scope; writes through services."""


from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import scope_of
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError

from ..core.selectors import unit_get
from ..models import MembersPolicy
from . import services as structure
from .forms import MergeDateForm
from .selectors import merge_pair_get

WRITE = PermissionKind.WRITE.value
ADMIN = PermissionKind.ADMINISTER.value


# -- MEM-7 rating sheet of a branch ---------------------------------------------------------------


# -- MEM-11 branch structure ----------------------------------------------------------------------


@login_required
@require_safe
def structure_advice(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk)
    try:
        report = structure.structure_advice(scope=scope, unit=unit)
    except MembersPolicy.DoesNotExist as exc:
        return render(
            request,
            "members/structure_advice.html",
            {"unit": unit, "report": None, "error": str(exc)},
        )
    return render(
        request, "members/structure_advice.html", {"unit": unit, "report": report, "error": ""}
    )


@login_required
@require_http_methods(["GET", "POST"])
def structure_merge(request: HttpRequest, pk: int, target: int) -> HttpResponse:
    scope = scope_of(request)
    branch, receiver = merge_pair_get(scope=scope, pk=pk, target=target)
    form = MergeDateForm(request.POST or None, initial={"on": today()})
    plan = None
    moving = 0
    on: dt.date = today()
    error = ""
    if form.is_bound and form.is_valid():
        on = form.cleaned_data["on"]
    try:
        plan, moving = structure.merge_preview(branch=branch, target=receiver, on=on)
        if request.method == "POST" and form.is_valid() and request.POST.get("confirm") == "1":
            moved = structure.branch_merge_carry_out(
                actor=request.user,
                branch=branch,
                target=receiver,
                on=on,
                decision=form.cleaned_data["decision"],
            )
            messages.success(
                request,
                _(
                    "Đã sáp nhập {name} vào {receiver_name}; {moved} đoàn viên chuyển sang "
                    "{receiver_name}."
                ).format(name=branch.name, receiver_name=receiver.name, moved=moved),
            )
            return redirect("org:unit_detail", pk=receiver.pk)
    except ApplicationError as exc:
        error = str(exc)
        plan = None
    return render(
        request,
        "members/structure_merge.html",
        {
            "branch": branch,
            "receiver": receiver,
            "form": form,
            "plan": plan,
            "moving": moving,
            "error": error,
        },
        status=400 if error or (form.is_bound and form.errors) else 200,
    )
