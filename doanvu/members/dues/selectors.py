"""Reads of the dues and meetings pages: one `<entity>_get(*, scope, pk, perm)` per entity, 404
alike for missing and not yours (X-3)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, Scope

from ..models import Meeting, RemovalProposal

WRITE = PermissionKind.WRITE.value


def _id(pk: object) -> int | None:
    try:
        n = int(str(pk))
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**63 else None


def meeting_get(*, scope: Scope, pk: object, perm: str = READ) -> Meeting:
    """A meeting of a unit the scope reaches with `perm`."""
    meeting_id = _id(pk)
    meeting = (Meeting.objects.select_related("unit", "unit__kind", "unit__parent")
               .filter(pk=meeting_id).first() if meeting_id else None)
    if meeting is None or not scope.can(perm, meeting.unit):
        raise Http404(_("Không tìm thấy cuộc họp."))
    return meeting


def proposal_get(*, scope: Scope, pk: object, perm: str = READ) -> RemovalProposal:
    """A removal proposal of a branch the scope reaches with `perm` (WRITE: a live branch)."""
    proposal_id = _id(pk)
    proposal = (RemovalProposal.objects.select_related("membership__branch", "membership__person")
                .filter(pk=proposal_id).first() if proposal_id else None)
    if proposal is None:
        raise Http404(_("Không tìm thấy đề nghị."))
    branch = proposal.membership.branch
    if not scope.can(perm, branch) or (perm == WRITE and branch.dissolved_on is not None):
        raise Http404(_("Không tìm thấy đề nghị."))
    return proposal
