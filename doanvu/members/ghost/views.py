"""Pages of the ghost-member audit (MEM-10): report, merge of duplicate records, removal
proposals. Objects come through selectors given the request's Scope; writes through services."""


from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import scope_of
from doanvu.common.forms import action_submit

from .. import permissions
from ..core.selectors import membership_get, person_get, unit_get
from ..models import MembersPolicy
from . import services as audit_report

WRITE = PermissionKind.WRITE.value
ADMIN = PermissionKind.ADMINISTER.value


def _text(value: str | None) -> str:
    """Free text as typed, without NUL (PostgreSQL cannot store it)."""
    return (value or "").replace("\x00", "").strip()


# -- MEM-7 rating sheet of a branch ---------------------------------------------------------------


# -- MEM-10 ghost audit ---------------------------------------------------------------------------


@login_required
@require_safe
def ghost_report(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk)
    try:
        report = audit_report.ghost_report(scope=scope, unit=unit)
    except MembersPolicy.DoesNotExist as exc:  # no policy: say so instead of failing
        return render(
            request, "members/ghost_report.html", {"unit": unit, "report": None, "error": str(exc)}
        )
    return render(
        request,
        "members/ghost_report.html",
        {
            "unit": unit,
            "report": report,
            "can_write": permissions.can_write_unit(scope, unit),
            "error": "",
        },
    )


@login_required
@require_POST
def ghost_merge(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=WRITE)
    keep = person_get(scope=scope, pk=request.POST.get("keep"), perm=WRITE, within=unit)
    drop = person_get(scope=scope, pk=request.POST.get("drop"), perm=WRITE, within=unit)
    return action_submit(
        request, lambda: audit_report.person_merge(actor=request.user, keep=keep, drop=drop),
        success=lambda result: _("Đã gộp hồ sơ trùng vào {full_name} (#{pk}).").format(
            full_name=result.kept.full_name, pk=result.kept.pk),
        back=reverse("members:ghost_report", args=[unit.pk]))


@login_required
@require_POST
def ghost_propose(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=WRITE)
    member = membership_get(scope=scope, pk=request.POST.get("member"), perm=WRITE)
    if not member.unit_path.startswith(unit.path):
        raise Http404(_("Không tìm thấy đoàn viên."))
    return action_submit(
        request, lambda: audit_report.ghost_removal_propose(
            actor=request.user, membership=member,
            reason=_text(request.POST.get("reason"))[:200]),
        success=_("Đã gửi đề nghị xóa tên {person} để chi đoàn quyết định.").format(
            person=member.person),
        back=reverse("members:ghost_report", args=[unit.pk]))
