"""The pages of logging visits (FV-2, FV-6, FV-9): the cadre's own year ("Đi cơ sở của tôi"), the
log form (quick on a phone, kept offline by static/js/fieldvisits-offline.js and sent again with
the same key), a visit with its files and report, and a unit's list for its managers.

Thin: a visit or a unit outside the reader's reach answers 404 like a missing one; the services
check everything again and their refusals show beside the field."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db.models import Prefetch, Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doanvu.accounts.scope import Scope, scope_of
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, add_error_from
from doanvu.common.views import stored_file
from doanvu.org.models import Person, Unit

from . import compliance, permissions, rules, visits
from .models import Visit, VisitFile
from .selectors import policy_for
from .visit_forms import ReportForm, VisitForm, place_choices, yesterday


def _own_person(request: HttpRequest) -> Person | None:
    return Person.objects.filter(user_id=request.user.pk or 0).order_by("pk").first()


def _year(request: HttpRequest) -> int:
    raw = str(request.GET.get("nam") or "").strip()
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return today().year


def _visit(request: HttpRequest, pk: int) -> Visit:
    visit = (Visit.objects.select_related("person", "unit", "department", "obligation")
             .filter(pk=pk).first())
    if visit is None or not permissions.can_read_visit(scope_of(request), visit):
        raise Http404(_("Không tìm thấy chuyến đi."))
    return visit


def _why(visit: Visit, regime: rules.RegimePolicy | None) -> str:
    if regime is None:
        return ""
    return rules.why_not_counted(regime, compliance.visit_fact(visit))


def _regime_of(visit: Visit) -> rules.RegimePolicy | None:
    policy = policy_for(unit=visit.unit, day=visit.start_date)
    return rules.RegimePolicy.of(policy) if policy is not None else None


def _managed_units(request: HttpRequest) -> list[Unit]:
    """The agencies whose visit lists the user reads (units of their open role grants)."""
    scope = scope_of(request)
    units = (Unit.objects.filter(grants__user_id=request.user.pk or 0,
                                 grants__end_date__isnull=True, kind__has_agency=True)
             .distinct().order_by("path", "pk"))
    return [u for u in units if permissions.can_read_unit(scope, u)]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Đi cơ sở của tôi: the cadre's year, what is missing, their visits and a big button."""
    person = _own_person(request)
    year = _year(request)
    year_data = compliance.cadre_year(person, year) if person is not None else None
    rows: list[dict[str, Any]] = []
    if year_data is not None:
        for v in year_data.visits:
            rows.append({"visit": v, "why": rules.why_not_counted(
                year_data.regime, compliance.visit_fact(v)),
                "places": ", ".join(p.name for p in v.places.all())})
    return render(request, "fieldvisits/my_visits.html", {
        "person": person, "year": year, "cy": year_data, "rows": rows,
        "years": [year - 1, year + 1] if year < today().year else [year - 1],
        "managed": _managed_units(request),
        "total_cost": sum((r["visit"].cost for r in rows), start=0),
    })


def _form_context(request: HttpRequest, form: VisitForm, *, title: str,
                  visit: Visit | None = None) -> dict[str, Any]:
    day = today()
    return {"form": form, "title": title, "visit": visit,
            "yesterday": yesterday(day), "today": day,
            "sync_url": reverse("fieldvisits:visit_sync"),
            "sw_url": reverse("fieldvisits:service_worker"),
            "home_url": reverse("fieldvisits:home")}


def _files(request: HttpRequest, name: str) -> list[Any]:
    return list(request.FILES.getlist(name))


def _log(request: HttpRequest, person: Person, form: VisitForm) -> Visit:
    d = form.cleaned_data
    places = list(Unit.objects.filter(pk__in=[int(p) for p in d["places"]]).order_by("path"))
    return visits.visit_log(
        actor=request.user, scope=scope_of(request), person=person, start_date=d["start_date"],
        end_date=d["end_date"], places=places, kind=d["kind"],
        invitation_only=d["invitation_only"], travel_order=d["travel_order"],
        activities=d["activities"], cost=d["cost"], photos=_files(request, "photos"),
        files=_files(request, "attachments"), client_key=d["client_key"] or None)


