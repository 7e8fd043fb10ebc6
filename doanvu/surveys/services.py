"""Every write of surveys: keyword-only, atomic, refusing with a Vietnamese message that names
the field (SurveyError), so nothing is half-written. Changes go through the audit log
(`acting`), except anonymous answers, which are never audited (see apps.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.accounts.scope import READ, Scope
from doanvu.audit.context import acting
from doanvu.common.dates import format_date, today
from doanvu.common.typing import Actor
from doanvu.hub import rules as hub_rules
from doanvu.hub import services as hub_services
from doanvu.hub.models import ObligationStatus
from doanvu.members import api as members_api
from doanvu.org.models import Department, Person, Unit

from . import deadlines, permissions, rules
from .models import (
    AnonymousAnswer,
    Audience,
    Campaign,
    NamedAnswer,
    PaperTally,
    Questionnaire,
    QuestionnaireState,
    QuestionnaireVersion,
    Respondent,
    Response,
    ResponseFile,
    ResponseState,
    Theme,
)
from .rules import SurveyError

ANSWER_KIND = "sur.answer"  # the hub's kind of a unit's answer (a key, never shown)
KEEP: Any = object()  # a report deadline not given: the one already set stays


def _refuse(message: str, field: str | None = None) -> SurveyError:
    return SurveyError(message, field=field)


def _user(actor: Actor | None) -> Any:
    return actor if getattr(actor, "pk", None) else None


# -- SUR-1 campaigns and themes -------------------------------------------------------------------


def _clean(value: str, label: str, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise _refuse(_("{label}: chưa nhập.").format(label=label), field)
    if len(value) > max_length:
        raise _refuse(_("{label}: dài quá {n} ký tự.").format(label=label, n=max_length), field)
    return value


@transaction.atomic
def campaign_save(*, scope: Scope, actor: Actor | None, unit: Unit, name: str, year: int,
                  description: str = "", campaign: Campaign | None = None,
                  report_due_on: dt.date | None = KEEP) -> Campaign:
    """Create a campaign of `unit`, or correct `campaign`. `report_due_on` (SUR-3): the day the
    Office owes the compiled report — a hub obligation (deadlines.py); None clears it, not
    given keeps it."""
    if not scope.can(permissions.WRITE, unit):
        raise _refuse(_("Bạn không có quyền tổ chức khảo sát của đơn vị này."), "unit")
    name = _clean(name, _("Tên đợt khảo sát"), "name", 300)
    if not 1900 <= year <= 2200:
        raise _refuse(_("Năm: phải từ 1900 đến 2200."), "year")
    obj = campaign or Campaign(unit=unit)
    due = obj.report_due_on if report_due_on is KEEP else report_due_on
    if due is not None:
        if deadlines.office_of(unit.pk) is None:
            raise _refuse(_("Hạn nộp báo cáo tổng hợp: {unit} chưa có Văn phòng để tổng hợp báo "
                            "cáo.").format(unit=unit.name), "report_due_on")
        last = (Theme.objects.filter(campaign_id=obj.pk, report_due_on__isnull=False)
                .order_by("-report_due_on", "number").first() if obj.pk else None)
        if last is not None and last.report_due_on is not None and due < last.report_due_on:
            raise _refuse(_("Hạn nộp báo cáo tổng hợp: phải không sớm hơn hạn nộp báo cáo chuyên "
                            "đề muộn nhất ({day}, chuyên đề {n}).").format(
                day=format_date(last.report_due_on), n=last.number), "report_due_on")
    obj.name, obj.year, obj.description = name, year, (description or "").strip()
    obj.report_due_on = due
    with acting(_user(actor)):
        obj.save()
    deadlines.sync_review_report(obj, actor)
    return obj


@transaction.atomic
def theme_save(*, scope: Scope, actor: Actor | None, campaign: Campaign, title: str,
               lead_department: Department, units: Iterable[Unit], opens_on: dt.date,
               closes_on: dt.date, due_on: dt.date, number: int | None = None,
               inspection_round: Any = None, fieldvisit_campaign: Any = None,
               theme: Theme | None = None, report_due_on: dt.date | None = KEEP) -> Theme:
    """Create a theme of `campaign` (the next number unless given), or correct `theme`. Units
    are those the manager reads under the campaign's unit; the lead department is one of its.
    `report_due_on` (SUR-3): the day the lead department owes its thematic report to the Office
    — a hub obligation (deadlines.py); None clears it, not given keeps it."""
    if not permissions.can_manage_campaign(scope, campaign):
        raise _refuse(_("Bạn không có quyền sửa đợt khảo sát này."), "campaign")
    title = _clean(title, _("Tên chuyên đề"), "title", 500)
    if lead_department.unit_id != campaign.unit_id:
        raise _refuse(_("Ban chủ trì: phải là một ban của {unit}.").format(
            unit=campaign.unit.name), "lead_department")
    units = list(units)
    if not units:
        raise _refuse(_("Đơn vị được khảo sát: hãy chọn ít nhất một đơn vị."), "units")
    for u in units:
        if not u.path.startswith(campaign.unit.path) or u.pk == campaign.unit_id \
                or not scope.can(READ, u):
            raise _refuse(_("Đơn vị được khảo sát: {name} không thuộc {unit}.").format(
                name=u.name, unit=campaign.unit.name), "units")
        if u.dissolved_on is not None:
            raise _refuse(_("Đơn vị được khảo sát: {name} đã giải thể / sáp nhập.").format(
                name=u.name), "units")
    if closes_on < opens_on:
        raise _refuse(_("Nhận trả lời đến ngày: phải không sớm hơn ngày bắt đầu."), "closes_on")
    if not opens_on <= due_on <= closes_on:
        raise _refuse(_("Hạn trả lời: phải nằm trong thời gian nhận trả lời."), "due_on")
    report_due = (theme.report_due_on if theme is not None else None) \
        if report_due_on is KEEP else report_due_on
    if report_due is not None and report_due < closes_on:
        raise _refuse(_("Hạn nộp báo cáo chuyên đề: phải không sớm hơn ngày kết thúc nhận trả "
                        "lời ({day}).").format(day=format_date(closes_on)), "report_due_on")
    if report_due is not None and campaign.report_due_on is not None \
            and report_due > campaign.report_due_on:
        raise _refuse(_("Hạn nộp báo cáo chuyên đề: phải không muộn hơn hạn nộp báo cáo tổng "
                        "hợp của đợt khảo sát ({day}).").format(
            day=format_date(campaign.report_due_on)), "report_due_on")
    if inspection_round is not None and inspection_round.plan.issuing_unit_id != campaign.unit_id:
        raise _refuse(_("Đợt kiểm tra: phải là đợt kiểm tra của {unit}.").format(
            unit=campaign.unit.name), "inspection_round")
    if fieldvisit_campaign is not None and fieldvisit_campaign.unit_id != campaign.unit_id:
        raise _refuse(_("Đợt đi cơ sở: phải là đợt của {unit}.").format(
            unit=campaign.unit.name), "fieldvisit_campaign")
    obj = theme or Theme(campaign=campaign)
    if theme is None:
        last = (Theme.objects.filter(campaign=campaign).order_by("-number")
                .values_list("number", flat=True).first())
        obj.number = number or (last or 0) + 1
    elif number:
        obj.number = number
    if Theme.objects.filter(campaign=campaign, number=obj.number).exclude(pk=obj.pk).exists():
        raise _refuse(_("Chuyên đề số {n}: đã có trong đợt khảo sát.").format(n=obj.number),
                      "number")
    sent = theme is not None and theme.questionnaires.filter(
        state=QuestionnaireState.SENT, audience=Audience.UNITS).exists()
    if sent:
        before = set(theme.units.values_list("pk", flat=True)) if theme else set()
        if before - {u.pk for u in units}:
            raise _refuse(_("Đơn vị được khảo sát: phiếu đã gửi, không bỏ bớt đơn vị được "
                            "nữa (chỉ thêm)."), "units")
    obj.title, obj.lead_department = title, lead_department
    obj.opens_on, obj.closes_on, obj.due_on = opens_on, closes_on, due_on
    obj.inspection_round, obj.fieldvisit_campaign = inspection_round, fieldvisit_campaign
    obj.report_due_on = report_due
    with acting(_user(actor)):
        obj.save()
        obj.units.set(units)
        if sent:
            for q in obj.questionnaires.filter(state=QuestionnaireState.SENT,
                                               audience=Audience.UNITS):
                _open_responses(q, actor)
    deadlines.sync_theme_report(obj, actor)
    return obj


# -- SUR-2 questionnaires -------------------------------------------------------------------------


def _check_lead(scope: Scope, theme: Theme) -> None:
    if not permissions.can_lead(scope, theme):
        raise _refuse(_("Chỉ {dept} (ban chủ trì chuyên đề) mới soạn và gửi được phiếu khảo "
                        "sát này.").format(dept=theme.lead_department.name))


@transaction.atomic
def questionnaire_create(*, scope: Scope, actor: Actor | None, theme: Theme, title: str,
                         intro: str = "", audience: str = Audience.UNITS,
                         named: bool = False) -> Questionnaire:
    """A questionnaire of `theme`; to members it is anonymous unless `named`."""
    _check_lead(scope, theme)
    title = _clean(title, _("Tên phiếu"), "title", 300)
    if audience not in Audience.values:
        raise _refuse(_("Gửi tới: không có lựa chọn này."), "audience")
    if named and audience != Audience.MEMBERS:
        raise _refuse(_("Ghi tên người trả lời: chỉ dùng cho phiếu gửi đoàn viên (phiếu gửi "
                        "đơn vị luôn ghi đơn vị trả lời)."), "named")
    with acting(_user(actor)):
        q = Questionnaire.objects.create(theme=theme, title=title, intro=(intro or "").strip(),
                                         audience=audience, named=named)
        QuestionnaireVersion.objects.create(questionnaire=q, number=1, questions=[])
    return q


def current_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    return questionnaire.versions.order_by("-number").first()  # type: ignore[return-value]


def _has_answers(version: QuestionnaireVersion) -> bool:
    return (version.responses.exclude(answers={}).exists()
            or version.responses.filter(state=ResponseState.SUBMITTED).exists()
            or version.anonymous_answers.exists() or version.named_answers.exists())


def _editable_version(questionnaire: Questionnaire, actor: Actor | None) -> QuestionnaireVersion:
    """The version to change: the current one while nobody answered it, else a new one (old
    answers keep their questions). Drafts without answers move to the new version."""
    version = current_version(questionnaire)
    if not _has_answers(version):
        return version
    with acting(_user(actor)):
        new = QuestionnaireVersion.objects.create(
            questionnaire=questionnaire, number=version.number + 1,
            questions=list(version.questions))
        Response.objects.filter(questionnaire=questionnaire, version=version,
                                state=ResponseState.DRAFT, answers={}).update(version=new)
    return new


def _next_code(questions: Sequence[rules.Question]) -> str:
    numbers = [int(q.code[1:]) for q in questions if q.code[1:].isdigit()]
    return f"c{max(numbers, default=0) + 1}"


@transaction.atomic
def question_add(*, scope: Scope, actor: Actor | None, questionnaire: Questionnaire, kind: str,
                 text: str, required: bool = False, section: str = "",
                 options: Sequence[str] = (), minimum: object = None, maximum: object = None,
                 rows: Sequence[str] = (), cols: Sequence[str] = (),
                 condition_code: str = "", condition_value: str = "") -> QuestionnaireVersion:
    """Add a question at the end (a new version if the current one has answers)."""
    _check_lead(scope, questionnaire.theme)
    version = _editable_version(questionnaire, actor)
    existing = rules.questions_of(version.questions)
    clean = [s.strip() for s in options if s.strip()]
    if (minimum not in (None, "") and rules._dec(minimum) is None) or (
            maximum not in (None, "") and rules._dec(maximum) is None):
        raise _refuse(_("Giá trị nhỏ nhất, lớn nhất: phải là số."), "min")
    new = rules.Question(
        code=_next_code(existing), number=len(existing) + 1, kind=kind,
        text=(text or "").strip(), required=required, section=(section or "").strip(),
        options=tuple(clean), min=rules._dec(minimum), max=rules._dec(maximum),
        rows=tuple(r.strip() for r in rows if r.strip()),
        cols=tuple(c.strip() for c in cols if c.strip()),
        condition=rules.Condition(condition_code, condition_value.strip())
        if condition_code else None)
    rules.check_question(new, existing)
    version.questions = [*version.questions, new.to_dict()]
    with acting(_user(actor)):
        version.save(update_fields=["questions"])
    return version


@transaction.atomic
def question_remove(*, scope: Scope, actor: Actor | None, questionnaire: Questionnaire,
                    code: str) -> QuestionnaireVersion:
    """Remove a question (a new version if answers exist); refused while another question's
    condition depends on it."""
    _check_lead(scope, questionnaire.theme)
    existing = rules.questions_of(current_version(questionnaire).questions)
    target = next((q for q in existing if q.code == code), None)
    if target is None:
        raise _refuse(_("Câu hỏi không có trong phiếu."), "code")
    dependent = [q for q in existing if q.condition and q.condition.code == code]
    if dependent:
        raise _refuse(_("{q} đang là điều kiện hiển thị của {d}: hãy xóa câu đó trước.").format(
            q=target.label, d=dependent[0].label), "code")
    version = _editable_version(questionnaire, actor)
    kept = [q for q in rules.questions_of(version.questions) if q.code != code]
    version.questions = [
        rules.Question(**{**q.__dict__, "number": i}).to_dict()
        for i, q in enumerate(kept, start=1)]
    with acting(_user(actor)):
        version.save(update_fields=["questions"])
    return version


def _open_responses(questionnaire: Questionnaire, actor: Actor | None) -> int:
    """A draft answer and its hub obligation for each surveyed unit that has none."""
    theme = questionnaire.theme
    version = current_version(questionnaire)
    campaign = theme.campaign
    made = 0
    have = set(questionnaire.responses.values_list("unit_id", flat=True))
    for unit in theme.units.order_by("path"):
        if unit.pk in have:
            continue
        response = Response.objects.create(questionnaire=questionnaire, version=version,
                                           unit=unit)
        ob = hub_services.obligation_create(
            actor=None, kind=ANSWER_KIND, kind_label=_("Trả lời phiếu khảo sát"),
            title=_("Phiếu khảo sát: {title}").format(title=questionnaire.title)[:255],
            owed_by_unit=unit, owed_to_unit=campaign.unit,
            owed_to_department=theme.lead_department,
            rule=hub_rules.DueRule.fixed(theme.due_on), source=response,
            source_label=_("Chuyên đề {n}: {title}").format(n=theme.number,
                                                             title=theme.title)[:255],
            key=f"sur:response:{response.pk}", on=theme.opens_on)
        response.obligation = ob
        with acting(_user(actor)):
            response.save(update_fields=["obligation"])
        made += 1
    return made


@transaction.atomic
def questionnaire_send(*, scope: Scope, actor: Actor | None,
                       questionnaire: Questionnaire) -> int:
    """Send: to units, one draft answer and one obligation per surveyed unit; to members, the
    questionnaire opens for answers. Returns how many units were sent it."""
    _check_lead(scope, questionnaire.theme)
    q = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if q.state == QuestionnaireState.SENT:
        raise _refuse(_("Phiếu đã được gửi."))
    if not current_version(q).questions:
        raise _refuse(_("Phiếu chưa có câu hỏi nào."))
    q.state, q.sent_on = QuestionnaireState.SENT, today()
    with acting(_user(actor)):
        q.save(update_fields=["state", "sent_on"])
    questionnaire.state, questionnaire.sent_on = q.state, q.sent_on
    if q.audience == Audience.UNITS:
        return _open_responses(q, actor)
    return 0


def _raw_from(version: QuestionnaireVersion, data: Mapping[str, Any]) -> dict[str, Any]:
    return dict(data)


def _stored_file_codes(response: Response) -> list[str]:
    return list(response.files.values_list("code", flat=True).distinct())


@transaction.atomic
def response_save(*, scope: Scope, actor: Actor | None, response: Response,
                  answers: Mapping[str, Any], files: Mapping[str, UploadedFile] | None = None,
                  submit: bool = False, on: dt.date | None = None,
                  at: dt.datetime | None = None) -> Response:
    """Save the unit's answer as a draft, or submit it (once). Refused — nothing changed — when
    the answer is not the user's unit's, already submitted, outside the window, or wrong
    (rules.check_answers: the message names the question)."""
    r = Response.objects.select_for_update(of=("self",)).select_related(
        "questionnaire__theme__campaign__unit", "version", "unit").get(pk=response.pk)
    if not permissions.can_answer(scope, r):
        raise _refuse(_("Bạn không có quyền trả lời phiếu của {unit}.").format(
            unit=r.unit.name))
    if r.state == ResponseState.SUBMITTED:
        raise _refuse(_("{unit} đã nộp phiếu này; mỗi đơn vị chỉ nộp một lần (ban chủ trì có "
                        "thể mở lại phiếu).").format(unit=r.unit.name))
    theme = r.questionnaire.theme
    day = on or today()
    why = rules.window_refusal(opens_on=theme.opens_on, closes_on=theme.closes_on, on=day,
                               reopened=bool(r.reopen_reason))
    if why:
        raise _refuse(why)
    questions = rules.questions_of(r.version.questions)
    files = dict(files or {})
    file_codes = {q.code for q in questions if q.kind == rules.FILE}
    for code, upload in files.items():
        if code not in file_codes:
            raise _refuse(_("Tệp gửi cho câu hỏi không có trong phiếu."), code)
        try:
            hub_services.check_upload(name=upload.name or "", size=upload.size)
        except hub_services.UploadRefused as exc:
            raise _refuse(exc.message, code) from None
    have = set(_stored_file_codes(r)) | set(files)
    checked = rules.check_answers(questions, answers, final=submit, files=sorted(have))
    if not checked.ok:
        code, message = next(iter(checked.errors.items()))
        raise _refuse(message, code)
    when = at or timezone.now()
    for code, upload in files.items():
        r.files.filter(code=code).delete()
        ResponseFile.objects.create(response=r, code=code, file=upload,
                                    original_name=(upload.name or "")[:255])
    r.answers, r.saved_at = checked.answers, when
    fields = ["answers", "saved_at"]
    if submit:
        r.state, r.submitted_at, r.submitted_by = ResponseState.SUBMITTED, when, _user(actor)
        r.submitted_on = timezone.localdate(when)
        fields += ["state", "submitted_at", "submitted_on", "submitted_by"]
    with acting(_user(actor)):
        r.save(update_fields=fields)
    if submit and r.obligation_id is not None:
        ob = r.obligation
        if ob is not None and ob.status in (ObligationStatus.OPEN, ObligationStatus.RETURNED):
            hub_services.obligation_submit(
                actor=None, obligation=ob, at=when,
                text=_("Đã nộp phiếu khảo sát “{title}”.").format(title=r.questionnaire.title))
    return r


@transaction.atomic
def response_reopen(*, scope: Scope, actor: Actor | None, response: Response,
                    reason: str) -> Response:
    """The lead department reopens one submitted answer with a reason; the unit may correct
    and submit it again (even after the window), and its obligation is returned to it."""
    r = Response.objects.select_for_update(of=("self",)).select_related(
        "questionnaire__theme__campaign__unit", "questionnaire__theme__lead_department",
        "unit").get(pk=response.pk)
    _check_lead(scope, r.questionnaire.theme)
    reason = _clean(reason, _("Lý do mở lại"), "reason", 2000)
    if r.state != ResponseState.SUBMITTED:
        raise _refuse(_("Chỉ mở lại được phiếu đã nộp."), "reason")
    r.state, r.reopen_reason = ResponseState.DRAFT, reason
    with acting(_user(actor), reason=reason):
        r.save(update_fields=["state", "reopen_reason"])
    ob = r.obligation
    if ob is not None and ob.status == ObligationStatus.SUBMITTED:
        hub_services.obligation_return(actor=None, obligation=ob, note=reason)
    return r


# -- anonymous member surveys ---------------------------------------------------------------------


def member_unit(scope: Scope, questionnaire: Questionnaire) -> Unit | None:
    """The surveyed unit a person answers under: the first of the theme's units at or under
    which one of their grants sits (cadres), else None (not asked)."""
    for unit in questionnaire.theme.units.order_by("path"):
        if any(g.path.startswith(unit.path) for g in scope.grants):
            return unit
    return None


@transaction.atomic
def anonymous_answer(*, scope: Scope, actor: Actor, questionnaire: Questionnaire,
                     answers: Mapping[str, Any], on: dt.date | None = None) -> None:
    """Take a member's anonymous answer: one per person (the Respondent marker), the answer
    stored with no person, user or time, and not audited. Returns nothing: not even the caller
    learns the answer's key."""
    q = Questionnaire.objects.select_related("theme").get(pk=questionnaire.pk)
    if not q.anonymous or q.state != QuestionnaireState.SENT:
        raise _refuse(_("Phiếu này không nhận trả lời ẩn danh của đoàn viên."))
    unit = member_unit(scope, q)
    if unit is None:
        raise _refuse(_("Phiếu này không gửi tới bạn."))
    why = rules.window_refusal(opens_on=q.theme.opens_on, closes_on=q.theme.closes_on,
                               on=on or today())
    if why:
        raise _refuse(why)
    version = current_version(q)
    checked = rules.check_answers(rules.questions_of(version.questions), answers, final=True)
    if not checked.ok:
        code, message = next(iter(checked.errors.items()))
        raise _refuse(message, code)
    if any(k == rules.FILE for k in (x.get("kind") for x in version.questions)):
        raise _refuse(_("Phiếu ẩn danh không nhận tệp đính kèm."))
    try:
        with transaction.atomic(), acting(_user(actor)):
            Respondent.objects.create(questionnaire=q, user=actor)  # type: ignore[misc]
    except IntegrityError:
        raise _refuse(_("Bạn đã trả lời phiếu này; mỗi người chỉ trả lời một lần.")) from None
    AnonymousAnswer.objects.create(questionnaire=q, version=version, unit=unit,
                                   answers=checked.answers)


