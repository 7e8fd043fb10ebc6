"""The layout's own promises on a phone and a desktop (issue 10, items 1–3 and 5): the header
collapses behind a menu button, taps are 44 px, the month calendar lists days instead of a
column of weekday names, the chart legend stays readable. The sweep of every page is
test_layout_sweep.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from doanvu.common.dates import today
from doanvu.hub import rules, services
from tests.conftest import World

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def e2e_world(transactional_db: None, world: World) -> World:
    """The shared `world`, committed, with two obligations of Huyện đoàn Châu Thành due this
    month (one late), so the header counts them and the calendar and the chart show them."""
    t = today()
    for title, day in (("Báo cáo tháng – quá hạn", max(t.day - 1, 1) - t.day),
                       ("Báo cáo chuyên đề", 0)):
        services.obligation_create(
            actor=None, kind="bao_cao", title=title, owed_by_unit=world.district_a,
            owed_to_unit=world.province, owed_to_department=world.tckt,
            rule=rules.DueRule.fixed(t + dt.timedelta(days=day)),
        )
    return world


def _box_heights(page: Page, selector: str) -> list[float]:
    return [round(box["height"], 1) for box in
            (loc.bounding_box() for loc in page.locator(selector).all()) if box]


def test_layout_phone_header_is_one_row_and_a_menu_button(
        page: Page, live_server: object, e2e_world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size(PHONE)
    log_in(page, base, "canbo_chauthanh")
    page.goto(base + "/don-vi/")
    header = page.locator("header.topbar")
    my_work = page.get_by_test_id("nav-my-work")

    expect(my_work).to_be_visible()
    expect(my_work.locator(".nav-count")).to_have_text("2")
    expect(page.locator(".here")).to_have_text("Cây tổ chức")
    expect(page.locator(".mainnav").get_by_role("link", name="Đoàn viên")).to_be_hidden()
    closed = header.bounding_box()
    assert closed is not None and closed["height"] <= 90, f"đầu trang cao {closed}"

    page.locator(".menu-button").click()
    expect(page.locator(".mainnav").get_by_role("link", name="Đoàn viên")).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    expect(page.locator(".mainnav a[aria-current=page]")).to_have_text("Cây tổ chức")
    small = [h for h in _box_heights(page, ".mainnav a, .mywork, .menu-button, .brand")
             if h < 44]
    tree_rows = _box_heights(page, ".tree summary, .tree .leaf")

    assert small == [], "mục bấm thấp hơn 44px trên điện thoại"
    assert tree_rows and min(tree_rows) >= 44, f"dòng cây tổ chức thấp: {tree_rows}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_layout_desktop_header_shows_every_entry_without_a_button(
        page: Page, live_server: object, e2e_world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size(DESKTOP)
    log_in(page, base, "canbo_chauthanh")

    expect(page.locator(".menu-button")).to_be_hidden()
    expect(page.locator(".here")).to_be_hidden()
    for name in ("Việc của tôi", "Cây tổ chức", "Đoàn viên", "Văn bản", "Lịch", "Thông báo"):
        expect(page.locator("header").get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    box = page.locator("header.topbar").bounding_box()
    assert box is not None and box["height"] <= 60, f"đầu trang cao {box}"


def test_layout_month_calendar_on_a_phone_lists_days_with_their_weekday(
        page: Page, live_server: object, e2e_world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size(PHONE)
    log_in(page, base, "canbo_chauthanh")
    page.goto(base + "/lich/")

    expect(page.locator(".cal-head")).to_be_hidden()
    first_day = page.locator(".cal-day:visible").first.locator(".cal-date")
    expect(first_day).to_have_text(re.compile(r"^\s*(Thứ|Chủ)[^,]*, \d\d/\d\d"))
    arrows = _box_heights(page, "nav.toolbar a.button")
    assert arrows and min(arrows) >= 44, f"nút chuyển tháng thấp: {arrows}"


def test_layout_chart_legend_is_text_beside_the_drawing(
        page: Page, live_server: object, e2e_world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size(PHONE)
    log_in(page, base, "canbo_chauthanh")
    page.goto(f"{base}/don-vi/{e2e_world.district_a.pk}/bang-dieu-khien/")
    legend = page.get_by_test_id("chart-by").locator(".chart-legend li")

    expect(legend).to_have_text(["Đúng hạn", "Quá hạn / nộp muộn", "Chưa đến hạn"])
    size = legend.first.evaluate("li => parseFloat(getComputedStyle(li).fontSize)")
    assert size >= 13, f"chú giải biểu đồ cỡ chữ {size}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

