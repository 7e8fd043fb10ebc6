"""Pages of the members core: list and search (X-2), member record and timeline (MEM-1, MEM-2),
admission, transfers (MEM-3), end of membership (MEM-2, MEM-6) and the cadre profile (MEM-12).

Every object comes through the Scope: 404 alike for missing and not yours.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import Scope, scope_of
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import add_error_from
from doanvu.common.text import fold
from doanvu.org import selectors as org_selectors
from doanvu.org.models import Person, Position, Unit
from doanvu.org.paths import STEP

from ..models import (
    CadreCourse,
    CadreStatus,
    Membership,
    MembersPolicy,
    MemberStatus,
    ProposalStatus,
    RemovalProposal,
    Transfer,
    TransferKind,
    TransferStatus,
)
from ..permissions import Access
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
    SearchTooBroad,
    member_access_get,
    member_history,
    member_list_page,
    member_person_get,
    memberships_in_scope,
    policy_for,
)

WRITE = PermissionKind.WRITE.value
PAGE_SIZE = 50
MAX_ID = 2**63


def _id(value: object) -> int | None:
    try:
        n = int(str(value))
    except (TypeError, ValueError):
        return None
    return n if 0 < n < MAX_ID else None


# -- reads of this module (always through the scope) -----------------------------------------------


def _unit_or_none(scope: Scope, raw: str) -> Unit | None:
    if _id(raw) is None:
        return None
    try:
        return org_selectors.unit_get(scope=scope, pk=raw)
    except Http404:
        return None


def _default_unit(scope: Scope) -> Unit | None:
    roots = org_selectors.tree_roots(scope=scope)
    if len(roots) != 1:
        return None
    return Unit.objects.select_related("kind").filter(pk=roots[0].id).first()


def _parse_after(raw: str) -> tuple[str, int] | None:
    """The keyset cursor `?sau=<name_folded>|<id>`; junk means the first page."""
    name, sep, last = raw.replace("\x00", "").rpartition("|")
    last_id = _id(last)
    if not sep or last_id is None:
        return None
    return name[:120], last_id


def member_rows(*, scope: Scope, unit: Unit | None, filters: dict[str, str],
                after: tuple[str, int] | None, limit: int = PAGE_SIZE,
                day: dt.date | None = None) -> tuple[list[Membership], bool]:
    """One keyset page of the members the scope reads, filtered, ordered by folded name
    (SearchTooBroad when neither search plan answers in time)."""
    return member_list_page(scope=scope, unit=unit, filters=filters, after=after, limit=limit,
                            day=day)


def sub_unit_counts(*, scope: Scope, unit: Unit) -> list[tuple[Any, int]]:
    """Current members per direct sub-unit the scope reads (one grouped query)."""
    children = org_selectors.tree_children(scope=scope, unit=unit)
    if not children:
        return []
    step = len(unit.path) + STEP
    counts = dict(
        memberships_in_scope(scope=scope)
        .filter(unit_path__startswith=unit.path, is_current=True, status=MemberStatus.ACTIVE)
        .annotate(child=Substr("unit_path", 1, step)).values_list("child")
        .annotate(n=Count("id")).values_list("child", "n")
    )
    return [(c, counts.get(c.path, 0)) for c in children]


def hosted_temporarily(*, scope: Scope, unit: Unit | None, day: dt.date) -> list[Transfer]:
    """Members from elsewhere living in the unit's branches for now (sinh hoạt tạm thời).

    They are counted at home only; here they are listed apart."""
    qs = scope.filter(Transfer.objects.all(), via="to_branch__").filter(
        kind=TransferKind.TEMPORARY, status=TransferStatus.ACCEPTED, until__gte=day)
    if unit is not None:
        qs = qs.filter(to_branch__path__startswith=unit.path)
    return list(qs.select_related("membership__person", "membership__branch", "to_branch")
                .order_by("membership__name_folded", "id")[:200])


# -- list and detail -------------------------------------------------------------------------------


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    filters = MemberFilterForm(request.GET).values()
    raw_unit = request.GET.get("don_vi", "").replace("\x00", "").strip()
    unit = _unit_or_none(scope, raw_unit) if raw_unit else _default_unit(scope)
    if raw_unit and unit is None:
        messages.error(request, "Không tìm thấy đơn vị đã chọn trong phạm vi của bạn.")
        unit = _default_unit(scope)
    after = _parse_after(request.GET.get("sau", ""))
    too_broad = ""
    try:
        rows, has_next = member_rows(scope=scope, unit=unit, filters=filters, after=after)
    except SearchTooBroad as exc:
        rows, has_next, too_broad = [], False, exc.message
    pending = dict(Transfer.objects.filter(membership__in=[m.pk for m in rows],
                                           status=TransferStatus.PENDING)
                   .values_list("membership_id", "to_branch__name")) if rows else {}
    next_query = ""
    if has_next and rows:
        params = QueryDict(mutable=True)
        for key in ("q", "trang_thai", "tuoi", "gioi_tinh"):
            if filters.get(key):
                params[key] = filters[key]
        if unit is not None:
            params["don_vi"] = str(unit.pk)
        params["sau"] = f"{rows[-1].name_folded}|{rows[-1].pk}"
        next_query = params.urlencode()
    day = today()
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
        "counts": sub_unit_counts(scope=scope, unit=unit) if unit else [],
        "hosted": hosted_temporarily(scope=scope, unit=unit, day=day) if after is None else [],
        "can_admit": unit is not None and unit.kind.is_branch and unit.dissolved_on is None
        and scope.can(WRITE, unit),
        "roots": org_selectors.tree_roots(scope=scope) if unit is None else [],
    }
    if request.htmx and request.htmx.target == "member-results":  # type: ignore[attr-defined]
        return render(request, "members/core_list.html#results", ctx)
    return render(request, "members/core_list.html", ctx)


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The member page. Through a membership that no longer governs the person (an earlier
    unit after a transfer), only that unit's own period shows, and no write action."""
    scope = scope_of(request)
    member, access = member_access_get(scope=scope, pk=pk)
    full = access is Access.FULL
    person = member.person
    history = member_history(member, access)
    transfers = history.transfers
    can_write = full and member.is_current and scope.can(WRITE, member.branch)
    day = today()
    try:
        policy: MembersPolicy | None = policy_for(unit=member.branch, day=day)
    except MembersPolicy.DoesNotExist:
        policy = None
    return render(request, "members/core_detail.html", {
        "m": member,
        "person": person,
        "full": full,
        "age": rules.age_on(person.birth_date, day) if person.birth_date else None,
        "memberships": history.memberships,
        "transfers": transfers,
        "pending": next((t for t in transfers if t.status == TransferStatus.PENDING
                         and t.membership_id == member.pk), None),
        "proposals": list(RemovalProposal.objects.filter(membership=member,
                                                         status=ProposalStatus.PROPOSED)),
        "statuses": history.statuses,
        "courses": history.courses,
        "positions": list(Position.objects.filter(person=person)
                          .select_related("unit", "department")) if full else [],
        "records": list(history.records[:100]),
        "can_write": can_write,
        "maturity_due": policy is not None and member.is_current and rules.maturity_due(
            birth_date=person.birth_date, on=day, holds_union_post=member.holds_union_post,
            policy=policy),
        "policy": policy,
        "today": day,
    })


