"""EMU-6 and EMU-7: what follows a published ranking — the per-unit notice of remarks,
evaluation, classification and ranking (a numbered document of the issuing unit, issued for
every unit of the snapshot in one action), and the units' appeals.

The appeal window is a record (`EmulationPolicy`, per issuing unit and year): a unit may appeal
until `appeal_days` days after the rubric's ranking was first published. A unit marked not
inspected for missing its inspection documents (inspections' `session_missed_documents`, seed
001 §III.4) may not appeal and is told why. An appeal is decided by a user of the issuing unit's
standing committee (APPROVE) who gave none of the disputed scores (the lines' `by` and every
actor the audit recorded on them). Accepting adds an adjustment line "theo kết quả giải quyết
khiếu nại" to the (final) sheet and publishes a new snapshot; the appealed snapshot stays
published, superseded, and still reproduces (`ranking.snapshot_reproduces` leaves out the
appeal lines decided after it). Every write is audited; a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.audit.context import acting
from doanvu.audit.models import AuditRecord
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.text import checked_text
from doanvu.common.typing import Actor, UnitScope
from doanvu.documents import markup
from doanvu.documents.addressing import Address
from doanvu.documents.models import DocumentType
from doanvu.documents.services import document_create, document_issue
from doanvu.inspections import selectors as inspections
from doanvu.org.models import Unit

from . import permissions, ranking, rules, scoring
from .models import (
    Appeal,
    AppealState,
    Criterion,
    EmulationPolicy,
    LineSource,
    RankingEntry,
    RankingSnapshot,
    ResultNotice,
    Rubric,
    ScoreLine,
    ScoreSheet,
    SheetEntry,
    SnapshotState,
)

MAX_TEXT = 4000


class ResultError(ApplicationError):
    """A notice or an appeal refused (Vietnamese, naming the field)."""


def _text(value: str, *, field: str, label: str, required: bool = True) -> str:
    return checked_text(value, field=field, label=label, max_length=MAX_TEXT,
                        required=required, error=ResultError)


def _user_id(actor: Actor | None) -> int | None:
    return None if actor is None or isinstance(actor, Scope) else getattr(actor, "pk", None)


# -- policy ---------------------------------------------------------------------------------------


@transaction.atomic
def policy_set(*, actor: Actor | None, issuing_unit: Unit, year: int, appeal_days: int,
               note: str = "") -> EmulationPolicy:
    """Set the year's appeal window of the issuing unit (its standing committee decides)."""
    permissions.require(actor, issuing_unit, permissions.can_freeze)
    if not isinstance(appeal_days, int) or isinstance(appeal_days, bool) or not (
            1 <= appeal_days <= 365):
        raise ResultError(_("Số ngày được khiếu nại phải là số nguyên từ 1 đến 365."),
                          field="appeal_days")
    note = _text(note, field="note", label=_("căn cứ"), required=False)
    with acting(actor):
        policy, _created = EmulationPolicy.objects.update_or_create(
            issuing_unit=issuing_unit, year=year,
            defaults={"appeal_days": appeal_days, "note": note})
    return policy


def policy_for(rubric: Rubric) -> EmulationPolicy | None:
    return EmulationPolicy.objects.filter(issuing_unit_id=rubric.issuing_unit_id,
                                          year=rubric.year).first()


# -- who sees what ----------------------------------------------------------------------------


def can_see_table(scope: UnitScope, snapshot: RankingSnapshot) -> bool:
    """The whole table (every unit's line) is the issuing unit's: seed 001 sends each unit the
    notice of its own result only, so a unit reads its own line and nothing else."""
    return permissions.can_read(scope, snapshot.rubric.issuing_unit)


def can_appeal(scope: UnitScope, unit: Unit, issuing_unit: Unit) -> bool:
    """The evaluated unit's own cadres file its appeal (as they write its self-score)."""
    return permissions.can_self_score(scope, unit, issuing_unit)


def can_decide(scope: UnitScope, snapshot: RankingSnapshot) -> bool:
    return permissions.can_freeze(scope, snapshot.rubric.issuing_unit)


def published_for_unit(unit: Unit) -> list[tuple[RankingSnapshot, RankingEntry]]:
    """The unit's lines of the published snapshots it is ranked in, newest first."""
    entries = (RankingEntry.objects.filter(unit=unit, snapshot__state=SnapshotState.PUBLISHED)
               .select_related("snapshot", "snapshot__rubric", "snapshot__rubric__group",
                               "snapshot__rubric__issuing_unit")
               .order_by("-snapshot__rubric__year", "-snapshot__published_on",
                         "-snapshot__computed_at", "-snapshot_id"))
    return [(e.snapshot, e) for e in entries]


