"""Issue 16, "Load and faults" (MEM-13, X-9): the task worker killed with SIGKILL in the middle
of a member import — a real `manage.py db_worker` in a child process, on SQLite and on
PostgreSQL (tests/worker_fault.py), killed inside a batch's transaction (its rows written, not
committed).

After the kill no row of the cut batch exists; the committed batches are whole and audited;
the page says the import was interrupted and where. A worker started again marks the killed
task failed (django-tasks would leave it "running" for ever) and the job interrupted; the user
then either resumes — the job ends done, every row imported exactly once — or cancels — the
job ends "Đã hủy" with nothing of it left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from doanvu.audit import chain
from doanvu.audit.models import AuditRecord
from doanvu.common.background import LOST_EXCEPTION
from doanvu.members.imports.services import import_job_interrupted
from doanvu.members.models import ImportJob, ImportStatus, Membership
from doanvu.org.models import Person
from tests.conftest import login
from tests.members.conftest import MembersWorld
from tests.members.test_import_mem13 import confirm
from tests.members.test_import_sec8 import _assert_imported_exactly, _rows_for_batches
from tests.worker_fault import WorkerDb

IMPORT = "doanvu.members.imports.tasks.import_members"
N = 400  # + An's update: 9 batches of 50


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")
    settings.MEMBER_IMPORT_BATCH = 50


def _kill_inside_third_batch(mw: MembersWorld, settings: Any,
                             db: WorkerDb) -> tuple[ImportJob, int, Any]:
    """Check a file of N new rows and one update, confirm it through the real queue, let the
    worker commit two batches and die inside the third."""
    job, (an_id,) = _rows_for_batches(mw, N)
    client = login(mw.world.admin)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = confirm(job)
    assert DBTaskResult.objects.get(task_path=IMPORT).status == TaskResultStatus.READY
    db.push()
    worker = db.start(hold="inside_import_batch_3", batch_rows=50)
    db.wait_for(db.marker.exists)
    db.kill(worker)
    db.sync()
    job.refresh_from_db()
    # two batches committed, whole and audited; nothing of the third
    assert (job.status, job.batches_done) == (ImportStatus.RUNNING, 2)
    imported = Person.objects.filter(cccd__startswith="072303").count()
    updated = 1 if Person.objects.get(pk=an_id).phone else 0
    assert imported + updated == job.processed_rows == 100
    assert Membership.objects.filter(person__cccd__startswith="072303").count() == imported
    batches = AuditRecord.objects.filter(model="members.importbatch",
                                         object_pk__startswith=f"{job.pk}:")
    assert sorted(b.object_pk for b in batches) == [f"{job.pk}:0", f"{job.pk}:1"]
    assert sum(len(b.changes["after"]["persons_added"]) for b in batches) == imported
    assert DBTaskResult.objects.get(task_path=IMPORT).status == TaskResultStatus.RUNNING
    # the page says so at once (its worker is gone), before any worker starts again
    assert import_job_interrupted(job)
    html = client.get(reverse("members:import_report", args=[job.pk])).content.decode()
    assert "Nhập bị gián đoạn" in html and f"100 / {N + 1} dòng" in html
    assert "chưa lô nào bị ghi dở" in html
    return job, an_id, client


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_x9_worker_killed_mid_import_restarts_and_the_resumed_import_completes_exactly(
    members_world: MembersWorld, settings: Any, tmp_path: Path,
) -> None:
    db = WorkerDb(tmp_path)
    try:
        job, an_id, client = _kill_inside_third_batch(members_world, settings, db)
        # a worker starts again: it marks the task failed and the job interrupted, and has
        # nothing else to do (batch mode: it ends)
        db.finish(db.start(batch=True, batch_rows=50))
        db.sync()
        job.refresh_from_db()
        assert job.status == ImportStatus.INTERRUPTED
        killed = DBTaskResult.objects.get(task_path=IMPORT)
        assert (killed.status, killed.exception_class_path) == (TaskResultStatus.FAILED,
                                                                LOST_EXCEPTION)
        html = client.get(reverse("members:import_report", args=[job.pk])).content.decode()
        assert "Nhập bị gián đoạn" in html and "Tiếp tục nhập" in html
        # "Tiếp tục nhập": queued again; a worker takes it and goes on after batch 2
        assert client.post(reverse("members:import_resume", args=[job.pk])).status_code == 302
        db.push()
        db.finish(db.start(batch=True, batch_rows=50))
        db.sync()
    finally:
        db.stop_all()
    _assert_imported_exactly(job, N, an_id)
    assert [r.status for r in DBTaskResult.objects.filter(task_path=IMPORT)
            .order_by("enqueued_at")] == [TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
    html = client.get(reverse("members:import_report", args=[job.pk])).content.decode()
    assert "gián đoạn" not in html and job.get_status_display() in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_x9_worker_killed_mid_import_then_cancelled_leaves_nothing_of_it(
    members_world: MembersWorld, settings: Any, tmp_path: Path,
) -> None:
    people, members = Person.objects.count(), Membership.objects.count()
    db = WorkerDb(tmp_path)
    try:
        job, an_id, client = _kill_inside_third_batch(members_world, settings, db)
    finally:
        db.stop_all()
    response = client.post(reverse("members:import_cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert (Person.objects.count(), Membership.objects.count()) == (people, members)
    assert Person.objects.get(pk=an_id).phone == ""
    html = client.get(reverse("members:import_report", args=[job.pk])).content.decode()
    assert "Đã hủy" in html and "các đoàn viên đã thêm được gỡ bỏ" in html
    assert chain.verify().ok
