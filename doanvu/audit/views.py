from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import scope_of
from doanvu.org.selectors import audit_list

from .tasks import verify_chain

ADMIN = PermissionKind.ADMINISTER.value


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.is_superuser and not scope.root_paths(ADMIN):
        raise Http404
    page = Paginator(audit_list(scope=scope, perm=ADMIN), 50).get_page(request.GET.get("trang"))
    last = request.session.get("audit_verify_task")
    result = None
    if last:
        try:
            res = verify_chain.get_result(last)
            result = {"status": res.status, "value": res.return_value if res.is_finished else None}
        except Exception:  # a result from another backend or a purged task: just forget it
            request.session.pop("audit_verify_task", None)
    return render(request, "audit/log.html", {"records": page, "verify": result})


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.is_superuser:
        raise Http404
    res = verify_chain.enqueue()
    request.session["audit_verify_task"] = str(res.id)
    messages.info(request, _("Đã đưa việc kiểm tra chuỗi nhật ký vào hàng đợi."))
    return redirect("audit:log")
