"""Import layering (issue 9, item 2): the modules of members import one way. Every import a
module makes, at its top or inside a function, counts: a cycle hidden in a function is still a
cycle."""

from __future__ import annotations

import ast
from pathlib import Path

MEMBERS = Path(__file__).resolve().parent.parent / "doanvu" / "members"


def members_imports() -> dict[str, set[str]]:
    """module name (e.g. "dues") → the members modules it imports anywhere in its text."""
    modules = {p.stem for p in MEMBERS.glob("*.py")} - {"__init__"}
    graph: dict[str, set[str]] = {}
    for name in modules:
        tree = ast.parse((MEMBERS / f"{name}.py").read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1 and node.module:  # from .dues import x
                    found.add(node.module.split(".")[0])
                elif node.level == 1:  # from . import dues
                    found.update(a.name for a in node.names)
                elif node.level == 0 and (node.module or "").startswith("doanvu.members."):
                    found.add((node.module or "").split(".")[2])
                elif node.level == 0 and node.module == "doanvu.members":
                    found.update(a.name for a in node.names)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("doanvu.members."):
                        found.add(alias.name.split(".")[2])
        graph[name] = (found & modules) - {name}
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
    assert "importers" in graph["tasks"]  # tasks run the importer's steps
    assert "dues" in graph["meetings"]


def test_i9_dues_and_meetings_do_not_import_each_other() -> None:
    graph = members_imports()
    assert (reaches(graph, "dues", "meetings"), reaches(graph, "meetings", "dues")) != (True, True)


def test_i9_importers_and_tasks_do_not_import_each_other() -> None:
    graph = members_imports()
    assert (reaches(graph, "importers", "tasks"), reaches(graph, "tasks", "importers")) != (
        True, True)
