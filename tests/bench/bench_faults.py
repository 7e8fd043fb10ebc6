"""Issue 16, "Load and faults": the fault scenarios as bench rows — a lost database connection
mid-request, the task worker killed with SIGKILL mid-import and mid-recompute and started
again, and the concurrent writes that must not lose updates — each run for real by its test on
the bench's database server (pytest-django builds `test_<name>` beside it) and reported with
its outcome and the test's whole time, database set-up included (docs/architecture.md,
"Faults and lost updates (issue 16)").

Run alone: `DATABASE_URL=postgres://… .venv/bin/python -m tests.bench.bench_faults` (or SQLite),
or as part of `make bench` (run.py; BENCH_FAULTS=0 skips it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# (test, what it proves) — the row's name
SCENARIOS = [
    ("tests/members/test_x9_faults_i16.py::"
     "test_x9_connection_lost_mid_request_shows_a_vietnamese_page_writes_nothing_and_recovers",
     "mất kết nối CSDL giữa yêu cầu: trang 503, không ghi dở, yêu cầu sau chạy"),
    ("tests/members/test_x9_import_worker_killed_i16.py::"
     "test_x9_worker_killed_mid_import_restarts_and_the_resumed_import_completes_exactly",
     "SIGKILL giữa lô nhập đoàn viên → khởi động lại → tiếp tục: đủ, không trùng"),
    ("tests/members/test_x9_import_worker_killed_i16.py::"
     "test_x9_worker_killed_mid_import_then_cancelled_leaves_nothing_of_it",
     "SIGKILL giữa lô nhập đoàn viên → hủy: không còn dòng nào"),
    ("tests/targets/test_x9_worker_killed_i16.py::"
     "test_x9_worker_killed_mid_recompute_leaves_whole_figures_and_recovers",
     "SIGKILL giữa tính lại chỉ tiêu: số cũ hoặc mới trọn vẹn, tính lại xong"),
    ("tests/members/test_x9_faults_i16.py::"
     "test_mem3_two_transfers_of_one_member_at_once_exactly_one_wins",
     "hai lượt chuyển sinh hoạt một đoàn viên cùng lúc: đúng một lượt"),
    ("tests/emulation/test_emu8_lock_audit.py::"
     "test_emu8_two_departments_scoring_one_sheet_at_once_both_land",
     "hai ban chấm một phiếu cùng lúc: không mất lần chấm nào"),
    ("tests/documents/test_doc_numbering.py::"
     "test_doc2_concurrent_issuing_never_reuses_a_number",
     "nhiều văn thư cấp số văn bản cùng lúc: không trùng, không hụt số"),
]


def run(add_row: Callable[[str, str, str, bool | None], None]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "faults.xml"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "doanvu.settings.test"}
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--create-db",
             f"--junitxml={report}", *(test for test, _name in SCENARIOS)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if not report.exists():
            add_row("kịch bản lỗi (issue 16)", "không chạy được", "chạy", False)
            print(done.stdout[-2000:], done.stderr[-2000:])
            return
        cases = {c.get("name"): c for c in ET.parse(report).getroot().iter("testcase")}
    for test, name in SCENARIOS:
        case = cases.get(test.rpartition("::")[2])
        if case is None:
            add_row(name, "không chạy", "đạt", False)
            continue
        failed = any(child.tag in {"failure", "error", "skipped"} for child in case)
        # the time is the whole test's, its database set-up and clean-up included
        add_row(name, f"{'lỗi' if failed else 'đạt'} ({float(case.get('time', 0)):.1f} s)",
                "đạt", not failed)


def main() -> int:
    rows: list[tuple[str, str, str, bool | None]] = []
    run(lambda m, v, t, ok: rows.append((m, v, t, ok)))
    width = max(len(r[0]) for r in rows)
    for metric, value, target, ok in rows:
        mark = "" if ok is None else (" ✓" if ok else " ✗")
        print(f"{metric:<{width}} | {value}{mark} | {target}")
    return 0 if all(r[3] is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
