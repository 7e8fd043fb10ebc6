"""MEM-7 / MEM-8 pages: rating sheet, roll-up with classification, rèn luyện sheet, targets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doanvu.common.dates import today
from doanvu.members.models import MemberRating, TrainingRegistration, UnitClassification
from doanvu.members.rating import services as rating
from tests.conftest import login
from tests.members.conftest import MembersWorld, make_member

YEAR = 2024


@pytest.fixture
def rated_world(members_world: MembersWorld) -> MembersWorld:
    rating.rating_scales_install(issuing_unit=members_world.world.centre, years=[2019, YEAR])
    return members_world


def _sheet(w: object, year: int = YEAR) -> str:
    return f"/chi-doan/{w.branch_a1.pk}/xep-loai/{year}/"  # type: ignore[attr-defined]


def test_mem7_rating_sheet_saves_and_shows_caps(rated_world: MembersWorld) -> None:
    w = rated_world.world
    an, bich, duc = rated_world.a1
    client = login(w.branch_secretary)
    page = client.get(_sheet(w))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tối đa 20% đoàn viên được xếp loại Hoàn thành xuất sắc nhiệm vụ." in body
    assert body.count('<select name="level_') == 3
    r = client.post(
        _sheet(w),
        {
            f"level_{an.pk}": "htt",
            f"level_{bich.pk}": "ht",
            f"level_{duc.pk}": "",
            "reason": "Biên bản 12/12",
        },
    )
    assert r.status_code == 302
    assert dict(MemberRating.objects.values_list("membership_id", "level")) == {
        an.pk: "htt",
        bich.pk: "ht",
    }
    refused = client.post(_sheet(w), {f"level_{an.pk}": "htxs"})
    assert refused.status_code == 400
    assert (
        "Vượt tỷ lệ: tối đa 20% đoàn viên được xếp loại Hoàn thành xuất sắc nhiệm vụ "
        "(bảng đang có 1/3, tối đa 0)"
    ) in refused.content.decode()
    assert MemberRating.objects.get(membership=an).level == "htt"


def test_mem7_rating_sheet_query_count_does_not_grow(rated_world: MembersWorld) -> None:
    w = rated_world.world
    client = login(w.branch_secretary)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_sheet(w)).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(25):
        m = make_member(w.branch_a1, f"Thêm {i}")
        MemberRating.objects.create(membership=m, year=YEAR, level="htt")
    assert count() == few


def test_mem7_rollup_page_and_classification(rated_world: MembersWorld) -> None:
    w = rated_world.world
    MemberRating.objects.create(membership=rated_world.a1[0], year=YEAR, level="htt")
    client = login(w.district_a_cadre)
    url = f"/don-vi/{w.commune_a1.pk}/xep-loai/{YEAR}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Chi đoàn ấp Bình Phong" in page.content.decode()
    r = client.post(url, {"unit": w.branch_a1.pk, "level": "htt"})
    assert r.status_code == 302
    assert UnitClassification.objects.get().level == "htt"
    bad = client.post(url, {"unit": w.branch_a1.pk, "level": "htxs"})
    assert bad.status_code == 400
    assert "Vượt tỷ lệ: tối đa 20% chi đoàn" in bad.content.decode()
    # the branch's secretary cannot classify its own branch (it does not write the commune)
    secretary = login(w.branch_secretary)
    assert secretary.post(url, {"unit": w.branch_a1.pk, "level": "ht"}).status_code == 404
    # a unit that is not a direct sub-unit is refused
    far = client.post(
        f"/don-vi/{w.district_a.pk}/xep-loai/{YEAR}/", {"unit": w.branch_a1.pk, "level": "ht"}
    )
    assert far.status_code == 404
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/don-vi/{w.province.pk}/xep-loai/{YEAR}/")
    assert len(ctx.captured_queries) <= 14


def test_mem8_training_sheet_one_save(rated_world: MembersWorld) -> None:
    w = rated_world.world
    an, bich, duc = rated_world.a1
    client = login(w.branch_secretary)
    url = f"/chi-doan/{w.branch_a1.pk}/ren-luyen/{YEAR}/"
    r = client.post(
        url, {"registered": [an.pk, duc.pk, "junk", 999999], f"result_{an.pk}": "Hoàn thành tốt"}
    )
    assert r.status_code == 302
    assert dict(TrainingRegistration.objects.values_list("membership_id", "result")) == {
        an.pk: "Hoàn thành tốt",
        duc.pk: "",
    }
    page = client.get(url)
    assert "2/3 đoàn viên (67%)" in page.content.decode()
    targets = login(w.district_a_cadre).get(f"/don-vi/{w.district_a.pk}/chi-tieu-doan-vien/{YEAR}/")
    assert targets.status_code == 200
    assert "2/3 đoàn viên đăng ký rèn luyện" in targets.content.decode()
    assert bich.pk not in TrainingRegistration.objects.values_list("membership_id", flat=True)


def test_mem7_mem8_pages_outsiders_get_404(rated_world: MembersWorld) -> None:
    w = rated_world.world
    an = rated_world.a1[0]
    urls = [
        _sheet(w),
        f"/don-vi/{w.branch_a1.pk}/xep-loai/{YEAR}/",
        f"/chi-doan/{w.branch_a1.pk}/ren-luyen/{YEAR}/",
        f"/don-vi/{w.branch_a1.pk}/chi-tieu-doan-vien/{YEAR}/",
    ]
    for user in (w.outsider, w.district_b_cadre):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(
                url,
                {
                    f"level_{an.pk}": "htt",
                    "registered": [an.pk],
                    "unit": w.branch_a1.pk,
                    "level": "htt",
                },
            ).status_code in (404, 405), url
    assert MemberRating.objects.count() == 0
    assert TrainingRegistration.objects.count() == 0
    # junk years and units that are not branches
    client = login(w.branch_secretary)
    assert client.get(f"/chi-doan/{w.branch_a1.pk}/xep-loai/1800/").status_code == 404
    assert client.get(f"/chi-doan/{w.branch_a1.pk}/xep-loai/99999999999999/").status_code == 404
    assert (
        login(w.district_a_cadre).get(f"/chi-doan/{w.commune_a1.pk}/xep-loai/{YEAR}/").status_code
        == 404
    )
    # a reader without write sees the sheet but cannot save it
    reader = login(w.district_b_cadre)
    assert reader.get(f"/chi-doan/{w.branch_b1.pk}/xep-loai/{YEAR}/").status_code == 200


def test_mem7_recommend_from_the_sheet(rated_world: MembersWorld) -> None:
    w = rated_world.world
    for i in range(7):
        make_member(w.branch_a1, f"Thêm {i}")
    an = rated_world.a1[0]
    rating.training_register_bulk(
        actor=None, branch=w.branch_a1, year=YEAR, registered=[an.pk], on=dt.date(2024, 3, 1)
    )
    rating.member_rate(actor=None, membership=an, year=YEAR, level="htxs")
    client = login(w.branch_secretary)
    r = client.post(_sheet(w), {"action": "recommend", "member": an.pk, "recommend": "1"})
    assert r.status_code == 302
    assert MemberRating.objects.get(membership=an).recommended_to_party is True
    junk = client.post(_sheet(w), {"action": "recommend", "member": "x", "recommend": "1"})
    assert junk.status_code == 404


MY_ROUTES = {
    "members:rating_sheet": ("pk", "year"),
    "members:rating_rollup": ("pk", "year"),
    "members:training_sheet": ("pk", "year"),
    "members:rating_targets": ("pk", "year"),
    "members:referral_list": ("pk",),
    "members:referral_outcome": ("pk",),
    "members:ghost_report": ("pk",),
    "members:ghost_merge": ("pk",),
    "members:ghost_propose": ("pk",),
    "members:structure_advice": ("pk",),
    "members:structure_merge": ("pk", "target"),
}


def test_mem7_to_mem11_junk_ids_never_fail(rated_world: MembersWorld) -> None:
    """Our own sweep of MEM-7 … MEM-11 URLs (tests/test_url_sweep.py sweeps everything)."""
    from django.urls import reverse

    w = rated_world.world
    ids = [w.branch_b1.pk, w.district_b.pk, 999999, 0, 2**64]
    years = [YEAR, 0, 1800, 2**64]
    client = login(w.branch_secretary)
    for name, params in MY_ROUTES.items():
        for pk in ids:
            for second in years if "year" in params else ids if "target" in params else [None]:
                kwargs: dict[str, object] = {"pk": pk}
                if "year" in params:
                    kwargs["year"] = second
                if "target" in params:
                    kwargs["target"] = second
                url = reverse(name, kwargs=kwargs)
                for response in (
                    client.get(url),
                    client.post(
                        url,
                        {
                            "keep": "x",
                            "drop": 2**70,
                            "member": "' OR 1=1",
                            "unit": "ằ",
                            "level": "<script>",
                            "registered": ["..", "%00"],
                            "outcome": "x",
                        },
                    ),
                ):
                    assert response.status_code in {302, 400, 403, 404, 405}, (
                        url,
                        response.status_code,
                    )
                    assert "Tân Đông" not in response.content.decode(), url


def test_mem7_sheet_post_leaves_rows_it_did_not_show(rated_world: MembersWorld) -> None:
    w = rated_world.world
    an, bich, _ = rated_world.a1
    MemberRating.objects.create(membership=bich, year=YEAR, level="ht")
    client = login(w.branch_secretary)
    assert client.post(_sheet(w), {f"level_{an.pk}": "htt"}).status_code == 302
    assert dict(MemberRating.objects.values_list("membership_id", "level")) == {
        an.pk: "htt",
        bich.pk: "ht",
    }


def test_sec8_rating_forms_with_a_year_out_of_range_write_nothing(rated_world: MembersWorld
                                                                  ) -> None:
    """The year of /xep-loai/<year>/ is never replaced by a default: out of range is a 404."""
    w = rated_world.world
    an = rated_world.a1[0]
    client = login(w.district_a_cadre)
    statuses = []
    for year in (1800, today().year + 2, 99999):
        statuses.append(client.post(_sheet(w, year), {f"level_{an.pk}": "htt"}).status_code)
        statuses.append(client.post(f"/don-vi/{w.commune_a1.pk}/xep-loai/{year}/",
                                    {"unit": w.branch_a1.pk, "level": "htt"}).status_code)
        statuses.append(client.post(f"/chi-doan/{w.branch_a1.pk}/ren-luyen/{year}/",
                                    {"registered": [an.pk]}).status_code)

    assert statuses == [404] * 9
    assert (MemberRating.objects.count(), UnitClassification.objects.count(),
            TrainingRegistration.objects.count()) == (0, 0, 0)
