"""`manage.py backup <tệp> [--khong-tep]` (API-2): the whole database (and the uploads) into one
file whose manifest holds every table's row count and checksum (doanvu/ops/backup.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from doanvu.ops.backup import backup


class Command(BaseCommand):
    help = _("Sao lưu toàn bộ cơ sở dữ liệu (mọi bảng, số dòng và mã kiểm tra từng bảng) và các "
             "tệp đính kèm (MEDIA_ROOT) vào một tệp; khôi phục bằng `manage.py restore`.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar=_("TỆP"), help=_("tệp sao lưu sẽ ghi (.zip)"))
        parser.add_argument("--khong-tep", action="store_true", dest="no_media",
                            help=_("không kèm các tệp đính kèm (khi MEDIA_ROOT được sao lưu "
                                   "riêng)"))

    def handle(self, *args: Any, **options: Any) -> None:
        say: Callable[[str], None] = (self.stdout.write if options["verbosity"] > 1
                                       else _quiet)
        try:
            done = backup(options["file"], media=not options["no_media"], say=say)
        except OSError as exc:
            raise CommandError(_("Không ghi được tệp sao lưu {file}: {err}").format(
                file=options["file"], err=exc)) from None
        self.stdout.write(self.style.SUCCESS(_(
            "Đã sao lưu {tables} bảng, {rows} dòng, {files} tệp đính kèm, nhật ký đến bản ghi "
            "#{audit} vào {file}.").format(tables=done.tables, rows=done.rows, files=done.files,
                                           audit=done.audit_records, file=options["file"])))


def _quiet(_message: str) -> None:
    return None
