"""`manage.py generate_nation --units 250000 --seed 1`: a synthetic nation for demos and benches."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doanvu.demo.history import write_history
from doanvu.demo.nation import build_nation, existing_root, write_members, write_nation


def _n(value: int) -> str:
    """250000 → "250.000", as Vietnamese write numbers."""
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Sinh một cây tổ chức tổng hợp khoảng N đơn vị (tỉnh, huyện, cơ sở, chi đoàn…), cùng các "
        "ban, cán bộ, nhiệm kỳ. Cùng N và seed cho cùng kết quả. Gắn dưới Trung ương Đoàn sẵn có "
        "nếu đã có. Không ghi nhật ký thay đổi (dữ liệu tổng hợp, không phải thao tác người dùng)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--units", type=int, default=250_000, help="số đơn vị cần sinh (mặc định 250000)"
        )
        parser.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên")
        parser.add_argument(
            "--members", type=int, default=0,
            help="thêm N đoàn viên vào các chi đoàn (sau khi sinh cây; --units 0: chỉ thêm "
            "đoàn viên vào cây sẵn có)",
        )
        parser.add_argument(
            "--history", action="store_true",
            help="sinh thêm lịch sử một năm cho cây trong cơ sở dữ liệu: việc phải nộp, văn bản, "
            "xếp loại năm trước, nhật ký thay đổi (--units 0 --history: chỉ sinh lịch sử)",
        )
        parser.add_argument(
            "--audit-records", type=int, default=3_000_000,
            help="số bản ghi nhật ký thay đổi của --history (mặc định 3000000)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        units: int = options["units"]
        seed: int = options["seed"]
        members: int = options["members"]
        history: bool = options["history"]
        if units < 0 or members < 0 or (units == 0 and members == 0 and not history):
            raise CommandError("--units phải là số dương (hoặc 0 kèm --members N / --history).")
        start = time.perf_counter()
        if units == 0:
            if members:
                self._members(members, seed, start)
            if history:
                self._history(seed, options["audit_records"], start)
            return
        root = existing_root()
        if root is not None:
            self.stdout.write(f"Gắn dưới đơn vị gốc sẵn có: {root.name} (#{root.pk}).")
        plan = build_nation(
            units=units,
            seed=seed,
            create_root=root is None,
            root_founded=root.founded_on if root is not None else None,
        )
        counts = plan.counts()
        self.stdout.write(
            f"Đã lập kế hoạch {_n(counts['units'])} đơn vị, {_n(counts['people'])} cán bộ "
            f"({time.perf_counter() - start:.1f} s)."
        )
        for key, value in counts.items():
            if key.startswith("units."):
                self.stdout.write(f"  {key[6:]}: {_n(value)}")
        self.stdout.write("Ghi vào cơ sở dữ liệu…")
        result = write_nation(plan, root=root, log=self.stdout.write)
        elapsed = time.perf_counter() - start
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong: {_n(result.counts['org_unit'])} đơn vị (id từ #{result.first_unit_id}), "
                f"tổng thời gian {elapsed:.1f} s."
            )
        )
        if members:
            self._members(members, seed, start)
        if history:
            self._history(seed, options["audit_records"], start)

    def _history(self, seed: int, audit_records: int, start: float) -> None:
        self.stdout.write("Sinh lịch sử một năm (việc phải nộp, văn bản, xếp loại, nhật ký)…")
        t = time.perf_counter()
        try:
            result = write_history(seed=seed, audit_records=audit_records,
                                   log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{k} {_n(v)}" for k, v in result.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong lịch sử: {counts}; {time.perf_counter() - t:.1f} s "
                f"(tổng {time.perf_counter() - start:.1f} s)."
            )
        )

    def _members(self, members: int, seed: int, start: float) -> None:
        self.stdout.write(f"Thêm {_n(members)} đoàn viên…")
        try:
            result = write_members(members=members, seed=seed, log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong: {_n(result.members)} đoàn viên trong {_n(result.branches)} chi đoàn, "
                f"{result.seconds:.1f} s (tổng {time.perf_counter() - start:.1f} s)."
            )
        )
