from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditRecord


def audit_for_object(*, model: str, pk: object,
                     unit_id: int | None = None) -> QuerySet[AuditRecord]:
    """History panel of one object: its own records, and for a unit those of what it holds."""
    qs = AuditRecord.objects.filter(model=model, object_pk=str(pk))
    if unit_id is not None:
        qs = AuditRecord.objects.filter(unit_id=unit_id) | qs
    return qs.order_by("-id")

