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
    age_counting: str = rules.AGE_RUNNING


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
    birthday = rules.anniversary(birth, years)
    day_before = birthday - dt.timedelta(days=1)

    assert rules.age_on(birth, birthday) == years
    assert rules.age_on(birth, day_before) == years - 1
    # the Union's age: the years completed on a birthday, the year of life one is in otherwise
    assert rules.union_age(birth, birthday) == years
    assert rules.union_age(birth, birthday + dt.timedelta(days=1)) == years + 1
    assert rules.union_age(birth, birthday, rules.AGE_COMPLETED) == years


TODAY = dt.date(2025, 3, 26)


@pytest.mark.parametrize(("birth", "admissible"), [
    (dt.date(2010, 3, 26), False),  # 15th birthday today: not yet "16"
    (dt.date(2010, 3, 25), True),  # 15 years and one day: "16" (HD 22-HD/TWĐTN)
    (dt.date(1995, 3, 26), True),  # 30th birthday today: still 30, not over it
    (dt.date(1995, 3, 25), False),  # the day after the 30th birthday: "quá 30 tuổi"
])
def test_mem2_admission_from_15_years_and_a_day_to_the_30th_birthday(birth: dt.date,
                                                                     admissible: bool) -> None:
    try:
        rules.check_admission_age(birth_date=birth, on=TODAY, policy=Policy())
        admitted = True
    except rules.RuleError:
        admitted = False
    assert admitted is admissible


@pytest.mark.parametrize(("birth", "past"), [
    (dt.date(1995, 3, 26), False),  # 30th birthday today: not yet over 30
    (dt.date(1995, 3, 25), True),  # the day after: over 30
    (dt.date(1996, 3, 26), False),
])
def test_mem2_over_30_from_the_day_after_the_30th_birthday(birth: dt.date, past: bool) -> None:
    policy = Policy()
    assert rules.past_maturity_age(birth_date=birth, on=TODAY, policy=policy) is past
    assert rules.maturity_due(birth_date=birth, on=TODAY, holds_union_post=False,
                              policy=policy) is past


def test_mem2_birthday_on_29_february() -> None:
    birth = dt.date(2008, 2, 29)
    # in 2023 (no 29/02) the 15th birthday is 28/02: "16" from 01/03
    assert rules.union_age(birth, dt.date(2023, 2, 28)) == 15
    assert rules.union_age(birth, dt.date(2023, 3, 1)) == 16
    with pytest.raises(rules.RuleError) as young:
        rules.check_admission_age(birth_date=birth, on=dt.date(2023, 2, 28), policy=Policy())
    assert "tính từ ngày 01/03/2023" in young.value.message
    assert rules.check_admission_age(birth_date=birth, on=dt.date(2023, 3, 1),
                                     policy=Policy()) == 16
    # in a leap year the birthday is the 29th itself
    old = dt.date(1996, 2, 29)
    assert rules.union_age(old, dt.date(2026, 2, 28)) == 30  # 30th birthday (no 29/02 in 2026)
    assert rules.union_age(old, dt.date(2026, 3, 1)) == 31
    assert rules.union_age(dt.date(1994, 2, 28), dt.date(2024, 2, 29)) == 31
    assert rules.union_age(dt.date(1994, 2, 28), dt.date(2024, 2, 28)) == 30
    assert not rules.past_maturity_age(birth_date=old, on=dt.date(2026, 2, 28), policy=Policy())
    assert rules.past_maturity_age(birth_date=old, on=dt.date(2026, 3, 1), policy=Policy())


def test_mem2_completed_years_when_the_policy_says_so() -> None:
    policy = Policy(age_counting=rules.AGE_COMPLETED)
    # 15 years and a day is still 15 in completed years
    with pytest.raises(rules.RuleError):
        rules.check_admission_age(birth_date=dt.date(2010, 3, 25), on=TODAY, policy=policy)
    assert rules.check_admission_age(birth_date=dt.date(2009, 3, 26), on=TODAY,
                                     policy=policy) == 16


def test_mem2_admission_age_uses_the_policy() -> None:
    on = TODAY
    assert rules.check_admission_age(birth_date=dt.date(2010, 3, 25), on=on, policy=Policy()) == 16
    assert rules.check_admission_age(birth_date=dt.date(1995, 3, 26), on=on, policy=Policy()) == 30
    with pytest.raises(rules.RuleError) as young:
        rules.check_admission_age(birth_date=dt.date(2010, 3, 26), on=on, policy=Policy())
    with pytest.raises(rules.RuleError) as old:
        rules.check_admission_age(birth_date=dt.date(1995, 3, 25), on=on, policy=Policy())
    assert young.value.message == ("Tuổi vào Đoàn từ 16 đến 30: người sinh ngày 26/03/2010 "
                                   "đến ngày 26/03/2025 chưa đủ 16 tuổi (tính từ ngày "
                                   "27/03/2025).")
    assert old.value.message == ("Tuổi vào Đoàn từ 16 đến 30: người sinh ngày 25/03/1995 "
                                 "đã quá 30 tuổi vào ngày 26/03/2025.")
    # another policy, other numbers
    assert rules.check_admission_age(birth_date=dt.date(2011, 1, 1), on=on,
                                     policy=Policy(min_admission_age=15)) == 15


@given(age=st.integers(min_value=14, max_value=40), post=st.booleans(), exempts=st.booleans(),
       after=st.booleans())
def test_mem2_maturity_due_past_the_policy_age_unless_holding_a_post(
        age: int, post: bool, exempts: bool, after: bool) -> None:
    on = dt.date(2025, 6, 1)
    # born `age` years ago today (a birthday) or the day before that (one day over)
    birth = rules.years_before(on, age) - dt.timedelta(days=1 if after else 0)
    policy = Policy(maturity_exempts_union_post=exempts)

    due = rules.maturity_due(birth_date=birth, on=on, holds_union_post=post, policy=policy)

    assert due == ((age > 30 or (age == 30 and after)) and not (post and exempts))


@given(day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)),
       low=st.integers(min_value=0, max_value=40), span=st.integers(min_value=0, max_value=10),
       shift=st.integers(min_value=-3, max_value=3),
       counting=st.sampled_from(rules.AGE_COUNTINGS))
def test_mem2_birth_ranges_agree_with_union_age(day: dt.date, low: int, span: int, shift: int,
                                                counting: str) -> None:
    earliest, latest = rules.birth_range_for_ages(day, low, low + span, counting)
    assert earliest is not None
    for edge in (latest, earliest):
        birth = edge + dt.timedelta(days=shift)
        if birth > day:
            continue
        inside = earliest < birth <= latest
        assert inside == (low <= rules.union_age(birth, day, counting) <= low + span)


def test_mem2_age_bands_give_birth_ranges() -> None:
    on = dt.date(2025, 6, 1)
    earliest, latest = rules.birth_range_for_ages(on, 16, 18)
    # "16" from the day after the 15th birthday; "18" up to the 18th birthday
    assert (earliest, latest) == (dt.date(2007, 5, 31), dt.date(2010, 5, 31))
    assert rules.union_age(latest, on) == 16
    assert rules.union_age(latest + dt.timedelta(days=1), on) == 15
    assert rules.union_age(earliest + dt.timedelta(days=1), on) == 18
    assert rules.union_age(earliest, on) == 19
