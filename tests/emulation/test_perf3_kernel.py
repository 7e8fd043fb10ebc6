"""PERF-3 kernel at full size: 10 000 units × 60 criteria recomputed right (the timing is
measured by a script, never asserted in a test)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from doanvu.emulation.rules import (
    Criterion,
    Disqualifier,
    Entry,
    Item,
    ItemKind,
    Method,
    Rubric,
    Sheet,
    TieBreak,
    Tier,
    TierCap,
    evaluate,
    final_score,
)

D = Decimal
UNITS, CRITERIA = 10_000, 60
METHODS = (Method.POINTS, Method.YES_NO, Method.COUNT, Method.PERCENT)
GROUPS = ("quan_huyen", "cnld", "llvt")


def nation() -> tuple[Rubric, list[Sheet]]:
    rng = random.Random(2020)
    criteria = tuple(
        Criterion(f"C{i:02}", f"A{i // 15}", D(5), METHODS[i % 4],
                  D("0.5") if METHODS[i % 4] is Method.COUNT else None)
        for i in range(CRITERIA))
    rubric = Rubric(
        criteria,
        (Tier("xs", D(185)), Tier("tot", D(175)), Tier("ht", D(150)), Tier("kht", D(0))),
        items=(Item("B1", ItemKind.BONUS, D(3)), Item("P1", ItemKind.PENALTY, D(4))),
        bonus_cap=D(5), penalty_cap=D(6),
        caps=(TierCap("xs", D(15)),),
        disqualifiers=(Disqualifier("V1", frozenset({"xs", "tot"})),),
        tie_breaks=(TieBreak.area("A0"), TieBreak.fewer_penalty(), TieBreak.self_score()),
    )

    def raw(method: Method) -> Decimal | int | bool:
        if method is Method.YES_NO:
            return rng.random() < 0.8
        if method is Method.COUNT:
            return rng.randrange(0, 15)
        if method is Method.PERCENT:
            return D(rng.randrange(0, 1001)) / 10
        return D(rng.randrange(0, 501)) / 100

    sheets = []
    for u in range(UNITS):
        own = {c.code: raw(c.method) for c in criteria}
        department = {c.code: raw(c.method) for c in criteria if rng.random() < 0.7}
        entries = (Entry("B1", D(rng.randrange(0, 4))), Entry("B1", D(rng.randrange(0, 4))),
                   Entry("P1", D(rng.randrange(0, 5))))
        flags = frozenset({"V1"}) if u % 97 == 0 else frozenset()
        sheets.append(Sheet(u + 1, f"U{u:05}", GROUPS[u % 3], own, department, entries,
                            flags=flags))
    return rubric, sheets


def _points(c: Criterion, raw: Decimal | int | bool) -> Decimal:
    """The scoring methods written out again, independently of the module."""
    if c.method is Method.YES_NO:
        return c.max_points if raw else D(0)
    if c.method is Method.COUNT:
        assert c.points_per_item is not None
        return min(c.max_points, c.points_per_item * raw)
    if c.method is Method.PERCENT:
        return (c.max_points * D(raw) / 100).quantize(D("0.01"), ROUND_HALF_UP)
    return D(raw)


def test_perf3_recompute_of_10000_units_by_60_criteria_is_right() -> None:
    rubric, sheets = nation()

    table = evaluate(rubric, sheets)

    assert len(table) == UNITS
    expected: dict[int, tuple[Decimal, Decimal, Decimal, Decimal]] = {}
    for sheet in sheets:
        area0 = criteria = own_total = D(0)
        for c in rubric.criteria:
            raw = sheet.department_scores.get(c.code, sheet.self_scores.get(c.code))
            assert raw is not None
            points = _points(c, raw)
            criteria += points
            own = sheet.self_scores[c.code]
            assert own is not None
            own_total += _points(c, own)
            if c.area == "A0":
                area0 += points
        bonus = min(D(5), min(D(3), sum((e.points for e in sheet.entries if e.item == "B1"),
                                        D(0))))
        penalty = min(D(6), min(D(4), sum((e.points for e in sheet.entries if e.item == "P1"),
                                          D(0))))
        expected[sheet.unit_id] = (max(D(0), criteria + bonus - penalty), area0, penalty,
                                   own_total)
    flagged = {s.unit_id for s in sheets if s.flags}

    by_group: dict[str, list] = defaultdict(list)
    for standing in table:
        assert standing.total == expected[standing.unit_id][0]
        by_group[standing.group].append(standing)
    assert sorted(by_group) == sorted(GROUPS)
    for members in by_group.values():
        # the table is in position order, and the order is the declared one
        assert [s.position for s in members] == list(range(1, len(members) + 1))
        keys = [(-expected[s.unit_id][0], -expected[s.unit_id][1], expected[s.unit_id][2],
                 -expected[s.unit_id][3], s.unit_id) for s in members]
        assert keys == sorted(keys)
        for previous, current in zip(members, members[1:], strict=False):
            same = keys[current.position - 1][:-1] == keys[previous.position - 1][:-1]
            assert current.rank == (previous.rank if same else current.position)
        tiers = Counter(s.tier for s in members)
        assert tiers["xs"] == len(members) * 15 // 100  # the cap binds at this size
        assert all(s.tier in ("ht", "kht") for s in members if s.unit_id in flagged)
        assert all(s.tier == "kht" for s in members if s.total < 150)

    for sheet in sheets[::997]:
        explained = final_score(rubric, sheet)
        assert explained.total == expected[sheet.unit_id][0]
        assert sum((line.points for line in explained.lines), D(0)) == explained.total


# the figures for the note: `.venv/bin/python -m tests.emulation.test_perf3_kernel`
if __name__ == "__main__":
    import dataclasses
    import time

    from doanvu.emulation.rules import classify, final_scores, rank

    rubric, sheets = nation()
    without_self = dataclasses.replace(rubric, tie_breaks=rubric.tie_breaks[:2])
    print(f"PERF-3 kernel, {UNITS} units x {CRITERIA} criteria; CPU time, best and median of 5")
    for label, rb in (("tie-breaks: area, penalties, self-score", rubric),
                      ("tie-breaks: area, penalties", without_self)):
        runs: dict[str, list[float]] = defaultdict(list)
        for _ in range(5):
            t0 = time.process_time()
            results = final_scores(rb, sheets)
            t1 = time.process_time()
            ranking = rank(rb, results)
            t2 = time.process_time()
            classify(rb, results, ranking)
            t3 = time.process_time()
            wall = time.perf_counter()
            evaluate(rb, sheets)
            wall = time.perf_counter() - wall
            t4 = time.process_time()
            for name, seconds in (("final_scores", t1 - t0), ("rank", t2 - t1),
                                  ("classify", t3 - t2), ("evaluate (all three)", t4 - t3),
                                  ("evaluate, wall clock", wall)):
                runs[name].append(seconds)
        print(f" {label}")
        for name, values in runs.items():
            values.sort()
            print(f"  {name:<22} {values[0] * 1000:5.0f} ms {values[2] * 1000:5.0f} ms")
    t0 = time.process_time()
    for sheet in sheets[:1000]:
        final_score(rubric, sheet, explain=False)
    one_by_one = (time.process_time() - t0) * UNITS / 1000
    t0 = time.process_time()
    for sheet in sheets[:1000]:
        final_score(rubric, sheet)
    explained = (time.process_time() - t0) / 1000
    print(f" final_score one sheet at a time, {UNITS} sheets: {one_by_one * 1000:.0f} ms")
    print(f" one explained sheet: {explained * 1000:.2f} ms")
