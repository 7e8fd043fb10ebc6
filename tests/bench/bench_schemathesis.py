"""Issue 16 item 5, "Generated API testing": schemathesis over the whole served OpenAPI schema
(/api/v1/schema/) on the bench's database — the driver of tests/api/test_api1_schemathesis.py
(every operation, valid and malformed data, checks: no 5xx, documented status codes and content
types, bodies matching the schema, malformed data refused) run with enough examples for at least
BENCH_SCHEMATHESIS_CASES (default 10 000) cases as the secretary of the province closest to
200 000 members, then a
tenth of that as a user with no unit. Everything the run writes is rolled back.

Run alone: `DATABASE_URL=postgres://… .venv/bin/python -m tests.bench.bench_schemathesis` (or
SQLite), or as part of `make bench` (run.py; BENCH_SCHEMATHESIS=0 skips it).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
import time
from collections.abc import Callable
from typing import Any

AddRow = Callable[[str, str, str, bool | None], None]


class _Rollback(Exception):
    pass


def _token(user: Any) -> tuple[str, int]:
    from doanvu.api import services
    from doanvu.common.dates import today

    new = services.token_create(actor=user, user=user, name="Bench kiểm thử sinh tự động",
                                expires_on=today() + dt.timedelta(days=1))
    return new.key, new.token.pk


def _run_user(user: Any, target: int, label: str, add_row: AddRow) -> None:
    """Rounds over the whole schema (new seeds each round) until `target` cases were made."""
    from tests.api.test_api1_schemathesis import (
        Outcome,
        _keeper,
        existing_ids,
        run_schema,
        served_schema,
    )

    key, pk = _token(user)
    schema = served_schema(key)
    operations = sum(len(methods) for methods in schema.get("paths", {}).values())
    # positive + negative per operation; hypothesis may stop early on a small input space
    examples = max(1, math.ceil(target / max(1, operations * 2)))
    ids = existing_ids()
    total = Outcome()
    rounds = 0
    while total.cases < target and rounds < 10:
        out = run_schema(schema, key, examples=examples, ids=ids, keep_token=_keeper(pk),
                         seed=16 + 1000 * rounds)
        rounds += 1
        total.cases += out.cases
        total.operations = out.operations
        total.seconds += out.seconds
        total.server_errors += out.server_errors
        total.violations += out.violations
        for code, n in out.by_status.items():
            total.by_status[code] = total.by_status.get(code, 0) + n
    for line in total.failures()[:20]:
        print("    " + line)
    statuses = ", ".join(f"{c}: {n}" for c, n in sorted(total.by_status.items()))
    add_row(f"schemathesis ({label}): {total.operations} thao tác, số ca sinh ra",
            f"{total.cases} ca trong {total.seconds:.0f} s ({statuses})", f"≥ {target}",
            total.cases >= target)
    add_row(f"schemathesis ({label}): lỗi máy chủ (5xx)", str(len(total.server_errors)), "0",
            not total.server_errors)
    add_row(f"schemathesis ({label}): câu trả lời sai schema (mã, kiểu, nội dung, dữ liệu hỏng "
            "được nhận)", str(len(total.violations)), "0", not total.violations)


def run(add_row: AddRow) -> None:
    from django.db import transaction
    from django.test.utils import override_settings

    from doanvu.accounts.models import User
    from doanvu.org.models import Unit
    from tests.bench.bench_pages import _grant
    from tests.bench.bench_surveys import _province

    target = int(os.environ.get("BENCH_SCHEMATHESIS_CASES", "10000"))
    if not Unit.objects.filter(kind__code="tinh").exists():
        add_row("schemathesis (issue 16)", "không có tỉnh nào trong CSDL", "", None)
        return
    province, _members = _province()  # the one closest to 200 000 members
    t = time.perf_counter()
    try:
        with override_settings(ALLOWED_HOSTS=["*", "testserver"]), transaction.atomic():
            secretary = _grant(f"bench_api_bt_{province.pk}", province,
                               f"Bí thư {province.name} (API)")
            _run_user(secretary, target, f"bí thư {province.name}", add_row)
            outsider, _ = User.objects.get_or_create(
                username="bench_api_ngoai", defaults={"full_name": "Người ngoài (bench)"})
            _run_user(outsider, max(1, target // 10), "người không có đơn vị", add_row)
            raise _Rollback
    except _Rollback:
        pass
    add_row("schemathesis: thời gian cả phần (đã hoàn tác mọi thay đổi)",
            f"{time.perf_counter() - t:.0f} s", "(thông tin)", None)


if __name__ == "__main__":
    from tests.bench.run import run_alone

    sys.exit(run_alone(run))
