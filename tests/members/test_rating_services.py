"""MEM-7 rating services, roll-up and demo; MEM-8 rèn luyện registration (database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doanvu.accounts.scope import Scope
from doanvu.audit.models import AuditRecord
from doanvu.common.dates import today
from doanvu.members.models import (
    MemberRating,
    Membership,
    RatingScale,
    TrainingRegistration,
    UnitClassification,
)
from doanvu.members.rating import services as rating
from doanvu.org import services as org_services
from tests.conftest import World, kind
from tests.members.conftest import MembersWorld, make_member

YEAR = 2024


def _branch_of(world: World, n: int) -> list[Membership]:
    return [
        make_member(world.branch_a1, f"Đoàn viên {i:02d}", birth=dt.date(2000, 1, 1 + i))
        for i in range(n)
    ]


@pytest.fixture
def scales(members_world: MembersWorld) -> list[RatingScale]:
    return rating.rating_scales_install(issuing_unit=members_world.world.centre, years=[2019, YEAR])


def _train_all(branch: object, year: int = YEAR) -> None:
    members = rating.branch_members(branch=branch, year=year)  # type: ignore[arg-type]
    rating.training_register_bulk(
        actor=None,
        branch=branch,  # type: ignore[arg-type]
        year=year,
        registered=[m.pk for m in members],
    )


def test_mem7_member_rate_refuses_a_cap_breaking_rating_with_reason(
    members_world: MembersWorld, scales: list[RatingScale]
) -> None:
    w = members_world.world
    members = [*members_world.a1, *_branch_of(w, 7)]  # 10 members: at most 2 at the top
    _train_all(w.branch_a1)
    for m in members[:2]:
        rating.member_rate(
            actor=w.branch_secretary,
            membership=m,
            year=YEAR,
            level="htxs",
            reason="Biên bản họp chi đoàn 12/12/2024",
        )
    with pytest.raises(rating.RatingError) as exc:
        rating.member_rate(actor=w.branch_secretary, membership=members[2], year=YEAR, level="htxs")
    assert str(exc.value) == (
        "Vượt tỷ lệ: tối đa 20% đoàn viên được xếp loại Hoàn thành xuất sắc nhiệm vụ (đã có 2/10)"
    )
    assert MemberRating.objects.filter(year=YEAR, level="htxs").count() == 2
    record = AuditRecord.objects.filter(model="members.memberrating").order_by("id").first()
    assert record is not None
    assert record.actor_id == w.branch_secretary.pk
    assert record.reason == (
        "Xếp loại đoàn viên năm 2024: Hoàn thành xuất sắc nhiệm vụ — "
        "Biên bản họp chi đoàn 12/12/2024"
    )


def test_mem7_rating_uses_the_old_scale_for_2019(
    members_world: MembersWorld, scales: list[RatingScale]
) -> None:
    m = members_world.a1[0]
    r = rating.member_rate(actor=None, membership=m, year=2019, level="kha")
    assert r.level == "kha"
    with pytest.raises(rating.RatingError) as exc:
        rating.member_rate(actor=None, membership=m, year=2019, level="htt")
    assert str(exc.value) == "Mức xếp loại “htt” không có trong thang của năm."


def test_mem7_no_scale_for_the_year_is_explained(members_world: MembersWorld) -> None:
    with pytest.raises(rating.RatingError) as exc:
        rating.member_rate(actor=None, membership=members_world.a1[0], year=2023, level="htt")
    assert str(exc.value) == "Chưa có thang xếp loại năm 2023 áp dụng cho Chi đoàn ấp Bình Phong."


def test_mem7_province_scale_overrides_the_centre(
    members_world: MembersWorld, scales: list[RatingScale]
) -> None:
    w = members_world.world
    data = rating.builtin_scales(YEAR)[0]
    RatingScale.objects.create(
        issuing_unit=w.province,
        year=YEAR,
        target="member",
        name="Tây Ninh",
        levels=data["levels"],
        caps={"rules": [{"kind": "max_percent", "level": "htt", "percent": 0}]},
    )
    assert rating.scale_for(unit=w.branch_a1, year=YEAR, target="member").name == "Tây Ninh"
    with pytest.raises(rating.RatingError):
        rating.member_rate(actor=None, membership=members_world.a1[0], year=YEAR, level="htt")


def test_mem7_bulk_sheet_saves_all_or_nothing(
    members_world: MembersWorld, scales: list[RatingScale]
) -> None:
    w = members_world.world
    members = [*members_world.a1, *_branch_of(w, 7)]
    _train_all(w.branch_a1)
    with pytest.raises(rating.RatingError) as exc:
        rating.member_rate_bulk(
            actor=None, branch=w.branch_a1, year=YEAR, levels={m.pk: "htxs" for m in members[:3]}
        )
    assert str(exc.value) == (
        "Vượt tỷ lệ: tối đa 20% đoàn viên được xếp loại Hoàn thành xuất "
        "sắc nhiệm vụ (bảng đang có 3/10, tối đa 2)"
    )
    assert MemberRating.objects.count() == 0
    levels = {m.pk: "htt" for m in members}
    levels.update({members[0].pk: "htxs", members[1].pk: "htxs"})
    result = rating.member_rate_bulk(actor=None, branch=w.branch_a1, year=YEAR, levels=levels)
    assert (result.created, result.changed, result.removed) == (10, 0, 0)
    # swapping who is at the top works in one save, whatever the order
    swap = {members[0].pk: "htt", members[2].pk: "htxs", members[1].pk: None}
    result = rating.member_rate_bulk(actor=None, branch=w.branch_a1, year=YEAR, levels=swap)
    assert (result.created, result.changed, result.removed) == (0, 2, 1)
    assert sorted(
        MemberRating.objects.filter(level="htxs").values_list("membership_id", flat=True)
    ) == [members[2].pk]


def test_mem7_bulk_refuses_members_of_another_branch(
    members_world: MembersWorld, scales: list[RatingScale]
) -> None:
    with pytest.raises(rating.RatingError):
        rating.member_rate_bulk(
            actor=None,
            branch=members_world.world.branch_a1,
            year=YEAR,
            levels={members_world.b1[0].pk: "htt"},
        )


def test_mem7_weak_branch_limits_top_ratings(
    members_world: MembersWorld, scales: list[RatingScale]
) -> None:
    w = members_world.world
    members = [*members_world.a1, *_branch_of(w, 7)]
    _train_all(w.branch_a1)
    rating.unit_classify(actor=w.district_a_cadre, unit=w.branch_a1, year=YEAR, level="ht")
    rating.member_rate(actor=None, membership=members[0], year=YEAR, level="htxs")
    with pytest.raises(rating.RatingError) as exc:
        rating.member_rate(actor=None, membership=members[1], year=YEAR, level="htxs")
    assert str(exc.value).endswith(
        "(đã có 1/10), vì đơn vị chỉ được xếp loại Hoàn thành nhiệm "
        "vụ — thấp hơn Hoàn thành tốt nhiệm vụ"
    )


def test_mem7_unit_classify_caps_count_sibling_branches(
    members_world: MembersWorld, scales: list[RatingScale]
) -> None:
    w = members_world.world
    c = rating.unit_classify(actor=None, unit=w.branch_a1, year=YEAR, level="htt")
    assert c.level == "htt"
    # the only branch of the commune: 20% of 1 is 0 at the top
    with pytest.raises(rating.RatingError) as exc:
        rating.unit_classify(actor=None, unit=w.branch_a1, year=YEAR, level="htxs")
    assert str(exc.value) == (
        "Vượt tỷ lệ: tối đa 20% chi đoàn được xếp loại Hoàn thành xuất sắc nhiệm vụ (đã có 0/1)"
    )
    grassroots = rating.unit_classify(actor=None, unit=w.commune_a1, year=2019, level="vung_manh")
    assert grassroots.level == "vung_manh"
    with pytest.raises(rating.RatingError):
        rating.unit_classify(actor=None, unit=w.district_a, year=YEAR, level="htt")
    assert UnitClassification.objects.count() == 2


def test_mem7_recommend_to_party_only_from_top_level(
    members_world: MembersWorld, scales: list[RatingScale]
) -> None:
    w = members_world.world
    top, good = members_world.a1[0], members_world.a1[1]
    _train_all(w.branch_a1)
    members = _branch_of(w, 7)
    assert len(members) == 7
    rating.member_rate(actor=None, membership=top, year=YEAR, level="htxs")
    rating.member_rate(actor=None, membership=good, year=YEAR, level="htt")
    r = rating.member_recommend_to_party(actor=None, membership=top, year=YEAR)
    assert r.recommended_to_party is True
    with pytest.raises(rating.RatingError) as exc:
        rating.member_recommend_to_party(actor=None, membership=good, year=YEAR)
    assert str(exc.value) == (
        "Chỉ đoàn viên được xếp loại “Hoàn thành xuất sắc nhiệm vụ” năm "
        "2024 mới được giới thiệu là đoàn viên ưu tú cho Đảng xem xét kết "
        "nạp."
    )
    # lowering the rating withdraws the recommendation
    rating.member_rate(actor=None, membership=top, year=YEAR, level="htt")
    assert MemberRating.objects.get(membership=top, year=YEAR).recommended_to_party is False


def test_mem7_rollup_counts_per_level_per_unit(
    members_world: MembersWorld, scales: list[RatingScale]
) -> None:
    w = members_world.world
    a2 = org_services.unit_create(
        actor=None,
        parent=w.commune_a2,
        name="Chi đoàn ấp Hảo Hiệp",
        kind=kind("chi_doan"),
        founded_on=dt.date(2017, 1, 1),
    )
    extra = [make_member(a2, f"Hảo {i}") for i in range(5)]
    rating.member_rate(actor=None, membership=members_world.a1[0], year=YEAR, level="htt")
    rating.member_rate(actor=None, membership=members_world.a1[1], year=YEAR, level="ht")
    rating.member_rate(actor=None, membership=extra[0], year=YEAR, level="htt")
    rating.member_rate(actor=None, membership=members_world.b1[0], year=YEAR, level="htt")
    scope = Scope.for_user(w.district_a_cadre)
    with CaptureQueriesContext(connection) as ctx:
        rollup = rating.rating_rollup(scope=scope, unit=w.district_a, year=YEAR)
    assert len(ctx.captured_queries) <= 6
    rows = {r.unit.name: (r.members, r.counts) for r in rollup.rows}
    assert rows == {
        "Đoàn xã Hảo Đước": (5, {"htt": 1}),
        "Đoàn xã Thái Bình": (3, {"htt": 1, "ht": 1}),
    }
    assert (rollup.total.members, rollup.total.counts) == (8, {"htt": 2, "ht": 1})
    branch_rollup = rating.rating_rollup(scope=scope, unit=w.branch_a1, year=YEAR)
    assert [(r.unit.pk, r.unrated) for r in branch_rollup.rows] == [(w.branch_a1.pk, 1)]


def test_mem8_bulk_registration_and_result(members_world: MembersWorld) -> None:
    w = members_world.world
    a, b, c = members_world.a1
    out = rating.training_register_bulk(
        actor=w.branch_secretary,
        branch=w.branch_a1,
        year=YEAR,
        registered=[a.pk, b.pk],
        on=dt.date(2024, 3, 26),
    )
    assert (out.created, out.changed, out.removed) == (2, 0, 0)
    out = rating.training_register_bulk(
        actor=None,
        branch=w.branch_a1,
        year=YEAR,
        registered=[a.pk, c.pk],
        results={a.pk: "Hoàn thành tốt"},
    )
    assert (out.created, out.changed, out.removed) == (1, 1, 1)
    assert dict(TrainingRegistration.objects.values_list("membership_id", "result")) == {
        a.pk: "Hoàn thành tốt",
        c.pk: "",
    }
    scope = Scope.for_user(w.province_secretary)
    share = rating.training_share(scope=scope, unit=w.province, year=YEAR)
    assert [(r.unit.name, r.members, r.count, r.percent) for r in share] == [
        ("Chi đoàn ấp Bình Phong", 3, 2, 67),
        ("Chi đoàn ấp Tân Đông", 1, 0, 0),
    ]
    with pytest.raises(rating.RatingError):
        rating.training_register_bulk(
            actor=None, branch=w.branch_a1, year=YEAR, registered=[members_world.b1[0].pk]
        )


def test_mem8_unregistered_member_cannot_reach_the_top(
    members_world: MembersWorld, scales: list[RatingScale]
) -> None:
    with pytest.raises(rating.RatingError) as exc:
        rating.member_rate(actor=None, membership=members_world.a1[0], year=YEAR, level="htxs")
    assert "Chưa đăng ký Chương trình rèn luyện đoàn viên" in str(exc.value)


def test_mem7_demo_ratings_rate_within_caps(members_world: MembersWorld) -> None:
    written = rating.load_demo_ratings()
    years = [y for y in range(2019, 2026) if y <= today().year]
    assert written == 4 * len(years)  # 3 + 1 members every year
    assert RatingScale.objects.filter(year__in=years).count() == 3 * len(years)
    assert set(MemberRating.objects.filter(year=2019).values_list("level", flat=True)) <= {
        "xuat_sac",
        "kha",
        "trung_binh",
        "yeu",
    }
    assert set(MemberRating.objects.filter(year=2025).values_list("level", flat=True)) <= {
        "htxs",
        "htt",
        "ht",
        "khong_ht",
    }
    assert MemberRating.objects.filter(level__in=["htxs", "xuat_sac"]).count() == 0
    assert rating.load_demo_ratings() == 0  # idempotent


def test_mem7_demo_ratings_noop_without_members(world: World) -> None:
    assert rating.load_demo_ratings() == 0
    assert RatingScale.objects.count() == 0