def _new_form(request: HttpRequest, person: Person) -> VisitForm:
    post = permissions.governing_post(person)
    agency = post.unit if post is not None else None
    policy = policy_for(unit=agency, day=today()) if agency is not None else None
    choices = place_choices(agency, person.pk) if agency is not None else []
    if request.method == "POST":
        return VisitForm(request.POST, request.FILES, places=choices, policy=policy)
    last = (Visit.objects.filter(person=person).prefetch_related("places")
            .order_by("-start_date", "-id").first())
    initial: dict[str, Any] = {"client_key": str(uuid.uuid4())}
    if last is not None:  # the last place and kind remembered
        initial["kind"] = last.kind
        initial["places"] = [str(p.pk) for p in last.places.all()]
    if request.GET.get("ngay") == "hom-qua":
        initial["start_date"] = initial["end_date"] = yesterday(today())
    return VisitForm(initial=initial, places=choices, policy=policy)


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    if person is None:
        raise Http404(_("Tài khoản chưa gắn với một cán bộ."))
    form = _new_form(request, person)
    if request.method == "POST" and form.is_valid():
        try:
            visit = _log(request, person, form)
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, _("Đã ghi chuyến đi {start}–{end}.").format(
                start=visit.start_date.strftime("%d/%m"), end=visit.end_date.strftime("%d/%m")))
            return redirect("fieldvisits:visit_detail", pk=visit.pk)
    return render(request, "fieldvisits/visit_form.html",
                  _form_context(request, form, title=_("Ghi chuyến đi cơ sở")))


@login_required
@require_POST
def visit_sync(request: HttpRequest) -> JsonResponse:
    """A visit kept on the phone, sent when the connection returns: JSON in, JSON out. The
    same key sent again answers with the visit already made."""
    person = _own_person(request)
    if person is None:
        return JsonResponse({"ok": False, "errors": [_("Tài khoản chưa gắn với một cán bộ.")]},
                            status=400)
    form = _new_form(request, person)
    if not form.is_valid():
        errors = []
        for name, errs in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            text = " ".join(str(e) for e in errs)
            errors.append(f"{label}: {text}" if label else text)
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    try:
        visit = _log(request, person, form)
    except ApplicationError as exc:
        return JsonResponse({"ok": False, "errors": [str(exc)]}, status=400)
    return JsonResponse({"ok": True, "id": visit.pk,
                         "url": reverse("fieldvisits:visit_detail", args=[visit.pk])})


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    scope = scope_of(request)
    can_change = permissions.can_change_visit(scope, visit)
    files = list(visit.files.order_by("pk"))
    return render(request, "fieldvisits/visit_detail.html", {
        "visit": visit, "why": _why(visit, _regime_of(visit)),
        "days": (visit.end_date - visit.start_date).days + 1,
        "places": list(visit.places.order_by("path", "pk")),
        "photos": [f for f in files if f.is_photo], "others": [f for f in files if not f.is_photo],
        "can_change": can_change and visit.reported_on is None,
        "report_form": ReportForm() if can_change and visit.reported_on is None else None,
        "late_now": visit.reported_on is None and visit.report_due is not None
        and today() > visit.report_due,
    })


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    scope = scope_of(request)
    if not permissions.can_change_visit(scope, visit):
        raise Http404(_("Không tìm thấy chuyến đi."))
    policy = policy_for(unit=visit.unit, day=visit.start_date)
    choices = place_choices(visit.unit, visit.person_id)
    if request.method == "POST":
        form = VisitForm(request.POST, request.FILES, places=choices, policy=policy)
    else:
        form = VisitForm(initial={
            "start_date": visit.start_date, "end_date": visit.end_date, "kind": visit.kind,
            "places": [str(p.pk) for p in visit.places.all()],
            "invitation_only": visit.invitation_only, "travel_order": visit.travel_order,
            "activities": visit.activities, "cost": str(visit.cost)}, places=choices,
            policy=policy)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            visits.visit_update(
                actor=request.user, scope=scope, visit=visit, start_date=d["start_date"],
                end_date=d["end_date"],
                places=list(Unit.objects.filter(pk__in=[int(p) for p in d["places"]])),
                kind=d["kind"], invitation_only=d["invitation_only"],
                travel_order=d["travel_order"], activities=d["activities"], cost=d["cost"],
                photos=_files(request, "photos"), files=_files(request, "attachments"))
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, _("Đã lưu chuyến đi."))
            return redirect("fieldvisits:visit_detail", pk=visit.pk)
    return render(request, "fieldvisits/visit_form.html",
                  _form_context(request, form, title=_("Sửa chuyến đi cơ sở"), visit=visit))


