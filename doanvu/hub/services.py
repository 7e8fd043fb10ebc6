"""Every write of the hub (HUB-1…4, X-5). Other modules create and close obligations, and write
calendar entries, only through these functions.

Views ask doanvu.hub.permissions before offering an action; these functions check again when a
person acts (actor None is the system: tasks, imports, the demo) and enforce the rules of the
obligation itself: a due date that resolves, valid transitions, file limits,
one reminder a day, no notice twice.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.accounts.models import User
from doanvu.accounts.scope import Scope
from doanvu.audit.context import acting
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.common.text import nfc
from doanvu.common.typing import Actor
from doanvu.org.models import Department, Unit

from . import conf, permissions, rules, selectors
from .models import (
    OPEN_STATUSES,
    CalendarEntry,
    CalendarEntryKind,
    CalendarFeed,
    DeadlinePolicy,
    Notification,
    NotificationKind,
    Obligation,
    ObligationFile,
    ObligationStatus,
)


class HubError(ApplicationError):
    pass


class HubPermissionError(HubError):
    """The acting user's roles do not reach the obligation for this action."""


class UploadRefused(HubError):
    """A file over the size limit or of a type that is not accepted."""


# -- small helpers --------------------------------------------------------------------------------


def format_size(n: int) -> str:
    """Sizes as Vietnamese write them: "10 MB", "1,5 KB", "800 byte"."""
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            value = n / size
            text = f"{value:.1f}".rstrip("0").rstrip(".")
            return f"{text.replace('.', ',')} {unit}"
    return f"{n} byte"


def check_upload(*, name: str, size: int | None) -> None:
    """Refuse a file by its name's extension, then by its size (if known yet)."""
    ext = os.path.splitext(name or "")[1].lower()
    allowed = conf.upload_extensions()
    if ext not in allowed:
        raise UploadRefused(
            _(
                "Tệp “{name}” không được tiếp nhận: chỉ nhận các loại {join}."
            ).format(name=name, join=', '.join(e.lstrip('.') for e in allowed)),
            field="attachments",
        )
    limit = conf.upload_max_bytes()
    if size is not None and size > limit:
        raise UploadRefused(
            _(
                "Tệp “{name}” ({format_size}) vượt quá giới hạn {format_size2} cho mỗi tệp: "
                "không được tiếp nhận."
            ).format(name=name, format_size=format_size(size), format_size2=format_size(limit)),
            field="attachments",
        )


def _clean_text(value: str, *, field: str, label: str, max_length: int = 255,
                required: bool = True) -> str:
    value = nfc(value or "")
    if required and not value:
        raise HubError(_("{label} không được để trống.").format(label=label), field=field)
    if len(value) > max_length:
        raise HubError(_(
            "{label} dài quá {max_length} ký tự."
        ).format(label=label, max_length=max_length), field=field)
    return value


def _check_department(department: Department | None, unit: Unit, *, field: str) -> None:
    if department is not None and department.unit_id != unit.pk:
        raise HubError(_(
            "{name} không thuộc {name2}."
        ).format(name=department.name, name2=unit.name), field=field)


def _source_fields(source: models.Model | None) -> dict[str, object]:
    if source is None:
        return {"source_type": None, "source_id": None}
    from django.contrib.contenttypes.models import ContentType

    return {"source_type": ContentType.objects.get_for_model(source), "source_id": source.pk}


def _actor(actor: Actor | None) -> User | None:
    return actor if isinstance(actor, User) and actor.pk else None


def _allowed(actor: Actor | None, ob: Obligation, check: Callable[..., bool],
             message: str) -> None:
    """A person acting must hold the permission (views ask first; this keeps other callers
    honest). Work the system does on its own (actor None: tasks, imports, the demo) passes."""
    user = _actor(actor)
    if user is not None and not check(Scope.for_user(user), ob):
        raise HubPermissionError(message)


def _now(at: dt.datetime | None) -> dt.datetime:
    return at if at is not None else timezone.now()


