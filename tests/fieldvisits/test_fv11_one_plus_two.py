"""FV-11 "1+2": both readings as data — days at the base only, or days at the base and the
grassroots unit each cadre is assigned to (ORG-7); the page shows both parts."""

from __future__ import annotations

from doanvu.fieldvisits import rules
from tests.fieldvisits.compliance_fixtures import YEAR, fact, regime

MET = [fact("01/01", "29/02", places=("huyen", "co_so")),
       fact("01/03", kind="1.6", places=("chi_doan",))]


def year(facts: list[rules.VisitFact], **over: object) -> rules.ComplianceResult:
    policy = regime(**over)
    return rules.compliance(policy, rules.requirement(policy, YEAR), facts, cadre_kind="tinh",
                            year=YEAR)


def test_days_reading_asks_no_assigned_unit() -> None:
    r = year(MET)
    assert r.met and not r.assigned_unit_required and r.base_days_required == 60


def test_days_and_unit_reading_asks_for_the_assigned_unit() -> None:
    r = year(MET, one_plus_two="days_unit")
    assert r.assigned_unit_required and not r.met
    assert r.missing == "Chưa đến cơ sở được phân công phụ trách."
    at_unit = [*MET, fact("10/03", "12/03", places=("co_so",), assigned=True)]
    done = year(at_unit, one_plus_two="days_unit")
    assert done.met and done.assigned_unit_days == 3


def test_base_days_above_the_minimum_are_their_own_shortage() -> None:
    r = year(MET, one_plus_two_days=70)
    assert r.counted_days == 61 and r.base_days_required == 70
    assert r.missing == "Thiếu 9 ngày ở cơ sở theo chủ trương 1+2."


def test_base_days_are_pro_rated_like_the_requirement() -> None:
    policy = regime(one_plus_two_days=70)
    req = rules.requirement(policy, YEAR, statuses=[
        rules.StatusSpan("thai_san", "Nghỉ thai sản", fact("01/01").start, fact("30/06").start)])
    r = rules.compliance(policy, req, [], cadre_kind="tinh", year=YEAR)
    assert req.days == 30 and r.base_days_required == 35
