"""MEM-1, MEM-2: the pure rules (CCCD, ages, admission, maturity), property-tested."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doanvu.members.core import rules

CODES = sorted(rules.PROVINCE_CODES)


@dataclass
class Policy:
    min_admission_age: int = 16
    max_admission_age: int = 30
    maturity_age: int = 30
    maturity_exempts_union_post: bool = True


def test_mem1_province_list_has_the_63_provinces() -> None:
    assert len(rules.PROVINCE_CODES) == 63
    assert rules.PROVINCE_CODES["001"] == "Hà Nội"
    assert rules.PROVINCE_CODES["072"] == "Tây Ninh"
    assert rules.PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert rules.PROVINCE_CODES["096"] == "Cà Mau"


@given(code=st.sampled_from(CODES), gender=st.sampled_from(["nam", "nu"]),
       birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
       serial=st.integers(min_value=0, max_value=999_999), spaces=st.booleans())
def test_mem1_generated_valid_cccd_is_accepted_and_normalised(
        code: str, gender: str, birth: dt.date, serial: int, spaces: bool) -> None:
    number = rules.make_cccd(province=code, gender=gender, birth_year=birth.year, serial=serial)
    typed = f"{number[:3]} {number[3:6]} {number[6:]}" if spaces else number

    assert rules.validate_cccd(typed, birth_date=birth, gender=gender) == number
    assert len(number) == 12


@given(code=st.sampled_from(CODES), gender=st.sampled_from(["nam", "nu"]),
       birth=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 12, 31)),
       serial=st.integers(min_value=0, max_value=999_999))
def test_mem1_cccd_of_the_other_gender_is_refused(code: str, gender: str, birth: dt.date,
                                                  serial: int) -> None:
    other = "nu" if gender == "nam" else "nam"
    number = rules.make_cccd(province=code, gender=other, birth_year=birth.year, serial=serial)

    with pytest.raises(rules.RuleError) as exc:
        rules.validate_cccd(number, birth_date=birth, gender=gender)
    label = "Nữ" if gender == "nu" else "Nam"
    assert exc.value.message == (f"Chữ số thứ 4 ({number[3]}) không khớp giới tính {label}, "
                                 f"sinh năm {birth.year}.")


@given(digits=st.text(alphabet="0123456789", min_size=0, max_size=20))
def test_mem1_cccd_of_wrong_length_is_refused(digits: str) -> None:
    if len(digits) == 12:
        return
    with pytest.raises(rules.RuleError) as exc:
        rules.validate_cccd(digits)
    assert exc.value.message == f"Số CCCD phải có 12 chữ số (đang có {len(digits)})."


def test_mem1_cccd_messages_name_what_is_wrong() -> None:
    def error(raw: str, **kw: object) -> str:
        with pytest.raises(rules.RuleError) as exc:
            rules.validate_cccd(raw, **kw)  # type: ignore[arg-type]
        return exc.value.message

    assert error("0722000012") == "Số CCCD phải có 12 chữ số (đang có 10)."
    assert error("07220000123A") == "Số CCCD chỉ gồm chữ số."
    assert error("099200001234") == "Mã tỉnh 099 không tồn tại (3 chữ số đầu của số CCCD)."
    assert error("072201001234", birth_date=dt.date(2001, 5, 1), gender="nu") == (
        "Chữ số thứ 4 (2) không khớp giới tính Nữ, sinh năm 2001.")
    assert error("072299001234", birth_date=dt.date(2001, 5, 1), gender="nam") == (
        "Chữ số thứ 5–6 (99) không khớp năm sinh 2001.")
    assert error("072001001234", birth_date=dt.date(2001, 5, 1)) == (
        "Chữ số thứ 4 (0) không khớp năm sinh 2001.")
    assert rules.validate_cccd(" 072 200 001 234 ", birth_date=dt.date(2000, 1, 15),
                               gender="nam") == "072200001234"


@given(birth=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2020, 12, 31)),
       years=st.integers(min_value=0, max_value=60))
def test_mem2_age_on_the_birthday_is_exact(birth: dt.date, years: int) -> None:
    birthday = rules.years_before(birth, -years)
    day_before = birthday - dt.timedelta(days=1)

    assert rules.age_on(birth, birthday) == years or (birth.month, birth.day) == (2, 29)
    assert rules.age_on(birth, day_before) == years - 1 or (birth.month, birth.day) == (2, 29)


def test_mem2_admission_age_uses_the_policy() -> None:
    on = dt.date(2025, 3, 26)
    assert rules.check_admission_age(birth_date=dt.date(2009, 3, 26), on=on, policy=Policy()) == 16
    assert rules.check_admission_age(birth_date=dt.date(1994, 3, 27), on=on, policy=Policy()) == 30
    with pytest.raises(rules.RuleError) as young:
        rules.check_admission_age(birth_date=dt.date(2009, 3, 27), on=on, policy=Policy())
    with pytest.raises(rules.RuleError) as old:
        rules.check_admission_age(birth_date=dt.date(1994, 3, 26), on=on, policy=Policy())
    assert young.value.message == ("Tuổi vào Đoàn từ 16 đến 30: người sinh ngày 27/03/2009 "
                                   "mới 15 tuổi vào ngày 26/03/2025.")
    assert old.value.message == ("Tuổi vào Đoàn từ 16 đến 30: người sinh ngày 26/03/1994 "
                                 "đã 31 tuổi vào ngày 26/03/2025.")
    # another policy, other numbers
    assert rules.check_admission_age(birth_date=dt.date(2010, 1, 1), on=on,
                                     policy=Policy(min_admission_age=15)) == 15


@given(age=st.integers(min_value=14, max_value=40), post=st.booleans(), exempts=st.booleans())
def test_mem2_maturity_due_from_the_policy_age_unless_holding_a_post(age: int, post: bool,
                                                                    exempts: bool) -> None:
    on = dt.date(2025, 6, 1)
    birth = rules.years_before(on, age)
    policy = Policy(maturity_exempts_union_post=exempts)

    due = rules.maturity_due(birth_date=birth, on=on, holds_union_post=post, policy=policy)

    assert due == (age >= 30 and not (post and exempts))


def test_mem2_age_bands_give_birth_ranges() -> None:
    on = dt.date(2025, 6, 1)
    earliest, latest = rules.birth_range_for_ages(on, 16, 18)
    assert (earliest, latest) == (dt.date(2006, 6, 1), dt.date(2009, 6, 1))
    assert rules.age_on(latest, on) == 16
    assert rules.age_on(earliest + dt.timedelta(days=1), on) == 18
    assert rules.age_on(earliest, on) == 19
