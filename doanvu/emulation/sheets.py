"""Writes of EMU-2 and EMU-8: score sheets. Keyword-only, atomic, scope-checked, audited.

Every write locks the sheet's row first (`SELECT … FOR UPDATE`) and adds one to its `version`:
two departments scoring the same sheet at once follow each other and both land. Each change is
audited through the models' registration (apps.py) under `acting(actor, reason=…)`; a component
import is one bulk audit step (`audit.services.record_bulk`).

Who may write (permissions.py): the evaluated unit self-scores, uploads evidence and submits;
a department scores only the criteria whose responsible department is its own (SCORE in that
department's field); the issuing unit (WRITE) records bonus/penalty entries and imports
component results — a department may record the items it proposes; the standing committee
(APPROVE) records inspection adjustments and makes a sheet final, which locks it.

Once the unit has submitted, a change of a score that was given — and any self-score — needs
a reason (EMU-8); bonus/penalty entries and adjustments always need one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.audit.context import acting
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.text import checked_text
from doanvu.common.typing import Actor
from doanvu.inspections import selectors as inspection_selectors
from doanvu.org.models import Unit

from . import deadlines, permissions, rules, scoring
from .models import (
    SHEET_STATE_ORDER,
    Criterion,
    LineSource,
    Rubric,
    RubricItem,
    RubricState,
    ScoreLine,
    ScoreSheet,
    SectorGroupMember,
    SheetEntry,
    SheetEvidence,
    SheetState,
)

MAX_TEXT = 2000


class SheetError(ApplicationError):
    """A sheet write refused: a wrong score, a missing reason, a locked sheet."""


class CriterionNotYours(SheetError):
    """A criterion the writer does not score (no department's, or another department's): the
    refusal is about the criterion named, not the value given for it."""


def _user(actor: Actor | None) -> object | None:
    return None if actor is None or isinstance(actor, Scope) else actor


def _by_id(actor: Actor | None) -> int | None:
    user = _user(actor)
    return getattr(user, "pk", None)


def _scope(actor: Actor | None) -> Scope | None:
    return permissions.scope_of_actor(actor)


def _text(value: str, *, field: str, label: str, required: bool = False) -> str:
    return checked_text(value, field=field, label=label, max_length=MAX_TEXT,
                        required=required, error=SheetError)


def _lock(sheet: ScoreSheet) -> ScoreSheet:
    return (ScoreSheet.objects.select_for_update()
            .select_related("rubric", "rubric__issuing_unit", "unit").get(pk=sheet.pk))


def _require_open(sheet: ScoreSheet) -> None:
    if sheet.is_final:
        raise SheetError(_("Phiếu của {unit} đã chính thức và đã khóa: không thể sửa nữa.")
                         .format(unit=sheet.unit.name))
    if sheet.rubric.state != RubricState.OPEN:
        raise SheetError(_("Thang điểm “{name}” không còn trong thời gian chấm điểm.")
                         .format(name=sheet.rubric.name))


def _require_self_open(sheet: ScoreSheet) -> None:
    """After the rubric's self-scoring deadline the unit's own side of the sheet is locked
    (EMU-8): its self-scores, evidence and submission."""
    due = sheet.rubric.self_score_due
    if due is not None and today() > due:
        raise SheetError(_("Đã hết hạn tự chấm điểm và nộp phiếu ({due}): phần tự chấm của "
                           "{unit} đã khóa.").format(due=format_date(due), unit=sheet.unit.name))


def _advance(sheet: ScoreSheet, state: str) -> None:
    """Move the sheet forward to `state` (never back)."""
    if SHEET_STATE_ORDER.index(SheetState(state)) > SHEET_STATE_ORDER.index(
            SheetState(sheet.state)):
        sheet.state = state


def _bump(sheet: ScoreSheet, *fields: str) -> None:
    sheet.version += 1
    sheet.save(update_fields=["version", "updated_at", *fields])


def _require_own(scope: Scope | None, sheet: ScoreSheet) -> None:
    """Only the evaluated unit's own cadres write its self-score, evidence and submission."""
    if scope is not None:
        permissions.require_sheet(scope, permissions.can_self_score(
            scope, sheet.unit, sheet.rubric.issuing_unit))


def _rule_message(exc: rules.RuleError) -> str:
    return exc.translated(_)


