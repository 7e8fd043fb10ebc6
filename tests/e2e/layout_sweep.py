"""The layout sweep (issue 10): which pages exist, how to fill their ids from the demo, and what
the browser measures on each. The test itself is tests/e2e/test_layout_sweep.py.

A URL pattern is either a page — its parameters are filled from the demo by the kind of object
the path names before them (`don-vi/<pk>` a unit, `chi-doan/<pk>` a branch, `<year>` a year…),
so a new page under a known path is swept without anybody listing it — or listed in NOT_A_PAGE
with the reason (a POST-only action, a file download, an htmx fragment). A pattern that is
neither fails `test_layout_sweep_knows_every_url_pattern`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from tests.test_url_sweep import Route, all_routes

# centre, province, district, grassroots (commune), branch
ACCOUNTS = ["quantri", "tn_bithu", "hcm_quan1", "tn_xa_suoida", "tn_chidoan"]
WIDTHS = {360: 740, 1280: 800}

POST_ONLY = "chỉ nhận POST (một thao tác, không phải trang)"
DOWNLOAD = "tải tệp (không phải trang HTML)"
API_JSON = "địa chỉ API trả JSON cho chương trình, không phải trang (tests/api)"
API_DOCS = ("trang Swagger UI của gói drf-spectacular-sidecar, không dùng bố cục của Đoàn Vụ và "
            "cố ý hiện tên trường kỹ thuật (…_id); việc không tải gì từ internet được kiểm ở "
            "tests/api/test_api1_conventions.py")
FRAGMENT = "mảnh htmx chèn vào trang khác (được quét cùng trang đó)"

# Patterns that are not pages, with the reason. Anything else is a page and gets swept.
NOT_A_PAGE: dict[str, str] = {
    "accounts:login": "quét riêng, trước khi đăng nhập",
    "accounts:logout": POST_ONLY,
    "accounts:grant_end": POST_ONLY,
    "accounts:otp_reset_user": POST_ONLY,
    "audit:verify": POST_ONLY,
    "audit:export": DOWNLOAD + " (nhật ký đã lọc, .xlsx/.csv)",
    "org:unit_pick": FRAGMENT + ": kết quả tìm của ô chọn đơn vị",
    "org:unit_children": FRAGMENT + ": nhánh cây khi mở",
    "org:unit_audit": FRAGMENT + ": nhật ký thay đổi trên trang đơn vị",
    "org:unit_export": DOWNLOAD,
    "org:item_end": POST_ONLY,
    "documents:register_export": DOWNLOAD,
    "documents:issue": POST_ONLY,
    "documents:download": DOWNLOAD,
    "documents:recipient_pick": FRAGMENT + ": kết quả tìm của ô chọn nơi nhận",
    "hub:obligation_submit": POST_ONLY,
    "hub:obligation_accept": POST_ONLY,
    "hub:obligation_return": POST_ONLY,
    "hub:obligation_waive": POST_ONLY,
    "hub:obligation_remind": POST_ONLY,
    "hub:obligation_file": DOWNLOAD,
    "hub:timeliness_export": DOWNLOAD,
    "hub:calendar_feed": DOWNLOAD + " (lịch .ics)",
    "hub:notifications_read_all": POST_ONLY,
    "hub:notification_read": POST_ONLY,
    "members:transfer_branch_pick": FRAGMENT + ": ô chọn chi đoàn nhận",
    "members:import_progress": FRAGMENT + ": thanh tiến độ của trang nhập",
    "members:import_confirm": POST_ONLY,
    "members:import_resume": POST_ONLY,
    "members:import_cancel": POST_ONLY,
    "members:ghost_merge": POST_ONLY,
    "members:ghost_propose": POST_ONLY,
    "members:referral_outcome": POST_ONLY,
    "members:removal_proposal_decide": POST_ONLY,
    "members:export_xlsx": DOWNLOAD,
    "members:import_template": DOWNLOAD + " (file mẫu .xlsx)",
    "emulation:rubric_freeze": POST_ONLY,
    "emulation:rubric_close": POST_ONLY,
    "emulation:part_delete": POST_ONLY,
    "emulation:rubric_export": DOWNLOAD + " (thang điểm .xlsx)",
    "inspections:round_notice": POST_ONLY,
    "inspections:session_move_request": POST_ONLY,
    "inspections:session_attendees_propose": POST_ONLY,
    "inspections:session_attendees_confirm": POST_ONLY,
    "inspections:move_request_decide": POST_ONLY,
    "inspections:session_documents_submit": POST_ONLY,
    "inspections:session_document": DOWNLOAD + " (tài liệu kiểm tra, xem trực tuyến)",
    "inspections:session_held": POST_ONLY,
    "inspections:reflection_file": DOWNLOAD + " (tệp bài thu hoạch)",
    "inspections:conclusion_issue": POST_ONLY,
    "inspections:direction_mark": POST_ONLY,
    "inspections:limitation_remedied": POST_ONLY,
    "emulation:carryover_apply": POST_ONLY,
    "emulation:remediation_apply": POST_ONLY,
    "emulation:sheets_open": POST_ONLY,
    "emulation:sheet_submit": POST_ONLY,
    "emulation:sheet_finalise": POST_ONLY,
    "emulation:evidence_download": DOWNLOAD + " (minh chứng của phiếu chấm điểm)",
    "emulation:ranking_compute": POST_ONLY,
    "emulation:snapshot_publish": POST_ONLY,
    "emulation:snapshot_export": DOWNLOAD + " (bảng xếp hạng .xlsx)",
    "emulation:snapshot_pdf": DOWNLOAD + " (bảng xếp hạng .pdf)",
    "emulation:notices_issue": POST_ONLY,
    "emulation:policy_set": POST_ONLY,
    "emulation:appeal_decide": POST_ONLY,
    "emulation:appeal_evidence": DOWNLOAD + " (minh chứng khiếu nại)",
    "fieldvisits:compliance_recompute": POST_ONLY,
    "fieldvisits:compliance_export": DOWNLOAD + " (kết quả đi cơ sở .xlsx)",
    "fieldvisits:plan_issue": POST_ONLY,
    "fieldvisits:plan_merge": POST_ONLY,
    "fieldvisits:plan_register": POST_ONLY,
    "fieldvisits:plan_allow_late": POST_ONLY,
    "fieldvisits:plan_approve": POST_ONLY,
    "fieldvisits:plan_assign": POST_ONLY,
    "fieldvisits:plan_line_delete": POST_ONLY,
    "fieldvisits:rollup_obligations": POST_ONLY,
    "fieldvisits:rollup_generate": POST_ONLY,
    "fieldvisits:rollup_xlsx": DOWNLOAD + " (báo cáo tổng hợp đi cơ sở .xlsx)",
    "fieldvisits:service_worker": DOWNLOAD + " (service worker của trang ghi chuyến đi)",
    "fieldvisits:visit_sync": POST_ONLY + " (gửi chuyến đi lưu trên điện thoại)",
    "fieldvisits:visit_delete": POST_ONLY,
    "fieldvisits:visit_report": POST_ONLY,
    "fieldvisits:visit_file": DOWNLOAD + " (ảnh, tệp của chuyến đi)",
    "fieldvisits:visit_file_delete": POST_ONLY,
    "remediation:evidence_add": POST_ONLY,
    "remediation:shortcoming_close": POST_ONLY,
    "remediation:evaluation_lock": POST_ONLY,
    "remediation:evidence_file": DOWNLOAD + " (minh chứng khắc phục khuyết điểm)",
    "targets:target_create": POST_ONLY,
    "plans:evidence_add": POST_ONLY,
    "plans:evidence_file": DOWNLOAD + " (minh chứng thực hiện nhiệm vụ)",
    "remediation:reports_open": POST_ONLY,
    "remediation:department_report_xlsx": DOWNLOAD + " (báo cáo khắc phục khuyết điểm .xlsx)",
    "remediation:office_report_xlsx": DOWNLOAD + " (báo cáo tổng hợp khắc phục .xlsx)",
    "targets:entry_set": POST_ONLY,
    "targets:target_delete": POST_ONLY,
    "targets:report_document": POST_ONLY,
    "targets:report_xlsx": DOWNLOAD + " (báo cáo thực hiện chỉ tiêu .xlsx)",
    "surveys:question_remove": POST_ONLY,
    "surveys:theme_report": POST_ONLY,
    "surveys:campaign_report": POST_ONLY,
    "surveys:questionnaire_send": POST_ONLY,
    "surveys:response_reopen": POST_ONLY,
    "surveys:tabulation_export": DOWNLOAD + " (tổng hợp khảo sát .xlsx)",
    "surveys:response_file": DOWNLOAD + " (tệp đính kèm phiếu khảo sát)",
    # the API (issue 16): the token list page (api:token_list) is swept; these are not pages
    "api:token_revoke": POST_ONLY,
    "api:schema": DOWNLOAD + " (lược đồ OpenAPI của API)",
    "api:docs": API_DOCS,
    "api:not_found": API_JSON,
    "api:v1_units": API_JSON,
    "api:v1_unit": API_JSON,
    "api:v1_unit_obligations": API_JSON,
    "api:v1_members": API_JSON,
    "api:v1_member": API_JSON,
    "api:v1_member_imports": API_JSON,
    "api:v1_member_import": API_JSON,
    "api:v1_member_import_confirm": API_JSON,
    "api:v1_my_obligations": API_JSON,
    "api:v1_obligation": API_JSON,
    "api:v1_obligation_submit": API_JSON,
    "api:v1_documents": API_JSON,
    "api:v1_document": API_JSON,
    "api:v1_shortcomings": API_JSON,
    "api:v1_shortcoming": API_JSON,
    "api:v1_survey_campaigns": API_JSON,
    "api:v1_survey_campaign": API_JSON,
    "api:v1_surveys": API_JSON,
    "api:v1_survey": API_JSON,
    "api:v1_survey_tabulation": API_JSON,
    "api:v1_tokens": API_JSON,
    "api:v1_token_revoke": API_JSON,
    "api:v1_rubrics": API_JSON,
    "api:v1_rubric": API_JSON,
    "api:v1_ranking": API_JSON,
    "api:v1_sheets": API_JSON,
    "api:v1_sheet": API_JSON,
    "api:v1_grassroots_classification": API_JSON,
    "api:v1_branch_ratings": API_JSON,
    "api:v1_unit_rating_rollup": API_JSON,
    "api:v1_inspections": API_JSON,
    "api:v1_inspection": API_JSON,
    "api:v1_inspection_conclusion": API_JSON,
    "api:v1_inspection_reflections": API_JSON,
    "api:v1_visits": API_JSON,
    "api:v1_visit": API_JSON,
    "api:v1_compliance": API_JSON,
    "api:v1_unit_compliance": API_JSON,
    "api:v1_unit_targets": API_JSON,
    "api:v1_unit_target": API_JSON,
    "api:v1_visit_report": API_JSON,
    "api:v1_sheet_scores_push": API_JSON,
}

# Pages the demo has nothing to show for (no such record in the demo), with the reason. A page
# listed here is swept when an account has such a record; otherwise it is not a failure.
NOT_IN_DEMO: dict[str, str] = {
    # swept as soon as the demo's field visits exist (the demo of issue 13 logs them)
    "fieldvisits:visit_detail": "dữ liệu mẫu chưa có chuyến đi cơ sở",
    "fieldvisits:visit_edit": "dữ liệu mẫu chưa có chuyến đi cơ sở chưa báo cáo",
}

# Where the path's own word does not say which record a page needs.
KIND_BY_ROUTE: dict[str, dict[str, str]] = {
    "members:dues_waive": {"pk": "branch"},  # the upper unit waives a branch's dues
    "documents:edit": {"pk": "draft_document"},  # an issued document is not edited
    # a rubric is edited only while it is a draft (the demo's 2021 copy)
    "emulation:rubric_edit": {"pk": "draft_rubric"},
    "emulation:rubric_import": {"pk": "draft_rubric"},
    "emulation:part_add": {"pk": "draft_rubric", "part": "rubric_part"},
    "emulation:part_edit": {"pk": "draft_rubric", "part": "rubric_part",
                            "item": "draft_criterion"},
    # a visit is corrected only before its report (FV-6)
    "fieldvisits:visit_edit": {"pk": "open_visit"},
    # a unit appeals its own line of a published ranking (EMU-7)
    "emulation:appeal_create": {"pk": "own_published_snapshot", "unit": "unit"},
    # field visits (FV-5, FV-10): a quarter plan and a campaign of the unit
    "fieldvisits:plan_detail": {"pk": "fv_plan"},
    # plans (issue 14): a plan document of the unit with its structure recorded
    "plans:plan": {"pk": "plan_document"},
    "plans:plan_edit": {"pk": "plan_document"},
    "plans:task_create": {"pk": "plan_document"},
    "plans:task_import": {"pk": "plan_document"},
    "fieldvisits:campaign_detail": {"pk": "fv_campaign"},
    # remediation (REM-3, REM-4): the plan's year, a lead department's report, a rated member
    "remediation:department_report": {"year": "rem_year", "dept": "rem_department",
                                      "period": "rem_period"},
    "remediation:office_report": {"year": "rem_year", "which": "rem_office_report"},
    "remediation:year_rating": {"person": "rem_person", "year": "rem_year"},
    # a target at the unit it is set for (targets, issue 14)
    "targets:target_detail": {"pk": "target_unit", "target": "target"},
    # surveys (issue 15): an anonymous member survey the account is asked
    "surveys:member_answer": {"pk": "member_questionnaire"},
    "surveys:named_answer": {"pk": "named_questionnaire"},
    "surveys:paper_branches": {"pk": "entry_questionnaire"},
    "surveys:paper_entry": {"pk": "entry_questionnaire", "branch": "entry_branch"},
}


@dataclass
class Ids:
    """The account's own records, one of each kind a page's path may name (None: none)."""

    values: dict[str, int | str | None]

    def get(self, kind: str) -> int | str | None:
        return self.values.get(kind)


# The kind of object a parameter names, from the path segment just before it (or its name).
KIND_BY_SEGMENT = {
    "don-vi": "unit",
    "chi-doan": "branch",
    "doan-vien": "member",
    "van-ban": "document",
    "viec": "obligation",
    "sinh-hoat": "meeting",
    "nhap": "import_job",
    "chuyen-sinh-hoat": "transfer",
    "sap-nhap-lien-ap": "sibling_branch",
    "trang-thai": "cadre_status",
    "khoa-hoc": "cadre_course",
    "de-nghi-xoa-ten": "removal_proposal",
    "thang-diem": "rubric",
    "khoi": "sector_group",
    "ke-hoach": "inspection_plan",
    "dot": "inspection_round",
    "doan": "inspection_team",
    "buoi": "inspection_session",
    "phieu": "sheet",
    "ban": "scoring_department",
    "xep-hang": "ranking_snapshot",
    "khieu-nai": "appeal",
    "can-bo": "cadre",
    "chuyen-di": "visit",
    "che-do": "fv_policy",  # a field-visit regime (issue 13)
    "khuyet-diem": "shortcoming",  # a shortcoming of a body's register (issue 14)
    "giai-phap": "rem_solution",  # a solution of a body's remediation plan (issue 14)
    "nhiem-vu": "plan_task",  # a task of a unit's plan (issue 14, PLAN-2)
    "muc": "target",  # a target (chỉ tiêu) set by the unit or a unit under it (issue 14)
    "dot-khao-sat": "sur_campaign",  # a survey campaign (issue 15)
    "chuyen-de": "sur_theme",  # a theme of a survey campaign (issue 15)
    "bang-hoi": "questionnaire",  # a questionnaire of a theme (issue 15)
    "phieu-tra-loi": "sur_response",  # a unit's answer to a questionnaire (issue 15)
}
KIND_BY_NAME = {"year": "year"}


def param_kind(route: Route, param: str) -> str | None:
    if param in KIND_BY_ROUTE.get(route.name, {}):
        return KIND_BY_ROUTE[route.name][param]
    if param in KIND_BY_NAME:
        return KIND_BY_NAME[param]
    match = re.search(r"([\w-]+)/<(?:\w+:)?" + re.escape(param) + r">", route.route)
    return KIND_BY_SEGMENT.get(match.group(1)) if match else None


def pages() -> list[Route]:
    return [r for r in all_routes() if r.name not in NOT_A_PAGE]


def unknown_patterns() -> list[str]:
    """Pages whose parameters the sweep cannot fill, and NOT_A_PAGE entries that are gone."""
    routes = all_routes()
    problems = [f"{r.name} ({r.route}): không biết điền <{p}>; thêm vào KIND_BY_SEGMENT "
                "hoặc ghi vào NOT_A_PAGE kèm lý do"
                for r in routes if r.name not in NOT_A_PAGE for p in r.params
                if param_kind(r, p) is None]
    names = {r.name for r in routes}
    problems += [f"{name}: không còn mẫu URL này"
                 for name in [*NOT_A_PAGE, *NOT_IN_DEMO, *KIND_BY_ROUTE] if name not in names]
    return problems


def account_ids(username: str) -> Ids:
    """The account's own unit and, inside it, a branch with members and one record of each
    kind, read from the demo."""
    from doanvu.accounts.models import RoleGrant

    grant = (RoleGrant.objects.filter(user__username=username, end_date__isnull=True)
             .select_related("unit").order_by("pk").first())
    assert grant is not None, f"tài khoản mẫu {username} không có vai trò"
    return unit_ids(grant.unit, department_id=grant.department_id, username=username)


def unit_ids(unit: Any, *, department_id: int | None = None, username: str | None = None) -> Ids:
    """A unit and, inside its subtree, a branch with members and one record of each kind, read
    from the demo (the scope sweep of tests/demo/loaded asks it of units outside an account's
    reach). `department_id`: the account's own department, if it scores for one; `username`:
    the account, for the named members' questionnaire its own member record is asked (none
    without it)."""
    from doanvu.documents.models import Document
    from doanvu.emulation.models import (
        Appeal,
        Criterion,
        RankingSnapshot,
        Rubric,
        ScoreSheet,
        SectorGroup,
    )
    from doanvu.fieldvisits.models import Campaign, FieldVisitPolicy, QuarterPlan
    from doanvu.fieldvisits.models import Visit as FieldVisit
    from doanvu.hub.models import Obligation
    from doanvu.inspections.models import InspectionPlan, Round, Session, Team
    from doanvu.members.models import (
        CadreCourse,
        CadreStatus,
        ImportJob,
        Meeting,
        MemberRating,
        Membership,
        RemovalProposal,
        Transfer,
    )
    from doanvu.org.models import Department, Position, Unit
    from doanvu.org.paths import ancestor_ids
    from doanvu.plans.models import Plan, Task
    from doanvu.remediation.models import MonthlyEvaluation, Shortcoming, Solution, SolutionGroup
    from doanvu.surveys.models import Campaign as SurveyCampaign
    from doanvu.surveys.models import Questionnaire, Theme
    from doanvu.surveys.models import Response as SurveyResponse
    from doanvu.targets.models import Target

    inside = Q(path__startswith=unit.path)
    branch = (Unit.objects.filter(inside, kind__is_branch=True, dissolved_on__isnull=True,
                                  memberships__is_current=True)
              .order_by("path").first())
    first: Callable[..., int | None] = lambda qs: qs.values_list("pk", flat=True).first()  # noqa: E731
    under = {"unit__path__startswith": unit.path}
    values: dict[str, int | str | None] = {
        "unit": unit.pk,
        "branch": branch.pk if branch else None,
        "document": first(Document.objects.filter(issuing_unit__path__startswith=unit.path)
                          .order_by("pk")),
        "draft_document": first(Document.objects.filter(
            issuing_unit__path__startswith=unit.path, status="nhap").order_by("pk")),
        "obligation": first(Obligation.objects.filter(
            Q(owed_by_unit__path__startswith=unit.path) | Q(owed_to_unit=unit)).order_by("pk")),
        "import_job": first(ImportJob.objects.filter(**under).order_by("pk")),
        "transfer": first(Transfer.objects.filter(
            Q(to_branch__path__startswith=unit.path)
            | Q(membership__branch__path__startswith=unit.path)).order_by("pk")),
        # inspections: the unit's own plan, round and team; a session at or by the unit
        "inspection_plan": first(InspectionPlan.objects.filter(
            issuing_unit__path__startswith=unit.path).order_by("pk")),
        "inspection_round": first(Round.objects.filter(
            plan__issuing_unit__path__startswith=unit.path).order_by("pk")),
        "inspection_team": first(Team.objects.filter(
            round__plan__issuing_unit__path__startswith=unit.path).order_by("pk")),
        "inspection_session": first(Session.objects.filter(
            Q(unit__path__startswith=unit.path)
            | Q(team__round__plan__issuing_unit__path__startswith=unit.path)).order_by("pk")),
        "cadre_status": None, "cadre_course": None, "removal_proposal": None,
        "member": None, "meeting": None, "sibling_branch": None,
        "year": MemberRating.objects.order_by("-year").values_list("year", flat=True).first()
        or dt.date.today().year,
        # emulation (EMU-1): the unit's rubrics, its draft's criteria, its sector groups
        "rubric": first(Rubric.objects.filter(issuing_unit__path__startswith=unit.path)
                        .order_by("pk")),
        "draft_rubric": first(Rubric.objects.filter(issuing_unit__path__startswith=unit.path,
                                                    state="nhap").order_by("pk")),
        "draft_criterion": first(Criterion.objects.filter(
            area__rubric__issuing_unit__path__startswith=unit.path,
            area__rubric__state="nhap").order_by("area__rubric_id", "pk")),
        "rubric_part": "tieu-chi",
        "sector_group": first(SectorGroup.objects.filter(
            issuing_unit__path__startswith=unit.path).order_by("pk")),
        # emulation (EMU-2): a sheet the unit is evaluated on or issued, a scoring department
        "sheet": first(ScoreSheet.objects.filter(
            Q(unit__path__startswith=unit.path)
            | Q(rubric__issuing_unit__path__startswith=unit.path)).order_by("pk")),
        # emulation (EMU-3, EMU-4): a ranking snapshot of the unit's rubrics
        "ranking_snapshot": first(RankingSnapshot.objects.filter(
            rubric__issuing_unit__path__startswith=unit.path).order_by("pk")),
        # emulation (EMU-7): a published ranking the unit is on, an appeal by or to the unit
        "own_published_snapshot": first(RankingSnapshot.objects.filter(
            state="cong_bo", entries__unit=unit).order_by("pk")),
        "appeal": first(Appeal.objects.filter(
            Q(unit__path__startswith=unit.path)
            | Q(snapshot__rubric__issuing_unit__path__startswith=unit.path)).order_by("pk")),
        # field visits (FV-5, FV-10): a quarter plan and a campaign of the unit's agency
        "fv_plan": first(QuarterPlan.objects.filter(unit__path__startswith=unit.path)
                         .order_by("pk")),
        "fv_campaign": first(Campaign.objects.filter(unit__path__startswith=unit.path)
                             .order_by("pk")),
        # field visits (issue 13): a visit made from the unit's agency or below, one not yet
        # reported (only those are edited)
        "visit": first(FieldVisit.objects.filter(unit__path__startswith=unit.path)
                       .order_by("pk")),
        "open_visit": first(FieldVisit.objects.filter(unit__path__startswith=unit.path,
                                                      reported_on__isnull=True).order_by("pk")),
        # field visits (issue 13): a regime the unit (or a unit under it) issued
        "fv_policy": first(FieldVisitPolicy.objects.filter(
            issuing_unit__path__startswith=unit.path).order_by("pk")),
        # remediation (issue 14): a shortcoming of the unit's register or a register below it
        "shortcoming": first(Shortcoming.objects.filter(unit__path__startswith=unit.path)
                             .order_by("pk")),
        "rem_solution": first(Solution.objects.filter(group__unit__path__startswith=unit.path)
                              .order_by("pk")),
        # plans (issue 14): a plan of the unit's or a unit below with its structure, a task
        "plan_document": Plan.objects.filter(unit__path__startswith=unit.path)
        .order_by("pk").values_list("document_id", flat=True).first(),
        "plan_task": first(Task.objects.filter(plan__unit__path__startswith=unit.path)
                           .order_by("pk")),
        # remediation (REM-3, REM-4): the unit's own plan year, the lead of a group other than
        # the Office (the departments report to it), a member the unit evaluated that year
        **_remediation_ids(unit, SolutionGroup, MonthlyEvaluation),
        # targets (issue 14): one the unit or a unit under it set, at the unit it is set for
        "target": first(Target.objects.filter(unit__path__startswith=unit.path)
                        .order_by("pk")),
        "target_unit": Target.objects.filter(unit__path__startswith=unit.path)
        .order_by("pk").values_list("scope_unit_id", flat=True).first(),
        # surveys (issue 15): a campaign of the unit, a theme and questionnaire of it, and an
        # answer the unit or a unit under it owes (or the campaign's, for its organiser)
        "sur_campaign": first(SurveyCampaign.objects.filter(**under).order_by("pk")),
        "sur_theme": first(Theme.objects.filter(campaign__unit__path__startswith=unit.path)
                           .order_by("pk")),
        "questionnaire": first(Questionnaire.objects.filter(
            theme__campaign__unit__path__startswith=unit.path).order_by("pk")),
        "sur_response": first(SurveyResponse.objects.filter(
            Q(unit__path__startswith=unit.path)
            | Q(questionnaire__theme__campaign__unit__path__startswith=unit.path))
            .order_by("pk")),
        # an anonymous members' survey the account is asked: sent, of a unit at or above the
        # account's (the demo's open survey of Đoàn xã Suối Đá asks tn_xa_suoida, tn_chidoan)
        "member_questionnaire": first(Questionnaire.objects.filter(
            audience="members", state="sent", named=False,
            theme__units__in=[*ancestor_ids(unit.path), unit.pk]).order_by("-pk")),
        **_entry_ids(username, unit, Questionnaire, Unit),
        # the account's own department if it scores for one, else the first that has criteria
        "scoring_department": department_id or first(Department.objects.filter(
            unit__path__startswith=unit.path, emulation_criteria__isnull=False)
            .distinct().order_by("pk")),
        # field visits: a cadre of an agency in the unit's subtree (their compliance page)
        "cadre": Position.objects.filter(unit__path__startswith=unit.path,
                                          unit__kind__has_agency=True)
        .order_by("unit__path", "pk").values_list("person_id", flat=True).first(),
    }
    if branch is not None:
        member = (Membership.objects.filter(branch=branch, is_current=True)
                  .order_by("pk").first())
        values["member"] = member.pk if member else None
        values["meeting"] = first(Meeting.objects.filter(unit=branch).order_by("-date", "pk"))
        values["sibling_branch"] = first(
            Unit.objects.filter(parent_id=branch.parent_id, kind__is_branch=True,
                                dissolved_on__isnull=True).exclude(pk=branch.pk).order_by("pk"))
        if member is not None:
            values["cadre_status"] = first(CadreStatus.objects.filter(person_id=member.person_id))
            values["cadre_course"] = first(CadreCourse.objects.filter(person_id=member.person_id))
            values["removal_proposal"] = first(
                RemovalProposal.objects.filter(membership=member))
    return Ids(values)


def _entry_ids(username: str | None, unit: object, questionnaire_model: type,
               unit_model: type) -> dict[str, object]:
    """A sent members' questionnaire with a standing branch under one of its surveyed units
    and under the account's unit (the account writes it), and that branch; a named one the
    account's own member record is asked (sur5)."""
    from doanvu.members.models import Membership

    path = unit.path  # type: ignore[attr-defined]
    mine = (Membership.objects.filter(person__user__username=username, is_current=True)
            .values_list("unit_path", flat=True).first()) if username else None
    named = None
    if mine is not None:
        named = next((q.pk for q in questionnaire_model.objects.filter(
            audience="members", state="sent", named=True).prefetch_related("theme__units")
            .order_by("pk") if any(mine.startswith(u.path) for u in q.theme.units.all())),
            None)
    for q in (questionnaire_model.objects.filter(audience="members", state="sent")
              .prefetch_related("theme__units").order_by("pk")):
        for surveyed in q.theme.units.all():
            deeper = max(path, surveyed.path, key=len)
            if not deeper.startswith(min(path, surveyed.path, key=len)):
                continue
            branch = (unit_model.objects.filter(path__startswith=deeper, kind__is_branch=True,
                                                dissolved_on__isnull=True)
                      .order_by("path").values_list("pk", flat=True).first())
            if branch is not None:
                return {"entry_questionnaire": q.pk, "entry_branch": branch,
                        "named_questionnaire": named}
    return {"entry_questionnaire": None, "entry_branch": None, "named_questionnaire": named}


