"""accounts' side of the tree's changes (org.signals): roles on a unit end with the unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _

from doanvu.org.models import Unit
from doanvu.org.signals import merge_attached, unit_ended

from .models import RoleGrant


@receiver(unit_ended)
def _end_grants(sender: Any, unit: Unit, on: dt.date, **kwargs: Any) -> None:
    """Roles held on a unit end the day before it stops existing (audited, like any change)."""
    for grant in RoleGrant.objects.filter(unit=unit, end_date__isnull=True):
        grant.end_date = max(on - dt.timedelta(days=1), grant.start_date)
        grant.save(update_fields=["end_date"])


@receiver(merge_attached)
def _grants_to_end(sender: Any, units: Sequence[Unit], **kwargs: Any) -> dict[str, int]:
    count = RoleGrant.objects.filter(unit__in=units, end_date__isnull=True).count()
    return {_("phân quyền (sẽ kết thúc)"): count}
