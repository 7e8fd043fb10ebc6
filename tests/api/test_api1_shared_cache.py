"""API-1, rate limits per token across app servers: DOANVU_CACHE_URL puts the default cache —
where the limits count — on Redis, shared by every app server behind the proxy; anything but a
Redis address refuses to start; a cache that cannot be reached lets requests through uncounted
(a warning logged), never a 500."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.api.conftest import api, new_key

ROOT = Path(__file__).resolve().parents[2]
READ_CACHES = ("import django; django.setup(); from django.conf import settings; "
               "c = settings.CACHES['default']; print(c['BACKEND'], c.get('LOCATION', ''))")


def _settings_with(url: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DOANVU_CACHE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "doanvu.settings.dev"
    if url is not None:
        env["DOANVU_CACHE_URL"] = url
    return subprocess.run([sys.executable, "-c", READ_CACHES], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_api1_cache_url_puts_the_cache_on_redis_and_refuses_anything_else() -> None:
    shared = _settings_with("redis://10.0.0.20:6379/1")
    own = _settings_with(None)
    wrong = _settings_with("memcached://10.0.0.20:11211")

    assert shared.returncode == 0, shared.stderr
    assert shared.stdout.split() == ["django.core.cache.backends.redis.RedisCache",
                                     "redis://10.0.0.20:6379/1"]
    assert own.returncode == 0 and "LocMemCache" in own.stdout
    assert wrong.returncode != 0
    assert "DOANVU_CACHE_URL phải là địa chỉ Redis" in wrong.stderr


def test_api1_an_unreachable_cache_lets_requests_through_uncounted(
        world: Any, settings: Any, caplog: pytest.LogCaptureFixture) -> None:
    settings.API_THROTTLE_RATE = "1/min"
    client = api(new_key(world.province_secretary))
    url = reverse("api:v1_units")
    # the limit itself, counted in a cache that works: the second request of the minute is refused
    assert [client.get(url).status_code for _ in range(2)] == [200, 429]

    settings.CACHES = {"default": {  # nothing listens on port 1: refused at once
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    answers = [client.get(url) for _ in range(3)]

    assert [r.status_code for r in answers] == [200, 200, 200]
    assert "rate limit not counted, the cache is unreachable" in caplog.text