# -- policies -------------------------------------------------------------------------------------


@transaction.atomic
def policy_create(*, unit: Unit, code: str, title: str, rule: rules.DueRule,
                  valid_from: dt.date, valid_to: dt.date | None = None,
                  remind_days: Sequence[int] = (), source_document: str = "",
                  source_text: str = "", description: str = "") -> DeadlinePolicy:
    """Record a deadline rule issued by `unit` (the numbers live here, never in code)."""
    code = _clean_text(code, field="code", label=_("Mã quy định"), max_length=80)
    title = _clean_text(title, field="title", label=_("Tên loại việc"))
    if valid_to is not None and valid_to <= valid_from:
        raise HubError(_("Ngày hết hiệu lực phải sau ngày có hiệu lực."), field="valid_to")
    days = sorted({int(d) for d in remind_days}, reverse=True)
    if any(d < 0 or d > 60 for d in days):
        raise HubError(_("Số ngày nhắc trước phải từ 0 đến 60."), field="remind_days")
    overlapping = DeadlinePolicy.objects.filter(unit=unit, code=code).filter(
        models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=valid_from)
    )
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lt=valid_to)
    if overlapping.exists():
        raise HubError(
            _(
                "{name} đã có quy định “{code}” có hiệu lực trong khoảng thời gian này."
            ).format(name=unit.name, code=code),
            field="valid_from",
        )
    return DeadlinePolicy.objects.create(
        unit=unit, code=code, title=title, rule=rule.to_json(), remind_days=days,
        valid_from=valid_from, valid_to=valid_to, source_document=nfc(source_document),
        source_text=nfc(source_text), description=nfc(description),
    )


def policy_rule(policy: DeadlinePolicy) -> rules.DueRule:
    try:
        return rules.DueRule.from_json(policy.rule)
    except rules.DueRuleError as exc:
        raise HubError(_(
            "Quy định “{title}” có quy tắc tính hạn sai: {exc}"
        ).format(title=policy.title, exc=exc)) from None


# -- obligations ----------------------------------------------------------------------------------


@transaction.atomic
def obligation_create(
    *,
    actor: Actor | None,
    kind: str,
    title: str,
    owed_by_unit: Unit,
    owed_to_unit: Unit,
    owed_by_department: Department | None = None,
    owed_by_user: User | None = None,
    owed_to_department: Department | None = None,
    rule: rules.DueRule | None = None,
    policy_code: str | None = None,
    events: Mapping[str, dt.date | None] | None = None,
    period: Period | None = None,
    source: models.Model | None = None,
    source_label: str = "",
    kind_label: str = "",
    key: str = "",
    on: dt.date | None = None,
) -> Obligation:
    """Create an obligation: `owed_by_*` owes `title` to `owed_to_*` by a date that `rule` (or
    the policy `policy_code` in force for the owed-to unit on `on`) gives from `events` and
    `period`. A rule that cannot resolve is refused with its reason.

    With a `key`, creating again returns the obligation already made with that key.
    """
    user = _actor(actor)
    if user is not None and not permissions.can_assign(Scope.for_user(user), owed_to_unit,
                                                       owed_to_department):
        raise HubPermissionError(_(
            "Chỉ {name} mới giao được việc này."
        ).format(name=owed_to_unit.name))
    key = (key or "").strip()
    if key:
        existing = Obligation.objects.filter(key=key).first()
        if existing is not None:
            return existing
    kind = _clean_text(kind, field="kind", label=_("Mã loại việc"), max_length=80)
    title = _clean_text(title, field="title", label=_("Nội dung việc phải nộp"))
    _check_department(owed_by_department, owed_by_unit, field="owed_by_department")
    _check_department(owed_to_department, owed_to_unit, field="owed_to_department")
    if (owed_by_unit.pk, getattr(owed_by_department, "pk", None)) == (
        owed_to_unit.pk, getattr(owed_to_department, "pk", None)
    ) and owed_by_user is None:
        raise HubError(_("Bên phải nộp và bên nhận không thể là một."), field="owed_to_unit")
    for unit in (owed_by_unit, owed_to_unit):
        if unit.dissolved_on is not None:
            raise HubError(_(
                "{name} đã giải thể / sáp nhập từ {format_date}."
            ).format(
                name=unit.name,
                format_date=format_date(unit.dissolved_on)), field="owed_by_unit",
            )
    day = on or today()
    policy: DeadlinePolicy | None = None
    if rule is None:
        if not policy_code:
            raise HubError(_("Chưa có quy tắc tính hạn cho việc này."), field="rule")
        policy = selectors.policy_in_force(unit=owed_to_unit, code=policy_code, on=day)
        if policy is None:
            raise HubError(
                _(
                    "Chưa có quy định thời hạn “{policy_code}” có hiệu lực cho {name} tại ngày "
                    "{format_date}."
                ).format(policy_code=policy_code, name=owed_to_unit.name,
                         format_date=format_date(day)),
                field="rule",
            )
        rule = policy_rule(policy)
    due_on = rules.resolve(rule, events or {}, period)
    ob = Obligation(
        kind=kind, kind_label=nfc(kind_label) or (policy.title if policy else title),
        title=title, key=key,
        owed_by_unit=owed_by_unit, owed_by_department=owed_by_department,
        owed_by_user=owed_by_user, owed_to_unit=owed_to_unit,
        owed_to_department=owed_to_department,
        due_on=due_on, due_rule=rule.to_json(), due_text=rules.describe(rule),
        period=period,  # type: ignore[misc]  # PeriodField stores a Period
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        policy=policy, source_label=nfc(source_label)[:255],
        created_by=_actor(actor),
        **_source_fields(source),
    )
    with acting(_actor(actor)):
        ob.save()
    return ob


