"""REM-4: reporting on the remediation plan (seed 004 §IV).

- The departments leading a solution group report their progress to the Office quarterly,
  half-yearly and yearly ("báo cáo tiến độ thực hiện định kỳ hàng quý, 6 tháng và năm"; "gửi về
  Văn phòng trước ngày 01/11"). Each is a hub obligation whose due date comes from a deadline
  policy in force for the unit (`hub.DeadlinePolicy`, one code a cadence: `REPORT_CODES`) — a
  cadence without a policy in force is not owed. The periods follow the Union's reporting
  calendar: quý I and quý III (9 tháng) are the quarterly reports, the first half-year's is the
  half-yearly one and the year's the yearly one (quý II is the half-year's, quý IV the year's).
- Each department's report is prefilled from its groups' solutions (progress, deadlines, the
  shortcomings they address and whether they are closed) and issued as a numbered "Báo cáo" of
  the unit (documents: .docx/.pdf); issuing it submits the obligation.
- The Office compiles the departments' reports for the December Standing Committee meeting and
  writes the year-end report: both generated from the data, issued the same way; every report is
  also an .xlsx.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.common.spreadsheet import XlsxWriter
from doanvu.common.typing import Actor
from doanvu.documents import markup
from doanvu.documents.models import Document, DocumentType
from doanvu.documents.services import document_create, document_issue
from doanvu.hub import selectors as hub_selectors
from doanvu.hub import services as hub_services
from doanvu.hub.models import Obligation
from doanvu.org.models import Department, DepartmentCategory, Unit

from . import permissions, rules, selectors
from .models import Shortcoming, Solution, SolutionGroup

# the deadline policy of each cadence (hub.DeadlinePolicy.code: a key, never shown)
YEARLY_CODE = "rem.department_report"
REPORT_CODES = (("quarter", "rem.department_report_quarter"),
                ("half", "rem.department_report_half"),
                ("year", YEARLY_CODE))
COMPILATION, YEAR_END = "tong-hop", "cuoi-nam"
DOC_TYPE = "bao_cao"


class ReportError(ApplicationError):
    pass


def periods_of(cadence: str, year: int) -> list[Period]:
    if cadence == "quarter":
        return [Period(year, "Q", 1), Period(year, "Q", 3)]
    if cadence == "half":
        return [Period(year, "H", 1)]
    return [Period.of_year(year)]


def period_label(period: Period) -> str:
    if period.kind == "Q" and period.index == 3:
        return _("9 tháng năm {year}").format(year=period.year)
    if period.kind == "H":
        return _("6 tháng đầu năm {year}").format(year=period.year)
    if period.kind == "Y":
        return _("năm {year}").format(year=period.year)
    return _("quý {q} năm {year}").format(q="I" if period.index == 1 else period.index,
                                          year=period.year)


def office_of(unit: Unit) -> Department | None:
    """The unit's Văn phòng, which receives the departments' reports and compiles them."""
    return (Department.objects.filter(unit=unit, category=DepartmentCategory.OFFICE,
                                      valid_to__isnull=True).order_by("pk").first())


def leads_of(unit: Unit, year: int) -> list[Department]:
    """The departments leading a solution group of the year's plan, by group number; the Office
    itself is left out (it compiles, it does not send to itself)."""
    office = office_of(unit)
    seen: dict[int, Department] = {}
    for g in SolutionGroup.objects.filter(unit=unit, year=year, lead__isnull=False).select_related(
            "lead").order_by("number"):
        assert g.lead is not None
        if office is not None and g.lead.pk == office.pk:
            continue
        seen.setdefault(g.lead.pk, g.lead)
    return list(seen.values())


@dataclass
class Due:
    department: Department
    cadence: str
    code: str
    period: Period
    title: str
    due_on: dt.date | None
    obligation: Obligation | None
    document: Document | None = None

    @property
    def label(self) -> str:
        return period_label(self.period)


def _title(department: Department, period: Period) -> str:
    return _("Báo cáo kết quả thực hiện kế hoạch khắc phục khuyết điểm {period} – {dept}").format(
        period=period_label(period), dept=department.name)[:255]


def _existing(unit: Unit, department: Department, code: str, period: Period) -> Obligation | None:
    return (Obligation.objects.filter(owed_by_unit=unit, owed_by_department=department,
                                      kind=code, period=period)
            .order_by("pk").first())


def schedule(unit: Unit, year: int) -> list[Due]:
    """What each lead department owes for the year's plan, with the due day its policy gives."""
    from doanvu.hub import rules as hub_rules

    dues: list[Due] = []
    for department in leads_of(unit, year):
        for cadence, code in REPORT_CODES:
            for period in periods_of(cadence, year):
                policy = hub_selectors.policy_in_force(unit=unit, code=code, on=period.start)
                ob = _existing(unit, department, code, period)
                if policy is None and ob is None:
                    continue
                due_on = ob.due_on if ob is not None else hub_rules.resolve(
                    hub_services.policy_rule(policy), {}, period) if policy else None
                dues.append(Due(department, cadence, code, period, _title(department, period),
                                due_on, ob))
    docs = _documents([d.obligation for d in dues if d.obligation is not None])
    for d in dues:
        if d.obligation is not None and d.obligation.source_id:
            d.document = docs.get(d.obligation.source_id)
    return dues


