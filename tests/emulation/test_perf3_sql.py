"""PERF-3: the ranking recompute summed by the database (`ranking.results_by_sql`) gives, for
random stored sheets, exactly the final scores, tiers and ranks of the pure rules
(`rules.final_scores` over `ranking.rules_sheets`): every source precedence (self, department,
imported, a line without a value), every scoring method with its cap and rounding, bonus and
penalty caps, disqualifiers, the top-tier cap, area and criterion tie-breaks; sheets with
adjustments or refused values go the rules' way. Run on SQLite and on PostgreSQL
(DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import gc
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from doanvu.emulation import ranking, rules, scoring
from doanvu.emulation.models import (
    Criterion,
    LineSource,
    Rubric,
    RubricItem,
    ScoreLine,
    ScoreSheet,
    SheetEntry,
    WorkArea,
)
from doanvu.org.models import Unit
from tests.emulation.conftest import SheetWorld

D = Decimal
SHEETS = 70
# valid raw values per criterion of build_rubric (+ 2.3, a percent of max 1.5 whose
# hundredths round half up: 1 % → 0.015 → 0.02, 3 % → 0.045 → 0.05)
VALID = {
    "1.1": ["0", "0.25", "3", "5.5", "6"],  # points, max 6
    "1.2": ["0", "1"],  # yes/no, max 4
    "2.1": ["0", "1", "3", "4", "5", "7"],  # count × 2.5, max 12 (5 and 7 capped)
    "2.2": ["0", "12.5", "33.33", "50", "100"],  # percent, max 8
    "2.3": ["0", "1", "3", "33", "99.99", "100"],  # percent, max 1.5
}
REFUSED = {"1.1": "6.5", "1.2": "2", "2.1": "1.5", "2.2": "100.01", "2.3": "-1"}


def _world(sw: SheetWorld) -> Rubric:
    """The rubric of build_rubric, with a 2.3 criterion and a criterion tie-break, and
    SHEETS more sheets."""
    rubric = sw.emu.rubric
    area = WorkArea.objects.get(rubric=rubric, code="II")
    Criterion.objects.create(area=area, code="2.3", title="Tỷ lệ chi đoàn mạnh",
                             max_points=D("1.5"), method="ty_le", order=30)
    Rubric.objects.filter(pk=rubric.pk).update(tie_breaks=[
        {"key": "linh_vuc", "ref": "II"}, {"key": "tieu_chi", "ref": "2.3"},
        {"key": "it_diem_tru", "ref": ""}])
    rubric.refresh_from_db()
    parent = sw.emu.world.district_a
    Unit.objects.bulk_create([
        Unit(name=f"Chi đoàn {i}", name_folded=f"chi doan {i}", kind=parent.kind,
             parent=parent, path=f"{parent.path}t{i:04d}/", depth=parent.depth + 1,
             founded_on=dt.date(2000, 1, 1)) for i in range(SHEETS)])
    ScoreSheet.objects.bulk_create([
        ScoreSheet(rubric=rubric, unit=u, year=2020)
        for u in Unit.objects.filter(parent=parent, name__startswith="Chi đoàn ")])
    return rubric


def _fill(rubric: Rubric, seed: int, *, refused: bool = False) -> None:
    """Random lines, entries and flags on every sheet of the rubric (valid unless `refused`:
    then a few refused values, some of them hidden behind a department score)."""
    rng = random.Random(seed)
    criteria = {c.code: c for c in Criterion.objects.filter(area__rubric=rubric)}
    items = {i.code: i for i in RubricItem.objects.filter(rubric=rubric)}
    now = timezone.now()
    lines, entries = [], []
    for sheet in ScoreSheet.objects.filter(rubric=rubric).order_by("id"):
        adjusted = rng.random() < 0.15
        strong = rng.random() ** 0.3  # how often this unit takes the best value (mostly)
        for code, c in criteria.items():
            values = VALID[code]
            room = adjusted and code == "1.1"  # room for the adjustment below: 3 points or more
            if room:
                values = ["3", "5.5", "6"]
            for source, chance in ((LineSource.SELF, 1 if room else 0.85),
                                   (LineSource.DEPARTMENT, 0.4), (LineSource.IMPORTED, 0.3)):
                if rng.random() >= chance:
                    continue
                raw: str | None = values[-1] if rng.random() < strong else rng.choice(values)
                if rng.random() < (0 if room else 0.12):
                    raw = None  # a line without a value
                elif refused and rng.random() < 0.01:
                    raw = REFUSED[code]
                lines.append(ScoreLine(sheet=sheet, criterion=c, source=source,
                                       raw=D(raw) if raw is not None else None,
                                       points=D(0), at=now))
        if adjusted:
            lines.append(ScoreLine(sheet=sheet, criterion=criteria["1.1"],
                                   source=LineSource.ADJUSTMENT, raw=None,
                                   points=D(rng.choice(["-0.5", "-2", "0"])),
                                   reason="Đoàn kiểm tra", at=now))
        for code, most in (("T1", 4), ("TR1", 12)):
            for _ in range(rng.randrange(0, 3)):
                entries.append(SheetEntry(sheet=sheet, item=items[code],
                                          count=rng.randrange(1, most), reason="Ghi", at=now))
        if rng.random() < 0.1:
            ScoreSheet.objects.filter(pk=sheet.pk).update(flags=["L1"])
    ScoreLine.objects.bulk_create(lines)
    SheetEntry.objects.bulk_create(entries)


def _clear(rubric: Rubric) -> None:
    ScoreLine.objects.filter(sheet__rubric=rubric).delete()
    SheetEntry.objects.filter(sheet__rubric=rubric).delete()
    ScoreSheet.objects.filter(rubric=rubric).update(flags=[])


def _numbers(results: list[rules.Result]) -> dict[int, tuple[object, ...]]:
    return {r.unit_id: (r.total, r.criteria_total, r.bonus, r.penalty, dict(r.area_totals),
                        r.criterion_points["2.3"]) for r in results}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_perf3_sql_sums_give_the_scores_tiers_and_ranks_of_the_rules(
        sheets: SheetWorld, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rubric = _world(sheets)
    _fill(rubric, seed)
    summed: list[int] = []
    of_subtotals = rules.results_of_subtotals

    def spy(data: rules.Rubric, given: list[rules.Subtotals]) -> list[rules.Result]:
        summed.append(len(given))
        return of_subtotals(data, given)

    monkeypatch.setattr(rules, "results_of_subtotals", spy)
    data = scoring.rules_rubric(rubric)
    by_sql = ranking.results_by_sql(rubric, data)
    by_rules = ranking.results_by_rules(rubric, data)
    n = ScoreSheet.objects.filter(rubric=rubric).count()
    assert len(by_sql) == len(by_rules) == n
    adjusted = ScoreSheet.objects.filter(rubric=rubric, lines__source=LineSource.ADJUSTMENT
                                         ).distinct().count()
    # the database summed every sheet but those with adjustments
    assert 0 < adjusted < n and summed == [n - adjusted]
    assert _numbers(by_sql) == _numbers(by_rules)
    assert [r.unit_id for r in by_sql] == [r.unit_id for r in by_rules]

    rows = ranking.compute_rows(rubric)
    assert rows == ranking.compute_rows(rubric, by_sql=False)
    # the rules themselves agree (ties, caps and disqualifiers were reached)
    standings = rules.evaluate(data, ranking.rules_sheets(rubric))
    assert [(r.unit_id, r.total, r.rank, r.position, r.tier_code) for r in rows] == [
        (s.unit_id, s.total, s.rank, s.position, s.tier) for s in standings]
    assert len({r.rank for r in rows}) < len(rows)  # shared ranks
    assert {r.tier_code for r in rows} >= {"htxs", "htt"}
    assert any("vi phạm" in r.reasons for r in rows)
    assert any("tỷ lệ" in r.reasons for r in rows)


def test_perf3_sql_leaves_refused_values_to_the_rules(sheets: SheetWorld) -> None:
    rubric = _world(sheets)
    sheet = ScoreSheet.objects.filter(rubric=rubric).order_by("id").first()
    assert sheet is not None
    c11 = Criterion.objects.get(area__rubric=rubric, code="1.1")
    now = timezone.now()
    # a refused self-score that a department score replaces: no error, the same numbers
    ScoreLine.objects.bulk_create([
        ScoreLine(sheet=sheet, criterion=c11, source=LineSource.SELF, raw=D("6.5"),
                  points=D(0), at=now),
        ScoreLine(sheet=sheet, criterion=c11, source=LineSource.DEPARTMENT, raw=D("5"),
                  points=D(0), at=now)])
    rows = ranking.compute_rows(rubric)
    assert rows == ranking.compute_rows(rubric, by_sql=False)
    assert next(r for r in rows if r.unit_id == sheet.unit_id).criteria_total == D(5)
    # the department's value refused: both ways say so, naming the criterion
    ScoreLine.objects.filter(sheet=sheet, source=LineSource.DEPARTMENT).update(raw=D("7"))
    for by_sql in (True, False):
        with pytest.raises(ranking.RankingError, match="1.1"):
            ranking.compute_rows(rubric, by_sql=by_sql)
        assert gc.isenabled()  # the recompute pauses the cycle collector, even on an error


@pytest.mark.parametrize("seed", [4, 5])
def test_perf3_sql_with_refused_values_agrees_with_the_rules(sheets: SheetWorld,
                                                             seed: int) -> None:
    rubric = _world(sheets)
    _fill(rubric, seed, refused=True)
    outcomes = []
    for by_sql in (True, False):
        try:
            outcomes.append(ranking.compute_rows(rubric, by_sql=by_sql))
        except ranking.RankingError as exc:
            outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]
    _clear(rubric)
    assert ranking.compute_rows(rubric) == ranking.compute_rows(rubric, by_sql=False)


def _both_ways(rubric: Rubric) -> list[object]:
    outcomes: list[object] = []
    for by_sql in (True, False):
        try:
            outcomes.append(ranking.compute_rows(rubric, by_sql=by_sql))
        except ranking.RankingError as exc:
            outcomes.append(str(exc))
    return outcomes


@pytest.mark.parametrize("seed", [6, 7])
def test_perf3_sql_one_work_area_and_one_bound_agree_with_the_rules(sheets: SheetWorld,
                                                                    seed: int) -> None:
    """Every criterion in one work area (the query then filters no criterion id), and then
    every criterion a percent (one bound for the refused values, no criterion id either)."""
    rubric = _world(sheets)
    first = WorkArea.objects.get(rubric=rubric, code="I")
    Criterion.objects.filter(area__rubric=rubric).update(area=first)
    _fill(rubric, seed, refused=True)
    outcomes = _both_ways(rubric)
    assert outcomes[0] == outcomes[1]
    assert isinstance(outcomes[0], str)  # a refused value reached the rules
    _clear(rubric)
    _fill(rubric, seed)
    outcomes = _both_ways(rubric)
    assert outcomes[0] == outcomes[1] and isinstance(outcomes[0], list)
    assert {r.criteria_total for r in outcomes[0]} != {D(0)}
    # percents: the adjustments may leave the bounds, so none
    ScoreLine.objects.filter(sheet__rubric=rubric, source=LineSource.ADJUSTMENT).delete()
    Criterion.objects.filter(area__rubric=rubric).update(method="ty_le", unit_points=None)
    outcomes = _both_ways(rubric)
    assert outcomes[0] == outcomes[1] and isinstance(outcomes[0], list)
    ScoreLine.objects.filter(sheet__rubric=rubric, source=LineSource.SELF,
                             criterion__code="2.1", raw=D(7)).update(raw=D("100.5"))
    outcomes = _both_ways(rubric)
    assert outcomes[0] == outcomes[1] and isinstance(outcomes[0], str)
