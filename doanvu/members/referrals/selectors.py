"""Reads of the "1+1" pages (X-3: 404 alike for missing and not yours)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.scope import READ, Scope
from doanvu.org.models import Unit

from ..models import Membership, Referral


def referral_get(*, scope: Scope, pk: object, perm: str = READ) -> Referral:
    """A referral made in a branch the scope reaches with `perm`."""
    try:
        referral_id = int(str(pk))
    except (TypeError, ValueError):
        referral_id = 0
    referral = (Referral.objects.filter(pk=referral_id).select_related("referrer__branch").first()
                if 0 < referral_id < 2**31 else None)
    if referral is None or not scope.can(perm, referral.referrer.branch):
        raise Http404(_("Không tìm thấy giới thiệu."))
    return referral


def branch_current_members(*, branch: Unit) -> QuerySet[Membership]:
    """The current members of a branch already reached through the scope, by name."""
    return (Membership.objects.filter(branch=branch, is_current=True).select_related("person")
            .order_by("name_folded", "id"))
