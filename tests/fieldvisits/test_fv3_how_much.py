"""FV-3 How much: days from dated visits, distinct; the split by level of a province's variant;
more than the minimum shown as such; the regime is data (a 30-day variant)."""

from __future__ import annotations

from doanvu.fieldvisits import rules
from tests.fieldvisits.compliance_fixtures import SPLIT_LEVELS, YEAR, fact, regime


def year(policy: rules.RegimePolicy, facts: list[rules.VisitFact], kind: str = "tinh"
         ) -> rules.ComplianceResult:
    return rules.compliance(policy, rules.requirement(policy, YEAR), facts, cadre_kind=kind,
                            year=YEAR)


def test_overlapping_visits_count_each_day_once() -> None:
    r = year(regime(), [fact("01/03", "10/03"), fact("05/03", "12/03"), fact("12/03")])
    assert r.counted_days == 12
    assert r.missing.startswith("Thiếu 48 ngày")


def test_more_than_the_minimum_is_shown() -> None:
    r = year(regime(), [fact("01/01", "01/03", places=("huyen", "co_so")),
                        fact("10/03", kind="1.6", places=("chi_doan",))])
    assert r.counted_days == 62 and r.met and r.extra_days == 2 and r.missing == ""


def test_unreported_visits_wait_and_late_reports_count_from_then() -> None:
    v = fact("01/03", "05/03", reported=None)
    r = year(regime(), [v])
    assert r.counted_days == 0 and r.unreported == 1
    assert "báo cáo" in rules.why_not_counted(regime(), v)
    late = fact("01/03", "05/03", reported="20/03")
    assert rules.compliance(regime(), rules.requirement(regime(), YEAR), [late],
                            cadre_kind="tinh", year=YEAR, as_of=d_("19/03")).counted_days == 0
    assert year(regime(), [late]).counted_days == 5


def d_(day: str):  # noqa: ANN201
    from tests.fieldvisits.compliance_fixtures import d

    return d(day)


def test_split_by_level() -> None:
    policy = regime(levels=SPLIT_LEVELS, days_by_level={"chi_doan": 30, "xa": 20, "huyen": 10},
                    coverage={})
    assert rules.policy_problems(policy) == []
    r = year(policy, [fact("01/01", "30/01", places=("chi_doan",), kind="1.6"),
                      fact("01/02", "15/02", places=("co_so",)),
                      fact("01/03", "15/03", places=("huyen",))])
    assert r.by_level == {"huyen": 15, "xa": 15, "chi_doan": 30}
    assert r.counted_days == 60
    assert not r.met
    assert r.missing == "Thiếu 5 ngày ở cấp xã."


def test_split_is_pro_rated_too() -> None:
    policy = regime(levels=SPLIT_LEVELS, days_by_level={"chi_doan": 30, "xa": 20, "huyen": 10},
                    coverage={})
    req = rules.requirement(policy, YEAR, statuses=[
        rules.StatusSpan("thai_san", "Nghỉ thai sản", d_("01/01"), d_("30/06"))])
    assert req.days == 30 and dict(req.by_level) == {"chi_doan": 15, "xa": 10, "huyen": 5}


def test_a_split_larger_than_the_total_is_refused() -> None:
    policy = regime(levels=SPLIT_LEVELS, days_by_level={"chi_doan": 40, "xa": 20, "huyen": 10})
    assert any("vượt" in p for p in rules.policy_problems(policy))


def test_a_thirty_day_variant() -> None:
    policy = regime(min_days=30, one_plus_two_days=30)
    r = year(policy, [fact("01/04", "30/04", places=("huyen", "chi_doan"), kind="1.6")])
    assert r.required.days == 30 and r.counted_days == 30 and r.met
