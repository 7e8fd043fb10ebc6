"""Shared fixtures of the field-visit tests: the small province of tests/conftest.py with its
agency (Tỉnh đoàn Tây Ninh: Ban Tổ chức – Kiểm tra and Ban Phong trào), cadres holding posts
there and in a district agency, each linked to a user, and the regime of seed 002 (plan
45-KH/TĐTN-TCKT) as a FieldVisitPolicy record.

Dates are relative to today (a visit may not lie in the future, a year closes after the
policy's day of the next year): `days_ago(n)`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from doanvu.accounts.models import User
from doanvu.common.dates import today
from doanvu.fieldvisits.models import FieldVisitPolicy, VisitKind
from doanvu.org.models import Department, DepartmentCategory, Person, Position
from tests.conftest import World, make_user

POST_START = dt.date(2018, 1, 1)

# seed 002 §III: the six contents, who chooses them, the levels, 60 days, a report in 3 days
SEED_002 = {
    "name": "Chế độ đi cơ sở theo Kế hoạch 45-KH/TĐTN-TCKT",  # i18n: data
    "source": "Kế hoạch số 45-KH/TĐTN-TCKT",  # i18n: data
    "min_days": 60,
    "levels": [
        {"code": "huyen", "label": "cấp huyện", "kinds": ["huyen"]},  # i18n: data
        {"code": "co_so", "label": "cấp cơ sở", "kinds": ["co_so"]},  # i18n: data
        {"code": "chi_doan", "label": "chi đoàn ấp, khu phố",  # i18n: data
         "kinds": ["chi_doan"]},
    ],
    "coverage": {"tinh": ["huyen", "co_so"], "huyen": ["co_so"]},
    "counted_kinds": list(VisitKind.values),
    "chosen_kinds": ["1.1", "1.3", "1.6"],
    "assigned_kinds": ["1.2", "1.4", "1.5"],
    "branch_meeting_kind": "1.6",
    "branch_meetings_min": 1,
    "exempt_titles": ["van thu", "ke toan", "thu quy", "thi dua - khen thuong"],
    "exempt_statuses": ["thai_san", "van_thu_ke_toan", "pho_cvp_hcqt"],
    "long_statuses": ["biet_phai", "dao_tao_tap_trung"],
    "report_days": 3,
    "registration_day": 15,
}


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


def make_policy(world: World, **changes: object) -> FieldVisitPolicy:
    fields = {**SEED_002, **changes}
    return FieldVisitPolicy.objects.create(issuing_unit=world.province,
                                           valid_from=dt.date(2018, 1, 1), **fields)


def make_cadre(name: str, username: str, *, unit: object, department: Department | None,
               title: str = "Chuyên viên") -> tuple[Person, User]:  # i18n: data
    user = make_user(username)
    person = Person.objects.create(full_name=name, user=user)
    Position.objects.create(person=person, unit=unit, department=department, title=title,
                            start_date=POST_START)
    return person, user


@dataclass
class FvWorld:
    world: World
    policy: FieldVisitPolicy
    tckt: Department  # Ban Tổ chức – Kiểm tra of the province: visit reports go there
    movement: Department  # Ban Phong trào of the province
    cadre: Person  # a provincial cadre of Ban Phong trào
    cadre_user: User
    district_cadre: Person  # a cadre of Huyện đoàn Châu Thành (no department)
    district_user: User
    other_cadre: Person  # a cadre of Huyện đoàn Tân Biên (the outsider's side)
    other_user: User


@pytest.fixture
def fv(world: World) -> FvWorld:
    movement = Department.objects.create(unit=world.province, name="Ban Phong trào",
                                         short_name="PT", category=DepartmentCategory.DEPARTMENT)
    cadre, cadre_user = make_cadre("Nguyễn Văn Phong", "canbo_phongtrao", unit=world.province,
                                   department=movement)
    district_cadre, district_user = make_cadre("Lê Thị Châu", "canbo_huyen_ct",
                                               unit=world.district_a, department=None)
    other_cadre, other_user = make_cadre("Trần Văn Biên", "canbo_huyen_tb",
                                         unit=world.district_b, department=None)
    return FvWorld(world, make_policy(world), world.tckt, movement, cadre, cadre_user,
                   district_cadre, district_user, other_cadre, other_user)
