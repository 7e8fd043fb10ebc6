"""`manage.py serve`: the web server and the background worker in one command (`make run`).

Imports, dry runs and other background tasks need `db_worker`; running the two together means
a demo never waits for a worker nobody started. Ctrl-C stops both (doanvu.common.supervise).
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from doanvu.common.supervise import run_together


def serve_commands(addrport: str, *, python: str = sys.executable) -> list[list[str]]:
    """The two processes: Django's development server and the django-tasks database worker."""
    manage = str(settings.BASE_DIR / "manage.py")
    return [[python, manage, "runserver", addrport], [python, manage, "db_worker"]]


class Command(BaseCommand):
    help = _("Chạy máy chủ web cùng tiến trình nền (db_worker); Ctrl-C dừng cả hai.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--grace", type=float, default=10.0,
                            help=_("Số giây chờ tiến trình nền làm xong việc đang dở khi dừng."))

    def handle(self, *args: Any, addrport: str, grace: float, **options: Any) -> None:
        self.stdout.write(_(
            "Đoàn Vụ chạy tại http://{addrport}/ cùng tiến trình nền nhận việc nhập đoàn viên; "
            "nhấn Ctrl-C để dừng cả hai."
        ).format(addrport=addrport))
        code = run_together(serve_commands(addrport), grace=grace)
        if code:
            sys.exit(code)
