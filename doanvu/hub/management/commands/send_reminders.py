"""`manage.py send_reminders [--ngay dd/mm/yyyy] [--hang-doi]`: reminders of deadlines (HUB-3)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.dates import format_date
from doanvu.common.management.daily import DailyCommand
from doanvu.hub.services import reminders_send
from doanvu.hub.tasks import send_reminders


class Command(DailyCommand):
    help = cast(str, _lazy(
        "Gửi thông báo và thư điện tử nhắc các việc sắp đến hạn và quá hạn. Chạy mỗi ngày một "
        "lần; chạy lại không gửi trùng."
    ))
    task = send_reminders

    def run(self, day: dt.date) -> str:
        run = reminders_send(on=day)
        return _("Nhắc hạn tại ngày {format_date}: {notices} thông báo mới, {emails} thư điện tử "
                 "đã gửi.").format(format_date=format_date(day), notices=run.notices,
                                  emails=run.emails)
