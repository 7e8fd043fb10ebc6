"""HUB-2 in a real browser: a late obligation comes first in "Việc của tôi", is submitted from
the list, and leaves it."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from doanvu.common.dates import today
from doanvu.hub import rules, services
from tests.conftest import World

from .conftest import log_in

# live_server needs committed data: see test_browser.py.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def e2e_world(transactional_db: None, world: World) -> World:
    """The shared `world`, committed, with three obligations of Huyện đoàn Châu Thành."""
    t = today()
    for title, days in (("Báo cáo quý – còn hạn", 6), ("Báo cáo tháng – quá hạn", -4),
                        ("Báo cáo chuyên đề – sắp đến hạn", 2)):
        services.obligation_create(
            actor=None, kind="bao_cao", title=title, owed_by_unit=world.district_a,
            owed_to_unit=world.province, owed_to_department=world.tckt,
            rule=rules.DueRule.fixed(t + dt.timedelta(days=days)),
        )
    return world


def test_hub2_late_obligation_first_then_submitted_from_the_list(
    page: Page, live_server: object, e2e_world: World
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "canbo_chauthanh")
    page.get_by_role("link", name="Việc của tôi").click()
    expect(page).to_have_url(base + "/viec-cua-toi/")

    rows = page.get_by_test_id("open-obligation")
    expect(rows).to_have_count(3)
    first = rows.first
    expect(first.locator(".ob-title")).to_have_text("Báo cáo tháng – quá hạn")
    expect(first.locator(".status")).to_have_text("Quá hạn 4 ngày")
    expect(rows.nth(1).locator(".ob-title")).to_have_text("Báo cáo chuyên đề – sắp đến hạn")

    first.locator("summary", has_text="Nộp").click()
    first.get_by_label("Nội dung báo cáo").fill("Đã tổng hợp báo cáo tháng, gửi Ban TCKT.")
    first.get_by_role("button", name="Nộp").click()

    done = page.get_by_test_id("submitted-obligation")
    expect(done).to_contain_text("Báo cáo tháng – quá hạn")
    expect(done).to_contain_text("đang chờ Tỉnh đoàn Tây Ninh tiếp nhận")
    expect(page).to_have_url(base + "/viec-cua-toi/")  # htmx swapped the row in place
    expect(rows).to_have_count(2)

    page.reload()
    titles = page.get_by_test_id("open-list").locator(".ob-title")
    expect(titles).to_have_text(["Báo cáo chuyên đề – sắp đến hạn", "Báo cáo quý – còn hạn"])
    submitted = page.locator("section", has=page.get_by_role("heading",
                                                               name="Đã nộp, chờ tiếp nhận"))
    expect(submitted).to_contain_text("Báo cáo tháng – quá hạn")
    expect(submitted).to_contain_text("muộn 4 ngày")


def test_hub2_my_work_fits_a_360px_phone(page: Page, live_server: object,
                                         e2e_world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base, "canbo_chauthanh")
    for path in ("/viec-cua-toi/", "/lich/", f"/don-vi/{e2e_world.district_a.pk}/bang-dieu-khien/"):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path}: trang rộng {width}px, tràn ngang ở màn hình 360px"