@transaction.atomic
def obligation_reschedule(*, actor: Actor | None, obligation: Obligation,
                          events: Mapping[str, dt.date | None] | None = None,
                          rule: rules.DueRule | None = None) -> Obligation:
    """Resolve the due date again when an event moves (the inspection ends later)."""
    ob = _lock(obligation)
    _allowed(actor, ob, lambda scope, o: permissions.can_assign(
        scope, o.owed_to_unit, o.owed_to_department),
        _("Chỉ {name} mới đổi được hạn của việc này.").format(name=ob.owed_to_unit.name))
    rule = rule or rules.DueRule.from_json(ob.due_rule)
    due_on = rules.resolve(rule, events or {}, ob.period)
    ob.due_on, ob.due_rule, ob.due_text = due_on, rule.to_json(), rules.describe(rule)
    with acting(_actor(actor)):
        ob.save(update_fields=["due_on", "due_rule", "due_text"])
    return ob


def _lock(obligation: Obligation) -> Obligation:
    return Obligation.objects.select_for_update(of=("self",)).select_related(
        "owed_by_unit", "owed_to_unit", "owed_by_department", "owed_to_department", "owed_by_user"
    ).get(pk=obligation.pk)


@transaction.atomic
def obligation_submit(*, actor: Actor | None, obligation: Obligation, text: str = "",
                      files: Sequence[UploadedFile] = (),
                      at: dt.datetime | None = None) -> Obligation:
    """Deliver an open (or returned) obligation: a text, files, or both.

    `at` records a submission made in the past (imports, demo); views never pass it.
    """
    ob = _lock(obligation)
    _allowed(actor, ob, permissions.can_submit,
             _("Bạn không có quyền nộp thay {name}.").format(name=ob.owed_by_unit.name))
    if ob.status not in OPEN_STATUSES:
        raise HubError(_(
            "Việc này đang ở trạng thái “{get_status_display}”: không nộp được."
        ).format(get_status_display=ob.get_status_display()))
    text = unicodedata.normalize("NFC", text or "").strip()
    if len(text) > 20000:
        raise HubError(_("Nội dung nộp dài quá 20.000 ký tự."), field="text")
    if not text and not files:
        raise HubError(_("Hãy ghi nội dung hoặc đính kèm ít nhất một tệp."), field="text")
    if len(files) > conf.upload_max_files():
        raise UploadRefused(_(
            "Mỗi lần nộp tối đa {upload_max_files} tệp."
        ).format(upload_max_files=conf.upload_max_files()),
                            field="attachments")
    for f in files:
        check_upload(name=f.name or "", size=f.size)
        if not f.size:
            raise UploadRefused(_(
                "Tệp “{name}” rỗng: không được tiếp nhận."
            ).format(name=f.name), field="attachments")
    when = _now(at)
    for f in files:
        ObligationFile.objects.create(
            obligation=ob, file=f, original_name=nfc(f.name or "")[:255], size=f.size or 0,
            content_type=(getattr(f, "content_type", "") or "")[:120],
            uploaded_by=_actor(actor),
        )
    ob.status = ObligationStatus.SUBMITTED
    ob.submitted_at = when
    ob.submitted_on = timezone.localdate(when)
    ob.submitted_by = _actor(actor)
    ob.submission_text = text
    with acting(_actor(actor)):
        ob.save(update_fields=["status", "submitted_at", "submitted_on", "submitted_by",
                               "submission_text"])
    return ob


