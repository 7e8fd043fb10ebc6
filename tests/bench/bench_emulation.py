"""PERF-3: the ranking recompute of one rubric over BENCH_PERF3_UNITS (default 10 000) units ×
60 criteria of score lines, beside ONE hand-written SQL aggregate over the same score table
(SUM per sheet) timed in the same run, and one unit's explained sheet page through the test
client with DEBUG off.

The units, sheets and 600 000 score lines are generated once with bulk inserts, in one
transaction, under a root unit and rubric named after their size ("… PERF-3 (10000 đơn vị)"),
and reused by later runs on the same database (nothing else is left behind: the timed
snapshots are rolled back). BENCH_PERF3_RUNS (default 5) timed runs of each, interleaved:
  * the recompute of final scores, tiers and ranks (`ranking.compute_rows`: what PERF-3
    targets, < 2 s and ≤ 3× the SQL SUM);
  * the SQL SUM;
  * the whole `ranking_compute` — the recompute plus storing the snapshot's 10 000 entries
    and their audit rows — in a transaction rolled back afterwards (shown, < 2 s).
p50 and the slowest run are printed, and the ratio of the p50s.

Run alone: `python -m tests.bench.bench_emulation` (DATABASE_URL: a migrated database, SQLite
or PostgreSQL; BENCH_STRICT=1 exits 1 on a missed target); run.py calls `perf3(add_row)`
after the members rows (BENCH_PERF3=0 skips it)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal

CRITERIA = 60


def _names(units: int) -> tuple[str, str]:
    return f"Đơn vị PERF-3 ({units} đơn vị)", f"Thang điểm PERF-3 ({units} đơn vị)"


def _existing(units: int) -> tuple[object, list[int]] | None:
    """The rubric an earlier run generated for this size, and its sheets; None if none."""
    from doanvu.emulation.models import Rubric, ScoreSheet

    rubric = Rubric.objects.filter(name=_names(units)[1], year=2020).order_by("pk").last()
    if rubric is None:
        return None
    sheets = list(ScoreSheet.objects.filter(rubric=rubric).order_by("pk")
                  .values_list("pk", flat=True))
    return (rubric, sheets) if len(sheets) == units else None


def _world(units: int) -> tuple[object, list[int]]:
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from doanvu.emulation import services
    from doanvu.emulation.models import (
        Criterion,
        RubricState,
        ScoreLine,
        ScoreSheet,
        SectorGroupMember,
        WorkArea,
    )
    from doanvu.org.models import Unit, UnitKind
    from doanvu.org.services import unit_create

    kind = UnitKind.objects.order_by("pk").first()
    assert kind is not None, "cần dữ liệu loại đơn vị (migrate)"
    root_name, rubric_name = _names(units)
    with transaction.atomic():  # all or nothing: a later run reuses a whole world only
        root = unit_create(actor=None, parent=None, name=root_name, kind=kind,
                           founded_on=dt.date(2000, 1, 1))
        Unit.objects.bulk_create([
            Unit(name=f"Đơn vị {i}", name_folded=f"don vi {i}", kind=kind, parent=root,
                 path=f"{root.path}p3{i:06d}/", depth=root.depth + 1,
                 founded_on=dt.date(2000, 1, 1)) for i in range(units)], batch_size=2000)
        members = list(Unit.objects.filter(parent=root).order_by("pk"))
        group = services.sector_group_create(actor=None, issuing_unit=root, name="Khối PERF-3")
        SectorGroupMember.objects.bulk_create([SectorGroupMember(group=group, unit=u, year=2020)
                                               for u in members], batch_size=2000)
        rubric = services.rubric_create(actor=None, issuing_unit=root, year=2020, group=group,
                                        name=rubric_name)
        area = WorkArea.objects.create(rubric=rubric, code="I", title="Lĩnh vực",
                                       max_points=Decimal(CRITERIA))
        Criterion.objects.bulk_create([
            Criterion(area=area, code=f"{n}", title=f"Tiêu chí {n}", max_points=Decimal(1),
                      method="cham_diem", order=n) for n in range(1, CRITERIA + 1)])
        services.tier_save(actor=None, rubric=rubric, code="a", name="Xuất sắc", rank=1,
                           min_score=Decimal(50), max_share=Decimal(20))
        services.tier_save(actor=None, rubric=rubric, code="b", name="Hoàn thành", rank=2,
                           min_score=Decimal(0), max_share=None)
        type(rubric).objects.filter(pk=rubric.pk).update(state=RubricState.OPEN)
        rubric.refresh_from_db()
        ScoreSheet.objects.bulk_create([ScoreSheet(rubric=rubric, unit=u, year=2020)
                                        for u in members], batch_size=2000)
        sheets = list(ScoreSheet.objects.filter(rubric=rubric).order_by("pk")
                      .values_list("pk", flat=True))
        criteria = list(Criterion.objects.filter(area=area).values_list("pk", flat=True))
        now = timezone.now()
        values = [Decimal(v) / 100 for v in range(0, 101, 25)]
        batch: list[ScoreLine] = []
        for i, sheet in enumerate(sheets):
            for j, c in enumerate(criteria):
                v = values[(i * 7 + j) % len(values)]
                batch.append(ScoreLine(sheet_id=sheet, criterion_id=c, source="tu_cham",
                                       raw=v, points=v, at=now))
            if len(batch) >= 20000:
                ScoreLine.objects.bulk_create(batch)
                batch = []
        ScoreLine.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # the statistics autovacuum would soon gather
            cur.execute("ANALYZE")
    return rubric, sheets


def _summary(samples: list[float]) -> tuple[float, float]:
    """p50 and the slowest run, in seconds."""
    return statistics.median(samples), max(samples)


def perf3(add_row: Callable[[str, str, str, bool | None], None]) -> None:
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from doanvu.accounts.models import User
    from doanvu.emulation import ranking
    from doanvu.emulation.models import ScoreLine, ScoreSheet

    units = int(os.environ.get("BENCH_PERF3_UNITS", "10000"))
    runs = max(1, int(os.environ.get("BENCH_PERF3_RUNS", "5")))
    found = _existing(units)
    if found is None:
        t = time.perf_counter()
        rubric, sheets = _world(units)
        print(f"  PERF-3: sinh {units} đơn vị × {CRITERIA} tiêu chí trong "
              f"{time.perf_counter() - t:.1f} s")
    else:
        rubric, sheets = found
        print(f"  PERF-3: dùng lại thang điểm đã sinh (#{rubric.pk}, {units} đơn vị)")  # type: ignore[attr-defined]
    table, sheet_table = ScoreLine._meta.db_table, ScoreSheet._meta.db_table
    sum_sql = (f"SELECT sheet_id, SUM(points) FROM {table} WHERE sheet_id IN "
               f"(SELECT id FROM {sheet_table} WHERE rubric_id = %s) GROUP BY sheet_id")

    def sql_sum() -> None:
        with connection.cursor() as cur:
            cur.execute(sum_sql, [rubric.pk])  # type: ignore[attr-defined]
            assert len(cur.fetchall()) == units

    def recompute() -> None:
        assert len(ranking.compute_rows(rubric)) == units  # type: ignore[arg-type]

    def compute_and_store() -> None:
        with transaction.atomic():  # the snapshot and its audit rows are not kept
            snap = ranking.ranking_compute(actor=None, rubric=rubric)  # type: ignore[arg-type]
            assert snap.pk
            transaction.set_rollback(True)

    timings: dict[str, list[float]] = {"sql": [], "ours": [], "store": []}
    sql_sum()
    recompute()  # warm-up: caches, the rubric's compiled rules
    for i in range(runs):
        for name, fn in (("sql", sql_sum), ("ours", recompute), ("store", compute_and_store)):
            if name == "store" and i >= 3:
                continue  # three are enough for the write
            t = time.perf_counter()
            fn()
            timings[name].append(time.perf_counter() - t)
    ours, ours_max = _summary(timings["ours"])
    sql, sql_max = _summary(timings["sql"])
    store, store_max = _summary(timings["store"])
    where = f"{connection.vendor}, {len(timings['ours'])} lần"
    add_row(f"PERF-3 tính lại điểm, xếp loại, xếp hạng {units} đơn vị × {CRITERIA} tiêu chí "
            f"({where})", f"p50 {ours:.2f} s / max {ours_max:.2f} s", "< 2 s", ours_max < 2)
    add_row(f"PERF-3 một câu SQL SUM theo phiếu, cùng bảng điểm ({where})",
            f"p50 {sql:.3f} s / max {sql_max:.3f} s", "(thông tin)", None)
    add_row("PERF-3 tỷ lệ tính lại / SQL SUM (p50)", f"{ours / sql:.1f}×", "≤ 3×",
            ours <= 3 * sql)
    # storing is not what PERF-3 times (SPEC: recompute scores, tiers and ranks): shown
    add_row(f"PERF-3 tính và lưu bảng xếp hạng kèm nhật ký (ranking_compute, rollback; "
            f"{len(timings['store'])} lần)", f"p50 {store:.2f} s / max {store_max:.2f} s "
            f"({store / sql:.1f}× SQL SUM)", "(thông tin)", None)
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={
        "is_superuser": True, "is_staff": True, "full_name": "Quản trị (bench)"})
    client = Client()
    client.force_login(admin)
    url = reverse("emulation:sheet_detail", args=[sheets[0]])
    client.get(url)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        answer = client.get(url)
        best = min(best, time.perf_counter() - t)
        assert answer.status_code == 200
    add_row("PERF-3 mở phiếu có giải thích của một đơn vị", f"{best * 1000:.0f} ms",
            "< 100 ms", best < 0.1)


def main() -> int:
    from tests.bench.run import run_alone

    return run_alone(perf3)


if __name__ == "__main__":
    sys.exit(main())
