"""`manage.py send_reminders [--ngay dd/mm/yyyy] [--hang-doi]`: reminders of deadlines (HUB-3)."""

from __future__ import annotations

from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.dates import format_date, parse_date, today
from doanvu.common.errors import ApplicationError
from doanvu.hub.services import reminders_send
from doanvu.hub.tasks import send_reminders


class Command(BaseCommand):
    help = cast(str, _lazy(
        "Gửi thông báo và thư điện tử nhắc các việc sắp đến hạn và quá hạn. Chạy mỗi ngày một "
        "lần; chạy lại không gửi trùng."
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
            result = send_reminders.enqueue(on=day.isoformat())
            self.stdout.write(_("Đã đưa vào hàng đợi: {id}").format(id=result.id))
            return
        run = reminders_send(on=day)
        self.stdout.write(self.style.SUCCESS(
            _(
                "Nhắc hạn tại ngày {format_date}: {notices} thông báo mới, {emails} thư điện tử "
                "đã gửi."
            ).format(format_date=format_date(day), notices=run.notices, emails=run.emails)
        ))
