"""Pages of EMU-6 and EMU-7: a unit's results (its own line of each published ranking, its
notice, its appeals and whether it may appeal), filing and deciding an appeal, issuing the
notices of a snapshot, the appeal window, and the city-wide table as PDF. Objects come from the
selectors given the request's Scope (404 alike for missing and not yours); writes go through
`results`' services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doanvu.accounts.scope import scope_of
from doanvu.common.forms import action_submit, form_submit
from doanvu.common.text import fold
from doanvu.common.views import stored_file

from . import forms as f
from . import permissions, results, selectors
from .models import Criterion, SnapshotState


@login_required
@require_http_methods(["GET"])
def unit_results(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = selectors.results_unit_get(scope=scope, pk=pk)
    rows = []
    for snapshot, entry in results.published_for_unit(unit):
        current = snapshot.superseded_by_id is None
        rows.append({
            "snapshot": snapshot, "entry": entry, "current": current,
            "notice": results.notice_of(snapshot=snapshot, unit=unit),
            "eligibility": results.eligibility(snapshot=snapshot, unit=unit) if current else None,
            "may_appeal": current and results.can_appeal(scope, unit,
                                                         snapshot.rubric.issuing_unit),
            "sees_table": results.can_see_table(scope, snapshot),
        })
    return render(request, "emulation/unit_results.html", {
        "unit": unit, "rows": rows, "appeals": results.appeals_of(unit=unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def appeal_create(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    scope = scope_of(request)
    entry = selectors.unit_entry_get(scope=scope, snapshot_pk=pk, unit_pk=unit)
    snapshot = entry.snapshot
    if not results.can_appeal(scope, entry.unit, snapshot.rubric.issuing_unit):
        raise Http404(_("Không tìm thấy kết quả xếp hạng."))
    criteria = list(Criterion.objects.filter(area__rubric=snapshot.rubric)
                    .order_by("area__order", "order", "id"))
    check = results.eligibility(snapshot=snapshot, unit=entry.unit)
    form = f.AppealForm(request.POST or None, request.FILES or None, criteria=criteria)

    def file(d: dict[str, object]) -> object:
        criterion = next((c for c in criteria if str(c.pk) == d["criterion"]), None)
        if criterion is None:
            raise results.ResultError(_("Hãy chọn tiêu chí khiếu nại."), field="criterion")
        return results.appeal_file(
            actor=request.user, snapshot=snapshot, unit=entry.unit, criterion=criterion,
            reason=str(d["reason"]), evidence=str(d.get("evidence") or ""),
            upload=d.get("evidence_file") or None)  # type: ignore[arg-type]

    done = form_submit(request, form, file, success=_("Đã gửi khiếu nại."),
                       redirect_to=lambda a: reverse("emulation:appeal_detail",
                                                     args=[a.pk]))  # type: ignore[attr-defined]
    return done or render(request, "emulation/appeal_form.html", {
        "form": form, "entry": entry, "snapshot": snapshot, "eligibility": check,
    })


@login_required
@require_http_methods(["GET"])
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    appeal = selectors.appeal_get(scope=scope, pk=pk)
    may_decide = appeal.is_pending and results.can_decide(scope, appeal.snapshot)
    return render(request, "emulation/appeal_detail.html", {
        "appeal": appeal, "form": f.DecideForm() if may_decide else None,
        "sees_table": results.can_see_table(scope, appeal.snapshot),
    })


@login_required
@require_http_methods(["GET"])
def appeal_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    appeal = selectors.appeal_get(scope=scope_of(request), pk=pk)
    if not appeal.evidence_file:
        raise Http404(_("Không tìm thấy tệp."))
    return stored_file(appeal.evidence_file, appeal.evidence_file.name.rsplit("/", 1)[-1])


@login_required
@require_http_methods(["POST"])
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    appeal = selectors.appeal_get(scope=scope, pk=pk)
    if not results.can_decide(scope, appeal.snapshot):
        raise Http404(_("Không tìm thấy khiếu nại."))
    form = f.DecideForm(request.POST)
    here = reverse("emulation:appeal_detail", args=[appeal.pk])
    if not form.is_valid():
        messages.error(request, _("Hãy chọn kết quả và ghi nội dung giải quyết."))
        return redirect(here)
    d = form.cleaned_data
    return action_submit(
        request, lambda: results.appeal_decide(
            actor=request.user, appeal=appeal, accept=d["accept"] == "1",
            decision=d["decision"], delta=d.get("delta") or ""),
        success=_("Đã giải quyết khiếu nại."), back=here)


@login_required
@require_POST
def notices_issue(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = selectors.snapshot_get(scope=scope_of(request), pk=pk,
                                      allowed=permissions.can_freeze)
    form = f.NoticesForm(request.POST)
    here = reverse("emulation:snapshot_detail", args=[snapshot.pk])
    if not form.is_valid():
        messages.error(request, _("Hãy ghi chức vụ và họ tên người ký thông báo."))
        return redirect(here)
    d = form.cleaned_data
    return action_submit(
        request, lambda: results.notices_issue(
            actor=request.user, snapshot=snapshot, signer_title=d["signer_title"],
            signer_name=d["signer_name"], issued_on=d.get("issued_on")),
        success=lambda made: _("Đã ban hành {n} thông báo kết quả thi đua.").format(
            n=len(made)), back=here)


@login_required
@require_POST
def policy_set(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = selectors.rubric_get(scope=scope_of(request), pk=pk,
                                  allowed=permissions.can_freeze)
    form = f.PolicyForm(request.POST)
    here = reverse("emulation:ranking_list", args=[rubric.pk])
    if not form.is_valid():
        messages.error(request, _("Số ngày được khiếu nại phải là số nguyên từ 1 đến 365."))
        return redirect(here)
    return action_submit(
        request, lambda: results.policy_set(
            actor=request.user, issuing_unit=rubric.issuing_unit, year=rubric.year,
            appeal_days=form.cleaned_data["appeal_days"],
            note=form.cleaned_data.get("note") or ""),
        success=_("Đã lưu thời hạn khiếu nại."), back=here)


PDF_CSS = """
@page { size: A4 landscape; margin: 15mm; }
html { font-family: __FONTS__; font-size: 11pt; }
h1 { font-size: 14pt; text-align: center; margin: 0 0 4pt; }
p { margin: 0 0 8pt; text-align: center; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.5pt solid #000; padding: 3pt 4pt; vertical-align: top; }
th { font-weight: bold; }
td.num { text-align: right; }
"""


@login_required
@require_http_methods(["GET"])
def snapshot_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from doanvu.documents import rendering

    snapshot = selectors.snapshot_get(scope=scope_of(request), pk=pk)
    html = render_to_string("emulation/snapshot_pdf.html", {
        "snapshot": snapshot, "rubric": snapshot.rubric,
        "entries": selectors.snapshot_entries(snapshot=snapshot),
        "published": snapshot.state == SnapshotState.PUBLISHED,
    })
    try:
        pdf = rendering.html_to_pdf(html, css=PDF_CSS)
    except rendering.PdfUnavailable as exc:
        messages.error(request, exc.message)
        return redirect(reverse("emulation:snapshot_detail", args=[snapshot.pk]))
    rubric = snapshot.rubric
    name = (f"xep-hang-{rubric.year}-{slugify(fold(rubric.group.name)) or rubric.pk}"
            f"-{snapshot.pk}.pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

