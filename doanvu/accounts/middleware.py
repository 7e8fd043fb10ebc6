"""Before anything else: whoever must use a second factor enters it (issue 16), and a user whose
password an administrator chose changes it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from . import permissions, second_factor
from .scope import scope_of


def second_factor_pages() -> tuple[str, ...]:
    """The pages a user may open before entering the second factor (besides logout, static)."""
    return (reverse("accounts:otp_verify"), reverse("accounts:otp_setup"))


def second_factor_pending(request: HttpRequest) -> bool:
    """Must this request's user still enter a second factor? (`settings.OTP_REQUIRED`)"""
    user = getattr(request, "user", None)
    if not settings.OTP_REQUIRED or user is None or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return permissions.requires_second_factor(scope_of(request))


class SecondFactorRequiredMiddleware:
    """Until a superuser or an administrator has entered a TOTP (or recovery) code in this
    session, every page but the setup and verify pages, logout and static files sends them
    there: to setup if they have no confirmed device, else to verify (htmx: HX-Redirect)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if second_factor_pending(request):
            allowed = (*second_factor_pages(), reverse("accounts:logout"), settings.STATIC_URL)
            if not request.path.startswith(allowed):
                user = request.user
                name = ("accounts:otp_verify" if second_factor.has_confirmed_device(user)  # type: ignore[arg-type]
                        else "accounts:otp_setup")
                target = reverse(name)
                if request.method == "GET" and not getattr(request, "htmx", False):
                    target += "?" + urlencode({"next": request.get_full_path()})
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(target)
                return redirect(target)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Every page but the change page, logout and static files sends such a user to the change
    page (an htmx request is told to go there with HX-Redirect)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            change = reverse("accounts:password_change")
            allowed = (change, reverse("accounts:logout"), settings.STATIC_URL,
                       *second_factor_pages())
            if not request.path.startswith(allowed):
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(change)
                return redirect(change)
        return self.get_response(request)
