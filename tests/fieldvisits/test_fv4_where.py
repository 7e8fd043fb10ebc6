"""FV-4 Where: a provincial cadre must visit both district and grassroots levels; a district
cadre the levels below; every cadre's year includes a hamlet/quarter branch meeting (1.6); the
one sentence of what is still missing."""

from __future__ import annotations

from doanvu.fieldvisits import rules
from tests.fieldvisits.compliance_fixtures import YEAR, fact, regime


def year(facts: list[rules.VisitFact], kind: str, **over: object) -> rules.ComplianceResult:
    policy = regime(**over)
    return rules.compliance(policy, rules.requirement(policy, YEAR), facts, cadre_kind=kind,
                            year=YEAR)


def test_the_missing_sentence_of_the_issue() -> None:
    r = year([fact("01/02", "18/03", places=("co_so",)), fact("01/05", places=("co_so",))],
             "tinh")
    assert r.counted_days == 48
    assert r.missing == ("Thiếu 12 ngày; chưa dự sinh hoạt chi đoàn ấp, khu phố; "
                         "chưa đi cấp huyện.")
    assert r.levels_missing == ("cấp huyện",)


def test_a_provincial_cadre_needs_both_levels() -> None:
    only_district = year([fact("01/01", "29/02", places=("huyen",)),
                          fact("01/03", kind="1.6", places=("huyen",))], "tinh")
    assert only_district.missing == "Chưa đi cấp cơ sở." and not only_district.met
    both = year([fact("01/01", "29/02", places=("huyen",)),
                 fact("01/03", kind="1.6", places=("chi_doan",))], "tinh")
    assert both.met and both.levels_missing == ()


def test_a_district_cadre_needs_the_levels_below_only() -> None:
    r = year([fact("01/01", "29/02", places=("co_so",)),
              fact("01/03", kind="1.6", places=("chi_doan",))], "huyen")
    assert r.met and r.by_level["huyen"] == 0


def test_branch_meeting_once_a_year() -> None:
    without = year([fact("01/01", "01/03", places=("huyen", "co_so"))], "tinh")
    assert without.missing == "Chưa dự sinh hoạt chi đoàn ấp, khu phố."
    twice = year([fact("01/01", "01/03", places=("huyen", "co_so")),
                  fact("05/03", kind="1.6", places=("chi_doan",))], "tinh",
                 branch_meetings_min=2)
    assert twice.branch_meetings == 1 and twice.missing == "Mới dự sinh hoạt chi đoàn 1/2 lần."


def test_an_invited_branch_meeting_does_not_count() -> None:
    r = year([fact("01/01", "01/03", places=("huyen", "co_so")),
              fact("05/03", kind="1.6", places=("chi_doan",), invitation_only=True)], "tinh")
    assert r.branch_meetings == 0 and not r.met
