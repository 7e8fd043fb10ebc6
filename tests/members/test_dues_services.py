"""MEM-4 dues and remittance, MEM-6 removal: services against the database."""

from __future__ import annotations

import datetime as dt

import pytest

from doanvu.audit.models import AuditRecord
from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.members.demo import load_demo_dues_and_meetings
from doanvu.members.dues import services as dues
from doanvu.members.models import (
    Attendance,
    AttendanceStatus,
    DuesEntry,
    Meeting,
    MemberStatus,
    ProposalStatus,
    Remittance,
    RemovalProposal,
)
from tests.conftest import World
from tests.members.conftest import MembersWorld, make_member

JAN = Period.month(2024, 1)


def _paid(mw: MembersWorld, month: Period) -> dict[str, int]:
    return {e.membership.person.full_name: e.amount_paid for e in
            DuesEntry.objects.filter(month=month).select_related("membership__person")}


def test_mem4_generate_month_is_idempotent_with_policy_amounts(members_world: MembersWorld
                                                               ) -> None:
    w = members_world.world
    salaried = members_world.a1[0]
    salaried.has_salary = True
    salaried.save()

    first = dues.dues_generate_month(branch=w.branch_a1, month=JAN)
    second = dues.dues_generate_month(branch=w.branch_a1, month=JAN)

    assert (first, second) == (3, 0)
    assert sorted(DuesEntry.objects.filter(month=JAN).values_list("amount_due", flat=True)) == [
        2000, 2000, 5000]


def test_mem4_amounts_follow_a_changed_policy(members_world: MembersWorld) -> None:
    members_world.policy.dues_no_salary = 3000
    members_world.policy.save()

    dues.dues_generate_month(branch=members_world.world.branch_a1, month=JAN)

    assert set(DuesEntry.objects.values_list("amount_due", flat=True)) == {3000}


def test_mem4_record_payment_ticks_and_unticks(members_world: MembersWorld) -> None:
    w = members_world.world
    an, bich, duc = members_world.a1

    r1 = dues.dues_record_payment(branch=w.branch_a1, month=JAN, paid=[an.pk, bich.pk],
                                  paid_on=dt.date(2024, 1, 20), actor=w.branch_secretary)
    r2 = dues.dues_record_payment(branch=w.branch_a1, month=JAN, paid=[an.pk, duc.pk],
                                  actor=w.branch_secretary)

    assert (r1.marked_paid, r1.marked_unpaid, r1.created) == (2, 0, 3)
    assert (r2.marked_paid, r2.marked_unpaid, r2.created) == (1, 1, 0)
    assert _paid(members_world, JAN) == {"Nguyễn Văn An": 2000, "Trần Thị Bích": 0,
                                         "Lê Hoàng Đức": 2000}
    sheet = dues.dues_sheet(branch=w.branch_a1, month=JAN)
    assert (sheet.members, sheet.paid_count, sheet.collected, sheet.missing) == (3, 2, 4000, 2000)
    assert AuditRecord.objects.filter(model="members.duesentry", actor_id=w.branch_secretary.pk
                                      ).count() == 5


def test_mem4_record_payment_refuses_other_branch_members(members_world: MembersWorld) -> None:
    with pytest.raises(ApplicationError):
        dues.dues_record_payment(branch=members_world.world.branch_a1, month=JAN,
                                 paid=[members_world.b1[0].pk])
    assert DuesEntry.objects.count() == 0


def test_mem4_quarterly_prepay_needs_consent_and_fills_three_months(
        members_world: MembersWorld) -> None:
    w = members_world.world
    an, bich, _duc = members_world.a1
    with pytest.raises(ApplicationError) as exc:
        dues.dues_record_payment(branch=w.branch_a1, month=JAN, paid=[], quarterly=[an.pk])
    assert str(exc.value) == ("Nguyễn Văn An: Đoàn viên chưa được Ban Chấp hành chi đoàn đồng ý "
                              "cho đóng đoàn phí theo quý.")
    an.pays_quarterly = True
    an.save()

    dues.dues_record_payment(branch=w.branch_a1, month=JAN, paid=[bich.pk], quarterly=[an.pk])

    assert sorted((str(e.month), e.amount_paid) for e in DuesEntry.objects.filter(membership=an)
                  ) == [("tháng 1/2024", 2000), ("tháng 2/2024", 2000), ("tháng 3/2024", 2000)]
    assert dues.dues_pay_quarter(membership=an, quarter=Period.quarter(2024, 1)) == 0
    with pytest.raises(ApplicationError):
        dues.dues_pay_quarter(membership=bich, quarter=Period.quarter(2024, 2))


