"""API-1, X-3, EMU-2, EMU-4: the emulation endpoints answer what the pages show — the issuing
unit reads its rubrics and their ranking (drafts included, as its ranking page lists them); an
evaluated unit reads its own sheet with its line of the published ranking, never the table nor
another unit's sheet; a user of no unit reads nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.emulation import ranking
from doanvu.emulation.models import LineSource, ScoreLine
from tests.api.conftest import all_pages, api, body, new_key
from tests.emulation.conftest import (  # noqa: F401
    Published,
    SheetWorld,
    emu,
    published,
    sheets,
)

B_NAMES = ["Huyện đoàn Tân Biên", "Tân Biên"]


def _text(response: Any) -> str:
    return response.content.decode()


def test_api1_emulation_issuing_unit_reads_rubrics_sheets_and_the_ranking(
        published: Published) -> None:  # noqa: F811
    sw = published.sw
    w = sw.emu.world
    rubric = sw.emu.rubric
    client = api(new_key(w.province_secretary))

    rubrics = all_pages(client, reverse("api:v1_rubrics"), nam=2020)
    detail = body(client.get(reverse("api:v1_rubric", args=[rubric.pk])))
    sheets_ = all_pages(client, reverse("api:v1_sheets"), ky=rubric.pk, so_dong=1)
    table = all_pages(client, reverse("api:v1_ranking", args=[rubric.pk]), so_dong=1)

    assert [r["id"] for r in rubrics] == [rubric.pk]
    assert rubrics[0]["don_vi_ban_hanh_id"] == w.province.pk
    assert [c["ma"] for c in detail["tieu_chi"]] == ["1.1", "1.2", "2.1", "2.2"]
    assert [(s["id"], s["trang_thai"]) for s in detail["bang_xep_hang"]] == [
        (published.snapshot.pk, "cong_bo")]
    assert {s["id"] for s in sheets_} == {sw.sheet_a.pk, sw.sheet_b.pk}  # two pages of one
    assert [e["don_vi_id"] for e in table] == [w.district_a.pk, w.district_b.pk]
    assert [e["vi_tri"] for e in table] == [1, 2]
    assert table[0]["xep_loai"] and table[0]["bang_trang_thai"] == "cong_bo"
    assert all(e["bang_id"] == published.snapshot.pk for e in table)


def test_api1_emulation_a_draft_ranking_only_where_the_ranking_page_shows_it(
        published: Published) -> None:  # noqa: F811
    """A recompute is a draft: the issuing unit reads it by ?bang= (its ranking page lists it),
    the default stays the published table, and the evaluated unit's sheet shows only its line
    of the published one."""
    sw = published.sw
    w = sw.emu.world
    draft = ranking.ranking_compute(actor=w.province_secretary, rubric=sw.emu.rubric)
    province = api(new_key(w.province_secretary))
    district = api(new_key(w.district_a_cadre))

    default = body(province.get(reverse("api:v1_ranking", args=[sw.emu.rubric.pk])))
    chosen = body(province.get(reverse("api:v1_ranking", args=[sw.emu.rubric.pk]),
                               {"bang": draft.pk}))
    own_sheet = body(district.get(reverse("api:v1_sheet", args=[sw.sheet_a.pk])))
    district_draft = district.get(reverse("api:v1_ranking", args=[sw.emu.rubric.pk]),
                                  {"bang": draft.pk})

    assert {e["bang_id"] for e in default["ket_qua"]} == {published.snapshot.pk}
    assert {e["bang_trang_thai"] for e in chosen["ket_qua"]} == {"nhap"}
    assert own_sheet["xep_hang"]["bang_id"] == published.snapshot.pk
    assert district_draft.status_code == 404


def test_api1_emulation_before_publication_the_unit_sees_no_line(sheets: SheetWorld) -> None:  # noqa: F811
    w = sheets.emu.world
    ranking.ranking_compute(actor=w.province_secretary, rubric=sheets.emu.rubric)
    client = api(new_key(w.district_a_cadre))
    province = api(new_key(w.province_secretary))

    own = body(client.get(reverse("api:v1_sheet", args=[sheets.sheet_a.pk])))
    table = body(province.get(reverse("api:v1_ranking", args=[sheets.emu.rubric.pk])))

    assert own["xep_hang"] is None
    assert table == {"ket_qua": [], "trang_sau": None}  # nothing published yet


def test_api1_emulation_a_unit_reads_its_own_sheet_with_who_scored_and_nothing_else(
        published: Published) -> None:  # noqa: F811
    sw = published.sw
    w = sw.emu.world
    ScoreLine.objects.filter(sheet=sw.sheet_a, criterion__code="1.1",
                             source=LineSource.DEPARTMENT).update(by=sw.tckt_scorer)
    client = api(new_key(w.district_a_cadre))

    sheets_ = all_pages(client, reverse("api:v1_sheets"))
    own = client.get(reverse("api:v1_sheet", args=[sw.sheet_a.pk]))
    foreign = client.get(reverse("api:v1_sheet", args=[sw.sheet_b.pk]))
    missing = client.get(reverse("api:v1_sheet", args=[999999]))
    rubrics = all_pages(client, reverse("api:v1_rubrics"))
    rubric = client.get(reverse("api:v1_rubric", args=[sw.emu.rubric.pk]))
    table = client.get(reverse("api:v1_ranking", args=[sw.emu.rubric.pk]))
    filtered = all_pages(client, reverse("api:v1_sheets"), don_vi=w.district_b.pk)

    assert [s["id"] for s in sheets_] == [sw.sheet_a.pk]
    data = body(own)
    assert data["trang_thai"] == "chinh_thuc" and data["don_vi_id"] == w.district_a.pk
    c11 = next(c for c in data["tieu_chi"] if c["ma"] == "1.1")
    assert c11["tu_cham"]["diem"] == "6.00" and c11["ban_cham"]["diem"] == "5.50"
    assert c11["ban_cham"]["nguoi_cham"] == "chamdiem_tckt"
    assert [a["diem"] for a in c11["dieu_chinh"]] == ["-0.50"]
    assert c11["diem"] == "5.00"
    assert data["xep_hang"]["hang"] == 1 and data["xep_hang"]["xep_loai"]
    assert [e["ma"] for e in data["thuong_tru"]] == ["T1"]
    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert body(foreign) == body(missing)
    assert rubrics == [] and filtered == []
    assert (rubric.status_code, table.status_code) == (404, 404)
    for response in (own, foreign, rubric, table):
        assert not any(n in _text(response) for n in B_NAMES)


def test_api1_emulation_outsider_reads_nothing(published: Published) -> None:  # noqa: F811
    sw = published.sw
    w = sw.emu.world
    client = api(new_key(w.outsider))
    names = ["Châu Thành", "Tân Biên", "Tây Ninh", "Thang điểm thi đua"]

    for url in (reverse("api:v1_rubrics"), reverse("api:v1_sheets")):
        response = client.get(url)
        assert response.status_code == 200 and body(response)["ket_qua"] == [], url
        assert not any(n in _text(response) for n in names)
    for url in (reverse("api:v1_rubric", args=[sw.emu.rubric.pk]),
                reverse("api:v1_ranking", args=[sw.emu.rubric.pk]),
                reverse("api:v1_sheet", args=[sw.sheet_a.pk])):
        response = client.get(url)
        assert response.status_code == 404, url
        assert not any(n in _text(response) for n in names)


@pytest.mark.parametrize(("route", "params", "field"), [
    ("api:v1_rubrics", {"trang_thai": "xyz"}, "trang_thai"),
    ("api:v1_rubrics", {"nam": "hai nghìn"}, "nam"),
    ("api:v1_rubrics", {"don_vi": "0"}, "don_vi"),
    ("api:v1_sheets", {"trang_thai": "xyz"}, "trang_thai"),
    ("api:v1_sheets", {"ky": "abc"}, "ky"),
    ("api:v1_sheets", {"sau": "khong-phai-con-tro"}, "sau"),
    ("api:v1_sheets", {"so_dong": "0"}, "so_dong"),
    ("api:v1_ranking", {"bang": "abc"}, "bang"),
    ("api:v1_ranking", {"sau": "WzFd"}, "sau"),  # [1]: one value where two are kept
])
def test_api1_emulation_refuses_bad_filters_naming_them(
        published: Published, route: str, params: dict[str, str],  # noqa: F811
        field: str) -> None:
    w = published.sw.emu.world
    args = [published.sw.emu.rubric.pk] if route == "api:v1_ranking" else []
    response = api(new_key(w.province_secretary)).get(reverse(route, args=args), params)

    assert response.status_code == 400, response.content
    assert list(body(response)["loi"]["truong"]) == [field]


def test_api1_emulation_a_snapshot_of_another_rubric_is_refused(published: Published,  # noqa: F811
                                                                ) -> None:
    from tests.emulation.conftest import build_rubric

    sw = published.sw
    w = sw.emu.world
    other = build_rubric(w, sw.emu.group, year=2021)
    response = api(new_key(w.province_secretary)).get(
        reverse("api:v1_ranking", args=[other.pk]), {"bang": published.snapshot.pk})

    assert response.status_code == 400 and list(body(response)["loi"]["truong"]) == ["bang"]


def test_api1_emulation_lists_cost_the_same_queries_whatever_their_length(
        published: Published) -> None:  # noqa: F811
    """No query per row: a page of one and a page of two cost the same."""
    sw = published.sw
    client = api(new_key(sw.emu.world.province_secretary))
    urls = [reverse("api:v1_sheets"), reverse("api:v1_ranking", args=[sw.emu.rubric.pk])]
    client.get(urls[0])  # the day's first use of the token is recorded once

    def cost(size: int) -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"so_dong": size})
            assert len(body(response)["ket_qua"]) == size
            counts.append(len(queries))
        return counts

    assert cost(1) == cost(2)


# -- the grassroots unions' classification (members.api.grassroots_results) ----------------------


def test_api1_grassroots_classification_keeps_to_the_scope(world: Any) -> None:
    from doanvu.members.models import UnitClassification
    from doanvu.members.rating.services import rating_scales_install

    w = world
    rating_scales_install(issuing_unit=w.centre, years=[2019])
    for unit, level in ((w.commune_a1, "kha"), (w.commune_a2, "vung_manh"),
                        (w.commune_b1, "vung_manh")):
        UnitClassification.objects.create(unit=unit, year=2019, level=level)
    district = api(new_key(w.district_a_cadre))
    province = api(new_key(w.province_secretary))
    url = reverse("api:v1_grassroots_classification")

    own = all_pages(district, url, don_vi=w.district_a.pk, nam=2019, so_dong=1)
    everything = all_pages(province, url, don_vi=w.province.pk, nam=2019)
    foreign = district.get(url, {"don_vi": w.district_b.pk, "nam": 2019})
    outsider = api(new_key(w.outsider)).get(url, {"don_vi": w.province.pk, "nam": 2019})
    missing = district.get(url)

    assert [(r["don_vi_id"], r["muc"], r["thu_bac"]) for r in own] == [
        (w.commune_a2.pk, "vung_manh", 1), (w.commune_a1.pk, "kha", 2)]  # two pages of one
    assert own[0]["muc_ten"] and own[0]["muc_ten"] != "vung_manh"
    assert {r["don_vi_id"] for r in everything} == {w.commune_a1.pk, w.commune_a2.pk,
                                                    w.commune_b1.pk}
    for response in (foreign, outsider):
        assert response.status_code == 400
        assert list(body(response)["loi"]["truong"]) == ["don_vi"]
        assert "Tân Lập" not in _text(response) and "Tân Biên" not in _text(response)
    assert missing.status_code == 400
    assert sorted(body(missing)["loi"]["truong"]) == ["don_vi", "nam"]
