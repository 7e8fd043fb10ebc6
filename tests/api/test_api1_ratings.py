"""API-1, MEM-7, X-3: members' year-end ratings in the API answer what the rating pages show —
a branch's sheet (every member active in the year, the level, reason, recommendation and rèn
luyện) to those who read the branch, and a unit's roll-up counting only what the reader reads;
404 alike for missing and not yours; a bad year is a 400 naming it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.common.dates import today
from doanvu.members.models import MemberRating, UnitClassification
from doanvu.members.rating import services as rating
from tests.api.conftest import all_pages, api, body, new_key
from tests.members.conftest import MembersWorld, make_member, members_world  # noqa: F401

YEAR = 2024


@pytest.fixture
def rated(members_world: MembersWorld) -> MembersWorld:  # noqa: F811
    """branch_a1 rated for YEAR: An "htt" (recommended, trained), Bích "ht", Đức not rated;
    branch_b1's Đạt "htxs"; commune_a1 classified "htt"."""
    w = members_world.world
    rating.rating_scales_install(issuing_unit=w.centre, years=[YEAR])
    an, bich, _duc = members_world.a1
    rating.training_register_bulk(actor=None, branch=w.branch_a1, year=YEAR, registered=[an.pk])
    rating.member_rate_bulk(actor=None, branch=w.branch_a1, year=YEAR,
                            levels={an.pk: "htt", bich.pk: "ht"}, reason="Biên bản 12/12")
    # stored as a recommendation would be (the service allows it from the top level only,
    # which the caps refuse to a branch of three): this test reads, it does not rate
    MemberRating.objects.filter(membership=an, year=YEAR).update(recommended_to_party=True)
    UnitClassification.objects.create(unit=w.commune_a1, year=YEAR, level="htt")
    return members_world


def test_api1_mem7_branch_ratings_as_the_sheet_shows_them(rated: MembersWorld) -> None:
    w = rated.world
    an, bich, duc = rated.a1
    url = reverse("api:v1_branch_ratings", args=[w.branch_a1.pk])

    for user in (w.branch_secretary, w.district_a_cadre, w.province_secretary):
        rows = all_pages(api(new_key(user)), url, nam=YEAR, so_dong=1)  # a page of one, three pages
        assert [(r["doan_vien_id"], r["muc"], r["thu_bac"]) for r in rows] == [
            (duc.pk, "", None), (an.pk, "htt", 2), (bich.pk, "ht", 3)]  # name order: Lê, Ng, Tr
    by_id = {r["doan_vien_id"]: r for r in rows}
    assert by_id[an.pk] == {
        "doan_vien_id": an.pk, "ho_ten": "Nguyễn Văn An", "la_noi_hien_tai": True,
        "muc": "htt", "muc_ten": "Hoàn thành tốt nhiệm vụ", "thu_bac": 2,
        "nhan_xet": "Biên bản 12/12", "gioi_thieu_uu_tu": True, "ren_luyen": True}
    assert (by_id[bich.pk]["gioi_thieu_uu_tu"], by_id[bich.pk]["ren_luyen"]) == (False, False)
    assert by_id[duc.pk]["muc_ten"] == "" and by_id[duc.pk]["nhan_xet"] == ""
    # another year: the same members, none rated
    other = all_pages(api(new_key(w.branch_secretary)), url, nam=YEAR - 1)
    assert {r["muc"] for r in other} == {""}