def _documents(obligations: list[Obligation]) -> dict[int, Document]:
    ids = [o.source_id for o in obligations if o.source_id]
    return {d.pk: d for d in Document.objects.filter(pk__in=ids)}


def find_due(unit: Unit, year: int, department_pk: int, period_key: str) -> Due:
    for d in schedule(unit, year):
        if d.department.pk == department_pk and d.period.key == period_key:
            return d
    raise ReportError(_("Không có báo cáo này trong kế hoạch của đơn vị."), field="period")


# -- who may --------------------------------------------------------------------------------------

def can_open(scope: Scope, unit: Unit) -> bool:
    return permissions.can_manage(scope, unit)


def can_report(scope: Scope, unit: Unit, department: Department) -> bool:
    """The department's writers, or whoever writes for the whole agency."""
    return scope.can(permissions.WRITE, unit, department_id=department.pk)


def can_compile(scope: Scope, unit: Unit) -> bool:
    office = office_of(unit)
    return scope.can(permissions.WRITE, unit, department_id=office.pk if office else None)


@transaction.atomic
def obligations_open(*, scope: Scope, unit: Unit, year: int) -> int:
    """Open (once) every report the lead departments owe the Office for the year; how many new.
    """
    if not can_open(scope, unit):
        raise ReportError(_("Bạn không có quyền giao báo cáo khắc phục khuyết điểm của đơn vị "
                            "này."), field="unit")
    office = office_of(unit)
    if office is None:
        raise ReportError(_("Văn phòng: đơn vị chưa có Văn phòng để nhận báo cáo."),
                          field="department")
    made = 0
    for due in schedule(unit, year):
        if due.obligation is not None:
            continue
        try:
            hub_services.obligation_create(
                actor=None, kind=due.code, policy_code=due.code, title=due.title,
                owed_by_unit=unit, owed_by_department=due.department, owed_to_unit=unit,
                owed_to_department=office, period=due.period, on=due.period.start,
                source_label=_("Kế hoạch khắc phục khuyết điểm năm {year}").format(year=year),
                key=f"rem.report:{unit.pk}:{due.department.pk}:{due.period.key}")
        except ApplicationError as exc:
            raise ReportError(exc.message, field="period") from None
        made += 1
    return made


# -- the figures ---------------------------------------------------------------------------

@dataclass
class SolutionLine:
    group: SolutionGroup
    solution: Solution
    deadline: str
    overdue: bool
    shortcomings: list[Shortcoming]


@dataclass
class Progress:
    unit: Unit
    year: int
    label: str
    end: dt.date
    lines: list[SolutionLine] = field(default_factory=list)

    @property
    def mean_progress(self) -> int:
        if not self.lines:
            return 0
        return round(sum(x.solution.progress for x in self.lines) / len(self.lines))

    @property
    def done(self) -> int:
        return sum(1 for x in self.lines if x.solution.progress >= 100)


def _deadline_text(s: Solution) -> str:
    if s.ongoing:
        return _("Thường xuyên")
    return str(s.deadline) if s.deadline else "—"