def _remediation_ids(unit: object, groups: object, evaluations: object) -> dict[str, object]:
    from doanvu.remediation.reports import office_of

    own = groups.objects.filter(unit=unit)  # type: ignore[attr-defined]
    year = own.order_by("-year").values_list("year", flat=True).first()
    office = office_of(unit)  # type: ignore[arg-type]
    lead = (own.filter(year=year, lead__isnull=False).exclude(lead=office)
            .order_by("number").values_list("lead_id", flat=True).first())
    person = (evaluations.objects.filter(  # type: ignore[attr-defined]
        unit=unit, month__startswith=f"{year}-M").order_by("pk")
        .values_list("person_id", flat=True).first())
    return {"rem_year": year, "rem_department": lead,
            "rem_period": f"{year}-Y" if year else None,
            "rem_office_report": "tong-hop" if year else None, "rem_person": person}


def add_records_the_demo_lacks() -> None:
    """A draft document of the province; a cadre status, a course and a removal proposal of the
    branch's first member; a member import of the branch with a bad row: so that the document
    form, the cadre records' end forms, the removal decision and the import's report and mapping
    pages are swept too."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doanvu.accounts.models import User
    from doanvu.documents.models import DocumentType
    from doanvu.documents.services import document_create
    from doanvu.members.core import services as members
    from doanvu.members.ghost import services as ghost
    from doanvu.members.imports import services as imports
    from doanvu.members.models import CadreStatusKind, Membership
    from doanvu.org.models import Unit

    province = Unit.objects.get(grants__user__username="tn_bithu")
    document_create(actor=None, issuing_unit=province,
                    doc_type=DocumentType.objects.get(code="ke_hoach"),
                    title="Kế hoạch tổ chức Tháng Thanh niên năm 2026", body_code="TĐTN-VP",
                    place="Tây Ninh")
    secretary = User.objects.get(username="tn_chidoan")
    branch = Unit.objects.get(grants__user=secretary)
    upload = SimpleUploadedFile("doan-vien-moi.csv", (
        "Họ và tên,Ngày sinh,Giới tính,Ngày vào Đoàn\n"
        "Nguyễn Văn Mới,31/02/2004,Nam,26/03/2020\n"
        "Trần Thị Hai,01/01/2003,Nữ,26/03/2019\n").encode())
    person = (Membership.objects.filter(branch=branch, is_current=True).order_by("pk")
              .first()).person  # type: ignore[union-attr]
    members.cadre_status_add(actor=None, person=person, kind=CadreStatusKind.SECONDMENT,
                             start_date=dt.date(2025, 3, 1), note="Biệt phái về Đoàn xã")
    members.cadre_course_add(actor=None, person=person, name="Bồi dưỡng cán bộ Đoàn cơ sở",
                             start_date=dt.date(2025, 5, 5))
    ghost.ghost_removal_propose(actor=None, membership=Membership.objects.get(
        person=person, is_current=True), reason="Không sinh hoạt, không đóng đoàn phí 12 tháng")
    job = imports.import_job_create(actor=secretary, unit=branch, upload=upload)
    imports.import_job_check(job=job, mapping=job.mapping)
    _field_visit_records(province)
    _named_survey_records(province, secretary, branch)
    # the province secretary has an authenticator app, so the code page opens (issue 16); the
    # superuser has none and is shown the setup page (the test settings enforce neither)
    from django_otp.plugins.otp_totp.models import TOTPDevice
    TOTPDevice.objects.create(user=User.objects.get(username="tn_bithu"), name="totp",
                              confirmed=True)


def _named_survey_records(province: Any, secretary: Any, branch: Any) -> None:
    """A named members' questionnaire of the province, open today, surveying the unit under the
    province above the branch, one named answer and the branch secretary's login linked to a
    member of the branch: the named answer, paper entry and its branch pages are swept (sur5)."""
    from doanvu.members.models import Membership
    from doanvu.org.models import Department, Person, Unit
    from doanvu.surveys.models import (
        Campaign,
        NamedAnswer,
        Questionnaire,
        QuestionnaireState,
        QuestionnaireVersion,
        Theme,
    )

    today = dt.date.today()
    from doanvu.org.paths import STEP

    surveyed = Unit.objects.get(path=branch.path[:len(province.path) + STEP])
    campaign = Campaign.objects.create(unit=province, name="Khảo sát nhu cầu đoàn viên năm nay",
                                       year=today.year)
    theme = Theme.objects.create(campaign=campaign, number=1, title="Nhu cầu của đoàn viên",
                                 lead_department=Department.objects.filter(unit=province)
                                 .order_by("pk").first(), opens_on=today, closes_on=today,
                                 due_on=today)
    theme.units.set([surveyed])
    q = Questionnaire.objects.create(theme=theme, title="Phiếu ghi tên: nguyện vọng đoàn viên",
                                     audience="members", named=True,
                                     state=QuestionnaireState.SENT, sent_on=today)
    version = QuestionnaireVersion.objects.create(questionnaire=q, number=1, questions=[
        {"code": "c1", "number": 1, "kind": "single", "text": "Bạn muốn tập huấn kỹ năng gì?",
         "required": True, "options": ["Tin học", "Ngoại ngữ", "Kỹ năng mềm"]},
        {"code": "c2", "number": 2, "kind": "scale", "text": "Mức độ hài lòng", "min": "1",
         "max": "5"},
        {"code": "c3", "number": 3, "kind": "long", "text": "Nguyện vọng khác"}])
    members = list(Membership.objects.filter(branch=branch, is_current=True).order_by("pk")[:2])
    if not Membership.objects.filter(person__user=secretary, is_current=True,
                                     unit_path__startswith=surveyed.path).exists():
        # the demo's secretary is a cadre without a membership: log in as a member instead
        Person.objects.filter(user=secretary).update(user=None)
        Person.objects.filter(pk=members[0].person_id).update(user=secretary)
    if len(members) > 1:
        NamedAnswer.objects.create(questionnaire=q, version=version, unit=surveyed,
                                   person_id=members[1].person_id, branch=branch,
                                   answers={"c1": "Tin học", "c2": "4"}, on_paper=True,
                                   entered_by=secretary)


def _field_visit_records(province: object) -> None:
    """A quarter plan with a line and a Youth Month campaign of the province, when the demo has
    none (the field-visit demo makes its own)."""
    from doanvu.fieldvisits.models import Campaign, PlannedVisit, QuarterPlan
    from doanvu.org.models import Position, Unit

    if QuarterPlan.objects.filter(unit=province).exists():
        return
    year = dt.date.today().year
    campaign = Campaign.objects.create(unit=province, name=f"Tháng Thanh niên {year}",
                                       start_date=dt.date(year, 3, 1),
                                       end_date=dt.date(year, 3, 31), target_days=4)
    plan = QuarterPlan.objects.create(unit=province, year=year, quarter=1, campaign=campaign)
    post = Position.objects.filter(unit=province).order_by("pk").first()
    place = Unit.objects.filter(parent=province).order_by("pk").first()
    if post is not None and place is not None:
        PlannedVisit.objects.create(plan=plan, person=post.person, kind="1.1", place=place,
                                    start_date=dt.date(year, 3, 10),
                                    end_date=dt.date(year, 3, 11),
                                    content="Phối hợp tổ chức ra quân Tháng Thanh niên")


def page_urls(ids: Ids) -> list[tuple[str, str]]:
    """(route name, URL) of every page the account's records fill."""
    from django.urls import reverse

    out: list[tuple[str, str]] = []
    for route in pages():
        kwargs = {p: ids.get(param_kind(route, p) or "") for p in route.params}
        if any(v is None for v in kwargs.values()):
            continue
        out.append((route.name, reverse(route.name, kwargs=kwargs)))
    return out


