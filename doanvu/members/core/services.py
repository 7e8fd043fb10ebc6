"""Every write of the members core (MEM-1, MEM-2, MEM-3, MEM-6 decision, MEM-12).

Each service checks the actor's scope itself (person-level scope, members.permissions): a write
on a person needs WRITE on the unit governing them, whatever view or task calls it; a `None`
actor is the system.

Keyword-only, atomic, raising ApplicationError subclasses with Vietnamese messages that name
the field. Audit records are written by the audit signals; the reason of a step is passed
through doanvu.audit.context.acting so the member's timeline says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.audit.context import acting
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.phones import PhoneError, normalize_phone
from doanvu.common.text import clean_name, fold, nfc, strip_hidden
from doanvu.common.typing import Actor
from doanvu.org.models import Person, Unit

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
from ..permissions import require_person_write, require_unit_write
from . import rules
from .selectors import policy_for


class MemberError(ApplicationError):
    """A members rule refused the change."""


class AdmissionError(MemberError):
    pass


class TransferError(MemberError):
    pass


class LifecycleError(MemberError):
    pass


class CadreError(MemberError):
    pass


@dataclass
class PersonInput:
    """The personal record (MEM-1) as a form gives it."""

    full_name: str
    birth_date: dt.date | None
    gender: str = ""
    cccd: str = ""
    phone: str = ""
    email: str = ""
    ethnicity: str = ""
    religion: str = ""
    hometown: str = ""
    address: str = ""
    education_level: str = ""
    political_theory: str = ""
    party_member: bool = False
    party_joined_on: dt.date | None = None
    occupation: str = ""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> PersonInput:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


PERSON_FIELDS = [f.name for f in fields(PersonInput)]

NOT_YOUR_BRANCH = gettext_lazy("Chi đoàn này không thuộc phạm vi bạn được cập nhật.")
NOT_YOUR_TRANSFER = gettext_lazy(
    "Đề nghị chuyển sinh hoạt này không thuộc phạm vi bạn được quyết định."
)


# -- helpers -----------------------------------------------------------------------------------


def membership_denormalise(membership: Membership) -> None:
    """Copy the branch path and the person's folded name, birth date and gender onto the
    membership."""
    membership.unit_path = membership.branch.path
    membership.name_folded = membership.person.name_folded or fold(membership.person.full_name)
    membership.birth_date = membership.person.birth_date
    membership.gender = membership.person.gender


def person_sync_memberships(*, person: Person) -> int:
    """Keep the folded name, birth date and gender of every membership of `person` in step."""
    return Membership.objects.filter(person=person).exclude(
        name_folded=person.name_folded, birth_date=person.birth_date, gender=person.gender
    ).update(name_folded=person.name_folded, birth_date=person.birth_date, gender=person.gender)


def _clean_person(data: PersonInput, *, exclude_person: Person | None = None) -> PersonInput:
    data.full_name = clean_name(data.full_name, field="full_name", label=_("Họ và tên"),
                                error=MemberError)
    if not data.full_name:
        raise MemberError(_("Hãy nhập họ và tên."), field="full_name")
    for name in ("phone", "ethnicity", "religion", "hometown", "address", "occupation"):
        setattr(data, name, strip_hidden(getattr(data, name) or ""))
    try:
        data.phone = normalize_phone(data.phone)
    except PhoneError as exc:
        raise MemberError(exc.message, field="phone") from None
    if data.birth_date and data.birth_date > today():
        raise MemberError(_("Ngày sinh không thể ở tương lai."), field="birth_date")
    if data.cccd:
        try:
            data.cccd = rules.validate_cccd(data.cccd, birth_date=data.birth_date,
                                            gender=data.gender)
        except rules.RuleError as exc:
            raise MemberError(
                _("Số CCCD: {message}").format(message=exc.message), field="cccd"
            ) from None
        clash = Person.objects.filter(cccd=data.cccd)
        if exclude_person is not None:
            clash = clash.exclude(pk=exclude_person.pk)
        other = clash.first()
        if other is not None and exclude_person is not None:
            raise MemberError(
                _("Số CCCD {cccd} đã thuộc về {full_name}.").format(
                    cccd=data.cccd, full_name=other.full_name
                ),
                field="cccd",
            )
    if data.party_joined_on and not data.party_member:
        data.party_member = True
    if data.party_joined_on and data.birth_date and data.party_joined_on <= data.birth_date:
        raise MemberError(_("Ngày vào Đảng phải sau ngày sinh."), field="party_joined_on")
    return data


def _apply_person(person: Person, data: PersonInput) -> list[str]:
    changed = []
    for name in PERSON_FIELDS:
        value: object = getattr(data, name)
        if name == "cccd":
            value = value or None
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed.append(name)
    return changed


def _require_active_branch(branch: Unit, day: dt.date, *, field: str | None = None,
                           error: type[MemberError] = MemberError) -> None:
    if not branch.kind.is_branch:
        raise error(
            _(
                "{name} không phải chi đoàn, chi đoàn cơ sở hay phân đoàn: đoàn viên chỉ sinh hoạt "
                "tại chi đoàn."
            ).format(name=branch.name),
            field=field,
        )
    if not branch.is_active_on(day):
        raise error(
            _("{name} không hoạt động vào ngày {day:%d/%m/%Y}.").format(name=branch.name, day=day),
            field=field,
        )


def _policy(unit: Unit, day: dt.date) -> MembersPolicy:
    try:
        return policy_for(unit=unit, day=day)
    except MembersPolicy.DoesNotExist as exc:
        raise MemberError(str(exc)) from None


def _lock_current(membership: Membership) -> Membership:
    """Re-read the membership under a row lock; refuse if it is no longer current."""
    fresh = (Membership.objects.select_for_update().select_related("person", "branch",
                                                                      "branch__kind")
             .get(pk=membership.pk))
    if not fresh.is_current or fresh.status != MemberStatus.ACTIVE:
        raise LifecycleError(
            _("{full_name} không còn sinh hoạt tại {name} ({lower}).").format(
                full_name=fresh.person.full_name,
                name=fresh.branch.name,
                lower=fresh.get_status_display().lower(),
            )
        )
    return fresh


# -- admission and the personal record (MEM-1, MEM-2) ----------------------------------------------


@transaction.atomic
def member_admit(*, actor: Actor | None, branch: Unit, person: PersonInput,
                 joined_union_on: dt.date, card_number: str = "", has_salary: bool = False,
                 pays_quarterly: bool = False,
                 holds_union_post: bool = False, started_on: dt.date | None = None,
                 reason: str = "") -> Membership:
    """Kết nạp (or record) a member of `branch`: a new person, or the one with this CCCD."""
    if joined_union_on > today():
        raise AdmissionError(_("Ngày vào Đoàn không thể ở tương lai."), field="joined_union_on")
    started = started_on or joined_union_on
    if started < joined_union_on:
        raise AdmissionError(_("Ngày sinh hoạt tại chi đoàn phải từ ngày vào Đoàn trở đi."),
                             field="started_on")
    require_unit_write(actor=actor, unit=branch, message=str(NOT_YOUR_BRANCH))
    _require_active_branch(branch, started, error=AdmissionError)
    data = _clean_person(person)
    policy = _policy(branch, joined_union_on)
    try:
        rules.check_admission_age(birth_date=data.birth_date, on=joined_union_on, policy=policy)
    except rules.RuleError as exc:
        raise AdmissionError(exc.message, field=exc.field) from None

    existing = (Person.objects.select_for_update().filter(cccd=data.cccd).first()
                if data.cccd else None)
    if existing is not None:
        # Re-admitting a known person updates their record: only where the actor governs them.
        # The refusal names nothing about a person outside scope.
        require_person_write(actor=actor, persons=[existing], field="cccd")
        current = (Membership.objects.filter(person=existing, is_current=True)
                   .select_related("branch").first())
        if current is not None:
            raise AdmissionError(
                _(
                    "{full_name} (CCCD {cccd}) đang sinh hoạt tại {name}; hãy làm thủ tục chuyển "
                    "sinh hoạt Đoàn."
                ).format(full_name=existing.full_name, cccd=data.cccd, name=current.branch.name),
                field="cccd",
            )
        if fold(existing.full_name) != fold(data.full_name):
            raise AdmissionError(
                _("Số CCCD {cccd} đã thuộc về {full_name}.").format(
                    cccd=data.cccd, full_name=existing.full_name
                ),
                field="cccd",
            )
    with acting(actor, reason=reason or _("Kết nạp vào {name}").format(name=branch.name)):
        if existing is None:
            record = Person()
            _apply_person(record, data)
            record.save()
        else:
            record = existing
            changed = _apply_person(record, data)
            if changed:
                record.save()
        membership = Membership(
            person=record, branch=branch, joined_union_on=joined_union_on,
            card_number=nfc(card_number), started_on=started, has_salary=has_salary,
            pays_quarterly=pays_quarterly, holds_union_post=holds_union_post,
        )
        membership_denormalise(membership)
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:
            raise AdmissionError(
                _("{full_name} đã là đoàn viên đang sinh hoạt ở chi đoàn khác.").format(
                    full_name=record.full_name
                ),
                field="cccd",
            ) from None
        person_sync_memberships(person=record)
    return membership


@transaction.atomic
def member_update(*, actor: Actor | None, membership: Membership, person: PersonInput,
                  joined_union_on: dt.date, card_number: str = "", has_salary: bool = False,
                  pays_quarterly: bool = False, holds_union_post: bool = False,
                  reason: str = "") -> Membership:
    """Correct the personal record and the membership details (MEM-1)."""
    fresh = _lock_current(membership)
    require_person_write(actor=actor, persons=[fresh.person_id])
    record = Person.objects.select_for_update().get(pk=fresh.person_id)
    data = _clean_person(person, exclude_person=record)
    if joined_union_on > today():
        raise MemberError(_("Ngày vào Đoàn không thể ở tương lai."), field="joined_union_on")
    if data.birth_date and joined_union_on <= data.birth_date:
        raise MemberError(_("Ngày vào Đoàn phải sau ngày sinh."), field="joined_union_on")
    with acting(actor, reason=reason or _("Cập nhật hồ sơ đoàn viên")):
        if _apply_person(record, data):
            record.save()
        updates: dict[str, object] = {
            "joined_union_on": joined_union_on, "card_number": nfc(card_number),
            "has_salary": has_salary, "pays_quarterly": pays_quarterly,
            "holds_union_post": holds_union_post,
        }
        changed = [k for k, v in updates.items() if getattr(fresh, k) != v]
        for k in changed:
            setattr(fresh, k, updates[k])
        if changed:
            fresh.save(update_fields=changed)
        person_sync_memberships(person=record)
    fresh.refresh_from_db()
    return fresh


# -- transfers (MEM-3) -----------------------------------------------------------------------------


@transaction.atomic
def transfer_request(*, actor: Actor | None, membership: Membership, to_branch: Unit, kind: str,
                     requested_on: dt.date, until: dt.date | None = None,
                     reason: str = "") -> Transfer:
    """Chuyển sinh hoạt Đoàn (official or temporary) to any active branch in the country.

    The member stays current at the sending branch until the receiving branch accepts, so they
    are counted once and both sides see the transfer.
    """
    fresh = _lock_current(membership)
    require_person_write(actor=actor, persons=[fresh.person_id])
    if kind not in TransferKind.values:
        raise TransferError(_("Hãy chọn hình thức chuyển sinh hoạt."), field="kind")
    if requested_on > today():
        raise TransferError(_("Ngày đề nghị không thể ở tương lai."), field="requested_on")
    if requested_on < fresh.started_on:
        raise TransferError(_("Ngày đề nghị phải từ ngày bắt đầu sinh hoạt tại chi đoàn."),
                            field="requested_on")
    _require_active_branch(to_branch, requested_on, field="to_branch", error=TransferError)
    if to_branch.pk == fresh.branch_id:
        raise TransferError(_("Chi đoàn tiếp nhận phải khác chi đoàn đang sinh hoạt."),
                            field="to_branch")
    if kind == TransferKind.TEMPORARY:
        if until is None:
            raise TransferError(_("Sinh hoạt tạm thời cần ngày kết thúc."), field="until")
        if until <= requested_on:
            raise TransferError(_("Ngày kết thúc phải sau ngày đề nghị."), field="until")
    else:
        until = None
    pending = Transfer.objects.filter(membership=fresh, status=TransferStatus.PENDING).first()
    if pending is not None:
        raise TransferError(
            _(
                "Đã có đề nghị chuyển đến {name} đang chờ tiếp nhận; hãy hủy đề nghị đó trước."
            ).format(name=pending.to_branch.name)
        )
    with acting(
        actor, reason=reason or _("Đề nghị chuyển sinh hoạt đến {name}").format(name=to_branch.name)
    ):
        return Transfer.objects.create(
            membership=fresh, to_branch=to_branch, kind=kind, requested_on=requested_on,
            until=until, reason=nfc(reason),
            requested_by_id=actor.pk if actor is not None else None,
        )


def _lock_pending(transfer: Transfer) -> Transfer:
    fresh = (Transfer.objects.select_for_update()
             .select_related("membership", "membership__person", "membership__branch",
                             "to_branch", "to_branch__kind")
             .get(pk=transfer.pk))
    if fresh.status != TransferStatus.PENDING:
        raise TransferError(
            _("Đề nghị này đã ở trạng thái “{get_status_display}”.").format(
                get_status_display=fresh.get_status_display()
            )
        )
    return fresh


@transaction.atomic
def transfer_accept(*, actor: Actor | None, transfer: Transfer, on: dt.date,
                    note: str = "") -> Transfer:
    """The receiving branch confirms. Official: the old membership closes (đã chuyển đi) and a
    new current one opens at the receiver, in one transaction. Temporary: the member stays at
    home and appears in the host branch's list until `until`."""
    fresh = _lock_pending(transfer)
    require_unit_write(actor=actor, unit=fresh.to_branch, message=str(NOT_YOUR_TRANSFER))
    if on > today():
        raise TransferError(_("Ngày tiếp nhận không thể ở tương lai."), field="on")
    if on < fresh.requested_on:
        raise TransferError(_("Ngày tiếp nhận phải từ ngày đề nghị trở đi."), field="on")
    old = _lock_current(fresh.membership)
    _require_active_branch(fresh.to_branch, on, error=TransferError)
    with acting(actor, reason=note or _("{name} tiếp nhận").format(name=fresh.to_branch.name)):
        if fresh.kind == TransferKind.OFFICIAL:
            old.is_current = False
            old.status = MemberStatus.TRANSFERRED
            old.ended_on = on
            old.end_reason = _("Chuyển sinh hoạt đến {name}").format(name=fresh.to_branch.name)[
                :255
            ]
            old.save(update_fields=["is_current", "status", "ended_on", "end_reason"])
            new = Membership(
                person=old.person, branch=fresh.to_branch, joined_union_on=old.joined_union_on,
                card_number=old.card_number, started_on=on, has_salary=old.has_salary,
                pays_quarterly=False, holds_union_post=False,
            )
            membership_denormalise(new)
            new.save()
            fresh.new_membership = new
        fresh.status = TransferStatus.ACCEPTED
        fresh.decided_on = on
        fresh.decided_by_id = actor.pk if actor is not None else None
        fresh.decision_note = nfc(note)[:255]
        fresh.save(update_fields=["status", "decided_on", "decided_by", "decision_note",
                                  "new_membership"])
    return fresh


