"""`manage.py recompute_targets [--ngay dd/mm/yyyy] [--hang-doi]` (PERF-4): every formula
target's figures from raw data, stored for the dashboards. Run once a day (`make run` runs it at
start); a change to what the formulas read enqueues the same task (targets.receivers)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.dates import format_date
from doanvu.common.management.daily import DailyCommand
from doanvu.targets.recompute import recompute, recompute_task


class Command(DailyCommand):
    help = cast(str, _lazy(
        "Tính lại số liệu mọi chỉ tiêu có công thức từ dữ liệu gốc (theo từng đơn vị) cho "
        "trang chỉ tiêu. Chạy mỗi ngày một lần; chạy lại không ghi trùng."))
    task = recompute_task

    def run(self, day: dt.date) -> str:
        done = recompute(upto=day)
        return _("Tại ngày {day}: tính lại {n} chỉ tiêu ({rows} dòng số liệu).").format(
            day=format_date(day), n=done.targets, rows=done.figures)
