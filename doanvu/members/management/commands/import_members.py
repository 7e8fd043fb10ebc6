"""`manage.py import_members <tệp> --unit <số> --as-user <tên>` (API-2; MEM-13): the member import
of the pages, run here and now — the same reader, column mapping, checks, scope and audit
(`members.imports.services`). All rows or none: the dry run must find no error (otherwise each
is printed by row and column and nothing is written); if the import then refuses a row (the
database changed in between) or stops, what its batches wrote is rolled back (the pages'
"Hủy") and the command ends non-zero."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from doanvu.accounts.models import User
from doanvu.common.errors import ApplicationError
from doanvu.members.imports import services
from doanvu.members.models import ImportJob, ImportStatus
from doanvu.org.models import Unit

ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = _("Nhập đoàn viên từ tệp .xlsx hoặc .csv vào một đơn vị, như trang Nhập đoàn viên "
             "(cùng cách đọc, kiểm tra và phạm vi): có lỗi ở bất kỳ dòng nào thì không nhập gì.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar=_("TỆP"), help=_("tệp .xlsx hoặc .csv"))
        parser.add_argument("--unit", type=int, required=True, metavar=_("SỐ"),
                            help=_("số (id) của đơn vị nhận đoàn viên"))
        parser.add_argument("--as-user", dest="as_user", required=True,
                            metavar=_("TÊN_ĐĂNG_NHẬP"),
                            help=_("người nhập: quyền của người này quyết định phạm vi, tên "
                                   "của người này ghi vào nhật ký"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp {file}.").format(file=path))
        user = User.objects.filter(username=options["as_user"], is_active=True).first()
        if user is None:
            raise CommandError(_("Không có người dùng đang hoạt động tên “{name}”.").format(
                name=options["as_user"]))
        unit = Unit.objects.select_related("kind").filter(pk=options["unit"]).first()
        if unit is None:
            raise CommandError(_("Không có đơn vị số {id}.").format(id=options["unit"]))
        try:
            with path.open("rb") as fh:
                job = services.import_job_create(actor=user, unit=unit,
                                                 upload=File(fh, name=path.name))
        except (services.ImportFileError, ApplicationError) as exc:
            raise CommandError(str(exc)) from None
        missing = services.missing_required(job.mapping, unit_is_branch=unit.kind.is_branch)
        if missing:
            raise CommandError(_("Tệp thiếu cột bắt buộc: {cols}. Dòng tiêu đề phải có các cột "
                                 "như tệp mẫu của trang Nhập đoàn viên.").format(
                cols=", ".join(missing)))
        try:
            out = services.import_job_check(job=job, mapping=job.mapping)
        except services.ImportFileError as exc:
            raise CommandError(str(exc)) from None
        if out.errors:
            self._errors(out.errors)
            raise CommandError(_("{n} dòng có lỗi trong {total} dòng: không nhập dòng nào. Sửa "
                                 "tệp rồi chạy lại.").format(n=len(out.bad_rows), total=out.total))
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.RUNNING, processed_rows=0, batches_done=0, worker="",
            progress={"step": "import"})
        try:
            counts = services.import_job_run(job_id=job.pk)
        except Exception as exc:
            self._roll_back(job, user)
            raise CommandError(_("Lượt nhập dừng vì một lỗi ngoài dự kiến ({err}); đã hoàn lại "
                                 "mọi dòng đã ghi: không nhập dòng nào.").format(
                err=type(exc).__name__)) from exc
        job.refresh_from_db()
        if job.status != ImportStatus.DONE or counts.get("errors"):
            self._errors([tuple(e) for e in job.report.get("errors", [])])
            self._roll_back(job, user)
            raise CommandError(_("Lượt nhập dừng giữa chừng ({why}); đã hoàn lại mọi dòng đã ghi: "
                                 "không nhập dòng nào.").format(
                why=job.report.get("failure") or _("có dòng bị từ chối lúc nhập")))
        self.stdout.write(self.style.SUCCESS(_(
            "Đã nhập {total} dòng vào {unit}: {added} thêm, {updated} cập nhật, {unchanged} "
            "không đổi (lượt nhập #{job}).").format(
                total=counts["total"], unit=unit.name, added=counts["added"],
                updated=counts["updated"], unchanged=counts["unchanged"], job=job.pk)))

    def _errors(self, errors: list[Any]) -> None:
        for row, column, message in errors[:ERRORS_SHOWN]:
            self.stderr.write(_("Dòng {row}, cột {column}: {message}").format(
                row=row, column=column or "—", message=message))
        if len(errors) > ERRORS_SHOWN:
            self.stderr.write(_("… và {n} lỗi khác.").format(n=len(errors) - ERRORS_SHOWN))

    def _roll_back(self, job: ImportJob, user: User) -> None:
        job.refresh_from_db()
        if job.status in (ImportStatus.RUNNING, ImportStatus.DONE, ImportStatus.FAILED):
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.INTERRUPTED,
                                                       worker="", heartbeat_at=None)
            job.refresh_from_db()
        if job.status == ImportStatus.INTERRUPTED:
            services.import_job_cancel(job=job, actor=user)
