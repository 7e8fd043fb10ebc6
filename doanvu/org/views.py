"""Pages of the organisation: tree, search, unit page, administration of units (ORG-1…7)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, scope_of
from doanvu.audit.presentation import present
from doanvu.audit.selectors import audit_for_object
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import add_error_from, form_submit
from doanvu.common.search import search_query
from doanvu.common.views import as_of_param, download_date, refuses_bad_input

from . import permissions, selectors, services
from .exporters import export_units_csv, export_units_xlsx
from .forms import (
    UnitCreateForm,
    UnitDissolveForm,
    UnitMergeForm,
    UnitMoveForm,
    UnitRenameForm,
    UnitSplitForm,
)
from .home import sections_for, shortcuts_for
from .models import Term, Unit

ADMIN = PermissionKind.ADMINISTER.value


def _as_of(request: HttpRequest) -> dt.date | None:
    as_of, error = as_of_param(request)
    if error:
        messages.error(request, error)
    if as_of is not None and as_of >= today():
        return None
    return as_of


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What the cadre owes and is owed, the links their roles use most, then their roles."""
    scope = scope_of(request)
    day = today()
    grants = list(request.user.grants.select_related(  # type: ignore[union-attr]
        "role_type", "unit__kind", "department").filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        start_date__lte=day, unit__dissolved_on__isnull=True,
    ))
    sections = [render_to_string(s.template, dict(s.context), request=request)
                for s in sections_for(scope=scope, user=request.user, day=day)]
    return render(request, "org/home.html", {
        "grants": grants,
        "shortcuts": shortcuts_for(grants=grants, is_superuser=scope.is_superuser),
        "sections": sections,  # rendered templates: already safe HTML
        "roots": selectors.tree_roots(scope=scope),
    })


