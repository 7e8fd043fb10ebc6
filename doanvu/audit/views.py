from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_tasks import TaskResultStatus

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import scope_of
from doanvu.common.background import no_worker_message, pickup_overdue
from doanvu.common.dates import parse_date
from doanvu.common.errors import ApplicationError
from doanvu.common.typing import UnitScope
from doanvu.org.models import Unit
from doanvu.org.selectors import audit_list, audit_namer, unit_find

from .models import AuditRecord
from .presentation import Entry, MayName, present, record_kinds
from .tasks import verify_chain

ADMIN = PermissionKind.ADMINISTER.value
PAGE_SIZE = 50
# an export is read and written in chunks of this many records, up to EXPORT_LIMIT of them
EXPORT_CHUNK = 500
EXPORT_LIMIT = 50_000
TEXT_LIMIT = 100  # the longest name a text filter searches for


@dataclass
class LogFilters:
    """The filters of the log page, as typed (to show them again) and as understood."""

    unit: Unit | None = None
    actor: str = ""
    name: str = ""
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    typed: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def query(self) -> str:
        """The filters as a query string, for the next page and the export."""
        return urlencode({k: v for k, v in self.typed.items() if v})


def _filters(request: HttpRequest, scope: UnitScope) -> LogFilters:
    get = request.GET
    f = LogFilters(typed={k: get.get(k, "").strip()[:TEXT_LIMIT]
                          for k in ("unit", "nguoi", "ten", "loai", "tu", "den")})
    if f.typed["unit"]:
        # a unit outside what the user administers is refused like a missing one
        typed = f.typed["unit"]
        f.unit = (unit_find(scope=scope, pk=typed, perm=ADMIN)
                  if typed.isdigit() and len(typed) < 19 else None)
        if f.unit is None:
            f.errors["unit"] = _("Không tìm thấy đơn vị này trong phạm vi bạn quản trị.")
    f.actor = f.typed["nguoi"]
    f.name = f.typed["ten"]
    kinds = dict(record_kinds())
    if f.typed["loai"]:
        if f.typed["loai"] in kinds:
            f.kind = f.typed["loai"]
        else:
            f.errors["loai"] = _("Loại bản ghi không có trong danh sách.")
    # the one date reader and its messages (issue 10): shown beside the field, so the message
    # says "Ngày …" rather than repeat the field's label
    for key, attr in (("tu", "date_from"), ("den", "date_to")):
        try:
            setattr(f, attr, parse_date(f.typed[key]))
        except ApplicationError as e:
            f.errors[key] = e.message
    if f.date_from and f.date_to and f.date_from > f.date_to:
        f.errors["den"] = _("Đến ngày phải sau hoặc bằng từ ngày.")
    return f


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _records(scope: UnitScope, f: LogFilters) -> QuerySet[AuditRecord]:
    if f.errors:
        return AuditRecord.objects.none()
    qs = audit_list(scope=scope, perm=ADMIN, within=f.unit)
    if f.actor:
        qs = qs.filter(actor_label__icontains=f.actor)
    if f.name:
        qs = qs.filter(object_repr__icontains=f.name)
    if f.kind:
        qs = qs.filter(model=f.kind)
    if f.date_from:
        qs = qs.filter(at__gte=_start_of(f.date_from))
    if f.date_to:
        qs = qs.filter(at__lt=_start_of(f.date_to + dt.timedelta(days=1)))
    return qs


def _reaches_log(scope: UnitScope) -> bool:
    return scope.is_superuser or bool(scope.root_paths(ADMIN))


