"""Template filters of the rubric pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ..rubric_checks import num

register = template.Library()


@register.filter
def points(value: object) -> str:
    """Points the Vietnamese way: 2,5 and 10 (no trailing zeros); empty for none."""
    if value is None or value == "":
        return ""
    return num(value if isinstance(value, Decimal) else Decimal(str(value)))
