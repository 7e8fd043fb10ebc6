"""Every URL of the project, swept as users who reach nothing they ask for (X-3, X-9, X-10).

For each pattern, GET and POST with its parameters filled with another unit's id, ids that do
not exist, ids too large for the database and junk strings: the answer is a redirect, 400, 403,
404 or 405 — never a 500 (an exception fails the test loudly), never a page naming a unit the
user may not read. Pages without parameters may answer 200 but must not name such a unit either.
A pattern with few combinations of fillers gets all of them; one with many (three or four
parameters) gets each value of each parameter beside the others' first values, and every value
side by side at least once (`combinations`).

A pattern the sweep does not know fails `test_x3_sweep_knows_every_url_pattern`: add it to
ROUTES with how to fill its parameters, so every new endpoint gets swept.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from doanvu.accounts.models import RoleGrant, RoleType, User
from doanvu.documents.addressing import Address
from doanvu.documents.models import Document, DocumentType, RecipientGroup
from doanvu.documents.services import document_create, document_register_issued
from doanvu.emulation.models import (
    Criterion,
    Rubric,
    ScoreLine,
    ScoreSheet,
    SectorGroupMember,
    SheetEvidence,
    WorkArea,
)
from doanvu.fieldvisits.models import FieldVisitPolicy
from doanvu.members.models import (
    CadreCourse,
    CadreStatus,
    CadreStatusKind,
    Membership,
    MemberStatus,
    TransferKind,
)
from doanvu.org.models import Department, DepartmentCategory, Person, Supervision, Unit, UnitKind
from tests.conftest import World, login
from tests.members.conftest import make_member
from tests.org.test_org_rules import db_state, unit_snapshot

JUNK = ["abc", "..", "CSV", "<script>alert(1)", "' OR 1=1 --", "%00", "ằ", "x" * 300]
TOO_BIG = 2**64  # beyond any database integer
ALLOWED = {302, 400, 403, 404, 405}
ALLOWED_WITHOUT_PARAMETERS = ALLOWED | {200}
LOGIN_URL = "/dang-nhap/"


@dataclass
class Sweep:
    world: World
    foreign_grant: RoleGrant
    own_grant: RoleGrant
    foreign_department: Department
    foreign_supervision: Supervision
    foreign_document: Document
    foreign_member: Membership  # current in Tân Đông (district B)
    moved_member: Membership  # Bình Phong's membership of a person transferred to Tân Đông
    merged_member: Membership  # Bình Phong's membership of a person merged into one in Tân Đông
    merged_away_person_id: int
    later_texts: list[str]  # what district B recorded on those persons afterwards
    foreign_rubric: Rubric  # district B's draft emulation rubric (EMU-1)


Filler = Callable[[Sweep], list[object]]


def _units(s: Sweep) -> list[object]:
    return [s.world.district_b.pk, s.world.commune_b1.pk, s.world.branch_b1.pk, 999999, 0,
            TOO_BIG]


def _units_and_own_branch(s: Sweep) -> list[object]:
    # the branch secretary may write to branch_a1: its items of other units must still be refused
    return [*_units(s), s.world.branch_a1.pk]


def _grants(s: Sweep) -> list[object]:
    return [s.foreign_grant.pk, s.own_grant.pk, 999999, TOO_BIG]


def _users(s: Sweep) -> list[object]:
    w = s.world
    return [w.district_b_cadre.pk, w.district_a_cadre.pk, w.admin.pk, w.outsider.pk, 999999,
            TOO_BIG]


def _items(s: Sweep) -> list[object]:
    return [s.foreign_department.pk, s.foreign_supervision.pk, 999999, TOO_BIG]


def _person_items(s: Sweep) -> list[object]:
    # cadre statuses and courses district B recorded on the moved person, and missing ids
    person_id = s.moved_member.person_id
    return [*CadreStatus.objects.filter(person_id=person_id).values_list("pk", flat=True),
            *CadreCourse.objects.filter(person_id=person_id).values_list("pk", flat=True),
            999999, TOO_BIG]


def _years(s: Sweep) -> list[object]:
    return [2024, 0, 1800, TOO_BIG]


def _objects(s: Sweep) -> list[object]:
    # ids of records that do not exist (or cannot exist); the foreign-unit cases of these
    # apps' records are tested with the apps
    return [999999, 0, TOO_BIG]


def _members(s: Sweep) -> list[object]:
    # a foreign member, and two memberships of the sweeping branch whose person is now
    # governed by district B: after a transfer, and after a merge (person-level scope)
    return [s.foreign_member.pk, s.moved_member.pk, s.merged_member.pk, 999999, 0, TOO_BIG]


def _documents(s: Sweep) -> list[object]:
    # district B's draft, and its plan issued to its communes (văn bản đến of Tân Lập)
    return [*Document.objects.filter(issuing_unit=s.world.district_b).values_list("pk", flat=True),
            999999, 0, TOO_BIG]


def _tokens(s: Sweep) -> list[object]:
    return JUNK


def _formats(s: Sweep) -> list[object]:
    return ["csv", "xlsx", *JUNK]


def _document_formats(s: Sweep) -> list[object]:
    return ["docx", "pdf", *JUNK]


def _rubrics(s: Sweep) -> list[object]:
    return [s.foreign_rubric.pk, 999999, 0, TOO_BIG]


def _rubric_groups(s: Sweep) -> list[object]:
    return [s.foreign_rubric.group_id, 999999, TOO_BIG]


def _snapshots(s: Sweep) -> list[object]:
    # district B's published ranking (EMU-3, EMU-4)
    from doanvu.emulation.models import RankingSnapshot

    return [*RankingSnapshot.objects.filter(rubric=s.foreign_rubric).values_list("pk", flat=True),
            999999, 0, TOO_BIG]


def _appeals(s: Sweep) -> list[object]:
    # Tân Lập's appeal of district B's published ranking (EMU-7)
    from doanvu.emulation.models import Appeal

    return [*Appeal.objects.filter(snapshot__rubric=s.foreign_rubric)
            .values_list("pk", flat=True), 999999, 0, TOO_BIG]


def _sheets(s: Sweep) -> list[object]:
    # district B's sheet of Tân Lập (EMU-2)
    return [*ScoreSheet.objects.filter(rubric=s.foreign_rubric).values_list("pk", flat=True),
            999999, 0, TOO_BIG]


def _sheet_evidence(s: Sweep) -> list[object]:
    return [*SheetEvidence.objects.filter(sheet__rubric=s.foreign_rubric)
            .values_list("pk", flat=True), 999999, TOO_BIG]


def _departments(s: Sweep) -> list[object]:
    return [s.foreign_department.pk, 999999, 0, TOO_BIG]


def _rubric_parts(s: Sweep) -> list[object]:
    return ["linh-vuc", "tieu-chi", "abc", "x" * 300]


def _rubric_items(s: Sweep) -> list[object]:
    area = WorkArea.objects.filter(rubric=s.foreign_rubric).first()
    criterion = Criterion.objects.filter(area__rubric=s.foreign_rubric).first()
    return [area.pk if area else 0, criterion.pk if criterion else 0, 999999, TOO_BIG]


def _quarters(s: Sweep) -> list[object]:
    return [1, 0, 5, TOO_BIG]


def _rollup_codes(s: Sweep) -> list[object]:
    return ["quy-thuong-truc", "abc", "x" * 300]


def _visits(s: Sweep) -> list[object]:
    # the visit district B's supervisor made to Tân Lập (FV-2, made by the sweep fixture)
    from doanvu.fieldvisits.models import Visit

    return [*Visit.objects.filter(unit=s.world.district_b).values_list("pk", flat=True),
            999999, 0, TOO_BIG]


def _foreign_visit(world: World, person: Person) -> None:
    from doanvu.fieldvisits.models import Visit

    visit = Visit.objects.create(person=person, unit=world.district_b, kind="1.1",
                                 start_date=dt.date(2024, 3, 4), end_date=dt.date(2024, 3, 5))
    visit.places.set([world.commune_b1])


def _foreign_shortcoming(world: World) -> None:
    # district B's register of shortcomings with one evidence file (issue 14, REM-1, REM-2)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doanvu.remediation.models import (
        Evidence,
        Shortcoming,
        ShortcomingArea,
        Solution,
        SolutionGroup,
    )

    area = ShortcomingArea.objects.create(unit=world.district_b, name="Lãnh đạo, điều hành")
    item = Shortcoming.objects.create(unit=world.district_b, review_year=2019, year_found=2019,
                                      area=area, number=1, text="Khuyết điểm của Tân Biên")
    Evidence.objects.create(shortcoming=item, name="Biên bản",
                            file=SimpleUploadedFile("bien-ban.txt", b"x"))
    group = SolutionGroup.objects.create(unit=world.district_b, year=2020, number=1,
                                         name="Nhóm giải pháp của Tân Biên")
    Solution.objects.create(group=group, text="Giải pháp của Tân Biên").shortcomings.add(item)


def _rem_shortcomings(s: Sweep) -> list[object]:
    from doanvu.remediation.models import Shortcoming

    return [Shortcoming.objects.get(unit=s.world.district_b).pk, 999999, 0, TOO_BIG]


def _rem_evidence(s: Sweep) -> list[object]:
    from doanvu.remediation.models import Evidence

    return [Evidence.objects.get(shortcoming__unit=s.world.district_b).pk, 999999, 0, TOO_BIG]


def _rem_solutions(s: Sweep) -> list[object]:
    from doanvu.remediation.models import Solution

    return [Solution.objects.get(group__unit=s.world.district_b).pk, 999999, 0, TOO_BIG]


def _foreign_plan(world: World) -> None:
    # district B's plan issued to its communes, with its structure, a task and an evidence file
    # (issue 14, PLAN-1, PLAN-2), and a directive and lead-time policy (PLAN-3)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doanvu.plans import services as plans

    document = Document.objects.get(issuing_unit=world.district_b, status="da_ban_hanh")
    plan = plans.plan_save(actor=None, document=document, data=plans.PlanInput(
        purposes="Mục đích của Tân Biên", implementing_due_on=dt.date(2020, 4, 1)))
    task = plans.task_create(actor=None, plan=plan, data=plans.TaskInput(
        text="Nhiệm vụ của Tân Biên", lead_unit=world.commune_b1, deadline="quý II/2020"))
    plans.evidence_add(actor=None, task=task, name="Minh chứng của Tân Biên",
                       file=SimpleUploadedFile("tan-bien.pdf", b"%PDF"))
    plans.lead_time_policy_create(actor=None, issuing_unit=world.district_b,
                                  name="Quy định của Tân Biên", lead_days=7,
                                  valid_from=dt.date(2020, 1, 1))


def _foreign_api(world: World) -> None:
    # district B's cadre's API token and an obligation commune B1 owes district B (issue 16)
    from doanvu.api.services import token_create
    from doanvu.common.dates import today
    from doanvu.hub import rules
    from doanvu.hub.services import obligation_create

    token_create(actor=world.district_b_cadre, user=world.district_b_cadre,
                 name="Khóa của Tân Biên", expires_on=today() + dt.timedelta(days=30))
    obligation_create(actor=None, kind="bao_cao_quy", kind_label="Báo cáo quý",
                      title="Báo cáo quý của xã Tân Lập", owed_by_unit=world.commune_b1,
                      owed_to_unit=world.district_b,
                      rule=rules.DueRule.fixed(dt.date(2030, 1, 1)))
    # a member import district B's cadre pushed, checked and waiting for its confirmation
    from doanvu.members.models import ImportJob, ImportStatus

    ImportJob.objects.create(unit=world.commune_b1, created_by=world.district_b_cadre,
                             original_name="ds-tan-lap.csv", file="imports/ds-tan-lap.csv",
                             status=ImportStatus.CHECKED, total_rows=1,
                             report={"added": 1, "errors": [[3, "Họ và tên", "Tân Lập"]]})


def _api_tokens(s: Sweep) -> list[object]:
    from doanvu.api.models import ApiToken

    return [*ApiToken.objects.filter(user=s.world.district_b_cadre).values_list("pk", flat=True),
            999999, 0, TOO_BIG]


def _api_imports(s: Sweep) -> list[object]:
    from doanvu.members.models import ImportJob

    return [*ImportJob.objects.filter(unit=s.world.commune_b1).values_list("pk", flat=True),
            999999, 0, TOO_BIG]


def _api_obligations(s: Sweep) -> list[object]:
    from doanvu.hub.models import Obligation

    return [*Obligation.objects.filter(owed_to_unit=s.world.district_b)
            .values_list("pk", flat=True), 999999, 0, TOO_BIG]


def _plan_tasks(s: Sweep) -> list[object]:
    from doanvu.plans.models import Task

    return [Task.objects.get(plan__unit=s.world.district_b).pk, 999999, 0, TOO_BIG]


def _plan_evidence(s: Sweep) -> list[object]:
    from doanvu.plans.models import TaskEvidence

    return [TaskEvidence.objects.get(task__plan__unit=s.world.district_b).pk, 999999, 0,
            TOO_BIG]
def _rem_periods(s: Sweep) -> list[object]:
    return ["2024-Y", "2024-Q1", "abc", "x" * 300]


def _rem_office_reports(s: Sweep) -> list[object]:
    return ["tong-hop", "cuoi-nam", "abc", "x" * 300]


def _foreign_target(world: World) -> None:
    # district B's own target that its communes enter, with Tân Lập's figure (issue 14, IND-1)
    from doanvu.targets.models import Target, TargetEntry

    target = Target.objects.create(unit=world.district_b, name="Chỉ tiêu của Tân Biên",
                                   goal=80, due_on=dt.date(2024, 12, 31),
                                   scope_unit=world.district_b)
    TargetEntry.objects.create(target=target, unit=world.commune_b1, value=90,
                               entered_on=dt.date(2024, 6, 1))


def _targets(s: Sweep) -> list[object]:
    from doanvu.targets.models import Target

    return [Target.objects.get(unit=s.world.district_b).pk, 999999, 0, TOO_BIG]


def _foreign_survey(world: World) -> None:
    # district B's survey campaign of its commune, sent, with a file answered (issue 15)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doanvu.surveys.models import (
        Campaign,
        Questionnaire,
        QuestionnaireState,
        QuestionnaireVersion,
        Response,
        ResponseFile,
        Theme,
    )

    dept = Department.objects.create(unit=world.district_b, name="Ban Phong trào Tân Biên",
                                      category=DepartmentCategory.DEPARTMENT)
    campaign = Campaign.objects.create(unit=world.district_b, name="Khảo sát của Tân Biên",
                                       year=2020)
    theme = Theme.objects.create(campaign=campaign, number=1, title="Chuyên đề của Tân Biên",
                                 lead_department=dept, opens_on=dt.date(2020, 4, 1),
                                 closes_on=dt.date(2020, 5, 31), due_on=dt.date(2020, 5, 15))
    theme.units.set([world.commune_b1])
    q = Questionnaire.objects.create(theme=theme, title="Phiếu của Tân Biên",
                                     state=QuestionnaireState.SENT)
    version = QuestionnaireVersion.objects.create(questionnaire=q, number=1, questions=[
        {"code": "c1", "number": 1, "kind": "file", "text": "Báo cáo"}])
    response = Response.objects.create(questionnaire=q, version=version, unit=world.commune_b1)
    ResponseFile.objects.create(response=response, code="c1", original_name="bao-cao.pdf",
                                file=SimpleUploadedFile("bao-cao.pdf", b"x"))
    # and a named members' questionnaire of the commune, sent (sur5): no paper entry, no answer
    named = Questionnaire.objects.create(theme=theme, title="Phiếu ghi tên của Tân Biên",
                                         audience="members", named=True,
                                         state=QuestionnaireState.SENT)
    QuestionnaireVersion.objects.create(questionnaire=named, number=1, questions=[
        {"code": "c1", "number": 1, "kind": "short", "text": "Ý kiến"}])


def _sur(model: str, field: str) -> Filler:
    def fill(s: Sweep) -> list[object]:
        from django.apps import apps

        found = apps.get_model("surveys", model).objects.filter(
            **{field: s.world.district_b}).values_list("pk", flat=True)
        return [*found, 999999, 0, TOO_BIG]

    return fill


def _fv_policies(s: Sweep) -> list[object]:
    # district B's own field-visit regime (issue 13, made by the fixture): not readable from
    # the sweeping users
    policy = FieldVisitPolicy.objects.get(issuing_unit=s.world.district_b)
    return [policy.pk, 999999, 0, TOO_BIG]


def _endable(s: Sweep) -> list[object]:
    return ["ban", "uy-vien", "chuc-vu", "phu-trach", *JUNK[:4]]


def _persons(s: Sweep) -> list[object]:
    # persons governed by district B (field visits: the record follows the cadre)
    return [s.foreign_member.person_id, s.moved_member.person_id, 999999, 0, TOO_BIG]


# Every URL pattern, by name, with a filler for each of its parameters. "special" patterns are
# tested on their own below (login, logout).
ROUTES: dict[str, dict[str, Filler] | str] = {
    "accounts:login": "special",
    "accounts:logout": "special",
    "accounts:password_change": {},
    "accounts:grant_list": {},
    "accounts:grant_create": {},
    "accounts:grant_end": {"pk": _grants},
    "accounts:role_types": {},
    "accounts:otp_verify": {},
    "accounts:otp_setup": {},
    "accounts:otp_codes": {},
    "accounts:otp_devices": {},
    "accounts:otp_reset_user": {"pk": _users},
    "audit:log": {},
    "audit:verify": {},
    "audit:export": {},
    "org:home": {},
    "org:tree": {},
    "org:unit_pick": {},
    "org:unit_detail": {"pk": _units},
    "org:unit_children": {"pk": _units},
    "org:unit_audit": {"pk": _units},
    "org:unit_export": {"pk": _units, "fmt": _formats},
    "org:unit_create": {"pk": _units},
    "org:unit_rename": {"pk": _units},
    "org:unit_move": {"pk": _units},
    "org:unit_merge": {"pk": _units},
    "org:unit_split": {"pk": _units},
    "org:unit_dissolve": {"pk": _units},
    "org:department_add": {"pk": _units},
    "org:term_add": {"pk": _units},
    "org:seat_add": {"pk": _units},
    "org:position_add": {"pk": _units},
    "org:supervision_add": {"pk": _units},
    "org:item_end": {"pk": _units_and_own_branch, "what": _endable, "item": _items},
    "documents:register": {},
    "documents:register_export": {},
    "documents:compose": {},
    "documents:incoming": {},
    "documents:recipient_pick": {},
    "documents:detail": {"pk": _documents},
    "documents:edit": {"pk": _documents},
    "documents:issue": {"pk": _documents},
    "documents:download": {"pk": _documents, "fmt": _document_formats},
    "hub:my_work": {},
    "hub:obligation_detail": {"pk": _objects},
    "hub:obligation_submit": {"pk": _objects},
    "hub:obligation_accept": {"pk": _objects},
    "hub:obligation_return": {"pk": _objects},
    "hub:obligation_waive": {"pk": _objects},
    "hub:obligation_remind": {"pk": _objects},
    "hub:obligation_file": {"pk": _objects, "file_pk": _objects},
    "hub:unit_obligations": {"pk": _units},
    "hub:unit_dashboard": {"pk": _units},
    "hub:timeliness_export": {"pk": _units},
    "hub:calendar_month": {},
    "hub:calendar_week": {},
    "hub:calendar_feed_settings": {},
    "hub:calendar_feed": {"token": _tokens},
    "hub:notifications": {},
    "hub:notifications_read_all": {},
    "hub:notification_read": {"pk": _objects},
    # members core (issue 4, issue 8): foreign members, and the sweeping branch's memberships of
    # persons transferred or merged away (tests/members/test_person_scope_sec8.py has the rest)
    "members:member_list": {},
    "members:member_detail": {"pk": _members},
    "members:member_edit": {"pk": _members},
    "members:member_admit": {"pk": _units},
    "members:unit_transfers": {"pk": _units},
    "members:transfer_request": {"pk": _members},
    "members:transfer_branch_pick": {"pk": _members},
    "members:transfer_accept": {"pk": _objects},
    "members:transfer_refuse": {"pk": _objects},
    "members:transfer_cancel": {"pk": _objects},
    "members:transfer_end": {"pk": _objects},
    "members:member_mature": {"pk": _members},
    "members:member_remove": {"pk": _members},
    "members:member_expel": {"pk": _members},
    "members:member_deceased": {"pk": _members},
    "members:removal_decide": {"pk": _members, "item": _person_items},
    "members:cadre_status_add": {"pk": _members},
    "members:cadre_status_end": {"pk": _members, "item": _person_items},
    "members:cadre_course_add": {"pk": _members},
    "members:cadre_course_end": {"pk": _members, "item": _person_items},
    "members:dues_sheet": {"pk": _units},
    "members:dues_unpaid": {"pk": _units},
    "members:dues_waive": {"pk": _units},
    "members:remittance": {"pk": _units},
    "members:meeting_list": {"pk": _units},
    "members:meeting_create": {"pk": _units},
    "members:meeting_detail": {"pk": _objects},
    "members:removal_list": {"pk": _units},
    "members:removal_proposal_decide": {"pk": _objects},
    "members:rating_sheet": {"pk": _units, "year": _years},
    "members:rating_rollup": {"pk": _units, "year": _years},
    "members:training_sheet": {"pk": _units, "year": _years},
    "members:rating_targets": {"pk": _units, "year": _years},
    "members:referral_list": {"pk": _units},
    "members:referral_outcome": {"pk": _objects},
    "members:ghost_report": {"pk": _units},
    "members:ghost_merge": {"pk": _units_and_own_branch},
    "members:ghost_propose": {"pk": _units},
    "members:structure_advice": {"pk": _units},
    "members:structure_merge": {"pk": _units, "target": _units},
    "members:import_start": {},
    "members:import_report": {"pk": _objects},
    "members:import_mapping": {"pk": _objects},
    "members:import_confirm": {"pk": _objects},
    "members:import_progress": {"pk": _objects},
    "members:import_resume": {"pk": _objects},
    "members:import_cancel": {"pk": _objects},
    "members:export_xlsx": {},
    "members:import_template": {},
    # emulation (issue 12, EMU-1): district B's rubric and sector group
    "emulation:rubric_list": {"pk": _units},
    "emulation:rubric_create": {"pk": _units},
    "emulation:group_create": {"pk": _units},
    "emulation:group_assign": {"pk": _rubric_groups},
    "emulation:rubric_detail": {"pk": _rubrics},
    "emulation:rubric_edit": {"pk": _rubrics},
    "emulation:rubric_copy": {"pk": _rubrics},
    "emulation:rubric_freeze": {"pk": _rubrics},
    "emulation:rubric_close": {"pk": _rubrics},
    "emulation:rubric_export": {"pk": _rubrics},
    "emulation:rubric_import": {"pk": _rubrics},
    "emulation:part_add": {"pk": _rubrics, "part": _rubric_parts},
    "emulation:part_edit": {"pk": _rubrics, "part": _rubric_parts, "item": _rubric_items},
    "emulation:part_delete": {"pk": _rubrics, "part": _rubric_parts, "item": _rubric_items},
    # inspections: district B's plans, rounds, teams and sessions are swept in
    # tests/inspections (every page and action, outsider and other district)
    "inspections:plan_list": {},
    "inspections:plan_create": {"pk": _units},
    "inspections:policy_page": {"pk": _units},
    "inspections:plan_detail": {"pk": _objects},
    "inspections:round_create": {"pk": _objects},
    "inspections:round_detail": {"pk": _objects},
    "inspections:round_calendar": {"pk": _objects},
    "inspections:round_notice": {"pk": _objects},
    "inspections:team_create": {"pk": _objects},
    "inspections:team_detail": {"pk": _objects},
    "inspections:team_edit": {"pk": _objects},
    "inspections:session_detail": {"pk": _objects},
    "inspections:session_move_request": {"pk": _objects},
    "inspections:session_attendees_propose": {"pk": _objects},
    "inspections:session_attendees_confirm": {"pk": _objects},
    "inspections:move_request_decide": {"pk": _objects},
    "inspections:session_documents_submit": {"pk": _objects},
    "inspections:session_document": {"pk": _objects, "file_pk": _objects},
    # inspections after the session (INS-7, INS-8): swept in tests/inspections/test_ins7_*,
    # test_ins8_* (outsider, inspected unit, other district)
    "inspections:session_held": {"pk": _objects},
    "inspections:session_reflections": {"pk": _objects},
    "inspections:reflection_file": {"pk": _objects, "ob_pk": _objects, "file_pk": _objects},
    "inspections:round_followup": {"pk": _objects},
    "inspections:round_recommendations": {"pk": _objects},
    "inspections:conclusion_detail": {"pk": _objects},
    "inspections:conclusion_edit": {"pk": _objects},
    "inspections:conclusion_issue": {"pk": _objects},
    "inspections:direction_mark": {"pk": _objects},
    "inspections:limitation_remedied": {"pk": _objects},
    "inspections:department_directions": {"pk": _departments},
    # emulation (issue 12, EMU-2/8/10): district B's sheet of Tân Lập, its evidence, a department
    "emulation:sheet_list": {"pk": _rubrics},
    "emulation:sheets_open": {"pk": _rubrics},
    "emulation:rubric_deadlines": {"pk": _rubrics},
    "emulation:component_import": {"pk": _rubrics},
    "emulation:component_request_create": {"pk": _rubrics},
    "emulation:sheet_detail": {"pk": _sheets},
    "emulation:sheet_self_score": {"pk": _sheets},
    "emulation:evidence_upload": {"pk": _sheets},
    "emulation:sheet_submit": {"pk": _sheets},
    "emulation:sheet_finalise": {"pk": _sheets},
    "emulation:entry_add": {"pk": _sheets},
    "emulation:adjustment_add": {"pk": _sheets},
    "emulation:department_score": {"pk": _sheets, "department": _departments},
    "emulation:evidence_download": {"pk": _sheet_evidence},
    "emulation:my_worklists": {},
    "emulation:department_worklist": {"pk": _departments},
    # from inspection conclusions (EMU-9, EMU-11)
    "emulation:good_models": {},
    "emulation:carryover_apply": {"pk": _sheets, "limitation": _objects},
    "emulation:remediation_apply": {"pk": _sheets, "shortcoming": _rem_shortcomings},
    # emulation (issue 12, EMU-3/4): district B's rankings and its published snapshot
    "emulation:ranking_list": {"pk": _rubrics},
    "emulation:ranking_compute": {"pk": _rubrics},
    "emulation:snapshot_detail": {"pk": _snapshots},
    "emulation:snapshot_publish": {"pk": _snapshots},
    "emulation:snapshot_export": {"pk": _snapshots},
    # emulation (issue 12, EMU-6/7): district B's notices, PDF table, window, Tân Lập's appeal
    "emulation:snapshot_pdf": {"pk": _snapshots},
    "emulation:notices_issue": {"pk": _snapshots},
    "emulation:policy_set": {"pk": _rubrics},
    "emulation:unit_results": {"pk": _units},
    "emulation:appeal_create": {"pk": _snapshots, "unit": _units},
    "emulation:appeal_detail": {"pk": _appeals},
    "emulation:appeal_decide": {"pk": _appeals},
    "emulation:appeal_evidence": {"pk": _appeals},
    # field visits: compliance (issue 13, FV-1/3/4/11)
    "fieldvisits:compliance_person": {"pk": _persons},
    "fieldvisits:compliance_unit": {"pk": _units},
    "fieldvisits:compliance_recompute": {"pk": _units},
    "fieldvisits:compliance_export": {"pk": _units},
    "fieldvisits:compliance_rollup": {"pk": _units},
    # field visits: quarter plans, Youth Month campaigns (FV-5, FV-10); roll-ups (FV-7, FV-9)
    "fieldvisits:my_lines": {},
    "fieldvisits:plan_list": {"unit_pk": _units},
    "fieldvisits:plan_issue": {"unit_pk": _units, "year": _years, "quarter": _quarters},
    "fieldvisits:plan_detail": {"pk": _objects},
    "fieldvisits:plan_merge": {"pk": _objects},
    "fieldvisits:plan_register": {"pk": _objects},
    "fieldvisits:plan_allow_late": {"pk": _objects},
    "fieldvisits:plan_approve": {"pk": _objects},
    "fieldvisits:plan_assign": {"pk": _objects},
    "fieldvisits:plan_line_delete": {"pk": _objects},
    "fieldvisits:campaign_list": {"unit_pk": _units},
    "fieldvisits:campaign_detail": {"pk": _objects},
    "fieldvisits:rollup_page": {"unit_pk": _units},
    "fieldvisits:rollup_obligations": {"unit_pk": _units, "year": _years},
    "fieldvisits:rollup_xlsx": {"unit_pk": _units, "year": _years, "code": _rollup_codes,
                                "n": _quarters},
    "fieldvisits:rollup_generate": {"unit_pk": _units, "year": _years, "code": _rollup_codes,
                                    "n": _quarters},
    # field visits (issue 13): the cadre's own pages, a district B cadre's visit, a unit's list
    "fieldvisits:home": {},
    "fieldvisits:service_worker": {},
    "fieldvisits:visit_create": {},
    "fieldvisits:visit_sync": {},
    "fieldvisits:visit_detail": {"pk": _visits},
    "fieldvisits:visit_edit": {"pk": _visits},
    "fieldvisits:visit_delete": {"pk": _visits},
    "fieldvisits:visit_report": {"pk": _visits},
    "fieldvisits:visit_file": {"pk": _visits, "file": _objects},
    "fieldvisits:visit_file_delete": {"pk": _visits, "file": _objects},
    "fieldvisits:unit_visits": {"pk": _units},
    # field visits (issue 13, FV-3/FV-11): district B's regime and units
    "fieldvisits:policy_list": {"pk": _units},
    "fieldvisits:policy_create": {"pk": _units},
    "fieldvisits:policy_detail": {"pk": _fv_policies},
    "fieldvisits:policy_edit": {"pk": _fv_policies},
    # remediation (issue 14, REM-1 … REM-3): district B's register, its shortcoming and evidence
    "remediation:register": {"pk": _units},
    "remediation:evaluations": {"pk": _units},
    "remediation:shortcoming_detail": {"pk": _rem_shortcomings},
    "remediation:shortcoming_create": {"pk": _units},
    "remediation:shortcoming_edit": {"pk": _rem_shortcomings},
    "remediation:group_create": {"pk": _units},
    "remediation:solution_create": {"pk": _units},
    "remediation:solution_progress": {"pk": _rem_solutions},
    "remediation:evaluation_record": {"pk": _units},
    "remediation:evaluation_lock": {"pk": _units},
    "remediation:my_evaluations": {},
    "remediation:evidence_add": {"pk": _rem_shortcomings},
    "remediation:shortcoming_close": {"pk": _rem_shortcomings},
    "remediation:evidence_file": {"pk": _rem_evidence},
    # remediation (REM-3 → rating, REM-4 reports): district B's pages, its department, periods
    "remediation:evaluation_policy_create": {"pk": _units},
    "remediation:year_rating": {"pk": _units, "person": _persons, "year": _years},
    "remediation:reports": {"pk": _units},
    "remediation:reports_open": {"pk": _units, "year": _years},
    "remediation:department_report": {"pk": _units, "year": _years, "dept": _departments,
                                      "period": _rem_periods},
    "remediation:department_report_xlsx": {"pk": _units, "year": _years, "dept": _departments,
                                           "period": _rem_periods},
    "remediation:office_report": {"pk": _units, "year": _years, "which": _rem_office_reports},
    "remediation:office_report_xlsx": {"pk": _units, "year": _years,
                                       "which": _rem_office_reports},
    # targets (issue 14, IND-2): a unit's dashboard
    "targets:dashboard": {"pk": _units},
    "targets:target_create": {"pk": _units},
    # plans (issue 14, PLAN-1 … PLAN-3): district B's plan, its task and evidence
    "plans:unit_plans": {"pk": _units},
    "plans:lead_time": {"pk": _units},
    "plans:directives": {"pk": _units},
    "plans:plan": {"pk": _documents},
    "plans:plan_edit": {"pk": _documents},
    "plans:task_create": {"pk": _documents},
    "plans:task_import": {"pk": _documents},
    "plans:task_edit": {"pk": _plan_tasks},
    "plans:task_progress": {"pk": _plan_tasks},
    "plans:evidence_add": {"pk": _plan_tasks},
    "plans:evidence_file": {"pk": _plan_evidence},
    # targets (IND-1, IND-2): district B's target, its page, figures, edit, removal, reports
    "targets:target_detail": {"pk": _units, "target": _targets},
    "targets:entry_set": {"pk": _units, "target": _targets},
    "targets:target_edit": {"pk": _targets},
    "targets:target_delete": {"pk": _targets},
    "targets:report_xlsx": {"pk": _units},
    "targets:report_document": {"pk": _units},
    # surveys (issue 15, SUR-1, SUR-2): district B's campaign, theme, questionnaire, answer
    "surveys:index": {},
    "surveys:campaign_create": {"pk": _units},
    "surveys:campaign_detail": {"pk": _sur("Campaign", "unit")},
    "surveys:campaign_edit": {"pk": _sur("Campaign", "unit")},
    "surveys:campaign_report": {"pk": _sur("Campaign", "unit")},
    "surveys:theme_report": {"pk": _sur("Theme", "campaign__unit")},
    "surveys:theme_create": {"pk": _sur("Campaign", "unit")},
    "surveys:theme_detail": {"pk": _sur("Theme", "campaign__unit")},
    "surveys:theme_edit": {"pk": _sur("Theme", "campaign__unit")},
    "surveys:questionnaire_create": {"pk": _sur("Theme", "campaign__unit")},
    "surveys:questionnaire_detail": {"pk": _sur("Questionnaire", "theme__campaign__unit")},
    "surveys:question_add": {"pk": _sur("Questionnaire", "theme__campaign__unit")},
    "surveys:question_remove": {"pk": _sur("Questionnaire", "theme__campaign__unit")},
    "surveys:questionnaire_send": {"pk": _sur("Questionnaire", "theme__campaign__unit")},
    "surveys:questionnaire_preview": {"pk": _sur("Questionnaire", "theme__campaign__unit")},
    "surveys:tabulation": {"pk": _sur("Questionnaire", "theme__campaign__unit")},
    "surveys:tabulation_export": {"pk": _sur("Questionnaire", "theme__campaign__unit")},
    "surveys:member_answer": {"pk": _sur("Questionnaire", "theme__campaign__unit")},
    "surveys:named_answer": {"pk": _sur("Questionnaire", "theme__campaign__unit")},
    "surveys:paper_branches": {"pk": _sur("Questionnaire", "theme__campaign__unit")},
    "surveys:paper_entry": {"pk": _sur("Questionnaire", "theme__campaign__unit"),
                            "branch": _units_and_own_branch},
    "surveys:response_detail": {"pk": _sur("Response", "questionnaire__theme__campaign__unit")},
    "surveys:response_reopen": {"pk": _sur("Response", "questionnaire__theme__campaign__unit")},
    "surveys:response_file": {"pk": _sur("ResponseFile",
                                         "response__questionnaire__theme__campaign__unit")},
    # the API (issue 16, API-1): the account's token pages, the schema, the documentation page
    # and the JSON endpoints of version 1, with district B's records
    "api:token_list": {},
    "api:token_revoke": {"pk": _api_tokens},
    "api:schema": {},
    "api:docs": {},
    "api:v1_units": {},
    "api:v1_unit": {"pk": _units},
    "api:v1_unit_obligations": {"pk": _units},
    "api:v1_members": {},
    "api:v1_member": {"pk": _members},
    "api:v1_member_imports": {},
    "api:v1_member_import": {"pk": _api_imports},
    "api:v1_member_import_confirm": {"pk": _api_imports},
    "api:v1_my_obligations": {},
    "api:v1_obligation": {"pk": _api_obligations},
    "api:v1_obligation_submit": {"pk": _api_obligations},
    "api:v1_documents": {},
    "api:v1_document": {"pk": _documents},
    "api:v1_shortcomings": {},
    "api:v1_shortcoming": {"pk": _rem_shortcomings},
    "api:v1_survey_campaigns": {},
    "api:v1_survey_campaign": {"pk": _sur("Campaign", "unit")},
    "api:v1_surveys": {},
    "api:v1_survey": {"pk": _sur("Questionnaire", "theme__campaign__unit")},
    "api:v1_survey_tabulation": {"pk": _sur("Questionnaire", "theme__campaign__unit")},
    "api:v1_tokens": {},
    "api:v1_token_revoke": {"pk": _api_tokens},
    "api:v1_rubrics": {},
    "api:v1_rubric": {"pk": _rubrics},
    "api:v1_ranking": {"pk": _rubrics},
    "api:v1_sheets": {},
    "api:v1_sheet": {"pk": _sheets},
    "api:v1_grassroots_classification": {},
    "api:v1_branch_ratings": {"pk": _units},
    "api:v1_unit_rating_rollup": {"pk": _units},
    "api:v1_inspections": {},
    "api:v1_inspection": {"pk": _objects},
    "api:v1_inspection_conclusion": {"pk": _objects},
    "api:v1_inspection_reflections": {"pk": _objects},
    "api:v1_visits": {},
    "api:v1_visit": {"pk": _visits},
    "api:v1_compliance": {},
    "api:v1_unit_compliance": {"pk": _units},
    "api:v1_unit_targets": {"pk": _units},
    "api:v1_unit_target": {"pk": _units, "target": _targets},
    "api:v1_visit_report": {"pk": _visits},
    "api:v1_sheet_scores_push": {"pk": _sheets},
    "api:not_found": {},
}
# Reached without logging in: the calendar feed authenticates by its secret token.
PUBLIC = {"hub:calendar_feed"}
# JSON endpoints (issue 16): without a token or a session they answer 401 in the API's error
# shape rather than sending a program to the login page; a form posted to them is refused 415.
API = {"api:schema", "api:v1_units", "api:v1_unit", "api:v1_unit_obligations", "api:v1_members",
       "api:v1_member", "api:v1_my_obligations", "api:v1_obligation", "api:v1_documents",
       "api:v1_document", "api:v1_tokens", "api:v1_token_revoke", "api:not_found",
       "api:v1_shortcomings", "api:v1_shortcoming", "api:v1_survey_campaigns",
       "api:v1_survey_campaign", "api:v1_surveys", "api:v1_survey", "api:v1_survey_tabulation",
       "api:v1_member_imports", "api:v1_member_import", "api:v1_member_import_confirm",
       "api:v1_obligation_submit",
       "api:v1_rubrics", "api:v1_rubric", "api:v1_ranking", "api:v1_sheets", "api:v1_sheet",
       "api:v1_inspections", "api:v1_inspection", "api:v1_inspection_conclusion",
       "api:v1_inspection_reflections", "api:v1_grassroots_classification",
       "api:v1_branch_ratings", "api:v1_unit_rating_rollup",
       "api:v1_visits", "api:v1_visit", "api:v1_compliance", "api:v1_unit_compliance",
       "api:v1_unit_targets", "api:v1_unit_target",
       "api:v1_visit_report", "api:v1_sheet_scores_push"}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    params: tuple[str, ...]


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            params = tuple(sorted(entry.pattern.regex.groupindex))
            unnamed = f"<unnamed {prefix}{entry.pattern}>"
            name = f"{namespace}{entry.name}" if entry.name else unnamed
            yield Route(name, prefix + str(entry.pattern), params)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver()))


def test_x3_sweep_knows_every_url_pattern() -> None:
    routes = all_routes()
    unknown = [r for r in routes if r.name not in ROUTES]
    unfilled = [(r.name, p) for r in routes if isinstance(ROUTES.get(r.name), dict)
                for p in r.params if p not in ROUTES[r.name]]  # type: ignore[operator]
    extra_fillers = [(r.name, p) for r in routes if isinstance(ROUTES.get(r.name), dict)
                     for p in ROUTES[r.name] if p not in r.params]  # type: ignore[union-attr]
    gone = sorted(set(ROUTES) - {r.name for r in routes})

    assert unknown == [], "new URL patterns: add them to ROUTES so they are swept"
    assert unfilled == [], "parameters the sweep cannot fill"
    assert extra_fillers == []
    assert gone == []


# -- the sweep ----------------------------------------------------------------------------------


@pytest.fixture
def sweep(world: World) -> Sweep:
    foreign_department = Department.objects.create(unit=world.district_b, name="Văn phòng",
                                                   category=DepartmentCategory.OFFICE)
    foreign_supervision = Supervision.objects.create(
        assigning_unit=world.district_b, supervised_unit=world.commune_b1,
        person=Person.objects.create(full_name="Người phụ trách Tân Lập"),
        start_date=dt.date(2020, 1, 1))
    foreign_document = document_create(
        actor=world.admin, issuing_unit=world.district_b,
        doc_type=DocumentType.objects.get(code="ke_hoach"),
        title="Kế hoạch đi cơ sở năm 2020 của Huyện đoàn Tân Biên", body_code="HĐTB",
        place="Tân Biên")
    document_register_issued(
        actor=None, issuing_unit=world.district_b,
        doc_type=DocumentType.objects.get(code="ke_hoach"), number=3,
        issued_on=dt.date(2020, 3, 2), title="Kế hoạch gửi các xã của Huyện đoàn Tân Biên",
        body_code="HĐTB", place="Tân Biên", signer_title="BÍ THƯ", signer_name="Lê Văn Bình",
        addresses=[Address(unit=world.district_b, group=RecipientGroup.GRASSROOTS)],
        report_due_on=dt.date(2020, 4, 1))
    foreign_member = make_member(world.branch_b1, "Phạm Minh Đạt", birth=dt.date(2001, 4, 4))
    moved, later_texts = _transferred_away(world)
    merged, merged_away = _merged_away(world)
    foreign_rubric = _foreign_rubric(world)
    _foreign_visit(world, foreign_supervision.person)
    FieldVisitPolicy.objects.create(
        issuing_unit=world.district_b, name="Chế độ đi cơ sở của Huyện đoàn Tân Biên",
        valid_from=dt.date(2020, 1, 1), counted_kinds=["1.1"])
    _foreign_shortcoming(world)
    _foreign_plan(world)
    _foreign_target(world)
    _foreign_survey(world)
    _foreign_api(world)
    return Sweep(world=world,
                 foreign_grant=RoleGrant.objects.get(user=world.district_b_cadre),
                 own_grant=RoleGrant.objects.get(user=world.branch_secretary),
                 foreign_department=foreign_department,
                 foreign_supervision=foreign_supervision,
                 foreign_document=foreign_document,
                 foreign_member=foreign_member, moved_member=moved, merged_member=merged,
                 merged_away_person_id=merged_away, later_texts=later_texts,
                 foreign_rubric=foreign_rubric)


def _foreign_rubric(world: World) -> Rubric:
    """District B's draft rubric for its communes, with an area and a criterion."""
    from decimal import Decimal

    from doanvu.emulation import services as emulation

    group = emulation.sector_group_create(actor=None, issuing_unit=world.district_b,
                                          name="Khối xã Tân Biên")
    emulation.sector_group_assign(actor=None, group=group, units=[world.commune_b1], year=2020)
    rubric = emulation.rubric_create(actor=None, issuing_unit=world.district_b, year=2020,
                                     group=group, name="Thang điểm thi đua của Tân Biên")
    area = emulation.area_save(actor=None, rubric=rubric, code="I", title="Tư tưởng Tân Biên",
                               max_points=Decimal("10"))
    emulation.criterion_save(actor=None, rubric=rubric, area=area, code="1.1",
                             title="Tiêu chí của Tân Biên", max_points=Decimal("10"),
                             method="cham_diem")
    # a sheet of Tân Lập with a score and an evidence file (EMU-2), written as data
    sheet = ScoreSheet.objects.create(rubric=rubric, unit=world.commune_b1, year=2020)
    ScoreLine.objects.create(sheet=sheet, criterion=Criterion.objects.get(area=area),
                             source="tu_cham", raw=Decimal("7"), points=Decimal("7"),
                             at=timezone.now())
    SheetEvidence.objects.create(sheet=sheet, file="thi-dua/tan-lap.pdf",
                                 original_name="tan-lap.pdf", size=10)
    # a published ranking of it (EMU-3, EMU-4), written as data
    from doanvu.emulation.models import RankingEntry, RankingSnapshot

    snapshot = RankingSnapshot.objects.create(rubric=rubric, computed_at=timezone.now(),
                                              state="cong_bo", published_on=timezone.localdate())
    RankingEntry.objects.create(snapshot=snapshot, unit=world.commune_b1, total=Decimal("7"),
                                criteria_total=Decimal("7"), bonus=Decimal("0"),
                                penalty=Decimal("0"), rank=1, position=1, tier_code="ht",
                                tier_name="Hoàn thành nhiệm vụ")
    # Tân Lập's appeal of it, with an evidence file (EMU-7), written as data
    from doanvu.emulation.models import Appeal

    Appeal.objects.create(snapshot=snapshot, unit=world.commune_b1,
                          criterion=Criterion.objects.get(area=area), reason="Khiếu nại",
                          evidence_file="thi-dua/khieu-nai/tan-lap.pdf",
                          filed_on=timezone.localdate())
    return rubric


