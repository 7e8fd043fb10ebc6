"""One access contract (X-3, issue 9): every write service of members checks its actor's scope
itself, so an API view, a command or a task cannot bypass it. Called directly, each refuses an
actor outside the unit it writes on and writes nothing, and accepts the unit's own cadre.

The services on a person (members core, ghost audit) have their cases in
test_person_scope_sec8.py; the others are here. The enumeration below finds every public
function with an `actor` parameter in every members module: a new one fails until it has a
case in one file or the other."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import doanvu.members
from doanvu.common.periods import Period
from doanvu.members import permissions
from doanvu.members.dues import meetings
from doanvu.members.dues import services as dues
from doanvu.members.imports import services as imports
from doanvu.members.models import (
    Attendance,
    DuesEntry,
    ImportJob,
    Meeting,
    MeetingKind,
    MemberRating,
    Membership,
    Referral,
    ReferralOutcome,
    Remittance,
    RemovalProposal,
    TrainingRegistration,
    UnitClassification,
)
from doanvu.members.rating import services as rating
from doanvu.members.referrals import services as referrals
from doanvu.members.structure import services as structure
from doanvu.org import services as org_services
from doanvu.org.models import Unit
from tests.conftest import kind
from tests.members import test_person_scope_sec8 as sec8
from tests.members.conftest import MembersWorld
from tests.members.test_import_mem13 import xlsx

OUTSIDERS = ["district_b_cadre", "outsider"]  # Tân Biên, and a stranger
OWNER = "district_a_cadre"  # Châu Thành: Bình Phong's district
MONTH = Period.month(2024, 7)
YEAR = 2024


@dataclass
class Case:
    call: Callable[[object], object]
    writes: bool = True  # the owner's call changes something (else: it only succeeds)


def _state() -> tuple[object, ...]:
    return tuple(list(model.objects.order_by("pk").values_list())
                 for model in (DuesEntry, Remittance, Meeting, Attendance, RemovalProposal,
                               MemberRating, UnitClassification, TrainingRegistration, Referral,
                               Membership, ImportJob, Unit))


def _case_dues_generate_month(mw: MembersWorld) -> Case:
    return Case(lambda a: dues.dues_generate_month(branch=mw.world.branch_a1, month=MONTH,
                                                   actor=a))


def _generated(mw: MembersWorld) -> None:
    dues.dues_generate_month(branch=mw.world.branch_a1, month=MONTH, actor=None)


def _case_dues_record_payment(mw: MembersWorld) -> Case:
    _generated(mw)
    return Case(lambda a: dues.dues_record_payment(
        branch=mw.world.branch_a1, month=MONTH, paid=[mw.a1[0].pk],
        paid_on=dt.date(2024, 7, 20), actor=a))


def _case_dues_pay_quarter(mw: MembersWorld) -> Case:
    member = mw.a1[0]
    Membership.objects.filter(pk=member.pk).update(pays_quarterly=True)
    member.refresh_from_db()
    return Case(lambda a: dues.dues_pay_quarter(membership=member, quarter=Period.quarter(2024, 3),
                                                paid_on=dt.date(2024, 7, 20), actor=a))


def _case_dues_waive(mw: MembersWorld) -> Case:
    _generated(mw)
    return Case(lambda a: dues.dues_waive(membership=mw.a1[0], months=[MONTH],
                                          reason="Hoàn cảnh khó khăn", actor=a))


def _case_remittance_record_sent(mw: MembersWorld) -> Case:
    return Case(lambda a: dues.remittance_record_sent(
        unit=mw.world.branch_a1, period=MONTH, amount_sent=1000, sent_on=dt.date(2024, 8, 1),
        actor=a))


def _case_removal_proposals_generate(mw: MembersWorld) -> Case:
    return Case(lambda a: dues.removal_proposals_generate(branch=mw.world.branch_a1,
                                                          as_of=dt.date(2024, 7, 1), actor=a))


def _proposal(mw: MembersWorld) -> RemovalProposal:
    return RemovalProposal.objects.create(membership=mw.a1[1], reason="Không sinh hoạt",
                                          proposed_on=dt.date(2024, 6, 1))


def _case_removal_decide(mw: MembersWorld) -> Case:
    proposal = _proposal(mw)
    return Case(lambda a: dues.removal_decide(proposal=proposal, approve=False,
                                              decision="Biên bản họp chi đoàn", actor=a))


def _case_meeting_create(mw: MembersWorld) -> Case:
    return Case(lambda a: meetings.meeting_create(
        unit=mw.world.branch_a1, kind=MeetingKind.BRANCH, date=dt.date(2024, 7, 10),
        attendance={mw.a1[0].pk: "co_mat"}, actor=a))


def _case_meeting_update(mw: MembersWorld) -> Case:
    meeting = meetings.meeting_create(unit=mw.world.branch_a1, kind=MeetingKind.BRANCH,
                                      date=dt.date(2024, 7, 10), attendance={}, actor=None)
    return Case(lambda a: meetings.meeting_update(
        meeting=meeting, date=meeting.date, place="Nhà văn hóa ấp", content="",
        attendance={mw.a1[0].pk: "co_mat"}, actor=a))


def _scales(mw: MembersWorld) -> None:
    rating.rating_scales_install(issuing_unit=mw.world.centre, years=[YEAR])


def _case_member_rate(mw: MembersWorld) -> Case:
    _scales(mw)
    return Case(lambda a: rating.member_rate(actor=a, membership=mw.a1[0], year=YEAR,
                                             level="htt"))


def _case_member_rate_bulk(mw: MembersWorld) -> Case:
    _scales(mw)
    return Case(lambda a: rating.member_rate_bulk(actor=a, branch=mw.world.branch_a1, year=YEAR,
                                                  levels={mw.a1[0].pk: "htt"}))


def _case_member_recommend_to_party(mw: MembersWorld) -> Case:
    _scales(mw)
    MemberRating.objects.create(membership=mw.a1[0], year=YEAR, level="htxs")
    return Case(lambda a: rating.member_recommend_to_party(actor=a, membership=mw.a1[0],
                                                           year=YEAR))


def _case_unit_classify(mw: MembersWorld) -> Case:
    _scales(mw)
    return Case(lambda a: rating.unit_classify(actor=a, unit=mw.world.branch_a1, year=YEAR,
                                               level="htt"))


def _case_training_register_bulk(mw: MembersWorld) -> Case:
    return Case(lambda a: rating.training_register_bulk(
        actor=a, branch=mw.world.branch_a1, year=YEAR, registered=[mw.a1[0].pk],
        on=dt.date(2024, 3, 26)))


def _case_referral_create(mw: MembersWorld) -> Case:
    return Case(lambda a: referrals.referral_create(actor=a, referrer=mw.a1[0],
                                                    full_name="Lê Văn Mới",
                                                    referred_on=dt.date(2024, 5, 1)))


def _case_referral_set_outcome(mw: MembersWorld) -> Case:
    referral = referrals.referral_create(actor=None, referrer=mw.a1[0], full_name="Lê Văn Mới",
                                         referred_on=dt.date(2024, 5, 1))
    return Case(lambda a: referrals.referral_set_outcome(actor=a, referral=referral,
                                                         outcome=ReferralOutcome.DECLINED))


def _case_branch_merge_carry_out(mw: MembersWorld) -> Case:
    w = mw.world
    target = org_services.unit_create(actor=None, parent=w.commune_a1, name="Chi đoàn ấp Bình Hòa",
                                      kind=kind("chi_doan"), founded_on=dt.date(2017, 1, 1))
    return Case(lambda a: structure.branch_merge_carry_out(
        actor=a, branch=w.branch_a1, target=target, on=dt.date(2024, 7, 1),
        decision="12/QĐ-ĐTN"))


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("danh-sach.xlsx", xlsx([]))


def _case_import_job_create(mw: MembersWorld) -> Case:
    return Case(lambda a: imports.import_job_create(actor=a, unit=mw.world.branch_a1,
                                                    upload=_upload()))


def _case_import_job_cancel(mw: MembersWorld) -> Case:
    from doanvu.members.models import ImportStatus

    job = imports.import_job_create(actor=mw.world.district_a_cadre, unit=mw.world.branch_a1,
                                    upload=_upload())
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.INTERRUPTED,
                                               progress={"step": "check"})
    job.refresh_from_db()
    return Case(lambda a: imports.import_job_cancel(job=job, actor=a))


CASES: dict[str, Callable[[MembersWorld], Case]] = {
    name.removeprefix("_case_"): fn for name, fn in list(globals().items())
    if name.startswith("_case_")
}


def _write_services() -> set[str]:
    """Every public function that takes an actor, in every module of members (pages apart:
    their functions take a request; `permissions` holds the checks themselves)."""
    found = set()
    for info in pkgutil.walk_packages(doanvu.members.__path__, "doanvu.members."):
        if (".migrations" in info.name or info.name == permissions.__name__
                or info.name.rsplit(".", 1)[-1] in {"views", "urls"}):
            continue
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if (fn.__module__ == module.__name__ and not name.startswith("_")
                    and "actor" in inspect.signature(fn).parameters):
                found.add(name)
    return found


def test_x3_every_write_service_of_members_has_an_out_of_scope_case() -> None:
    assert sorted(_write_services()) == sorted({*CASES, *sec8.CASES})


@pytest.mark.parametrize("name", sorted(CASES))
def test_x3_write_service_refuses_an_actor_outside_its_unit(members_world: MembersWorld,
                                                            name: str) -> None:
    w = members_world.world
    case = CASES[name](members_world)
    before = _state()
    refused = []

    for who in OUTSIDERS:
        try:
            case.call(getattr(w, who))
        except permissions.PersonScopeError as exc:
            assert exc.message == permissions.NOT_YOUR_UNIT
            refused.append(who)
    unchanged = _state() == before
    case.call(getattr(w, OWNER))

    assert refused == OUTSIDERS
    assert unchanged is True
    assert (_state() != before) is case.writes
