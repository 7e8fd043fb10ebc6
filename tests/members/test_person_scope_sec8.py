"""Issue 8, finding 1: person-level scope. A person's data and every write on a person are
governed by their current (else last) membership; an earlier unit keeps its own period only.

The story: An is a member of Chi đoàn ấp Bình Phong (Huyện đoàn Châu Thành). He transfers to
Chi đoàn ấp Tân Đông (Huyện đoàn Tân Biên), which accepts, records his new phone, e-mail and
address and a cadre status. Châu Thành's administrator must no longer see or change any of it.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from doanvu.accounts.scope import Scope
from doanvu.audit.models import AuditRecord
from doanvu.members import permissions
from doanvu.members.core import services
from doanvu.members.core.selectors import person_get
from doanvu.members.ghost import services as audit_report
from doanvu.members.models import (
    CadreCourse,
    CadreStatus,
    CadreStatusKind,
    Membership,
    MemberStatus,
    RemovalProposal,
    Transfer,
    TransferKind,
    TransferStatus,
)
from doanvu.org import agency
from doanvu.org import services as org_services
from doanvu.org.models import Person, Position, Unit
from tests.conftest import World, kind, login
from tests.members.conftest import MembersWorld, make_member

NEW_PHONE = "0987654321"
NEW_EMAIL = "an.tanbien@example.vn"
NEW_ADDRESS = "Số 9 đường Trần Phú, Tân Biên"
NEW_REASON = "Cập nhật hồ sơ tại Tân Biên"
NEW_STATUS_NOTE = "Biệt phái về xã Tân Lập"
NEW_COURSE = "Lớp bồi dưỡng cán bộ Tân Biên"
NEW_CCCD = "072200009999"  # a corrected number


@dataclass
class Moved:
    w: World
    old: Membership  # Bình Phong's membership, now "đã chuyển đi"
    new: Membership  # Tân Đông's current membership
    person: Person
    status: CadreStatus  # recorded by Tân Biên


def _person_input(person: Person, **changes: object) -> services.PersonInput:
    data = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    data["cccd"] = person.cccd or ""
    data.update(changes)
    return services.PersonInput(**data)  # type: ignore[arg-type]


def transfer_away(w: World, old: Membership, *, to: Unit | None = None) -> Membership:
    """An official transfer of `old` to `to` (Tân Đông), accepted by Tân Biên."""
    to = to or w.branch_b1
    transfer = services.transfer_request(actor=None, membership=old, to_branch=to,
                                         kind=TransferKind.OFFICIAL,
                                         requested_on=dt.date(2024, 1, 10))
    accepted = services.transfer_accept(actor=w.district_b_cadre, transfer=transfer,
                                        on=dt.date(2024, 2, 1))
    assert accepted.new_membership is not None
    return accepted.new_membership


@pytest.fixture
def moved(members_world: MembersWorld) -> Moved:
    w = members_world.world
    old = members_world.a1[0]
    new = transfer_away(w, old)
    services.member_update(
        actor=w.district_b_cadre, membership=new,
        person=_person_input(new.person, phone=NEW_PHONE, email=NEW_EMAIL, address=NEW_ADDRESS,
                             cccd=NEW_CCCD),
        joined_union_on=new.joined_union_on, card_number=new.card_number, reason=NEW_REASON)
    status = services.cadre_status_add(actor=w.district_b_cadre, person=new.person,
                                       kind=CadreStatusKind.SECONDMENT,
                                       start_date=dt.date(2024, 3, 1), note=NEW_STATUS_NOTE)
    services.cadre_course_add(actor=w.district_b_cadre, person=new.person, name=NEW_COURSE,
                              start_date=dt.date(2024, 4, 1))
    old.refresh_from_db()
    new.refresh_from_db()
    return Moved(w=w, old=old, new=new, person=Person.objects.get(pk=new.person_id),
                 status=status)


def _state() -> tuple[object, ...]:
    return (
        list(Person.objects.order_by("pk").values_list()),
        list(Membership.objects.order_by("pk").values_list()),
        list(CadreStatus.objects.order_by("pk").values_list()),
        list(CadreCourse.objects.order_by("pk").values_list()),
        list(Transfer.objects.order_by("pk").values_list()),
        list(RemovalProposal.objects.order_by("pk").values_list()),
        AuditRecord.objects.count(),
    )


# -- the rule --------------------------------------------------------------------------------------


def test_sec8_governing_membership_is_the_current_else_the_last(moved: Moved) -> None:
    lone = Person.objects.create(full_name="Cán bộ không là đoàn viên")

    assert permissions.person_governing_membership(moved.person) == moved.new
    assert permissions.governing_memberships([moved.person.pk, lone.pk]) == {
        moved.person.pk: moved.new}
    services.member_remove(actor=None, membership=moved.new, on=dt.date(2024, 6, 1),
                           reason="Bỏ sinh hoạt")
    assert permissions.person_governing_membership(moved.person) == moved.new
    assert permissions.person_governing_membership(lone) is None


def test_sec8_person_without_membership_is_governed_by_the_units_of_their_posts(
        members_world: MembersWorld) -> None:
    w = members_world.world
    cadre = Person.objects.create(full_name="Trần Văn Chuyên")
    agency.position_add(actor=None, unit=w.district_b, department=None,
                                       person=cadre, title="Phó Bí thư", full_time=True,
                                       start_date=dt.date(2020, 1, 1))
    lone = Person.objects.create(full_name="Hồ sơ không gắn đơn vị")

    assert permissions.can_write_person(Scope.for_user(w.district_b_cadre), cadre) is True
    assert permissions.can_read_person(Scope.for_user(w.district_a_cadre), cadre) is False
    assert permissions.can_read_person(Scope.for_user(w.province_secretary), lone) is False
    assert permissions.can_write_person(Scope.for_user(w.admin), lone) is True


# -- the member page through the old membership ----------------------------------------------------


def test_sec8_old_unit_page_shows_its_period_but_no_later_personal_data(moved: Moved) -> None:
    client = login(moved.w.district_a_cadre)

    response = client.get(reverse("members:member_detail", args=[moved.old.pk]))
    body = response.content.decode()

    assert response.status_code == 200
    assert "Nguyễn Văn An" in body
    assert "15/01/2000" in body
    assert "Chi đoàn ấp Bình Phong" in body
    assert "Đã chuyển đi" in body
    leaked = [text for text in (NEW_PHONE, NEW_EMAIL, NEW_ADDRESS, NEW_REASON, NEW_STATUS_NOTE,
                                NEW_COURSE, NEW_CCCD, "Biệt phái")
              if text in body]
    assert leaked == []
    assert reverse("members:member_detail", args=[moved.new.pk]) not in body
    assert reverse("members:cadre_status_add", args=[moved.old.pk]) not in body
    assert reverse("members:member_edit", args=[moved.old.pk]) not in body
    assert 'data-testid="member-period-only"' in body


def test_sec8_old_unit_timeline_stops_where_the_next_membership_began(moved: Moved) -> None:
    client = login(moved.w.district_a_cadre)

    body = client.get(reverse("members:member_detail", args=[moved.old.pk])).content.decode()

    # the end of its own membership and the transfer it asked for are its own records
    assert "Chuyển sinh hoạt đến Chi đoàn ấp Tân Đông" in body
    assert NEW_REASON not in body
    assert "Ghi khóa bồi dưỡng cán bộ" not in body


def test_sec8_new_unit_keeps_full_access(moved: Moved) -> None:
    client = login(moved.w.district_b_cadre)

    response = client.get(reverse("members:member_detail", args=[moved.new.pk]))
    body = response.content.decode()
    add = client.post(reverse("members:cadre_status_add", args=[moved.new.pk]), {
        "kind": CadreStatusKind.TRAINING, "start_date": "01/05/2024", "note": "Học tập trung"})

    assert response.status_code == 200
    assert [t in body for t in (NEW_PHONE, NEW_EMAIL, NEW_ADDRESS, NEW_REASON,
                                NEW_STATUS_NOTE, NEW_COURSE)] == [True] * 6
    assert 'data-testid="member-period-only"' not in body
    assert add.status_code == 302
    assert CadreStatus.objects.filter(person=moved.person, note="Học tập trung").count() == 1


def test_sec8_a_unit_reaching_both_sides_sees_the_whole_person_from_either(
        moved: Moved) -> None:
    client = login(moved.w.province_secretary)

    body = client.get(reverse("members:member_detail", args=[moved.old.pk])).content.decode()

    assert NEW_PHONE in body
    assert 'data-testid="member-period-only"' not in body


# -- writes through the old membership ---------------------------------------------------------


def test_sec8_old_unit_cannot_add_or_end_a_cadre_status_through_pages(moved: Moved) -> None:
    client = login(moved.w.district_a_cadre)
    before = _state()
    old = moved.old.pk

    answers = [
        client.get(reverse("members:cadre_status_add", args=[old])).status_code,
        client.post(reverse("members:cadre_status_add", args=[old]), {
            "kind": CadreStatusKind.MATERNITY, "start_date": "01/05/2024"}).status_code,
        client.get(reverse("members:cadre_status_end", args=[old, moved.status.pk])).status_code,
        client.post(reverse("members:cadre_status_end", args=[old, moved.status.pk]),
                    {"end_date": "01/05/2024"}).status_code,
        client.post(reverse("members:cadre_course_add", args=[old]), {
            "name": "Khóa giả", "start_date": "01/05/2024"}).status_code,
        client.post(reverse("members:member_edit", args=[old]), {
            "full_name": "Nguyễn Văn An", "phone": "0900000000"}).status_code,
        client.post(reverse("members:transfer_request", args=[old]), {}).status_code,
        client.post(reverse("members:member_remove", args=[old]), {}).status_code,
    ]

    assert answers == [404] * 8
    assert _state() == before


def test_sec8_old_unit_cannot_write_the_person_by_calling_services(moved: Moved) -> None:
    actor = moved.w.district_a_cadre
    before = _state()

    with pytest.raises(permissions.PersonScopeError) as add:
        services.cadre_status_add(actor=actor, person=moved.old.person,
                                  kind=CadreStatusKind.MATERNITY, start_date=dt.date(2024, 5, 1))
    with pytest.raises(permissions.PersonScopeError):
        services.cadre_status_end(actor=actor, status=moved.status, end_date=dt.date(2024, 5, 1))

    assert add.value.message == permissions.OUT_OF_SCOPE
    assert "Nguyễn Văn An" not in add.value.message
    assert _state() == before


def test_sec8_admission_by_the_cccd_of_a_person_governed_elsewhere_names_nothing(
        moved: Moved) -> None:
    client = login(moved.w.district_a_cadre)
    before = _state()

    response = client.post(reverse("members:member_admit", args=[moved.w.branch_a1.pk]), {
        "full_name": "Nguyễn Văn An", "birth_date": "15/01/2000", "gender": "nam",
        "cccd": NEW_CCCD, "joined_union_on": "26/03/2018", "phone": "0900000003"})
    body = response.content.decode()

    assert response.status_code == 200
    assert str(permissions.OUT_OF_SCOPE) in body
    assert ["Chi đoàn ấp Tân Đông" in body, NEW_PHONE in body] == [False, False]
    assert _state() == before


# -- the ghost-merge attack ------------------------------------------------------------------------


def _look_alike(w: World) -> Membership:
    """Admitted by Châu Thành with no CCCD and An's birth date, then removed."""
    fake = services.member_admit(
        actor=w.district_a_cadre, branch=w.branch_a1,
        person=services.PersonInput(full_name="Nguyễn Văn An", birth_date=dt.date(2000, 1, 15),
                                    gender="nam", phone="0911111111", email="ke.gian@example.vn"),
        joined_union_on=dt.date(2018, 3, 26))
    services.member_remove(actor=w.district_a_cadre, membership=fake, on=dt.date(2024, 5, 1),
                           reason="Trùng hồ sơ")
    return fake


