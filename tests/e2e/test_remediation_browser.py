"""REM-1/REM-2 in a real browser at 360 px: the province's office follows one of seed 004's
shortcomings (number 7: two districts without a start-up fund) from the register to closed —
closing without evidence is refused, evidence is added through the house file picker, the
shortcoming is closed with a note — and sees it closed in the register; the REM-4 reports page
holds at the same width."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from doanvu.org import services as org_services
from doanvu.org.models import Department, DepartmentCategory
from doanvu.remediation.demo import load_demo_remediation
from doanvu.remediation.models import Shortcoming
from tests.conftest import grant, kind, make_user

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
D0 = dt.date(2000, 1, 1)


@pytest.fixture
def tay_ninh(transactional_db: None) -> int:
    mk = org_services.unit_create
    centre = mk(actor=None, parent=None, name="Trung ương Đoàn", kind=kind("trung_uong"),
                founded_on=D0)
    province = mk(actor=None, parent=centre, name="Tỉnh đoàn Tây Ninh", kind=kind("tinh"),
                  founded_on=D0, short_name="TĐTN", place="Tây Ninh")
    for name, short, category in (("Văn phòng", "VP", DepartmentCategory.OFFICE),
                                  ("Ban Tổ chức – Kiểm tra", "TCKT", DepartmentCategory.DEPARTMENT),
                                  ("Ban Phong trào", "BPT", DepartmentCategory.DEPARTMENT)):
        Department.objects.create(unit=province, name=name, short_name=short, category=category)
    grant(make_user("tn_vanphong"), "quan_tri_don_vi", province)
    load_demo_remediation()
    return province.pk


def test_rem_a_seed_004_shortcoming_goes_from_the_register_to_closed(
        page: Page, live_server: object, tay_ninh: int) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base, "tn_vanphong")
    page.goto(f"{base}/khac-phuc/don-vi/{tay_ninh}/?nam=2019")
    expect(page.get_by_test_id("rem-count")).to_contain_text(
        "5 khuyết điểm phát sinh mới + 3 khuyết điểm năm trước chưa khắc phục xong − 1 khuyết "
        "điểm trùng = 7 khuyết điểm")
    count = page.get_by_test_id("rem-count")
    expect(count).to_contain_text("Còn 6 khuyết điểm chưa khắc phục xong")

    page.get_by_role("link", name="Khuyết điểm 7", exact=True).click()
    expect(page.get_by_test_id("rem-status")).to_have_text("Chưa khắc phục xong")
    page.get_by_role("button", name="Ghi nhận đã khắc phục xong").click()
    expect(page.locator("body")).to_contain_text("chưa có minh chứng nào")
    expect(page.get_by_test_id("rem-status")).to_have_text("Chưa khắc phục xong")

    page.get_by_label("Tên minh chứng").fill("Quyết định thành lập nguồn vốn khởi nghiệp")
    page.locator("input[type=file]").set_input_files(files=[{
        "name": "quyet-dinh.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 test"}])
    page.get_by_role("button", name="Thêm minh chứng").click()
    expect(page.get_by_test_id("rem-evidence")).to_contain_text(
        "Quyết định thành lập nguồn vốn khởi nghiệp")
    page.get_by_label("Đánh giá kết quả khắc phục").fill(
        "Trảng Bàng và Thành phố đã có nguồn vốn khởi nghiệp cấp huyện.")
    page.get_by_role("button", name="Ghi nhận đã khắc phục xong").click()
    closed = dt.date.today().strftime("%d/%m/%Y")
    expect(page.get_by_test_id("rem-status")).to_have_text(f"Đã khắc phục xong ngày {closed}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("link", name="Khuyết điểm năm 2019").click()
    expect(count).to_contain_text("Còn 5 khuyết điểm chưa khắc phục xong")
    item = page.get_by_test_id("rem-area").locator("li", has_text="Còn 02 đơn vị")
    expect(item).to_contain_text(f"đã khắc phục xong ngày {closed}")
    assert Shortcoming.objects.get(review_year=2019, number=7).closed_on == dt.date.today()

    page.goto(f"{base}/khac-phuc/don-vi/{tay_ninh}/bao-cao/?nam=2020")
    expect(page.get_by_test_id("rem-dues")).to_contain_text("Ban Phong trào")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