def _review(ob: Obligation, actor: Actor | None, note: str, status: str, when: dt.datetime) -> None:
    ob.status = status
    ob.reviewed_at = when
    ob.reviewed_by = _actor(actor)
    ob.review_note = note
    with acting(_actor(actor)):
        ob.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_note"])


@transaction.atomic
def obligation_accept(*, actor: Actor | None, obligation: Obligation, note: str = "",
                      at: dt.datetime | None = None) -> Obligation:
    ob = _lock(obligation)
    _allowed(actor, ob, permissions.can_review,
             _("Chỉ người có quyền phê duyệt của {name} mới xử lý được việc này.").format(
                 name=ob.owed_to_unit.name))
    if ob.status != ObligationStatus.SUBMITTED:
        raise HubError(_("Chỉ tiếp nhận được việc đã nộp và đang chờ tiếp nhận."))
    _review(ob, actor, nfc(note)[:2000], ObligationStatus.ACCEPTED, _now(at))
    return ob


@transaction.atomic
def obligation_return(*, actor: Actor | None, obligation: Obligation, note: str,
                      at: dt.datetime | None = None) -> Obligation:
    """Send a submission back for correction; the owing side sees it in its list again."""
    ob = _lock(obligation)
    _allowed(actor, ob, permissions.can_review,
             _("Chỉ người có quyền phê duyệt của {name} mới xử lý được việc này.").format(
                 name=ob.owed_to_unit.name))
    if ob.status != ObligationStatus.SUBMITTED:
        raise HubError(_("Chỉ trả lại được việc đã nộp và đang chờ tiếp nhận."))
    note = _clean_text(note, field="note", label=_("Lý do trả lại"), max_length=2000)
    when = _now(at)
    _review(ob, actor, note, ObligationStatus.RETURNED, when)
    _notify(ob, kind=NotificationKind.RETURNED, key=f"returned:{when.isoformat()}",
            message=_(
                "“{title}” bị trả lại: {note}"
            ).format(title=ob.title, note=note), on=timezone.localdate(when))
    transaction.on_commit(send_pending_emails)
    return ob


@transaction.atomic
def obligation_waive(*, actor: Actor | None, obligation: Obligation, note: str,
                     at: dt.datetime | None = None) -> Obligation:
    ob = _lock(obligation)
    _allowed(actor, ob, permissions.can_review,
             _("Chỉ người có quyền phê duyệt của {name} mới xử lý được việc này.").format(
                 name=ob.owed_to_unit.name))
    if ob.status in (ObligationStatus.ACCEPTED, ObligationStatus.WAIVED):
        raise HubError(_(
            "Việc này đã “{get_status_display}”: không miễn được nữa."
        ).format(get_status_display=ob.get_status_display()))
    note = _clean_text(note, field="note", label=_("Lý do miễn"), max_length=2000)
    _review(ob, actor, note, ObligationStatus.WAIVED, _now(at))
    return ob


