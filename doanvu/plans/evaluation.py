"""PLAN-3 → REM-3: the year's count of directives issued with less than the lead time, shown on
the unit's monthly evaluation page (seed 004's shortcoming 2, which the evaluation follows)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from doanvu.org.models import Unit
from doanvu.remediation.facts import Fact

from .selectors import lead_time_count


def lead_time_facts(*, unit: Unit, year: int) -> list[Fact]:
    count = lead_time_count(unit, year)
    if not count.total:
        return []
    return [Fact(
        label=_("Văn bản chỉ đạo cấp dưới ban hành không bảo đảm thời gian"),
        value=_("%(n)d/%(total)d văn bản") % {"n": count.not_in_time, "total": count.total},
        note=_("%(exceptions)d văn bản khẩn theo chỉ đạo cấp trên (ngoại lệ), %(short)d văn bản "
               "thiếu thời gian, %(in_time)d văn bản đúng thời gian") % {
            "exceptions": count.exceptions, "short": count.short, "in_time": count.in_time},
        url=reverse("plans:directives", args=[unit.pk]) + f"?nam={year}",
    )]
