"""Logging a visit, its report, cost and files (FV-2, FV-6, FV-9): every write of a `Visit`.

- `visit_log`: a cadre (or a writer of the cadre's governing unit) records a visit made from the
  cadre's agency: distinct calendar days from–to, the units visited (each inside the agency's
  subtree), the kind (one the policy lets the cadre choose, or an assigned one the quarter's plan
  assigned them), whether it was merely on a lower unit's invitation (recorded, never counted),
  the travel order, what was done, the cost and the photos/files. Each visit owes its report to
  Ban Tổ chức – Kiểm tra of the agency (a hub obligation due `rules.report_due`).
- `visit_report`: files the report; late after the due day (flagged, it counts from its date);
  the obligation is delivered.
- `visit_update` / `visit_delete`: corrections before the report.

A resend from a phone carries the same `client_key` (a UUID the page made): the visit already
made is returned, never a second one — also when two sends race (the unique constraint decides).
Refused, with nothing written: an end before the start, a visit in the future, days of an
exempting leave, a unit outside the agency, a kind the cadre may not choose, a year already
closed (the policy's `year_closes_month`/`year_closes_day` of the next year), photos that are
not images, files over the hub's upload limit.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.accounts.models import User
from doanvu.accounts.scope import Scope
from doanvu.audit.context import acting
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.text import checked_text
from doanvu.common.typing import Actor
from doanvu.hub import conf as hub_conf
from doanvu.hub import rules as hub_rules
from doanvu.hub import services as hub_services
from doanvu.hub.models import OPEN_STATUSES, ObligationStatus
from doanvu.members import api as members_api
from doanvu.org.models import Person, Position, Unit

from . import permissions, rules
from .compliance import SYSTEM, status_spans
from .models import FieldVisitPolicy, PlannedVisit, Visit, VisitFile, VisitKind
from .selectors import organisation_department, policy_for

REPORT_KIND = "fv.visit_report"
MAX_COST = Decimal("999999999999")
# whole đồng, thousands grouped by "." (Vietnamese), "," or a space, or not at all
AMOUNT = re.compile(r"^(?:\d+|\d{1,3}(?:[.,\s]\d{3})+)$")


class VisitError(ApplicationError):
    """A visit, its report or its files refused (the message names the field)."""


class VisitPermissionError(VisitError):
    """The acting user may not log or change this cadre's visits."""


# -- reading what a visit needs --------------------------------------------------------------

def _post(person: Person, day: dt.date) -> Position:
    post = permissions.governing_post(person, on=day)
    if post is None:
        raise VisitError(_("{name} chưa có chức vụ ở cơ quan Đoàn vào ngày {day}: không ghi "
                           "được chuyến đi.").format(name=person.full_name,
                                                     day=format_date(day)),
                         field="start_date")
    return post


def _policy(unit: Unit, day: dt.date) -> FieldVisitPolicy:
    policy = policy_for(unit=unit, day=day)
    if policy is None:
        raise VisitError(_("Chưa có chế độ đi cơ sở áp dụng cho {name} vào ngày {day}.").format(
            name=unit.name, day=format_date(day)), field="start_date")
    return policy


def closes_on(policy: FieldVisitPolicy, year: int) -> dt.date:
    return rules.year_closes_on(year, month=policy.year_closes_month,
                                day=policy.year_closes_day)


def _check_open(policy: FieldVisitPolicy, end: dt.date, *, field: str, what: str) -> None:
    day = closes_on(policy, end.year)
    if today() > day:
        raise VisitError(_("Số liệu đi cơ sở năm {year} đã khóa từ sau ngày {day}: không {what} "
                           "được nữa.").format(year=end.year, day=format_date(day), what=what),
                         field=field)


