"""Issue 13 (field visits), Performance: on the generated nation with a year of visits for every
provincial and district cadre (~10 visits each):

  * the compliance table of a province's whole agency (the province with the most cadres) and
    the national roll-up of every province, each through the test client with DEBUG off
    (server time, target < 300 ms);
  * the yearly recompute of every cadre's compliance (`recompute.compute`: the reads and the
    rules, what the target is about) beside ONE hand-written SQL aggregate over the same rows
    (the visits joined to their places' kinds, days summed per cadre and level), interleaved
    in the same run, target ≤ 3×; and the whole recompute with its writes (`recompute.recompute`,
    rolled back), shown.

The visits are generated once with bulk inserts (`generate_visits`), under a regime issued by
the nation's Trung ương Đoàn for the bench ("Chế độ đi cơ sở (bench)"), and reused by later runs
on the same database. BENCH_FV_RUNS (default 5) timed runs of each.

Run alone: `DATABASE_URL=… python -m tests.bench.bench_fieldvisits` (a database holding a nation
from `manage.py generate_nation`; BENCH_STRICT=1 exits 1 on a missed target); run.py calls
`run(add_row)` after the emulation rows (BENCH_FIELDVISITS=0 skips it)."""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

YEAR = 2025  # every generated post started by 31/12/2024
VISITS_PER_CADRE = 10
POLICY_NAME = "Chế độ đi cơ sở (bench)"
TAG = "BENCH-FV"  # travel order of the generated visits
CADRE_KINDS = ("tinh", "huyen", "truc_thuoc_tinh")


def _policy() -> object:
    from doanvu.fieldvisits.models import FieldVisitPolicy
    from doanvu.org.models import Unit

    found = FieldVisitPolicy.objects.filter(name=POLICY_NAME).order_by("pk").first()
    if found is not None:
        return found
    root = Unit.objects.filter(parent__isnull=True, kind__code="trung_uong").order_by("pk").first()
    assert root is not None, "cần một cây tổ chức (manage.py generate_nation)"
    return FieldVisitPolicy.objects.create(
        issuing_unit=root, name=POLICY_NAME, valid_from=dt.date(YEAR, 1, 1),
        min_days=60, counted_kinds=["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"],
        chosen_kinds=["1.1", "1.3", "1.6"], assigned_kinds=["1.2", "1.4", "1.5"],
        branch_meeting_kind="1.6",
        levels=[{"code": "huyen", "label": "cấp huyện", "kinds": ["huyen", "truc_thuoc_tinh"]},
                {"code": "co_so", "label": "cấp cơ sở",
                 "kinds": ["co_so", "chi_doan_co_so", "chi_doan", "phan_doan"]}],
        coverage={"tinh": ["huyen", "co_so"], "huyen": ["co_so"]},
        exempt_titles=["văn thư", "kế toán", "thủ quỹ", "thi đua – khen thưởng"],
        exempt_statuses=["thai_san"], long_statuses=["biet_phai", "dao_tao_tap_trung"])