def test_sec8_ghost_merge_of_a_person_transferred_away_is_refused(moved: Moved) -> None:
    w = moved.w
    fake = _look_alike(w)
    client = login(w.district_a_cadre)
    before = _state()

    attack = client.post(reverse("members:ghost_merge", args=[w.district_a.pk]),
                         {"keep": fake.person_id, "drop": moved.person.pk})
    reverse_attack = client.post(reverse("members:ghost_merge", args=[w.district_a.pk]),
                                 {"keep": moved.person.pk, "drop": fake.person_id})

    assert (attack.status_code, reverse_attack.status_code) == (404, 404)
    assert _state() == before
    moved.new.refresh_from_db()
    assert moved.new.person_id == moved.person.pk
    assert Person.objects.get(pk=moved.person.pk).phone == NEW_PHONE


def test_sec8_person_merge_service_refuses_unless_both_persons_are_in_write_scope(
        moved: Moved) -> None:
    w = moved.w
    fake = _look_alike(w)
    before = _state()

    for actor, keep, drop in [
        (w.district_a_cadre, fake.person, moved.person),
        (w.district_a_cadre, moved.person, fake.person),
        (w.district_b_cadre, moved.person, fake.person),
    ]:
        with pytest.raises(permissions.PersonScopeError):
            audit_report.person_merge(actor=actor, keep=keep, drop=drop)

    assert _state() == before
    # the province governs both: it may merge them (the real record is kept)
    audit_report.person_merge(actor=w.province_secretary, keep=moved.person, drop=fake.person)
    assert Person.objects.filter(pk=fake.person_id).exists() is False


