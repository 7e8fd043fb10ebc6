"""The five seed plans as official Union documents (DOC-1), in DOCX and in PDF from the same
content (DOC-3): header, number, date line, type, title, signature, page format, diacritics.

The demo (it registers the seed plans) is loaded once for the package (tests/demo/loaded/
conftest.py), inside a transaction rolled back at its end.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import unicodedata
from dataclasses import dataclass
from importlib.abc import MetaPathFinder
from io import StringIO

import pytest
from django.core.management import call_command

from doanvu.documents import markup, rendering
from doanvu.documents.demo import SEEDS
from doanvu.documents.models import Document, DocumentStatus
from doanvu.documents.rendering import PdfUnavailable, date_line, render_docx, render_pdf
from tests.documents.conftest import flat, open_docx, pdf_pages

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Expected:
    left: list[str]  # paragraphs of the header's left cell, line breaks as "\n"
    number: str
    date: str
    title: str
    signer: list[str]  # on behalf, title, name
    recipients: int


EXPECTED = {
    "000": Expected(
        left=["BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN BÍ THƯ", "***", "Số: 41-KH/TWĐTN-BKT"],
        number="Số: 41-KH/TWĐTN-BKT", date="Hà Nội, ngày 14 tháng 02 năm 2020",
        title=("Kiểm tra, đi cơ sở của Ban Bí thư Trung ương Đoàn năm 2020 và khảo sát, đánh giá "
               "giữa nhiệm kỳ triển khai thực hiện Nghị quyết Đại hội Đoàn toàn quốc lần thứ XI "
               "(2017 - 2022)"),
        signer=["TM. BAN BÍ THƯ TRUNG ƯƠNG ĐOÀN", "BÍ THƯ THƯỜNG TRỰC", "Nguyễn Anh Tuấn"],
        recipients=8),
    "001": Expected(
        left=["BAN CHẤP HÀNH\nTP. HỒ CHÍ MINH", "***", "Số: 215-KH/TĐTN-VP"],
        number="Số: 215-KH/TĐTN-VP", date="TP. Hồ Chí Minh, ngày 26 tháng 10 năm 2020",
        title=("Kiểm tra, đánh giá, phân loại và xếp hạng thi đua công tác Đoàn và phong trào "
               "thanh thiếu nhi thành phố năm 2020"),
        signer=["TM. BAN THƯỜNG VỤ THÀNH ĐOÀN", "BÍ THƯ", "Phan Thị Thanh Phương"],
        recipients=7),
    "002": Expected(
        left=["BCH ĐOÀN TỈNH TÂY NINH", "***", "Số: 45-KH/TĐTN-TCKT"],
        number="Số: 45-KH/TĐTN-TCKT", date="Tây Ninh, ngày 18 tháng 4 năm 2018",
        title=("Đi công tác cơ sở của cán bộ đoàn cấp tỉnh và cấp huyện, thành phố "
               "(giai đoạn 2018 – 2022)"),
        signer=["TM. BAN THƯỜNG VỤ TỈNH ĐOÀN", "PHÓ BÍ THƯ", "Trần Lê Duy"],
        recipients=9),
    "003": Expected(
        left=["BCH ĐOÀN TỈNH TÂY NINH", "BCH HUYỆN ĐOÀN\nDƯƠNG MINH CHÂU", "***",
              "Số: 15-KH/HĐ"],
        number="Số: 15-KH/HĐ", date="Dương Minh Châu, ngày 02 tháng 3 năm 2020",
        title=("Nâng cao chất lượng hoạt động tổ chức cơ sở Đoàn trên địa bàn dân cư "
               "giai đoạn 2019-2022"),
        signer=["TM. BAN THƯỜNG VỤ HUYỆN ĐOÀN", "PHÓ BÍ THƯ", "Võ Minh Tâm"],
        recipients=4),
    "004": Expected(
        left=["BCH ĐOÀN TỈNH TÂY NINH", "***", "Số: 12-KH/TĐTN-VP"],
        number="Số: 12-KH/TĐTN-VP", date="Tây Ninh, ngày 14 tháng 02 năm 2020",
        title=("Tiếp tục khắc phục khuyết điểm của tập thể Ban Thường vụ Tỉnh đoàn theo Nghị "
               "quyết Trung ương 4 (XII) năm 2020"),
        signer=["TM. BAN THƯỜNG VỤ TỈNH ĐOÀN", "BÍ THƯ", "Hoàng Thị Thanh Thúy"],
        recipients=12),
}
SEED_CODES = sorted(EXPECTED)


def seed_document(code: str) -> Document:
    s = next(s for s in SEEDS if s.seed == code)
    return Document.objects.select_related("issuing_unit", "doc_type", "department").get(
        issuing_unit__name=s.unit, number=s.number, year=s.issued_on.year)


# -- the seeds are there, issued, by their real issuers ------------------------------------------


def test_doc2_demo_registers_the_five_seed_plans_with_their_numbers(demo: None) -> None:
    # the plans (the demo also issues other documents, e.g. the inspection notices of issue 12
    # and Tỉnh đoàn Tây Ninh's quarterly field-visit plans of 2020, issue 13, and two communes'
    # plans implementing seed 003's, issue 14)
    rows = sorted(Document.objects.filter(doc_type__abbreviation="KH")
                  .exclude(title__startswith="Đi công tác cơ sở của cán bộ Tỉnh đoàn quý")
                  .exclude(title__startswith="Thực hiện Kế hoạch nâng cao chất lượng hoạt động")
                  .values_list("symbol", "issuing_unit__name", "issued_on", "status"))

    assert rows == [
        ("12-KH/TĐTN-VP", "Tỉnh đoàn Tây Ninh", dt.date(2020, 2, 14), DocumentStatus.ISSUED),
        ("15-KH/HĐ", "Huyện đoàn Dương Minh Châu", dt.date(2020, 3, 2), DocumentStatus.ISSUED),
        ("215-KH/TĐTN-VP", "Thành đoàn TP. Hồ Chí Minh", dt.date(2020, 10, 26),
         DocumentStatus.ISSUED),
        ("41-KH/TWĐTN-BKT", "Trung ương Đoàn", dt.date(2020, 2, 14), DocumentStatus.ISSUED),
        ("45-KH/TĐTN-TCKT", "Tỉnh đoàn Tây Ninh", dt.date(2018, 4, 18), DocumentStatus.ISSUED),
    ]


# -- DOCX ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", SEED_CODES)
def test_doc1_seed_docx_has_the_union_header_date_type_and_title(demo: None, code: str) -> None:
    expected = EXPECTED[code]
    doc = open_docx(render_docx(seed_document(code)))

    left, right = doc.tables[0].rows[0].cells
    union = right.paragraphs[0].runs[0]
    assert [p.text for p in left.paragraphs] == expected.left
    assert [p.text for p in right.paragraphs] == ["ĐOÀN TNCS HỒ CHÍ MINH", expected.date]
    assert (union.bold, union.underline, union.font.size.pt) == (True, True, 15.0)
    assert right.paragraphs[1].runs[0].italic is True
    assert [p.text for p in doc.paragraphs[1:3]] == ["KẾ HOẠCH", expected.title]
    assert doc.paragraphs[1].runs[0].bold is True
    assert doc.paragraphs[1].alignment == 1  # centred


@pytest.mark.parametrize("code", SEED_CODES)
def test_doc1_seed_docx_ends_with_recipients_left_and_signature_right(demo: None,
                                                                        code: str) -> None:
    expected = EXPECTED[code]
    doc = open_docx(render_docx(seed_document(code)))

    left, right = doc.tables[1].rows[0].cells
    label = left.paragraphs[0].runs[0]
    signature = [p.text for p in right.paragraphs if p.text]
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert (label.bold, label.italic) == (True, True)
    assert len(left.paragraphs) == 1 + expected.recipients
    assert all(p.text.startswith("- ") for p in left.paragraphs[1:])
    assert signature == expected.signer


@pytest.mark.parametrize("code", SEED_CODES)
def test_doc1_seed_docx_is_a4_portrait_with_the_union_margins_in_times(demo: None,
                                                                        code: str) -> None:
    doc = open_docx(render_docx(seed_document(code)))

    section = doc.sections[0]
    sizes_mm = [round(x.mm) for x in (section.page_width, section.page_height, section.top_margin,
                                       section.bottom_margin, section.left_margin,
                                       section.right_margin)]
    assert sizes_mm == [210, 297, 20, 20, 30, 20]
    assert section.orientation == 0  # portrait
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size.pt == 14.0


@pytest.mark.parametrize("code", SEED_CODES)
def test_doc1_seed_docx_text_is_nfc_and_keeps_the_whole_body(demo: None, code: str) -> None:
    document = seed_document(code)
    doc = open_docx(render_docx(document))

    texts = [p.text for p in doc.paragraphs]
    cells = [p.text for t in doc.tables for c in t.rows[0].cells for p in c.paragraphs]
    blocks = [b.text for b in rendering.layout(document).blocks]
    assert all(unicodedata.is_normalized("NFC", t) for t in texts + cells)
    assert [t for t in texts if t in set(blocks)] == blocks


def test_doc1_seed_002_docx_prints_bold_and_italic_marks_as_runs(demo: None) -> None:
    doc = open_docx(render_docx(seed_document("002")))

    step = next(p for p in doc.paragraphs if p.text.startswith("Bước 5: Kết thúc đi cơ sở, chậm"))
    note = next(p for p in doc.paragraphs if p.text.startswith("Lưu ý: Việc đi dự"))
    assert [(r.text, r.bold) for r in step.runs[:2]] == [
        ("Bước 5:", True), (" Kết thúc đi cơ sở, chậm nhất trong 3 ngày phải có báo cáo tổng "
                            "hợp của phòng, ban gửi về Ban Tổ chức – Kiểm tra Tỉnh đoàn.", None)]
    assert {r.italic for r in note.runs} == {True}
    assert "**" not in "".join(p.text for p in doc.paragraphs)


# -- PDF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", SEED_CODES)
def test_doc3_seed_pdf_has_the_same_lines_with_correct_diacritics(demo: None, code: str) -> None:
    expected = EXPECTED[code]
    pages = pdf_pages(render_pdf(seed_document(code)))

    first = flat(pages[0])
    last = flat(pages[-1])
    header_lines = [line for p in expected.left for line in p.split("\n")]
    assert unicodedata.is_normalized("NFC", first)
    assert [line for line in header_lines if line in first] == header_lines
    assert "ĐOÀN TNCS HỒ CHÍ MINH" in first
    assert expected.date in first
    assert "KẾ HOẠCH" in first
    assert expected.title in first
    assert "Nơi nhận:" in last
    assert [s for s in expected.signer if s in last] == expected.signer


@pytest.mark.parametrize("code", SEED_CODES)
def test_doc1_seed_pdf_is_a4_in_liberation_serif_or_times(demo: None, code: str) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(seed_document(code))))

    boxes = {(round(float(p.mediabox.width) * 25.4 / 72),
              round(float(p.mediabox.height) * 25.4 / 72)) for p in reader.pages}
    fonts = {str(f["/BaseFont"]).split("+", 1)[-1]
             for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    families = {next((family for family in ("Liberation-Serif", "TimesNewRoman", "Tinos")
                      if f.startswith(family)), f) for f in fonts}
    assert boxes == {(210, 297)}
    assert len(families) == 1
    assert families <= {"Liberation-Serif", "TimesNewRoman", "Tinos"}
    assert len(reader.pages) >= 2


def test_doc1_seed_002_pdf_numbers_pages_from_the_second(demo: None) -> None:
    pages = pdf_pages(render_pdf(seed_document("002")))

    assert len(pages) == 4
    # WeasyPrint draws the page-number margin box after the page's content
    last_lines = [p.strip().split("\n")[-1] for p in pages]
    assert last_lines == ["tiếp làm công tác Đoàn, Hội, Đội và phong trào thanh thiếu nhi cấp "
                          "tỉnh và cấp", "2", "3", "4"]


def test_doc3_pdf_and_docx_come_from_the_same_html_content(demo: None) -> None:
    document = seed_document("004")

    html = rendering.render_html(document)
    lay = rendering.layout(document)

    assert "http://" not in html and "https://" not in html
    assert html.count('class="doc-p ') == len(lay.legal_bases) + len(lay.blocks)
    assert "¹ 05 khuyết điểm phát sinh mới trong năm 2019" in html


# -- date line and markup -------------------------------------------------------------------------


def test_doc1_date_line_pads_small_days_and_january_february() -> None:
    assert date_line("Tây Ninh", dt.date(2018, 4, 18)) == "Tây Ninh, ngày 18 tháng 4 năm 2018"
    assert date_line("Hà Nội", dt.date(2020, 2, 5)) == "Hà Nội, ngày 05 tháng 02 năm 2020"
    assert date_line("Hà Nội", dt.date(2020, 12, 1)) == "Hà Nội, ngày 01 tháng 12 năm 2020"
    assert date_line("Tây Ninh", None, year=2020) == "Tây Ninh, ngày      tháng      năm 2020"


def test_doc3_body_markup_parses_headings_bullets_and_prints_back() -> None:
    text = ("Mở đầu.\nI. MỤC ĐÍCH\n1. Mục đích:\n- Một **đậm**\n+ Hai *nghiêng*\n1.1. Ba\n"
            "\\2. không phải đề mục\nII. TỔ CHỨC\nĐoạn cuối.")

    sections = markup.parse_body(text)

    assert [(s["marker"], s["level"]) for s in sections] == [("", 0), ("I.", 1), ("II.", 1)]
    child = sections[1]["children"][0]
    assert (child["marker"], child["heading"]) == ("1.", "Mục đích:")
    assert child["blocks"] == [{"kind": "-", "text": "Một **đậm**"},
                               {"kind": "+", "text": "Hai *nghiêng*"}]
    assert child["children"][0]["blocks"] == [{"kind": "p", "text": "2. không phải đề mục"}]
    assert markup.parse_body(markup.print_body(sections)) == sections
    assert markup.runs("Mời **04** đồng chí (*nếu có*)") == [
        markup.Run("Mời "), markup.Run("04", bold=True), markup.Run(" đồng chí ("),
        markup.Run("nếu có", italic=True), markup.Run(")")]


@pytest.mark.parametrize("code", SEED_CODES)
def test_doc3_seed_bodies_round_trip_through_the_edit_text(demo: None, code: str) -> None:
    document = seed_document(code)

    assert markup.parse_body(markup.print_body(document.body)) == document.body


# -- the PDF renderer missing ---------------------------------------------------------------------


class _NoPango(MetaPathFinder):
    """Imports weasyprint as a machine without Pango would: OSError from cffi's dlopen."""

    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open "
                          "shared object file: No such file or directory")
        return None