def progress_of(unit: Unit, year: int, *, period: Period,
                department: Department | None = None) -> Progress:
    """The solutions of the year's plan (a department's groups, or all), as of the period's end."""
    end = min(period.end, today())
    groups = selectors.groups_of(unit=unit, year=year)
    if department is not None:
        groups = groups.filter(lead=department)
    rep = Progress(unit, year, period_label(period), end)
    for g in groups:
        for s in g.solutions.all():
            deadline_end = s.deadline.end if s.deadline else None  # type: ignore[attr-defined]
            rep.lines.append(SolutionLine(
                g, s, _deadline_text(s),
                overdue=deadline_end is not None and deadline_end < end and s.progress < 100,
                shortcomings=sorted(s.shortcomings.all(), key=lambda x: x.number)))
    return rep


def _closed_text(s: Shortcoming, on: dt.date) -> str:
    if s.closed_on is not None and s.closed_on <= on:
        return _("đã khắc phục xong ngày {d}").format(d=format_date(s.closed_on))
    return _("chưa khắc phục xong")


def department_body(rep: Progress, department: Department) -> str:
    out = [_("I. KẾT QUẢ THỰC HIỆN"),
           _("{dept} chủ trì tham mưu {n} giải pháp; tiến độ bình quân {p}%, {d} giải pháp đã hoàn "
             "thành.").format(dept=department.name, n=len(rep.lines), p=rep.mean_progress,
                               d=rep.done)]
    out += _lines(rep)
    out += [_("II. ĐỀ XUẤT, KIẾN NGHỊ"), _("(Ban bổ sung đề xuất, kiến nghị nếu có.)")]
    return "\n".join(out)


def _lines(rep: Progress) -> list[str]:
    out: list[str] = []
    for x in rep.lines:
        fixes = "; ".join(_("khuyết điểm {n} {state}").format(n=s.number,
                                                              state=_closed_text(s, rep.end))
                          for s in x.shortcomings)
        note = x.solution.progress_note.strip().rstrip(".")
        out.append(_("- {text} (thời hạn: {deadline}; tiến độ {p}%{late}){note}{fixes}.").format(
            text=x.solution.text.strip().rstrip("."), deadline=x.deadline, p=x.solution.progress,
            late=_(", chậm so với thời hạn") if x.overdue else "",
            note=f": {note}" if note else "", fixes=f" — {fixes}" if fixes else ""))
    if not rep.lines:
        out.append(_("Chưa có giải pháp nào."))
    return out


@dataclass
class Overview:
    """The Office's view of the year: the register, every solution, the departments' reports
    and the members' monthly evaluations."""

    unit: Unit
    year: int
    progress: Progress
    count: rules.RegisterCount
    shortcomings: list[Shortcoming]
    dues: list[Due]
    evaluations: list[tuple[str, Decimal | None, int]]  # name, year mean, months

    @property
    def closed(self) -> int:
        return sum(1 for s in self.shortcomings
                   if s.same_as_id is None and s.closed_on is not None
                   and s.closed_on <= self.progress.end)


def overview(unit: Unit, year: int) -> Overview:
    period = Period.of_year(year)
    items = list(selectors.register_of(unit=unit, year=year - 1))
    months, rows = selectors.evaluations_of(unit=unit, year=year)
    evaluations = []
    for r in rows:
        scores = [score for _e, score in r.months if score is not None]
        evaluations.append((r.person.full_name, rules.year_mean(scores),  # type: ignore[arg-type]
                            len(scores)))
    return Overview(unit, year, progress_of(unit, year, period=period),
                    selectors.count_of(items), items, schedule(unit, year), evaluations)


