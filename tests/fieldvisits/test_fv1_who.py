"""FV-1 Who must go: the requirement with its arithmetic from the dated statuses and posts;
exempt roles and statuses are listed as exempt, never as late."""

from __future__ import annotations

import pytest

from doanvu.fieldvisits import rules
from doanvu.fieldvisits.compliance import cadre_year
from tests.fieldvisits.compliance_fixtures import FV, YEAR, d, fv, regime  # noqa: F401

MATERNITY = "Nghỉ thai sản"


def span(kind: str, label: str, start: str, end: str | None) -> rules.StatusSpan:
    return rules.StatusSpan(kind, label, d(start), d(end) if end else None)


def test_maternity_half_year_is_pro_rated_with_its_arithmetic() -> None:
    req = rules.requirement(regime(), 2021, statuses=[
        rules.StatusSpan("thai_san", MATERNITY, d("01/01/2021"), d("30/06/2021"))])
    assert not req.exempt
    assert req.days == 30
    assert req.text == "60 ngày × 6/12 tháng = 30 ngày, vì nghỉ thai sản 01/01–30/06"


def test_without_status_the_full_requirement() -> None:
    req = rules.requirement(regime(), YEAR, titles=["Chuyên viên Ban Tổ chức – Kiểm tra"])
    assert (req.exempt, req.days) == (False, 60)
    assert "60 ngày/năm" in req.text


@pytest.mark.parametrize("title", [
    "Văn thư", "Kế toán", "Thủ quỹ", "Chuyên viên thi đua – khen thưởng",
    "Cán bộ thi đua, khen thưởng",
    "Phó Chánh Văn phòng phụ trách hành chính quản trị",
])
def test_exempt_roles(title: str) -> None:
    req = rules.requirement(regime(), YEAR, titles=["Ủy viên", title])
    assert req.exempt and req.days == 0
    assert title in req.text and req.text.startswith("Không áp dụng")
    result = rules.compliance(regime(), req, [], cadre_kind="tinh", year=YEAR)
    assert result.met and result.missing == ""  # exempt, never late


@pytest.mark.parametrize("title", ["Chánh Văn phòng", "Trưởng Ban Tổ chức – Kiểm tra",
                                   "Phó Bí thư", "Bí thư"])
def test_other_roles_must_go(title: str) -> None:
    assert rules.requirement(regime(), YEAR, titles=[title]).days == 60


@pytest.mark.parametrize(("kind", "label", "start", "end"), [
    ("thai_san", MATERNITY, "01/01", None),
    ("biet_phai", "Cử đi công tác cơ sở", "01/01", "30/06/2021"),
    ("dao_tao_tap_trung", "Đào tạo tập trung", "01/01", "31/12"),
])
def test_exempt_statuses_for_the_whole_year(kind: str, label: str, start: str,
                                            end: str | None) -> None:
    req = rules.requirement(regime(), YEAR, statuses=[span(kind, label, start, end)])
    assert req.exempt and req.days == 0
    assert label.lower() in req.text
    result = rules.compliance(regime(), req, [], cadre_kind="tinh", year=YEAR)
    assert result.met and result.missing == ""


def test_training_of_six_months_exempts_its_months_and_less_does_not() -> None:
    six = rules.requirement(regime(), YEAR, statuses=[
        span("dao_tao_tap_trung", "Đào tạo tập trung", "01/03", "31/08")])
    assert six.days == 30 and "6/12 tháng" in six.text
    less = rules.requirement(regime(), YEAR, statuses=[
        span("dao_tao_tap_trung", "Đào tạo tập trung", "01/03", "30/08")])
    assert less.days == 60 and not less.exempt
    seconded = rules.requirement(regime(), YEAR, statuses=[
        span("biet_phai", "Biệt phái", "01/03", "15/07")])
    assert seconded.days == 60


def test_the_cadres_year_from_the_database(fv: FV) -> None:  # noqa: F811
    clerk = cadre_year(fv.clerk, YEAR)
    assert clerk is not None and clerk.required.exempt and clerk.result.met
    mother = cadre_year(fv.mother, YEAR)
    assert mother is not None
    assert mother.required.text == "60 ngày × 6/12 tháng = 30 ngày, vì nghỉ thai sản 01/01–30/06"
    assert mother.result.counted_days == 30 and mother.result.met is False  # no branch meeting
