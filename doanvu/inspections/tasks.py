"""Background work of inspections (INS-5). Schedule `mark_missed_documents` once a day (cron
running `manage.py mark_missed_inspection_documents`, or anything that enqueues this task)."""

from __future__ import annotations

from django_tasks import task

from doanvu.common.dates import parse_date

from .services import documents_missed_mark


@task()
def mark_missed_documents(on: str | None = None) -> dict[str, int]:
    """Sessions whose documents were not delivered by the due date: not inspected this year;
    safe to run twice."""
    marked = documents_missed_mark(on=parse_date(on) if on else None)
    return {"marked": len(marked)}


@task()
def create_followups(on: str | None = None) -> dict[str, int]:
    """What is owed after ended rounds and held sessions (INS-7); safe to run twice."""
    from .followup import rounds_ended

    done = rounds_ended(on=parse_date(on) if on else None)
    return {"created": len(done.created)}
