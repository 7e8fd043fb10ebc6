"""Inspection fixtures on the `world` tree: Tỉnh đoàn Tây Ninh's 2020 plan with one round over
its two district unions, the policy of seed 001 (08:00 / 14:00; 1 party representative, 2 + 2
grassroots secretaries, the home-affairs official for district unions), two teams."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from doanvu.accounts.models import User
from doanvu.inspections import services
from doanvu.inspections.models import InspectionPlan, InspectionPolicy, Round, Team, TeamRole
from doanvu.org.models import Person, Position
from tests.conftest import World, make_user

D = dt.date


@dataclass
class Ins:
    world: World
    policy: InspectionPolicy
    plan: InspectionPlan
    round: Round
    team1: Team
    team2: Team
    head: Person  # head of team 1, linked to head_user
    head_user: User
    shared: Person  # a member of both teams
    secretary: Person


def person(name: str, *, user: User | None = None) -> Person:
    return Person.objects.create(full_name=name, user=user)


@pytest.fixture
def ins(world: World) -> Ins:
    province = world.province
    policy = services.policy_issue(
        actor=None, issuing_unit=province, valid_from=D(2020, 1, 1),
        morning_start=dt.time(8, 0), afternoon_start=dt.time(14, 0), party_rep_count=1,
        excellent_count=2, excellent_levels=["htxs"], good_count=2, good_levels=["htt", "ht"],
        home_affairs_count=1, home_affairs_unit_kinds=["huyen"],
        source="Kế hoạch kiểm tra năm 2020")
    plan = services.plan_create(actor=None, issuing_unit=province, year=2020,
                                title="Kế hoạch kiểm tra năm 2020 của Tỉnh đoàn Tây Ninh")
    round_ = services.round_create(
        actor=None, plan=plan, number=1, title="Kiểm tra định kỳ đợt 2 năm 2020",
        window_start=D(2020, 11, 9), window_end=D(2020, 11, 20),
        units=[world.district_a, world.district_b],
        content="Kết quả thực hiện chương trình công tác Đoàn năm 2020.",
        method="Đoàn kiểm tra làm việc trực tiếp với Ban Thường vụ.",
        procedure="Giới thiệu thành phần.\nThành viên đoàn đặt vấn đề.",
        cluster_meeting="Giao ban cụm cuối năm 2020")
    head_user = make_user("truongdoan")
    head = person("Trần Lê Duy", user=head_user)
    Position.objects.create(person=head, unit=province, title="Phó Bí thư Tỉnh đoàn",
                            start_date=D(2017, 9, 15))
    secretary = person("Bùi Thị Thanh Tuyền")
    shared = person("Mai Văn Hiếu")
    head2 = person("Phạm Minh Khôi")
    team1 = services.team_create(actor=None, round_=round_, number=1,
                                 name="Đoàn kiểm tra số 1", members=[
                                     services.MemberInput(head, TeamRole.HEAD),
                                     services.MemberInput(secretary, TeamRole.SECRETARY),
                                     services.MemberInput(shared)])
    team2 = services.team_create(actor=None, round_=round_, number=2,
                                 name="Đoàn kiểm tra số 2", members=[
                                     services.MemberInput(head2, TeamRole.HEAD),
                                     services.MemberInput(shared)])
    return Ins(world, policy, plan, round_, team1, team2, head, head_user, shared, secretary)
