"""EMU-3, EMU-4: final score, tiers and ranks as pure functions over a rubric given as data.

Seed 001 (HCMC 2020) names the tiers, the sector groups (Quận - Huyện, Công nhân lao động,
Lực lượng vũ trang), the component results the departments supply (the school-area results of
school year 2019–2020 from the Office, the Children's House evaluation by Ban Thiếu nhi, the Hội
LHTN evaluation) and the inspection team's adjustments of self-scored items; it gives no point
values, so the points in the examples below are illustrative, not the seed's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doanvu.emulation.rules import (
    Adjustment,
    Criterion,
    Disqualifier,
    Entry,
    Item,
    ItemKind,
    Line,
    Method,
    Origin,
    Result,
    Rounding,
    Rubric,
    RuleError,
    ScoreSource,
    Sheet,
    Source,
    TieBreak,
    TieKey,
    Tier,
    TierCap,
    TierReason,
    WorkArea,
    classify,
    criterion_points,
    evaluate,
    final_score,
    final_scores,
    rank,
    threshold_tier,
)

D = Decimal
ZERO = D(0)
XS, TOT, HT, KHT = "xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"
TIERS = (
    Tier(XS, D(90), "Hoàn thành xuất sắc nhiệm vụ"),
    Tier(TOT, D(80), "Hoàn thành tốt nhiệm vụ"),
    Tier(HT, D(50), "Hoàn thành nhiệm vụ"),
    Tier(KHT, D(0), "Không hoàn thành nhiệm vụ"),
)
TIER_ORDER = {code: i for i, code in enumerate(t.code for t in TIERS)}

# A Quận - Huyện rubric in the shape of seed 001: the district's own work, the school area
# (results supplied by the Office), the Children's House (Ban Thiếu nhi) and the Hội LHTN work.
HCMC = Rubric(
    criteria=(
        Criterion("TC1", "DOAN", D(20), Method.POINTS, label="Công tác giáo dục"),
        Criterion("TC2", "DOAN", D(10), Method.YES_NO, label="Nghị quyết cấp ủy về thanh niên"),
        Criterion("TC3", "DOAN", D(10), Method.COUNT, D(2), label="Công trình thanh niên"),
        Criterion("TC4", "DOAN", D(20), Method.PERCENT, label="Tỷ lệ đoàn viên được đánh giá"),
        Criterion("TH1", "TRUONG_HOC", D(20), Method.POINTS, department="VP"),
        Criterion("NTN1", "NHA_THIEU_NHI", D(10), Method.POINTS, department="BTN"),
        Criterion("HOI1", "HOI", D(10), Method.POINTS, department="HOI"),
    ),
    tiers=TIERS,
    items=(
        Item("THUONG_MH", ItemKind.BONUS, D(3), "Mô hình, giải pháp hay"),
        Item("TRU_TRE_HAN", ItemKind.PENALTY, D(4), "Nộp báo cáo trễ hạn"),
    ),
    bonus_cap=D(5),
    penalty_cap=D(10),
    caps=(TierCap(XS, D(20)),),
    disqualifiers=(Disqualifier("VI_PHAM", frozenset({XS, TOT}), "Cán bộ vi phạm kỷ luật"),),
    tie_breaks=(TieBreak.area("DOAN"), TieBreak.fewer_penalty(), TieBreak.self_score(),
                TieBreak.unit_code()),
)


def _sheet(unit_id: int, **kwargs: object) -> Sheet:
    return Sheet(unit_id, f"QH{unit_id:02}", "quan_huyen", **kwargs)  # type: ignore[arg-type]


# -- examples -------------------------------------------------------------------------------------


def test_emu3_final_score_department_score_over_self_score_with_the_origin_of_each_point() -> None:
    sheet = _sheet(
        1,
        self_scores={"TC1": D(18), "TC2": True, "TC3": 4, "TC4": D(90), "TH1": D(20),
                     "NTN1": D(10), "HOI1": D(9)},
        # the school-area results come from the Office, the Children's House from Ban Thiếu nhi
        department_scores={"TC1": D(16), "TH1": D("17.5"), "NTN1": D(8)},
        entries=(Entry("THUONG_MH", D(2), "Mô hình “Ngày thứ Bảy tình nguyện”"),
                 Entry("TRU_TRE_HAN", D(1), "Báo cáo quý III trễ hạn")),
        adjustments=(Adjustment("TC3", D(-2), "Một công trình chưa nghiệm thu"),),
    )

    result = final_score(HCMC, sheet)

    # 16 + 10 + (8 − 2) + 18 + 17,5 + 8 + 9 = 84,5; + 2 bonus − 1 penalty
    assert result.criteria_total == D("84.5")
    assert result.total == D("85.5")
    assert result.area_totals == {"DOAN": D(50), "TRUONG_HOC": D("17.5"), "NHA_THIEU_NHI": D(8),
                                  "HOI": D(9)}
    assert result.self_total == D(18) + 10 + 8 + 18 + 20 + 10 + 9
    assert result.lines[:4] == (
        Line(Origin.CRITERION, "TC1", D(16), Source.DEPARTMENT),
        Line(Origin.CRITERION, "TC2", D(10), Source.SELF),
        Line(Origin.CRITERION, "TC3", D(8), Source.SELF),
        Line(Origin.ADJUSTMENT, "TC3", D(-2), None, "Một công trình chưa nghiệm thu"),
    )
    assert Line(Origin.CRITERION, "TH1", D("17.5"), Source.DEPARTMENT) in result.lines
    assert result.lines[-2:] == (
        Line(Origin.BONUS, "THUONG_MH", D(2), None, "Mô hình “Ngày thứ Bảy tình nguyện”"),
        Line(Origin.PENALTY, "TRU_TRE_HAN", D(-1), None, "Báo cáo quý III trễ hạn"),
    )
    assert sum((line.points for line in result.lines), D(0)) == result.total


def test_emu3_score_source_is_data() -> None:
    sheet = _sheet(1, self_scores={"TC1": D(18)}, department_scores={"TC1": D(16), "TH1": D(5)})
    own_only = Rubric(HCMC.criteria, TIERS, score_source=ScoreSource.SELF_ONLY)
    department_only = Rubric(HCMC.criteria, TIERS, score_source=ScoreSource.DEPARTMENT_ONLY)

    assert final_score(HCMC, sheet).total == D(21)
    assert final_score(own_only, sheet).total == D(18)
    assert final_score(department_only, sheet).total == D(21)
    assert final_score(department_only, sheet).self_total == D(18)  # shown, and a tie-break
    assert final_score(department_only, sheet, explain=False).self_total is None
    assert final_score(department_only, _sheet(2, self_scores={"TC1": D(18)})).total == D(0)


def test_emu3_bonus_and_penalty_are_clipped_per_item_then_overall_and_explained() -> None:
    rubric = Rubric(
        (Criterion("A", "X", D(50)),), TIERS,
        items=(Item("B1", ItemKind.BONUS, D(3)), Item("B2", ItemKind.BONUS, D(3)),
               Item("P1", ItemKind.PENALTY)),
        bonus_cap=D(5), penalty_cap=D(6),
    )
    sheet = Sheet(1, self_scores={"A": D(40)},
                  entries=(Entry("B1", D(2)), Entry("B1", D(2)), Entry("B2", D(3)),
                           Entry("P1", D(4)), Entry("P1", D(4))))

    result = final_score(rubric, sheet)

    assert (result.bonus, result.penalty, result.total) == (D(5), D(6), D(39))
    caps = [line for line in result.lines if line.origin == Origin.CAP]
    assert caps == [Line(Origin.CAP, "B1", D(-1)), Line(Origin.CAP, "", D(-1), None, "bonus"),
                    Line(Origin.CAP, "", D(2), None, "penalty")]
    assert sum((line.points for line in result.lines), D(0)) == result.total


def test_emu3_weights_are_data_and_rounded_half_up() -> None:
    # "kết quả khu vực Trường học tính 40 %": the areas count 60 % and 40 % of the final score
    rubric = Rubric(
        (Criterion("Q1", "QUAN", D(100)), Criterion("T1", "TRUONG", D(100), Method.PERCENT)),
        TIERS,
        areas=(WorkArea("QUAN", weight=D(60)), WorkArea("TRUONG", weight=D(40))),
    )
    sheet = Sheet(1, self_scores={"Q1": D("80.25")}, department_scores={"T1": D("33.33")})

    result = final_score(rubric, sheet)

    # 80,25 × 60 % = 48,15; T1 = 100 × 33,33 % = 33,33 → × 40 % = 13,332 → 13,33
    assert result.criteria_total == D("61.48")
    assert result.total == D("61.48")
    assert [line for line in result.lines if line.origin == Origin.WEIGHT] == [
        Line(Origin.WEIGHT, "QUAN", D("-32.10"), None, "60%"),
        Line(Origin.WEIGHT, "TRUONG", D("-20.00"), None, "40%"),
    ]
    assert sum((line.points for line in result.lines), D(0)) == result.total


def test_emu3_final_score_is_clipped_by_floor_and_ceiling() -> None:
    rubric = Rubric((Criterion("A", "X", D(10)),), TIERS,
                    items=(Item("P", ItemKind.PENALTY), Item("B", ItemKind.BONUS)),
                    ceiling=D(11))

    low = final_score(rubric, Sheet(1, self_scores={"A": D(2)}, entries=(Entry("P", D(5)),)))
    high = final_score(rubric, Sheet(2, self_scores={"A": D(10)}, entries=(Entry("B", D(5)),)))

    assert low.total == D(0)
    assert low.lines[-1] == Line(Origin.CAP, "", D(3))
    assert high.total == D(11)
    assert high.lines[-1] == Line(Origin.CAP, "", D(-4))


def test_emu3_criterion_points_per_method() -> None:
    points = Criterion("P", "X", D(10))
    yes_no = Criterion("Y", "X", D(5), Method.YES_NO)
    count = Criterion("C", "X", D(6), Method.COUNT, D("1.5"))
    percent = Criterion("R", "X", D(20), Method.PERCENT)

    assert criterion_points(points, D("7.5")) == D("7.5")
    assert criterion_points(yes_no, True) == D(5)
    assert criterion_points(yes_no, 0) == D(0)
    assert criterion_points(count, 3) == D("4.5")
    assert criterion_points(count, 30) == D(6)  # count × points, up to the cap
    assert criterion_points(percent, D("87.5")) == D("17.50")
    assert criterion_points(percent, D("33.335")) == D("6.67")  # 6,667 rounded half up


@pytest.mark.parametrize(("criterion", "raw", "message"), [
    (Criterion("TC1", "X", D(10)), D(11), "Tiêu chí TC1: 11 điểm vượt quá điểm tối đa 10."),
    (Criterion("TC1", "X", D(10)), D("-0.5"), "Tiêu chí TC1: giá trị -0,5 âm."),
    (Criterion("TC1", "X", D(10)), D("7.125"), "Tiêu chí TC1: 7,125 điểm có quá nhiều chữ số "
     "thập phân."),
    (Criterion("TC1", "X", D(10)), 7.5, "Tiêu chí TC1: giá trị “7.5” không phải là một số."),
    (Criterion("TC1", "X", D(10)), True, "Tiêu chí TC1: giá trị “True” không phải là một số."),
    (Criterion("TC2", "X", D(5), Method.YES_NO), 2, "Tiêu chí TC2: chỉ nhận “có” hoặc “không”."),
    (Criterion("TC3", "X", D(6), Method.COUNT, D(2)), D("1.5"),
     "Tiêu chí TC3: số lượng 1,5 phải là số nguyên."),
    (Criterion("TC4", "X", D(20), Method.PERCENT), D(101),
     "Tiêu chí TC4: tỷ lệ đạt 101% vượt quá 100%."),
])
def test_emu3_bad_raw_score_names_the_criterion(criterion: Criterion, raw: object,
                                                message: str) -> None:
    with pytest.raises(ValueError) as caught:
        criterion_points(criterion, raw)  # type: ignore[arg-type]

    assert str(caught.value) == message
    assert isinstance(caught.value, RuleError)
    assert caught.value.field == criterion.code


def test_emu3_a_score_is_checked_against_the_rubric_where_it_is_entered() -> None:
    assert HCMC.points("TC4", D(75)) == D("15.00")
    with pytest.raises(RuleError) as caught:
        HCMC.points("TH1", D("20.5"))
    assert caught.value.field == "TH1"
    # another language: the caller's gettext translates the template, the values stay
    english = {"Tiêu chí {code}: {raw} điểm vượt quá điểm tối đa {max}.":
               "Criterion {code}: {raw} points exceed the maximum {max}."}
    assert caught.value.translated(english.__getitem__) == (
        "Criterion TH1: 20,5 points exceed the maximum 20.")
    with pytest.raises(RuleError, match="Không có tiêu chí “TC9” trong thang điểm."):
        HCMC.points("TC9", D(1))


def test_emu3_bad_sheet_names_what_is_wrong() -> None:
    with pytest.raises(RuleError, match="Không có tiêu chí “TC9” trong thang điểm."):
        final_score(HCMC, _sheet(1, self_scores={"TC9": D(1)}))
    with pytest.raises(RuleError, match="Tiêu chí TH1: 25 điểm vượt quá điểm tối đa 20."):
        final_score(HCMC, _sheet(1, department_scores={"TH1": D(25)}))
    with pytest.raises(RuleError, match=r"Tiêu chí TC1: điều chỉnh -5 đưa điểm ra ngoài "
                                        r"khoảng 0 – 20."):
        final_score(HCMC, _sheet(1, self_scores={"TC1": D(3)},
                                 adjustments=(Adjustment("TC1", D(-5)),)))
    with pytest.raises(RuleError, match="Không có mục điểm thưởng/điểm trừ “X” trong"):
        final_score(HCMC, _sheet(1, entries=(Entry("X", D(1)),)))
    with pytest.raises(RuleError, match="Mục TRU_TRE_HAN: điểm không được âm."):
        final_score(HCMC, _sheet(1, entries=(Entry("TRU_TRE_HAN", D(-1)),)))


@pytest.mark.parametrize(("changes", "message"), [
    ({"areas": (WorkArea("X", weight=D(60)), WorkArea("Y", weight=D(30)))},
     "Tổng trọng số các mảng là 90%, phải bằng 100%."),
    ({"areas": (WorkArea("X", weight=D(100)), WorkArea("Y"))},
     "Trọng số phải được cho cho mọi mảng công tác hoặc không mảng nào."),
    ({"tiers": (Tier("a", D(50)), Tier("b", D(60)))},
     "Ngưỡng điểm của mức “b” phải thấp hơn ngưỡng của mức trên nó."),
    ({"caps": (TierCap(KHT, D(10)),)},
     "Không thể giới hạn tỷ lệ mức thấp nhất “khong_hoan_thanh”."),
    ({"caps": (TierCap(XS, D(120)),)}, "Giới hạn tỷ lệ mức “xuat_sac” phải từ 0 đến 100%."),
    ({"disqualifiers": (Disqualifier("V", frozenset({KHT})),)},
     "Vi phạm V không thể loại trừ mức thấp nhất."),
    ({"disqualifiers": (Disqualifier("V", frozenset({"gioi"})),)},
     "Vi phạm V: không có mức xếp loại “gioi”."),
    ({"tie_breaks": (TieBreak.area("Z"),)}, "Tiêu chí phụ xếp hạng: không có mảng “Z”."),
    ({"floor": D(10), "ceiling": D(5)}, "Điểm sàn 10 lớn hơn điểm trần 5."),
    ({"criteria": (Criterion("A", "X", D(10)), Criterion("A", "Y", D(5)))},
     "Mã tiêu chí “A” trống hoặc bị trùng."),
    ({"criteria": (Criterion("A", "X", D(10), "diem"),)},  # type: ignore[arg-type]
     "A: “diem” không phải là lựa chọn hợp lệ (points, yes_no, count, percent)."),
    ({"score_source": "tu_cham"},
     "Cách tính điểm cuối cùng: “tu_cham” không phải là lựa chọn hợp lệ "
     "(department_else_self, department_only, self_only)."),
    ({"criteria": (Criterion("C", "X", D(10), Method.COUNT),)},
     "Tiêu chí C: cách chấm theo số lượng cần số điểm cho mỗi lượt lớn hơn 0."),
])
def test_emu1_a_rubric_that_contradicts_itself_is_refused(changes: dict[str, object],
                                                         message: str) -> None:
    fields: dict[str, object] = {
        "criteria": (Criterion("A", "X", D(10)), Criterion("B", "Y", D(10))), "tiers": TIERS}
    fields.update(changes)

    with pytest.raises(RuleError) as caught:
        Rubric(**fields)  # type: ignore[arg-type]

    assert str(caught.value) == message


def test_emu4_equal_places_share_a_competition_rank_ties_broken_in_declared_order() -> None:
    # QH01 and QH02 have equal finals, QH02 wins on the DOAN area; QH03 and QH04 are equal on
    # everything declared but the unit code, declared last, so no rank is shared here
    sheets = [
        _sheet(1, self_scores={"TC1": D(20), "TH1": D(20)}),
        _sheet(2, self_scores={"TC1": D(20), "TH1": D(10), "TC2": True}),
        _sheet(3, self_scores={"TC1": D(10), "TH1": D(20)}),
        _sheet(4, self_scores={"TC1": D(10), "TH1": D(20)}),
    ]
    results = [final_score(HCMC, s) for s in sheets]

    ranking = rank(HCMC, results)

    assert [(r.unit_id, r.rank, r.position) for r in ranking.values()] == [
        (2, 1, 1), (1, 2, 2), (3, 3, 3), (4, 4, 4)]

    shared = Rubric(HCMC.criteria, TIERS, tie_breaks=(TieBreak.area("DOAN"),))
    ranking = rank(shared, [final_score(shared, s) for s in sheets])

    assert [(r.unit_id, r.rank, r.position) for r in ranking.values()] == [
        (2, 1, 1), (1, 2, 2), (3, 3, 3), (4, 3, 4)]


def test_emu3_classify_thresholds_disqualifier_and_cap_in_rank_order() -> None:
    # ten units of one group; 20 % of 10 = 2 units at most in the top tier
    totals = [D(98), D(95), D(95), D(93), D(91), D(85), D(60), D(40), D(92), D(99)]
    results = [_result(i + 1, total) for i, total in enumerate(totals)]
    results[9] = _result(10, D(99), flags=frozenset({"VI_PHAM"}))

    decisions = classify(HCMC, results)

    assert {u: d.tier for u, d in decisions.items()} == {
        10: HT,  # 99 but disqualified: barred from both top tiers
        1: XS, 2: XS,  # 98, 95 (unit 2 before unit 3 by unit id)
        3: TOT, 4: TOT, 9: TOT, 5: TOT,  # over the cap: next tier, in rank order
        6: TOT, 7: HT, 8: KHT,
    }
    assert decisions[10].reasons == (TierReason.DISQUALIFIER,)
    assert decisions[3].reasons == (TierReason.CAP,)
    assert decisions[3].threshold_tier == XS
    assert decisions[6].reasons == (TierReason.THRESHOLD,)


def test_emu4_ranks_and_caps_are_per_sector_group_of_seed_001() -> None:
    # the three sector groups the 2020 plan evaluates: Quận - Huyện, CNLĐ, LLVT
    sheets = [
        Sheet(1, "Q1", "quan_huyen", {"TC1": D(20), "TH1": D(20), "NTN1": D(10), "HOI1": D(10),
                                      "TC2": True, "TC4": D(100), "TC3": 5}),  # 100
        Sheet(2, "Q3", "quan_huyen", {"TC1": D(20), "TH1": D(20), "NTN1": D(10), "HOI1": D(10),
                                      "TC2": True, "TC4": D(100), "TC3": 4}),  # 98
        Sheet(3, "TCT_VT", "cnld", {"TC1": D(19), "TH1": D(20), "NTN1": D(10), "HOI1": D(10),
                                    "TC2": True, "TC4": D(100), "TC3": 5}),  # 99
        Sheet(4, "BCH_QS", "llvt", {"TC1": D(10)}),  # 10
    ]

    table = evaluate(HCMC, sheets)

    assert [(s.unit_code, s.group, s.total, s.rank, s.tier) for s in table] == [
        # 20 % of a group of 2 is 0,4 → 0 units in the top tier (FLOOR): both drop a tier
        ("Q1", "quan_huyen", D(100), 1, TOT),
        ("Q3", "quan_huyen", D(98), 2, TOT),
        ("TCT_VT", "cnld", D(99), 1, TOT),
        ("BCH_QS", "llvt", D(10), 1, KHT),
    ]


def test_emu3_cap_rounding_is_data() -> None:
    assert TierCap(XS, D(15)).limit(22) == 3  # 3,3 → 3
    assert TierCap(XS, D(15)).limit(5) == 0  # 0,75 → 0: "at most 15 %" taken literally
    assert TierCap(XS, D(15), Rounding.HALF_UP).limit(5) == 1
    assert TierCap(XS, D(15), Rounding.CEILING).limit(22) == 4
    assert TierCap(XS, D(10), Rounding.HALF_UP).limit(25) == 3  # 2,5 → 3


def test_emu3_emu4_evaluate_gives_the_table_of_a_group() -> None:
    sheets = [_sheet(i, self_scores={"TC1": D(20 - i)}) for i in range(1, 4)]

    table = evaluate(HCMC, sheets)

    assert [(s.unit_code, s.total, s.rank, s.tier) for s in table] == [
        ("QH01", D(19), 1, KHT), ("QH02", D(18), 2, KHT), ("QH03", D(17), 3, KHT)]


# -- properties -----------------------------------------------------------------------------------


def _result(unit_id: int, total: Decimal, *, group: str = "g", doan: Decimal = ZERO,
            penalty: Decimal = ZERO, own: Decimal = ZERO, code: str = "",
            flags: frozenset[str] = frozenset()) -> Result:
    return Result(unit_id, code or f"U{unit_id:03}", group, total, total, D(0), penalty, own,
                  {"DOAN": doan, "TRUONG_HOC": D(0), "NHA_THIEU_NHI": D(0), "HOI": D(0)}, {},
                  flags)


SMALL = st.sampled_from([D(0), D(40), D(50), D("79.5"), D(80), D(85), D(90), D(95), D(100)])


@st.composite
def results(draw: st.DrawFn) -> list[Result]:
    """Units in up to three groups with few distinct values, so ties are common."""
    n = draw(st.integers(0, 30))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    out = []
    for unit_id in ids:
        out.append(_result(
            unit_id, draw(SMALL),
            group=draw(st.sampled_from(["quan_huyen", "cnld", "llvt"])),
            doan=draw(st.sampled_from([D(0), D(10), D(20)])),
            penalty=draw(st.sampled_from([D(0), D(1), D(2)])),
            own=draw(st.sampled_from([D(50), D(60)])),
            code=draw(st.sampled_from(["A", "B", ""])) or f"U{unit_id:05}",
            flags=draw(st.sampled_from([frozenset(), frozenset(), frozenset({"VI_PHAM"})])),
        ))
    return out


caps = st.lists(st.builds(TierCap, st.sampled_from([XS, TOT, HT]),
                          st.decimals(0, 100, places=1),
                          st.sampled_from(list(Rounding))),
                max_size=3, unique_by=lambda c: c.tier).map(tuple)
disqualifiers = st.builds(Disqualifier, st.just("VI_PHAM"),
                          st.frozensets(st.sampled_from([XS, TOT, HT]), min_size=1)).map(
    lambda dq: (dq,))
tie_breaks = st.permutations([TieBreak.area("DOAN"), TieBreak.fewer_penalty(),
                              TieBreak.self_score(), TieBreak.unit_code()]).flatmap(
    lambda order: st.integers(0, 4).map(lambda k: tuple(order[:k])))


@st.composite
def rubrics(draw: st.DrawFn) -> Rubric:
    return Rubric(HCMC.criteria, TIERS, caps=draw(caps), disqualifiers=draw(disqualifiers),
                  tie_breaks=draw(tie_breaks))


def _declared(rubric: Rubric, r: Result) -> tuple[object, ...]:
    """The rank key written out again from the tie-break definitions (not the module's)."""
    key: list[object] = [-r.total]
    for tb in rubric.tie_breaks:
        kind = TieKey(tb.key)
        value: object = (r.area_totals[tb.target] if kind == "area" else r.penalty
                         if kind == "penalty" else r.self_total if kind == "self_score"
                         else r.unit_code)
        key.append(-value if tb.descending else value)  # type: ignore[operator]
    return tuple(key)


def _groups(units: list[Result]) -> dict[str, list[Result]]:
    out: dict[str, list[Result]] = defaultdict(list)
    for r in units:
        out[r.group].append(r)
    return out


@given(rubrics(), results())
def test_emu4_ranking_is_a_permutation_of_each_group(rubric: Rubric, units: list[Result]) -> None:
    ranking = rank(rubric, units)

    assert set(ranking) == {r.unit_id for r in units}
    for group, members in _groups(units).items():
        positions = sorted(ranking[r.unit_id].position for r in members)
        assert positions == list(range(1, len(members) + 1))
        assert all(ranking[r.unit_id].group == group for r in members)
        ranks = sorted(ranking[r.unit_id].rank for r in members)
        assert all(1 <= k <= p for k, p in zip(ranks, positions, strict=True))


@given(rubrics(), results())
def test_emu4_ties_are_resolved_by_the_declared_order_then_unit_id(
        rubric: Rubric, units: list[Result]) -> None:
    ranking = rank(rubric, units)

    for members in _groups(units).values():
        ordered = sorted(members, key=lambda r: ranking[r.unit_id].position)
        for a, b in zip(ordered, ordered[1:], strict=False):
            key_a, key_b = _declared(rubric, a), _declared(rubric, b)
            assert (key_a, a.unit_id) < (key_b, b.unit_id)
            # equal on every declared key: the same (competition) rank; else b is ranked lower
            if key_a == key_b:
                assert ranking[a.unit_id].rank == ranking[b.unit_id].rank
            else:
                assert ranking[b.unit_id].rank == ranking[b.unit_id].position


@given(rubrics(), results())
def test_emu4_a_higher_final_score_never_ranks_below_a_lower_one(
        rubric: Rubric, units: list[Result]) -> None:
    ranking = rank(rubric, units)

    for members in _groups(units).values():
        for a in members:
            for b in members:
                if a.total > b.total:
                    assert ranking[a.unit_id].rank < ranking[b.unit_id].rank
                    assert ranking[a.unit_id].position < ranking[b.unit_id].position


@given(rubrics(), results())
def test_emu3_the_tier_caps_are_never_exceeded(rubric: Rubric, units: list[Result]) -> None:
    decisions = classify(rubric, units)

    for members in _groups(units).values():
        for cap in rubric.caps:
            seated = sum(1 for r in members if decisions[r.unit_id].tier == cap.tier)
            assert seated <= cap.limit(len(members))
            if cap.rounding == Rounding.FLOOR:
                assert seated * 100 <= cap.max_percent * len(members)


@given(rubrics(), results())
def test_emu3_a_disqualified_unit_never_gets_a_barred_tier(rubric: Rubric,
                                                          units: list[Result]) -> None:
    decisions = classify(rubric, units)

    barred = {dq.code: dq.barred_tiers for dq in rubric.disqualifiers}
    for r in units:
        decision = decisions[r.unit_id]
        for flag in r.flags:
            if flag in barred:
                assert decision.tier not in barred[flag]
        # never better than the score alone reaches
        assert TIER_ORDER[decision.tier] >= TIER_ORDER[threshold_tier(rubric, r.total)]
        assert decision.threshold_tier == threshold_tier(rubric, r.total)


@given(rubrics(), results())
def test_emu3_classify_is_monotone_in_score(rubric: Rubric, units: list[Result]) -> None:
    plain = Rubric(rubric.criteria, TIERS, tie_breaks=rubric.tie_breaks,
                   disqualifiers=rubric.disqualifiers)
    unflagged = [r for r in units if not r.flags]
    for rb in (plain, rubric):
        decisions = classify(rb, units)
        for members in _groups(unflagged).values():
            for a in members:
                for b in members:
                    if a.total >= b.total and (a.total > b.total or rb is plain):
                        assert TIER_ORDER[decisions[a.unit_id].tier] <= TIER_ORDER[
                            decisions[b.unit_id].tier]
    # without caps and disqualifiers the tier is the threshold tier
    decisions = classify(Rubric(rubric.criteria, TIERS), unflagged)
    assert all(decisions[r.unit_id].tier == threshold_tier(rubric, r.total) for r in unflagged)


@given(rubrics(), results())
def test_emu3_units_over_a_cap_drop_to_the_next_tier_in_rank_order(
        rubric: Rubric, units: list[Result]) -> None:
    units = [r for r in units if not r.flags]
    ranking = rank(rubric, units)
    decisions = classify(rubric, units, ranking)

    top_cap = next((c for c in rubric.caps if c.tier == XS), None)
    for members in _groups(units).values():
        eligible = sorted((r for r in members if r.total >= TIERS[0].min_score),
                          key=lambda r: ranking[r.unit_id].position)
        limit = top_cap.limit(len(members)) if top_cap else len(eligible)
        assert {r.unit_id for r in members if decisions[r.unit_id].tier == XS} == {
            r.unit_id for r in eligible[:limit]}
        for r in eligible[limit:]:
            assert TierReason.CAP in decisions[r.unit_id].reasons


def _raws(criterion: Criterion) -> st.SearchStrategy[object]:
    if criterion.method == Method.YES_NO:
        return st.one_of(st.booleans(), st.sampled_from([0, 1, D(0), D(1)]))
    if criterion.method == Method.COUNT:
        return st.one_of(st.integers(0, 1000), st.integers(0, 1000).map(D))
    if criterion.method == Method.PERCENT:
        return st.decimals(0, 100, places=3)
    return st.decimals(0, criterion.max_points, places=2)


criteria = st.builds(
    lambda code, method, max_points, per_item: Criterion(
        code, "X", max_points, method, per_item if method == Method.COUNT else None),
    st.from_regex(r"[A-Z]{2}[0-9]{1,2}", fullmatch=True),
    st.sampled_from(list(Method)),
    st.decimals(D("0.01"), 100, places=2),
    st.decimals(D("0.01"), 10, places=2),
)


@given(criteria, st.data())
def test_emu3_criterion_points_is_between_zero_and_max(criterion: Criterion,
                                                      data: st.DataObject) -> None:
    raw = data.draw(_raws(criterion))

    points = criterion_points(criterion, raw)  # type: ignore[arg-type]

    assert D(0) <= points <= criterion.max_points
    assert points == points.quantize(D("0.01"))


@given(criteria, st.data())
def test_emu3_bad_raw_raises_with_the_criterion_code(criterion: Criterion,
                                                    data: st.DataObject) -> None:
    negative = data.draw(st.decimals(max_value=D("-0.01"), places=2, allow_nan=False,
                                     allow_infinity=False))
    too_high = {
        Method.POINTS: criterion.max_points + data.draw(st.decimals(D("0.01"), 1000, places=2)),
        Method.PERCENT: data.draw(st.decimals(D("100.001"), 10_000, places=3)),
        Method.YES_NO: data.draw(st.integers(2, 100)),
        Method.COUNT: D("0.5") + data.draw(st.integers(0, 100)),  # not a whole count
    }[criterion.method]

    for raw in (negative, too_high):
        with pytest.raises(ValueError, match=criterion.code):
            criterion_points(criterion, raw)  # type: ignore[arg-type]


sheet_values = st.fixed_dictionaries({}, optional={
    "TC1": st.decimals(0, 20, places=2), "TC2": st.booleans(), "TC3": st.integers(0, 9),
    "TC4": st.decimals(0, 100, places=2), "TH1": st.decimals(0, 20, places=1),
    "NTN1": st.decimals(0, 10, places=2), "HOI1": st.decimals(0, 10, places=0),
})
entries = st.lists(st.builds(Entry, st.sampled_from(["THUONG_MH", "TRU_TRE_HAN"]),
                             st.decimals(0, 6, places=2)), max_size=6).map(tuple)


@settings(max_examples=200)
@given(sheet_values, sheet_values, entries)
def test_emu10_the_explanation_adds_up_to_the_final_score(own: dict[str, object],
                                                          department: dict[str, object],
                                                          items: tuple[Entry, ...]) -> None:
    sheet = _sheet(1, self_scores=own, department_scores=department, entries=items)

    explained = final_score(HCMC, sheet)
    quick = final_score(HCMC, sheet, explain=False)

    assert sum((line.points for line in explained.lines), D(0)) == explained.total
    assert quick.total == explained.total and quick.lines == ()
    assert D(0) <= explained.bonus <= HCMC.bonus_cap  # type: ignore[operator]
    assert D(0) <= explained.penalty <= HCMC.penalty_cap  # type: ignore[operator]
    assert explained.total >= 0
    assert explained.criteria_total == sum(explained.area_totals.values(), D(0))


adjustments = st.lists(st.builds(Adjustment, st.just("TC1"), st.decimals(-1, 1, places=2)),
                       max_size=1).map(tuple)
source_rules = st.sampled_from(list(ScoreSource))


@settings(max_examples=100)
@given(st.lists(st.tuples(sheet_values, sheet_values, entries, adjustments), max_size=8),
       source_rules, st.booleans(), st.booleans())
def test_perf3_the_bulk_recompute_gives_the_one_sheet_numbers(
        parts: list[tuple[dict[str, object], dict[str, object], tuple[Entry, ...],
                          tuple[Adjustment, ...]]],
        source: ScoreSource, weighted: bool, self_tie_break: bool) -> None:
    rubric = Rubric(HCMC.criteria, TIERS, items=HCMC.items, bonus_cap=HCMC.bonus_cap,
                    penalty_cap=HCMC.penalty_cap, score_source=source,
                    tie_breaks=HCMC.tie_breaks if self_tie_break else (TieBreak.area("HOI"),),
                    areas=(WorkArea("DOAN", weight=D(55)), WorkArea("TRUONG_HOC", weight=D(15)),
                           WorkArea("NHA_THIEU_NHI", weight=D(15)),
                           WorkArea("HOI", weight=D(15))) if weighted else ())
    sheets = []
    for i, (own, department, items, adjusted) in enumerate(parts):
        # an adjustment keeps TC1 within 0 … 20 here: TC1 is given on both sides in 1 … 19
        if adjusted:
            own, department = {**own, "TC1": D(10)}, {**department, "TC1": D(10)}
        if i % 3 == 2:
            department = {**department, "TC2": None}  # None: not given, like an absent key
        sheets.append(_sheet(i + 1, self_scores=own, department_scores=department,
                             entries=items, adjustments=adjusted))

    bulk = final_scores(rubric, sheets)
    one_by_one = [final_score(rubric, s, explain=False) for s in sheets]

    # the same numbers; the self-score total only where it can decide a rank
    assert [replace(r, self_total=None) for r in bulk] == [
        replace(r, self_total=None) for r in one_by_one]
    assert all(b.self_total in (None, o.self_total) for b, o in zip(bulk, one_by_one,
                                                                     strict=True))
    assert rank(rubric, bulk) == rank(rubric, one_by_one)
    assert classify(rubric, bulk) == classify(rubric, one_by_one)


def test_perf3_the_bulk_recompute_refuses_what_one_sheet_refuses() -> None:
    good = _sheet(1, self_scores={"TC1": D(5)})
    with pytest.raises(RuleError, match="Tiêu chí TC2: chỉ nhận “có” hoặc “không”."):
        final_scores(HCMC, [good, _sheet(2, self_scores={"TC2": D(3)})])
    with pytest.raises(RuleError, match="Tiêu chí TC1: giá trị “True” không phải là một số."):
        final_scores(HCMC, [good, _sheet(2, self_scores={"TC1": True})])
    with pytest.raises(RuleError, match="Không có tiêu chí “X” trong thang điểm."):
        final_scores(HCMC, [good, _sheet(2, department_scores={"X": D(1)})])


WEIGHTED = Rubric(HCMC.criteria, TIERS, items=HCMC.items, bonus_cap=HCMC.bonus_cap,
                  penalty_cap=HCMC.penalty_cap, ceiling=D(70),
                  areas=(WorkArea("DOAN", weight=D("33.33")), WorkArea("TRUONG_HOC", weight=D(40)),
                         WorkArea("NHA_THIEU_NHI", weight=D("13.33")),
                         WorkArea("HOI", weight=D("13.34"))))


@settings(max_examples=200)
@given(sheet_values, sheet_values, entries, st.decimals(-5, 5, places=2))
def test_emu10_weighted_and_adjusted_explanation_adds_up_line_by_line(
        own: dict[str, object], department: dict[str, object], items: tuple[Entry, ...],
        delta: Decimal) -> None:
    # TC1 given as 10 on both sides, so any delta in −5 … 5 keeps it within 0 … 20
    sheet = _sheet(1, self_scores={**own, "TC1": D(10)}, department_scores={**department,
                   "TC1": D(10)}, entries=items,
                   adjustments=(Adjustment("TC1", delta, "Điều chỉnh sau kiểm tra"),))

    explained = final_score(WEIGHTED, sheet)

    assert sum((line.points for line in explained.lines), D(0)) == explained.total
    assert explained.criterion_points["TC1"] == D(10) + delta
    assert Line(Origin.ADJUSTMENT, "TC1", delta, None, "Điều chỉnh sau kiểm tra") in (
        explained.lines)
    assert D(0) <= explained.total <= D(70)
    # the quick path differs only in what it leaves out
    quick = final_score(WEIGHTED, sheet, explain=False)
    assert replace(quick, lines=explained.lines, self_total=explained.self_total) == explained


def test_emu4_the_self_score_total_is_computed_where_it_decides_and_required_there() -> None:
    sheets = [
        _sheet(1, self_scores={"TC1": D(12)}, department_scores={"TC1": D(10)}),
        _sheet(2, self_scores={"TC1": D(15)}, department_scores={"TC1": D(10)}),
        _sheet(3, self_scores={"TC1": D(9)}),
    ]

    bulk = final_scores(HCMC, sheets)

    # units 1 and 2 tie on the final, the DOAN area and the penalties: the self-score decides
    assert [r.self_total for r in bulk] == [D(12), D(15), None]
    assert [(r.unit_id, r.rank) for r in rank(HCMC, bulk).values()] == [(2, 1), (1, 2), (3, 3)]
    with pytest.raises(RuleError, match="thiếu tổng điểm tự chấm để xếp hạng"):
        rank(HCMC, [replace(r, self_total=None) for r in bulk])
