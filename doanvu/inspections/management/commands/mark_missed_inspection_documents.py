"""`manage.py mark_missed_inspection_documents [--ngay dd/mm/yyyy] [--hang-doi]` (INS-5)."""

from __future__ import annotations

from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.dates import format_date, parse_date, today
from doanvu.common.errors import ApplicationError
from doanvu.inspections.services import documents_missed_mark
from doanvu.inspections.tasks import mark_missed_documents


class Command(BaseCommand):
    help = cast(str, _lazy(
        "Ghi nhận “không được kiểm tra năm nay” cho các đơn vị không nộp tài liệu kiểm tra "
        "đúng hạn. Chạy mỗi ngày một lần; chạy lại không ghi trùng."
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
            result = mark_missed_documents.enqueue(on=day.isoformat())
            self.stdout.write(_("Đã đưa vào hàng đợi: {id}").format(id=result.id))
            return
        marked = documents_missed_mark(on=day)
        self.stdout.write(self.style.SUCCESS(_(
            "Tại ngày {day}: {count} buổi kiểm tra ghi nhận không được kiểm tra vì không nộp "
            "tài liệu đúng hạn."
        ).format(day=format_date(day), count=len(marked))))
