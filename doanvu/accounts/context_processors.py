from __future__ import annotations

from django.http import HttpRequest

from .scope import scope_of


def scope(request: HttpRequest) -> dict[str, object]:
    return {"scope": scope_of(request)}
