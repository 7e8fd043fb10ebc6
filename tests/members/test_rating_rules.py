"""MEM-7 caps as pure rules: exact reasons and a hypothesis property (no ORM)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doanvu.members.rating import rules
from doanvu.members.rating.services import builtin_scales

NEW = builtin_scales(2021)
MEMBER_2021 = rules.scale_from_data(NEW[0]["levels"], NEW[0]["caps"])
CODES = [lv.code for lv in MEMBER_2021.levels]


def test_mem7_cap_refuses_seventh_top_rating_of_thirty_with_reason() -> None:
    tally = rules.Tally(population=30, counts={"htxs": 6, "htt": 10})
    decision = rules.check_change(MEMBER_2021, tally, new="htxs", trained=True)
    assert decision.allowed is False
    assert decision.reason == (
        "Vượt tỷ lệ: tối đa 20% đoàn viên được xếp loại Hoàn thành xuất sắc nhiệm vụ (đã có 6/30)"
    )


def test_mem7_cap_allows_sixth_top_rating_of_thirty() -> None:
    tally = rules.Tally(population=30, counts={"htxs": 5})
    assert rules.check_change(MEMBER_2021, tally, new="htxs", trained=True).allowed is True


def test_mem7_weak_branch_caps_top_ratings_lower() -> None:
    tally = rules.Tally(population=30, counts={"htxs": 3})
    decision = rules.check_change(MEMBER_2021, tally, new="htxs", unit_level="ht", trained=True)
    assert decision.allowed is False
    assert decision.reason == (
        "Vượt tỷ lệ: tối đa 10% đoàn viên được xếp loại Hoàn thành xuất sắc nhiệm vụ "
        "(đã có 3/30), vì đơn vị chỉ được xếp loại Hoàn thành nhiệm vụ — thấp hơn Hoàn thành "
        "tốt nhiệm vụ"
    )
    assert (
        rules.check_change(MEMBER_2021, tally, new="htxs", unit_level="htt", trained=True).allowed
        is True
    )


def test_mem7_top_level_needs_ren_luyen_registration() -> None:
    decision = rules.check_change(MEMBER_2021, rules.Tally(30, {}), new="htxs", trained=False)
    assert decision.reasons == (
        "Chưa đăng ký Chương trình rèn luyện đoàn viên trong năm nên "
        "không thể xếp loại Hoàn thành xuất sắc nhiệm vụ",
    )
    assert (
        rules.check_change(MEMBER_2021, rules.Tally(30, {}), new="htt", trained=False).allowed
        is True
    )


def test_mem7_downgrade_is_allowed_when_cap_already_broken() -> None:
    tally = rules.Tally(population=10, counts={"htxs": 5})  # members left since
    assert rules.check_change(MEMBER_2021, tally, new="htt", old="htxs").allowed is True
    assert rules.check_change(MEMBER_2021, tally, new="htxs", old="htxs").allowed is True


def test_mem7_share_of_a_level_or_better_and_shorthand() -> None:
    scale = rules.scale_from_data(
        NEW[0]["levels"], {"htxs": {"max_share": 0.2, "of": "htt_or_better"}}
    )
    assert scale.caps == (
        rules.Cap(kind="max_percent", level="htxs", percent=20, of="htt_or_better"),
    )
    # 1 top of 5 at htt-or-better is 20%: a second top would make 2 of 6 > ⌊1.2⌋
    tally = rules.Tally(population=40, counts={"htxs": 1, "htt": 4})
    decision = rules.check_change(scale, tally, new="htxs")
    assert decision.reason == (
        "Vượt tỷ lệ: tối đa 20% đoàn viên xếp loại Hoàn thành tốt nhiệm "
        "vụ trở lên được xếp loại Hoàn thành xuất sắc nhiệm vụ (đã có 1/5)"
    )
    # lowering an htt member shrinks the base below what the top rating needs
    small = rules.Tally(population=40, counts={"htxs": 1, "htt": 4})
    assert rules.check_change(scale, small, new="ht", old="htt").allowed is False


def test_mem7_unknown_level_and_bad_caps_are_refused() -> None:
    assert rules.check_change(MEMBER_2021, rules.Tally(3, {}), new="kha").reasons == (
        "Mức xếp loại “kha” không có trong thang của năm.",
    )
    with pytest.raises(rules.ScaleDataError):
        rules.scale_from_data(
            NEW[0]["levels"], {"rules": [{"kind": "max_percent", "level": "nope", "percent": 5}]}
        )
    with pytest.raises(rules.ScaleDataError):
        rules.scale_from_data([], {})


def test_mem7_old_scales_before_2020() -> None:
    member, branch, grassroots = builtin_scales(2019)
    assert [lv["name"] for lv in member["levels"]] == ["Xuất sắc", "Khá", "Trung bình", "Yếu"]
    assert [lv["name"] for lv in branch["levels"]] == ["Vững mạnh", "Khá", "Trung bình", "Yếu"]
    assert grassroots["levels"] == branch["levels"]
    new = builtin_scales(2020)
    assert [lv["name"] for lv in new[0]["levels"]] == [
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    ]
    assert new[0]["levels"] == new[1]["levels"] == new[2]["levels"]


def test_mem7_bulk_sheet_checked_as_a_whole() -> None:
    ok = rules.check_distribution(MEMBER_2021, 10, ["htxs", "htxs", "htt", None])
    assert ok.allowed is True
    bad = rules.check_distribution(MEMBER_2021, 10, ["htxs", "htxs", "htxs"])
    assert bad.reasons == (
        "Vượt tỷ lệ: tối đa 20% đoàn viên được xếp loại Hoàn thành xuất sắc "
        "nhiệm vụ (bảng đang có 3/10, tối đa 2)",
    )


def test_mem7_recommend_only_from_top_level() -> None:
    assert rules.may_recommend_to_party(MEMBER_2021, "htxs") is True
    assert rules.may_recommend_to_party(MEMBER_2021, "htt") is False
    assert rules.may_recommend_to_party(MEMBER_2021, None) is False


CAP_RULES = st.lists(
    st.one_of(
        st.builds(
            lambda lv, p, ob, of: {
                "kind": "max_percent",
                "level": lv,
                "percent": p,
                "or_better": ob,
                "of": of,
            },
            st.sampled_from(CODES),
            st.integers(0, 100),
            st.booleans(),
            st.sampled_from(["population", "rated", "htt_or_better", "ht"]),
        ),
        st.builds(
            lambda lv, p, below: {
                "kind": "max_percent_if_unit_below",
                "level": lv,
                "percent": p,
                "unit_below": below,
            },
            st.sampled_from(CODES),
            st.integers(0, 100),
            st.sampled_from(CODES),
        ),
    ),
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(
    caps=CAP_RULES,
    population=st.integers(1, 60),
    changes=st.lists(st.tuples(st.integers(0, 59), st.sampled_from(CODES)), max_size=80),
    unit_level=st.sampled_from([*CODES, None]),
)
def test_mem7_allowed_changes_never_break_a_cap(
    caps: list[dict[str, object]],
    population: int,
    changes: list[tuple[int, str]],
    unit_level: str | None,
) -> None:
    """Starting from an empty sheet, applying only the changes the rules allow always ends
    in a sheet that the whole-sheet check accepts — whatever the caps and the order."""
    scale = rules.scale_from_data(NEW[0]["levels"], {"rules": caps})
    sheet: dict[int, str] = {}
    for who, new in changes:
        who %= population
        old = sheet.get(who)
        tally = rules.Tally(
            population, {c: sum(1 for v in sheet.values() if v == c) for c in CODES}
        )
        decision = rules.check_change(scale, tally, new=new, old=old, unit_level=unit_level)
        if decision.allowed:
            sheet[who] = new
        else:
            assert decision.reasons and all(r for r in decision.reasons)
    final = rules.check_distribution(scale, population, sheet.values(), unit_level=unit_level)
    assert final.allowed is True, final.reason


@given(percent=st.integers(0, 100), base=st.integers(0, 10_000))
def test_mem7_limit_is_floor_of_share(percent: int, base: int) -> None:
    cap = rules.Cap(kind="max_percent", level="htxs", percent=percent)
    limit = rules.limit_of(MEMBER_2021, cap, rules.Tally(base, {}))
    assert limit * 100 <= percent * base < (limit + 1) * 100


@given(members=st.integers(0, 5000), max_members=st.integers(1, 200))
def test_mem11_split_parts_keep_each_part_within_max(members: int, max_members: int) -> None:
    parts = rules.split_parts(members, max_members)
    assert parts >= 2
    assert -(-members // parts) <= max_members
