"""Which models are audited, and how to find the unit each record belongs to (for scoping)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class AuditSpec:
    unit: Callable[[Any], int | None]
    exclude: frozenset[str]


_REGISTRY: dict[type[models.Model], AuditSpec] = {}


def register(
    model: type[models.Model],
    *,
    unit: Callable[[Any], int | None],
    exclude: Iterable[str] = (),
) -> None:
    _REGISTRY[model] = AuditSpec(unit=unit, exclude=frozenset(exclude) | {"updated_at"})


def spec_for(model: type[models.Model]) -> AuditSpec | None:
    return _REGISTRY.get(model)


def audited_models() -> list[type[models.Model]]:
    return list(_REGISTRY)
