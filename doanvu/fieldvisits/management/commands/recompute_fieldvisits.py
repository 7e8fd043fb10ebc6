"""`manage.py recompute_fieldvisits [--ngay dd/mm/yyyy] [--hang-doi]` (FV-3, FV-4, FV-11): every
cadre's field-visit compliance of the year, stored for the tables and roll-ups. Run once a day
(`make run` runs it at start; the tables also refresh a unit's rows on their first view of a
day)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.dates import format_date
from doanvu.common.management.daily import DailyCommand
from doanvu.fieldvisits.recompute import recompute, recompute_task


class Command(DailyCommand):
    help = cast(str, _lazy(
        "Tính lại kết quả đi cơ sở của mọi cán bộ trong năm (số ngày, theo cấp, sinh hoạt chi "
        "đoàn, chủ trương 1+2). Chạy mỗi ngày một lần; chạy lại không ghi trùng."))
    task = recompute_task

    def run(self, day: dt.date) -> str:
        done = recompute(year=day.year, as_of=day)
        return _("Tại ngày {day}: tính lại {n} cán bộ năm {year} ({new} mới, {changed} thay đổi, "
                 "{gone} bỏ).").format(day=format_date(day), n=done.cadres, year=day.year,
                                       new=done.created, changed=done.updated, gone=done.deleted)
