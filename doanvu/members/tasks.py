"""Background work of members (MEM-13): the confirmed import runs here, off the request."""

from __future__ import annotations

from django_tasks import task


@task()
def import_members(job_id: int) -> dict[str, int]:
    """Import the rows of job `job_id` that were valid in its dry run; see importers."""
    from .importers import import_job_run

    return import_job_run(job_id=job_id)
