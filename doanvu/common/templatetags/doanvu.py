from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def dictget(mapping: object, key: str) -> object:
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None
