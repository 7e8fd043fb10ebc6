"""Roll-up reports of field visits (FV-7) and costs per department and year (FV-9).

The reports a unit owes are data: `FieldVisitPolicy.rollups` is a list of entries, each

- ``code`` (text, unique in the list): e.g. ``"quy_thuong_truc"``;
- ``label`` (text): the report's name, e.g. ``"Báo cáo quý gửi Thường trực"``;
- ``period``: ``"quarter"``, ``"half"`` or ``"year"``;
- ``to``: ``"standing"`` (the unit's Standing), ``"btv"`` (its Ban Thường vụ), ``"province"``
  (the unit above) or ``"central"`` (the Organisation Department at the top of the tree);
- the due day: either ``"after_days"`` (0–120 days after the period ends) or ``"month"`` and
  ``"day"`` (a day of the period's year, e.g. 20/10 for the year report to the BTV);
- optionally ``"unit_kinds"``: the unit kind codes that owe it (e.g. ``["tinh"]`` or
  ``["huyen"]``); absent or empty: every unit under the policy.

`rollup_problems` validates such a list (the policy page and the demo call it); `schedule`
lists a unit's reports of a year with their due days; `report` computes the figures from the
visits (days per cadre through `compliance.cadre_year`, or the stored Compliance rows for a
whole year); `rollup_generate` issues the report as a numbered "Báo cáo" and delivers the
hub obligation tracking it; `workbook` is the same figures as .xlsx.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.common.dates import format_date
from doanvu.common.errors import ApplicationError
from doanvu.common.spreadsheet import XlsxWriter
from doanvu.common.typing import Actor
from doanvu.documents import markup
from doanvu.documents.models import Document, DocumentType
from doanvu.documents.services import document_create, document_issue
from doanvu.hub import rules as hub_rules
from doanvu.hub import services as hub_services
from doanvu.hub.models import Obligation
from doanvu.org.models import Department, Person, Position, Unit

from . import permissions, rules
from .compliance import cadre_year
from .models import Compliance, FieldVisitPolicy, Visit
from .selectors import organisation_department, policy_for

PERIODS = ("quarter", "half", "year")
RECIPIENTS = ("standing", "btv", "province", "central")
KEYS = {"code", "label", "period", "to", "after_days", "month", "day", "unit_kinds"}
KIND_PREFIX = "fv.rollup."


class RollupError(ApplicationError):
    pass


# -- the policy's list, validated -------------------------------------------------------------

@dataclass(frozen=True)
class RollupSpec:
    code: str
    label: str
    period: str
    to: str
    after_days: int | None = None
    month: int | None = None
    day: int | None = None
    unit_kinds: tuple[str, ...] = ()

    def periods(self) -> range:
        return range(1, {"quarter": 5, "half": 3, "year": 2}[self.period])


CODE = re.compile(r"^[a-z0-9_]+$")


def rollup_problems(entries: object, kinds: Collection[str] | None = None) -> list[str]:
    """What is wrong with a policy's `rollups` list, in Vietnamese, entry by entry.

    The one validation of the list: the policy page (`policies._check_rollups`) and the reports
    (`specs`) both call it. `kinds`, when given, are the unit kind codes `unit_kinds` may name.
    """
    if not isinstance(entries, list):
        return [_("Các báo cáo tổng hợp (rollups): danh sách không đúng dạng.")]
    problems: list[str] = []
    seen: set[str] = set()
    for n, e in enumerate(entries, start=1):
        if not isinstance(e, dict):
            problems.append(_("Các báo cáo tổng hợp (rollups), báo cáo thứ {n}: phải là một mục "
                              "có các khóa code, label, period, to.").format(n=n))
            continue
        code = e.get("code")
        named = f" “{code}”" if isinstance(code, str) and code.strip() else ""
        where = _("Các báo cáo tổng hợp (rollups), báo cáo thứ {n}{code}:").format(
            n=n, code=named)
        if not isinstance(code, str) or not code.strip():
            problems.append(_("{where} thiếu mã (code).").format(where=where))
        elif not CODE.match(code):
            problems.append(_("{where} mã (code) chỉ gồm chữ thường không dấu, số và dấu gạch "
                              "dưới.").format(where=where))
        elif code in seen:
            problems.append(_("{where} mã (code) bị trùng.").format(where=where))
        else:
            seen.add(code)
        if not isinstance(e.get("label"), str) or not e["label"].strip():
            problems.append(_("{where} thiếu tên báo cáo (label).").format(where=where))
        if e.get("period") not in PERIODS:
            problems.append(_("{where} kỳ (period) phải là quarter (quý), half (6 tháng) hoặc "
                              "year (năm).").format(where=where))
        if e.get("to") not in RECIPIENTS:
            problems.append(_("{where} nơi nhận (to) “{to}” không hợp lệ; phải là standing "
                              "(Thường trực), btv (Ban Thường vụ), province (đơn vị cấp trên) "
                              "hoặc central (Ban Tổ chức Trung ương).").format(
                                  where=where, to=e.get("to", "")))
        has_after = e.get("after_days") is not None
        has_day = e.get("month") is not None or e.get("day") is not None
        if has_after == has_day:
            problems.append(_("{where} hạn nộp ghi hoặc after_days (số ngày sau khi hết kỳ), "
                              "hoặc month và day.").format(where=where))
        elif has_after:
            v = e.get("after_days")
            if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 120:
                problems.append(_("{where} after_days (số ngày sau khi hết kỳ) phải từ 0 đến "
                                  "120.").format(where=where))
        else:
            m, d = e.get("month"), e.get("day")
            try:
                if isinstance(m, bool) or isinstance(d, bool) or not isinstance(m, int) \
                        or not isinstance(d, int):
                    raise ValueError
                dt.date(2001, m, d)
            except (TypeError, ValueError):
                problems.append(_("{where} tháng, ngày hạn nộp không hợp lệ: hạn phải là một "
                                  "ngày trong năm (ví dụ 20/10) hoặc số ngày sau khi hết kỳ.")
                                .format(where=where))
        unit_kinds = e.get("unit_kinds", [])
        if not isinstance(unit_kinds, list) or not all(isinstance(k, str) for k in unit_kinds):
            problems.append(_("{where} unit_kinds phải là danh sách mã loại đơn vị.")
                            .format(where=where))
        elif kinds is not None:
            for k in unit_kinds:
                if k not in kinds:
                    problems.append(_("{where} unit_kinds: không có loại đơn vị mã “{kind}”.")
                                    .format(where=where, kind=k))
        extra = sorted(set(e) - KEYS)
        if extra:
            problems.append(_("{where} khóa không dùng được: {keys} (loại đơn vị lập báo cáo "
                              "ghi ở unit_kinds).").format(where=where, keys=", ".join(extra)))
    return problems


def specs(policy: FieldVisitPolicy) -> list[RollupSpec]:
    """The policy's roll-ups; a malformed list is refused with what is wrong."""
    problems = rollup_problems(policy.rollups or [])
    if problems:
        raise RollupError(_("Chế độ “{name}” khai báo báo cáo tổng hợp sai: {problems}").format(
            name=policy.name, problems=" ".join(problems)), field="rollups")
    return [RollupSpec(code=e["code"], label=e["label"], period=e["period"], to=e["to"],
                       after_days=e.get("after_days"), month=e.get("month"), day=e.get("day"),
                       unit_kinds=tuple(e.get("unit_kinds") or ()))
            for e in (policy.rollups or [])]


