"""Pages of inspections (INS-1 … INS-4, INS-9). Thin: the request's Scope → a selector (404
alike for missing and not yours) → a form → a service (`form_submit`) → a redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doanvu.accounts.scope import scope_of
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, add_error_from, form_submit
from doanvu.common.views import stored_file
from doanvu.hub.forms import SubmitForm
from doanvu.org.models import Person
from doanvu.org.selectors import unit_get

from . import permissions, selectors, services
from .forms import (
    AttendeesForm,
    DecisionForm,
    InspectionPolicyForm,
    MoveRequestForm,
    NoticeForm,
    PlanForm,
    RoundForm,
    SessionForm,
    TeamForm,
)
from .models import (
    Conclusion,
    ConclusionState,
    MoveState,
    Round,
    Session,
    SlotMoveRequest,
    TeamRole,
)


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(request, "inspections/plan_list.html", {
        "plans": selectors.plan_list(scope=scope),
        "my_sessions": selectors.sessions_of_my_units(scope=scope),
        "issuers": selectors.plan_issuers(scope=scope),
    })


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_get(scope=scope_of(request), pk=pk, perm=permissions.WRITE)
    form = PlanForm(request.POST or None, initial={"year": today().year})
    done = form_submit(request, form, lambda d: services.plan_create(
        actor=request.user, issuing_unit=unit, year=d["year"], title=d["title"]),
        success=_("Đã lập kế hoạch kiểm tra."),
        redirect_to=lambda p: reverse("inspections:plan_detail", args=[p.pk]))
    return done or render(request, "inspections/plan_form.html", {"unit": unit, "form": form},
                          status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(scope=scope_of(request), pk=pk, allowed=permissions.can_manage_plan)
    form = RoundForm(request.POST or None, units=selectors.inspectable_units(plan=plan),
                     initial={"number": plan.rounds.count() + 1})
    done = form_submit(request, form, lambda d: services.round_create(
        actor=request.user, plan=plan, number=d["number"], title=d["title"],
        window_start=d["window_start"], window_end=d["window_end"], units=list(d["units"]),
        purpose=d["purpose"], content=d["content"], method=d["method"],
        procedure=d["procedure"], cluster_meeting=d["cluster_meeting"],
        cluster_meeting_on=d["cluster_meeting_on"]),
        success=lambda r: _("Đã thêm {title}.").format(title=r.title),
        redirect_to=lambda r: reverse("inspections:round_detail", args=[r.pk]))
    return done or render(request, "inspections/round_form.html", {"plan": plan, "form": form},
                          status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(scope=scope_of(request), pk=pk)
    rounds = list(plan.rounds.prefetch_related("units"))
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "rounds": rounds,
        "can_manage": permissions.can_manage_plan(scope_of(request), plan)})


def _round_page(request: HttpRequest, round_: Any, *, notice_form: NoticeForm | None = None,
                status: int = 200) -> HttpResponse:
    scope = scope_of(request)
    return render(request, "inspections/round_detail.html", {
        "round": round_,
        "plan": round_.plan,
        "units": list(round_.units.order_by("name")),
        "teams": selectors.team_rows(round_=round_),
        "can_manage": permissions.can_manage_round(scope, round_),
        "can_issue": permissions.can_issue_notice(scope, round_) and round_.notice_id is None,
        "notice_form": notice_form or NoticeForm(),
    }, status=status)


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_page(request, selectors.round_get(scope=scope_of(request), pk=pk))


@login_required
@require_POST
def round_notice(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get(scope=scope_of(request), pk=pk,
                                 allowed=permissions.can_issue_notice)
    if round_.notice_id is not None:  # a second click: the notice is there, say so
        messages.info(request, _("Đợt này đã có thông báo thành lập đoàn kiểm tra."))
        return redirect("inspections:round_detail", pk=round_.pk)
    form = NoticeForm(request.POST)
    done = form_submit(request, form, lambda d: services.team_notice_issue(
        actor=request.user, round_=round_, signer_title=d["signer_title"],
        signer_name=d["signer_name"], issued_on=d["issued_on"]),
        success=lambda doc: _("Đã ban hành thông báo số {symbol}.").format(symbol=doc.symbol),
        redirect_to=reverse("inspections:round_detail", args=[round_.pk]))
    return done or _round_page(request, round_, notice_form=form, status=400)


@login_required
@require_GET
def round_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get(scope=scope_of(request), pk=pk)
    return render(request, "inspections/round_calendar.html", {
        "round": round_, "plan": round_.plan,
        "days": selectors.round_calendar(round_=round_),
    })


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get(scope=scope_of(request), pk=pk,
                                 allowed=permissions.can_manage_round)
    persons = selectors.team_candidates(round_=round_)
    initial = {"number": round_.teams.count() + 1}
    form = TeamForm(request.POST or None, persons=persons, initial=initial)

    done = form_submit(request, form, lambda d: services.team_create(
        actor=request.user, round_=round_, number=d["number"], name=d["name"],
        members=_chosen(round_, d)),
                       success=lambda t: _("Đã thành lập {name}.").format(name=t.name),
                       redirect_to=lambda t: reverse("inspections:team_detail", args=[t.pk]))
    return done or render(request, "inspections/team_form.html", {
        "round": round_, "plan": round_.plan, "form": form,
    }, status=400 if request.method == "POST" else 200)


def _chosen(round_: Round, d: dict[str, Any]) -> list[services.MemberInput]:
    """The form's head, secretary and members as the services take them (each person once, in
    their highest role), with the body each works in."""
    chosen = [(d["head"], TeamRole.HEAD)]
    if d.get("secretary"):
        chosen.append((d["secretary"], TeamRole.SECRETARY))
    chosen += [(p, TeamRole.MEMBER) for p in d.get("members") or []
               if p.pk not in {c[0].pk for c in chosen}]
    bodies = selectors.person_bodies(round_=round_, persons=[c[0] for c in chosen])
    return [services.MemberInput(p, role, bodies.get(p.pk, "")) for p, role in chosen]


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a team's people after it was formed (a member replaced, a new secretary)."""
    team = selectors.team_get(scope=scope_of(request), pk=pk,
                              allowed=permissions.can_manage_team)
    round_ = team.round
    members = list(team.members.select_related("person"))
    initial = {"number": team.number, "name": team.name,
               "head": next((m.person for m in members if m.role == TeamRole.HEAD), None),
               "secretary": next((m.person for m in members if m.role == TeamRole.SECRETARY),
                                 None),
               "members": [m.person for m in members if m.role == TeamRole.MEMBER]}
    persons = selectors.team_candidates(round_=round_) | Person.objects.filter(
        pk__in=[m.person_id for m in members])
    form = TeamForm(request.POST or None, persons=persons.distinct(), initial=initial)
    done = form_submit(request, form, lambda d: services.team_update(
        actor=request.user, team=team, number=d["number"], name=d["name"],
        members=_chosen(round_, d)),
        success=lambda t: _("Đã lưu {name}.").format(name=t.name),
        redirect_to=reverse("inspections:team_detail", args=[team.pk]))
    return done or render(request, "inspections/team_form.html", {
        "round": round_, "plan": round_.plan, "form": form, "team": team,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    team = selectors.team_get(scope=scope, pk=pk)
    can_manage = permissions.can_manage_team(scope, team)
    if request.method == "POST" and not can_manage:
        team = selectors.team_get(scope=scope, pk=pk, allowed=permissions.can_manage_team)
    round_ = team.round
    form = SessionForm(request.POST or None, units=round_.units.order_by("name"))

    def schedule(d: dict[str, Any]) -> Any:
        done = services.session_create(actor=request.user, team=team, unit=d["unit"],
                                       on=d["date"], half=d["half"], place=d["place"])
        for w in done.warnings:
            messages.warning(request, w)
        return done.session

    done = form_submit(request, form, schedule,
                       success=lambda s: _("Đã xếp lịch {unit} {day}.").format(
                           unit=s.unit.name, day=s.date.strftime("%d/%m/%Y")),
                       redirect_to=reverse("inspections:team_detail", args=[team.pk]))
    if done:
        return done
    sessions = list(team.sessions.select_related("unit").order_by("date", "half"))
    warnings = services.team_conflicts(team=team, targets=[(s.unit, s.date) for s in sessions])
    return render(request, "inspections/team_detail.html", {
        "team": team, "round": round_, "plan": round_.plan,
        "members": list(team.members.select_related("person")),
        "sessions": sessions, "warnings": warnings,
        "can_manage": can_manage, "form": form,
    }, status=400 if request.method == "POST" else 200)


def _session_page(request: HttpRequest, session: Session, *,
                  documents_form: SubmitForm | None = None,
                  move_form: MoveRequestForm | None = None,
                  decide_form: DecisionForm | None = None,
                  attendees_form: AttendeesForm | None = None,
                  status: int = 200) -> HttpResponse:
    scope = scope_of(request)
    issued = Conclusion.objects.filter(session=session, state=ConclusionState.ISSUED).exists()
    attendees = list(session.attendees.select_related("from_unit"))
    pending = selectors.pending_requests(session=session)
    return render(request, "inspections/session_detail.html", {
        "session": session, "team": session.team, "round": session.team.round,
        "members": list(session.team.members.select_related("person")),
        "requests": list(session.move_requests.select_related("asked_by", "decided_by")),
        "pending": pending[0] if pending else None,
        "attendees": attendees,
        "can_ask": permissions.can_ask_move(scope, session) and not pending,
        "can_decide": permissions.can_decide_move(scope, session),
        "can_confirm": permissions.can_confirm_attendees(scope, session)
        and session.attendees_confirmed_at is None,
        "can_propose": permissions.can_propose_attendees(scope, session)
        and session.attendees_confirmed_at is None,
        "move_form": move_form or MoveRequestForm(),
        "decide_form": decide_form or DecisionForm(),
        "attendees_form": attendees_form or AttendeesForm(attendees=attendees),
        "documents": selectors.session_documents(session=session),
        "documents_obligation": session.documents_obligation,
        "can_submit_documents": permissions.can_submit_documents(scope, session),
        "can_reflections": permissions.can_read_reflections(scope, session),
        "documents_form": documents_form or SubmitForm(),
        "can_read_conclusion": permissions.can_read_conclusion(scope, session, issued),
    }, status=status)


def _session_url(session: Session) -> str:
    return reverse("inspections:session_detail", args=[session.pk])


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, selectors.session_get(scope=scope_of(request), pk=pk))


@login_required
@require_POST
def session_move_request(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(scope=scope_of(request), pk=pk,
                                    allowed=permissions.can_ask_move)
    form = MoveRequestForm(request.POST)
    done = form_submit(request, form, lambda d: services.move_request_create(
        actor=request.user, session=session, proposed_date=d["proposed_date"],
        proposed_half=d["proposed_half"], reason=d["reason"]),
        success=_("Đã gửi đề nghị đổi lịch tới trưởng đoàn."), redirect_to=_session_url(session))
    return done or _session_page(request, session, move_form=form, status=400)


@login_required
@require_POST
def move_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    req: SlotMoveRequest = selectors.move_request_get(scope=scope_of(request), pk=pk,
                                                      allowed=permissions.can_decide_move)
    form = DecisionForm(request.POST)

    def decide(d: dict[str, Any]) -> SlotMoveRequest:
        return services.move_request_decide(actor=request.user, request=req,
                                            accept=d["decision"] == MoveState.ACCEPTED,
                                            reason=d["decision_reason"])

    done = form_submit(request, form, decide, success=lambda r: (
        _("Đã đổi lịch.") if r.state == MoveState.ACCEPTED else _("Đã trả lời không đồng ý.")),
        redirect_to=_session_url(req.session))
    return done or _session_page(request, req.session, decide_form=form, status=400)


@login_required
@require_POST
def session_attendees_propose(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(scope=scope_of(request), pk=pk,
                                    allowed=permissions.can_propose_attendees)
    return action_submit(
        request, lambda: services.attendees_propose(actor=request.user, session=session),
        success=_("Đã đề xuất thành phần tham dự theo kết quả năm trước."),
        back=_session_url(session))


@login_required
@require_POST
def session_attendees_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(scope=scope_of(request), pk=pk,
                                    allowed=permissions.can_confirm_attendees)
    attendees = list(session.attendees.all())
    form = AttendeesForm(request.POST, attendees=attendees)
    if form.is_valid():
        rows = [services.AttendeeInput(a.pk, form.cleaned_data[n], form.cleaned_data[t])
                for a, n, t in form.rows]
        try:
            services.attendees_confirm(actor=request.user, session=session, rows=rows)
        except ApplicationError as exc:
            add_error_from(form, exc)
        else:
            messages.success(request, _("Đã xác nhận thành phần tham dự."))
            return redirect(_session_url(session))
    return _session_page(request, session, attendees_form=form, status=400)


@login_required
@require_POST
def session_documents_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspected unit delivers its documents (INS-5) through the hub obligation."""
    session = selectors.session_get(scope=scope_of(request), pk=pk,
                                    allowed=permissions.can_submit_documents)
    form = SubmitForm(request.POST, request.FILES)
    done = form_submit(request, form, lambda d: services.documents_submit(
        actor=request.user, session=session, files=d["attachments"], text=d["text"]),
        success=_("Đã nộp tài liệu kiểm tra cho đoàn kiểm tra."),
        redirect_to=_session_url(session))
    return done or _session_page(request, session, documents_form=form, status=400)


@login_required
@require_GET
def session_document(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    """A delivered document, read online by the team, the unit and the issuing unit."""
    session = selectors.session_get(scope=scope_of(request), pk=pk)
    f = selectors.session_document_get(session=session, pk=file_pk)
    return stored_file(f.file, f.original_name, inline=True)


# -- the inspection policy ------------------------------------------------------------------------

POLICY_DAYS = ("documents_lead_days", "reflection_days", "unit_compilation_days",
               "round_compilation_days", "recommendation_department_days",
               "recommendation_office_days")


@login_required
@require_http_methods(["GET", "POST"])
def policy_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's inspection rules in plain Vietnamese (public rules: whoever reads the unit),
    their history, and — for its administrators — a new version from a date, prefilled."""
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=permissions.READ)
    can_issue = scope.can(permissions.ADMINISTER, unit)
    if request.method == "POST" and not can_issue:
        raise Http404(_("Không tìm thấy đơn vị."))
    current = selectors.policy_for(unit=unit, day=today())
    initial: dict[str, Any] = {"valid_from": today()}
    if current is not None:
        initial.update({name: getattr(current, name) for name in (
            "source", "morning_start", "afternoon_start", "party_rep_count", "excellent_count",
            "good_count", "home_affairs_count", *POLICY_DAYS)})
        initial.update({name: ", ".join(getattr(current, name)) for name in (
            "excellent_levels", "good_levels", "home_affairs_unit_kinds")})
        if current.issuing_unit_id == unit.pk:
            initial["inspection_department"] = current.inspection_department_id
            initial["office_department"] = current.office_department_id
    form = InspectionPolicyForm(request.POST or None, initial=initial,
                                departments=unit.departments.order_by("name"))
    codes = InspectionPolicyForm.codes
    done = form_submit(request, form, lambda d: services.policy_issue(
        actor=request.user, issuing_unit=unit, valid_from=d["valid_from"], source=d["source"],
        morning_start=d["morning_start"], afternoon_start=d["afternoon_start"],
        party_rep_count=d["party_rep_count"], excellent_count=d["excellent_count"],
        excellent_levels=codes(d["excellent_levels"]), good_count=d["good_count"],
        good_levels=codes(d["good_levels"]), home_affairs_count=d["home_affairs_count"],
        home_affairs_unit_kinds=codes(d["home_affairs_unit_kinds"]),
        documents_lead_days=d["documents_lead_days"],
        followup_days={name: d[name] for name in POLICY_DAYS[1:]},
        inspection_department=d["inspection_department"],
        office_department=d["office_department"]),
        success=_("Đã ban hành quy định kiểm tra mới."),
        redirect_to=reverse("inspections:policy_page", args=[unit.pk]))
    return done or render(request, "inspections/policy.html", {
        "unit": unit, "current": current, "form": form if can_issue else None,
        "history": selectors.policies_of(unit=unit),
    }, status=400 if request.method == "POST" else 200)
