"""Pages of the import (MEM-13): upload → columns → dry run → confirm → progress → result; and
the .xlsx export of any filtered member list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import scope_of
from doanvu.common.background import no_worker_message
from doanvu.common.dates import today
from doanvu.common.views import (
    DownloadRefused,
    download_date,
    download_form_valid,
    refuses_bad_input,
)
from doanvu.org.models import Unit

from ..core.forms import MemberFilterForm
from ..core.selectors import SearchTooBroad, cursor_of, member_rows, parse_cursor
from ..models import ImportJob, ImportStatus
from .exporters import (
    export_members_xlsx,
    filter_members,
    filters_title,
    import_template_xlsx,
    parse_filters,
)
from .forms import ImportMappingForm, ImportUploadForm
from .selectors import (
    import_job_get,
    import_jobs_recent,
    import_unit_get,
    template_branch_name,
)
from .services import (
    COLUMN_BY_KEY,
    ImportFileError,
    ImportStateError,
    import_job_cancel,
    import_job_create,
    import_job_interrupted,
    import_job_waiting_for_worker,
)
from .tasks import import_job_confirm, import_job_queue_check, import_job_resume

WRITE = PermissionKind.WRITE.value
SHOWN_ERRORS = 2000


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.has_any_grant:
        raise Http404
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    unit: Unit | None = None
    pick_errors: list[str] = []
    raw_unit = request.POST.get("unit", "") or request.GET.get("don_vi", "")
    if str(raw_unit).isdigit():
        unit = import_unit_get(scope=scope, pk=raw_unit)
    if request.method == "POST":
        if unit is None:
            pick_errors.append(_("Hãy chọn một đơn vị bạn được quyền cập nhật."))
        if form.is_valid() and unit is not None:
            try:
                job = import_job_create(actor=request.user, unit=unit,
                                        upload=form.cleaned_data["file"])
            except ImportFileError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("members:import_mapping", job.pk)
        if "unit" in form.errors:
            pick_errors = pick_errors or [str(e) for e in form.errors["unit"]]
    recent = import_jobs_recent(user_id=request.user.pk)
    return render(request, "members/import_start.html", {
        "form": form, "pick_field": "unit", "pick_label": _("Đơn vị nhận đoàn viên"),
        "pick_value": unit, "pick_errors": pick_errors, "recent": recent,
    })


@login_required
@require_safe
def import_template(request: HttpRequest) -> HttpResponse:
    """"Tải file mẫu": the template .xlsx; with `don_vi` (a unit the user may import into) its
    example row names one of that unit's branches, so the template imports as it is."""
    scope = scope_of(request)
    if not scope.has_any_grant:
        raise Http404
    raw_unit = request.GET.get("don_vi", "")
    unit = import_unit_get(scope=scope, pk=raw_unit) if str(raw_unit).isdigit() else None
    name, content_type, content = import_template_xlsx(
        day=today(), branch_name=template_branch_name(unit=unit))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_get(scope=scope_of(request), pk=pk)
    if job.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        return redirect("members:import_report", job.pk)
    headers = list(job.report.get("headers", []))
    form = ImportMappingForm(request.POST or None, headers=headers, mapping=job.mapping,
                             unit_is_branch=job.unit.kind.is_branch)
    if request.method == "POST" and form.is_valid():
        import_job_queue_check(job=job, mapping=form.mapping())
        job.refresh_from_db()
        if job.status != ImportStatus.UPLOADED:
            return redirect("members:import_report", job.pk)
    if job.report.get("failure"):  # the last dry run could not read the file through
        form.add_error(None, str(job.report["failure"]))
    return render(request, "members/import_mapping.html", {"job": job, "form": form})