LATER_PHONE, LATER_EMAIL = "0987654321", "chuyen.den@tanbien.example.vn"
LATER_ADDRESS, LATER_NOTE = "Số 7 đường Tân Biên", "Ghi tại Tân Biên"
MERGED_PHONE = "0977000111"


def _transferred_away(world: World) -> tuple[Membership, list[str]]:
    """A member of Bình Phong transferred to Tân Đông; Tân Biên then records their new
    contact details, a cadre status and a course."""
    from doanvu.members.core import services as members_services

    old = make_member(world.branch_a1, "Đặng Văn Chuyển", birth=dt.date(2000, 2, 2))
    transfer = members_services.transfer_request(
        actor=None, membership=old, to_branch=world.branch_b1, kind=TransferKind.OFFICIAL,
        requested_on=dt.date(2024, 1, 10))
    new = members_services.transfer_accept(actor=world.district_b_cadre, transfer=transfer,
                                           on=dt.date(2024, 2, 1)).new_membership
    assert new is not None
    p = new.person
    members_services.member_update(
        actor=world.district_b_cadre, membership=new,
        person=members_services.PersonInput(full_name=p.full_name, birth_date=p.birth_date,
                                            gender=p.gender, phone=LATER_PHONE,
                                            email=LATER_EMAIL, address=LATER_ADDRESS),
        joined_union_on=new.joined_union_on, reason="Cập nhật tại Tân Biên")
    members_services.cadre_status_add(actor=world.district_b_cadre, person=p,
                                      kind=CadreStatusKind.SECONDMENT,
                                      start_date=dt.date(2024, 3, 1), note=LATER_NOTE)
    members_services.cadre_course_add(actor=world.district_b_cadre, person=p,
                                      name="Khóa học ghi tại Tân Biên",
                                      start_date=dt.date(2024, 3, 1))
    old.refresh_from_db()
    return old, [LATER_PHONE, LATER_EMAIL, LATER_ADDRESS, LATER_NOTE, "Cập nhật tại Tân Biên",
                 "Khóa học ghi tại Tân Biên"]


