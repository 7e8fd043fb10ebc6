"""The pages a user opens, timed at national scale (issue 11) — called by run.py, or alone.

Run alone on a database that holds a generated nation with members (and, for full hub/audit
tables, `generate_nation --units 0 --history`):
`DATABASE_URL=… .venv/bin/python tests/bench/bench_pages.py`.

Every row is a page requested through django.test.Client (the whole view: middleware, session,
scope, queries, template), DEBUG off, as a logged-in user: a province secretary (a `bi_thu`
RoleGrant on the province, as bench_members.perf2) of the province closest to 200 000 current
members and of the largest province, and a central cadre (`bi_thu` on the root). Each row: two
warm-up requests, then BENCH_RUNS (default 30) timed requests — p50 / p95 / max in ms beside
the target. A row whose requests are slow stops after BENCH_PAGE_BUDGET seconds (default 90)
with at least 5 samples, and says how many it took.

Member list rows: the first page, the 2nd and the 50th (reached by following each page's
`next_query`, the keyset `?sau=` cursor, from the page's context), without search and with a
search (the most common surname fragment + gioi_tinh + tuoi). Varied searches: BENCH_SEARCHES
(default 50) different name searches, one request each, in the province and nation-wide for the
central cadre (a name + one more filter), with how many pages answered "quá rộng" (`too_broad`).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

AddRow = Callable[[str, str, str, "bool | None"], None]
TOO_BROAD_MARK = 'data-testid="search-too-broad"'


def _pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(q * len(s)) - 1))]


def stats(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95 and max of `samples` (ms)."""
    return statistics.median(samples), _pct(samples, 0.95), max(samples)


def fmt(samples: list[float]) -> str:
    p50, p95, top = stats(samples)
    return f"p50 {p50:.0f} / p95 {p95:.0f} / max {top:.0f} ms (n={len(samples)})"


class Pages:
    """Timed GETs through django.test.Client, and probes that read the page's context."""

    def __init__(self, add_row: AddRow, runs: int, budget: float) -> None:
        self.add_row, self.runs, self.budget = add_row, runs, budget

    def client(self, user: Any) -> Any:
        from django.test import Client

        c = Client(SERVER_NAME="127.0.0.1")
        c.force_login(user)
        return c

    @staticmethod
    def get(client: Any, url: str) -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return response

    def probe(self, client: Any, url: str) -> Any:
        """One untimed request whose template context is kept (response.context)."""
        from django.template import Template
        from django.test.utils import instrumented_test_render

        original = Template._render
        Template._render = instrumented_test_render  # type: ignore[method-assign]
        try:
            return self.get(client, url)
        finally:
            Template._render = original  # type: ignore[method-assign]

    def sample(self, client: Any, url: str) -> list[float]:
        for _ in range(2):
            self.get(client, url)
        samples: list[float] = []
        start = time.perf_counter()
        for _ in range(self.runs):
            t = time.perf_counter()
            self.get(client, url)
            samples.append((time.perf_counter() - t) * 1000)
            if len(samples) >= 5 and time.perf_counter() - start > self.budget:
                break
        return samples

    def row(self, metric: str, client: Any, url: str, limit_ms: float) -> list[float]:
        samples = self.sample(client, url)
        p95 = stats(samples)[1]
        self.add_row(metric, fmt(samples), f"p95 < {limit_ms:g} ms", p95 < limit_ms)
        return samples


def _context(response: Any, name: str) -> Any:
    ctx = response.context
    if ctx is None:
        return None
    try:
        return ctx[name]
    except KeyError:
        return None


def walk(pages: Pages, client: Any, first_url: str, to_page: int) -> tuple[str, int]:
    """The URL of page `to_page` of a member list, following each page's `next_query`; the
    last page reached if the list is shorter (and its number)."""
    from django.urls import reverse

    base = reverse("members:member_list")
    url, n = first_url, 1
    while n < to_page:
        response = pages.probe(client, url)
        nxt = _context(response, "next_query")
        if not nxt:
            break
        url, n = f"{base}?{nxt}", n + 1
    return url, n


