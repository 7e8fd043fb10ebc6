"""PERF-5 (issue 11): 100 logged-in cadres on gunicorn with the production settings on this
machine — p95 < 300 ms and no error.

Run alone: `DATABASE_URL=postgres://… .venv/bin/python tests/bench/bench_load.py` (a database
with a generated nation: `make bench` or a copy of one), or as the last part of `make bench`
(run.py; BENCH_LOAD=0 skips it).

* gunicorn with doanvu/gunicorn_conf.py and doanvu.settings.production (DEBUG off) on
  127.0.0.1:<a free port>, plain HTTP (the closed-network switches of docs/deploy.md), a secret
  and audit key from the environment or made up for the run, static files collected into
  var/bench_load. BENCH_LOAD_WORKER_CLASS / _WORKERS / _THREADS override the configuration
  (e.g. `sync`, 3, 1 to compare with sync workers).
* BENCH_LOAD_KEEP=1 keeps the run's directory (the plan, locust's CSV, gunicorn's access log).
* BENCH_LOAD_PAGES: only these page keys (comma-separated, load_pages.PAGES), e.g. the light
  pages alone.
* BENCH_LOAD_USERS (100) cadres `load_000`…, each with a Bí thư grant: BENCH_LOAD_CENTRAL (5)
  at the Trung ương Đoàn, the others spread over the provinces at province, district and
  commune level. Their sessions are written straight into the session table (no login form).
* locust, one headless process on loopback: BENCH_LOAD_USERS users started
  BENCH_LOAD_SPAWN_RATE (20) a second, for BENCH_LOAD_SECONDS (90), over load_pages.PAGES;
  each cadre waits load_pages.THINK_MIN..THINK_MAX (5–15 s: reading the page) between pages,
  the first too. Requests started in the first BENCH_LOAD_WARMUP (20) seconds are left out
  (ramp-up). The load average is sampled every second.
* Then the same with STRESS_THINK (1–3 s between pages; BENCH_LOAD_STRESS=0 skips it): the
  ceiling of the 2 cores, reported as information beside the target row.
* The row: requests, req/s, p50/p95/max of all pages, of the light pages and of the member
  lists apart, errors, the load average before/peak/after, the CPU seconds of locust itself
  and of gunicorn.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
TARGET_P95_MS = 300.0

AddRow = Callable[[str, str, str, "bool | None"], None]


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _key(name: str) -> str:
    """A production-grade key from the environment, or one made up for this run."""
    value = os.environ.get(name, "")
    if len(value) >= 32 and not value.startswith("dev-insecure"):
        return value
    return secrets.token_urlsafe(48)


def spread_units(n: int, n_central: int, *, seed: int = 1) -> list[Any]:
    """The units of `n` load-test users: the first `n_central` at the national root, the
    others spread over the provinces at province, district and commune level."""
    from django.db.models import Q

    from doanvu.org.models import Unit

    rng = random.Random(seed)
    live = Q(dissolved_on__isnull=True)
    root = Unit.objects.filter(live, parent__isnull=True).order_by("pk").first()
    if root is None:
        raise SystemExit("Cơ sở dữ liệu chưa có đơn vị nào (chạy generate_nation trước).")
    provinces = list(Unit.objects.filter(live, kind__code="tinh").order_by("pk")) or [root]

    def unit_for(i: int) -> Unit:
        if i < n_central:
            return root
        province = provinces[i % len(provinces)]
        level = i % 3  # province, one below, two below
        unit = province
        for _ in range(level):
            below = list(Unit.objects.filter(live, parent=unit).order_by("pk")[:20])
            if not below:
                break
            unit = rng.choice(below)
        return unit

    return [unit_for(i) for i in range(n)]


def bench_user(username: str, full_name: str, unit: Any, *, role: str = "bi_thu") -> Any:
    """A load-test user (made once, kept) holding one grant of `role` at `unit`."""
    from doanvu.accounts.models import RoleGrant, RoleType, User

    role_type = RoleType.objects.get(code=role)
    user, _ = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if user.must_change_password or not user.is_active:
        user.must_change_password, user.is_active = False, True
        user.save(update_fields=["must_change_password", "is_active"])
    if not RoleGrant.objects.filter(user=user, unit=unit, role_type=role_type,
                                    end_date__isnull=True).exists():
        RoleGrant.objects.filter(user=user).delete()
        RoleGrant.objects.create(user=user, role_type=role_type, unit=unit,
                                 start_date=unit.founded_on)
    return user


def build_plan(*, n_users: int, n_central: int, secret_key: str, seed: int = 1,
               pages: list[str] | None = None) -> dict[str, Any]:
    """Users with grants, their sessions (signed with `secret_key`, the server's) and the URLs
    each one opens, by page key (load_pages.PAGES; `pages` keeps only those keys)."""
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from doanvu.members.models import Membership
    from tests.bench.load_pages import PAGES

    users = []
    for i, unit in enumerate(spread_units(n_users, n_central, seed=seed)):
        user = bench_user(f"load_{i:03d}", f"Cán bộ tải {i}", unit)
        with override_settings(SECRET_KEY=secret_key):
            client = Client()
            client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        members = list(Membership.objects.filter(
            unit_path__startswith=unit.path, is_current=True).values_list("pk", "name_folded")[:8])
        searches = []
        for _, name in members[:4]:
            words = name.split()
            searches.append(" ".join(words[-2:]) if len(words) > 1 else name)
        urls: dict[str, list[str]] = {}
        for page in PAGES:
            if page.needs == "next":
                continue  # the link the list itself gives (locustfile)
            if page.needs == "unit":
                urls[page.key] = [reverse(page.url_name, args=[unit.pk])]
            elif page.needs == "member":
                urls[page.key] = [reverse(page.url_name, args=[pk]) for pk, _ in members]
            elif page.needs == "search":
                urls[page.key] = [reverse(page.url_name) + "?" + _query(q) for q in searches]
            else:
                urls[page.key] = [reverse(page.url_name)]
        users.append({"username": user.username, "unit": unit.name, "session": session,
                      "urls": urls})
    keys = [p.key for p in PAGES if pages is None or p.key in pages]
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "pages": keys, "users": users}


def _query(q: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"q": q})


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * len(values)) - 1))]


@dataclass
class LoadSampler:
    """The 1-minute load average and the machine's busy CPU share, sampled every second."""

    peak: float = 0.0
    busy_samples: int = 0
    busy_sum: float = 0.0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _cpu() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, sum(fields)

    def _run(self) -> None:
        last = self._cpu()
        while not self._stop.wait(1.0):
            self.peak = max(self.peak, os.getloadavg()[0])
            now = self._cpu()
            if now[1] > last[1]:
                self.busy_sum += (now[0] - last[0]) / (now[1] - last[1])
                self.busy_samples += 1
            last = now

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def busy(self) -> float:
        return self.busy_sum / self.busy_samples if self.busy_samples else 0.0


def _wait_ready(url: str, proc: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn đã dừng (mã {proc.returncode}); xem nhật ký ở trên.")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn chưa trả lời {url} sau {seconds:.0f} s.")


def _reap(proc: subprocess.Popen[bytes], seconds: float) -> float:
    """Wait for a child (at most `seconds`, then kill its process group); its CPU seconds,
    its own children's (gunicorn's workers) included."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_utime + usage.ru_stime
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


def server_env(*, secret_key: str, audit_key: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "doanvu.settings.production",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secret_key,
        "DOANVU_AUDIT_KEY": audit_key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DOANVU_VAR_DIR": str(var_dir),
        # plain HTTP on loopback: the closed-network switches (docs/deploy.md, point 12)
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "PYTHONPATH": str(ROOT),
    })
    for name, var in (("BENCH_LOAD_WORKER_CLASS", "GUNICORN_WORKER_CLASS"),
                      ("BENCH_LOAD_WORKERS", "GUNICORN_WORKERS"),
                      ("BENCH_LOAD_THREADS", "GUNICORN_THREADS")):
        if os.environ.get(name):
            env[var] = os.environ[name]
    return env


@dataclass
class LoadRun:
    """What one run of locust against gunicorn measured (after the warm-up)."""

    samples: list[list[Any]]  # [key, ms, error 0/1, reason, wall-clock start]
    warm: int  # requests of the warm-up, left out
    elapsed: float  # seconds measured (after the warm-up)
    load_before: float
    load_peak: float
    load_end: float
    cpu_busy: float
    locust_cpu: float
    gunicorn_cpu: float


def prepare_server(var_name: str = "BENCH_LOAD_VAR_DIR") -> tuple[str, dict[str, str]]:
    """The production settings' environment for gunicorn (a secret and audit key from the
    environment or made up), static files collected into var/bench_load; (secret key, env)."""
    secret_key, audit_key = _key("DJANGO_SECRET_KEY"), _key("DOANVU_AUDIT_KEY")
    var_dir = Path(os.environ.get(var_name, ROOT / "var" / "bench_load"))
    var_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(secret_key=secret_key, audit_key=audit_key, var_dir=var_dir)
    subprocess.run([str(BIN / "python"), str(ROOT / "manage.py"), "collectstatic", "--noinput",
                    "-v", "0"], env=env, cwd=ROOT, check=True)
    return secret_key, env


def serve_and_load(*, env: dict[str, str], plan: dict[str, Any], locustfile: Path,
                   n_users: int, spawn_rate: int, seconds: int, warmup: int,
                   think: tuple[float, float], keep_var: str = "BENCH_LOAD_KEEP",
                   prefix: str = "bench_load_") -> LoadRun:
    """gunicorn (doanvu/gunicorn_conf.py, `env`) on a free loopback port, then one headless
    locust process of `n_users` users over `locustfile` (LOAD_PLAN: the plan as JSON;
    LOAD_SAMPLES: where it writes every request; LOAD_THINK_MIN/MAX), the load average sampled
    every second; requests started in the first `warmup` seconds are left out."""
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix=prefix))
    plan_file, samples_file = work / "plan.json", work / "samples.json"
    plan_file.write_text(json.dumps(plan))
    env = {**env, "GUNICORN_ACCESSLOG": env.get("GUNICORN_ACCESSLOG", str(work / "access.log"))}
    gunicorn = locust = None
    sampler = LoadSampler()
    load_before = os.getloadavg()[0]
    try:
        gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:doanvu.gunicorn_conf", "doanvu.wsgi",
             "--bind", f"127.0.0.1:{port}", "--no-control-socket"],
            env=env, cwd=ROOT, start_new_session=True)
        _wait_ready(f"{host}/dang-nhap/", gunicorn, 120)
        sampler.start()
        started, wall_start = time.perf_counter(), time.time()
        locust = subprocess.Popen(
            [str(BIN / "locust"), "-f", str(locustfile), "--headless",
             "-u", str(n_users), "-r", str(spawn_rate), "--run-time", f"{seconds}s",
             "--stop-timeout", "10", "--host", host, "--csv", str(work / "locust"),
             "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
            env={**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_SAMPLES": str(samples_file),
                 "LOAD_THINK_MIN": str(think[0]), "LOAD_THINK_MAX": str(think[1])},
            cwd=work, start_new_session=True)
        locust_cpu = _reap(locust, seconds + 120)
        elapsed = time.perf_counter() - started
        sampler.stop()
        load_end = os.getloadavg()[0]
    finally:
        if locust is not None and locust.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(locust.pid, signal.SIGKILL)
            locust.wait()
        gunicorn_cpu = 0.0
        if gunicorn is not None and gunicorn.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn_cpu = _reap(gunicorn, 40)
    samples: list[list[Any]] = json.loads(samples_file.read_text()) if samples_file.exists() else []
    warm = [s for s in samples if s[4] < wall_start + warmup]
    samples = [s for s in samples if s[4] >= wall_start + warmup]
    if os.environ.get(keep_var) == "1":  # plan, locust's CSV, the access log
        print(f"  (giữ lại {work})")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return LoadRun(samples=samples, warm=len(warm), elapsed=elapsed - warmup,
                   load_before=load_before, load_peak=sampler.peak, load_end=load_end,
                   cpu_busy=sampler.busy, locust_cpu=locust_cpu, gunicorn_cpu=gunicorn_cpu)


def run(add: AddRow, *, stress: bool = False) -> dict[str, Any]:
    """Run the load test against DATABASE_URL; add its rows; return the figures. Each cadre
    waits load_pages.THINK_MIN..THINK_MAX seconds between pages (PERF-5's row); with `stress`,
    STRESS_THINK (1–3 s): the ceiling of the machine, reported beside, not as the target."""
    from tests.bench.load_pages import STRESS_THINK, THINK_MAX, THINK_MIN

    think = STRESS_THINK if stress else (THINK_MIN, THINK_MAX)
    n_users = _env_int("BENCH_LOAD_USERS", 100)
    n_central = _env_int("BENCH_LOAD_CENTRAL", 5)
    seconds = _env_int("BENCH_LOAD_SECONDS", 90)
    # the first seconds (users arriving, each gunicorn thread's first connection and templates)
    # are left out of the figures, as a load test's ramp-up is
    warmup = _env_int("BENCH_LOAD_WARMUP", 20)
    spawn_rate = _env_int("BENCH_LOAD_SPAWN_RATE", 20)

    t = time.perf_counter()
    secret_key, env = prepare_server()
    only = [k for k in os.environ.get("BENCH_LOAD_PAGES", "").split(",") if k] or None
    plan = build_plan(n_users=n_users, n_central=n_central, secret_key=secret_key, pages=only)
    print(f"  {n_users} cán bộ đăng nhập sẵn ({time.perf_counter() - t:.1f} s)")
    done = serve_and_load(env=env, plan=plan, locustfile=HERE / "locustfile.py",
                          n_users=n_users, spawn_rate=spawn_rate, seconds=seconds,
                          warmup=warmup, think=think)
    samples, elapsed, warm = done.samples, done.elapsed, done.warm
    from tests.bench.load_pages import PAGES

    heavy = {p.key for p in PAGES if p.heavy}
    all_ms = [s[1] for s in samples]
    light_ms = [s[1] for s in samples if s[0] not in heavy]
    heavy_ms = [s[1] for s in samples if s[0] in heavy]
    errors = sum(s[2] for s in samples)
    reasons = Counter(f"{s[0]}: {s[3][:160]}" for s in samples if s[2])
    for reason, n in reasons.most_common(5):
        print(f"  lỗi ×{n}: {reason}")
    figures = {
        "requests": len(samples), "rps": len(samples) / elapsed if elapsed else 0.0,
        "p50": _percentile(all_ms, 0.5), "p95": _percentile(all_ms, 0.95),
        "max": max(all_ms, default=0.0), "errors": errors,
        "light_p50": _percentile(light_ms, 0.5), "light_p95": _percentile(light_ms, 0.95),
        "heavy_p50": _percentile(heavy_ms, 0.5), "heavy_p95": _percentile(heavy_ms, 0.95),
        "heavy_max": max(heavy_ms, default=0.0),
        "load_before": done.load_before, "load_peak": done.load_peak,
        "load_end": done.load_end, "cpu_busy": done.cpu_busy, "locust_cpu": done.locust_cpu,
        "gunicorn_cpu": done.gunicorn_cpu,
        "elapsed": elapsed, "per_page": {},
    }
    for page in PAGES:
        ms = [s[1] for s in samples if s[0] == page.key]
        if ms:
            figures["per_page"][page.key] = (len(ms), _percentile(ms, 0.5), _percentile(ms, 0.95))
    kind = env.get("GUNICORN_WORKER_CLASS", "gthread")
    from doanvu import gunicorn_conf

    workers = env.get("GUNICORN_WORKERS", str(gunicorn_conf.workers))
    threads = env.get("GUNICORN_THREADS", str(gunicorn_conf.threads))
    name = "PERF-5 tải — thử giới hạn" if stress else "PERF-5 tải"
    label = (f"PERF-5 tải: {n_users} cán bộ, mỗi người {think[0]:g}–{think[1]:g} s một trang, "
             f"{seconds} s (đo {seconds - warmup} s sau {warmup} s khởi động, bỏ {warm} yêu "
             f"cầu đầu), gunicorn {kind} {workers}×{threads}"
             + (f", chỉ {','.join(plan['pages'])}" if only else ""))
    f = figures

    def add_row(metric: str, value: str, target: str, ok: bool | None) -> None:
        # the stress run shows the ceiling: its rows are information, not the target
        add(metric.replace("PERF-5 tải", name, 1), value,
            "(thông tin)" if stress else target, None if stress else ok)

    add_row(label,
            f"{f['requests']} yêu cầu, {f['rps']:.1f}/s, p50 {f['p50']:.0f} ms / p95 "
            f"{f['p95']:.0f} ms / max {f['max']:.0f} ms, {f['errors']} lỗi",
            f"p95 < {TARGET_P95_MS:g} ms, 0 lỗi", f["p95"] < TARGET_P95_MS and f["errors"] == 0)
    if light_ms and heavy_ms:  # both kinds ran: each apart, so a slow list is not hidden
        add_row("PERF-5 tải: trang nhẹ (không gồm danh sách đoàn viên)",
                f"{len(light_ms)} yêu cầu, p50 {f['light_p50']:.0f} ms / p95 "
                f"{f['light_p95']:.0f} ms",
                f"p95 < {TARGET_P95_MS:g} ms", f["light_p95"] < TARGET_P95_MS)
        add_row("PERF-5 tải: danh sách / tìm đoàn viên",
                f"{len(heavy_ms)} yêu cầu, p50 {f['heavy_p50']:.0f} ms / p95 "
                f"{f['heavy_p95']:.0f} ms / max {f['heavy_max']:.0f} ms",
                f"p95 < {TARGET_P95_MS:g} ms", f["heavy_p95"] < TARGET_P95_MS)
    add_row("PERF-5 tải: máy (load average trước/đỉnh/sau; CPU bận; CPU locust, gunicorn)",
            f"{f['load_before']:.2f}/{f['load_peak']:.2f}/{f['load_end']:.2f}; "
            f"{100 * f['cpu_busy']:.0f}% của {os.cpu_count()} lõi; "
            f"locust {f['locust_cpu']:.0f} s, gunicorn {f['gunicorn_cpu']:.0f} s CPU",
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

    print("Tải (PERF-5):")
    for stress in (False, True) if os.environ.get("BENCH_LOAD_STRESS", "1") != "0" else (False,):
        figures = run(add, stress=stress)
        for key, (n, p50, p95) in figures["per_page"].items():
            print(f"    {key}: {n} yêu cầu, p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