def generate_visits(*, year: int = YEAR, per_cadre: int = VISITS_PER_CADRE,
                    seed: int = 1) -> int:
    """~`per_cadre` visits in `year` for every cadre of a provincial or district agency, to units
    below their own (a district and a commune or branch for a province's cadre, a commune or
    branch for a district's), reported; one in ten a branch meeting (1.6), one in twenty by
    invitation only. Bulk inserts in one transaction; returns the number of visits."""
    from django.db import connection, transaction

    from doanvu.fieldvisits.models import Visit
    from doanvu.org.models import Position, Unit

    rng = random.Random(seed)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    units = list(Unit.objects.filter(dissolved_on__isnull=True)
                 .values_list("id", "parent_id", "kind__code"))
    children: dict[int, list[int]] = defaultdict(list)
    kind_of: dict[int, str] = {}
    for pk, parent, kind in units:
        kind_of[pk] = kind
        if parent is not None:
            children[parent].append(pk)

    def below(unit_id: int) -> tuple[list[int], list[int]]:
        """(district-level units, grassroots units) under an agency, a sample of each."""
        districts = [c for c in children[unit_id] if kind_of[c] in ("huyen", "truc_thuoc_tinh")]
        base = [c for c in children[unit_id] if kind_of[c] not in ("huyen", "truc_thuoc_tinh")]
        for dist in districts[:8]:
            base += children[dist][:6]
        grass = base[:40]
        more = [g for b in grass[:10] for g in children[b][:2]]
        return districts, grass + more

    posts = list(Position.objects.filter(unit__kind__code__in=CADRE_KINDS, start_date__lte=end)
                 .exclude(end_date__lt=start).order_by("person_id", "start_date", "id")
                 .values_list("person_id", "unit_id", "department_id"))
    last: dict[int, tuple[int, int | None]] = {}
    for person, unit, dept in posts:
        last[person] = (unit, dept)
    places_of: dict[int, tuple[list[int], list[int]]] = {}
    visits: list[Visit] = []
    place_rows: list[tuple[int, int]] = []  # (index in visits, unit)
    for person, (unit, dept) in sorted(last.items()):
        if unit not in places_of:
            places_of[unit] = below(unit)
        districts, grass = places_of[unit]
        if not grass and not districts:
            continue
        n = max(1, per_cadre + rng.randint(-2, 2))
        for i in range(n):
            day = start + dt.timedelta(days=rng.randint(0, 360))
            length = rng.choice((1, 1, 2, 3, 3, 4, 5, 7))
            kind = "1.6" if i == 0 or rng.random() < 0.1 else rng.choice(
                ("1.1", "1.2", "1.3", "1.4", "1.5"))
            stop = min(day + dt.timedelta(days=length - 1), end)
            visits.append(Visit(
                person_id=person, unit_id=unit, department_id=dept, kind=kind, start_date=day,
                end_date=stop, invitation_only=rng.random() < 0.05, travel_order=TAG,
                reported_on=stop + dt.timedelta(days=rng.randint(0, 5)),
                report_due=stop + dt.timedelta(days=3), cost=Decimal(rng.randint(0, 8) * 50000),
                client_key=uuid.UUID(int=rng.getrandbits(128))))
            target = districts if districts and (kind_of[unit] == "tinh" and i % 3 == 1) \
                else grass or districts
            place_rows.append((len(visits) - 1, rng.choice(target)))
            if districts and kind_of[unit] == "tinh" and i % 4 == 2 and grass:
                place_rows.append((len(visits) - 1, rng.choice(grass)))
    through = Visit.places.through
    with transaction.atomic():
        made = Visit.objects.bulk_create(visits, batch_size=5000)
        if connection.vendor == "sqlite" or made and made[0].pk is None:
            keys = {v.client_key: i for i, v in enumerate(visits)}
            for pk, key in Visit.objects.filter(travel_order=TAG).values_list("pk", "client_key"):
                visits[keys[key]].pk = pk
        rows = [through(visit_id=visits[i].pk, unit_id=u) for i, u in place_rows]
        through.objects.bulk_create(rows, batch_size=10000, ignore_conflicts=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return len(visits)


def _summary(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), max(samples)


def run(add_row: Callable[[str, str, str, bool | None], None]) -> None:
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from doanvu.accounts.models import User
    from doanvu.fieldvisits import recompute
    from doanvu.fieldvisits.models import Compliance, Visit
    from doanvu.org.models import Unit

    runs = max(1, int(os.environ.get("BENCH_FV_RUNS", "5")))
    _policy()
    existing = Visit.objects.filter(travel_order=TAG).count()
    if existing:
        print(f"  Đi cơ sở: dùng lại {existing} chuyến đi đã sinh")
        n_visits = existing
    else:
        t = time.perf_counter()
        n_visits = generate_visits()
        print(f"  Đi cơ sở: sinh {n_visits} chuyến đi trong {time.perf_counter() - t:.1f} s")
    done = recompute.recompute(year=YEAR)
    cadres = done.cadres
    add_row(f"Đi cơ sở: dữ liệu năm {YEAR}", f"{cadres} cán bộ, {n_visits} chuyến đi",
            "(thông tin)", None)

    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    days = ("(v.end_date - v.start_date + 1)" if connection.vendor == "postgresql"
            else "(julianday(v.end_date) - julianday(v.start_date) + 1)")
    visit_t, place_t = Visit._meta.db_table, Visit.places.through._meta.db_table
    sql = (f"SELECT v.person_id, k.code, SUM({days}), COUNT(*) FROM {visit_t} v "
           f"JOIN {place_t} vp ON vp.visit_id = v.id JOIN org_unit u ON u.id = vp.unit_id "
           f"JOIN org_unitkind k ON k.id = u.kind_id "
           f"WHERE v.start_date <= %s AND v.end_date >= %s GROUP BY v.person_id, k.code")

    def sql_aggregate() -> None:
        with connection.cursor() as cur:
            cur.execute(sql, [end, start])
            assert cur.fetchall()

    def compute() -> None:
        assert len(recompute.compute(year=YEAR)) == cadres

    def compute_and_store() -> None:
        with transaction.atomic():
            Compliance.objects.filter(year=YEAR).update(counted_days=0)  # every row changes
            assert recompute.recompute(year=YEAR).cadres == cadres
            transaction.set_rollback(True)

    timings: dict[str, list[float]] = {"sql": [], "ours": [], "store": []}
    sql_aggregate()
    compute()
    for i in range(runs):
        for name, fn in (("sql", sql_aggregate), ("ours", compute), ("store", compute_and_store)):
            if name == "store" and i >= 3:
                continue
            t = time.perf_counter()
            fn()
            timings[name].append(time.perf_counter() - t)
    ours, ours_max = _summary(timings["ours"])
    sql_p50, sql_max = _summary(timings["sql"])
    store, store_max = _summary(timings["store"])
    where = f"{connection.vendor}, {len(timings['ours'])} lần"
    add_row(f"Đi cơ sở: tính lại kết quả năm của {cadres} cán bộ ({where})",
            f"p50 {ours:.3f} s / max {ours_max:.3f} s", "(so với SQL)", None)
    add_row(f"Đi cơ sở: một câu SQL tổng số ngày theo cán bộ và cấp, cùng các dòng ({where})",
            f"p50 {sql_p50:.3f} s / max {sql_max:.3f} s", "(thông tin)", None)
    add_row("Đi cơ sở: tỷ lệ tính lại / SQL (p50)", f"{ours / sql_p50:.1f}×", "≤ 3×",
            ours <= 3 * sql_p50)
    add_row(f"Đi cơ sở: tính và lưu mọi dòng (rollback; {len(timings['store'])} lần)",
            f"p50 {store:.2f} s / max {store_max:.2f} s ({store / sql_p50:.1f}× SQL)",
            "(thông tin)", None)

    # the pages, as served
    top = (Compliance.objects.filter(year=YEAR, unit__kind__code="tinh").values("unit_id")
           .annotate(n=Count("id")).order_by("-n", "unit_id").first())
    assert top is not None
    province = Unit.objects.get(pk=top["unit_id"])
    root = Unit.objects.filter(parent__isnull=True, kind__code="trung_uong").order_by("pk").first()
    assert root is not None
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={
        "is_superuser": True, "is_staff": True, "full_name": "Quản trị (bench)"})
    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(admin)
        pages = [
            (f"Đi cơ sở: bảng kết quả cơ quan {province.name} ({top['n']} cán bộ)",
             reverse("fieldvisits:compliance_unit", args=[province.pk]) + f"?nam={YEAR}"),
            (f"Đi cơ sở: tổng hợp toàn quốc theo tỉnh ({cadres} cán bộ)",
             reverse("fieldvisits:compliance_rollup", args=[root.pk]) + f"?nam={YEAR}"),
        ]
        for label, url in pages:
            samples = []
            for i in range(runs + 2):
                t = time.perf_counter()
                answer = client.get(url)
                if i >= 2:
                    samples.append(time.perf_counter() - t)
                assert answer.status_code == 200, (url, answer.status_code)
            p50, worst = _summary(samples)
            add_row(label, f"p50 {p50 * 1000:.0f} ms / max {worst * 1000:.0f} ms", "< 300 ms",
                    worst < 0.3)


def main() -> int:
    from tests.bench.run import run_alone

    return run_alone(run)


if __name__ == "__main__":
    sys.exit(main())
