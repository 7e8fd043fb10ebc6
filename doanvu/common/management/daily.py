"""The shape of our once-a-day commands (`send_reminders`, `mark_missed_inspection_documents`,
…): `--ngay dd/mm/yyyy` computes as on that day (today by default, a wrong date refused with
its reason), `--hang-doi` hands the work to the task queue instead of doing it now. Running a
day again does nothing twice — that is each service's promise, not this class's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from doanvu.common.dates import parse_date, today
from doanvu.common.errors import ApplicationError


class DailyCommand(BaseCommand):
    """Subclasses set `help` and `task` (a django-tasks task taking `on`, an ISO date) and
    write `run(day)`, which does the work and returns the line to print."""

    task: Any = None

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ngay", default="", help=_("tính như tại ngày này (dd/mm/yyyy)"))
        parser.add_argument("--hang-doi", action="store_true", dest="enqueue",
                            help=_("đưa vào hàng đợi tác vụ thay vì chạy ngay"))

    def run(self, day: dt.date) -> str:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = parse_date(options["ngay"], field=_("ngày")) or today()
        except ApplicationError as exc:
            raise CommandError(str(exc)) from None
        if options["enqueue"]:
            result = self.task.enqueue(on=day.isoformat())
            self.stdout.write(_("Đã đưa vào hàng đợi: {id}").format(id=result.id))
            return
        self.stdout.write(self.style.SUCCESS(self.run(day)))
