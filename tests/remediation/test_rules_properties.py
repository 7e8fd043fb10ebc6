"""Properties of remediation's pure rules, with hypothesis: the year's count is new + carried −
linked duplicates (REM-1); scaling every weight together never changes a score nor a ranking
(REM-3)."""

from __future__ import annotations

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
