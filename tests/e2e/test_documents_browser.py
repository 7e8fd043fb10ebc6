"""Issue 10 item 13 in a real browser: the province picks a district from the tree as a
recipient, issues the plan, and the district finds it under "Văn bản đến", unread, then opened;
the province sees who opened it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import World

from .conftest import log_in

# live_server needs committed data: see test_browser.py.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def e2e_world(transactional_db: None, world: World) -> World:
    return world


def test_i10_district_receives_the_plan_the_province_addressed_to_it(
    page: Page, live_server: object, e2e_world: World
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "bithu_tinh")
    page.goto(f"{base}/van-ban/soan/?don_vi={e2e_world.province.pk}")
    page.get_by_label("Trích yếu (tên văn bản)").fill("Kế hoạch đi cơ sở quý III")
    page.get_by_label("Chức vụ người ký").fill("BÍ THƯ")
    page.get_by_label("Họ tên người ký").fill("Hoàng Thị Thanh Thúy")
    page.get_by_test_id("recipient-search").fill("chau thanh")
    page.get_by_test_id(f"recipient-add-{e2e_world.district_a.pk}").click()
    chosen = page.locator("#recipient-chosen")
    expect(chosen).to_contain_text("Huyện đoàn Châu Thành")
    page.get_by_label("Nơi nhận khác (ghi trên văn bản)").fill("- Lưu VP.")
    page.get_by_role("button", name="Lưu bản nháp").click()

    paper = page.locator(".doc-foot-left")
    expect(paper).to_contain_text("- Huyện đoàn Châu Thành;")
    page.get_by_role("button", name="Ban hành", exact=True).click()
    expect(page.get_by_test_id("document-symbol")).to_have_text("1-KH/TĐTN")
    expect(page.get_by_test_id("doc-receipts")).to_contain_text("Chưa mở")
    document_url = page.url

    page.context.clear_cookies()
    log_in(page, base, "canbo_chauthanh")
    page.goto(base + "/van-ban/")
    expect(page.get_by_test_id("incoming-unread")).to_have_text("1 chưa mở")
    page.get_by_test_id("incoming-tab").click()
    row = page.get_by_test_id("incoming-list").locator("tbody tr").first
    expect(row).to_contain_text("Chưa mở")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("document-title")).to_contain_text("Kế hoạch đi cơ sở quý III")
    page.goto(base + "/van-ban/den/")
    expect(page.get_by_test_id("incoming-list").locator("tbody tr").first).to_contain_text(
        "canbo_chauthanh")

    page.context.clear_cookies()
    log_in(page, base, "bithu_tinh")
    page.goto(document_url)
    expect(page.get_by_test_id("doc-receipts")).to_contain_text("1/1 đơn vị nhận đã mở.")
