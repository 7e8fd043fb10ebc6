"""Reads of the import pages (X-3: 404 alike for missing and not yours)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import Scope
from doanvu.org.models import Unit

from ..models import ImportJob

WRITE = PermissionKind.WRITE.value


def import_job_get(*, scope: Scope, pk: object, perm: str = WRITE) -> ImportJob:
    """An import job of a unit the scope reaches with `perm` (an import is read by those who
    may write to its unit: its report names persons)."""
    try:
        job_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404(_("Không tìm thấy lượt nhập.")) from None
    job = ImportJob.objects.select_related("unit", "unit__kind").filter(pk=job_id).first()
    if job is None or not scope.can(perm, job.unit):
        raise Http404(_("Không tìm thấy lượt nhập."))
    return job


def import_unit_get(*, scope: Scope, pk: object) -> Unit | None:
    """The live unit an import is asked for, if the scope writes on it; else None (the page
    asks to pick one)."""
    try:
        unit_id = int(str(pk))
    except (TypeError, ValueError):
        return None
    unit = (Unit.objects.select_related("kind").filter(pk=unit_id, dissolved_on__isnull=True)
            .first() if 0 < unit_id < 2**63 else None)
    return unit if unit is not None and scope.can(WRITE, unit) else None


def import_jobs_recent(*, user_id: int | None) -> QuerySet[ImportJob]:
    """The last ten imports the user started (theirs alone)."""
    return ImportJob.objects.filter(created_by_id=user_id).select_related("unit")[:10]


def template_branch_name(*, unit: Unit | None) -> str:
    """The branch the template's example row names: the unit itself when it is a branch, else
    its first live branch by name; "" without a unit (or one with no branch)."""
    if unit is None:
        return ""
    if unit.kind.is_branch:
        return unit.name
    branch = (Unit.objects.filter(path__startswith=unit.path, kind__is_branch=True,
                                  dissolved_on__isnull=True).order_by("name").only("name").first())
    return branch.name if branch is not None else ""
