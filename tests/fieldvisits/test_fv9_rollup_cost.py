"""FV-9: travel allowance summed per department and year (visits from the unit that started in
the year; visits of other units and other years are not counted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from doanvu.fieldvisits import rollups
from tests.conftest import World
from tests.fieldvisits.plan_fixtures import FV, YEAR, build, visit

D = dt.date


@pytest.fixture
def fv(world: World) -> FV:
    return build(world)


def test_fv9_cost_per_department_and_year(fv: FV) -> None:
    w = fv.world
    visit(fv.cadre_person, w.province, w.commune_a1, D(YEAR, 1, 5), cost=120000,
          department=fv.movement)
    visit(fv.cadre2_person, w.province, w.commune_a1, D(YEAR, 11, 5), cost=80000,
          department=fv.movement)
    visit(fv.head_person, w.province, w.commune_a1, D(YEAR, 6, 5), cost=50000,
          department=w.tckt)
    visit(fv.standing_person, w.province, w.district_a, D(YEAR, 6, 5), cost=70000)
    visit(fv.cadre_person, w.province, w.commune_a1, D(YEAR - 1, 12, 30), 3, cost=999000,
          department=fv.movement)  # started the year before
    visit(fv.other_person, w.district_b, w.commune_b1, D(YEAR, 2, 5), cost=555000)
    rows = rollups.cost_by_department(w.province, YEAR)
    assert [(r.department, r.visits, r.cost) for r in rows] == [
        ("Ban Phong trào", 2, Decimal(200000)),
        ("Ban Tổ chức – Kiểm tra", 1, Decimal(50000)),
        ("Không thuộc ban", 1, Decimal(70000)),
    ]
    assert rollups.report(w.province, YEAR, "year", 1).cost == Decimal(320000)
    assert [(r.department, r.cost) for r in rollups.cost_by_department(w.province, YEAR - 1)] \
        == [("Ban Phong trào", Decimal(999000))]
