"""FV-9: the travel allowance (công tác phí) of a visit — stored, shown on the visit, summed on
the cadre's page and the unit's list; a cost that is not an amount is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from doanvu.fieldvisits import visits
from doanvu.fieldvisits.models import Visit
from tests.conftest import login
from tests.fieldvisits.conftest import FvWorld, days_ago
from tests.fieldvisits.test_fv2_logging import log


def test_fv9_cost_is_stored_and_shown(fv: FvWorld) -> None:
    first = log(fv, cost="150.000")
    log(fv, start_date=days_ago(8), end_date=days_ago(8), cost=Decimal("90000"))
    assert Visit.objects.get(pk=first.pk).cost == Decimal("150000")
    client = login(fv.cadre_user)
    detail = client.get(f"/di-co-so/chuyen-di/{first.pk}/")
    assert detail.context["visit"].cost == 150000
    assert "150" in detail.content.decode()
    home = client.get("/di-co-so/")
    assert home.context["total_cost"] == Decimal("240000")
    manager = login(fv.world.province_secretary)
    unit = manager.get(f"/di-co-so/don-vi/{fv.world.province.pk}/chuyen-di/"
                       f"?nam={first.start_date.year}")
    assert unit.status_code == 200 and unit.context["total_cost"] == Decimal("240000")
    assert "Nguyễn Văn Phong" in unit.content.decode()


@pytest.mark.parametrize("cost", ["-1", "1,5e3x", "12.5", "9999999999999"])
def test_fv9_a_cost_that_is_not_an_amount_is_refused(fv: FvWorld, cost: str) -> None:
    with pytest.raises(visits.VisitError) as err:
        log(fv, cost=cost)
    assert err.value.field == "cost"
    assert not Visit.objects.exists()


def test_fv9_empty_cost_is_zero(fv: FvWorld) -> None:
    assert log(fv, cost="").cost == 0