def _merged_away(world: World) -> tuple[Membership, int]:
    """A former member of Bình Phong whose record was merged (by the province) into the
    record of a current member of Tân Đông."""
    from doanvu.members.ghost import services as audit_report

    former = make_member(world.branch_a1, "Lý Thị Gộp", birth=dt.date(1999, 9, 9), gender="nu")
    Membership.objects.filter(pk=former.pk).update(
        is_current=False, status=MemberStatus.REMOVED, ended_on=dt.date(2023, 1, 1))
    keeper = make_member(world.branch_b1, "Lý Thị Gộp", birth=dt.date(1999, 9, 9), gender="nu")
    Person.objects.filter(pk=keeper.person_id).update(phone=MERGED_PHONE)
    merged_away = former.person_id
    audit_report.person_merge(actor=world.province_secretary, keep=keeper.person,
                              drop=former.person)
    former.refresh_from_db()
    return former, merged_away


def _post_data(sweep: Sweep) -> dict[str, object]:
    """A form that, if any view accepted it, would change another district or a person
    governed there (the ghost merge: the person merged away, the person transferred away)."""
    return {**hostile_form(sweep.world), "keep": sweep.merged_away_person_id,
            "drop": sweep.moved_member.person_id, "member": sweep.moved_member.pk}


def hostile_form(world: World) -> dict[str, object]:
    """The fields of every form, filled to change another district (district B)."""
    b = world.district_b.pk
    return {
        "phone": "0900000000",
        "name": "Bị đổi", "short_name": "X", "on": "01/01/2020", "decision": "1", "confirm": "1",
        "new_parent": b, "target": b, "unit": b, "supervised_unit": b, "parts": "A\nB",
        "keep_original": "on", f"child_{world.commune_b1.pk}": "1",
        "kind": UnitKind.objects.get(code="co_so").pk, "founded_on": "01/01/2020",
        "username": "ke_gian", "full_name": "Kẻ Gian", "password": "matkhau123",
        "role_type": RoleType.objects.get(code="quan_tri_he_thong").pk,
        "start_date": "01/01/2020", "category": "ban", "committee": "bch", "title": "X",
        "order": "1", "term": "1", "person": "1", "department": "1", "field": "X",
        "role_label": "X", "valid_from": "01/01/2020",
    }