def current_line(sheet: ScoreSheet) -> RankingEntry | None:
    """The sheet's unit's line of its rubric's ranking as published now (the latest published
    snapshot, not superseded by an appeal's recompute); None before publication."""
    return (RankingEntry.objects.filter(
        unit_id=sheet.unit_id, snapshot__rubric_id=sheet.rubric_id,
        snapshot__state=SnapshotState.PUBLISHED, snapshot__superseded_by__isnull=True)
        .select_related("snapshot").first())


def first_published_on(rubric: Rubric) -> dt.date | None:
    return (RankingSnapshot.objects.filter(rubric=rubric, state=SnapshotState.PUBLISHED)
            .order_by("published_on").values_list("published_on", flat=True).first())


@dataclass
class Eligibility:
    """Whether a unit may appeal a snapshot now, and why not."""

    window_end: dt.date | None
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons


def eligibility(*, snapshot: RankingSnapshot, unit: Unit, on: dt.date | None = None
                ) -> Eligibility:
    on = on or today()
    rubric = snapshot.rubric
    reasons: list[str] = []
    window_end = None
    if not snapshot.is_published:
        reasons.append(_("Bảng xếp hạng chưa công bố."))
    elif snapshot.superseded_by_id is not None:
        reasons.append(_("Bảng xếp hạng này đã được thay bằng bảng tính lại: hãy khiếu nại "
                         "trên bảng mới nhất."))
    if not RankingEntry.objects.filter(snapshot=snapshot, unit=unit).exists():
        reasons.append(_("{unit} không có trong bảng xếp hạng này.").format(unit=unit.name))
    policy = policy_for(rubric)
    start = first_published_on(rubric)
    if policy is None:
        reasons.append(_("{issuer} chưa quy định thời hạn khiếu nại kết quả thi đua năm "
                         "{year}.").format(issuer=rubric.issuing_unit.name, year=rubric.year))
    elif start is not None:
        window_end = start + dt.timedelta(days=policy.appeal_days)
        if on > window_end:
            reasons.append(_("Đã hết thời hạn khiếu nại: kết quả công bố ngày {start}, được "
                             "khiếu nại trong {days} ngày, đến hết ngày {end}.").format(
                start=format_date(start), days=policy.appeal_days, end=format_date(window_end)))
    if inspections.session_missed_documents(unit=unit, year=rubric.year):
        reasons.append(_("{unit} không gửi đủ tài liệu kiểm tra đúng hạn (chậm nhất 03 ngày "
                         "trước lịch kiểm tra) nên không được kiểm tra năm {year} và không được "
                         "quyền khiếu nại kết quả đánh giá, phân loại và xếp hạng thi đua năm "
                         "{year}.").format(unit=unit.name, year=rubric.year))
    return Eligibility(window_end, reasons)


# -- EMU-6: notices ---------------------------------------------------------------------------


def _remarks(sheet: ScoreSheet | None) -> list[str]:
    """The remarks of the notice: the inspection adjustments and the bonus/penalty entries of
    the unit's sheet, with their reasons."""
    if sheet is None:
        return []
    out = []
    for ln in (ScoreLine.objects.filter(sheet=sheet, source=LineSource.ADJUSTMENT)
               .select_related("criterion").order_by("at", "id")):
        out.append(_("- Tiêu chí {code}: điều chỉnh {points} điểm – {reason}.").format(
            code=ln.criterion.code, points=rules.fmt(ln.points), reason=ln.reason.rstrip(".")))
    for en in SheetEntry.objects.filter(sheet=sheet).select_related("item").order_by("at", "id"):
        out.append(_("- {kind} {code} ({count} lần): {reason}.").format(
            kind=en.item.get_kind_display(), code=en.item.code, count=en.count,
            reason=en.reason.rstrip(".")))
    return out


