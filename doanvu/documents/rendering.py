"""A document as an official Union document (DOC-1), in DOCX and PDF from the same content
(DOC-3).

`layout(document)` turns the stored content into one neutral description — header lines, date
line, type, title, blocks of runs, recipients, signature — and both renderers only draw it:
`render_docx` with python-docx, `render_pdf` with WeasyPrint from an HTML template. The web
preview uses the same template part as the PDF.

Format (QĐ 367-QĐ/TWĐTN-VP, HD 29-HD/TWĐTN-VP, 2013): A4 portrait, margins top 20, bottom 20,
left 30, right 20 mm, Times New Roman (in PDF the metric-compatible Liberation Serif or Tinos
when Times New Roman is not installed). Header left: upper body, issuing body, "***",
"Số: 45-KH/TĐTN-TCKT"; header right: "ĐOÀN TNCS HỒ CHÍ MINH" (15 pt, bold, underlined) and the
italic place-and-date line. Then the centred type and title, the legal bases in italics, the
body, and at the bottom "Nơi nhận:" at left and the signature block at right.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError

from . import addressing, markup
from .models import Document
from .services import document_symbol

UNION_NAME = gettext_lazy("ĐOÀN TNCS HỒ CHÍ MINH")
DRAFT_MARK = gettext_lazy("DỰ THẢO")
FONT = "Times New Roman"
PDF_FONTS = '"Times New Roman", "Liberation Serif", "Tinos", serif'
APT_HINT = "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2"

# page geometry in millimetres (DOC-1)
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20, 20, 30, 20
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
HEADER_LEFT_WIDTH = 72  # the rest of the text width goes to the right column
FOOTER_LEFT_WIDTH = 65
# Longest lines that fit their column on one line (Times New Roman / Liberation Serif): a
# longer header line is broken into two balanced lines ("BAN CHẤP HÀNH" / "TP. HỒ CHÍ MINH")
# rather than leaving one word alone, and a long date line is set a point smaller.
HEADER_LEFT_CHARS = 26  # capitals, 13 pt, in 72 mm
SIGNER_CHARS = 32  # capitals, bold 14 pt, in 95 mm
DATE_CHARS = 39  # italic 14 pt in 88 mm; up to 43 fit at 13 pt

# font sizes in points
SIZE_BODY = 14
SIZE_HEADER = 13
SIZE_UNION = 15
SIZE_DATE_LONG = 13
SIZE_TYPE = 16
SIZE_SUBJECT = 12
SIZE_RECIPIENTS_LABEL = 12
SIZE_RECIPIENTS = 11


class RenderError(ApplicationError):
    pass


class PdfUnavailable(RenderError):
    """The PDF renderer (WeasyPrint) or a system library it needs is missing."""


# -- the neutral description ------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


@dataclass(frozen=True)
class Block:
    """One paragraph of the body: a heading of level 1–4, a paragraph, a bullet or sub-bullet."""

    kind: str  # "h1" … "h4", "p", "dash", "plus", "closing"
    runs: tuple[markup.Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def html(self) -> SafeString:
        parts = []
        for r in self.runs:
            piece: str = str(escape(r.text))
            if r.italic:
                piece = f"<em>{piece}</em>"
            if r.bold:
                piece = f"<strong>{piece}</strong>"
            parts.append(piece)
        return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def balanced_lines(text: str, max_chars: int) -> tuple[str, ...]:
    """One line if it fits, else two lines split at the space that balances them best."""
    if len(text) <= max_chars or " " not in text:
        return (text,)
    words = text.split(" ")
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    # the most even split; on a tie the shorter first line ("BAN CHẤP HÀNH" / "TỈNH ĐOÀN …")
    first, second = min(splits, key=lambda ab: (max(len(ab[0]), len(ab[1])), len(ab[0])))
    return (first, second)


@dataclass(frozen=True)
class Layout:
    header_upper: str
    header_body: str
    symbol_line: str
    subject_line: str
    date_line: str
    type_heading: str
    title: str
    legal_bases: tuple[Block, ...]
    blocks: tuple[Block, ...]
    recipients: tuple[str, ...]
    signer_on_behalf: str
    signer_title: str
    signer_name: str
    is_draft: bool
    union_name: str = field(default_factory=lambda: str(UNION_NAME))
    filename_stem: str = field(default="van-ban")

    @property
    def header_upper_bold(self) -> bool:
        """The upper body is bold when it is the issuing body itself (no second line)."""
        return not self.header_body

    @property
    def header_upper_lines(self) -> tuple[str, ...]:
        return balanced_lines(self.header_upper, HEADER_LEFT_CHARS)

    @property
    def header_body_lines(self) -> tuple[str, ...]:
        return balanced_lines(self.header_body, HEADER_LEFT_CHARS) if self.header_body else ()

    @property
    def signer_on_behalf_lines(self) -> tuple[str, ...]:
        return balanced_lines(self.signer_on_behalf, SIGNER_CHARS) if self.signer_on_behalf \
            else ()

    @property
    def date_size(self) -> int:
        return SIZE_BODY if len(self.date_line) <= DATE_CHARS else SIZE_DATE_LONG


def date_line(place: str, day: dt.date | None, *, year: int | None = None) -> str:
    """ "Tây Ninh, ngày 18 tháng 4 năm 2018": days below 10 and months 1–2 take a leading 0."""
    if day is None:
        return _nfc(_("{place}, ngày      tháng      năm {year}").format(
                        place=place,
                        year=year or '').rstrip())
    dd = f"{day.day:02d}" if day.day < 10 else str(day.day)
    mm = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _nfc(_("{place}, ngày {dd} tháng {mm} năm {year}").format(
                    place=place,
                    dd=dd,
                    mm=mm,
                    year=day.year))


_HEADING_KIND = {1: "h1", 2: "h2", 3: "h3", 4: "h4"}
_BLOCK_KIND = {"p": "p", "-": "dash", "+": "plus"}


def _blocks(sections: list[dict[str, Any]]) -> list[Block]:
    out: list[Block] = []

    def walk(section: dict[str, Any]) -> None:
        level = section.get("level", 0)
        if level:
            kind = _HEADING_KIND[level]
            marker = markup.Run(_nfc(section["marker"]) + " ", bold=True)
            if level <= 2:
                out.append(Block(kind, (marker, *markup.runs(_nfc(section["heading"]),
                                                             bold=True))))
            else:
                out.append(Block(kind, (marker, *markup.runs(_nfc(section["heading"])))))
        for b in section.get("blocks", []):
            kind = _BLOCK_KIND[b["kind"]]
            prefix = "" if kind == "p" else f"{b['kind']} "
            out.append(Block(kind, tuple(markup.runs(prefix + _nfc(b["text"])))))
        for child in section.get("children", []):
            walk(child)

    for section in sections:
        walk(section)
    return out


def layout(document: Document) -> Layout:
    doc_type = document.doc_type
    symbol = document_symbol(document)
    stem = re.sub(r"[^\w-]+", "-", symbol.replace("/", "-")).strip("-") if document.number \
        else f"du-thao-{document.pk}"
    title = _nfc(document.title)
    return Layout(
        header_upper=_nfc(document.header_upper),
        header_body=_nfc(document.header_body),
        symbol_line=_nfc(_("Số: {symbol}").format(symbol=symbol)),
        subject_line=_nfc(f"V/v {title}") if doc_type.is_letter else "",
        # a draft leaves day and month blank for the hand that signs it
        date_line=date_line(document.place, None if document.is_draft else document.issued_on,
                            year=(document.issued_on or today()).year),
        type_heading=_nfc(doc_type.heading),
        title="" if doc_type.is_letter else title,
        legal_bases=tuple(Block("basis", tuple(markup.runs(_nfc(b), italic=True)))
                          for b in document.legal_bases),
        blocks=tuple(_blocks(document.body))
        + tuple(Block("closing", tuple(markup.runs(_nfc(p)))) for p in document.closing),
        recipients=tuple(_nfc(r) for r in addressing.printed_lines(document)),
        signer_on_behalf=_nfc(document.signer_on_behalf),
        signer_title=_nfc(document.signer_title),
        signer_name=_nfc(document.signer_name),
        is_draft=document.is_draft,
        filename_stem=unicodedata.normalize("NFC", stem),
    )


# -- DOCX -------------------------------------------------------------------------------------


def render_docx(document: Document) -> bytes:
    """The document as an editable .docx (python-docx)."""
    from docx import Document as DocxDocument
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt
    from docx.table import _Cell

    lay = layout(document)
    doc = DocxDocument()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(SIZE_BODY)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    doc.core_properties.title = lay.title or lay.subject_line
    doc.core_properties.author = lay.header_body or lay.header_upper
    doc.core_properties.language = "vi-VN"

    center, left_align = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT

    def line(container: Any, text: str | tuple[str, ...] = "", *, size: float = SIZE_BODY,
             bold: bool = False, italic: bool = False, underline: bool = False,
             align: Any = center, after: float = 0) -> Any:
        """A paragraph of one or more lines (joined by line breaks). In a table cell the first
        call fills the empty paragraph every new cell starts with."""
        reuse = isinstance(container, _Cell) and not getattr(container, "_doanvu_used", False)
        p = container.paragraphs[0] if reuse else container.add_paragraph()
        if reuse:
            container._doanvu_used = True
        p.alignment = align
        p.paragraph_format.space_after = Pt(after)
        lines = (text,) if isinstance(text, str) else text
        for n, piece in enumerate(lines):
            if not piece:
                continue
            r = p.add_run(piece)
            r.font.size, r.bold, r.italic, r.underline = Pt(size), bold, italic, underline
            if n < len(lines) - 1:
                r.add_break()
        return p

    def borderless(table: Any, widths: tuple[float, float]) -> None:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
        table._tbl.tblPr.append(borders)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Mm(width)
        for col, width in zip(table.columns, widths, strict=True):
            col.width = Mm(width)

    # header: two borderless columns
    header = doc.add_table(rows=1, cols=2)
    borderless(header, (HEADER_LEFT_WIDTH, TEXT_WIDTH - HEADER_LEFT_WIDTH))
    left, right = header.rows[0].cells
    line(left, lay.header_upper_lines, size=SIZE_HEADER, bold=lay.header_upper_bold)
    if lay.header_body_lines:
        line(left, lay.header_body_lines, size=SIZE_HEADER, bold=True)
    line(left, "***", size=SIZE_HEADER)
    line(left, lay.symbol_line, size=SIZE_HEADER)
    if lay.subject_line:
        line(left, lay.subject_line, size=SIZE_SUBJECT)
    line(right, lay.union_name, size=SIZE_UNION, bold=True, underline=True, after=8)
    line(right, lay.date_line, size=lay.date_size, italic=True)

    line(doc, "", after=12)
    if lay.type_heading:
        line(doc, lay.type_heading, size=SIZE_TYPE, bold=True)
        line(doc, lay.title, bold=True)
        line(doc, "-----", after=6)
    else:
        line(doc, "", after=6)

    def body_para(block: Block) -> None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt = p.paragraph_format
        fmt.first_line_indent = Cm(1.5) if block.kind == "plus" else Cm(1)
        fmt.space_before = Pt(3 if block.kind in ("h1", "h2") else 0)
        fmt.space_after = Pt(6)
        fmt.line_spacing = 1.1
        for run in block.runs:
            r = p.add_run(run.text)
            r.font.size = Pt(SIZE_BODY)
            r.bold = run.bold or None
            r.italic = run.italic or None

    for block in lay.legal_bases:
        body_para(block)
    for block in lay.blocks:
        body_para(block)

    # Nơi nhận at left, signature at right
    line(doc, "", after=6)
    footer = doc.add_table(rows=1, cols=2)
    borderless(footer, (FOOTER_LEFT_WIDTH, TEXT_WIDTH - FOOTER_LEFT_WIDTH))
    left, right = footer.rows[0].cells
    line(left, _("Nơi nhận:"), size=SIZE_RECIPIENTS_LABEL, bold=True, italic=True,
         align=left_align)
    for recipient in lay.recipients:
        line(left, f"- {recipient}", size=SIZE_RECIPIENTS, align=left_align)
    if lay.signer_on_behalf_lines:
        line(right, lay.signer_on_behalf_lines, bold=True)
    line(right, lay.signer_title, bold=True)
    for __ in range(4):
        line(right, "")
    line(right, lay.signer_name, bold=True)

    # page numbers from page 2, centred at the top (Nghị định 30 style)
    section.different_first_page_header_footer = True
    hp = section.header.paragraphs[0]
    hp.alignment = center
    run = hp.add_run()
    run.font.size = Pt(SIZE_HEADER)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)

    # a draft is marked "DỰ THẢO" at the top right of every page, as in the PDF
    if lay.is_draft:
        for page_header in (section.first_page_header, section.header):
            mark = page_header.add_paragraph()
            mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            r = mark.add_run(str(DRAFT_MARK))
            r.font.size, r.bold = Pt(SIZE_HEADER), True

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# -- PDF --------------------------------------------------------------------------------------

# Debian packages that provide the libraries WeasyPrint opens, by the name it tries first.
_LIBRARY_PACKAGES = {
    "gobject": "libglib2.0-0",
    "pango-": "libpango-1.0-0",
    "pangoft2": "libpangoft2-1.0-0",
    "harfbuzz": "libharfbuzz0b",
    "fontconfig": "libfontconfig1",
}
_CANNOT_LOAD = re.compile(r"cannot load library '([^']+)'")


def missing_library_message(exc: BaseException) -> str:
    """What to tell a user when WeasyPrint cannot be imported, naming the library."""
    if isinstance(exc, ImportError) and not isinstance(exc, OSError):
        return (_("Không tạo được PDF: chưa cài thư viện Python WeasyPrint. Cài bằng: pip "
                  "install -r requirements.txt (gồm weasyprint), rồi cài thư viện hệ thống "
                  "Pango (Debian/Ubuntu: {apt_hint}).").format(apt_hint=APT_HINT))
    m = _CANNOT_LOAD.search(str(exc))
    library = m.group(1) if m else "Pango"
    package = next((pkg for key, pkg in _LIBRARY_PACKAGES.items()
                    if key in library.lower().removeprefix("lib")), "libpango-1.0-0")
    return (_("Không tạo được PDF: thiếu thư viện hệ thống {library} (gói Debian {package}) mà "
              "WeasyPrint cần để dàn trang. Cài trên Debian/Ubuntu: {apt_hint}").format(
                library=library,
                package=package,
                apt_hint=APT_HINT)
            + (f" {package}" if package not in APT_HINT else "") + ".")


def _weasyprint() -> Any:
    """Import WeasyPrint, or raise PdfUnavailable saying exactly what is missing."""
    import contextlib

    try:
        # WeasyPrint prints a troubleshooting banner to stdout when a library is missing;
        # the exception carries what we need.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(missing_library_message(exc)) from exc
    return weasyprint


def _no_network(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """Documents are self-contained: nothing is fetched, from the internet or elsewhere."""
    raise ValueError(_("không tải tài nguyên ngoài khi tạo PDF: {url}").format(url=url))


def pdf_stylesheet() -> str:
    from importlib.resources import files

    css = (files("doanvu.documents") / "pdf.css").read_text(encoding="utf-8")
    return css.replace("__FONTS__", PDF_FONTS)


def render_html(document: Document) -> str:
    """The HTML WeasyPrint lays out (also handy to inspect the PDF's content)."""
    return render_to_string("documents/render/pdf.html", {"doc": layout(document)})


def render_pdf(document: Document) -> bytes:
    """The document as PDF, laid out by WeasyPrint from the same content as the DOCX."""
    weasyprint = _weasyprint()
    html = weasyprint.HTML(string=render_html(document), url_fetcher=_no_network,
                           base_url="about:blank")
    css = weasyprint.CSS(string=pdf_stylesheet(), url_fetcher=_no_network)
    pdf: bytes = html.write_pdf(stylesheets=[css])
    return pdf


def html_to_pdf(html: str, *, css: str = "") -> bytes:
    """A self-contained HTML page (a table another module lays out) as PDF, offline, with the
    documents' fonts: `css` may use __FONTS__ for them."""
    weasyprint = _weasyprint()
    page = weasyprint.HTML(string=html, url_fetcher=_no_network, base_url="about:blank")
    sheets = [weasyprint.CSS(string=css.replace("__FONTS__", PDF_FONTS),
                             url_fetcher=_no_network)] if css else []
    pdf: bytes = page.write_pdf(stylesheets=sheets)
    return pdf


@dataclass(frozen=True)
class PdfCheck:
    ready: bool
    problems: tuple[str, ...]
    font: str = ""


ACCEPTED_FONTS = ("TimesNewRoman", "Times-New-Roman", "Times New Roman", "Liberation-Serif",
                  "LiberationSerif", "Tinos")


def pdf_check() -> PdfCheck:
    """Can this machine make PDFs with a Times New Roman-compatible font? (`doc_check`)"""
    try:
        weasyprint = _weasyprint()
    except PdfUnavailable as exc:
        return PdfCheck(False, (exc.message,))
    sample = ("<p style=\"font-family: " + PDF_FONTS.replace('"', "'")
              + "\">" + _("Đoàn TNCS Hồ Chí Minh – Tây Ninh, ngày 18 tháng 4 năm 2018") + "</p>")
    try:
        pdf = weasyprint.HTML(string=sample, url_fetcher=_no_network).write_pdf(
            uncompressed_pdf=True)
    except Exception as exc:  # noqa: BLE001 - report whatever the renderer says
        return PdfCheck(False, (_("Không tạo được PDF thử: {exc}").format(exc=exc),))
    fonts = sorted({m.decode("latin-1").split("+", 1)[-1]
                    for m in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", pdf)})
    if not any(any(ok.replace(" ", "") in f.replace(" ", "") for ok in ACCEPTED_FONTS)
               for f in fonts):
        return PdfCheck(False, (
            _("Không tìm thấy phông Times New Roman hoặc phông tương thích (Liberation Serif, "
              "Tinos); PDF đang dùng: {fonts}. Cài trên Debian/Ubuntu: apt-get "
              "install -y fonts-liberation2").format(
                fonts=", ".join(fonts) or _("không rõ")),), ", ".join(fonts))
    return PdfCheck(True, (), ", ".join(fonts))
