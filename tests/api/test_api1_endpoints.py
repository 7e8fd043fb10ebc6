"""API-1, X-3: every read endpoint answers with the pages' scope — a token of another unit's
user gets 404 on a detail, does not find the record in a list, and reads no foreign name."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from doanvu.common.dates import format_date
from doanvu.members.models import Membership, MemberStatus
from doanvu.org import services as org_services
from tests.api.conftest import A_NAMES, B_NAME, ApiWorld, all_pages, api, body, new_key


def _leaks(response: Any, names: list[str]) -> list[str]:
    text = response.content.decode()
    return [n for n in names if n in text]


# -- units ----------------------------------------------------------------------------------------


def test_api1_units_list_and_detail_keep_to_the_scope(api_world: ApiWorld) -> None:
    w = api_world.world
    client = api(api_world.a_key)

    units = all_pages(client, reverse("api:v1_units"))
    own = client.get(reverse("api:v1_unit", args=[w.commune_a1.pk]))
    foreign = client.get(reverse("api:v1_unit", args=[w.commune_b1.pk]))
    missing = client.get(reverse("api:v1_unit", args=[999999]))

    assert {u["id"] for u in units} == {w.district_a.pk, w.commune_a1.pk, w.commune_a2.pk,
                                        w.branch_a1.pk}
    assert body(own)["ten"] == "Đoàn xã Thái Bình" and body(own)["cha_id"] == w.district_a.pk
    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert body(foreign) == body(missing)  # alike for missing and not yours
    assert _leaks(foreign, api_world.foreign_names) == []
    assert not any(n in str(units) for n in api_world.foreign_names)


def test_api1_units_as_of_a_day_show_the_name_of_that_day(api_world: ApiWorld) -> None:
    w = api_world.world
    before = w.commune_a1.founded_on + dt.timedelta(days=10)
    org_services.unit_rename(actor=None, unit=w.commune_a1, name="Đoàn xã Thái Bình Mới",
                             on=before + dt.timedelta(days=100))
    client = api(api_world.a_key)

    then = client.get(reverse("api:v1_unit", args=[w.commune_a1.pk]),
                      {"ngay": format_date(before)})
    now = client.get(reverse("api:v1_unit", args=[w.commune_a1.pk]))
    listed = client.get(reverse("api:v1_units"), {"ngay": format_date(before), "q": "thai binh"})
    not_yet = client.get(reverse("api:v1_unit", args=[w.commune_a1.pk]),
                         {"ngay": "01/01/1950"})

    assert body(then)["ten"] == "Đoàn xã Thái Bình" and body(then)["ngay_xem"]
    assert body(now)["ten"] == "Đoàn xã Thái Bình Mới"
    assert [u["ten"] for u in body(listed)["ket_qua"]] == ["Đoàn xã Thái Bình"]
    assert not_yet.status_code == 404


@pytest.mark.parametrize(("ngay", "says"), [
    ("31/02/2020", "không tồn tại"), ("abc", "không đúng dạng"), ("01/01/2999", "chưa tới")])
def test_api1_units_refuse_an_impossible_as_of_day_naming_it(api_world: ApiWorld, ngay: str,
                                                             says: str) -> None:
    response = api(api_world.a_key).get(reverse("api:v1_units"), {"ngay": ngay})

    assert response.status_code == 400
    loi = body(response)["loi"]
    assert list(loi["truong"]) == ["ngay"] and says in loi["truong"]["ngay"][0]
    assert "“ngay”" in loi["thong_diep"]


# -- members --------------------------------------------------------------------------------------


def test_api1_members_search_as_the_list_page_within_scope(api_world: ApiWorld) -> None:
    client = api(api_world.a_key)

    everyone = all_pages(client, reverse("api:v1_members"), so_dong=2)
    searched = client.get(reverse("api:v1_members"), {"q": "tran thi"})
    foreign_unit = client.get(reverse("api:v1_members"),
                              {"don_vi": api_world.world.district_b.pk})
    foreign_name = client.get(reverse("api:v1_members"), {"q": "pham thi tan bien"})

    assert len(everyone) == len(A_NAMES)  # three pages of two, none twice
    assert {m["ho_ten"] for m in everyone} == set(A_NAMES)
    assert [m["ho_ten"] for m in body(searched)["ket_qua"]] == ["Trần Thị Bình"]
    assert body(searched)["ket_qua"][0]["cccd"] and body(searched)["ket_qua"][0]["xem_ho_so"]
    assert foreign_unit.status_code == 400
    assert list(body(foreign_unit)["loi"]["truong"]) == ["don_vi"]
    assert body(foreign_name)["ket_qua"] == []
    assert _leaks(foreign_name, [B_NAME]) == []


def test_api1_member_detail_is_404_for_another_units_member(api_world: ApiWorld) -> None:
    client = api(api_world.a_key)
    own = api_world.a_members[0]

    mine = client.get(reverse("api:v1_member", args=[own.pk]))
    foreign = client.get(reverse("api:v1_member", args=[api_world.b_member.pk]))
    missing = client.get(reverse("api:v1_member", args=[999999]))

    assert body(mine)["ho_ten"] == A_NAMES[0] and body(mine)["cccd"] == "072000000000"
    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert body(foreign) == body(missing)
    assert _leaks(foreign, [B_NAME, "072000000099"]) == []


def test_api1_an_earlier_unit_sees_its_period_with_personal_fields_blank(
        api_world: ApiWorld) -> None:
    """Person-level scope: after a transfer to district B, district A's membership row shows
    the name and its own period, but not the phone, e-mail or CCCD district B now keeps."""
    from doanvu.members.core import services as members_services

    w = api_world.world
    moved = api_world.a_members[1]
    transfer = members_services.transfer_request(
        actor=None, membership=moved, to_branch=w.branch_b1, kind="chinh_thuc",
        requested_on=dt.date(2024, 1, 10))
    members_services.transfer_accept(actor=w.district_b_cadre, transfer=transfer,
                                     on=dt.date(2024, 2, 1))
    moved.person.phone = "0987654321"
    moved.person.save()
    client = api(api_world.a_key)

    detail = client.get(reverse("api:v1_member", args=[moved.pk]))
    listed = all_pages(client, reverse("api:v1_members"), trang_thai="tat_ca")
    row = next(r for r in listed if r["id"] == moved.pk)

    assert Membership.objects.get(pk=moved.pk).status == MemberStatus.TRANSFERRED
    assert body(detail)["ho_ten"] == A_NAMES[1]
    for shown in (body(detail), row):
        assert shown["xem_ho_so"] is False
        assert (shown["dien_thoai"], shown["email"], shown["cccd"]) == ("", "", "")
    assert "0987654321" not in detail.content.decode()
    assert "Chi đoàn ấp Tân Đông" not in str(listed)


@pytest.mark.parametrize(("params", "field"), [
    ({"gioi_tinh": "khac"}, "gioi_tinh"), ({"tuoi": "99"}, "tuoi"),
    ({"trang_thai": "x"}, "trang_thai"), ({"sau": "khong-phai-con-tro"}, "sau"),
    ({"so_dong": "0"}, "so_dong"), ({"so_dong": "abc"}, "so_dong")])
def test_api1_members_refuse_bad_filters_naming_them(api_world: ApiWorld,
                                                     params: dict[str, str], field: str) -> None:
    response = api(api_world.a_key).get(reverse("api:v1_members"), params)

    assert response.status_code == 400
    assert list(body(response)["loi"]["truong"]) == [field]


# -- obligations ----------------------------------------------------------------------------------


def test_api1_my_obligations_and_a_units_obligations_keep_to_the_scope(
        api_world: ApiWorld) -> None:
    w = api_world.world
    client = api(api_world.a_key)

    mine = client.get(reverse("api:v1_my_obligations"))
    own = client.get(reverse("api:v1_obligation", args=[api_world.a_obligation.pk]))
    foreign = client.get(reverse("api:v1_obligation", args=[api_world.b_obligation.pk]))
    foreign_unit = client.get(reverse("api:v1_unit_obligations", args=[w.district_b.pk]))
    owed_to_b = api(api_world.b_key).get(reverse("api:v1_unit_obligations",
                                                 args=[w.district_b.pk]))
    bad_state = client.get(reverse("api:v1_unit_obligations", args=[w.district_a.pk]),
                           {"trang_thai": "xyz"})

    assert [o["noi_dung"] for o in body(mine)["ket_qua"]] == ["Báo cáo quý của Châu Thành"]
    assert body(own)["don_vi_phai_nop_id"] == w.district_a.pk
    assert (foreign.status_code, foreign_unit.status_code) == (404, 404)
    assert _leaks(foreign, api_world.foreign_names) == []
    assert _leaks(foreign_unit, api_world.foreign_names) == []
    assert [o["noi_dung"] for o in body(owed_to_b)["ket_qua"]] == [api_world.b_obligation.title]
    assert bad_state.status_code == 400 and "trang_thai" in body(bad_state)["loi"]["truong"]


# -- documents ------------------------------------------------------------------------------------


def test_api1_documents_list_and_detail_keep_to_the_scope(api_world: ApiWorld) -> None:
    client = api(api_world.a_key)

    listed = all_pages(client, reverse("api:v1_documents"))
    own = client.get(reverse("api:v1_document", args=[api_world.a_document.pk]))
    foreign = client.get(reverse("api:v1_document", args=[api_world.b_document.pk]))
    filtered = client.get(reverse("api:v1_documents"),
                          {"don_vi": api_world.world.district_b.pk})

    assert [d["id"] for d in listed] == [api_world.a_document.pk]
    assert body(own)["trich_yeu"] == "Kế hoạch của Huyện đoàn Châu Thành"
    assert foreign.status_code == 404
    assert body(filtered)["ket_qua"] == []
    bad = client.get(reverse("api:v1_documents"), {"trang_thai": "xyz"})
    assert bad.status_code == 400 and list(body(bad)["loi"]["truong"]) == ["trang_thai"]
    for response in (foreign, filtered):
        assert _leaks(response, api_world.foreign_names) == []


# -- every endpoint, as a user of another unit ----------------------------------------------------


def test_api1_outsider_token_reads_nothing_of_the_province(api_world: ApiWorld) -> None:
    """A user with no grant at all: every list is empty, every detail is 404."""
    w = api_world.world
    client = api(new_key(w.outsider))
    lists = [reverse(n) for n in ("api:v1_units", "api:v1_members", "api:v1_my_obligations",
                                  "api:v1_documents")]
    details = [reverse("api:v1_unit", args=[w.district_a.pk]),
               reverse("api:v1_unit_obligations", args=[w.province.pk]),
               reverse("api:v1_member", args=[api_world.a_members[0].pk]),
               reverse("api:v1_obligation", args=[api_world.a_obligation.pk]),
               reverse("api:v1_document", args=[api_world.a_document.pk])]
    names = [*api_world.foreign_names, *A_NAMES, "Tây Ninh", "Châu Thành"]

    for url in lists:
        response = client.get(url)
        assert response.status_code == 200 and body(response)["ket_qua"] == [], url
        assert _leaks(response, names) == []
    for url in details:
        response = client.get(url)
        assert response.status_code == 404, url
        assert _leaks(response, names) == []


def test_api1_lists_cost_the_same_queries_whatever_their_length(api_world: ApiWorld) -> None:
    """No query per row: a page of three and a page of six cost the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.members.conftest import make_member

    client = api(api_world.a_key)
    urls = [reverse(n) for n in ("api:v1_units", "api:v1_members", "api:v1_documents",
                                 "api:v1_my_obligations")]
    client.get(urls[0])  # the day's first use of the token is recorded once

    def cost() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    before = cost()
    for i in range(3):
        make_member(api_world.world.branch_a1, f"Võ Văn Thêm {i}")

    assert cost() == before
