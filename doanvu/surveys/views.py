"""Pages of surveys (SUR-1 … SUR-3). Thin: the request's Scope → a selector → a service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from doanvu.accounts.scope import Scope, scope_of
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import action_submit, add_error_from, form_submit
from doanvu.common.views import stored_file
from doanvu.members import api as members_api
from doanvu.org.models import Unit
from doanvu.org.selectors import unit_get

from . import charts, deadlines, permissions, reports, rules, selectors, services
from .exporters import answer_text, export_tabulation_xlsx
from .forms import (
    AnswerForm,
    CampaignForm,
    PaperPersonForm,
    QuestionForm,
    QuestionnaireForm,
    ReopenForm,
    ThemeForm,
)
from .models import Campaign, QuestionnaireState, ResponseState, Theme

UNIT_CHOICES_MAX = 200  # how many grandchildren a theme form still lists beside the children


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(request, "surveys/index.html", {
        "campaigns": list(selectors.campaigns_for(scope=scope)[:100]),
        "responses": list(selectors.my_responses(scope=scope)[:100]),
        "member_surveys": selectors.my_member_surveys(scope=scope, user=request.user),
        "entry_surveys": selectors.entry_surveys(scope=scope),
        "units": list(Unit.objects.filter(pk__in=[g.unit_id for g in scope.grants
                                                   if permissions.WRITE in g.permissions
                                                   and g.department_id is None])
                      .order_by("path")[:20]),
    })


# -- SUR-1 --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    unit = unit_get(scope=scope, pk=pk, perm=permissions.WRITE)
    form = CampaignForm(request.POST or None, initial={"year": today().year})
    done = form_submit(request, form, lambda d: services.campaign_save(
        scope=scope, actor=request.user, unit=unit, name=d["name"], year=d["year"],
        description=d["description"], report_due_on=d["report_due_on"]),
        success=_("Đã tạo đợt khảo sát."),
        redirect_to=lambda c: c.get_absolute_url())
    return done or render(request, "surveys/campaign_form.html",
                          {"form": form, "unit": unit, "campaign": None})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    campaign = selectors.campaign_get(scope=scope, pk=pk, manage=True)
    form = CampaignForm(request.POST or None, initial={
        "name": campaign.name, "year": campaign.year, "description": campaign.description,
        "report_due_on": campaign.report_due_on})
    done = form_submit(request, form, lambda d: services.campaign_save(
        scope=scope, actor=request.user, unit=campaign.unit, name=d["name"], year=d["year"],
        description=d["description"], campaign=campaign, report_due_on=d["report_due_on"]),
        success=_("Đã lưu đợt khảo sát."),
        redirect_to=campaign.get_absolute_url())
    return done or render(request, "surveys/campaign_form.html",
                          {"form": form, "unit": campaign.unit, "campaign": campaign})


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    campaign = selectors.campaign_get(scope=scope, pk=pk)
    themes = list(campaign.themes.select_related("lead_department", "report",
                                                 "report_obligation")
                  .prefetch_related("units", "questionnaires"))
    day = today()
    for t in themes:
        setattr(t, "report_state",  # noqa: B010  (read by the template)
                deadlines.report_state(t.report_due_on, t.report_obligation, day))
    return render(request, "surveys/campaign_detail.html", {
        "campaign": campaign, "themes": themes,
        "report_state": deadlines.report_state(campaign.report_due_on,
                                               campaign.report_obligation, day),
        "can_manage": permissions.can_manage_campaign(scope, campaign),
        "can_compile": _can_compile(scope, campaign),
    })


def _can_compile(scope: Scope, campaign: Campaign) -> bool:
    office = reports.office_of(campaign)
    return office is not None and scope.can(permissions.WRITE, campaign.unit,
                                            department_id=office.pk)


def _theme_units(scope: Scope, campaign: Campaign, theme: Theme | None) -> QuerySet[Unit]:
    base = selectors.unit_choices(scope=scope, campaign=campaign)
    depth = campaign.unit.depth
    deeper = base.filter(depth=depth + 2)
    depths = [depth + 1, depth + 2] if deeper.count() <= UNIT_CHOICES_MAX else [depth + 1]
    chosen = list(theme.units.values_list("pk", flat=True)) if theme else []
    from django.db.models import Q

    return base.filter(Q(depth__in=depths) | Q(pk__in=chosen))


def _theme_form_page(request: HttpRequest, scope: Scope, campaign: Campaign,
                     theme: Theme | None) -> HttpResponse:
    units = _theme_units(scope, campaign, theme)
    initial: dict[str, Any] = {}
    if theme is not None:
        initial = {"number": theme.number, "title": theme.title,
                   "lead_department": theme.lead_department_id,
                   "units": list(theme.units.values_list("pk", flat=True)),
                   "opens_on": theme.opens_on, "closes_on": theme.closes_on,
                   "due_on": theme.due_on, "inspection_round": theme.inspection_round_id,
                   "fieldvisit_campaign": theme.fieldvisit_campaign_id,
                   "report_due_on": theme.report_due_on}
    form = ThemeForm(request.POST or None, initial=initial, campaign=campaign, units=units)

    def save(d: dict[str, Any]) -> Theme:
        picked = list(d["units"])
        if d["cluster"] is not None:
            picked += [u for u in d["cluster"].members.filter(dissolved_on__isnull=True)
                       if u not in picked]
        return services.theme_save(
            scope=scope, actor=request.user, campaign=campaign, title=d["title"],
            lead_department=d["lead_department"], units=picked, opens_on=d["opens_on"],
            closes_on=d["closes_on"], due_on=d["due_on"], number=d["number"],
            inspection_round=d["inspection_round"],
            fieldvisit_campaign=d["fieldvisit_campaign"], theme=theme,
            report_due_on=d["report_due_on"])

    done = form_submit(request, form, save, success=_("Đã lưu chuyên đề."),
                       redirect_to=lambda t: t.get_absolute_url())
    return done or render(request, "surveys/theme_form.html",
                          {"form": form, "campaign": campaign, "theme": theme})


@login_required
@require_http_methods(["GET", "POST"])
def theme_create(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    campaign = selectors.campaign_get(scope=scope, pk=pk, manage=True)
    return _theme_form_page(request, scope, campaign, None)


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    theme = selectors.theme_get(scope=scope, pk=pk, manage=True)
    return _theme_form_page(request, scope, theme.campaign, theme)


@login_required
@require_GET
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    theme = selectors.theme_get(scope=scope, pk=pk)
    return render(request, "surveys/theme_detail.html", {
        "theme": theme, "campaign": theme.campaign,
        "report_state": deadlines.report_state(theme.report_due_on, theme.report_obligation,
                                               today()),
        "units": list(theme.units.order_by("path")),
        "questionnaires": list(theme.questionnaires.all()),
        "can_manage": permissions.can_manage_campaign(scope, theme.campaign),
        "can_lead": permissions.can_lead(scope, theme),
    })


# -- SUR-2 questionnaires -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_create(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    theme = selectors.theme_get(scope=scope, pk=pk)
    if not permissions.can_lead(scope, theme):
        from django.http import Http404

        raise Http404
    form = QuestionnaireForm(request.POST or None, initial={"audience": "units"})
    done = form_submit(request, form, lambda d: services.questionnaire_create(
        scope=scope, actor=request.user, theme=theme, title=d["title"], intro=d["intro"],
        audience=d["audience"], named=d["named"]),
        success=_("Đã tạo phiếu khảo sát; hãy thêm câu hỏi."),
        redirect_to=lambda q: q.get_absolute_url())
    return done or render(request, "surveys/questionnaire_form.html",
                          {"form": form, "theme": theme})


@login_required
@require_GET
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    q = selectors.questionnaire_get(scope=scope, pk=pk)
    version = services.current_version(q)
    rows = selectors.collection(questionnaire=q, day=today())
    return render(request, "surveys/questionnaire_detail.html", {
        "q": q, "theme": q.theme, "version": version,
        "questions": rules.questions_of(version.questions),
        "rows": rows, "counts": selectors.collection_counts(rows),
        "can_lead": permissions.can_lead(scope, q.theme),
        "reopen_form": ReopenForm(),
        "anonymous_count": q.anonymous_answers.count() if q.anonymous else 0,
        "rates": selectors.member_rates(scope=scope, questionnaire=q)
        if q.audience == "members" and q.state == QuestionnaireState.SENT else [],
        "named_rows": selectors.named_rows(scope=scope, questionnaire=q)
        if q.named_members else [],
    })


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    q = selectors.questionnaire_get(scope=scope, pk=pk, lead=True)
    questions = rules.questions_of(services.current_version(q).questions)
    form = QuestionForm(request.POST or None, questions=questions,
                        initial={"section": questions[-1].section if questions else ""})
    done = form_submit(request, form, lambda d: services.question_add(
        scope=scope, actor=request.user, questionnaire=q, **form.service_kwargs()),
        success=_("Đã thêm câu hỏi."), redirect_to=q.get_absolute_url())
    return done or render(request, "surveys/question_form.html",
                          {"form": form, "q": q, "theme": q.theme})


@login_required
@require_POST
def question_remove(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    q = selectors.questionnaire_get(scope=scope, pk=pk, lead=True)
    code = str(request.POST.get("code", ""))[:20]
    return action_submit(request, lambda: services.question_remove(
        scope=scope, actor=request.user, questionnaire=q, code=code),
        success=_("Đã xóa câu hỏi."), back=q.get_absolute_url())


@login_required
@require_POST
def questionnaire_send(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    q = selectors.questionnaire_get(scope=scope, pk=pk, lead=True)
    return action_submit(request, lambda: services.questionnaire_send(
        scope=scope, actor=request.user, questionnaire=q),
        success=lambda n: _("Đã gửi phiếu tới {n} đơn vị.").format(n=n) if n
        else _("Đã mở phiếu cho đoàn viên trả lời."), back=q.get_absolute_url())


@login_required
@require_GET
def questionnaire_preview(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    q = selectors.questionnaire_get(scope=scope, pk=pk)
    questions = rules.questions_of(services.current_version(q).questions)
    return render(request, "surveys/answer.html", {
        "q": q, "form": AnswerForm(questions=questions), "preview": True, "editable": False,
        "response": None})


def _answer_form(request: HttpRequest, questions: list[rules.Question],
                 initial: dict[str, Any]) -> AnswerForm:
    if request.method == "POST":
        return AnswerForm(request.POST, request.FILES, questions=questions)
    return AnswerForm(initial=initial, questions=questions)


@login_required
@require_http_methods(["GET", "POST"])
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's answer: the form its office fills (draft saved, then submitted once), or, once
    submitted and for readers, the answers. The link may be forwarded: it still asks for a
    login and the unit's scope."""
    scope = scope_of(request)
    r = selectors.response_get(scope=scope, pk=pk)
    questions = rules.questions_of(r.version.questions)
    editable = (permissions.can_answer(scope, r) and r.state == ResponseState.DRAFT
                and r.questionnaire.state == QuestionnaireState.SENT)
    if request.method == "POST" and not editable:
        messages.error(request, _("Phiếu này không sửa được nữa."))
        return redirect(r.get_absolute_url())
    form = _answer_form(request, questions, AnswerForm.initial_from(questions, r.answers))
    if request.method == "POST" and form.is_valid():
        submit = "nop" in request.POST
        raw = form.raw_answers()
        uploads = form.uploads()
        have = sorted(set(r.files.values_list("code", flat=True)) | set(uploads))
        checked = rules.check_answers(questions, raw, final=submit, files=have)
        form.question_errors = dict(checked.errors)
        if checked.ok:
            try:
                services.response_save(scope=scope, actor=request.user, response=r,
                                       answers=raw, files=uploads, submit=submit)
            except ApplicationError as exc:
                if exc.field and exc.field in {q.code for q in questions}:
                    form.question_errors[exc.field] = str(exc)
                else:
                    add_error_from(form, exc)
            else:
                messages.success(request, _("Đã nộp phiếu.") if submit
                                 else _("Đã lưu bản nháp."))
                return redirect(r.get_absolute_url())
    rows = []
    if not editable:
        by_code = {q.code: q for q in questions}
        for q in questions:
            shown = rules.is_shown(q, r.answers, by_code)
            value = r.answers.get(q.code)
            if value is not None and q.kind in (rules.MULTIPLE, rules.TABLE):
                value = answer_text(q, value)
            rows.append((q, value, shown))
    return render(request, "surveys/answer.html", {
        "q": r.questionnaire, "response": r, "form": form, "editable": editable,
        "preview": False, "rows": rows, "files": list(r.files.all()),
        "can_lead": permissions.can_lead(scope, r.questionnaire.theme),
        "reopen_form": ReopenForm(),
    })


