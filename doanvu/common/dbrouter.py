"""Reads of reports and exports from a PostgreSQL read replica (issue 16, docs/deploy.md).

When `DATABASE_REPLICA_URL` is set the settings add a `replica` database; code that only reads
— a report, an export, `manage.py generate_reports` — runs inside `reads_from_replica()`, and
the ORM reads it makes go to the replica. Everything else, every write, and any read outside
that block (pages, services, the audit chain, anything inside a write transaction) stays on
`default`: a replica lags behind its primary, so nothing that decides a write may read it.
Without a replica the block changes nothing. Raw SQL (`connection.cursor()`) is not routed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_reading: ContextVar[bool] = ContextVar("doanvu_reads_from_replica", default=False)


@contextmanager
def reads_from_replica() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def replica_in_use() -> bool:
    return (_reading.get() and REPLICA in settings.DATABASES
            and not connections["default"].in_atomic_block)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if replica_in_use() else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA
