"""Compliance pages (FV-1, FV-3, FV-4, FV-11): a cadre's year, a unit's agency table by
department with its chart per month and .xlsx export, the recompute button, and the roll-up of
the units below (provinces → met / not met).

The tables read the stored `Compliance` rows (see recompute.py); a unit's rows of the current
year are recomputed on their first view of a day, by the daily command and by the button. A
cadre's page computes their year live through the rules (`compliance.cadre_year`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from doanvu.accounts.scope import Scope, scope_of
from doanvu.common.dates import today
from doanvu.common.spreadsheet import XLSX, XlsxWriter
from doanvu.hub.charts import Series, stacked_bars
from doanvu.members.api import ReviewSection
from doanvu.org import selectors as org_selectors
from doanvu.org.models import Department, Person, Unit

from . import permissions, recompute, rules
from .compliance import cadre_year
from .models import Compliance
from .selectors import rollup_rows

YEARS = range(2000, 2101)


def year_param(request: HttpRequest) -> int:
    """?nam=YYYY; this year when absent or junk."""
    raw = request.GET.get("nam", "")
    if raw.isascii() and raw.isdigit() and int(raw) in YEARS:
        return int(raw)
    return today().year


def month_chart(months: list[int], *, title: str) -> str:
    """Days per month as our own SVG bars (hub.charts)."""
    return stacked_bars(labels=[f"T{i}" for i in range(1, 13)],
                        long_labels=[_("Tháng {m}").format(m=i) for i in range(1, 13)],
                        series=[Series(_("Ngày đi cơ sở"), "bar-ontime", list(months))],
                        title=title)


def _levels(policy_levels: object) -> list[tuple[str, str]]:
    return [(str(lv["code"]), str(lv.get("label") or lv["code"]))
            for lv in (policy_levels or [])]  # type: ignore[attr-defined]


# -- a cadre's year ------------------------------------------------------------------------


@login_required
@require_GET
def person_compliance(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    person = Person.objects.filter(pk=pk).first()
    if person is None or not permissions.can_read_person(scope, person):
        raise Http404(_("Không tìm thấy cán bộ."))
    year = year_param(request)
    day = today()
    as_of = day if year == day.year else None
    cy = cadre_year(person, year, as_of=as_of)
    ctx: dict[str, object] = {"person": person, "year": year, "cy": cy,
                              "years": [year - 1, year + 1] if year + 1 <= day.year
                              else [year - 1]}
    if cy is not None:
        facts = {v.pk: rules.VisitFact(
            start=v.start_date, end=v.end_date, kind=v.kind, invitation_only=v.invitation_only,
            reported_on=v.reported_on) for v in cy.visits}
        months = rules.days_by_month(cy.regime, list(facts.values()), year=year, as_of=as_of)
        labels = dict(_levels(cy.policy.levels))
        ctx.update({
            "levels": [(labels.get(code, code), n, cy.required.by_level.get(code))
                       for code, n in cy.result.by_level.items()],
            "visits": [(v, rules.why_not_counted(cy.regime, facts[v.pk])) for v in cy.visits],
            "chart": month_chart(months, title=_("Số ngày đi cơ sở theo tháng, năm {y}")
                                 .format(y=year)) if any(months) else None,
            "months": months,
            "can_read_unit": permissions.can_read_unit(scope, cy.unit),
        })
    return render(request, "fieldvisits/compliance_person.html", ctx)


# -- a unit's agency ---------------------------------------------------------------------------


@dataclass
class DeptBlock:
    name: str
    rows: list[Compliance] = field(default_factory=list)

    @property
    def met(self) -> int:
        return sum(1 for r in self.rows if r.met and not r.exempt)

    @property
    def exempt(self) -> int:
        return sum(1 for r in self.rows if r.exempt)

    @property
    def not_met(self) -> int:
        return sum(1 for r in self.rows if not r.met)

    @property
    def days(self) -> int:
        return sum(r.counted_days for r in self.rows)


def _fresh(scope: Scope, unit: Unit, year: int) -> None:
    """Recompute the unit's rows of the current year on their first view of a day."""
    if year != today().year:
        return
    last = recompute.last_computed(year=year, unit=unit, own_only=True)
    if last is None or last.date() < today():
        recompute.recompute(year=year, unit=unit, as_of=today(), own_only=True)