def test_sec8_person_get_answers_404_outside_the_person_scope(moved: Moved) -> None:
    from django.http import Http404

    scope = Scope.for_user(moved.w.district_a_cadre)

    with pytest.raises(Http404):
        person_get(scope=scope, pk=moved.person.pk)
    with pytest.raises(Http404):
        person_get(scope=scope, pk="abc")
    assert person_get(scope=Scope.for_user(moved.w.district_b_cadre), pk=moved.person.pk,
                      perm="write") == moved.person


def test_sec8_search_by_phone_finds_no_one_through_an_old_membership(moved: Moved) -> None:
    old_unit = login(moved.w.district_a_cadre)
    new_unit = login(moved.w.district_b_cadre)
    query = {"q": NEW_PHONE[:6], "trang_thai": MemberStatus.TRANSFERRED,
             "don_vi": moved.w.district_a.pk}

    found_old = old_unit.get(reverse("members:member_list"), query).content.decode()
    listed = old_unit.get(reverse("members:member_list"),
                          {"trang_thai": MemberStatus.TRANSFERRED}).content.decode()
    found_new = new_unit.get(reverse("members:member_list"), {"q": NEW_PHONE[:6]}).content.decode()

    detail = reverse("members:member_detail", args=[moved.old.pk])
    assert detail not in found_old
    assert detail in listed
    assert reverse("members:member_detail", args=[moved.new.pk]) in found_new


