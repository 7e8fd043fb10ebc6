"""Reads of field visits, each given the reader's Scope (see permissions)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from doanvu.common.dates import today
from doanvu.common.text import fold
from doanvu.org.models import Department, Unit
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


ORGANISATION_SYMBOL = "tckt"  # i18n: data (the department's symbol, folded)
ORGANISATION_WORDS = ("to chuc",)  # i18n: data (folded words of its name)


def organisation_department(unit: Unit) -> Department | None:
    """The unit's Ban Tổ chức – Kiểm tra, which the regime's plans and reports go to (seed 002
    §IV), found by its symbol TCKT or "Tổ chức" in its name; None when the agency has none."""
    for d in Department.objects.filter(unit=unit).order_by("pk"):
        if d.valid_to is not None and d.valid_to < today():
            continue
        name = fold(f"{d.name} {d.short_name}")
        if fold(d.short_name or "") == ORGANISATION_SYMBOL or all(
                w in name for w in ORGANISATION_WORDS):
            return d
    return None
