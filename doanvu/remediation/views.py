"""Pages of remediation (REM-1 … REM-3): a unit's register of shortcomings for a year with its
count, solution groups and solutions; one shortcoming with its evidence; the members' monthly
evaluations side by side. Thin: the request's Scope → a selector → a service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doanvu.accounts.scope import READ, scope_of
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, form_submit
from doanvu.common.periods import Period, parse_period
from doanvu.common.views import stored_file
from doanvu.org.models import Person
from doanvu.org.selectors import unit_get

from . import permissions, rules, selectors, services
from .facts import facts_for
from .forms import (
    CloseForm,
    EvaluationForm,
    EvaluationPolicyForm,
    EvidenceForm,
    GroupForm,
    MonthForm,
    ProgressForm,
    ShortcomingForm,
    SolutionForm,
    YearRatingForm,
)


def _year(request: HttpRequest, years: list[int]) -> int:
    raw = request.GET.get("nam", "")
    if raw:
        try:
            year = int(raw)
        except ValueError:
            raise Http404(_("Năm không hợp lệ.")) from None
        if not 1900 <= year <= 2200:
            raise Http404(_("Năm không hợp lệ."))
        return year
    return years[0] if years else today().year


@login_required
@require_GET
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """REM-1 and REM-2: the year's shortcomings by area, the count's arithmetic, and the plan's
    solution groups with their lead departments, solutions and deadlines."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=READ)
    years = selectors.register_years(unit=unit)
    year = _year(request, years)
    items = list(selectors.register_of(unit=unit, year=year))
    count = selectors.count_of(items)
    areas: dict[int, dict[str, Any]] = {}
    for s in items:
        areas.setdefault(s.area_id, {"area": s.area, "items": []})["items"].append(s)
    return render(request, "remediation/register.html", {
        "unit": unit, "year": year, "years": years, "areas": list(areas.values()),
        "count": count, "groups": selectors.groups_of(unit=unit, year=year + 1),
        "plan_year": year + 1, "still_open": sum(1 for s in items
                                                  if s.same_as_id is None and s.closed_on is None),
        "can_manage": permissions.can_manage(scope, unit),
    })


@login_required
@require_GET
def shortcoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    item = selectors.shortcoming_get(scope=scope, pk=pk)
    return render(request, "remediation/shortcoming_detail.html", {
        "item": item, "evidence": list(item.evidence.all()),
        "solutions": list(item.solutions.select_related("group__lead")),
        "can_manage": permissions.can_manage(scope, item.unit),
        "evidence_form": EvidenceForm(), "close_form": CloseForm(),
    })


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    item = selectors.shortcoming_get(scope=scope, pk=pk, perm=permissions.WRITE)
    form = EvidenceForm(request.POST, request.FILES)
    return action_submit(request, lambda: services.evidence_add(
        scope=scope, actor=request.user, shortcoming=item, name=form.cleaned_data["name"],
        file=form.cleaned_data["file"]), form=form, success=_("Đã thêm minh chứng."),
        back=reverse("remediation:shortcoming_detail", args=[item.pk]))