def _criterion_label(c: Criterion) -> str:
    return _("Tiêu chí {code} ({title})").format(code=c.code, title=c.title[:80])


# -- opening sheets --------------------------------------------------------------------------------


@transaction.atomic
def sheets_open(*, actor: Actor | None, rubric: Rubric, due_on: dt.date | None = None
                ) -> list[ScoreSheet]:
    """A sheet for every unit of the rubric's group and year that has none yet (the issuing
    unit opens them once scoring has opened); `due_on` is when departments must be done."""
    permissions.require(actor, rubric.issuing_unit)
    if rubric.state != RubricState.OPEN:
        raise SheetError(_("Chỉ mở phiếu chấm điểm khi thang điểm đã khóa và đang chấm điểm."))
    members = list(SectorGroupMember.objects.filter(group_id=rubric.group_id, year=rubric.year)
                   .select_related("unit").order_by("unit__name"))
    if not members:
        raise SheetError(_("Khối “{group}” chưa có đơn vị nào trong năm {year}.").format(
            group=rubric.group.name, year=rubric.year))
    have = set(ScoreSheet.objects.filter(rubric=rubric).values_list("unit_id", flat=True))
    made = []
    with acting(actor):
        for m in members:
            if m.unit_id in have:
                continue
            made.append(ScoreSheet.objects.create(rubric=rubric, unit=m.unit, year=rubric.year,
                                                  due_on=due_on))
    deadlines.scoring_due_sync(actor=actor, rubric=rubric)
    return made


@transaction.atomic
def sheet_due_set(*, actor: Actor | None, sheet: ScoreSheet, due_on: dt.date | None
                  ) -> ScoreSheet:
    sheet = _lock(sheet)
    permissions.require(actor, sheet.rubric.issuing_unit)
    _require_open(sheet)
    slot = inspection_selectors.unit_slot(unit=sheet.unit, year=sheet.rubric.year,
                                          issuing_unit=sheet.rubric.issuing_unit)
    if slot is not None:
        raise SheetError(_("Hạn chấm của {unit} theo lịch kiểm tra ngày {slot}: hãy đổi lịch "
                           "kiểm tra (hoặc số ngày chấm trước buổi kiểm tra) để đổi hạn.")
                         .format(unit=sheet.unit.name, slot=format_date(slot.date)),
                         field="due_on")
    sheet.due_on = due_on
    with acting(actor):
        _bump(sheet, "due_on")
    deadlines.scoring_due_sync(actor=actor, rubric=sheet.rubric)
    return sheet


# -- scores ----------------------------------------------------------------------------------------


def _parse(value: object, c: Criterion) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise SheetError(_("{label}: “{value}” không phải là một số.").format(
            label=_criterion_label(c), value=str(value)[:40]), field=f"c{c.pk}") from None
    if not number.is_finite():
        raise SheetError(_("{label}: “{value}” không phải là một số.").format(
            label=_criterion_label(c), value=str(value)[:40]), field=f"c{c.pk}")
    return number


def check_score(rubric: rules.Rubric, c: Criterion, raw: Decimal) -> Decimal:
    """The points `raw` earns on `c`; refused naming the criterion when negative, above the
    maximum or not what its method takes."""
    if raw < 0:
        raise SheetError(_("{label}: điểm không được âm ({raw}).").format(
            label=_criterion_label(c), raw=rules.fmt(raw)), field=f"c{c.pk}")
    if c.method == "cham_diem" and raw > c.max_points:
        raise SheetError(_("{label}: {raw} điểm vượt quá điểm tối đa {max}.").format(
            label=_criterion_label(c), raw=rules.fmt(raw), max=rules.fmt(c.max_points)),
            field=f"c{c.pk}")
    if raw != raw.quantize(Decimal("0.01")):
        raise SheetError(_("{label}: tối đa 2 chữ số sau dấu phẩy.").format(
            label=_criterion_label(c)), field=f"c{c.pk}")
    try:
        return rubric.points(c.code, scoring.raw_value(c.method, raw))  # type: ignore[arg-type]
    except rules.RuleError as exc:
        raise SheetError(_("{label}: {why}").format(label=_criterion_label(c),
                                                    why=_rule_message(exc)),
                         field=f"c{c.pk}") from None


