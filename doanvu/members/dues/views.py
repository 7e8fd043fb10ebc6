"""Pages of dues, remittance, meetings and removal proposals (MEM-4, MEM-5, MEM-6).

Every page starts from a unit reached through the one Scope (404 alike for missing and not
yours); writes need `write` on the unit (remittance: `write` or `finance`; waivers: `write` on
the branch's grassroots union, whose BCH grants them).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, Scope, scope_of
from doanvu.common.dates import parse_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import add_error_from, period_shown
from doanvu.common.periods import Period, period_param
from doanvu.common.views import page_as_of
from doanvu.org.models import Unit
from doanvu.org.selectors import unit_get

from ..models import AttendanceStatus, MembersPolicy
from ..permissions import can_record_remittance, can_waive_dues, can_write_live_unit
from . import meetings
from . import services as dues
from .forms import (
    ATTENDANCE_CHOICES,
    DecisionForm,
    MeetingForm,
    RemittanceSentForm,
    WaiverForm,
    parse_month,
)
from .selectors import meeting_get, proposal_get

WRITE = PermissionKind.WRITE.value
FINANCE = PermissionKind.FINANCE.value


def _clean(value: str) -> str:
    return value.replace("\x00", "")


def _month(request: HttpRequest) -> Period:
    """The month a page shows: the current one when none or a wrong one is asked (said so)."""
    raw = _clean(request.GET.get("thang", "")).strip()
    if raw:
        try:
            return parse_month(raw)
        except ApplicationError as exc:
            messages.error(request, str(exc))
    return Period.containing(today(), "M")


def _period(request: HttpRequest, default_kind: str) -> Period:
    return period_shown(request, "ky", field=_("kỳ"),
                        default=Period.containing(today(), default_kind))


def _no_policy(request: HttpRequest, unit: Unit) -> HttpResponse:
    return render(request, "members/dues_no_policy.html", {"unit": unit}, status=200)


def _ids(values: list[str]) -> list[int]:
    out = []
    for v in values:
        try:
            out.append(int(_clean(v)))
        except ValueError:
            raise ApplicationError(_("Danh sách đoàn viên không hợp lệ.")) from None
    return out


# -- dues ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def dues_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Sổ thu đoàn phí of a branch for a month: one checkbox a member, one save button."""
    if request.method == "POST":
        scope = scope_of(request)
        unit = unit_get(scope=scope, pk=pk, perm=WRITE)
        if unit.dissolved_on is not None:
            raise Http404(_("Không tìm thấy đơn vị."))
        try:
            # a write never falls back to the current month (issue 8, finding 6)
            month = period_param(request.POST, "thang", field=_("tháng"), kind="M")
        except ApplicationError as exc:
            messages.error(request, _("Chưa lưu sổ đoàn phí: {exc}").format(exc=exc))
            return redirect("members:dues_sheet", pk=unit.pk)
        try:
            if month.start > today():
                raise ApplicationError(
                    _(
                        "Chưa đến {month}: chỉ ghi đoàn phí các tháng đã qua (đóng trước theo quý "
                        "ở cột “cả quý”)."
                    ).format(month=month)
                )
            result = dues.dues_record_payment(
                branch=unit, month=month, paid=_ids(request.POST.getlist("paid")),
                quarterly=_ids(request.POST.getlist("quarter")), actor=request.user)
        except (ApplicationError, MembersPolicy.DoesNotExist) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Đã lưu sổ đoàn phí {month}: {marked_paid} đoàn viên được ghi đã nộp, "
                    "{marked_unpaid} bỏ ghi."
                ).format(
                    month=month, marked_paid=result.marked_paid, marked_unpaid=result.marked_unpaid
                ),
            )
        return redirect(reverse("members:dues_sheet", args=[unit.pk]) + "?"
                        + urlencode({"thang": f"{month.index}/{month.year}"}))
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk)
    month = _month(request)
    if not unit.kind.is_branch:
        return _dues_rollup(request, scope, unit, month)
    try:
        sheet = dues.dues_sheet(branch=unit, month=month)
    except MembersPolicy.DoesNotExist:
        return _no_policy(request, unit)
    return render(request, "members/dues_sheet.html", {
        "unit": unit, "sheet": sheet, "month": month,
        "month_text": f"{month.index}/{month.year}",
        "prev_month": _month_text(_prev(month)), "next_month": _month_text(month.next()),
        "can_write": can_write_live_unit(scope, unit) and month.start <= today(),
        "can_waive": can_waive_dues(scope, unit),
    })


