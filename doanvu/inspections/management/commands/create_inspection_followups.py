"""`manage.py create_inspection_followups [--ngay dd/mm/yyyy] [--hang-doi]` (INS-7)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.dates import format_date
from doanvu.common.errors import ApplicationError
from doanvu.common.management.daily import DailyCommand
from doanvu.inspections.followup import rounds_ended
from doanvu.inspections.tasks import create_followups


class Command(DailyCommand):
    help = cast(str, _lazy(
        "Giao việc sau kiểm tra: tổng hợp đợt kiểm tra đã kết thúc, bài thu hoạch và tổng hợp "
        "vấn đề của đơn vị còn thiếu. Chạy mỗi ngày một lần; chạy lại không giao trùng."
    ))
    task = create_followups

    def run(self, day: dt.date) -> str:
        try:
            done = rounds_ended(on=day)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from None
        for note in dict.fromkeys(done.notes):
            self.stdout.write(self.style.WARNING(note))
        return _("Tại ngày {day}: đã giao {count} việc sau kiểm tra.").format(
            day=format_date(day), count=len(done.created))
