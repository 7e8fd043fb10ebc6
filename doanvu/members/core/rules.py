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
    # how ages are counted: AGE_RUNNING (the Union's way, HD 22) or AGE_COMPLETED; a policy
    # object without it counts the Union's way (policy_age)
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
# How the Union counts ages (HD 22-HD/TWĐTN of 28/6/2013 guiding the Charter, I.1: admitted
# "tuổi từ 16 (từ đủ 15 tuổi + 1 ngày) và không quá 30 tuổi"): "từ 16 tuổi" starts at 15
# years and one day — the day after the 15th birthday a person is in their 16th year and counts
# as 16 — and "quá 30 tuổi" starts the day after the 30th birthday. So a person's age in the
# Union's sense is the year of life they are in, except on a birthday itself, when it is the
# years just completed. A policy may instead count completed years (`AGE_COMPLETED`).
# A birthday on 29/02 falls on 28/02 in other years (a period counted in years ends on the
# corresponding day, or on the month's last day when there is none: Bộ luật Dân sự 2015).

AGE_RUNNING = "running"
AGE_COMPLETED = "completed"
AGE_COUNTINGS = (AGE_RUNNING, AGE_COMPLETED)


def anniversary(birth_date: dt.date, years: int) -> dt.date:
    """The day `years` after `birth_date` (28/02 for 29/02 in a year without one)."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:
        return birth_date.replace(year=birth_date.year + years, day=28)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on `day` (the number of birthdays passed, 29/02 kept on 28/02)."""
    years = day.year - birth_date.year
    if anniversary(birth_date, years) > day:
        years -= 1
    return years


def union_age(birth_date: dt.date, day: dt.date, counting: str = AGE_RUNNING) -> int:
    """The age on `day` in the Union's sense (see above): the one function every comparison of
    an age with a policy's number goes through. `counting` is the policy's `age_counting`."""
    completed = age_on(birth_date, day)
    if counting == AGE_COMPLETED or anniversary(birth_date, completed) == day:
        return completed
    return completed + 1


def policy_age(birth_date: dt.date, day: dt.date, policy: object) -> int:
    """union_age counted as `policy` says (its `age_counting`; the Union's way by default)."""
    return union_age(birth_date, day, str(getattr(policy, "age_counting", "") or AGE_RUNNING))


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (28/02 for 29/02 in a non-leap year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def latest_birth_for_age(day: dt.date, age: int, counting: str = AGE_RUNNING) -> dt.date:
    """The latest birth date of a person whose union_age on `day` is at least `age`: for the
    database, `birth_date <= this` is `union_age(birth_date, day) >= age`."""
    if counting == AGE_COMPLETED:
        reached, years = day, age  # the age-th birthday is on or before `day`
    else:
        reached, years = day - dt.timedelta(days=1), age - 1  # … strictly before `day`
    if years < 0:
        return day  # every age is at least 0
    latest = years_before(reached, years)
    # born on 29/02 of a leap year, one has the birthday of 28/02 in other years
    following = latest + dt.timedelta(days=1)
    if anniversary(following, years) <= reached:
        latest = following
    return latest


def birth_range_for_ages(day: dt.date, low: int, high: int | None,
                         counting: str = AGE_RUNNING) -> tuple[dt.date | None, dt.date]:
    """Birth dates (after, up to inclusive) of people whose union_age on `day` is low…high
    (high None: any)."""
    latest = latest_birth_for_age(day, low, counting)
    if high is None:
        return None, latest
    return latest_birth_for_age(day, high + 1, counting), latest


def check_admission_age(*, birth_date: dt.date | None, on: dt.date, policy: AgePolicy) -> int:
    """The age (Union's sense) on the admission day, or RuleError when outside the policy's
    range: "từ 16 đến 30" is from the day after the 15th birthday to the 30th birthday."""
    if birth_date is None:
        raise RuleError(_("Hãy nhập ngày sinh để kiểm tra tuổi vào Đoàn."), field="birth_date")
    if birth_date > on:
        raise RuleError(_("Ngày sinh phải trước ngày vào Đoàn."), field="birth_date")
    age = policy_age(birth_date, on, policy)
    low, high = policy.min_admission_age, policy.max_admission_age
    if not low <= age <= high:
        if age < low:
            message = _(
                "Tuổi vào Đoàn từ {low} đến {high}: người sinh ngày {birth_date:%d/%m/%Y} đến "
                "ngày {on:%d/%m/%Y} chưa đủ {low} tuổi (tính từ ngày {start:%d/%m/%Y})."
            ).format(low=low, high=high, birth_date=birth_date, on=on,
                     start=earliest_day_of_age(birth_date, low, policy))
        else:
            message = _(
                "Tuổi vào Đoàn từ {low} đến {high}: người sinh ngày {birth_date:%d/%m/%Y} đã quá "
                "{high} tuổi vào ngày {on:%d/%m/%Y}."
            ).format(low=low, high=high, birth_date=birth_date, on=on)
        raise RuleError(message, field="birth_date")
    return age


def earliest_day_of_age(birth_date: dt.date, age: int, policy: object) -> dt.date:
    """The first day on which a person's age (counted as `policy` says) is `age`."""
    if str(getattr(policy, "age_counting", "") or AGE_RUNNING) == AGE_COMPLETED:
        return anniversary(birth_date, age)
    return anniversary(birth_date, age - 1) + dt.timedelta(days=1)


def past_maturity_age(*, birth_date: dt.date | None, on: dt.date, policy: AgePolicy) -> bool:
    """Is the member "quá {maturity_age} tuổi" on `on` (from the day after that birthday)?"""
    return birth_date is not None and policy_age(birth_date, on, policy) > policy.maturity_age


def maturity_due(*, birth_date: dt.date | None, on: dt.date, holds_union_post: bool,
                 policy: AgePolicy) -> bool:
    """Is the member past maturity age and not kept on by holding a Union post?"""
    if not past_maturity_age(birth_date=birth_date, on=on, policy=policy):
        return False
    return not (holds_union_post and policy.maturity_exempts_union_post)


def check_can_mature(*, birth_date: dt.date | None, on: dt.date, policy: AgePolicy) -> int:
    """Age on `on`, or RuleError if the member is not yet past the policy's maturity age."""
    if birth_date is None:
        raise RuleError(_("Đoàn viên chưa có ngày sinh nên chưa xác định được tuổi trưởng thành."),
                        field="on")
    age = policy_age(birth_date, on, policy)
    if age <= policy.maturity_age:
        raise RuleError(
            _(
                "Đến ngày {on:%d/%m/%Y} đoàn viên chưa quá {maturity_age} tuổi: trưởng thành Đoàn "
                "từ ngày {start:%d/%m/%Y}."
            ).format(on=on, maturity_age=policy.maturity_age,
                     start=earliest_day_of_age(birth_date, policy.maturity_age + 1, policy)),
            field="on",
        )
    return age


AGE_BANDS: dict[str, tuple[StrOrPromise, int, int | None]] = {
    "16-18": (gettext_lazy("16–18 tuổi"), 16, 18),
    "19-23": (gettext_lazy("19–23 tuổi"), 19, 23),
    "24-30": (gettext_lazy("24–30 tuổi"), 24, 30),
    "tren-30": (gettext_lazy("Trên 30 tuổi"), 31, None),
}