# -- notifications and reminders (HUB-3) ----------------------------------------------------------


def _notify(ob: Obligation, *, kind: str, key: str, message: str,
            on: dt.date) -> list[Notification]:
    """Create the notice for each responsible user unless it exists; returns the new ones."""
    users = selectors.responsible_users(obligations=[ob], on=on)[ob.pk]
    created: list[Notification] = []
    for user in users:
        try:
            with transaction.atomic():
                n = Notification.objects.create(
                    user=user, obligation=ob, kind=kind, dedupe_key=f"{ob.pk}:{key}",
                    message=message, email_to=getattr(user, "email", "") or "",
                )
        except IntegrityError:
            continue  # sent before: the unique key keeps a re-run silent
        created.append(n)
    return created


def _message(ob: Obligation, kind: str, on: dt.date, days_left: int = 0) -> str:
    due = format_date(ob.due_on)
    if kind == NotificationKind.LATE:
        return _(
            "Quá hạn {days} ngày: “{title}” (hạn {due})."
        ).format(days=(on - ob.due_on).days, title=ob.title, due=due)
    if kind == NotificationKind.REMINDER:
        return _(
            "{name} nhắc: “{title}” (hạn {due})."
        ).format(name=ob.owed_to_unit.name, title=ob.title, due=due)
    if days_left == 0:
        return _("Hôm nay là hạn: “{title}” (hạn {due}).").format(title=ob.title, due=due)
    return _(
        "Còn {days_left} ngày đến hạn: “{title}” (hạn {due})."
    ).format(days_left=days_left, title=ob.title, due=due)


_SUBJECT: dict[str, Promise] = {
    NotificationKind.BEFORE_DUE: _lazy("Sắp đến hạn"),
    NotificationKind.LATE: _lazy("Quá hạn"),
    NotificationKind.REMINDER: _lazy("Nhắc việc"),
    NotificationKind.RETURNED: _lazy("Bị trả lại"),
}


def _email(n: Notification) -> EmailMessage:
    ob = n.obligation
    assert ob is not None
    link = conf.site_url() + reverse("hub:obligation_detail", args=[ob.pk])
    who = ob.owed_by_unit.name + (f" – {ob.owed_by_department.name}"
                                  if ob.owed_by_department else "")
    to = ob.owed_to_unit.name + (f" – {ob.owed_to_department.name}"
                                 if ob.owed_to_department else "")
    body = "\n".join([
        _("Kính gửi đồng chí {user},").format(user=n.user),
        "",
        n.message,
        "",
        _("Việc: {title}").format(title=ob.title),
        _("Đơn vị thực hiện: {who}").format(who=who),
        _("Nộp cho: {to}").format(to=to),
        _(
            "Hạn: {format_date} ({due_text})"
        ).format(format_date=format_date(ob.due_on), due_text=ob.due_text),
        *([_(
            "Căn cứ: {source_label}"
        ).format(source_label=ob.source_label)] if ob.source_label else []),
        "",
        _("Xem và nộp tại: {link}").format(link=link),
        "",
        _("Thư này do hệ thống Đoàn Vụ gửi tự động."),
    ])
    label = _SUBJECT.get(n.kind, _("Thông báo"))
    return EmailMessage(
        subject=_(
            "[Đoàn Vụ] {label}: {title} (hạn {format_date})"
        ).format(label=label, title=ob.title, format_date=format_date(ob.due_on)),
        body=body, to=[n.email_to],
    )