def test_sec8_export_of_old_memberships_has_no_later_personal_data(moved: Moved) -> None:
    from openpyxl import load_workbook

    client = login(moved.w.district_a_cadre)
    response = client.get(reverse("members:export_xlsx"),
                          {"trang_thai": MemberStatus.TRANSFERRED})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)][2:]

    assert [(r[0], r[3], r[6]) for r in rows] == [("Nguyễn Văn An", None, None)]


def test_sec8_post_services_refuse_units_and_persons_outside_scope(moved: Moved) -> None:
    w = moved.w
    actor = w.district_a_cadre
    theirs = agency.position_add(actor=None, unit=w.district_b, department=None,
                                 person=Person.objects.create(full_name="Cán bộ Tân Biên"),
                                 title="Chánh Văn phòng", full_time=True,
                                 start_date=dt.date(2020, 1, 1))
    before = (_state(), list(Position.objects.order_by("pk").values_list()))
    refused: list[str] = []

    for label, call in [
        ("their unit", lambda: agency.position_add(
            actor=actor, unit=w.district_b, department=None, person=Person(full_name="X"),
            title="Phó Bí thư", full_time=True, start_date=dt.date(2024, 1, 1))),
        ("a person governed elsewhere", lambda: agency.position_add(
            actor=actor, unit=w.district_a, department=None, person=moved.person,
            title="Ủy viên", full_time=False, start_date=dt.date(2024, 1, 1))),
        ("their post", lambda: agency.position_end(actor=actor, position=theirs,
                                                    on=dt.date(2024, 1, 1))),
    ]:
        try:
            call()
        except agency.AgencyError:
            refused.append(label)
    after = (_state(), list(Position.objects.order_by("pk").values_list()))
    mine = agency.position_add(actor=actor, unit=w.district_a, department=None,
                               person=agency.person_resolve(full_name="Người mới"),
                               title="Ủy viên", full_time=False, start_date=dt.date(2024, 1, 1))

    assert refused == ["their unit", "a person governed elsewhere", "their post"]
    assert after == before
    assert mine.unit == w.district_a


# -- every write service on a person, called directly ----------------------------------------------


@dataclass
class Case:
    """Call the service as `actor`; `outsiders` must be refused, `owner` accepted."""

    call: Callable[[object], object]
    outsiders: list[str]
    owner: str


