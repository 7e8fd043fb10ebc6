from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from doanvu.audit.chain import verify


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của chuỗi nhật ký thay đổi (X-4)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if not result.ok:
            raise CommandError(
                f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{result.broken_id}: {result.problem}. "
                f"Đã kiểm tra {result.checked} bản ghi hợp lệ trước đó."
            )
        self.stdout.write(f"Chuỗi nhật ký toàn vẹn: {result.checked} bản ghi.")
