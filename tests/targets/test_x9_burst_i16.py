"""Issue 16, "Load and faults" (X-9): a burst of member imports and recomputes queued at once
and drained by one real worker (`manage.py db_worker --batch` in a child process, on SQLite and
PostgreSQL: tests/worker_fault.py) — nothing lost, nothing done twice. The checks are the
bench's own (tests/bench/bench_burst.py `verify`), so the bench's verdict is tested too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from doanvu.audit import chain
from doanvu.members.models import ImportStatus
from doanvu.targets.models import TargetComputation
from tests.bench.bench_burst import IMPORT, RECOMPUTES, queue_burst, verify
from tests.members.test_import_mem13 import check, good_rows, xlsx
from tests.targets.conftest import TargetsWorld
from tests.worker_fault import WorkerDb

N_IMPORTS, N_RECOMPUTES, ROWS = 4, 4, 60  # 60 rows: three batches of 25 each


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")
    settings.MEMBER_IMPORT_BATCH = 25


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_x9_burst_of_imports_and_recomputes_drained_by_one_worker_exactly_once(
    tw: TargetsWorld, settings: Any, tmp_path: Path,
) -> None:
    jobs, imports = [], {}
    for j in range(N_IMPORTS):
        rows = good_rows(ROWS, start=1 + j * 1000)
        job = check(tw.mw, f"dot-{j}.xlsx", xlsx(rows))
        assert (job.status, job.report["added"]) == (ImportStatus.CHECKED, ROWS)
        jobs.append(job)
        imports[job.pk] = [str(r[4]) for r in rows]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    since = timezone.now()
    ids = queue_burst(jobs, N_RECOMPUTES)
    queued = DBTaskResult.objects.filter(enqueued_at__gte=since)
    assert sorted(r.task_path for r in queued) == sorted(
        [IMPORT] * N_IMPORTS + [RECOMPUTES[i % 2] for i in range(N_RECOMPUTES)])
    assert {r.status for r in queued} == {TaskResultStatus.READY}
    # before the worker: the bench's check sees every job undone and every task waiting
    problems = verify(imports, ids, since)
    assert len([p for p in problems if p.startswith("nhập #")]) >= N_IMPORTS
    assert any("còn chờ" in p for p in problems)
    db = WorkerDb(tmp_path)
    db.push()
    try:
        db.finish(db.start(batch=True, batch_rows=25))
        db.sync()
    finally:
        db.stop_all()
    assert verify(imports, ids, since) == []
    results = DBTaskResult.objects.filter(enqueued_at__gte=since)
    assert results.filter(task_path=IMPORT).count() == N_IMPORTS
    assert all(len(r.worker_ids) == 1 for r in results)
    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}
    # the imports' new memberships marked the figures stale; the drain recomputed them
    assert not TargetComputation.objects.filter(stale_since__isnull=False).exists()
    assert chain.verify().ok
