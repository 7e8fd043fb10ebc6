"""Phone numbers as people type them ("0912 345 678", "0912.345.678", "+84 912-345-678"): one
validator for forms, services and the member importer. A number is kept as digits only, a
Vietnamese one from 0 (+84 becomes 0), a foreign one from + and its country code."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .errors import ApplicationError

# what may stand between the groups of digits
_SEPARATORS = re.compile(r"[\s.\-()]")
_DOMESTIC = re.compile(r"^0\d{9,10}$")  # 10 digits (mobile), 11 (a landline with area code)
_FOREIGN = re.compile(r"^\+[1-9]\d{7,14}$")  # E.164: up to 15 digits after the +
MAX_TYPED = 30


class PhoneError(ApplicationError):
    pass


def normalize_phone(text: str | None, *, field: str = "phone") -> str:
    """The number `text` names, as digits ("0912345678", "+33612345678"); "" for an empty one.
    Letters, markup or a wrong count of digits raise a PhoneError saying what is allowed (the
    message does not repeat the field's label: it is shown beside the field)."""
    raw = " ".join((text or "").replace("\x00", "").split())
    if not raw:
        return ""
    number = _SEPARATORS.sub("", raw)
    if len(raw) > MAX_TYPED or not re.fullmatch(r"\+?\d+", number):
        raise PhoneError(
            _("“{raw}” có ký tự không dùng được: chỉ ghi chữ số, có thể có dấu + ở đầu và dấu "
              "cách, chấm, gạch ngang giữa các nhóm số.").format(raw=raw[:MAX_TYPED]),
            field=field)
    if number.startswith("+84"):
        number = "0" + number[3:]
    if _DOMESTIC.match(number) or _FOREIGN.match(number):
        return number
    raise PhoneError(
        _("“{raw}” không phải một số hợp lệ: số trong nước gồm 10 hoặc 11 chữ số, bắt đầu bằng 0 "
          "(ví dụ 0912 345 678); số nước ngoài bắt đầu bằng + và mã nước.").format(raw=raw),
        field=field)
