"""Reads of grants, always through a Scope (X-3)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from doanvu.common.dates import today

from .models import RoleGrant, User
from .permissions import ADMINISTER, can_manage_accounts, may_reset_second_factor
from .scope import Scope


def administering_scope(*, scope: Scope) -> Scope:
    """The scope, if it administers anything; the administration pages answer 404 otherwise
    (alike for a page that is missing and one that is not yours)."""
    if not can_manage_accounts(scope):
        raise Http404
    return scope


def grant_list(*, scope: Scope, include_ended: bool = False) -> QuerySet[RoleGrant]:
    """Grants on the units the scope administers, current ones unless `include_ended`."""
    qs = scope.filter(
        RoleGrant.objects.select_related("user", "role_type", "unit", "department"),
        ADMINISTER, via="unit__",
    ).order_by("unit__path", "role_type__name")
    if not include_ended:
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=today()))
    return qs


def grant_get(*, scope: Scope, pk: object, perm: str = ADMINISTER) -> RoleGrant:
    """One grant on a unit the scope reaches with `perm`; 404 alike for missing and not yours."""
    try:
        grant_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404 from None
    grant = (scope.filter(RoleGrant.objects.select_related("unit", "role_type"), perm,
                          via="unit__").filter(pk=grant_id).first())
    if grant is None:
        raise Http404
    return grant


def second_factor_reset_target(*, scope: Scope, pk: object) -> User:
    """A user whose second factor the scope may reset (`permissions.may_reset_second_factor`);
    404 alike for a user who does not exist and one out of reach."""
    try:
        user_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404 from None
    if not can_manage_accounts(scope) or user_id == scope.user_id:
        raise Http404
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    day = today()
    grants = [
        (g.role_type, g.unit) for g in
        RoleGrant.objects.filter(user=user, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("role_type", "unit")
    ]
    if not may_reset_second_factor(scope, grants, target_is_superuser=user.is_superuser):
        raise Http404
    return user
