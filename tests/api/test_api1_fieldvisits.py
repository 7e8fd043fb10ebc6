"""API-1, X-3: field visits (đi cơ sở) in the API — the visits list and one visit, the
compliance rows of a year and a unit's roll-up, each with the pages' scope: the unit a visit
was made from reads it, a reader of the cadre's record reads it, a district never reads a
provincial cadre's visit to its commune, an outsider reads nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.accounts.scope import Scope
from doanvu.common.dates import format_date
from doanvu.fieldvisits import recompute, visits
from doanvu.fieldvisits.models import Visit
from tests.api.conftest import all_pages, api, body, new_key
from tests.fieldvisits.conftest import FvWorld, days_ago, fv  # noqa: F401
from tests.fieldvisits.test_fv2_logging import log

PROVINCIAL = "Nguyễn Văn Phong"  # the provincial cadre (Ban Phong trào)
DISTRICT_A = "Lê Thị Châu"  # Huyện đoàn Châu Thành's cadre
DISTRICT_B = "Trần Văn Biên"  # Huyện đoàn Tân Biên's cadre


def _leaks(response: Any, names: list[str]) -> list[str]:
    text = response.content.decode()
    return [n for n in names if n in text]


def _report(visit: Visit, user: Any) -> Visit:
    return visits.visit_report(actor=user, scope=Scope.for_user(user), visit=visit,
                               report="Đã làm việc với Ban Chấp hành", proposals="Thêm kinh phí")


@pytest.fixture
def three(fv: FvWorld) -> dict[str, Visit]:  # noqa: F811
    """A provincial visit to district A and commune A1 (reported), a district A visit to
    commune A2, a district B visit to commune B1."""
    w = fv.world
    provincial = _report(log(fv), fv.cadre_user)
    district = log(fv, user=fv.district_user, person=fv.district_cadre,
                   places=[w.commune_a2], start_date=days_ago(6), end_date=days_ago(6))
    other = log(fv, user=fv.other_user, person=fv.other_cadre, places=[w.commune_b1],
                start_date=days_ago(8), end_date=days_ago(7))
    return {"provincial": provincial, "district": district, "other": other}


# -- visits ---------------------------------------------------------------------------------------


def test_api1_visits_list_and_detail_keep_to_the_scope(fv: FvWorld,  # noqa: F811
                                                       three: dict[str, Visit]) -> None:
    w = fv.world
    url = reverse("api:v1_visits")
    province = all_pages(api(new_key(w.province_secretary)), url)
    district_client = api(new_key(w.district_a_cadre))
    district = all_pages(district_client, url)
    own = all_pages(api(new_key(fv.cadre_user)), url)

    foreign = district_client.get(reverse("api:v1_visit", args=[three["provincial"].pk]))
    missing = district_client.get(reverse("api:v1_visit", args=[999999]))
    mine = district_client.get(reverse("api:v1_visit", args=[three["district"].pk]))

    assert {v["id"] for v in province} == {v.pk for v in three.values()}
    # the provincial cadre went to district A's commune: still the province's record
    assert [v["id"] for v in district] == [three["district"].pk]
    assert [v["id"] for v in own] == [three["provincial"].pk]  # the cadre's own, no grant
    assert (foreign.status_code, missing.status_code, mine.status_code) == (404, 404, 200)
    assert body(foreign) == body(missing)
    assert _leaks(foreign, [PROVINCIAL, DISTRICT_B, "Phối hợp"]) == []
    assert PROVINCIAL not in str(district) and DISTRICT_B not in str(district)


def test_api1_visit_detail_shows_the_log_the_report_and_why_it_counts(
        fv: FvWorld, three: dict[str, Visit]) -> None:  # noqa: F811
    w = fv.world
    client = api(new_key(w.province_secretary))

    reported = body(client.get(reverse("api:v1_visit", args=[three["provincial"].pk])))
    unreported = body(client.get(reverse("api:v1_visit", args=[three["district"].pk])))

    assert reported["can_bo"] == PROVINCIAL and reported["phong_ban"] == "Ban Phong trào"
    assert reported["don_vi_id"] == w.province.pk and reported["so_ngay"] == 2
    assert [p["ten"] for p in reported["noi_den"]] == ["Huyện đoàn Châu Thành",
                                                       "Đoàn xã Thái Bình"]
    assert reported["giay_di_duong"] == "Giấy đi đường số 12/GĐĐ"
    assert reported["noi_dung_da_lam"] == "Phối hợp tổ chức ngày hội"
    assert reported["bao_cao"] == "Đã làm việc với Ban Chấp hành"
    assert reported["de_xuat"] == "Thêm kinh phí" and reported["cong_tac_phi"] == 150000
    assert reported["trang_thai"] == "da-bao-cao" and reported["khong_tinh"] == ""
    assert reported["tu_ngay"] == days_ago(3).isoformat() and reported["ke_hoach"] is None
    # due three days after its end, six days ago: overdue
    assert unreported["trang_thai"] == "qua-han" and unreported["ngay_bao_cao"] is None
    assert "chưa có báo cáo" in unreported["khong_tinh"]


def test_api1_visits_filter_by_cadre_place_days_and_state(fv: FvWorld,  # noqa: F811
                                                         three: dict[str, Visit]) -> None:
    w = fv.world
    client = api(new_key(w.province_secretary))
    url = reverse("api:v1_visits")

    def ids(**params: Any) -> set[int]:
        return {v["id"] for v in all_pages(client, url, **params)}

    assert ids(can_bo=fv.district_cadre.pk) == {three["district"].pk}
    assert ids(noi_den=w.commune_a1.pk) == {three["provincial"].pk}
    assert ids(don_vi=w.district_b.pk) == {three["other"].pk}
    assert ids(tu=format_date(days_ago(6)), den=format_date(days_ago(4))) == {
        three["district"].pk}
    assert ids(tu=days_ago(7).isoformat()) == {v.pk for v in three.values()}
    assert ids(trang_thai="da-bao-cao") == {three["provincial"].pk}
    assert ids(trang_thai="chua-bao-cao") == {three["district"].pk, three["other"].pk}
    assert ids(trang_thai="qua-han") == {three["district"].pk, three["other"].pk}
    assert ids(trang_thai="bao-cao-tre") == set()


def test_api1_a_cadre_filter_reads_the_whole_record_only_for_its_readers(
        fv: FvWorld, three: dict[str, Visit]) -> None:  # noqa: F811
    """?can_bo= of a cadre whose record the scope does not read lists nothing of theirs."""
    district = api(new_key(fv.world.district_a_cadre))
    response = district.get(reverse("api:v1_visits"), {"can_bo": fv.cadre.pk})
    assert response.status_code == 200 and body(response)["ket_qua"] == []
    assert _leaks(response, [PROVINCIAL]) == []


def test_api1_the_unit_now_governing_a_cadre_reads_their_earlier_visits_by_cadre(
        fv: FvWorld, three: dict[str, Visit]) -> None:  # noqa: F811
    """The record follows the cadre: moved to Tân Biên, Tân Biên's readers list the visits
    Châu Thành recorded when they ask for the cadre (?can_bo=), not in the general list."""
    from doanvu.org.models import Position

    w = fv.world
    Position.objects.filter(person=fv.district_cadre).update(end_date=days_ago(5))
    Position.objects.create(person=fv.district_cadre, unit=w.district_b, title="Chuyên viên",
                            start_date=days_ago(4))
    client = api(new_key(w.district_b_cadre))
    url = reverse("api:v1_visits")

    by_cadre = all_pages(client, url, can_bo=fv.district_cadre.pk)
    general = all_pages(client, url)

    assert [v["id"] for v in by_cadre] == [three["district"].pk]
    assert [v["id"] for v in general] == [three["other"].pk]
    assert client.get(reverse("api:v1_visit", args=[three["district"].pk])).status_code == 200


BAD_VISIT_FILTERS = [
    ({"tu": "31/02/2026"}, "tu"), ({"den": "abc"}, "den"),
    ({"tu": "10/05/2026", "den": "01/05/2026"}, "den"), ({"trang_thai": "xong"}, "trang_thai"),
    ({"can_bo": "mot"}, "can_bo"), ({"noi_den": "-3"}, "noi_den"), ({"sau": "khong-phai"}, "sau"),
    ({"so_dong": "500"}, "so_dong")]


def test_api1_visits_refuse_bad_filters_naming_them(fv: FvWorld) -> None:  # noqa: F811
    client = api(new_key(fv.world.province_secretary))
    for params, field in BAD_VISIT_FILTERS:
        response = client.get(reverse("api:v1_visits"), params)
        assert response.status_code == 400, params
        assert list(body(response)["loi"]["truong"]) == [field], params
        assert body(response)["loi"]["ma"] == "du_lieu_khong_hop_le"
    impossible = client.get(reverse("api:v1_visits"), {"tu": "31/02/2026"})
    assert "không tồn tại" in body(impossible)["loi"]["thong_diep"]


# -- compliance -----------------------------------------------------------------------------------


def _compute(world: FvWorld, year: int) -> None:
    recompute.recompute(year=year, unit=world.world.province, as_of=days_ago(0))


def test_api1_compliance_rows_and_roll_up_keep_to_the_scope(fv: FvWorld,  # noqa: F811
                                                           three: dict[str, Visit]) -> None:
    w = fv.world
    year = three["provincial"].start_date.year
    _compute(fv, year)
    url = reverse("api:v1_compliance")
    province_client = api(new_key(w.province_secretary))
    district_client = api(new_key(w.district_a_cadre))

    province = all_pages(province_client, url, nam=year)
    district = all_pages(district_client, url, nam=year)
    own_agency = all_pages(province_client, url, nam=year, don_vi=w.province.pk)
    rollup = province_client.get(reverse("api:v1_unit_compliance", args=[w.province.pk]),
                                 {"nam": year})
    foreign = district_client.get(reverse("api:v1_unit_compliance", args=[w.province.pk]),
                                  {"nam": year})
    own_rollup = district_client.get(reverse("api:v1_unit_compliance", args=[w.district_a.pk]),
                                     {"nam": year})

    by_name = {r["can_bo"]: r for r in province}
    assert set(by_name) == {PROVINCIAL, DISTRICT_A, DISTRICT_B}
    phong = by_name[PROVINCIAL]
    assert phong["da_di"] == 2 and phong["phai_di"] > 0 and phong["dat"] is False
    assert sum(phong["theo_thang"]) == 2 and phong["con_thieu"] and phong["tinh_luc"]
    assert [r["can_bo"] for r in own_agency] == [PROVINCIAL]
    assert [r["can_bo"] for r in district] == [DISTRICT_A]
    assert rollup.status_code == 200
    assert body(rollup)["tong"]["can_bo"] == 3 and body(rollup)["tinh_luc"]
    assert [r["don_vi"] for r in body(rollup)["cac_don_vi"]] == [
        "Tỉnh đoàn Tây Ninh", "Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"]
    assert foreign.status_code == 404 and _leaks(foreign, [PROVINCIAL, "Tây Ninh"]) == []
    assert body(own_rollup)["tong"]["can_bo"] == 1
    assert PROVINCIAL not in str(district) and DISTRICT_B not in str(district)


def test_api1_compliance_refuses_bad_filters_naming_them(fv: FvWorld) -> None:  # noqa: F811
    client = api(new_key(fv.world.province_secretary))
    for params, field in [({"nam": "1999"}, "nam"), ({"nam": "hai"}, "nam"),
                          ({"don_vi": "x"}, "don_vi"), ({"phong_ban": "0"}, "phong_ban"),
                          ({"can_bo": "1e3"}, "can_bo")]:
        response = client.get(reverse("api:v1_compliance"), params)
        assert response.status_code == 400, params
        assert list(body(response)["loi"]["truong"]) == [field], params
    rollup = client.get(reverse("api:v1_unit_compliance", args=[fv.world.province.pk]),
                        {"nam": "3000"})
    assert rollup.status_code == 400 and list(body(rollup)["loi"]["truong"]) == ["nam"]


def test_api1_outsider_reads_no_visit_and_no_compliance(fv: FvWorld,  # noqa: F811
                                                        three: dict[str, Visit]) -> None:
    w = fv.world
    year = three["provincial"].start_date.year
    _compute(fv, year)
    client = api(new_key(w.outsider))
    names = [PROVINCIAL, DISTRICT_A, DISTRICT_B, "Tây Ninh", "Châu Thành", "Tân Biên"]

    for url, params in ((reverse("api:v1_visits"), {}),
                        (reverse("api:v1_compliance"), {"nam": year}),
                        (reverse("api:v1_visits"), {"can_bo": fv.cadre.pk}),
                        (reverse("api:v1_compliance"), {"nam": year, "can_bo": fv.cadre.pk})):
        response = client.get(url, params)
        assert response.status_code == 200 and body(response)["ket_qua"] == [], url
        assert _leaks(response, names) == []
    for url in (reverse("api:v1_visit", args=[three["district"].pk]),
                reverse("api:v1_unit_compliance", args=[w.district_a.pk])):
        response = client.get(url, {"nam": year})
        assert response.status_code == 404 and _leaks(response, names) == []


def test_api1_visit_and_compliance_lists_cost_the_same_queries_whatever_their_length(
        fv: FvWorld, three: dict[str, Visit]) -> None:  # noqa: F811
    w = fv.world
    year = three["provincial"].start_date.year
    _compute(fv, year)
    client = api(new_key(w.province_secretary))
    urls = [(reverse("api:v1_visits"), {}), (reverse("api:v1_compliance"), {"nam": year})]
    client.get(urls[0][0])  # the day's first use of the token is recorded once

    def cost() -> list[int]:
        counts = []
        for url, params in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params)
                assert response.status_code == 200
            counts.append(len(queries))
        return counts

    before = cost()
    rows_before = len(body(client.get(urls[0][0]))["ket_qua"])
    for i, place in enumerate((w.commune_a1, w.commune_a2, w.district_a)):
        log(fv, places=[place], start_date=days_ago(20 + i), end_date=days_ago(20 + i))
    from tests.fieldvisits.conftest import make_cadre

    make_cadre("Võ Văn Thêm", "canbo_them", unit=w.province, department=fv.movement)
    _compute(fv, year)

    assert len(body(client.get(urls[0][0]))["ket_qua"]) == rows_before + 3
    assert cost() == before


def test_api1_visit_endpoints_never_answer_500_to_junk(fv: FvWorld,  # noqa: F811
                                                      three: dict[str, Visit]) -> None:
    client = api(new_key(fv.world.province_secretary))
    junk = ["\x00", "x" * 5000, "-1", "99999999999999999999999", "' OR 1=1 --", "ằ",
            "31/12/99999", "0000-00-00"]
    urls = [reverse("api:v1_visits"), reverse("api:v1_compliance"),
            reverse("api:v1_unit_compliance", args=[fv.world.province.pk])]
    params = ["tu", "den", "can_bo", "don_vi", "noi_den", "trang_thai", "nam", "phong_ban",
              "sau", "so_dong"]
    problems = []

    for url in urls:
        for name in params:
            for value in junk:
                response = client.get(url, {name: value})
                if response.status_code not in (200, 400):
                    problems.append((url, name, value, response.status_code))
                elif response.status_code == 400 and name not in body(response)["loi"]["truong"]:
                    problems.append((url, name, value, body(response)))
    for path in ("di-co-so/0/", "di-co-so/18446744073709551616/",
                 "di-co-so/tuan-thu/don-vi/18446744073709551616/"):
        response = client.get(f"/api/v1/{path}")
        if response.status_code != 404:
            problems.append((path, response.status_code))

    assert problems == []