# -- named member surveys and paper answers -------------------------------------------------------


def surveyed_unit_of(questionnaire: Questionnaire, branch: Unit) -> Unit | None:
    """The theme's unit at or above `branch` (the first by path), or None: not surveyed."""
    for unit in questionnaire.theme.units.order_by("path"):
        if branch.path.startswith(unit.path):
            return unit
    return None


def _open_for_members(questionnaire: Questionnaire, *, named: bool,
                      on: dt.date | None) -> Questionnaire:
    q = Questionnaire.objects.select_related("theme").get(pk=questionnaire.pk)
    if q.audience != Audience.MEMBERS or q.state != QuestionnaireState.SENT:
        raise _refuse(_("Phiếu này không nhận trả lời của đoàn viên."))
    if q.named != named:
        raise _refuse(_("Phiếu này ghi tên người trả lời.") if q.named
                      else _("Phiếu này ẩn danh: không ghi tên người trả lời."))
    why = rules.window_refusal(opens_on=q.theme.opens_on, closes_on=q.theme.closes_on,
                               on=on or today())
    if why:
        raise _refuse(why)
    return q


def _checked(version: QuestionnaireVersion, answers: Mapping[str, Any]) -> dict[str, Any]:
    if any(k == rules.FILE for k in (x.get("kind") for x in version.questions)):
        raise _refuse(_("Phiếu trả lời của đoàn viên không nhận tệp đính kèm."))
    checked = rules.check_answers(rules.questions_of(version.questions), answers, final=True)
    if not checked.ok:
        code, message = next(iter(checked.errors.items()))
        raise _refuse(message, code)
    return checked.answers


