"""X-1: no user-visible Vietnamese literal escapes translation.

Run as `python -m doanvu.common.i18n_check` (CI does): it lists every Vietnamese string literal
in our Python code that is not an argument of a gettext function, and every Vietnamese text in a
template outside `{% translate %}` / `{% blocktranslate %}` / `_("…")`, and exits non-zero if
there is one. Vietnamese is the source language: wrapping changes nothing a user sees today,
and `make messages` collects the strings for other languages.

Not checked: docstrings (developer text), tests, migrations, the demo data (seed content, not
interface: `doanvu/demo/` and the apps' `demo.py`), and statements marked `# i18n: data` on
their first line (tables of proper names such as provinces, which are data, not interface).
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

# Vietnamese letters beyond ASCII: the vowels with their marks, and đ.
VIETNAMESE = re.compile(
    "[àáâãèéêìíòóôõùúýăđĩũơưạ-ỹÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠ-Ỹ]"
)
GETTEXT = frozenset({
    "_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
    "gettext_noop", "npgettext", "npgettext_lazy", "_lazy",
})
DATA_MARK = "i18n: data"

ROOT = Path(__file__).resolve().parent.parent  # the doanvu package


def _skipped(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return "migrations" in parts or parts[0] == "demo" or path.name == "demo.py" or (
        path.name == "i18n_check.py")


def _docstring_ids(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def python_problems(source: str, name: str = "<string>") -> list[str]:
    """`file:line: text` for each unwrapped Vietnamese literal of one Python source."""
    tree = ast.parse(source)
    lines = source.splitlines()
    exempt = _docstring_ids(tree)
    marked: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and DATA_MARK in lines[node.lineno - 1]:
            marked.append((node.lineno, node.end_lineno or node.lineno))
        if isinstance(node, ast.Call) and _call_name(node) in GETTEXT:
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                exempt.update(id(n) for n in ast.walk(arg) if isinstance(n, ast.Constant))
    problems = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if id(node) in exempt or not VIETNAMESE.search(node.value):
            continue
        if any(start <= node.lineno <= end for start, end in marked):
            continue
        problems.append(f"{name}:{node.lineno}: {node.value.strip()[:60]!r}")
    return problems


_TEMPLATE_WRAPPED = re.compile(
    r"\{#.*?#\}"
    r"|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}"
    r"|\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}"
    r"|\{%\s*trans(?:late)?\s+(?:\"[^\"]*\"|'[^']*').*?%\}"
    r"|\b_\((?:\"[^\"]*\"|'[^']*')\)",
    re.DOTALL,
)


def template_problems(source: str, name: str = "<template>") -> list[str]:
    """`file:line: text` for each Vietnamese text of a template outside translation tags."""
    # blank what is wrapped (keeping line breaks, so line numbers stay true)
    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    stripped = _TEMPLATE_WRAPPED.sub(blank, source)
    problems = []
    for number, line in enumerate(stripped.splitlines(), start=1):
        if VIETNAMESE.search(line):
            problems.append(f"{name}:{number}: {line.strip()[:60]!r}")
    return problems


def tree_problems(root: Path = ROOT) -> Iterator[str]:
    for path in sorted(root.rglob("*.py")):
        if not _skipped(path, root):
            yield from python_problems(path.read_text(encoding="utf-8"),
                                       str(path.relative_to(root.parent)))
    for path in sorted(root.rglob("*.html")):
        yield from template_problems(path.read_text(encoding="utf-8"),
                                     str(path.relative_to(root.parent)))


def main(argv: Iterable[str] = ()) -> int:
    problems = list(tree_problems())
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} chuỗi tiếng Việt chưa bọc gettext (X-1).", file=sys.stderr)
        return 1
    print("i18n: mọi chuỗi tiếng Việt đã được bọc.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