QUERY_VARIANTS = [
    {},
    {"ngay": "32/13/2020", "trang": "abc", "nhiem_ky": "abc", "q": "tan", "field": "target",
     "don_vi": "DISTRICT_B", "ca_het_han": "1"},
    {"ngay": "01/01/2020", "trang": "999999", "nhiem_ky": "999999", "q": "doan",
     "field": "new_parent", "don_vi": "999999"},
    # NUL cannot go into a PostgreSQL query: every parameter must be cleaned before it does
    {"ngay": "\x00", "trang": "\x00", "nhiem_ky": "\x00", "q": "d\x00", "field": "unit",
     "don_vi": "\x00", "unit": "\x00", "nam": "\x00", "ky": "\x00", "thang": "\x00",
     "loai": "\x00", "trang_thai": "\x00", "ca_het_han": "\x00"},
    # the same names with junk and another unit's id
    {"ky": "abc", "thang": "13/2020", "loai": "abc", "trang_thai": "abc", "unit": "DISTRICT_B",
     "nam": "99999", "don_vi": "DISTRICT_B", "q": "tan bien"},
]


def _queries(world: World) -> list[dict[str, object]]:
    return [{k: (world.district_b.pk if v == "DISTRICT_B" else v) for k, v in q.items()}
            for q in QUERY_VARIANTS]