def period_bounds(period: str, year: int, n: int) -> tuple[dt.date, dt.date]:
    if period == "quarter":
        return rules.quarter_bounds(year, n)
    if period == "half":
        return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if n == 1 else (
            dt.date(year, 7, 1), dt.date(year, 12, 31))
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def period_label(period: str, year: int, n: int) -> str:
    if period == "quarter":
        return _("Quý {n}/{y}").format(n=n, y=year)
    if period == "half":
        return (_("6 tháng đầu năm {y}") if n == 1 else _("6 tháng cuối năm {y}")).format(y=year)
    return _("Năm {y}").format(y=year)


def due_on(spec: RollupSpec, year: int, n: int) -> dt.date:
    """The day a report is due, from the policy's data alone."""
    _start, end = period_bounds(spec.period, year, n)
    if spec.after_days is not None:
        return end + dt.timedelta(days=spec.after_days)
    assert spec.month is not None and spec.day is not None
    return dt.date(year, spec.month, spec.day)


# -- a unit's schedule ------------------------------------------------------------------------

@dataclass(frozen=True)
class Due:
    spec: RollupSpec
    year: int
    n: int
    label: str
    start: dt.date
    end: dt.date
    due_on: dt.date
    obligation: Obligation | None

    @property
    def key(self) -> str:
        return f"fv.rollup:{self.spec.code}:{self.year}:{self.n}"


def _policy(unit: Unit, year: int) -> FieldVisitPolicy:
    policy = policy_for(unit=unit, day=dt.date(year, 12, 31)) or policy_for(
        unit=unit, day=dt.date(year, 1, 1))
    if policy is None:
        raise RollupError(_("Chưa có chế độ đi cơ sở áp dụng cho {unit} năm {y}.").format(
            unit=unit.name, y=year), field="year")
    return policy


def _ob_key(unit: Unit, code: str, year: int, n: int) -> str:
    return f"fv.rollup:{unit.pk}:{code}:{year}:{n}"


def schedule(unit: Unit, year: int) -> list[Due]:
    """The reports `unit` owes for `year`, by due day, with their obligations when opened."""
    policy = _policy(unit, year)
    out: list[Due] = []
    wanted = [s for s in specs(policy) if not s.unit_kinds or unit.kind.code in s.unit_kinds]
    keys = [_ob_key(unit, s.code, year, n) for s in wanted for n in s.periods()]
    obs = {o.key: o for o in Obligation.objects.filter(key__in=keys)
           .select_related("owed_to_unit", "owed_to_department")}
    for s in wanted:
        for n in s.periods():
            a, b = period_bounds(s.period, year, n)
            out.append(Due(s, year, n, period_label(s.period, year, n), a, b, due_on(s, year, n),
                           obs.get(_ob_key(unit, s.code, year, n))))
    return sorted(out, key=lambda d: (d.due_on, d.spec.code, d.n))


def find_due(unit: Unit, year: int, code: str, n: int) -> Due:
    for d in schedule(unit, year):
        if d.spec.code == code and d.n == n:
            return d
    raise RollupError(_("Không có báo cáo “{code}” kỳ {n} năm {y}.").format(
        code=code, n=n, y=year), field="code")


def _recipient(unit: Unit, to: str) -> tuple[Unit, Department | None, str]:
    if to in ("standing", "btv"):
        label = _("Thường trực") if to == "standing" else _("Ban Thường vụ")
        return unit, None, f"{label} {unit.name}"
    if to == "province":
        parent = unit.parent
        if parent is None:
            raise RollupError(_("{unit} không có đơn vị cấp trên.").format(unit=unit.name),
                              field="to")
        return parent, organisation_department(parent), parent.name
    root = unit
    while root.parent is not None:
        root = root.parent
    dept = organisation_department(root)
    return root, dept, dept.name if dept is not None else root.name


# -- the figures ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CadreRow:
    person: Person
    department: str
    visits: int  # visits started in the period
    days: int  # distinct days of those visits in the period
    cost: Decimal
    year_counted: int  # days counted in the year up to the period's end
    required: int
    exempt: bool
    missing: str


@dataclass(frozen=True)
class CostRow:
    department: str
    visits: int
    cost: Decimal


@dataclass(frozen=True)
class Report:
    unit: Unit
    label: str
    start: dt.date
    end: dt.date
    cadres: list[CadreRow]
    costs: list[CostRow]
    visits: int
    days: int
    cost: Decimal
    met: int
    due: int  # cadres the regime applies to


def cost_by_department(unit: Unit, year: int, *, start: dt.date | None = None,
                       end: dt.date | None = None) -> list[CostRow]:
    """Travel allowance per department (FV-9), of the visits made from `unit` that started in
    `year` (or between `start` and `end`), by department name."""
    a = start or dt.date(year, 1, 1)
    b = end or dt.date(year, 12, 31)
    rows = (Visit.objects.filter(unit=unit, start_date__gte=a, start_date__lte=b)
            .values("department_id", "department__name")
            .annotate(n=Count("pk"), total=Sum("cost"))
            .order_by("department__name", "department_id"))
    out = [CostRow(r["department__name"] or _("Không thuộc ban"), r["n"],
                   Decimal(r["total"] or 0)) for r in rows]
    return sorted(out, key=lambda r: (r.department == _("Không thuộc ban"), r.department))


def _cadres(unit: Unit, start: dt.date, end: dt.date) -> list[Position]:
    posts = (Position.objects.filter(unit=unit, start_date__lte=end)
             .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
             .select_related("person", "department").order_by("person__name_folded", "pk"))
    seen: dict[int, Position] = {}
    for p in posts:
        seen[p.person_id] = p  # the last post in the period names the department
    return sorted(seen.values(), key=lambda p: (p.person.name_folded, p.person_id))


def report(unit: Unit, year: int, period: str, n: int) -> Report:
    """The figures of a roll-up, from the data (the caller checks the reader's scope)."""
    start, end = period_bounds(period, year, n)
    stored = {}
    if period == "year":
        stored = {c.person_id: c for c in Compliance.objects.filter(unit=unit, year=year)}
    visits = list(Visit.objects.filter(unit=unit, start_date__gte=start, start_date__lte=end)
                  .order_by("person_id", "start_date", "pk"))
    rows: list[CadreRow] = []
    for post in _cadres(unit, start, end):
        mine = [v for v in visits if v.person_id == post.person_id]
        days: set[dt.date] = set()
        for v in mine:
            d = v.start_date
            while d <= min(v.end_date, end):
                days.add(d)
                d += dt.timedelta(days=1)
        cost = sum((v.cost for v in mine), Decimal(0))
        row = stored.get(post.person_id)
        if row is not None:
            counted, required, exempt, missing = (row.counted_days, row.required_days,
                                                  row.exempt, row.missing)
        else:
            cy = cadre_year(post.person, year, as_of=end)
            if cy is None:
                counted, required, exempt, missing = 0, 0, True, ""
            else:
                counted, required = cy.result.counted_days, cy.required.days
                exempt, missing = cy.required.exempt, cy.result.missing
        rows.append(CadreRow(post.person, post.department.name if post.department else "",
                             len(mine), len(days), cost, counted, required, exempt, missing))
    costs = cost_by_department(unit, year, start=start, end=end)
    due = [r for r in rows if not r.exempt]
    return Report(unit, period_label(period, year, n), start, end, rows, costs, len(visits),
                  sum(r.days for r in rows), sum((c.cost for c in costs), Decimal(0)),
                  sum(1 for r in due if r.year_counted >= r.required), len(due))


def _money(value: Decimal) -> str:
    return f"{int(value):,}".replace(",", ".")


def _body(rep: Report, spec: RollupSpec) -> str:
    out = [_("I. TÌNH HÌNH CHUNG"),
           _("{period} ({a}–{b}), cán bộ cơ quan chuyên trách {unit} thực hiện {visits} chuyến "
             "đi cơ sở, tổng cộng {days} ngày; công tác phí {cost} đồng.").format(
               period=rep.label, a=format_date(rep.start), b=format_date(rep.end),
               unit=rep.unit.name, visits=rep.visits, days=rep.days, cost=_money(rep.cost)),
           _("Số cán bộ đạt yêu cầu số ngày đến cuối kỳ: {met}/{due}.").format(
               met=rep.met, due=rep.due),
           _("II. KẾT QUẢ TỪNG CÁN BỘ")]
    for r in rep.cadres:
        if r.exempt:
            out.append(_("- {name}: không áp dụng.").format(name=r.person.full_name))
            continue
        out.append(_("- {name} ({dept}): {visits} chuyến, {days} ngày trong kỳ; lũy kế năm "
                     "{counted}/{required} ngày.{missing}").format(
            name=r.person.full_name, dept=r.department or "—", visits=r.visits, days=r.days,
            counted=r.year_counted, required=r.required,
            missing=f" {r.missing}" if r.missing else ""))
    out.append(_("III. CÔNG TÁC PHÍ THEO PHÒNG, BAN"))
    for c in rep.costs:
        out.append(_("- {dept}: {n} chuyến, {cost} đồng.").format(
            dept=c.department, n=c.visits, cost=_money(c.cost)))
    if not rep.costs:
        out.append(_("Không có chuyến đi nào trong kỳ."))
    return "\n".join(out)


def workbook(rep: Report) -> bytes:
    """The roll-up's figures as .xlsx (one sheet per table)."""
    wb = XlsxWriter()
    ws = wb.sheet(_("Cán bộ"))
    ws.append([rep.unit.name, rep.label])
    ws.append([_("Họ và tên"), _("Phòng, ban"), _("Số chuyến trong kỳ"), _("Số ngày trong kỳ"),
               _("Công tác phí (đồng)"), _("Lũy kế ngày trong năm"), _("Số ngày phải đi"),
               _("Còn thiếu")])
    for r in rep.cadres:
        ws.append([r.person.full_name, r.department, r.visits, r.days, int(r.cost),
                   r.year_counted, r.required,
                   _("Không áp dụng") if r.exempt else r.missing])
    ws.append([_("Tổng cộng"), "", rep.visits, rep.days, int(rep.cost), "", "", ""])
    cs = wb.sheet(_("Công tác phí"))
    cs.append([_("Phòng, ban"), _("Số chuyến"), _("Công tác phí (đồng)")])
    for c in rep.costs:
        cs.append([c.department, c.visits, int(c.cost)])
    cs.append([_("Tổng cộng"), sum(c.visits for c in rep.costs), int(rep.cost)])
    return wb.to_bytes()


# -- generating and tracking ------------------------------------------------------------------

