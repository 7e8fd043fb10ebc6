"""gunicorn settings for production (docs/deploy.md, "Chạy ở quy mô cả nước").

`gunicorn -c python:doanvu.gunicorn_conf doanvu.wsgi`. Sized for a 2-core machine: threaded
workers (gthread), so a heavy page holds one thread while the other threads of the same worker
go on serving light pages; with sync workers three slow member lists occupied every worker and a
50 ms page waited 9-10 s (issue 11). Each value is an environment variable (GUNICORN_*).

gunicorn reads this file in its master before it loads the application, so the defaults it puts
into the environment below (DB_STATEMENT_TIMEOUT_MS) reach the web processes only, not the task
worker or `manage.py` commands that read the same settings.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Python runs one thread at a time per process: two or three processes use both cores; the
# threads overlap the time a request waits for PostgreSQL (most of a slow page's time).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = _int("GUNICORN_WORKERS", 3)
threads = _int("GUNICORN_THREADS", 8)
# The heartbeat of a worker, not a request's limit: a gthread worker whose main loop stops for
# this long is killed. A single slow request is bounded by PostgreSQL's statement_timeout below.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind nginx on the same machine: a kept-alive connection holds a thread's slot only while
# idle in the worker's poller, so a few seconds is cheap.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A worker is replaced after about this many requests (memory growth); the jitter keeps the
# workers from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Load Django once in the master (faster restarts, shared memory); no connection is open yet.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes", "on")
# The heartbeat file in memory, not on a disk that may stall.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")
backlog = _int("GUNICORN_BACKLOG", 2048)
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# %(M)s: request time in milliseconds.
access_log_format = os.environ.get(
    "GUNICORN_ACCESS_LOG_FORMAT",
    '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"',
)

# A page's longest SQL statement (ms) for the web processes: a runaway query must not hold a
# thread and a PostgreSQL backend forever (settings.production reads it; 0 = no limit).
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "30000")
