from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, add_error_from, form_submit
from doanvu.org import selectors as org_selectors
from doanvu.org.models import Department
from doanvu.org.views import pick_context

from . import second_factor, selectors, services
from .forms import GrantForm, LoginForm, OwnPasswordChangeForm, SecondFactorCodeForm
from .middleware import second_factor_pending
from .models import PermissionKind, RoleType, User
from .permissions import requires_second_factor
from .scope import scope_of

ADMIN = PermissionKind.ADMINISTER.value


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    # A form view takes PUT as POST; the login page takes only what its form sends.
    http_method_names = ["get", "head", "post"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # before the redirect of a logged-in user, which would answer any method
        if (request.method or "").lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


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
@require_safe
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
@require_safe
def role_types(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/role_types.html", {"role_types": RoleType.objects.all()})


# -- the second factor (issue 16) ------------------------------------------------------------------
NEW_CODES_KEY = "doanvu_otp_new_codes"


def _second_factor_user(request: HttpRequest) -> User:
    """The pages of one's own second factor exist for those who must use one (404 otherwise,
    like any page that is not theirs)."""
    if not requires_second_factor(scope_of(request)):
        raise Http404
    return request.user  # type: ignore[return-value]


def _next_url(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return nxt
    return reverse("org:home")


def _secret_groups(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _qr_svg(url: str) -> str:
    """The otpauth:// address as an inline SVG QR code, drawn here (offline, no script)."""
    svg = segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff",
                                                title=_("Mã QR để thêm vào ứng dụng xác thực"))
    return str(svg)


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: QR code, the secret in groups of four, confirm by a code."""
    user = _second_factor_user(request)
    if second_factor.has_confirmed_device(user):
        # adding another device needs the code of the current one first (the devices page)
        if second_factor_pending(request):
            return redirect(f"{reverse('accounts:otp_verify')}?"
                            f"{urlencode({'next': _next_url(request)})}")
        return redirect("accounts:otp_devices")
    device = second_factor.setup_device(user)
    form = SecondFactorCodeForm(request.POST or None, recovery=False)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = second_factor.confirm_device(user, form.cleaned_data["code"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            otp_login(request, device)
            request.session[NEW_CODES_KEY] = codes
            messages.success(request, _("Đã bật xác thực hai bước."))
            return redirect(f"{reverse('accounts:otp_codes')}?"
                            f"{urlencode({'next': _next_url(request)})}")
    return render(request, "accounts/otp_setup.html", {
        "form": form, "qr_svg": _qr_svg(device.config_url), "secret": _secret_groups(device),
        "next": _next_url(request), "required": second_factor_pending(request),
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Enter the 6-digit code (or a recovery code) after the password."""
    user = _second_factor_user(request)
    if not second_factor.has_confirmed_device(user):
        return redirect(f"{reverse('accounts:otp_setup')}?"
                        f"{urlencode({'next': _next_url(request)})}")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor.verify(user, form.cleaned_data["code"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {
        "form": form, "next": _next_url(request),
    }, status=400 if form.errors else 200)


@login_required
@require_safe
def otp_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once (they leave the session as the page is drawn)."""
    _second_factor_user(request)
    codes = request.session.pop(NEW_CODES_KEY, None)
    return render(request, "accounts/otp_codes.html", {
        "codes": codes, "next": _next_url(request),
    })


@login_required
@require_http_methods(["GET", "POST"])
def otp_devices(request: HttpRequest) -> HttpResponse:
    """The user's own devices; renewing the recovery codes or resetting needs a code again."""
    user = _second_factor_user(request)
    state = second_factor.status(user)
    form = SecondFactorCodeForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and form.is_valid():
        try:
            if action == "renew":
                codes = second_factor.renew_recovery_codes(user, form.cleaned_data["code"])
            elif action == "reset":
                second_factor.reset_own(user, form.cleaned_data["code"])
            else:
                raise second_factor.SecondFactorError(_("Hãy chọn việc cần làm."))
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            if action == "renew":
                request.session[NEW_CODES_KEY] = codes
                messages.success(request, _("Đã cấp mã dự phòng mới; các mã cũ hết hiệu lực."))
                return redirect(f"{reverse('accounts:otp_codes')}?"
                                f"{urlencode({'next': reverse('accounts:otp_devices')})}")
            # this session's verification went with the devices
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            messages.success(request, _("Đã đặt lại xác thực hai bước."))
            return redirect("accounts:otp_setup" if settings.OTP_REQUIRED
                            else "accounts:otp_devices")
    return render(request, "accounts/otp_devices.html", {
        "form": form, "state": state, "enforced": settings.OTP_REQUIRED,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def otp_reset_user(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator resets another user's second factor (they set up a new one at their
    next login); 404 alike for a user who does not exist and one out of reach."""
    scope = scope_of(request)
    target = selectors.second_factor_reset_target(scope=scope, pk=pk)
    return action_submit(
        request, lambda: second_factor.reset_for(actor=request.user, user=target),
        success=_("Đã đặt lại xác thực hai bước của {user}.").format(user=target),
        back=reverse("accounts:grant_list"))
