"""PERF-1 (member import) and PERF-2 (member list of a province) — called by run.py.

Run alone (after run.py has built a nation, or on any database with one):
`DATABASE_URL=… .venv/bin/python tests/bench/bench_members.py`.

* BENCH_MEMBERS (default 6500000): members added by `generate_nation --members` (0: none).
* BENCH_IMPORT_ROWS (default 100000): rows of the PERF-1 file.
* BENCH_RSS_ROWS (default "100000,1000000"): file sizes whose import peak RSS is measured,
  each in a fresh subprocess (resource.getrusage ru_maxrss).
* BENCH_PERF2_QUERIES (default 200).
django-import-export is a bench-only dependency (requirements-bench.txt); without it the
comparison prints a line saying so.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đoàn",
          "Số thẻ đoàn viên", "Điện thoại", "Quê quán", "Dân tộc", "Trình độ học vấn",
          "Chi đoàn"]


class Rollback(Exception):
    pass


def _pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(q * len(s)) - 1))]


# -- the PERF-1 file --------------------------------------------------------------------------


def import_unit_and_branches() -> tuple[Any, list[str]]:
    """A province and the names of its branches that are unique within it."""
    from django.db.models import Count

    from doanvu.common.text import fold
    from doanvu.org.models import Unit

    province = (
        Unit.objects.filter(kind__code="tinh", dissolved_on__isnull=True).order_by("pk").first()
    )
    assert province is not None
    names = (
        Unit.objects.filter(path__startswith=province.path, kind__is_branch=True,
                            dissolved_on__isnull=True)
        .values("name_folded").annotate(n=Count("id")).filter(n=1)
        .values_list("name_folded", flat=True)
    )
    unique = set(names)
    branches = [
        n for n in Unit.objects.filter(path__startswith=province.path, kind__is_branch=True,
                                       dissolved_on__isnull=True)
        .order_by("pk").values_list("name", flat=True) if fold(n) in unique
    ]
    return province, branches


def write_rows(n: int, branches: list[str], code: str, seed: int = 5) -> Any:
    """Rows of n new members (CCCD serials 800000+ of the province: never generated)."""
    rng = random.Random(seed)
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Phan", "Huỳnh", "Đặng", "Bùi"]
    middle_m, middle_f = ["Văn", "Hữu", "Minh", "Quốc", "Đức"], ["Thị", "Ngọc", "Thu", "Kim"]
    given_m = ["An", "Bình", "Cường", "Dũng", "Hải", "Khoa", "Long", "Nam", "Phúc", "Tâm"]
    given_f = ["Anh", "Bích", "Châu", "Dung", "Hà", "Lan", "Mai", "Ngân", "Thảo", "Vy"]
    serials: dict[str, int] = {}
    for i in range(1, n + 1):
        female = rng.random() < 0.5
        year = rng.randint(1997, 2008)
        key = f"{code}{(year - 1900) // 100 * 2 + female}{year % 100:02d}"
        serials[key] = serials.get(key, 800_000) + 1
        name = (f"{rng.choice(family)} {rng.choice(middle_f if female else middle_m)} "
                f"{rng.choice(given_f if female else given_m)}")
        born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}"
        joined = f"26/03/{min(year + 17 + rng.randint(0, 3), 2025)}"
        yield [i, name, born, "Nữ" if female else "Nam", f"{key}{serials[key]:06d}", joined,
               f"B{i:09d}", f"09{rng.randrange(10 ** 8):08d}", "Tây Ninh", "Kinh", "Đại học",
               branches[i % len(branches)]]


def make_xlsx(path: str, rows: Any) -> None:
    """As Excel writes it: texts in the shared-strings table (openpyxl would write them inline,
    which spares a reader the part that costs memory in real files)."""
    from tests.bench.excel_like import write_xlsx

    write_xlsx(path, itertools.chain([HEADER], rows))


def make_csv(path: str, rows: Any) -> None:
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)


# -- ours ---------------------------------------------------------------------------------------


PHASES: dict[str, float] = {}


def vacuum() -> None:
    """Clear the dead rows an earlier rolled-back run left (on PostgreSQL), so each timed run
    starts from the same tables whatever ran before it (autovacuum may be off or late)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in ("org_person", "members_membership"):
                cur.execute(f"VACUUM (ANALYZE) {table}")


