"""The layers of docs/architecture.md, checked on every import of every doanvu module.

Apps, lowest first: the base `common` ← `audit` ← `org` ← `accounts`, then the pages of the
base, then the engines `documents` and `hub`, the domains (`members`), and `demo`. A module may
import its own app and anything strictly lower, never higher nor sideways. The one exception
is by module: the pages of a base app (`views`, `agency_views`, `forms`, `agency_forms`, `urls`)
sit above the whole base's models, services and selectors — a page is where a request becomes a
Scope — and below the other base apps' pages. Function-level imports count like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import doanvu

ROOT = Path(doanvu.__file__).parent
BASE = {"common": 0, "audit": 1, "org": 2, "accounts": 3}
ABOVE_BASE = {"documents": 2, "hub": 2, "members": 3, "inspections": 4, "fieldvisits": 4,
              "remediation": 4, "targets": 4,
              "emulation": 5, "surveys": 5, "plans": 5,
              "ops": 6, "demo": 6,
              # the JSON API (issue 16): on top, through every app's selectors and services
              "api": 7}
PAGES = {"views", "agency_views", "forms", "agency_forms", "urls"}
PROJECT = {"settings", "urls", "wsgi", "asgi", "gunicorn_conf"}  # the project itself: above all


def _app(module: str) -> str:
    return module.split(".")[1]


def layer(module: str) -> tuple[int, int] | None:
    """(tier, rank) of a doanvu module; None for the project package, which may import all."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] in PROJECT:
        return None
    app = parts[1]
    if app in BASE:
        return (1 if parts[-1] in PAGES else 0, BASE[app])
    if app in ABOVE_BASE:
        return (ABOVE_BASE[app], 0)
    raise AssertionError(f"{module}: app {app} has no layer in tests/test_app_layers.py "
                         "(and docs/architecture.md)")


def imports_of(source: str, module: str, *, package: bool = False) -> list[tuple[str, int]]:
    """Every doanvu module `source` imports (module level and inside functions), with lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base if package else base[:-1]
                base = base[: len(base) - node.level + 1]
                names = [".".join([*base, node.module] if node.module else base)]
            else:
                names = [node.module or ""]
        else:
            continue
        found += [(name, node.lineno) for name in names if name.startswith("doanvu.")]
    return found


def violations(source: str, module: str, *, package: bool = False) -> list[str]:
    mine = layer(module)
    if mine is None:
        return []
    found = []
    for target, line in imports_of(source, module, package=package):
        if _app(target) == _app(module):
            continue
        theirs = layer(target)
        if theirs is None or theirs >= mine:
            found.append(f"{module} (line {line}) imports {target}: {_app(target)} is not below "
                         f"{_app(module)}'s {'pages' if mine[0] == 1 else 'layer'} "
                         "(docs/architecture.md, layers)")
    return found


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        parts = list(rel.parts)
        if "migrations" in parts:
            continue
        out.append((".".join(parts), path))
    return out


def test_i9_no_module_imports_a_higher_or_sideways_app() -> None:
    found = []
    for module, path in _modules():
        package = path.name == "__init__.py"
        if package:
            module = module.removesuffix(".__init__")
        found += violations(path.read_text(encoding="utf-8"), module, package=package)
    assert found == [], "\n".join(found)


def test_i9_layer_check_catches_function_level_and_relative_imports() -> None:
    planted = (
        "from __future__ import annotations\n"
        "from doanvu.common.text import fold\n"
        "def f():\n"
        "    from doanvu.accounts.models import RoleGrant\n"
        "    from ..members import rules\n"
        "    import doanvu.hub.services\n"
    )
    assert violations(planted, "doanvu.org.services") == [
        "doanvu.org.services (line 4) imports doanvu.accounts.models: accounts is not below "
        "org's layer (docs/architecture.md, layers)",
        "doanvu.org.services (line 5) imports doanvu.members: members is not below "
        "org's layer (docs/architecture.md, layers)",
        "doanvu.org.services (line 6) imports doanvu.hub.services: hub is not below "
        "org's layer (docs/architecture.md, layers)",
    ]
    # org's pages may ask accounts' scope; audit's pages may not reach org's pages
    assert violations("from doanvu.accounts.scope import scope_of\n", "doanvu.org.views") == []
    assert violations("from doanvu.org.views import pick_context\n", "doanvu.audit.views") == [
        "doanvu.audit.views (line 1) imports doanvu.org.views: org is not below audit's pages "
        "(docs/architecture.md, layers)",
    ]
    # engines sit side by side: neither imports the other
    assert violations("from doanvu.hub import services\n", "doanvu.documents.services") == [
        "doanvu.documents.services (line 1) imports doanvu.hub: hub is not below documents's "
        "layer (docs/architecture.md, layers)",
    ]


def test_i9_permission_names_below_accounts_match_its_kinds() -> None:
    from doanvu.accounts.models import PermissionKind
    from doanvu.org import permissions, selectors

    assert PermissionKind.READ.value == selectors.READ == permissions.READ
    assert PermissionKind.WRITE.value == permissions.WRITE
    assert PermissionKind.ADMINISTER.value == permissions.ADMINISTER