def _grant(username: str, unit: Any, label: str) -> Any:
    from doanvu.accounts.models import RoleGrant, RoleType, User

    user, _ = User.objects.get_or_create(username=username, defaults={"full_name": label})
    if not RoleGrant.objects.filter(user=user, unit=unit).exists():
        RoleGrant.objects.filter(user=user).delete()
        RoleGrant.objects.create(user=user, role_type=RoleType.objects.get(code="bi_thu"),
                                 unit=unit, start_date=unit.founded_on)
    return user


def _names(path: str, n: int, seed: int) -> list[str]:
    """Folded names of about `n` members under `path`, spread by id (no ORDER BY random())."""
    from django.db.models import Max, Min
    from django.db.models.functions import Mod

    from doanvu.members.models import Membership

    qs = Membership.objects.filter(unit_path__startswith=path, is_current=True)
    span = qs.aggregate(lo=Min("id"), hi=Max("id"))
    if span["lo"] is None:
        return []
    total = qs.count()
    step = max(1, total // (4 * n))
    names = list(qs.alias(r=Mod("id", step)).filter(r=seed % step)
                 .values_list("name_folded", flat=True)[: 4 * n])
    random.Random(seed).shuffle(names)
    return names[:n]


def _searches(names: list[str], seed: int, extra: bool) -> list[dict[str, str]]:
    """Name searches as people type them: a full name, surname + given name, a given name or
    the first two words; with `extra`, always one more filter (gender or age band)."""
    rng = random.Random(seed)
    out = []
    for i, name in enumerate(names):
        words = name.split()
        if not words:
            continue
        kind = i % 4
        q = (" ".join(words) if kind == 0 else f"{words[0]} {words[-1]}" if kind == 1
             else words[-1] if kind == 2 else " ".join(words[:2]))
        f = {"q": q, "gioi_tinh": "", "tuoi": ""}
        pick = rng.choice(["gioi_tinh", "tuoi"] if extra else ["gioi_tinh", "tuoi", "", ""])
        if pick == "gioi_tinh":
            f["gioi_tinh"] = rng.choice(["nam", "nu"])
        elif pick == "tuoi":
            f["tuoi"] = rng.choice(["16-18", "19-23", "24-30"])
        out.append(f)
    return out


def varied(pages: Pages, metric: str, client: Any, base: str, filters: list[dict[str, str]],
           limit_ms: float) -> None:
    """One request per search: p50/p95/max over the searches, and how many answered too broad."""
    from urllib.parse import urlencode

    samples: list[float] = []
    broad = 0
    for f in filters[:3]:  # warm-up
        pages.get(client, f"{base}{urlencode({k: v for k, v in f.items() if v})}")
    for f in filters:
        url = f"{base}{urlencode({k: v for k, v in f.items() if v})}"
        t = time.perf_counter()
        response = pages.get(client, url)
        samples.append((time.perf_counter() - t) * 1000)
        if TOO_BROAD_MARK in response.content.decode():
            broad += 1
    if not samples:
        return
    p95 = stats(samples)[1]
    pages.add_row(metric, f"{fmt(samples)}; {broad} “quá rộng”",
                  f"p95 < {limit_ms:g} ms, 0 quá rộng", p95 < limit_ms and not broad)


def run(add_row: AddRow, runs: int | None = None) -> None:
    from django.db.models import Count
    from django.db.models.functions import Substr
    from django.test.utils import override_settings
    from django.urls import reverse

    from doanvu.members.models import Membership
    from doanvu.org.models import Unit
    from doanvu.org.paths import STEP

    runs = runs or int(os.environ.get("BENCH_RUNS", "30"))
    pages = Pages(add_row, runs, float(os.environ.get("BENCH_PAGE_BUDGET", "90")))
    n_search = int(os.environ.get("BENCH_SEARCHES", "50"))
    t = time.perf_counter()
    per_province = dict(
        Membership.objects.filter(is_current=True)
        .annotate(p=Substr("unit_path", 1, 2 * STEP)).values_list("p")
        .annotate(n=Count("id")).values_list("p", "n")
    )
    provinces = list(Unit.objects.filter(kind__code="tinh", path__in=list(per_province)))
    if not provinces:
        add_row("Trang (issue 11)", "không có đoàn viên trong các tỉnh", "", None)
        return
    mid = min(provinces, key=lambda u: abs(per_province[u.path] - 200_000))
    big = max(provinces, key=lambda u: per_province[u.path])
    root = Unit.objects.filter(parent__isnull=True, dissolved_on__isnull=True).order_by("pk")[0]
    total = sum(per_province.values())
    print(f"  (chọn tỉnh và người dùng: {time.perf_counter() - t:.1f} s)")

    def n(x: int) -> str:
        return f"{x:,}".replace(",", ".")

    with override_settings(ALLOWED_HOSTS=["*"]):
        base = reverse("members:member_list") + "?"
        measured = [(mid, "~200k", 100)] + ([(big, "lớn nhất", 150)] if big != mid else [])
        for province, label, limit in measured:
            size = per_province[province.path]
            user = _grant(f"bench_pages_{province.pk}", province, f"Bí thư {province.name}")
            c = pages.client(user)
            tag = f"{province.name} ({n(size)} đv, tỉnh {label})"
            names = _names(province.path, max(n_search, 200), seed=province.pk)
            surnames = Counter(x.split()[0] for x in names if x.split())
            common = surnames.most_common(1)[0][0] if surnames else "nguyen"
            for search, q in (("", ""), ("tìm", f"q={common}&gioi_tinh=nu&tuoi=19-23")):
                first = base + q
                what = f"{tag}{', ' + search + ' ' + repr(q) if search else ''}"
                pages.row(f"DS đoàn viên trang 1 — {what}", c, first, limit)
                second, got = walk(pages, c, first, 2)
                if got == 2:
                    pages.row(f"DS đoàn viên trang 2 — {what}", c, second, limit)
                t = time.perf_counter()
                fifty, got = walk(pages, c, first, 50)
                print(f"  (đi tới trang {got}: {time.perf_counter() - t:.0f} s)")
                if got > 2:
                    pages.row(f"DS đoàn viên trang {got} — {what}", c, fifty, limit)
            varied(pages, f"DS đoàn viên, {len(names[:n_search])} tìm kiếm khác nhau — {tag}",
                   c, base, _searches(names[:n_search], province.pk, extra=False), limit)
            pages.row(f"Trang đơn vị — {tag}", c, reverse("org:unit_detail", args=[province.pk]),
                      300)
            pages.row(f"Cây tổ chức — {tag}", c, reverse("org:tree"), 300)
            pages.row(f"Việc của tôi — bí thư {province.name}", c, reverse("hub:my_work"), 300)
            pages.row(f"Bảng điều khiển — {province.name}", c,
                      reverse("hub:unit_dashboard", args=[province.pk]), 300)
            pages.row(f"Nhật ký thay đổi — bí thư {province.name}", c, reverse("audit:log"), 300)

        central = _grant("bench_pages_tw", root, "Cán bộ Trung ương (bench)")
        c = pages.client(central)
        tag = f"cả nước ({n(total)} đv), cán bộ trung ương"
        pages.row(f"DS đoàn viên mặc định — {tag}", c, reverse("members:member_list"), 300)
        names = _names(root.path, n_search, seed=1)
        varied(pages, f"Tìm tên cả nước + 1 bộ lọc, {len(names)} tìm kiếm — {tag}", c, base,
               _searches(names, 1, extra=True), 300)
        pages.row(f"Cây tổ chức — {tag}", c, reverse("org:tree"), 300)
        pages.row(f"Việc của tôi — {tag}", c, reverse("hub:my_work"), 300)
        pages.row(f"Bảng điều khiển — {root.name}", c,
                  reverse("hub:unit_dashboard", args=[root.pk]), 300)
        pages.row(f"Nhật ký thay đổi — {tag}", c, reverse("audit:log"), 300)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanvu.settings.dev")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()
    from django.db import connection

    from tests.bench.run import print_pg_settings

    print(f"Cơ sở dữ liệu: {connection.settings_dict['NAME']} ({connection.vendor})")
    print_pg_settings()
    rows: list[tuple[str, str, str, bool | None]] = []

    def add_row(metric: str, value: str, target: str, ok: bool | None) -> None:
        rows.append((metric, value, target, ok))
        print(f"  {metric}: {value}", flush=True)

    t = time.perf_counter()
    run(add_row)
    print(f"\nTrang (issue 11), {time.perf_counter() - t:.0f} s:")
    for metric, value, target, ok in rows:
        mark = "" if ok is None else (" ✓" if ok else " ✗")
        print(f"{metric} | {value}{mark} | {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
