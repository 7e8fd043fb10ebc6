"""What a page waiting on a background task says when no worker has taken the task.

Tasks run in `manage.py db_worker` (django-tasks, database backend); `make run` starts one
with the web server. A page that polls a task asks `pickup_overdue` with the moment the task
was queued, and shows `no_worker_message` when it is: after TASK_PICKUP_WARN_SECONDS nobody
has taken the task, so the user learns why nothing moves and what to do.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def pickup_overdue(queued_at: dt.datetime | None, *, now: dt.datetime | None = None) -> bool:
    """True when a task queued at `queued_at` and not yet taken has waited past the setting."""
    if queued_at is None:
        return False
    now = now or timezone.now()
    return queued_at < now - dt.timedelta(seconds=settings.TASK_PICKUP_WARN_SECONDS)


def no_worker_message() -> str:
    """Why nothing moves and what to do: a developer's machine (DEBUG) starts the worker
    itself; on a deployed system it is the administrators' job."""
    seconds = settings.TASK_PICKUP_WARN_SECONDS
    if settings.DEBUG:
        return _(
            "Chưa có tiến trình nền nào nhận việc này sau {seconds} giây. Hãy chạy `make run` "
            "(chạy máy chủ web cùng tiến trình nền), hoặc `python manage.py db_worker` ở một cửa "
            "sổ dòng lệnh khác; trang sẽ tự cập nhật khi việc được nhận."
        ).format(seconds=seconds)
    return _(
        "Chưa có tiến trình nền nào nhận việc này sau {seconds} giây: tiến trình nền của hệ "
        "thống có thể chưa chạy hoặc đang bận. Việc vẫn nằm trong hàng đợi và sẽ chạy khi tiến "
        "trình nền hoạt động; nếu chờ lâu, hãy liên hệ quản trị hệ thống."
    ).format(seconds=seconds)


# -- tasks whose worker died (issue 16, "Faults and lost updates") -----------------------------
#
# django-tasks' database backend marks a task RUNNING when a worker claims it and SUCCESSFUL or
# FAILED when it ends; a worker killed in between (SIGKILL, the machine's OOM killer, a power
# cut) leaves it RUNNING for ever and whatever it promised undone. Each claim is therefore
# stamped with the claiming process ("<worker id>@<host>:<pid>", `stamp_claim`), and a worker
# starting (`sweep_at_worker_start`, common/apps.py) marks FAILED every task RUNNING under a
# process of this host that is gone, then asks the task's own app what to do
# (`on_worker_lost`): recomputes mark their figures pending and queue themselves again; the
# member import is marked interrupted by its own sweep and waits for the user's choice.

LostHandler = Callable[[dict[str, Any]], None]
_LOST_HANDLERS: dict[str, LostHandler] = {}
LOST_EXCEPTION = "doanvu.common.background.WorkerLost"


class WorkerLost(Exception):
    """The worker running a task ended without finishing it (recorded, never raised)."""


def on_worker_lost(task_path: str, handler: LostHandler) -> None:
    """Register what to do when the task at `task_path` (its module path, as the task result
    stores it: the task's module is not imported at start-up, where it would load the task
    backends before a worker set them) was found cut off: `handler` gets the task's keyword
    arguments and runs in the worker that found it."""
    _LOST_HANDLERS[task_path] = handler


def process_label() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def stamp_claim(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """pre_save of a task result: a claim (RUNNING, worker_ids updated) names the process."""
    from django_tasks import TaskResultStatus

    if (update_fields is None or "worker_ids" not in update_fields
            or instance.status != TaskResultStatus.RUNNING or not instance.worker_ids
            or "@" in instance.worker_ids[-1]):
        return
    instance.worker_ids = [*instance.worker_ids[:-1],
                           f"{instance.worker_ids[-1]}@{process_label()}"]


def _process_gone(label: str) -> bool:
    """True when `label` ("…@host:pid") names a process of this host that no longer runs."""
    where = label.rpartition("@")[2]
    host, _sep, pid = where.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another host's worker, or not stamped: not ours to judge
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


def lost_tasks_sweep() -> int:
    """Mark FAILED the tasks RUNNING under a dead worker of this host and run their apps'
    handlers; returns how many. Each is taken by a conditional update, so two workers starting
    at once handle a task once."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    found = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by()
    for pk, path, worker_ids, args_kwargs in running.values_list(
            "pk", "task_path", "worker_ids", "args_kwargs"):
        if not worker_ids or not _process_gone(str(worker_ids[-1])):
            continue
        taken = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now(),
            exception_class_path=LOST_EXCEPTION,
            traceback=f"WorkerLost: worker {worker_ids[-1]} ended while running this task")
        if not taken:
            continue
        found += 1
        handler = _LOST_HANDLERS.get(path)
        if handler is None:
            continue
        try:
            handler(dict((args_kwargs or {}).get("kwargs") or {}))
        except Exception:  # one app's recovery must not stop the others nor the worker
            logger.exception("Recovery of task %s (%s) failed", pk, path)
    return found


_START_JOBS: list[tuple[str, Callable[[], int]]] = []


def on_worker_start(name: str, job: Callable[[], int]) -> None:
    """Register an app's own sweep to run once when a worker starts, after the lost tasks'
    sweep (`job` answers how many records it marked; `name` says what, in the log)."""
    _START_JOBS.append((name, job))


def sweep_at_worker_start(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Once, when a worker (manage.py db_worker) first opens the database: the tasks cut off
    by a dead worker, then each app's own start sweep (`on_worker_start`)."""
    from django.db.backends.signals import connection_created

    connection_created.disconnect(dispatch_uid="common-lost-tasks-sweep")
    for name, job in [("task(s) cut off by a dead worker", lost_tasks_sweep), *_START_JOBS]:
        try:
            found = job()
        except Exception:  # an unmigrated database must not stop the worker
            logger.exception("Could not look for %s", name)
            continue
        if found:
            logger.warning("%s %s found at worker start", found, name)