@pytest.fixture
def no_pango(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])


def test_doc3_pdf_without_pango_says_which_library_and_how_to_install(
    demo: None, no_pango: None
) -> None:
    with pytest.raises(PdfUnavailable) as exc:
        render_pdf(seed_document("002"))

    assert exc.value.message == (
        "Không tạo được PDF: thiếu thư viện hệ thống libpango-1.0-0 (gói Debian "
        "libpango-1.0-0) mà WeasyPrint cần để dàn trang. Cài trên Debian/Ubuntu: apt-get "
        "install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2.")


def test_doc3_docx_still_renders_without_pango(demo: None, no_pango: None) -> None:
    doc = open_docx(render_docx(seed_document("002")))

    assert doc.tables[0].rows[0].cells[0].paragraphs[-1].text == "Số: 45-KH/TĐTN-TCKT"


def test_doc3_doc_check_reports_what_is_missing_and_exits_zero(no_pango: None) -> None:
    out = StringIO()

    call_command("doc_check", stdout=out)

    assert out.getvalue().splitlines()[0] == (
        "PDF: chưa sẵn sàng — Không tạo được PDF: thiếu thư viện hệ thống libpango-1.0-0 (gói "
        "Debian libpango-1.0-0) mà WeasyPrint cần để dàn trang. Cài trên Debian/Ubuntu: "
        "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2.")


