from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, add_error_from, form_submit
from doanvu.org import selectors as org_selectors
from doanvu.org.models import Department
from doanvu.org.views import pick_context

from . import selectors, services
from .forms import GrantForm, LoginForm, OwnPasswordChangeForm
from .models import PermissionKind, RoleType, User
from .scope import scope_of

ADMIN = PermissionKind.ADMINISTER.value


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (_("Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau {minutes} phút "
              "hoặc liên hệ quản trị.").format(minutes=minutes))


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict[str, object] | None = None) -> HttpResponse:
    """django-axes' answer for a locked-out (username, address) pair: our login page, 429.

    The form is not bound: validating it would authenticate again."""
    username = request.POST.get("username", "")[:150]
    form = LoginForm(request, initial={"username": username})
    return render(request, "accounts/login.html", {
        "form": form, "next": request.POST.get("next", ""), "locked_message": lockout_message(),
    }, status=settings.AXES_HTTP_RESPONSE_CODE)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = OwnPasswordChangeForm(user, request.POST or None)

    def change(d: dict[str, Any]) -> User:
        services.password_change(user=user, new_password=d["new_password1"])
        update_session_auth_hash(request, user)  # stay logged in on this device
        return user

    done = form_submit(request, form, change, success=_("Đã đổi mật khẩu."),
                       redirect_to="org:home")
    if done:
        return done
    return render(request, "accounts/password_change.html", {
        "form": form, "forced": user.must_change_password,
    })


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    scope = selectors.administering_scope(scope=scope_of(request))
    qs = selectors.grant_list(scope=scope, include_ended=request.GET.get("ca_het_han") == "1")
    page = Paginator(qs, 50).get_page(request.GET.get("trang"))
    return render(request, "accounts/grant_list.html", {
        "grants": page, "role_types": RoleType.objects.all(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def grant_create(request: HttpRequest) -> HttpResponse:
    scope = selectors.administering_scope(scope=scope_of(request))
    form = GrantForm(request.POST or None, initial={"start_date": today()})
    unit = None
    raw_unit = request.POST.get("unit") or request.GET.get("don_vi")
    if raw_unit:
        unit = org_selectors.unit_find(scope=scope, pk=raw_unit, perm=ADMIN)
    departments = list(Department.objects.filter(unit=unit, valid_to__isnull=True)) if unit else []
    form.fields["department"].widget.choices = [("", "—")] + [(d.pk, d.name) for d in departments]
    if unit is not None:
        form.initial["unit"] = unit.pk
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if unit is None:
            form.add_error("unit", _("Không tìm thấy đơn vị trong phạm vi quản trị của bạn."))
        else:
            department = next((x for x in departments if x.pk == d["department"]), None)
            if d["department"] and department is None:
                form.add_error("department", _("Ban đã chọn không thuộc đơn vị này."))
            else:
                try:
                    # the new account and its grant stand or fall together (X-9: nothing partial)
                    with transaction.atomic():
                        user = User.objects.filter(username__iexact=d["username"].strip()).first()
                        if user is None:
                            if not d["full_name"] or not d["password"]:
                                raise services.GrantError(
                                    _("Chưa có tài khoản này: hãy nhập họ tên và mật khẩu ban "
                                      "đầu để tạo mới."), field="username")
                            user = services.user_create(
                                actor=request.user, username=d["username"],
                                full_name=d["full_name"], password=d["password"])
                        services.grant_create(
                            actor=request.user, scope=scope, user=user, role_type=d["role_type"],
                            unit=unit, department=department, start_date=d["start_date"],
                            end_date=d["end_date"],
                        )
                except ApplicationError as exc:
                    add_error_from(form, exc)
                else:
                    messages.success(
                        request, _("Đã cấp vai trò “{role_type}” cho {user} tại {unit}.").format(
                                     role_type=d['role_type'],
                                     user=user,
                                     unit=unit))
                    return redirect("accounts:grant_list")
    return render(request, "accounts/grant_form.html", {
        "form": form, "unit": unit, "departments": departments,
        **pick_context(form, "unit", _("Đơn vị"), unit),
    })


@login_required
@require_POST
def grant_end(request: HttpRequest, pk: int) -> HttpResponse:
    scope = selectors.administering_scope(scope=scope_of(request))
    grant = selectors.grant_get(scope=scope, pk=pk)
    return action_submit(
        request, lambda: services.grant_end(actor=request.user, scope=scope, grant=grant),
        success=_("Đã thu hồi vai trò."), back=reverse("accounts:grant_list"))


@login_required
def role_types(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/role_types.html", {"role_types": RoleType.objects.all()})
