"""Quarterly registration and approval of field visits (FV-5) and Youth Month campaigns (FV-10).

The steps of seed 002 §IV, as services (keyword-only, atomic, refusals in Vietnamese naming the
field; nothing half-written):

1. `line_draft` — at the start of a quarter a cadre drafts lines of the kinds the regime lets
   them choose (`rules.may_choose`), into their department's plan (or the agency's one plan,
   where the policy lists the unit's kind in `agency_plan_kinds`, e.g. district unions).
2. `plan_merge` / `plan_register` — the department head names the supervising Standing member
   and registers the plan with Ban Tổ chức – Kiểm tra by the policy's registration day; the
   hub obligation opened with the plan (owed by the department to Ban Tổ chức – Kiểm tra,
   in "Việc của tôi") is delivered. A registration after the day is refused unless the
   Standing reopened it with a reason (`plan_allow_late`), then it is flagged late.
3. `plan_approve`, `line_assign` — the Standing approves and assigns the kinds it owns
   (`policy.assigned_kinds`) to named cadres of the unit.
4. `plan_issue` — the unit issues the quarter's plan as a numbered "Kế hoạch" document.

Youth Month: `campaign_create` opens the month the policy names (`youth_month`); lines drafted
for it link their plan to the campaign; `campaign_progress` compares planned and logged visits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from doanvu.accounts.models import User
from doanvu.accounts.scope import Scope
from doanvu.audit.context import acting
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.typing import Actor
from doanvu.documents import markup
from doanvu.documents.models import Document, DocumentType
from doanvu.documents.services import document_create, document_issue
from doanvu.hub import rules as hub_rules
from doanvu.hub import services as hub_services
from doanvu.hub.models import Obligation
from doanvu.org.models import (
    CommitteeKind,
    CommitteeSeat,
    Department,
    Person,
    Position,
    Unit,
)

from . import permissions, rules
from .models import Campaign, FieldVisitPolicy, PlannedVisit, PlanStatus, QuarterPlan, Visit
from .selectors import organisation_department, policy_for

PLAN_KIND = "fv.department_quarter_plan"


class PlanError(ApplicationError):
    """A quarter plan or campaign refused: the message says why, in Vietnamese."""


class PlanPermissionError(PlanError):
    pass


def _scope(actor: Actor | None) -> Scope | None:
    return None if actor is None else Scope.for_user(actor)  # type: ignore[arg-type]


def _require(actor: Actor | None, allowed: bool, message: str) -> None:
    if actor is not None and not allowed:
        raise PlanPermissionError(message)


def _user(actor: Actor | None) -> User | None:
    return actor if isinstance(actor, User) else None


# -- lookups ----------------------------------------------------------------------------------

def regime(unit: Unit, day: dt.date) -> tuple[FieldVisitPolicy, rules.RegimePolicy]:
    policy = policy_for(unit=unit, day=day)
    if policy is None:
        raise PlanError(_("Chưa có chế độ đi cơ sở áp dụng cho {unit} tại ngày {day}.").format(
            unit=unit.name, day=format_date(day)), field="unit")
    return policy, rules.RegimePolicy.of(policy)


def is_agency_wide(policy: FieldVisitPolicy, unit: Unit) -> bool:
    """One plan for the whole agency (district unions, per the policy)?"""
    return unit.kind.code in (policy.agency_plan_kinds or [])


def standing_members(unit: Unit, on: dt.date) -> list[Person]:
    """The unit's Standing (Thường trực) on `on`, by seat order."""
    seats = (CommitteeSeat.objects.filter(term__unit=unit, committee=CommitteeKind.STANDING,
                                          term__start_date__lte=on)
             .filter(Q(term__end_date__isnull=True) | Q(term__end_date__gte=on))
             .filter(Q(start_date__isnull=True) | Q(start_date__lte=on))
             .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
             .select_related("person").order_by("order", "person__name_folded", "pk"))
    out: list[Person] = []
    for s in seats:
        if s.person not in out:
            out.append(s.person)
    return out


