"""Recording a batch of changes as one step of the audit chain (X-4, issue 9).

Per-object records (the model signals, `chain.append_many`) are for what a person changes:
each object's history panel shows them. A bulk step is for a computation or a load that writes
many rows at once (a scoring recompute, a roll-up, a generated ledger): one record says who,
when, why and how many, and its rows (object, before → after) are kept beside it, bound to it
by a digest the record's MAC covers. A 10 000-row recompute costs one lock of the chain's head,
one record and a few multi-row inserts instead of 10 000 chained records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import models, transaction

from . import chain
from .context import current_actor, current_reason
from .models import AuditAction, AuditRecord

BulkRow = chain.BulkRow


def changed(before: Mapping[str, object], after: Mapping[str, object]
            ) -> tuple[dict[str, object], dict[str, object]]:
    """The fields whose value differs, as (before, after), JSON-ready."""
    b, a = chain.to_jsonable(dict(before)), chain.to_jsonable(dict(after))
    assert isinstance(b, dict) and isinstance(a, dict)
    keys = sorted(k for k in a.keys() | b.keys() if b.get(k) != a.get(k))
    return {k: b.get(k) for k in keys}, {k: a.get(k) for k in keys}


@transaction.atomic
def record_bulk(
    *,
    model: type[models.Model] | str,
    rows: Iterable[BulkRow],
    description: str,
    unit_id: int | None = None,
    reason: str | None = None,
    actor: object | None = None,
    summary: dict[str, object] | None = None,
) -> AuditRecord | None:
    """Record `rows` (the objects of `model` a batch changed) as one chain step.

    Rows whose before and after are equal are left out; with none left nothing is recorded.
    `description` names the batch on the log page; `unit_id` is the unit the step is scoped to
    (each row keeps its own); `reason` and `actor` default to the ones of `acting(...)`. Call
    inside the transaction that makes the changes, so the step and the changes commit together.
    """
    kept: Sequence[BulkRow] = [r for r in rows
                               if r.action != AuditAction.UPDATE or r.before != r.after]
    if not kept:
        return None
    label = model if isinstance(model, str) else model._meta.label_lower
    return chain.append_bulk(
        model=label, rows=kept, object_repr=description, unit_id=unit_id,
        reason=current_reason() if reason is None else reason,
        actor=actor if actor is not None else current_actor(), summary=summary)
