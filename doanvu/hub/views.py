"""Pages of the hub: "Việc của tôi", a unit's view of what it is owed, an obligation, the
calendar and its feed, the dashboard with timeliness, notifications (HUB-2…6)."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import re
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doanvu.accounts.models import User
from doanvu.accounts.scope import Scope, scope_of
from doanvu.common.dates import parse_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import add_error_from, period_shown
from doanvu.common.periods import Period, PeriodDoesNotExist, no_such_month, parse_period
from doanvu.common.views import download_date, download_period, refuses_bad_input, stored_file
from doanvu.org import selectors as org_selectors

from . import charts, dashboard, ics, permissions, selectors, services, uploads
from .exporters import export_timeliness_xlsx
from .forms import NoteForm, SubmitForm
from .models import CalendarFeed, Obligation, ObligationStatus

WEEKDAYS = (_lazy("Thứ Hai"), _lazy("Thứ Ba"), _lazy("Thứ Tư"), _lazy("Thứ Năm"),
            _lazy("Thứ Sáu"), _lazy("Thứ Bảy"), _lazy("Chủ Nhật"))
WEEKDAYS_SHORT = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


def _back(request: HttpRequest, ob: Obligation) -> HttpResponse:
    """Where to go after an action: the page it came from, among ours."""
    back = request.POST.get("quay_lai", "")
    if back == "viec-cua-toi":
        return redirect("hub:my_work")
    if back == "don-vi":
        return redirect("hub:unit_obligations", pk=ob.owed_to_unit_id)
    return redirect("hub:obligation_detail", pk=ob.pk)


# -- Việc của tôi (HUB-2) ----------------------------------------------------------------------


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    day = today()
    return render(request, "hub/my_work.html", {
        "obligations": list(selectors.my_open_obligations(scope=scope, today=day)),
        "submitted": selectors.my_submitted_obligations(scope=scope),
        "owed_to_units": selectors.owed_to_my_units(scope=scope, today=day),
        "today": day,
        "form": SubmitForm(),
    })


@login_required
@require_GET
def obligation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    ob = selectors.obligation_get(scope=scope, pk=pk)
    return _render_detail(request, scope, ob)


def _render_detail(request: HttpRequest, scope: Scope, ob: Obligation, *,
                   submit_form: SubmitForm | None = None, note_form: NoteForm | None = None,
                   status: int = 200) -> HttpResponse:
    can_review = permissions.can_review(scope, ob)
    return render(request, "hub/obligation_detail.html", {
        "o": ob,
        "today": today(),
        "files": list(selectors.obligation_files(obligation=ob)),
        "can_submit": ob.is_open() and permissions.can_submit(scope, ob),
        "can_review": can_review and ob.status == ObligationStatus.SUBMITTED,
        "can_waive": can_review and ob.status not in (ObligationStatus.ACCEPTED,
                                                      ObligationStatus.WAIVED),
        "can_remind": ob.is_open() and permissions.can_remind(scope, ob),
        "form": submit_form or SubmitForm(),
        "note_form": note_form or NoteForm(),
        "owed_to_readable": scope.can("read", ob.owed_to_unit),
        "source_url": _source_url(ob),
    }, status=status)


def _source_url(ob: Obligation) -> str:
    """The page of the object an obligation comes from (a document sent to the owing unit),
    if it has one; its own page decides who may read it."""
    if ob.source_id is None:
        return ""
    source = ob.source
    url = getattr(source, "get_absolute_url", None)
    return str(url()) if callable(url) else ""


@csrf_exempt
@login_required
@require_POST
def obligation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit text and files. The upload limits act before the body is read (uploads.py), so
    the upload handlers are installed here, before CSRF protection reads the form."""
    refusal = uploads.content_length_refusal(request)
    if refusal:
        # Nothing is read or written: the CSRF check, which would read the body, is not needed.
        return _submit_refused(request, pk, refusal)
    handler = uploads.install(request)
    return _submit_checked(request, pk, handler)


def _submit_refused(request: HttpRequest, pk: int, refusal: str) -> HttpResponse:
    scope = scope_of(request)
    ob = selectors.obligation_get(scope=scope, pk=pk, allowed=permissions.can_submit)
    return _submit_answer(request, scope, ob, _refused_form("", refusal), status=413)


