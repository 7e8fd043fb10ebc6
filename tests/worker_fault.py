"""A real task worker (`manage.py db_worker`) in a child process on the test's own database,
for the fault tests of issue 16: started, killed with SIGKILL mid-task, started again.

PostgreSQL: the child connects to the test database (the test must be `transaction=True`, so
what it wrote is committed). SQLite: the test database lives in the test process's memory,
which no other process can open, so `WorkerDb` copies it into a file (SQLite's backup API) for
the child and copies the file back whenever the test looks (`sync`): the test reads exactly
what the worker committed. Between two looks the test must not write (its writes would be
overwritten); it writes before `start`, or through the pages after a `sync` and a `push`.

Hooks for the child, by environment (set in `start(hold=…)`): `after_first_store` — the
targets' recompute stops after committing its first target's figures (a file says so, then it
sleeps until killed); `before_recompute` — a recompute waits for a file to appear before it
begins (so a test can look at the page while it is queued and taken);
`inside_import_batch_3` — the member import stops inside its third batch's transaction, the
rows written and not committed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import os
import sys
import time
from pathlib import Path

sys.argv = ["manage.py", "db_worker"]  # as manage.py runs it: the start-up sweeps connect
import django
from django.test.utils import override_settings

django.setup()
override_settings(MEDIA_ROOT=os.environ["FAULT_MEDIA"],
                  MEMBER_IMPORT_SPOOL_DIR=os.environ["FAULT_SPOOL"],
                  TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
                  MEMBER_IMPORT_BATCH=int(os.environ.get("FAULT_BATCH", "5000"))).enable()
hold = os.environ.get("FAULT_HOLD", "")
marker = Path(os.environ.get("FAULT_MARKER", "/nonexistent"))
if hold == "after_first_store":
    from doanvu.targets import recompute as r
    original_store = r._store

    def store(*args, **kwargs):
        written = original_store(*args, **kwargs)  # committed
        marker.write_text("stored")
        time.sleep(600)  # killed here
        return written

    r._store = store
if hold == "before_recompute":
    from doanvu.targets import recompute as r
    original_recompute = r.recompute

    def recompute(*args, **kwargs):
        marker.write_text("taken")
        go = Path(str(marker) + ".go")
        while not go.exists():
            time.sleep(0.02)
        return original_recompute(*args, **kwargs)

    r.recompute = recompute
if hold == "inside_import_batch_3":
    from doanvu.members.imports import services as imports
    original_write = imports._Pass._write
    writes = []

    def write(self, plan):
        original_write(self, plan)
        writes.append(1)
        if len(writes) == 3:  # the third batch's rows are written, not committed
            marker.write_text("writing")
            time.sleep(600)  # killed here

    imports._Pass._write = write
from django.core.management import call_command

batch = os.environ.get("FAULT_BATCH_MODE") == "1"
call_command("db_worker", interval=0.05, startup_delay=False, batch=batch, reload=False,
             verbosity=0)
"""


class WorkerDb:
    """The test database as a child process sees it; see the module's doc."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.sqlite = connection.vendor == "sqlite"
        self.file = tmp_path / "worker.sqlite3"
        self.workers: list[subprocess.Popen[bytes]] = []
        if self.sqlite:
            self.url = f"sqlite:///{self.file}"
        else:
            db = connection.settings_dict
            self.url = (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                        f"{db['PORT'] or 5432}/{db['NAME']}")

    def _raw(self) -> sqlite3.Connection:
        connection.ensure_connection()
        raw = connection.connection
        assert isinstance(raw, sqlite3.Connection)
        return raw

    def push(self) -> None:
        """SQLite: the test's database into the worker's file (before a worker reads it)."""
        if not self.sqlite:
            return
        target = sqlite3.connect(self.file)
        try:
            self._raw().backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()

    def sync(self) -> None:
        """SQLite: the worker's file into the test's database (before the test looks)."""
        if not self.sqlite:
            return
        source = sqlite3.connect(self.file, timeout=20)
        try:
            source.backup(self._raw())
        finally:
            source.close()

    def start(self, *, hold: str = "", batch: bool = False,
              batch_rows: int = 5000) -> subprocess.Popen[bytes]:
        env = {**os.environ, "DATABASE_URL": self.url,
               "DJANGO_SETTINGS_MODULE": "doanvu.settings.test",
               "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
               "FAULT_MEDIA": str(self.tmp / "media"), "FAULT_SPOOL": str(self.tmp / "spool"),
               "FAULT_BATCH": str(batch_rows), "FAULT_HOLD": hold,
               "FAULT_MARKER": str(self.marker), "FAULT_BATCH_MODE": "1" if batch else "0"}
        worker = subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.workers.append(worker)
        return worker

    @property
    def marker(self) -> Path:
        return self.tmp / "worker.marker"

    def wait_for(self, done: Callable[[], bool], *, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if done():
                return
            for w in self.workers:
                if w.poll() not in (None, -signal.SIGKILL, 0):
                    raise AssertionError(w.stderr.read().decode() if w.stderr else "worker died")
            time.sleep(0.02)
        raise AssertionError("the worker did not get there in time")

    @staticmethod
    def kill(worker: subprocess.Popen[bytes]) -> None:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        assert worker.returncode == -signal.SIGKILL

    def finish(self, worker: subprocess.Popen[bytes], *, seconds: float = 180) -> None:
        """Wait for a batch-mode worker to drain the queue and exit."""
        try:
            worker.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            worker.kill()
            raise
        err = worker.stderr.read().decode() if worker.stderr else ""
        assert worker.returncode == 0, err

    def stop_all(self) -> None:
        for w in self.workers:
            if w.poll() is None:
                w.kill()
                w.wait(timeout=30)
            if w.stderr:
                w.stderr.close()
