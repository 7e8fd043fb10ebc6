"""Logins in a real browser at phone width: the lockout message, the forced password change."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import World

from .conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LOCKED = ("Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau 15 phút hoặc liên hệ "
          "quản trị.")


@pytest.fixture
def e2e_world(transactional_db: None, world: World) -> World:
    """The shared `world`, committed so that the live server's thread sees it."""
    return world


def submit_login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def assert_fits_360(page: Page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{what}: trang rộng {width}px, tràn ngang ở màn hình 360px"


def test_sec8_browser_lockout_message_on_the_login_page(
    page: Page, live_server: object, e2e_world: World
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 360, "height": 740})
    for i in range(5):
        submit_login(page, base, "bithu_tinh", f"sai-{i}")
    submit_login(page, base, "bithu_tinh", PASSWORD)

    expect(page.get_by_role("alert")).to_have_text(LOCKED)
    expect(page).to_have_url(base + "/dang-nhap/")
    assert_fits_360(page, "trang khóa đăng nhập")


def test_sec8_browser_forced_password_change_then_free(
    page: Page, live_server: object, e2e_world: World
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    user = e2e_world.outsider
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    page.set_viewport_size({"width": 360, "height": 740})

    submit_login(page, base, "nguoingoai", PASSWORD)
    expect(page).to_have_url(base + "/doi-mat-khau/")
    assert_fits_360(page, "đổi mật khẩu")
    page.goto(base + "/don-vi/")
    expect(page).to_have_url(base + "/doi-mat-khau/")
    page.locator("input[name=old_password]").fill(PASSWORD)
    page.locator("input[name=new_password1]").fill("Cay-xanh-ben-song-2026")
    page.locator("input[name=new_password2]").fill("Cay-xanh-ben-song-2026")
    page.get_by_role("button", name="Đổi mật khẩu").click()

    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("status").first).to_have_text("Đã đổi mật khẩu.")
    page.goto(base + "/don-vi/")
    expect(page).to_have_url(base + "/don-vi/")