@login_required
@require_POST
def response_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    r = selectors.response_get(scope=scope, pk=pk)
    if not permissions.can_lead(scope, r.questionnaire.theme):
        from django.http import Http404

        raise Http404
    form = ReopenForm(request.POST)
    return action_submit(request, lambda: services.response_reopen(
        scope=scope, actor=request.user, response=r, reason=form.cleaned_data["reason"]),
        form=form, success=_("Đã mở lại phiếu của {unit}.").format(unit=r.unit.name),
        back=r.questionnaire.get_absolute_url())


@login_required
@require_GET
def response_file(request: HttpRequest, pk: int) -> Any:
    found = selectors.response_file_get(scope=scope_of(request), pk=pk)
    return stored_file(found.file, found.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def member_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's anonymous answer (one per person)."""
    scope = scope_of(request)
    q = selectors.questionnaire_for_member(scope=scope, user=request.user, pk=pk)
    questions = rules.questions_of(services.current_version(q).questions)
    answered = q.respondents.filter(user=request.user).exists()  # type: ignore[misc]
    form = _answer_form(request, questions, {})
    if request.method == "POST" and not answered and form.is_valid():
        raw = form.raw_answers()
        checked = rules.check_answers(questions, raw, final=True)
        form.question_errors = dict(checked.errors)
        if checked.ok:
            try:
                services.anonymous_answer(scope=scope, actor=request.user, questionnaire=q,
                                          answers=raw)
            except ApplicationError as exc:
                _question_error(form, questions, exc)
            else:
                messages.success(request, _("Cảm ơn bạn đã trả lời. Câu trả lời được lưu ẩn "
                                            "danh."))
                return redirect(reverse("surveys:index"))
    return render(request, "surveys/answer.html", {
        "q": q, "form": form, "editable": not answered, "preview": False, "response": None,
        "anonymous": True, "answered": answered})


def _question_error(form: AnswerForm, questions: list[rules.Question],
                    exc: ApplicationError) -> None:
    if exc.field and exc.field in {x.code for x in questions}:
        form.question_errors[exc.field] = str(exc)
    else:
        add_error_from(form, exc)


@login_required
@require_http_methods(["GET", "POST"])
def named_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's named answer (one per person), under their own name."""
    scope = scope_of(request)
    q = selectors.questionnaire_for_member(scope=scope, user=request.user, pk=pk, named=True)
    questions = rules.questions_of(services.current_version(q).questions)
    answered = selectors.own_named_answer(user=request.user, questionnaire=q) is not None
    form = _answer_form(request, questions, {})
    if request.method == "POST" and not answered and form.is_valid():
        raw = form.raw_answers()
        checked = rules.check_answers(questions, raw, final=True)
        form.question_errors = dict(checked.errors)
        if checked.ok:
            try:
                services.named_answer(scope=scope, actor=request.user, questionnaire=q,
                                      answers=raw)
            except ApplicationError as exc:
                _question_error(form, questions, exc)
            else:
                messages.success(request, _("Cảm ơn bạn đã trả lời."))
                return redirect(reverse("surveys:index"))
    return render(request, "surveys/answer.html", {
        "q": q, "form": form, "editable": not answered, "preview": False, "response": None,
        "named": True, "answered": answered})


@login_required
@require_GET
def paper_branches(request: HttpRequest, pk: int) -> HttpResponse:
    """"Nhập phiếu giấy": the branches under the surveyed units the reader writes."""
    scope = scope_of(request)
    q = selectors.questionnaire_for_entry(scope=scope, pk=pk)
    branches = list(selectors.entry_branches(scope=scope, questionnaire=q)
                    [:selectors.ENTRY_BRANCHES_MAX + 1])
    return render(request, "surveys/paper_branches.html", {
        "q": q, "branches": branches[:selectors.ENTRY_BRANCHES_MAX],
        "more": len(branches) > selectors.ENTRY_BRANCHES_MAX})


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, pk: int, branch: int) -> HttpResponse:
    """A branch secretary enters a member's paper answer: named (picking a current member of
    the branch not yet answered) or anonymous (naming nobody, counted per branch)."""
    scope = scope_of(request)
    q = selectors.questionnaire_for_entry(scope=scope, pk=pk)
    unit = selectors.entry_branch_get(scope=scope, questionnaire=q, pk=branch)
    questions = rules.questions_of(services.current_version(q).questions)
    done_rows = selectors.named_rows(scope=scope, questionnaire=q, branch=unit) \
        if q.named else []
    answered = {r.answer.person_id for r in done_rows}
    members = [(m.person_id, m.person.full_name)
               for m in members_api.branch_members(scope=scope, branch=unit)
               if m.person_id not in answered]
    form = _answer_form(request, questions, {})
    who = PaperPersonForm(request.POST or None, members=members) if q.named else None
    if request.method == "POST" and form.is_valid() and (who is None or who.is_valid()):
        raw = form.raw_answers()
        checked = rules.check_answers(questions, raw, final=True)
        form.question_errors = dict(checked.errors)
        if checked.ok:
            try:
                if who is not None:
                    person = selectors.branch_person(members=members,
                                                     pk=who.cleaned_data["person"])
                    services.named_answer(scope=scope, actor=request.user, questionnaire=q,
                                          answers=raw, person=person)
                    done = _("Đã nhập phiếu của {name}.").format(name=person.full_name)
                else:
                    n = services.paper_anonymous_answer(scope=scope, actor=request.user,
                                                        questionnaire=q, branch=unit,
                                                        answers=raw)
                    done = _("Đã nhập phiếu giấy ẩn danh thứ {n} của {unit}.").format(
                        n=n, unit=unit.name)
            except ApplicationError as exc:
                if who is not None and exc.field == "person":
                    add_error_from(who, exc)
                else:
                    _question_error(form, questions, exc)
            else:
                messages.success(request, done)
                return redirect(reverse("surveys:paper_entry", args=[q.pk, unit.pk]))
    return render(request, "surveys/paper_entry.html", {
        "q": q, "branch": unit, "form": form, "who": who, "done_rows": done_rows,
        "members_left": len(members),
        "tally": selectors.paper_count(questionnaire=q, branch=unit) if not q.named else 0,
    })