def notice_body(snapshot: RankingSnapshot, entry: RankingEntry, *, total_units: int) -> str:
    rubric = snapshot.rubric
    sheet = ScoreSheet.objects.filter(rubric=rubric, unit_id=entry.unit_id).first()
    lines = [_("\\Căn cứ kế hoạch kiểm tra, đánh giá, phân loại và xếp hạng thi đua năm {year} "
               "và kết quả chấm điểm theo “{rubric}”, Ban Thường vụ {issuer} thông báo kết quả "
               "của {unit} như sau:").format(year=rubric.year, rubric=rubric.name,
                                              issuer=rubric.issuing_unit.name,
                                              unit=entry.unit.name)]
    lines.append(_("I. NHẬN XÉT"))
    remarks = _remarks(sheet)
    lines += remarks or [_("Đơn vị thực hiện các nội dung theo thang điểm; không có điều chỉnh "
                           "của đoàn kiểm tra, điểm thưởng hay điểm trừ.")]
    if inspections.session_missed_documents(unit=entry.unit, year=rubric.year):
        lines.append(_("- Đơn vị không gửi đủ tài liệu kiểm tra đúng hạn nên không được kiểm "
                       "tra năm {year} và không được quyền khiếu nại kết quả.").format(
            year=rubric.year))
    lines.append(_("II. ĐÁNH GIÁ"))
    lines.append(_("- Điểm các tiêu chí: {c}; điểm thưởng: {b}; điểm trừ: {p}.").format(
        c=rules.fmt(entry.criteria_total), b=rules.fmt(entry.bonus), p=rules.fmt(entry.penalty)))
    lines.append(_("- Điểm cuối cùng: {t}.").format(t=rules.fmt(entry.total)))
    lines.append(_("III. PHÂN LOẠI"))
    lines.append(_("- Xếp loại: {tier} ({why}).").format(
        tier=entry.tier_name, why=entry.tier_reasons or _("theo điểm cuối cùng")))
    lines.append(_("IV. XẾP HẠNG"))
    lines.append(_("- Xếp hạng {rank}/{n} đơn vị thuộc {group}.").format(
        rank=entry.rank, n=total_units, group=rubric.group.name))
    policy = policy_for(rubric)
    if policy is not None:
        lines.append(_("\\Đơn vị có ý kiến về kết quả được khiếu nại trong {days} ngày kể từ "
                       "ngày công bố kết quả.").format(days=policy.appeal_days))
    return "\n".join(lines)


@transaction.atomic
def notices_issue(*, actor: Actor | None, snapshot: RankingSnapshot, signer_title: str,
                  signer_name: str, issued_on: dt.date | None = None) -> list[ResultNotice]:
    """EMU-6: generate and issue the notice of every unit of the published snapshot that has
    none yet, each a numbered Thông báo of the issuing unit addressed to the unit; one action,
    all or nothing, audited."""
    rubric = snapshot.rubric
    permissions.require(actor, rubric.issuing_unit, permissions.can_freeze)
    snapshot = RankingSnapshot.objects.select_for_update().select_related(
        "rubric", "rubric__issuing_unit", "rubric__group").get(pk=snapshot.pk)
    if not snapshot.is_published:
        raise ResultError(_("Chỉ ban hành thông báo kết quả khi bảng xếp hạng đã công bố."))
    signer_title = _text(signer_title, field="signer_title", label=_("chức vụ người ký"))
    signer_name = _text(signer_name, field="signer_name", label=_("họ tên người ký"))
    on = issued_on or today()
    if snapshot.published_on and on < snapshot.published_on:
        raise ResultError(_("Ngày ban hành thông báo không được trước ngày công bố kết quả "
                            "({date}).").format(date=format_date(snapshot.published_on)),
                          field="issued_on")
    doc_type = DocumentType.objects.filter(code="thong_bao").first()
    if doc_type is None:
        raise ResultError(_("Chưa có loại văn bản Thông báo trong danh mục."))
    entries = list(RankingEntry.objects.filter(snapshot=snapshot).select_related("unit")
                   .order_by("position", "id"))
    have = set(ResultNotice.objects.filter(snapshot=snapshot).values_list("unit_id", flat=True))
    todo = [e for e in entries if e.unit_id not in have]
    if not todo:
        raise ResultError(_("Mọi đơn vị của bảng xếp hạng này đã có thông báo kết quả."))
    issuer = rubric.issuing_unit
    made = []
    for e in todo:
        # documents delivers to units that exist today: a unit dissolved since (Thủ Đức's
        # districts, 2021) gets its notice generated, named among the recipients, not delivered
        live = e.unit.dissolved_on is None
        draft = document_create(
            actor=actor, issuing_unit=issuer, doc_type=doc_type,
            title=_("Nhận xét, đánh giá, phân loại và xếp hạng thi đua công tác Đoàn và phong "
                    "trào thanh thiếu nhi năm {year} của {unit}").format(year=rubric.year,
                                                                       unit=e.unit.name),
            body=markup.parse_body(notice_body(snapshot, e, total_units=len(entries))),
            addresses=[Address(unit=e.unit)] if live else [],
            recipients=[e.unit.name, _("Lưu VP")], signer_title=signer_title,
            signer_name=signer_name, issued_on=on)
        document = document_issue(actor=actor, document=draft, issued_on=on)
        with acting(actor, reason=_("Ban hành thông báo kết quả thi đua")):
            made.append(ResultNotice.objects.create(snapshot=snapshot, unit=e.unit,
                                                    document=document,
                                                    issued_by_id=_user_id(actor)))
    return made


