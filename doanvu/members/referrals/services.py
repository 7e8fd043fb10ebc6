"""Recruitment "1+1" (MEM-9): each member introduces at least one young person.

A referral records who referred whom (name, birth date, phone), when, and the outcome; when the
young person is admitted, the new membership is linked. The share of members who referred at
least one young person in a year is computed per branch.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.audit.context import acting
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.phones import PhoneError, normalize_phone
from doanvu.common.text import clean_name
from doanvu.common.typing import Actor
from doanvu.org.models import Unit

from ..models import Membership, Referral, ReferralOutcome
from ..permissions import NOT_YOUR_UNIT, require_unit_write
from ..rating.services import ShareRow, branch_share


class ReferralError(ApplicationError):
    pass


@transaction.atomic
def referral_create(
    *,
    actor: Actor | None,
    referrer: Membership,
    full_name: str,
    referred_on: dt.date,
    birth_date: dt.date | None = None,
    phone: str = "",
) -> Referral:
    require_unit_write(actor=actor, unit=referrer.branch, message=str(NOT_YOUR_UNIT))
    name = clean_name(full_name, field="full_name", label=_("Họ tên thanh niên"),
                      error=ReferralError)
    if not name:
        raise ReferralError(_("Hãy nhập họ tên thanh niên được giới thiệu."), field="full_name")
    if referred_on > today():
        raise ReferralError(_("Ngày giới thiệu không thể ở tương lai."), field="referred_on")
    if not referrer.is_current and referrer.ended_on and referred_on > referrer.ended_on:
        raise ReferralError(
            _("{person} đã thôi sinh hoạt tại chi đoàn từ {ended_on:%d/%m/%Y}.").format(
                person=referrer.person, ended_on=referrer.ended_on
            ),
            field="referrer",
        )
    if referred_on < referrer.started_on:
        raise ReferralError(
            _("{person} chưa sinh hoạt tại chi đoàn vào ngày {referred_on:%d/%m/%Y}.").format(
                person=referrer.person, referred_on=referred_on
            ),
            field="referred_on",
        )
    if birth_date and birth_date >= referred_on:
        raise ReferralError(_("Ngày sinh phải trước ngày giới thiệu."), field="birth_date")
    try:
        phone = normalize_phone(phone)
    except PhoneError as exc:
        raise ReferralError(exc.message, field="phone") from None
    with acting(actor, reason=_("Giới thiệu thanh niên “1+1”: {name}").format(name=name)):
        return Referral.objects.create(
            referrer=referrer,
            full_name=name[:120],
            birth_date=birth_date,
            phone=phone,
            referred_on=referred_on,
        )


@transaction.atomic
def referral_set_outcome(
    *, actor: Actor | None, referral: Referral, outcome: str, admitted: Membership | None = None
) -> Referral:
    """Record the outcome; "admitted" links the new member's membership (required then)."""
    require_unit_write(actor=actor, unit=referral.referrer.branch, message=str(NOT_YOUR_UNIT))
    if outcome not in ReferralOutcome.values:
        raise ReferralError(_("Kết quả không hợp lệ."), field="outcome")
    if outcome == ReferralOutcome.ADMITTED:
        if admitted is None:
            raise ReferralError(
                _("Hãy chọn hồ sơ đoàn viên của thanh niên đã được kết nạp."), field="admitted"
            )
        if admitted.pk == referral.referrer_id:
            raise ReferralError(
                _("Người được kết nạp không thể là chính người giới thiệu."), field="admitted"
            )
        if admitted.joined_union_on < referral.referred_on:
            raise ReferralError(
                _(
                    "{person} vào Đoàn ngày {joined_union_on:%d/%m/%Y}, trước ngày được giới "
                    "thiệu: không phải kết quả của lần giới thiệu này."
                ).format(person=admitted.person, joined_union_on=admitted.joined_union_on),
                field="admitted",
            )
        taken = Referral.objects.filter(admitted_membership=admitted).exclude(pk=referral.pk)
        if taken.exists():
            raise ReferralError(
                _("{person} đã được ghi là kết quả của một lần giới thiệu khác.").format(
                    person=admitted.person
                ),
                field="admitted",
            )
    else:
        admitted = None
    label = ReferralOutcome(outcome).label
    with acting(
        actor,
        reason=_("Kết quả giới thiệu “1+1” {full_name}: {label}").format(
            full_name=referral.full_name, label=label
        ),
    ):
        referral.outcome = outcome
        referral.admitted_membership = admitted
        referral.save(update_fields=["outcome", "admitted_membership"])
    return referral


def referrals_of_branch(*, branch: Unit, year: int | None = None) -> list[Referral]:
    qs = Referral.objects.filter(referrer__branch=branch).select_related(
        "referrer__person", "admitted_membership__person"
    )
    if year:
        qs = qs.filter(referred_on__year=year)
    return list(qs.order_by("-referred_on", "-id"))


def referral_share(*, scope: Scope, unit: Unit, year: int) -> list[ShareRow]:
    """Per branch: members active in `year` and how many referred at least one young person
    that year (two grouped queries)."""
    return branch_share(
        scope=scope,
        unit=unit,
        year=year,
        counted=Referral.objects.filter(referred_on__year=year),
        counted_member_field="referrer_id",
    )
