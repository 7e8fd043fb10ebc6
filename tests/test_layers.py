"""Import layering (issue 9, item 2): the modules of members import one way. Every import a
module makes, at its top or inside a function, counts: a cycle hidden in a function is still a
cycle. Modules are named by their path inside members, e.g. "dues.meetings"."""

from __future__ import annotations

import ast
from pathlib import Path

MEMBERS = Path(__file__).resolve().parent.parent / "doanvu" / "members"


def _modules() -> dict[str, tuple[Path, bool]]:
    """members-relative dotted name → (file, is a package's __init__)."""
    out = {}
    for path in MEMBERS.rglob("*.py"):
        parts = list(path.relative_to(MEMBERS).with_suffix("").parts)
        if "migrations" in parts:
            continue
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        if parts:
            out[".".join(parts)] = (path, is_pkg)
    return out


def _rel(target: str) -> str:
    return target[len("doanvu.members."):] if target.startswith("doanvu.members.") else ""


def members_imports() -> dict[str, set[str]]:
    """module name (e.g. "dues.services") → the members modules it imports anywhere in its
    text (a `from pkg import name` counts pkg.name when that is a module, else pkg)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, is_pkg) in modules.items():
        here = ["doanvu", "members", *name.split(".")]
        package = here if is_pkg else here[:-1]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    absmod = ".".join([*base, node.module] if node.module else base)
                else:
                    absmod = node.module or ""
                targets = [f"{absmod}.{a.name}" for a in node.names]
                targets = [t if _rel(t) in modules else absmod for t in targets]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            found.update(_rel(t) for t in targets if _rel(t) in modules)
        graph[name] = found - {name}
    return graph


def reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        cur = todo.pop()
        if cur == goal:
            return True
        if cur not in seen:
            seen.add(cur)
            todo.extend(graph.get(cur, ()))
    return False


def test_i9_the_parser_sees_imports_inside_functions() -> None:
    graph = members_imports()
    assert "imports.services" in graph["imports.tasks"]  # tasks run the importer's steps
    assert "dues.services" in graph["dues.meetings"]
    assert "imports.services" in graph["apps"]  # inside a function


def test_i9_dues_and_meetings_do_not_import_each_other() -> None:
    graph = members_imports()
    assert (reaches(graph, "dues.services", "dues.meetings"),
            reaches(graph, "dues.meetings", "dues.services")) != (True, True)


def test_i9_importers_and_tasks_do_not_import_each_other() -> None:
    graph = members_imports()
    assert (reaches(graph, "imports.services", "imports.tasks"),
            reaches(graph, "imports.tasks", "imports.services")) != (True, True)
