"""Locust users for the load test (PERF-5), started by bench_load.py; not run by pytest.

Each simulated cadre takes the next logged-in session of the plan (LOAD_PLAN, a JSON file
bench_load.py writes) and opens the pages of load_pages.PAGES with their weights, waiting
THINK_MIN..THINK_MAX seconds between requests. Anything but HTTP 200 is an error (redirects are
not followed: a lost session would otherwise look like a fast login page). Every request's time
is appended to LOAD_SAMPLES when locust quits, so bench_load.py can split light and heavy pages.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, between, events

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_pages import PAGES, THINK_MAX, THINK_MIN  # noqa: E402

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
_plans = itertools.cycle(PLAN["users"])
_samples: list[tuple[str, float, int, str, float]] = []
NEXT_LINK = re.compile(r'<a href="([^"]*)" data-testid="next-page"')


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any = None, **_: Any) -> None:
    # the wall-clock second the request started: bench_load leaves out the warm-up
    started = time.time() - response_time / 1000
    _samples.append((name, response_time, 0 if exception is None else 1,
                     "" if exception is None else f"{exception.__class__.__name__}: {exception}",
                     started))


@events.quitting.add_listener
def _write(**_: Any) -> None:
    out = os.environ.get("LOAD_SAMPLES")
    if out:
        Path(out).write_text(json.dumps(_samples))


def _make_task(key: str) -> Any:
    def run(user: Cadre) -> None:
        user.open(key)

    run.__name__ = f"open_{key}"
    return run


class Cadre(HttpUser):
    think = (float(os.environ.get("LOAD_THINK_MIN", THINK_MIN)),
             float(os.environ.get("LOAD_THINK_MAX", THINK_MAX)))
    wait_time = between(*think)
    tasks = {_make_task(page.key): page.weight for page in PAGES if page.key in PLAN["pages"]}

    def on_start(self) -> None:
        self.plan: dict[str, Any] = next(_plans)
        self.client.cookies.set(PLAN["cookie_name"], self.plan["session"])
        self.next_url = ""
        # cadres do not all click in the same second: the first page comes after a pause too
        gevent.sleep(random.uniform(0, self.think[1]))

    def _get(self, key: str, url: str) -> None:
        with self.client.get(url, name=key, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            if key in ("member_list", "member_search", "member_list_next"):
                found = NEXT_LINK.search(response.text)
                self.next_url = html.unescape(found.group(1)) if found else ""

    def open(self, key: str) -> None:
        if key == "member_list_next":
            if not self.next_url:  # no list opened yet, or it had one page: open the list
                key = "member_list"
            else:
                self._get(key, self.next_url)
                return
        choices = self.plan["urls"].get(key) or []
        if choices:
            self._get(key, random.choice(choices))

