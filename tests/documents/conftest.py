"""Helpers for the documents tests: drafts made through the services, the demo with the seeds."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from doanvu.documents import services
from doanvu.documents.models import Document, DocumentType
from doanvu.org.models import Department, Unit

BODY = [
    {"marker": "", "heading": "", "level": 0, "children": [],
     "blocks": [{"kind": "p", "text": "Ban Thường vụ xây dựng kế hoạch như sau:"}]},
    {"marker": "I.", "heading": "MỤC ĐÍCH, YÊU CẦU", "level": 1, "blocks": [], "children": [
        {"marker": "1.", "heading": "Mục đích", "level": 2, "children": [],
         "blocks": [{"kind": "-", "text": "Nâng cao chất lượng **đi cơ sở**."}]},
    ]},
]


def doc_type(code: str = "ke_hoach") -> DocumentType:
    return DocumentType.objects.get(code=code)


def make_draft(unit: Unit, *, title: str = "Kế hoạch kiểm tra năm", code: str = "ke_hoach",
               department: Department | None = None, ready: bool = True,
               **kwargs: Any) -> Document:
    """A draft of `unit`; `ready` gives it a signer and recipients so it can be issued."""
    if ready:
        kwargs.setdefault("signer_on_behalf", "TM. BAN THƯỜNG VỤ TỈNH ĐOÀN")
        kwargs.setdefault("signer_title", "BÍ THƯ")
        kwargs.setdefault("signer_name", "Hoàng Thị Thanh Thúy")
        kwargs.setdefault("recipients", ["Ban Thường vụ Tỉnh đoàn;", "Lưu VP."])
    kwargs.setdefault("body", BODY)
    if not unit.short_name:  # the fixture's districts have no short name nor place
        kwargs.setdefault("body_code", "HĐ")
    if not unit.place:
        kwargs.setdefault("place", "Tây Ninh")
    return services.document_create(actor=None, issuing_unit=unit, doc_type=doc_type(code),
                                    title=title, department=department, **kwargs)


def issue(unit: Unit, on: dt.date, *, code: str = "ke_hoach",
          department: Department | None = None) -> Document:
    return services.document_issue(actor=None, document=make_draft(unit, code=code,
                                                                   department=department),
                                   issued_on=on)


# -- reading what a document renders to -------------------------------------------------------


def open_docx(data: bytes) -> Any:
    import docx

    return docx.Document(io.BytesIO(data))


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())
