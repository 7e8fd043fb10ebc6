"""Every read of plans, given a Scope where it decides who reads (X-3): 404 alike for missing and
not yours. A plan is read by whoever reads its document (`documents.selectors.document_get`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from doanvu.accounts.scope import READ, Scope
from doanvu.common.dates import today
from doanvu.documents.models import Document, DocumentStatus
from doanvu.documents.selectors import document_get
from doanvu.org.models import Department, Unit
from doanvu.org.paths import ancestor_ids
from doanvu.org.selectors import nearest_issued

from . import permissions, rules
from .models import Directive, ImplementingDuty, LeadTimePolicy, Plan, Task, TaskEvidence

PLAN_TYPES = ("ke_hoach",)  # i18n: data (document type codes listed as plans)
MAX_CHAIN = 10
CANDIDATES = 300


def _int(pk: object) -> int:
    try:
        value = int(str(pk))
    except (TypeError, ValueError):
        raise Http404(_("Không tìm thấy kế hoạch.")) from None
    if not 0 < value < 2**62:
        raise Http404(_("Không tìm thấy kế hoạch."))
    return value


def plan_document_get(*, scope: Scope, pk: object, perm: str = READ) -> Document:
    """The plan's document as its readers reach it; with `perm` WRITE only the issuing unit's
    writers (404 alike otherwise)."""
    document = document_get(scope=scope, pk=_int(pk))
    if perm != READ and not permissions.can_manage(scope, document.issuing_unit):
        raise Http404(_("Không tìm thấy kế hoạch."))
    return document


def plan_of(document: Document) -> Plan | None:
    return (Plan.objects.select_related("document", "unit")
            .prefetch_related("bases__document").filter(document=document).first())


def task_get(*, scope: Scope, pk: object, perm: str = READ) -> Task:
    task = (Task.objects.select_related("plan__document__issuing_unit", "plan__unit",
                                        "lead_department", "lead_unit", "solution",
                                        "obligation")
            .filter(pk=_int(pk)).first())
    if task is None:
        raise Http404(_("Không tìm thấy nhiệm vụ."))
    plan_document_get(scope=scope, pk=task.plan.document_id, perm=perm)
    return task


def evidence_get(*, scope: Scope, pk: object) -> TaskEvidence:
    found = TaskEvidence.objects.select_related("task").filter(pk=_int(pk)).first()
    if found is None:
        raise Http404(_("Không tìm thấy minh chứng."))
    task_get(scope=scope, pk=found.task_id)
    return found


def unit_plans(*, unit: Unit) -> list[Document]:
    """The unit's plans: its documents of a plan type, and any other of its documents given a
    plan record; newest first."""
    return list(Document.objects.filter(issuing_unit=unit).filter(
        Q(doc_type__code__in=PLAN_TYPES) | Q(plan_record__isnull=False))
        .select_related("doc_type", "plan_record").order_by("-issued_on", "-pk"))


@dataclass(frozen=True)
class ChainLink:
    document: Document
    plan: Plan | None
    texts: list[str]  # its bases not in the system


def higher_chain(plan: Plan) -> list[ChainLink]:
    """The plans it implements, following the first basis in the system up (to a central
    resolution, as far as the system knows it)."""
    links: list[ChainLink] = []
    seen = {plan.document_id}
    current: Plan | None = plan
    for _step in range(MAX_CHAIN):
        if current is None:
            break
        basis = next((b for b in current.bases.all() if b.document_id is not None), None)
        if basis is None or basis.document_id in seen:
            break
        assert basis.document is not None
        seen.add(basis.document.pk)
        higher = plan_of(basis.document)
        texts = [b.text for b in higher.bases.all() if b.text] if higher else []
        links.append(ChainLink(basis.document, higher, texts))
        current = higher
    return links


def lower_plans(*, scope: Scope, document: Document) -> list[Plan]:
    """Plans of other units naming this document as a basis, that the scope reads."""
    found = (Plan.objects.filter(bases__document=document).exclude(document=document)
             .select_related("document", "unit").distinct().order_by("unit__name"))
    return [p for p in found if scope.can(READ, p.unit)]


@dataclass(frozen=True)
class DutyRow:
    duty: ImplementingDuty
    state: str
    issued_on: dt.date | None

    @property
    def label(self) -> str:
        return {
            rules.ISSUED_ON_TIME: _("Đã ban hành đúng hạn"),
            rules.ISSUED_LATE: _("Ban hành trễ hạn"),
            rules.MISSING: _("Chưa ban hành (quá hạn)"),
            rules.NOT_YET: _("Chưa ban hành (chưa đến hạn)"),
        }[self.state]


def duty_rows(*, plan: Plan, on: dt.date | None = None) -> list[DutyRow]:
    """Who of the lower units issued their implementing plan: on time, late, missing — from the
    obligation's submission in the hub, or the implementing plan's date."""
    on = on or today()
    rows = []
    for duty in (plan.duties.select_related("unit", "obligation", "fulfilled_by__document")
                 .order_by("unit__name")):
        issued = None
        if duty.fulfilled_by is not None:
            issued = duty.fulfilled_by.document.issued_on
        if issued is None and duty.obligation is not None:
            issued = duty.obligation.submitted_on
        due = (duty.obligation.due_on if duty.obligation is not None
               else plan.implementing_due_on)
        state = (rules.implementing_state(due_on=due, issued_on=issued, on=on) if due
                 else rules.NOT_YET)
        rows.append(DutyRow(duty, state, issued))
    return rows


def basis_candidates(*, scope: Scope, unit: Unit, exclude: Document | None = None
                     ) -> QuerySet[Document]:
    """Documents a plan of `unit` may implement: issued by the unit or a unit above it, or sent
    to the unit; issued ones only."""
    chain = [*ancestor_ids(unit.path), unit.pk]
    qs = (Document.objects.filter(status=DocumentStatus.ISSUED)
          .filter(Q(issuing_unit_id__in=chain) | Q(deliveries__unit=unit))
          .select_related("issuing_unit", "doc_type").distinct().order_by("-issued_on", "-pk"))
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


def lead_departments(unit: Unit) -> QuerySet[Department]:
    return Department.objects.filter(unit=unit).order_by("name")


def lead_units(unit: Unit) -> QuerySet[Unit]:
    """The units a task may be led by: the plan's unit and its direct sub-units standing."""
    return Unit.objects.filter(Q(pk=unit.pk) | Q(parent=unit, dissolved_on__isnull=True)
                               ).order_by("path")


