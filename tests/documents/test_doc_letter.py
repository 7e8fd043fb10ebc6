"""A công văn (DOC-1): no centred type heading; the subject goes under the number as "V/v …"."""

from __future__ import annotations

import datetime as dt

import pytest

from doanvu.documents import services
from doanvu.documents.rendering import render_docx, render_pdf
from tests.conftest import World
from tests.documents.conftest import flat, make_draft, open_docx, pdf_pages

pytestmark = pytest.mark.django_db



def test_doc1_cong_van_has_no_type_heading_and_puts_the_subject_under_the_number(
    world: World,
) -> None:
    draft = make_draft(world.province, code="cong_van", department=world.tckt,
                       title="Đề nghị báo cáo kết quả đi cơ sở quý I")
    letter = services.document_issue(actor=None, document=draft, issued_on=dt.date(2020, 4, 3))

    doc = open_docx(render_docx(letter))
    first = flat(pdf_pages(render_pdf(letter))[0])

    assert [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs] == [
        "BAN CHẤP HÀNH\nTỈNH ĐOÀN TÂY NINH", "***", "Số: 1-CV/TĐTN-TCKT",
        "V/v Đề nghị báo cáo kết quả đi cơ sở quý I"]
    assert [p.text for p in doc.paragraphs[:3]] == ["", "", "Ban Thường vụ xây dựng kế hoạch "
                                                            "như sau:"]
    assert "V/v Đề nghị báo cáo kết quả đi cơ sở quý I" in first
    assert "Tây Ninh, ngày 03 tháng 4 năm 2020" in first
