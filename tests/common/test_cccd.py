"""One CCCD normaliser and validator (issue 9, item 5): the member form, the services, the import
and the ghost audit all ask common.cccd, so they cannot disagree."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doanvu.common.cccd import (
    PROVINCE_CODES,
    cccd_problem,
    is_well_formed,
    likely_cccd,
    normalise_cccd,
)
from doanvu.members.core import rules
from doanvu.members.imports import services as importers

CODES = sorted(PROVINCE_CODES)
SEPARATORS = st.sampled_from([" ", ".", "-", "\u00a0", "\u200b", "  "])


@given(code=st.sampled_from(CODES), gender=st.sampled_from(["nam", "nu"]),
       birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
       serial=st.integers(min_value=0, max_value=999_999),
       cuts=st.integers(min_value=0, max_value=2**11 - 1), separator=SEPARATORS)
@settings(deadline=None)
def test_i9_a_valid_number_typed_with_separators_normalises_to_itself(
        code: str, gender: str, birth: dt.date, serial: int, cuts: int, separator: str) -> None:
    number = rules.make_cccd(province=code, gender=gender, birth_year=birth.year, serial=serial)
    # a separator after digit i+1 wherever bit i of `cuts` is set
    typed = "".join(digit + (separator if cuts >> i & 1 else "")
                    for i, digit in enumerate(number))

    assert normalise_cccd(typed) == number
    assert cccd_problem(normalise_cccd(typed), birth_date=birth, gender=gender) is None
    if not number.startswith("00"):  # a number cell lost its leading 0 (one zero: see below)
        assert normalise_cccd(int(number)) == number


@given(raw=st.text(alphabet="0123456789 .-A\u0661", max_size=16),
       birth=st.none() | st.dates(min_value=dt.date(1900, 1, 1),
                                  max_value=dt.date(2099, 12, 31)),
       gender=st.sampled_from(["", "nam", "nu"]))
@settings(deadline=None)
def test_i9_the_form_and_the_import_give_the_same_verdict(raw: str, birth: dt.date | None,
                                                          gender: str) -> None:
    value = normalise_cccd(raw)
    problem = cccd_problem(value, birth_date=birth, gender=gender)
    try:
        accepted = rules.validate_cccd(raw, birth_date=birth, gender=gender)
        form = None
    except rules.RuleError as exc:
        accepted, form = None, exc.message
    report = importers.validate_cccd(value or "", birth_date=birth, gender=gender)

    assert form == problem
    assert accepted == (value if problem is None else None)
    assert report == (None if problem is None
                      else f"Số CCCD “{value or ''}”: {problem[0].lower()}{problem[1:]}")


def test_i9_cccd_messages_name_what_is_wrong() -> None:
    assert cccd_problem(None) == "Số CCCD phải có 12 chữ số (đang có 0)."
    assert cccd_problem("0722000012") == "Số CCCD phải có 12 chữ số (đang có 10)."
    assert cccd_problem("07220000123A") == "Số CCCD chỉ gồm chữ số."
    assert cccd_problem("099200001234") == (
        "Mã tỉnh 099 không tồn tại (3 chữ số đầu của số CCCD).")
    assert cccd_problem("072201001234", birth_date=dt.date(2001, 5, 1), gender="nu") == (
        "Chữ số thứ 4 (2) không khớp giới tính Nữ, sinh năm 2001.")
    assert cccd_problem("072299001234", birth_date=dt.date(2001, 5, 1), gender="nam") == (
        "Chữ số thứ 5–6 (99) không khớp năm sinh 2001.")
    assert cccd_problem("072001001234", birth_date=dt.date(2001, 5, 1)) == (
        "Chữ số thứ 4 (0) không khớp năm sinh 2001.")
    assert cccd_problem("072301001234", gender="nam") == (
        "Chữ số thứ 4 (3) không khớp giới tính Nam.")
    assert cccd_problem("072201001234", birth_date=dt.date(1850, 5, 1), gender="nam") == (
        "Năm sinh 1850 nằm ngoài phạm vi của số CCCD.")
    assert cccd_problem("072200001234", birth_date=dt.date(2000, 1, 15), gender="nam") is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("", None), ("  ", None), (None, None), ("072 200.001-234", "072200001234"),
    (72200001234, "072200001234"), (72200001234.0, "072200001234"), ("0722", "0722"),
    # Hà Nội's "001…" as a number cell keeps two zeros lost, as the import always did: the
    # row is refused as 10 digits rather than guessed
    (1200000000, "1200000000"),
])
def test_i9_normalise_cccd_keeps_the_digits_a_value_stands_for(raw: object,
                                                               expected: str | None) -> None:
    assert normalise_cccd(raw) == expected


def test_i9_the_ghost_audit_guesses_and_checks_through_the_same_module() -> None:
    assert likely_cccd("0722 0000 1234") == "072200001234"
    assert likely_cccd("72200001234") == "072200001234"
    assert likely_cccd("abc") is None
    assert likely_cccd("0722000012345") is None
    assert is_well_formed("072200001234") is True
    assert is_well_formed("07220000123") is False