def _dues_rollup(request: HttpRequest, scope: Scope, unit: Unit, month: Period) -> HttpResponse:
    """Above the branch: no sheet of its own, the roll-up of its lower units' sheets, beside
    what each of them owes it and sent (the remittance statement, as its own page computes)."""
    rollup = dues.dues_rollup(unit=unit, month=month)
    try:
        statement: dues.RemittanceStatement | None = dues.remittance_compute(unit=unit,
                                                                             period=month)
    except (ApplicationError, MembersPolicy.DoesNotExist):
        statement = None
    remitted = {line.unit_id: line for line in statement.lower} if statement else {}
    return render(request, "members/dues_rollup.html", {
        "unit": unit, "rollup": rollup, "month": month, "statement": statement,
        "rows": [(line, remitted.get(line.unit_id) or _nothing_remitted(line),
                  scope.can(READ, _Place(line))) for line in rollup.lines],
        "month_text": _month_text(month),
        "prev_month": _month_text(_prev(month)), "next_month": _month_text(month.next()),
    })


def _nothing_remitted(line: dues.RollupLine) -> dues.LowerUnitLine:
    return dues.LowerUnitLine(line.unit_id, line.name, [], dues.Dong(0), dues.Dong(0))


class _Place:
    """A roll-up line as the Scope asks about a unit: its id and path."""

    def __init__(self, line: dues.RollupLine | meetings.MeetingRollupLine) -> None:
        self.pk, self.path = line.unit_id, line.path


def _prev(month: Period) -> Period:
    return Period.containing(month.start - dt.timedelta(days=1), "M")


def _month_text(month: Period) -> str:
    return f"{month.index}/{month.year}"


