"""Pages of EMU-1: a unit's rubrics, a rubric's tree, its edit forms, copy, freeze, export and
import. Thin: every object comes from a selector given the request's Scope (404 alike for
missing and not yours), every write goes through a service (`form_submit`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from doanvu.accounts.scope import scope_of
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, add_error_from, form_submit
from doanvu.common.spreadsheet import XLSX
from doanvu.org.models import Unit
from doanvu.org.selectors import unit_get

from . import forms as f
from . import importers, permissions, selectors, services
from .models import (
    Criterion,
    Rubric,
    RubricDisqualifier,
    RubricItem,
    RubricTier,
    SectorGroup,
    WorkArea,
)

READ = permissions.READ


def _detail_url(rubric: Rubric) -> str:
    return reverse("emulation:rubric_detail", args=[rubric.pk])


def _list_url(unit: Unit | int) -> str:
    return reverse("emulation:rubric_list", args=[unit if isinstance(unit, int) else unit.pk])


def _editable(request: HttpRequest, pk: int) -> Rubric | HttpResponse:
    """The rubric for an edit page: 404 unless the user edits its unit; a frozen rubric sends
    back to its page with the reason."""
    rubric = selectors.rubric_get(scope=scope_of(request), pk=pk, allowed=permissions.can_edit)
    if not rubric.is_draft:
        try:
            services._require_draft(rubric)
        except ApplicationError as exc:
            messages.error(request, str(exc))
        return redirect(_detail_url(rubric))
    return rubric


# -- a unit's rubrics and groups ----------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def rubric_list(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=READ)
    rubrics = list(selectors.rubric_list(scope=scope, unit=unit))
    groups = selectors.groups_of(unit=unit)
    years = sorted({r.year for r in rubrics}, reverse=True)
    return render(request, "emulation/rubric_list.html", {
        "unit": unit, "rubrics": rubrics, "groups": groups, "years": years,
        "can_edit": permissions.can_edit(scope, unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_get(scope=scope_of(request), pk=pk, allowed=permissions.can_edit)
    form = f.GroupForm(request.POST or None)
    done = form_submit(request, form, lambda d: services.sector_group_create(
        actor=request.user, issuing_unit=unit, name=d["name"],
        order=100 if d["order"] is None else d["order"]),
        success=_("Đã tạo khối thi đua."),
        redirect_to=lambda g: reverse("emulation:group_assign", args=[g.pk]))
    return done or render(request, "emulation/form.html", {
        "form": form, "title": _("Tạo khối thi đua"), "lead": unit.name,
        "back_url": _list_url(unit), "back_label": unit.name, "submit": _("Tạo khối"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def group_assign(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    group = _group_get(request, pk)
    unit = group.issuing_unit
    lower = list(Unit.objects.filter(parent=unit, dissolved_on__isnull=True).order_by("name"))
    choices = [(str(u.pk), u.name) for u in lower]
    year = _year_param(request.GET.get("nam"))
    current = selectors.group_members(unit=unit, year=year).get(group.pk, []) if year else []
    initial = {"year": year, "units": [str(u.pk) for u in current]}
    form = f.GroupAssignForm(request.POST or None, initial=initial, choices=choices)
    by_id = {str(u.pk): u for u in lower}
    done = form_submit(request, form, lambda d: services.sector_group_assign(
        actor=request.user, group=group, units=[by_id[i] for i in d["units"]], year=d["year"]),
        success=_("Đã cập nhật các đơn vị của khối."), redirect_to=_list_url(unit))
    return done or render(request, "emulation/form.html", {
        "form": form, "title": _("Đơn vị thuộc khối “{name}”").format(name=group.name),
        "lead": unit.name, "back_url": _list_url(unit), "back_label": unit.name,
        "submit": _("Lưu"), "can_edit": permissions.can_edit(scope, unit),
    })


def _group_get(request: HttpRequest, pk: int) -> SectorGroup:
    group_id = selectors._id(pk)
    group = (SectorGroup.objects.select_related("issuing_unit").filter(pk=group_id).first()
             if group_id else None)
    if group is None or not permissions.can_edit(scope_of(request), group.issuing_unit):
        raise Http404(_("Không tìm thấy khối thi đua."))
    return group


def _year_param(value: object) -> int | None:
    try:
        year = int(str(value))
    except (TypeError, ValueError):
        return None
    return year if 1931 <= year <= 2200 else None


@login_required
@require_http_methods(["GET", "POST"])
def rubric_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_get(scope=scope_of(request), pk=pk, allowed=permissions.can_edit)
    form = f.RubricCreateForm(request.POST or None, unit=unit)
    done = form_submit(request, form, lambda d: services.rubric_create(
        actor=request.user, issuing_unit=unit, year=d["year"], group=form.chosen_group(unit),
        name=d["name"]), success=_("Đã tạo thang điểm."), redirect_to=_detail_url)
    return done or render(request, "emulation/form.html", {
        "form": form, "title": _("Tạo thang điểm thi đua"), "lead": unit.name,
        "back_url": _list_url(unit), "back_label": unit.name, "submit": _("Tạo thang điểm"),
    })


# -- one rubric ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def rubric_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    rubric = selectors.rubric_get(scope=scope, pk=pk)
    tree = selectors.rubric_tree(rubric)
    unit = rubric.issuing_unit
    problems = services.spec_problems(services.rubric_spec(rubric), complete=True) \
        if rubric.is_draft else []
    return render(request, "emulation/rubric_detail.html", {
        "rubric": rubric, "tree": tree, "unit": unit, "problems": problems,
        "tie_breaks": _tie_break_labels(rubric, tree),
        "can_edit": rubric.is_draft and permissions.can_edit(scope, unit),
        "can_copy": permissions.can_edit(scope, unit),
        "can_freeze": rubric.is_draft and permissions.can_freeze(scope, unit),
        "can_close": rubric.state == "dang_cham" and permissions.can_freeze(scope, unit),
    })


def _tie_break_labels(rubric: Rubric, tree: selectors.RubricTree) -> list[str]:
    from .models import TieBreakKey

    names = dict(TieBreakKey.choices)
    areas = {a.area.code: a.area.title for a in tree.areas}
    criteria = {c.code: c.title for a in tree.areas for c in a.criteria}
    out = []
    for step in rubric.tie_breaks or []:
        label = str(names.get(step.get("key", ""), "—"))
        ref = step.get("ref") or ""
        title = areas.get(ref) if step.get("key") == TieBreakKey.AREA_TOTAL else criteria.get(ref)
        out.append(f"{label}: {ref}. {title}" if ref and title else label)
    return out


def _refs(rubric: Rubric) -> list[tuple[str, str]]:
    areas = list(WorkArea.objects.filter(rubric=rubric).order_by("order", "id"))
    criteria = list(Criterion.objects.filter(area__rubric=rubric).order_by(
        "area__order", "area_id", "order", "id"))
    return ([(a.code, _("Lĩnh vực {code}. {title}").format(code=a.code, title=a.title[:60]))
             for a in areas]
            + [(c.code, _("Tiêu chí {code}. {title}").format(code=c.code, title=c.title[:60]))
               for c in criteria])


@login_required
@require_http_methods(["GET", "POST"])
def rubric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = _editable(request, pk)
    if isinstance(rubric, HttpResponse):
        return rubric
    initial: dict[str, Any] = {"name": rubric.name, "bonus_cap": rubric.bonus_cap,
                               "penalty_cap": rubric.penalty_cap}
    for n, step in enumerate(rubric.tie_breaks[: f.TIE_STEPS], start=1):
        initial[f"tie_{n}_key"], initial[f"tie_{n}_ref"] = step.get("key"), step.get("ref")
    form = f.RubricHeaderForm(request.POST or None, initial=initial, refs=_refs(rubric))
    done = form_submit(request, form, lambda d: services.rubric_update(
        actor=request.user, rubric=rubric, name=d["name"], bonus_cap=d["bonus_cap"],
        penalty_cap=d["penalty_cap"], tie_breaks=form.tie_breaks()),
        success=_("Đã lưu thang điểm."), redirect_to=_detail_url(rubric))
    return done or render(request, "emulation/form.html", {
        "form": form, "title": _("Sửa thông tin chung của thang điểm"), "lead": rubric.name,
        "back_url": _detail_url(rubric), "back_label": rubric.name, "submit": _("Lưu"),
    })


# -- the parts of a rubric: areas, criteria, items, tiers, conditions ---------------------------


@dataclass(frozen=True)
class Part:
    model: type[Model]
    title_add: Any
    title_edit: Any
    saved: Any
    form: Callable[[Rubric, Any, dict[str, Any]], Any]
    initial: Callable[[Any], dict[str, Any]]
    save: Callable[[Any, Rubric, Any, Any, dict[str, Any]], Any]
    rubric_path: str = "rubric"


def _area_form(rubric: Rubric, data: Any, initial: dict[str, Any]) -> f.AreaForm:
    return f.AreaForm(data, initial=initial)


def _criterion_form(rubric: Rubric, data: Any, initial: dict[str, Any]) -> f.CriterionForm:
    return f.CriterionForm(data, initial=initial, unit=rubric.issuing_unit,
                           areas=list(WorkArea.objects.filter(rubric=rubric)))


def _item_form(rubric: Rubric, data: Any, initial: dict[str, Any]) -> f.ItemForm:
    return f.ItemForm(data, initial=initial, unit=rubric.issuing_unit)


def _tier_form(rubric: Rubric, data: Any, initial: dict[str, Any]) -> f.TierForm:
    return f.TierForm(data, initial=initial)


def _disqualifier_form(rubric: Rubric, data: Any,
                       initial: dict[str, Any]) -> f.DisqualifierForm:
    return f.DisqualifierForm(data, initial=initial,
                              tiers=list(RubricTier.objects.filter(rubric=rubric)))


def _save_area(actor: Any, rubric: Rubric, obj: Any, form: Any, d: dict[str, Any]) -> Any:
    return services.area_save(actor=actor, rubric=rubric, area=obj, code=d["code"],
                              title=d["title"], max_points=d["max_points"], order=d["order"])


def _save_criterion(actor: Any, rubric: Rubric, obj: Any, form: Any, d: dict[str, Any]) -> Any:
    area = WorkArea.objects.get(rubric=rubric, pk=int(d["area"]))
    return services.criterion_save(
        actor=actor, rubric=rubric, criterion=obj, area=area, code=d["code"], title=d["title"],
        max_points=d["max_points"], method=d["method"], unit_points=d["unit_points"],
        department=f.department_from(rubric.issuing_unit, d["department"]),
        evidence_required=d["evidence_required"], evidence=d["evidence"], order=d["order"])


def _save_item(actor: Any, rubric: Rubric, obj: Any, form: Any, d: dict[str, Any]) -> Any:
    return services.item_save(
        actor=actor, rubric=rubric, item=obj, kind=d["kind"], code=d["code"], title=d["title"],
        points=d["points"], cap=d["cap"],
        department=f.department_from(rubric.issuing_unit, d["department"]), order=d["order"])


def _save_tier(actor: Any, rubric: Rubric, obj: Any, form: Any, d: dict[str, Any]) -> Any:
    return services.tier_save(actor=actor, rubric=rubric, tier=obj, code=d["code"],
                              name=d["name"], rank=d["rank"], min_score=d["min_score"],
                              max_share=d["max_share"])


def _save_disqualifier(actor: Any, rubric: Rubric, obj: Any, form: Any,
                       d: dict[str, Any]) -> Any:
    tier = RubricTier.objects.get(rubric=rubric, pk=int(d["barred_tier"]))
    return services.disqualifier_save(actor=actor, rubric=rubric, disqualifier=obj,
                                      code=d["code"], label=d["label"], barred_tier=tier)


def _fields(*names: str) -> Callable[[Any], dict[str, Any]]:
    def initial(obj: Any) -> dict[str, Any]:
        out = {}
        for name in names:
            value = getattr(obj, name)
            out[name] = str(value.pk) if isinstance(value, Model) else value
        return out
    return initial


PARTS: dict[str, Part] = {
    "linh-vuc": Part(WorkArea, gettext_lazy("Thêm lĩnh vực"), gettext_lazy("Sửa lĩnh vực"),
                     gettext_lazy("Đã lưu lĩnh vực."), _area_form,
                     _fields("code", "title", "max_points", "order"), _save_area),
    "tieu-chi": Part(Criterion, gettext_lazy("Thêm tiêu chí"), gettext_lazy("Sửa tiêu chí"),
                     gettext_lazy("Đã lưu tiêu chí."), _criterion_form,
                     _fields("area", "code", "title", "max_points", "method", "unit_points",
                             "evidence_required", "evidence", "order"),
                     _save_criterion, rubric_path="area__rubric"),
    "thuong-tru": Part(RubricItem, gettext_lazy("Thêm mục điểm thưởng, điểm trừ"),
                       gettext_lazy("Sửa mục điểm thưởng, điểm trừ"),
                       gettext_lazy("Đã lưu mục điểm thưởng, điểm trừ."), _item_form,
                       _fields("kind", "code", "title", "points", "cap", "order"), _save_item),
    "xep-loai": Part(RubricTier, gettext_lazy("Thêm mức xếp loại"),
                     gettext_lazy("Sửa mức xếp loại"), gettext_lazy("Đã lưu mức xếp loại."),
                     _tier_form, _fields("code", "name", "rank", "min_score", "max_share"),
                     _save_tier),
    "loai-tru": Part(RubricDisqualifier, gettext_lazy("Thêm điều kiện loại trừ"),
                     gettext_lazy("Sửa điều kiện loại trừ"),
                     gettext_lazy("Đã lưu điều kiện loại trừ."), _disqualifier_form,
                     _fields("code", "label", "barred_tier"), _save_disqualifier),
}


def _part(part: str) -> Part:
    found = PARTS.get(part)
    if found is None:
        raise Http404(_("Không tìm thấy trang."))
    return found


def _part_object(rubric: Rubric, part: Part, item: int) -> Any:
    obj = (part.model.objects.filter(pk=selectors._id(item), **{part.rubric_path: rubric})  # type: ignore[attr-defined]
           .first() if selectors._id(item) else None)
    if obj is None:
        raise Http404(_("Không tìm thấy mục này của thang điểm."))
    return obj


def _part_page(request: HttpRequest, rubric: Rubric, part_name: str, obj: Any) -> HttpResponse:
    part = _part(part_name)
    initial = part.initial(obj) if obj is not None else {}
    if obj is not None and isinstance(obj, Criterion | RubricItem):
        initial["department"] = str(obj.department_id or "")
    if obj is None and request.GET.get("loai") in ("thuong", "tru"):
        initial["kind"] = request.GET["loai"]
    if obj is None and isinstance(selectors._id(request.GET.get("linh_vuc")), int):
        initial["area"] = request.GET.get("linh_vuc")
    form = part.form(rubric, request.POST or None, initial)
    done = form_submit(request, form, lambda d: part.save(request.user, rubric, obj, form, d),
                       success=str(part.saved), redirect_to=_detail_url(rubric))
    return done or render(request, "emulation/form.html", {
        "form": form, "title": part.title_edit if obj is not None else part.title_add,
        "lead": rubric.name, "back_url": _detail_url(rubric), "back_label": rubric.name,
        "submit": _("Lưu"),
        "delete_url": reverse("emulation:part_delete", args=[rubric.pk, part_name, obj.pk])
        if obj is not None else "",
    })


@login_required
@require_http_methods(["GET", "POST"])
def part_add(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    _part(part)
    rubric = _editable(request, pk)
    if isinstance(rubric, HttpResponse):
        return rubric
    return _part_page(request, rubric, part, None)


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request: HttpRequest, pk: int, part: str, item: int) -> HttpResponse:
    found = _part(part)
    rubric = _editable(request, pk)
    if isinstance(rubric, HttpResponse):
        return rubric
    return _part_page(request, rubric, part, _part_object(rubric, found, item))


@login_required
@require_POST
def part_delete(request: HttpRequest, pk: int, part: str, item: int) -> HttpResponse:
    found = _part(part)
    rubric = _editable(request, pk)
    if isinstance(rubric, HttpResponse):
        return rubric
    obj = _part_object(rubric, found, item)
    return action_submit(
        request, lambda: services.rubric_part_delete(actor=request.user, rubric=rubric, part=obj),
        success=_("Đã xóa."), back=_detail_url(rubric))


# -- copy, freeze, close ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rubric_copy(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.rubric_get(scope=scope_of(request), pk=pk, allowed=permissions.can_edit)
    unit = source.issuing_unit
    form = f.RubricCopyForm(request.POST or None, unit=unit,
                            initial={"year": source.year + 1, "group": str(source.group_id)})
    done = form_submit(request, form, lambda d: services.rubric_copy(
        actor=request.user, source=source, year=d["year"], group=form.chosen_group(unit),
        name=d["name"]), success=_("Đã sao chép thang điểm: hãy sửa những gì thay đổi."),
        redirect_to=_detail_url)
    return done or render(request, "emulation/form.html", {
        "form": form, "title": _("Sao chép thang điểm sang năm khác"), "lead": source.name,
        "back_url": _detail_url(source), "back_label": source.name,
        "submit": _("Sao chép"),
    })


@login_required
@require_POST
def rubric_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = selectors.rubric_get(scope=scope_of(request), pk=pk,
                                  allowed=permissions.can_freeze)
    return action_submit(
        request, lambda: services.rubric_freeze(actor=request.user, rubric=rubric),
        success=_("Đã mở chấm điểm: thang điểm đã khóa, không sửa được nữa."),
        back=_detail_url(rubric))


@login_required
@require_POST
def rubric_close(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = selectors.rubric_get(scope=scope_of(request), pk=pk,
                                  allowed=permissions.can_freeze)
    return action_submit(
        request, lambda: services.rubric_close(actor=request.user, rubric=rubric),
        success=_("Đã kết thúc đợt chấm điểm của thang điểm."), back=_detail_url(rubric))


# -- export and import --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def rubric_export(request: HttpRequest, pk: int) -> HttpResponse:
    from .exporters import rubric_filename, rubric_workbook

    rubric = selectors.rubric_get(scope=scope_of(request), pk=pk)
    response = HttpResponse(rubric_workbook(rubric), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{rubric_filename(rubric)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def rubric_import(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = _editable(request, pk)
    if isinstance(rubric, HttpResponse):
        return rubric
    form = f.ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            importers.rubric_import(actor=request.user, rubric=rubric,
                                    upload=form.cleaned_data["file"])
        except importers.RubricImportError as exc:
            problems = exc.problems
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, _("Đã nhập thang điểm từ tệp."))
            return redirect(_detail_url(rubric))
    return render(request, "emulation/import.html", {
        "form": form, "rubric": rubric, "problems": problems,
    }, status=400 if problems else 200)
