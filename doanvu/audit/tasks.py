from __future__ import annotations

from django_tasks import task

from .chain import verify


@task()
def verify_chain() -> dict[str, object]:
    """Verify the whole audit chain in the worker; the result is kept with the task."""
    result = verify()
    return {"ok": result.ok, "checked": result.checked, "broken_id": result.broken_id,
            "problem": result.problem}
