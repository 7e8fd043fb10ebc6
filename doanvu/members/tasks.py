"""Background work of members (MEM-13): the dry run and the confirmed import of a file run
here, off the request."""

from __future__ import annotations

from django_tasks import task


@task()
def import_members(job_id: int) -> dict[str, int]:
    """Import the rows of job `job_id` that were valid in its dry run; see importers."""
    from .importers import import_job_run

    return import_job_run(job_id=job_id)


@task()
def check_members(job_id: int) -> dict[str, int]:
    """Dry-run job `job_id`'s file with its saved column mapping; see importers."""
    from .importers import import_job_check_run

    return import_job_check_run(job_id=job_id)
