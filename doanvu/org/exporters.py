"""Exports of unit lists: (filename, content_type, bytes), like pretix's exporters."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.dates import format_date
from doanvu.common.spreadsheet import XLSX, XlsxWriter, csv_writer

from .models import Sector, Unit, UnitVersion

HEADERS = [
    _lazy("Mã"), _lazy("Tên đơn vị"), _lazy("Loại"), _lazy("Khu vực"), _lazy("Đơn vị cấp trên"),
    _lazy("Cấp"), _lazy("Ngày thành lập"),
]


ParentShown = Callable[[Unit], bool]


def _rows(units: Iterable[Unit] | Iterable[UnitVersion], as_of: dt.date | None = None,
          parent_shown: ParentShown | None = None) -> Iterable[list[object]]:
    """Rows of the export; a parent is named only if `parent_shown` allows (X-3: the user may
    read the unit but not the one above it)."""
    sectors = {value: str(label) for value, label in Sector.choices}

    def parent_name(parent: Unit | None, name: str | None) -> str:
        if parent is None or (parent_shown is not None and not parent_shown(parent)):
            return ""
        return name or ""

    if as_of is not None:
        # versions of that date (selectors.unit_subtree_on), the parent named as it was then
        for v in units:
            yield [v.unit_id, v.name, v.kind.name, sectors.get(v.sector, ""),  # type: ignore[union-attr]
                   parent_name(v.parent, v.parent_name),  # type: ignore[union-attr]
                   v.depth, format_date(v.unit.founded_on)]  # type: ignore[union-attr]
        return
    for u in units:
        yield [u.pk, u.name, u.kind.name, sectors.get(u.sector, ""),
               parent_name(u.parent, u.parent.name if u.parent else None),
               u.depth, format_date(u.founded_on)]  # type: ignore[union-attr]


def export_units_csv(units: Iterable[Unit] | Iterable[UnitVersion], *, root: Unit,
                     as_of: dt.date | None, parent_shown: ParentShown | None = None
                     ) -> tuple[str, str, bytes]:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 CSV with diacritics only with a BOM
    writer = csv_writer(buf)
    writer.writerow([str(h) for h in HEADERS])
    writer.writerows(_rows(units, as_of, parent_shown))
    return (f"don-vi-{root.pk}.csv", "text/csv; charset=utf-8", buf.getvalue().encode("utf-8"))


def export_units_xlsx(units: Iterable[Unit] | Iterable[UnitVersion], *, root: Unit,
                      as_of: dt.date | None, parent_shown: ParentShown | None = None
                      ) -> tuple[str, str, bytes]:
    from openpyxl.styles import Font

    wb = XlsxWriter()
    ws = wb.sheet(_("Đơn vị"))
    title = _("Danh sách đơn vị thuộc {root_name}").format(root_name=root.name)
    if as_of:
        title += _(" (tại ngày {as_of})").format(as_of=format_date(as_of))
    ws.append([title])
    ws.append([str(h) for h in HEADERS], font=Font(bold=True))
    for row in _rows(units, as_of, parent_shown):
        ws.append(row)
    return (f"don-vi-{root.pk}.xlsx", XLSX, wb.to_bytes())