def post_in(person: Person, unit: Unit, on: dt.date) -> Position | None:
    """The person's post in `unit`'s agency on `on` (None: not a cadre of the unit then)."""
    return (Position.objects.filter(person=person, unit=unit, start_date__lte=on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
            .select_related("department").order_by("-start_date", "-pk").first())


def _lock(plan: QuarterPlan) -> QuarterPlan:
    return (QuarterPlan.objects.select_for_update(of=("self",))
            .select_related("unit__kind", "department", "campaign", "supervisor")
            .get(pk=plan.pk))


def _plan_label(plan: QuarterPlan) -> str:
    return str(plan)


def _obligation_for(plan: QuarterPlan, policy: rules.RegimePolicy) -> Obligation | None:
    """Open (once) the obligation to register the plan with Ban Tổ chức – Kiểm tra, due on the
    policy's registration day; None where the agency has no such department to owe it to."""
    if plan.obligation_id is not None:
        return plan.obligation
    tckt = organisation_department(plan.unit)
    if tckt is None or (plan.department_id is not None and plan.department_id == tckt.pk):
        return None
    due = rules.registration_due(policy, plan.year, plan.quarter)
    who = plan.department.name if plan.department is not None else plan.unit.name
    ob = hub_services.obligation_create(
        actor=None, kind=PLAN_KIND, kind_label=_("Đăng ký kế hoạch đi cơ sở quý"),
        title=_("Đăng ký kế hoạch đi cơ sở quý {q}/{y}: {who}").format(
            q=plan.quarter, y=plan.year, who=who)[:255],
        owed_by_unit=plan.unit, owed_by_department=plan.department,
        owed_to_unit=plan.unit, owed_to_department=tckt,
        rule=hub_rules.DueRule.fixed(due), source=plan, source_label=_plan_label(plan)[:255],
        key=f"fv.plan:{plan.pk}")
    plan.obligation = ob
    plan.save(update_fields=["obligation"])
    return ob


def plan_for(*, unit: Unit, department: Department | None, year: int, quarter: int,
             campaign: Campaign | None = None) -> QuarterPlan:
    """The department's (or agency's) plan of the quarter, made on first use with its
    registration obligation."""
    start, _end = rules.quarter_bounds(year, quarter)
    policy, regime_ = regime(unit, start)
    if is_agency_wide(policy, unit):
        department = None
    plan = (QuarterPlan.objects.select_for_update(of=("self",))
            .filter(unit=unit, department=department, year=year, quarter=quarter).first())
    if plan is None:
        plan = QuarterPlan.objects.create(unit=unit, department=department, year=year,
                                          quarter=quarter, campaign=campaign)
        _obligation_for(plan, regime_)
    elif campaign is not None and plan.campaign_id is None:
        plan.campaign = campaign
        plan.save(update_fields=["campaign"])
    return plan


# -- step 1: the cadre's lines ----------------------------------------------------------------

def _check_dates(start: dt.date | None, end: dt.date | None, year: int, quarter: int) -> None:
    if start is None:
        raise PlanError(_("Hãy nhập ngày đi (từ ngày)."), field="start_date")
    if end is None:
        raise PlanError(_("Hãy nhập ngày về (đến ngày)."), field="end_date")
    if end < start:
        raise PlanError(_("Ngày về ({end}) trước ngày đi ({start}).").format(
            end=format_date(end), start=format_date(start)), field="end_date")
    first, last = rules.quarter_bounds(year, quarter)
    if start < first or end > last:
        raise PlanError(_("Chuyến đi phải nằm trong quý {q}/{y} ({first}–{last}).").format(
            q=quarter, y=year, first=format_date(first), last=format_date(last)),
            field="start_date")


def _check_place(place: Unit | None, unit: Unit) -> None:
    if place is None:
        raise PlanError(_("Hãy chọn nơi đến."), field="place")
    if place.pk == unit.pk or not place.path.startswith(unit.path):
        raise PlanError(_("{place} không phải đơn vị cấp dưới của {unit}.").format(
            place=place.name, unit=unit.name), field="place")
    if place.dissolved_on is not None:
        raise PlanError(_("{place} đã giải thể / sáp nhập.").format(place=place.name),
                        field="place")


def _check_open(plan: QuarterPlan) -> None:
    if plan.status == PlanStatus.ISSUED:
        raise PlanError(_("Kế hoạch {plan} đã ban hành: không thay đổi được nữa.").format(
            plan=plan), field="plan")


@transaction.atomic
def line_draft(*, actor: Actor | None, unit: Unit, person: Person, year: int, quarter: int,
               kind: str, place: Unit | None, start_date: dt.date | None,
               end_date: dt.date | None, content: str = "",
               campaign: Campaign | None = None) -> PlannedVisit:
    """A cadre drafts a visit of a kind they may choose into their department's plan (or the
    agency's plan) of the quarter (FV-5 step 1)."""
    scope = _scope(actor)
    _require(actor, scope is not None and permissions.can_log_for(scope, person),
             _("Bạn chỉ đăng ký được chuyến đi của chính mình."))
    if not 1 <= quarter <= 4:
        raise PlanError(_("Quý phải từ 1 đến 4."), field="quarter")
    first, _last = rules.quarter_bounds(year, quarter)
    post = post_in(person, unit, first) or post_in(person, unit, start_date or first)
    if post is None:
        raise PlanError(_("{person} không phải cán bộ cơ quan {unit} trong quý {q}/{y}.").format(
            person=person.full_name, unit=unit.name, q=quarter, y=year), field="person")
    _policy, regime_ = regime(unit, first)
    if not rules.may_choose(regime_, kind):
        raise PlanError(_("Nội dung {kind} do Thường trực phân công, cán bộ không tự đăng ký "
                          "được; hãy chọn một trong: {kinds}.").format(
            kind=kind or "—", kinds=", ".join(sorted(regime_.chosen_kinds))), field="kind")
    _check_dates(start_date, end_date, year, quarter)
    _check_place(place, unit)
    assert start_date is not None and end_date is not None and place is not None
    if campaign is not None:
        if campaign.unit_id != unit.pk:
            raise PlanError(_("Đợt cao điểm không thuộc {unit}.").format(unit=unit.name),
                            field="campaign")
        if start_date < campaign.start_date or end_date > campaign.end_date:
            raise PlanError(_("Chuyến đi phải nằm trong thời gian của đợt “{name}” ({a}–{b}).")
                            .format(name=campaign.name, a=format_date(campaign.start_date),
                                    b=format_date(campaign.end_date)), field="start_date")
    plan = plan_for(unit=unit, department=post.department, year=year, quarter=quarter,
                    campaign=campaign)
    _check_open(plan)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError(_("Kế hoạch {plan} đã đăng ký: không thêm chuyến tự đăng ký được nữa.")
                        .format(plan=plan), field="plan")
    content = (content or "").strip()
    if len(content) > 500:
        raise PlanError(_("Nội dung cụ thể dài quá 500 ký tự."), field="content")
    line = PlannedVisit(plan=plan, person=person, kind=kind, place=place,
                        start_date=start_date, end_date=end_date, content=content)
    with acting(_user(actor)):
        line.save()
    return line


@transaction.atomic
def line_delete(*, actor: Actor | None, line: PlannedVisit) -> None:
    """Withdraw a drafted line while the plan is a draft (the cadre, or the department head)."""
    plan = _lock(line.plan)
    scope = _scope(actor)
    allowed = scope is not None and (
        (not line.assigned and permissions.can_log_for(scope, line.person))
        or permissions.can_manage_plan(scope, plan)
        or permissions.can_approve_plan(scope, plan))
    _require(actor, allowed, _("Bạn không được xóa chuyến đi này."))
    _check_open(plan)
    if not line.assigned and plan.status != PlanStatus.DRAFT:
        raise PlanError(_("Kế hoạch đã đăng ký: không rút chuyến tự đăng ký được nữa."),
                        field="plan")
    with acting(_user(actor)):
        line.delete()


# -- step 2: merge and register ---------------------------------------------------------------

@transaction.atomic
def plan_merge(*, actor: Actor | None, plan: QuarterPlan, supervisor: Person | None,
               note: str = "") -> QuarterPlan:
    """The department head takes the cadres' lines as the department's plan with its
    supervising Standing member (FV-5 step 2)."""
    locked = _lock(plan)
    scope = _scope(actor)
    _require(actor, scope is not None and permissions.can_manage_plan(scope, locked),
             _("Chỉ lãnh đạo phòng, ban mới tổng hợp được kế hoạch này."))
    if locked.status != PlanStatus.DRAFT:
        raise PlanError(_("Kế hoạch {plan} đã đăng ký.").format(plan=locked), field="plan")
    first, _last = rules.quarter_bounds(locked.year, locked.quarter)
    if supervisor is None:
        if locked.department_id is not None:
            raise PlanError(_("Hãy chọn Thường trực phụ trách phòng, ban."), field="supervisor")
    elif supervisor not in standing_members(locked.unit, first):
        raise PlanError(_("{person} không thuộc Thường trực {unit} trong quý {q}/{y}.").format(
            person=supervisor.full_name, unit=locked.unit.name, q=locked.quarter,
            y=locked.year), field="supervisor")
    if not locked.lines.exists():
        raise PlanError(_("Kế hoạch chưa có chuyến đi nào để tổng hợp."), field="plan")
    locked.supervisor = supervisor
    locked.note = (note or "").strip()
    with acting(_user(actor)):
        locked.save(update_fields=["supervisor", "note"])
    return locked


@transaction.atomic
def plan_allow_late(*, actor: Actor | None, plan: QuarterPlan, reason: str) -> QuarterPlan:
    """The Standing reopens registration after the day, with a reason; the plan will be flagged
    late when registered."""
    locked = _lock(plan)
    scope = _scope(actor)
    _require(actor, scope is not None and permissions.can_approve_plan(scope, locked),
             _("Chỉ Thường trực mới cho phép đăng ký trễ hạn."))
    reason = (reason or "").strip()
    if not reason:
        raise PlanError(_("Hãy ghi lý do cho phép đăng ký trễ hạn."), field="reason")
    if locked.status != PlanStatus.DRAFT:
        raise PlanError(_("Kế hoạch {plan} đã đăng ký.").format(plan=locked), field="plan")
    locked.registered_late = True
    locked.note = "\n".join(x for x in (locked.note, _("Cho phép đăng ký trễ hạn: {reason}")
                                        .format(reason=reason)) if x)
    with acting(_user(actor), reason=reason):
        locked.save(update_fields=["registered_late", "note"])
    return locked


@transaction.atomic
def plan_register(*, actor: Actor | None, plan: QuarterPlan,
                  on: dt.date | None = None) -> QuarterPlan:
    """Register the plan with Ban Tổ chức – Kiểm tra by the policy's day; the obligation is
    delivered. After the day: refused, nothing changed (unless the Standing reopened it)."""
    locked = _lock(plan)
    scope = _scope(actor)
    _require(actor, scope is not None and permissions.can_manage_plan(scope, locked),
             _("Chỉ lãnh đạo phòng, ban mới đăng ký được kế hoạch này."))
    if locked.status != PlanStatus.DRAFT:
        raise PlanError(_("Kế hoạch {plan} đã đăng ký.").format(plan=locked), field="plan")
    day = on or today()
    first, _last = rules.quarter_bounds(locked.year, locked.quarter)
    _policy, regime_ = regime(locked.unit, first)
    due = rules.registration_due(regime_, locked.year, locked.quarter)
    if day > due and not locked.registered_late:
        raise PlanError(_("Đã quá hạn đăng ký kế hoạch quý {q}/{y} (hạn {due}): kế hoạch chưa "
                          "được đăng ký. Đề nghị Thường trực cho phép đăng ký trễ hạn.").format(
            q=locked.quarter, y=locked.year, due=format_date(due)), field="registered_on")
    if locked.department_id is not None and locked.supervisor_id is None:
        raise PlanError(_("Hãy tổng hợp kế hoạch và chọn Thường trực phụ trách trước khi đăng "
                          "ký."), field="supervisor")
    if not locked.lines.exists():
        raise PlanError(_("Kế hoạch chưa có chuyến đi nào."), field="plan")
    locked.status = PlanStatus.REGISTERED
    locked.registered_on = day
    locked.registered_late = day > due
    with acting(_user(actor)):
        locked.save(update_fields=["status", "registered_on", "registered_late"])
    ob = _obligation_for(locked, regime_)
    if ob is not None and ob.is_open():
        lines = locked.lines.count()
        hub_services.obligation_submit(
            actor=None, obligation=ob,
            text=_("Đăng ký kế hoạch đi cơ sở quý {q}/{y}: {n} chuyến đi.").format(
                q=locked.quarter, y=locked.year, n=lines))
    return locked


# -- step 3: approve and assign ---------------------------------------------------------------

@transaction.atomic
def plan_approve(*, actor: Actor | None, plan: QuarterPlan,
                 on: dt.date | None = None) -> QuarterPlan:
    locked = _lock(plan)
    scope = _scope(actor)
    _require(actor, scope is not None and permissions.can_approve_plan(scope, locked),
             _("Chỉ Thường trực mới duyệt được kế hoạch đi cơ sở."))
    if locked.status != PlanStatus.REGISTERED:
        raise PlanError(_("Chỉ duyệt được kế hoạch đã đăng ký (hiện: {status}).").format(
            status=locked.get_status_display()), field="plan")
    locked.status = PlanStatus.APPROVED
    locked.approved_on = on or today()
    locked.approved_by = _user(actor)
    with acting(_user(actor)):
        locked.save(update_fields=["status", "approved_on", "approved_by"])
    if locked.obligation_id is not None:
        ob = Obligation.objects.get(pk=locked.obligation_id)
        if ob.status == "submitted":
            hub_services.obligation_accept(actor=None, obligation=ob)
    return locked


@transaction.atomic
def line_assign(*, actor: Actor | None, plan: QuarterPlan, person: Person | None, kind: str,
                place: Unit | None, start_date: dt.date | None, end_date: dt.date | None,
                content: str = "") -> PlannedVisit:
    """The Standing assigns a visit of a kind it owns (1.2, 1.4, 1.5) to a named cadre."""
    locked = _lock(plan)
    scope = _scope(actor)
    _require(actor, scope is not None and permissions.can_approve_plan(scope, locked),
             _("Chỉ Thường trực mới phân công được chuyến đi."))
    _check_open(locked)
    if locked.status == PlanStatus.DRAFT:
        raise PlanError(_("Kế hoạch chưa được đăng ký."), field="plan")
    first, _last = rules.quarter_bounds(locked.year, locked.quarter)
    _policy, regime_ = regime(locked.unit, first)
    if kind not in regime_.assigned_kinds:
        raise PlanError(_("Nội dung {kind} do cán bộ tự chọn, không thuộc nội dung Thường trực "
                          "phân công ({kinds}).").format(
            kind=kind or "—", kinds=", ".join(sorted(regime_.assigned_kinds))), field="kind")
    if person is None:
        raise PlanError(_("Hãy chọn cán bộ được phân công."), field="person")
    post = post_in(person, locked.unit, start_date or first)
    if post is None or (locked.department_id is not None
                        and post.department_id != locked.department_id):
        where = locked.department.name if locked.department is not None else locked.unit.name
        raise PlanError(_("{person} không phải cán bộ của {where}.").format(
            person=person.full_name, where=where), field="person")
    _check_dates(start_date, end_date, locked.year, locked.quarter)
    _check_place(place, locked.unit)
    assert start_date is not None and end_date is not None and place is not None
    line = PlannedVisit(plan=locked, person=person, kind=kind, place=place,
                        start_date=start_date, end_date=end_date,
                        content=(content or "").strip()[:500], assigned=True)
    with acting(_user(actor)):
        line.save()
    return line


# -- step 4: the unit issues the quarter's plan -----------------------------------------------

def _issue_body(unit: Unit, year: int, quarter: int, plans: Sequence[QuarterPlan]) -> str:
    first, last = rules.quarter_bounds(year, quarter)
    out = [_("I. MỤC ĐÍCH, YÊU CẦU"),
           _("Cán bộ cơ quan chuyên trách {unit} đi cơ sở trong quý {q}/{y} (từ {a} đến {b}) "
             "theo kế hoạch đã được Thường trực duyệt.").format(
               unit=unit.name, q=quarter, y=year, a=format_date(first), b=format_date(last)),
           _("II. LỊCH ĐI CƠ SỞ")]
    for plan in plans:
        who = plan.department.name if plan.department is not None else unit.name
        head = who
        if plan.supervisor is not None:
            head += _(" (Thường trực phụ trách: {name})").format(name=plan.supervisor.full_name)
        out.append(head)
        for line in plan.lines.select_related("person", "place").order_by("start_date", "pk"):
            out.append(_("- {a}–{b}: {person} đến {place}, nội dung {kind}{assigned}{text}.")
                       .format(a=format_date(line.start_date), b=format_date(line.end_date),
                               person=line.person.full_name, place=line.place.name,
                               kind=line.kind,
                               assigned=_(" (Thường trực phân công)") if line.assigned else "",
                               text=f": {line.content}" if line.content else ""))
    out.append(_("III. TỔ CHỨC THỰC HIỆN"))
    out.append(_("Kết thúc đợt đi cơ sở, cán bộ báo cáo kết quả về Ban Tổ chức – Kiểm tra theo "
                 "thời hạn quy định."))
    return "\n".join(out)


@transaction.atomic
def plan_issue(*, actor: Actor | None, unit: Unit, year: int, quarter: int, signer_title: str,
               signer_name: str, issued_on: dt.date | None = None) -> Document:
    """Issue the quarter's visit plan of the unit as a numbered "Kế hoạch" (FV-5 step 4): the
    approved plans of its departments (or the agency's one plan)."""
    scope = _scope(actor)
    _require(actor, scope is not None and scope.can(permissions.APPROVE, unit),
             _("Chỉ Thường trực mới ban hành được kế hoạch đi cơ sở của đơn vị."))
    plans = list(QuarterPlan.objects.select_for_update(of=("self",))
                 .filter(unit=unit, year=year, quarter=quarter)
                 .select_related("department", "supervisor")
                 .order_by("department__name", "pk"))
    approved = [p for p in plans if p.status == PlanStatus.APPROVED]
    if not approved:
        if any(p.status == PlanStatus.ISSUED for p in plans):
            raise PlanError(_("Kế hoạch đi cơ sở quý {q}/{y} đã được ban hành.").format(
                q=quarter, y=year), field="plan")
        raise PlanError(_("Chưa có kế hoạch nào của quý {q}/{y} được Thường trực duyệt.").format(
            q=quarter, y=year), field="plan")
    doc_type = DocumentType.objects.filter(code="ke_hoach").first()
    if doc_type is None:
        raise PlanError(_("Chưa có loại văn bản Kế hoạch trong danh mục."), field="plan")
    department = organisation_department(unit)
    try:
        draft = document_create(
            actor=actor, issuing_unit=unit, doc_type=doc_type, department=department,
            title=_("Đi cơ sở quý {q} năm {y}").format(q=quarter, y=year),
            body=markup.parse_body(_issue_body(unit, year, quarter, approved)),
            recipients=[_("Thường trực"), _("Các ban, văn phòng"), _("Lưu VP")],
            signer_title=signer_title, signer_name=signer_name, issued_on=issued_on)
        document = document_issue(actor=actor, document=draft, issued_on=issued_on)
    except ApplicationError as exc:
        raise PlanError(exc.message, field=exc.field) from None
    for p in approved:
        p.document = document
        p.status = PlanStatus.ISSUED
        with acting(_user(actor)):
            p.save(update_fields=["document", "status"])
    return document


# -- FV-10: Youth Month -----------------------------------------------------------------------

@transaction.atomic
def campaign_create(*, actor: Actor | None, unit: Unit, year: int, name: str = "",
                    target_days: int = 0, note: str = "") -> Campaign:
    """Open the Youth Month campaign of `year` in the month the policy names."""
    scope = _scope(actor)
    _require(actor, scope is not None and scope.can(permissions.WRITE, unit),
             _("Bạn không được lập đợt cao điểm của {unit}.").format(unit=unit.name))
    if not 2000 <= year <= 2100:
        raise PlanError(_("Năm không hợp lệ."), field="year")
    policy, _regime = regime(unit, dt.date(year, 1, 1))
    month = policy.youth_month
    if not month:
        raise PlanError(_("Chế độ đi cơ sở đang áp dụng không quy định Tháng Thanh niên."),
                        field="year")
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    if target_days < 0 or target_days > (end - start).days + 1:
        raise PlanError(_("Số ngày mỗi cán bộ phải từ 0 đến {n}.").format(
            n=(end - start).days + 1), field="target_days")
    if Campaign.objects.filter(unit=unit, start_date=start, end_date=end).exists():
        raise PlanError(_("{unit} đã có đợt Tháng Thanh niên {y}.").format(unit=unit.name,
                                                                          y=year), field="year")
    campaign = Campaign(unit=unit, name=(name or "").strip()[:255]
                        or _("Tháng Thanh niên {y}").format(y=year),
                        start_date=start, end_date=end, target_days=target_days,
                        note=(note or "").strip())
    with acting(_user(actor)):
        campaign.save()
    return campaign


@dataclass(frozen=True)
class CampaignRow:
    person: Person
    planned: int  # planned lines
    planned_days: int
    logged: int  # visits logged for the campaign
    logged_days: int  # distinct days of those visits inside the campaign


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    rows: list[CampaignRow]
    planned: int
    logged: int
    planned_days: int
    logged_days: int


def _days(spans: Sequence[tuple[dt.date, dt.date]], first: dt.date, last: dt.date) -> int:
    days: set[dt.date] = set()
    for a, b in spans:
        d = max(a, first)
        while d <= min(b, last):
            days.add(d)
            d += dt.timedelta(days=1)
    return len(days)


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """Planned against logged visits of a campaign, per cadre (the caller checks scope)."""
    first, last = campaign.start_date, campaign.end_date
    lines = list(PlannedVisit.objects.filter(plan__campaign=campaign)
                 .select_related("person").order_by("person__name_folded", "start_date", "pk"))
    visits = list(Visit.objects.filter(campaign=campaign).select_related("person")
                  .order_by("person__name_folded", "start_date", "pk"))
    people: dict[int, Person] = {}
    for x in lines:
        people.setdefault(x.person_id, x.person)
    for v in visits:
        people.setdefault(v.person_id, v.person)
    rows = []
    for pk, person in sorted(people.items(), key=lambda kv: (kv[1].name_folded, kv[0])):
        mine = [ln for ln in lines if ln.person_id == pk]
        done = [v for v in visits if v.person_id == pk]
        rows.append(CampaignRow(person, len(mine),
                                _days([(ln.start_date, ln.end_date) for ln in mine], first, last),
                                len(done),
                                _days([(v.start_date, v.end_date) for v in done], first, last)))
    return CampaignProgress(campaign, rows, len(lines), len(visits),
                            sum(r.planned_days for r in rows), sum(r.logged_days for r in rows))