# Visible text that is English or an internal code (STYLE.md, "Pages").
FORBIDDEN = re.compile(
    r"\b\w+_id\b|\bNone\b|∅|\bfv\.\w+|\brem\.\w+"
    r"|\b(?:org|accounts|audit|documents|hub|members|auth|contenttypes|common)\.[a-z_]+[a-z]\b"
)

# What the browser measures on a page; returns a list of Vietnamese problem descriptions.
MEASURE_JS = r"""
() => {
  const out = [];
  const de = document.documentElement;
  if (de.scrollWidth > window.innerWidth) {
    out.push(`trang tràn ngang: rộng ${de.scrollWidth}px > ${window.innerWidth}px`);
  }
  const visible = (el) => el.getClientRects().length > 0
      && getComputedStyle(el).visibility !== 'hidden';
  const brokenCells = [];
  const isSplit = (rects) => {
    // one word on more than one line: its boxes do not share a baseline
    const tops = new Set(Array.from(rects).filter(r => r.width > 0).map(r => Math.round(r.top)));
    return tops.size > 1;
  };
  for (const cell of document.querySelectorAll('td, th')) {
    if (!visible(cell)) continue;
    if (cell.scrollWidth > cell.clientWidth + 1) {
      brokenCells.push(`ô “${cell.innerText.trim().slice(0, 40)}” hẹp hơn nội dung `
        + `(${cell.clientWidth}px < ${cell.scrollWidth}px)`);
      continue;
    }
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node, found = null;
    while (!found && (node = walker.nextNode())) {
      const parent = node.parentElement;
      if (!parent || parent.closest('select, option, script, style, textarea')) continue;
      const text = node.data;
      const re = /[^\s\-\u2010\u2013\u2014\/]+/g;  // words: breaks after - and / are allowed
      let m;
      while ((m = re.exec(text))) {
        if (m[0].length < 2) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        if (isSplit(range.getClientRects())) { found = m[0]; break; }
      }
    }
    if (found) brokenCells.push(`chữ “${found}” bị ngắt giữa từ trong ô `
      + `“${cell.innerText.trim().slice(0, 40)}” (ô rộng ${cell.clientWidth}px)`);
  }
  if (brokenCells.length) {
    out.push(`${brokenCells.length} ô bảng hẹp hơn chữ dài nhất, ví dụ: `
      + brokenCells.slice(0, 3).join('; '));
  }
  const text = document.body.innerText;
  return {problems: out, height: de.scrollHeight, chars: text.replace(/\s+/g, '').length,
          text: text};
}
"""


