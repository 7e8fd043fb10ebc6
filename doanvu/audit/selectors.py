from __future__ import annotations

from django.db.models import QuerySet

from doanvu.accounts.scope import Scope

from .models import AuditRecord


def audit_for_object(*, model: str, pk: object,
                     unit_id: int | None = None) -> QuerySet[AuditRecord]:
    """History panel of one object: its own records, and for a unit those of what it holds."""
    qs = AuditRecord.objects.filter(model=model, object_pk=str(pk))
    if unit_id is not None:
        qs = AuditRecord.objects.filter(unit_id=unit_id) | qs
    return qs.order_by("-id")


def audit_list(*, scope: Scope, perm: str) -> QuerySet[AuditRecord]:
    """Records of the units the scope administers (via their current unit)."""
    from doanvu.org.models import Unit

    if scope.is_superuser:
        return AuditRecord.objects.order_by("-id")
    unit_ids = scope.filter(Unit.objects.all(), perm).values("pk")
    return AuditRecord.objects.filter(unit_id__in=unit_ids).order_by("-id")
