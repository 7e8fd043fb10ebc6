"""The layout sweep (issue 10, "How to prove it"): every page of the URL sweep, on the demo, as
five demo accounts (centre, province, district, grassroots, branch), at 360 × 740 and
1280 × 800 in headless Chromium. On every page: the document never scrolls sideways, no table
cell is narrower than its longest word (no word broken inside a cell, nothing sticking out of
one), the page is not absurdly tall for its text, and no English or internal code shows. Every
page's full screenshot is written to test-artifacts/layout/<account>/<width>/<page>.png.

Every problem of every page is collected and reported in one assertion, so the list is useful.

The demo takes ~30 s to load, so it is loaded once, in the one browser test of this module;
the transactional test database is flushed afterwards and its migrated content restored
(serialized_rollback), as for the other browser tests.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from . import layout_sweep as sweep

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "layout"

# Pages excused from the internal-codes check, with the reason. Empty: every page reads in
# Vietnamese; a new entry needs a reason a reviewer accepts.
KNOWN_LEAKS: dict[str, str] = {}


def test_layout_sweep_knows_every_url_pattern() -> None:
    """A new pattern is swept (its parameters filled by what its path names) or listed as not a
    page with the reason; a listed name that no longer exists is stale."""
    assert sweep.unknown_patterns() == []


def test_layout_no_table_wears_the_layout_grid_class() -> None:
    """`.grid` lays out panels; a table given it split into a header half and a rows half."""
    templates = Path(__file__).resolve().parents[2] / "doanvu"
    offenders = [str(path.relative_to(templates)) for path in templates.rglob("*.html")
                 if re.search(r"<table[^>]*class=\"[^\"]*\bgrid\b", path.read_text())]

    assert offenders == []


def test_layout_sweep_measure_finds_a_collapsed_cell_and_a_leak(browser: Browser) -> None:
    """The measurements can fail: a cell that wraps anywhere, a page wider than the screen and
    an internal code are each reported."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_content(
        "<body><table><tr><td style='overflow-wrap:anywhere'>Nguyễn Thị Bích Ngọc</td>"
        "<td style='white-space:nowrap'>" + "Tổng hợp xếp loại " * 8 + "</td></tr></table>"
        "<p>unit_id: 204, members.memberrating</p></body>")
    data = page.evaluate(sweep.MEASURE_JS)
    context.close()

    problems = " | ".join(data["problems"])
    assert "trang tràn ngang" in problems
    assert "bị ngắt giữa từ" in problems
    assert sweep.forbidden_tokens(data["text"]) == ["members.memberrating", "unit_id"]
    assert sweep.height_problem(20000, 500, 360) is not None
    assert sweep.height_problem(900, 500, 360) is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_layout_sweep_every_page_at_360_and_1280(browser: Browser, live_server: object,
                                                 settings: object, tmp_path: Path) -> None:
    from doanvu.demo.demo_data import PASSWORD
    from doanvu.demo.loader import load_demo

    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")  # type: ignore[attr-defined]
    started = time.monotonic()
    load_demo()
    sweep.add_records_the_demo_lacks()
    loaded = time.monotonic() - started
    base = str(live_server.url)  # type: ignore[attr-defined]
    visits: list[sweep.Visit] = []
    for n, account in enumerate(sweep.ACCOUNTS):
        urls = sweep.page_urls(sweep.account_ids(account))
        for width in sweep.WIDTHS:
            visits += sweep.sweep_account(browser, base, account, PASSWORD, width, urls, OUT,
                                          known_leaks=KNOWN_LEAKS, login_page=n == 0)

    problems = [f"{v.account} {v.width}px {v.url} ({v.name}): {p}"
                for v in visits for p in v.problems]
    reached = {v.name for v in visits if v.status == 200 and v.landed == v.url}
    unswept = [f"{r.name} ({r.route}): không tài khoản mẫu nào mở được trang này"
               for r in sweep.pages()
               if r.name not in reached and r.name not in sweep.NOT_IN_DEMO]
    print(f"\nquét bố cục: {len(visits)} lượt mở trang, {len(reached)} mẫu URL, "
          f"nạp dữ liệu mẫu {loaded:.0f} s, tổng {time.monotonic() - started:.0f} s")

    assert unswept + problems == [], "\n".join(["", *unswept, *problems])
