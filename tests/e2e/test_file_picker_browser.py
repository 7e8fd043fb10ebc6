"""The file picker in a real browser (issue 10, item 10): it says "Chọn tệp…" and "Chưa chọn
tệp", then the chosen file's name, with no "Choose File" in sight and no CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import World
from tests.members.conftest import MembersWorld
from tests.members.conftest import members_world as members_world  # the fixture, here too

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def e2e_world(transactional_db: None, members_world: MembersWorld) -> World:  # noqa: F811
    return members_world.world


def test_the_file_picker_names_the_chosen_file_in_vietnamese(
    page: Page, live_server: object, e2e_world: World
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "canbo_chauthanh")
    page.goto(base + "/doan-vien/nhap/")
    picker = page.locator(".file-picker")

    expect(picker.locator(".file-picker-button")).to_have_text("Chọn tệp…")
    expect(picker.locator(".file-picker-button")).to_be_visible()
    expect(picker.locator(".file-picker-name")).to_have_text("Chưa chọn tệp")
    expect(picker.locator("input[type=file]")).to_have_css("width", "1px")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "danh-sach.xlsx", "mimeType": "application/octet-stream",
                "buffer": b"x"}])
    expect(picker.locator(".file-picker-name")).to_have_text("danh-sach.xlsx")