EARLIER = ["district_a_cadre", "branch_secretary", "outsider"]  # Châu Thành, and a stranger
ON = dt.date(2024, 7, 1)


def _pending(m: Moved, kind_: str = TransferKind.OFFICIAL, to: Unit | None = None) -> Transfer:
    """Tân Đông asks to send An back to Bình Phong (or to `to`)."""
    temporary = kind_ == TransferKind.TEMPORARY
    return services.transfer_request(actor=None, membership=m.new, to_branch=to or m.w.branch_a1,
                                     kind=kind_, requested_on=dt.date(2024, 6, 1),
                                     until=dt.date(2030, 1, 1) if temporary else None)


def _case_member_admit(m: Moved) -> Case:
    # Tân Đông removed An; Châu Thành re-admits him by his CCCD with another phone number.
    services.member_remove(actor=None, membership=m.new, on=dt.date(2024, 6, 1), reason="Bỏ")
    data = _person_input(m.person, phone="0900000001")

    def call(actor: object) -> object:
        branch = m.w.branch_b1 if actor == m.w.district_b_cadre else m.w.branch_a1
        return services.member_admit(actor=actor, branch=branch, person=data,
                                     joined_union_on=m.new.joined_union_on, started_on=ON)
    return Case(call, EARLIER, "district_b_cadre")


def _case_member_update(m: Moved) -> Case:
    return Case(lambda a: services.member_update(
        actor=a, membership=m.new, person=_person_input(m.person, phone="0900000002"),
        joined_union_on=m.new.joined_union_on), EARLIER, "district_b_cadre")


def _case_transfer_request(m: Moved) -> Case:
    return Case(lambda a: services.transfer_request(
        actor=a, membership=m.new, to_branch=m.w.branch_a1, kind=TransferKind.OFFICIAL,
        requested_on=ON), EARLIER, "district_b_cadre")


def _case_transfer_accept(m: Moved) -> Case:
    t = _pending(m)
    return Case(lambda a: services.transfer_accept(actor=a, transfer=t, on=ON),
                ["district_b_cadre", "outsider"], "district_a_cadre")


def _case_transfer_refuse(m: Moved) -> Case:
    t = _pending(m)
    return Case(lambda a: services.transfer_refuse(actor=a, transfer=t, on=ON, note="Không"),
                ["district_b_cadre", "outsider"], "district_a_cadre")


def _case_transfer_cancel(m: Moved) -> Case:
    t = _pending(m)
    return Case(lambda a: services.transfer_cancel(actor=a, transfer=t),
                ["district_a_cadre", "outsider"], "district_b_cadre")


def _case_transfer_end(m: Moved) -> Case:
    host = org_services.unit_create(actor=None, parent=m.w.commune_b1,
                                    name="Chi đoàn ấp Tân Tây", kind=kind("chi_doan"),
                                    founded_on=dt.date(2017, 1, 1))
    t = services.transfer_accept(actor=None, transfer=_pending(m, TransferKind.TEMPORARY, host),
                                 on=dt.date(2024, 6, 2))
    return Case(lambda a: services.transfer_end(actor=a, transfer=t, on=ON),
                EARLIER, "district_b_cadre")


def _case_member_mature(m: Moved) -> Case:
    # An is too young to mature: an older member who also moved from Bình Phong to Tân Đông
    older = make_member(m.w.branch_a1, "Võ Văn Lớn", birth=dt.date(1990, 1, 1))
    new = transfer_away(m.w, older)
    return Case(lambda a: services.member_mature(actor=a, membership=new, on=ON),
                EARLIER, "district_b_cadre")


def _case_member_remove(m: Moved) -> Case:
    return Case(lambda a: services.member_remove(actor=a, membership=m.new, on=ON, reason="Bỏ"),
                EARLIER, "district_b_cadre")


def _case_removal_proposal_decide(m: Moved) -> Case:
    p = RemovalProposal.objects.create(membership=m.new, reason="Không sinh hoạt",
                                       proposed_on=dt.date(2024, 6, 1))
    return Case(lambda a: services.removal_proposal_decide(
        actor=a, proposal=p, approve=False, on=ON, decision="Biên bản họp chi đoàn"),
        EARLIER, "district_b_cadre")


