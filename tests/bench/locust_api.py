"""Locust users for the API load test (PERF-5 for the API, issue 16), started by
bench_api_load.py; not run by pytest.

Two kinds of program, each holding a token of the plan (LOAD_PLAN, a JSON file bench_api_load.py
writes) in `Authorization: Token …`:

* `Reader` (the plan's "readers", as many users as there are): the read endpoints with the
  plan's weights; the members list's "next page" follows the `trang_sau` cursor of the list the
  program last read.
* `Writer` (the plan's "writers"): each takes the next write of its own list (method, URL,
  JSON body, or a form with a file for an upload) — repeatable writes cycle, one-shot writes
  (a token's revocation) are used once each.

Both wait LOAD_THINK_MIN..LOAD_THINK_MAX seconds between requests (a program's pace: it parses
the answer and sends the next request). Anything but the expected status (200, or 201 for a
POST that creates) is an error. Every request is appended to LOAD_SAMPLES when locust quits,
named "read:<key>" or "write:<key>", so bench_api_load.py reports reads and writes apart.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import gevent
from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
_readers = itertools.cycle(PLAN["readers"])
_writers = itertools.cycle(PLAN["writers"]) if PLAN["writers"] else None
_samples: list[tuple[str, float, int, str, float]] = []
THINK = (float(os.environ.get("LOAD_THINK_MIN", "0.5")),
         float(os.environ.get("LOAD_THINK_MAX", "2")))


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any = None, **_: Any) -> None:
    started = time.time() - response_time / 1000
    _samples.append((name, response_time, 0 if exception is None else 1,
                     "" if exception is None else f"{exception.__class__.__name__}: {exception}",
                     started))


@events.quitting.add_listener
def _write(**_: Any) -> None:
    out = os.environ.get("LOAD_SAMPLES")
    if out:
        Path(out).write_text(json.dumps(_samples))


def _check(response: Any, expected: tuple[int, ...]) -> dict[str, Any] | None:
    if response.status_code not in expected:
        # the address too: which search, which cursor (a next page's) is what a failure needs
        response.failure(f"HTTP {response.status_code}: {response.text[:200]} "
                         f"<- {response.request.path_url[:300]}")
        return None
    try:
        data = response.json()
    except ValueError:
        response.failure("không phải JSON")
        return None
    return data if isinstance(data, dict) else {}


class Reader(HttpUser):
    fixed_count = len(PLAN["readers"])
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.plan: dict[str, Any] = next(_readers)
        self.client.headers["Authorization"] = f"Token {self.plan['token']}"
        self.next_url = ""
        self.keys = [k for k in PLAN["reads"] if self.plan["urls"].get(k)
                     or k == "members_next"]
        self.weights = [PLAN["reads"][k] for k in self.keys]
        gevent.sleep(random.uniform(0, THINK[1]))  # programs do not all start in one second

    def _get(self, key: str, url: str) -> None:
        with self.client.get(url, name=f"read:{key}", catch_response=True) as response:
            data = _check(response, (200,))
            if data is not None and key.startswith("members"):
                cursor = data.get("trang_sau")
                # the same filters, decoded and encoded again ("anh+anh" is "anh anh")
                address = urlsplit(url)
                query = dict(parse_qsl(address.query, keep_blank_values=True))
                query.pop("sau", None)
                self.next_url = (f"{address.path}?{urlencode({**query, 'sau': cursor})}"
                                 if cursor else "")

    @task
    def read(self) -> None:
        key = random.choices(self.keys, weights=self.weights)[0]
        if key == "members_next":
            if self.next_url:
                self._get(key, self.next_url)
                return
            key = "members"
        self._get(key, random.choice(self.plan["urls"][key]))


class Writer(HttpUser):
    fixed_count = len(PLAN["writers"])
    wait_time = between(*THINK)

    def on_start(self) -> None:
        assert _writers is not None
        self.plan = next(_writers)
        self.client.headers["Authorization"] = f"Token {self.plan['token']}"
        repeat = [w for w in self.plan["writes"] if w["repeat"]]
        random.shuffle(repeat)  # visits and uploads mixed from the first write
        self.repeat = itertools.cycle(repeat) if repeat else None
        self.once = [w for w in self.plan["writes"] if not w["repeat"]]
        random.shuffle(self.once)  # submissions and revocations mixed
        gevent.sleep(random.uniform(0, THINK[1]))

    @task
    def write(self) -> None:
        # one-shot writes first while they last, mixed with the repeatable ones
        if self.once and (self.repeat is None or random.random() < 0.5):
            w = self.once.pop()
        elif self.repeat is not None:
            w = next(self.repeat)
        else:
            return  # its one-shot writes are used up
        upload = w.get("file")
        sent: dict[str, Any] = {"json": w["body"]} if upload is None else {
            "data": w["body"], "files": {upload["field"]: (
                upload["name"], base64.b64decode(upload["b64"]),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}}
        with self.client.request(w["method"], w["url"], name=f"write:{w['key']}",
                                 catch_response=True, **sent) as response:
            _check(response, tuple(w["expect"]))
