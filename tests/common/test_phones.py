"""Phone numbers (issue 10, item 10): digits with an optional leading +, separators allowed and
dropped, a bounded length; letters and markup refused in Vietnamese; one validator for forms,
services and the importer."""

from __future__ import annotations

import pytest

from doanvu.common.forms import PhoneField
from doanvu.common.phones import PhoneError, normalize_phone
from doanvu.members.core.forms import MemberForm
from doanvu.members.referrals.forms import ReferralForm

CHARS = ("“{}” có ký tự không dùng được: chỉ ghi chữ số, có thể có dấu + ở đầu và dấu cách, "
         "chấm, gạch ngang giữa các nhóm số.")
LENGTH = ("“{}” không phải một số hợp lệ: số trong nước gồm 10 hoặc 11 chữ số, bắt đầu bằng 0 "
          "(ví dụ 0912 345 678); số nước ngoài bắt đầu bằng + và mã nước.")


@pytest.mark.parametrize(("typed", "kept"), [
    ("0912345678", "0912345678"),
    (" 0912 345 678 ", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("0912-345-678", "0912345678"),
    ("(024) 3825 1234", "02438251234"),
    ("+84 912 345 678", "0912345678"),
    ("+33 6 12 34 56 78", "+33612345678"),
    ("", ""),
    (None, ""),
])
def test_a_phone_number_keeps_its_digits(typed: str | None, kept: str) -> None:
    assert normalize_phone(typed) == kept


@pytest.mark.parametrize(("typed", "message"), [
    ("09123abc45", CHARS.format("09123abc45")),
    ("<b>0912345678</b>", CHARS.format("<b>0912345678</b>")),
    ("0912+345678", CHARS.format("0912+345678")),
    ("gọi anh Nam", CHARS.format("gọi anh Nam")),
    ("0" * 40, CHARS.format("0" * 30)),
    ("091234", LENGTH.format("091234")),
    ("912345678901", LENGTH.format("912345678901")),
    ("091234567890", LENGTH.format("091234567890")),
    ("+0912345678", LENGTH.format("+0912345678")),
])
def test_letters_markup_and_a_wrong_length_are_refused_in_vietnamese(typed: str,
                                                                    message: str) -> None:
    with pytest.raises(PhoneError) as exc:
        normalize_phone(typed)

    assert str(exc.value) == message


def test_the_member_and_referral_forms_check_the_phone() -> None:
    member = MemberForm(data={"phone": "09abc"})
    referral = ReferralForm(data={"phone": "<script>"}, referrers=[])
    field = PhoneField(required=False)

    member.is_valid()
    referral.is_valid()
    assert member.errors["phone"] == [CHARS.format("09abc")]
    assert referral.errors["phone"] == [CHARS.format("<script>")]
    assert field.clean("0912.345.678") == "0912345678"
