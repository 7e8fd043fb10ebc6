"""Serving at national scale (issue 11, items 4-5): the gunicorn settings, the production
database options, and the pages the load test (tests/bench/bench_load.py) requests."""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse
from gunicorn.config import Config

from tests.bench import bench_load
from tests.bench.load_pages import PAGES
from tests.conftest import World
from tests.members.conftest import make_member

ROOT = Path(__file__).resolve().parents[2]


def load_conf(monkeypatch: pytest.MonkeyPatch, **env: str) -> object:
    """doanvu.gunicorn_conf as gunicorn reads it, under an environment of our own (the module
    writes a default into it)."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("GUNICORN_") and k != "DB_STATEMENT_TIMEOUT_MS"}
    monkeypatch.setattr(os, "environ", {**clean, **env})
    import doanvu.gunicorn_conf as conf

    return importlib.reload(conf)


def test_gunicorn_conf_threads_for_two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load_conf(monkeypatch)
    assert conf.worker_class == "gthread"  # type: ignore[attr-defined]
    assert 2 <= conf.workers <= 3  # type: ignore[attr-defined]
    assert conf.threads >= 4  # type: ignore[attr-defined]
    assert conf.timeout >= 30 and 0 < conf.graceful_timeout <= conf.timeout  # type: ignore[attr-defined]
    assert conf.max_requests > 0 and 0 < conf.max_requests_jitter < conf.max_requests  # type: ignore[attr-defined]
    assert conf.preload_app is True  # type: ignore[attr-defined]
    assert conf.worker_tmp_dir == "/dev/shm"  # type: ignore[attr-defined]
    assert "%(M)s" in conf.access_log_format  # type: ignore[attr-defined]  # request time
    # the web processes get a statement timeout; the environment of the test is untouched
    assert os.environ["DB_STATEMENT_TIMEOUT_MS"] == "30000"


def test_gunicorn_conf_names_are_gunicorn_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every setting the file defines is one gunicorn knows and accepts (a misspelt name would
    be silently ignored by gunicorn)."""
    conf = load_conf(monkeypatch)
    cfg = Config()
    names = [n for n in vars(conf) if not n.startswith("_") and n not in ("os", "annotations")]
    assert len(names) >= 12
    for name in names:
        assert name in cfg.settings, name
        cfg.set(name, getattr(conf, name))  # gunicorn's own validation
    assert cfg.worker_class_str == "gthread" and cfg.threads == conf.threads  # type: ignore[attr-defined]


def test_gunicorn_conf_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load_conf(monkeypatch, GUNICORN_WORKERS="2", GUNICORN_THREADS="16",
                     GUNICORN_WORKER_CLASS="sync", DB_STATEMENT_TIMEOUT_MS="5000")
    assert (conf.workers, conf.threads, conf.worker_class) == (2, 16, "sync")  # type: ignore[attr-defined]
    assert os.environ["DB_STATEMENT_TIMEOUT_MS"] == "5000"


def _production_database(extra: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DB_STATEMENT_TIMEOUT_MS"}
    env |= {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "k" * 40,
           "DOANVU_AUDIT_KEY": "a" * 40, "DATABASE_URL": "postgres://u@127.0.0.1:5432/x", **extra}
    code = ("import doanvu.settings.production as p; d = p.DATABASES['default']; "
            "print(d['CONN_HEALTH_CHECKS'], d['CONN_MAX_AGE'], "
            "d.get('OPTIONS', {}).get('options'))")
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()


def test_production_statement_timeout_only_when_asked() -> None:
    """The web (gunicorn's settings set it) gets statement_timeout; the task worker and
    manage.py, without the variable, are not cut."""
    assert _production_database({"DB_STATEMENT_TIMEOUT_MS": "30000"}) == (
        "True 60 -c statement_timeout=30000")
    assert _production_database({}) == "True 60 None"


def test_load_pages_resolve() -> None:
    keys = [p.key for p in PAGES]
    assert len(keys) == len(set(keys))
    for page in PAGES:
        args = [1] if page.needs in ("unit", "member") else []
        url = reverse(page.url_name, args=args)
        assert resolve(url).view_name == page.url_name
        assert page.weight > 0
        assert page.heavy == (page.url_name == "members:member_list")


def test_locustfile_requests_only_the_planned_pages() -> None:
    """The locustfile (not imported here: locust patches the standard library) builds its tasks
    from PAGES and takes every URL from the plan or the list's own "next" link: no path of its
    own that could miss a route."""
    source = (ROOT / "tests" / "bench" / "locustfile.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    literals = [n.value for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [v for v in literals if v.startswith("/") or "doan-vien" in v or "don-vi" in v]
    assert "for page in PAGES if page.key in PLAN[\"pages\"]" in source
    assert 'data-testid="next-page"' in source
    template = (ROOT / "doanvu" / "members" / "templates" / "members" / "core_list.html")
    assert 'data-testid="next-page"' in template.read_text(encoding="utf-8")


def test_load_plan_sessions_open_every_page(world: World) -> None:
    """The plan bench_load.py hands to locust: logged-in sessions without the login form, and
    URLs that each answer 200 to their user (an error there would be counted as load errors)."""
    make_member(world.branch_a1, "Nguyễn Văn Hùng")
    plan = bench_load.build_plan(n_users=4, n_central=1, secret_key=settings.SECRET_KEY)
    assert len(plan["users"]) == 4
    assert plan["users"][0]["unit"] == world.centre.name
    seen = set()
    for user in plan["users"]:
        client = Client()
        client.cookies[plan["cookie_name"]] = user["session"]
        for key, urls in user["urls"].items():
            page = next(p for p in PAGES if p.key == key)
            for url in urls:
                assert resolve(url.split("?")[0]).view_name == page.url_name
                response = client.get(url)
                assert response.status_code == 200, (user["username"], url)
                seen.add(key)
    assert seen == {p.key for p in PAGES if p.needs != "next"}
