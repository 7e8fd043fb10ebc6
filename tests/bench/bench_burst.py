"""Issue 16, "Load and faults": a burst of BENCH_BURST_IMPORTS (20) member imports and
BENCH_BURST_RECOMPUTES (20) recomputes queued at once, drained by ONE real worker
(`manage.py db_worker --batch`, a child process on the same database): the worker's memory
stays flat and nothing is lost or done twice.

Run alone: `DATABASE_URL=postgres://… .venv/bin/python tests/bench/bench_burst.py` (a database
with a generated nation), or as part of `make bench` (run.py; BENCH_BURST=0 skips it). The rows
it imports stay in the database, as bench_load's users do.

* The imports: files of BENCH_BURST_ROWS (2000) new members each for the branches of the first
  province (bench_members.import_unit_and_branches), uploaded and dry-run by `bench_admin` as
  the pages do (`import_job_create`, `import_job_check`) before the burst; CCCD serials from
  900000 on, after the highest an earlier run used (so a second run imports new people too).
* The burst: the imports confirmed (`import_job_confirm`, which queues `import_members`) and
  the recomputes queued (`targets.recompute.recompute_task` and
  `fieldvisits.recompute.recompute_task`, alternately), interleaved, all within a second.
* The worker runs with DEBUG off, as deployed (with DEBUG on Django keeps each connection's
  last 9 000 queries: memory that grows with the first tasks and is not the worker's own).
* The worker's RSS is read from /proc/<pid>/status every 0.5 s: at its start, the peak, at
  its end, and the peak up to the end of the 5th task beside the peak over all of them —
  flat memory is the second no more than 10 % (and 16 MiB) over the first.
* Exactly once (`verify`, also run by tests/targets/test_x9_burst_i16.py on SQLite and
  PostgreSQL): each import done with all its rows added; each of its people and memberships
  exists once; its batches' audit records name each added person once and the job has one
  record; each queued task ran once (one worker id) and SUCCEEDED; no task of the burst, nor
  any it queued, is left READY or RUNNING.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

AddRow = Callable[[str, str, str, "bool | None"], None]
IMPORT = "doanvu.members.imports.tasks.import_members"
RECOMPUTES = ("doanvu.targets.recompute.recompute_task",
              "doanvu.fieldvisits.recompute.recompute_task")
SERIAL_BASE = 900_000
KEYS = [(year, female) for year in range(1997, 2009) for female in (False, True)]  # 24


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


# -- RSS ------------------------------------------------------------------------------------------


def rss_mib(pid: int) -> float | None:
    """The resident memory of a process (MiB), None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