def _number(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def office_body(ov: Overview, which: str) -> str:
    c = ov.count
    head = (_("Tổng hợp báo cáo của các ban trình phiên họp Ban Thường vụ định kỳ tháng 12/{y}.")
            if which == COMPILATION else
            _("Đánh giá kết quả thực hiện kế hoạch khắc phục khuyết điểm năm {y}.")).format(
        y=ov.year)
    out = [_("I. KHUYẾT ĐIỂM CẦN KHẮC PHỤC"), head,
           _("Kiểm điểm tập thể năm {r}: {new} khuyết điểm phát sinh mới + {carried} khuyết điểm "
             "năm trước chưa khắc phục xong − {dup} khuyết điểm trùng = {total} khuyết điểm; "
             "đã khắc phục xong {closed}/{total}.").format(
               r=ov.year - 1, new=c.new, carried=c.carried, dup=c.duplicates, total=c.total,
               closed=ov.closed)]
    for s in ov.shortcomings:
        if s.same_as_id is None:
            out.append(_("- Khuyết điểm {n}: {text} — {state}.").format(
                n=s.number, text=s.text.strip(), state=_closed_text(s, ov.progress.end)))
    out += [_("II. KẾT QUẢ THỰC HIỆN CÁC GIẢI PHÁP"),
            _("{n} giải pháp; tiến độ bình quân {p}%, {d} giải pháp đã hoàn thành.").format(
                n=len(ov.progress.lines), p=ov.progress.mean_progress, d=ov.progress.done)]
    out += _lines(ov.progress)
    out.append(_("III. BÁO CÁO CỦA CÁC BAN"))
    for d in ov.dues:
        state = (_("chưa giao") if d.obligation is None else
                 d.obligation.status_label(today()))
        out.append(_("- {dept}, báo cáo {period}: {state}.").format(
            dept=d.department.name, period=d.label, state=state))
    if not ov.dues:
        out.append(_("Không có báo cáo nào của các ban."))
    out.append(_("IV. ĐÁNH GIÁ ỦY VIÊN BAN THƯỜNG VỤ HẰNG THÁNG"))
    for name, mean, n in ov.evaluations:
        out.append(_("- {name}: bình quân {mean} điểm ({n} tháng).").format(
            name=name, mean=_number(mean), n=n))
    if not ov.evaluations:
        out.append(_("Chưa có đánh giá hằng tháng."))
    return "\n".join(out)


# -- spreadsheets -------------------------------------------------------------------------------

def _solutions_sheet(wb: XlsxWriter, rep: Progress) -> None:
    ws = wb.sheet(_("Giải pháp"))
    ws.append([rep.unit.name, rep.label])
    ws.append([_("Nhóm giải pháp"), _("Ban chủ trì"), _("Giải pháp"), _("Thời hạn"),
               _("Tiến độ (%)"), _("Chậm"), _("Kết quả thực hiện"), _("Khuyết điểm")])
    for x in rep.lines:
        ws.append([x.group.name, x.group.lead.name if x.group.lead else "", x.solution.text,
                   x.deadline, x.solution.progress, _("Có") if x.overdue else "",
                   x.solution.progress_note,
                   ", ".join(str(s.number) for s in x.shortcomings)])


def department_workbook(rep: Progress) -> bytes:
    wb = XlsxWriter()
    _solutions_sheet(wb, rep)
    return wb.to_bytes()


def office_workbook(ov: Overview) -> bytes:
    wb = XlsxWriter()
    ws = wb.sheet(_("Khuyết điểm"))
    ws.append([ov.unit.name, _("Kiểm điểm năm {y}").format(y=ov.year - 1)])
    ws.append([_("Số"), _("Lĩnh vực"), _("Nội dung"), _("Năm phát sinh"), _("Trùng với"),
               _("Ngày khắc phục xong")])
    for s in ov.shortcomings:
        ws.append([s.number, s.area.name, s.text, s.year_found,
                   s.same_as.number if s.same_as else "",
                   format_date(s.closed_on) if s.closed_on else ""])
    c = ov.count
    ws.append([_("Tổng"), _("{new} + {carried} − {dup} = {total}").format(
        new=c.new, carried=c.carried, dup=c.duplicates, total=c.total)])
    _solutions_sheet(wb, ov.progress)
    rs = wb.sheet(_("Báo cáo của các ban"))
    rs.append([_("Ban"), _("Kỳ"), _("Hạn"), _("Tình trạng")])
    for d in ov.dues:
        rs.append([d.department.name, d.label, format_date(d.due_on) if d.due_on else "",
                   d.obligation.status_label(today()) if d.obligation else _("Chưa giao")])
    es = wb.sheet(_("Đánh giá hằng tháng"))
    es.append([_("Họ và tên"), _("Bình quân năm"), _("Số tháng")])
    for name, mean, n in ov.evaluations:
        es.append([name, float(mean) if mean is not None else "", n])
    return wb.to_bytes()


# -- issuing --------------------------------------------------------------------------------------

def _doc_type() -> DocumentType:
    found = DocumentType.objects.filter(code=DOC_TYPE).first()
    if found is None:
        raise ReportError(_("Chưa có loại văn bản Báo cáo trong danh mục."), field="title")
    return found


def _issue(*, actor: Actor | None, unit: Unit, department: Department | None, title: str,
           body: str, recipients: list[str], signer_title: str, signer_name: str,
           issued_on: dt.date | None) -> Document:
    if not (body or "").strip():
        raise ReportError(_("Nội dung báo cáo: chưa nhập."), field="body")
    try:
        draft = document_create(
            actor=actor, issuing_unit=unit, doc_type=_doc_type(), department=department,
            title=title, body=markup.parse_body(body), recipients=recipients,
            signer_title=signer_title, signer_name=signer_name, issued_on=issued_on)
        return document_issue(actor=actor, document=draft, issued_on=issued_on)
    except ApplicationError as exc:
        raise ReportError(exc.message, field=exc.field) from None


@transaction.atomic
def department_report_issue(*, actor: Actor | None, scope: Scope, unit: Unit, year: int,
                            department_pk: int, period_key: str, body: str, signer_title: str,
                            signer_name: str, issued_on: dt.date | None = None) -> Document:
    """Issue a department's report as a numbered Báo cáo and submit its obligation."""
    due = find_due(unit, year, department_pk, period_key)
    if not can_report(scope, unit, due.department):
        raise ReportError(_("Bạn không có quyền lập báo cáo của {dept}.").format(
            dept=due.department.name), field="department")
    if due.obligation is None:
        raise ReportError(_("Báo cáo {period} của {dept} chưa được giao: hãy đưa các báo cáo "
                            "của năm vào “Việc của tôi” trước.").format(
            period=due.label, dept=due.department.name), field="period")
    if not due.obligation.is_open():
        raise ReportError(_("Báo cáo {period} của {dept} đã được gửi.").format(
            period=due.label, dept=due.department.name), field="period")
    office = office_of(unit)
    document = _issue(
        actor=actor, unit=unit, department=due.department,
        title=_("Kết quả thực hiện kế hoạch khắc phục khuyết điểm {period}").format(
            period=due.label),
        body=body, recipients=[office.name if office else _("Văn phòng"), _("Lưu VT")],
        signer_title=signer_title, signer_name=signer_name, issued_on=issued_on)
    ob = due.obligation
    from django.contrib.contenttypes.models import ContentType

    ob.source_type_id = ContentType.objects.get_for_model(Document).pk
    ob.source_id = document.pk
    ob.save(update_fields=["source_type", "source_id"])
    hub_services.obligation_submit(actor=None, obligation=ob, text=_(
        "Báo cáo số {symbol}.").format(symbol=document.symbol))
    return document


def office_title(which: str, year: int) -> str:
    if which == COMPILATION:
        return _("Tổng hợp kết quả thực hiện kế hoạch khắc phục khuyết điểm năm {y} (trình phiên "
                 "họp Ban Thường vụ tháng 12/{y})").format(y=year)
    return _("Đánh giá kết quả thực hiện kế hoạch khắc phục khuyết điểm năm {y}").format(y=year)


@transaction.atomic
def office_report_issue(*, actor: Actor | None, scope: Scope, unit: Unit, year: int,
                        which: str, body: str, signer_title: str, signer_name: str,
                        issued_on: dt.date | None = None) -> Document:
    """The Office's compilation for December's meeting, or the year-end report."""
    if which not in (COMPILATION, YEAR_END):
        raise ReportError(_("Loại báo cáo không hợp lệ."), field="which")
    if not can_compile(scope, unit):
        raise ReportError(_("Bạn không có quyền lập báo cáo tổng hợp của Văn phòng."),
                          field="unit")
    recipients = ([_("Ban Thường vụ"), _("Lưu VT")] if which == COMPILATION else
                  [_("Ban Thường vụ"), _("Các ban, đơn vị"), _("Lưu VT")])
    return _issue(actor=actor, unit=unit, department=office_of(unit),
                  title=office_title(which, year), body=body, recipients=recipients,
                  signer_title=signer_title, signer_name=signer_name, issued_on=issued_on)


def office_documents(unit: Unit, year: int) -> dict[str, Document | None]:
    found: dict[str, Document | None] = {}
    for which in (COMPILATION, YEAR_END):
        found[which] = (Document.objects.filter(issuing_unit=unit, title=office_title(which, year))
                        .exclude(number__isnull=True).order_by("-pk").first())
    return found
