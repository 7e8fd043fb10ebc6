"""The second factor in a real browser at phone width (issue 16): an administrator logs in, is
sent to set up the authenticator app, reads the secret off the page, confirms with a code
computed here, sees the recovery codes once, and in a new session enters a code."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.test_x3_totp_second_factor import totp
from tests.conftest import World

from .test_logins_browser import assert_fits_360, submit_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def e2e_world(transactional_db: None, world: World, settings: object) -> World:
    settings.OTP_REQUIRED = True  # type: ignore[attr-defined]
    return world


def test_x3_totp_browser_setup_then_code_at_next_login(
    page: Page, live_server: object, e2e_world: World
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 360, "height": 740})
    submit_login(page, base, "canbo_chauthanh", "matkhau123")
    expect(page).to_have_url(re.compile(re.escape(base + "/xac-thuc-hai-buoc/thiet-lap/")))
    expect(page.locator(".otp-qr svg")).to_be_visible()
    assert_fits_360(page, "trang thiết lập xác thực hai bước")
    secret = page.locator("#otp-secret").inner_text()

    page.locator("input[name=code]").fill("000000")
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page.get_by_text("Mã xác thực không đúng hoặc đã hết hạn")).to_be_visible()
    time.sleep(1.2)  # the throttle's pause after one wrong code
    page.locator("input[name=code]").fill(totp(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page).to_have_url(re.compile(re.escape(base + "/xac-thuc-hai-buoc/ma-du-phong/")))
    expect(page.locator(".otp-codes li")).to_have_count(10)
    assert_fits_360(page, "trang mã dự phòng")
    page.get_by_role("link", name="Đã lưu, tiếp tục").click()
    expect(page).to_have_url(base + "/")

    page.context.clear_cookies()  # a new session (the header's logout is in the menu at 360 px)
    submit_login(page, base, "canbo_chauthanh", "matkhau123")
    expect(page).to_have_url(re.compile(re.escape(base + "/xac-thuc-hai-buoc/nhap-ma/")))
    assert_fits_360(page, "trang nhập mã")
    page.locator("input[name=code]").fill(totp(secret, at=time.time() + 30))
    page.get_by_role("button", name="Xác thực").click()
    expect(page).to_have_url(base + "/")
