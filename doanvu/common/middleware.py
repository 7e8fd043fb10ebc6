"""Response headers of our own: the Content-Security-Policy (issue 8, finding 9).

Pages load only our own CSS and the htmx script served from our static files, with no inline
<script> or style= (house style), so the policy allows 'self' alone; a page that needed more
would show a console error in the browser tests, which fail on any CSP violation.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class ContentSecurityPolicyMiddleware:
    """Adds `settings.CONTENT_SECURITY_POLICY` (settings/base.py) to every response that sets
    none of its own ("" turns it off); `CONTENT_SECURITY_POLICY_REPORT_ONLY` sends it as
    report-only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy = str(getattr(settings, "CONTENT_SECURITY_POLICY", "")).strip()
        self.header = ("Content-Security-Policy-Report-Only"
                       if getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", False)
                       else "Content-Security-Policy")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.policy and self.header not in response:
            response[self.header] = self.policy
        return response


class DatabaseUnavailableMiddleware:
    """A view that loses its database connection mid-request (the server restarted, the
    connection was cut, PostgreSQL terminated the backend: `OperationalError`/`InterfaceError`)
    answers the 503 page of `errorviews.database_unavailable` instead of a 500 with a traceback.
    The service's transaction was not committed, so nothing of it was written; Django closes the
    broken connection when the request ends and the next request opens a new one (issue 16,
    "Faults and lost updates"). An error outside the view (a middleware) reaches
    `errorviews.server_error`, which answers the same page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest,
                          exception: Exception) -> HttpResponseBase | None:
        from .errorviews import database_unavailable, is_connection_lost

        if not is_connection_lost(exception):
            return None
        return database_unavailable(request, exception)
