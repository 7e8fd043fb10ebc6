"""Issue 16, "Load and faults": the task worker killed with SIGKILL in the middle of the
targets' recompute (PERF-4) — a real `manage.py db_worker` in a child process, on SQLite and
on PostgreSQL (tests/worker_fault.py).

After the kill each target holds its old figures or its new ones, whole (each is replaced in
one transaction), never a mix; when a worker starts again it marks the killed task failed
(django-tasks would leave it "running" for ever), the dashboard says every figure is being
recomputed, the run is queued again and, once it has run, every figure is the new one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from doanvu.common.background import LOST_EXCEPTION, lost_tasks_sweep
from doanvu.members.models import CadreCourse, TrainingRegistration
from doanvu.targets.models import Target, TargetComputation, TargetFigure
from doanvu.targets.recompute import recompute
from tests.conftest import login
from tests.targets.conftest import YEAR, TargetsWorld
from tests.worker_fault import WorkerDb

PATH = "doanvu.targets.recompute.recompute_task"
PENDING = "có thay đổi sau lần tính này, đang tính lại"


def _figures() -> dict[int, list[tuple[Any, ...]]]:
    out: dict[int, list[tuple[Any, ...]]] = {}
    for t in Target.objects.order_by("pk"):
        out[t.pk] = list(TargetFigure.objects.filter(target=t).order_by("unit_id").values_list(
            "unit_id", "numerator", "denominator", "has_data", "previous_numerator",
            "previous_denominator"))
    return out


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_x9_worker_killed_mid_recompute_leaves_whole_figures_and_recovers(
    tw: TargetsWorld, settings: Any, tmp_path: Path,
) -> None:
    w = tw.mw.world
    recompute(upto=dt.date(YEAR, 12, 31))  # the figures as they stand
    old = _figures()
    computed_before = dict(TargetComputation.objects.values_list("target_id", "computed_at"))
    # two changes, through the real queue: the first target's figures (a branch secretary's
    # course) and the third's (a registration); the first commit queues one recompute
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    CadreCourse.objects.create(person=tw.mw.b1[0].person, name="Lớp bồi dưỡng Bí thư",
                               start_date=dt.date(YEAR, 5, 2))
    TrainingRegistration.objects.create(membership=tw.mw.a1[2], year=YEAR,
                                        registered_on=dt.date(YEAR, 4, 1))
    queued = DBTaskResult.objects.filter(task_path=PATH)
    assert [r.status for r in queued] == [TaskResultStatus.READY]
    assert TargetComputation.objects.filter(stale_since__isnull=True).count() == 0
    page = login(w.province_secretary)
    url = reverse("targets:dashboard", args=[w.province.pk])
    db = WorkerDb(tmp_path)
    db.push()
    try:
        # 1. the worker takes the recompute and is killed after the first target's commit
        first = db.start(hold="after_first_store")
        db.wait_for(db.marker.exists)
        db.kill(first)
        db.sync()
        killed = DBTaskResult.objects.get(task_path=PATH)
        assert killed.status == TaskResultStatus.RUNNING  # what django-tasks leaves behind
        assert "@" in killed.worker_ids[-1]  # the claim names its process
        mid = _figures()
        assert set(mid) == set(old)
        changed = [pk for pk in mid if mid[pk] != old[pk]]
        assert len(changed) == 1  # the first target: new, whole; the others: old, whole
        pks = sorted(mid)
        assert changed == [pks[0]]
        assert TargetComputation.objects.get(target_id=pks[0]).computed_at \
            > computed_before[pks[0]]
        assert all(TargetComputation.objects.get(target_id=pk).computed_at
                   == computed_before[pk] for pk in pks[1:])

        # 2. a worker starts again: the killed task is marked failed, every figure pending,
        #    the recompute queued again; it waits (hook) so the page can be read meanwhile
        db.marker.unlink()
        second = db.start(hold="before_recompute", batch=True)
        db.wait_for(db.marker.exists)
        db.sync()
        killed.refresh_from_db()
        assert (killed.status, killed.exception_class_path) == (TaskResultStatus.FAILED,
                                                                LOST_EXCEPTION)
        assert TargetComputation.objects.filter(stale_since__isnull=True).count() == 0
        assert DBTaskResult.objects.filter(task_path=PATH,
                                           status=TaskResultStatus.RUNNING).count() == 1
        html = page.get(url).content.decode()
        assert html.count(PENDING) == len(pks)
        assert lost_tasks_sweep() == 0  # found once: the new run's worker is alive

        # 3. the new run completes: every target's figures are the new ones
        Path(str(db.marker) + ".go").write_text("go")
        db.finish(second)
        db.sync()
    finally:
        db.stop_all()
    new = _figures()
    assert new[pks[0]] == mid[pks[0]]
    assert any(new[pk] != old[pk] for pk in pks[1:])  # the registration's target moved
    assert TargetComputation.objects.filter(stale_since__isnull=False).count() == 0
    assert [r.status for r in DBTaskResult.objects.filter(task_path=PATH)
            .order_by("enqueued_at")] == [TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
    # the stored figures equal a recompute from scratch (the reference)
    settings.TASKS = {"default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    recompute(upto=dt.date(YEAR, 12, 31))
    assert _figures() == new
    assert PENDING not in page.get(url).content.decode()
