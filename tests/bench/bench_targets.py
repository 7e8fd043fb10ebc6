"""PERF-4 (issue 14, targets): on the generated nation with what seed 003's four targets read —
secretaries seated in every grassroots union and branch, their levels and courses, a year of
rèn luyện registrations and branch meetings — and the four targets set at the national root:

  * the national target dashboard as served from the maintained figures (`TargetFigure`),
    through the test client with DEBUG off, as a superuser: p50 / p95 beside 500 ms;
  * the full recompute of every target from raw data (`recompute.recompute`: the reads, the
    roll-ups, the writes of every unit's figures, this year and last) beside 60 s, and beside
    hand-written SQL computing the same figures (per unit, rolled up by path prefix, both
    years) in the same run, interleaved: ratio ≤ 3×; the compute alone (no writes) and the
    first build (no figure stored yet: every row written, rolled back) are shown — a daily run
    writes only the figures that changed;
  * a check: the stored figures equal the SQL's, unit by unit.

The data is generated once with set-based INSERT … SELECT (`generate`, deterministic: chosen by
ids), for the current year, and reused by later runs on the same database (a course named
COURSE marks it). BENCH_TARGETS_RUNS (default 3) timed runs of each; BENCH_TARGETS_PAGE_RUNS
(default 30) of the page.

Run alone: `DATABASE_URL=… python -m tests.bench.bench_targets` (a PostgreSQL database holding
a nation from `manage.py generate_nation`; BENCH_STRICT=1 exits 1 on a missed target); run.py
calls `run(add_row)` after the field visits (BENCH_TARGETS=0 skips it)."""

from __future__ import annotations

import datetime as dt
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

COURSE = "Lớp bồi dưỡng Bí thư chi đoàn địa bàn dân cư (bench)"  # i18n: data
TERM = "PERF-4 (bench)"  # i18n: data
SUFFIX = " (bench)"  # i18n: data
RESIDENTIAL = ("dan_cu_nong_thon", "dan_cu_do_thi")
REGULAR = ("sinh_hoat", "ngay_doan_vien")


def _year() -> int:
    from doanvu.common.dates import today

    return today().year


def _root() -> Any:
    from doanvu.org.models import Unit

    root = Unit.objects.filter(parent__isnull=True, kind__code="trung_uong").order_by("pk").first()
    assert root is not None, "cần một cây tổ chức (manage.py generate_nation)"
    return root


