"""Reads of field visits, each given the reader's Scope (see permissions)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from doanvu.org.models import Unit
from doanvu.org.selectors import nearest_issued

from .models import FieldVisitPolicy


def policy_for(*, unit: Unit, day: dt.date) -> FieldVisitPolicy | None:
    """The field-visit regime in force for `unit` on `day`: its own or its nearest ancestor's
    record valid then (the latest issued wins among one issuer's)."""
    records = (FieldVisitPolicy.objects
               .filter(valid_from__lte=day)
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
               .order_by("valid_from", "id"))
    found: FieldVisitPolicy | None = nearest_issued(unit=unit, records=records,
                                                    unit_field="issuing_unit_id")
    return found
