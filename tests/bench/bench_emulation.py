"""PERF-3: the ranking recompute of one rubric over BENCH_PERF3_UNITS (default 10 000) units ×
60 criteria of score lines, generated with bulk inserts under its own new root unit and rubric
(left in the database), beside ONE hand-written SQL aggregate over the same score table (SUM
per sheet), and one unit's explained sheet page through the test client with DEBUG off.

Run alone: `python -m tests.bench.bench_emulation` (DATABASE_URL: a migrated database);
run.py calls `perf3(add_row)` after the members rows (BENCH_PERF3=0 skips it)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from decimal import Decimal

CRITERIA = 60


def _world(units: int) -> tuple[object, object, list[object]]:
    import datetime as dt

    from django.utils import timezone

    from doanvu.accounts.models import User
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
    stamp = int(time.time())
    root = unit_create(actor=None, parent=None, name=f"Đơn vị PERF-3 {stamp}", kind=kind,
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
                                    name="Thang điểm PERF-3")
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
    sheets = list(ScoreSheet.objects.filter(rubric=rubric).values_list("pk", flat=True))
    criteria = list(Criterion.objects.filter(area=area).values_list("pk", flat=True))
    now = timezone.now()
    values = [Decimal(v) / 100 for v in range(0, 101, 25)]
    batch: list[ScoreLine] = []
    for i, sheet in enumerate(sheets):
        for j, c in enumerate(criteria):
            v = values[(i * 7 + j) % len(values)]
            batch.append(ScoreLine(sheet_id=sheet, criterion_id=c, source="tu_cham", raw=v,
                                   points=v, at=now))
        if len(batch) >= 20000:
            ScoreLine.objects.bulk_create(batch)
            batch = []
    ScoreLine.objects.bulk_create(batch)
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={
        "is_superuser": True, "is_staff": True, "full_name": "Quản trị (bench)"})
    return rubric, admin, sheets


def perf3(add_row: Callable[[str, str, str, bool | None], None]) -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from doanvu.emulation import ranking
    from doanvu.emulation.models import ScoreLine

    units = int(os.environ.get("BENCH_PERF3_UNITS", "10000"))
    t = time.perf_counter()
    rubric, admin, sheets = _world(units)
    print(f"  PERF-3: sinh {units} đơn vị × {CRITERIA} tiêu chí trong "
          f"{time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    snap = ranking.ranking_compute(actor=None, rubric=rubric)
    ours = time.perf_counter() - t
    table = ScoreLine._meta.db_table
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(f"SELECT sheet_id, SUM(points) FROM {table} WHERE sheet_id IN "
                    f"(SELECT id FROM emulation_scoresheet WHERE rubric_id = %s) "
                    f"GROUP BY sheet_id", [rubric.pk])  # type: ignore[attr-defined]
        rows = cur.fetchall()
    sql = time.perf_counter() - t
    assert len(rows) == units
    add_row(f"PERF-3 tính lại xếp hạng {units} đơn vị × {CRITERIA} tiêu chí", f"{ours:.2f} s",
            "< 2 s", ours < 2)
    add_row("PERF-3 một câu SQL SUM theo phiếu (cùng bảng điểm)", f"{sql:.2f} s",
            "(thông tin)", None)
    add_row("PERF-3 tỷ lệ tính lại / SQL", f"{ours / sql:.1f}×", "≤ 3×", ours <= 3 * sql)
    client = Client()
    client.force_login(admin)  # type: ignore[arg-type]
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
    assert snap.pk


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanvu.settings.dev")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*", "testserver"]
    rows: list[tuple[str, str, str, bool | None]] = []

    def add_row(metric: str, value: str, target: str, ok: bool | None) -> None:
        rows.append((metric, value, target, ok))
        print(f"  {metric}: {value}  (mục tiêu {target})")

    perf3(add_row)
    return 1 if os.environ.get("BENCH_STRICT") == "1" and any(r[3] is False for r in rows) \
        else 0


if __name__ == "__main__":
    sys.exit(main())
