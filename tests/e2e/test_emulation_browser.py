"""Issue 12 in a real browser: one HCMC unit from its self-score to its published rank.

Quận đoàn 1 self-scores with evidence notes and submits; Ban Tổ chức scores its criterion from
its worklist; the Standing adjusts after the inspection and makes the sheet final; the ranking
is computed from the stored sheets and published; Quận đoàn 1 reads its rank and tier with
the origin of every point. Quận đoàn 3, the other unit of the group, is taken to its final
sheet through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from doanvu.emulation import services
from doanvu.emulation import sheets as sheet_services
from doanvu.emulation.models import Criterion, LineSource, Rubric, ScoreSheet
from doanvu.org import services as org_services
from doanvu.org.models import Department, DepartmentCategory
from tests.conftest import grant, kind, make_user
from tests.emulation.conftest import build_rubric

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
D0 = dt.date(2000, 1, 1)


@dataclass
class Hcm:
    rubric: Rubric
    sheet_q1: ScoreSheet
    sheet_q3: ScoreSheet


@pytest.fixture
def hcm(transactional_db: None) -> Hcm:
    mk = org_services.unit_create
    centre = mk(actor=None, parent=None, name="Trung ương Đoàn", kind=kind("trung_uong"),
                founded_on=D0)
    city = mk(actor=None, parent=centre, name="Thành đoàn TP. Hồ Chí Minh", kind=kind("tinh"),
              founded_on=D0, short_name="TĐ", place="TP. Hồ Chí Minh")
    q1 = mk(actor=None, parent=city, name="Quận đoàn 1", kind=kind("huyen"), founded_on=D0)
    q3 = mk(actor=None, parent=city, name="Quận đoàn 3", kind=kind("huyen"), founded_on=D0)
    btc = Department.objects.create(unit=city, name="Ban Tổ chức", short_name="BTC",
                                    category=DepartmentCategory.DEPARTMENT)
    office = Department.objects.create(unit=city, name="Văn phòng", short_name="VP",
                                       category=DepartmentCategory.OFFICE)
    grant(make_user("hcm_quan1"), "quan_tri_don_vi", q1)
    grant(make_user("hcm_bantochuc"), "can_bo_cham_diem", city, department=btc)
    grant(make_user("hcm_bithu"), "bi_thu", city)
    group = services.sector_group_create(actor=None, issuing_unit=city,
                                         name="Khu vực Quận – Huyện")
    services.sector_group_assign(actor=None, group=group, units=[q1, q3], year=2020)
    rubric = build_rubric(SimpleNamespace(province=city, tckt=btc), group,  # type: ignore[arg-type]
                          office=office)
    services.rubric_freeze(actor=None, rubric=rubric)
    rubric.refresh_from_db()
    made = {s.unit_id: s for s in sheet_services.sheets_open(
        actor=None, rubric=rubric, due_on=dt.date.today() + dt.timedelta(days=20))}
    # Quận đoàn 3 all the way through the services
    q3_sheet = made[q3.pk]
    codes = {c.code: c for c in Criterion.objects.filter(area__rubric=rubric)}
    sheet_services.scores_save(actor=None, sheet=q3_sheet, source=LineSource.SELF, values={
        codes["1.1"]: "3", codes["1.2"]: "0", codes["2.1"]: "2", codes["2.2"]: "50"},
        evidence={codes["1.1"]: "Kế hoạch học tập nghị quyết"})
    sheet_services.sheet_submit(actor=None, sheet=q3_sheet)
    sheet_services.sheet_finalise(actor=None, sheet=q3_sheet)
    return Hcm(rubric, made[q1.pk], q3_sheet)


def _as(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, base, username)


def _score(page: Page, code: str, value: str, note: str | None = None) -> None:
    box = page.get_by_test_id(f"score-{code}")
    box.get_by_label("Điểm / giá trị").fill(value)
    if note is not None:
        box.get_by_label("Minh chứng (ghi chú)").fill(note)


def test_emu_one_hcmc_unit_from_self_score_to_published_rank(page: Page, live_server: object,
                                                              hcm: Hcm) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    sheet_url = f"{base}/thi-dua/phieu/{hcm.sheet_q1.pk}/"

    # 1. Quận đoàn 1 scores itself, with the evidence the rubric asks for, and submits
    _as(page, base, "hcm_quan1")
    page.goto(sheet_url)
    page.get_by_test_id("self-score").click()
    _score(page, "1.1", "5", "Kế hoạch 12-KH/QĐ1, báo cáo kết quả học tập nghị quyết")
    _score(page, "1.2", "1")
    _score(page, "2.1", "4")
    _score(page, "2.2", "90")
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page).to_have_url(sheet_url)
    page.get_by_test_id("sheet-submit").click()
    expect(page.locator(".badge.emu-sheet-da_nop").first).to_be_visible()

    # 2. Ban Tổ chức scores its criterion from its worklist
    _as(page, base, "hcm_bantochuc")
    page.goto(base + "/thi-dua/cham-diem/")
    page.get_by_role("link", name="Ban Tổ chức").click()
    page.locator("section, article, li, div", has=page.get_by_role(
        "link", name="Quận đoàn 1")).get_by_role("link", name="Chấm điểm").first.click()
    _score(page, "1.1", "4")
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.locator("body")).to_contain_text("Đã lưu điểm của Ban Tổ chức.")
    expect(page.locator("body")).to_contain_text("đã chấm 1/1")

    # 3. the Standing adjusts after the inspection, makes the sheet final, ranks and publishes
    _as(page, base, "hcm_bithu")
    page.goto(sheet_url)
    page.get_by_role("link", name="Điều chỉnh sau kiểm tra").click()
    page.get_by_label("Tiêu chí").select_option(label="2.2. Tỷ lệ đoàn viên được tập hợp")
    page.get_by_label("Điểm điều chỉnh (âm là giảm, ví dụ -1,5)").fill("-1")
    page.get_by_label("Lý do (kết luận của đoàn kiểm tra)").fill(
        "Kết luận đoàn kiểm tra số 1: tỷ lệ tập hợp chưa có số liệu đối chiếu")
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page).to_have_url(sheet_url)
    page.get_by_role("button", name="Chốt phiếu (chính thức, khóa)").click()
    expect(page.locator(".badge.emu-sheet-chinh_thuc").first).to_be_visible()
    page.goto(f"{base}/thi-dua/thang-diem/{hcm.rubric.pk}/xep-hang/")
    page.get_by_test_id("ranking-compute").click()
    page.get_by_test_id("snapshot-publish").click()
    expect(page.locator("body")).to_contain_text("Quận đoàn 1")

    # 4. Quận đoàn 1 reads its published rank and tier, and where each point came from:
    # 1.1 Ban Tổ chức's 4 (over its own 5), 1.2 yes = 4, 2.1 4 × 2,5 = 10, 2.2 90 % of 8 = 7,2
    # less the inspection's 1 — 24,2: Hoàn thành tốt nhiệm vụ (22 ≤ 24,2 < 27), first of two
    _as(page, base, "hcm_quan1")
    page.goto(sheet_url)
    line = page.get_by_test_id("own-ranking-line")
    expect(line).to_contain_text("Hạng 1 · Hoàn thành tốt nhiệm vụ · 24,2")
    expect(page.locator("body")).to_contain_text("Kết luận đoàn kiểm tra số 1")
    line.get_by_role("link", name="Kết quả thi đua của đơn vị, thông báo và khiếu nại").click()
    results = page.locator("main")
    expect(results).to_contain_text("Hoàn thành tốt nhiệm vụ")
    expect(results).to_contain_text("24,2 (tiêu chí 24,2, thưởng 0, trừ 0)")
    expect(results).not_to_contain_text("Quận đoàn 3")  # another unit's line is not shown
