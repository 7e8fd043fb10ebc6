"""X-3, the access contract: every write service of the platform apps (org, accounts, documents,
hub) checks its actor itself, so an API view, a command or another module cannot bypass the
page's check.

The convention: a service refuses an actor outside its scope with an `ApplicationError`
subclass (`OrgScopeError`, `AgencyScopeError`, `GrantError`, `DocumentScopeError`,
`HubPermissionError`) and writes nothing; a `None` actor is the system and is allowed. (Pages
answer 404 alike for missing and not yours before they reach the service.)

Every public function of those services modules is listed: with a case below (called directly
with an out-of-scope actor, then with one in scope), or in NO_ACTOR with the reason it takes
none. A new public function fails `test_x3_every_public_service_is_classified` until it is one
or the other.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import pytest

from doanvu.accounts import services as account_services
from doanvu.accounts.models import RoleGrant, RoleType, User
from doanvu.accounts.scope import Scope
from doanvu.audit.models import AuditRecord
from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.documents import services as document_services
from doanvu.documents.addressing import Address
from doanvu.documents.models import Document, DocumentCounter
from doanvu.hub import rules
from doanvu.hub import services as hub_services
from doanvu.hub.models import Notification, Obligation
from doanvu.org import agency
from doanvu.org import services as org_services
from doanvu.org.models import (
    CommitteeSeat,
    Department,
    Person,
    Position,
    Supervision,
    Term,
    Unit,
    UnitEvent,
    UnitVersion,
)
from tests.conftest import World, grant, kind, make_user
from tests.documents.conftest import doc_type, make_draft
from tests.hub.conftest import make_ob

MODULES: dict[str, ModuleType] = {
    "org.services": org_services,
    "org.agency": agency,
    "accounts.services": account_services,
    "documents.services": document_services,
    "hub.services": hub_services,
}

# Public functions that take no actor, and why none is needed.
NO_ACTOR: dict[str, str] = {
    "org.services.unit_merge_preview": "a preview: computes the plan, writes nothing",
    "org.services.unit_split_preview": "a preview: computes the plan, writes nothing",
    "org.agency.person_resolve": "a bare person linked to nothing; the post that links them "
                                 "(seat_add, position_add, supervision_add) checks its actor",
    "org.agency.people_of_unit": "a read",
    "accounts.services.password_change": "the owner's own password (the user is the actor)",
    "documents.services.format_symbol": "pure",
    "documents.services.document_symbol": "pure",
    "documents.services.defaults_for": "a read",
    "hub.services.format_size": "pure",
    "hub.services.check_upload": "pure",
    "hub.services.policy_rule": "pure",
    "hub.services.policy_create": "the system's: deadline rules are set by the demo loader and "
                                  "data migrations (no page writes them)",
    "hub.services.send_pending_emails": "the system's task",
    "hub.services.reminders_send": "the system's task",
    "hub.services.notification_mark_read": "the user's own notifications (the user is the actor)",
    "hub.services.calendar_feed_regenerate": "the user's own feed (the user is the actor)",
    "hub.services.calendar_entry_create": "a module's entry for its own object: the module's "
                                          "service checks its actor",
    "hub.services.calendar_entry_update": "as calendar_entry_create",
    "hub.services.calendar_entries_delete_for": "as calendar_entry_create",
}

REFUSALS = (org_services.OrgScopeError, agency.AgencyScopeError, account_services.GrantError,
            document_services.DocumentScopeError, hub_services.HubPermissionError)

ON = today()
PASSWORD = "Chi-doan-ap-Binh-Phong-2025"


@dataclass
class Case:
    call: Callable[[User], object]
    outsiders: list[str]  # World attributes: each must be refused
    owner: str  # World attribute: may do it


def _state() -> tuple[int, ...]:
    """Everything these services write: audited rows leave an AuditRecord (updates too)."""
    models = (AuditRecord, Unit, UnitVersion, UnitEvent, Department, Term, CommitteeSeat,
              Position, Supervision, Person, User, RoleGrant, Document, DocumentCounter,
              Obligation, Notification)
    return tuple(m.objects.count() for m in models)  # type: ignore[attr-defined]


# -- org.services -----------------------------------------------------------------------------


def _org_unit_create(w: World) -> Case:
    return Case(lambda a: org_services.unit_create(
        actor=a, parent=w.commune_a1, name="Chi đoàn ấp Mới", kind=kind("chi_doan"),
        founded_on=ON), ["district_b_cadre", "outsider", "branch_secretary"], "district_a_cadre")


def _org_unit_rename(w: World) -> Case:
    return Case(lambda a: org_services.unit_rename(
        actor=a, unit=w.commune_a1, name="Đoàn xã Thái Bình mới", on=ON),
        ["district_b_cadre", "outsider"], "district_a_cadre")


def _org_unit_move(w: World) -> Case:
    return Case(lambda a: org_services.unit_move(
        actor=a, unit=w.branch_a1, new_parent=w.commune_a2, on=ON),
        ["district_b_cadre", "outsider", "branch_secretary"], "district_a_cadre")


def _org_unit_dissolve(w: World) -> Case:
    return Case(lambda a: org_services.unit_dissolve(actor=a, unit=w.branch_b1, on=ON),
                ["district_a_cadre", "outsider"], "district_b_cadre")


def _org_unit_merge(w: World) -> Case:
    return Case(lambda a: org_services.unit_merge(
        actor=a, sources=[w.commune_a2], target=w.commune_a1, on=ON),
        ["district_b_cadre", "outsider"], "district_a_cadre")


def _org_unit_split(w: World) -> Case:
    def split(a: User) -> object:
        parts = [org_services.SplitPart(name="Đoàn xã Thái Bình Bắc", children=[w.branch_a1]),
                 org_services.SplitPart(name="Đoàn xã Thái Bình Nam")]
        return org_services.unit_split(actor=a, unit=w.commune_a1, parts=parts, on=ON,
                                       keep_original=False)
    return Case(split, ["district_b_cadre", "outsider"], "district_a_cadre")


# -- org.agency -------------------------------------------------------------------------------

AGENCY_OUT = ["district_b_cadre", "outsider"]


def _agency_department_create(w: World) -> Case:
    return Case(lambda a: agency.department_create(
        actor=a, unit=w.district_a, name="Ban Phong trào", short_name="BPT",
        category="chuyen_mon", valid_from=None), AGENCY_OUT, "district_a_cadre")


def _agency_department_close(w: World) -> Case:
    dep = Department.objects.create(unit=w.district_a, name="Ban Tuyên giáo")
    return Case(lambda a: agency.department_close(actor=a, department=dep, on=ON),
                AGENCY_OUT, "district_a_cadre")


def _agency_term_create(w: World) -> Case:
    return Case(lambda a: agency.term_create(
        actor=a, unit=w.district_a, name="2022–2027", start_date=dt.date(2022, 9, 1),
        end_date=None), AGENCY_OUT, "district_a_cadre")


def _term(w: World) -> Term:
    return Term.objects.create(unit=w.district_a, name="2022–2027",
                               start_date=dt.date(2022, 9, 1))


def _agency_seat_add(w: World) -> Case:
    term = _term(w)
    person = Person.objects.create(full_name="Trần Thị Bình")
    return Case(lambda a: agency.seat_add(
        actor=a, term=term, committee="bch", person=person, title="Ủy viên", order=1,
        start_date=None), AGENCY_OUT, "district_a_cadre")


def _agency_seat_end(w: World) -> Case:
    seat = CommitteeSeat.objects.create(
        term=_term(w), committee="bch", title="Ủy viên", order=1,
        person=Person.objects.create(full_name="Trần Thị Bình"))
    return Case(lambda a: agency.seat_end(actor=a, seat=seat, on=ON),
                AGENCY_OUT, "district_a_cadre")


def _agency_position_add(w: World) -> Case:
    person = Person.objects.create(full_name="Lê Văn Cường")
    return Case(lambda a: agency.position_add(
        actor=a, unit=w.district_a, department=None, person=person, title="Bí thư",
        full_time=True, start_date=ON), AGENCY_OUT, "district_a_cadre")


def _agency_position_end(w: World) -> Case:
    position = Position.objects.create(
        unit=w.district_a, person=Person.objects.create(full_name="Lê Văn Cường"),
        title="Bí thư", start_date=dt.date(2022, 9, 1))
    return Case(lambda a: agency.position_end(actor=a, position=position, on=ON),
                AGENCY_OUT, "district_a_cadre")


def _agency_supervision_add(w: World) -> Case:
    person = Person.objects.create(full_name="Phạm Thị Dung")
    return Case(lambda a: agency.supervision_add(
        actor=a, assigning_unit=w.district_a, supervised_unit=w.commune_a1, person=person,
        department=None, role_label="Phụ trách", field="", start_date=ON),
        AGENCY_OUT, "district_a_cadre")


def _agency_supervision_end(w: World) -> Case:
    supervision = Supervision.objects.create(
        assigning_unit=w.district_a, supervised_unit=w.commune_a1,
        person=Person.objects.create(full_name="Phạm Thị Dung"), start_date=dt.date(2022, 9, 1))
    return Case(lambda a: agency.supervision_end(actor=a, supervision=supervision, on=ON),
                AGENCY_OUT, "district_a_cadre")


# -- accounts.services ------------------------------------------------------------------------


def _accounts_grant_create(w: World) -> Case:
    role = RoleType.objects.get(code="quan_tri_don_vi")
    return Case(lambda a: account_services.grant_create(
        actor=a, scope=Scope.for_user(a), user=w.outsider, role_type=role, unit=w.commune_a1,
        department=None, start_date=ON), ["district_b_cadre", "outsider", "branch_secretary"],
        "district_a_cadre")


def _accounts_grant_end(w: World) -> Case:
    made = grant(make_user("canbo_thaibinh"), "quan_tri_don_vi", w.commune_a1)
    return Case(lambda a: account_services.grant_end(actor=a, scope=Scope.for_user(a),
                                                     grant=made),
                ["district_b_cadre", "outsider"], "district_a_cadre")


def _accounts_user_create(w: World) -> Case:
    return Case(lambda a: account_services.user_create(
        actor=a, username="canbo_moi", full_name="Cán bộ Mới", password=PASSWORD),
        ["outsider"], "district_a_cadre")


# -- documents.services -----------------------------------------------------------------------


def _documents_document_create(w: World) -> Case:
    return Case(lambda a: document_services.document_create(
        actor=a, issuing_unit=w.district_a, doc_type=doc_type(), title="Kế hoạch mới",
        body_code="HĐ", place="Tây Ninh"), ["district_b_cadre", "outsider"], "district_a_cadre")


def _documents_document_update(w: World) -> Case:
    draft = make_draft(w.district_a)
    return Case(lambda a: document_services.document_update(
        actor=a, document=draft, doc_type=doc_type(), title="Kế hoạch đã sửa",
        body_code="HĐ", place="Tây Ninh"), ["district_b_cadre", "outsider"], "district_a_cadre")


def _documents_document_issue(w: World) -> Case:
    draft = make_draft(w.district_a)
    # writing is not approving: the district's administrator may not issue
    return Case(lambda a: document_services.document_issue(actor=a, document=draft, issued_on=ON),
                ["district_a_cadre", "district_b_cadre", "outsider"], "province_secretary")


def _documents_document_register_issued(w: World) -> Case:
    return Case(lambda a: document_services.document_register_issued(
        actor=a, issuing_unit=w.district_a, doc_type=doc_type(), number=7,
        issued_on=dt.date(2020, 3, 2), title="Kế hoạch năm 2020", body_code="HĐ",
        place="Tây Ninh", signer_on_behalf="TM. BAN THƯỜNG VỤ", signer_title="BÍ THƯ",
        signer_name="Nguyễn Văn An", recipients=["Lưu VP."], body=[
            {"marker": "", "heading": "", "level": 0, "children": [],
             "blocks": [{"kind": "p", "text": "Nội dung."}]}]),
        ["district_a_cadre", "district_b_cadre", "outsider"], "province_secretary")


def _documents_document_open(w: World) -> Case:
    # the receipt of a district the province sent its plan to: only that district's own cadre
    # records it; a unit it was not sent to may not even read it
    draft = make_draft(w.province, addresses=[Address(unit=w.district_a)])
    issued = document_services.document_issue(actor=None, document=draft, issued_on=ON)
    return Case(lambda a: document_services.document_open(actor=a, document=issued),
                ["district_b_cadre", "outsider", "branch_secretary"], "district_a_cadre")


# -- hub.services -----------------------------------------------------------------------------


def _owed(w: World) -> Obligation:
    return make_ob(by=w.district_a, to=w.province, title="Báo cáo quý",
                   due=ON + dt.timedelta(days=5))


def _hub_obligation_create(w: World) -> Case:
    # the owing side does not set its own obligations
    return Case(lambda a: hub_services.obligation_create(
        actor=a, kind="bao_cao_quy", title="Báo cáo quý mới", owed_by_unit=w.district_a,
        owed_to_unit=w.province, rule=rules.DueRule.fixed(ON + dt.timedelta(days=9))),
        ["district_a_cadre", "district_b_cadre", "outsider"], "province_secretary")


def _hub_obligation_reschedule(w: World) -> Case:
    ob = _owed(w)
    return Case(lambda a: hub_services.obligation_reschedule(
        actor=a, obligation=ob, rule=rules.DueRule.fixed(ON + dt.timedelta(days=20))),
        ["district_a_cadre", "district_b_cadre", "outsider"], "province_secretary")


def _hub_obligation_submit(w: World) -> Case:
    ob = _owed(w)
    return Case(lambda a: hub_services.obligation_submit(actor=a, obligation=ob, text="Xong."),
                ["district_b_cadre", "outsider"], "district_a_cadre")


def _submitted(w: World) -> Obligation:
    ob = _owed(w)
    hub_services.obligation_submit(actor=None, obligation=ob, text="Xong.")
    return ob


def _hub_obligation_accept(w: World) -> Case:
    ob = _submitted(w)
    return Case(lambda a: hub_services.obligation_accept(actor=a, obligation=ob),
                ["district_a_cadre", "district_b_cadre", "outsider"], "province_secretary")


def _hub_obligation_return(w: World) -> Case:
    ob = _submitted(w)
    return Case(lambda a: hub_services.obligation_return(actor=a, obligation=ob,
                                                         note="Bổ sung số liệu."),
                ["district_a_cadre", "district_b_cadre", "outsider"], "province_secretary")


def _hub_obligation_waive(w: World) -> Case:
    ob = _owed(w)
    return Case(lambda a: hub_services.obligation_waive(actor=a, obligation=ob,
                                                        note="Không phải nộp."),
                ["district_a_cadre", "district_b_cadre", "outsider"], "province_secretary")


def _hub_obligation_remind(w: World) -> Case:
    ob = _owed(w)
    return Case(lambda a: hub_services.obligation_remind(actor=a, obligation=ob),
                ["district_b_cadre", "outsider"], "province_secretary")


PREFIXES = {"_org_": "org.services", "_agency_": "org.agency", "_accounts_": "accounts.services",
            "_documents_": "documents.services", "_hub_": "hub.services"}
CASES: dict[str, Callable[[World], Case]] = {
    f"{label}.{name.removeprefix(prefix)}": fn
    for name, fn in list(globals().items())
    for prefix, label in PREFIXES.items() if name.startswith(prefix)
}


def _public_functions() -> set[str]:
    return {
        f"{label}.{name}"
        for label, module in MODULES.items()
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__ and not name.startswith("_")
    }


def _takes_an_actor(key: str) -> bool:
    label, name = key.rsplit(".", 1)
    params = inspect.signature(getattr(MODULES[label], name)).parameters
    return "actor" in params or "scope" in params


SERVICES = sorted(key for key in _public_functions() if _takes_an_actor(key))


def test_x3_every_public_service_is_classified() -> None:
    public = _public_functions()

    assert sorted(CASES) == SERVICES
    assert sorted(public - set(SERVICES)) == sorted(NO_ACTOR)


@pytest.mark.parametrize("key", SERVICES)
def test_x3_write_service_refuses_an_actor_outside_its_scope(world: World, key: str) -> None:
    case = CASES[key](world)
    refused: list[str] = []
    before = _state()

    for who in case.outsiders:
        try:
            case.call(getattr(world, who))
        except REFUSALS:
            refused.append(who)
    unchanged = _state() == before
    case.call(getattr(world, case.owner))

    assert refused == case.outsiders
    assert unchanged is True
    assert _state() != before


def test_x3_grant_services_refuse_a_scope_that_is_not_the_actors(world: World) -> None:
    """The scope a grant service checks is its actor's: a caller cannot lend a wider one."""
    role = RoleType.objects.get(code="quan_tri_don_vi")
    borrowed = Scope.for_user(world.district_a_cadre)
    before = _state()

    with pytest.raises(account_services.GrantError) as refused:
        account_services.grant_create(
            actor=world.district_b_cadre, scope=borrowed, user=world.outsider, role_type=role,
            unit=world.commune_a1, department=None, start_date=ON)

    assert refused.value.message == "Phạm vi quản trị không phải của người thực hiện."
    assert _state() == before


def test_x3_the_system_may_write_without_an_actor(world: World) -> None:
    unit = org_services.unit_create(actor=None, parent=world.commune_b1, name="Chi đoàn ấp Hai",
                                    kind=kind("chi_doan"), founded_on=ON)

    assert unit.parent_id == world.commune_b1.pk


def test_x3_refusals_are_application_errors() -> None:
    assert all(issubclass(cls, ApplicationError) for cls in REFUSALS)
