"""The deadlines of a year's scoring (EMU-2, EMU-8; seed 001 §III.3).

- Units self-score and submit by the rubric's `self_score_due`; after it their self-scores,
  evidence and submission are locked (`sheets._require_self_open`).
- Each department that owns criteria must finish scoring a unit before the unit's inspection
  slot: `scoring_lead_days` of the rubric before the session the issuing unit's inspection plan
  of that year schedules for it. The sheet's `due_on` is that date, and each such department
  owes the issuing unit a hub obligation ("Chấm điểm thi đua") with it, listed in "Việc của
  tôi", counted for timeliness and delivered by the system the moment the department's last
  criterion of the sheet is scored. A moved slot (inspections.signals.slot_changed) moves the
  date and the obligations. A department scoring after the date must give a reason.
Without a slot the date the issuing unit set by hand on the sheet stands.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from doanvu.audit.context import acting
from doanvu.common.dates import format_date
from doanvu.common.errors import ApplicationError
from doanvu.common.typing import Actor
from doanvu.hub import rules as hub_rules
from doanvu.hub import services as hub_services
from doanvu.hub.models import Obligation, ObligationStatus
from doanvu.inspections import selectors as inspection_selectors
from doanvu.inspections.models import Session
from doanvu.org.models import Department

from . import permissions
from .models import Criterion, LineSource, Rubric, RubricState, ScoreLine, ScoreSheet

SCORING_KIND = "emu.department_scoring"
MAX_LEAD_DAYS = 60


class DeadlineError(ApplicationError):
    """A deadline of the scoring refused (a lead time out of range, a closed rubric)."""


def _key(sheet: ScoreSheet, department: Department) -> str:
    return f"emu:sheet:{sheet.pk}:department:{department.pk}"


def scoring_departments(rubric: Rubric) -> list[Department]:
    """The departments that own at least one criterion of the rubric."""
    ids = (Criterion.objects.filter(area__rubric=rubric, department__isnull=False)
           .values_list("department_id", flat=True).distinct())
    return list(Department.objects.filter(pk__in=list(ids)).select_related("unit")
                .order_by("name"))


def _rule(rubric: Rubric, slot: Session | None, due_on: dt.date) -> tuple[
        hub_rules.DueRule, dict[str, dt.date | None]]:
    if slot is not None:
        return (hub_rules.DueRule.before(rubric.scoring_lead_days, "slot", _("buổi kiểm tra")),
                {"slot": slot.date})
    return hub_rules.DueRule.fixed(due_on), {}


def _obligations(sheet: ScoreSheet, departments: list[Department], slot: Session | None
                 ) -> None:
    """Create or move the departments' obligations of one sheet."""
    if sheet.due_on is None:
        return
    rubric = sheet.rubric
    rule, events = _rule(rubric, slot, sheet.due_on)
    have = {ob.key: ob for ob in Obligation.objects.filter(
        kind=SCORING_KIND, key__in=[_key(sheet, d) for d in departments])}
    for d in departments:
        ob = have.get(_key(sheet, d))
        if ob is not None:
            if ob.due_on != sheet.due_on and ob.status != ObligationStatus.ACCEPTED:
                hub_services.obligation_reschedule(actor=None, obligation=ob, events=events,
                                                   rule=rule)
            continue
        if sheet.unit.dissolved_on is not None or d.unit.dissolved_on is not None:
            continue
        hub_services.obligation_create(
            actor=None, kind=SCORING_KIND, kind_label=_("Chấm điểm thi đua"),
            title=_("Chấm điểm thi đua {year}: {unit}").format(
                year=rubric.year, unit=sheet.unit.name)[:255],
            owed_by_unit=d.unit, owed_by_department=d, owed_to_unit=rubric.issuing_unit,
            rule=rule, events=events, source=sheet, source_label=str(sheet)[:255],
            key=_key(sheet, d))


def _sync(sheets: list[ScoreSheet], rubric: Rubric, actor: Actor | None) -> int:
    departments = scoring_departments(rubric)
    slots = inspection_selectors.unit_slots(units=[s.unit_id for s in sheets], year=rubric.year,
                                            issuing_unit=rubric.issuing_unit)
    touched = 0
    for sheet in sheets:
        if sheet.is_final:
            continue
        slot = slots.get(sheet.unit_id)
        if slot is not None:
            due = slot.date - dt.timedelta(days=rubric.scoring_lead_days)
            if sheet.due_on != due:
                sheet.due_on = due
                sheet.version += 1
                with acting(actor, reason=_("Theo lịch kiểm tra {slot}").format(
                        slot=format_date(slot.date))):
                    sheet.save(update_fields=["due_on", "version", "updated_at"])
                touched += 1
        _obligations(sheet, departments, slot)
    return touched


