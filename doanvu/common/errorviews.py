"""Error pages in Vietnamese."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


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

    return HttpResponse(get_template("errors/500.html").render(), status=500)
