"""Several commands run as one (`manage.py serve`: the web server and the background worker).

Each child starts in its own session, so a Ctrl-C in the terminal reaches only the supervisor,
which then stops every child's whole process group (runserver's reloader has a child of its
own) with SIGTERM, and with SIGKILL those still there after `grace` seconds. When one child
stops by itself, the others are stopped too: a web server without its worker would leave
imports waiting. On Linux a child also gets SIGTERM if the supervisor itself is killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec function asking Linux to send SIGTERM to the child when its parent dies."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def preexec() -> None:
        prctl(pr_set_pdeathsig, int(signal.SIGTERM))

    return preexec


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)  # the child leads its own group (start_new_session)


def stop_all(procs: Sequence[subprocess.Popen[bytes]], *, grace: float) -> None:
    """SIGTERM to every child's group, then SIGKILL to the groups still alive after `grace`."""
    for proc in procs:
        _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for proc in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    for proc in procs:
        _signal_group(proc, signal.SIGKILL)  # the leader's own children too, if any are left
        if proc.poll() is None:
            proc.wait()


def run_together(commands: Sequence[Sequence[str]], *, grace: float = 10.0,
                 poll: float = 0.2) -> int:
    """Start every command, wait until one of them stops or a stop signal comes, stop them
    all; the exit code: 0 when stopped by a signal, else the code of the child that stopped
    first (a crash of the worker fails the whole run)."""
    received: list[int] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    procs: list[subprocess.Popen[bytes]] = []
    code = 0
    try:
        preexec = _die_with_parent()
        for argv in commands:
            procs.append(subprocess.Popen(list(argv), start_new_session=True,
                                          preexec_fn=preexec))  # noqa: PLW1509 - one thread
        while not received:
            finished = [p for p in procs if p.poll() is not None]
            if finished:
                code = finished[0].returncode or 0
                break
            time.sleep(poll)
    finally:
        # a second Ctrl-C while stopping must not leave children behind
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        stop_all(procs, grace=grace)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code if code >= 0 else 128 - code