def test_mem4_waiver_capped_per_year_with_reason(members_world: MembersWorld) -> None:
    an = members_world.a1[0]
    first_half = [Period.month(2024, i) for i in range(1, 6)]

    assert dues.dues_waive(membership=an, months=first_half, reason="Gia đình khó khăn") == 5
    with pytest.raises(ApplicationError) as exc:
        dues.dues_waive(membership=an, months=[Period.month(2024, 7), Period.month(2024, 8)],
                        reason="Ốm")
    assert str(exc.value) == ("Chỉ được miễn đoàn phí tối đa 6 tháng trong một năm; đoàn viên đã "
                              "được miễn 5 tháng, còn được miễn 1 tháng.")
    assert dues.dues_waive(membership=an, months=[Period.month(2024, 7)], reason="Ốm") == 1
    assert dues.dues_waive(membership=an, months=[Period.month(2025, 1)], reason="Ốm") == 1
    assert DuesEntry.objects.filter(membership=an, waived=True).count() == 7
    with pytest.raises(ApplicationError):
        dues.dues_waive(membership=an, months=[Period.month(2024, 9)], reason="  ")


def test_mem4_waived_month_is_not_ticked_paid(members_world: MembersWorld) -> None:
    w = members_world.world
    an = members_world.a1[0]
    dues.dues_waive(membership=an, months=[JAN], reason="Khó khăn")

    dues.dues_record_payment(branch=w.branch_a1, month=JAN, paid=[m.pk for m in members_world.a1])

    sheet = dues.dues_sheet(branch=w.branch_a1, month=JAN)
    assert (sheet.paid_count, sheet.waived_count, sheet.unpaid_count, sheet.collected) == (
        2, 1, 0, 4000)


def _tree_with_money(w: World, mw: MembersWorld) -> None:
    """branch_a1: 3 members × 2000 in Jan, Feb, Mar 2024; branch_b1: 1 member in Jan."""
    for month in (1, 2, 3):
        dues.dues_record_payment(branch=w.branch_a1, month=Period.month(2024, month),
                                 paid=[m.pk for m in mw.a1])
    dues.dues_record_payment(branch=w.branch_b1, month=JAN, paid=[mw.b1[0].pk])


def test_mem4_remittance_statements_level_by_level(members_world: MembersWorld) -> None:
    w = members_world.world
    _tree_with_money(w, members_world)

    branch = dues.remittance_compute(unit=w.branch_a1, period=JAN)
    commune = dues.remittance_compute(unit=w.commune_a1, period=JAN)
    district = dues.remittance_compute(unit=w.district_a, period=Period.quarter(2024, 1))
    province = dues.remittance_compute(unit=w.province, period=Period.of_year(2024))
    centre = dues.remittance_compute(unit=w.centre, period=Period.of_year(2024))

    assert (branch.period, branch.collected, branch.keep, branch.owes_up) == (JAN, 6000, 4000, 2000)
    assert (commune.period, commune.from_below, commune.keep, commune.owes_up) == (
        Period.quarter(2024, 1), 6000, 4000, 2000)
    assert [(line.name, line.owed, len(line.periods)) for line in commune.lower] == [
        ("Chi đoàn ấp Bình Phong", 6000, 3)]
    assert (district.from_below, district.keep, district.owes_up) == (2000, 1333, 667)
    # province: district A sends 667; Tân Biên: branch 2000 → 667 → commune 223 → district 75
    assert (province.period, province.from_below, province.keep, province.owes_up) == (
        Period.of_year(2024), 667 + 75, 494, 248)
    assert (centre.from_below, centre.keep, centre.owes_up) == (248, 248, 0)


def test_i9_remittance_cadence_and_deadline_come_from_the_policy_record(
        members_world: MembersWorld) -> None:
    w = members_world.world
    _tree_with_money(w, members_world)
    policy = members_world.policy
    policy.remittance_cadence_by_kind = {**policy.remittance_cadence_by_kind, "chi_doan": "Q"}
    policy.remittance_year_deadline_day, policy.remittance_year_deadline_month = 15, 12
    policy.save(update_fields=["remittance_cadence_by_kind", "remittance_year_deadline_day",
                               "remittance_year_deadline_month"])

    branch = dues.remittance_compute(unit=w.branch_a1, period=JAN)
    province = dues.remittance_compute(unit=w.province, period=Period.of_year(2024))

    assert (branch.period, branch.cadence, branch.deadline) == (
        Period.quarter(2024, 1), "Q", "hằng quý")
    assert (branch.collected, branch.keep, branch.owes_up) == (18000, 12000, 6000)
    assert province.deadline == "hằng năm, trước ngày 15/12"


