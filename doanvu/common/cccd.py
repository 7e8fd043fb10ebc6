"""The CCCD number (căn cước công dân): one normaliser and one validator for the member form,
the services, the import and the ghost audit.

Its structure is law (Thông tư 07/2016/TT-BCA), so it is written down here as data: 3 digits of
province, 1 of century and gender, 2 of the birth year, 6 of serial. Genders are `org.Gender`
values ("nam", "nu"); messages are Vietnamese and shown as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Mã tỉnh, thành phố of the CCCD (Thông tư 07/2016/TT-BCA, 63 provinces as of 2016–2025).
PROVINCE_CODES: dict[str, str] = {  # i18n: data
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
_GENDER_LABEL = {"nam": gettext_lazy("Nam"), "nu": gettext_lazy("Nữ")}
_FIRST_CENTURY = 1900  # digit 0/1 is the 20th century, 2/3 the 21st, … up to 8/9
_JUNK = re.compile(r"[\s\u00a0\u200b.\-]+")
_WELL_FORMED = re.compile(r"\d{12}")


def normalise_cccd(raw: object) -> str | None:
    """The digits a typed value or a spreadsheet cell stands for ("072 200 001 234" →
    "072200001234"; spaces, dots and dashes go, and a number cell gets back the leading 0 that
    Excel dropped), or None when nothing is left. The result is not checked: `cccd_problem`."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        digits = str(int(raw))
        return digits.zfill(12) if len(digits) == 11 else digits
    text = str(raw or "")
    if not (len(text) == 12 and text.isdigit()):
        text = _JUNK.sub("", text)
    return text or None


def century_digit(*, gender: str, birth_year: int) -> str | None:
    """The 4th digit for a gender and birth year: 0 nam 19xx, 1 nữ 19xx, 2 nam 20xx, 3 nữ 20xx…;
    None outside the years the number can hold."""
    century = (birth_year - _FIRST_CENTURY) // 100
    if not 0 <= century <= 4:
        return None
    return str(century * 2 + (1 if gender == "nu" else 0))


def year_out_of_range(birth_year: int) -> str:
    return _("Năm sinh {birth_year} nằm ngoài phạm vi của số CCCD.").format(birth_year=birth_year)


def cccd_problem(value: str | None, *, birth_date: dt.date | None = None,
                 gender: str = "") -> str | None:
    """What is wrong with a normalised number (Vietnamese), or None: 12 digits, a real province
    code, and with a birth date digit 4 (century, and gender when known) and digits 5–6 (the
    year) agreeing with it; with only a gender, digit 4's parity."""
    value = value or ""
    year = birth_date.year if birth_date is not None else None
    if len(value) == 12 and value.isascii() and value.isdigit():
        # the verdict depends only on the first six digits, the year and the gender (imports
        # check hundreds of thousands of numbers)
        return _verdict(value[:6], year, gender)
    if value and not (value.isascii() and value.isdigit()):
        return _("Số CCCD chỉ gồm chữ số.")
    return _("Số CCCD phải có 12 chữ số (đang có {count}).").format(count=len(value))


@lru_cache(maxsize=65536)
def _verdict(head: str, year: int | None, gender: str) -> str | None:
    if head[:3] not in PROVINCE_CODES:
        return _("Mã tỉnh {code} không tồn tại (3 chữ số đầu của số CCCD).").format(
                   code=head[:3])
    digit = head[3]
    if year is not None:
        if gender in _GENDER_LABEL:
            expected = century_digit(gender=gender, birth_year=year)
            if expected is None:
                return year_out_of_range(year)
            if digit != expected:
                return (_("Chữ số thứ 4 ({digit}) không khớp giới tính {gender}, "
                          "sinh năm {year}.").format(
                            digit=digit,
                            gender=_GENDER_LABEL[gender],
                            year=year))
        elif int(digit) // 2 != (year - _FIRST_CENTURY) // 100:
            return _("Chữ số thứ 4 ({digit}) không khớp năm sinh {year}.").format(
                       digit=digit,
                       year=year)
        if head[4:6] != f"{year % 100:02d}":
            return _("Chữ số thứ 5–6 ({digits}) không khớp năm sinh {year}.").format(
                       digits=head[4:6],
                       year=year)
    elif gender in _GENDER_LABEL and int(digit) % 2 != (1 if gender == "nu" else 0):
        return _("Chữ số thứ 4 ({digit}) không khớp giới tính {gender}.").format(
                   digit=digit,
                   gender=_GENDER_LABEL[gender])
    return None


def is_well_formed(value: str) -> bool:
    """Twelve digits, as every stored number should be (the ghost audit looks for the others)."""
    return _WELL_FORMED.fullmatch(value) is not None


def likely_cccd(raw: str) -> str | None:
    """The 12-digit number a malformed stored CCCD most likely is (every non-digit removed,
    leading zeros restored), or None when it cannot be one: the ghost audit's twin search."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if not digits or len(digits) > 12:
        return None
    return digits.rjust(12, "0")