def tasks_of(plan: Plan) -> list[Task]:
    return list(plan.tasks.select_related("solution", "lead_department", "lead_unit")
                .prefetch_related("evidence").order_by("solution__position", "position", "id"))


def late_tasks(*, unit: Unit, on: dt.date | None = None) -> list[Task]:
    """The unit's tasks past their last day and not done (PLAN-2), for its dashboard."""
    on = on or today()
    candidates = (Task.objects.filter(plan__unit=unit, progress__lt=100, ongoing=False)
                  .filter(Q(due_on__isnull=False) | Q(deadline__isnull=False))
                  .select_related("plan__document", "lead_department", "lead_unit"))
    late = [t for t in candidates if rules.is_late(due_by=t.due_by, progress=t.progress, on=on)]
    return sorted(late, key=lambda t: (t.due_by or on, t.pk))


def plan_targets(*, scope: Scope, plan: Plan) -> list[Any]:
    """The targets linked to the plan (targets.Target.plan), measured where they are set."""
    from doanvu.targets.selectors import target_rows

    return [r for r in target_rows(scope=scope, unit=plan.unit)
            if r.target.plan_id == plan.document_id]


# -- PLAN-3 ---------------------------------------------------------------------------------------
def lead_time_policy_for(*, unit: Unit, day: dt.date) -> LeadTimePolicy | None:
    """The lead-time policy in force for `unit` on `day`: its own or its nearest ancestor's."""
    records = LeadTimePolicy.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("valid_from", "pk")
    found: LeadTimePolicy | None = nearest_issued(unit=unit, records=records,
                                                  unit_field="issuing_unit_id")
    return found


def lead_time_policies(*, unit: Unit) -> QuerySet[LeadTimePolicy]:
    return LeadTimePolicy.objects.filter(issuing_unit=unit).order_by("-valid_from", "-pk")


def directives_of(*, unit: Unit, year: int | None = None) -> QuerySet[Directive]:
    qs = Directive.objects.filter(unit=unit).select_related("policy", "document")
    if year is not None:
        qs = qs.filter(issued_on__year=year)
    return qs.order_by("-issued_on", "-pk")


def lead_time_count(unit: Unit, year: int) -> rules.LeadTimeCount:
    """A unit's directives of a year by the lead-time rule's verdict: in time, urgent exceptions
    from a higher level, short ones (seed 004's shortcoming 2 counts the last two)."""
    return rules.count_verdicts(
        Directive.objects.filter(unit=unit, issued_on__year=year)
        .values_list("verdict", flat=True))
