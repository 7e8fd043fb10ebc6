"""`manage.py doc_check`: can this machine make PDF documents? Always exits 0, so `make run`
can call it and the app still starts without PDF (DOCX needs nothing from the system)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from doanvu.documents.rendering import pdf_check


class Command(BaseCommand):
    help = (_("Kiểm tra khả năng tạo PDF văn bản (WeasyPrint, Pango, phông Times "
                         "New Roman hoặc tương thích). Luôn kết thúc với mã 0."))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = pdf_check()
        except Exception as exc:  # noqa: BLE001 - this command must never fail `make run`
            self.stdout.write(_("PDF: chưa sẵn sàng — lỗi không lường trước khi kiểm tra: "
                                "{exc}").format(exc=exc))
            return
        if result.ready:
            self.stdout.write(self.style.SUCCESS(_("PDF: sẵn sàng (phông: {font})").format(
                                                     font=result.font)))
            return
        self.stdout.write(self.style.WARNING(_("PDF: chưa sẵn sàng — ")
                                             + " ".join(result.problems)))
        self.stdout.write(_("Các chức năng khác, kể cả tải văn bản .docx, vẫn dùng được."))