@login_required
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not _reaches_log(scope):
        raise Http404
    f = _filters(request, scope)
    qs = _records(scope, f)
    # keyset pages: the records before an id, newest first; no count over the whole log
    before = request.GET.get("truoc", "")
    if before.isdigit() and len(before) < 19:
        qs = qs.filter(id__lt=int(before))
    page = list(qs[:PAGE_SIZE + 1])
    has_next = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    entries = present(page, may_name=audit_namer(scope=scope))
    query = f.query()
    next_url = (f"?{query}&truoc={page[-1].id}" if query else f"?truoc={page[-1].id}"
                ) if has_next else ""
    last = request.session.get("audit_verify_task")
    result = None
    if last:
        try:
            res = verify_chain.get_result(last)
            waiting = res.status == TaskResultStatus.READY
            result = {
                "value": res.return_value if res.is_finished else None,
                "state": _("đang chờ tiến trình nền") if waiting else _("đang chạy"),
                # nobody has taken the task: say so and what to do (issue 10, item 8)
                "no_worker": no_worker_message()
                if waiting and pickup_overdue(res.enqueued_at) else "",
            }
        except Exception:  # a result from another backend or a purged task: just forget it
            request.session.pop("audit_verify_task", None)
    return render(request, "audit/log.html", {
        "entries": entries, "verify": result, "filters": f, "kinds": record_kinds(),
        "next_url": next_url, "first_url": f"?{query}" if before else "", "query": query,
        "pick_field": "unit", "pick_label": _("Đơn vị (gồm các đơn vị trực thuộc)"),
        "pick_value": f.unit, "pick_errors": [f.errors["unit"]] if "unit" in f.errors else [],
        "pick_optional": True,
    })


def _export_rows(entries: list[Entry]) -> list[list[Any]]:
    return [[e.when, e.actor, e.action_label, e.kind, e.name, e.change_text() or "",
             e.reason] for e in entries]


@login_required
@require_safe
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as .xlsx (or .csv with ?dinh_dang=csv), the same records the page
    shows the user, newest first."""
    from doanvu.common.spreadsheet import XLSX, XlsxWriter, csv_writer

    scope = scope_of(request)
    if not _reaches_log(scope):
        raise Http404
    fmt = request.GET.get("dinh_dang", "xlsx")
    if fmt not in {"xlsx", "csv"}:
        return HttpResponse(_("Định dạng không được hỗ trợ: chọn xlsx hoặc csv."), status=400,
                            content_type="text/plain; charset=utf-8")
    f = _filters(request, scope)
    if f.errors:
        # a file never silently holds another selection than the one asked for
        return HttpResponse(" ".join(f.errors.values()), status=400,
                            content_type="text/plain; charset=utf-8")
    header = [_("Thời điểm"), _("Người thực hiện"), _("Thao tác"), _("Loại bản ghi"),
              _("Bản ghi"), _("Nội dung thay đổi"), _("Lý do")]
    qs = _records(scope, f)
    chunks = _chunks(qs, audit_namer(scope=scope))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # Excel reads UTF-8 with the mark
        writer = csv_writer(out)
        writer.writerow(header)
        for entries in chunks:
            writer.writerows(_export_rows(entries))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        filename = f"nhat-ky-{stamp}.csv"
    else:
        book = XlsxWriter()
        sheet = book.sheet(_("Nhật ký thay đổi"))
        sheet.column_widths([17, 24, 14, 22, 36, 80, 30])
        sheet.append(header)
        for entries in chunks:
            for row in _export_rows(entries):
                sheet.append(row)
        response = HttpResponse(book.to_bytes(), content_type=XLSX)
        filename = f"nhat-ky-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _chunks(qs: QuerySet[AuditRecord], may_name: MayName) -> Any:
    """The records in keyset chunks, presented chunk by chunk: memory and queries stay
    proportional to the chunk, not to the log."""
    last_id: int | None = None
    done = 0
    while done < EXPORT_LIMIT:
        chunk_qs = qs if last_id is None else qs.filter(id__lt=last_id)
        chunk = list(chunk_qs[:EXPORT_CHUNK])
        if not chunk:
            return
        yield present(chunk, may_name=may_name)
        done += len(chunk)
        last_id = chunk[-1].id


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

