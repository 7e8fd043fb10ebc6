"""`manage.py load_demo`: load the demo organisation once, then print the demo logins."""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from doanvu.demo.loader import LoginRow, is_loaded, load_demo, login_rows

HEADERS = ("Tên đăng nhập", "Mật khẩu", "Họ và tên", "Vai trò", "Đơn vị")


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in unicodedata.normalize("NFC", text))


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_logins(rows: list[LoginRow]) -> str:
    table = [HEADERS] + [(r.username, r.password, r.full_name, r.role, r.unit) for r in rows]
    widths = [max(_width(row[i]) for row in table) for i in range(len(HEADERS))]
    rule = "+-" + "-+-".join("-" * w for w in widths) + "-+"
    lines = [rule]
    for n, row in enumerate(table):
        lines.append("| " + " | ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)) + " |")
        if n == 0:
            lines.append(rule)
    lines.append(rule)
    return "\n".join(lines)


class Command(BaseCommand):
    help = ("Nạp dữ liệu mẫu (Trung ương Đoàn, 63 tỉnh, thành đoàn, TP. Hồ Chí Minh, Tây Ninh, "
            "sắp xếp 01/7/2025) nếu chưa có, rồi in danh sách tài khoản dùng thử.")

    def handle(self, *args: Any, **options: Any) -> None:
        if is_loaded():
            self.stdout.write("Dữ liệu mẫu đã có trong cơ sở dữ liệu: không nạp lại.")
        else:
            started = time.monotonic()
            summary = load_demo()
            elapsed = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(
                f"Đã nạp dữ liệu mẫu: {summary.units} đơn vị, {summary.users} tài khoản "
                f"({elapsed:.1f} giây)."
            ))
        rows = login_rows()
        if not rows:
            self.stdout.write("Không tìm thấy tài khoản dùng thử nào trong cơ sở dữ liệu.")
            return
        self.stdout.write("Tài khoản dùng thử (mật khẩu như nhau cho mọi tài khoản):")
        self.stdout.write(format_logins(rows))
        self.stdout.write(second_factor_note(required=settings.OTP_REQUIRED))


def second_factor_note(*, required: bool) -> str:
    """What the demo's administrators meet after the password (issue 16)."""
    if required:
        return ("Xác thực hai bước đang bật (DOANVU_OTP_REQUIRED): tài khoản quản trị (quantri, "
                "các bí thư, quản trị đơn vị) sẽ được yêu cầu thiết lập ứng dụng xác thực ngay "
                "sau khi đăng nhập.")
    return ("Xác thực hai bước đang tắt trong bản dùng thử, để đăng nhập ngay bằng các tài "
            "khoản trên; bản chính thức (doanvu.settings.production) luôn bắt buộc với tài "
            "khoản quản trị. Thử bằng DOANVU_OTP_REQUIRED=1 make run.")
