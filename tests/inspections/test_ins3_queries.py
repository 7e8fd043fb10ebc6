"""INS-3 pages read in a fixed number of queries whatever the number of sessions (no N+1)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.inspections import services
from doanvu.org import services as org_services
from doanvu.org.models import UnitKind
from tests.conftest import login
from tests.inspections.conftest import Ins

D = dt.date


def _count(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200  # type: ignore[attr-defined]
    return len(ctx.captured_queries)


def test_ins3_calendar_team_and_round_pages_do_not_grow_with_sessions(ins: Ins) -> None:
    w = ins.world
    c = login(w.province_secretary)
    services.session_create(actor=None, team=ins.team1, unit=w.district_a, on=D(2020, 11, 10),
                            half="sang")
    urls = [reverse("inspections:round_calendar", args=[ins.round.pk]),
            reverse("inspections:team_detail", args=[ins.team1.pk]),
            reverse("inspections:round_detail", args=[ins.round.pk]),
            reverse("inspections:plan_detail", args=[ins.plan.pk]),
            reverse("inspections:plan_list")]
    before = [_count(c, u) for u in urls]
    huyen = UnitKind.objects.get(code="huyen")
    for i in range(4):
        extra = org_services.unit_create(actor=None, parent=w.province, name=f"Huyện đoàn {i}",
                                         kind=huyen, founded_on=D(2017, 1, 1))
        ins.round.units.add(extra)
        services.session_create(actor=None, team=ins.team1, unit=extra, on=D(2020, 11, 11 + i),
                                half="chieu")
    assert [_count(c, u) for u in urls] == before
