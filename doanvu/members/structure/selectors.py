"""Reads of the branch structure pages (X-3: 404 alike for missing and not yours)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import Scope
from doanvu.org.models import Unit

from ..core.selectors import branch_get

ADMIN = PermissionKind.ADMINISTER.value


def merge_pair_get(*, scope: Scope, pk: object, target: object) -> tuple[Unit, Unit]:
    """A live branch whose parent the scope administers, and the live branch (another one,
    administered too) that would receive it."""
    branch = branch_get(scope=scope, pk=pk)
    if branch.parent is None or not scope.can(ADMIN, branch.parent) or branch.dissolved_on:
        raise Http404(_("Không tìm thấy chi đoàn."))
    receiver = branch_get(scope=scope, pk=target, perm=ADMIN)
    if receiver.pk == branch.pk or receiver.dissolved_on:
        raise Http404(_("Không tìm thấy chi đoàn tiếp nhận."))
    return branch, receiver
