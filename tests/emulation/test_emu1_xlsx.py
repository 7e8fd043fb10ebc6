"""EMU-1: a rubric exported as .xlsx and imported back, exactly; a bad file refused whole, each
problem naming sheet, row and column."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from doanvu.emulation import services
from doanvu.emulation.exporters import rubric_workbook
from doanvu.emulation.importers import RubricImportError, rubric_import
from doanvu.emulation.models import Criterion, Rubric
from doanvu.emulation.permissions import EmulationScopeError
from doanvu.emulation.services import RubricFrozenError, rubric_spec
from tests.emulation.conftest import EmuWorld


def _cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    out = {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    book.close()
    return out


def _empty_draft(emu: EmuWorld, year: int = 2021) -> Rubric:
    return services.rubric_create(actor=None, issuing_unit=emu.world.province, year=year,
                                  group=emu.group, name="Bản nháp")


def _edited(data: bytes, sheet: str, cell: str, value: object) -> io.BytesIO:
    book = load_workbook(io.BytesIO(data))
    book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_emu1_export_has_the_sheets_a_cadre_reads(emu: EmuWorld) -> None:
    cells = _cells(rubric_workbook(emu.rubric))

    assert list(cells) == ["Chung", "Tiêu chí", "Thưởng, trừ", "Xếp loại", "Loại trừ",
                           "Xét bằng điểm"]
    assert cells["Tiêu chí"][0] == (
        "Mã lĩnh vực", "Lĩnh vực", "Điểm tối đa lĩnh vực", "Mã tiêu chí", "Tiêu chí",
        "Điểm tối đa", "Cách chấm", "Điểm mỗi lần", "Ban phụ trách chấm",
        "Bắt buộc minh chứng", "Minh chứng cần có")
    assert cells["Tiêu chí"][3][:10] == (
        "II", "Xây dựng tổ chức Đoàn", 20, "2.1", "Công trình thanh niên", 12,
        "Số lần × điểm mỗi lần, không quá điểm tối đa", 2.5, "Văn phòng", "Không")
    assert cells["Tiêu chí"][1][8:] == ("Ban Tổ chức – Kiểm tra", "Có", "Kế hoạch, báo cáo")
    assert cells["Thưởng, trừ"][1:] == [
        ("Điểm thưởng", "T1", "Mô hình được biểu dương", 1, 3),
        ("Điểm trừ", "TR1", "Báo cáo trễ hạn", 0.5, 2, "Văn phòng")]
    assert cells["Xếp loại"][1] == (1, "htxs", "Hoàn thành xuất sắc nhiệm vụ", 27, 20)
    assert cells["Loại trừ"][1] == ("L1", "Cán bộ chủ chốt bị kỷ luật",
                                    "Hoàn thành xuất sắc nhiệm vụ")
    assert cells["Xét bằng điểm"][1:] == [(1, "Tổng điểm lĩnh vực cao hơn", "II"),
                                          (2, "Ít điểm trừ hơn")]
    assert ("Tổng điểm thưởng tối đa", 3) in cells["Chung"]


def test_emu1_xlsx_round_trip_is_exact(emu: EmuWorld) -> None:
    exported = rubric_workbook(emu.rubric)
    draft = _empty_draft(emu)

    draft = rubric_import(actor=emu.world.province_secretary, rubric=draft,
                          upload=io.BytesIO(exported))
    again = rubric_workbook(draft)

    assert rubric_spec(draft) == rubric_spec(emu.rubric)
    first, second = _cells(exported), _cells(again)
    assert {k: v for k, v in first.items() if k != "Chung"} == {
        k: v for k, v in second.items() if k != "Chung"}
    assert [r for r in first["Chung"] if r[0] not in ("Năm",)] == [
        r for r in second["Chung"] if r[0] not in ("Năm",)]


def test_emu1_import_replaces_a_draft_whole(emu: EmuWorld) -> None:
    exported = rubric_workbook(emu.rubric)
    draft = _empty_draft(emu)
    services.area_save(actor=None, rubric=draft, code="IX", title="Lĩnh vực cũ",
                       max_points=Decimal("5"))

    rubric_import(actor=None, rubric=draft, upload=io.BytesIO(exported))

    assert [a.code for a in rubric_spec(draft).areas] == ["I", "II"]


def test_emu1_formula_text_is_exported_safe_and_read_back_as_typed(emu: EmuWorld) -> None:
    criterion = Criterion.objects.get(area__rubric=emu.rubric, code="1.2")
    services.criterion_save(actor=None, rubric=emu.rubric, criterion=criterion,
                            area=criterion.area, code="1.2", title="=HYPERLINK(\"x\")",
                            max_points=Decimal("4"), method="co_khong")
    exported = rubric_workbook(emu.rubric)
    draft = _empty_draft(emu)

    rubric_import(actor=None, rubric=draft, upload=io.BytesIO(exported))

    assert _cells(exported)["Tiêu chí"][2][4] == "'=HYPERLINK(\"x\")"
    assert Criterion.objects.get(area__rubric=draft, code="1.2").title == "=HYPERLINK(\"x\")"


def _problems(emu: EmuWorld, upload: io.BytesIO, year: int = 2021) -> list[str]:
    draft = _empty_draft(emu, year)
    with pytest.raises(RubricImportError) as caught:
        rubric_import(actor=None, rubric=draft, upload=upload)
    assert rubric_spec(draft).areas == []  # nothing written
    return caught.value.problems


def test_emu1_import_errors_name_sheet_row_and_column(emu: EmuWorld) -> None:
    data = rubric_workbook(emu.rubric)
    book = load_workbook(io.BytesIO(data))
    book["Tiêu chí"]["F3"] = "bốn"
    book["Tiêu chí"]["G4"] = "Chấm theo cảm tính"
    book["Tiêu chí"]["I5"] = "Ban Không Có"
    book["Thưởng, trừ"]["D2"] = -1
    book["Xếp loại"]["D3"] = "2,345"
    book["Loại trừ"]["C2"] = "Xuất sắc"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)

    problems = _problems(emu, out)

    assert problems == [
        "Trang “Tiêu chí”, dòng 3, cột F (Điểm tối đa): “bốn” không phải là số.",
        "Trang “Tiêu chí”, dòng 4, cột G (Cách chấm): “Chấm theo cảm tính” không phải một lựa "
        "chọn; hãy ghi một trong: Chấm điểm (0 đến điểm tối đa); Có / không (đạt được điểm tối "
        "đa hoặc 0); Số lần × điểm mỗi lần, không quá điểm tối đa; Tỷ lệ % đạt được × điểm tối "
        "đa.",
        "Trang “Tiêu chí”, dòng 5, cột I (Ban phụ trách chấm): không có ban, đơn vị “Ban Không "
        "Có” trong cơ quan chuyên trách của đơn vị ban hành.",
        "Trang “Thưởng, trừ”, dòng 2, cột D (Điểm mỗi lần): “-1” phải là số từ 0 đến 99.999.",
        "Trang “Xếp loại”, dòng 3, cột D (Điểm tối thiểu): “2,345”: tối đa 2 chữ số sau dấu "
        "phẩy.",
        "Trang “Loại trừ”, dòng 2, cột C (Không được xếp từ loại): không có mức xếp loại “Xuất "
        "sắc” trong trang “Xếp loại”.",
    ]


def test_emu1_import_refuses_contradicting_numbers_naming_the_row(emu: EmuWorld) -> None:
    data = rubric_workbook(emu.rubric)
    upload = _edited(data, "Tiêu chí", "F2", 7)  # 1.1: 7 + 4 > 10

    problems = _problems(emu, upload)

    assert problems == [
        "Trang “Tiêu chí”, dòng 2, cột C (Điểm tối đa lĩnh vực): Lĩnh vực I: tổng điểm tối đa "
        "của các tiêu chí (11) vượt điểm tối đa của lĩnh vực (10)."]


def test_emu1_import_refuses_cap_below_points_and_bad_share(emu: EmuWorld) -> None:
    data = rubric_workbook(emu.rubric)
    upload = _edited(_edited(data, "Thưởng, trừ", "E3", 0.25).getvalue(), "Xếp loại", "E2",
                     120)

    problems = _problems(emu, upload)

    assert problems == [
        "Trang “Thưởng, trừ”, dòng 3, cột E (Tối đa của mục): Mục TR1: mức tối đa của mục "
        "(0,25) nhỏ hơn điểm mỗi lần (0,5).",
        "Trang “Xếp loại”, dòng 2, cột E (Tỷ lệ tối đa trong khối (%)): “Hoàn thành xuất sắc "
        "nhiệm vụ”: tỷ lệ tối đa trong khối (120 %) phải từ 0 đến 100 %."]


def test_emu1_import_refuses_a_file_of_another_shape(emu: EmuWorld) -> None:
    book = Workbook()
    book.active.title = "Tiêu chí"
    book.active.append(["Mã lĩnh vực", "Lĩnh vực"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)

    missing = _problems(emu, out)
    not_xlsx = _problems(emu, io.BytesIO(b"Ma linh vuc;Linh vuc\nI;Tu tuong\n"), 2022)

    assert missing == ["Tệp thiếu trang “Chung”.", "Tệp thiếu trang “Thưởng, trừ”.",
                       "Tệp thiếu trang “Xếp loại”.", "Tệp thiếu trang “Loại trừ”.",
                       "Tệp thiếu trang “Xét bằng điểm”."]
    assert not_xlsx == ["Không đọc được tệp: hãy chọn tệp .xlsx xuất từ trang thang điểm "
                        "(hoặc cùng mẫu)."]


def test_emu1_import_into_a_frozen_rubric_or_by_an_outsider_is_refused(emu: EmuWorld) -> None:
    data = rubric_workbook(emu.rubric)
    draft = _empty_draft(emu)

    with pytest.raises(EmulationScopeError):
        rubric_import(actor=emu.world.district_b_cadre, rubric=draft, upload=io.BytesIO(data))
    services.rubric_freeze(actor=None, rubric=emu.rubric)
    with pytest.raises(RubricFrozenError):
        rubric_import(actor=None, rubric=emu.rubric, upload=io.BytesIO(data))

    assert rubric_spec(draft).areas == []