def send_pending_emails() -> int:
    """Mail every notice that has an address and was not mailed yet; mark it mailed.

    Runs outside the transaction that created the notices, so a rolled-back notice is never
    mailed, and a crash between sending and marking resends at most that batch.
    """
    pending = list(
        Notification.objects.filter(emailed_at__isnull=True, obligation__isnull=False)
        .exclude(email_to="")
        .select_related("user", "obligation__owed_by_unit", "obligation__owed_to_unit",
                        "obligation__owed_by_department", "obligation__owed_to_department")
        .order_by("pk")
    )
    if not pending:
        return 0
    with get_connection() as connection:
        sent = 0
        for n in pending:
            connection.send_messages([_email(n)])
            Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


@dataclass(frozen=True)
class ReminderRun:
    notices: int
    emails: int


def _remind_days_for(ob: Obligation) -> tuple[int, ...]:
    if ob.policy is not None and ob.policy.remind_days:
        return tuple(sorted({int(d) for d in ob.policy.remind_days}, reverse=True))
    return conf.remind_days()


REMINDER_BATCH = 500


def _due_notice(ob: Obligation, day: dt.date) -> tuple[str, str] | None:
    """The notice an open obligation calls for on `day`, as (kind, key), or None."""
    days_left = (ob.due_on - day).days
    if days_left < 0:
        return NotificationKind.LATE, f"late:{ob.due_on:%Y%m%d}"
    windows = [n for n in _remind_days_for(ob) if days_left <= n]
    if not windows:
        return None
    # the tightest window reached: a missed run does not make two notices on one day
    return NotificationKind.BEFORE_DUE, f"before:{ob.due_on:%Y%m%d}:{min(windows)}"


def reminders_send(*, on: dt.date | None = None) -> ReminderRun:
    """HUB-3: notices N days before due (N from the policy, else the setting) and on lateness,
    then e-mail. Idempotent: each notice has a key (obligation, kind, due date, N) unique per
    user, so a second run on the same day, or a concurrent one, creates and mails nothing.

    Works in batches: a few queries per batch of obligations, whatever their number.
    """
    day = on or today()
    horizon = max((max(conf.remind_days(), default=0), *_policy_horizons()), default=0)
    candidates = (
        Obligation.objects.filter(status__in=OPEN_STATUSES,
                                  due_on__lte=day + dt.timedelta(days=horizon))
        .select_related("owed_by_unit", "owed_to_unit", "owed_by_user", "policy")
        .order_by("due_on", "pk")
    )
    notices = 0
    batch: list[Obligation] = []
    for ob in candidates.iterator(chunk_size=REMINDER_BATCH):
        batch.append(ob)
        if len(batch) == REMINDER_BATCH:
            notices += _notify_batch(batch, day)
            batch = []
    if batch:
        notices += _notify_batch(batch, day)
    emails = send_pending_emails()
    return ReminderRun(notices=notices, emails=emails)


@transaction.atomic
def _notify_batch(obligations: list[Obligation], day: dt.date) -> int:
    wanted: list[tuple[Obligation, str, str]] = []
    for ob in obligations:
        notice = _due_notice(ob, day)
        if notice is not None:
            wanted.append((ob, *notice))
    if not wanted:
        return 0
    users = selectors.responsible_users(obligations=[ob for ob, _rule, _key in wanted], on=day)
    keys = [f"{ob.pk}:{key}" for ob, _rule, key in wanted]
    existing = set(Notification.objects.filter(dedupe_key__in=keys)
                   .values_list("user_id", "dedupe_key"))
    new: list[Notification] = []
    for ob, kind, key in wanted:
        dedupe = f"{ob.pk}:{key}"
        message = _message(ob, kind, day, (ob.due_on - day).days)
        for user in users[ob.pk]:
            if (user.pk, dedupe) in existing:
                continue
            new.append(Notification(user=user, obligation=ob, kind=kind, dedupe_key=dedupe,
                                    message=message, email_to=user.email or ""))
    # a concurrent run may have made some of these since: the unique key drops them
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _policy_horizons() -> list[int]:
    out: list[int] = []
    for days in DeadlinePolicy.objects.values_list("remind_days", flat=True):
        out.extend(int(d) for d in days or ())
    return out