def _unreadable_names(user: User | None, world: World) -> list[str]:
    readable = {world.branch_a1.pk} if user == world.branch_secretary else set()
    return list(Unit.objects.exclude(pk__in=readable).values_list("name", flat=True))


FULL_PRODUCT = 24  # a pattern with more combinations of its fillers is swept by `combinations`


def combinations(values: list[list[object]]) -> list[tuple[object, ...]]:
    """The combinations of a pattern's fillers to request: all of them when they are few;
    otherwise every value of each parameter with the others at their first value (another
    unit's real record: the leak that matters), and every value of every parameter at least
    once side by side — a few dozen requests, not the hundreds of the full product, for a
    pattern of three or four parameters."""
    if not values:
        return [()]
    everything = list(itertools.product(*values))
    if len(everything) <= FULL_PRODUCT:
        return everything
    first = tuple(v[0] for v in values)
    chosen = [first]
    for i, options in enumerate(values):
        chosen += [first[:i] + (option,) + first[i + 1:] for option in options[1:]]
    chosen += [tuple(v[n % len(v)] for v in values) for n in range(max(map(len, values)))]
    return list(dict.fromkeys(chosen))


def _urls(sweep: Sweep) -> Iterator[tuple[Route, str]]:
    """Every pattern with the combinations of its fillers (`combinations`)."""
    for route in all_routes():
        spec = ROUTES.get(route.name)  # unknown patterns fail test_x3_sweep_knows_every_url_pattern
        if not isinstance(spec, dict):
            continue
        values = [spec[p](sweep) for p in route.params]
        for combo in combinations(values):
            yield route, reverse(route.name, kwargs=dict(zip(route.params, combo, strict=True)))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(response: HttpResponse) -> str:
    """What the user gets to read: the page, or every cell of a workbook."""
    if response.get("Content-Type") == XLSX:
        from openpyxl import load_workbook

        body = (b"".join(response.streaming_content) if response.streaming  # type: ignore[attr-defined]
                else response.content)
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True) for cell in row)
    return response.content.decode("utf-8", errors="replace")