# -- tabulation ---------------------------------------------------------------------------------


TEXTS_PER_PAGE = 50  # free-text answers shown per question and page (the .xlsx keeps all)


def _page_number(request: HttpRequest, code: str) -> int:
    raw = request.GET.get(f"trang-{code}", "1")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


def _page_link(request: HttpRequest, code: str, page: int) -> str:
    params = request.GET.copy()
    params[f"trang-{code}"] = str(page)
    return f"?{params.urlencode()}#tab-{code}"


def _charted(tab: selectors.Tabulation, request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for t in tab.tables:
        code = t.question.code
        chart = None
        if t.options:
            chart = charts.bars([(o.option, o.count, f"{o.count} · {o.percent}%")
                                 for o in t.options], title=t.question.label)
        elif t.distribution:
            chart = charts.bars([(o.option, o.count, f"{o.count} · {o.percent}%")
                                 for o in t.distribution], title=t.question.label)
        grid = [(row, [t.cell(r, c) for c in range(len(t.question.cols))])
                for r, row in enumerate(t.question.rows)]
        by_unit = tab.choices_by_child.get(code, [])
        options = list(t.question.options)
        cross = [(title, head, rows, charts.stacked(
            [(r.label, [o.count for o in r.options]) for r in rows], options,
            title=f"{t.question.label} — {title}")) for title, head, rows in (
            (_("Bảng chéo theo cấp đơn vị"), _("Cấp"), tab.by_level.get(code, [])),
            (_("Bảng chéo theo khu vực"), _("Khu vực"), tab.by_sector.get(code, [])))
            if len(rows) > 1]
        number_cross = [(title, head, rows) for title, head, rows in (
            (_("Bảng chéo theo cấp đơn vị"), _("Cấp"), tab.numbers_by_level.get(code, [])),
            (_("Bảng chéo theo khu vực"), _("Khu vực"), tab.numbers_by_sector.get(code, [])))
            if len(rows) > 1]
        texts = t.texts  # paged by the selector (the database on PostgreSQL)
        page, pages = tab.text_pages.get(code, (1, 1))
        out.append({"t": t, "chart": chart, "grid": grid,
                    "by_unit": by_unit if len(by_unit) > 1 else [], "cross": cross,
                    "number_cross": number_cross, "texts": texts, "page": page,
                    "pages": pages, "first": (page - 1) * TEXTS_PER_PAGE + 1,
                    "prev": _page_link(request, code, page - 1) if page > 1 else "",
                    "next": _page_link(request, code, page + 1) if page < pages else ""})
    return out


@login_required
@require_GET
def tabulation(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    q = selectors.questionnaire_get(scope=scope, pk=pk)
    tab = selectors.tabulation(questionnaire=q, text_page=lambda code: _page_number(request, code),
                               texts_per_page=TEXTS_PER_PAGE)
    return render(request, "surveys/tabulation.html", {
        "q": q, "theme": q.theme, "tab": tab, "items": _charted(tab, request),
        "by_child_chart": charts.bars([(n or _("Trực tiếp"), c, str(c)) for n, c in
                                       tab.by_child], title=_("Số phiếu theo đơn vị"))
        if tab.by_child else None,
    })


@login_required
@require_GET
def tabulation_export(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    q = selectors.questionnaire_get(scope=scope, pk=pk)
    tab = selectors.tabulation(questionnaire=q)
    filename, content_type, body = export_tabulation_xlsx(
        tab, selectors.raw_rows(questionnaire=q))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- SUR-3 reports --------------------------------------------------------------------------------


@login_required
@require_POST
def theme_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead department drafts the thematic report from the tabulation."""
    scope = scope_of(request)
    theme = selectors.theme_get(scope=scope, pk=pk)
    try:
        doc = reports.theme_report_draft(scope=scope, actor=request.user, theme=theme)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect(theme.get_absolute_url())
    messages.success(request, _("Đã lập dự thảo báo cáo chuyên đề."))
    return redirect(doc.get_absolute_url())


@login_required
@require_POST
def campaign_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The Office compiles the mid-term review report from the thematic reports."""
    scope = scope_of(request)
    campaign = selectors.campaign_get(scope=scope, pk=pk)
    try:
        doc = reports.review_report_draft(scope=scope, actor=request.user, campaign=campaign)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect(campaign.get_absolute_url())
    messages.success(request, _("Đã lập dự thảo báo cáo đánh giá giữa nhiệm kỳ."))
    return redirect(doc.get_absolute_url())
