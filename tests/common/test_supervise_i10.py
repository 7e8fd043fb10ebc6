"""Issue 10 item 8: `make run` starts the web server and the worker together, and stopping it
stops both (doanvu.common.supervise, `manage.py serve`)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from doanvu.common.management.commands.serve import serve_commands

ROOT = Path(__file__).resolve().parents[2]

# a stand-in for runserver or db_worker: writes its pid (and its own child's, like runserver's
# reloader), then waits to be stopped; "stubborn" ignores SIGTERM, "crash" exits with 3
CHILD = r"""
import os, signal, subprocess, sys, time
path, mode = sys.argv[1], sys.argv[2]
if mode == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
with open(path + ".tmp", "w") as fh:
    fh.write(f"{os.getpid()} {grandchild.pid}")
os.rename(path + ".tmp", path)
if mode == "crash":
    time.sleep(0.5)
    sys.exit(3)
time.sleep(120)
"""

SUPERVISOR = r"""
import sys
from doanvu.common.supervise import run_together
py, child, a, mode_a, b, mode_b = sys.argv[1:7]
sys.exit(run_together([[py, "-c", child, a, mode_a], [py, "-c", child, b, mode_b]],
                      grace=1.0, poll=0.05))
"""


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path: Path) -> object:
    """Whatever a failing test leaves running is killed (by the pids it recorded)."""
    yield
    for f in (tmp_path / "web.pid", tmp_path / "worker.pid"):
        if f.exists():
            for pid in f.read_text().split():
                if _alive(int(pid)):
                    os.kill(int(pid), signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"  # a zombie has stopped
    except FileNotFoundError:
        return False


def _start(tmp_path: Path, mode_a: str = "calm", mode_b: str = "calm",
           ) -> tuple[subprocess.Popen[bytes], list[int]]:
    a, b = tmp_path / "web.pid", tmp_path / "worker.pid"
    sup = subprocess.Popen([sys.executable, "-c", SUPERVISOR, sys.executable, CHILD,
                            str(a), mode_a, str(b), mode_b], cwd=ROOT)
    deadline = time.monotonic() + 30
    while not (a.exists() and b.exists()):
        assert time.monotonic() < deadline, "the supervisor did not start both commands"
        assert sup.poll() is None or mode_a == "crash" or mode_b == "crash"
        time.sleep(0.05)
    pids = [int(p) for f in (a, b) for p in f.read_text().split()]
    return sup, pids


def _gone(pids: list[int], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while any(_alive(p) for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_i10_ctrl_c_stops_the_server_and_the_worker_with_their_children(tmp_path: Path) -> None:
    sup, pids = _start(tmp_path)
    assert all(_alive(p) for p in pids)  # both commands (and their children) run together
    sup.send_signal(signal.SIGINT)
    assert sup.wait(timeout=15) == 0
    assert _gone(pids), [p for p in pids if _alive(p)]


def test_i10_a_child_deaf_to_sigterm_is_killed_after_the_grace(tmp_path: Path) -> None:
    sup, pids = _start(tmp_path, mode_b="stubborn")
    sup.send_signal(signal.SIGTERM)
    assert sup.wait(timeout=15) == 0
    assert _gone(pids), [p for p in pids if _alive(p)]


def test_i10_when_the_worker_stops_the_server_stops_too(tmp_path: Path) -> None:
    sup, pids = _start(tmp_path, mode_b="crash")
    assert sup.wait(timeout=15) == 3
    assert _gone(pids), [p for p in pids if _alive(p)]


def test_i10_serve_runs_runserver_and_db_worker_and_make_run_uses_it() -> None:
    web, worker = serve_commands("127.0.0.1:8000", python="py")
    manage = str(ROOT / "manage.py")
    assert web == ["py", manage, "runserver", "127.0.0.1:8000"]
    assert worker == ["py", manage, "db_worker"]
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run:.*?\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe is not None
    assert recipe.group(1).rstrip().splitlines()[-1].strip() == (
        "$(PY) manage.py serve 127.0.0.1:8000")


def test_i10_serve_command_is_installed() -> None:
    out = subprocess.run([sys.executable, "manage.py", "help", "serve"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "doanvu.settings.test"})
    assert out.returncode == 0, out.stderr
    assert "Ctrl-C" in out.stdout
