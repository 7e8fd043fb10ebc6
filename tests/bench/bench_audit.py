"""X-4 (issue 9): audited writes a second with 1, 10 and 50 concurrent writers, beside the same
writes unaudited — is the chain's single head the limit?

Run alone: `.venv/bin/python tests/bench/bench_audit.py` (a fresh PostgreSQL database
`doanvu_audit_bench` on 127.0.0.1, or DATABASE_URL), or as part of `make bench` (run.py).

* Each writer is a process with its own connection; each write is one transaction saving one
  DuesEntry (a small audited row: the audit reads the row, then appends one record under the
  head's lock). Writers update disjoint rows, so the only lock they share is the chain's head.
* "unaudited": the same saves with DuesEntry taken out of the audit registry in the writer.
* BENCH_AUDIT_WRITERS (default "1,10,50"), BENCH_AUDIT_SECONDS (default 5) per cell.
* BENCH_AUDIT_BULK_ROWS (default 10000): rows recorded as one bulk step, and as as many
  per-object records, for comparison (0 skips it).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_DB = "doanvu_audit_bench"
ROWS_PER_WRITER = 20


def _setup(max_writers: int) -> list[list[int]]:
    """A branch with one member per writer slot and a dues entry per row; ids per writer."""
    from doanvu.common.periods import Period
    from doanvu.members.models import DuesEntry, Membership
    from doanvu.org import services
    from doanvu.org.models import Person, Unit, UnitKind

    d0 = dt.date(2017, 1, 1)
    parent: Unit | None = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    for code, name in (("trung_uong", "Trung ương Đoàn (bench nhật ký)"),
                       ("tinh", "Tỉnh đoàn bench nhật ký"), ("huyen", "Huyện đoàn bench nhật ký"),
                       ("co_so", "Đoàn xã bench nhật ký"), ("chi_doan", "Chi đoàn bench nhật ký")):
        if parent is not None and code == "trung_uong":
            continue
        parent = services.unit_create(actor=None, parent=parent, name=name,
                                      kind=UnitKind.objects.get(code=code), founded_on=d0,
                                      sector="dan_cu_nong_thon" if code == "co_so" else "")
    branch = parent
    assert branch is not None
    ids: list[list[int]] = []
    for w in range(max_writers):
        person = Person.objects.create(full_name=f"Đoàn viên bench {w}",
                                       birth_date=dt.date(2000, 1, 1), gender="nam")
        membership = Membership.objects.create(
            person=person, branch=branch, unit_path=branch.path, name_folded=person.name_folded,
            birth_date=person.birth_date, joined_union_on=d0, started_on=d0)
        entries = [DuesEntry(membership=membership, month=Period.month(2000 + i, 1),
                             amount_due=2000) for i in range(ROWS_PER_WRITER)]
        ids.append([e.pk for e in DuesEntry.objects.bulk_create(entries)])
    return ids


def _writer(pks: list[int], audited: bool, start_at: float, seconds: float,
            out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from django.db import connection, transaction

    from doanvu.audit import registry
    from doanvu.members.models import DuesEntry

    if not audited:
        registry._REGISTRY.pop(DuesEntry, None)
    entries = list(DuesEntry.objects.filter(pk__in=pks))
    time.sleep(max(0.0, start_at - time.time()))
    done, latencies = 0, []
    end = start_at + seconds
    while time.time() < end:
        entry = entries[done % len(entries)]
        entry.amount_paid = 0 if entry.amount_paid else entry.amount_due
        t = time.perf_counter()
        with transaction.atomic():
            entry.save()
        latencies.append(time.perf_counter() - t)
        done += 1
    connection.close()
    out.put((done, latencies))


def measure(ids: list[list[int]], writers: int, audited: bool,
            seconds: float) -> tuple[float, float]:
    """(writes a second, p95 latency ms) with `writers` processes for `seconds`."""
    from django.db import connections

    connections.close_all()  # the children must not share the parent's connection
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 1.0 + 0.02 * writers
    procs = [ctx.Process(target=_writer, args=(ids[w], audited, start_at, seconds, out))
             for w in range(writers)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    total = sum(n for n, _ in results)
    lat = sorted(x for _, ls in results for x in ls)
    p95 = lat[min(len(lat) - 1, round(0.95 * len(lat)))] * 1000 if lat else 0.0
    return total / seconds, p95


def measure_bulk(n: int) -> tuple[float, float]:
    """Seconds to record n changed rows as one bulk step, and as n per-object records
    (`chain.append_many`, one head lock too), each in one transaction."""
    from django.db import transaction

    from doanvu.audit import chain, services

    rows = [services.BulkRow(object_pk=str(i), before={"score": i}, after={"score": i + 1},
                             unit_id=None) for i in range(n)]
    t = time.perf_counter()
    with transaction.atomic():
        services.record_bulk(model="members.memberrating", rows=rows,
                             description="Bench: tính lại điểm")
    bulk = time.perf_counter() - t
    entries = [chain.AuditEntry(action="update", model="members.memberrating",
                                object_pk=r.object_pk, object_repr=r.object_pk, unit_id=None,
                                changes={"before": r.before, "after": r.after}) for r in rows]
    t = time.perf_counter()
    with transaction.atomic():
        chain.append_many(entries)
    return bulk, time.perf_counter() - t


def run(add: Callable[[str, str, str, bool | None], None]) -> None:
    """Measure every cell and hand each to `add(metric, value, target, ok)` (run.py's table)."""
    from django.db import connection

    from doanvu.audit.chain import verify
    from doanvu.audit.models import AuditRecord

    counts = [int(x) for x in os.environ.get("BENCH_AUDIT_WRITERS", "1,10,50").split(",")]
    seconds = float(os.environ.get("BENCH_AUDIT_SECONDS", "5"))
    ids = _setup(max(counts))
    before = AuditRecord.objects.count()
    for writers in counts:
        plain, plain_p95 = measure(ids, writers, False, seconds)
        audited, audited_p95 = measure(ids, writers, True, seconds)
        add(f"X-4 ghi có nhật ký, {writers} người ghi đồng thời ({connection.vendor})",
            f"{audited:.0f} lượt/s (p95 {audited_p95:.1f} ms); không nhật ký {plain:.0f} "
            f"lượt/s (p95 {plain_p95:.1f} ms); tỉ lệ {audited / plain:.0%}",
            "(thông tin)", None)
    bulk_rows = int(os.environ.get("BENCH_AUDIT_BULK_ROWS", "10000"))
    if bulk_rows:
        bulk, per_object = measure_bulk(bulk_rows)
        add(f"X-4 ghi nhật ký {bulk_rows} dòng: một bước hàng loạt / từng đối tượng",
            f"{bulk:.2f} s / {per_object:.2f} s", "(thông tin)", None)
    result = verify()
    add("X-4 chuỗi sau bench", f"{AuditRecord.objects.count() - before} bản ghi mới, "
        f"{'toàn vẹn' if result.ok else 'HỎNG: ' + result.problem}", "toàn vẹn", result.ok)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanvu.settings.dev")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    if not os.environ.get("DATABASE_URL"):
        import psycopg

        admin = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    rows: list[tuple[str, str]] = []

    def add(metric: str, value: str, target: str, ok: bool | None) -> None:
        rows.append((metric, value))
        print(f"{metric}: {value}", flush=True)

    run(add)
    return 0 if all("HỎNG" not in v for _, v in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
