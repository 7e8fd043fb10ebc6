"""EMU-2/EMU-8: component results from the Office (.xlsx, one row per unit per criterion) load
all or nothing, every problem naming its row and column, as one bulk audit step."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from doanvu.audit.models import AuditBulkRow, AuditRecord
from doanvu.emulation import sheets as svc
from doanvu.emulation.components import ComponentImportError
from doanvu.emulation.models import ComponentImport, LineSource, ScoreLine
from doanvu.emulation.permissions import EmulationScopeError
from tests.emulation.conftest import SheetWorld


def workbook(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header or ["Đơn vị", "Mã tiêu chí", "Giá trị", "Ghi chú"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _load(sheets: SheetWorld, data: bytes, actor: object = None) -> ComponentImport:
    return svc.component_import(actor=actor or sheets.emu.world.province_secretary,
                                rubric=sheets.emu.rubric, upload=io.BytesIO(data),
                                name="truong_hoc.xlsx",
                                title="Kết quả khu vực Trường học năm học 2019 – 2020")


def test_emu8_component_file_loads_imported_scores_with_one_bulk_audit_step(
        sheets: SheetWorld) -> None:
    a, b = sheets.sheet_a.unit.name, sheets.sheet_b.unit.name
    before = AuditRecord.objects.count()

    imp = _load(sheets, workbook([[a, "2.2", 75, "Nhà Thiếu nhi"], [b, "2.2", "50"],
                                  [a.upper(), "1.2", 1]]))

    lines = {(ln.sheet_id, ln.criterion.code): (ln.raw, ln.points) for ln in
             ScoreLine.objects.filter(source=LineSource.IMPORTED).select_related("criterion")}
    assert lines == {(sheets.sheet_a.pk, "2.2"): (Decimal("75"), Decimal("6")),
                     (sheets.sheet_b.pk, "2.2"): (Decimal("50"), Decimal("4")),
                     (sheets.sheet_a.pk, "1.2"): (Decimal("1"), Decimal("4"))}
    assert imp.rows == 3
    bulk = AuditRecord.objects.filter(action="bulk").latest("id")
    assert AuditBulkRow.objects.filter(record_id=bulk.pk).count() == 3
    assert "Trường học" in bulk.reason
    # the ComponentImport row itself is audited too: two records in all
    assert AuditRecord.objects.count() == before + 2

    _load(sheets, workbook([[a, "2.2", 80]]))  # a second file replaces the imported score
    assert ScoreLine.objects.get(sheet=sheets.sheet_a, source=LineSource.IMPORTED,
                                 criterion__code="2.2").points == Decimal("6.40")
    changed = AuditBulkRow.objects.filter(
        record_id=AuditRecord.objects.filter(action="bulk").latest("id").pk).get()
    assert (changed.before["raw"], changed.after["raw"]) == ("75.00", "80")
    out = io.StringIO()
    call_command("audit_verify", stdout=out)  # the bulk steps hold up in the chain
    assert "toàn vẹn" in out.getvalue()


def test_emu8_a_bad_file_writes_nothing_and_names_every_row_and_column(
        sheets: SheetWorld) -> None:
    a = sheets.sheet_a.unit.name
    data = workbook([
        [a, "2.2", 75],
        ["Quận Không Có", "2.2", 10],
        [a, "9.9", 1],
        [a, "1.1", 7],
        [a, "1.1", -1],
        [a, "2.2", "nhiều"],
        [a, "2.2", 40],
    ])

    with pytest.raises(ComponentImportError) as exc:
        _load(sheets, data)

    assert exc.value.problems == [
        "Dòng 3, cột A (Đơn vị): “Quận Không Có” không có phiếu chấm điểm của thang điểm này.",
        "Dòng 4, cột B (Mã tiêu chí): không có tiêu chí “9.9” trong thang điểm.",
        "Dòng 5, cột C (Giá trị): Tiêu chí 1.1 (Học tập nghị quyết): 7 điểm vượt quá điểm "
        "tối đa 6,00.",
        "Dòng 6, cột C (Giá trị): Tiêu chí 1.1 (Học tập nghị quyết): điểm không được âm (-1).",
        "Dòng 6, cột B (Mã tiêu chí): đơn vị và tiêu chí này đã có ở dòng 5.",
        "Dòng 7, cột C (Giá trị): “nhiều” không phải là một số.",
        "Dòng 7, cột B (Mã tiêu chí): đơn vị và tiêu chí này đã có ở dòng 2.",
        "Dòng 8, cột B (Mã tiêu chí): đơn vị và tiêu chí này đã có ở dòng 2.",
    ]
    assert ScoreLine.objects.count() == 0
    assert ComponentImport.objects.count() == 0


def test_emu8_component_file_refuses_missing_columns_junk_and_outsiders(
        sheets: SheetWorld) -> None:
    with pytest.raises(ComponentImportError) as exc:
        _load(sheets, workbook([["x", "1"]], header=["Đơn vị", "Điểm"]))
    assert exc.value.problems == ["Dòng 1: thiếu cột “Mã tiêu chí”, “Giá trị”."]

    with pytest.raises(ComponentImportError) as exc:
        _load(sheets, b"not a workbook")
    assert exc.value.problems == ["Không đọc được tệp: hãy chọn một tệp .xlsx."]

    with pytest.raises(EmulationScopeError):
        _load(sheets, workbook([[sheets.sheet_a.unit.name, "2.2", 1]]),
              actor=sheets.emu.world.district_a_cadre)
    assert ScoreLine.objects.count() == 0