def height_problem(height: int, chars: int, width: int) -> str | None:
    """A page far taller than its text needs: at most 4 000 px, or ~10 px² of page per px² a
    character of its text takes (a line of 16 px text is ~22 px tall, a character ~8 px wide),
    whichever is larger. A column collapsed to a letter a line makes it 10-50 times taller."""
    budget = max(4000, int(chars * 8 * 22 * 12 / width))
    if height > budget:
        return (f"trang cao bất thường: {height}px cho {chars} ký tự "
                f"(tối đa {budget}px ở độ rộng {width}px)")
    return None


def forbidden_tokens(text: str) -> list[str]:
    return sorted({m.group(0) for m in FORBIDDEN.finditer(text)})


def full_page_png(cdp: object, path: object) -> None:
    """A screenshot of the whole page, straight from Chromium with its fast PNG encoder: about
    half the time of Playwright's full-page screenshot, which the sweep takes some 600 times."""
    import base64
    from pathlib import Path

    size = cdp.send("Page.getLayoutMetrics")["cssContentSize"]  # type: ignore[attr-defined]
    shot = cdp.send("Page.captureScreenshot", {  # type: ignore[attr-defined]
        "format": "png", "captureBeyondViewport": True, "optimizeForSpeed": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    Path(str(path)).write_bytes(base64.b64decode(shot["data"]))


@dataclass
class Visit:
    account: str
    width: int
    name: str
    url: str
    status: int | None
    landed: str
    problems: list[str]
    height: int = 0
    chars: int = 0
    seconds: float = 0.0


def sweep_account(browser: object, base: str, account: str, password: str, width: int,
                  urls: list[tuple[str, str]], out_dir: object, *,
                  known_leaks: dict[str, str] | None = None,
                  login_page: bool = False) -> list[Visit]:
    """Log in as the account at one width (one browser context) and visit every URL."""
    import time
    from pathlib import Path

    from playwright.sync_api import Error as PlaywrightError

    height = WIDTHS[width]
    context = browser.new_context(  # type: ignore[attr-defined]
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    # Nothing leaves the machine, and what the Content-Security-Policy refused is a part
    # of the page that silently did not work (issue 8): both are problems of the page.
    page.route(re.compile(r"^(?!" + re.escape(base) + r"(/|$)).*"),
               lambda route: route.abort("blockedbyclient"))
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    page.on("request", lambda req: refused.append(f"yêu cầu ra ngoài: {req.url}")
            if not (req.url == base or req.url.startswith(base + "/")) else None)
    folder = Path(str(out_dir)) / account / str(width)
    # a screenshot of each page with a problem; of every page with DOANVU_SWEEP_SHOTS=all (some
    # 600 full-page shots, a third of the sweep's time)
    every_shot = os.environ.get("DOANVU_SWEEP_SHOTS") == "all"
    folder.mkdir(parents=True, exist_ok=True)
    visits: list[Visit] = []

    def look(name: str, url: str) -> None:
        started = time.monotonic()
        try:
            response = page.goto(base + url, wait_until="load")
        except PlaywrightError as exc:
            if "Download is starting" not in str(exc):
                raise
            # a file, not a page: reported, so it gets listed in NOT_A_PAGE with its reason
            visits.append(Visit(account, width, name, url, None, url, [
                "là tệp tải về, không phải trang: ghi vào NOT_A_PAGE (DOWNLOAD)"]))
            return
        status = response.status if response is not None else None
        landed = page.url[len(base):] if page.url.startswith(base) else page.url
        visit = Visit(account, width, name, url, status, landed, [])
        if status == 200 and "text/html" in (response.headers.get("content-type", "")
                                               if response else ""):
            data = page.evaluate(MEASURE_JS)
            visit.problems = list(data["problems"])
            visit.height, visit.chars = data["height"], data["chars"]
            tall = height_problem(data["height"], data["chars"], width)
            if tall:
                visit.problems.append(tall)
            leaks = forbidden_tokens(data["text"])
            if leaks and name not in (known_leaks or {}):
                visit.problems.append(f"chữ tiếng Anh hoặc mã nội bộ hiện ra: {leaks}")
        if refused:
            visit.problems.append(f"trang vi phạm Content-Security-Policy: {refused}")
            refused.clear()
        if status is not None and status >= 500:
            visit.problems.append(f"lỗi máy chủ {status}")
        if visit.height and (visit.problems or every_shot):
            full_page_png(cdp, folder / f"{name.replace(':', '-')}.png")
        visit.seconds = time.monotonic() - started
        visits.append(visit)

    try:
        page.goto(base + "/dang-nhap/")
        if login_page:
            look("accounts:login", "/dang-nhap/")
        page.locator("input[name=username]").fill(account)
        page.locator("input[name=password]").fill(password)
        page.locator("form:has(input[name=password]) [type=submit]").click()
        page.wait_for_url(base + "/")
        for name, url in urls:
            look(name, url)
    finally:
        context.close()
    return visits
