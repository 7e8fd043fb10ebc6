"""The rubric as an .xlsx workbook (EMU-1), written through common.spreadsheet (safe cells):
a general sheet, the areas and criteria, bonus and penalty items, tiers, disqualifying
conditions and the tie-break order. `importers.rubric_read` reads the same shape back."""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import slugify

from doanvu.common.spreadsheet import XlsxWriter
from doanvu.common.text import fold
from doanvu.org.models import Department

from . import xlsx_layout as L
from .models import ItemKind, RankingSnapshot, Rubric, ScoringMethod, TieBreakKey
from .services import rubric_spec


def _n(value: Decimal | None) -> Decimal | None:
    """A number as the sheet shows it: 10 rather than 10.00."""
    return None if value is None else value.normalize() + Decimal(0)


def rubric_workbook(rubric: Rubric) -> bytes:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    spec = rubric_spec(rubric)
    departments = dict(Department.objects.filter(unit_id=rubric.issuing_unit_id)
                       .values_list("pk", "name"))
    methods = {k: str(v) for k, v in ScoringMethod.choices}
    kinds = {k: str(v) for k, v in ItemKind.choices}
    steps = {k: str(v) for k, v in TieBreakKey.choices}
    tier_names = {t.code: t.name for t in spec.tiers}
    book = XlsxWriter()

    general = book.sheet(L.sheet_general())
    labels = L.general_labels()
    general.append([labels["name"], spec.name])
    general.append([labels["issuing_unit"], rubric.issuing_unit.name])
    general.append([labels["year"], rubric.year])
    general.append([labels["group"], rubric.group.name])
    general.append([labels["bonus_cap"], _n(spec.bonus_cap)])
    general.append([labels["penalty_cap"], _n(spec.penalty_cap)])
    general.column_widths([28, 60])

    sheet = book.sheet(L.sheet_criteria())
    sheet.freeze("A2")
    sheet.column_widths([10, 40, 12, 10, 60, 10, 28, 10, 28, 12, 40])
    sheet.append(list(L.criteria_headers().values()), font=bold)
    for a in spec.areas:
        area_cells = [a.code, a.title, _n(a.max_points)]
        if not a.criteria:
            sheet.append([*area_cells, *[None] * 8])
        for c in a.criteria:
            sheet.append([*area_cells, c.code, c.title, _n(c.max_points), methods[c.method],
                          _n(c.unit_points), departments.get(c.department_id or 0),
                          L.yes() if c.evidence_required else L.no(), c.evidence or None])

    sheet = book.sheet(L.sheet_items())
    sheet.column_widths([14, 10, 60, 12, 12, 28])
    sheet.append(list(L.items_headers().values()), font=bold)
    for i in spec.items:
        sheet.append([kinds[i.kind], i.code, i.title, _n(i.points), _n(i.cap),
                      departments.get(i.department_id or 0)])

    sheet = book.sheet(L.sheet_tiers())
    sheet.column_widths([8, 12, 36, 14, 16])
    sheet.append(list(L.tiers_headers().values()), font=bold)
    for t in spec.tiers:
        sheet.append([t.rank, t.code, t.name, _n(t.min_score), _n(t.max_share)])

    sheet = book.sheet(L.sheet_disqualifiers())
    sheet.column_widths([10, 60, 36])
    sheet.append(list(L.disqualifiers_headers().values()), font=bold)
    for d in spec.disqualifiers:
        sheet.append([d.code, d.label, tier_names.get(d.barred_tier, d.barred_tier)])

    sheet = book.sheet(L.sheet_tie_breaks())
    sheet.column_widths([8, 36, 20])
    sheet.append(list(L.tie_break_headers().values()), font=bold)
    for n, step in enumerate(spec.tie_breaks, start=1):
        sheet.append([n, steps.get(step["key"], step["key"]), step.get("ref") or None])
    return book.to_bytes()


def rubric_filename(rubric: Rubric) -> str:
    return f"thang-diem-{rubric.year}-{slugify(fold(rubric.group.name)) or rubric.pk}.xlsx"


def snapshot_workbook(snapshot: RankingSnapshot) -> bytes:
    """A ranking snapshot as an .xlsx table (safe cells): rank, unit, scores, tier, reasons."""
    from django.utils.translation import gettext as _
    from openpyxl.styles import Font

    from .models import RankingEntry

    book = XlsxWriter()
    sheet = book.sheet(_("Xếp hạng"))
    sheet.column_widths([8, 40, 12, 12, 12, 12, 30, 40])
    rubric = snapshot.rubric
    sheet.append([rubric.name, rubric.group.name])
    sheet.append([str(snapshot.get_state_display()),
                  snapshot.published_on.strftime("%d/%m/%Y") if snapshot.published_on
                  else snapshot.computed_at.strftime("%d/%m/%Y")])
    sheet.append([_("Hạng"), _("Đơn vị"), _("Điểm cuối cùng"), _("Điểm các tiêu chí"),
                  _("Điểm thưởng"), _("Điểm trừ"), _("Xếp loại"), _("Lý do xếp loại")],
                 font=Font(bold=True))
    for e in (RankingEntry.objects.filter(snapshot=snapshot).select_related("unit")
              .order_by("position", "id")):
        sheet.append([e.rank, e.unit.name, _n(e.total), _n(e.criteria_total), _n(e.bonus),
                      _n(e.penalty), e.tier_name, e.tier_reasons])
    return book.to_bytes()


def snapshot_filename(snapshot: RankingSnapshot) -> str:
    rubric = snapshot.rubric
    return (f"xep-hang-{rubric.year}-{slugify(fold(rubric.group.name)) or rubric.pk}"
            f"-{snapshot.pk}.xlsx")
