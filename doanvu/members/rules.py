"""Members rules as pure functions (MEM-1, MEM-2): CCCD numbers, ages, admission, maturity.

No ORM and no request here. Every number comes from a policy object passed in (MembersPolicy
or anything with the same attributes); only the structure of the CCCD number, which is law
(Thông tư 07/2016/TT-BCA), is written down as data.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol

# Mã tỉnh, thành phố of the CCCD (Thông tư 07/2016/TT-BCA, 63 provinces as of 2016–2025).
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa – Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}
MALE = "nam"
FEMALE = "nu"
_GENDER_LABEL = {MALE: "Nam", FEMALE: "Nữ"}
_FIRST_CENTURY = 1900  # digit 0/1 is the 20th century, 2/3 the 21st, … up to 8/9
_SPACES = re.compile(r"[\s\u00a0\u200b.\-]+")


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
    century = (birth_year - _FIRST_CENTURY) // 100
    if not 0 <= century <= 4:
        raise RuleError(f"Năm sinh {birth_year} nằm ngoài phạm vi của số CCCD.")
    return str(century * 2 + (1 if gender == FEMALE else 0))


def make_cccd(*, province: str, gender: str, birth_year: int, serial: int) -> str:
    """A well-formed number (for demo data and tests): province, century/gender, year, serial."""
    return (f"{province}{century_gender_digit(gender=gender, birth_year=birth_year)}"
            f"{birth_year % 100:02d}{serial % 1_000_000:06d}")


def normalise_cccd(raw: str) -> str:
    """Strip spaces (and dots, dashes) and check the shape: 12 digits, a real province code."""
    value = _SPACES.sub("", raw or "")
    if value and not (value.isascii() and value.isdigit()):
        raise RuleError("Số CCCD chỉ gồm chữ số.", field="cccd")
    if len(value) != 12:
        raise RuleError(f"Số CCCD phải có 12 chữ số (đang có {len(value)}).", field="cccd")
    if value[:3] not in PROVINCE_CODES:
        raise RuleError(f"Mã tỉnh {value[:3]} không tồn tại (3 chữ số đầu của số CCCD).",
                        field="cccd")
    return value


def validate_cccd(raw: str, *, birth_date: dt.date | None = None, gender: str = "") -> str:
    """The normalised number, or RuleError naming what is wrong.

    With a birth date, digit 4 (century, and gender when known) and digits 5–6 (the last two
    digits of the birth year) must agree with it.
    """
    value = normalise_cccd(raw)
    digit = value[3]
    if birth_date is not None:
        year = birth_date.year
        if gender in _GENDER_LABEL:
            expected = century_gender_digit(gender=gender, birth_year=year)
            if digit != expected:
                raise RuleError(f"Chữ số thứ 4 ({digit}) không khớp giới tính "
                                f"{_GENDER_LABEL[gender]}, sinh năm {year}.", field="cccd")
        else:
            century = (year - _FIRST_CENTURY) // 100
            if int(digit) // 2 != century:
                raise RuleError(f"Chữ số thứ 4 ({digit}) không khớp năm sinh {year}.",
                                field="cccd")
        if value[4:6] != f"{year % 100:02d}":
            raise RuleError(f"Chữ số thứ 5–6 ({value[4:6]}) không khớp năm sinh {year}.",
                            field="cccd")
    elif gender in _GENDER_LABEL and int(digit) % 2 != (1 if gender == FEMALE else 0):
        raise RuleError(f"Chữ số thứ 4 ({digit}) không khớp giới tính "
                        f"{_GENDER_LABEL[gender]}.", field="cccd")
    return value


def cccd_province(value: str) -> str:
    return PROVINCE_CODES.get(value[:3], "")


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
        raise RuleError("Hãy nhập ngày sinh để kiểm tra tuổi vào Đoàn.", field="birth_date")
    if birth_date > on:
        raise RuleError("Ngày sinh phải trước ngày vào Đoàn.", field="birth_date")
    age = age_on(birth_date, on)
    low, high = policy.min_admission_age, policy.max_admission_age
    if not low <= age <= high:
        raise RuleError(
            f"Tuổi vào Đoàn từ {low} đến {high}: người sinh ngày {birth_date:%d/%m/%Y} "
            f"mới {age} tuổi vào ngày {on:%d/%m/%Y}." if age < low else
            f"Tuổi vào Đoàn từ {low} đến {high}: người sinh ngày {birth_date:%d/%m/%Y} "
            f"đã {age} tuổi vào ngày {on:%d/%m/%Y}.",
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
        raise RuleError("Đoàn viên chưa có ngày sinh nên chưa xác định được tuổi trưởng thành.",
                        field="on")
    age = age_on(birth_date, on)
    if age < policy.maturity_age:
        raise RuleError(f"Đến ngày {on:%d/%m/%Y} đoàn viên mới {age} tuổi, chưa đủ "
                        f"{policy.maturity_age} tuổi để trưởng thành Đoàn.", field="on")
    return age


AGE_BANDS: dict[str, tuple[str, int, int | None]] = {
    "16-18": ("16–18 tuổi", 16, 18),
    "19-23": ("19–23 tuổi", 19, 23),
    "24-30": ("24–30 tuổi", 24, 30),
    "tren-30": ("Trên 30 tuổi", 31, None),
}
