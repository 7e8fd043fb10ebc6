"""The page asking a department for component results (EMU-2, component_requests): the issuing
unit's cadres (WRITE) pick the criteria, the department and the date; the list of requests is on
the component import page. Thin: the rubric comes from its selector (404 outside the user's
reach), the service checks everything again and its refusals show beside the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from doanvu.accounts.scope import scope_of
from doanvu.common.forms import VNDateField, VNForm, form_submit
from doanvu.org.models import Department

from . import component_requests, permissions, selectors
from .models import Criterion, Rubric


class ComponentRequestForm(VNForm):
    criteria = forms.MultipleChoiceField(
        label=gettext_lazy("Các tiêu chí cần kết quả"), required=False,
        widget=forms.CheckboxSelectMultiple)
    owed_by = forms.ChoiceField(
        label=gettext_lazy("Ban, đơn vị thực hiện"), required=False,
        help_text=gettext_lazy("Việc sẽ vào mục “Việc của tôi” của cán bộ ban, đơn vị này."))
    owed_to = forms.ChoiceField(label=gettext_lazy("Gửi kết quả về"), required=False)
    due_on = VNDateField(label=gettext_lazy("Hạn gửi kết quả"), required=False)
    title = forms.CharField(
        label=gettext_lazy("Nội dung yêu cầu"), max_length=255, required=False,
        help_text=gettext_lazy("Để trống thì ghi theo các tiêu chí đã chọn."))

    def __init__(self, *args: Any, criteria: list[Criterion], departments: list[Department],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), f"{c.code}. {Truncator(c.title).chars(110)}"
             + (f" ({c.department.name})" if c.department else "")) for c in criteria]
        deps = [(str(d.pk), d.name) for d in departments]
        self.fields["owed_by"].choices = [("", _("(chọn)"))] + deps  # type: ignore[attr-defined]
        self.fields["owed_to"].choices = [  # type: ignore[attr-defined]
            ("", _("Ban Thường vụ, các đoàn kiểm tra"))] + deps


def _departments(rubric: Rubric) -> list[Department]:
    return list(Department.objects.filter(unit=rubric.issuing_unit, valid_to__isnull=True)
                .order_by("category", "name"))


@login_required
@require_http_methods(["GET", "POST"])
def component_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = selectors.rubric_get(scope=scope_of(request), pk=pk, allowed=permissions.can_edit)
    criteria = list(Criterion.objects.filter(area__rubric=rubric).select_related("department")
                    .order_by("area__order", "area_id", "order", "id"))
    departments = _departments(rubric)
    by_id = {str(c.pk): c for c in criteria}
    deps = {str(d.pk): d for d in departments}
    form = ComponentRequestForm(request.POST or None, criteria=criteria,
                                departments=departments)
    back = reverse("emulation:component_import", args=[rubric.pk])
    done = form_submit(request, form, lambda d: component_requests.component_request_create(
        actor=request.user, rubric=rubric, criteria=[by_id[k] for k in d["criteria"]],
        owed_by=deps.get(d["owed_by"]), owed_to=deps.get(d["owed_to"]), due_on=d["due_on"],
        title=d["title"]),
        success=lambda r: _("Đã gửi yêu cầu “{title}” cho {name}.").format(
            title=r.title, name=r.owed_by.name),
        redirect_to=back)
    return done or render(request, "emulation/form.html", {
        "form": form, "title": _("Yêu cầu kết quả thành phần"), "lead": rubric.name,
        "back_url": back, "back_label": _("Nhập kết quả thành phần"),
        "submit": _("Gửi yêu cầu"),
    })
