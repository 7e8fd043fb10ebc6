"""`manage.py mark_missed_inspection_documents [--ngay dd/mm/yyyy] [--hang-doi]` (INS-5)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.dates import format_date
from doanvu.common.management.daily import DailyCommand
from doanvu.inspections.services import documents_missed_mark
from doanvu.inspections.tasks import mark_missed_documents


class Command(DailyCommand):
    help = cast(str, _lazy(
        "Ghi nhận “không được kiểm tra năm nay” cho các đơn vị không nộp tài liệu kiểm tra "
        "đúng hạn. Chạy mỗi ngày một lần; chạy lại không ghi trùng."
    ))
    task = mark_missed_documents

    def run(self, day: dt.date) -> str:
        marked = documents_missed_mark(on=day)
        return _("Tại ngày {day}: {count} buổi kiểm tra ghi nhận không được kiểm tra vì không nộp "
                 "tài liệu đúng hạn.").format(day=format_date(day), count=len(marked))
