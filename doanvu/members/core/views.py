"""Pages of the members core: list and search (X-2), member record and timeline (MEM-1, MEM-2),
admission, transfers (MEM-3), end of membership (MEM-2, MEM-6) and the cadre profile (MEM-12).

Every object comes through the Scope: 404 alike for missing and not yours.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import scope_of
from doanvu.audit.presentation import present
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import add_error_from, form_submit
from doanvu.common.search import search_query
from doanvu.common.views import page_as_of
from doanvu.org import selectors as org_selectors
from doanvu.org.models import Person, Unit

from .. import permissions
from ..models import (
    Membership,
    MembersPolicy,
    TransferStatus,
)
from ..permissions import Access
from ..rating import review
from . import rules, services
from .forms import (
    CadreCourseForm,
    CadreStatusForm,
    DecisionForm,
    EndDateForm,
    EndMembershipForm,
    MemberFilterForm,
    MemberForm,
    ProposalDecisionForm,
    TransferRequestForm,
)
from .selectors import (
    FIELDS_ON_RECORD,
    SUB_UNITS_SHOWN,
    SearchTooBroad,
    branch_get,
    cadre_course_get,
    cadre_status_get,
    default_unit,
    hosted_temporarily,
    list_unit,
    member_access_get,
    member_history,
    member_person_get,
    member_rows,
    member_state_on,
    open_branch_get,
    open_branches_search,
    parse_cursor,
    pending_transfer_targets,
    policy_for,
    positions_of,
    removal_proposal_get,
    removal_proposals_open,
    sub_unit_count,
    sub_unit_counts,
    transfer_get,
    transfers_pending,
    unit_get,
)

WRITE = PermissionKind.WRITE.value

# -- list and detail -------------------------------------------------------------------------------


@login_required
@require_safe
def member_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    filters = MemberFilterForm(request.GET).values()
    raw_unit = request.GET.get("don_vi", "").replace("\x00", "").strip()
    unit = list_unit(scope=scope, raw=raw_unit) if raw_unit else default_unit(scope=scope)
    if raw_unit and unit is None:
        messages.error(request, _("Không tìm thấy đơn vị đã chọn trong phạm vi của bạn."))
        unit = default_unit(scope=scope)
    after = parse_cursor(request.GET.get("sau", ""))
    too_broad = ""
    try:
        rows, has_next = member_rows(scope=scope, unit=unit, filters=filters, after=after)
    except SearchTooBroad as exc:
        rows, has_next, too_broad = [], False, str(exc.message)
    pending = pending_transfer_targets(members=rows)
    next_query = ""
    if has_next and rows:
        params = QueryDict(_filters_query(filters, unit), mutable=True)
        params["sau"] = f"{rows[-1].name_folded}|{rows[-1].pk}"
        next_query = params.urlencode()
    day = today()
    # The panel of counts per sub-unit: on the first page, the first SUB_UNITS_SHOWN of them.
    counts = (sub_unit_counts(scope=scope, unit=unit, limit=SUB_UNITS_SHOWN)
              if unit is not None and after is None else [])
    more_sub_units = (sub_unit_count(scope=scope, unit=unit) - len(counts)
                      if unit is not None and len(counts) == SUB_UNITS_SHOWN else 0)
    ctx = {
        "unit": unit,
        "ancestors": org_selectors.unit_ancestors(scope=scope, unit=unit) if unit else [],
        "filters": filters,
        "form": MemberFilterForm(initial=filters),
        "rows": [(m, pending.get(m.pk)) for m in rows],
        "has_next": has_next,
        "too_broad": too_broad,
        "next_query": next_query,
        "paged": after is not None,
        "counts": counts,
        "more_sub_units": more_sub_units,
        "hosted": hosted_temporarily(scope=scope, unit=unit, day=day) if after is None else [],
        "can_admit": permissions.can_admit_to(scope, unit),
        "can_import": permissions.can_import_to(scope, unit),
        "can_export": permissions.can_export_members(scope, unit),
        "export_query": _filters_query(filters, unit),
        "roots": org_selectors.tree_roots(scope=scope) if unit is None else [],
    }
    if request.htmx and request.htmx.target == "member-results":  # type: ignore[attr-defined]
        return render(request, "members/core_list.html#results", ctx)
    return render(request, "members/core_list.html", ctx)


def _filters_query(filters: dict[str, str], unit: Unit | None) -> str:
    """The list's filters as a query string: the next page and the .xlsx export keep them."""
    params = QueryDict(mutable=True)
    for key in ("q", "trang_thai", "tuoi", "gioi_tinh"):
        if filters.get(key):
            params[key] = filters[key]
    if unit is not None:
        params["don_vi"] = str(unit.pk)
    return params.urlencode()


