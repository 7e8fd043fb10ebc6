"""Shared fixtures of the survey tests: the small province of tests/conftest.py runs a campaign
with one theme led by its Ban Tổ chức – Kiểm tra, surveying its two districts, and a
questionnaire with a condition, a scale, a number range, a table and text, sent to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from doanvu.accounts.models import User
from doanvu.accounts.scope import Scope
from doanvu.surveys import services
from doanvu.surveys.models import Campaign, Questionnaire, Response, Theme
from tests.conftest import World, grant, make_user

OPENS, DUE, CLOSES = dt.date(2020, 4, 1), dt.date(2020, 5, 15), dt.date(2020, 5, 31)


def scope(user: object) -> Scope:
    return Scope.for_user(user)  # type: ignore[arg-type]


@dataclass
class SurWorld:
    world: World
    campaign: Campaign
    theme: Theme
    q: Questionnaire
    lead: User  # a cadre of the lead department (department reach)
    responses: dict[str, Response]  # "a", "b": district A's and B's answers


def build_questions(sc: Scope, actor: object, q: Questionnaire) -> None:
    add = services.question_add
    add(scope=sc, actor=actor, questionnaire=q, kind="single", section="Phần I. Tổ chức",
        text="Đơn vị có câu lạc bộ sáng tạo trẻ không?", required=True, options=["Có", "Không"])
    add(scope=sc, actor=actor, questionnaire=q, kind="number", section="Phần I. Tổ chức",
        text="Số câu lạc bộ", required=True, minimum="1", maximum="500",
        condition_code="c1", condition_value="Có")
    add(scope=sc, actor=actor, questionnaire=q, kind="scale", section="Phần II. Đánh giá",
        text="Mức độ hiệu quả", required=True, minimum="1", maximum="5")
    add(scope=sc, actor=actor, questionnaire=q, kind="multiple", section="Phần II. Đánh giá",
        text="Khó khăn", options=["Kinh phí", "Cán bộ", "Cơ sở vật chất"])
    add(scope=sc, actor=actor, questionnaire=q, kind="table", section="Phần III. Số liệu",
        text="Số sáng kiến", rows=["Đoàn viên", "Thiếu nhi"], cols=["2018", "2019"])
    add(scope=sc, actor=actor, questionnaire=q, kind="long", section="Phần III. Số liệu",
        text="Đề xuất, kiến nghị")


GOOD = {"c1": "Có", "c2": "12", "c3": "4", "c4": ["Kinh phí"],
        "c5": {"0|0": "3", "0|1": "5", "1|0": "", "1|1": "2"}, "c6": "Tăng kinh phí"}


@pytest.fixture
def sur(world: World) -> SurWorld:
    admin = scope(world.admin)
    lead = make_user("canbo_bantckt")
    grant(lead, "can_bo_ban", world.province, department=world.tckt)
    campaign = services.campaign_save(scope=admin, actor=world.admin, unit=world.province,
                                      name="Khảo sát giữa nhiệm kỳ 2020", year=2020)
    theme = services.theme_save(
        scope=admin, actor=world.admin, campaign=campaign,
        title="Giải pháp thúc đẩy hoạt động sáng tạo", lead_department=world.tckt,
        units=[world.district_a, world.district_b], opens_on=OPENS, closes_on=CLOSES,
        due_on=DUE)
    q = services.questionnaire_create(scope=scope(lead), actor=lead, theme=theme,
                                      title="Phiếu khảo sát chuyên đề 1")
    build_questions(scope(lead), lead, q)
    services.questionnaire_send(scope=scope(lead), actor=lead, questionnaire=q)
    responses = {"a": Response.objects.get(questionnaire=q, unit=world.district_a),
                 "b": Response.objects.get(questionnaire=q, unit=world.district_b)}
    return SurWorld(world, campaign, theme, q, lead, responses)