@transaction.atomic
def named_answer(*, scope: Scope, actor: Actor, questionnaire: Questionnaire,
                 answers: Mapping[str, Any], person: Person | None = None,
                 on: dt.date | None = None) -> NamedAnswer:
    """A member's named answer, one per person. Without `person`, the actor answers for
    themselves (their login's Person, whose current membership's branch lies under a surveyed
    unit). With `person`, the actor enters that member's paper answer ("Nhập phiếu giấy"): the
    person must be a current member of a branch under a surveyed unit whose record the actor
    may write (members' person-level scope). Same checks, window and version as any answer;
    audited; refused — nothing written — on a second answer of the same person."""
    q = _open_for_members(questionnaire, named=True, on=on)
    on_paper = person is not None
    if person is None:
        person = members_api.person_of_user(actor)
        if person is None:
            raise _refuse(_("Tài khoản của bạn chưa gắn với hồ sơ đoàn viên nào: hãy nhờ bí "
                            "thư chi đoàn nhập phiếu giấy của bạn."))
    elif not members_api.can_write_person(scope, person):
        raise _refuse(_("Bạn không có quyền nhập phiếu cho đoàn viên này."), "person")
    branch = members_api.current_branch(person)
    unit = surveyed_unit_of(q, branch) if branch is not None else None
    if branch is None or unit is None:
        raise _refuse(_("Phiếu này không gửi tới đoàn viên này.") if on_paper
                      else _("Phiếu này không gửi tới bạn."), "person")
    version = current_version(q)
    clean = _checked(version, answers)
    again = (_("{name} đã có phiếu trả lời; mỗi người chỉ trả lời một lần.").format(
        name=person.full_name) if on_paper
        else _("Bạn đã trả lời phiếu này; mỗi người chỉ trả lời một lần."))
    if NamedAnswer.objects.filter(questionnaire=q, person=person).exists():
        raise _refuse(again, "person")
    try:
        with transaction.atomic(), acting(_user(actor)):
            return NamedAnswer.objects.create(
                questionnaire=q, version=version, unit=unit, person=person, branch=branch,
                answers=clean, on_paper=on_paper, entered_by=_user(actor))
    except IntegrityError:  # a concurrent answer of the same person won
        raise _refuse(again, "person") from None