@transaction.atomic
def transfer_refuse(*, actor: Actor | None, transfer: Transfer, on: dt.date, note: str) -> Transfer:
    """The receiving branch refuses: the member stays where they were."""
    fresh = _lock_pending(transfer)
    require_unit_write(actor=actor, unit=fresh.to_branch, message=str(NOT_YOUR_TRANSFER))
    note = nfc(note)
    if not note:
        raise TransferError(_("Hãy ghi lý do từ chối."), field="note")
    if on < fresh.requested_on:
        raise TransferError(_("Ngày từ chối phải từ ngày đề nghị trở đi."), field="on")
    with acting(
        actor, reason=_("{name} từ chối: {note}").format(name=fresh.to_branch.name, note=note)
    ):
        fresh.status = TransferStatus.REFUSED
        fresh.decided_on = on
        fresh.decided_by_id = actor.pk if actor is not None else None
        fresh.decision_note = note[:255]
        fresh.save(update_fields=["status", "decided_on", "decided_by", "decision_note"])
    return fresh


@transaction.atomic
def transfer_cancel(*, actor: Actor | None, transfer: Transfer, note: str = "") -> Transfer:
    """The sending branch withdraws a pending request."""
    fresh = _lock_pending(transfer)
    require_unit_write(actor=actor, unit=fresh.membership.branch, message=str(NOT_YOUR_TRANSFER))
    with acting(actor, reason=note or _("Hủy đề nghị chuyển sinh hoạt")):
        fresh.status = TransferStatus.CANCELLED
        fresh.decided_on = today()
        fresh.decision_note = nfc(note)[:255]
        fresh.save(update_fields=["status", "decided_on", "decision_note"])
    return fresh


