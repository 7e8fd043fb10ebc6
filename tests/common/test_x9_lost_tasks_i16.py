"""Issue 16, "Load and faults": a task whose worker died is found when a worker starts
(`common.background.lost_tasks_sweep`) — only a dead process of this host, once — marked
failed, and handed to its app: the field-visit recompute and the targets' recompute are queued
again (the targets' figures marked pending), the member import's job is marked interrupted.
The end-to-end kills are in tests/targets and tests/members (`test_x9_*worker_killed*`)."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
from typing import Any

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from doanvu.common import background
from doanvu.common.background import LOST_EXCEPTION, lost_tasks_sweep

pytestmark = pytest.mark.django_db

FV = "doanvu.fieldvisits.recompute.recompute_task"
TARGETS = "doanvu.targets.recompute.recompute_task"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _dead_pid() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


def _running(path: str, worker: str, **kwargs: Any) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=path, args_kwargs={"args": [], "kwargs": kwargs}, backend_name="default",
        status=TaskResultStatus.RUNNING, worker_ids=[worker])


def test_x9_a_claim_names_its_process() -> None:
    result = DBTaskResult.objects.create(task_path=FV, args_kwargs={"args": [], "kwargs": {}},
                                         backend_name="default")
    result.claim("w1")  # what db_worker does when it takes a task
    result.refresh_from_db()
    assert result.worker_ids == [f"w1@{socket.gethostname()}:{background.os.getpid()}"]
    result.set_successful(None)  # later saves leave the stamp as it is
    result.refresh_from_db()
    assert result.worker_ids == [f"w1@{socket.gethostname()}:{background.os.getpid()}"]


def test_x9_only_a_dead_worker_of_this_host_is_swept_once_and_its_app_recovers(
    settings: Any,
) -> None:
    settings.TASKS = DB_TASKS
    host = socket.gethostname()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = _running(FV, f"a@{host}:{_dead_pid()}", on="2025-06-30")
        living = _running(FV, f"b@{host}:{alive.pid}")
        elsewhere = _running(FV, f"c@may-khac:{_dead_pid()}")
        unstamped = _running(FV, "d")
        assert lost_tasks_sweep() == 1
        assert lost_tasks_sweep() == 0  # found once
    finally:
        alive.kill()
        alive.wait()
    dead.refresh_from_db()
    assert (dead.status, dead.exception_class_path) == (TaskResultStatus.FAILED, LOST_EXCEPTION)
    assert dead.finished_at is not None
    for other in (living, elsewhere, unstamped):
        other.refresh_from_db()
        assert other.status == TaskResultStatus.RUNNING
    # the field-visit app queued its recompute again, with the same day
    again = DBTaskResult.objects.get(task_path=FV, status=TaskResultStatus.READY)
    assert again.args_kwargs["kwargs"] == {"on": "2025-06-30"}


def test_x9_lost_targets_recompute_marks_figures_pending_and_queues_it_again(
    settings: Any,
) -> None:
    from doanvu.org.models import UnitKind
    from doanvu.org.services import unit_create
    from doanvu.targets.models import Target, TargetComputation

    settings.TASKS = DB_TASKS
    unit = unit_create(actor=None, parent=None, name="Trung ương Đoàn",
                       kind=UnitKind.objects.get(code="trung_uong"), founded_on=dt.date(2017, 1, 1))
    target = Target.objects.create(unit=unit, scope_unit=unit, name="Chỉ tiêu", goal="1",
                                   due_on=dt.date(2024, 12, 31),
                                   formula="training_registration", params={"year": 2024})
    TargetComputation.objects.create(target=target, measured_on=dt.date(2024, 12, 31),
                                     computed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    _running(TARGETS, f"a@{socket.gethostname()}:{_dead_pid()}")
    assert lost_tasks_sweep() == 1
    assert TargetComputation.objects.get(target=target).stale_since is not None
    assert DBTaskResult.objects.filter(task_path=TARGETS,
                                       status=TaskResultStatus.READY).count() == 1


def test_x9_one_apps_failing_recovery_does_not_stop_the_others(
    settings: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.TASKS = DB_TASKS

    def broken(kwargs: dict[str, Any]) -> None:
        raise RuntimeError("broken recovery")

    monkeypatch.setitem(background._LOST_HANDLERS, TARGETS, broken)
    host = socket.gethostname()
    first = _running(TARGETS, f"a@{host}:{_dead_pid()}")
    second = _running(FV, f"b@{host}:{_dead_pid()}")
    assert lost_tasks_sweep() == 2
    for r in (first, second):
        r.refresh_from_db()
        assert r.status == TaskResultStatus.FAILED
    assert DBTaskResult.objects.filter(task_path=FV, status=TaskResultStatus.READY).exists()
