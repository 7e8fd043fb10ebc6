"""`manage.py restore <tệp> [--force] [--khong-tep] [--khong-kiem-nhat-ky]` (API-2): a backup
back into a migrated database, in one transaction, every table's count and checksum checked and
the audit chain verified before the commit (doanvu/ops/backup.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from doanvu.ops.backup import RestoreError, restore


class Command(BaseCommand):
    help = _("Khôi phục một bản sao lưu của `manage.py backup` vào cơ sở dữ liệu đã migrate: "
             "tất cả hoặc không gì cả; số dòng và mã kiểm tra từng bảng phải khớp, chuỗi nhật ký "
             "phải toàn vẹn (cùng khóa DOANVU_AUDIT_KEY).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar=_("TỆP"), help=_("tệp sao lưu (.zip)"))
        parser.add_argument("--force", action="store_true",
                            help=_("cho phép xóa dữ liệu đang có trong cơ sở dữ liệu đích"))
        parser.add_argument("--khong-tep", action="store_true", dest="no_media",
                            help=_("không khôi phục các tệp đính kèm"))
        parser.add_argument("--khong-kiem-nhat-ky", action="store_true", dest="no_audit",
                            help=_("không kiểm tra chuỗi nhật ký sau khi nạp (chỉ khi chuỗi đã "
                                   "hỏng từ lúc sao lưu)"))

    def handle(self, *args: Any, **options: Any) -> None:
        say: Callable[[str], None] = (self.stdout.write if options["verbosity"] > 1
                                       else _quiet)
        try:
            done = restore(options["file"], force=options["force"],
                           media=not options["no_media"], check_audit=not options["no_audit"],
                           say=say)
        except RestoreError as exc:
            raise CommandError(str(exc)) from None
        message = _("Đã khôi phục {tables} bảng, {rows} dòng (số dòng và mã kiểm tra từng bảng "
                    "khớp), {files} tệp đính kèm.").format(tables=done.tables, rows=done.rows,
                                                          files=done.files)
        if not options["no_audit"]:
            message += " " + _("Chuỗi nhật ký toàn vẹn đến bản ghi #{audit}.").format(
                audit=done.audit_records)
        self.stdout.write(self.style.SUCCESS(message))


def _quiet(_message: str) -> None:
    return None
