"""`manage.py generate_reports --nam YYYY --don-vi ID [--don-vi ID …] [--loai LOẠI …]
[--sau-thang] --thu-muc THƯ_MỤC [--as-user TÊN]` (API-2): the periodic reports' workbooks of
the chosen units for a year, written into a folder (doanvu/ops/reports.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.models import User
from doanvu.accounts.scope import READ, Scope
from doanvu.common.dbrouter import reads_from_replica
from doanvu.common.errors import ApplicationError
from doanvu.ops import reports
from doanvu.org.selectors import unit_get

YEAR_MIN, YEAR_MAX = 1900, 2200  # i18n: data (the years the pages accept)


class Command(BaseCommand):
    help = _("Tạo các báo cáo định kỳ (chỉ tiêu sơ kết/tổng kết, tổng hợp khắc phục khuyết "
             "điểm, tổng hợp đi cơ sở) của các đơn vị cho một năm thành tệp .xlsx trong một "
             "thư mục.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--nam", type=int, required=True, dest="year", metavar=_("NĂM"),
                            help=_("năm của báo cáo"))
        parser.add_argument("--don-vi", type=int, action="append", required=True, dest="units",
                            metavar=_("SỐ"), help=_("số (id) của đơn vị (lặp lại được)"))
        parser.add_argument("--loai", action="append", dest="kinds", metavar=_("LOẠI"),
                            help=_("chi-tieu, khac-phuc hoặc di-co-so (lặp lại được; mặc định "
                                   "cả ba)"))
        parser.add_argument("--sau-thang", action="store_true", dest="half",
                            help=_("báo cáo chỉ tiêu sơ kết 6 tháng thay vì tổng kết năm"))
        parser.add_argument("--thu-muc", required=True, dest="folder", metavar=_("THƯ_MỤC"),
                            help=_("thư mục ghi các tệp"))
        parser.add_argument("--as-user", dest="as_user", metavar=_("TÊN_ĐĂNG_NHẬP"),
                            help=_("đọc trong phạm vi của người dùng này (mặc định: hệ thống, "
                                   "mọi đơn vị)"))

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise CommandError(_("Năm {year} không hợp lệ: cần từ {lo} đến {hi}.").format(
                year=year, lo=YEAR_MIN, hi=YEAR_MAX))
        kinds = options["kinds"] or list(reports.KINDS)
        wrong = [k for k in kinds if k not in reports.KINDS]
        if wrong:
            raise CommandError(_("Loại báo cáo “{kind}” không có: chọn {kinds}.").format(
                kind=wrong[0], kinds=", ".join(reports.KINDS)))
        scope = _scope(options["as_user"])
        units = []
        for pk in dict.fromkeys(options["units"]):
            try:
                units.append(unit_get(scope=scope, pk=pk, perm=READ))
            except Http404:
                raise CommandError(_("Không tìm thấy đơn vị số {id} (hoặc ngoài phạm vi của "
                                     "người dùng).").format(id=pk)) from None
        folder = Path(options["folder"])
        say: Callable[[str], None] = (self.stdout.write if options["verbosity"] > 1
                                       else _quiet)
        written = 0
        failed = 0
        for unit in units:
            for kind in kinds:
                try:
                    with reads_from_replica():  # a no-op without DATABASE_REPLICA_URL
                        files = reports.generate(scope=scope, unit=unit, kind=kind, year=year,
                                                 half=options["half"])
                except ApplicationError as exc:
                    failed += 1
                    self.stderr.write(_("{unit}, báo cáo {kind}: {err}").format(
                        unit=unit.name, kind=kind, err=exc))
                    continue
                try:
                    written += reports.write(folder, files, say)
                except OSError as exc:
                    raise CommandError(_("Không ghi được vào thư mục {folder}: {err}").format(
                        folder=folder, err=exc)) from None
        if failed:
            raise CommandError(_("{failed} báo cáo không tạo được (xem trên); đã ghi {n} tệp vào "
                                 "{folder}.").format(failed=failed, n=written, folder=folder))
        self.stdout.write(self.style.SUCCESS(_("Đã ghi {n} tệp báo cáo năm {year} vào {folder}.")
                                             .format(n=written, year=year, folder=folder)))


def _scope(username: str | None) -> Scope:
    if not username:
        return Scope(user_id=None, is_superuser=True)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("Không có người dùng đang hoạt động tên “{name}”.").format(
            name=username))
    return Scope.for_user(user)


def _quiet(_message: str) -> None:
    return None