def _run_sweep(client: Client, sweep: Sweep, forbidden_names: list[str],
               period_pages: dict[str, list[str]] | None = None) -> list[str]:
    """`period_pages`: pages an earlier unit may open (its own membership of a person now
    governed elsewhere), with the unit names it may see there (where it sent the member)."""
    world = sweep.world
    data = _post_data(sweep)
    period_pages = period_pages or {}
    nul_data = {k: f"{v}\x00" for k, v in data.items()}
    problems: list[str] = []
    for route, url in _urls(sweep):
        allowed = ALLOWED if route.params else ALLOWED_WITHOUT_PARAMETERS
        if route.name in API:
            allowed = allowed | {401, 415}
        forbidden = forbidden_names
        if url in period_pages:
            allowed = ALLOWED_WITHOUT_PARAMETERS
            forbidden = [n for n in forbidden_names if n not in period_pages[url]]
        forbidden = [*forbidden, *sweep.later_texts, MERGED_PHONE]
        responses = [("GET", q, client.get(url, q)) for q in _queries(world)]
        responses.append(("POST", {}, client.post(url, data)))
        responses.append(("POST", {"NUL": True}, client.post(url, nul_data)))
        for method, query, response in responses:
            body = _text(response)
            if response.status_code not in allowed:
                problems.append(f"{method} {url} {query}: {response.status_code}")
            leaked = [n for n in forbidden if n in body]
            if leaked:
                problems.append(f"{method} {url} {query}: names {leaked}")
    return problems


