"""The account's "Khóa truy cập API" pages (list, create, revoke: the user's own tokens only)
and the API's documentation page (Swagger UI from the installed sidecar package: nothing from
the internet, no inline script or style)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.views import SpectacularSwaggerSplitView

from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, add_error_from

from . import selectors, services
from .base import error_body
from .forms import TokenCreateForm

DEFAULT_DAYS = 90


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens and the form to create one; a created key is shown on the answer to
    the POST, once (never stored, never in a redirect or a message)."""
    form = TokenCreateForm(request.POST or None, initial={
        "expires_on": format_date(today() + dt.timedelta(days=DEFAULT_DAYS))})
    new = None
    if request.method == "POST" and form.is_valid():
        try:
            new = services.token_create(actor=request.user, user=request.user,  # type: ignore[arg-type]
                                        name=form.cleaned_data["name"],
                                        expires_on=form.cleaned_data["expires_on"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            form = TokenCreateForm(initial={
                "expires_on": format_date(today() + dt.timedelta(days=DEFAULT_DAYS))})
    response = render(request, "api/token_list.html", {
        "tokens": selectors.tokens_of(user=request.user)[:200],  # type: ignore[arg-type]
        "form": form, "new": new, "max_days": services.max_days(), "today": today(),
    }, status=400 if request.method == "POST" and new is None else 200)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.token_get(user=request.user, pk=pk)  # type: ignore[arg-type]
    return action_submit(
        request, lambda: services.token_revoke(actor=request.user, token=token),  # type: ignore[arg-type]
        success=_("Đã thu hồi khóa “{name}”.").format(name=token.name), back="api:token_list")


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    title = gettext_lazy("Tài liệu API Đoàn Vụ")  # type: ignore[assignment]


@csrf_exempt  # it writes nothing: a POST to a wrong address is the same JSON 404, not a 403
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """An address under /api/ that is no endpoint: the API's 404, not the pages' HTML."""
    return JsonResponse(error_body(404, _(
        "Không có địa chỉ API này (mọi địa chỉ kết thúc bằng “/”): xem /api/v1/docs/.")),
        status=404)