@login_required
@require_safe
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The member page. Through a membership that no longer governs the person (an earlier
    unit after a transfer), only that unit's own period shows, and no write action.

    `?ngay=dd/mm/yyyy` shows the member as they stood that day (X-10): status, branch, posts,
    cadre statuses, the record's fields and the history up to then, read only. A date that is
    not one (31/02/2020) or not yet come answers 400 with the reason beside the date field."""
    scope = scope_of(request)
    member, access = member_access_get(scope=scope, pk=pk)
    as_of, as_of_error = page_as_of(request)
    as_of_ctx = {"as_of": as_of, "as_of_error": as_of_error,
                 "as_of_raw": request.GET.get("ngay", "")[:40]}
    if as_of_error:
        return render(request, "members/core_detail.html",
                      {"m": member, "person": member.person, **as_of_ctx}, status=400)
    full = access is Access.FULL
    person = member.person
    history = member_history(member, access)
    day = as_of or today()
    positions = positions_of(person=person) if full else []
    state = (member_state_on(member=member, history=history, day=as_of, positions=positions)
             if as_of else None)
    branch_then = state.membership.branch if state and state.membership else member.branch
    try:
        policy: MembersPolicy | None = policy_for(unit=branch_then, day=day)
    except MembersPolicy.DoesNotExist:
        policy = None
    if state is None:
        shown = {"status": member.get_status_display(), "branch": member.branch.name,
                 "active": member.is_current,
                 **{name: getattr(member, name) for name in FIELDS_ON_RECORD}}
        transfers, memberships = history.transfers, history.memberships
        statuses, courses, records = history.statuses, history.courses, history.records
        pending = next((t for t in transfers if t.status == TransferStatus.PENDING
                        and t.membership_id == member.pk), None)
        proposals = removal_proposals_open(membership=member)
        can_write = permissions.can_write_member(scope, member, access)
    else:
        shown = {"status": state.status, "branch": state.branch_name, "active": state.active,
                 **state.fields}
        transfers, memberships = state.transfers, state.memberships
        statuses, courses, positions = state.statuses, state.courses, state.positions
        records = history.records.filter(at__date__lte=as_of)
        pending = state.pending
        proposals = (removal_proposals_open(membership=state.membership, day=as_of)
                     if state.membership is not None else [])
        can_write = False  # the past is read only
    return render(request, "members/core_detail.html", {
        "m": member,
        "person": person,
        "full": full,
        "shown": shown,
        "state": state,
        **as_of_ctx,
        "age": rules.age_on(person.birth_date, day) if person.birth_date else None,
        "memberships": memberships,
        "transfers": transfers,
        "pending": pending,
        "proposals": proposals,
        "statuses": statuses,
        "courses": courses,
        "positions": positions,
        "records": present(list(records[:100]),
                           may_name=org_selectors.audit_namer(scope=scope)),
        "can_write": can_write,
        "maturity_due": policy is not None and bool(shown["active"]) and rules.maturity_due(
            birth_date=person.birth_date, on=day,
            holds_union_post=bool(shown["holds_union_post"]), policy=policy),
        "policy": policy,
        "today": today(),
        "review_year": day.year,
        # FV-8: sections of the cadre's self-review and rating criteria from modules above
        "review_sections": review.sections_for(scope=scope, person=person, year=day.year)
        if full else [],
    })


# -- admission and the record ----------------------------------------------------------------------


def _form_page(request: HttpRequest, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "members/core_form.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def member_admit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    branch = branch_get(scope=scope, pk=pk, perm=WRITE)
    form = MemberForm(request.POST or None, initial={"joined_union_on": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            member = services.member_admit(
                actor=request.user, branch=branch, person=services.PersonInput.from_data(d),
                joined_union_on=d["joined_union_on"], card_number=d["card_number"],
                has_salary=d["has_salary"], pays_quarterly=d["pays_quarterly"],
                holds_union_post=d["holds_union_post"], reason=d["reason"],
            )
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(
                request,
                _("Đã thêm đoàn viên {full_name}.").format(full_name=member.person.full_name),
            )
            return redirect("members:member_detail", pk=member.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Thêm đoàn viên vào {name}").format(name=branch.name),
            "submit": _("Thêm đoàn viên"),
            "back_url": f"{_list_url()}?don_vi={branch.pk}",
            "back_label": branch.name,
        },
    )


def _list_url() -> str:
    from django.urls import reverse

    return reverse("members:member_list")


def _detail_url(member: Membership) -> str:
    from django.urls import reverse

    return reverse("members:member_detail", args=[member.pk])


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_person_get(scope=scope_of(request), pk=pk, perm=WRITE)
    if not member.is_current:
        messages.error(request, _("Chỉ sửa hồ sơ khi đoàn viên đang sinh hoạt tại chi đoàn."))
        return redirect("members:member_detail", pk=member.pk)
    p = member.person
    initial = {name: getattr(p, name) for name in services.PERSON_FIELDS}
    initial.update(cccd=p.cccd or "", joined_union_on=member.joined_union_on,
                   card_number=member.card_number, has_salary=member.has_salary,
                   pays_quarterly=member.pays_quarterly, holds_union_post=member.holds_union_post)
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.member_update(
                actor=request.user, membership=member, person=services.PersonInput.from_data(d),
                joined_union_on=d["joined_union_on"], card_number=d["card_number"],
                has_salary=d["has_salary"], pays_quarterly=d["pays_quarterly"],
                holds_union_post=d["holds_union_post"], reason=d["reason"],
            )
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, _("Đã cập nhật hồ sơ đoàn viên."))
            return redirect("members:member_detail", pk=member.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Sửa hồ sơ: {full_name}").format(full_name=p.full_name),
            "submit": _("Lưu"),
            "back_url": _detail_url(member),
            "back_label": p.full_name,
        },
    )


# -- transfers -------------------------------------------------------------------------------------


@login_required
@require_safe
def transfer_branch_pick(request: HttpRequest, pk: int) -> HttpResponse:
    """Branches anywhere in the country, by name or their parent's name (the receiver of a
    transfer may be outside the requester's scope); only for someone transferring a member."""
    member = member_person_get(scope=scope_of(request), pk=pk, perm=WRITE)
    q = search_query(request.GET.get("q"))
    nodes = open_branches_search(q=q, exclude=member.branch_id)
    return render(request, "members/core_branch_pick.html", {"nodes": nodes, "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def transfer_request(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_person_get(scope=scope_of(request), pk=pk, perm=WRITE)
    if not member.is_current:
        messages.error(request, _("Đoàn viên không còn sinh hoạt tại chi đoàn này."))
        return redirect("members:member_detail", pk=member.pk)
    form = TransferRequestForm(request.POST or None, initial={"requested_on": today()})
    picked = open_branch_get(pk=request.POST.get("to_branch")) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if picked is None:
            form.add_error("to_branch", _("Không tìm thấy chi đoàn tiếp nhận đang hoạt động."))
        else:
            try:
                transfer = services.transfer_request(
                    actor=request.user, membership=member, to_branch=picked, kind=d["kind"],
                    requested_on=d["requested_on"], until=d["until"], reason=d["reason"])
            except ApplicationError as exc:
                add_error_from(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã gửi đề nghị chuyển sinh hoạt đến {name}; chờ tiếp nhận.").format(
                        name=transfer.to_branch.name
                    ),
                )
                return redirect("members:member_detail", pk=member.pk)
    errors = list(form.errors.get("to_branch", [])) if form.is_bound else []
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Chuyển sinh hoạt Đoàn: {full_name}").format(
                full_name=member.person.full_name
            ),
            "submit": _("Gửi đề nghị"),
            "back_url": _detail_url(member),
            "back_label": member.person.full_name,
            "branch_pick": {"member": member, "errors": errors, "value": picked},
            "pick_field": "to_branch",
        },
    )


