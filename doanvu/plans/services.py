"""Every write of plans: keyword-only, atomic, checking the actor itself and refusing with a
Vietnamese message that names the field (ApplicationError), so nothing is half-written. The
audited models are registered in the AppConfig; writes run under the actor (`acting`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from doanvu.accounts.models import User
from doanvu.accounts.scope import READ, Scope
from doanvu.audit.context import acting
from doanvu.common.dates import DateInputError, format_date, read_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period, parse_period
from doanvu.common.text import fold
from doanvu.common.typing import Actor
from doanvu.documents.models import Document, DocumentRecipient, DocumentStatus
from doanvu.hub import rules as hub_rules
from doanvu.hub import services as hub_services
from doanvu.org.models import Department, Unit
from doanvu.org.selectors import subtree_paths_on

from . import permissions, rules
from .models import (
    Directive,
    ImplementingDuty,
    LeadTimePolicy,
    Plan,
    PlanBasis,
    Solution,
    Task,
    TaskEvidence,
)

ONGOING_WORDS = "thuong xuyen"  # i18n: data (folded "thường xuyên", an ongoing deadline)
DATE_SHAPE = re.compile(r"^\s*\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}\s*$")
TASK_KIND = "plans.task"  # i18n: data (hub obligation kind)
DUTY_KIND = "plans.implementing_plan"  # i18n: data (hub obligation kind)
MAX_CHAIN = 20  # how far up the chain of bases a cycle is looked for


class PlanError(ApplicationError):
    pass


class LeadTimeWarning(PlanError):
    """A directive issued with less than the lead time, not marked urgent: registered only once
    the user confirms."""


def _refuse(message: str, field: str) -> PlanError:
    return PlanError(message, field=field)


def _user(actor: Actor | None) -> User | None:
    return actor if isinstance(actor, User) and actor.pk else None


def _require(actor: Actor | None, allowed: Callable[[Scope], bool], message: str) -> None:
    """A person acting must hold the permission; the system (None) passes."""
    user = _user(actor)
    if actor is not None and (user is None or not allowed(Scope.for_user(user))):
        raise _refuse(message, "unit")


@contextmanager
def _as(actor: Actor | None) -> Iterator[None]:
    with acting(_user(actor)):
        yield


def _check_write(actor: Actor | None, unit: Unit) -> None:
    _require(actor, lambda s: permissions.can_manage(s, unit),
             _("Bạn không có quyền cập nhật kế hoạch của đơn vị này."))


# -- PLAN-1: the plan's structure ---------------------------------------------------------------
@dataclass(frozen=True)
class PlanInput:
    purposes: str = ""
    organisation: str = ""
    implementing_due_on: dt.date | None = None
    basis_documents: Sequence[Document] = ()
    basis_texts: Sequence[str] = ()


def _chain_reaches(start: Document, target_id: int) -> bool:
    """Whether following the bases up from `start` reaches the document `target_id`."""
    seen: set[int] = set()
    frontier = [start.pk]
    for _step in range(MAX_CHAIN):
        if target_id in frontier:
            return True
        seen.update(frontier)
        frontier = [d for d in PlanBasis.objects.filter(
            plan__document_id__in=frontier, document__isnull=False)
            .values_list("document_id", flat=True) if d not in seen]
        if not frontier:
            return False
    return False


def _check_bases(actor: Actor | None, document: Document, docs: Sequence[Document],
                 texts: Sequence[str]) -> list[str]:
    user = _user(actor)
    scope = Scope.for_user(user) if user is not None else None
    for d in docs:
        if d.pk == document.pk:
            raise _refuse(_("Căn cứ: kế hoạch không thể thực hiện chính nó."), "basis_documents")
        if d.is_draft:
            raise _refuse(_("Căn cứ: “{title}” còn là dự thảo, chưa ban hành.").format(
                title=d.title), "basis_documents")
        if scope is not None and not (
                scope.can(READ, d.issuing_unit) or DocumentRecipient.objects.filter(
                    document=d, unit__in=scope.filter(Unit.objects.all(), READ)).exists()):
            raise _refuse(_("Căn cứ: không tìm thấy văn bản được chọn."), "basis_documents")
        if _chain_reaches(d, document.pk):
            raise _refuse(_("Căn cứ: “{title}” lại thực hiện kế hoạch này; hai kế hoạch không "
                            "thể là căn cứ của nhau.").format(title=d.title), "basis_documents")
    cleaned = []
    for i, t in enumerate(texts, start=1):
        t = (t or "").strip()
        if not t:
            continue
        if len(t) > 500:
            raise _refuse(_("Căn cứ khác, dòng {i}: dài quá 500 ký tự.").format(i=i),
                          "basis_texts")
        cleaned.append(t)
    return cleaned


def _lower_units(plan: Plan) -> list[Unit]:
    """The lower units a plan asks for implementing plans: the units under the issuer (on the
    plan's date) it was sent to, or, with none, the issuer's direct sub-units standing today."""
    unit = plan.unit
    # under the issuer as the tree stood on the plan's date: units moved since still owe
    below = subtree_paths_on(unit=unit, day=plan.document.issued_on or today())
    sent = list(Unit.objects.filter(incoming_documents__document=plan.document, pk__in=below)
                .exclude(pk=unit.pk).order_by("name"))
    if sent:
        return sent
    return list(Unit.objects.filter(parent=unit, dissolved_on__isnull=True).order_by("name"))


def _standing(*units: Unit) -> bool:
    """Obligations are owed only between units standing today (the hub refuses others): a plan
    of a unit since dissolved keeps its duties and tasks without them."""
    return all(u.dissolved_on is None for u in units)


def _open_duties(actor: Actor | None, plan: Plan) -> None:
    """One obligation per lower unit to issue its implementing plan by the plan's date."""
    due = plan.implementing_due_on
    if due is None:
        return
    for unit in _lower_units(plan):
        duty, _made = ImplementingDuty.objects.get_or_create(plan=plan, unit=unit)
        if duty.obligation_id is None and _standing(unit, plan.unit):
            duty.obligation = hub_services.obligation_create(
                actor=None, kind=DUTY_KIND, kind_label=_("Ban hành kế hoạch thực hiện"),
                title=_("Ban hành kế hoạch thực hiện {symbol}: {title}").format(
                    symbol=plan.document.symbol, title=plan.document.title)[:255],
                owed_by_unit=unit, owed_to_unit=plan.unit, rule=hub_rules.DueRule.fixed(due),
                source=plan.document, source_label=str(plan.document)[:255],
                key=f"plans.duty:{plan.pk}:{unit.pk}")
            duty.save(update_fields=["obligation"])
        elif duty.obligation is not None and duty.obligation.is_open() and \
                duty.obligation.due_on != due:
            hub_services.obligation_reschedule(actor=None, obligation=duty.obligation,
                                               rule=hub_rules.DueRule.fixed(due))
        if duty.fulfilled_by_id is None:
            found = (Plan.objects.filter(unit=unit, bases__document=plan.document,
                                         document__status=DocumentStatus.ISSUED)
                     .select_related("document").first())
            if found is not None:
                _fulfil(duty, found)


def _fulfil(duty: ImplementingDuty, lower: Plan) -> None:
    duty.fulfilled_by = lower
    duty.save(update_fields=["fulfilled_by"])
    ob = duty.obligation
    if ob is not None and ob.is_open():
        issued = lower.document.issued_on
        at = None
        if issued is not None:
            at = dt.datetime.combine(issued, dt.time(12), tzinfo=dt.UTC)
        hub_services.obligation_submit(
            actor=None, obligation=ob, at=at,
            text=_("Đã ban hành {doc}.").format(doc=str(lower.document))[:20000])


def _fulfil_higher(plan: Plan) -> None:
    """The duties this plan fulfils: the unit's duties of the plans it names as bases (once it
    is issued: a draft fulfils nothing)."""
    if plan.document.is_draft:
        return
    for duty in (ImplementingDuty.objects.select_related("obligation")
                 .filter(unit=plan.unit, fulfilled_by__isnull=True,
                         plan__document__in=plan.bases.filter(document__isnull=False)
                         .values("document"))):
        _fulfil(duty, plan)


@transaction.atomic
def plan_save(*, actor: Actor | None, document: Document, data: PlanInput) -> Plan:
    """Create or update the plan record beside `document` (PLAN-1); with a date for lower
    units' implementing plans each gets an obligation; a plan naming a higher plan as its basis
    fulfils its unit's obligation to that plan."""
    unit = document.issuing_unit
    _check_write(actor, unit)
    texts = _check_bases(actor, document, list(data.basis_documents), list(data.basis_texts))
    due = data.implementing_due_on
    if due is not None:
        if document.is_draft or document.issued_on is None:
            raise _refuse(_("Hạn cấp dưới ban hành kế hoạch: chỉ đặt được khi kế hoạch đã ban "
                            "hành."), "implementing_due_on")
        if due < document.issued_on:
            raise _refuse(_("Hạn cấp dưới ban hành kế hoạch ({due}) trước ngày ban hành kế "
                            "hoạch ({issued}).").format(due=format_date(due),
                                                        issued=format_date(document.issued_on)),
                          "implementing_due_on")
    with _as(actor):
        plan = Plan.objects.select_for_update().filter(document=document).first()
        if plan is None:
            plan = Plan.objects.create(document=document, unit=unit)
        plan.purposes = (data.purposes or "").strip()
        plan.organisation = (data.organisation or "").strip()
        plan.implementing_due_on = due
        plan.save(update_fields=["purposes", "organisation", "implementing_due_on"])
        wanted: list[tuple[int | None, str]] = [(d.pk, "") for d in data.basis_documents]
        wanted += [(None, t) for t in texts]
        have = [(b.document_id, b.text) for b in plan.bases.all()]
        if have != wanted:
            plan.bases.all().delete()
            for i, (doc_id, text) in enumerate(wanted, start=1):
                PlanBasis.objects.create(plan=plan, position=i, document_id=doc_id, text=text)
        _open_duties(actor, plan)
        _fulfil_higher(plan)
    return plan


# -- PLAN-2: solutions and tasks ----------------------------------------------------------------
@dataclass(frozen=True)
class Deadline:
    due_on: dt.date | None = None
    period: Period | None = None
    ongoing: bool = False

    @property
    def last_day(self) -> dt.date | None:
        return self.due_on or (self.period.end if self.period else None)


def parse_deadline(text: str, *, field: str = "") -> Deadline:
    """A task's deadline as a plan writes it: a date ("31/03/2020"), a period ("tháng 3/2020",
    "quý I/2020", "6 tháng đầu năm 2020") or "thường xuyên"; empty is none."""
    field = field or _("thời hạn")
    raw = (text or "").strip()
    if not raw:
        return Deadline()
    if fold(raw) == ONGOING_WORDS:
        return Deadline(ongoing=True)
    if DATE_SHAPE.match(raw):
        try:
            return Deadline(due_on=read_date(raw, field=field[:1].upper() + field[1:]))
        except DateInputError as exc:
            raise PlanError(exc.message, field="deadline") from None
    try:
        return Deadline(period=parse_period(raw, field=field))
    except ApplicationError as exc:
        raise PlanError(exc.message, field="deadline") from None


def deadline_text(task: Task) -> str:
    if task.ongoing:
        return _("Thường xuyên")
    if task.due_on is not None:
        return format_date(task.due_on)
    return str(task.deadline) if task.deadline is not None else ""


@dataclass(frozen=True)
class TaskInput:
    text: str
    solution_title: str = ""
    lead_department: Department | None = None
    lead_unit: Unit | None = None
    partners: str = ""
    deadline: str = ""


def _clean_task(plan: Plan, data: TaskInput) -> tuple[str, Deadline]:
    text = (data.text or "").strip()
    if not text:
        raise _refuse(_("Nội dung nhiệm vụ: chưa nhập."), "text")
    if data.lead_department is not None and data.lead_unit is not None:
        raise _refuse(_("Chủ trì: chọn một ban hoặc một đơn vị, không chọn cả hai."), "lead")
    if data.lead_department is not None and data.lead_department.unit_id != plan.unit_id:
        raise _refuse(_("Chủ trì: “{name}” không thuộc cơ quan của {unit}.").format(
            name=data.lead_department.name, unit=plan.unit.name), "lead")
    if data.lead_unit is not None and not data.lead_unit.path.startswith(plan.unit.path):
        raise _refuse(_("Chủ trì: “{name}” không thuộc {unit}.").format(
            name=data.lead_unit.name, unit=plan.unit.name), "lead")
    if len(data.partners or "") > 500:
        raise _refuse(_("Phối hợp: dài quá 500 ký tự."), "partners")
    deadline = parse_deadline(data.deadline)
    issued = plan.document.issued_on
    last = deadline.last_day
    if issued is not None and last is not None and last < issued:
        raise _refuse(_("Thời hạn “{deadline}” trước ngày ban hành kế hoạch ({issued}).").format(
            deadline=data.deadline.strip(), issued=format_date(issued)), "deadline")
    return text, deadline


def task_check(*, plan: Plan, data: TaskInput) -> None:
    """What `task_create` would refuse of `data`, without writing (the import's preview)."""
    _clean_task(plan, data)
    title = (data.solution_title or "").strip()
    if len(title) > 500:
        raise _refuse(_("Giải pháp: dài quá 500 ký tự."), "solution_title")


def _solution_for(plan: Plan, title: str) -> Solution | None:
    title = (title or "").strip()
    if not title:
        return None
    if len(title) > 500:
        raise _refuse(_("Giải pháp: dài quá 500 ký tự."), "solution_title")
    found = Solution.objects.filter(plan=plan, title=title).first()
    if found is not None:
        return found
    last = (Solution.objects.filter(plan=plan).order_by("-position")
            .values_list("position", flat=True).first())
    return Solution.objects.create(plan=plan, title=title, position=(last or 0) + 1)


def _obligation_key(task: Task) -> str:
    lead = (f"d{task.lead_department_id}" if task.lead_department_id
            else f"u{task.lead_unit_id}")
    return f"plans.task:{task.pk}:{lead}:{task.due_by}"


def _sync_obligation(task: Task) -> None:
    """A task with a last day and a lead body is owed by that body to the plan's unit in the
    hub, so a late task stands in "Việc của tôi"; done (100%) delivers it."""
    ob = task.obligation
    owed_by_unit = task.lead_unit or task.plan.unit
    wanted = task.due_by is not None and _standing(owed_by_unit, task.plan.unit) and (
        task.lead_department_id or (task.lead_unit_id and task.lead_unit_id != task.plan.unit_id))
    if ob is not None and ob.is_open() and (not wanted or ob.key != _obligation_key(task)):
        hub_services.obligation_waive(actor=None, obligation=ob,
                                      note=_("Nhiệm vụ đã đổi chủ trì hoặc thời hạn."))
        ob = None
        task.obligation = None
    if wanted and task.obligation is None and task.progress < 100:
        due = task.due_by
        assert due is not None
        task.obligation = hub_services.obligation_create(
            actor=None, kind=TASK_KIND, kind_label=_("Nhiệm vụ của kế hoạch"),
            title=_("Nhiệm vụ: {text}").format(text=task.text)[:255],
            owed_by_unit=owed_by_unit,
            owed_by_department=task.lead_department if task.lead_unit_id is None else None,
            owed_to_unit=task.plan.unit, rule=hub_rules.DueRule.fixed(due),
            source=task.plan.document, source_label=str(task.plan.document)[:255],
            key=_obligation_key(task))
    task.save(update_fields=["obligation"])
    ob = task.obligation
    if ob is not None and ob.is_open() and task.progress >= 100:
        hub_services.obligation_submit(
            actor=None, obligation=ob,
            text=(task.progress_note or _("Đã hoàn thành nhiệm vụ."))[:20000])


def _create_task(plan: Plan, data: TaskInput, text: str, deadline: Deadline) -> Task:
    last = (Task.objects.filter(plan=plan).order_by("-position")
            .values_list("position", flat=True).first())
    task = Task.objects.create(
        plan=plan, solution=_solution_for(plan, data.solution_title), text=text,
        position=(last or 0) + 1, lead_department=data.lead_department,
        lead_unit=data.lead_unit, partners=(data.partners or "").strip(),
        due_on=deadline.due_on, ongoing=deadline.ongoing,
        deadline=deadline.period)  # type: ignore[misc]  # PeriodField stores a Period
    _sync_obligation(task)
    return task


@transaction.atomic
def task_create(*, actor: Actor | None, plan: Plan, data: TaskInput) -> Task:
    _check_write(actor, plan.unit)
    text, deadline = _clean_task(plan, data)
    with _as(actor):
        return _create_task(plan, data, text, deadline)


@transaction.atomic
def task_update(*, actor: Actor | None, task: Task, data: TaskInput) -> Task:
    plan = task.plan
    _check_write(actor, plan.unit)
    text, deadline = _clean_task(plan, data)
    with _as(actor):
        item = (Task.objects.select_for_update(of=("self",))
                .select_related("plan__unit", "plan__document", "obligation").get(pk=task.pk))
        item.solution = _solution_for(plan, data.solution_title)
        item.text, item.partners = text, (data.partners or "").strip()
        item.lead_department, item.lead_unit = data.lead_department, data.lead_unit
        item.due_on, item.ongoing = deadline.due_on, deadline.ongoing
        item.deadline = deadline.period  # type: ignore[assignment]
        item.save(update_fields=["solution", "text", "partners", "lead_department", "lead_unit",
                                 "due_on", "ongoing", "deadline"])
        _sync_obligation(item)
    return item


@transaction.atomic
def task_progress(*, actor: Actor | None, task: Task, progress: int, note: str = "") -> Task:
    _check_write(actor, task.plan.unit)
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise _refuse(_("Tiến độ: phải từ 0 đến 100 (%)."), "progress")
    with _as(actor):
        item = (Task.objects.select_for_update(of=("self",))
                .select_related("plan__unit", "plan__document", "obligation").get(pk=task.pk))
        item.progress = progress
        item.progress_note = (note or "").strip()
        item.save(update_fields=["progress", "progress_note"])
        _sync_obligation(item)
    return item


@transaction.atomic
def evidence_add(*, actor: Actor | None, task: Task, name: str,
                 file: UploadedFile | Any) -> TaskEvidence:
    """A file showing the task done: the hub's accepted types and size (X-9)."""
    _check_write(actor, task.plan.unit)
    name = (name or "").strip()
    if not name:
        raise _refuse(_("Tên minh chứng: chưa nhập."), "name")
    if len(name) > 255:
        raise _refuse(_("Tên minh chứng: dài quá 255 ký tự."), "name")
    if file is None:
        raise _refuse(_("Tệp minh chứng: chưa chọn tệp."), "file")
    try:
        hub_services.check_upload(name=getattr(file, "name", "") or "",
                                  size=getattr(file, "size", None))
    except ApplicationError as exc:
        raise _refuse(exc.message, "file") from None
    if not getattr(file, "size", 0):
        raise _refuse(_("Tệp minh chứng: tệp rỗng, không được tiếp nhận."), "file")
    with _as(actor):
        return TaskEvidence.objects.create(task=task, name=name, file=file,
                                           added_by=_user(actor))


@transaction.atomic
def tasks_import(*, actor: Actor | None, plan: Plan, rows: Sequence[TaskInput]) -> list[Task]:
    """Saves every row of an imported task table, or none: the first bad row refuses the whole
    table with its row number."""
    _check_write(actor, plan.unit)
    if not rows:
        raise _refuse(_("Bảng nhiệm vụ không có dòng nào."), "file")
    cleaned = []
    for i, row in enumerate(rows, start=1):
        try:
            cleaned.append((row, *_clean_task(plan, row)))
        except PlanError as exc:
            raise _refuse(_("Dòng {i}: {message}").format(i=i, message=exc.message),
                          "file") from None
    with _as(actor):
        return [_create_task(plan, row, text, deadline) for row, text, deadline in cleaned]


# -- PLAN-3: lead time --------------------------------------------------------------------------
@transaction.atomic
def lead_time_policy_create(*, actor: Actor | None, issuing_unit: Unit, name: str,
                            lead_days: int, valid_from: dt.date,
                            valid_to: dt.date | None = None, source: str = "") -> LeadTimePolicy:
    _require(actor, lambda s: permissions.can_administer(s, issuing_unit),
             _("Bạn không có quyền ban hành quy định của đơn vị này."))
    name = (name or "").strip()
    if not name:
        raise _refuse(_("Tên quy định: chưa nhập."), "name")
    if not isinstance(lead_days, int) or not 0 <= lead_days <= 365:
        raise _refuse(_("Số ngày ban hành trước: phải từ 0 đến 365."), "lead_days")
    if valid_to is not None and valid_to < valid_from:
        raise _refuse(_("Hiệu lực đến ngày: phải sau ngày bắt đầu hiệu lực."), "valid_to")
    with _as(actor):
        return LeadTimePolicy.objects.create(issuing_unit=issuing_unit, name=name,
                                             lead_days=lead_days, valid_from=valid_from,
                                             valid_to=valid_to, source=(source or "").strip())


def _policy_for(unit: Unit, day: dt.date) -> LeadTimePolicy | None:
    from .selectors import lead_time_policy_for

    return lead_time_policy_for(unit=unit, day=day)


@transaction.atomic
def directive_register(*, actor: Actor | None, unit: Unit, title: str, issued_on: dt.date,
                       act_on: dt.date, urgent: bool = False, urgent_source: str = "",
                       urgent_reason: str = "", document: Document | None = None,
                       confirm_short: bool = False) -> Directive:
    """PLAN-3: records a directive to lower units with what the lead-time rule says of it. Too
    short and not urgent, it is warned about (LeadTimeWarning, on the day field) and recorded
    only once confirmed; urgent by a higher level's directive, it is the exception, recorded
    with its source and reason."""
    _check_write(actor, unit)
    title = (title or "").strip()
    if not title:
        raise _refuse(_("Trích yếu: chưa nhập."), "title")
    if len(title) > 500:
        raise _refuse(_("Trích yếu: dài quá 500 ký tự."), "title")
    if act_on < issued_on:
        raise _refuse(_("Ngày cơ sở bắt đầu thực hiện ({act}) trước ngày ban hành ({issued})."
                        ).format(act=format_date(act_on), issued=format_date(issued_on)),
                      "act_on")
    if document is not None and document.issuing_unit_id != unit.pk:
        raise _refuse(_("Văn bản: không phải văn bản của đơn vị này."), "document")
    urgent_source, urgent_reason = (urgent_source or "").strip(), (urgent_reason or "").strip()
    if urgent and not urgent_reason:
        raise _refuse(_("Lý do gấp: hãy ghi lý do (văn bản chỉ đạo gấp của cấp trên)."),
                      "urgent_reason")
    if urgent and not urgent_source:
        raise _refuse(_("Văn bản chỉ đạo của cấp trên: hãy ghi văn bản yêu cầu triển khai "
                        "gấp."), "urgent_source")
    policy = _policy_for(unit, issued_on)
    lead = policy.lead_days if policy is not None else None
    verdict = rules.lead_time_verdict(lead_days=lead, issued_on=issued_on, act_on=act_on,
                                      urgent=urgent)
    if verdict == rules.SHORT and not confirm_short:
        raise LeadTimeWarning(_(
            "Văn bản chỉ đạo ban hành trước ngày cơ sở thực hiện {given} ngày, ít hơn {lead} "
            "ngày theo “{policy}”. Nếu là chỉ đạo gấp của cấp trên, hãy đánh dấu gấp và ghi lý "
            "do; nếu vẫn ghi nhận, hãy xác nhận ban hành gấp.").format(
                given=rules.days_given(issued_on=issued_on, act_on=act_on), lead=lead,
                policy=policy.name if policy else ""), field="act_on")
    with _as(actor):
        return Directive.objects.create(
            unit=unit, title=title, document=document, issued_on=issued_on, act_on=act_on,
            urgent=urgent, urgent_source=urgent_source if urgent else "",
            urgent_reason=urgent_reason if urgent else "", policy=policy, lead_days=lead,
            verdict=verdict, recorded_by=_user(actor))