def test_mem4_remittance_everything_kept_equals_everything_collected(
        members_world: MembersWorld) -> None:
    w = members_world.world
    _tree_with_money(w, members_world)
    year = Period.of_year(2024)

    kept = 0
    for unit in (w.branch_a1, w.branch_b1):
        kept += sum(dues.remittance_compute(unit=unit, period=Period.month(2024, m)).keep
                    for m in (1, 2, 3))
    for unit in (w.commune_a1, w.commune_b1, w.district_a, w.district_b):
        kept += dues.remittance_compute(unit=unit, period=Period.quarter(2024, 1)).keep
    kept += dues.remittance_compute(unit=w.province, period=year).keep
    kept += dues.remittance_compute(unit=w.centre, period=year).keep

    assert kept == 3 * 3 * 2000 + 2000


def test_mem4_remittance_reconciles_what_was_sent(members_world: MembersWorld) -> None:
    w = members_world.world
    _tree_with_money(w, members_world)

    dues.remittance_record_sent(unit=w.branch_a1, period=JAN, amount_sent=1500,
                                sent_on=dt.date(2024, 2, 5), actor=w.branch_secretary)
    dues.remittance_record_sent(unit=w.branch_a1, period=Period.month(2024, 2), amount_sent=2000,
                                sent_on=dt.date(2024, 3, 5))
    commune = dues.remittance_compute(unit=w.commune_a1, period=JAN)
    branch = dues.remittance_compute(unit=w.branch_a1, period=JAN)

    record = Remittance.objects.get(from_unit=w.branch_a1, period=JAN)
    assert (record.to_unit_id, record.amount_due, record.amount_sent) == (w.commune_a1.pk, 2000,
                                                                         1500)
    assert (branch.owes_up, branch.sent, branch.difference) == (2000, 1500, 500)
    assert [(line.owed, line.sent, line.difference) for line in commune.lower] == [
        (6000, 3500, 2500)]
    assert commune.received == 3500
    with pytest.raises(ApplicationError):
        dues.remittance_record_sent(unit=w.centre, period=JAN, amount_sent=1)


# -- MEM-6 --------------------------------------------------------------------------------------


def _meeting(w: World, day: dt.date, statuses: dict[int, str]) -> Meeting:
    from doanvu.members.dues.meetings import meeting_create

    return meeting_create(unit=w.branch_a1, kind="sinh_hoat", date=day, attendance=statuses)


def test_mem6_proposals_for_inactive_members_only(members_world: MembersWorld) -> None:
    w = members_world.world
    an, bich, duc = members_world.a1
    # Feb, Mar, Apr 2024 are the window for 15/05/2024
    dues.dues_record_payment(branch=w.branch_a1, month=Period.month(2024, 3), paid=[an.pk])
    dues.dues_waive(membership=bich, months=[Period.month(2024, 4)], reason="Ốm")
    _meeting(w, dt.date(2024, 2, 10), {an.pk: AttendanceStatus.UNEXCUSED,
                                       bich.pk: AttendanceStatus.UNEXCUSED,
                                       duc.pk: AttendanceStatus.UNEXCUSED})
    late = make_member(w.branch_a1, "Võ Văn Mới", joined=dt.date(2024, 3, 1))

    made = dues.removal_proposals_generate(branch=w.branch_a1, as_of=dt.date(2024, 5, 15),
                                           actor=w.branch_secretary)
    again = dues.removal_proposals_generate(branch=w.branch_a1, as_of=dt.date(2024, 5, 20))

    assert [p.membership_id for p in made] == [duc.pk]
    assert again == []
    assert late.pk not in RemovalProposal.objects.values_list("membership_id", flat=True)
    assert made[0].reason == ("Không đóng đoàn phí và không sinh hoạt 3 tháng liên tục "
                              "(tháng 2/2024 – tháng 4/2024) không có lý do chính đáng.")
    record = AuditRecord.objects.get(model="members.removalproposal")
    assert (record.actor_id, record.reason) == (w.branch_secretary.pk, made[0].reason)