def obligation_remind(*, actor: Actor | None, obligation: Obligation,
                      on: dt.date | None = None) -> int:
    """A one-click reminder from the owed-to side: at most one per obligation per day."""
    day = on or today()
    with transaction.atomic():
        ob = _lock(obligation)
        _allowed(actor, ob, permissions.can_remind,
                 _("Chỉ {name} mới nhắc được việc này.").format(name=ob.owed_to_unit.name))
        if ob.status not in OPEN_STATUSES:
            raise HubError(_("Việc này đã nộp hoặc được miễn: không cần nhắc."))
        if ob.reminded_on == day:
            raise HubError(_(
                "Đã nhắc việc này hôm nay ({format_date}); mỗi ngày chỉ nhắc một lần."
            ).format(format_date=format_date(day)))
        created = _notify(ob, kind=NotificationKind.REMINDER, key=f"remind:{day:%Y%m%d}",
                          message=_message(ob, NotificationKind.REMINDER, day), on=day)
        if not created:
            raise HubError(_(
                "{name} chưa có ai được phân quyền cập nhật để nhận lời nhắc."
            ).format(name=ob.owed_by_unit.name))
        ob.reminded_on = day
        ob.save(update_fields=["reminded_on"])
    send_pending_emails()
    return len(created)


@transaction.atomic
def notification_mark_read(*, user: Actor, notification: Notification | None = None) -> int:
    qs = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    if notification is not None:
        qs = qs.filter(pk=notification.pk)
    return qs.update(read_at=timezone.now())


# -- calendar (HUB-4) -----------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_regenerate(*, user: object) -> CalendarFeed:
    """A new secret token; the old feed address stops working at once."""
    token = secrets.token_urlsafe(32)
    feed, _created = CalendarFeed.objects.update_or_create(user=user, defaults={"token": token})
    return feed


@transaction.atomic
def calendar_entry_create(*, unit: Unit, title: str, kind: str, start: dt.datetime,
                          end: dt.datetime | None = None, all_day: bool = False,
                          location: str = "", source: models.Model | None = None,
                          source_label: str = "") -> CalendarEntry:
    title = _clean_text(title, field="title", label=_("Nội dung lịch"))
    if kind not in CalendarEntryKind.values:
        raise HubError(_("Loại lịch “{kind}” không có.").format(kind=kind), field="kind")
    if timezone.is_naive(start) or (end is not None and timezone.is_naive(end)):
        raise HubError(_("Thời gian của lịch phải có múi giờ."), field="start")
    if end is not None and end < start:
        raise HubError(_("Thời gian kết thúc phải sau thời gian bắt đầu."), field="end")
    return CalendarEntry.objects.create(
        unit=unit, title=title, kind=kind, start=start, end=end, all_day=all_day,
        location=nfc(location)[:255], source_label=nfc(source_label)[:255],
        **_source_fields(source),
    )


@transaction.atomic
def calendar_entry_update(*, entry: CalendarEntry, title: str | None = None,
                          start: dt.datetime | None = None, end: dt.datetime | None = None,
                          location: str | None = None) -> CalendarEntry:
    fields: list[str] = []
    if title is not None:
        entry.title = _clean_text(title, field="title", label=_("Nội dung lịch"))
        fields.append("title")
    if start is not None:
        entry.start = start
        fields.append("start")
    if end is not None:
        entry.end = end
        fields.append("end")
    if location is not None:
        entry.location = nfc(location)[:255]
        fields.append("location")
    if entry.end is not None and entry.end < entry.start:
        raise HubError(_("Thời gian kết thúc phải sau thời gian bắt đầu."), field="end")
    if fields:
        entry.save(update_fields=fields)
    return entry


@transaction.atomic
def calendar_entries_delete_for(*, source: models.Model) -> int:
    """Remove the entries a module wrote for one of its objects (a cancelled inspection)."""
    from django.contrib.contenttypes.models import ContentType

    deleted, _by_model = CalendarEntry.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).delete()
    return deleted
