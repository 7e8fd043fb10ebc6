"""`manage.py expire_imports [--hang-doi]`: uploads of members never confirmed expire (MEM-13)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.members.imports.services import import_jobs_expire
from doanvu.members.imports.tasks import expire_imports


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Xóa tệp và dữ liệu tạm của các lượt nhập đoàn viên chưa được xác nhận quá số ngày "
        "quy định đoàn vụ cho phép; nhật ký được giữ lại. Chạy mỗi ngày một lần; chạy lại "
        "không làm gì thêm."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hang-doi", action="store_true", dest="enqueue",
                            help=_("đưa vào hàng đợi tác vụ thay vì chạy ngay"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = expire_imports.enqueue()
            self.stdout.write(_("Đã đưa vào hàng đợi: {id}").format(id=result.id))
            return
        expired = import_jobs_expire()
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã cho hết hạn {expired} lượt nhập đoàn viên chưa được xác nhận.").format(
                    expired=expired
                )
            )
        )