# -- admission and the record ----------------------------------------------------------------------


def _writable_member(request: HttpRequest, pk: int) -> tuple[Scope, Membership]:
    """A member the user writes on, person included (person-level scope): an earlier unit's
    membership answers 404."""
    scope = scope_of(request)
    return scope, member_person_get(scope=scope, pk=pk, perm=WRITE)


def _form_page(request: HttpRequest, ctx: dict[str, Any]) -> HttpResponse:
    return render(request, "members/core_form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def member_admit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    branch = org_selectors.unit_get(scope=scope, pk=pk, perm=WRITE)
    if not branch.kind.is_branch:
        raise Http404("Chỉ kết nạp đoàn viên vào chi đoàn.")
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
            messages.success(request, f"Đã thêm đoàn viên {member.person.full_name}.")
            return redirect("members:member_detail", pk=member.pk)
    return _form_page(request, {
        "form": form, "title": f"Thêm đoàn viên vào {branch.name}", "submit": "Thêm đoàn viên",
        "back_url": f"{_list_url()}?don_vi={branch.pk}", "back_label": branch.name,
    })


def _list_url() -> str:
    from django.urls import reverse

    return reverse("members:member_list")


def _detail_url(member: Membership) -> str:
    from django.urls import reverse

    return reverse("members:member_detail", args=[member.pk])


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope, member = _writable_member(request, pk)
    if not member.is_current:
        messages.error(request, "Chỉ sửa hồ sơ khi đoàn viên đang sinh hoạt tại chi đoàn.")
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
            messages.success(request, "Đã cập nhật hồ sơ đoàn viên.")
            return redirect("members:member_detail", pk=member.pk)
    return _form_page(request, {
        "form": form, "title": f"Sửa hồ sơ: {p.full_name}", "submit": "Lưu",
        "back_url": _detail_url(member), "back_label": p.full_name,
    })


# -- transfers -------------------------------------------------------------------------------------


def _branch_choice(raw: object) -> Unit | None:
    branch_id = _id(raw)
    if branch_id is None:
        return None
    return (Unit.objects.select_related("kind", "parent")
            .filter(pk=branch_id, kind__is_branch=True, dissolved_on__isnull=True).first())


@login_required
def transfer_branch_pick(request: HttpRequest, pk: int) -> HttpResponse:
    """Branches anywhere in the country, by name or their parent's name (the receiver of a
    transfer may be outside the requester's scope); only for someone transferring a member."""
    scope, member = _writable_member(request, pk)
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    words = fold(q).split()[:5]
    nodes: list[Unit] = []
    if len(q) >= 2 and words:
        qs = (Unit.objects.filter(kind__is_branch=True, dissolved_on__isnull=True)
              .exclude(pk=member.branch_id))
        for w in words:
            qs = qs.filter(Q(name_folded__contains=w) | Q(parent__name_folded__contains=w))
        nodes = list(qs.select_related("parent").order_by("name_folded", "id")[:20])
    return render(request, "members/core_branch_pick.html", {"nodes": nodes, "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def transfer_request(request: HttpRequest, pk: int) -> HttpResponse:
    scope, member = _writable_member(request, pk)
    if not member.is_current:
        messages.error(request, "Đoàn viên không còn sinh hoạt tại chi đoàn này.")
        return redirect("members:member_detail", pk=member.pk)
    form = TransferRequestForm(request.POST or None, initial={"requested_on": today()})
    picked = _branch_choice(request.POST.get("to_branch")) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if picked is None:
            form.add_error("to_branch", "Không tìm thấy chi đoàn tiếp nhận đang hoạt động.")
        else:
            try:
                transfer = services.transfer_request(
                    actor=request.user, membership=member, to_branch=picked, kind=d["kind"],
                    requested_on=d["requested_on"], until=d["until"], reason=d["reason"])
            except ApplicationError as exc:
                add_error_from(form, exc)
            else:
                messages.success(request, f"Đã gửi đề nghị chuyển sinh hoạt đến "
                                          f"{transfer.to_branch.name}; chờ tiếp nhận.")
                return redirect("members:member_detail", pk=member.pk)
    errors = list(form.errors.get("to_branch", [])) if form.is_bound else []
    return _form_page(request, {
        "form": form, "title": f"Chuyển sinh hoạt Đoàn: {member.person.full_name}",
        "submit": "Gửi đề nghị", "back_url": _detail_url(member),
        "back_label": member.person.full_name,
        "branch_pick": {"member": member, "errors": errors, "value": picked},
        "pick_field": "to_branch",
    })


@login_required
def unit_transfers(request: HttpRequest, pk: int) -> HttpResponse:
    """Chờ tiếp nhận (incoming), đề nghị chuyển đi (outgoing) and members here for now."""
    scope = scope_of(request)
    unit = org_selectors.unit_get(scope=scope, pk=pk)
    related = ("membership__person", "membership__branch", "to_branch")
    incoming = list(scope.filter(Transfer.objects.all(), via="to_branch__")
                    .filter(to_branch__path__startswith=unit.path, status=TransferStatus.PENDING)
                    .select_related(*related)[:200])
    outgoing = list(scope.filter(Transfer.objects.all(), path_field="membership__unit_path",
                                 id_field="membership__branch_id")
                    .filter(membership__unit_path__startswith=unit.path,
                            status=TransferStatus.PENDING)
                    .select_related(*related)[:200])
    return render(request, "members/core_transfers.html", {
        "unit": unit,
        "incoming": [(t, scope.can(WRITE, t.to_branch)) for t in incoming],
        "outgoing": [(t, scope.can(WRITE, t.membership.branch)) for t in outgoing],
        "hosted": hosted_temporarily(scope=scope, unit=unit, day=today()),
    })


def _transfer_for(request: HttpRequest, pk: int, side: str) -> Transfer:
    """The transfer if the user writes on the receiving side, the sending side, or either."""
    scope = scope_of(request)
    transfer_id = _id(pk)
    if transfer_id is None:
        raise Http404("Không tìm thấy đề nghị chuyển sinh hoạt.")
    receiving = scope.q(WRITE, via="to_branch__")
    sending = scope.q(WRITE, path_field="membership__unit_path", id_field="membership__branch_id")
    cond = {"to": receiving, "from": sending, "either": receiving | sending}[side]
    transfer = (Transfer.objects.filter(cond).filter(pk=transfer_id)
                .select_related("membership__person", "membership__branch", "to_branch",
                                "to_branch__kind").first())
    if transfer is None:
        raise Http404("Không tìm thấy đề nghị chuyển sinh hoạt.")
    return transfer


def _transfer_action(request: HttpRequest, pk: int, *, action: str) -> HttpResponse:
    side = {"accept": "to", "refuse": "to", "cancel": "from", "end": "either"}[action]
    transfer = _transfer_for(request, pk, side)
    titles = {"accept": "Tiếp nhận", "refuse": "Từ chối tiếp nhận", "cancel": "Hủy đề nghị",
              "end": "Kết thúc sinh hoạt tạm thời"}
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
            messages.success(request, f"{titles[action]}: đã ghi nhận.")
            unit = transfer.membership.branch if action == "cancel" else transfer.to_branch
            return redirect("members:unit_transfers", pk=unit.pk)
    person = transfer.membership.person
    return _form_page(request, {
        "form": form, "title": f"{titles[action]}: {person.full_name}",
        "submit": titles[action], "danger": action in {"refuse", "cancel"},
        "transfer": transfer,
        "back_url": _transfers_url(transfer.to_branch if side != "from"
                                   else transfer.membership.branch),
        "back_label": "Chuyển sinh hoạt",
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
    "mature": ("Trưởng thành Đoàn", False, False),
    "remove": ("Xóa tên", False, True),
    "expel": ("Khai trừ", True, True),
    "deceased": ("Đã mất", False, False),
}


def _end_action(request: HttpRequest, pk: int, *, action: str) -> HttpResponse:
    scope, member = _writable_member(request, pk)
    title, decision_required, reason_required = _END[action]
    if not member.is_current:
        messages.error(request, "Đoàn viên không còn sinh hoạt tại chi đoàn này.")
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
            messages.success(request, f"{title}: đã ghi nhận.")
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
    scope, member = _writable_member(request, pk)
    proposal_id = _id(item)
    proposal = (RemovalProposal.objects.filter(pk=proposal_id, membership=member).first()
                if proposal_id else None)
    if proposal is None:
        raise Http404("Không tìm thấy đề nghị xóa tên.")
    form = ProposalDecisionForm(request.POST or None, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.removal_proposal_decide(actor=request.user, proposal=proposal,
                                             approve=d["approve"], on=d["on"],
                                             decision=d["decision"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, "Đã ghi quyết định của chi đoàn.")
            return redirect("members:member_detail", pk=member.pk)
    return _form_page(request, {
        "form": form, "title": f"Đề nghị xóa tên: {member.person.full_name}",
        "lead": proposal.reason, "submit": "Ghi quyết định", "back_url": _detail_url(member),
        "back_label": member.person.full_name,
    })


# -- cadre profile ---------------------------------------------------------------------------------


def _person_of(member: Membership) -> Person:
    return member.person


@login_required
@require_http_methods(["GET", "POST"])
def cadre_status_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope, member = _writable_member(request, pk)
    form = CadreStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.cadre_status_add(actor=request.user, person=_person_of(member),
                                      kind=d["kind"], start_date=d["start_date"],
                                      end_date=d["end_date"], note=d["note"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, "Đã ghi trạng thái cán bộ.")
            return redirect("members:member_detail", pk=member.pk)
    return _form_page(request, {
        "form": form, "title": f"Trạng thái cán bộ: {member.person.full_name}",
        "submit": "Ghi", "back_url": _detail_url(member), "back_label": member.person.full_name,
    })


@login_required
@require_http_methods(["GET", "POST"])
def cadre_status_end(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    scope, member = _writable_member(request, pk)
    item_id = _id(item)
    status = (CadreStatus.objects.filter(pk=item_id, person_id=member.person_id).first()
              if item_id else None)
    if status is None:
        raise Http404("Không tìm thấy trạng thái.")
    form = EndDateForm(request.POST or None, initial={"end_date": today()})
    del form.fields["certificate"]
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_status_end(actor=request.user, status=status,
                                      end_date=form.cleaned_data["end_date"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, "Đã kết thúc trạng thái.")
            return redirect("members:member_detail", pk=member.pk)
    return _form_page(request, {
        "form": form, "title": f"Kết thúc: {status.get_kind_display()}", "submit": "Kết thúc",
        "back_url": _detail_url(member), "back_label": member.person.full_name,
    })


@login_required
@require_http_methods(["GET", "POST"])
def cadre_course_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope, member = _writable_member(request, pk)
    form = CadreCourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.cadre_course_add(actor=request.user, person=_person_of(member),
                                      name=d["name"], organiser=d["organiser"],
                                      start_date=d["start_date"], end_date=d["end_date"],
                                      certificate=d["certificate"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, "Đã ghi khóa bồi dưỡng.")
            return redirect("members:member_detail", pk=member.pk)
    return _form_page(request, {
        "form": form, "title": f"Khóa bồi dưỡng: {member.person.full_name}", "submit": "Ghi",
        "back_url": _detail_url(member), "back_label": member.person.full_name,
    })


@login_required
@require_http_methods(["GET", "POST"])
def cadre_course_end(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    scope, member = _writable_member(request, pk)
    item_id = _id(item)
    course = (CadreCourse.objects.filter(pk=item_id, person_id=member.person_id).first()
              if item_id else None)
    if course is None:
        raise Http404("Không tìm thấy khóa học.")
    form = EndDateForm(request.POST or None, initial={"end_date": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.cadre_course_end(actor=request.user, course=course,
                                      end_date=d["end_date"], certificate=d["certificate"])
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, "Đã ghi kết thúc khóa học.")
            return redirect("members:member_detail", pk=member.pk)
    return _form_page(request, {
        "form": form, "title": f"Kết thúc khóa học: {course.name}", "submit": "Lưu",
        "back_url": _detail_url(member), "back_label": member.person.full_name,
    })