@transaction.atomic
def scoring_due_sync(*, actor: Actor | None, rubric: Rubric) -> int:
    """Date every open sheet of the rubric by its unit's inspection slot and give the scoring
    departments their obligations; the number of sheets whose date changed. Running it again
    changes nothing."""
    permissions.require(actor, rubric.issuing_unit)
    if rubric.state != RubricState.OPEN:
        return 0
    sheets = list(ScoreSheet.objects.filter(rubric=rubric).select_related("unit", "rubric")
                  .order_by("pk"))
    return _sync(sheets, rubric, actor)


@transaction.atomic
def deadlines_set(*, actor: Actor | None, rubric: Rubric, self_score_due: dt.date | None,
                  scoring_lead_days: int) -> Rubric:
    """The issuing unit sets the year's deadlines (while drafting or scoring); the sheets and
    the departments' obligations follow."""
    permissions.require(actor, rubric.issuing_unit)
    rubric = Rubric.objects.select_for_update().select_related("issuing_unit").get(pk=rubric.pk)
    if rubric.state == RubricState.CLOSED:
        raise DeadlineError(_("Thang điểm đã kết thúc năm thi đua: không đổi hạn được nữa."))
    if not 0 <= scoring_lead_days <= MAX_LEAD_DAYS:
        raise DeadlineError(_("Số ngày các ban chấm xong trước buổi kiểm tra phải từ 0 đến "
                              "{n}.").format(n=MAX_LEAD_DAYS), field="scoring_lead_days")
    if self_score_due is not None and self_score_due.year < rubric.year:
        raise DeadlineError(_("Hạn tự chấm của năm thi đua {year} không thể trước năm {year}.")
                            .format(year=rubric.year), field="self_score_due")
    rubric.self_score_due = self_score_due
    rubric.scoring_lead_days = scoring_lead_days
    with acting(actor):
        rubric.save(update_fields=["self_score_due", "scoring_lead_days", "updated_at"])
    if rubric.state == RubricState.OPEN:
        _sync(list(ScoreSheet.objects.filter(rubric=rubric).select_related("unit", "rubric")),
              rubric, actor)
    return rubric


def on_slot_changed(sender: object, *, session: Session, **kwargs: object) -> None:
    """inspections.signals.slot_changed: re-date the inspected unit's open sheets of the plan's
    issuing unit and year."""
    plan = session.team.round.plan
    sheets = list(ScoreSheet.objects.filter(
        unit=session.unit, rubric__issuing_unit=plan.issuing_unit, rubric__year=plan.year,
        rubric__state=RubricState.OPEN).select_related("unit", "rubric"))
    for sheet in sheets:
        _sync([sheet], sheet.rubric, None)


def department_done(sheet: ScoreSheet, department_id: int) -> None:
    """Deliver the department's obligation of the sheet once every criterion it owns has its
    score (called inside the scoring transaction)."""
    owned = set(Criterion.objects.filter(area__rubric_id=sheet.rubric_id,
                                         department_id=department_id)
                .values_list("pk", flat=True))
    scored = set(ScoreLine.objects.filter(sheet=sheet, source=LineSource.DEPARTMENT,
                                          criterion_id__in=owned)
                 .values_list("criterion_id", flat=True))
    if not owned or owned - scored:
        return
    ob = Obligation.objects.filter(kind=SCORING_KIND,
                                   key=f"emu:sheet:{sheet.pk}:department:{department_id}").first()
    if ob is None or ob.status not in (ObligationStatus.OPEN, ObligationStatus.RETURNED):
        return
    hub_services.obligation_submit(actor=None, obligation=ob, text=_(
        "Đã chấm xong {n} tiêu chí của {unit} trên phần mềm.").format(
            n=len(owned), unit=sheet.unit.name))


def late_reason_needed(sheet: ScoreSheet, day: dt.date) -> bool:
    """A department scoring after the sheet's due date must say why."""
    return sheet.due_on is not None and day > sheet.due_on