@login_required
@require_safe
def tree(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    as_of = _as_of(request)
    q = search_query(request.GET.get("q"))
    results = selectors.unit_search(scope=scope, query=q, as_of=as_of) if q else None
    ctx = {
        "roots": selectors.tree_roots(scope=scope, as_of=as_of),
        "as_of": as_of,
        "q": q,
        "results": results,
    }
    if request.htmx and request.htmx.target == "search-results":  # type: ignore[attr-defined]
        return render(request, "org/tree.html#search-results", ctx)
    return render(request, "org/tree.html", ctx)


@login_required
@require_safe
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = selectors.unit_get(scope=scope, pk=pk)
    as_of = _as_of(request)
    nodes = selectors.tree_children(scope=scope, unit=unit, as_of=as_of)
    return render(request, "org/tree.html#children", {"nodes": nodes, "as_of": as_of})


@login_required
@require_safe
def unit_pick(request: HttpRequest) -> HttpResponse:
    """Search results as radio buttons, swapped into a form to choose a unit."""
    scope = scope_of(request)
    field = request.GET.get("field", "")
    if field not in {"new_parent", "target", "unit"}:
        raise Http404
    q = search_query(request.GET.get("q"))
    nodes = selectors.unit_search(scope=scope, query=q, limit=20) if len(q) >= 2 else []
    return render(request, "org/_pick.html", {"nodes": nodes, "field": field, "q": q})


@login_required
@require_safe
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = selectors.unit_get(scope=scope, pk=pk)
    as_of = _as_of(request)
    version = selectors.unit_version_on(unit=unit, day=as_of) if as_of else None
    # the parent as it was then, named only if the user may read it
    parent_then = (selectors.unit_version_on(unit=version.parent, day=as_of)
                   if as_of and version and version.parent and scope.can(READ, version.parent)
                   else None)
    terms = list(selectors.unit_terms(unit=unit))
    term: Term | None = None
    term_param = request.GET.get("nhiem_ky", "")
    if term_param.isdigit():
        term = next((t for t in terms if t.pk == int(term_param)), None)
    day = as_of or today()
    if term is None and terms:
        term = next((t for t in terms if t.start_date <= day), terms[-1])
    seats = list(selectors.term_seats(term=term)) if term else []
    committees = {
        "bch": [s for s in seats if s.committee == "bch"],
        "btv": [s for s in seats if s.committee == "btv"],
        "thuong_truc": [s for s in seats if s.committee == "thuong_truc"],
    }
    children = selectors.tree_children(scope=scope, unit=unit, as_of=as_of)
    history = list(selectors.unit_history(unit=unit)[:50])
    # Units named in the history or as successor are linked only where the user may read them.
    named = {r.pk for e in history for r in e.related_units.all()} | {unit.successor_id}
    readable_ids = set(scope.filter(Unit.objects.filter(pk__in=named - {None}))
                       .values_list("pk", flat=True))
    # only a kind with a specialised agency has departments to show (issue 10)
    departments = (list(selectors.unit_departments(unit=unit, as_of=as_of))
                   if unit.kind.has_agency else [])
    ctx = {
        "unit": unit,
        "version": version,
        "parent_then": parent_then,
        "as_of": as_of,
        "ancestors": selectors.unit_ancestors(scope=scope, unit=unit),
        "children": children,
        "departments": [d for d in departments if d.category != "su_nghiep"],
        "affiliated": [d for d in departments if d.category == "su_nghiep"],
        "clusters": selectors.unit_clusters(unit=unit),
        "terms": [(t, t.name_on(day)) for t in terms],
        "term": term,
        "term_ended": term is not None and term.has_ended(day),
        "committees": committees,
        "positions": selectors.unit_positions(unit=unit, as_of=as_of),
        "supervisions": selectors.unit_supervisions(unit=unit, as_of=as_of),
        "history": history,
        "readable_ids": readable_ids,
        "lineage": selectors.unit_lineage(unit=unit)[1:],
        "can_admin": permissions.can_administer(scope, unit),
        "can_write": permissions.can_keep_agency(scope, unit),
        "today": today(),
        "can_admin_parent": unit.parent is not None and permissions.can_restructure(scope, unit),
        "subtree_count": selectors.subtree_count(unit=unit),
    }
    return render(request, "org/unit_detail.html", ctx)


@login_required
@require_safe
def unit_audit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = selectors.unit_get(scope=scope, pk=pk)
    page = Paginator(audit_for_object(model="org.unit", pk=unit.pk, unit_id=unit.pk), 25)
    records = page.get_page(request.GET.get("trang"))
    entries = present(list(records.object_list), may_name=selectors.audit_namer(scope=scope))
    return render(request, "org/_audit.html",
                  {"unit": unit, "records": records, "entries": entries})


@login_required
@refuses_bad_input
@require_safe
def unit_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404(_("Định dạng không được hỗ trợ."))
    scope = scope_of(request)
    unit = selectors.unit_get(scope=scope, pk=pk)
    day = today()
    as_of = download_date(request, latest=day)
    if as_of == day:
        as_of = None  # today's tree is the live one
    units = (selectors.unit_subtree(scope=scope, unit=unit).iterator(chunk_size=2000)
             if as_of is None else selectors.unit_subtree_on(scope=scope, unit=unit, day=as_of))
    exporter = export_units_xlsx if fmt == "xlsx" else export_units_csv
    filename, content_type, body = exporter(units, root=unit, as_of=as_of,
                                            parent_shown=lambda p: scope.can(READ, p))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- administration -----------------------------------------------------------------------------


def pick_context(form: object, field: str, label: str, picked: Unit | None) -> dict[str, object]:
    """Context for the unit picker include (templates/_unit_picker.html)."""
    errors = form.errors.get(field, []) if form.is_bound else []  # type: ignore[attr-defined]
    return {"pick_field": field, "pick_label": label, "pick_errors": errors, "pick_value": picked}


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = selectors.unit_get(scope=scope_of(request), pk=pk, allowed=permissions.can_administer)
    form = UnitCreateForm(request.POST or None, parent=parent, initial={"founded_on": today()})
    done = form_submit(request, form, lambda d: services.unit_create(
        actor=request.user, parent=parent, name=d["name"], kind=d["kind"],
        founded_on=d["founded_on"], sector=d["sector"], short_name=d["short_name"],
        place=d["place"], decision=d["decision"], note=d["note"],
    ), success=lambda unit: _(
        "Đã thành lập {unit_name}."
    ).format(unit_name=unit.name), redirect_to=unit_url)
    if done:
        return done
    return render(request, "org/unit_form.html", {
        "unit": parent, "form": form, "title": _(
            "Thành lập đơn vị trực thuộc {parent_name}"
        ).format(parent_name=parent.name),
        "submit": _("Thành lập"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def unit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(scope=scope_of(request), pk=pk, allowed=permissions.can_administer)
    form = UnitRenameForm(request.POST or None,
                          initial={"name": unit.name, "short_name": unit.short_name, "on": today()})
    done = form_submit(request, form, lambda d: services.unit_rename(
        actor=request.user, unit=unit, name=d["name"], on=d["on"], decision=d["decision"],
        note=d["note"], short_name=d["short_name"],
    ), success=_("Đã đổi tên đơn vị."), redirect_to=unit_url)
    if done:
        return done
    return render(request, "org/unit_form.html", {
        "unit": unit, "form": form, "title": _(
            "Đổi tên {unit_name}"
        ).format(unit_name=unit.name), "submit": _("Đổi tên"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = selectors.unit_get(scope=scope, pk=pk, allowed=permissions.can_restructure)
    form = UnitMoveForm(request.POST or None, initial={"on": today()})
    new_parent = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        new_parent = selectors.unit_find(scope=scope, pk=d["new_parent"], perm=ADMIN)
        if new_parent is None:
            form.add_error("new_parent",
                           _("Không tìm thấy đơn vị cấp trên mới trong phạm vi quản trị của bạn."))
        else:
            try:
                services.unit_move(actor=request.user, unit=unit, new_parent=new_parent,
                                   on=d["on"], decision=d["decision"], note=d["note"])
            except ApplicationError as exc:
                add_error_from(form, exc)
            else:
                messages.success(request, _(
                    "Đã chuyển {unit_name} về trực thuộc {new_parent_name}."
                ).format(unit_name=unit.name, new_parent_name=new_parent.name))
                return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {
        "unit": unit, "form": form, "title": _(
            "Chuyển trực thuộc: {unit_name}"
        ).format(unit_name=unit.name),
        "submit": _("Chuyển"),
        **pick_context(form, "new_parent", _("Đơn vị cấp trên mới"), new_parent),
    })


@login_required
@require_http_methods(["GET", "POST"])
def unit_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(scope=scope_of(request), pk=pk,
                              allowed=permissions.can_restructure)
    form = UnitDissolveForm(request.POST or None, initial={"on": today()})
    done = form_submit(request, form, lambda d: services.unit_dissolve(
        actor=request.user, unit=unit, on=d["on"], decision=d["decision"], note=d["note"],
    ), success=_("Đã giải thể {unit_name}.").format(unit_name=unit.name), redirect_to=unit_url)
    if done:
        return done
    return render(request, "org/unit_form.html", {
        "unit": unit, "form": form, "title": _(
            "Giải thể {unit_name}"
        ).format(unit_name=unit.name), "submit": _("Giải thể"),
        "danger": True,
    })


@login_required
@require_http_methods(["GET", "POST"])
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = selectors.unit_get(scope=scope, pk=pk, allowed=permissions.can_restructure)
    form = UnitMergeForm(request.POST or None, initial={"on": today()})
    plan = None
    target = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        target = selectors.unit_find(scope=scope, pk=d["target"], perm=ADMIN)
        if target is None:
            form.add_error("target",
                           _("Không tìm thấy đơn vị tiếp nhận trong phạm vi quản trị của bạn."))
        else:
            try:
                if request.POST.get("confirm") == "1":
                    services.unit_merge(actor=request.user, sources=[unit], target=target,
                                        on=d["on"], decision=d["decision"], note=d["note"])
                    messages.success(request, _(
                        "Đã sáp nhập {unit_name} vào {target_name}."
                    ).format(unit_name=unit.name, target_name=target.name))
                    return redirect("org:unit_detail", pk=target.pk)
                plan = services.unit_merge_preview(sources=[unit], target=target, on=d["on"])
            except ApplicationError as exc:
                add_error_from(form, exc)
    return render(request, "org/unit_merge.html", {
        "unit": unit, "form": form, "plan": plan,
        **pick_context(form, "target", _("Sáp nhập vào đơn vị"), target),
    })


@login_required
@require_http_methods(["GET", "POST"])
def unit_split(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = selectors.unit_get(scope=scope, pk=pk, allowed=permissions.can_restructure)
    children = list(Unit.objects.filter(parent=unit, dissolved_on__isnull=True).order_by("name"))
    form = UnitSplitForm(request.POST or None, initial={"on": today()})
    plan = None
    assignment: dict[int, str] = {}
    if request.method == "POST":
        assignment = {c.pk: request.POST.get(f"child_{c.pk}", "0") for c in children}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        names = form.part_names()
        parts = [services.SplitPart(name=n) for n in names]
        bad = [c for c in children if not assignment[c.pk].isdigit()
               or int(assignment[c.pk]) > len(parts)]
        if bad:
            form.add_error(None, _(
                "Số đơn vị mới chọn cho {name} không hợp lệ."
            ).format(name=bad[0].name))
        else:
            for c in children:
                idx = int(assignment[c.pk])
                if idx:
                    parts[idx - 1].children.append(c)
            try:
                if request.POST.get("confirm") == "1":
                    created = services.unit_split(
                        actor=request.user, unit=unit, parts=parts, on=d["on"],
                        keep_original=d["keep_original"], decision=d["decision"], note=d["note"])
                    messages.success(request, _("Đã chia tách thành: {names}").format(
                        names=", ".join(u.name for u in created)))
                    return redirect("org:unit_detail", pk=unit.parent_id)
                plan = services.unit_split_preview(unit=unit, parts=parts, on=d["on"],
                                                   keep_original=d["keep_original"])
            except ApplicationError as exc:
                add_error_from(form, exc)
    return render(request, "org/unit_split.html", {
        "unit": unit, "form": form, "plan": plan, "children": children,
        "assignment": assignment,
    })


def unit_url(unit: Unit) -> str:
    return reverse("org:unit_detail", args=[unit.pk])


__all__ = ["READ"]