def _exec(sql: str, params: dict[str, Any] | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


def generate(year: int) -> dict[str, int]:
    """What the four formulas read, for `year`, in a few INSERT … SELECT (PostgreSQL):

    * a members policy at the root if there is none (branches meet every month);
    * the grassroots unions' Bí thư (their posts) seated in a term, 3 in 5 with Đại học and 5 in
      7 with Trung cấp LLCT or more;
    * every branch holding members: a term with a Bí thư, the member with the lowest person id;
      3 in 4 of those in residential branches attended their district's course in March–
      September;
    * rèn luyện registrations of 8 in 10 members active in the year;
    * in residential branches, a branch meeting in every month begun so far (1 branch in 5: one
      month in three)."""
    from django.db import transaction

    from doanvu.members.models import MembersPolicy

    root = _root()
    if not MembersPolicy.objects.exists():
        MembersPolicy.objects.create(
            issuing_unit=root, valid_from=dt.date(2011, 1, 1),
            source="Điều lệ Đoàn (bench)",  # i18n: data
            remittance_cadence_by_kind={"chi_doan": "M", "co_so": "Q", "huyen": "Q", "tinh": "Y"},
            remittance_cadence_fallback="Q", remittance_year_deadline_day=30,
            remittance_year_deadline_month=12, import_upload_expiry_days=7)
    p = {"y": year, "jan1": dt.date(year, 1, 1), "dec31": dt.date(year, 12, 31),
         "term": TERM, "course": COURSE, "start": dt.date(year - 2, 1, 1),
         "last_month": min(dt.date.today(), dt.date(year, 12, 31)).month
         if dt.date.today().year == year else 12}
    out: dict[str, int] = {}
    with transaction.atomic():
        _exec("DELETE FROM org_committeeseat s USING org_term t WHERE t.id = s.term_id "
              "AND t.name = %(term)s", p)
        _exec("DELETE FROM org_term WHERE name = %(term)s", p)
        _generate(p, out)
    _exec("ANALYZE org_committeeseat; ANALYZE org_term; ANALYZE members_cadrecourse; "
          "ANALYZE members_trainingregistration; ANALYZE members_meeting; ANALYZE org_person")
    return out


def _generate(p: dict[str, Any], out: dict[str, int]) -> None:
    out["levels"] = _exec("""
        UPDATE org_person pe SET
          education_level = CASE WHEN pe.id % 5 < 3 THEN 'dai_hoc' ELSE 'cao_dang' END,
          political_theory = CASE WHEN pe.id % 7 < 5 THEN 'trung_cap' ELSE 'so_cap' END
        FROM org_position po WHERE po.person_id = pe.id AND po.title = 'Bí thư'""")
    _exec("""
        INSERT INTO org_term (unit_id, name, start_date, end_date)
        SELECT DISTINCT po.unit_id, %(term)s, %(start)s, NULL::date FROM org_position po
        WHERE po.title = 'Bí thư' AND po.end_date IS NULL""", p)
    out["seats_grassroots"] = _exec("""
        INSERT INTO org_committeeseat (term_id, committee, person_id, title, "order", start_date,
                                       end_date)
        SELECT DISTINCT ON (t.id) t.id, 'bch', po.person_id, 'Bí thư', 1, NULL::date, NULL::date
        FROM org_term t JOIN org_position po ON po.unit_id = t.unit_id AND po.title = 'Bí thư'
        WHERE t.name = %(term)s ORDER BY t.id, po.person_id""", p)
    _exec("""
        INSERT INTO org_term (unit_id, name, start_date, end_date)
        SELECT u.id, %(term)s, %(start)s, NULL::date FROM org_unit u
        JOIN org_unitkind k ON k.id = u.kind_id AND k.is_branch AND NOT k.is_grassroots
        WHERE EXISTS (SELECT 1 FROM members_membership m WHERE m.branch_id = u.id
                      AND m.is_current)""", p)
    out["seats_branches"] = _exec("""
        INSERT INTO org_committeeseat (term_id, committee, person_id, title, "order", start_date,
                                       end_date)
        SELECT t.id, 'bch', x.person_id, 'Bí thư', 1, NULL::date, NULL::date
        FROM org_term t JOIN org_unit u ON u.id = t.unit_id
        JOIN org_unitkind k ON k.id = u.kind_id AND k.is_branch AND NOT k.is_grassroots
        JOIN LATERAL (SELECT MIN(m.person_id) AS person_id FROM members_membership m
                      WHERE m.branch_id = t.unit_id AND m.is_current) x ON x.person_id IS NOT NULL
        WHERE t.name = %(term)s""", p)
    out["courses"] = _exec("""
        INSERT INTO members_cadrecourse (person_id, name, organiser, start_date, end_date,
                                         certificate)
        SELECT s.person_id, %(course)s, '', %(jan1)s::date + (59 + c.parent_id %% 180)::int,
               NULL::date, ''
        FROM org_committeeseat s JOIN org_term t ON t.id = s.term_id AND t.name = %(term)s
        JOIN org_unit b ON b.id = t.unit_id
        JOIN org_unitkind k ON k.id = b.kind_id AND k.is_branch AND NOT k.is_grassroots
        JOIN org_unit c ON c.id = b.parent_id
        WHERE s.person_id %% 4 <> 0
          AND COALESCE(NULLIF(b.sector, ''), c.sector) IN ('dan_cu_nong_thon', 'dan_cu_do_thi')
        """, p)
    out["registrations"] = _exec("""
        INSERT INTO members_trainingregistration (membership_id, year, registered_on, result)
        SELECT m.id, %(y)s::int, %(jan1)s::date + 84, '' FROM members_membership m
        WHERE m.started_on <= %(dec31)s AND (m.ended_on IS NULL OR m.ended_on >= %(jan1)s)
          AND m.id %% 10 < 8""", p)
    out["meetings"] = _exec("""
        INSERT INTO members_meeting (unit_id, kind, date, place, content, created_by_id)
        SELECT b.id, 'sinh_hoat', make_date(%(y)s::int, g, (1 + b.id %% 28)::int), '', '', NULL
        FROM org_unit b JOIN org_unitkind k ON k.id = b.kind_id AND k.is_branch
        LEFT JOIN org_unit c ON c.id = b.parent_id
        CROSS JOIN generate_series(1, %(last_month)s::int) g
        WHERE b.dissolved_on IS NULL
          AND COALESCE(NULLIF(b.sector, ''), c.sector) IN ('dan_cu_nong_thon', 'dan_cu_do_thi')
          AND (b.id %% 5 <> 0 OR g %% 3 = 1)""", p)


SEED_003 = [  # (name, goal, formula, extra params)
    ("Ít nhất 01 lớp bồi dưỡng Bí thư chi đoàn địa bàn dân cư", "1",  # i18n: data
     "residential_secretary_courses", {}),
    ("100% Bí thư Đoàn xã, phường, thị trấn đạt chuẩn", "100",  # i18n: data
     "commune_secretaries_qualified", {"min_education": "dai_hoc", "min_theory": "trung_cap"}),
    ("100% đoàn viên đăng ký rèn luyện", "100", "training_registration", {}),  # i18n: data
    ("100% chi đoàn địa bàn dân cư sinh hoạt định kỳ", "100",  # i18n: data
     "residential_branches_meeting", {}),
]


def national_targets(year: int) -> list[Any]:
    """Seed 003's four targets set by the national root for itself, for `year`."""
    from doanvu.accounts.scope import Scope
    from doanvu.targets import services
    from doanvu.targets.models import Target

    root = _root()
    found = list(Target.objects.filter(unit=root, name__endswith=SUFFIX,
                                       params__year=year).order_by("position"))
    if found:
        return found
    system = Scope(user_id=None, is_superuser=True)
    return [services.target_create(
        scope=system, unit=root, name=name + SUFFIX, goal=goal, due_on=dt.date(year, 12, 31),
        scope_unit=root, formula=code, params={"year": year, **extra}, position=i)
        for i, (name, goal, code, extra) in enumerate(SEED_003, start=1)]


# -- the same figures in hand-written SQL ----------------------------------------------------

TREE = """tree AS (
  SELECT v.unit_id, v.path, v.sector, v.parent_id, k.is_branch, k.is_grassroots
  FROM org_unitversion v JOIN org_unitkind k ON k.id = v.kind_id
  WHERE v.valid_from <= %(day)s AND (v.valid_to IS NULL OR v.valid_to > %(day)s)
    AND v.path LIKE %(under)s)"""
ROLL_UP = """SELECT a.unit_id, {n}, {d} FROM leaf l
  JOIN generate_series(%(depth)s, 40) g ON g * 6 <= length(l.path)
  JOIN tree a ON a.path = substr(l.path, 1, g * 6)
  GROUP BY a.unit_id"""
SECRETARIES = """sec AS (
  SELECT DISTINCT s.person_id, t.unit_id, t.path, t.sector, t.parent_id, t.is_branch,
         t.is_grassroots
  FROM org_committeeseat s JOIN org_term tm ON tm.id = s.term_id
  JOIN tree t ON t.unit_id = tm.unit_id
  WHERE lower(s.title) = 'bí thư'
    AND (s.start_date IS NULL OR s.start_date <= %(day)s)
    AND (s.end_date IS NULL OR s.end_date >= %(day)s)
    AND tm.start_date <= %(day)s AND (tm.end_date IS NULL OR tm.end_date >= %(day)s))"""

SQL = {
    "training_registration": f"""WITH {TREE}, leaf AS (
  SELECT t.path, COUNT(r.id) AS n, COUNT(m.id) AS d
  FROM tree t JOIN members_membership m ON m.branch_id = t.unit_id
    AND m.started_on <= %(dec31)s AND (m.ended_on IS NULL OR m.ended_on >= %(jan1)s)
  LEFT JOIN members_trainingregistration r ON r.membership_id = m.id AND r.year = %(year)s
  WHERE t.is_branch GROUP BY t.path)
{ROLL_UP.format(n="SUM(l.n)", d="SUM(l.d)")}""",
    "residential_branches_meeting": f"""WITH {TREE}, leaf AS (
  SELECT t.path, (COUNT(DISTINCT date_trunc('month', mt.date)) >= %(required)s)::int AS n,
         1 AS d
  FROM tree t LEFT JOIN tree p ON p.unit_id = t.parent_id
  LEFT JOIN members_meeting mt ON mt.unit_id = t.unit_id
    AND mt.kind IN ('sinh_hoat', 'ngay_doan_vien') AND mt.date BETWEEN %(jan1)s AND %(last)s
  WHERE t.is_branch
    AND COALESCE(NULLIF(t.sector, ''), p.sector) IN ('dan_cu_nong_thon', 'dan_cu_do_thi')
  GROUP BY t.path)
{ROLL_UP.format(n="SUM(l.n)", d="SUM(l.d)")}""",
    "commune_secretaries_qualified": f"""WITH {TREE}, {SECRETARIES}, leaf AS (
  SELECT sec.path,
    COALESCE(array_position(%(education)s, pe.education_level) >= %(min_education)s
      AND array_position(%(theory)s, pe.political_theory) >= %(min_theory)s, false)::int AS n,
    1 AS d
  FROM sec JOIN org_person pe ON pe.id = sec.person_id
  WHERE sec.is_grassroots AND NOT sec.is_branch
    AND sec.sector IN ('dan_cu_nong_thon', 'dan_cu_do_thi'))
{ROLL_UP.format(n="SUM(l.n)", d="SUM(l.d)")}""",
    "residential_secretary_courses": f"""WITH {TREE}, {SECRETARIES}, leaf AS (
  SELECT sec.path, c.name, c.start_date
  FROM sec LEFT JOIN tree p ON p.unit_id = sec.parent_id
  JOIN members_cadrecourse c ON c.person_id = sec.person_id
    AND c.start_date BETWEEN %(jan1)s AND %(dec31)s
  WHERE sec.is_branch
    AND COALESCE(NULLIF(sec.sector, ''), p.sector) IN ('dan_cu_nong_thon', 'dan_cu_do_thi'))
{ROLL_UP.format(n="COUNT(DISTINCT (l.name, l.start_date))", d="0")}""",
}


def sql_figures(target: Any, year: int, upto: dt.date) -> dict[int, tuple[int, int]]:
    """The target's figures for `year` measured on `upto` (its measurement day), per unit under
    the root, by one hand-written statement; the members policy (one, at the root) is read
    first, as the SQL would be written knowing it."""
    from django.db import connection

    from doanvu.members.models import MembersPolicy
    from doanvu.org.models import EducationLevel, TheoryLevel

    day = min(dt.date(year, 12, 31), upto)
    root = _root()
    months = 0 if upto < dt.date(year, 1, 1) else (12 if upto.year > year else upto.month)
    policy = MembersPolicy.objects.order_by("-valid_from").first()
    minimum = policy.regular_meeting_min_months if policy else 12
    last_month_end = (dt.date(year, months % 12 + 1, 1) - dt.timedelta(days=1)
                      if 0 < months < 12 else dt.date(year, 12, 31))
    education = [c for c, _label in EducationLevel.choices]
    theory = [c for c, _label in TheoryLevel.choices]
    params = {
        "day": day, "under": root.path + "%", "depth": len(root.path) // 6,
        "year": year, "jan1": dt.date(year, 1, 1), "dec31": dt.date(year, 12, 31),
        "required": min(months, math.ceil(minimum * months / 12)) if months else 0,
        "last": last_month_end if months else dt.date(year, 1, 1) - dt.timedelta(days=1),
        "education": education, "theory": theory,
        "min_education": education.index(target.params.get("min_education", "dai_hoc")) + 1,
        "min_theory": theory.index(target.params.get("min_theory", "trung_cap")) + 1,
    }
    with connection.cursor() as cur:
        cur.execute(SQL[target.formula], params)
        return {u: (int(n), int(d)) for u, n, d in cur.fetchall()}


def _nonzero(figures: Mapping[int, tuple[int, int | None]],
             count: bool) -> dict[int, tuple[int, int]]:
    return {u: (n, 0 if count else (d or 0)) for u, (n, d) in figures.items()
            if n or (d and not count)}


def run(add_row: Callable[[str, str, str, bool | None], None]) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from doanvu.accounts.models import User
    from doanvu.common.dates import today
    from doanvu.members.models import CadreCourse, Membership
    from doanvu.org.models import Unit
    from doanvu.targets import recompute
    from doanvu.targets.models import TargetFigure
    from doanvu.targets.selectors import measured_on

    if connection.vendor != "postgresql":
        add_row("Chỉ tiêu (PERF-4)", "bỏ qua: cần PostgreSQL", "PostgreSQL", None)
        return
    runs = max(1, int(os.environ.get("BENCH_TARGETS_RUNS", "3")))
    page_runs = max(5, int(os.environ.get("BENCH_TARGETS_PAGE_RUNS", "30")))
    year = _year()
    if CadreCourse.objects.filter(name=COURSE).exists():
        print("  Chỉ tiêu: dùng lại dữ liệu đã sinh")
    else:
        t = time.perf_counter()
        made = generate(year)
        add_row("Chỉ tiêu: sinh dữ liệu năm " + str(year),
                ", ".join(f"{k} {v}" for k, v in made.items())
                + f" ({time.perf_counter() - t:.0f} s)", "(thông tin)", None)
    targets = national_targets(year)
    upto = today()
    load_before = os.getloadavg()[0]
    members = Membership.objects.count()
    units = Unit.objects.count()

    def sql_all() -> dict[tuple[int, int], dict[int, tuple[int, int]]]:
        out = {}
        for target in targets:
            day = measured_on(target, upto)
            out[(target.pk, 0)] = sql_figures(target, year, day)
            out[(target.pk, 1)] = sql_figures(target, year - 1, recompute.year_before(day))
        return out

    def ours_compute() -> None:
        assert len(recompute.compute(upto=upto, targets=targets)) == len(targets)

    def ours_full() -> None:
        assert recompute.recompute(upto=upto, targets=targets).targets == len(targets)

    timings: dict[str, list[float]] = {"sql": [], "compute": [], "full": []}
    figures_sql: dict[tuple[int, int], dict[int, tuple[int, int]]] = {}
    for _ in range(runs):
        for name, fn in (("sql", sql_all), ("compute", ours_compute), ("full", ours_full)):
            t = time.perf_counter()
            result = fn()
            timings[name].append(time.perf_counter() - t)
            if name == "sql":
                figures_sql = result  # type: ignore[assignment]
    sql_s, full_s, comp_s = (statistics.median(timings[k]) for k in ("sql", "full", "compute"))
    add_row("PERF-4: tải máy (load average 1 phút) trước / sau các lần đo",
            f"{load_before:.1f} / {os.getloadavg()[0]:.1f} ({os.cpu_count()} lõi)", "(thông tin)",
            None)
    where = f"{units} đơn vị, {members} đoàn viên, {runs} lần"
    add_row(f"PERF-4: tính lại toàn bộ 4 chỉ tiêu từ dữ liệu gốc, ghi số liệu mọi đơn vị "
            f"(năm nay và năm trước; {where})",
            f"p50 {full_s:.1f} s / max {max(timings['full']):.1f} s", "< 60 s",
            max(timings["full"]) < 60)
    add_row("PERF-4: SQL viết tay cho cùng số liệu (mọi đơn vị, hai năm)",
            f"p50 {sql_s:.1f} s / max {max(timings['sql']):.1f} s", "(thông tin)", None)
    add_row("PERF-4: tỷ lệ tính lại toàn bộ (kể cả ghi) / SQL (p50)",
            f"{full_s / sql_s:.2f}×", "≤ 3×", full_s <= 3 * sql_s)
    add_row("PERF-4: chỉ tính (không ghi) / SQL (p50)",
            f"{comp_s:.1f} s, {comp_s / sql_s:.2f}×", "(thông tin)", None)

    # the first build: no figure stored yet, every row written (rolled back)
    from django.db import transaction

    with transaction.atomic():
        TargetFigure.objects.filter(target__in=targets).delete()
        t = time.perf_counter()
        written = recompute.recompute(upto=upto, targets=targets).figures
        first = time.perf_counter() - t
        transaction.set_rollback(True)
    add_row(f"PERF-4: lần tính đầu, chưa có số liệu lưu (ghi {written} dòng; rollback)",
            f"{first:.1f} s ({first / sql_s:.2f}× SQL)", "(thông tin; < 60 s)", None)

    # the stored figures equal the SQL's, unit by unit
    differences = 0
    rows = 0
    for target in targets:
        count = target.formula in recompute.COUNTS
        stored = {u: (n, d) for u, n, d, has in TargetFigure.objects.filter(target=target)
                  .values_list("unit_id", "numerator", "denominator", "has_data") if has}
        before = {u: (n, d) for u, n, d in TargetFigure.objects.filter(target=target)
                  .values_list("unit_id", "previous_numerator", "previous_denominator")
                  if n is not None}
        for mine, theirs in ((stored, figures_sql[(target.pk, 0)]),
                             (before, figures_sql[(target.pk, 1)])):
            a, b = _nonzero(mine, count), _nonzero(theirs, count)
            rows += len(b)
            differences += sum(1 for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    add_row("PERF-4: số liệu lưu so với SQL viết tay (đơn vị khác nhau)",
            f"{differences} / {rows}", "0", differences == 0)

    # the national dashboard, as served
    root = _root()
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={
        "is_superuser": True, "is_staff": True, "full_name": "Quản trị (bench)"})
    url = reverse("targets:dashboard", args=[root.pk])
    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(admin)
        samples = []
        for i in range(page_runs + 2):
            t = time.perf_counter()
            answer = client.get(url)
            if i >= 2:
                samples.append((time.perf_counter() - t) * 1000)
            assert answer.status_code == 200, answer.status_code
            assert "Số liệu tính lúc" in answer.content.decode()
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
    samples.sort()
    p50 = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    children = Unit.objects.filter(parent=root, dissolved_on__isnull=True).count()
    add_row(f"PERF-4: trang chỉ tiêu toàn quốc ({len(targets)} chỉ tiêu, {children} đơn vị "
            f"trực thuộc; {len(ctx.captured_queries)} truy vấn)",
            f"p50 {p50:.0f} ms / p95 {p95:.0f} ms", "p95 < 500 ms", p95 < 500)


def main() -> int:
    from tests.bench.run import run_alone

    return run_alone(run)


if __name__ == "__main__":
    sys.exit(main())
