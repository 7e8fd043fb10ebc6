"""`manage.py create_inspection_followups [--ngay dd/mm/yyyy] [--hang-doi]` (INS-7)."""

from __future__ import annotations

from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.dates import format_date, parse_date, today
from doanvu.common.errors import ApplicationError
from doanvu.inspections.followup import rounds_ended
from doanvu.inspections.tasks import create_followups


class Command(BaseCommand):
    help = cast(str, _lazy(
        "Giao việc sau kiểm tra: tổng hợp đợt kiểm tra đã kết thúc, bài thu hoạch và tổng hợp "
        "vấn đề của đơn vị còn thiếu. Chạy mỗi ngày một lần; chạy lại không giao trùng."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ngay", default="", help=_("tính như tại ngày này (dd/mm/yyyy)"))
        parser.add_argument("--hang-doi", action="store_true", dest="enqueue",
                            help=_("đưa vào hàng đợi tác vụ thay vì chạy ngay"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = parse_date(options["ngay"], field=_("ngày")) or today()
        except ApplicationError as exc:
            raise CommandError(str(exc)) from None
        if options["enqueue"]:
            result = create_followups.enqueue(on=day.isoformat())
            self.stdout.write(_("Đã đưa vào hàng đợi: {id}").format(id=result.id))
            return
        try:
            done = rounds_ended(on=day)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from None
        for note in dict.fromkeys(done.notes):
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(self.style.SUCCESS(_(
            "Tại ngày {day}: đã giao {count} việc sau kiểm tra."
        ).format(day=format_date(day), count=len(done.created))))
