"""MEM-1, MEM-2, MEM-3, MEM-6, MEM-12: the services of the members core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from doanvu.audit.models import AuditRecord
from doanvu.common.dates import today
from doanvu.members.core import rules, services
from doanvu.members.models import (
    CadreStatusKind,
    Membership,
    MemberStatus,
    ProposalStatus,
    RemovalProposal,
    Transfer,
    TransferStatus,
)
from doanvu.org.models import Person
from tests.members.conftest import MembersWorld, make_member


def person(name: str = "Võ Thị Hồng", *, birth: dt.date = dt.date(2005, 2, 3),
           gender: str = "nu", cccd: str | None = None) -> services.PersonInput:
    number = cccd if cccd is not None else rules.make_cccd(
        province="072", gender=gender, birth_year=birth.year, serial=4321)
    return services.PersonInput(full_name=name, birth_date=birth, gender=gender, cccd=number)


def test_mem2_admit_creates_person_and_current_membership(members_world: MembersWorld) -> None:
    w = members_world.world

    m = services.member_admit(actor=w.branch_secretary, branch=w.branch_a1,
                              person=person(cccd="072 305 004 321"),
                              joined_union_on=dt.date(2022, 3, 26))

    assert (m.is_current, m.status, m.unit_path, m.name_folded, m.birth_date) == (
        True, MemberStatus.ACTIVE, w.branch_a1.path, "vo thi hong", dt.date(2005, 2, 3))
    assert m.person.cccd == "072305004321"
    assert AuditRecord.objects.filter(model="members.membership", object_pk=str(m.pk)).count() == 1


@pytest.mark.parametrize(("birth", "why"), [
    # the 15th birthday itself: "16" starts the day after (HD 22-HD/TWĐTN)
    (dt.date(2010, 3, 26), "đến ngày 26/03/2025 chưa đủ 16 tuổi (tính từ ngày 27/03/2025)"),
    # the day after the 30th birthday: "quá 30 tuổi"
    (dt.date(1995, 3, 25), "đã quá 30 tuổi vào ngày 26/03/2025")])
def test_mem2_admission_age_refused_before_16_and_past_30(members_world: MembersWorld,
                                                         birth: dt.date, why: str) -> None:
    w = members_world.world
    with pytest.raises(services.AdmissionError) as exc:
        services.member_admit(actor=None, branch=w.branch_a1,
                              person=person(birth=birth, gender="nam"),
                              joined_union_on=dt.date(2025, 3, 26))

    assert exc.value.field == "birth_date"
    assert exc.value.message == (f"Tuổi vào Đoàn từ 16 đến 30: người sinh ngày "
                                 f"{birth:%d/%m/%Y} {why}.")
    assert Membership.objects.count() == 4


def test_mem2_admission_age_follows_a_province_policy(members_world: MembersWorld) -> None:
    w = members_world.world
    members_world.policy.pk = None
    members_world.policy.issuing_unit = w.province
    members_world.policy.min_admission_age = 15
    members_world.policy.save()

    m = services.member_admit(actor=None, branch=w.branch_a1,
                              person=person(birth=dt.date(2011, 1, 1), gender="nam"),
                              joined_union_on=dt.date(2025, 3, 26))

    assert m.is_current


def test_mem2_person_current_elsewhere_is_refused_naming_the_branch(
        members_world: MembersWorld) -> None:
    w = members_world.world
    with pytest.raises(services.AdmissionError) as exc:
        services.member_admit(actor=None, branch=w.branch_b1,
                              person=person("Nguyễn Văn An", birth=dt.date(2000, 1, 15),
                                            gender="nam", cccd="072200001234"),
                              joined_union_on=dt.date(2018, 3, 26))

    assert exc.value.field == "cccd"
    assert exc.value.message == ("Nguyễn Văn An (CCCD 072200001234) đang sinh hoạt tại "
                                 "Chi đoàn ấp Bình Phong; hãy làm thủ tục chuyển sinh hoạt Đoàn.")


def test_mem2_database_refuses_two_current_memberships(members_world: MembersWorld) -> None:
    an = members_world.a1[0]
    w = members_world.world

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=an.person, branch=w.branch_b1, unit_path=w.branch_b1.path,
                                  name_folded=an.name_folded, joined_union_on=an.joined_union_on,
                                  started_on=dt.date(2024, 1, 1))


def test_mem2_admit_only_into_an_active_branch(members_world: MembersWorld) -> None:
    w = members_world.world
    with pytest.raises(services.AdmissionError) as exc:
        services.member_admit(actor=None, branch=w.commune_a1, person=person(),
                              joined_union_on=dt.date(2022, 3, 26))
    assert exc.value.message.startswith("Đoàn xã Thái Bình không phải chi đoàn")


def test_mem1_update_keeps_denormalised_fields_in_step(members_world: MembersWorld) -> None:
    an = members_world.a1[0]
    data = services.PersonInput(full_name="Nguyễn Văn Ân", birth_date=dt.date(2000, 2, 15),
                                gender="nam", cccd="072200001234", phone="0909 123 456",
                                ethnicity="Kinh", education_level="dai_hoc")

    m = services.member_update(actor=None, membership=an, person=data,
                               joined_union_on=an.joined_union_on, card_number="TN-1")

    assert (m.name_folded, m.birth_date, m.card_number) == ("nguyen van an", dt.date(2000, 2, 15),
                                                            "TN-1")
    assert Person.objects.get(pk=an.person_id).phone == "0909123456"


def test_mem1_update_carries_the_gender_onto_every_membership(members_world: MembersWorld
                                                               ) -> None:
    """The list's gender filter and the maintained counts read the membership's copy."""
    an = members_world.a1[0]
    assert an.gender == "nam"
    data = services.PersonInput(full_name=an.person.full_name, birth_date=an.birth_date,
                                gender="nu", cccd="072300001234", ethnicity="Kinh",
                                education_level="dai_hoc")

    services.member_update(actor=None, membership=an, person=data,
                           joined_union_on=an.joined_union_on)

    assert set(Membership.objects.filter(person_id=an.person_id)
               .values_list("gender", flat=True)) == {"nu"}


def test_mem1_update_refuses_a_cccd_of_someone_else(members_world: MembersWorld) -> None:
    an = members_world.a1[0]
    data = services.PersonInput(full_name="Nguyễn Văn An", birth_date=dt.date(2001, 4, 4),
                                gender="nam", cccd="072201003456")
    with pytest.raises(services.MemberError) as exc:
        services.member_update(actor=None, membership=an, person=data,
                               joined_union_on=an.joined_union_on)
    assert exc.value.message == "Số CCCD 072201003456 đã thuộc về Phạm Minh Đạt."


def test_mem3_in_transit_counted_once_and_accepted_moves(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    t = services.transfer_request(actor=w.branch_secretary, membership=an, to_branch=w.branch_b1,
                                  kind="chinh_thuc", requested_on=today())

    assert Membership.objects.filter(person=an.person, is_current=True).count() == 1
    assert Transfer.objects.get(pk=t.pk).status == TransferStatus.PENDING

    services.transfer_accept(actor=w.district_b_cadre, transfer=t, on=today())

    old = Membership.objects.get(pk=an.pk)
    new = Membership.objects.get(person=an.person, is_current=True)
    assert (old.is_current, old.status) == (False, MemberStatus.TRANSFERRED)
    assert (new.branch_id, new.unit_path, new.joined_union_on) == (
        w.branch_b1.pk, w.branch_b1.path, an.joined_union_on)
    assert Transfer.objects.get(pk=t.pk).new_membership_id == new.pk


def test_mem3_refused_transfer_leaves_the_member_where_they_were(
        members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    t = services.transfer_request(actor=None, membership=an, to_branch=w.branch_b1,
                                  kind="chinh_thuc", requested_on=today())

    services.transfer_refuse(actor=None, transfer=t, on=today(), note="Không cư trú tại ấp")

    m = Membership.objects.get(person=an.person, is_current=True)
    assert (m.pk, m.branch_id, m.status) == (an.pk, w.branch_a1.pk, MemberStatus.ACTIVE)
    assert Transfer.objects.get(pk=t.pk).status == TransferStatus.REFUSED
    with pytest.raises(services.TransferError):
        services.transfer_accept(actor=None, transfer=t, on=today())


def test_mem3_temporary_transfer_keeps_the_member_at_home(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    t = services.transfer_request(actor=None, membership=an, to_branch=w.branch_b1,
                                  kind="tam_thoi", requested_on=today(),
                                  until=today() + dt.timedelta(days=90))
    services.transfer_accept(actor=None, transfer=t, on=today())

    assert Membership.objects.get(person=an.person, is_current=True).pk == an.pk
    assert Transfer.objects.get(pk=t.pk).status == TransferStatus.ACCEPTED
    with pytest.raises(services.TransferError) as exc:
        services.transfer_request(actor=None, membership=an, to_branch=w.branch_b1,
                                  kind="tam_thoi", requested_on=today())
    assert exc.value.field == "until"


def test_mem3_transfer_to_own_branch_or_a_commune_is_refused(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    with pytest.raises(services.TransferError) as same:
        services.transfer_request(actor=None, membership=an, to_branch=w.branch_a1,
                                  kind="chinh_thuc", requested_on=today())
    with pytest.raises(services.TransferError) as commune:
        services.transfer_request(actor=None, membership=an, to_branch=w.commune_b1,
                                  kind="chinh_thuc", requested_on=today())
    assert same.value.field == commune.value.field == "to_branch"


def test_mem2_maturity_needs_the_policy_age(members_world: MembersWorld) -> None:
    w = members_world.world
    young = members_world.a1[0]
    old = make_member(w.branch_a1, "Đoàn Văn Lão", birth=rules.years_before(today(), 31))

    with pytest.raises(services.LifecycleError) as exc:
        services.member_mature(actor=None, membership=young, on=today())
    matured = services.member_mature(actor=None, membership=old, on=today())

    assert "chưa quá 30 tuổi" in exc.value.message
    assert (matured.status, matured.is_current) == (MemberStatus.MATURED, False)


def test_mem6_removal_needs_a_reason_and_a_proposal_decision_removes(
        members_world: MembersWorld) -> None:
    bich = members_world.a1[1]
    with pytest.raises(services.LifecycleError) as exc:
        services.member_remove(actor=None, membership=bich, on=today())
    assert exc.value.field == "reason"

    proposal = RemovalProposal.objects.create(membership=bich, reason="3 tháng không đóng đoàn phí",
                                              proposed_on=today())
    services.removal_proposal_decide(actor=None, proposal=proposal, approve=True, on=today(),
                                     decision="Biên bản họp chi đoàn ngày hôm nay")

    assert RemovalProposal.objects.get(pk=proposal.pk).status == ProposalStatus.APPROVED
    assert Membership.objects.get(pk=bich.pk).status == MemberStatus.REMOVED


def test_mem2_expulsion_needs_a_decision_and_cancels_pending_transfers(
        members_world: MembersWorld) -> None:
    w = members_world.world
    duc = members_world.a1[2]
    t = services.transfer_request(actor=None, membership=duc, to_branch=w.branch_b1,
                                  kind="chinh_thuc", requested_on=today())
    with pytest.raises(services.LifecycleError) as exc:
        services.member_expel(actor=None, membership=duc, on=today(), decision="", reason="x")
    services.member_expel(actor=None, membership=duc, on=today(), decision="12-QĐ/ĐTN",
                          reason="Vi phạm pháp luật")

    assert exc.value.field == "decision"
    assert Membership.objects.get(pk=duc.pk).status == MemberStatus.EXPELLED
    assert Transfer.objects.get(pk=t.pk).status == TransferStatus.CANCELLED


def test_mem12_cadre_status_and_course(members_world: MembersWorld) -> None:
    p = members_world.a1[0].person
    s = services.cadre_status_add(actor=None, person=p, kind=CadreStatusKind.MATERNITY,
                                  start_date=dt.date(2024, 1, 1))
    with pytest.raises(services.CadreError):
        services.cadre_status_add(actor=None, person=p, kind=CadreStatusKind.MATERNITY,
                                  start_date=dt.date(2024, 3, 1))
    services.cadre_status_end(actor=None, status=s, end_date=dt.date(2024, 6, 30))
    c = services.cadre_course_add(actor=None, person=p, name="Bồi dưỡng Bí thư chi đoàn",
                                  start_date=dt.date(2024, 8, 1))
    with pytest.raises(services.CadreError) as exc:
        services.cadre_course_end(actor=None, course=c, end_date=dt.date(2024, 7, 1))

    assert exc.value.field == "end_date"
    assert AuditRecord.objects.filter(model="members.cadrestatus").count() == 2