def unit_rows(unit: Unit, year: int, department: int | None = None) -> list[Compliance]:
    qs = (Compliance.objects.filter(unit=unit, year=year)
          .select_related("person", "department")
          .order_by("department__name", "person__full_name", "id"))
    if department is not None:
        qs = qs.filter(department_id=department)
    return list(qs)


def _blocks(rows: list[Compliance]) -> list[DeptBlock]:
    blocks: dict[int | None, DeptBlock] = {}
    for r in rows:
        key = r.department_id
        if key not in blocks:
            blocks[key] = DeptBlock(r.department.name if r.department else
                                    _("Thường trực, lãnh đạo"))
        blocks[key].rows.append(r)
    return sorted(blocks.values(), key=lambda b: (b.name == _("Thường trực, lãnh đạo"), b.name))


def _department_param(request: HttpRequest, unit: Unit) -> int | None:
    raw = request.GET.get("phong", "")
    if raw.isascii() and raw.isdigit() and len(raw) < 12 \
            and Department.objects.filter(pk=int(raw), unit=unit).exists():
        return int(raw)
    return None


@login_required
@require_GET
def unit_compliance(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = org_selectors.unit_get(scope=scope, pk=pk)
    year = year_param(request)
    _fresh(scope, unit, year)
    department = _department_param(request, unit)
    rows = unit_rows(unit, year, department)
    months = [0] * 12
    for r in rows:
        for i, n in enumerate(r.days_by_month[:12]):
            months[i] += n
    levels: list[tuple[str, str]] = []
    if rows:
        levels = _levels(rows[0].policy.levels)
    blocks = _blocks(rows)
    ctx = {
        "unit": unit, "year": year, "blocks": blocks, "rows": rows, "levels": levels,
        "department": department,
        "departments": Department.objects.filter(unit=unit).order_by("name", "id"),
        "totals": DeptBlock(_("Cả cơ quan"), rows),
        "chart": month_chart(months, title=_("Số ngày đi cơ sở của cán bộ {name} theo tháng, "
                                             "năm {y}").format(name=unit.name, y=year))
        if any(months) else None,
        "months": months,
        "computed_at": max((r.computed_at for r in rows), default=None),
        "can_recompute": scope.can(permissions.WRITE, unit),
        "today": today(),
    }
    return render(request, "fieldvisits/compliance_unit.html", ctx)


@login_required
@require_POST
def unit_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = org_selectors.unit_get(scope=scope, pk=pk)
    if not scope.can(permissions.WRITE, unit):
        raise Http404(_("Không tìm thấy đơn vị."))
    year = year_param(request)
    if year > today().year:
        year = today().year
    done = recompute.recompute(year=year, unit=unit,
                               as_of=today() if year == today().year else None)
    messages.success(request, _("Đã tính lại kết quả đi cơ sở năm {y} của {n} cán bộ.")
                     .format(y=year, n=done.cadres))
    page = "fieldvisits:compliance_rollup" if request.POST.get("ve") == "tong-hop" \
        else "fieldvisits:compliance_unit"
    return redirect(reverse(page, args=[unit.pk]) + f"?nam={year}")


HEADERS = (_lazy("Phòng, ban"), _lazy("Cán bộ"), _lazy("Phải đi (ngày)"), _lazy("Cách tính"),
           _lazy("Đã đi (ngày)"), _lazy("Vượt (ngày)"), _lazy("Sinh hoạt chi đoàn"),
           _lazy("Ở cơ sở được phân công (ngày)"), _lazy("Chưa báo cáo (chuyến)"),
           _lazy("Công tác phí (đồng)"), _lazy("Kết quả"), _lazy("Còn thiếu"))


def result_label(r: Compliance) -> str:
    if r.exempt:
        return _("Không áp dụng")
    return _("Đạt") if r.met else _("Chưa đạt")


@login_required
@require_GET
def unit_compliance_export(request: HttpRequest, pk: int) -> HttpResponse:
    from openpyxl.styles import Font

    scope = scope_of(request)
    unit = org_selectors.unit_get(scope=scope, pk=pk)
    year = year_param(request)
    _fresh(scope, unit, year)
    rows = unit_rows(unit, year, _department_param(request, unit))
    levels = _levels(rows[0].policy.levels) if rows else []
    wb = XlsxWriter()
    ws = wb.sheet(_("Đi cơ sở {y}").format(y=year))
    ws.column_widths((28, 26, 10, 44, 10, 8, 10, 12, 10, 14, 14, 50, *(10 for _l in levels)))
    ws.freeze("C4")
    bold = Font(bold=True)
    ws.append([_("Kết quả đi cơ sở năm {y} của cán bộ {name}").format(y=year, name=unit.name)],
              font=Font(bold=True, size=13))
    ws.append([_("Số ngày là số ngày dương lịch khác nhau của các chuyến đã báo cáo; chuyến chỉ "
                 "dự theo thư mời của cơ sở không được tính.")])
    ws.append([*(str(h) for h in HEADERS), *(label for _c, label in levels)], font=bold)
    for r in rows:
        extra = max(r.counted_days - r.required_days, 0) if not r.exempt else r.counted_days
        ws.append([r.department.name if r.department else _("Thường trực, lãnh đạo"),
                   r.person.full_name, r.required_days, r.requirement_text, r.counted_days,
                   extra, r.branch_meetings, r.assigned_unit_days, r.unreported,
                   int(r.cost), result_label(r), r.missing,
                   *(r.days_by_level.get(code, 0) for code, _l in levels)])
    response = HttpResponse(wb.to_bytes(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="di-co-so-{unit.pk}-{year}.xlsx"'
    return response


# -- the roll-up of the units below --------------------------------------------------------


@login_required
@require_GET
def unit_rollup(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = org_selectors.unit_get(scope=scope, pk=pk)
    year = year_param(request)
    rows, total = rollup_rows(unit, year)
    return render(request, "fieldvisits/compliance_rollup.html", {
        "unit": unit, "year": year, "rows": rows, "total": total,
        "computed_at": recompute.last_computed(year=year, unit=unit),
        "can_recompute": scope.can(permissions.WRITE, unit),
    })


# -- FV-8: the cadre's self-review section and rating criterion --------------------------------


def review_section(*, scope: Scope, person: Person, year: int) -> ReviewSection | None:
    """The field-visit section of a cadre's annual self-review and its rating criterion
    (registered into members' registry in apps.py); None when the cadre had no regime that
    year or the scope may not read their record."""
    if not permissions.can_read_person(scope, person):
        return None
    day = today()
    cy = cadre_year(person, year, as_of=day if year == day.year else None)
    if cy is None:
        return None
    if cy.required.exempt:
        verdict, met = _("Không áp dụng: {why}").format(why=cy.required.text), None
    elif cy.result.met:
        verdict, met = _("Đạt"), True
    else:
        verdict, met = _("Chưa đạt: {missing}").format(missing=cy.result.missing), False
    body = render_to_string("fieldvisits/compliance_review.html", {"cy": cy, "year": year})
    return ReviewSection(key="fieldvisits", title=_("Kết quả đi cơ sở trong năm"),
                         body=mark_safe(body),  # noqa: S308 (rendered by a template)
                         criterion=_("Thực hiện chế độ đi cơ sở"), verdict=verdict, met=met,
                         order=30)
