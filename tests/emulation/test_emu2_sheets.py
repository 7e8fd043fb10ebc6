"""EMU-2: the unit self-scores with evidence and submits; each department scores only the
criteria it is responsible for; bonus/penalty and adjustments carry reasons; bad input is
refused with a message naming the criterion and nothing is written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from doanvu.emulation import sheets as svc
from doanvu.emulation.models import (
    LineSource,
    RubricItem,
    ScoreLine,
    SheetEntry,
    SheetEvidence,
    SheetState,
)
from doanvu.emulation.permissions import EmulationScopeError
from doanvu.emulation.sheets import SheetError
from tests.emulation.conftest import DUE, SheetWorld, criterion


def _self(sheets: SheetWorld, code: str, raw: object, **kw: object) -> None:
    svc.score_save(actor=sheets.emu.world.district_a_cadre, sheet=sheets.sheet_a,
                   criterion=criterion(sheets.emu, code), source=LineSource.SELF, raw=raw,
                   **kw)  # type: ignore[arg-type]


def test_emu2_sheets_open_for_every_unit_of_the_group_with_the_due_date(
        sheets: SheetWorld) -> None:
    assert (sheets.sheet_a.state, sheets.sheet_a.year, sheets.sheet_a.due_on) == (
        SheetState.DRAFT, 2020, DUE)
    assert svc.sheets_open(actor=None, rubric=sheets.emu.rubric) == []  # none twice
    with pytest.raises(EmulationScopeError):
        svc.sheets_open(actor=sheets.emu.world.district_a_cadre, rubric=sheets.emu.rubric)


def test_emu2_unit_self_scores_uploads_evidence_and_submits(sheets: SheetWorld) -> None:
    _self(sheets, "1.1", "5,5")
    _self(sheets, "2.1", "3")
    with pytest.raises(SheetError) as exc:
        svc.sheet_submit(actor=sheets.emu.world.district_a_cadre, sheet=sheets.sheet_a)
    assert str(exc.value) == ("Còn thiếu minh chứng bắt buộc của: Tiêu chí 1.1 (Học tập nghị "
                              "quyết).")

    svc.evidence_add(actor=sheets.emu.world.district_a_cadre, sheet=sheets.sheet_a,
                     criterion=criterion(sheets.emu, "1.1"),
                     upload=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ke hoach"))
    sheet = svc.sheet_submit(actor=sheets.emu.world.district_a_cadre, sheet=sheets.sheet_a)

    assert sheet.state == SheetState.SUBMITTED
    assert {(ln.criterion.code, ln.raw, ln.points) for ln in
            ScoreLine.objects.filter(sheet=sheet).select_related("criterion")} == {
        ("1.1", Decimal("5.5"), Decimal("5.5")), ("2.1", Decimal("3"), Decimal("7.5"))}
    assert SheetEvidence.objects.get().original_name == "ke-hoach.pdf"


def test_emu2_evidence_outside_the_hub_limits_is_refused(sheets: SheetWorld) -> None:
    with pytest.raises(SheetError) as exc:
        svc.evidence_add(actor=sheets.emu.world.district_a_cadre, sheet=sheets.sheet_a,
                         upload=SimpleUploadedFile("virus.exe", b"MZ"))
    assert "virus.exe" in str(exc.value) and exc.value.field == "file"
    assert SheetEvidence.objects.count() == 0


@pytest.mark.parametrize(("code", "raw", "message"), [
    ("1.1", "7", "Tiêu chí 1.1 (Học tập nghị quyết): 7 điểm vượt quá điểm tối đa 6,00."),
    ("1.1", "-1", "Tiêu chí 1.1 (Học tập nghị quyết): điểm không được âm (-1)."),
    ("1.1", "abc", "Tiêu chí 1.1 (Học tập nghị quyết): “abc” không phải là một số."),
    ("1.2", "2", "Tiêu chí 1.2 (Báo cáo tư tưởng đúng hạn): Tiêu chí 1.2: chỉ nhận “có” hoặc "
                 "“không”."),
    ("2.2", "120", "Tiêu chí 2.2 (Tỷ lệ đoàn viên được tập hợp): Tiêu chí 2.2: tỷ lệ đạt 120% "
                   "vượt quá 100%."),
    ("2.1", "1.5", "Tiêu chí 2.1 (Công trình thanh niên): Tiêu chí 2.1: số lượng 1,5 phải là số "
                   "nguyên."),
])
def test_emu2_bad_scores_are_refused_naming_the_criterion(sheets: SheetWorld, code: str,
                                                          raw: str, message: str) -> None:
    with pytest.raises(SheetError) as exc:
        _self(sheets, code, raw)
    assert str(exc.value) == message
    assert ScoreLine.objects.count() == 0


def test_emu2_department_scores_only_its_own_criteria(sheets: SheetWorld) -> None:
    emu = sheets.emu
    svc.score_save(actor=sheets.tckt_scorer, sheet=sheets.sheet_a, criterion=criterion(emu, "1.1"),
                   source=LineSource.DEPARTMENT, raw="4")

    with pytest.raises(SheetError) as exc:
        svc.score_save(actor=sheets.tckt_scorer, sheet=sheets.sheet_a,
                       criterion=criterion(emu, "2.1"), source=LineSource.DEPARTMENT, raw="2")
    assert str(exc.value) == ("Tiêu chí 2.1 (Công trình thanh niên) do Văn phòng chấm: bạn "
                              "không được chấm tiêu chí này.")
    with pytest.raises(SheetError) as exc:
        svc.score_save(actor=sheets.tckt_scorer, sheet=sheets.sheet_a,
                       criterion=criterion(emu, "1.2"), source=LineSource.DEPARTMENT, raw="1")
    assert "không giao cho ban nào chấm" in str(exc.value)
    # a department's scorer does not self-score the unit, nor does the unit score for them
    with pytest.raises(EmulationScopeError):
        svc.score_save(actor=sheets.tckt_scorer, sheet=sheets.sheet_a,
                       criterion=criterion(emu, "1.1"), source=LineSource.SELF, raw="4")
    with pytest.raises(SheetError):
        svc.score_save(actor=emu.world.district_a_cadre, sheet=sheets.sheet_a,
                       criterion=criterion(emu, "1.1"), source=LineSource.DEPARTMENT, raw="6")
    # several at once: one foreign criterion refuses the whole batch
    with pytest.raises(SheetError):
        svc.scores_save(actor=sheets.office_scorer, sheet=sheets.sheet_a,
                        source=LineSource.DEPARTMENT,
                        values={criterion(emu, "2.1"): "2", criterion(emu, "1.1"): "1"})
    assert list(ScoreLine.objects.values_list("criterion__code", "source", "raw")) == [
        ("1.1", "ban_cham", Decimal("4"))]


def test_emu2_bonus_penalty_need_a_reason_and_the_issuing_unit_or_the_items_department(
        sheets: SheetWorld) -> None:
    emu = sheets.emu
    penalty = RubricItem.objects.get(rubric=emu.rubric, code="TR1")  # proposed by Văn phòng
    bonus = RubricItem.objects.get(rubric=emu.rubric, code="T1")
    with pytest.raises(SheetError) as exc:
        svc.entry_add(actor=sheets.office_scorer, sheet=sheets.sheet_a, item=penalty, count=2,
                      reason="  ")
    assert (str(exc.value), exc.value.field) == ("Hãy ghi lý do.", "reason")
    with pytest.raises(SheetError) as exc:
        svc.entry_add(actor=sheets.office_scorer, sheet=sheets.sheet_a, item=penalty, count=0,
                      reason="x")
    assert exc.value.field == "count"

    svc.entry_add(actor=sheets.office_scorer, sheet=sheets.sheet_a, item=penalty, count=2,
                  reason="Hai báo cáo trễ hạn")
    with pytest.raises(EmulationScopeError):
        svc.entry_add(actor=sheets.office_scorer, sheet=sheets.sheet_a, item=bonus, count=1,
                      reason="Không phải mục của Văn phòng")
    with pytest.raises(EmulationScopeError):
        svc.entry_add(actor=emu.world.district_a_cadre, sheet=sheets.sheet_a, item=bonus,
                      count=1, reason="Tự thưởng")
    svc.entry_add(actor=emu.world.province_secretary, sheet=sheets.sheet_a, item=bonus,
                  count=1, reason="Mô hình được biểu dương")
    assert list(SheetEntry.objects.order_by("id").values_list("item__code", "count")) == [
        ("TR1", 2), ("T1", 1)]


def test_emu2_adjustment_needs_a_reason_approval_and_stays_within_the_maximum(
        sheets: SheetWorld) -> None:
    emu = sheets.emu
    _self(sheets, "1.1", "5")
    c = criterion(emu, "1.1")
    with pytest.raises(EmulationScopeError):
        svc.adjustment_add(actor=emu.office_cadre, sheet=sheets.sheet_a, criterion=c,
                           delta="-1", reason="x")
    with pytest.raises(SheetError) as exc:
        svc.adjustment_add(actor=emu.world.province_secretary, sheet=sheets.sheet_a,
                           criterion=c, delta="-1", reason="")
    assert exc.value.field == "reason"
    with pytest.raises(SheetError) as exc:
        svc.adjustment_add(actor=emu.world.province_secretary, sheet=sheets.sheet_a,
                           criterion=c, delta="2", reason="Cộng quá")
    assert str(exc.value) == ("Tiêu chí 1.1 (Học tập nghị quyết): Tiêu chí 1.1: điều chỉnh 2,00 "
                              "đưa điểm ra ngoài khoảng 0 – 6,00.")
    assert not ScoreLine.objects.filter(source=LineSource.ADJUSTMENT).exists()

    svc.adjustment_add(actor=emu.world.province_secretary, sheet=sheets.sheet_a, criterion=c,
                       delta="-1,5", reason="Nghị quyết chưa học tập ở 2 chi đoàn")
    sheets.sheet_a.refresh_from_db()
    assert sheets.sheet_a.state == SheetState.INSPECTED
    assert ScoreLine.objects.get(source=LineSource.ADJUSTMENT).points == Decimal("-1.5")


def test_emu2_the_issuing_unit_evaluates_and_does_not_write_the_units_self_score(
        sheets: SheetWorld) -> None:
    secretary = sheets.emu.world.province_secretary  # WRITE over the district, as its parent
    with pytest.raises(EmulationScopeError):
        svc.score_save(actor=secretary, sheet=sheets.sheet_a,
                       criterion=criterion(sheets.emu, "1.1"), source=LineSource.SELF, raw="6")
    with pytest.raises(EmulationScopeError):
        svc.evidence_add(actor=secretary, sheet=sheets.sheet_a,
                         upload=SimpleUploadedFile("a.pdf", b"%PDF"))
    with pytest.raises(EmulationScopeError):
        svc.sheet_submit(actor=secretary, sheet=sheets.sheet_a)
    # another district's cadre neither
    with pytest.raises(EmulationScopeError):
        svc.score_save(actor=sheets.emu.world.district_b_cadre, sheet=sheets.sheet_a,
                       criterion=criterion(sheets.emu, "1.1"), source=LineSource.SELF, raw="6")
    assert not ScoreLine.objects.exists() and not SheetEvidence.objects.exists()
