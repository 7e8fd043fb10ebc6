"""Pages of EMU-3, EMU-4: a rubric's rankings (compute a draft, publish it, the list of
snapshots), one snapshot's table and its .xlsx export. Thin: objects come from the selectors
given the request's Scope (404 alike for missing and not yours), writes go through
`ranking`'s services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doanvu.accounts.scope import scope_of
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit
from doanvu.common.spreadsheet import XLSX

from . import permissions, ranking, selectors


@login_required
@require_http_methods(["GET"])
def ranking_list(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    rubric = selectors.rubric_get(scope=scope, pk=pk)
    from . import forms, results

    policy = results.policy_for(rubric)
    can_freeze = permissions.can_freeze(scope, rubric.issuing_unit)
    return render(request, "emulation/ranking_list.html", {
        "rubric": rubric, "snapshots": selectors.snapshots_of(rubric=rubric),
        "can_compute": can_freeze and not rubric.is_draft,
        "policy": policy,
        "policy_form": forms.PolicyForm(initial={
            "appeal_days": policy.appeal_days if policy else None,
            "note": policy.note if policy else ""}) if can_freeze else None,
    })


@login_required
@require_POST
def ranking_compute(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = selectors.rubric_get(scope=scope_of(request), pk=pk,
                                  allowed=permissions.can_freeze)
    try:
        snapshot = ranking.ranking_compute(actor=request.user, rubric=rubric,
                                           note=request.POST.get("note", "")[:2000])
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("emulation:ranking_list", args=[rubric.pk]))
    messages.success(request, _("Đã tính bảng xếp hạng (bản nháp) từ các phiếu đã lưu."))
    return redirect(reverse("emulation:snapshot_detail", args=[snapshot.pk]))


@login_required
@require_http_methods(["GET"])
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    snapshot = selectors.snapshot_get(scope=scope, pk=pk)
    from . import forms, results
    from .models import ResultNotice, ScoreSheet, SheetState

    can_freeze = permissions.can_freeze(scope, snapshot.rubric.issuing_unit)
    notices = {n.unit_id: n.document for n in ResultNotice.objects.filter(snapshot=snapshot)
               .select_related("document")}
    entries = selectors.snapshot_entries(snapshot=snapshot)
    not_final = (ScoreSheet.objects.filter(rubric=snapshot.rubric)
                 .exclude(state=SheetState.FINAL).count())
    return render(request, "emulation/snapshot_detail.html", {
        "snapshot": snapshot, "rubric": snapshot.rubric,
        "entries": [(e, notices.get(e.unit_id)) for e in entries],
        "can_publish": not snapshot.is_published and can_freeze,
        "not_final": not_final,
        "notice_form": (forms.NoticesForm() if can_freeze and snapshot.is_published
                        and len(notices) < len(entries) else None),
        "appeals": results.appeals_of(snapshot=snapshot),
    })


@login_required
@require_POST
def snapshot_publish(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = selectors.snapshot_get(scope=scope_of(request), pk=pk,
                                      allowed=permissions.can_freeze)
    return action_submit(
        request, lambda: ranking.ranking_publish(actor=request.user, snapshot=snapshot),
        success=_("Đã công bố bảng xếp hạng; bảng này không thay đổi nữa."),
        back=reverse("emulation:snapshot_detail", args=[snapshot.pk]))


@login_required
@require_http_methods(["GET"])
def snapshot_export(request: HttpRequest, pk: int) -> HttpResponse:
    from .exporters import snapshot_filename, snapshot_workbook

    snapshot = selectors.snapshot_get(scope=scope_of(request), pk=pk)
    response = HttpResponse(snapshot_workbook(snapshot), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{snapshot_filename(snapshot)}"'
    return response