@login_required
@require_safe
def unit_transfers(request: HttpRequest, pk: int) -> HttpResponse:
    """Chờ tiếp nhận (incoming), đề nghị chuyển đi (outgoing) and members here for now."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk)
    incoming, outgoing = transfers_pending(scope=scope, unit=unit)
    return render(request, "members/core_transfers.html", {
        "unit": unit,
        "incoming": [(t, permissions.can_write_unit(scope, t.to_branch)) for t in incoming],
        "outgoing": [(t, permissions.can_write_unit(scope, t.membership.branch))
                     for t in outgoing],
        "hosted": hosted_temporarily(scope=scope, unit=unit, day=today()),
    })


def _transfer_action(request: HttpRequest, pk: int, *, action: str) -> HttpResponse:
    side = {"accept": "to", "refuse": "to", "cancel": "from", "end": "either"}[action]
    transfer = transfer_get(scope=scope_of(request), pk=pk, perm=WRITE, side=side)
    titles = {
        "accept": _("Tiếp nhận"),
        "refuse": _("Từ chối tiếp nhận"),
        "cancel": _("Hủy đề nghị"),
        "end": _("Kết thúc sinh hoạt tạm thời"),
    }
    form = DecisionForm(request.POST or None, initial={"on": today()},
                        note_required=action == "refuse")
    if action == "cancel":
        del form.fields["on"]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if action == "accept":
                services.transfer_accept(actor=request.user, transfer=transfer, on=d["on"],
                                         note=d["note"])
            elif action == "refuse":
                services.transfer_refuse(actor=request.user, transfer=transfer, on=d["on"],
                                         note=d["note"])
            elif action == "cancel":
                services.transfer_cancel(actor=request.user, transfer=transfer, note=d["note"])
            else:
                services.transfer_end(actor=request.user, transfer=transfer, on=d["on"],
                                      note=d["note"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, _("{value}: đã ghi nhận.").format(value=titles[action]))
            unit = transfer.membership.branch if action == "cancel" else transfer.to_branch
            return redirect("members:unit_transfers", pk=unit.pk)
    person = transfer.membership.person
    return _form_page(request, {
        "form": form, "title": f"{titles[action]}: {person.full_name}",
        "submit": titles[action], "danger": action in {"refuse", "cancel"},
        "transfer": transfer,
        "back_url": _transfers_url(transfer.to_branch if side != "from"
                                   else transfer.membership.branch),
        "back_label": _("Chuyển sinh hoạt"),
    })


def _transfers_url(unit: Unit) -> str:
    from django.urls import reverse

    return reverse("members:unit_transfers", args=[unit.pk])


@login_required
@require_http_methods(["GET", "POST"])
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _transfer_action(request, pk, action="accept")


@login_required
@require_http_methods(["GET", "POST"])
def transfer_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _transfer_action(request, pk, action="refuse")


@login_required
@require_http_methods(["GET", "POST"])
def transfer_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _transfer_action(request, pk, action="cancel")


@login_required
@require_http_methods(["GET", "POST"])
def transfer_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _transfer_action(request, pk, action="end")


# -- end of membership -----------------------------------------------------------------------------

_END = {
    "mature": (gettext_lazy("Trưởng thành Đoàn"), False, False),
    "remove": (gettext_lazy("Xóa tên"), False, True),
    "expel": (gettext_lazy("Khai trừ"), True, True),
    "deceased": (gettext_lazy("Đã mất"), False, False),
}


def _end_action(request: HttpRequest, pk: int, *, action: str) -> HttpResponse:
    member = member_person_get(scope=scope_of(request), pk=pk, perm=WRITE)
    title, decision_required, reason_required = _END[action]
    if not member.is_current:
        messages.error(request, _("Đoàn viên không còn sinh hoạt tại chi đoàn này."))
        return redirect("members:member_detail", pk=member.pk)
    form = EndMembershipForm(request.POST or None, initial={"on": today()},
                             decision_required=decision_required,
                             reason_required=reason_required)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if action == "mature":
                services.member_mature(actor=request.user, membership=member, on=d["on"],
                                       reason=d["reason"])
            elif action == "remove":
                services.member_remove(actor=request.user, membership=member, on=d["on"],
                                       reason=d["reason"])
            elif action == "expel":
                services.member_expel(actor=request.user, membership=member, on=d["on"],
                                      decision=d["decision"], reason=d["reason"])
            else:
                services.member_deceased(actor=request.user, membership=member, on=d["on"],
                                         reason=d["reason"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, _("{title}: đã ghi nhận.").format(title=title))
            return redirect("members:member_detail", pk=member.pk)
    return _form_page(request, {
        "form": form, "title": f"{title}: {member.person.full_name}", "submit": title,
        "danger": action != "mature", "back_url": _detail_url(member),
        "back_label": member.person.full_name,
    })


@login_required
@require_http_methods(["GET", "POST"])
def member_mature(request: HttpRequest, pk: int) -> HttpResponse:
    return _end_action(request, pk, action="mature")


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _end_action(request, pk, action="remove")


@login_required
@require_http_methods(["GET", "POST"])
def member_expel(request: HttpRequest, pk: int) -> HttpResponse:
    return _end_action(request, pk, action="expel")


@login_required
@require_http_methods(["GET", "POST"])
def member_deceased(request: HttpRequest, pk: int) -> HttpResponse:
    return _end_action(request, pk, action="deceased")


@login_required
@require_http_methods(["GET", "POST"])
def removal_decide(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    member, proposal = removal_proposal_get(scope=scope_of(request), pk=item, member=pk,
                                            perm=WRITE)
    # `?ngay=` (from the removal review as of a day) is the decision's date to start from; a
    # wrong one is shown beside the date field, never replaced by today
    raw_day = request.GET.get("ngay", "").replace("\x00", "").strip()[:40]
    as_of, as_of_error = page_as_of(request) if raw_day else (None, "")
    form = ProposalDecisionForm(request.POST or None,
                                initial={"on": raw_day if as_of_error else (as_of or today())})
    if as_of_error and not form.is_bound:
        form.cleaned_data = {}
        form.errors  # noqa: B018 - an unbound form's errors start empty; the date's is added
        form.add_error("on", as_of_error)
    done = form_submit(request, form, lambda d: services.removal_proposal_decide(
        actor=request.user, proposal=proposal, approve=d["approve"], on=d["on"],
        decision=d["decision"]),
        success=_("Đã ghi quyết định của chi đoàn."), redirect_to=_detail_url(member))
    if done:
        return done
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Đề nghị xóa tên: {full_name}").format(full_name=member.person.full_name),
            "lead": proposal.reason,
            "submit": _("Ghi quyết định"),
            "back_url": _detail_url(member),
            "back_label": member.person.full_name,
        },
        status=400 if as_of_error and not form.is_bound else 200,
    )


# -- cadre profile ---------------------------------------------------------------------------------


def _person_of(member: Membership) -> Person:
    return member.person


@login_required
@require_http_methods(["GET", "POST"])
def cadre_status_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_person_get(scope=scope_of(request), pk=pk, perm=WRITE)
    form = CadreStatusForm(request.POST or None)
    done = form_submit(request, form, lambda d: services.cadre_status_add(
        actor=request.user, person=_person_of(member), kind=d["kind"],
        start_date=d["start_date"], end_date=d["end_date"], note=d["note"]),
        success=_("Đã ghi trạng thái cán bộ."), redirect_to=_detail_url(member))
    if done:
        return done
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Trạng thái cán bộ: {full_name}").format(full_name=member.person.full_name),
            "submit": "Ghi",
            "back_url": _detail_url(member),
            "back_label": member.person.full_name,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cadre_status_end(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    member, status = cadre_status_get(scope=scope_of(request), pk=item, member=pk, perm=WRITE)
    form = EndDateForm(request.POST or None, initial={"end_date": today()})
    del form.fields["certificate"]
    done = form_submit(request, form, lambda d: services.cadre_status_end(
        actor=request.user, status=status, end_date=d["end_date"]),
        success=_("Đã kết thúc trạng thái."), redirect_to=_detail_url(member))
    if done:
        return done
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Kết thúc: {get_kind_display}").format(
                get_kind_display=status.get_kind_display()
            ),
            "submit": _("Kết thúc"),
            "back_url": _detail_url(member),
            "back_label": member.person.full_name,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cadre_course_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_person_get(scope=scope_of(request), pk=pk, perm=WRITE)
    form = CadreCourseForm(request.POST or None)
    done = form_submit(request, form, lambda d: services.cadre_course_add(
        actor=request.user, person=_person_of(member), name=d["name"],
        organiser=d["organiser"], start_date=d["start_date"], end_date=d["end_date"],
        certificate=d["certificate"]),
        success=_("Đã ghi khóa bồi dưỡng."), redirect_to=_detail_url(member))
    if done:
        return done
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Khóa bồi dưỡng: {full_name}").format(full_name=member.person.full_name),
            "submit": "Ghi",
            "back_url": _detail_url(member),
            "back_label": member.person.full_name,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cadre_course_end(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    member, course = cadre_course_get(scope=scope_of(request), pk=item, member=pk, perm=WRITE)
    form = EndDateForm(request.POST or None, initial={"end_date": today()})
    done = form_submit(request, form, lambda d: services.cadre_course_end(
        actor=request.user, course=course, end_date=d["end_date"],
        certificate=d["certificate"]),
        success=_("Đã ghi kết thúc khóa học."), redirect_to=_detail_url(member))
    if done:
        return done
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Kết thúc khóa học: {name}").format(name=course.name),
            "submit": _("Lưu"),
            "back_url": _detail_url(member),
            "back_label": member.person.full_name,
        },
    )
