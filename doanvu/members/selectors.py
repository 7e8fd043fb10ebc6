"""Reads of members, always through a Scope (X-3). Other modules read members only here."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from doanvu.accounts.scope import READ, Scope
from doanvu.common.dates import today
from doanvu.common.text import fold
from doanvu.org.models import Unit
from doanvu.org.selectors import nearest_issued

from .models import Membership, MembersPolicy, MemberStatus


def memberships_in_scope(*, scope: Scope, perm: str = READ) -> QuerySet[Membership]:
    """Memberships of the branches the scope reaches with `perm` (no join: unit_path)."""
    return scope.filter(
        Membership.objects.all(), perm, path_field="unit_path", id_field="branch_id"
    )


def membership_get(*, scope: Scope, pk: object, perm: str = READ) -> Membership:
    """404 alike for missing and not yours."""
    try:
        member_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy đoàn viên.") from None
    member = (
        memberships_in_scope(scope=scope, perm=perm)
        .select_related("person", "branch", "branch__kind")
        .filter(pk=member_id)
        .first()
    )
    if member is None:
        raise Http404("Không tìm thấy đoàn viên.")
    return member


def policy_for(*, unit: Unit, day: dt.date) -> MembersPolicy:
    """The members policy in force for `unit` on `day`: the nearest ancestor's record.

    The demo issues one at the root; a province may issue its own. Without any, pages say so.
    """
    records = (MembersPolicy.objects.filter(valid_from__lte=day)
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("valid_from"))
    policy: MembersPolicy | None = nearest_issued(unit=unit, records=records,
                                                  unit_field="issuing_unit_id")
    if policy is not None:
        return policy
    raise MembersPolicy.DoesNotExist(
        f"Chưa có quy định đoàn vụ áp dụng cho {unit.name} tại ngày {day:%d/%m/%Y}."
    )


def member_filter(*, scope: Scope, unit: Unit | None, filters: dict[str, str],
                  day: dt.date | None = None) -> QuerySet[Membership]:
    """The members list's filters (X-2, MEM-13), ordered by (name_folded, id) for keyset pages:
    the list page, its export and the benchmarks all read members through this one function."""
    from . import rules

    qs: QuerySet[Membership] = memberships_in_scope(scope=scope)
    if unit is not None:
        qs = qs.filter(unit_path__startswith=unit.path)
    status = filters.get("trang_thai", "")
    if status == "":
        qs = qs.filter(is_current=True, status=MemberStatus.ACTIVE)
    elif status in MemberStatus.values:
        qs = qs.filter(status=status)
    q = filters.get("q", "")
    if q:
        digits = q.replace(" ", "").replace(".", "")
        if digits.isascii() and digits.isdigit():
            qs = qs.filter(Q(person__cccd__startswith=digits) | Q(person__phone__startswith=digits))
        else:
            for word in fold(q).split()[:6]:
                qs = qs.filter(name_folded__contains=word)
    band = rules.AGE_BANDS.get(filters.get("tuoi", ""))
    if band is not None:
        earliest, latest = rules.birth_range_for_ages(day or today(), band[1], band[2])
        qs = qs.filter(birth_date__lte=latest)
        if earliest is not None:
            qs = qs.filter(birth_date__gt=earliest)
    if filters.get("gioi_tinh"):
        qs = qs.filter(person__gender=filters["gioi_tinh"])
    return qs.order_by("name_folded", "id")