@csrf_protect
def _submit_checked(request: HttpRequest, pk: int,
                    handler: uploads.LimitedUploadHandler) -> HttpResponse:
    scope = scope_of(request)
    ob = selectors.obligation_get(scope=scope, pk=pk, allowed=permissions.can_submit)
    form = SubmitForm(request.POST, request.FILES)  # reading the body runs the handler
    if handler.refusal:
        form = _refused_form(request.POST.get("text", ""), handler.refusal)
        return _submit_answer(request, scope, ob, form, status=413)
    if form.is_valid():
        try:
            ob = services.obligation_submit(actor=request.user, obligation=ob,
                                            text=form.cleaned_data["text"],
                                            files=form.cleaned_data["attachments"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return render(request, "hub/my_work.html#obligation-row", {
                    "o": ob, "today": today(), "just_submitted": True,
                })
            messages.success(request, _("Đã nộp “{title}”.").format(title=ob.title))
            return _back(request, ob)
    return _submit_answer(request, scope, ob, form, status=200)


def _refused_form(text: str, message: str) -> SubmitForm:
    """The form as the user filled it (the text, if it arrived), with the refusal beside the
    file field."""
    form = SubmitForm(data={"text": text[:20000]})
    form.is_valid()
    form.add_error("attachments", message)
    return form


def _submit_answer(request: HttpRequest, scope: Scope, ob: Obligation, form: SubmitForm, *,
                   status: int) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only 2xx answers: the row comes back open with the message beside the field
        return render(request, "hub/my_work.html#obligation-row", {
            "o": ob, "today": today(), "form": form, "open_form": True,
        })
    return _render_detail(request, scope, ob, submit_form=form, status=status)


def _review_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    scope = scope_of(request)
    ob = selectors.obligation_get(scope=scope, pk=pk, allowed=permissions.can_review)
    form = NoteForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if action == "accept":
                services.obligation_accept(actor=request.user, obligation=ob, note=note)
                messages.success(request, _("Đã tiếp nhận “{title}”.").format(title=ob.title))
            elif action == "return":
                services.obligation_return(actor=request.user, obligation=ob, note=note)
                messages.success(request, _(
                    "Đã trả lại “{title}” để bổ sung."
                ).format(title=ob.title))
            else:
                services.obligation_waive(actor=request.user, obligation=ob, note=note)
                messages.success(request, _("Đã miễn “{title}”.").format(title=ob.title))
            return _back(request, ob)
        except ApplicationError as exc:
            add_error_from(form, exc)
    return _render_detail(request, scope, ob, note_form=form, status=200)


@login_required
@require_POST
def obligation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_action(request, pk, "accept")


@login_required
@require_POST
def obligation_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_action(request, pk, "return")


@login_required
@require_POST
def obligation_waive(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_action(request, pk, "waive")


@login_required
@require_POST
def obligation_remind(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    ob = selectors.obligation_get(scope=scope, pk=pk, allowed=permissions.can_remind)
    try:
        n = services.obligation_remind(actor=request.user, obligation=ob)
        text, ok = _(
            "Đã nhắc {name} ({n} người nhận)."
        ).format(name=ob.owed_by_unit.name, n=n), True
    except ApplicationError as exc:
        text, ok = str(exc), False
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "hub/unit_obligations.html#remind-result",
                      {"text": text, "ok": ok})
    (messages.success if ok else messages.error)(request, text)
    return _back(request, ob)


@login_required
@require_GET
def obligation_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    scope = scope_of(request)
    ob = selectors.obligation_get(scope=scope, pk=pk)
    f = selectors.obligation_file_get(obligation=ob, pk=file_pk)
    return stored_file(f.file, f.original_name)


# -- a unit's view of what its lower units owe it (HUB-2) ------------------------------------------


def _period_param(request: HttpRequest, default: Period | None) -> Period | None:
    return period_shown(request, "ky", field=_("kỳ"), default=default)


@login_required
@require_GET
def unit_obligations(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = org_selectors.unit_get(scope=scope, pk=pk)
    day = today()
    state = request.GET.get("trang_thai", "chua-nop")
    if state not in {*selectors.UNIT_FILTERS, "qua-han"}:
        state = "chua-nop"
    kinds = selectors.unit_owed_kinds(scope=scope, unit=unit)
    kind = request.GET.get("loai", "")
    if kind not in {k for k, _label in kinds}:
        kind = ""
    period = _period_param(request, None)
    qs = selectors.unit_owed_obligations(scope=scope, unit=unit, today=day, state=state,
                                         kind=kind, period=period)
    page = Paginator(qs, 50).get_page(request.GET.get("trang"))
    rows = [(o, permissions.can_remind(scope, o)) for o in page]
    return render(request, "hub/unit_obligations.html", {
        "unit": unit, "page": page, "rows": rows, "today": day, "state": state,
        "kind": kind, "kinds": kinds, "period": period,
        "states": [("chua-nop", _("Chưa nộp")), ("qua-han", _("Quá hạn")),
                   ("cho-tiep-nhan", _("Chờ tiếp nhận")), ("da-tiep-nhan", _("Đã tiếp nhận")),
                   ("mien", _("Được miễn")), ("tat-ca", _("Tất cả"))],
    })


# -- dashboard and timeliness (HUB-5, HUB-6) -------------------------------------------------------


@login_required
@require_GET
def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = org_selectors.unit_get(scope=scope, pk=pk)
    day = today()
    period = _period_param(request, Period.of_year(day.year))
    assert period is not None
    as_of = _as_of_param(request, day)
    to_months = selectors.monthly_counts(scope=scope, unit=unit, direction="to", period=period,
                                         today=day)
    by_months = selectors.monthly_counts(scope=scope, unit=unit, direction="by", period=period,
                                         today=day)
    table = selectors.timeliness_page(
        scope=scope, unit=unit, period=period, as_of=as_of, state=request.GET.get("loc", ""),
        query=request.GET.get("q", ""), page=_page_param(request))
    return render(request, "hub/dashboard.html", {
        "unit": unit, "period": period, "today": day, "table": table, "as_of": as_of,
        "chart_to": charts.stacked_month_bars(
            to_months, title=_(
                "Việc phải nộp cho {name} theo tháng đến hạn, {period}"
            ).format(name=unit.name, period=period))
        if any(m.total for m in to_months) else None,
        "chart_by": charts.stacked_month_bars(
            by_months, title=_(
                "Việc {name} phải nộp theo tháng đến hạn, {period}"
            ).format(name=unit.name, period=period))
        if any(m.total for m in by_months) else None,
        "to_months": to_months, "by_months": by_months,
        "policies": selectors.policies_for_unit(unit=unit, on=day),
        "panels": dashboard.panels_for(scope=scope, unit=unit, period=period, as_of=as_of),
        "previous": _shift(period, -1), "next": _shift(period, 1),
        "states": [(code, label, table.state_counts[code]) for code, label in (
            ("", _("Tất cả")), ("chua-nop", _("Có việc chưa nộp")),
            ("nop-muon", _("Có việc nộp muộn")), ("dung-han", _("Đúng hạn cả")),
            ("chua-den-han", _("Có việc chưa đến hạn")))],
        "base_query": urlencode({"ky": period.key, "ngay": as_of.strftime("%d/%m/%Y")}),
    })


def _page_param(request: HttpRequest) -> int:
    """The ?trang= page number of the timeliness table; 1 when absent or junk."""
    raw = request.GET.get("trang", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 1


def _as_of_param(request: HttpRequest, day: dt.date) -> dt.date:
    """The "as of" day of the timeliness figures (X-10); today when absent, junk or future."""
    try:
        as_of = parse_date(request.GET.get("ngay"), field=_("ngày xem")) or day
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return day
    return min(as_of, day)


def _shift(period: Period, step: int) -> Period | None:
    try:
        if step > 0:
            return period.next()
        if period.kind in ("Y", "SY"):
            return Period(period.year - 1, period.kind, 1)
        size = {"M": 12, "Q": 4, "H": 2}[period.kind]
        if period.index == 1:
            return Period(period.year - 1, period.kind, size)
        return Period(period.year, period.kind, period.index - 1)
    except ValueError:
        return None


@login_required
@require_GET
@refuses_bad_input
def timeliness_export(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = org_selectors.unit_get(scope=scope, pk=pk)
    day = today()
    period = download_period(request, "ky", field=_("kỳ"), default=Period.of_year(day.year))
    as_of = download_date(request, latest=day) or day
    table = selectors.timeliness_table(scope=scope, unit=unit, period=period, as_of=as_of)
    filename, content_type, body = export_timeliness_xlsx(table)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- calendar (HUB-4) ----------------------------------------------------------------------------


CALENDAR_YEARS = range(1901, 2200)  # a month on either side stays a valid Period


def _month_param(request: HttpRequest, day: dt.date) -> Period:
    raw = request.GET.get("thang", "").strip()
    if raw:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
        try:
            if m and not 1 <= int(m[2]) <= 12:
                raise no_such_month(raw, int(m[2]), field=_("tháng"))
            period = Period.month(int(m[1]), int(m[2])) if m else parse_period(raw,
                                                                                field=_("tháng"))
            if period.kind == "M" and period.year in CALENDAR_YEARS:
                return period
        except PeriodDoesNotExist as exc:  # the right shape, but no such month: say why
            messages.error(request, str(exc))
            return Period.containing(day, "M")
        except (ValueError, ApplicationError):
            pass
        messages.error(request, _(
            "Tháng “{raw}” không hợp lệ. Ví dụ: 2020-11 hoặc 11/2020."
        ).format(raw=raw))
    return Period.containing(day, "M")


def _by_day(items: list[selectors.CalendarItem]) -> dict[dt.date, list[selectors.CalendarItem]]:
    out: dict[dt.date, list[selectors.CalendarItem]] = defaultdict(list)
    for item in items:
        out[item.day].append(item)
    return out


@login_required
@require_GET
def calendar_month(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    day = today()
    month = _month_param(request, day)
    first = month.start - dt.timedelta(days=month.start.weekday())
    last = month.end + dt.timedelta(days=6 - month.end.weekday())
    by_day = _by_day(selectors.calendar_items(scope=scope, start=first, end=last, today=day))
    weeks: list[list[dict[str, Any]]] = []
    current = first
    while current <= last:
        weeks.append([
            {"day": d, "items": by_day.get(d, []), "in_month": d.month == month.index,
             "is_today": d == day, "weekday": WEEKDAYS[d.weekday()]}
            for d in (current + dt.timedelta(days=i) for i in range(7))
        ])
        current += dt.timedelta(days=7)
    prev_month = Period.containing(month.start - dt.timedelta(days=1), "M")
    return render(request, "hub/calendar_month.html", {
        "month": month, "weeks": weeks, "weekdays": WEEKDAYS_SHORT, "today": day,
        "prev": f"{prev_month.year}-{prev_month.index:02d}",
        "next": f"{month.next().year}-{month.next().index:02d}",
        "month_days": pycalendar.monthrange(month.year, month.index)[1],
    })


@login_required
@require_GET
def calendar_week(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    day = today()
    try:
        chosen = parse_date(request.GET.get("ngay"), field=_("ngày")) or day
    except ApplicationError as exc:
        messages.error(request, str(exc))
        chosen = day
    if chosen.year not in CALENDAR_YEARS:
        shown = f"{chosen.day:02d}/{chosen.month:02d}/{chosen.year:04d}"
        messages.error(request, _("Ngày {shown} nằm ngoài lịch của hệ thống.").format(shown=shown))
        chosen = day
    monday = chosen - dt.timedelta(days=chosen.weekday())
    sunday = monday + dt.timedelta(days=6)
    by_day = _by_day(selectors.calendar_items(scope=scope, start=monday, end=sunday, today=day))
    days = [{"day": d, "items": by_day.get(d, []), "is_today": d == day,
             "weekday": WEEKDAYS[d.weekday()]}
            for d in (monday + dt.timedelta(days=i) for i in range(7))]
    return render(request, "hub/calendar_week.html", {
        "days": days, "monday": monday, "sunday": sunday, "today": day,
        "prev": monday - dt.timedelta(days=7), "next": monday + dt.timedelta(days=7),
        "month": f"{monday.year}-{monday.month:02d}",
    })


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.calendar_feed_regenerate(user=request.user)
        messages.success(request, _(
            "Đã tạo đường dẫn lịch mới; đường dẫn cũ (nếu có) không còn dùng được."
        ))
        return redirect("hub:calendar_feed_settings")
    feed = CalendarFeed.objects.filter(user=request.user).first()  # type: ignore[misc]
    url = (request.build_absolute_uri(reverse("hub:calendar_feed", args=[feed.token]))
           if feed else "")
    return render(request, "hub/calendar_feed.html", {"feed": feed, "url": url})


FEED_PAST_DAYS = 120
FEED_FUTURE_DAYS = 400


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The per-user iCalendar feed; the secret token is the only key, a wrong one gives 404."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token):
        raise Http404(_("Không tìm thấy lịch."))
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404(_("Không tìm thấy lịch."))
    user: User = feed.user
    scope = Scope.for_user(user)
    day = today()
    items = selectors.calendar_items(scope=scope, start=day - dt.timedelta(days=FEED_PAST_DAYS),
                                     end=day + dt.timedelta(days=FEED_FUTURE_DAYS), today=day)
    body = ics.build_calendar(name=_("Đoàn Vụ – {user}").format(user=user), items=items,
                              base_url=request.build_absolute_uri("/").rstrip("/"),
                              stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="doanvu.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# -- notifications (HUB-3) ---------------------------------------------------------------------


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(user=request.user), 30).get_page(
        request.GET.get("trang"))
    return render(request, "hub/notifications.html", {"page": page, "today": today()})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    n = selectors.notification_get(user=request.user, pk=pk)  # type: ignore[arg-type]
    services.notification_mark_read(user=request.user, notification=n)
    if n.obligation_id:
        return redirect("hub:obligation_detail", pk=n.obligation_id)
    return redirect("hub:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_read(user=request.user)
    messages.success(request, _("Đã đánh dấu {count} thông báo là đã đọc.").format(count=count))
    return redirect("hub:notifications")

