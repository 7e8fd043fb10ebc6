"""What a page waiting on a background task says when no worker has taken the task.

Tasks run in `manage.py db_worker` (django-tasks, database backend); `make run` starts one
with the web server. A page that polls a task asks `pickup_overdue` with the moment the task
was queued, and shows `no_worker_message` when it is: after TASK_PICKUP_WARN_SECONDS nobody
has taken the task, so the user learns why nothing moves and what to do.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _


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
