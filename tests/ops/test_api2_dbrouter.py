"""Issue 16 (national deployment): reads made inside `reads_from_replica()` go to the read
replica when `DATABASE_REPLICA_URL` configured one — never writes, never reads inside a write
transaction, nothing at all without a replica."""

from __future__ import annotations

import pytest
from django.db import connections

from doanvu.common.dbrouter import ReplicaRouter, reads_from_replica
from doanvu.org.models import Unit


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}


def test_api2_without_a_replica_everything_reads_default() -> None:
    router = ReplicaRouter()
    with reads_from_replica():
        assert router.db_for_read(Unit) is None
    assert router.db_for_write(Unit) == "default"


def test_api2_report_reads_go_to_the_replica(with_replica) -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Unit) is None  # outside the block: the primary
    with reads_from_replica():
        assert router.db_for_read(Unit) == "replica"
        assert router.db_for_write(Unit) == "default"  # a write never goes to the replica
    assert router.db_for_read(Unit) is None
    assert router.allow_migrate("default", "org") and not router.allow_migrate("replica", "org")


def test_api2_no_replica_read_inside_a_write_transaction(with_replica, monkeypatch) -> None:
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with reads_from_replica():
        assert ReplicaRouter().db_for_read(Unit) is None
