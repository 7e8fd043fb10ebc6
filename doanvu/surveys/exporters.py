"""Exports of surveys: (filename, content_type, bytes), like pretix's exporters. Cells go
through common.spreadsheet's safe sheet (text that looks like a formula stays text)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from doanvu.common.spreadsheet import XLSX, XlsxWriter

from . import rules
from .selectors import Tabulation


def answer_text(q: rules.Question, value: Any) -> object:
    if value is None:
        return ""
    if q.kind == rules.MULTIPLE and isinstance(value, list):
        return "; ".join(value)
    if q.kind == rules.TABLE and isinstance(value, dict):
        return "; ".join(f"{q.rows[int(k.split('|')[0])]} – {q.cols[int(k.split('|')[1])]}: {v}"
                         for k, v in sorted(value.items()))
    if q.kind == rules.FILE:
        return _("Có tệp")
    if q.kind in rules.NUMERIC_KINDS:
        try:
            return float(value)
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def export_tabulation_xlsx(tab: Tabulation,
                           raw: list[tuple[str, dict[str, Any]]]) -> tuple[str, str, bytes]:
    """One sheet per question (its counts and shares, summary or sums) and a sheet of the raw
    answers, one row per answer (the unit; none for anonymous answers)."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    wb = XlsxWriter()
    for t in tab.tables:
        q = t.question
        ws = wb.sheet(_("Câu {n}").format(n=q.number))
        ws.column_widths((48, 14, 14, 14))
        ws.append([q.label], font=bold)
        ws.append([_("Số phiếu trả lời câu này: {n}").format(n=t.answered)])
        if q.kind in rules.CHOICE_KINDS:
            ws.append([_("Lựa chọn"), _("Số phiếu"), _("Tỷ lệ (%)")], font=bold)
            for o in t.options:
                ws.append([o.option, o.count, o.tenths / 10])
        elif q.kind in rules.NUMERIC_KINDS:
            ws.append([_("Trung bình"), float(t.mean) if t.mean is not None else ""])
            ws.append([_("Nhỏ nhất"), float(t.minimum) if t.minimum is not None else ""])
            ws.append([_("Lớn nhất"), float(t.maximum) if t.maximum is not None else ""])
            ws.append([_("Tổng"), float(t.total) if t.total is not None else ""])
            if t.distribution:
                ws.append([_("Điểm"), _("Số phiếu"), _("Tỷ lệ (%)")], font=bold)
                for o in t.distribution:
                    ws.append([o.option, o.count, o.tenths / 10])
        elif q.kind == rules.TABLE:
            ws.append(["", *q.cols], font=bold)
            for r, row in enumerate(q.rows):
                ws.append([row, *[float(t.cell(r, c)) for c in range(len(q.cols))]])
        elif q.kind in (rules.SHORT, rules.LONG):
            ws.append([_("Đơn vị"), _("Câu trả lời")], font=bold)
            for unit, text in t.texts:
                ws.append([unit if not tab.questionnaire.anonymous else "", text])
    cross = [(t.question, title, head, rows) for t in tab.tables
             for title, head, rows in ((_("Theo cấp đơn vị"), _("Cấp"),
                                        tab.by_level.get(t.question.code, [])),
                                       (_("Theo khu vực"), _("Khu vực"),
                                        tab.by_sector.get(t.question.code, []))) if rows]
    numbers = [(t.question, title, head, rows) for t in tab.tables
               for title, head, rows in ((_("Theo cấp đơn vị"), _("Cấp"),
                                          tab.numbers_by_level.get(t.question.code, [])),
                                         (_("Theo khu vực"), _("Khu vực"),
                                          tab.numbers_by_sector.get(t.question.code, [])))
               if rows]
    if cross or numbers:
        ws = wb.sheet(_("Bảng chéo"))
        ws.column_widths((40, 12, 14, 14, 14, 14))
        for q, title, head, rows in cross:
            ws.append([f"{q.label} — {title}"], font=bold)
            ws.append([head, _("Số phiếu"), *q.options], font=bold)
            for cr in rows:
                ws.append([cr.label, cr.answered, *[o.count for o in cr.options]])
            ws.append([])
        for q, title, head, nrows in numbers:
            ws.append([f"{q.label} — {title}"], font=bold)
            ws.append([head, _("Số phiếu"), _("Trung bình"), _("Nhỏ nhất"), _("Lớn nhất")],
                      font=bold)
            for nr in nrows:
                ws.append([nr.label, nr.count, float(nr.mean), float(nr.minimum),
                           float(nr.maximum)])
            ws.append([])
    ws = wb.sheet(_("Phiếu trả lời"))
    anonymous = tab.questionnaire.anonymous
    ws.append([_("Đơn vị"), *[_("Câu {n}").format(n=q.number) for q in tab.questions]],
              font=bold)
    for unit, answers in raw:
        ws.append([unit, *[answer_text(q, answers.get(q.code)) for q in tab.questions]])
    stem = "an-danh" if anonymous else "don-vi"
    return f"khao-sat-{tab.questionnaire.pk}-{stem}.xlsx", XLSX, wb.to_bytes()