def _check_dates(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    if start is None:
        raise VisitError(_("Hãy ghi ngày bắt đầu chuyến đi."), field="start_date")
    if end is None:
        end = start
    if end < start:
        raise VisitError(_("Ngày kết thúc ({end}) trước ngày bắt đầu ({start}).").format(
            end=format_date(end), start=format_date(start)), field="end_date")
    now = today()
    if end > now:
        raise VisitError(_("Chuyến đi chưa diễn ra: ngày kết thúc {end} sau hôm nay ({now}). "
                           "Chỉ ghi chuyến đi đã đi.").format(end=format_date(end),
                                                             now=format_date(now)),
                         field="end_date")
    if (end - start).days > 366:
        raise VisitError(_("Một chuyến đi không dài quá một năm."), field="end_date")
    return start, end


def _check_leave(regime: rules.RegimePolicy, person: Person, start: dt.date,
                 end: dt.date) -> None:
    """Refuse days of a status that exempts the cadre (maternity leave, a long secondment…)."""
    for year in range(start.year, end.year + 1):
        rows = members_api.cadre_statuses(scope=SYSTEM, person_ids=[person.pk], year=year)
        for span in rules.exempting_spans(regime, status_spans(rows.get(person.pk, [])), year):
            stop = span.end or span.start
            if span.start <= end and start <= stop:
                raise VisitError(_("Chuyến đi trùng thời gian {status} của cán bộ "
                                   "({start}–{end}): những ngày này không ghi chuyến đi.").format(
                    status=span.label.lower(), start=format_date(span.start),
                    end=format_date(stop)), field="start_date")


def _check_places(places: Sequence[Unit], agency: Unit) -> list[Unit]:
    if not places:
        raise VisitError(_("Hãy chọn ít nhất một đơn vị đã đến."), field="places")
    out: list[Unit] = []
    for p in places:
        if p.pk == agency.pk or not p.path.startswith(agency.path):
            raise VisitError(_("{name} không thuộc địa bàn của {agency}: chỉ ghi đơn vị cấp "
                               "dưới của {agency}.").format(name=p.name, agency=agency.name),
                             field="places")
        if p not in out:
            out.append(p)
    return out


def _check_kind(policy: FieldVisitPolicy, person: Person, kind: str,
                start: dt.date) -> PlannedVisit | None:
    """The planned visit an assigned kind rests on (None for a kind the cadre chooses)."""
    if kind not in VisitKind.values:
        raise VisitError(_("Hãy chọn nội dung chuyến đi trong danh sách."), field="kind")
    label = VisitKind(kind).label
    if kind in (policy.chosen_kinds or []):
        return None
    if kind in (policy.assigned_kinds or []):
        q = rules.quarter_of(start)
        q_start, q_end = rules.quarter_bounds(start.year, q)
        planned = (PlannedVisit.objects.filter(person=person, kind=kind, assigned=True,
                                               start_date__lte=q_end, end_date__gte=q_start)
                   .order_by("start_date", "id").first())
        if planned is None:
            raise VisitError(_("Nội dung “{kind}” do Thường trực phân công: quý {q}/{y} chưa có "
                               "phân công nào cho cán bộ này, nên không tự ghi được.").format(
                kind=label, q=q, y=start.year), field="kind")
        return planned
    raise VisitError(_("Nội dung “{kind}” không thuộc các nội dung đi cơ sở của chế độ "
                       "“{policy}”.").format(kind=label, policy=policy.name), field="kind")


def _check_cost(cost: Decimal | int | str | None) -> Decimal:
    if cost in (None, ""):
        return Decimal(0)
    if isinstance(cost, str):
        text = cost.strip()
        if not AMOUNT.match(text):
            raise VisitError(_("Công tác phí phải là một số tiền (đồng), ví dụ 150.000."),
                             field="cost")
        cost = re.sub(r"[.,\s]", "", text)
    try:
        value = Decimal(str(cost))
    except InvalidOperation:
        raise VisitError(_("Công tác phí phải là một số tiền (đồng), ví dụ 150.000."),
                         field="cost") from None
    if not value.is_finite() or value < 0 or value > MAX_COST or value != value.to_integral():
        raise VisitError(_("Công tác phí phải là số đồng từ 0 đến 999.999.999.999."),
                         field="cost")
    return value


# -- files ------------------------------------------------------------------------------------

IMAGE_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (8, b"WEBP", "image/webp"),
    (4, b"ftypheic", "image/heic"),
    (4, b"ftypheix", "image/heic"),
    (4, b"ftypmif1", "image/heif"),
)


