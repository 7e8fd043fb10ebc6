"""Properties of remediation's pure rules, with hypothesis: the year's count is new + carried −
linked duplicates (REM-1); scaling every weight together never changes a score nor a ranking
(REM-3)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from doanvu.remediation import rules

entries = st.builds(rules.Entry, year_found=st.integers(2010, 2020),
                    review_year=st.just(2020), duplicate=st.booleans())


@given(st.lists(entries, max_size=40))
def test_rem1_count_is_new_plus_carried_minus_linked_duplicates(items: list[rules.Entry]) -> None:
    count = rules.register_count(items)

    new = sum(1 for e in items if e.year_found == e.review_year)
    carried = sum(1 for e in items if e.year_found < e.review_year)
    duplicates = sum(1 for e in items if e.duplicate)
    assert count.total == new + carried - duplicates
    assert count.total == sum(1 for e in items if not e.duplicate)


def test_rem1_seed_004_counts_seven() -> None:
    items = ([rules.Entry(2019, 2019, False)] * 5 + [rules.Entry(2018, 2019, False)] * 2
             + [rules.Entry(2018, 2019, True)])

    count = rules.register_count(items)

    assert (count.new, count.carried, count.duplicates, count.total) == (5, 3, 1, 7)


CODES = ("tai_lieu", "nhiem_vu", "khac_phuc", "sang_kien")
weights = st.fixed_dictionaries({c: st.integers(1, 60) for c in CODES})
points = st.fixed_dictionaries({c: st.integers(0, 100) for c in CODES})


@given(weights, st.dictionaries(st.text(min_size=1, max_size=5), points, min_size=2, max_size=8),
       st.integers(2, 50))
def test_rem3_scaling_all_weights_never_changes_a_ranking(
        w: dict[str, int], members: dict[str, dict[str, int]], k: int) -> None:
    scaled = {c: v * k for c, v in w.items()}

    assert rules.ranking(scaled, members) == rules.ranking(w, members)


def test_rem3_seed_004_remediation_weighs_forty_percent() -> None:
    w = {"tai_lieu": 20, "nhiem_vu": 30, "khac_phuc": 40, "sang_kien": 10}

    score = rules.weighted_score(w, {"tai_lieu": 100, "nhiem_vu": 100, "khac_phuc": 50,
                                     "sang_kien": 0})

    assert str(score) == "70.00"


events = st.lists(st.sampled_from([rules.EVIDENCE, rules.CLOSE]), max_size=30)


@given(st.integers(0, 3), st.booleans(), events)
def test_rem2_adding_evidence_never_reopens_a_closed_item(
        evidence: int, closed: bool, sequence: list[str]) -> None:
    state = rules.ItemState(evidence=evidence + (1 if closed else 0), closed=closed)
    was_closed = state.closed

    for event in sequence:
        after = rules.step(state, event)
        if state.closed:
            assert after.closed
        if event == rules.EVIDENCE:
            assert after.closed == state.closed
            assert after.evidence == state.evidence + 1
        state = after

    assert state.closed or not was_closed
    assert not state.closed or state.evidence >= 1


thresholds = st.lists(st.builds(rules.Threshold, level=st.sampled_from(["a", "b", "c", "d"]),
                                minimum=st.integers(0, 100).map(Decimal)),
                      max_size=4, unique_by=(lambda t: t.minimum, lambda t: t.level))


@given(thresholds, st.integers(0, 10000), st.integers(0, 10000))
def test_rem3_a_higher_year_mean_never_suggests_a_lower_threshold(
        items: list[rules.Threshold], x: int, y: int) -> None:
    low, high = sorted((Decimal(x) / 100, Decimal(y) / 100))
    floor = {t.level: t.minimum for t in items}

    a = rules.suggested_level(items, low)
    b = rules.suggested_level(items, high)

    assert (b is None) == all(t.minimum > high for t in items)
    if a is not None:
        assert b is not None
        chosen_low = max(t.minimum for t in items if t.minimum <= low)
        chosen_high = max(t.minimum for t in items if t.minimum <= high)
        assert chosen_high >= chosen_low
        assert floor[b] <= high


def test_rem3_year_mean_of_months() -> None:
    assert rules.year_mean([Decimal("70.00"), Decimal("80.50"), 90]) == Decimal("80.17")
    assert rules.year_mean([]) is None