@transaction.atomic
def transfer_end(*, actor: Actor | None, transfer: Transfer, on: dt.date,
                 note: str = "") -> Transfer:
    """A temporary stay ends early (the member comes home)."""
    fresh = (Transfer.objects.select_for_update().select_related("membership__branch",
                                                                   "to_branch")
             .get(pk=transfer.pk))
    require_unit_write(actor=actor, unit=(fresh.to_branch, fresh.membership.branch),
                       message=str(NOT_YOUR_TRANSFER))
    if fresh.kind != TransferKind.TEMPORARY or fresh.status != TransferStatus.ACCEPTED:
        raise TransferError(_("Chỉ kết thúc được sinh hoạt tạm thời đã được tiếp nhận."))
    if fresh.decided_on and on < fresh.decided_on:
        raise TransferError(_("Ngày kết thúc phải từ ngày tiếp nhận trở đi."), field="on")
    with acting(actor, reason=note or _("Kết thúc sinh hoạt tạm thời")):
        fresh.status = TransferStatus.ENDED
        fresh.until = on
        fresh.save(update_fields=["status", "until"])
    return fresh


# -- end of membership (MEM-2, MEM-6) --------------------------------------------------------------


def _close(*, actor: Actor | None, membership: Membership, status: str, on: dt.date,
           reason: str) -> Membership:
    fresh = _lock_current(membership)
    require_person_write(actor=actor, persons=[fresh.person_id])
    if on > today():
        raise LifecycleError(_("Ngày không thể ở tương lai."), field="on")
    if on < fresh.started_on:
        raise LifecycleError(_("Ngày phải từ ngày bắt đầu sinh hoạt tại chi đoàn trở đi."),
                             field="on")
    with acting(actor, reason=reason):
        for t in Transfer.objects.select_for_update().filter(membership=fresh,
                                                             status=TransferStatus.PENDING):
            t.status = TransferStatus.CANCELLED
            t.decided_on = on
            t.decision_note = _("Hủy do đoàn viên thôi sinh hoạt")
            t.save(update_fields=["status", "decided_on", "decision_note"])
        for t in Transfer.objects.select_for_update().filter(
            membership=fresh, status=TransferStatus.ACCEPTED, kind=TransferKind.TEMPORARY
        ):
            t.status = TransferStatus.ENDED
            t.until = on
            t.save(update_fields=["status", "until"])
        fresh.is_current = False
        fresh.status = status
        fresh.ended_on = on
        fresh.end_reason = reason[:255]
        fresh.save(update_fields=["is_current", "status", "ended_on", "end_reason"])
    return fresh


