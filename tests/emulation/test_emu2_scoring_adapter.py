"""EMU-2: the adapter maps the stored rubric and sheet onto the pure rules' values — every
method, item kind, tie-break, disqualifier and cap, and each source of a sheet's scores."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from doanvu.emulation import rules, scoring, services
from doanvu.emulation.models import (
    LineSource,
    RubricItem,
    RubricTier,
    ScoreLine,
    SheetEntry,
)
from tests.emulation.conftest import EmuWorld, SheetWorld, criterion


def test_emu2_rubric_maps_methods_items_tiers_caps_disqualifiers(emu: EmuWorld) -> None:
    r = scoring.rules_rubric(emu.rubric)

    by_code = {c.code: c for c in r.criteria}
    assert [(c.code, c.area, c.max_points, c.method, c.points_per_item) for c in r.criteria] == [
        ("1.1", "I", Decimal("6.00"), rules.Method.POINTS, None),
        ("1.2", "I", Decimal("4.00"), rules.Method.YES_NO, None),
        ("2.1", "II", Decimal("12.00"), rules.Method.COUNT, Decimal("2.50")),
        ("2.2", "II", Decimal("8.00"), rules.Method.PERCENT, None),
    ]
    assert by_code["1.1"].department == str(emu.world.tckt.pk)
    assert [a.code for a in r.areas] == ["I", "II"]
    assert {(i.code, i.kind, i.cap) for i in r.items} == {
        ("T1", rules.ItemKind.BONUS, Decimal("3.00")),
        ("TR1", rules.ItemKind.PENALTY, Decimal("2.00"))}
    assert [(t.code, t.min_score) for t in r.tiers] == [
        ("htxs", Decimal("27.00")), ("htt", Decimal("22.00")), ("ht", Decimal("15.00")),
        ("kht", Decimal("0.00"))]
    assert r.caps == (rules.TierCap("htxs", Decimal("20.00")),)
    assert r.disqualifiers == (rules.Disqualifier("L1", frozenset({"htxs"}),
                                                  "Cán bộ chủ chốt bị kỷ luật"),)
    assert r.tie_breaks == (rules.TieBreak.area("II"), rules.TieBreak.fewer_penalty())
    assert (r.bonus_cap, r.penalty_cap) == (Decimal("3.00"), Decimal("5.00"))
    assert r.score_source == rules.ScoreSource.DEPARTMENT_ELSE_SELF


def test_emu2_every_tie_break_key_and_a_lower_barred_tier_map(emu: EmuWorld) -> None:
    htt = RubricTier.objects.get(rubric=emu.rubric, code="htt")
    services.disqualifier_save(actor=None, rubric=emu.rubric, code="L2",
                               label="Không nộp báo cáo", barred_tier=htt)
    services.rubric_update(actor=None, rubric=emu.rubric, name=emu.rubric.name,
                           bonus_cap=None, penalty_cap=None, tie_breaks=[
                               {"key": "tieu_chi", "ref": "2.1"},
                               {"key": "nhieu_diem_thuong", "ref": ""},
                               {"key": "linh_vuc", "ref": "I"},
                               {"key": "it_diem_tru", "ref": ""}])
    emu.rubric.refresh_from_db()

    r = scoring.rules_rubric(emu.rubric)

    assert r.tie_breaks == (rules.TieBreak.criterion("2.1"), rules.TieBreak.more_bonus(),
                            rules.TieBreak.area("I"), rules.TieBreak.fewer_penalty())
    assert {d.code: d.barred_tiers for d in r.disqualifiers} == {
        "L1": frozenset({"htxs"}), "L2": frozenset({"htxs", "htt"})}
    assert (r.bonus_cap, r.penalty_cap) == (None, None)


def _line(sheets: SheetWorld, code: str, source: str, raw: str | None, points: str,
          reason: str = "") -> ScoreLine:
    return ScoreLine.objects.create(sheet=sheets.sheet_a, criterion=criterion(sheets.emu, code),
                                    source=source, raw=Decimal(raw) if raw else None,
                                    points=Decimal(points), reason=reason, at=timezone.now())


def test_emu2_sheet_maps_each_source_entries_adjustments_and_flags(sheets: SheetWorld) -> None:
    _line(sheets, "1.1", LineSource.SELF, "5", "5")
    _line(sheets, "1.1", LineSource.DEPARTMENT, "4.5", "4.5")
    _line(sheets, "1.2", LineSource.SELF, "1", "4")
    _line(sheets, "2.1", LineSource.SELF, "3", "7.5")
    _line(sheets, "2.1", LineSource.IMPORTED, "2", "5")
    _line(sheets, "2.2", LineSource.IMPORTED, "50", "4")
    _line(sheets, "2.2", LineSource.DEPARTMENT, "75", "6")  # the department's own wins
    _line(sheets, "1.1", LineSource.ADJUSTMENT, None, "-0.5", "Thiếu biên bản")
    item = RubricItem.objects.get(rubric=sheets.emu.rubric, code="TR1")
    SheetEntry.objects.create(sheet=sheets.sheet_a, item=item, count=3, reason="Trễ 3 báo cáo",
                              at=timezone.now())
    sheets.sheet_a.flags = ["L1"]
    sheets.sheet_a.save()

    s = scoring.rules_sheet(sheets.sheet_a)

    assert dict(s.self_scores) == {"1.1": Decimal("5"), "1.2": True, "2.1": 3}
    assert type(s.self_scores["2.1"]) is int
    assert dict(s.department_scores) == {"1.1": Decimal("4.5"), "2.1": 2, "2.2": Decimal("75")}
    assert s.entries == (rules.Entry("TR1", Decimal("1.50"), "Trễ 3 báo cáo"),)
    assert s.adjustments == (rules.Adjustment("1.1", Decimal("-0.5"), "Thiếu biên bản"),)
    assert s.flags == frozenset({"L1"})
    assert s.group == str(sheets.emu.group.pk)
    result = scoring.sheet_result(sheets.sheet_a)
    # 1.1: 4.5 − 0.5; 1.2: yes = 4; 2.1: 2 × 2.5 = 5; 2.2: 75 % of 8 = 6; penalty 1.5
    assert result.total == Decimal("4.0") + 4 + 5 + 6 - Decimal("1.5")
    assert sum(o.points for o in result.origins) == result.total
