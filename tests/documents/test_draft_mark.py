"""A draft (a document not yet issued) carries "DỰ THẢO" on its PDF, its DOCX and its web
preview; an issued document does not (issue 10, item 10)."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse

from doanvu.documents.rendering import render_docx, render_html, render_pdf
from tests.conftest import World, login
from tests.documents.conftest import issue, make_draft

MARK = "DỰ THẢO"


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _docx_header_text(data: bytes) -> str:
    import docx

    section = docx.Document(io.BytesIO(data)).sections[0]
    return " ".join(p.text for h in (section.first_page_header, section.header)
                    for p in h.paragraphs)


def test_a_draft_pdf_docx_and_html_carry_the_draft_mark(world: World) -> None:
    draft = make_draft(world.province)

    html = render_html(draft)

    assert f'<p class="doc-draft-mark" data-testid="draft-mark">{MARK}</p>' in html
    assert MARK in _pdf_text(render_pdf(draft))
    assert MARK in _docx_header_text(render_docx(draft))


def test_an_issued_document_carries_no_draft_mark(world: World) -> None:
    issued = issue(world.province, dt.date(2020, 2, 14))

    assert "doc-draft-mark" not in render_html(issued)
    assert MARK not in _pdf_text(render_pdf(issued))
    assert MARK not in _docx_header_text(render_docx(issued))


def test_the_web_preview_marks_a_draft_only(world: World) -> None:
    draft = make_draft(world.province)
    issued = issue(world.province, dt.date(2020, 2, 14))
    client = login(world.province_secretary)

    draft_page = client.get(reverse("documents:detail", args=[draft.pk])).content.decode()
    issued_page = client.get(reverse("documents:detail", args=[issued.pk])).content.decode()

    assert 'data-testid="draft-mark"' in draft_page
    assert 'data-testid="draft-mark"' not in issued_page
