"""What is owed after an inspection (INS-7, INS-8), every write as a hub obligation:

- each team member's reflection (bài thu hoạch) to the head, `reflection_days` after the
  session;
- the supervising department's compilation of the unit's problems (tổng hợp vấn đề của đơn
  vị), `unit_compilation_days` after the session, sent through the inspection department;
- the inspection department's compilation of the round, `round_compilation_days` after the
  round ends, to the Standing;
- recommendations (kiến nghị, đề xuất) raised at the round's cluster meeting: each department
  compiles its own `recommendation_department_days` after the round ends, the Office all of
  them `recommendation_office_days` after it.

The days live in `InspectionPolicy` (the one in force for the plan's issuer on the day of the
event). The triggers: `session_held` (the team's secretary or head, or the issuing unit, marks
the session held) and `rounds_ended` (a daily job, `manage.py create_inspection_followups`).
Every obligation has a hub key, so running either again creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.accounts.models import User
from doanvu.audit.context import acting
from doanvu.common.dates import format_date, today
from doanvu.common.errors import ApplicationError
from doanvu.common.typing import Actor
from doanvu.hub import rules as hub_rules
from doanvu.hub import services as hub_services
from doanvu.hub.models import Obligation
from doanvu.org.models import Cluster, Department, DepartmentCategory, Position, Supervision, Unit

from . import permissions
from .models import InspectionPolicy, Recommendation, Round, Session, SessionStatus, TeamRole
from .services import InspectionError, _long, _policy, _require

REFLECTION_KIND = "ins.reflection"
UNIT_COMPILATION_KIND = "ins.unit_compilation"
ROUND_COMPILATION_KIND = "ins.round_compilation"
RECOMMENDATION_DEPARTMENT_KIND = "ins.recommendations_department"
RECOMMENDATION_OFFICE_KIND = "ins.recommendations_office"


def reflection_key(session: Session, person_id: int) -> str:
    return f"ins:session:{session.pk}:reflection:{person_id}"


def unit_compilation_key(session: Session) -> str:
    return f"ins:session:{session.pk}:unit-compilation"


def round_compilation_key(round_: Round) -> str:
    return f"ins:round:{round_.pk}:compilation"


def recommendation_department_key(round_: Round, department_id: int) -> str:
    return f"ins:round:{round_.pk}:recommendations:{department_id}"


def recommendation_office_key(round_: Round) -> str:
    return f"ins:round:{round_.pk}:recommendations:office"


# -- who compiles -------------------------------------------------------------------------------


def _open_on(day: dt.date, start: str = "start_date", end: str = "end_date") -> Q:
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": day})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def supervising_department(*, issuer: Unit, unit: Unit, day: dt.date) -> Department | None:
    """The department of `issuer` that supervises `unit` on `day` (ORG-7 phân công phụ trách a
    department; else the standing department of an issuer's cluster the unit belongs to — the
    ban thường trực Cụm of seed 000, the standing department of a sector group in seed 001)."""
    sup = (Supervision.objects.filter(_open_on(day), assigning_unit=issuer, supervised_unit=unit,
                                      department__isnull=False)
           .select_related("department").order_by("-start_date", "pk").first())
    if sup is not None:
        return sup.department
    clusters = (Cluster.objects.filter(_open_on(day, "valid_from", "valid_to"), owner=issuer,
                                       members=unit, standing_department__isnull=False)
                .select_related("standing_department").order_by("kind", "pk"))
    first = clusters.first()
    return first.standing_department if first is not None else None


def _department_of(issuer: Unit, explicit: Department | None, category: str) -> Department | None:
    """The policy's department when it is the issuer's own (a policy inherited from an upper
    unit names that unit's departments), else the issuer's department of `category`."""
    if explicit is not None and explicit.unit_id == issuer.pk:
        return explicit
    return (Department.objects.filter(unit=issuer, category=category, valid_to__isnull=True)
            .order_by("pk").first())


def inspection_department(*, issuer: Unit, policy: InspectionPolicy) -> Department | None:
    """The department compiling a round: the policy's, else the issuer's Ban Kiểm tra."""
    return _department_of(issuer, policy.inspection_department, DepartmentCategory.INSPECTION)


def office_department(*, issuer: Unit, policy: InspectionPolicy) -> Department | None:
    """The department compiling all recommendations: the policy's, else the issuer's Office."""
    return _department_of(issuer, policy.office_department, DepartmentCategory.OFFICE)


def _through(owed_by: Department | None, to: Department | None) -> Department | None:
    """A department does not send to itself: it reports to the Standing then."""
    return None if to is None or (owed_by is not None and owed_by.pk == to.pk) else to


# -- after a session (INS-7) --------------------------------------------------------------------


@dataclass
class Followups:
    created: list[Obligation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _rule(days: int, event: str, label: str) -> hub_rules.DueRule:
    return hub_rules.DueRule.after(days, event, label)


def _member_department(person_id: int, issuer: Unit, day: dt.date) -> Department | None:
    post = (Position.objects.filter(_open_on(day), person_id=person_id, unit=issuer,
                                    department__isnull=False)
            .select_related("department").order_by("start_date", "pk").first())
    return post.department if post is not None else None


def _ensure(created: list[Obligation], key: str, **kwargs: object) -> Obligation:
    exists = Obligation.objects.filter(key=key).first()
    if exists is not None:
        return exists
    ob = hub_services.obligation_create(actor=None, key=key, **kwargs)  # type: ignore[arg-type]
    created.append(ob)
    return ob


def session_followups(session: Session) -> Followups:
    """Create (again: only what is missing) what a held session owes: each member's reflection
    (not the head's: it is written to the head) and the supervising department's compilation."""
    out = Followups()
    if session.held_on is None:
        return out
    round_ = session.team.round
    issuer = round_.plan.issuing_unit
    if issuer.dissolved_on is not None:
        return out
    policy = _policy(issuer, session.held_on)
    events = {"session": session.held_on}
    label = _("buổi kiểm tra")
    members = (session.team.members.exclude(role=TeamRole.HEAD)
               .select_related("person__user").order_by("order", "pk"))
    for m in members:
        account = m.person.user
        user: User | None = account if account is not None and account.is_active else None
        department = None if user else _member_department(m.person_id, issuer, session.held_on)
        if user is None and department is None:
            out.notes.append(_("{name} chưa có tài khoản và không công tác tại một ban của {unit}: "
                               "chưa giao được việc nộp bài thu hoạch.").format(
                                   name=m.person.full_name, unit=issuer.name))
            continue
        _ensure(out.created, reflection_key(session, m.person_id),
                kind=REFLECTION_KIND, kind_label=_("Bài thu hoạch sau kiểm tra"),
                title=_("Bài thu hoạch của {name}: kiểm tra {unit} ngày {day}").format(
                    name=m.person.full_name, unit=session.unit.name,
                    day=format_date(session.date))[:255],
                owed_by_unit=issuer, owed_by_user=user, owed_by_department=department,
                owed_to_unit=issuer, rule=_rule(policy.reflection_days, "session", label),
                events=events, source=session, source_label=round_.title[:255])
    department = supervising_department(issuer=issuer, unit=session.unit, day=session.held_on)
    if department is None:
        out.notes.append(_("Chưa có ban phụ trách {unit} (phân công phụ trách hoặc ban thường "
                           "trực cụm): chưa giao được việc tổng hợp vấn đề của đơn vị.").format(
                               unit=session.unit.name))
        return out
    _ensure(out.created, unit_compilation_key(session),
            kind=UNIT_COMPILATION_KIND, kind_label=_("Tổng hợp vấn đề của đơn vị sau kiểm tra"),
            title=_("Tổng hợp hạn chế, vướng mắc của {unit} sau kiểm tra ngày {day}").format(
                unit=session.unit.name, day=format_date(session.date))[:255],
            owed_by_unit=issuer, owed_by_department=department, owed_to_unit=issuer,
            owed_to_department=_through(department,
                                        inspection_department(issuer=issuer, policy=policy)),
            rule=_rule(policy.unit_compilation_days, "session",
                       _("kết thúc kiểm tra tại đơn vị")),
            events=events, source=session, source_label=round_.title[:255])
    return out


@transaction.atomic
def session_held(*, actor: Actor | None, session: Session, on: dt.date | None = None) -> Followups:
    """The team's secretary or head (or the issuing unit) records that the session took place
    on `on` (its day by default), which sets what is owed after it. A session already marked,
    or one whose unit is not inspected this year, is refused."""
    _require(actor, lambda s: permissions.can_mark_held(s, session))
    locked = (Session.objects.select_for_update(of=("self",))
              .select_related("team__round__plan__issuing_unit", "unit").get(pk=session.pk))
    day = on or locked.date
    if locked.status == SessionStatus.NOT_INSPECTED:
        raise InspectionError(_("Đơn vị không được kiểm tra năm nay: không ghi nhận buổi kiểm "
                                "tra đã diễn ra."), field="held_on")
    if locked.held_on is not None:
        raise InspectionError(_("Buổi kiểm tra đã được ghi nhận diễn ra ngày {day}.").format(
            day=format_date(locked.held_on)), field="held_on")
    if day < locked.date:
        raise InspectionError(_("Ngày kiểm tra ({day}) trước ngày theo lịch ({slot}).").format(
            day=format_date(day), slot=format_date(locked.date)), field="held_on")
    if day > today():
        raise InspectionError(_("Chưa đến ngày {day}: chưa ghi nhận được.").format(
            day=format_date(day)), field="held_on")
    locked.held_on = day
    with acting(actor, reason=_("Ghi nhận buổi kiểm tra đã diễn ra")):
        locked.save(update_fields=["held_on"])
    return session_followups(locked)


def reflection_submit(*, actor: Actor | None, session: Session, obligation: Obligation,
                      text: str = "", files: Sequence[UploadedFile] = (),
                      at: dt.datetime | None = None) -> Obligation:
    """A member hands in a reflection of this session (late ones are taken, and shown late)."""
    if obligation.kind != REFLECTION_KIND or obligation.key.rsplit(":", 2)[0] != (
            f"ins:session:{session.pk}"):
        raise InspectionError(_("Bài thu hoạch này không thuộc buổi kiểm tra đã chọn."))
    return hub_services.obligation_submit(actor=actor, obligation=obligation, text=text,
                                          files=files, at=at)


# -- after a round (INS-7) ----------------------------------------------------------------------


def round_end(round_: Round) -> dt.date:
    """The day a round is over: its window's end, or its cluster meeting if that is later."""
    meeting = round_.cluster_meeting_on
    return max(round_.window_end, meeting) if meeting else round_.window_end


def round_followups(round_: Round) -> Followups:
    """The inspection department's compilation of an ended round (again: only if missing)."""
    out = Followups()
    issuer = round_.plan.issuing_unit
    if issuer.dissolved_on is not None:
        return out
    ended = round_end(round_)
    policy = _policy(issuer, ended)
    department = inspection_department(issuer=issuer, policy=policy)
    if department is None:
        out.notes.append(_("{unit} chưa có ban kiểm tra (quy định kiểm tra hoặc ban loại Ủy ban "
                           "/ Ban Kiểm tra): chưa giao được việc tổng hợp đợt.").format(
                               unit=issuer.name))
        return out
    _ensure(out.created, round_compilation_key(round_),
            kind=ROUND_COMPILATION_KIND, kind_label=_("Tổng hợp đợt kiểm tra"),
            title=_("Tổng hợp những vấn đề còn hạn chế, vướng mắc ở cơ sở: {round}").format(
                round=round_.title)[:255],
            owed_by_unit=issuer, owed_by_department=department, owed_to_unit=issuer,
            rule=_rule(policy.round_compilation_days, "round_end",
                       _("kết thúc đợt kiểm tra")),
            events={"round_end": ended}, source=round_, source_label=round_.plan.title[:255])
    return out


def rounds_ended(*, on: dt.date | None = None) -> Followups:
    """The daily job: every round over before `on` gets its compilation; every held session
    gets what it still lacks (a member given an account since). Running it again makes nothing."""
    day = on or today()
    out = Followups()
    rounds = (Round.objects.filter(window_end__lt=day,
                                   plan__issuing_unit__dissolved_on__isnull=True)
              .select_related("plan__issuing_unit").order_by("pk"))
    for round_ in rounds:
        if round_end(round_) >= day:
            continue
        try:
            with transaction.atomic():
                done = round_followups(round_)
        except ApplicationError as exc:  # a round without a policy must not stop the others
            out.notes.append(f"{round_.title}: {exc}")
            continue
        out.created += done.created
        out.notes += done.notes
    sessions = (Session.objects.filter(held_on__isnull=False, held_on__lt=day)
                .select_related("team__round__plan__issuing_unit", "unit").order_by("pk"))
    for session in sessions:
        try:
            with transaction.atomic():
                done = session_followups(session)
        except ApplicationError as exc:
            out.notes.append(f"{session}: {exc}")
            continue
        out.created += done.created
    return out


# -- recommendations from the cluster meeting (INS-8) -------------------------------------------


def _department_followups(round_: Round, department: Department) -> list[Obligation]:
    created: list[Obligation] = []
    issuer = round_.plan.issuing_unit
    ended = round_end(round_)
    policy = _policy(issuer, ended)
    office = office_department(issuer=issuer, policy=policy)
    events = {"round_end": ended}
    label = _("kết thúc đợt kiểm tra")
    meeting = round_.cluster_meeting or _("giao ban cụm")
    _ensure(created, recommendation_department_key(round_, department.pk),
            kind=RECOMMENDATION_DEPARTMENT_KIND,
            kind_label=_("Tổng hợp kiến nghị giao ban cụm (ban)"),
            title=_("{dept} tổng hợp kiến nghị, đề xuất của cơ sở: {meeting}").format(
                dept=department.name, meeting=meeting)[:255],
            owed_by_unit=issuer, owed_by_department=department, owed_to_unit=issuer,
            owed_to_department=_through(department, office),
            rule=_rule(policy.recommendation_department_days, "round_end", label),
            events=events, source=round_, source_label=round_.title[:255])
    if office is not None:
        _ensure(created, recommendation_office_key(round_),
                kind=RECOMMENDATION_OFFICE_KIND,
                kind_label=_("Tổng hợp kiến nghị giao ban cụm (Văn phòng)"),
                title=_("{office} tổng hợp, tham mưu giải quyết kiến nghị, đề xuất của cơ sở: "
                        "{meeting}").format(office=office.name, meeting=meeting)[:255],
                owed_by_unit=issuer, owed_by_department=office, owed_to_unit=issuer,
                rule=_rule(policy.recommendation_office_days, "round_end", label),
                events=events, source=round_, source_label=round_.title[:255])
    return created


@transaction.atomic
def recommendation_record(*, actor: Actor | None, round_: Round, content: str,
                          department: Department, unit: Unit | None = None,
                          raised_on: dt.date | None = None) -> Recommendation:
    """Record a recommendation raised at the round's cluster meeting and assign it to a
    department of the issuing unit; the department's and the Office's compilations follow."""
    _require(actor, lambda s: permissions.can_record_recommendation(s, round_))
    issuer = round_.plan.issuing_unit
    text = _long(content)
    if not text:
        raise InspectionError(_("Hãy nhập nội dung kiến nghị, đề xuất."), field="content")
    if len(text) > 4000:
        raise InspectionError(_("Nội dung kiến nghị dài quá 4000 ký tự."), field="content")
    if department.unit_id != issuer.pk:
        raise InspectionError(_("{dept} không phải một ban của {unit}.").format(
            dept=department.name, unit=issuer.name), field="department")
    if unit is not None and not round_.units.filter(pk=unit.pk).exists():
        raise InspectionError(_("{unit} không có trong danh sách đơn vị của đợt này.").format(
            unit=unit.name), field="unit")
    day = raised_on or round_.cluster_meeting_on
    if day is None:
        raise InspectionError(_("Hãy nhập ngày nêu kiến nghị (đợt chưa có ngày giao ban cụm)."),
                              field="raised_on")
    if not round_.window_start <= day <= round_end(round_):
        raise InspectionError(_("Ngày {day} ngoài thời gian của đợt ({start} – {end}).").format(
            day=format_date(day), start=format_date(round_.window_start),
            end=format_date(round_end(round_))), field="raised_on")
    with acting(actor):
        rec = Recommendation.objects.create(
            round=round_, unit=unit, content=text, department=department, raised_on=day,
            recorded_by=actor if isinstance(actor, User) else None)
    if issuer.dissolved_on is None:
        _department_followups(round_, department)
    return rec


def submitted_at(day: dt.date) -> dt.datetime:
    """Noon of a past day: when the demo and imports record a past submission."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