@login_required
@require_POST
def shortcoming_close(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    item = selectors.shortcoming_get(scope=scope, pk=pk, perm=permissions.WRITE)
    form = CloseForm(request.POST)
    return action_submit(request, lambda: services.shortcoming_close(
        scope=scope, shortcoming=item, note=form.cleaned_data["note"]), form=form,
        success=_("Đã ghi nhận khuyết điểm khắc phục xong."),
        back=reverse("remediation:shortcoming_detail", args=[item.pk]))


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> Any:
    found = selectors.evidence_get(scope=scope_of(request), pk=pk)
    return stored_file(found.file, found.file.name.rsplit("/", 1)[-1])


@login_required
@require_GET
def evaluations(request: HttpRequest, pk: int) -> HttpResponse:
    """REM-3: each full-time member's months side by side, with the policy's weights."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=READ)
    year = _year(request, selectors.evaluation_years(unit=unit))
    months, rows = selectors.evaluations_of(unit=unit, year=year)
    policy = selectors.evaluation_policy_for(unit=unit, day=dt.date(year, 12, 31))
    thresholds = selectors.thresholds_of(policy)
    names = dict(_levels_for(unit, year)) if thresholds else {}
    year_rows = []
    for r in rows:
        mean = rules.year_mean([score for _e, score in r.months if score is not None])  # type: ignore[misc]
        code = rules.suggested_level(thresholds, mean)
        year_rows.append((r, mean, names.get(code or "", "")))
    return render(request, "remediation/evaluations.html", {
        "unit": unit, "year": year, "months": [Period.from_key(k) for k in months],
        "rows": year_rows, "policy": policy, "can_manage": permissions.can_manage(scope, unit),
        "can_administer": permissions.can_administer(scope, unit),
        "can_approve": permissions.can_approve(scope, unit), "lock_form": MonthForm(),
        "facts": facts_for(unit=unit, year=year),
    })


def _register_url(unit_pk: int, year: int) -> str:
    return reverse("remediation:register", args=[unit_pk]) + f"?nam={year}"


@login_required
@require_http_methods(["GET", "POST"])
def shortcoming_create(request: HttpRequest, pk: int) -> HttpResponse:
    """REM-1: add an entry to the register (writers of the unit)."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=permissions.WRITE)
    year = _year(request, selectors.register_years(unit=unit))
    form = ShortcomingForm(request.POST or None, unit=unit,
                           initial={"review_year": year, "year_found": year})
    done = form_submit(request, form, lambda d: services.shortcoming_add(
        scope=scope, unit=unit, review_year=d["review_year"], year_found=d["year_found"],
        area=d["area"], area_name=d["area_name"], text=d["text"], same_as=d["same_as"]),
        success=lambda s: _("Đã thêm khuyết điểm {n} năm {year}.").format(
            n=s.number, year=s.review_year),
        redirect_to=lambda s: _register_url(unit.pk, s.review_year))
    return done or render(request, "remediation/shortcoming_form.html", {
        "unit": unit, "form": form, "item": None, "back": _register_url(unit.pk, year)})


@login_required
@require_http_methods(["GET", "POST"])
def shortcoming_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """REM-1: correct an entry of the register (writers of the unit)."""
    scope = scope_of(request)
    item = selectors.shortcoming_get(scope=scope, pk=pk, perm=permissions.WRITE)
    form = ShortcomingForm(request.POST or None, unit=item.unit, exclude=item, initial={
        "review_year": item.review_year, "year_found": item.year_found, "area": item.area_id,
        "text": item.text, "same_as": item.same_as_id})
    done = form_submit(request, form, lambda d: services.shortcoming_update(
        scope=scope, shortcoming=item, review_year=d["review_year"],
        year_found=d["year_found"], area=d["area"], area_name=d["area_name"], text=d["text"],
        same_as=d["same_as"]),
        success=_("Đã lưu khuyết điểm."),
        redirect_to=lambda s: reverse("remediation:shortcoming_detail", args=[s.pk]))
    return done or render(request, "remediation/shortcoming_form.html", {
        "unit": item.unit, "form": form, "item": item,
        "back": reverse("remediation:shortcoming_detail", args=[item.pk])})


def _plan_year(request: HttpRequest, unit: Any) -> int:
    """The plan's year from `?nam=` (the year after the register's latest review by default)."""
    if request.GET.get("nam", ""):
        return _year(request, [])
    years = selectors.register_years(unit=unit)
    return years[0] + 1 if years else today().year


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    """REM-2: add a solution group of the year's plan (writers of the unit)."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=permissions.WRITE)
    year = _plan_year(request, unit)
    form = GroupForm(request.POST or None, unit=unit)
    done = form_submit(request, form, lambda d: services.group_add(
        scope=scope, unit=unit, year=year, name=d["name"], lead=d["lead"]),
        success=_("Đã thêm nhóm giải pháp."),
        redirect_to=_register_url(unit.pk, year - 1))
    return done or render(request, "remediation/plan_form.html", {
        "unit": unit, "form": form, "year": year, "back": _register_url(unit.pk, year - 1),
        "title": _("Thêm nhóm giải pháp năm {year}").format(year=year),
        "submit": _("Thêm nhóm giải pháp")})


@login_required
@require_http_methods(["GET", "POST"])
def solution_create(request: HttpRequest, pk: int) -> HttpResponse:
    """REM-2: add a solution to a group of the year's plan (writers of the unit)."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=permissions.WRITE)
    year = _plan_year(request, unit)
    form = SolutionForm(request.POST or None, unit=unit, year=year)
    done = form_submit(request, form, lambda d: services.solution_add(
        scope=scope, group=d["group"], text=d["text"], deadline=d["deadline"],
        shortcomings=d["shortcomings"]),
        success=_("Đã thêm giải pháp."), redirect_to=_register_url(unit.pk, year - 1))
    return done or render(request, "remediation/plan_form.html", {
        "unit": unit, "form": form, "year": year, "back": _register_url(unit.pk, year - 1),
        "title": _("Thêm giải pháp năm {year}").format(year=year),
        "submit": _("Thêm giải pháp")})


@login_required
@require_http_methods(["GET", "POST"])
def solution_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """REM-2: update a solution's progress with a note (writers of the unit)."""
    scope = scope_of(request)
    solution = selectors.solution_get(scope=scope, pk=pk, perm=permissions.WRITE)
    unit = solution.group.unit
    back = _register_url(unit.pk, solution.group.year - 1)
    form = ProgressForm(request.POST or None, initial={"progress": solution.progress,
                                                       "note": solution.progress_note})
    done = form_submit(request, form, lambda d: services.solution_progress(
        scope=scope, solution=solution, progress=d["progress"], note=d["note"]),
        success=_("Đã cập nhật tiến độ giải pháp."), redirect_to=back)
    return done or render(request, "remediation/plan_form.html", {
        "unit": unit, "form": form, "year": solution.group.year, "back": back,
        "solution": solution, "title": _("Cập nhật tiến độ giải pháp"),
        "submit": _("Lưu tiến độ")})


def _month(request: HttpRequest) -> Period | None:
    """The month a page names in `?thang=` ("3/2020"; this month by default); a wrong one is a
    message and None (nothing is written then)."""
    raw = str(request.GET.get("thang") or "").replace("\x00", "").strip()
    if not raw:
        return Period.containing(today(), "M")
    try:
        month = parse_period(raw, field=_("tháng"))
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return None
    if month.kind != "M":
        messages.error(request, _("Tháng: phải là một tháng, ví dụ tháng 3/2020."))
        return None
    return month


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_record(request: HttpRequest, pk: int) -> HttpResponse:
    """REM-3: record or correct one member's month, a points field per criterion of the policy
    in force that month (writers of the unit); a locked month refuses."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=permissions.WRITE)
    month = _month(request)
    policy = (selectors.evaluation_policy_for(unit=unit, day=month.end)
              if month is not None else None)
    context: dict[str, Any] = {"unit": unit, "month": month, "policy": policy, "form": None}
    if month is None or policy is None:
        return render(request, "remediation/evaluation_form.html", context)
    members = selectors.standing_members(unit=unit, month=month)
    initial: dict[str, Any] = {}
    chosen = members.filter(pk=request.GET.get("nguoi") or 0).first() if str(
        request.GET.get("nguoi") or "").isdigit() else None
    if chosen is not None:
        found = selectors.evaluation_of(unit=unit, person=chosen, month=month)
        initial["person"] = chosen.pk
        if found is not None:
            initial["note"] = found.note
            initial |= {f"diem_{code}": value for code, value in found.points.items()}
    form = EvaluationForm(request.POST or None, members=members, criteria=policy.criteria,
                          initial=initial)
    back = reverse("remediation:evaluations", args=[unit.pk]) + f"?nam={month.year}"
    done = form_submit(request, form, lambda d: services.evaluation_save(
        scope=scope, unit=unit, person=d["person"], month=month, policy=policy,
        points=form.points(), note=d["note"]),
        success=lambda e: _("Đã lưu đánh giá {month} của {name}.").format(
            month=month, name=e.person.full_name),
        redirect_to=back)
    return done or render(request, "remediation/evaluation_form.html", {
        **context, "form": form, "back": back, "members": members})


@login_required
@require_POST
def evaluation_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """REM-3: lock a month's evaluations of the unit (approvers of the unit)."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=permissions.APPROVE)
    form = MonthForm(request.POST)

    def lock() -> Period:
        month = parse_period(form.cleaned_data["thang"], field=_("tháng"))
        if month.kind != "M":
            raise services.RemediationError(
                _("Tháng: phải là một tháng, ví dụ tháng 3/2020."), field="thang")
        services.evaluation_month_lock(scope=scope, unit=unit, month=month)
        return month

    return action_submit(request, lock, form=form,
                         success=lambda m: _("Đã khóa đánh giá {month}.").format(month=m),
                         back=reverse("remediation:evaluations", args=[unit.pk]))


@login_required
@require_GET
def my_evaluations(request: HttpRequest) -> HttpResponse:
    """REM-3: a member's own months side by side, criterion by criterion, for a year."""
    person = Person.objects.filter(user=request.user).first()  # type: ignore[misc]
    year = _year(request, selectors.own_years(person=person) if person is not None else [])
    own = selectors.own_evaluations(person=person, year=year) if person is not None else []
    return render(request, "remediation/my_evaluations.html", {
        "person": person, "year": year, "units": own})


def _levels_for(unit: Any, year: int) -> list[tuple[str, str]]:
    """The levels of the members' rating scale in force for the unit that year (none: no
    thresholds offered)."""
    from doanvu.members.api import scale_for

    try:
        scale = scale_for(unit=unit, year=year, target="member")
    except ApplicationError:
        return []
    return [(str(x["code"]), str(x["name"])) for x in scale.levels]


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_policy_create(request: HttpRequest, pk: int) -> HttpResponse:
    """REM-3: issue the unit's evaluation policy — criteria and weights adding up to 100, the
    thresholds suggesting the year-end rating (administrators of the unit)."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=READ)
    if not permissions.can_administer(scope, unit):
        raise Http404
    year = _year(request, [])
    current = selectors.evaluation_policy_for(unit=unit, day=today())
    initial: dict[str, Any] = {"valid_from": dt.date(year, 1, 1),
                               "valid_to": dt.date(year, 12, 31)}
    if current is not None:
        for i, c in enumerate(current.criteria, start=1):
            initial |= {f"tieu_chi_{i}": c["label"], f"trong_so_{i}": c["weight"]}
        initial |= {f"nguong_{t['level']}": t["min"] for t in current.rating_thresholds or []}
    form = EvaluationPolicyForm(request.POST or None, levels=_levels_for(unit, year),
                                initial=initial)
    back = reverse("remediation:evaluations", args=[unit.pk]) + f"?nam={year}"
    done = form_submit(request, form, lambda d: services.evaluation_policy_create(
        scope=scope, issuing_unit=unit, name=d["name"], source=d["source"],
        valid_from=d["valid_from"], valid_to=d["valid_to"], criteria=form.criteria(),
        rating_thresholds=form.thresholds()),
        success=lambda p: _("Đã ban hành quy định đánh giá “{name}”.").format(name=p.name),
        redirect_to=back)
    return done or render(request, "remediation/plan_form.html", {
        "unit": unit, "form": form, "back": back, "current": current,
        "title": _("Ban hành quy định đánh giá ủy viên Ban Thường vụ hằng tháng"),
        "submit": _("Ban hành quy định")})


@login_required
@require_http_methods(["GET", "POST"])
def year_rating(request: HttpRequest, pk: int, person: int, year: int) -> HttpResponse:
    """REM-3 → the year-end rating: a member's year mean and suggested level, recorded as the
    member's yearly rating through members' rating service (writers of the unit)."""
    from . import rating

    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=permissions.WRITE)
    if not 1900 <= year <= 2200:
        raise Http404
    who = selectors.evaluated_person(unit=unit, pk=person, year=year)
    found = rating.offer(unit=unit, person=who, year=year)
    level = found.current.level if found.current else found.result.suggestion
    form = YearRatingForm(request.POST or None, levels=found.levels, initial={"level": level})
    back = reverse("remediation:evaluations", args=[unit.pk]) + f"?nam={year}"
    done = form_submit(request, form, lambda d: rating.year_rating_record(
        actor=request.user, scope=scope, unit=unit, person=who, year=year, level=d["level"],
        note=d["note"]),
        success=lambda r: _("Đã ghi xếp loại năm {year} của {name}.").format(
            year=year, name=who.full_name), redirect_to=back)
    return done or render(request, "remediation/year_rating.html", {
        "unit": unit, "person": who, "year": year, "offer": found, "form": form, "back": back})
