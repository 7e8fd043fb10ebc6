"""`manage.py member_counts [--fix]`: check the maintained member counts against a recount from
raw memberships (issue 11); exit status 1 on any difference; --fix rewrites the table."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.members import tally

SHOWN = 50


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Đếm lại số đoàn viên theo đơn vị từ dữ liệu gốc và so với bảng số đếm được duy trì; "
        "báo mọi chênh lệch (mã thoát 1 nếu có). --sua ghi lại bảng từ số đếm lại."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sua", "--fix", action="store_true", dest="fix",
                            help=_("ghi lại bảng số đếm từ dữ liệu gốc"))

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        if options["fix"]:
            with transaction.atomic():
                rows = tally.recount()
            self.stdout.write(self.style.SUCCESS(
                _("Đã đếm lại và ghi {rows} dòng số đếm ({seconds:.1f} giây).").format(
                    rows=rows, seconds=time.perf_counter() - start)))
            return
        diffs = tally.differences()  # its own transaction: one snapshot
        if not diffs:
            self.stdout.write(self.style.SUCCESS(
                _("Số đếm khớp với dữ liệu gốc ({seconds:.1f} giây).").format(
                    seconds=time.perf_counter() - start)))
            return
        self.stdout.write(self.style.ERROR(
            _("Có {n} chênh lệch giữa số đếm được duy trì và số đếm lại:").format(n=len(diffs))))
        for d in diffs[:SHOWN]:
            self.stdout.write(
                _("  đơn vị {path}, tình trạng {status}, giới tính {gender}, năm sinh {year}: "
                  "bảng ghi {kept}, đếm lại {actual}").format(
                    path=d.path, status=d.status, gender=d.gender or "-",
                    year=d.birth_year or "-", kept=d.kept, actual=d.actual))
        if len(diffs) > SHOWN:
            self.stdout.write(_("  … và {more} chênh lệch khác.").format(more=len(diffs) - SHOWN))
        raise CommandError(_("Số đếm chưa khớp: chạy lại với --sua để ghi lại bảng từ dữ liệu "
                             "gốc."), returncode=1)
