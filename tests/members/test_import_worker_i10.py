"""Issue 10 item 8: a page waiting on a background task says plainly when no worker has taken
it, and what to do; a task queued before any worker ran is taken when one starts."""

from __future__ import annotations

import datetime as dt
import signal
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from doanvu.members.imports.services import import_job_interrupted, import_jobs_sweep
from doanvu.members.models import ImportJob, ImportStatus
from tests.conftest import login
from tests.members.conftest import MembersWorld
from tests.members.test_import_mem13 import good_rows, upload, xlsx

NO_WORKER = "Chưa có tiến trình nền nào nhận việc này"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")


def _queue_dry_run(mw: MembersWorld, settings: Any) -> tuple[Any, ImportJob]:
    """Upload and ask for the dry run through the pages, with the real (database) queue and
    no worker running."""
    settings.TASKS = DB_TASKS
    client = login(mw.world.district_a_cadre)
    client.post(reverse("members:import_start"),
                {"unit": mw.world.commune_a1.pk, "file": upload("ds.xlsx", xlsx(good_rows(3)))})
    job = ImportJob.objects.get()
    client.post(reverse("members:import_mapping", args=[job.pk]),
                {f"col_{k}": v for k, v in job.mapping.items()})
    job.refresh_from_db()
    assert (job.status, job.worker) == (ImportStatus.CHECKING, "")
    return client, job


def _queued_ago(job: ImportJob, seconds: float) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=seconds))
    job.refresh_from_db()


def _pages(client: Any, job: ImportJob) -> tuple[str, str]:
    report = client.get(reverse("members:import_report", args=[job.pk])).content.decode()
    progress = client.get(reverse("members:import_progress", args=[job.pk]),
                          HTTP_HX_REQUEST="true").content.decode()
    return report, progress


def test_i10_progress_says_when_no_worker_took_the_task_and_what_to_do(
    members_world: MembersWorld, settings: Any,
) -> None:
    client, job = _queue_dry_run(members_world, settings)
    settings.TASK_PICKUP_WARN_SECONDS = 5
    report, progress = _pages(client, job)  # just queued: nothing to say yet
    assert NO_WORKER not in report and NO_WORKER not in progress
    assert "đã đọc 0 dòng" in report

    _queued_ago(job, 6)
    settings.DEBUG = True  # a developer's machine: start the worker
    report, progress = _pages(client, job)
    for html in (report, progress):
        assert NO_WORKER + " sau 5 giây" in html
        assert "`make run`" in html and "manage.py db_worker" in html
    assert "bị gián đoạn" not in report  # waiting, not interrupted

    settings.DEBUG = False  # a deployed system: the administrators start it
    _report, progress = _pages(client, job)
    assert "liên hệ quản trị hệ thống" in progress and "make run" not in progress

    settings.TASK_PICKUP_WARN_SECONDS = 30  # the threshold is the setting's
    report, progress = _pages(client, job)
    assert NO_WORKER not in report and NO_WORKER not in progress


def test_i10_a_claimed_task_shows_no_warning(members_world: MembersWorld, settings: Any) -> None:
    client, job = _queue_dry_run(members_world, settings)
    _queued_ago(job, 60)  # taken by a worker on another host that reported a minute ago
    ImportJob.objects.filter(pk=job.pk).update(worker="may-khac:12")
    report, progress = _pages(client, job)
    assert NO_WORKER not in report and NO_WORKER not in progress


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_i10_a_worker_started_late_takes_the_waiting_task(
    members_world: MembersWorld, settings: Any,
) -> None:
    _client, job = _queue_dry_run(members_world, settings)
    _queued_ago(job, settings.MEMBER_IMPORT_STALE_SECONDS + 60)
    assert not import_job_interrupted(job)
    assert import_jobs_sweep() == 0  # what a worker does first when it starts
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for s, h in handlers.items():
            signal.signal(s, h)
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert job.report["added"] == 3