def _case_member_expel(m: Moved) -> Case:
    return Case(lambda a: services.member_expel(actor=a, membership=m.new, on=ON,
                                                decision="12/QĐ", reason="Vi phạm"),
                EARLIER, "district_b_cadre")


def _case_member_deceased(m: Moved) -> Case:
    return Case(lambda a: services.member_deceased(actor=a, membership=m.new, on=ON),
                EARLIER, "district_b_cadre")


def _case_cadre_status_add(m: Moved) -> Case:
    return Case(lambda a: services.cadre_status_add(actor=a, person=m.person,
                                                    kind=CadreStatusKind.MATERNITY,
                                                    start_date=ON),
                EARLIER, "district_b_cadre")


def _case_cadre_status_end(m: Moved) -> Case:
    return Case(lambda a: services.cadre_status_end(actor=a, status=m.status, end_date=ON),
                EARLIER, "district_b_cadre")


def _case_cadre_course_add(m: Moved) -> Case:
    return Case(lambda a: services.cadre_course_add(actor=a, person=m.person, name="Khóa mới",
                                                    start_date=ON),
                EARLIER, "district_b_cadre")


def _case_cadre_course_end(m: Moved) -> Case:
    course = CadreCourse.objects.get(person=m.person, name=NEW_COURSE)
    return Case(lambda a: services.cadre_course_end(actor=a, course=course, end_date=ON),
                EARLIER, "district_b_cadre")


def _case_person_merge(m: Moved) -> Case:
    twin = make_member(m.w.branch_b1, "Nguyễn Văn An", birth=dt.date(2000, 1, 15))
    return Case(lambda a: audit_report.person_merge(actor=a, keep=m.person, drop=twin.person),
                EARLIER, "district_b_cadre")


def _case_ghost_removal_propose(m: Moved) -> Case:
    return Case(lambda a: audit_report.ghost_removal_propose(actor=a, membership=m.new,
                                                             reason="Không sinh hoạt"),
                EARLIER, "district_b_cadre")


# Every write service on a person or a person's membership, arranged so that the only reason to
# refuse is the actor's scope (Châu Thành is the earlier unit).
CASES: dict[str, Callable[[Moved], Case]] = {
    name.removeprefix("_case_"): fn for name, fn in list(globals().items())
    if name.startswith("_case_")
}


def _write_services() -> set[str]:
    """Every public function of the members core's services that takes an actor, and the
    ghost audit's actions: a new one fails the test below until it has a case."""
    found = {
        name for name, fn in inspect.getmembers(services, inspect.isfunction)
        if fn.__module__ == services.__name__ and not name.startswith("_")
        and "actor" in inspect.signature(fn).parameters
    }
    found |= {
        name for name, fn in inspect.getmembers(audit_report, inspect.isfunction)
        if fn.__module__ == audit_report.__name__ and not name.startswith("_")
        and "actor" in inspect.signature(fn).parameters
    }
    return found


SERVICES = sorted(_write_services())


def test_sec8_every_write_service_on_a_person_has_a_scope_case() -> None:
    assert sorted(CASES) == SERVICES


@pytest.mark.parametrize("name", SERVICES)
def test_sec8_write_service_refuses_an_actor_outside_the_person_scope(moved: Moved,
                                                                      name: str) -> None:
    case = CASES[name](moved)
    refused: list[str] = []
    before = _state()

    for who in case.outsiders:
        try:
            case.call(getattr(moved.w, who))
        except permissions.PersonScopeError as exc:
            assert "Nguyễn Văn An" not in exc.message
            refused.append(who)
    unchanged = _state() == before
    case.call(getattr(moved.w, case.owner))  # the unit that governs the person may

    assert refused == case.outsiders
    assert unchanged is True
    assert _state() != before


def test_sec8_old_membership_facts_stay_with_the_old_unit(moved: Moved) -> None:
    """The earlier unit still reads its own membership's facts (dates, branch, status)."""
    scope = Scope.for_user(moved.w.district_a_cadre)

    assert permissions.membership_access(scope, moved.old) is permissions.Access.PERIOD
    assert permissions.membership_access(scope, moved.new) is None
    assert (moved.old.status, moved.old.ended_on, moved.old.branch_id) == (
        MemberStatus.TRANSFERRED, dt.date(2024, 2, 1), moved.w.branch_a1.pk)
    assert Transfer.objects.get(membership=moved.old).status == TransferStatus.ACCEPTED
