"""API-1, X-3, PERF-4: targets (chỉ tiêu) in the API — a unit's targets with the maintained
figures its dashboard reads (when computed, "being recomputed" when a change awaits), one
target with the units under it, its trend and the figures units entered; readers of the unit
only, 404 alike for a unit or target that is not theirs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doanvu.accounts.scope import Scope
from doanvu.targets import selectors, services
from doanvu.targets.models import TargetComputation
from doanvu.targets.recompute import recompute
from tests.api.conftest import all_pages, api, body, new_key
from tests.members.conftest import members_world  # noqa: F401
from tests.targets.conftest import SEED_003, YEAR, TargetsWorld, tw  # noqa: F401

pytestmark = pytest.mark.django_db

B_TARGET = "Chỉ tiêu riêng của Huyện đoàn Tân Biên"


def _b_target(world: TargetsWorld) -> Any:
    w = world.mw.world
    return services.target_create(
        scope=Scope.for_user(w.admin), unit=w.district_b, name=B_TARGET, goal="3",
        due_on=dt.date(YEAR, 12, 31), scope_unit=w.district_b)


def test_api1_unit_targets_read_the_stored_figures_as_the_dashboard(
        tw: TargetsWorld) -> None:  # noqa: F811
    w = tw.mw.world
    recompute()
    client = api(new_key(w.district_a_cadre))
    url = reverse("api:v1_unit_targets", args=[w.district_a.pk])

    rows = all_pages(client, url, so_dong=3)  # two pages
    live = {r.target.pk: r for r in selectors.target_rows(
        scope=Scope.for_user(w.district_a_cadre), unit=w.district_a)}

    assert [r["id"] for r in rows] == sorted(t.pk for t in tw.targets)
    assert [r["ten"] for r in rows] == [name for name, *_rest in SEED_003]
    for r in rows:
        assert Decimal(str(r["gia_tri"])) == live[r["id"]].measure.value, r["ten"]
        assert r["tu_so"] == live[r["id"]].measure.numerator
        assert r["so_lieu_luu"] is True and r["dang_tinh_lai"] is False and r["tinh_luc"]
        assert r["ngay_do"] == dt.date(YEAR, 12, 31).isoformat()
        assert r["don_vi_giao"] == "Tỉnh đoàn Tây Ninh" and r["han"] == f"{YEAR}-12-31"
    registration = next(r for r in rows if r["cong_thuc"] == "training_registration")
    assert registration["don_vi_tinh"] == "%" and registration["chi_tieu"] == 100
    assert registration["dat"] is (registration["gia_tri"] >= 100)
    assert all_pages(client, url, nam=YEAR - 1) == []
    assert len(all_pages(client, url, nam=YEAR)) == 4


def test_api1_unit_targets_say_when_the_figures_await_a_recompute(
        tw: TargetsWorld) -> None:  # noqa: F811
    w = tw.mw.world
    client = api(new_key(w.province_secretary))
    url = reverse("api:v1_unit_targets", args=[w.province.pk])

    never = all_pages(client, url)
    recompute()
    TargetComputation.objects.filter(target=tw.targets[0]).update(stale_since=timezone.now())
    stale = {r["id"]: r for r in all_pages(client, url)}

    assert all(r["so_lieu_luu"] is False and r["tinh_luc"] is None for r in never)
    assert stale[tw.targets[0].pk]["dang_tinh_lai"] is True
    assert [r["dang_tinh_lai"] for r in stale.values()].count(True) == 1


def test_api1_unit_target_shows_the_units_under_it_the_trend_and_entries(
        tw: TargetsWorld) -> None:  # noqa: F811
    w = tw.mw.world
    recompute()
    system = Scope.for_user(w.admin)
    entered = services.target_create(
        scope=system, unit=w.province, name="Số công trình thanh niên", goal="2",
        due_on=dt.date(YEAR, 12, 31), scope_unit=w.province, position=9)
    services.target_entry_set(scope=system, target=entered, unit=w.district_a, value="3",
                              on=dt.date(YEAR, 6, 1))
    client = api(new_key(w.province_secretary))

    registration = next(t for t in tw.targets if t.formula == "training_registration")
    one = body(client.get(reverse("api:v1_unit_target", args=[w.province.pk, registration.pk])))
    own = body(client.get(reverse("api:v1_unit_target", args=[w.province.pk, entered.pk])))

    children = {c["don_vi"]: c for c in one["don_vi_truc_thuoc"]}
    assert set(children) == {"Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"}
    assert children["Huyện đoàn Châu Thành"]["dat"] is not None
    assert [p["nam"] for p in one["theo_nam"]] == list(range(YEAR - 3, YEAR + 1))
    assert one["theo_nam"][-1]["gia_tri"] == one["gia_tri"]
    assert one["ngay_xem"] == f"{YEAR}-12-31" and one["ket_qua_nhap"] == []
    assert own["do_don_vi_nhap"] is True and own["so_lieu_luu"] is False
    assert {e["don_vi"]: e["gia_tri"] for e in own["ket_qua_nhap"]} == {
        "Huyện đoàn Châu Thành": 3, "Huyện đoàn Tân Biên": None}
    assert own["gia_tri"] == 3 and own["dat"] is True


def test_api1_targets_keep_to_the_scope(tw: TargetsWorld) -> None:  # noqa: F811
    w = tw.mw.world
    recompute()
    b_target = _b_target(tw)
    district = api(new_key(w.district_a_cadre))
    outsider = api(new_key(w.outsider))
    names = [B_TARGET, "Huyện đoàn Tân Biên", "Đoàn xã Tân Lập"]

    own_rows = all_pages(district, reverse("api:v1_unit_targets", args=[w.district_a.pk]))
    foreign_unit = district.get(reverse("api:v1_unit_targets", args=[w.district_b.pk]))
    missing_unit = district.get(reverse("api:v1_unit_targets", args=[999999]))
    not_applying = district.get(reverse("api:v1_unit_target", args=[w.district_a.pk,
                                                                    b_target.pk]))
    missing_target = district.get(reverse("api:v1_unit_target", args=[w.district_a.pk,
                                                                      999999]))
    through_b = district.get(reverse("api:v1_unit_target", args=[w.district_b.pk,
                                                                 b_target.pk]))

    assert b_target.pk not in {r["id"] for r in own_rows}
    assert (foreign_unit.status_code, missing_unit.status_code) == (404, 404)
    assert body(foreign_unit) == body(missing_unit)
    assert (not_applying.status_code, missing_target.status_code) == (404, 404)
    assert body(not_applying) == body(missing_target)
    assert through_b.status_code == 404
    for response in (foreign_unit, not_applying, through_b):
        assert [n for n in names if n in response.content.decode()] == []
    assert not any(n in str(own_rows) for n in names)
    for url in (reverse("api:v1_unit_targets", args=[w.province.pk]),
                reverse("api:v1_unit_target", args=[w.province.pk, tw.targets[0].pk])):
        response = outsider.get(url)
        assert response.status_code == 404
        assert "Tây Ninh" not in response.content.decode()


def test_api1_unit_targets_refuse_bad_parameters_naming_them(
        tw: TargetsWorld) -> None:  # noqa: F811
    client = api(new_key(tw.mw.world.province_secretary))
    url = reverse("api:v1_unit_targets", args=[tw.mw.world.province.pk])
    for params, field in [({"nam": "hai"}, "nam"), ({"nam": "1999"}, "nam"),
                          ({"sau": "abc"}, "sau"), ({"so_dong": "0"}, "so_dong")]:
        response = client.get(url, params)
        assert response.status_code == 400, params
        assert list(body(response)["loi"]["truong"]) == [field], params
        assert body(response)["loi"]["ma"] == "du_lieu_khong_hop_le"


def test_api1_unit_targets_cost_the_same_queries_whatever_their_length(
        tw: TargetsWorld) -> None:  # noqa: F811
    w = tw.mw.world
    recompute()
    client = api(new_key(w.province_secretary))
    url = reverse("api:v1_unit_targets", args=[w.province.pk])
    client.get(url)  # the day's first use of the token is recorded once

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200
        return len(queries)

    before = cost()
    system = Scope.for_user(w.admin)
    for i, (name, goal, code, extra) in enumerate(SEED_003, start=1):
        services.target_create(scope=system, unit=w.province, name=f"{name} (thêm)", goal=goal,
                               due_on=dt.date(YEAR, 12, 31), scope_unit=w.province,
                               formula=code, params={"year": YEAR, **extra}, position=20 + i)
    recompute()

    assert len(body(client.get(url))["ket_qua"]) == 8
    assert cost() == before


def test_api1_target_endpoints_never_answer_500_to_junk(tw: TargetsWorld) -> None:  # noqa: F811
    w = tw.mw.world
    client = api(new_key(w.province_secretary))
    junk = ["\x00", "x" * 5000, "-1", "99999999999999999999999", "' OR 1=1 --", "ằ"]
    url = reverse("api:v1_unit_targets", args=[w.province.pk])
    problems = []

    for name in ("nam", "sau", "so_dong"):
        for value in junk:
            response = client.get(url, {name: value})
            if response.status_code not in (200, 400):
                problems.append((name, value, response.status_code))
    for path in (f"don-vi/{w.province.pk}/chi-tieu/18446744073709551616/",
                 f"don-vi/{w.province.pk}/chi-tieu/0/",
                 "don-vi/18446744073709551616/chi-tieu/"):
        response = client.get(f"/api/v1/{path}")
        if response.status_code != 404:
            problems.append((path, response.status_code))

    assert problems == []