def image_type(head: bytes) -> str:
    """The image type the first bytes show ('' when they are not an image we take)."""
    for offset, magic, kind in IMAGE_SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            if kind == "image/webp" and not head.startswith(b"RIFF"):
                continue
            return kind
    return ""


def _head(f: UploadedFile) -> bytes:
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    return head if isinstance(head, bytes) else b""


def _check_files(photos: Sequence[UploadedFile], files: Sequence[UploadedFile]
                 ) -> list[tuple[UploadedFile, bool, str]]:
    """(upload, is_photo, content type) of each file, or the refusal naming the file."""
    limit = hub_conf.upload_max_bytes()
    if len(photos) + len(files) > hub_conf.upload_max_files() * 2:
        raise VisitError(_("Mỗi lần gửi tối đa {n} tệp.").format(
            n=hub_conf.upload_max_files() * 2), field="photos")
    out = []
    for f in photos:
        name = f.name or ""
        if not f.size:
            raise VisitError(_("Ảnh “{name}” rỗng.").format(name=name), field="photos")
        if f.size > limit:
            raise VisitError(_("Ảnh “{name}” ({size}) vượt quá giới hạn {limit} cho mỗi tệp.")
                             .format(name=name, size=hub_services.format_size(f.size),
                                     limit=hub_services.format_size(limit)), field="photos")
        kind = image_type(_head(f))
        if not kind:
            raise VisitError(_("Tệp “{name}” không phải là ảnh (chỉ nhận ảnh JPEG, PNG, GIF, "
                               "WebP, HEIC).").format(name=name), field="photos")
        out.append((f, True, kind))
    for f in files:
        try:
            hub_services.check_upload(name=f.name or "", size=f.size)
        except hub_services.UploadRefused as exc:
            raise VisitError(str(exc), field="attachments") from None
        if not f.size:
            raise VisitError(_("Tệp “{name}” rỗng.").format(name=f.name), field="attachments")
        seen = image_type(_head(f))
        # the type the content shows, else the name's: never what the browser claimed
        guessed = seen or mimetypes.guess_type(f.name or "")[0] or "application/octet-stream"
        out.append((f, bool(seen), guessed[:100]))
    return out


def _store_files(visit: Visit, checked: list[tuple[UploadedFile, bool, str]],
                 actor: Actor | None) -> None:
    for f, is_photo, kind in checked:
        with acting(actor):
            VisitFile.objects.create(visit=visit, file=f, name=(f.name or "")[:255],
                                     content_type=kind, size=f.size or 0, is_photo=is_photo)


# -- the obligation of the report --------------------------------------------------------------

def _obligation_key(visit: Visit) -> str:
    return f"fv:visit:{visit.pk}"


def _owe_report(visit: Visit, policy: FieldVisitPolicy) -> None:
    """The visit's report owed by the cadre's department (or unit) to Ban Tổ chức – Kiểm tra."""
    unit = visit.unit
    to_department = organisation_department(unit)
    by_department = visit.department
    user = visit.person.user if visit.person.user_id else None
    if (by_department is not None and to_department is not None
            and by_department.unit_id != unit.pk):
        by_department = None
    if (getattr(by_department, "pk", None) == getattr(to_department, "pk", None)
            and user is None) or unit.dissolved_on is not None:
        return  # nobody distinct owes it (the system never invents a debtor)
    rule = hub_rules.DueRule.after(int(policy.report_days), "visit_end",
                                   _("kết thúc chuyến đi"))
    ob = hub_services.obligation_create(
        actor=None, kind=REPORT_KIND, kind_label=_("Báo cáo kết quả đợt đi cơ sở"),
        title=_("Báo cáo chuyến đi cơ sở {start}–{end}: {name}").format(
            start=format_date(visit.start_date), end=format_date(visit.end_date),
            name=visit.person.full_name)[:255],
        owed_by_unit=unit, owed_by_department=by_department, owed_by_user=user,
        owed_to_unit=unit, owed_to_department=to_department, rule=rule,
        events={"visit_end": visit.end_date}, source=visit, source_label=str(visit)[:255],
        key=_obligation_key(visit))
    visit.obligation = ob
    visit.save(update_fields=["obligation"])


# -- services ---------------------------------------------------------------------------------