def _state() -> tuple[object, ...]:
    return (db_state(), unit_snapshot(), User.objects.count(), RoleGrant.objects.count(),
            Department.objects.count(), Supervision.objects.count(),
            list(Person.objects.order_by("pk").values_list()),
            list(Membership.objects.order_by("pk").values_list()),
            list(CadreStatus.objects.order_by("pk").values_list()),
            list(CadreCourse.objects.order_by("pk").values_list()),
            list(Supervision.objects.values_list("end_date", flat=True)),
            list(Department.objects.values_list("valid_to", flat=True)),
            list(Rubric.objects.order_by("pk").values_list()),
            list(WorkArea.objects.order_by("pk").values_list()),
            list(Criterion.objects.order_by("pk").values_list()),
            list(SectorGroupMember.objects.order_by("pk").values_list()),
            list(FieldVisitPolicy.objects.order_by("pk").values_list()))


@pytest.mark.parametrize("who", ["outsider", "branch_secretary"])
def test_x3_url_sweep_leaks_nothing_and_never_fails(sweep: Sweep, who: str) -> None:
    user: User = getattr(sweep.world, who)
    client = login(user)
    before = _state()
    period_pages = {}
    if who == "branch_secretary":
        # Bình Phong opens its own memberships of persons now in Tân Đông: their period only
        detail = "members:member_detail"
        period_pages = {reverse(detail, args=[sweep.moved_member.pk]): ["Chi đoàn ấp Tân Đông"],
                        reverse(detail, args=[sweep.merged_member.pk]): []}
        # the API's member: the same period, its personal fields blank (issue 16)
        for member in (sweep.moved_member, sweep.merged_member):
            period_pages[reverse("api:v1_member", args=[member.pk])] = []

    problems = _run_sweep(client, sweep, _unreadable_names(user, sweep.world), period_pages)

    assert problems == []
    assert _state() == before


