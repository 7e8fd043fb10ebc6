"""MEM-13 in a real browser: a small .xlsx with 3 bad rows shows the three reasons; the fixed
file is imported; a member is found by typing the name without accents."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import World
from tests.members.conftest import MembersWorld
from tests.members.conftest import members_world as members_world  # the fixture, here too
from tests.members.test_import_mem13 import good_rows, xlsx

from .conftest import log_in

# live_server needs committed data: see test_browser.py.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def e2e_world(
    transactional_db: None,
    members_world: MembersWorld,  # noqa: F811 - the fixture imported above
    settings: object,
    tmp_path: object,
) -> World:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    return members_world.world


def upload(page: Page, base: str, content: bytes) -> None:
    page.goto(base + "/doan-vien/nhap/")
    page.get_by_test_id("pick-unit").fill("thai binh")
    page.get_by_label("Đoàn xã Thái Bình").check()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "danh-sach.xlsx", "mimeType": XLSX_MIME, "buffer": content}]
    )
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("heading", name="Ghép cột của tệp danh-sach.xlsx")).to_be_visible()
    page.get_by_role("button", name="Kiểm tra thử").click()


def test_mem13_browser_three_bad_rows_then_fixed_import_and_search(
    page: Page, live_server: object, e2e_world: World
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "canbo_chauthanh")
    rows = good_rows(5)
    rows[0][1] = "Nguyễn Thị Thùy Dương"
    bad = [r[:] for r in rows]
    bad[1][2] = "31/02/2003"
    bad[2][4] = "0723030000"
    bad[3][6] = "Chi đoàn ấp Không Có"
    upload(page, base, xlsx(bad))

    errors = page.get_by_test_id("import-error")
    expect(errors).to_have_count(3)
    expect(errors.nth(0)).to_contain_text("4")
    expect(errors.nth(0)).to_contain_text(
        "Ngày “31/02/2003” không tồn tại: tháng 2/2003 chỉ có 28 ngày.")
    expect(errors.nth(1)).to_contain_text("số CCCD phải có 12 chữ số (đang có 10)")
    expect(errors.nth(2)).to_contain_text("Không có chi đoàn “Chi đoàn ấp Không Có”")
    expect(page.get_by_test_id("dry-run-counts")).to_contain_text("Sẽ thêm 2")

    upload(page, base, xlsx(rows))
    expect(page.get_by_test_id("import-error")).to_have_count(0)
    expect(page.get_by_test_id("dry-run-counts")).to_contain_text("Sẽ thêm 5")
    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("import-counts")).to_have_text("5 thêm, 0 cập nhật, 0 không đổi.")

    # htmx is loaded with `defer`: on a busy machine the first input event can come before it
    # has bound the search box, so wait for the page to load, and submit with Enter as a user
    # would (the form works without htmx too).
    page.wait_for_load_state("load")
    search = page.get_by_test_id("member-search")
    search.fill("nguyen thi thuy duong")
    search.press("Enter")
    results = page.get_by_test_id("member-row")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Nguyễn Thị Thùy Dương")
    expect(results.first).to_contain_text("Chi đoàn ấp Bình Phong")