def _require(scope: Scope, person: Person) -> None:
    if not permissions.can_log_for(scope, person):
        raise VisitPermissionError(_("Bạn không ghi được chuyến đi cơ sở của cán bộ này."))


def _parse_key(client_key: uuid.UUID | str | None) -> uuid.UUID:
    if client_key in (None, ""):
        return uuid.uuid4()
    try:
        return client_key if isinstance(client_key, uuid.UUID) else uuid.UUID(str(client_key))
    except ValueError:
        raise VisitError(_("Mã gửi của chuyến đi không hợp lệ: hãy mở lại trang ghi chuyến đi."),
                         field="client_key") from None


@transaction.atomic
def visit_log(*, actor: Actor | None, scope: Scope, person: Person, start_date: dt.date | None,
              end_date: dt.date | None, places: Sequence[Unit], kind: str,
              invitation_only: bool = False, travel_order: str = "", activities: str = "",
              cost: Decimal | int | str | None = 0, photos: Sequence[UploadedFile] = (),
              files: Sequence[UploadedFile] = (),
              client_key: uuid.UUID | str | None = None) -> Visit:
    """Record a visit the cadre made; the same `client_key` again returns the visit made."""
    _require(scope, person)
    key = _parse_key(client_key)
    existing = by_key(key)
    if existing is not None:
        return _same_person(existing, person)
    start, end = _check_dates(start_date, end_date)
    post = _post(person, start)
    agency = post.unit
    policy = _policy(agency, start)
    _check_open(policy, end, field="end_date", what=_("ghi chuyến đi"))
    regime = rules.RegimePolicy.of(policy)
    _check_leave(regime, person, start, end)
    units = _check_places(places, agency)
    planned = _check_kind(policy, person, kind, start)
    order = checked_text(travel_order, field="travel_order",
                         label=_("giấy đi đường / quyết định cử"), max_length=120,
                         error=VisitError)
    done = checked_text(activities, field="activities", label=_("nội dung đã làm"),
                        max_length=5000, error=VisitError)
    money = _check_cost(cost)
    checked = _check_files(photos, files)
    visit = Visit(person=person, unit=agency, department=post.department, kind=kind,
                  start_date=start, end_date=end, invitation_only=bool(invitation_only),
                  travel_order=order, activities=done, cost=money, planned=planned,
                  client_key=key, report_due=rules.report_due(regime, end),
                  created_by=actor if isinstance(actor, User) and actor.pk else None)
    try:
        with transaction.atomic(), acting(actor):
            visit.save()
    except IntegrityError:
        # the same key sent twice at once: the other send made it
        raced = by_key(key)
        if raced is None:
            raise
        return _same_person(raced, person)
    visit.places.set(units)
    _store_files(visit, checked, actor)
    _owe_report(visit, policy)
    return visit


def by_key(key: uuid.UUID) -> Visit | None:
    """The visit a key already made (a resend from the phone)."""
    return Visit.objects.filter(client_key=key).first()


def _same_person(visit: Visit, person: Person) -> Visit:
    if visit.person_id != person.pk:
        raise VisitError(_("Mã gửi này đã dùng cho một chuyến đi khác: hãy mở lại trang ghi "
                           "chuyến đi."), field="client_key")
    return visit


def _lock(visit: Visit) -> Visit:
    return (Visit.objects.select_for_update(of=("self",))
            .select_related("person", "unit", "department").get(pk=visit.pk))


