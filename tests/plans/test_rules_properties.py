"""The pure rules of plans, held by hypothesis (PLAN-2, PLAN-3)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from doanvu.plans import rules

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
leads = st.integers(min_value=0, max_value=60)


@given(issued=days, gap=st.integers(min_value=0, max_value=120), lead=leads, urgent=st.booleans())
def test_plan3_in_time_exactly_when_the_lead_time_is_given(issued: dt.date, gap: int, lead: int,
                                                          urgent: bool) -> None:
    act = issued + dt.timedelta(days=gap)
    verdict = rules.lead_time_verdict(lead_days=lead, issued_on=issued, act_on=act,
                                      urgent=urgent)

    assert (verdict == rules.IN_TIME) == (gap >= lead)
    if gap < lead:
        assert verdict == (rules.EXCEPTION if urgent else rules.SHORT)


@given(issued=days, gap=st.integers(min_value=0, max_value=120), extra=st.integers(0, 30),
       lead=leads, urgent=st.booleans())
def test_plan3_issuing_earlier_never_makes_it_worse(issued: dt.date, gap: int, extra: int,
                                                    lead: int, urgent: bool) -> None:
    act = issued + dt.timedelta(days=gap)
    rank = {rules.IN_TIME: 0, rules.EXCEPTION: 1, rules.SHORT: 2}
    later = rules.lead_time_verdict(lead_days=lead, issued_on=issued, act_on=act, urgent=urgent)
    earlier = rules.lead_time_verdict(lead_days=lead, issued_on=issued - dt.timedelta(days=extra),
                                      act_on=act, urgent=urgent)

    assert rank[earlier] <= rank[later]


@given(issued=days, gap=st.integers(min_value=0, max_value=120), lead=leads)
def test_plan3_urgent_is_never_short_and_no_policy_never_warns(issued: dt.date, gap: int,
                                                              lead: int) -> None:
    act = issued + dt.timedelta(days=gap)

    assert rules.lead_time_verdict(lead_days=lead, issued_on=issued, act_on=act,
                                   urgent=True) != rules.SHORT
    assert rules.lead_time_verdict(lead_days=None, issued_on=issued, act_on=act,
                                   urgent=False) == rules.IN_TIME


@given(st.lists(st.sampled_from([rules.IN_TIME, rules.EXCEPTION, rules.SHORT])))
def test_plan3_count_adds_up(verdicts: list[str]) -> None:
    count = rules.count_verdicts(verdicts)

    assert count.total == len(verdicts) == count.in_time + count.exceptions + count.short
    assert count.not_in_time == len([v for v in verdicts if v != rules.IN_TIME])


@given(due=st.one_of(st.none(), days), progress=st.integers(0, 100), on=days)
def test_plan2_late_only_past_the_last_day_and_not_done(due: dt.date | None, progress: int,
                                                       on: dt.date) -> None:
    late = rules.is_late(due_by=due, progress=progress, on=on)

    assert late == (due is not None and on > due and progress < 100)
    if late:
        assert not rules.is_late(due_by=due, progress=100, on=on)


@given(due=days, issued=st.one_of(st.none(), days), on=days)
def test_plan1_implementing_state(due: dt.date, issued: dt.date | None, on: dt.date) -> None:
    state = rules.implementing_state(due_on=due, issued_on=issued, on=on)

    if issued is None:
        assert state == (rules.MISSING if on > due else rules.NOT_YET)
    else:
        assert state == (rules.ISSUED_ON_TIME if issued <= due else rules.ISSUED_LATE)
