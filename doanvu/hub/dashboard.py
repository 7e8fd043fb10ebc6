"""Panels of a unit's dashboard (HUB-5) that other modules contribute.

The hub draws what it owns (obligations per month, timeliness). A later module — plans and
targets, rankings, field visits, remediation, members — registers a panel in its AppConfig.ready:

    from doanvu.hub.dashboard import Panel, register_panel

    def visit_compliance(*, scope, unit, period, as_of):
        ...  # read through the module's selectors, given the scope
        return Panel(title="Đi cơ sở", body=charts.stacked_bars(...), wide=False)

    register_panel("fv.compliance", visit_compliance)

A builder returns None when it has nothing to show for that unit and period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString

from doanvu.accounts.scope import Scope
from doanvu.common.periods import Period
from doanvu.org.models import Unit


@dataclass(frozen=True)
class Panel:
    title: str
    body: SafeString  # server-rendered HTML: escape everything that comes from data
    wide: bool = False


PanelBuilder = Callable[..., Panel | None]
_PANELS: dict[str, PanelBuilder] = {}


def register_panel(key: str, builder: PanelBuilder) -> None:
    _PANELS[key] = builder


def unregister_panel(key: str) -> None:
    _PANELS.pop(key, None)


def panels_for(*, scope: Scope, unit: Unit, period: Period, as_of: dt.date) -> list[Panel]:
    panels: list[Panel] = []
    for builder in _PANELS.values():
        panel = builder(scope=scope, unit=unit, period=period, as_of=as_of)
        if panel is not None:
            panels.append(panel)
    return panels