@transaction.atomic
def paper_anonymous_answer(*, scope: Scope, actor: Actor | None,
                           questionnaire: Questionnaire, branch: Unit,
                           answers: Mapping[str, Any], on: dt.date | None = None) -> int:
    """A branch secretary enters one anonymous paper answer of the branch without naming
    anyone: the answer stored like any anonymous answer (no person, user or time; the
    surveyed unit), the branch's paper count raised by one (audited: a count, nothing of the
    answer), refused once it would pass the branch's current members. Returns the count."""
    q = _open_for_members(questionnaire, named=False, on=on)
    if branch.dissolved_on is not None or not scope.can(permissions.WRITE, branch):
        raise _refuse(_("Bạn không có quyền nhập phiếu của {unit}.").format(unit=branch.name),
                      "branch")
    unit = surveyed_unit_of(q, branch)
    if unit is None or not branch.kind.is_branch:
        raise _refuse(_("Phiếu này không gửi tới {unit}.").format(unit=branch.name), "branch")
    version = current_version(q)
    clean = _checked(version, answers)
    tally, _made = PaperTally.objects.get_or_create(questionnaire=q, branch=branch)
    tally = PaperTally.objects.select_for_update().get(pk=tally.pk)
    members = members_api.member_counts(scope=scope, units=[branch], status=None)[branch.pk]
    if tally.count >= members:
        raise _refuse(_("{unit} có {n} đoàn viên và đã nhập đủ {n} phiếu giấy.").format(
            unit=branch.name, n=members), "branch")
    tally.count += 1
    with acting(_user(actor)):
        tally.save(update_fields=["count"])
    AnonymousAnswer.objects.create(questionnaire=q, version=version, unit=unit, answers=clean)
    return tally.count