@transaction.atomic
def member_mature(*, actor: Actor | None, membership: Membership, on: dt.date,
                  reason: str = "") -> Membership:
    """Trưởng thành Đoàn: from the policy's maturity age on."""
    policy = _policy(membership.branch, on)
    try:
        rules.check_can_mature(birth_date=membership.person.birth_date, on=on, policy=policy)
    except rules.RuleError as exc:
        raise LifecycleError(exc.message, field=exc.field) from None
    return _close(actor=actor, membership=membership, status=MemberStatus.MATURED, on=on,
                  reason=nfc(reason) or _("Trưởng thành Đoàn"))


@transaction.atomic
def member_remove(*, actor: Actor | None, membership: Membership, on: dt.date, reason: str = "",
                  proposal: RemovalProposal | None = None) -> Membership:
    """Xóa tên: from an approved proposal, or by a direct decision with its reason."""
    reason = nfc(reason)
    if proposal is not None:
        if proposal.membership_id != membership.pk or proposal.status != ProposalStatus.APPROVED:
            raise LifecycleError(_("Đề nghị xóa tên chưa được chi đoàn đồng ý."))
        reason = reason or _("Xóa tên theo đề nghị: {reason}; {decision}").format(
            reason=proposal.reason, decision=proposal.decision
        )
    if not reason:
        raise LifecycleError(_("Hãy ghi lý do xóa tên (biên bản, quyết định)."), field="reason")
    return _close(actor=actor, membership=membership, status=MemberStatus.REMOVED, on=on,
                  reason=reason)