def _may_score(scope: Scope | None, sheet: ScoreSheet, source: str, c: Criterion) -> None:
    if scope is None:
        return
    if source == LineSource.SELF:
        _require_own(scope, sheet)
        return
    if c.department is None:
        raise CriterionNotYours(
            _("{label} không giao cho ban nào chấm: đơn vị tự chấm.").format(
                label=_criterion_label(c)), field=f"c{c.pk}")
    if not permissions.can_department_score(scope, sheet.unit, c.department_id):
        raise CriterionNotYours(
            _("{label} do {department} chấm: bạn không được chấm tiêu chí này.").format(
                label=_criterion_label(c), department=c.department.name), field=f"c{c.pk}")


@transaction.atomic
def scores_save(*, actor: Actor | None, sheet: ScoreSheet, source: str,
                values: Mapping[Criterion, object], reason: str = "",
                evidence: Mapping[Criterion, str] | None = None,
                on: dt.date | None = None) -> ScoreSheet:
    """Save the unit's own (`source` self) or a department's scores of some criteria.

    A value left empty changes nothing. Every value is checked before anything is written; the
    first wrong one is refused naming its criterion. After submission a change needs a reason;
    a department scoring after the sheet's due date gives one too. `on` records scores given
    on an earlier day (demo, imports); views never pass it.
    """
    if source not in (LineSource.SELF, LineSource.DEPARTMENT):
        raise SheetError(_("Nguồn điểm không hợp lệ."))
    sheet = _lock(sheet)
    scope = _scope(actor)
    if source == LineSource.SELF and scope is not None:
        _require_own(scope, sheet)
    _require_open(sheet)
    if source == LineSource.SELF and scope is not None:
        _require_self_open(sheet)
    reason = _text(reason, field="reason", label=_("lý do"))
    evidence = evidence or {}
    rubric = scoring.rules_rubric(sheet.rubric)
    current = {ln.criterion_id: ln for ln in ScoreLine.objects.filter(sheet=sheet, source=source)}
    changes: list[tuple[Criterion, Decimal, Decimal, str]] = []
    for c, value in values.items():
        if c.area.rubric_id != sheet.rubric_id:
            raise SheetError(_("{label} không thuộc thang điểm của phiếu.").format(
                label=_criterion_label(c)), field=f"c{c.pk}")
        _may_score(scope, sheet, source, c)
        raw = _parse(value, c)
        note = _text(evidence.get(c, ""), field=f"e{c.pk}", label=_("minh chứng"))
        if raw is None:
            continue
        points = check_score(rubric, c, raw)
        line = current.get(c.pk)
        if line is not None and line.raw == raw and line.evidence == note:
            continue
        changes.append((c, raw, points, note))
    if not changes:
        return sheet
    is_change = source == LineSource.SELF or any(
        c.pk in current and current[c.pk].raw != raw for c, raw, _p, _n in changes)
    if sheet.is_submitted and is_change and not reason:
        raise SheetError(_("Phiếu đã nộp: mỗi thay đổi điểm cần ghi lý do."), field="reason")
    if (source == LineSource.DEPARTMENT and not reason and scope is not None
            and deadlines.late_reason_needed(sheet, on or today())):
        assert sheet.due_on is not None
        raise SheetError(_("Đã quá hạn các ban chấm điểm ({due}, trước buổi kiểm tra): hãy ghi "
                           "lý do chấm muộn.").format(due=format_date(sheet.due_on)),
                         field="reason")
    now = (timezone.make_aware(dt.datetime.combine(on, dt.time(10))) if on
           else timezone.now())
    with acting(actor, reason=reason):
        for c, raw, points, note in changes:
            line = current.get(c.pk)
            if line is None:
                ScoreLine.objects.create(sheet=sheet, criterion=c, source=source, raw=raw,
                                         points=points, reason=reason, evidence=note,
                                         by_id=_by_id(actor), at=now)
            else:
                line.raw, line.points, line.reason, line.evidence = raw, points, reason, note
                line.by_id, line.at = _by_id(actor), now
                line.save(update_fields=["raw", "points", "reason", "evidence", "by", "at"])
        if source == LineSource.DEPARTMENT and sheet.is_submitted:
            _advance(sheet, SheetState.DEPARTMENT)
        _bump(sheet, "state")
    if source == LineSource.DEPARTMENT:
        for department_id in {c.department_id for c, _r, _p, _n in changes}:
            if department_id is not None:
                deadlines.department_done(sheet, department_id)
    return sheet


