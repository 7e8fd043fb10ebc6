"""Members rules as pure functions (MEM-1, MEM-2): CCCD numbers, ages, admission, maturity.

No ORM and no request here. Every number comes from a policy object passed in (MembersPolicy
or anything with the same attributes); the structure of the CCCD number, which is law
(Thông tư 07/2016/TT-BCA), is in `common.cccd`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.common import cccd

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PROVINCE_CODES = cccd.PROVINCE_CODES
MALE = "nam"
FEMALE = "nu"


class RuleError(ValueError):
    """A rule is broken; the message is Vietnamese and shown as it is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class AgePolicy(Protocol):
    min_admission_age: int
    max_admission_age: int
    maturity_age: int
    maturity_exempts_union_post: bool


# -- CCCD ------------------------------------------------------------------------------------


def century_gender_digit(*, gender: str, birth_year: int) -> str:
    """The 4th digit for a gender and birth year: 0 nam 19xx, 1 nữ 19xx, 2 nam 20xx, 3 nữ 20xx…"""
    digit = cccd.century_digit(gender=gender, birth_year=birth_year)
    if digit is None:
        raise RuleError(cccd.year_out_of_range(birth_year))
    return digit


def make_cccd(*, province: str, gender: str, birth_year: int, serial: int) -> str:
    """A well-formed number (for demo data and tests): province, century/gender, year, serial."""
    return (f"{province}{century_gender_digit(gender=gender, birth_year=birth_year)}"
            f"{birth_year % 100:02d}{serial % 1_000_000:06d}")


def validate_cccd(raw: str, *, birth_date: dt.date | None = None, gender: str = "") -> str:
    """The normalised number, or RuleError naming what is wrong (common.cccd.cccd_problem)."""
    value = cccd.normalise_cccd(raw)
    problem = cccd.cccd_problem(value, birth_date=birth_date, gender=gender)
    if problem is not None or value is None:
        raise RuleError(problem or "", field="cccd")
    return value


# -- ages --------------------------------------------------------------------------------------


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years on `day` (someone born on 29/02 has their birthday on 01/03 in other years)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (28/02 for 29/02 in a non-leap year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def birth_range_for_ages(day: dt.date, low: int, high: int | None) -> tuple[dt.date | None,
                                                                           dt.date]:
    """Birth dates (after, up to inclusive) of people aged low…high on `day` (high None: any)."""
    latest = years_before(day, low)
    if high is None:
        return None, latest
    return years_before(day, high + 1), latest


def check_admission_age(*, birth_date: dt.date | None, on: dt.date, policy: AgePolicy) -> int:
    """The age on the admission day, or RuleError when outside the policy's range."""
    if birth_date is None:
        raise RuleError(_("Hãy nhập ngày sinh để kiểm tra tuổi vào Đoàn."), field="birth_date")
    if birth_date > on:
        raise RuleError(_("Ngày sinh phải trước ngày vào Đoàn."), field="birth_date")
    age = age_on(birth_date, on)
    low, high = policy.min_admission_age, policy.max_admission_age
    if not low <= age <= high:
        raise RuleError(
            _(
                "Tuổi vào Đoàn từ {low} đến {high}: người sinh ngày {birth_date:%d/%m/%Y} mới "
                "{age} tuổi vào ngày {on:%d/%m/%Y}."
            ).format(low=low, high=high, birth_date=birth_date, age=age, on=on)
            if age < low
            else _(
                "Tuổi vào Đoàn từ {low} đến {high}: người sinh ngày {birth_date:%d/%m/%Y} đã {age} "
                "tuổi vào ngày {on:%d/%m/%Y}."
            ).format(low=low, high=high, birth_date=birth_date, age=age, on=on),
            field="birth_date",
        )
    return age


def maturity_due(*, birth_date: dt.date | None, on: dt.date, holds_union_post: bool,
                 policy: AgePolicy) -> bool:
    """Has the member reached maturity age and is not kept on by holding a Union post?"""
    if birth_date is None or age_on(birth_date, on) < policy.maturity_age:
        return False
    return not (holds_union_post and policy.maturity_exempts_union_post)


def check_can_mature(*, birth_date: dt.date | None, on: dt.date, policy: AgePolicy) -> int:
    """Age on `on`, or RuleError if the member has not reached the policy's maturity age."""
    if birth_date is None:
        raise RuleError(_("Đoàn viên chưa có ngày sinh nên chưa xác định được tuổi trưởng thành."),
                        field="on")
    age = age_on(birth_date, on)
    if age < policy.maturity_age:
        raise RuleError(
            _(
                "Đến ngày {on:%d/%m/%Y} đoàn viên mới {age} tuổi, chưa đủ {maturity_age} tuổi để "
                "trưởng thành Đoàn."
            ).format(on=on, age=age, maturity_age=policy.maturity_age),
            field="on",
        )
    return age


AGE_BANDS: dict[str, tuple[StrOrPromise, int, int | None]] = {
    "16-18": (gettext_lazy("16–18 tuổi"), 16, 18),
    "19-23": (gettext_lazy("19–23 tuổi"), 19, 23),
    "24-30": (gettext_lazy("24–30 tuổi"), 24, 30),
    "tren-30": (gettext_lazy("Trên 30 tuổi"), 31, None),
}
