"""API-1, X-3: shortcomings (REM-1, REM-2) in the API — the register entries of the units the
token's user reads, filtered by unit, year, state and overdue; one entry with its solutions,
deadlines and evidence; 404 alike for missing and foreign; bad filters named; no query per
row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.accounts.scope import Scope
from doanvu.common.dates import today
from doanvu.org.models import Department, DepartmentCategory, Unit
from doanvu.remediation import selectors, services
from doanvu.remediation.models import Shortcoming, Solution
from tests.api.conftest import api, body, new_key
from tests.conftest import World

B_TEXT = "Khuyết điểm riêng của Huyện đoàn Tân Biên"  # must never reach district A


@dataclass
class Rem:
    world: World
    a: list[Shortcoming]  # district A's 2019 register: 1 open late, 2 open, 3 closed
    b: Shortcoming  # district B's
    late: Solution
    a_key: str
    b_key: str


def _register(w: World, unit: Unit, texts: list[str], year: int = 2019) -> list[Shortcoming]:
    system = Scope.for_user(w.admin)
    area = services.area_create(scope=system, unit=unit,
                                name="Trong công tác lãnh đạo" + ("" if year == 2019 else
                                                                  f" năm {year}"))
    return [services.shortcoming_create(scope=system, unit=unit, review_year=year,
                                        year_found=year, area=area, number=i, text=t)
            for i, t in enumerate(texts, start=1)]


@pytest.fixture
def rem(world: World) -> Rem:
    system = Scope.for_user(world.admin)
    a = _register(world, world.district_a, ["Chỉ đạo cơ sở còn chậm",
                                            "Quản lý đoàn viên chưa chặt chẽ",
                                            "Phần mềm chưa triển khai"])
    [b] = _register(world, world.district_b, [B_TEXT])
    office = Department.objects.create(unit=world.district_a, name="Văn phòng Châu Thành",
                                       short_name="VP", category=DepartmentCategory.OFFICE)
    group = services.group_create(scope=system, unit=world.district_a, year=2020, number=1,
                                  name="Nhóm giải pháp lãnh đạo", lead=office)
    late = services.solution_create(scope=system, group=group, text="Họp giao ban hằng tháng",
                                    deadline="tháng 03/2020", shortcomings=[a[0]])
    services.solution_create(scope=system, group=group, text="Rà soát đoàn viên",
                             deadline="thường xuyên", shortcomings=[a[1]], position=2)
    done = services.solution_create(scope=system, group=group, text="Triển khai phần mềm",
                                    deadline="quý I/2020", shortcomings=[a[2]], position=3)
    services.solution_progress(scope=system, solution=done, progress=100, note="Đã xong")
    services.evidence_add(scope=system, actor=world.admin, shortcoming=a[2],
                          name="Biên bản nghiệm thu",
                          file=SimpleUploadedFile("bien-ban.txt", b"x"))
    services.shortcoming_close(scope=system, shortcoming=a[2], note="Đã chạy",
                               on=dt.date(2020, 5, 4))
    b_group = services.group_create(scope=system, unit=world.district_b, year=2020, number=1,
                                    name="Nhóm giải pháp của Tân Biên", lead=None)
    services.solution_create(scope=system, group=b_group, text="Giải pháp của Tân Biên",
                             deadline="tháng 01/2020", shortcomings=[b])
    return Rem(world, a, b, late, new_key(world.district_a_cadre),
               new_key(world.district_b_cadre))


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [r["id"] for r in body(response)["ket_qua"]]


def test_api1_shortcomings_list_keeps_to_the_scope_with_state_and_overdue(rem: Rem) -> None:
    client = api(rem.a_key)
    url = reverse("api:v1_shortcomings")

    listed = client.get(url)
    rows = {r["id"]: r for r in body(listed)["ket_qua"]}

    assert list(rows) == [s.pk for s in rem.a]
    first, second, third = (rows[s.pk] for s in rem.a)
    assert first["don_vi"] == "Huyện đoàn Châu Thành"
    assert first["nguon"] == "Kiểm điểm tập thể năm 2019"
    assert (first["trang_thai"], first["qua_han"]) == ("chua_xong", True)  # March 2020 passed
    assert (second["trang_thai"], second["qua_han"]) == ("chua_xong", False)  # ongoing
    assert (third["trang_thai"], third["qua_han"], third["so_minh_chung"]) == (
        "da_xong", False, 1)
    assert third["ngay_khac_phuc_xong"] == "2020-05-04"
    assert B_TEXT not in listed.content.decode() and "Tân Biên" not in listed.content.decode()
    assert _ids(client.get(url, {"trang_thai": "da_xong"})) == [rem.a[2].pk]
    assert _ids(client.get(url, {"trang_thai": "chua_xong"})) == [rem.a[0].pk, rem.a[1].pk]
    assert _ids(client.get(url, {"qua_han": "co"})) == [rem.a[0].pk]
    assert _ids(client.get(url, {"qua_han": "khong"})) == [rem.a[1].pk, rem.a[2].pk]
    assert _ids(client.get(url, {"don_vi": rem.world.district_a.pk, "nam": 2019})) == [
        s.pk for s in rem.a]
    assert _ids(client.get(url, {"nam": 2018})) == []
    # a unit the user does not read is simply not there: nothing of it is listed
    assert _ids(client.get(url, {"don_vi": rem.world.district_b.pk})) == []
    # district B sees its own, overdue too (January 2020 passed)
    b_rows = body(api(rem.b_key).get(url, {"qua_han": "co"}))["ket_qua"]
    assert [(r["id"], r["noi_dung"]) for r in b_rows] == [(rem.b.pk, B_TEXT)]


def test_api1_shortcomings_overdue_agrees_with_the_solutions_rule(rem: Rem) -> None:
    """The list's overdue is the solutions' rule (REM-4's "chậm so với thời hạn") applied to
    the entry's open solutions: finishing the late solution takes the entry off the list."""
    day = today()
    assert selectors.solution_late(rem.late, day) is True
    services.solution_progress(scope=Scope.for_user(rem.world.admin), solution=rem.late,
                               progress=100)
    rem.late.refresh_from_db()

    assert selectors.solution_late(rem.late, day) is False
    assert _ids(api(rem.a_key).get(reverse("api:v1_shortcomings"), {"qua_han": "co"})) == []


def test_api1_shortcoming_detail_shows_solutions_deadlines_and_evidence(rem: Rem) -> None:
    client = api(rem.a_key)

    late = body(client.get(reverse("api:v1_shortcoming", args=[rem.a[0].pk])))
    closed = body(client.get(reverse("api:v1_shortcoming", args=[rem.a[2].pk])))

    assert late["noi_dung"] == "Chỉ đạo cơ sở còn chậm" and late["linh_vuc"] == (
        "Trong công tác lãnh đạo")
    [solution] = late["giai_phap"]
    assert solution["noi_dung"] == "Họp giao ban hằng tháng"
    assert solution["ban_chu_tri"] == "Văn phòng Châu Thành"
    assert (solution["han_cuoi"], solution["tien_do"], solution["cham"]) == (
        "2020-03-31", 0, True)
    assert solution["thoi_han"] and late["minh_chung"] == [] and late["qua_han"] is True
    assert closed["trang_thai_ten"] == "Đã khắc phục xong"
    assert closed["danh_gia_khi_xong"] == "Đã chạy"
    assert [e["ten"] for e in closed["minh_chung"]] == ["Biên bản nghiệm thu"]
    assert (closed["giai_phap"][0]["ket_qua"], closed["giai_phap"][0]["cham"]) == (
        "Đã xong", False)


def test_api1_shortcoming_detail_is_404_alike_for_foreign_and_missing(rem: Rem) -> None:
    client = api(rem.a_key)

    foreign = client.get(reverse("api:v1_shortcoming", args=[rem.b.pk]))
    missing = client.get(reverse("api:v1_shortcoming", args=[999999]))

    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert body(foreign) == body(missing)
    assert B_TEXT not in foreign.content.decode()
    assert api(rem.b_key).get(reverse("api:v1_shortcoming", args=[rem.b.pk])).status_code == 200


def test_api1_shortcomings_outsider_reads_nothing(rem: Rem) -> None:
    client = api(new_key(rem.world.outsider))

    listed = client.get(reverse("api:v1_shortcomings"))
    detail = client.get(reverse("api:v1_shortcoming", args=[rem.a[0].pk]))

    assert listed.status_code == 200 and body(listed)["ket_qua"] == []
    assert detail.status_code == 404
    for text in ("Châu Thành", "Tân Biên", "Chỉ đạo cơ sở", B_TEXT):
        assert text not in listed.content.decode() + detail.content.decode()


@pytest.mark.parametrize(("params", "field"), [
    ({"trang_thai": "mo"}, "trang_thai"), ({"qua_han": "1"}, "qua_han"),
    ({"nam": "20x9"}, "nam"), ({"nam": "1800"}, "nam"), ({"don_vi": "abc"}, "don_vi"),
    ({"sau": "khong-phai-con-tro"}, "sau"), ({"so_dong": "0"}, "so_dong")])
def test_api1_shortcomings_refuse_bad_filters_naming_them(rem: Rem, params: dict[str, str],
                                                          field: str) -> None:
    response = api(rem.a_key).get(reverse("api:v1_shortcomings"), params)

    assert response.status_code == 400
    error = body(response)["loi"]
    assert error["ma"] == "du_lieu_khong_hop_le" and list(error["truong"]) == [field]


def test_api1_shortcomings_keyset_pages_cover_each_entry_once(rem: Rem) -> None:
    client = api(rem.a_key)
    seen: list[int] = []
    cursor = None
    while True:
        page = body(client.get(reverse("api:v1_shortcomings"),
                               {"so_dong": 2, **({"sau": cursor} if cursor else {})}))
        seen += [r["id"] for r in page["ket_qua"]]
        cursor = page["trang_sau"]
        if cursor is None:
            break

    assert seen == [s.pk for s in rem.a]


def test_api1_shortcomings_list_costs_the_same_queries_whatever_its_length(rem: Rem) -> None:
    client = api(rem.a_key)
    url = reverse("api:v1_shortcomings")
    client.get(url)  # the day's first use of the token is recorded once

    def cost(params: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        return len(queries)

    before = [cost({}), cost({"qua_han": "co"})]
    more = _register(rem.world, rem.world.district_a, [f"Khuyết điểm thêm {i}" for i in
                                                        range(4)], year=2020)
    group = rem.late.group
    for s in more:
        services.solution_create(scope=Scope.for_user(rem.world.admin), group=group,
                                 text=f"Giải pháp {s.pk}", deadline="tháng 02/2020",
                                 shortcomings=[s], position=10 + s.number)

    assert len(body(client.get(url))["ket_qua"]) == 7
    assert [cost({}), cost({"qua_han": "co"})] == before
