"""The body of a document, typed as text the way cadres write plans, parsed into sections.

Each non-empty line is one block:

    I. MỤC ĐÍCH, YÊU CẦU          a level-1 heading (Roman numeral)
    1. Mục đích                    level 2 (1.), level 3 (1.1.), level 4 (1.1.1.)
    - Tăng cường …                 a bullet
    + Mời đồng chí …               a sub-bullet
    Bất kỳ dòng nào khác           a paragraph
    \\1. không phải đề mục         a leading backslash keeps a line a paragraph

Inside a line, **đậm** and *nghiêng* mark bold and italic runs.

The structure is a list of sections ``{"marker", "heading", "level", "blocks", "children"}``;
blocks are ``{"kind": "p" | "-" | "+", "text"}`` in the order typed, because real plans mix
paragraphs and bullets under one heading. Lines before the first heading form a section with
level 0 and no heading. ``print_body(parse_body(text))`` gives the text back in canonical form,
and ``parse_body(print_body(sections)) == sections``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

HEADINGS = (
    (1, re.compile(r"^(?P<marker>[IVXL]+\.)\s+(?P<text>\S.*)$")),
    (4, re.compile(r"^(?P<marker>\d{1,2}\.\d{1,2}\.\d{1,2}\.)\s+(?P<text>\S.*)$")),
    (3, re.compile(r"^(?P<marker>\d{1,2}\.\d{1,2}\.)\s+(?P<text>\S.*)$")),
    (2, re.compile(r"^(?P<marker>\d{1,2}\.)\s+(?P<text>\S.*)$")),
)
BULLETS = {"-": "-", "–": "-", "•": "-", "·": "-", "+": "+"}
BLOCK_KINDS = ("p", "-", "+")
MAX_LEVEL = 4
_SPACES = re.compile(r"[ \t\u00a0]+")
_INLINE = re.compile(r"\*\*(?P<bold>.+?)\*\*|\*(?P<italic>[^\s*](?:.*?[^\s*])?)\*")


class MarkupError(ValueError):
    """The structure is not a list of well-formed sections (for data coming from elsewhere)."""


def clean_line(text: str) -> str:
    """NFC, single spaces, no surrounding blanks; newlines are not kept inside a line."""
    text = unicodedata.normalize("NFC", str(text)).replace("\r", " ").replace("\n", " ")
    return _SPACES.sub(" ", text).strip()


def clean_lines(text: str) -> list[str]:
    """A textarea of one item a line ("Căn cứ …", "Nơi nhận"): cleaned, empty lines dropped."""
    lines = [clean_line(line) for line in unicodedata.normalize("NFC", text or "").splitlines()]
    return [line for line in lines if line]


# -- parsing ----------------------------------------------------------------------------------


def _new_section(marker: str, heading: str, level: int) -> dict[str, Any]:
    return {"marker": marker, "heading": heading, "level": level, "blocks": [], "children": []}


def parse_line(line: str) -> tuple[str, dict[str, Any]]:
    """("heading", section) or ("block", block) for one cleaned, non-empty line."""
    if line.startswith("\\"):
        return "block", {"kind": "p", "text": line[1:].lstrip()}
    for level, pattern in HEADINGS:
        m = pattern.match(line)
        if m:
            return "heading", _new_section(m["marker"], m["text"], level)
    first, __, rest = line.partition(" ")
    if first in BULLETS and rest.strip():
        return "block", {"kind": BULLETS[first], "text": rest.strip()}
    return "block", {"kind": "p", "text": line}


def parse_body(text: str) -> list[dict[str, Any]]:
    """Text with light markup → sections (see the module docstring)."""
    roots: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for raw in unicodedata.normalize("NFC", text or "").splitlines():
        line = clean_line(raw)
        if not line:
            continue
        what, item = parse_line(line)
        if what == "heading":
            # the untitled opening section (level 0) never holds headings
            while stack and (stack[-1]["level"] == 0 or stack[-1]["level"] >= item["level"]):
                stack.pop()
            (stack[-1]["children"] if stack else roots).append(item)
            stack.append(item)
            continue
        if not stack:
            if not roots or roots[-1]["level"] != 0:
                roots.append(_new_section("", "", 0))
            stack.append(roots[-1])
        stack[-1]["blocks"].append(item)
    return roots


def parse_paragraphs(text: str) -> list[str]:
    """Closing paragraphs: one a line."""
    return clean_lines(text)


# -- printing ---------------------------------------------------------------------------------


def _block_line(block: dict[str, Any]) -> str:
    text = block["text"]
    if block["kind"] in ("-", "+"):
        return f"{block['kind']} {text}"
    what, parsed = parse_line(text)
    if text.startswith("\\") or what == "heading" or parsed["kind"] != "p":
        return "\\" + text
    return text


def print_body(sections: list[dict[str, Any]]) -> str:
    """Sections → the text a cadre edits; blank lines between blocks for readability."""
    lines: list[str] = []

    def walk(section: dict[str, Any]) -> None:
        if section["level"]:
            lines.append(f"{section['marker']} {section['heading']}")
        lines.extend(_block_line(b) for b in section["blocks"])
        for child in section["children"]:
            walk(child)

    for section in sections:
        walk(section)
    return "\n\n".join(lines)


# -- validating structure from elsewhere (services accept structure, not text) -----------------


def clean_sections(value: object, *, _depth: int = 0) -> list[dict[str, Any]]:
    """Check and normalise a list of sections; raise MarkupError naming what is wrong."""
    if not isinstance(value, list | tuple):
        raise MarkupError(_("nội dung phải là danh sách các mục"))
    result: list[dict[str, Any]] = []
    for n, section in enumerate(value, start=1):
        if not isinstance(section, dict):
            raise MarkupError(_("mục thứ {n} không hợp lệ").format(n=n))
        level = section.get("level", 0)
        if not isinstance(level, int) or not 0 <= level <= MAX_LEVEL:
            raise MarkupError(_("cấp đề mục của mục thứ {n} không hợp lệ").format(n=n))
        marker = clean_line(section.get("marker", "") or "")
        heading = clean_line(section.get("heading", "") or "")
        if level and not heading:
            raise MarkupError(_("đề mục thứ {n} chưa có tên").format(n=n))
        blocks = []
        for block in section.get("blocks", []) or []:
            if not isinstance(block, dict) or block.get("kind") not in BLOCK_KINDS:
                raise MarkupError(_("một đoạn của mục “{section}” không hợp lệ").format(
                                      section=heading or n))
            text = clean_line(block.get("text", "") or "")
            if text:
                blocks.append({"kind": block["kind"], "text": text})
        if _depth > MAX_LEVEL:
            raise MarkupError(_("đề mục lồng nhau quá sâu"))
        children = clean_sections(section.get("children", []) or [], _depth=_depth + 1)
        result.append({"marker": marker, "heading": heading, "level": level, "blocks": blocks,
                       "children": children})
    return result


# -- inline runs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


def runs(text: str, *, bold: bool = False, italic: bool = False) -> list[Run]:
    """Split **bold** and *italic* marks into runs, on top of a base style."""
    out: list[Run] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append(Run(text[pos:m.start()], bold, italic))
        if m["bold"] is not None:
            out.extend(runs(m["bold"], bold=True, italic=italic))
        else:
            out.append(Run(m["italic"], bold, True))
        pos = m.end()
    if pos < len(text):
        out.append(Run(text[pos:], bold, italic))
    return [r for r in out if r.text]


def plain(text: str) -> str:
    """The text without inline marks (for titles, search, the register)."""
    return "".join(r.text for r in runs(text))