def can_generate(scope: Scope, unit: Unit) -> bool:
    """Ban Tổ chức – Kiểm tra of the unit (write in its field), or whoever writes for the whole
    agency (district unions without such a department)."""
    tckt = organisation_department(unit)
    return scope.can(permissions.WRITE, unit, department_id=tckt.pk if tckt else None) or \
        scope.can(permissions.WRITE, unit)


def _obligation(due: Due, unit: Unit) -> Obligation | None:
    if due.obligation is not None:
        return due.obligation
    to_unit, to_dept, _label = _recipient(unit, due.spec.to)
    by_dept = organisation_department(unit)
    if (to_unit.pk, getattr(to_dept, "pk", None)) == (unit.pk, getattr(by_dept, "pk", None)):
        return None  # nobody distinct to owe it to
    return hub_services.obligation_create(
        actor=None, kind=(KIND_PREFIX + due.spec.code)[:80], kind_label=due.spec.label,
        title=f"{due.spec.label}: {due.label} – {unit.name}"[:255],
        owed_by_unit=unit, owed_by_department=by_dept, owed_to_unit=to_unit,
        owed_to_department=to_dept, rule=hub_rules.DueRule.fixed(due.due_on),
        source_label=due.spec.label[:255], key=_ob_key(unit, due.spec.code, due.year, due.n))


@transaction.atomic
def obligations_open(*, actor: Actor | None, unit: Unit, year: int) -> int:
    """Open the obligations of every report `unit` owes in `year` (idempotent); how many new."""
    if actor is not None and not can_generate(Scope.for_user(actor), unit):  # type: ignore[arg-type]
        raise RollupError(_("Bạn không được lập báo cáo tổng hợp của {unit}.").format(
            unit=unit.name))
    n = 0
    for due in schedule(unit, year):
        if due.obligation is None and _obligation(due, unit) is not None:
            n += 1
    return n


@dataclass(frozen=True)
class Generated:
    document: Document
    obligation: Obligation | None


@transaction.atomic
def rollup_generate(*, actor: Actor | None, unit: Unit, year: int, code: str, n: int,
                    signer_title: str, signer_name: str,
                    issued_on: dt.date | None = None) -> Generated:
    """Issue the roll-up as a numbered "Báo cáo" from the data and deliver its obligation."""
    if actor is not None and not can_generate(Scope.for_user(actor), unit):  # type: ignore[arg-type]
        raise RollupError(_("Bạn không được lập báo cáo tổng hợp của {unit}.").format(
            unit=unit.name))
    due = find_due(unit, year, code, n)
    ob = _obligation(due, unit)
    if ob is not None and not ob.is_open():
        raise RollupError(_("{label} {period} đã được gửi.").format(
            label=due.spec.label, period=due.label), field="code")
    rep = report(unit, year, due.spec.period, n)
    doc_type = DocumentType.objects.filter(code="bao_cao").first()
    if doc_type is None:
        raise RollupError(_("Chưa có loại văn bản Báo cáo trong danh mục."), field="code")
    _to_unit, _to_dept, to_label = _recipient(unit, due.spec.to)
    try:
        draft = document_create(
            actor=actor, issuing_unit=unit, doc_type=doc_type,
            department=organisation_department(unit),
            title=_("Kết quả đi cơ sở {period}").format(period=rep.label.lower()),
            body=markup.parse_body(_body(rep, due.spec)),
            recipients=[to_label, _("Lưu VP")], signer_title=signer_title,
            signer_name=signer_name, issued_on=issued_on)
        document = document_issue(actor=actor, document=draft, issued_on=issued_on)
    except ApplicationError as exc:
        raise RollupError(exc.message, field=exc.field) from None
    if ob is not None:
        ob.source_type_id, ob.source_id = _doc_source(document)
        ob.save(update_fields=["source_type", "source_id"])
        ob = hub_services.obligation_submit(
            actor=None, obligation=ob, text=_("Báo cáo số {symbol}.").format(
                symbol=document.symbol))
    return Generated(document, ob)


def _doc_source(document: Document) -> tuple[int, int]:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Document).pk, document.pk


def documents_of(dues: Sequence[Due]) -> Mapping[str, Document]:
    """The issued report of each due (by its key), through its obligation's source."""
    ids = {d.key: d.obligation.source_id for d in dues
           if d.obligation is not None and d.obligation.source_id}
    docs = {doc.pk: doc for doc in Document.objects.filter(pk__in=ids.values())}
    return {k: docs[v] for k, v in ids.items() if v in docs}


def as_rows(rep: Report) -> list[dict[str, Any]]:
    return [{"name": r.person.full_name, "department": r.department, "visits": r.visits,
             "days": r.days} for r in rep.cadres]