def test_doc3_doc_check_says_ready_on_this_machine() -> None:
    out = StringIO()

    call_command("doc_check", stdout=out)

    assert out.getvalue().startswith("PDF: sẵn sàng (phông: Liberation-Serif")


def test_doc3_missing_library_message_names_other_libraries() -> None:
    message = rendering.missing_library_message(
        OSError("cannot load library 'libpangoft2-1.0-0': not found"))

    assert message.startswith("Không tạo được PDF: thiếu thư viện hệ thống libpangoft2-1.0-0 "
                              "(gói Debian libpangoft2-1.0-0)")



# -- issue 10 item 13: the seeds reach their lower units -------------------------------------


@pytest.mark.parametrize("code", ["000", "001", "002", "003", "004"])
def test_i10_seed_noi_nhan_prints_as_the_seed_with_its_units_as_recipients(
        demo: None, code: str) -> None:
    s = next(s for s in SEEDS if s.seed == code)
    document = seed_document(code)

    assert list(rendering.layout(document).recipients) == list(s.recipients)
    assert document.deliveries.count() > 0


def test_i10_demo_lower_units_see_the_plans_sent_to_them_as_incoming(demo: None) -> None:
    from django.urls import reverse

    from doanvu.accounts.models import User
    from doanvu.accounts.scope import Scope
    from doanvu.documents.selectors import IncomingFilter, incoming_list
    from tests.conftest import login

    def incoming(username: str) -> list[str]:
        scope = Scope.for_user(User.objects.get(username=username))
        return [r.document.symbol for r in incoming_list(scope=scope, filters=IncomingFilter())]

    district = login(User.objects.get(username="hcm_quan1"))
    page = district.get(reverse("documents:incoming")).content.decode()

    assert "215-KH/TĐTN-VP" in incoming("hcm_quan1")  # the city's plan, at a district
    assert "215-KH/TĐTN-VP" in page
    assert "15-KH/HĐ" in incoming("tn_xa_suoida")  # the district's plan, at a commune
    assert "41-KH/TWĐTN-BKT" in incoming("tn_bithu")  # the centre's plan, at the province
    assert "12-KH/TĐTN-VP" not in incoming("hcm_quan1")  # another province's plan
