"""The plans' panel of a unit's dashboard (HUB-5): its plans' tasks past their deadline and not
done (PLAN-2). Registered in the AppConfig; the hub never imports it."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.common.periods import Period
from doanvu.hub.dashboard import Panel
from doanvu.org.models import Unit

from . import permissions, selectors

SHOWN = 10


def late_tasks_panel(*, scope: Scope, unit: Unit, period: Period, as_of: dt.date) -> Panel | None:
    if not permissions.can_read(scope, unit):
        return None
    late = selectors.late_tasks(unit=unit, on=as_of)
    if not late:
        return None
    body = render_to_string("plans/_late_panel.html", {
        "tasks": late[:SHOWN], "more": len(late) - SHOWN, "as_of": as_of})
    return Panel(title=_("Nhiệm vụ kế hoạch trễ hạn ({n})").format(n=len(late)), body=body)
