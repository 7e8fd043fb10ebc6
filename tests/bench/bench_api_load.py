"""PERF-5 for the API (issue 16, "Load and faults"): 100 programs reading and 10 writing
through /api/v1/ with tokens, on gunicorn with the production settings on this machine —
p95 < 300 ms and no error, reads and writes reported apart.

Run alone: `DATABASE_URL=postgres://… .venv/bin/python tests/bench/bench_api_load.py` (a
database with a generated nation), or as part of `make bench` (run.py; BENCH_API_LOAD=0 skips
it). The server, its settings, the static files, locust, the percentiles and the load average
are bench_load.py's (`prepare_server`, `serve_and_load`); only the plan and the users differ.

* BENCH_API_READERS (100) programs `apiload_000`…, each with a Bí thư grant and a token made by
  `api.services.token_create` (as its user would): BENCH_API_CENTRAL (5) at the Trung ương
  Đoàn, the others spread over the provinces at province, district and commune level
  (bench_load.spread_units, as the pages' load test).
* The reads, by weight (READS): the unit's sub-units and the unit itself, with and without
  `?ngay=` (a day of the past year the unit stood), what the unit owes (`don-vi/<id>/viec/`),
  the members list (the unit, a sub-unit, the filters `gioi_tinh`, `tuoi`, `trang_thai`), its
  search (`?q=` a name of the unit), its next pages (the answer's `trang_sau`), a member, the
  user's obligations and one of them, the documents register and one document.
* BENCH_API_WRITERS (10) programs `apiwrite_00`…, each a Bí thư of a provincial or district
  agency with a cadre holding a post there, writing through the write endpoints of version 1
  (each through the app's service, as the pages): a visit of that cadre to units below the
  agency (`POST di-co-so/`, under bench_fieldvisits's regime; repeatable), a members list of 3
  rows uploaded for import (`POST doan-vien/nhap/`, multipart; its dry run is queued, and a
  worker drains those after the run), the agency's open obligations submitted (`POST
  viec/<id>/nop/`, one-shot; a nation generated without `--history` has none) and spare
  tokens revoked (`POST khoa-truy-cap/<id>/thu-hoi/`, one-shot, made beforehand, as many as
  the run can use). A department's scores (`POST thi-dua/phieu/<id>/diem/`) are left out: a
  generated nation has no emulation sheet to score.
* Think time: the PERF-5 load is the pages' (bench_load.py): each client waits
  load_pages.THINK_MIN..THINK_MAX (5–15 s) between two requests — the target row. Then the same
  at a program's pace, STRESS_THINK (0.5–2 s: it reads the answer and sends the next request;
  BENCH_API_STRESS=0 skips it): the ceiling of the 2 cores, reported beside as information, not
  as the target. BENCH_API_THINK_MIN/MAX override the target row's think time.
* locust for BENCH_API_SECONDS (90), BENCH_API_SPAWN_RATE (25) programs a second; requests
  started in the first BENCH_API_WARMUP (20) seconds are left out. BENCH_API_KEEP=1 keeps the
  run's directory (plan, locust's CSV, gunicorn's access log).
* The rows: reads and writes apart (requests, p50/p95/max, errors), all together with req/s,
  the load average before/peak/after (2 cores shared with whatever else runs), the CPU
  seconds of locust and gunicorn; per endpoint when run alone.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.bench_load import (  # noqa: E402
    TARGET_P95_MS,
    AddRow,
    _env_int,
    _percentile,
    bench_user,
    prepare_server,
    serve_and_load,
    spread_units,
)

HERE = Path(__file__).resolve().parent
TOKEN_NAME = "Chương trình thử tải API"

# key → weight: how often a reading program asks for each
READS: dict[str, int] = {
    "units": 2, "units_ngay": 1, "unit": 2, "unit_ngay": 1, "unit_obligations": 1,
    "members": 3, "members_search": 2, "members_next": 1, "member": 3,
    "my_obligations": 1, "obligation": 1, "documents": 1, "document": 1,
}


def _float_env(name: str, default: float) -> float:
    return float(os.environ.get(name, str(default)))


def _token(user: Any) -> str:
    from doanvu.api import services
    from doanvu.common.dates import today

    return services.token_create(actor=user, user=user, name=TOKEN_NAME,
                                 expires_on=today() + dt.timedelta(days=7)).key


def _as_of(unit: Any) -> str:
    """A day of the past year the unit stood on (its founding day at the latest)."""
    from doanvu.common.dates import today

    return max(unit.founded_on, today() - dt.timedelta(days=180)).isoformat()


def _reader_urls(user: Any, unit: Any) -> dict[str, list[str]]:
    from urllib.parse import urlencode

    from django.http import Http404
    from django.urls import reverse

    from doanvu.accounts.scope import Scope
    from doanvu.documents import selectors as documents
    from doanvu.documents.models import Document
    from doanvu.hub import selectors as hub
    from doanvu.hub.models import Obligation
    from doanvu.members.models import Membership
    from doanvu.org.models import Unit

    scope = Scope.for_user(user)
    day = _as_of(unit)
    sub = list(Unit.objects.filter(parent=unit, dissolved_on__isnull=True)
               .order_by("pk").values_list("pk", flat=True)[:5])
    members = list(Membership.objects.filter(unit_path__startswith=unit.path, is_current=True)
                   .values_list("pk", "name_folded")[:8])
    searches = []
    for _, name in members[:4]:
        words = name.split()
        searches.append(" ".join(words[-2:]) if len(words) > 1 else name)

    def readable(ids: list[int], get: Any) -> list[int]:
        out = []
        for pk in ids:
            try:
                get(scope=scope, pk=pk)
            except Http404:
                continue
            out.append(pk)
        return out

    obligations = readable(list(Obligation.objects.filter(
        owed_by_unit__path__startswith=unit.path).order_by("-pk").values_list("pk", flat=True)[:6]),
        hub.obligation_get)
    docs = readable(list(Document.objects.filter(
        issuing_unit__path__startswith=unit.path).order_by("-pk").values_list("pk", flat=True)[:6]),
        documents.document_get)
    members_url = reverse("api:v1_members")
    member_lists = [members_url, members_url + "?gioi_tinh=nu", members_url + "?tuoi=19-23",
                    members_url + "?trang_thai=tat_ca"]
    member_lists += [members_url + "?" + urlencode({"don_vi": pk}) for pk in sub[:2]]
    return {
        "units": [reverse("api:v1_units") + f"?cha={unit.pk}"],
        "units_ngay": [reverse("api:v1_units") + f"?cha={unit.pk}&ngay={day}"],
        "unit": [reverse("api:v1_unit", args=[pk]) for pk in [unit.pk, *sub[:3]]],
        "unit_ngay": [reverse("api:v1_unit", args=[unit.pk]) + f"?ngay={day}"],
        "unit_obligations": [reverse("api:v1_unit_obligations", args=[unit.pk])],
        "members": member_lists,
        "members_search": [members_url + "?" + urlencode({"q": q}) for q in searches],
        "member": [reverse("api:v1_member", args=[pk]) for pk, _ in members],
        "my_obligations": [reverse("api:v1_my_obligations")],
        "obligation": [reverse("api:v1_obligation", args=[pk]) for pk in obligations],
        "documents": [reverse("api:v1_documents")],
        "document": [reverse("api:v1_document", args=[pk]) for pk in docs],
    }


def _write(key: str, url: str, body: Any, *, repeat: bool, expect: tuple[int, ...] = (200, 201),
           method: str = "POST") -> dict[str, Any]:
    return {"key": key, "method": method, "url": url, "body": body, "repeat": repeat,
            "expect": list(expect)}


def _writers(n: int) -> list[tuple[Any, Any]]:
    """(agency unit, cadre person) of `n` writing programs: cadres holding a current post at a
    provincial or district agency (the field visits' cadres), one per agency, spread."""
    from doanvu.org.models import Position, Unit
    from tests.bench.bench_fieldvisits import CADRE_KINDS

    seen: dict[int, int] = {}
    for person, unit in (Position.objects.filter(unit__kind__code__in=CADRE_KINDS,
                                                 end_date__isnull=True,
                                                 unit__dissolved_on__isnull=True)
                         .order_by("unit_id", "person_id").values_list("person_id", "unit_id")):
        seen.setdefault(unit, person)
    units = sorted(seen)
    step = max(1, len(units) // max(n, 1))
    picked = units[::step][:n]
    by_pk = Unit.objects.in_bulk(picked)
    from doanvu.org.models import Person

    people = Person.objects.in_bulk([seen[u] for u in picked])
    return [(by_pk[u], people[seen[u]]) for u in picked]


def _small_file(i: int, unit: Any) -> str:
    """A list of 3 members as a province's system would send (base64 of an .xlsx); who they
    are does not matter: the upload is the write, its dry run is the worker's."""
    import base64
    import io

    from openpyxl import Workbook

    from tests.bench.bench_members import HEADER

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    for r in range(3):
        ws.append([r + 1, f"Nguyễn Văn Gửi {i} {r}", "01/02/2003", "Nam", "", "26/03/2019",
                   "", "", "", "", "", unit.name])
    out = io.BytesIO()
    wb.save(out)
    return base64.b64encode(out.getvalue()).decode()


def _writes(user: Any, unit: Any, person: Any, n_once: int, seed: int) -> list[dict[str, Any]]:
    """The writes of one writing program, through every write endpoint of version 1 a
    generated nation can take (WRITE_KINDS)."""
    import random

    from django.urls import reverse

    from doanvu.api import services
    from doanvu.common.dates import today
    from doanvu.org.models import Unit

    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    # a visit the cadre made to units below the agency (fieldvisits.visits.visit_log):
    # repeatable, a day of this year each
    places = list(Unit.objects.filter(parent=unit, dissolved_on__isnull=True)
                  .order_by("pk").values_list("pk", flat=True)[:10])
    day0 = max(dt.date(today().year, 1, 1), unit.founded_on)
    span = max(1, (today() - day0).days)
    for _ in range(20 if places else 0):
        day = day0 + dt.timedelta(days=rng.randrange(span))
        out.append(_write("visit_log", reverse("api:v1_visits"), {
            "can_bo": person.pk, "tu_ngay": day.strftime("%d/%m/%Y"),
            "don_vi_den": rng.sample(places, min(2, len(places))), "loai": "1.1",
            "noi_dung_da_lam": "Nắm tình hình cơ sở (thử tải)"}, repeat=True))
    # a members list uploaded for import (members.imports: the file stored, its dry run
    # queued): repeatable
    for i in range(3):
        out.append(_write("member_import", reverse("api:v1_member_imports"),
                          {"don_vi": unit.pk}, repeat=True, expect=(202,)) | {
            "file": {"field": "tep", "name": f"ds-{i}.xlsx", "b64": _small_file(i, unit)}})
    # an obligation of the agency submitted (hub's submit service): one-shot, the open ones
    # this program may submit (a generated nation with --history has them; without, none)
    from django.http import Http404

    from doanvu.accounts.scope import Scope
    from doanvu.hub import permissions as hub_permissions
    from doanvu.hub import selectors as hub
    from doanvu.hub.models import OPEN_STATUSES, Obligation

    scope = Scope.for_user(user)
    for pk in Obligation.objects.filter(owed_by_unit=unit, status__in=OPEN_STATUSES) \
            .order_by("pk").values_list("pk", flat=True)[:n_once]:
        try:
            hub.obligation_get(scope=scope, pk=pk, allowed=hub_permissions.can_submit)
        except Http404:
            continue
        out.append(_write("obligation_submit", reverse("api:v1_obligation_submit", args=[pk]),
                          {"noi_dung": "Báo cáo gửi từ hệ thống của tỉnh (thử tải)."},
                          repeat=False))
    # a token's revocation (api.services.token_revoke): one-shot, tokens made beforehand
    for _ in range(n_once):
        spare = services.token_create(actor=user, user=user, name=TOKEN_NAME + " (thu hồi)",
                                      expires_on=today() + dt.timedelta(days=7)).token
        out.append(_write("token_revoke", reverse("api:v1_token_revoke", args=[spare.pk]),
                          None, repeat=False))
    return out


def build_plan(*, n_readers: int, n_central: int, n_writers: int, n_once: int,
               seed: int = 1) -> dict[str, Any]:
    """Readers and writers with their tokens and requests (see the module's doc)."""
    readers = []
    for i, unit in enumerate(spread_units(n_readers, n_central, seed=seed)):
        user = bench_user(f"apiload_{i:03d}", f"Chương trình đọc {i}", unit)
        readers.append({"username": user.username, "token": _token(user),
                        "urls": _reader_urls(user, unit)})
    from tests.bench.bench_fieldvisits import _policy

    _policy()  # the regime the visits are logged under (bench_fieldvisits's)
    writers = []
    for i, (unit, person) in enumerate(_writers(n_writers)):
        user = bench_user(f"apiwrite_{i:02d}", f"Chương trình ghi {i}", unit)
        writers.append({"username": user.username, "token": _token(user),
                        "writes": _writes(user, unit, person, n_once, seed + i)})
    return {"reads": READS, "readers": readers, "writers": writers}


def _stats(ms: list[float]) -> tuple[float, float, float]:
    return _percentile(ms, 0.5), _percentile(ms, 0.95), max(ms, default=0.0)


STRESS_THINK = (0.5, 2.0)


def run(add: AddRow, *, stress: bool = False) -> dict[str, Any]:
    """Run the API load test against DATABASE_URL; add its rows; return the figures. At the
    pages' PERF-5 pace (the target row), or with `stress` at a program's pace (information)."""
    from tests.bench.load_pages import THINK_MAX, THINK_MIN

    n_readers = _env_int("BENCH_API_READERS", 100)
    n_central = _env_int("BENCH_API_CENTRAL", 5)
    n_writers = _env_int("BENCH_API_WRITERS", 10)
    seconds = _env_int("BENCH_API_SECONDS", 90)
    warmup = _env_int("BENCH_API_WARMUP", 20)
    spawn_rate = _env_int("BENCH_API_SPAWN_RATE", 25)
    think = STRESS_THINK if stress else (_float_env("BENCH_API_THINK_MIN", THINK_MIN),
                                         _float_env("BENCH_API_THINK_MAX", THINK_MAX))
    n_once = int(seconds / think[0]) + 5  # more one-shot writes than a writer can make

    t = time.perf_counter()
    _secret, env = prepare_server()
    plan = build_plan(n_readers=n_readers, n_central=n_central, n_writers=n_writers,
                      n_once=n_once)
    print(f"  {n_readers} chương trình đọc, {n_writers} chương trình ghi, khóa tạo sẵn "
          f"({time.perf_counter() - t:.1f} s)")
    done = serve_and_load(env=env, plan=plan, locustfile=HERE / "locust_api.py",
                          n_users=n_readers + n_writers, spawn_rate=spawn_rate,
                          seconds=seconds, warmup=warmup, think=think,
                          keep_var="BENCH_API_KEEP", prefix="bench_api_load_")
    # the dry runs the uploads queued: a deployment's worker runs beside the server; here
    # one drains them after the run (not measured), so nothing is left queued
    t = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch",
                    "--interval", "0.05", "--no-startup-delay", "--no-reload", "-v", "0"],
                   cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    print(f"  worker: các lượt kiểm tra tệp đã xếp hàng xong ({time.perf_counter() - t:.0f} s)")
    samples = done.samples
    reads = [s for s in samples if s[0].startswith("read:")]
    writes = [s for s in samples if s[0].startswith("write:")]
    errors = sum(s[2] for s in samples)
    for reason, n in Counter(f"{s[0]}: {s[3][:600]}" for s in samples if s[2]).most_common(5):
        print(f"  lỗi ×{n}: {reason}")
    r50, r95, rmax = _stats([s[1] for s in reads])
    w50, w95, wmax = _stats([s[1] for s in writes])
    a50, a95, amax = _stats([s[1] for s in samples])
    rps = len(samples) / done.elapsed if done.elapsed else 0.0
    write_kinds = sorted({s[0].split(":", 1)[1] for s in writes})
    figures: dict[str, Any] = {
        "requests": len(samples), "rps": rps, "errors": errors,
        "reads": len(reads), "read_p50": r50, "read_p95": r95, "read_max": rmax,
        "read_errors": sum(s[2] for s in reads),
        "writes": len(writes), "write_p50": w50, "write_p95": w95, "write_max": wmax,
        "write_errors": sum(s[2] for s in writes), "write_kinds": write_kinds,
        "p50": a50, "p95": a95, "max": amax,
        "load_before": done.load_before, "load_peak": done.load_peak,
        "load_end": done.load_end, "cpu_busy": done.cpu_busy, "per_key": {},
    }
    for key in sorted({s[0] for s in samples}):
        ms = [s[1] for s in samples if s[0] == key]
        figures["per_key"][key] = (len(ms), *_stats(ms), sum(s[2] for s in samples
                                                             if s[0] == key))
    from doanvu import gunicorn_conf

    kind = env.get("GUNICORN_WORKER_CLASS", "gthread")
    workers = env.get("GUNICORN_WORKERS", str(gunicorn_conf.workers))
    threads = env.get("GUNICORN_THREADS", str(gunicorn_conf.threads))
    f = figures
    target = f"p95 < {TARGET_P95_MS:g} ms, 0 lỗi"
    if stress:
        add(f"PERF-5 API, sức chịu (thông tin): {n_readers} đọc + {n_writers} ghi, mỗi chương "
            f"trình {think[0]:g}–{think[1]:g} s một yêu cầu",
            f"{f['requests']} yêu cầu, {rps:.1f}/s, đọc p50 {r50:.0f} / p95 {r95:.0f} ms, ghi "
            f"p50 {w50:.0f} / p95 {w95:.0f} ms, max {amax:.0f} ms, {errors} lỗi; load average "
            f"đỉnh {done.load_peak:.2f}, CPU bận {100 * done.cpu_busy:.0f}%",
            "(trần của 2 lõi, không phải chỉ tiêu)", None)
        return figures
    add(f"PERF-5 API: {n_readers} chương trình đọc + {n_writers} ghi bằng khóa, mỗi chương "
        f"trình {think[0]:g}–{think[1]:g} s một yêu cầu, {seconds} s (đo {seconds - warmup} s "
        f"sau {warmup} s khởi động, bỏ {done.warm} yêu cầu đầu), gunicorn {kind} "
        f"{workers}×{threads}",
        f"{f['requests']} yêu cầu, {rps:.1f}/s, p50 {a50:.0f} ms / p95 {a95:.0f} ms / max "
        f"{amax:.0f} ms, {errors} lỗi", target, a95 < TARGET_P95_MS and errors == 0)
    add("PERF-5 API: đọc (đơn vị ±ngày, đoàn viên: lọc/tìm/trang sau/chi tiết, việc, văn bản)",
        f"{len(reads)} yêu cầu, p50 {r50:.0f} ms / p95 {r95:.0f} ms / max {rmax:.0f} ms, "
        f"{f['read_errors']} lỗi", target, r95 < TARGET_P95_MS and f["read_errors"] == 0)
    add(f"PERF-5 API: ghi ({', '.join(write_kinds) or 'không có'})",
        f"{len(writes)} yêu cầu, p50 {w50:.0f} ms / p95 {w95:.0f} ms / max {wmax:.0f} ms, "
        f"{f['write_errors']} lỗi", target,
        bool(writes) and w95 < TARGET_P95_MS and f["write_errors"] == 0)
    add("PERF-5 API: máy (load average trước/đỉnh/sau; CPU bận; CPU locust, gunicorn)",
        f"{done.load_before:.2f}/{done.load_peak:.2f}/{done.load_end:.2f}; "
        f"{100 * done.cpu_busy:.0f}% của {os.cpu_count()} lõi; "
        f"locust {done.locust_cpu:.0f} s, gunicorn {done.gunicorn_cpu:.0f} s CPU",
        "(thông tin)", None)
    return figures


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanvu.settings.dev")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Cần DATABASE_URL của một cơ sở dữ liệu đã sinh (make bench).")
    import django

    django.setup()

    def add(metric: str, value: str, target: str, ok: bool | None) -> None:
        mark = "" if ok is None else (" ✓" if ok else " ✗")
        print(f"  {metric}: {value}{mark} ({target})")

    print("Tải API (PERF-5, issue 16):")
    runs = [False] + ([True] if os.environ.get("BENCH_API_STRESS", "1") != "0" else [])
    for stress in runs:
        figures = run(add, stress=stress)
        for key, (n, p50, p95, mx, err) in figures["per_key"].items():
            print(f"    {key}: {n} yêu cầu, p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {mx:.0f} ms, "
                  f"{err} lỗi")
    return 0


if __name__ == "__main__":
    sys.exit(main())
