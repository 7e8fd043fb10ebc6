"""EMU-10: the unit sees, for each point of its result, where it came from — criterion, whose
score (self, department, imported, adjustment), who, when, the reason — adding up exactly."""

from __future__ import annotations

import io
from decimal import Decimal

from doanvu.emulation import scoring
from doanvu.emulation import sheets as svc
from doanvu.emulation.models import LineSource, RubricItem
from tests.emulation.conftest import SheetWorld, criterion
from tests.emulation.test_emu8_components import workbook


def test_emu10_every_point_names_its_origin_who_and_why(sheets: SheetWorld) -> None:
    emu, sheet = sheets.emu, sheets.sheet_a
    unit_cadre = emu.world.district_a_cadre
    svc.scores_save(actor=unit_cadre, sheet=sheet, source=LineSource.SELF, values={
        criterion(emu, "1.1"): "6", criterion(emu, "1.2"): "1", criterion(emu, "2.1"): "4",
        criterion(emu, "2.2"): "90"}, evidence={criterion(emu, "1.1"): "Báo cáo số 12"})
    svc.sheet_submit(actor=unit_cadre, sheet=sheet)
    svc.score_save(actor=sheets.tckt_scorer, sheet=sheet, criterion=criterion(emu, "1.1"),
                   source=LineSource.DEPARTMENT, raw="5")
    svc.component_import(actor=emu.world.province_secretary, rubric=emu.rubric,
                         upload=io.BytesIO(workbook([[sheet.unit.name, "2.2", 80, "Hội LHTN"]])),
                         name="hoi.xlsx", title="Đánh giá của Hội LHTN")
    svc.adjustment_add(actor=emu.world.province_secretary, sheet=sheet,
                       criterion=criterion(emu, "2.1"), delta="-2",
                       reason="Công trình thứ tư chưa nghiệm thu")
    svc.entry_add(actor=emu.world.province_secretary, sheet=sheet,
                  item=RubricItem.objects.get(rubric=emu.rubric, code="T1"), count=1,
                  reason="Mô hình được Trung ương biểu dương")

    result = scoring.sheet_result(sheet)

    rows = [(o.source, o.code, o.points, o.by, o.reason) for o in result.origins]
    assert rows == [
        ("ban_cham", "1.1", Decimal("5.00"), "chamdiem_tckt", ""),
        ("tu_cham", "1.2", Decimal("4"), "canbo_chauthanh", ""),
        ("tu_cham", "2.1", Decimal("10.00"), "canbo_chauthanh", ""),
        ("dieu_chinh", "2.1", Decimal("-2.00"), "bithu_tinh",
         "Công trình thứ tư chưa nghiệm thu"),
        ("nhap_tu_tep", "2.2", Decimal("6.40"), "bithu_tinh",
         "Kết quả thành phần: Đánh giá của Hội LHTN"),
        ("thuong", "T1", Decimal("1.00"), "bithu_tinh", "Mô hình được Trung ương biểu dương"),
    ]
    assert sum(o.points for o in result.origins) == result.total == Decimal("24.40")


def test_emu10_the_sheet_page_shows_each_origin(sheets: SheetWorld) -> None:
    from django.urls import reverse

    from tests.conftest import login

    emu, sheet = sheets.emu, sheets.sheet_a
    svc.score_save(actor=emu.world.district_a_cadre, sheet=sheet,
                   criterion=criterion(emu, "1.2"), source=LineSource.SELF, raw="1")
    svc.score_save(actor=sheets.tckt_scorer, sheet=sheet, criterion=criterion(emu, "1.1"),
                   source=LineSource.DEPARTMENT, raw="5.5")

    page = login(emu.world.district_a_cadre).get(
        reverse("emulation:sheet_detail", args=[sheet.pk])).content.decode()

    assert "Ban phụ trách chấm" in page and "chamdiem_tckt" in page
    assert "Đơn vị tự chấm" in page and "canbo_chauthanh" in page
    assert "9,5" in page  # 5.5 + 4
