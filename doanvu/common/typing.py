"""Small structural types the base apps share without importing each other.

The base apps stack `common` ← `audit` ← `org` ← `accounts` (docs/architecture.md): a lower
app's models, services and selectors cannot name `accounts.User` or `accounts.scope.Scope`, so
they name these Protocols instead; a `User` and a `Scope` satisfy them as they are.
"""

from __future__ import annotations

from typing import Any, Protocol


class Actor(Protocol):
    """Who performs a write: a `User` (a `None` actor is the system)."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_superuser(self) -> bool: ...


class HasPath(Protocol):
    """Anything placed in the tree: a `Unit` (its materialized path and id)."""

    @property
    def pk(self) -> Any: ...

    @property
    def path(self) -> str: ...


class UnitScope(Protocol):
    """The part of `accounts.scope.Scope` that the apps below accounts ask."""

    @property
    def is_superuser(self) -> bool: ...

    def can(self, perm: str, unit: HasPath, *, department_id: int | None = None) -> bool: ...

    def filter(self, qs: Any, perm: str = ..., *, via: str = "",
               department_field: str | None = None, path_field: str | None = None,
               id_field: str | None = None) -> Any: ...

    def root_paths(self, perm: str = ...) -> list[str]: ...