@transaction.atomic
def removal_proposal_decide(*, actor: Actor | None, proposal: RemovalProposal, approve: bool,
                            on: dt.date, decision: str) -> RemovalProposal:
    """The branch decides a proposal (MEM-6): approve removes the member, reject keeps them."""
    fresh = (RemovalProposal.objects.select_for_update().select_related("membership",
                                                                        "membership__person")
             .get(pk=proposal.pk))
    require_person_write(actor=actor, persons=[fresh.membership.person_id])
    if fresh.status != ProposalStatus.PROPOSED:
        raise LifecycleError(
            _("Đề nghị này đã được quyết định ({get_status_display}).").format(
                get_status_display=fresh.get_status_display()
            )
        )
    decision = nfc(decision)
    if not decision:
        raise LifecycleError(_("Hãy ghi quyết định hoặc biên bản họp chi đoàn."), field="decision")
    if on < fresh.proposed_on or on > today():
        raise LifecycleError(_("Ngày quyết định phải từ ngày đề nghị đến hôm nay."), field="on")
    with acting(actor, reason=decision):
        fresh.status = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
        fresh.decided_on = on
        fresh.decision = decision[:255]
        fresh.decided_by_id = actor.pk if actor is not None else None
        fresh.save(update_fields=["status", "decided_on", "decision", "decided_by"])
    if approve:
        member_remove(actor=actor, membership=fresh.membership, on=on, proposal=fresh)
    return fresh


