"""The scope of an actor, for the base apps below `accounts` (docs/architecture.md, layers).

`accounts` builds scopes from its grants and provides its builder here when the app registry is
ready (`AccountsConfig.ready`), the way Django's auth provides the user model: `org`'s services
check their actor's scope without importing the app above them.
"""

from __future__ import annotations

from collections.abc import Callable

from .typing import Actor, UnitScope

_builder: Callable[[Actor | None], UnitScope] | None = None


def provide_scope_builder(builder: Callable[[Actor | None], UnitScope]) -> None:
    global _builder
    _builder = builder


def scope_for(actor: Actor | None) -> UnitScope:
    """The actor's Scope (`accounts.scope.Scope.for_user`)."""
    if _builder is None:
        raise RuntimeError("accounts is not ready: no scope builder was provided")
    return _builder(actor)