@login_required
@require_POST
def visit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    scope = scope_of(request)
    if not permissions.can_change_visit(scope, visit):
        raise Http404(_("Không tìm thấy chuyến đi."))
    try:
        visits.visit_delete(actor=request.user, scope=scope, visit=visit)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect("fieldvisits:visit_detail", pk=pk)
    messages.success(request, _("Đã xóa chuyến đi."))
    return redirect("fieldvisits:home")


@login_required
@require_POST
def visit_report(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    scope = scope_of(request)
    if not permissions.can_change_visit(scope, visit):
        raise Http404(_("Không tìm thấy chuyến đi."))
    form = ReportForm(request.POST)
    return action_submit(request, lambda: visits.visit_report(
        actor=request.user, scope=scope, visit=visit, report=form.cleaned_data["report"],
        proposals=form.cleaned_data["proposals"]),
        success=lambda v: (_("Đã nộp báo cáo (trễ hạn {due}); chuyến đi được tính từ hôm nay.")
                           .format(due=format_date(v.report_due)) if v.report_late
                           else _("Đã nộp báo cáo; chuyến đi được tính.")),
        back=reverse("fieldvisits:visit_detail", args=[pk]), form=form)


def _file(request: HttpRequest, pk: int, file: int) -> tuple[Visit, VisitFile]:
    visit = _visit(request, pk)
    found = VisitFile.objects.filter(visit=visit, pk=file).first()
    if found is None:
        raise Http404(_("Không tìm thấy tệp."))
    return visit, found


@login_required
@require_GET
def visit_file(request: HttpRequest, pk: int, file: int) -> Any:
    _, found = _file(request, pk, file)
    return stored_file(found.file, found.name, inline=found.is_photo)


@login_required
@require_POST
def visit_file_delete(request: HttpRequest, pk: int, file: int) -> HttpResponse:
    visit, found = _file(request, pk, file)
    scope = scope_of(request)
    if not permissions.can_change_visit(scope, visit):
        raise Http404(_("Không tìm thấy tệp."))
    return action_submit(request, lambda: visits.visit_file_delete(
        actor=request.user, scope=scope, file=found),
        success=_("Đã xóa tệp."), back=reverse("fieldvisits:visit_detail", args=[pk]))


@login_required
@require_GET
def unit_visits(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's visits of a year, for its managers: who went where, counted or why not, the
    report and the cost (FV-6, FV-9)."""
    scope: Scope = scope_of(request)
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not permissions.can_read_unit(scope, unit):
        raise Http404(_("Không tìm thấy đơn vị."))
    year = _year(request)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = (Visit.objects.filter(unit=unit, start_date__lte=end, end_date__gte=start)
          .select_related("person", "department")
          .prefetch_related(Prefetch("places", queryset=Unit.objects.select_related("kind")
                                     .order_by("path", "pk")))
          .order_by("department__name", "person__full_name", "start_date", "id"))
    policy = policy_for(unit=unit, day=end)
    regime = rules.RegimePolicy.of(policy) if policy is not None else None
    rows = [{"visit": v, "why": _why(v, regime),
             "places": ", ".join(p.name for p in v.places.all())} for v in qs]
    return render(request, "fieldvisits/visit_list.html", {
        "unit": unit, "year": year, "rows": rows,
        "total_cost": qs.aggregate(s=Sum("cost"))["s"] or 0,
        "years": [year - 1, year + 1] if year < today().year else [year - 1],
    })


@login_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker of the offline log form, served under /di-co-so/ so that its scope
    covers the field-visit pages (a static URL would only cover /static/)."""
    found = finders.find("js/fieldvisits-sw.js")
    path = Path(str(found)) if found else Path(settings.STATIC_ROOT or ".") / "js/fieldvisits-sw.js"
    try:
        body = path.read_text(encoding="utf-8")
    except OSError:
        raise Http404(_("Không tìm thấy tệp.")) from None
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("fieldvisits:home")
    response["Cache-Control"] = "no-cache"
    return response