@transaction.atomic
def member_expel(*, actor: Actor | None, membership: Membership, on: dt.date, decision: str,
                 reason: str) -> Membership:
    """Khai trừ, with the number of the disciplinary decision."""
    decision, reason = nfc(decision), nfc(reason)
    if not decision:
        raise LifecycleError(_("Hãy ghi số quyết định kỷ luật khai trừ."), field="decision")
    if not reason:
        raise LifecycleError(_("Hãy ghi lý do khai trừ."), field="reason")
    return _close(
        actor=actor,
        membership=membership,
        status=MemberStatus.EXPELLED,
        on=on,
        reason=_("Quyết định {decision}: {reason}").format(decision=decision, reason=reason),
    )


@transaction.atomic
def member_deceased(*, actor: Actor | None, membership: Membership, on: dt.date,
                    reason: str = "") -> Membership:
    return _close(actor=actor, membership=membership, status=MemberStatus.DECEASED, on=on,
                  reason=nfc(reason) or _("Đoàn viên đã mất"))


# -- cadres (MEM-12) -------------------------------------------------------------------------------


def _check_dates(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise CadreError(_("Ngày kết thúc phải từ ngày bắt đầu trở đi."), field="end_date")


@transaction.atomic
def cadre_status_add(*, actor: Actor | None, person: Person, kind: str, start_date: dt.date,
                     end_date: dt.date | None = None, note: str = "") -> CadreStatus:
    from ..models import CadreStatusKind

    require_person_write(actor=actor, persons=[person])
    if kind not in CadreStatusKind.values:
        raise CadreError(_("Hãy chọn loại trạng thái."), field="kind")
    _check_dates(start_date, end_date)
    overlapping = CadreStatus.objects.filter(person=person, kind=kind, start_date__lte=(
        end_date or dt.date.max)).exclude(end_date__lt=start_date)
    if overlapping.exists():
        raise CadreError(_("Trạng thái này trùng thời gian với một trạng thái cùng loại đã ghi."),
                         field="start_date")
    with acting(actor, reason=note or _("Ghi trạng thái cán bộ")):
        return CadreStatus.objects.create(person=person, kind=kind, start_date=start_date,
                                          end_date=end_date, note=nfc(note)[:255])


@transaction.atomic
def cadre_status_end(*, actor: Actor | None, status: CadreStatus, end_date: dt.date) -> CadreStatus:
    fresh = CadreStatus.objects.select_for_update().get(pk=status.pk)
    require_person_write(actor=actor, persons=[fresh.person_id])
    if fresh.end_date is not None and fresh.end_date <= today():
        raise CadreError(_("Trạng thái này đã kết thúc."))
    _check_dates(fresh.start_date, end_date)
    with acting(actor, reason=_("Kết thúc trạng thái cán bộ")):
        fresh.end_date = end_date
        fresh.save(update_fields=["end_date"])
    return fresh


@transaction.atomic
def cadre_course_add(*, actor: Actor | None, person: Person, name: str, start_date: dt.date,
                     end_date: dt.date | None = None, organiser: str = "",
                     certificate: str = "") -> CadreCourse:
    require_person_write(actor=actor, persons=[person])
    name = nfc(name)
    if not name:
        raise CadreError(_("Hãy nhập tên khóa học."), field="name")
    _check_dates(start_date, end_date)
    with acting(actor, reason=_("Ghi khóa bồi dưỡng cán bộ")):
        return CadreCourse.objects.create(person=person, name=name[:255], start_date=start_date,
                                          end_date=end_date, organiser=nfc(organiser)[:200],
                                          certificate=nfc(certificate)[:200])


@transaction.atomic
def cadre_course_end(*, actor: Actor | None, course: CadreCourse, end_date: dt.date,
                     certificate: str = "") -> CadreCourse:
    fresh = CadreCourse.objects.select_for_update().get(pk=course.pk)
    require_person_write(actor=actor, persons=[fresh.person_id])
    _check_dates(fresh.start_date, end_date)
    with acting(actor, reason=_("Kết thúc khóa bồi dưỡng")):
        fresh.end_date = end_date
        updates = ["end_date"]
        if certificate:
            fresh.certificate = nfc(certificate)[:200]
            updates.append("certificate")
        fresh.save(update_fields=updates)
    return fresh