@dataclass
class RssSampler:
    """(wall-clock time, RSS MiB) of one process every `every` seconds until it ends."""

    pid: int
    every: float = 0.5
    samples: list[tuple[float, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            rss = rss_mib(self.pid)
            if rss is not None:
                self.samples.append((time.time(), rss))
            if self._stop.wait(self.every):
                return

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def peak_until(self, when: float) -> float:
        return max((r for t, r in self.samples if t <= when), default=0.0)


# -- the files --------------------------------------------------------------------------------


def _key_prefix(code: str, year: int, female: bool) -> str:
    return f"{code}{(year - 1900) // 100 * 2 + female}{year % 100:02d}"


def first_free_serial(code: str) -> int:
    """The first CCCD serial (from SERIAL_BASE) no earlier burst used, over every key: one
    index range per key of the unique CCCD index."""
    from django.db.models import Max

    from doanvu.org.models import Person

    top = SERIAL_BASE - 1
    for year, female in KEYS:
        prefix = _key_prefix(code, year, female)
        found = Person.objects.filter(cccd__gte=f"{prefix}{SERIAL_BASE:06d}",
                                      cccd__lte=f"{prefix}999999").aggregate(m=Max("cccd"))["m"]
        if found:
            top = max(top, int(found[-6:]))
    return top + 1


def burst_rows(n: int, *, job: int, base: int, code: str,
               branches: list[str]) -> Iterator[list[object]]:
    """Rows of `n` new members for file `job` of a burst: CCCD serials from `base` on (the
    first no earlier burst used), the rows spread over KEYS (birth year and gender)."""
    for i in range(n):
        g = job * n + i  # the row's number in the burst
        year, female = KEYS[g % len(KEYS)]
        cccd = f"{_key_prefix(code, year, female)}{base + g // len(KEYS):06d}"
        yield [i + 1, f"{'Trần Thị' if female else 'Lê Văn'} Đợt {job} {i}",
               f"{1 + i % 28:02d}/{1 + i % 12:02d}/{year}", "Nữ" if female else "Nam", cccd,
               f"26/03/{min(year + 18, 2025)}", f"D{base:06d}{job:03d}{i:05d}",
               f"09{g % 10 ** 8:08d}", "Tây Ninh", "Kinh", "Đại học",
               branches[g % len(branches)]]


# -- exactly once -----------------------------------------------------------------------------


def verify(imports: dict[int, list[str]], tasks: list[str], since: dt.datetime) -> list[str]:
    """What went wrong (empty: nothing) with the burst: `imports` maps each job to the CCCDs
    of its file, `tasks` the ids of the recomputes queued, `since` when the burst began."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from doanvu.audit.models import AuditRecord
    from doanvu.members.models import ImportJob, ImportStatus, Membership
    from doanvu.org.models import Person

    problems: list[str] = []
    results = list(DBTaskResult.objects.filter(enqueued_at__gte=since))
    by_id = {str(r.id): r for r in results}
    for job_id, cccds in imports.items():
        job = ImportJob.objects.get(pk=job_id)
        n = len(cccds)
        if job.status != ImportStatus.DONE or (job.report or {}).get("added") != n:
            problems.append(f"nhập #{job_id}: {job.status}, thêm "
                            f"{(job.report or {}).get('added')} / {n}")
        people = Person.objects.filter(cccd__in=cccds).count()
        members = Membership.objects.filter(person__cccd__in=cccds).count()
        if (people, members) != (n, n):
            problems.append(f"nhập #{job_id}: {people} người, {members} lần sinh hoạt / {n}")
        batches = AuditRecord.objects.filter(model="members.importbatch",
                                             object_pk__startswith=f"{job_id}:")
        added = [p for b in batches for p in b.changes["after"]["persons_added"]]
        if not len(added) == len(set(added)) == n:
            problems.append(f"nhập #{job_id}: nhật ký các lô ghi {len(added)} người "
                            f"({len(set(added))} khác nhau) / {n}")
        records = AuditRecord.objects.filter(model="members.importjob",
                                             object_pk=str(job_id)).count()
        if records != 1:
            problems.append(f"nhập #{job_id}: {records} bản ghi nhật ký của việc nhập")
        ran = [r for r in results if r.task_path == IMPORT
               and (r.args_kwargs or {}).get("kwargs", {}).get("job_id") == job_id]
        if [(r.status, len(r.worker_ids)) for r in ran] != [(TaskResultStatus.SUCCESSFUL, 1)]:
            problems.append(f"nhập #{job_id}: tác vụ {[(r.status, r.worker_ids) for r in ran]}")
    for task_id in tasks:
        r = by_id.get(task_id)
        if r is None or (r.status, len(r.worker_ids)) != (TaskResultStatus.SUCCESSFUL, 1):
            problems.append(f"tính lại {task_id}: "
                            f"{'mất' if r is None else (r.status, r.worker_ids)}")
    left = [r for r in results
            if r.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)]
    if left:
        problems.append(f"{len(left)} tác vụ còn chờ/đang chạy: "
                        f"{sorted({r.task_path for r in left})}")
    return problems


def queue_burst(jobs: list[Any], n_recomputes: int) -> list[str]:
    """Confirm every checked import job and queue `n_recomputes` recomputes, interleaved;
    the recomputes' task ids."""
    from doanvu.fieldvisits.recompute import recompute_task as visits_recompute
    from doanvu.members.imports.tasks import import_job_confirm
    from doanvu.targets.recompute import recompute_task as targets_recompute

    kinds = (targets_recompute, visits_recompute)
    ids: list[str] = []
    for i in range(max(len(jobs), n_recomputes)):
        if i < len(jobs):
            import_job_confirm(job=jobs[i])
        if i < n_recomputes:
            ids.append(str(kinds[i % 2].enqueue().id))
    return ids


# -- the bench ----------------------------------------------------------------------------------


def run(add: AddRow) -> dict[str, Any]:
    from django.core.files import File
    from django.utils import timezone

    from doanvu.accounts.models import User
    from doanvu.members.core.rules import PROVINCE_CODES
    from doanvu.members.imports.services import import_job_check, import_job_create
    from doanvu.members.models import ImportStatus, MembersPolicy
    from doanvu.org.models import Unit
    from tests.bench.bench_members import HEADER, import_unit_and_branches
    from tests.bench.excel_like import write_xlsx

    n_imports = _env_int("BENCH_BURST_IMPORTS", 20)
    n_recomputes = _env_int("BENCH_BURST_RECOMPUTES", 20)
    n_rows = _env_int("BENCH_BURST_ROWS", 2000)
    unit, branches = import_unit_and_branches()
    root = Unit.objects.get(path=unit.path[: len(unit.path) // 2])
    MembersPolicy.objects.get_or_create(issuing_unit=root, valid_from=dt.date(2011, 1, 1))
    code = {v: k for k, v in PROVINCE_CODES.items()}.get(unit.place, "072")
    admin, _ = User.objects.get_or_create(
        username="bench_admin",
        defaults={"is_superuser": True, "is_staff": True, "full_name": "Quản trị (bench)"})
    base = first_free_serial(code)
    if base + -(-n_imports * n_rows // len(KEYS)) > 999_999:
        raise SystemExit("Hết số CCCD dành cho đợt dồn (900000–999999) trong cơ sở dữ liệu này.")
    tmp = Path(tempfile.mkdtemp(prefix="doanvu-burst-"))
    t = time.perf_counter()
    jobs, imports = [], {}
    for j in range(n_imports):
        path = str(tmp / f"dot-{base}-{j}.xlsx")
        rows = list(burst_rows(n_rows, job=j, base=base, code=code, branches=branches))
        write_xlsx(path, [HEADER, *rows])
        with open(path, "rb") as fh:
            job = import_job_create(actor=admin, unit=unit,
                                    upload=File(fh, name=f"dot-{base}-{j}.xlsx"))
        import_job_check(job=job, mapping=job.mapping)
        job.refresh_from_db()
        if job.status != ImportStatus.CHECKED or job.report.get("added") != n_rows:
            raise SystemExit(f"tệp {j}: {job.status} {job.report}")
        jobs.append(job)
        imports[job.pk] = [str(r[4]) for r in rows]
    print(f"  {n_imports} tệp × {n_rows} dòng tải lên và kiểm tra "
          f"({time.perf_counter() - t:.0f} s)")
    since = timezone.now()
    task_ids = queue_burst(jobs, n_recomputes)
    queued_in = (timezone.now() - since).total_seconds()

    # DEBUG off as a deployment's worker runs (production settings refuse it on): with DEBUG
    # on, Django keeps each connection's last 9 000 queries, which the memory would measure
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_DEBUG": "false"}
    started = time.time()
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--interval", "0.05",
         "--no-startup-delay", "--no-reload", "-v", "0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = RssSampler(worker.pid)
    sampler.start()
    _, err = worker.communicate(timeout=_env_int("BENCH_BURST_TIMEOUT", 3600))
    drained = time.time() - started
    sampler.stop()
    if worker.returncode != 0:
        print(err.decode()[-3000:])
    from django_tasks_db.models import DBTaskResult

    finished = sorted(r.finished_at.timestamp() for r in DBTaskResult.objects.filter(
        enqueued_at__gte=since, finished_at__isnull=False))
    rss = [r for _, r in sampler.samples]
    start_rss, peak, end_rss = (rss[0], max(rss), rss[-1]) if rss else (0.0, 0.0, 0.0)
    early = min(5, len(finished))
    peak_early = sampler.peak_until(finished[early - 1]) if finished else 0.0
    problems = verify(imports, task_ids, since)
    for p in problems[:10]:
        print(f"  ✗ {p}")
    total = n_imports + n_recomputes
    flat = peak <= max(peak_early * 1.10, peak_early + 16)
    add(f"Đợt dồn: {n_imports} lần nhập × {n_rows} dòng + {n_recomputes} lần tính lại xếp hàng "
        f"cùng lúc ({queued_in:.1f} s), một worker xử lý hết",
        f"{drained:.0f} s ({len(finished)} tác vụ, {n_imports * n_rows} dòng), worker "
        f"{'thoát 0' if worker.returncode == 0 else f'thoát {worker.returncode}'}",
        "xử lý hết", worker.returncode == 0)
    steps = [k for k in (10, 20) if early < k < len(finished)]
    between = "".join(f" / {sampler.peak_until(finished[k - 1]):.0f}" for k in steps)
    add(f"Đợt dồn: RSS worker (đầu / đỉnh sau {early}"
        + "".join(f", {k}" for k in steps) + f", {len(finished)} tác vụ / cuối)",
        f"{start_rss:.0f} / {peak_early:.0f}{between} / {peak:.0f} / {end_rss:.0f} MiB",
        f"phẳng: đỉnh sau {len(finished)} ≤ đỉnh sau {early} + 10 %", flat)
    add("Đợt dồn: không mất, không làm hai lần (người, lần sinh hoạt, nhật ký mỗi lần nhập; "
        "mỗi tác vụ xong đúng một lần; không còn tác vụ chờ)",
        f"{len(problems)} sai lệch" + (f" ({problems[0]})" if problems else ""), "0",
        not problems)
    return {"drained": drained, "rss": (start_rss, peak_early, peak, end_rss),
            "problems": problems, "tasks": len(finished), "total": total}


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

    print("Đợt dồn việc nền (issue 16):")
    run(add)
    return 0


if __name__ == "__main__":
    sys.exit(main())
