"""Unit names and role titles follow one capitalisation rule (issue 10, item 10): the level word
is capitalised and "đoàn" after it is not — "Thành đoàn", "Tỉnh đoàn", "Quận đoàn", "Huyện đoàn",
"Thị đoàn"; a branch is "Chi đoàn …" at the start of its name and "chi đoàn" inside a title
("Bí thư chi đoàn"); "Đoàn xã", "Đoàn phường", "Đoàn cơ sở" keep the level word in lower case.
"Trung ương Đoàn" and "Đoàn Thanh niên …" name the Union itself and keep their capital.

The demo data, the synthetic nation, the role types and every label in the code are checked, so a
new name written another way fails here. The seed documents (documents/seed_texts) are verbatim
copies of the source plans and are left as their authors wrote them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import doanvu
from doanvu.accounts.models import RoleType
from doanvu.demo import demo_data, nation

RULES = (
    (re.compile(r"\b(Thành|Tỉnh|Quận|Huyện|Thị) Đoàn\b"), "“{0} Đoàn” → “{0} đoàn”"),
    (re.compile(r"\bChi Đoàn\b"), "“Chi Đoàn” → “Chi đoàn”"),
    (re.compile(r"\b(Bí thư|Phó Bí thư|Ủy viên|BCH|BTV) Chi đoàn\b"),
     "“{0} Chi đoàn” → “{0} chi đoàn”"),
    (re.compile(r"\bĐoàn (Xã|Phường|Thị Trấn|Thị trấn|Cơ Sở|Cơ sở)\b"),
     "“Đoàn {0}” → “Đoàn {0}” in lower case"),
)


def problems(text: str) -> list[str]:
    out = []
    for pattern, advice in RULES:
        for m in pattern.finditer(text):
            out.append(f"{text!r}: " + advice.format(m[1] if m.groups() else ""))
    return out


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple | list | set | frozenset):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)


def _module_strings(module: object) -> list[str]:
    return [s for name, value in vars(module).items() if not name.startswith("__")
            for s in _strings(value)]


@pytest.mark.parametrize("bad", ["Thành Đoàn TP. Hồ Chí Minh", "Quận Đoàn 1", "Huyện Đoàn Củ Chi",
                                 "Tỉnh Đoàn Tây Ninh", "Bí thư Chi đoàn", "Chi Đoàn ấp 1",
                                 "Đoàn Xã Phan"])
def test_the_rule_catches_the_old_spellings(bad: str) -> None:
    assert problems(bad) != []


@pytest.mark.parametrize("good", ["Thành đoàn TP. Hồ Chí Minh", "Quận đoàn 1", "Bí thư chi đoàn",
                                  "Chi đoàn ấp Bình Phong", "Đoàn xã Phan", "Trung ương Đoàn",
                                  "Bí thư Thành đoàn", "Đoàn Thanh niên Bộ Công an",
                                  "Ban Bí thư Trung ương Đoàn", "Trường Đoàn Lý Tự Trọng"])
def test_the_rule_leaves_right_names_alone(good: str) -> None:
    assert problems(good) == []


def test_demo_unit_names_and_titles_follow_the_rule() -> None:
    found = [p for s in _module_strings(demo_data) + _module_strings(nation) for p in problems(s)]

    assert found == []


@pytest.mark.django_db
def test_role_type_names_follow_the_rule() -> None:
    names = list(RoleType.objects.values_list("name", flat=True))

    assert "Bí thư chi đoàn" in names
    assert [p for n in names for p in problems(n)] == []


def test_labels_and_templates_in_the_code_follow_the_rule() -> None:
    root = Path(doanvu.__file__).parent
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".py", ".html", ".txt") or "seed_texts" in path.parts \
                or "locale" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [f"{path.relative_to(root)}:{n}: {p}" for p in problems(line)]

    assert found == []
