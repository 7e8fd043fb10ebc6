"""Shared fixtures of the plans tests: the small province of tests/conftest.py with a provincial
plan sent to its districts (seed 003's chain: a central conclusion → the province → the
districts), the province's agency (Văn phòng, Ban Phong trào) and a district's draft plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from doanvu.documents.addressing import Address
from doanvu.documents.models import Document, DocumentType, RecipientGroup
from doanvu.documents.services import document_register_issued
from doanvu.org.models import Department, DepartmentCategory, Unit
from tests.conftest import World

D = dt.date


@dataclass
class PlanWorld:
    world: World
    province_plan: Document  # issued 02/03/2020, sent to the districts
    office: Department
    movement: Department


def issued(unit: Unit, number: int, on: dt.date, title: str, *,
           to_lower: bool = False) -> Document:
    addresses = [Address(unit=unit, group=RecipientGroup.ALL)] if to_lower else []
    return document_register_issued(
        actor=None, issuing_unit=unit, doc_type=DocumentType.objects.get(code="ke_hoach"),
        number=number, issued_on=on, title=title, body_code="TĐTN", place="Tây Ninh",
        signer_title="BÍ THƯ", signer_name="Nguyễn Văn A", addresses=addresses,
        recipients=[] if to_lower else ["Lưu VP."])


@pytest.fixture
def pw(world: World) -> PlanWorld:
    office = Department.objects.create(unit=world.province, name="Văn phòng", short_name="VP",
                                       category=DepartmentCategory.DEPARTMENT)
    movement = Department.objects.create(unit=world.province, name="Ban Phong trào",
                                         short_name="BPT",
                                         category=DepartmentCategory.DEPARTMENT)
    plan = issued(world.province, 20, D(2020, 3, 2),
                  "Nâng cao chất lượng tổ chức cơ sở Đoàn trên địa bàn dân cư", to_lower=True)
    return PlanWorld(world, plan, office, movement)