@login_required
@require_safe
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_get(scope=scope_of(request), pk=pk)
    if job.status == ImportStatus.UPLOADED:
        return redirect("members:import_mapping", job.pk)
    errors = job.report.get("errors", [])
    ctx: dict[str, object] = {
        "job": job, "report": job.report, "errors": errors[:SHOWN_ERRORS],
        "more_errors": max(0, len(errors) - SHOWN_ERRORS),
        "mapped": [COLUMN_BY_KEY[k].label for k in job.mapping.values() if k in COLUMN_BY_KEY],
        "importable": int(job.report.get("added", 0)) + int(job.report.get("updated", 0)),
        "interrupted": import_job_interrupted(job),
        "interrupted_step": _interrupted_step(job),
        **_waiting(job),
    }
    if job.status == ImportStatus.DONE:
        scope = scope_of(request)
        params = request.GET.copy()
        params["don_vi"] = str(job.unit_id)
        filters = parse_filters(params, scope=scope)
        # the members list's own pager: keyset pages under the search's time bound
        too_broad = ""
        try:
            members, more = member_rows(scope=scope, unit=filters.unit, filters=filters.values,
                                        after=parse_cursor(request.GET.get("sau", "")))
        except SearchTooBroad as exc:
            members, more, too_broad = [], False, str(exc.message)
        ctx.update({"q": filters.q, "members": members, "cursor": cursor_of(members, more),
                    "too_broad": too_broad})
        if request.htmx and request.htmx.target == "member-results":  # type: ignore[attr-defined]
            return render(request, "members/import_report.html#member-results", ctx)
    return render(request, "members/import_report.html", ctx)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_get(scope=scope_of(request), pk=pk)
    if job.status == ImportStatus.CHECKED:
        import_job_confirm(job=job)
    return redirect("members:import_report", job.pk)


def _waiting(job: ImportJob) -> dict[str, object]:
    """What the progress shows while no worker has taken the queued dry run or import."""
    waiting = import_job_waiting_for_worker(job)
    return {"waiting_for_worker": waiting, "no_worker": no_worker_message() if waiting else ""}


def _interrupted_step(job: ImportJob) -> str:
    if job.status == ImportStatus.CHECKING:
        return "check"
    if job.status == ImportStatus.RUNNING:
        return "import"
    return str((job.progress or {}).get("step") or "import")


@login_required
@require_safe
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by htmx every second while the dry run or the import runs."""
    job = import_job_get(scope=scope_of(request), pk=pk)
    response = render(request, "members/import_report.html#progress", {"job": job,
                                                                        **_waiting(job)})
    running = (ImportStatus.RUNNING, ImportStatus.CHECKING)
    if (job.status not in running or import_job_interrupted(job)) \
            and request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"  # done or stopped: show the result page
    return response


@login_required
@require_POST
def import_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """"Tiếp tục nhập" of an interrupted job: the import goes on after its last committed
    batch; a dry run starts over."""
    job = import_job_get(scope=scope_of(request), pk=pk)
    try:
        import_job_resume(job=job)
    except ImportStateError as exc:
        messages.error(request, exc.message)
    return redirect("members:import_report", job.pk)


@login_required
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """"Hủy" of an interrupted job: the import's committed batches are rolled back."""
    job = import_job_get(scope=scope_of(request), pk=pk)
    try:
        counts = import_job_cancel(job=job, actor=request.user)
    except ImportStateError as exc:
        messages.error(request, exc.message)
        return redirect("members:import_report", job.pk)
    if counts:
        messages.success(
            request,
            _(
                "Đã hủy lượt nhập: bỏ {memberships_deleted} đoàn viên đã thêm, trả lại {restored} "
                "bản ghi đã sửa."
            ).format(
                memberships_deleted=counts["memberships_deleted"], restored=counts["restored"]
            ),
        )
        return redirect("members:import_report", job.pk)
    return redirect("members:import_mapping", job.pk)


@login_required
@refuses_bad_input
@require_safe
def members_export_xlsx(request: HttpRequest) -> HttpResponseBase:
    scope = scope_of(request)
    if not scope.has_any_grant:
        raise Http404
    # the list page drops a wrong filter with a message; a file would silently hold everyone
    download_form_valid(MemberFilterForm(request.GET))
    # the list is today's: a file "as of" another day would pass today's list off as that day's
    day = today()
    asked = download_date(request, latest=day)
    if asked is not None and asked != day:
        raise DownloadRefused(
            _("Không tạo được tệp: danh sách đoàn viên chỉ xuất được theo tình trạng hôm nay, "
              "không theo ngày {day:%d/%m/%Y} (tham số “ngay”). Hãy bỏ ngày xem rồi tải lại "
              "tệp; tình trạng của từng đoàn viên tại một ngày xem ở trang hồ sơ.").format(
                day=asked), field="ngay")
    filters = parse_filters(request.GET, scope=scope)
    if request.GET.get("don_vi") and filters.unit is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    name, content_type, fh = export_members_xlsx(filter_members(scope=scope, filters=filters),
                                                 title=filters_title(filters))
    return FileResponse(fh, as_attachment=True, filename=name, content_type=content_type)
