"""Who is acting and why, for the audit records written during a request or a service call."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from doanvu.common.typing import Actor

_actor: contextvars.ContextVar[object | None] = contextvars.ContextVar("audit_actor", default=None)
_reason: contextvars.ContextVar[str] = contextvars.ContextVar("audit_reason", default="")


def current_actor() -> object | None:
    return _actor.get()


def current_reason() -> str:
    return _reason.get()


@contextlib.contextmanager
def acting(actor: Actor | None = None, *, reason: str | None = None) -> Iterator[None]:
    """Attribute changes made inside the block to `actor` (a user) with an optional reason."""
    tokens: list[tuple[Any, Any]] = []
    if actor is not None:
        tokens.append((_actor, _actor.set(actor)))
    if reason is not None:
        tokens.append((_reason, _reason.set(reason)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)