def notice_of(*, snapshot: RankingSnapshot, unit: Unit) -> ResultNotice | None:
    """The unit's notice of the snapshot, else of the rubric's latest earlier snapshot (a
    recompute after an appeal keeps the notice issued on the first publication)."""
    return (ResultNotice.objects.filter(snapshot__rubric_id=snapshot.rubric_id, unit=unit,
                                        snapshot__computed_at__lte=snapshot.computed_at)
            .select_related("document").order_by("-snapshot__computed_at", "-id").first())


# -- EMU-7: appeals -----------------------------------------------------------------------------


@transaction.atomic
def appeal_file(*, actor: Actor | None, snapshot: RankingSnapshot, unit: Unit,
                criterion: Criterion, reason: str, evidence: str = "",
                upload: UploadedFile | None = None, on: dt.date | None = None) -> Appeal:
    """The unit appeals the score of `criterion` on the published snapshot: within the window,
    an eligible unit, with a reason."""
    from doanvu.hub.services import UploadRefused, check_upload

    rubric = snapshot.rubric
    scope = permissions.scope_of_actor(actor)
    if scope is not None and not can_appeal(scope, unit, rubric.issuing_unit):
        raise permissions.EmulationScopeError(_("Chỉ cán bộ của {unit} được gửi khiếu nại kết "
                                                "quả của đơn vị.").format(unit=unit.name))
    snapshot = RankingSnapshot.objects.select_for_update().select_related(
        "rubric", "rubric__issuing_unit").get(pk=snapshot.pk)
    on = on or today()
    check = eligibility(snapshot=snapshot, unit=unit, on=on)
    if not check.ok:
        raise ResultError(" ".join(check.reasons))
    if criterion.area.rubric_id != rubric.pk:
        raise ResultError(_("Tiêu chí này không thuộc thang điểm của bảng xếp hạng."),
                          field="criterion")
    if Appeal.objects.filter(snapshot__rubric=rubric, unit=unit, criterion=criterion,
                             state=AppealState.PENDING).exists():
        raise ResultError(_("Đơn vị đã có khiếu nại tiêu chí {code} đang chờ giải quyết.")
                          .format(code=criterion.code), field="criterion")
    reason = _text(reason, field="reason", label=_("lý do khiếu nại"))
    evidence = _text(evidence, field="evidence", label=_("minh chứng"), required=False)
    if upload is not None:
        name = (upload.name or "").rsplit("/", 1)[-1][:255]
        try:
            check_upload(name=name, size=upload.size)
        except UploadRefused as exc:
            raise ResultError(exc.message, field="evidence_file") from None
    with acting(actor, reason=reason):
        appeal = Appeal(snapshot=snapshot, unit=unit, criterion=criterion, reason=reason,
                        evidence=evidence, filed_by_id=_user_id(actor), filed_on=on)
        if upload is not None:
            appeal.evidence_file.save((upload.name or "").rsplit("/", 1)[-1][:200], upload,
                                      save=False)
        appeal.save()
    return appeal


def disputed_scorers(*, snapshot: RankingSnapshot, unit: Unit, criterion: Criterion
                     ) -> set[int]:
    """The users who gave a score of `criterion` on the unit's sheet: the lines' `by` and
    every actor the audit recorded on those lines."""
    lines = list(ScoreLine.objects.filter(sheet__rubric_id=snapshot.rubric_id, sheet__unit=unit,
                                          criterion=criterion).values_list("pk", "by_id"))
    ids = {by for _pk, by in lines if by is not None}
    label = ScoreLine._meta.label_lower
    ids |= {int(a) for a in AuditRecord.objects.filter(
        model=label, object_pk__in=[str(pk) for pk, _by in lines], actor_id__isnull=False)
        .values_list("actor_id", flat=True) if a is not None}
    return ids