def _own_unit_urls(sweep: Sweep, unit_ids: list[int]) -> Iterator[str]:
    """Every pattern taking a unit, filled with units the user does reach."""
    for route in all_routes():
        spec = ROUTES.get(route.name)
        if not isinstance(spec, dict) or spec.get("pk") not in (_units, _units_and_own_branch):
            continue
        values = [unit_ids if p == "pk" else spec[p](sweep) for p in route.params]
        for combo in combinations(values):
            yield reverse(route.name, kwargs=dict(zip(route.params, combo, strict=True)))


@pytest.mark.parametrize(("who", "own"), [
    ("branch_secretary", ["branch_a1"]),
    ("district_a_cadre", ["district_a", "commune_a1", "branch_a1"]),
])
def test_x3_own_unit_pages_name_no_unit_beyond_reach(sweep: Sweep, who: str,
                                                     own: list[str]) -> None:
    world = sweep.world
    user: User = getattr(world, who)
    client = login(user)
    readable = [getattr(world, name).pk for name in own]
    if who == "district_a_cadre":
        readable.append(world.commune_a2.pk)
    forbidden = list(Unit.objects.exclude(pk__in=readable).values_list("name", flat=True))
    # Bình Phong's own audit panel records the transfer it asked for, naming where to
    sent_to = {reverse("org:unit_audit", args=[world.branch_a1.pk]): world.branch_b1.name}
    problems: list[str] = []

    for url in _own_unit_urls(sweep, [getattr(world, name).pk for name in own]):
        for query in _queries(world):
            response = client.get(url, query)
            body = _text(response)
            if response.status_code not in ALLOWED_WITHOUT_PARAMETERS:
                problems.append(f"GET {url} {query}: {response.status_code}")
            leaked = [n for n in [*forbidden, *sweep.later_texts, MERGED_PHONE]
                      if n in body and n != sent_to.get(url)]
            if leaked:
                problems.append(f"GET {url} {query}: names {leaked}")

    assert problems == []


def test_x3_url_sweep_anonymous_is_sent_to_login(sweep: Sweep) -> None:
    client = Client()
    before = _state()
    statuses: set[int] = set()
    elsewhere: list[str] = []

    problems = _run_sweep(client, sweep, _unreadable_names(None, sweep.world))
    for route, url in _urls(sweep):
        response = client.get(url)
        if route.name in PUBLIC or route.name in API:
            statuses.add(-response.status_code)
        elif response.status_code != 302 or not response["Location"].startswith(LOGIN_URL):
            elsewhere.append(f"{url}: {response.status_code}")
        else:
            statuses.add(response.status_code)

    assert problems == []
    assert elsewhere == []
    assert statuses <= {302, -404, -401}
    assert _state() == before


def test_x3_outsider_tree_and_home_name_no_unit(sweep: Sweep) -> None:
    client = login(sweep.world.outsider)

    tree = client.get(reverse("org:tree"))
    search = client.get(reverse("org:tree"), {"q": "tay ninh"})
    home = client.get(reverse("org:home"))

    assert [tree.status_code, search.status_code, home.status_code] == [200, 200, 200]
    assert "Tỉnh đoàn Tây Ninh" not in tree.content.decode()
    assert "Tỉnh đoàn Tây Ninh" not in search.content.decode()
    assert "Không tìm thấy đơn vị nào." in search.content.decode()
    assert "Bạn chưa được giao vai trò nào." in home.content.decode()


# -- the special cases ----------------------------------------------------------------------------


def test_x3_login_page_redirects_the_logged_in_and_refuses_bad_passwords(world: World) -> None:
    logged_in = login(world.outsider)
    anonymous = Client()

    again = logged_in.get(reverse("accounts:login"))
    form = anonymous.get(reverse("accounts:login"))
    wrong = anonymous.post(reverse("accounts:login"),
                           {"username": "nguoingoai", "password": "sai-mat-khau"})
    junk = anonymous.post(reverse("accounts:login"), {"username": "x" * 500, "password": ""})
    right = anonymous.post(reverse("accounts:login"),
                           {"username": "nguoingoai", "password": "matkhau123"})

    assert again.status_code == 302
    assert form.status_code == 200
    assert wrong.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in wrong.content.decode()
    assert junk.status_code == 200
    assert "Hãy nhập thông tin này." in junk.content.decode()
    assert (right.status_code, right["Location"]) == (302, reverse("org:home"))


def test_x3_logout_needs_post_and_ends_the_session(world: World) -> None:
    client = login(world.province_secretary)

    by_get = client.get(reverse("accounts:logout"))
    still_in = client.get(reverse("org:home"))
    by_post = client.post(reverse("accounts:logout"))
    after = client.get(reverse("org:home"))

    assert by_get.status_code == 405
    assert still_in.status_code == 200
    assert (by_post.status_code, by_post["Location"]) == (302, LOGIN_URL)
    assert after.status_code == 302
    assert after["Location"].startswith(LOGIN_URL)


def test_x9_unknown_url_is_a_vietnamese_404(world: World) -> None:
    client = login(world.outsider)

    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_x3_sweep_combinations_cover_every_value_and_keep_small_products_whole() -> None:
    small = [[1, 2, 3], ["a", "b"]]
    assert combinations(small) == list(itertools.product(*small))
    assert combinations([]) == [()]
    big = [[1, 2, 3, 4, 5, 6], ["a", "b", "c", "d"], ["x", "y", "z"]]
    chosen = combinations(big)
    assert len(chosen) < len(list(itertools.product(*big))) and len(set(chosen)) == len(chosen)
    assert chosen[0] == (1, "a", "x")
    for i, options in enumerate(big):  # each value beside the others' first values
        for option in options:
            beside_first = tuple(o if j == i else big[j][0] for j, o in enumerate([option] * 3))
            assert beside_first in chosen

