"""API-1, X-3, INS-6, INS-7: the inspection endpoints answer what the pages show — the issuing
unit and the team read the sessions, the draft conclusion and the reflections; the inspected
unit reads its session and the conclusion once issued, not the reflections; another district
and a user of no unit read nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.inspections import followup
from tests.api.conftest import all_pages, api, body, new_key
from tests.inspections.conclusion_world import Concl, concl, draft, issue  # noqa: F401
from tests.inspections.conftest import ins  # noqa: F401

TEAM_NAMES = ["Trần Lê Duy", "Bùi Thị Thanh Tuyền", "Mai Văn Hiếu"]


def _text(response: Any) -> str:
    return response.content.decode()


def test_api1_inspections_issuing_unit_lists_and_reads_sessions_with_filters(
        concl: Concl) -> None:  # noqa: F811
    w = concl.ins.world
    draft(concl)
    client = api(new_key(w.province_secretary))

    everything = all_pages(client, reverse("api:v1_inspections"), so_dong=1)
    of_2020 = all_pages(client, reverse("api:v1_inspections"), nam=2020)
    at_b = all_pages(client, reverse("api:v1_inspections"), don_vi=w.district_b.pk)
    not_inspected = all_pages(client, reverse("api:v1_inspections"), trang_thai="khong_kiem_tra")
    detail = body(client.get(reverse("api:v1_inspection", args=[concl.session.pk])))
    conclusion = body(client.get(reverse("api:v1_inspection_conclusion",
                                         args=[concl.session.pk])))

    assert {s["id"] for s in everything} == {concl.session.pk, concl.session_2019.pk}
    assert [s["id"] for s in of_2020] == [concl.session.pk]
    assert at_b == [] and not_inspected == []
    assert detail["don_vi_id"] == w.district_a.pk and detail["ngay"] == "2020-11-10"
    assert detail["buoi"] == "sang" and detail["nam"] == 2020
    assert [m["ho_ten"] for m in detail["thanh_vien_doan"]] == TEAM_NAMES
    assert detail["thanh_vien_doan"][0]["vai_tro"] == "truong_doan"
    assert detail["ket_luan"]["trang_thai"] == "nhap"
    assert conclusion["trang_thai"] == "nhap" and len(conclusion["han_che"]) == 2
    assert conclusion["nhiem_vu"][0]["ban_id"] == w.tckt.pk
    assert conclusion["mo_hinh"][0]["linh_vuc"] == "Tình nguyện"


def test_api1_inspections_the_inspected_unit_reads_the_conclusion_once_issued(
        concl: Concl) -> None:  # noqa: F811
    w = concl.ins.world
    conclusion = draft(concl)
    client = api(new_key(w.district_a_cadre))
    url = reverse("api:v1_inspection_conclusion", args=[concl.session.pk])

    listed = all_pages(client, reverse("api:v1_inspections"))
    before = client.get(reverse("api:v1_inspection", args=[concl.session.pk]))
    draft_answer = client.get(url)
    reflections = client.get(reverse("api:v1_inspection_reflections", args=[concl.session.pk]))
    issue(concl, conclusion)
    after = body(client.get(reverse("api:v1_inspection", args=[concl.session.pk])))
    issued = client.get(url)

    assert {s["id"] for s in listed} == {concl.session.pk, concl.session_2019.pk}
    assert body(before)["ket_luan"] is None
    assert draft_answer.status_code == 404 and "Sổ sách" not in _text(draft_answer)
    assert reflections.status_code == 404
    assert after["ket_luan"]["trang_thai"] == "ban_hanh" and after["ket_luan"]["so_ky_hieu"]
    assert issued.status_code == 200 and body(issued)["uu_diem"].startswith("Ban Thường vụ")


def test_api1_inspections_another_district_and_an_outsider_read_nothing(
        concl: Concl) -> None:  # noqa: F811
    w = concl.ins.world
    issue(concl, draft(concl))
    names = ["Châu Thành", *TEAM_NAMES, "Sổ sách đoàn vụ"]

    for user in (w.district_b_cadre, w.outsider):
        client = api(new_key(user))
        listed = client.get(reverse("api:v1_inspections"))
        assert listed.status_code == 200 and body(listed)["ket_qua"] == []
        for route in ("api:v1_inspection", "api:v1_inspection_conclusion",
                      "api:v1_inspection_reflections"):
            response = client.get(reverse(route, args=[concl.session.pk]))
            missing = client.get(reverse(route, args=[999999]))
            assert (response.status_code, missing.status_code) == (404, 404), route
            assert not any(n in _text(response) for n in names), route
        assert not any(n in _text(listed) for n in names)


def test_api1_inspections_reflections_the_head_reads_all_a_member_their_own(
        concl: Concl) -> None:  # noqa: F811
    followup.session_held(actor=concl.ins.head_user, session=concl.session,
                          on=dt.date(2020, 11, 10))
    url = reverse("api:v1_inspection_reflections", args=[concl.session.pk])

    head = body(api(new_key(concl.ins.head_user)).get(url))["ket_qua"]
    member = body(api(new_key(concl.member_user)).get(url))["ket_qua"]
    member_sessions = all_pages(api(new_key(concl.member_user)), reverse("api:v1_inspections"))

    assert [r["ho_ten"] for r in head] == TEAM_NAMES[1:]  # the head writes none
    assert all(r["viec_id"] and r["trang_thai"] == "open" for r in head)
    assert [r["ho_ten"] for r in member] == ["Mai Văn Hiếu"]
    assert [s["id"] for s in member_sessions] == [concl.session.pk]  # a team member's session


@pytest.mark.parametrize(("params", "field"), [
    ({"trang_thai": "xyz"}, "trang_thai"), ({"nam": "abc"}, "nam"), ({"don_vi": "-1"}, "don_vi"),
    ({"sau": "khong-phai-con-tro"}, "sau"), ({"so_dong": "1000"}, "so_dong")])
def test_api1_inspections_refuse_bad_filters_naming_them(
        concl: Concl, params: dict[str, str], field: str) -> None:  # noqa: F811
    response = api(new_key(concl.ins.world.province_secretary)).get(
        reverse("api:v1_inspections"), params)

    assert response.status_code == 400, response.content
    assert list(body(response)["loi"]["truong"]) == [field]


def test_api1_inspections_list_costs_the_same_queries_whatever_its_length(
        concl: Concl) -> None:  # noqa: F811
    client = api(new_key(concl.ins.world.province_secretary))
    url = reverse("api:v1_inspections")
    client.get(url)  # the day's first use of the token is recorded once

    def cost(size: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"so_dong": size})
        assert len(body(response)["ket_qua"]) == size
        return len(queries)

    assert cost(1) == cost(2)
