"""Pages of MEM-7 … MEM-11. Every object comes through a selector given the request's Scope, so
"missing" and "not yours" answer the same 404; every write goes through a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import scope_of
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError

from .. import permissions
from ..core.selectors import branch_get, unit_get
from ..referrals import services as referrals
from . import services as rating
from .selectors import live_child_get, ratings_of, registrations_of

WRITE = PermissionKind.WRITE.value
ADMIN = PermissionKind.ADMINISTER.value


def _year(year: int) -> int:
    if not 1931 <= year <= today().year + 1:
        raise Http404(_("Năm không hợp lệ."))
    return year


def _text(value: str | None) -> str:
    """Free text as typed, without NUL (PostgreSQL cannot store it)."""
    return (value or "").replace("\x00", "").strip()


def _int(value: object) -> int | None:
    try:
        n = int(str(value))
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**31 else None


# -- MEM-7 rating sheet of a branch ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rating_sheet(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    scope = scope_of(request)
    year = _year(year)
    branch = branch_get(scope=scope, pk=pk)
    can_write = permissions.can_write_unit(scope, branch)
    if request.method == "POST" and not can_write:
        raise Http404(_("Không tìm thấy chi đoàn."))
    members = list(rating.branch_members(branch=branch, year=year))
    scale = None
    error = ""
    try:
        scale = rating.scale_for(unit=branch, year=year, target=rating.MEMBER)
    except ApplicationError as exc:
        error = str(exc)
    posted: dict[int, str | None] = {}
    if request.method == "POST" and scale is not None:
        action = request.POST.get("action", "save")
        try:
            if action == "recommend":
                member = next(
                    (m for m in members if m.pk == _int(request.POST.get("member"))), None
                )
                if member is None:
                    raise Http404(_("Không tìm thấy đoàn viên."))
                rating.member_recommend_to_party(
                    actor=request.user,
                    membership=member,
                    year=year,
                    recommend=request.POST.get("recommend") == "1",
                )
                messages.success(
                    request,
                    _("Đã cập nhật giới thiệu đoàn viên ưu tú: {person}.").format(
                        person=member.person
                    ),
                )
                return redirect("members:rating_sheet", pk=branch.pk, year=year)
            codes = {str(x["code"]) for x in scale.levels}
            for m in members:
                if f"level_{m.pk}" not in request.POST:
                    continue  # a row the form did not show is left as it is
                value = request.POST.get(f"level_{m.pk}", "")
                posted[m.pk] = value if value in codes else None
            result = rating.member_rate_bulk(
                actor=request.user,
                branch=branch,
                year=year,
                levels=posted,
                reason=_text(request.POST.get("reason"))[:255],
            )
        except ApplicationError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _(
                    "Đã lưu bảng xếp loại: {created} mới, {changed} thay đổi, {removed} bỏ xếp "
                    "loại."
                ).format(created=result.created, changed=result.changed, removed=result.removed),
            )
            return redirect("members:rating_sheet", pk=branch.pk, year=year)
    ratings = ratings_of(members=members, year=year)
    trained = set(registrations_of(members=members, year=year))
    rows = [
        {
            "member": m,
            "rating": ratings.get(m.pk),
            "value": posted[m.pk]
            if m.pk in posted
            else (ratings[m.pk].level if m.pk in ratings else ""),
            "trained": m.pk in trained,
        }
        for m in members
    ]
    caps: list[str] = []
    top = ""
    if scale is not None:
        try:
            rscale = rating.rules_scale(scale)
        except ApplicationError as exc:
            error = str(exc)
        else:
            top = rscale.top.code
            caps = [_cap_text(rscale, c) for c in rscale.caps]
    return render(
        request,
        "members/rating_sheet.html",
        {
            "branch": branch,
            "year": year,
            "scale": scale,
            "rows": rows,
            "caps": caps,
            "error": error,
            "can_write": can_write,
            "top": top,
            "names": rating.level_names(scale) if scale else {},
        },
        status=400 if error and request.method == "POST" else 200,
    )


def _cap_text(rscale: rating.rules.Scale, cap: rating.rules.Cap) -> str:
    lv = rscale.level(cap.level)
    name = (lv.name if lv else cap.level) + (_(" trở lên") if cap.or_better else "")
    if cap.kind == "requires_training":
        return _("Chỉ đoàn viên đã đăng ký rèn luyện mới được xếp loại {name}.").format(name=name)
    text = _("Tối đa {percent}% {base_label} được xếp loại {name}").format(
        percent=cap.percent, base_label=rating.rules._base_label(rscale, cap), name=name
    )
    if cap.kind == "max_percent_if_unit_below":
        below = rscale.level(cap.unit_below)
        text += _(" khi chi đoàn được xếp loại thấp hơn {value}").format(
            value=below.name if below else cap.unit_below
        )
    return text + "."


# -- MEM-7 roll-up and classification -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rating_rollup(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    scope = scope_of(request)
    year = _year(year)
    unit = unit_get(scope=scope, pk=pk)
    can_classify = permissions.can_write_unit(scope, unit)
    error = ""
    if request.method == "POST":
        if not can_classify:
            raise Http404(_("Không tìm thấy đơn vị."))
        child = live_child_get(unit=unit, pk=request.POST.get("unit"))
        try:
            rating.unit_classify(
                actor=request.user,
                unit=child,
                year=year,
                level=request.POST.get("level", ""),
                reason=_text(request.POST.get("reason"))[:255],
            )
        except ApplicationError as exc:
            error = f"{child.name}: {exc}"
        else:
            messages.success(
                request, _("Đã xếp loại {name} năm {year}.").format(name=child.name, year=year)
            )
            return redirect("members:rating_rollup", pk=unit.pk, year=year)
    rollup = rating.rating_rollup(scope=scope, unit=unit, year=year)
    table = [
        {
            "row": r,
            "cells": [r.counts.get(str(lv["code"]), 0) for lv in rollup.levels],
            "classifiable": can_classify and r.unit.pk != unit.pk and rating.target_of(r.unit),
        }
        for r in rollup.rows
    ]
    totals = [rollup.total.counts.get(str(lv["code"]), 0) for lv in rollup.levels]
    return render(
        request,
        "members/rating_rollup.html",
        {
            "unit": unit,
            "year": year,
            "rollup": rollup,
            "table": table,
            "totals": totals,
            "unit_names": {str(x["code"]): x["name"] for x in rollup.unit_levels},
            "error": error,
            "years": range(today().year, 2018, -1),
        },
        status=400 if error else 200,
    )


# -- MEM-8 rèn luyện sheet ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def training_sheet(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    scope = scope_of(request)
    year = _year(year)
    branch = branch_get(scope=scope, pk=pk)
    can_write = permissions.can_write_unit(scope, branch)
    members = list(rating.branch_members(branch=branch, year=year))
    error = ""
    if request.method == "POST":
        if not can_write:
            raise Http404(_("Không tìm thấy chi đoàn."))
        ids = {m.pk for m in members}
        ticked = [n for n in (_int(v) for v in request.POST.getlist("registered")) if n in ids]
        results = {
            m.pk: _text(request.POST.get(f"result_{m.pk}"))
            for m in members
            if f"result_{m.pk}" in request.POST
        }
        try:
            out = rating.training_register_bulk(
                actor=request.user, branch=branch, year=year, registered=ticked, results=results
            )
        except ApplicationError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _(
                    "Đã lưu đăng ký rèn luyện: {created} đăng ký mới, {changed} cập nhật kết quả, "
                    "{removed} hủy đăng ký."
                ).format(created=out.created, changed=out.changed, removed=out.removed),
            )
            return redirect("members:training_sheet", pk=branch.pk, year=year)
    regs = registrations_of(members=members, year=year)
    rows = [{"member": m, "reg": regs.get(m.pk)} for m in members]
    share = round(100 * len(regs) / len(members)) if members else 0
    return render(
        request,
        "members/rating_training.html",
        {
            "branch": branch,
            "year": year,
            "rows": rows,
            "registered": len(regs),
            "share": share,
            "can_write": can_write,
            "error": error,
        },
        status=400 if error else 200,
    )


# -- MEM-8 / MEM-9 targets per branch -------------------------------------------------------------


@login_required
@require_safe
def rating_targets(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    scope = scope_of(request)
    year = _year(year)
    unit = unit_get(scope=scope, pk=pk)
    training = rating.training_share(scope=scope, unit=unit, year=year)
    referred = {r.unit.pk: r for r in referrals.referral_share(scope=scope, unit=unit, year=year)}
    rows = [{"training": t, "referral": referred.get(t.unit.pk)} for t in training]
    return render(
        request,
        "members/rating_targets.html",
        {
            "unit": unit,
            "year": year,
            "rows": rows,
            "members": sum(t.members for t in training),
            "registered": sum(t.count for t in training),
            "referrers": sum(r.count for r in referred.values()),
        },
    )
