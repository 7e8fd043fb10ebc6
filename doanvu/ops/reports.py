"""Periodic reports produced in bulk (API-2, `manage.py generate_reports`): the same workbooks
the pages offer for download, for chosen units and a year, written into a folder.

- `chi-tieu`: the targets report of seed 003 §6 (targets.reports: semi-annual "H" or annual "Y");
- `khac-phuc`: the remediation office's overview of the year (REM-4, remediation.reports);
- `di-co-so`: every field-visit roll-up the unit owes for the year (fieldvisits.rollups).

Pure of writes to the database; the caller's scope decides which units may be read (404 alike
for a unit missing or outside it, as on the pages)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.common.periods import Period
from doanvu.fieldvisits import rollups
from doanvu.org.models import Unit
from doanvu.remediation import reports as rem_reports
from doanvu.targets import reports as target_reports
from doanvu.targets import selectors as target_selectors
from doanvu.targets.formulas import tree_on

KINDS = ("chi-tieu", "khac-phuc", "di-co-so")


def _targets(scope: Scope, unit: Unit, year: int, half: bool) -> list[tuple[str, bytes]]:
    period = Period.half(year, 1) if half else Period.of_year(year)
    rows = target_selectors.report_rows(scope=scope, unit=unit, period=period)
    trees: dict[object, dict[str, Unit]] = {}
    figures = []
    for r in rows:
        if r.day not in trees:
            trees[r.day] = tree_on(unit, r.day).children
        figures.append(target_selectors.child_figures(row=r.row, unit=unit, day=r.day,
                                                      children=trees[r.day]))
    name, _type, data = target_reports.report_workbook(unit=unit, period=period, rows=rows,
                                                       figures=figures)
    return [(name, data)]  # "chi-tieu-<unit>-<year>-<H|Y>.xlsx"


def _remediation(unit: Unit, year: int) -> list[tuple[str, bytes]]:
    data = rem_reports.office_workbook(rem_reports.overview(unit, year))
    return [(f"khac-phuc-{unit.pk}-{year}-tong-hop.xlsx", data)]


def _fieldvisits(unit: Unit, year: int) -> list[tuple[str, bytes]]:
    return [(f"di-co-so-{unit.pk}-{year}-{due.spec.code}-{due.n}.xlsx",
             rollups.workbook(rollups.report(unit, year, due.spec.period, due.n)))
            for due in rollups.schedule(unit, year)]


def generate(*, scope: Scope, unit: Unit, kind: str, year: int, half: bool = False
             ) -> list[tuple[str, bytes]]:
    """(file name, bytes) of each report of `kind` for the unit and year; ApplicationError
    (naming what is missing, e.g. no field-visit policy that year) when there is none to make."""
    if kind == "chi-tieu":
        return _targets(scope, unit, year, half)
    if kind == "khac-phuc":
        return _remediation(unit, year)
    if kind == "di-co-so":
        return _fieldvisits(unit, year)
    raise ValueError(kind)


def write(folder: Path, files: list[tuple[str, bytes]], say: Callable[[str], None]) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files:
        safe = Path(name).name  # a name, never a path
        partial = folder / f".{safe}.tmp"
        partial.write_bytes(data)
        os.replace(partial, folder / safe)
        say(_("Đã ghi {file}").format(file=folder / safe))
    return len(files)
