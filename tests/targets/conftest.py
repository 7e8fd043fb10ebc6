"""Targets fixtures: the members world of tests/members with seed 003's four targets measured in
2024 — district A ahead, district B behind.

- branch_a1 (Châu Thành): 3 members, 2 registered for rèn luyện, a branch meeting every month,
  its secretary attended one course; commune A1's secretary holds Đại học and Trung cấp LLCT.
- branch_b1 (Tân Biên): 1 member not registered, one meeting, its secretary no course;
  commune B1's secretary holds Cao đẳng.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from doanvu.accounts.scope import Scope
from doanvu.members.models import CadreCourse, Meeting, MeetingKind, TrainingRegistration
from doanvu.org.models import CommitteeKind, CommitteeSeat, Person, Term, Unit
from doanvu.targets import services
from doanvu.targets.models import Target
from tests.members.conftest import MembersWorld, members_world  # noqa: F401

YEAR = 2024
SEED_003 = [  # (name, goal, formula, extra params)
    ("Ít nhất 01 lớp bồi dưỡng Bí thư chi đoàn địa bàn dân cư", "1",  # i18n: data
     "residential_secretary_courses", {}),
    ("100% Bí thư Đoàn xã đạt chuẩn", "100", "commune_secretaries_qualified",  # i18n: data
     {"min_education": "dai_hoc", "min_theory": "trung_cap"}),
    ("100% đoàn viên đăng ký rèn luyện", "100", "training_registration", {}),  # i18n: data
    ("100% chi đoàn dân cư sinh hoạt định kỳ", "100",  # i18n: data
     "residential_branches_meeting", {}),
]


def _secretary(unit: Unit, person: Person) -> None:
    term = Term.objects.create(unit=unit, name="2022-2027", start_date=dt.date(2022, 9, 1))
    CommitteeSeat.objects.create(term=term, committee=CommitteeKind.BCH, person=person,
                                 title="Bí thư")


@dataclass
class TargetsWorld:
    mw: MembersWorld
    targets: list[Target]


@pytest.fixture
def tw(members_world: MembersWorld) -> TargetsWorld:  # noqa: F811
    w = members_world.world
    a1, b1 = members_world.a1, members_world.b1
    for m in a1[:2]:
        TrainingRegistration.objects.create(membership=m, year=YEAR,
                                            registered_on=dt.date(YEAR, 3, 26))
    for month in range(1, 13):
        Meeting.objects.create(unit=w.branch_a1, kind=MeetingKind.BRANCH,
                               date=dt.date(YEAR, month, 10))
    Meeting.objects.create(unit=w.branch_b1, kind=MeetingKind.BRANCH, date=dt.date(YEAR, 1, 10))
    _secretary(w.branch_a1, a1[0].person)
    _secretary(w.branch_b1, b1[0].person)
    CadreCourse.objects.create(person=a1[0].person, name="Lớp bồi dưỡng Bí thư chi đoàn",
                               start_date=dt.date(YEAR, 4, 1))
    good = Person.objects.create(full_name="Võ Thị Hạnh", education_level="dai_hoc",
                                 political_theory="trung_cap")
    short = Person.objects.create(full_name="Đỗ Văn Khải", education_level="cao_dang",
                                  political_theory="trung_cap")
    _secretary(w.commune_a1, good)
    _secretary(w.commune_b1, short)
    system = Scope.for_user(w.admin)
    targets = [services.target_create(
        scope=system, unit=w.province, name=name, goal=goal, due_on=dt.date(YEAR, 12, 31),
        scope_unit=w.province, formula=code, params={"year": YEAR, **extra}, position=i)
        for i, (name, goal, code, extra) in enumerate(SEED_003, start=1)]
    return TargetsWorld(members_world, targets)