def _delta(value: object) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ResultError(_("Điểm điều chỉnh “{value}” không phải là một số.").format(
            value=str(value)[:40]), field="delta") from None
    if not number.is_finite() or number == 0:
        raise ResultError(_("Hãy nhập số điểm điều chỉnh khác 0 (âm là giảm)."), field="delta")
    if number != number.quantize(Decimal("0.01")):
        raise ResultError(_("Điểm điều chỉnh: tối đa 2 chữ số sau dấu phẩy."), field="delta")
    return number


@transaction.atomic
def appeal_decide(*, actor: Actor | None, appeal: Appeal, accept: bool, decision: str,
                  delta: object = None, on: dt.date | None = None,
                  at: dt.datetime | None = None) -> Appeal:
    """Decide an appeal. Accepting adds the adjustment `delta` to the criterion (the score must
    stay within 0 … its maximum) and publishes a recomputed snapshot; refusing keeps the
    scores. The decider may not be one who gave the disputed score."""
    appeal = Appeal.objects.select_for_update().select_related(
        "snapshot", "snapshot__rubric", "snapshot__rubric__issuing_unit", "unit",
        "criterion", "criterion__area").get(pk=appeal.pk)
    snapshot = appeal.snapshot
    permissions.require(actor, snapshot.rubric.issuing_unit, permissions.can_freeze)
    if not appeal.is_pending:
        raise ResultError(_("Khiếu nại này đã được giải quyết."))
    decider = _user_id(actor)
    if decider is not None and decider in disputed_scorers(snapshot=snapshot, unit=appeal.unit,
                                                           criterion=appeal.criterion):
        raise ResultError(_("Bạn đã chấm điểm tiêu chí {code} của {unit}: khiếu nại phải do "
                            "người không chấm điểm bị khiếu nại giải quyết.").format(
            code=appeal.criterion.code, unit=appeal.unit.name))
    decision = _text(decision, field="decision", label=_("nội dung giải quyết"))
    now = at or timezone.now()
    appeal.state = AppealState.ACCEPTED if accept else AppealState.REFUSED
    appeal.decision, appeal.decided_by_id, appeal.decided_at = decision, decider, now
    if not accept:
        with acting(actor, reason=decision):
            appeal.save(update_fields=["state", "decision", "decided_by", "decided_at"])
        return appeal
    change = _delta(delta)
    sheet = ScoreSheet.objects.select_for_update().get(rubric=snapshot.rubric, unit=appeal.unit)
    reason = _("Theo kết quả giải quyết khiếu nại: {decision}").format(decision=decision)
    with acting(actor, reason=reason):
        line = ScoreLine.objects.create(sheet=sheet, criterion=appeal.criterion,
                                        source=LineSource.ADJUSTMENT, raw=None, points=change,
                                        reason=reason, by_id=decider, at=now)
        try:
            scoring.sheet_result(sheet)
        except rules.RuleError as exc:
            raise ResultError(_("Tiêu chí {code}: {why}").format(
                code=appeal.criterion.code, why=exc.translated(_)), field="delta") from None
        sheet.version += 1
        sheet.save(update_fields=["version", "updated_at"])
        appeal.delta, appeal.line = change, line
        appeal.save(update_fields=["state", "decision", "decided_by", "decided_at", "delta",
                                   "line"])
    fresh = ranking.ranking_compute(
        actor=actor, rubric=snapshot.rubric, at=now,
        note=_("Tính lại sau khi giải quyết khiếu nại của {unit} (tiêu chí {code})").format(
            unit=appeal.unit.name, code=appeal.criterion.code))
    fresh = ranking.ranking_publish(actor=actor, snapshot=fresh,
                                    on=on or timezone.localdate())
    with acting(actor, reason=reason):
        appeal.result = fresh
        appeal.save(update_fields=["result"])
    return appeal


def appeals_of(*, snapshot: RankingSnapshot | None = None, unit: Unit | None = None,
               rubric: Rubric | None = None) -> list[Appeal]:
    qs = Appeal.objects.select_related("snapshot", "unit", "criterion", "decided_by",
                                       "filed_by", "result")
    if snapshot is not None:
        qs = qs.filter(snapshot=snapshot)
    if rubric is not None:
        qs = qs.filter(snapshot__rubric=rubric)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return list(qs.order_by("-filed_on", "-id"))