def ours(path: str, name: str, unit: Any, user: Any, *, keep: bool = False) -> tuple[float, dict]:
    """Upload + dry run + import of a file, as the pages do (the whole time, from the upload
    to the last row written); rolled back unless keep. PHASES gets each step's share."""
    from django.core.files import File
    from django.db import transaction

    from doanvu.members.imports.services import import_job_check, import_job_create, import_job_run

    t = time.perf_counter()
    counts: dict = {}
    try:
        with transaction.atomic():
            with open(path, "rb") as fh:
                upload = File(fh, name=name)
                job = import_job_create(actor=user, unit=unit, upload=upload)
            t1 = time.perf_counter()
            import_job_check(job=job, mapping=job.mapping)
            t2 = time.perf_counter()
            # as import_job_confirm leaves it for the worker, without queueing a task
            type(job).objects.filter(pk=job.pk).update(status="dang_nhap")
            counts = import_job_run(job_id=job.pk)
            elapsed = time.perf_counter() - t
            PHASES.update(upload=t1 - t, check=t2 - t1, write=time.perf_counter() - t2)
            job.file.delete(save=False)
            if not keep:
                raise Rollback
    except Rollback:
        pass
    return elapsed, counts


# -- django-import-export -----------------------------------------------------------------------


# django-import-export is fed the file in slices of this many rows (one dataset each, in one
# transaction), so the bench can stop it once it has taken `stop_after` seconds.
IEX_SLICE = 5000


def import_export_run(path: str, unit: Any, stop_after: float = float("inf")
                      ) -> tuple[float, int, int] | None:
    """django-import-export doing the same upsert by CCCD (Person + current Membership), over
    the file's rows in order: (seconds, rows read, new persons). It stops after the slice
    during which it passed `stop_after` seconds (then rows read < the file's): the rest of the
    file could only add time."""
    try:
        import tablib
        from import_export import fields, resources, widgets
    except ImportError:
        return None
    from django.db import transaction

    from doanvu.common.text import fold
    from doanvu.members.models import Membership
    from doanvu.org.models import Person, Unit

    branches = {
        b.name: b for b in Unit.objects.filter(path__startswith=unit.path, kind__is_branch=True)
    }
    date = widgets.DateWidget("%d/%m/%Y")

    class PersonResource(resources.ModelResource):
        full_name = fields.Field(attribute="full_name", column_name="Họ và tên")
        birth_date = fields.Field(attribute="birth_date", column_name="Ngày sinh", widget=date)
        gender = fields.Field(attribute="gender", column_name="Giới tính")
        cccd = fields.Field(attribute="cccd", column_name="Số CCCD")
        phone = fields.Field(attribute="phone", column_name="Điện thoại")
        hometown = fields.Field(attribute="hometown", column_name="Quê quán")
        ethnicity = fields.Field(attribute="ethnicity", column_name="Dân tộc")

        class Meta:
            model = Person
            import_id_fields = ("cccd",)
            fields = ("full_name", "birth_date", "gender", "cccd", "phone", "hometown",
                      "ethnicity")
            skip_unchanged = True

        def before_import_row(self, row: Any, **kwargs: Any) -> None:
            row["Giới tính"] = "nu" if row["Giới tính"] == "Nữ" else "nam"

        def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            if kwargs.get("dry_run"):
                return
            if not Membership.objects.filter(person=instance, is_current=True).exists():
                branch = branches[row["Chi đoàn"]]
                joined = date.clean(row["Ngày vào Đoàn"])
                Membership.objects.create(
                    person=instance, branch=branch, unit_path=branch.path,
                    name_folded=fold(instance.full_name), birth_date=instance.birth_date,
                    joined_union_on=joined, started_on=joined,
                    card_number=row["Số thẻ đoàn viên"])

    from django.db.models.signals import post_save, pre_save

    from doanvu.audit import signals as audit_signals

    # Our import writes one audit record per job, not per row: switch the per-row audit
    # receivers off for django-import-export too, so both do the same work.
    pre_save.disconnect(audit_signals._capture_before)
    post_save.disconnect(audit_signals._record_save)
    t = time.perf_counter()
    elapsed, done, n = 0.0, 0, 0
    try:
        with transaction.atomic():
            with open(path, "rb") as fh:
                dataset = tablib.Dataset().load(fh.read(), format="xlsx")
            resource = PersonResource()
            while done < dataset.height and elapsed <= stop_after:
                chunk = tablib.Dataset(*dataset[done:done + IEX_SLICE], headers=dataset.headers)
                result = resource.import_data(chunk, dry_run=False, raise_errors=True)
                n += result.totals.get("new", 0)
                done += chunk.height
                elapsed = time.perf_counter() - t
            raise Rollback
    except Rollback:
        pass
    finally:
        pre_save.connect(audit_signals._capture_before)
        post_save.connect(audit_signals._record_save)
    return elapsed, done, n


