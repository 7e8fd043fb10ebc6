"""Browser tests: pytest-django's live_server driven by Playwright on Debian's Chromium.

No browser is ever downloaded: Playwright launches the Chromium found at $CHROMIUM_PATH
(default /usr/bin/chromium). If it is missing the tests fail (never skip) with a message
saying how to install it. On a failure a screenshot lands in test-artifacts/<test>.png.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django's ORM refuses to run
# "inside an event loop" unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Serve on the IPv4 loopback address, so "every request goes to 127.0.0.1" is literal.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

from playwright.sync_api import (  # noqa: E402
    Browser,
    ConsoleMessage,
    Page,
    Request,
    expect,
    sync_playwright,
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "matkhau123"
expect.set_options(timeout=10_000)  # CI machines have 2 cores; PostgreSQL is slower than SQLite
E2E_DIR = Path(__file__).resolve().parent


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/e2e is a browser test, whatever its module says."""
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    setattr(item, f"rep_{report.when}", report)  # read by the `page` fixture's teardown
    return report


@pytest.fixture(scope="module")
def browser(django_db_setup: None) -> Iterator[Browser]:
    """One headless Chromium per test module.

    Between its calls Playwright's sync API leaves its asyncio loop marked as running in
    this thread, and Django then keeps this thread's database connections in a second,
    context-local store: the connection objects the tests use from now on are not the
    ones `django_db_setup` made. Django's copy of the freshly migrated database (unit kinds,
    role types), which `serialized_rollback` restores after each transactional test's
    flush, hangs on the old objects; hand it on to the new ones.
    Module scope stops Playwright (and that loop) as soon as the module's tests are done,
    so the tests pytest runs afterwards see a thread with no event loop, as usual.
    """
    from django.db import connections

    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(
            f"Chromium không có tại {path}: các kiểm thử trình duyệt cần nó. "
            "Cài bằng `sudo apt-get install -y chromium` hoặc đặt CHROMIUM_PATH. "
            f"(Chromium not found at {path}; install Debian's chromium or set CHROMIUM_PATH.)",
            pytrace=False,
        )
    serialized = {
        conn.alias: conn._test_serialized_contents  # type: ignore[attr-defined]
        for conn in connections.all()
        if hasattr(conn, "_test_serialized_contents")
    }
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]
        try:
            yield browser
        finally:
            browser.close()
            # Close the connections of the second store while it is still the one in use,
            # so that none stays open when the test database is dropped.
            connections.close_all()


@dataclass
class Traffic:
    """Every URL the page asked for, to hold the offline promise (X-7)."""

    base: str
    urls: list[str] = field(default_factory=list)

    def record(self, request: Request) -> None:
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        return [u for u in self.urls if not (u == self.base or u.startswith(self.base + "/"))]


@dataclass
class Console:
    """What the browser reported breaking the Content-Security-Policy (issue 8): an inline style
    or script, or an eval, that the policy refused — a page that silently lost a part."""

    violations: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)


@pytest.fixture
def traffic(live_server: object) -> Traffic:
    return Traffic(base=str(live_server.url))  # type: ignore[attr-defined]


@pytest.fixture
def page(browser: Browser, traffic: Traffic, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.on("request", traffic.record)
    console = Console()
    pg.on("console", console.record)
    # Anything not for the live server is refused before it can leave the machine.
    pg.route(
        re.compile(r"^(?!" + re.escape(traffic.base) + r"(/|$)).*"),
        lambda route: route.abort("blockedbyclient"),
    )
    try:
        yield pg
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            out = Path(str(request.config.rootpath)) / "test-artifacts"
            out.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            try:
                pg.screenshot(path=str(out / f"{name}.png"), full_page=True)
            except Exception as exc:  # noqa: BLE001 - a screenshot must not hide the failure
                print(f"(không chụp được màn hình: {exc})")
        context.close()
    foreign = traffic.foreign()
    assert not foreign, f"Trang đã gửi yêu cầu ra ngoài {traffic.base}: {foreign}"
    assert not console.violations, (
        f"Trang vi phạm Content-Security-Policy: {console.violations}")


def log_in(page: Page, base_url: str, username: str) -> None:
    """Log in through the login form, as a person would."""
    page.goto(base_url + "/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(base_url + "/")
