"""Background work of the hub (HUB-3). Schedule `send_reminders` once a day (cron running
`manage.py send_reminders`, or anything that enqueues this task)."""

from __future__ import annotations

from django_tasks import task

from doanvu.common.dates import parse_date

from .services import reminders_send


@task()
def send_reminders(on: str | None = None) -> dict[str, int]:
    """Notices and e-mails N days before due and on lateness; safe to run twice."""
    result = reminders_send(on=parse_date(on) if on else None)
    return {"notices": result.notices, "emails": result.emails}
