"""Background work of members (MEM-13): the dry run and the confirmed import of a file run
here, off the request, and the steps of the import pages that queue them; the daily expiry of
uploads nobody confirmed (`manage.py expire_imports`, or anything that enqueues
`expire_imports`).

The importer never imports this module: the work is its own, the queueing is here."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from ..models import ImportJob, ImportStatus
from .services import (
    import_job_check_run,
    import_job_run,
    import_job_step,
    import_job_take_over,
    import_jobs_expire,
)


@task()
def import_members(job_id: int) -> dict[str, int]:
    """Import the rows of job `job_id` that were valid in its dry run; see imports.services."""
    return import_job_run(job_id=job_id)


@task()
def check_members(job_id: int) -> dict[str, int]:
    """Dry-run job `job_id`'s file with its saved column mapping; see imports.services."""
    return import_job_check_run(job_id=job_id)


@task()
def expire_imports() -> int:
    """Delete the files and spools of uploads never confirmed within the policy's days; safe to
    run twice."""
    return import_jobs_expire()


# -- the steps of the import pages that queue the work ----------------------------------------


def import_job_queue_check(*, job: ImportJob, mapping: dict[str, str]) -> bool:
    """Save the mapping and queue the dry run (a large file takes longer than a page may
    wait); False if the job is not in a state to be checked (already checking or imported)."""
    report = {k: v for k, v in (job.report or {}).items() if k != "failure"}
    updated = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportStatus.UPLOADED, ImportStatus.CHECKED]
    ).update(status=ImportStatus.CHECKING, processed_rows=0, report=report, worker="",
             heartbeat_at=timezone.now(), progress={"step": "check"},
             mapping={k: v for k, v in mapping.items() if v})
    if updated:
        check_members.enqueue(job_id=job.pk)
    return bool(updated)


def import_job_resume(*, job: ImportJob) -> None:
    """"Tiếp tục": queue the interrupted step again. The dry run starts over (it writes
    nothing); the import goes on after its last committed batch."""
    step = import_job_step(job)
    now = timezone.now()
    if step == "check":
        if import_job_take_over(job, status=ImportStatus.CHECKING, worker="", heartbeat_at=now,
                                processed_rows=0, progress={"step": "check"}):
            check_members.enqueue(job_id=job.pk)
        return
    if import_job_take_over(job, status=ImportStatus.RUNNING, worker="", heartbeat_at=now,
                            progress={**(job.progress or {}), "step": "import"}):
        import_members.enqueue(job_id=job.pk)


def import_job_confirm(*, job: ImportJob) -> None:
    """Queue the import of the rows the dry run found valid."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.RUNNING, processed_rows=0, batches_done=0, worker="",
        heartbeat_at=timezone.now(), progress={"step": "import"}
    )
    if updated:
        import_members.enqueue(job_id=job.pk)