def test_api1_mem7_branch_ratings_outsiders_get_404_alike(rated: MembersWorld) -> None:
    w = rated.world
    foreign = reverse("api:v1_branch_ratings", args=[w.branch_b1.pk])
    missing = reverse("api:v1_branch_ratings", args=[w.branch_b1.pk + 10_000])
    not_a_branch = reverse("api:v1_branch_ratings", args=[w.commune_a1.pk])
    answers = [api(new_key(w.branch_secretary)).get(foreign, {"nam": YEAR}),
               api(new_key(w.district_a_cadre)).get(foreign, {"nam": YEAR}),
               api(new_key(w.outsider)).get(foreign, {"nam": YEAR}),
               api(new_key(w.district_a_cadre)).get(missing, {"nam": YEAR}),
               api(new_key(w.district_a_cadre)).get(not_a_branch, {"nam": YEAR})]
    for response in answers:
        assert response.status_code == 404
        assert body(response)["loi"]["ma"] == "khong_tim_thay"
        assert "Phạm Minh Đạt" not in response.content.decode()
    assert [r["ho_ten"] for r in all_pages(api(new_key(w.province_secretary)), foreign,
                                      nam=YEAR)] == ["Phạm Minh Đạt"]


@pytest.mark.parametrize("nam", ["abc", "1999", str(today().year + 1), ""])
def test_api1_mem7_ratings_refuse_a_bad_year_naming_it(rated: MembersWorld, nam: str) -> None:
    w = rated.world
    client = api(new_key(w.province_secretary))
    for url in (reverse("api:v1_branch_ratings", args=[w.branch_a1.pk]),
                reverse("api:v1_unit_rating_rollup", args=[w.province.pk])):
        response = client.get(url, {"nam": nam})
        assert response.status_code == 400, (url, nam)
        assert list(body(response)["loi"]["truong"]) == ["nam"]


def test_api1_mem7_rollup_counts_only_what_the_reader_reads(rated: MembersWorld) -> None:
    w = rated.world
    district = body(api(new_key(w.district_a_cadre)).get(
        reverse("api:v1_unit_rating_rollup", args=[w.district_a.pk]), {"nam": YEAR}))
    row = next(r for r in district["dong"] if r["don_vi_id"] == w.commune_a1.pk)
    counts = {c["muc"]: c["so_luong"] for c in row["theo_muc"]}
    assert (row["doan_vien"], row["da_xep_loai"], row["chua_xep_loai"]) == (3, 2, 1)
    assert counts == {"htxs": 0, "htt": 1, "ht": 1, "khong_ht": 0}
    assert row["xep_loai_don_vi"] == "htt"
    assert [m["muc"] for m in district["muc_doan_vien"]] == ["htxs", "htt", "ht", "khong_ht"]
    assert district["tong"]["doan_vien"] == 3 and district["nam"] == YEAR

    province = body(api(new_key(w.province_secretary)).get(
        reverse("api:v1_unit_rating_rollup", args=[w.province.pk]), {"nam": YEAR}))
    assert {r["don_vi_id"] for r in province["dong"]} >= {w.district_a.pk, w.district_b.pk}
    total = {c["muc"]: c["so_luong"] for c in province["tong"]["theo_muc"]}
    assert (province["tong"]["doan_vien"], total["htt"], total["ht"]) == (4, 1, 1)

    for user, unit in ((w.district_a_cadre, w.province), (w.district_a_cadre, w.district_b),
                       (w.outsider, w.district_a), (w.branch_secretary, w.commune_a1)):
        response = api(new_key(user)).get(
            reverse("api:v1_unit_rating_rollup", args=[unit.pk]), {"nam": YEAR})
        assert response.status_code == 404, (user, unit)
        assert "Tân Biên" not in response.content.decode()


def test_api1_mem7_ratings_queries_do_not_grow_with_the_members(rated: MembersWorld) -> None:
    w = rated.world
    client = api(new_key(w.province_secretary))
    sheet = reverse("api:v1_branch_ratings", args=[w.branch_a1.pk])
    rollup = reverse("api:v1_unit_rating_rollup", args=[w.province.pk])

    def cost() -> tuple[int, int]:
        counts = []
        for url in (sheet, rollup):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, {"nam": YEAR}).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts[0], counts[1]

    cost()  # the token's first use and the scope's caches
    before = cost()
    for i in range(6):
        make_member(w.branch_a1, f"Thêm {i}")
        make_member(w.branch_b1, f"Bổ sung {i}")
    assert cost() == before