def copy_plain(path: str) -> float:
    """PostgreSQL COPY of the same CSV into a plain table of text columns."""
    from django.db import connection, transaction

    cols = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    t = time.perf_counter()
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"CREATE TABLE bench_plain ({cols})")
            with open(path, "rb") as fh, cur.copy(
                "COPY bench_plain FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)
            elapsed = time.perf_counter() - t
            raise Rollback
    except Rollback:
        pass
    return elapsed


def copy_real_tables(path: str, unit: Any) -> float:
    """The floor of any import into our tables: COPY of the same rows, unchecked, straight into
    org_person and members_membership with all their indexes (rolled back)."""
    import csv
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from doanvu.common.text import fold
    from doanvu.members.imports.services import MEMBER_COLS
    from doanvu.org.models import Unit

    branches = {b.name: b for b in Unit.objects.filter(path__startswith=unit.path,
                                                       kind__is_branch=True)}
    now = timezone.now()

    def day(text: str) -> dt.date:
        d, m, y = text.split("/")
        return dt.date(int(y), int(m), int(d))

    person_cols = "id, full_name, name_folded, gender, birth_date, phone, email, cccd, " \
                  "ethnicity, religion, hometown, hometown_folded, address, education_level, " \
                  "political_theory, party_member, occupation"
    t = time.perf_counter()
    try:
        with transaction.atomic(), connection.cursor() as cur, \
                open(path, encoding="utf-8-sig", newline="") as fh:
            rows = csv.reader(fh)
            next(rows)
            batch: list[list[str]] = []
            for row in itertools.chain(rows, [None]):
                if row is not None:
                    batch.append(row)
                    if len(batch) < 5000:
                        continue
                if not batch:
                    break
                cur.execute("SELECT nextval(pg_get_serial_sequence('org_person', 'id')) "
                            "FROM generate_series(1, %s)", [len(batch)])
                ids = [r[0] for r in cur.fetchall()]
                with cur.copy(f"COPY org_person ({person_cols}) FROM STDIN") as copy:
                    for pid, r in zip(ids, batch, strict=True):
                        copy.write_row((pid, r[1], fold(r[1]), "nu" if r[3] == "Nữ" else "nam",
                                        day(r[2]), r[7], "", r[4], r[9], "", r[8], fold(r[8]),
                                        "", "dai_hoc", "", False, ""))
                with cur.copy(f"COPY members_membership ({', '.join(MEMBER_COLS)}) "
                              "FROM STDIN") as copy:
                    for pid, r in zip(ids, batch, strict=True):
                        b = branches[r[11]]
                        joined = day(r[5])
                        copy.write_row((pid, b.pk, b.path, fold(r[1]), day(r[2]),
                                        "nu" if r[3] == "Nữ" else "nam", joined, r[6],
                                        "dang_sinh_hoat", True, joined, None, "", False, False,
                                        False, now))
                batch = []
            elapsed = time.perf_counter() - t
            raise Rollback
    except Rollback:
        pass
    return elapsed


def rss_child(path: str, name: str) -> None:
    """In a fresh process: import `path` (rolled back) and print peak RSS in MiB."""
    import django

    django.setup()
    from doanvu.accounts.models import User

    unit, _branches = import_unit_and_branches()
    user = User.objects.get(username="bench_admin")
    elapsed, counts = ours(path, name, unit, user)
    print(f"RSS {peak_rss_mib():.0f} {elapsed:.1f} {counts.get('added', 0)}")


def peak_rss_mib() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the process image, where
    getrusage's ru_maxrss also counts the parent's memory at the fork before exec (the bench
    parent holds the generated file's strings, which would be counted as the import's)."""
    import resource

    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_of(path: str, name: str) -> tuple[float, float, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--rss", path, name], capture_output=True, text=True,
        env=os.environ.copy(), check=False,
    )
    for line in out.stdout.splitlines():
        if line.startswith("RSS "):
            _, mb, secs, added = line.split()
            return float(mb), float(secs), int(added)
    raise SystemExit(f"Đo RSS thất bại: {out.stderr[-2000:]}")


# -- PERF-1 and PERF-2 --------------------------------------------------------------------------


def perf1(add_row: Callable[[str, str, str, bool | None], None]) -> None:
    import datetime as dt

    from django.db import connection

    from doanvu.accounts.models import User
    from doanvu.members.core.rules import PROVINCE_CODES
    from doanvu.members.models import MembersPolicy
    from doanvu.org.models import Unit

    n = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    unit, branches = import_unit_and_branches()
    root = Unit.objects.get(path=unit.path[: len(unit.path) // 2])
    MembersPolicy.objects.get_or_create(issuing_unit=root, valid_from=dt.date(2011, 1, 1))
    code = {v: k for k, v in PROVINCE_CODES.items()}.get(unit.place, "072")
    user = User.objects.get(username="bench_admin")
    tmp = Path(tempfile.mkdtemp(prefix="doanvu-bench-"))
    xlsx, csv_path = str(tmp / "ds.xlsx"), str(tmp / "ds.csv")
    t = time.perf_counter()
    make_xlsx(xlsx, write_rows(n, branches, code))
    make_csv(csv_path, write_rows(n, branches, code))
    print(f"  tệp PERF-1: {n} dòng, {len(branches)} chi đoàn của {unit.name} "
          f"({time.perf_counter() - t:.0f} s để tạo)")

    vacuum()
    ours_xlsx, counts = ours(xlsx, "ds.xlsx", unit, user)
    assert counts.get("added") == n, counts
    print(f"  ours .xlsx: {ours_xlsx:.1f} s ({counts}); tải lên {PHASES['upload']:.1f} s, "
          f"kiểm tra {PHASES['check']:.1f} s, ghi {PHASES['write']:.1f} s")
    vacuum()
    # It is stopped once it has taken 10× ours (the target is then met whatever the rest of
    # the file costs it): at 100 000 rows it would run for more than 20 minutes.
    theirs = import_export_run(xlsx, unit, stop_after=10 * ours_xlsx)
    if theirs is None:
        add_row(f"PERF-1 nhập {n} dòng .xlsx: ours / django-import-export",
                f"ours {ours_xlsx:.1f} s; django-import-export CHƯA CÀI "
                "(pip install -r requirements-bench.txt)", "≥ 10×", None)
    else:
        ie, ie_rows, ie_new = theirs
        print(f"  django-import-export .xlsx: {ie:.1f} s cho {ie_rows} / {n} dòng ({ie_new} mới)")
        if ie_rows < n:
            value = (f"> {ie:.1f} s (dừng sau {ie_rows} / {n} dòng, đã quá 10× của ours) / "
                     f"{ours_xlsx:.1f} s = > {ie / ours_xlsx:.1f}×")
        else:
            value = f"{ie:.1f} s / {ours_xlsx:.1f} s = {ie / ours_xlsx:.1f}×"
        add_row(f"PERF-1 nhập {n} dòng .xlsx: django-import-export / ours", value, "≥ 10×",
                ie / ours_xlsx >= 10)
    vacuum()
    ours_csv, counts = ours(csv_path, "ds.csv", unit, user)
    assert counts.get("added") == n, counts
    print(f"  ours .csv: {ours_csv:.2f} s; tải lên {PHASES['upload']:.2f} s, kiểm tra "
          f"{PHASES['check']:.2f} s, ghi {PHASES['write']:.2f} s")
    if connection.vendor == "postgresql":
        vacuum()
        copy = copy_plain(csv_path)
        # SPEC PERF-1: the floor is a COPY into the same indexed tables (with their triggers);
        # a COPY into a plain table of text columns is printed for scale only.
        add_row(f"PERF-1 nhập {n} dòng .csv: ours / COPY bảng thường (không chỉ mục)",
                f"{ours_csv:.2f} s / {copy:.2f} s = {ours_csv / copy:.1f}×", "(thông tin)", None)
        vacuum()
        floor = copy_real_tables(csv_path, unit)
        add_row(f"PERF-1 nhập {n} dòng .csv: ours / COPY thẳng vào bảng thật (đủ chỉ mục)",
                f"{ours_csv:.2f} s / {floor:.2f} s = {ours_csv / floor:.1f}×", "≤ 2×",
                ours_csv / floor <= 2)
    else:
        add_row(f"PERF-1 nhập {n} dòng .csv (không có PostgreSQL COPY)", f"{ours_csv:.2f} s",
                "≤ 3× COPY", None)
    sizes = [int(s) for s in os.environ.get("BENCH_RSS_ROWS", "100000,1000000").split(",") if s]
    peaks = []
    for size in sizes:
        path = str(tmp / f"rss-{size}.xlsx")
        make_xlsx(path, write_rows(size, branches, code, seed=size))
        vacuum()
        mb, secs, added = rss_of(path, f"rss-{size}.xlsx")
        peaks.append((size, mb))
        print(f"  RSS nhập {size} dòng .xlsx: {mb:.0f} MiB, {secs:.0f} s, {added} thêm")
        Path(path).unlink()
    if peaks:
        flat = max(mb for _s, mb in peaks) <= 1.25 * min(mb for _s, mb in peaks)
        add_row("PERF-1 bộ nhớ đỉnh (RSS) khi nhập .xlsx",
                ", ".join(f"{s:,} dòng: {mb:.0f} MiB".replace(",", ".") for s, mb in peaks),
                "phẳng (≤ +25%)", flat)
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()


def perf2(add_row: Callable[[str, str, str, bool | None], None]) -> None:
    from django.db.models import CharField, Count
    from django.db.models.functions import MD5, Cast, Substr

    from doanvu.accounts.models import RoleGrant, RoleType, User
    from doanvu.accounts.scope import Scope
    from doanvu.members.models import Membership
    from doanvu.org.models import Unit
    from doanvu.org.paths import STEP

    total = Membership.objects.count()
    if total == 0:
        add_row("PERF-2", "không có đoàn viên (BENCH_MEMBERS=0)", "< 100 ms", None)
        return
    vacuum()  # after PERF-1's rolled-back imports: the planner sees the table as it is
    per_province = dict(
        Membership.objects.filter(is_current=True)
        .annotate(p=Substr("unit_path", 1, 2 * STEP)).values_list("p")
        .annotate(n=Count("id")).values_list("p", "n")
    )
    provinces = list(Unit.objects.filter(kind__code="tinh", path__in=list(per_province)))
    province = min(provinces, key=lambda u: abs(per_province[u.path] - 200_000))
    size = per_province[province.path]
    cadre, _ = User.objects.get_or_create(username="bench_perf2",
                                          defaults={"full_name": "Cán bộ tỉnh (PERF-2)"})
    RoleGrant.objects.filter(user=cadre).delete()
    RoleGrant.objects.create(user=cadre, role_type=RoleType.objects.get(code="bi_thu"),
                             unit=province, start_date=province.founded_on)
    scope = Scope.for_user(cadre)
    rng = random.Random(2)
    sample = list(
        Membership.objects.filter(unit_path__startswith=province.path)
        # The same sample every run (a hash of the id, not random()), so runs compare.
        .order_by(MD5(Cast("id", CharField())), "id").values_list("name_folded", flat=True)[:400]
    )
    bands = ["", "", "16-18", "19-23", "24-30"]
    queries: list[dict[str, str]] = []
    for i in range(int(os.environ.get("BENCH_PERF2_QUERIES", "200"))):
        words = sample[i % len(sample)].split()
        kind = i % 4
        q = (" ".join(words) if kind == 0 else f"{words[0]} {words[-1]}" if kind == 1
             else words[-1] if kind == 2 else " ".join(words[:2]))
        queries.append({"q": q, "trang_thai": "", "tuoi": rng.choice(bands),
                        "gioi_tinh": rng.choice(["", "", "nam", "nu"])})
    # The province, then its largest unit one level down (a district union or, after the
    # 2025 reform, a commune or an agency body): the same queries, a page of 50 each.
    below = (
        Membership.objects.filter(unit_path__startswith=province.path, is_current=True)
        .annotate(p=Substr("unit_path", 1, 3 * STEP)).values_list("p")
        .annotate(n=Count("id")).order_by("-n").first()
    )
    district = Unit.objects.filter(path=below[0]).first() if below else None
    _perf2_measure(add_row, scope, province, queries, size, total)
    if district is not None and below is not None:
        _perf2_measure(add_row, scope, district, queries, below[1], total)
    _perf2_nation(add_row, queries[:100], total)


def _perf2_nation(add_row: Callable[[str, str, str, bool | None], None],
                  queries: list[dict[str, str]], total: int) -> None:
    """The same searches by a central user with no unit chosen: the whole nation (not a
    PERF-2 target; the indexes are built for a province). Searches neither plan answers within
    MEMBER_SEARCH_TIMEOUT_MS are answered "too broad"."""
    from doanvu.accounts.models import User
    from doanvu.accounts.scope import Scope
    from doanvu.members.core.selectors import SearchTooBroad, member_rows

    scope = Scope.for_user(User.objects.get(username="bench_admin"))
    samples, broad = [], 0
    for f in queries:
        t = time.perf_counter()
        try:
            member_rows(scope=scope, unit=None, filters=f, after=None)
        except SearchTooBroad:
            broad += 1
        samples.append((time.perf_counter() - t) * 1000)
    count = f"{total:,}".replace(",", ".")
    for ms, f in sorted(zip(samples, queries, strict=True), key=lambda x: -x[0])[:5]:
        print(f"  PERF-2 cả nước, chậm: {ms:.0f} ms với {f}")
    add_row(f"Tìm đoàn viên cả nước ({count} đoàn viên), cán bộ trung ương",
            f"p50 {statistics.median(samples):.0f} ms / p95 {_pct(samples, 0.95):.0f} ms / "
            f"tối đa {max(samples):.0f} ms; "
            f"{broad}/{len(samples)} “quá rộng”", "(thông tin)", None)


def _perf2_measure(add_row: Callable[[str, str, str, bool | None], None], scope: Any, unit: Any,
                   queries: list[dict[str, str]], size: int, total: int) -> None:
    from django.db import connection

    from doanvu.members.core.selectors import (
        SearchTooBroad,
        member_filter,
        member_rows,
        split_search,
    )

    for f in queries[:3]:  # warm-up
        with contextlib.suppress(SearchTooBroad):
            member_rows(scope=scope, unit=unit, filters=f, after=None)
    samples, broad = [], 0
    for f in queries:
        t = time.perf_counter()
        try:
            member_rows(scope=scope, unit=unit, filters=f, after=None)
        except SearchTooBroad:  # counted: a miss, whatever its time
            broad += 1
        samples.append((time.perf_counter() - t) * 1000)
    p50, p95 = statistics.median(samples), _pct(samples, 0.95)
    worst = queries[samples.index(max(samples))]
    print(f"  PERF-2: {unit.name}, {size} đoàn viên / {total} cả nước; chậm nhất "
          f"{max(samples):.0f} ms với {worst}")
    if connection.vendor == "postgresql":
        for f in (queries[1], worst):
            # The list's own queries (split_search: one per part, the plan each chose; else
            # member_filter), one page each.
            split = split_search(scope=scope, unit=unit, filters=f)
            parts = (split.queries if split is not None
                     else [member_filter(scope=scope, unit=unit, filters=f)])
            print(f"  EXPLAIN (q={f['q']!r}, tuoi={f['tuoi']!r}, gioi_tinh={f['gioi_tinh']!r}):")
            for qs in parts:
                print("    -- phần")
                for line in qs[:51].explain(analyze=True).splitlines()[:12]:
                    print("    " + line[:160])
    add_row(f"PERF-2 danh sách đoàn viên {unit.name} ({size:,} / {total:,} đoàn viên): "
            .replace(",", ".") + "lọc + tìm không dấu + trang 50",
            f"p50 {p50:.1f} ms / p95 {p95:.1f} ms ({len(samples)} truy vấn"
            + (f", {broad} “quá rộng”)" if broad else ")"), "< 100 ms", p95 < 100 and not broad)


def counts(add_row: Callable[[str, str, str, bool | None], None]) -> None:
    """Issue 11: the maintained member counts — a full recount from raw memberships (PERF-4:
    < 60 s for 6.5 M, rolled back) and the member list's counts per sub-unit, which read them."""
    from django.db import transaction

    from doanvu.accounts.scope import Scope
    from doanvu.members import tally
    from doanvu.members.core.selectors import sub_unit_counts
    from doanvu.members.models import Membership
    from doanvu.org.models import Unit

    total = Membership.objects.count()
    if total == 0:
        return
    t = time.perf_counter()
    with contextlib.suppress(Rollback), transaction.atomic():
        rows = tally.recount()
        recount_s = time.perf_counter() - t
        raise Rollback
    add_row(f"Đếm lại số đoàn viên theo đơn vị từ dữ liệu gốc ({total:_} đoàn viên, "
            f"{rows:_} dòng)".replace("_", "."),
            f"{recount_s:.1f} s", "< 60 s", recount_s < 60)
    root = Unit.objects.get(parent__isnull=True)
    provinces = list(Unit.objects.filter(parent=root, dissolved_on__isnull=True))
    sizes = tally.totals([u.path for u in provinces], status="dang_sinh_hoat")
    biggest = max(provinces, key=lambda u: sizes[u.path])
    near = min(provinces, key=lambda u: abs(sizes[u.path] - 200_000))
    scope = Scope(user_id=0, is_superuser=True)
    for unit in dict.fromkeys([near, biggest, root]):
        sub_unit_counts(scope=scope, unit=unit)  # warm-up
        samples = []
        for _ in range(20):
            t = time.perf_counter()
            sub_unit_counts(scope=scope, unit=unit)
            samples.append((time.perf_counter() - t) * 1000)
        add_row(f"Số đoàn viên theo đơn vị trực thuộc (danh sách đoàn viên) của {unit.name}",
                f"p50 {statistics.median(samples):.1f} ms / p95 {_pct(samples, 0.95):.1f} ms",
                "(thông tin)", None)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanvu.settings.dev")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    if len(sys.argv) == 4 and sys.argv[1] == "--rss":
        rss_child(sys.argv[2], sys.argv[3])
        return 0
    import django

    django.setup()
    from doanvu.accounts.models import User

    User.objects.get_or_create(username="bench_admin",
                               defaults={"is_superuser": True, "is_staff": True,
                                         "full_name": "Quản trị (bench)"})
    rows: list[tuple[str, str, str, bool | None]] = []

    def add_row(metric: str, value: str, target: str, ok: bool | None) -> None:
        rows.append((metric, value, target, ok))
        print(f"  {metric}: {value}")

    if "--counts" in sys.argv:
        counts(add_row)
    else:
        if "--perf2" not in sys.argv:
            perf1(add_row)
        perf2(add_row)
    for metric, value, target, ok in rows:
        mark = "" if ok is None else (" ✓" if ok else " ✗")
        print(f"{metric} | {value}{mark} | {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