def score_save(*, actor: Actor | None, sheet: ScoreSheet, criterion: Criterion, source: str,
               raw: object, reason: str = "", evidence: str = "") -> ScoreSheet:
    """One criterion's score (see `scores_save`)."""
    return scores_save(actor=actor, sheet=sheet, source=source, values={criterion: raw},
                       reason=reason, evidence={criterion: evidence})


# -- evidence and submission ---------------------------------------------------------------------


@transaction.atomic
def evidence_add(*, actor: Actor | None, sheet: ScoreSheet, upload: UploadedFile,
                 criterion: Criterion | None = None, reason: str = "") -> SheetEvidence:
    """A file of evidence for the sheet (or one criterion), within hub's size and type limits."""
    from doanvu.hub.services import UploadRefused, check_upload

    sheet = _lock(sheet)
    scope = _scope(actor)
    if scope is not None:
        _require_own(scope, sheet)
        _require_self_open(sheet)
    _require_open(sheet)
    if criterion is not None and criterion.area.rubric_id != sheet.rubric_id:
        raise SheetError(_("Tiêu chí này không thuộc thang điểm của phiếu."), field="criterion")
    name = (upload.name or "").rsplit("/", 1)[-1][:255]
    try:
        check_upload(name=name, size=upload.size)
    except UploadRefused as exc:
        raise SheetError(exc.message, field="file") from None
    if not upload.size:
        raise SheetError(_("Tệp “{name}” rỗng.").format(name=name), field="file")
    reason = _text(reason, field="reason", label=_("lý do"))
    if sheet.is_submitted and not reason:
        raise SheetError(_("Phiếu đã nộp: thêm minh chứng cần ghi lý do."), field="reason")
    with acting(actor, reason=reason):
        ev = SheetEvidence(sheet=sheet, criterion=criterion, original_name=name,
                           size=upload.size or 0,
                           content_type=(getattr(upload, "content_type", "") or "")[:120],
                           by_id=_by_id(actor))
        ev.file.save(name, upload, save=False)
        ev.save()
        _bump(sheet)
    return ev


def missing_evidence(sheet: ScoreSheet) -> list[Criterion]:
    """Criteria that require evidence, self-scored, with neither a file nor a note."""
    with_files = set(SheetEvidence.objects.filter(sheet=sheet, criterion__isnull=False)
                     .values_list("criterion_id", flat=True))
    lines = (ScoreLine.objects.filter(sheet=sheet, source=LineSource.SELF,
                                      criterion__evidence_required=True)
             .select_related("criterion").order_by("criterion__area__order",
                                                   "criterion__order", "criterion_id"))
    return [ln.criterion for ln in lines
            if not ln.evidence and ln.criterion_id not in with_files]


@transaction.atomic
def sheet_submit(*, actor: Actor | None, sheet: ScoreSheet) -> ScoreSheet:
    """The unit submits its self-scores (refused while evidence the rubric requires is
    missing); from now on a change needs a reason."""
    sheet = _lock(sheet)
    scope = _scope(actor)
    if scope is not None:
        _require_own(scope, sheet)
        _require_self_open(sheet)
    _require_open(sheet)
    if sheet.is_submitted:
        raise SheetError(_("Phiếu đã được nộp trước đó."))
    if not ScoreLine.objects.filter(sheet=sheet, source=LineSource.SELF).exists():
        raise SheetError(_("Chưa tự chấm tiêu chí nào: hãy tự chấm trước khi nộp."))
    missing = missing_evidence(sheet)
    if missing:
        raise SheetError(_("Còn thiếu minh chứng bắt buộc của: {list}.").format(
            list=", ".join(_criterion_label(c) for c in missing)))
    sheet.state = SheetState.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.submitted_by_id = _by_id(actor)
    with acting(actor):
        _bump(sheet, "state", "submitted_at", "submitted_by")
    return sheet


# -- bonus, penalty, adjustments, final ----------------------------------------------------------


def _may_enter(scope: Scope | None, sheet: ScoreSheet, item: RubricItem) -> None:
    if scope is None:
        return
    allowed = permissions.can_edit(scope, sheet.rubric.issuing_unit) or (
        permissions.can_department_score(scope, sheet.unit, item.department_id))
    permissions.require_sheet(scope, allowed)


