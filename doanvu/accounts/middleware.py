"""A user whose password an administrator chose changes it before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect


class PasswordChangeRequiredMiddleware:
    """Every page but the change page, logout and static files sends such a user to the change
    page (an htmx request is told to go there with HX-Redirect)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            change = reverse("accounts:password_change")
            allowed = (change, reverse("accounts:logout"), settings.STATIC_URL)
            if not request.path.startswith(allowed):
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(change)
                return redirect(change)
        return self.get_response(request)
