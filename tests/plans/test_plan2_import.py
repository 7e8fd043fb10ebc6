"""PLAN-2: a plan's task table imported from .xlsx or from a .docx table — previewed with each
bad cell named by row and column, then saved all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doanvu.plans import importers, services
from doanvu.plans.models import Plan, Solution, Task
from tests.conftest import login
from tests.plans.conftest import PlanWorld

HEADER = ["STT", "Giải pháp", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn"]
GOOD = [
    [1, "1. Học tập, quán triệt", "Tổ chức học tập Kết luận 08", "Văn phòng", "Ban Phong trào",
     "tháng 7/2020"],
    [2, "1. Học tập, quán triệt", "Phổ biến văn bản của Tỉnh đoàn", "BPT", "", "thường xuyên"],
    [3, "2. Cán bộ", "Rà soát cán bộ Đoàn cơ sở", "Huyện đoàn Tân Biên", "", "quý III/2020"],
]


def xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["KẾ HOẠCH – BẢNG NHIỆM VỤ"])
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx(rows: list[list[object]]) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph("III. GIẢI PHÁP THỰC HIỆN")
    table = doc.add_table(rows=0, cols=len(HEADER))
    for row in [HEADER, *rows]:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = str(value)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture
def plan(pw: PlanWorld) -> Plan:
    return services.plan_save(actor=None, document=pw.province_plan, data=services.PlanInput())


@pytest.mark.parametrize(("name", "make"), [("nhiem-vu.xlsx", xlsx), ("ke-hoach.docx", docx)])
def test_plan2_import_preview_reads_the_table(pw: PlanWorld, plan: Plan, name: str,
                                              make: object) -> None:
    preview = importers.preview(plan, name, make(GOOD))  # type: ignore[operator]

    assert preview.errors == []
    first = 3 if name.endswith("xlsx") else 2  # the sheet has a title row above the header
    assert [(r.number, r.values["text"], r.lead_name) for r in preview.rows] == [
        (first, "Tổ chức học tập Kết luận 08", "Văn phòng"),
        (first + 1, "Phổ biến văn bản của Tỉnh đoàn", "Ban Phong trào"),
        (first + 2, "Rà soát cán bộ Đoàn cơ sở", "Huyện đoàn Tân Biên"),
    ]
    assert Task.objects.count() == 0  # a preview writes nothing


def test_plan2_import_bad_rows_name_row_and_column(pw: PlanWorld, plan: Plan) -> None:
    rows = [*GOOD, [4, "2. Cán bộ", "Nhiệm vụ sai hạn", "Văn phòng", "", "tháng 2/2020"],
            [5, "2. Cán bộ", "Nhiệm vụ sai chủ trì", "Ban Không Có", "", "quý III/2020"],
            [6, "2. Cán bộ", "", "Văn phòng", "", "quý III/2020"]]

    preview = importers.preview(plan, "nhiem-vu.xlsx", xlsx(rows))

    assert preview.errors == [
        "Dòng 6, cột “Thời hạn”: Thời hạn “tháng 2/2020” trước ngày ban hành kế hoạch "
        "(02/03/2020).",
        "Dòng 7, cột “Chủ trì”: không tìm thấy ban hoặc đơn vị “Ban Không Có” của Tỉnh đoàn "
        "Tây Ninh.",
        "Dòng 8, cột “Nhiệm vụ”: Nội dung nhiệm vụ: chưa nhập.",
    ]
    assert not preview.ok


def test_plan2_import_pages_preview_then_save_all(pw: PlanWorld, plan: Plan) -> None:
    client = login(pw.world.province_secretary)
    url = reverse("plans:task_import", args=[pw.province_plan.pk])

    page = client.post(url, {"file": SimpleUploadedFile("nv.xlsx", xlsx(GOOD))})
    token = page.context["confirm"]["token"].value()
    assert Task.objects.count() == 0
    done = client.post(url, {"token": token})

    assert done.status_code == 302
    assert list(Task.objects.order_by("position").values_list("text", flat=True)) == [
        "Tổ chức học tập Kết luận 08", "Phổ biến văn bản của Tỉnh đoàn",
        "Rà soát cán bộ Đoàn cơ sở"]
    assert list(Solution.objects.values_list("title", flat=True)) == [
        "1. Học tập, quán triệt", "2. Cán bộ"]
    assert Task.objects.get(text__startswith="Rà soát").lead_unit == pw.world.district_b


def test_plan2_import_with_a_bad_row_saves_nothing(pw: PlanWorld, plan: Plan) -> None:
    client = login(pw.world.province_secretary)
    url = reverse("plans:task_import", args=[pw.province_plan.pk])
    rows = [*GOOD, [4, "", "Sai", "Văn phòng", "", "tháng 13/2020"]]

    page = client.post(url, {"file": SimpleUploadedFile("nv.xlsx", xlsx(rows))})
    forged = client.post(url, {"token": "gia-mao"}, follow=True)
    with pytest.raises(services.PlanError) as exc:
        services.tasks_import(actor=None, plan=plan, rows=[
            services.TaskInput(text="Tốt", deadline="tháng 7/2020"),
            services.TaskInput(text="Sai", deadline="tháng 1/2020")])

    assert "confirm" not in page.context
    assert "Dòng 6, cột “Thời hạn”" in page.content.decode()
    assert "hết hạn hoặc không hợp lệ" in forged.content.decode()
    assert exc.value.message.startswith("Dòng 2: ")
    assert Task.objects.count() == 0


def test_plan2_import_refuses_a_file_that_is_not_a_table(pw: PlanWorld, plan: Plan) -> None:
    client = login(pw.world.province_secretary)
    url = reverse("plans:task_import", args=[pw.province_plan.pk])

    page = client.post(url, {"file": SimpleUploadedFile("nv.xlsx", b"not a workbook")})
    no_header = client.post(url, {"file": SimpleUploadedFile("nv.csv", b"a,b")})

    assert "không đọc được" in page.content.decode()
    assert "không đọc được" in no_header.content.decode()
    assert Task.objects.count() == 0