def test_mem6_excused_absence_is_a_valid_reason(members_world: MembersWorld) -> None:
    w = members_world.world
    an, bich, duc = members_world.a1
    _meeting(w, dt.date(2024, 3, 10), {an.pk: AttendanceStatus.EXCUSED,
                                       bich.pk: AttendanceStatus.PRESENT,
                                       duc.pk: AttendanceStatus.UNEXCUSED})

    made = dues.removal_proposals_generate(branch=w.branch_a1, as_of=dt.date(2024, 5, 1))

    assert [p.membership_id for p in made] == [duc.pk]
    assert Attendance.objects.count() == 3


def test_mem6_policy_months_are_used(members_world: MembersWorld) -> None:
    w = members_world.world
    members_world.policy.removal_after_months = 6
    members_world.policy.save()
    _meeting(w, dt.date(2023, 12, 10), {m.pk: AttendanceStatus.PRESENT for m in members_world.a1})

    assert dues.removal_proposals_generate(branch=w.branch_a1, as_of=dt.date(2024, 5, 1)) == []
    assert len(dues.removal_proposals_generate(branch=w.branch_a1,
                                               as_of=dt.date(2024, 7, 1))) == 3


def test_mem6_approved_decision_removes_the_member_in_one_go(members_world: MembersWorld) -> None:
    w = members_world.world
    duc = members_world.a1[2]
    [proposal] = [p for p in dues.removal_proposals_generate(branch=w.branch_a1,
                                                             as_of=dt.date(2024, 5, 1))
                  if p.membership_id == duc.pk]

    dues.removal_decide(proposal=proposal, approve=True, decision="Biên bản họp chi đoàn 05/2024",
                        actor=w.branch_secretary, on=dt.date(2024, 5, 10))

    duc.refresh_from_db()
    proposal.refresh_from_db()
    assert (duc.status, duc.is_current, duc.ended_on, duc.end_reason) == (
        MemberStatus.REMOVED, False, dt.date(2024, 5, 10),
        f"Xóa tên theo đề nghị: {proposal.reason}; Biên bản họp chi đoàn 05/2024")
    assert (proposal.status, proposal.decided_by_id) == (ProposalStatus.APPROVED,
                                                         w.branch_secretary.pk)
    assert AuditRecord.objects.filter(model="members.membership",
                                      reason=duc.end_reason).count() == 1
    with pytest.raises(ApplicationError) as exc:
        dues.removal_decide(proposal=proposal, approve=False, decision="x")
    assert str(exc.value) == "Đề nghị này đã được quyết định (Chi đoàn đồng ý xóa tên)."


def test_mem6_rejected_decision_keeps_the_member(members_world: MembersWorld) -> None:
    w = members_world.world
    proposal = dues.removal_proposals_generate(branch=w.branch_a1, as_of=dt.date(2024, 5, 1))[0]

    dues.removal_decide(proposal=proposal, approve=False, decision="Đã có lý do: đi làm xa",
                        on=dt.date(2024, 5, 2))
    with pytest.raises(ApplicationError):
        dues.removal_decide(proposal=proposal, approve=True, decision="")

    member = proposal.membership
    member.refresh_from_db()
    assert (member.status, member.is_current) == (MemberStatus.ACTIVE, True)
    assert RemovalProposal.objects.get(pk=proposal.pk).status == ProposalStatus.REJECTED
    # the branch judged those months: no new proposal for them, but a later window may propose
    assert dues.removal_proposals_generate(branch=w.branch_a1, as_of=dt.date(2024, 5, 1)) == []
    assert [p.membership_id for p in dues.removal_proposals_generate(
        branch=w.branch_a1, as_of=dt.date(2024, 9, 1))] == [member.pk]


def test_mem4_demo_loader_is_a_no_op_without_members(world: World) -> None:
    assert load_demo_dues_and_meetings() == 0
    assert DuesEntry.objects.count() == 0


def test_mem4_demo_loader_fills_branches_and_is_repeatable(members_world: MembersWorld) -> None:
    as_of = dt.date(2024, 6, 15)

    first = load_demo_dues_and_meetings(as_of=as_of)
    entries, meetings = DuesEntry.objects.count(), Meeting.objects.count()
    second = load_demo_dues_and_meetings(as_of=as_of)

    assert (first, second) == (2, 2)
    assert (entries, meetings) == (4 * 4, 2 * 4)
    assert (DuesEntry.objects.count(), Meeting.objects.count()) == (entries, meetings)