@transaction.atomic
def visit_update(*, actor: Actor | None, scope: Scope, visit: Visit, start_date: dt.date | None,
                 end_date: dt.date | None, places: Sequence[Unit], kind: str,
                 invitation_only: bool = False, travel_order: str = "", activities: str = "",
                 cost: Decimal | int | str | None = 0, photos: Sequence[UploadedFile] = (),
                 files: Sequence[UploadedFile] = ()) -> Visit:
    """Correct a visit before its report (its agency stays the one it was made from)."""
    visit = _lock(visit)
    _require(scope, visit.person)
    if visit.reported_on is not None:
        raise VisitError(_("Chuyến đi đã có báo cáo: không sửa được nữa."))
    start, end = _check_dates(start_date, end_date)
    policy = _policy(visit.unit, start)
    _check_open(policy, end, field="end_date", what=_("sửa chuyến đi"))
    regime = rules.RegimePolicy.of(policy)
    _check_leave(regime, visit.person, start, end)
    units = _check_places(places, visit.unit)
    planned = _check_kind(policy, visit.person, kind, start)
    visit.travel_order = checked_text(travel_order, field="travel_order",
                                      label=_("giấy đi đường / quyết định cử"), max_length=120,
                                      error=VisitError)
    visit.activities = checked_text(activities, field="activities",
                                    label=_("nội dung đã làm"), max_length=5000,
                                    error=VisitError)
    visit.cost = _check_cost(cost)
    checked = _check_files(photos, files)
    moved = visit.end_date != end
    visit.start_date, visit.end_date, visit.kind, visit.planned = start, end, kind, planned
    visit.invitation_only = bool(invitation_only)
    visit.report_due = rules.report_due(regime, end)
    with acting(actor):
        visit.save()
    visit.places.set(units)
    _store_files(visit, checked, actor)
    if moved and visit.obligation is not None and visit.obligation.status in OPEN_STATUSES:
        hub_services.obligation_reschedule(actor=None, obligation=visit.obligation,
                                           events={"visit_end": end})
    return visit


@transaction.atomic
def visit_delete(*, actor: Actor | None, scope: Scope, visit: Visit) -> None:
    """Delete a visit logged by mistake (before its report); its obligation is waived."""
    visit = _lock(visit)
    _require(scope, visit.person)
    if visit.reported_on is not None:
        raise VisitError(_("Chuyến đi đã có báo cáo: không xóa được."))
    ob = visit.obligation
    if ob is not None and ob.status not in (ObligationStatus.ACCEPTED, ObligationStatus.WAIVED):
        hub_services.obligation_waive(actor=None, obligation=ob,
                                      note=_("Chuyến đi đã được xóa (ghi nhầm)."))
    for f in visit.files.all().order_by("pk"):
        with acting(actor):
            f.delete()
    with acting(actor):
        visit.delete()


@transaction.atomic
def visit_file_delete(*, actor: Actor | None, scope: Scope, file: VisitFile) -> None:
    visit = _lock(file.visit)
    _require(scope, visit.person)
    if visit.reported_on is not None:
        raise VisitError(_("Chuyến đi đã có báo cáo: không xóa tệp được nữa."))
    with acting(actor):
        file.delete()


@transaction.atomic
def visit_report(*, actor: Actor | None, scope: Scope, visit: Visit, report: str,
                 proposals: str = "", on: dt.date | None = None) -> Visit:
    """File the visit's report: it counts from `on` (today), flagged late after the due day,
    and the report's obligation is delivered."""
    visit = _lock(visit)
    _require(scope, visit.person)
    if visit.reported_on is not None:
        raise VisitError(_("Chuyến đi đã có báo cáo ngày {day}.").format(
            day=format_date(visit.reported_on)), field="report")
    day = on or today()
    if day < visit.end_date:
        raise VisitError(_("Chỉ báo cáo sau khi chuyến đi kết thúc ({end}).").format(
            end=format_date(visit.end_date)), field="report")
    policy = _policy(visit.unit, visit.start_date)
    _check_open(policy, visit.end_date, field="report", what=_("báo cáo chuyến đi"))
    text = checked_text(report, field="report", label=_("kết quả chuyến đi"),
                        max_length=10000, required=True, error=VisitError)
    more = checked_text(proposals, field="proposals", label=_("đề xuất, kiến nghị"),
                        max_length=5000, error=VisitError)
    due = visit.report_due or rules.report_due(rules.RegimePolicy.of(policy), visit.end_date)
    visit.report, visit.proposals, visit.reported_on = text, more, day
    visit.report_due, visit.report_late = due, day > due
    with acting(actor):
        visit.save(update_fields=["report", "proposals", "reported_on", "report_due",
                                  "report_late"])
    ob = visit.obligation
    if ob is not None and ob.status in OPEN_STATUSES:
        body = text if not more else f"{text}\n\n{_('Đề xuất, kiến nghị')}: {more}"
        at = None if on is None else timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        hub_services.obligation_submit(actor=None, obligation=ob, text=body[:20000], at=at)
    return visit
