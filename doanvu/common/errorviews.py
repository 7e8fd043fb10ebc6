"""Error pages in Vietnamese."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger("doanvu.errors")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/error.html", {
        "code": 404, "title": _("Không tìm thấy"),
        "message": _("Trang hoặc dữ liệu này không có, hoặc nằm ngoài phạm vi bạn được giao."),
    }, status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/error.html", {
        "code": 403, "title": _("Không có quyền"),
        "message": _("Bạn không có quyền thực hiện thao tác này."),
    }, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/error.html", {
        "code": 400, "title": _("Yêu cầu không hợp lệ"),
        "message": _("Dữ liệu gửi lên không hợp lệ."),
    }, status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may be the database that context processors would query.
    from django.template.loader import get_template

    failure = sys.exc_info()[1]
    if failure is not None and is_connection_lost(failure):
        return database_unavailable(request, failure)
    return HttpResponse(get_template("errors/500.html").render(), status=500)


def is_connection_lost(exception: BaseException) -> bool:
    """The database could not be reached or dropped the connection (not a refused value: a
    broken constraint is an `IntegrityError`, a bad statement a `ProgrammingError`; nor a
    statement cut by `statement_timeout`, SQLSTATE 57014, whose connection is fine)."""
    if not isinstance(exception, OperationalError | InterfaceError):
        return False
    return getattr(exception.__cause__, "sqlstate", None) != QUERY_CANCELED


QUERY_CANCELED = "57014"


# seconds a client is told to wait before trying again (the Retry-After header)
RETRY_AFTER_SECONDS = 5


def database_unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """503 with a page that needs no database (no request context, no user, no menu): the
    connection is gone. The error goes to the log, never to the page."""
    from django.template.loader import get_template

    logger.error("Database connection lost during %s %s", request.method, request.path,
                 exc_info=(type(exception), exception, exception.__traceback__))
    response = HttpResponse(get_template("errors/503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
