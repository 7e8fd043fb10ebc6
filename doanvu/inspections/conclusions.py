"""Writes of INS-6 (the session record and the conclusion) and of its follow-up (INS-8: tasks
tracked to done, limitations marked remedied). Keyword-only, atomic, audited; the actor is
checked here as on the pages; a refusal names the field and writes nothing.

The record is a draft the team's secretary (or head, or the issuing unit's inspection office)
saves as often as needed; the head issues it as a numbered document (Kết luận, via
`documents.services`), after which it is frozen. On issue the self-score adjustments are handed
to the emulation module through `hooks.adjustments` (inspections do not import emulation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.audit.context import acting
from doanvu.common.dates import format_date, today
from doanvu.common.text import fold
from doanvu.common.typing import Actor
from doanvu.documents import markup
from doanvu.documents.addressing import Address
from doanvu.documents.models import Document, DocumentType
from doanvu.documents.services import document_create, document_issue
from doanvu.org.models import Department

from . import followup, hooks, permissions, selectors
from .models import (
    AgendaNote,
    Conclusion,
    ConclusionState,
    Direction,
    GoodModel,
    Limitation,
    ScoreAdjustment,
    Session,
    SessionAttendee,
    SessionStatus,
)
from .services import InspectionError, _long, _require, _text

MAX_ITEMS = 50


@dataclass(frozen=True)
class DirectionInput:
    text: str
    department: Department | None


@dataclass(frozen=True)
class AdjustmentInput:
    criterion_code: str
    points: object
    reason: str


@dataclass(frozen=True)
class ModelInput:
    title: str
    description: str = ""
    field: str = ""
    tags: str = ""


def agenda_headings(session: Session) -> list[str]:
    """The agenda of the session: the round's procedure, one step a line (seed 001 §III.5), or
    the steps INS-6 names when the round gives none."""
    steps = [markup.clean_line(x).lstrip("-•0123456789. ").strip()
             for x in (session.team.round.procedure or "").splitlines()]
    steps = [s[:300] for s in steps if s]
    return steps or [_("Giới thiệu thành phần"), _("Đoàn kiểm tra đặt vấn đề"),
                     _("Cơ sở trao đổi, trả lời"), _("Phát biểu của cấp ủy"),
                     _("Kết luận của trưởng đoàn")]


def _points(value: object, n: int) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite():
        raise InspectionError(_("Điều chỉnh dòng {n}: “{value}” không phải là một số.").format(
            n=n, value=str(value)[:40]), field="adjustments")
    if number == 0:
        raise InspectionError(_("Điều chỉnh dòng {n}: số điểm điều chỉnh phải khác 0 (âm là "
                                "giảm).").format(n=n), field="adjustments")
    if number != number.quantize(Decimal("0.01")) or abs(number) >= 10000:
        raise InspectionError(_("Điều chỉnh dòng {n}: tối đa 2 chữ số sau dấu phẩy và dưới "
                                "10.000 điểm.").format(n=n), field="adjustments")
    return number


def _many(rows: Sequence[object], label: str, field: str) -> None:
    if len(rows) > MAX_ITEMS:
        raise InspectionError(_("Quá nhiều {label} (tối đa {n}).").format(label=label,
                                                                       n=MAX_ITEMS), field=field)


@transaction.atomic
def conclusion_save(*, actor: Actor | None, session: Session, notes: Sequence[str] = (),
                    present: Sequence[SessionAttendee] = (), present_others: str = "",
                    strengths: str = "", limitations: Sequence[str] = (),
                    directions: Sequence[DirectionInput] = (),
                    adjustments: Sequence[AdjustmentInput] = (),
                    models: Sequence[ModelInput] = ()) -> Conclusion:
    """Save the record of `session` as a draft: one note per agenda item (in the order of
    `agenda_headings`), who was present, and the conclusion's parts. The lists replace what the
    draft had. Refused once issued, for a session not inspected, and for a wrong item."""
    _require(actor, lambda s: permissions.can_write_conclusion(s, session))
    locked = Session.objects.select_for_update(of=("self",)).select_related(
        "team__round__plan__issuing_unit", "unit").get(pk=session.pk)
    if locked.status == SessionStatus.NOT_INSPECTED:
        raise InspectionError(_("{unit} không được kiểm tra năm nay: không có biên bản, kết "
                                "luận.").format(unit=locked.unit.name))
    conclusion = Conclusion.objects.filter(session=locked).first()
    if conclusion is not None and conclusion.is_issued:
        raise InspectionError(_("Kết luận đã ban hành: không sửa được nữa."))
    headings = agenda_headings(locked)
    if len(notes) > len(headings):
        raise InspectionError(_("Chương trình làm việc chỉ có {n} mục.").format(
            n=len(headings)), field="notes")
    note_texts = [_long(t) for t in notes]
    attendee_ids = set(SessionAttendee.objects.filter(session=locked).values_list("pk",
                                                                                  flat=True))
    for who in present:
        if who.pk not in attendee_ids:
            raise InspectionError(_("{name} không thuộc thành phần tham dự của buổi này.")
                                  .format(name=who.full_name or who.get_kind_display()),
                                  field="present")
    limitation_texts = [_long(t) for t in limitations if _long(t)]
    _many(limitation_texts, _("hạn chế"), "limitations")
    _many(directions, _("nhiệm vụ"), "directions")
    _many(adjustments, _("điều chỉnh"), "adjustments")
    _many(models, _("mô hình"), "models")
    issuer = locked.team.round.plan.issuing_unit
    direction_rows: list[Direction] = []
    for n, d in enumerate(directions, start=1):
        text = _long(d.text)
        if not text:
            raise InspectionError(_("Nhiệm vụ dòng {n}: hãy ghi nội dung.").format(n=n),
                                  field="directions")
        if d.department is None:
            raise InspectionError(_("Nhiệm vụ dòng {n}: hãy chọn ban theo dõi thực hiện.")
                                  .format(n=n), field="directions")
        if d.department.unit_id != issuer.pk:
            raise InspectionError(_("Nhiệm vụ dòng {n}: {dept} không phải một ban của {unit}.")
                                  .format(n=n, dept=d.department.name, unit=issuer.name),
                                  field="directions")
        direction_rows.append(Direction(text=text, department=d.department, order=n))
    adjustment_rows: list[ScoreAdjustment] = []
    for n, a in enumerate(adjustments, start=1):
        code = markup.clean_line(a.criterion_code or "").strip()
        if not code:
            raise InspectionError(_("Điều chỉnh dòng {n}: hãy ghi mã tiêu chí.").format(n=n),
                                  field="adjustments")
        if len(code) > 20:
            raise InspectionError(_("Điều chỉnh dòng {n}: mã tiêu chí dài quá 20 ký tự.")
                                  .format(n=n), field="adjustments")
        reason = _long(a.reason)
        if not reason:
            raise InspectionError(_("Điều chỉnh dòng {n}: hãy ghi lý do điều chỉnh.").format(
                n=n), field="adjustments")
        adjustment_rows.append(ScoreAdjustment(criterion_code=code,
                                               points=_points(a.points, n), reason=reason,
                                               order=n))
    model_rows: list[GoodModel] = []
    for n, m in enumerate(models, start=1):
        title = _text(m.title, field="models", label=_("tên mô hình dòng {n}").format(n=n),
                      max_length=300, required=True)
        field_ = _text(m.field, field="models", label=_("lĩnh vực"), max_length=120)
        tags = _text(m.tags, field="models", label=_("từ khóa"), max_length=300)
        description = _long(m.description)
        model_rows.append(GoodModel(title=title, description=description, field=field_,
                                    tags=tags, order=n,
                                    folded=fold(" ".join([title, description, field_, tags]))))
    if adjustment_rows:
        # the emulation module checks the codes and maxima now, writing nothing
        hooks.adjustments_send(hooks.AdjustmentRequest(
            actor=actor, conclusion=conclusion, unit=locked.unit, issuing_unit=issuer,
            year=locked.date.year, items=adjustment_rows, apply=False))
    with acting(actor, reason=_("Ghi biên bản, dự thảo kết luận kiểm tra")):
        if conclusion is None:
            conclusion = Conclusion.objects.create(session=locked)
        conclusion.present_others = _long(present_others)
        conclusion.strengths = _long(strengths)
        conclusion.updated_by_id = getattr(actor, "pk", None)
        conclusion.save(update_fields=["present_others", "strengths", "updated_by",
                                       "updated_at"])
        conclusion.present_attendees.set(present)
        for model in (AgendaNote, Limitation, Direction, ScoreAdjustment, GoodModel):
            for old in model.objects.filter(conclusion=conclusion):  # type: ignore[attr-defined]
                old.delete()  # one by one: each deletion is audited
        for i, heading in enumerate(headings):
            text = note_texts[i] if i < len(note_texts) else ""
            AgendaNote.objects.create(conclusion=conclusion, order=i + 1, heading=heading,
                                      text=text)
        for i, text in enumerate(limitation_texts, start=1):
            Limitation.objects.create(conclusion=conclusion, order=i, text=text)
        for rows in (direction_rows, adjustment_rows, model_rows):
            for row in rows:
                row.conclusion = conclusion  # type: ignore[union-attr]
                row.save()  # type: ignore[union-attr]
    return conclusion


def _body(conclusion: Conclusion) -> str:
    session = conclusion.session
    lines = [_("Thực hiện {round}, ngày {day}, {team} đã làm việc với {unit}.").format(
        round=session.team.round.title, day=format_date(session.date), team=session.team.name,
        unit=session.unit.name)]
    lines.append(_("Sau khi nghe báo cáo và trao đổi, Trưởng đoàn kiểm tra kết luận như sau:"))
    lines.append(_("I. ƯU ĐIỂM"))
    lines += [x for x in conclusion.strengths.splitlines() if x.strip()] or [_("Không có.")]
    lines.append(_("II. HẠN CHẾ, TỒN TẠI"))
    lines += [f"- {x.text}" for x in conclusion.limitations.all()] or [_("Không có.")]
    lines.append(_("III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI"))
    lines += [_("- {text} (ban theo dõi: {dept})").format(text=x.text, dept=x.department.name)
              for x in conclusion.directions.select_related("department")] or [_("Không có.")]
    adjustments = list(conclusion.adjustments.all())
    if adjustments:
        lines.append(_("IV. ĐIỀU CHỈNH ĐIỂM TỰ CHẤM"))
        lines += [_("- Tiêu chí {code}: {points} điểm. Lý do: {reason}").format(
            code=a.criterion_code, points=a.signed, reason=a.reason)
            for a in adjustments]
    models = list(conclusion.good_models.all())
    if models:
        lines.append(_("V. MÔ HÌNH, GIẢI PHÁP HAY") if adjustments
                     else _("IV. MÔ HÌNH, GIẢI PHÁP HAY"))
        lines += [f"- {m.title}" + (f": {m.description}" if m.description else "")
                  for m in models]
    return "\n".join(" ".join(x.split()) for x in lines)


@transaction.atomic
def conclusion_issue(*, actor: Actor | None, conclusion: Conclusion, signer_title: str,
                     signer_name: str, issued_on: dt.date | None = None) -> Document:
    """The head issues the conclusion: a numbered Kết luận of the issuing unit, sent to the
    inspected unit; the adjustments go into the unit's score sheet of the year (emulation);
    nothing of it changes afterwards."""
    locked = Conclusion.objects.select_for_update(of=("self",)).select_related(
        "session__team__round__plan__issuing_unit", "session__unit").get(pk=conclusion.pk)
    session = locked.session
    _require(actor, lambda s: permissions.can_issue_conclusion(s, session))
    if locked.is_issued:
        raise InspectionError(_("Kết luận đã được ban hành."))
    if not locked.strengths.strip() and not locked.limitations.exists():
        raise InspectionError(_("Hãy ghi ưu điểm, hạn chế trước khi ban hành kết luận."),
                              field="strengths")
    signer_title = _text(signer_title, field="signer_title", label=_("chức vụ người ký"),
                         max_length=200, required=True)
    signer_name = _text(signer_name, field="signer_name", label=_("họ tên người ký"),
                        max_length=120, required=True)
    doc_type = DocumentType.objects.filter(code="ket_luan").first()
    if doc_type is None:
        raise InspectionError(_("Chưa có loại văn bản Kết luận trong danh mục."))
    issuer = session.team.round.plan.issuing_unit
    # a unit dissolved since (the district tier, 2025) is named, not addressed
    gone = session.unit.dissolved_on
    live = gone is None or (issued_on is not None and issued_on < gone)
    # generated on the head's authority, asked above: the head of a team (often from another
    # body) holds no right to the issuing unit's documents, so the system composes and numbers
    draft = document_create(
        actor=None, issuing_unit=issuer, doc_type=doc_type,
        title=_("Kết luận kiểm tra tại {unit}").format(unit=session.unit.name)[:500],
        body=markup.parse_body(_body(locked)),
        addresses=[Address(unit=session.unit)] if live else [],
        recipients=([] if live else [session.unit.name]) + [_("Lưu VP")],
        signer_title=signer_title, signer_name=signer_name,
        issued_on=issued_on)
    document = document_issue(actor=None, document=draft, issued_on=issued_on)
    locked.state = ConclusionState.ISSUED
    locked.document = document
    locked.issued_at = timezone.now()
    locked.issued_by_id = getattr(actor, "pk", None)
    with acting(actor, reason=_("Ban hành kết luận kiểm tra số {symbol}").format(
            symbol=document.symbol)):
        locked.save(update_fields=["state", "document", "issued_at", "issued_by",
                                   "updated_at"])
    if (session.held_on is None and session.status == SessionStatus.SCHEDULED
            and session.date <= today()):
        # a conclusion says the session took place: what is owed after it follows (INS-7)
        followup.session_held(actor=None, session=session, on=session.date)
    items = list(locked.adjustments.all())
    if items:
        hooks.adjustments_send(hooks.AdjustmentRequest(
            actor=actor, conclusion=locked, unit=session.unit, issuing_unit=issuer,
            year=session.date.year, items=items, apply=True))
    return document


# -- follow-up (INS-8, EMU-11) ------------------------------------------------------------------


def _when(on: dt.date | None) -> dt.date:
    day = on or today()
    if day > today():
        raise InspectionError(_("Ngày ghi nhận ({day}) ở tương lai.").format(
            day=format_date(day)), field="on")
    return day


@transaction.atomic
def direction_mark(*, actor: Actor | None, direction: Direction, done: bool,
                   on: dt.date | None = None, note: str = "") -> Direction:
    """The supervising department marks a task of the conclusion done (with the date and a
    note) or not done again."""
    locked = Direction.objects.select_for_update(of=("self",)).select_related(
        "conclusion__session__team__round__plan__issuing_unit",
        "conclusion__session__unit").get(pk=direction.pk)
    session = locked.conclusion.session
    _require(actor, lambda s: permissions.can_follow_direction(s, session,
                                                               locked.department_id))
    if not locked.conclusion.is_issued:
        raise InspectionError(_("Kết luận chưa ban hành: chưa theo dõi nhiệm vụ."))
    note = _long(note)
    if len(note) > 2000:
        raise InspectionError(_("Ghi chú dài quá 2.000 ký tự."), field="note")
    if done:
        day = _when(on)
        if day < session.date:
            raise InspectionError(_("Ngày hoàn thành trước buổi kiểm tra ({day}).").format(
                day=format_date(session.date)), field="on")
        locked.done_on = day
    else:
        locked.done_on = None
    locked.done_note = note
    locked.done_by_id = getattr(actor, "pk", None)
    with acting(actor, reason=note or None):
        locked.save(update_fields=["done_on", "done_note", "done_by"])
    return locked


@transaction.atomic
def limitation_remedied(*, actor: Actor | None, limitation: Limitation,
                        on: dt.date | None = None, note: str = "") -> Limitation:
    """The unit's supervising department records that a limitation was remedied, with the
    date and the evidence."""
    locked = Limitation.objects.select_for_update(of=("self",)).select_related(
        "conclusion__session__team__round__plan__issuing_unit",
        "conclusion__session__unit").get(pk=limitation.pk)
    session = locked.conclusion.session
    departments = selectors.supervising_department_ids(unit=session.unit)
    _require(actor, lambda s: permissions.can_mark_remedied(s, session, departments))
    if not locked.conclusion.is_issued:
        raise InspectionError(_("Kết luận chưa ban hành."))
    if locked.remedied_on is not None:
        raise InspectionError(_("Hạn chế này đã được ghi nhận khắc phục ngày {day}.").format(
            day=format_date(locked.remedied_on)))
    note = _long(note)
    if not note:
        raise InspectionError(_("Hãy ghi minh chứng đã khắc phục."), field="note")
    if len(note) > 2000:
        raise InspectionError(_("Minh chứng dài quá 2.000 ký tự."), field="note")
    day = _when(on)
    if day < session.date:
        raise InspectionError(_("Ngày khắc phục trước buổi kiểm tra ({day}).").format(
            day=format_date(session.date)), field="on")
    locked.remedied_on, locked.remedied_note = day, note
    locked.remedied_by_id = getattr(actor, "pk", None)
    with acting(actor, reason=note):
        locked.save(update_fields=["remedied_on", "remedied_note", "remedied_by"])
    return locked
