"""Requests between the engines, which may not import each other (docs/architecture.md, layers).

`obligations_requested`: a module that may not import the hub (documents, its sibling) asks for
obligations. The hub's receiver (`hub.receivers`) creates one per request through
`hub.services.obligation_create`, in the sender's transaction and with the sender's actor, so
the hub's own checks apply; it answers the obligations it made. Keyword arguments: `actor`
(a `typing.Actor` or None, the system) and `requests` (a list of `ObligationRequest`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

obligations_requested = Signal()


@dataclass(frozen=True)
class ObligationRequest:
    """One obligation asked of the hub: `owed_by_unit` owes `title` to `owed_to_unit` (and
    department) by `due_on`; `source` is the object it comes from (linked on its page)."""

    kind: str
    kind_label: str
    title: str
    owed_by_unit: Any
    owed_to_unit: Any
    owed_to_department: Any
    due_on: dt.date
    source: Any
    source_label: str
    key: str
