"""FV-10: Youth Month (Tháng Thanh niên) is planned as a campaign — opened in the month the
policy names, its visits planned into plans linked to the campaign, its progress shown as
planned against logged visits."""

from __future__ import annotations

import datetime as dt

import pytest

from doanvu.fieldvisits import plans
from doanvu.fieldvisits.models import Campaign
from tests.conftest import World
from tests.fieldvisits.plan_fixtures import FV, YEAR, build, visit

D = dt.date


@pytest.fixture
def fv(world: World) -> FV:
    return build(world)


def test_fv10_campaign_in_the_policy_month(fv: FV) -> None:
    c = plans.campaign_create(actor=fv.standing, unit=fv.world.province, year=YEAR,
                              target_days=4)
    assert (c.start_date, c.end_date) == (D(YEAR, 3, 1), D(YEAR, 3, 31))
    assert c.name == "Tháng Thanh niên 2020"
    fv.policy.youth_month = 4
    fv.policy.save()
    c2 = plans.campaign_create(actor=fv.standing, unit=fv.world.province, year=YEAR + 1)
    assert (c2.start_date, c2.end_date) == (D(YEAR + 1, 4, 1), D(YEAR + 1, 4, 30))


def test_fv10_campaign_bad_input(fv: FV) -> None:
    plans.campaign_create(actor=fv.standing, unit=fv.world.province, year=YEAR)
    with pytest.raises(plans.PlanError) as exc:  # twice
        plans.campaign_create(actor=fv.standing, unit=fv.world.province, year=YEAR)
    assert exc.value.field == "year"
    with pytest.raises(plans.PlanError) as exc:
        plans.campaign_create(actor=fv.standing, unit=fv.world.province, year=YEAR + 1,
                              target_days=40)
    assert exc.value.field == "target_days"
    with pytest.raises(plans.PlanPermissionError):
        plans.campaign_create(actor=fv.other_cadre, unit=fv.world.province, year=YEAR + 2)
    assert Campaign.objects.count() == 1


def test_fv10_campaign_lines_and_progress(fv: FV) -> None:
    c = plans.campaign_create(actor=fv.standing, unit=fv.world.province, year=YEAR)
    line = plans.line_draft(actor=fv.cadre, unit=fv.world.province, person=fv.cadre_person,
                            year=YEAR, quarter=1, kind="1.1", place=fv.world.commune_a1,
                            start_date=D(YEAR, 3, 20), end_date=D(YEAR, 3, 22), campaign=c)
    assert line.plan.campaign == c
    with pytest.raises(plans.PlanError) as exc:  # outside the month
        plans.line_draft(actor=fv.cadre, unit=fv.world.province, person=fv.cadre_person,
                         year=YEAR, quarter=1, kind="1.1", place=fv.world.commune_a1,
                         start_date=D(YEAR, 2, 20), end_date=D(YEAR, 2, 20), campaign=c)
    assert exc.value.field == "start_date"
    visit(fv.cadre_person, fv.world.province, fv.world.commune_a1, D(YEAR, 3, 20), 2,
          campaign=c, department=fv.movement)
    visit(fv.cadre_person, fv.world.province, fv.world.commune_a1, D(YEAR, 3, 21), 1,
          campaign=c, department=fv.movement)  # overlaps: a day counts once
    visit(fv.cadre_person, fv.world.province, fv.world.commune_a1, D(YEAR, 5, 2), 1)
    p = plans.campaign_progress(c)
    assert (p.planned, p.planned_days, p.logged, p.logged_days) == (1, 3, 2, 2)
    assert [r.person for r in p.rows] == [fv.cadre_person]