@transaction.atomic
def entry_add(*, actor: Actor | None, sheet: ScoreSheet, item: RubricItem, count: int,
              reason: str) -> SheetEntry:
    """A bonus or penalty entry of `count` occurrences of `item`, with its reason."""
    sheet = _lock(sheet)
    _may_enter(_scope(actor), sheet, item)
    _require_open(sheet)
    if item.rubric_id != sheet.rubric_id:
        raise SheetError(_("Mục này không thuộc thang điểm của phiếu."), field="item")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1 or count > 1000:
        raise SheetError(_("Số lần phải là số nguyên từ 1 đến 1.000."), field="count")
    reason = _text(reason, field="reason", label=_("lý do"), required=True)
    with acting(actor, reason=reason):
        entry = SheetEntry.objects.create(sheet=sheet, item=item, count=count, reason=reason,
                                          by_id=_by_id(actor), at=timezone.now())
        _bump(sheet)
    return entry


@transaction.atomic
def entry_delete(*, actor: Actor | None, entry: SheetEntry, reason: str) -> None:
    sheet = _lock(entry.sheet)
    _may_enter(_scope(actor), sheet, entry.item)
    _require_open(sheet)
    reason = _text(reason, field="reason", label=_("lý do"), required=True)
    with acting(actor, reason=reason):
        entry.delete()
        _bump(sheet)


@transaction.atomic
def adjustment_add(*, actor: Actor | None, sheet: ScoreSheet, criterion: Criterion,
                   delta: object, reason: str) -> ScoreLine:
    """An inspection adjustment (điều chỉnh sau kiểm tra) of one criterion's score, with its
    reason; the adjusted score must stay within 0 … the criterion's maximum."""
    sheet = _lock(sheet)
    permissions.require(actor, sheet.rubric.issuing_unit, permissions.can_freeze)
    _require_open(sheet)
    if criterion.area.rubric_id != sheet.rubric_id:
        raise SheetError(_("Tiêu chí này không thuộc thang điểm của phiếu."), field="criterion")
    change = _parse(delta, criterion)
    if change is None or change == 0:
        raise SheetError(_("Hãy nhập số điểm điều chỉnh (khác 0; âm là giảm)."), field="delta")
    if change != change.quantize(Decimal("0.01")):
        raise SheetError(_("Điểm điều chỉnh: tối đa 2 chữ số sau dấu phẩy."), field="delta")
    reason = _text(reason, field="reason", label=_("lý do"), required=True)
    with acting(actor, reason=reason):
        line = ScoreLine.objects.create(sheet=sheet, criterion=criterion,
                                        source=LineSource.ADJUSTMENT, raw=None, points=change,
                                        reason=reason, by_id=_by_id(actor), at=timezone.now())
        try:
            scoring.sheet_result(sheet)
        except rules.RuleError as exc:
            raise SheetError(_("{label}: {why}").format(label=_criterion_label(criterion),
                                                        why=_rule_message(exc)),
                             field="delta") from None
        _advance(sheet, SheetState.INSPECTED)
        _bump(sheet, "state")
    return line


@transaction.atomic
def sheet_finalise(*, actor: Actor | None, sheet: ScoreSheet) -> ScoreSheet:
    """Make the sheet final: locked from now on (EMU-8)."""
    sheet = _lock(sheet)
    permissions.require(actor, sheet.rubric.issuing_unit, permissions.can_freeze)
    _require_open(sheet)
    if not sheet.is_submitted:
        raise SheetError(_("Đơn vị chưa nộp phiếu: chưa thể chốt."))
    sheet.state = SheetState.FINAL
    with acting(actor):
        _bump(sheet, "state")
    return sheet


# -- component results from the Office -----------------------------------------------------------


@transaction.atomic
def component_import(*, actor: Actor | None, rubric: Rubric, upload: IO[bytes], name: str,
                     title: str) -> object:
    """Load a file of component results (one row per unit per criterion), all or nothing."""
    from .components import component_import as run

    return run(actor=actor, rubric=rubric, upload=upload, name=name, title=title)


def unit_sheets(*, unit: Unit) -> list[ScoreSheet]:
    return list(ScoreSheet.objects.filter(unit=unit).select_related("rubric")
                .order_by("-year", "rubric__name"))
