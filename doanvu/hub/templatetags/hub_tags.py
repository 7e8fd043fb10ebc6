from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from doanvu.hub import selectors

register = template.Library()


@register.inclusion_tag("hub/_nav.html", takes_context=True)
def hub_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The hub's links in the main navigation, with the count of unread notices."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": selectors.unread_count(user=user)}


@register.simple_tag
def my_work_count(scope: Any) -> int:
    """How many obligations "Việc của tôi" lists as not yet submitted, for the header."""
    from doanvu.common.dates import today

    if scope is None:
        return 0
    return selectors.my_open_obligations(scope=scope, today=today()).count()


@register.filter
def percent(value: float | None) -> str:
    """0.6667 → "66,7%"; no value → "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}".replace(".", ",") + "%"


@register.filter
def ddmmyyyy(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@register.simple_tag
def status_label(obligation: Any, today: dt.date) -> str:
    return str(obligation.status_label(today))


@register.simple_tag
def is_late(obligation: Any, today: dt.date) -> bool:
    return bool(obligation.is_late(today))


@register.simple_tag
def days_to(day: dt.date, today: dt.date) -> int:
    return (day - today).days