@login_required
@require_safe
def dues_unpaid(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk)
    year = today().year
    raw = _clean(request.GET.get("nam", "")).strip()
    if raw:
        if raw.isdigit() and 2000 <= int(raw) <= today().year:
            year = int(raw)
        else:
            messages.error(request, _("Năm “{raw}” không hợp lệ.").format(raw=raw))
    try:
        lines = dues.dues_unpaid(unit=unit, year=year)
    except MembersPolicy.DoesNotExist:
        return _no_policy(request, unit)
    return render(request, "members/dues_unpaid.html", {
        "unit": unit, "year": year, "lines": lines, "per_member": unit.kind.is_branch,
        "total": dues.Dong(sum(line.amount for line in lines)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def dues_waive(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk)
    if not can_waive_dues(scope, unit):
        raise Http404(_("Không tìm thấy đơn vị."))
    members = list(dues.current_members(unit=unit))
    form = WaiverForm(request.POST or None,
                      members=[(m.pk, m.person.full_name) for m in members])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        member = next(m for m in members if m.pk == d["membership"])
        try:
            n = dues.dues_waive(membership=member, months=d["months"], reason=d["reason"],
                                actor=request.user)
        except (ApplicationError, MembersPolicy.DoesNotExist) as exc:
            add_error_from(form, exc)
        else:
            messages.success(
                request,
                _("Đã miễn đoàn phí {n} tháng cho {full_name}.").format(
                    n=n, full_name=member.person.full_name
                ),
            )
            return redirect("members:dues_sheet", pk=unit.pk)
    return render(request, "members/dues_waive.html", {"unit": unit, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def remittance(request: HttpRequest, pk: int) -> HttpResponse:
    """What a unit collected, keeps, owes up and sent; what each lower unit owes it."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk)
    can_record = can_record_remittance(scope, unit)
    if request.method == "POST" and not can_record:
        raise Http404(_("Không tìm thấy đơn vị."))
    period_error = ""
    try:
        cadence = dues.remittance_cadence(unit=unit, day=today())
    except ApplicationError:
        return _no_policy(request, unit)
    if request.method == "POST":
        # the period the form was filled for, never a default one (issue 8, finding 6)
        try:
            period = period_param(request.POST if request.POST.get("ky") else request.GET, "ky",
                                  field=_("kỳ"))
        except ApplicationError as exc:
            period_error = str(exc)
            period = Period.containing(today(), cadence)
    else:
        period = _period(request, cadence)
    try:
        statement = dues.remittance_compute(unit=unit, period=period)
    except (ApplicationError, MembersPolicy.DoesNotExist):
        return _no_policy(request, unit)
    form = RemittanceSentForm(request.POST or None, initial={
        "amount_sent": statement.sent or statement.owes_up,
        "sent_on": statement.sent_on or today()})
    if period_error:
        form.is_valid()
        form.add_error(None, _("Chưa ghi: {period_error}").format(period_error=period_error))
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            dues.remittance_record_sent(unit=unit, period=statement.period,
                                        amount_sent=d["amount_sent"], sent_on=d["sent_on"],
                                        note=d["note"], actor=request.user)
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(
                request, _("Đã ghi số tiền nộp cấp trên {period}.").format(period=statement.period)
            )
            return redirect(reverse("members:remittance", args=[unit.pk]) + "?"
                            + urlencode({"ky": str(statement.period)}))
    parent = unit.parent if unit.parent and scope.can(READ, unit.parent) else None
    return render(request, "members/dues_remittance.html", {
        "unit": unit, "s": statement, "form": form, "can_record": can_record,
        "parent": parent, "prev": _shift(statement.period, -1),
        "next": _shift(statement.period, 1),
    }, status=400 if period_error else 200)


def _shift(period: Period, step: int) -> str:
    if step > 0:
        return str(period.next())
    return str(Period.containing(period.start - dt.timedelta(days=1), period.kind))


# -- meetings ------------------------------------------------------------------------------------


@login_required
@require_safe
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Meetings of a unit in a period, and whether the branch meets regularly."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk)
    period = _period(request, "Y")
    items = list(meetings.meeting_list(unit=unit, period=period))
    status: meetings.RegularStatus | None = None
    rollup: meetings.MeetingRollup | None = None
    try:
        if unit.kind.is_branch:
            status = meetings.branch_meets_regularly(unit=unit, period=period)
        else:
            # above the branch: whether its branches meet, not a branch's own count (issue 10)
            rollup = meetings.meeting_rollup(unit=unit, period=period)
    except (MembersPolicy.DoesNotExist, ApplicationError):
        pass
    counts = meetings.attendance_counts(items)
    return render(request, "members/meeting_list.html", {
        "unit": unit, "period": period, "status": status, "rollup": rollup,
        "rollup_rows": [(line, scope.can(READ, _Place(line))) for line in rollup.lines]
        if rollup else [],
        "rows": [(m, counts[m.pk]) for m in items], "can_write": can_write_live_unit(scope, unit),
        "prev": _shift(period, -1), "next": _shift(period, 1),
    })


def _attendance_from_post(request: HttpRequest, member_ids: list[int]) -> dict[int, str]:
    valid = set(AttendanceStatus.values)
    out: dict[int, str] = {}
    for mid in member_ids:
        value = _clean(request.POST.get(f"a_{mid}", AttendanceStatus.PRESENT))
        if value not in valid:
            raise ApplicationError(_("Tình trạng tham dự không hợp lệ."))
        out[mid] = value
    return out


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a meeting from a phone: everyone "có mặt" unless tapped otherwise, one save."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=WRITE)
    if unit.dissolved_on is not None:
        raise Http404(_("Không tìm thấy đơn vị."))
    members = list(dues.current_members(unit=unit))
    form = MeetingForm(request.POST or None, initial={"date": today()})
    rows = [(m, AttendanceStatus.PRESENT.value) for m in members]
    if request.method == "POST":
        try:
            attendance = _attendance_from_post(request, [m.pk for m in members])
        except ApplicationError as exc:
            form.add_error(None, str(exc))
            attendance = {}
        rows = [(m, attendance.get(m.pk, AttendanceStatus.PRESENT.value)) for m in members]
        if form.is_valid():
            d = form.cleaned_data
            try:
                meeting = meetings.meeting_create(
                    unit=unit, kind=d["kind"], date=d["date"], place=d["place"],
                    content=d["content"], attendance=attendance, actor=request.user)
            except ApplicationError as exc:
                add_error_from(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã ghi {lower} ngày {date:%d/%m/%Y}.").format(
                        lower=meeting.get_kind_display().lower(), date=meeting.date
                    ),
                )
                return redirect("members:meeting_list", pk=unit.pk)
    return render(request, "members/meeting_form.html", {
        "unit": unit, "form": form, "rows": rows, "choices": ATTENDANCE_CHOICES,
        "title": _("Ghi cuộc họp của {name}").format(name=unit.name), "meeting": None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting with its attendance; those who may write correct it on the same page."""
    scope = scope_of(request)
    meeting = meeting_get(scope=scope, pk=pk, perm=WRITE if request.method == "POST" else READ)
    unit = meeting.unit
    can_write = can_write_live_unit(scope, unit)
    if request.method == "POST" and not can_write:
        raise Http404(_("Không tìm thấy cuộc họp."))
    rows = [(r.membership, r.status) for r in meetings.meeting_attendance_rows(meeting=meeting)]
    form = MeetingForm(request.POST or None, edit=True, initial={
        "date": meeting.date, "place": meeting.place, "content": meeting.content})
    if request.method == "POST":
        try:
            attendance = _attendance_from_post(request, [m.pk for m, _s in rows])
        except ApplicationError as exc:
            form.add_error(None, str(exc))
            attendance = {}
        rows = [(m, attendance.get(m.pk, s)) for m, s in rows]
        if form.is_valid() and attendance:
            d = form.cleaned_data
            try:
                n = meetings.meeting_update(meeting=meeting, date=d["date"], place=d["place"],
                                            content=d["content"], attendance=attendance,
                                            actor=request.user)
            except ApplicationError as exc:
                add_error_from(form, exc)
            else:
                messages.success(
                    request, _("Đã lưu cuộc họp ({n} thay đổi điểm danh).").format(n=n)
                )
                return redirect("members:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "members/meeting_form.html",
        {
            "unit": unit,
            "form": form,
            "rows": rows,
            "choices": ATTENDANCE_CHOICES,
            "title": _("{get_kind_display} ngày {date:%d/%m/%Y}").format(
                get_kind_display=meeting.get_kind_display(), date=meeting.date
            ),
            "meeting": meeting,
            "can_write": can_write,
        },
    )


# -- removal proposals ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def removal_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Đề nghị xóa tên of a branch; the branch reviews (generates) and decides them.

    `?ngay=dd/mm/yyyy` shows the review as of that day (X-10): who met the removal criteria
    then, and the proposals as they stood then; a proposal still open can be decided with that
    day as the decision's date. A wrong date answers 400 with the reason beside the field."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=WRITE if request.method == "POST" else READ)
    can_write = can_write_live_unit(scope, unit)
    if request.method == "GET":
        as_of, as_of_error = page_as_of(request)
        as_of_ctx: dict[str, object] = {"as_of": as_of, "as_of_error": as_of_error,
                     "as_of_raw": request.GET.get("ngay", "")[:40]}
        if as_of_error:
            return render(request, "members/dues_removals.html",
                          {"unit": unit, **as_of_ctx}, status=400)
        if as_of is not None:
            return _removal_review_on(request, unit, as_of, can_write, as_of_ctx)
    if request.method == "POST":
        if not can_write:
            raise Http404(_("Không tìm thấy đơn vị."))
        try:
            made = dues.removal_proposals_generate(branch=unit, actor=request.user)
        except (ApplicationError, MembersPolicy.DoesNotExist) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Đã rà soát: {count} đề nghị xóa tên mới.").format(count=len(made))
            )
        return redirect("members:removal_list", pk=unit.pk)
    return render(request, "members/dues_removals.html", {
        "unit": unit, "proposals": list(dues.removal_proposals(branch=unit)),
        "can_write": can_write, "form": DecisionForm(),
    })


def _removal_review_on(request: HttpRequest, unit: Unit, day: dt.date, can_write: bool,
                       as_of_ctx: dict[str, object]) -> HttpResponse:
    try:
        review = dues.removal_review_on(branch=unit, day=day)
    except MembersPolicy.DoesNotExist as exc:
        review, policy_error = None, str(exc)
    else:
        policy_error = ""
    proposals = []
    for p in dues.removal_proposals(branch=unit).filter(proposed_on__lte=day):
        decided_then = p.decided_on is not None and p.decided_on <= day
        proposals.append((p, decided_then))
    return render(request, "members/dues_removals.html", {
        "unit": unit, "review": review, "policy_error": policy_error,
        "proposals_then": proposals, "can_write": can_write, **as_of_ctx,
    })


@login_required
@require_POST
def removal_proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The branch decides a proposal, today or — from the review as of a day — on `ngay`."""
    proposal = proposal_get(scope=scope_of(request), pk=pk, perm=WRITE)
    branch = proposal.membership.branch
    form = DecisionForm(request.POST)
    approve = request.POST.get("approve") == "1"
    try:
        on = parse_date(request.POST.get("ngay"), field=_("ngày quyết định"))
    except ApplicationError as exc:
        # never decide on another day than the one asked for
        messages.error(request, str(exc))
        return redirect("members:removal_list", pk=branch.pk)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi quyết định hoặc số biên bản họp chi đoàn."))
    else:
        try:
            dues.removal_decide(proposal=proposal, approve=approve, on=on,
                                decision=form.cleaned_data["decision"], actor=request.user)
        except ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            name = proposal.membership.person.full_name
            messages.success(request, _("Đã xóa tên {name}.").format(name=name) if approve
                             else _("Chi đoàn không xóa tên {name}.").format(name=name))
    return redirect("members:removal_list", pk=branch.pk)
