"""Which models are audited, and how to find the unit each record belongs to (for scoping) and
the text that names the object, without loading related rows on every save.

`unit` and the placeholders of `label` are field paths (`"branch_id"`,
`"membership__branch_id"`, `"{membership__person__full_name} {month}"`). A path on the object
itself (or through a relation already loaded on it) costs nothing; the others are read together
by one `values_list()` query on the object's own row, never by loading the related objects."""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

_MISSING = object()


@dataclass(frozen=True)
class AuditSpec:
    unit: str | Callable[[Any], int | None] | None
    exclude: frozenset[str]
    # a str.format template of field paths; None: the object's str()
    label: str | None = None

    def paths(self) -> list[str]:
        paths = [self.unit] if isinstance(self.unit, str) else []
        if self.label is not None:
            paths += [name for _, name, _, _ in string.Formatter().parse(self.label)
                      if name and name not in paths]
        return paths

    def resolve(self, instance: models.Model) -> tuple[int | None, str]:
        """The record's unit id and object text, with at most one query for the paths that
        go through a relation not loaded on `instance`."""
        values = {path: _local(instance, path) for path in self.paths()}
        missing = [path for path, value in values.items() if value is _MISSING]
        if missing:
            # order_by(): a Meta ordering through a relation would add joins
            rows = list(type(instance)._base_manager.filter(pk=instance.pk)
                        .order_by().values_list(*missing)[:1])
            values.update(zip(missing, rows[0] if rows else [None] * len(missing), strict=True))
        if callable(self.unit):
            unit = self.unit(instance)
        else:
            unit = values[self.unit] if self.unit is not None else None  # type: ignore[assignment]
        label = self.label.format_map(values) if self.label is not None else str(instance)
        return unit, label


def _local(instance: models.Model, path: str) -> object:
    """The value at `path` if it can be read without a query, else _MISSING."""
    obj: Any = instance
    *hops, last = path.split("__")
    for hop in hops:
        try:
            field = obj._meta.get_field(hop)
        except FieldDoesNotExist:
            return _MISSING
        if not field.is_relation or not field.many_to_one:
            return _MISSING
        if getattr(obj, field.attname) is None:
            return None
        if not field.is_cached(obj):
            return _MISSING
        obj = getattr(obj, hop)
    try:
        field = obj._meta.get_field(last)
    except FieldDoesNotExist:
        field = None
    if (field is not None and field.is_relation and last == field.name
            and not field.is_cached(obj)):
        return _MISSING  # never load a relation to name it
    value = getattr(obj, last, _MISSING)
    if callable(value) and not isinstance(value, models.Model):
        value = value()
    elif isinstance(value, models.Model):  # a loaded relation named without its field
        value = str(value)
    return value


_REGISTRY: dict[type[models.Model], AuditSpec] = {}


def register(
    model: type[models.Model],
    *,
    unit: str | Callable[[Any], int | None] | None,
    exclude: Iterable[str] = (),
    label: str | None = None,
) -> None:
    """Audit `model`. `unit`: the field path of the unit a record is scoped to (or None);
    `label`: a template of field paths naming the object when str() would load relations."""
    _REGISTRY[model] = AuditSpec(unit=unit, exclude=frozenset(exclude) | {"updated_at"},
                                 label=label)


def spec_for(model: type[models.Model]) -> AuditSpec | None:
    return _REGISTRY.get(model)


def audited_models() -> list[type[models.Model]]:
    return list(_REGISTRY)
