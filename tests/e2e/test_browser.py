"""What a person sees in a real browser: log in, search, the tree, the unit page, a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import World

from .conftest import Traffic, log_in

# live_server needs committed data, so each test runs in a TransactionTestCase; the
# reference data loaded by migrations (unit kinds, role types) is flushed after such a test,
# so serialized_rollback puts it back before the next one.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def e2e_world(transactional_db: None, world: World) -> World:
    """The shared `world`, committed so that the live server's thread sees it."""
    return world


def test_login_form_lands_on_home(page: Page, live_server: object, e2e_world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(base + "/")
    expect(page).to_have_url(base + "/dang-nhap/?next=/")
    log_in(page, base, "bithu_tinh")
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("link", name="Tỉnh đoàn Tây Ninh").first).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_search_without_accents_then_open_unit(
    page: Page, live_server: object, e2e_world: World
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "bithu_tinh")
    page.goto(base + "/don-vi/")
    page.get_by_test_id("tree-search").press_sequentially("chau thanh", delay=20)
    hit = page.locator("#search-results").get_by_role("link", name="Huyện đoàn Châu Thành")
    expect(hit).to_be_visible()
    expect(page).to_have_url(base + "/don-vi/")  # htmx swapped the results in place
    hit.click()
    expect(page).to_have_url(f"{base}/don-vi/{e2e_world.district_a.pk}/")
    expect(page.get_by_test_id("unit-name")).to_have_text("Huyện đoàn Châu Thành")
    expect(
        page.get_by_role("heading", name="Ban Chấp hành, Ban Thường vụ, Thường trực")
    ).to_be_visible()
    children = page.locator("section", has=page.get_by_role("heading", name="Đơn vị trực thuộc"))
    expect(children.get_by_role("link", name="Đoàn xã Thái Bình")).to_be_visible()
    expect(children.get_by_role("link", name="Đoàn xã Hảo Đước")).to_be_visible()
    expect(children.get_by_role("link", name="Đoàn xã Tân Lập")).to_have_count(0)


def test_tree_node_expands_with_children(page: Page, live_server: object, e2e_world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "bithu_tinh")
    page.goto(base + "/don-vi/")
    tree = page.locator(".tree")
    node = tree.locator("details", has=page.locator("summary", has_text="Tỉnh đoàn Tây Ninh")).first
    expect(node).to_be_visible()
    expect(tree.get_by_role("link", name="Huyện đoàn Châu Thành")).to_have_count(0)
    summary = node.locator("> summary")
    # Click the disclosure triangle, left of the link, as a person opening the node would.
    summary.click(position={"x": 4, "y": 8})
    expect(node).to_have_attribute("open", "")
    expect(tree.get_by_role("link", name="Huyện đoàn Châu Thành")).to_be_visible()
    expect(tree.get_by_role("link", name="Huyện đoàn Tân Biên")).to_be_visible()
    expect(page).to_have_url(base + "/don-vi/")


def test_unit_page_fits_a_360px_phone(page: Page, live_server: object, e2e_world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base, "bithu_tinh")
    for unit in (e2e_world.province, e2e_world.district_a):
        page.goto(f"{base}/don-vi/{unit.pk}/")
        expect(page.get_by_test_id("unit-name")).to_have_text(unit.name)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{unit.name}: trang rộng {width}px, tràn ngang ở màn hình 360px"
    page.goto(base + "/don-vi/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"cây tổ chức: trang rộng {width}px, tràn ngang ở màn hình 360px"


def test_outsider_sees_no_tay_ninh_unit(page: Page, live_server: object, e2e_world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "nguoingoai")
    expect(page.get_by_role("heading", name="Xin chào, nguoingoai")).to_be_visible()
    expect(page.get_by_text("Tây Ninh")).to_have_count(0)
    page.goto(base + "/don-vi/")
    expect(page.get_by_role("heading", name="Cây tổ chức")).to_be_visible()
    expect(page.locator(".tree").get_by_role("link")).to_have_count(0)
    page.get_by_test_id("tree-search").press_sequentially("tay ninh", delay=20)
    expect(page.locator("#search-results")).to_contain_text("Không tìm thấy đơn vị nào")
    expect(page.get_by_text("Tây Ninh")).to_have_count(0)
    response = page.goto(f"{base}/don-vi/{e2e_world.province.pk}/")
    assert response is not None and response.status in (403, 404)
    expect(page.get_by_test_id("unit-name")).to_have_count(0)


def test_no_request_leaves_the_live_server(
    page: Page, live_server: object, traffic: Traffic, e2e_world: World
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    assert base.startswith("http://127.0.0.1:")
    log_in(page, base, "bithu_tinh")
    page.goto(base + "/don-vi/")
    page.get_by_test_id("tree-search").press_sequentially("tan bien", delay=20)
    expect(
        page.locator("#search-results").get_by_role("link", name="Huyện đoàn Tân Biên")
    ).to_be_visible()
    page.goto(f"{base}/don-vi/{e2e_world.province.pk}/")
    page.mouse.wheel(0, 5000)  # scroll down: the change log panel loads when revealed
    expect(page.locator("section.wide")).not_to_contain_text("Đang tải…")
    page.wait_for_load_state("networkidle")
    assert any(u.startswith(base + "/static/") for u in traffic.urls), traffic.urls
    assert any("/nhat-ky/" in u for u in traffic.urls), traffic.urls
    foreign = traffic.foreign()
    assert not foreign, f"yêu cầu ra ngoài {base}: {foreign}"
