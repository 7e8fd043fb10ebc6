from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period, parse_period, period_param
from tests.conftest import World, login


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tháng 3/2020", Period.month(2020, 3)),
        ("Tháng 03/2020", Period.month(2020, 3)),
        ("quý I/2020", Period.quarter(2020, 1)),
        ("Quý IV năm 2021", Period.quarter(2021, 4)),
        ("6 tháng đầu năm 2020", Period.half(2020, 1)),
        ("6 tháng cuối năm 2020", Period.half(2020, 2)),
        ("năm 2020", Period.of_year(2020)),
        ("năm học 2019 – 2020", Period.school_year(2019)),
        ("Năm học 2019-2020", Period.school_year(2019)),
    ],
)
def test_x5_periods_parse_as_plans_write_them(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


def test_x5_period_bounds_and_vietnamese_text() -> None:
    q1 = Period.quarter(2020, 1)
    assert (q1.start, q1.end) == (dt.date(2020, 1, 1), dt.date(2020, 3, 31))
    assert str(q1) == "quý I/2020"
    assert str(Period.half(2020, 1)) == "6 tháng đầu năm 2020"
    sy = Period.school_year(2019)
    assert (sy.start, sy.end) == (dt.date(2019, 9, 1), dt.date(2020, 8, 31))
    assert str(sy) == "năm học 2019 – 2020"
    assert Period.month(2020, 2).end == dt.date(2020, 2, 29)


@pytest.mark.parametrize("text", ["quý V/2020", "tháng 13/2020", "năm học 2019 – 2021", "abc", ""])
def test_x9_bad_period_names_the_field(text: str) -> None:
    with pytest.raises(ApplicationError) as exc:
        parse_period(text, field="thời hạn")
    assert "Thời hạn" in str(exc.value)


@pytest.mark.parametrize(("text", "message"), [
    ("tháng 13/2020", "Thời hạn “tháng 13/2020” không tồn tại: không có tháng 13."),
    ("0/2020", "Thời hạn “0/2020” không tồn tại: không có tháng 0."),
    ("năm học 2019 – 2021", "Thời hạn “năm học 2019 – 2021” không tồn tại: một năm học gồm hai "
                            "năm liền nhau, ví dụ năm học 2019 – 2020."),
])
def test_x9_a_period_of_the_right_shape_that_does_not_exist_is_told_so(
    text: str, message: str
) -> None:
    with pytest.raises(ApplicationError) as exc:
        parse_period(text, field="thời hạn")

    assert str(exc.value) == message


@given(st.integers(1950, 2100), st.sampled_from(["M", "Q", "H", "Y", "SY"]),
       st.integers(1, 12))
def test_x5_period_round_trips_through_key_and_text(year: int, kind: str, index: int) -> None:
    limits = {"M": 12, "Q": 4, "H": 2, "Y": 1, "SY": 1}
    period = Period(year, kind, min(index, limits[kind]))
    assert Period.from_key(period.key) == period
    assert parse_period(str(period)) == period
    assert period.contains(period.start) and period.contains(period.end)
    assert period.next().start == period.end + dt.timedelta(days=1)


def test_sec8_period_param_refuses_missing_invalid_and_wrong_kind_naming_the_field() -> None:
    messages = []
    for params, kind in (({}, "M"), ({"thang": " \x00 "}, "M"), ({"thang": "31/02/2020"}, "M"),
                         ({"thang": "quý I/2024"}, "M")):
        with pytest.raises(ApplicationError) as exc:
            period_param(params, "thang", field="tháng", kind=kind)
        messages.append(str(exc.value))

    assert messages == [
        "Chưa chọn tháng: hãy chọn tháng rồi lưu lại.",
        "Chưa chọn tháng: hãy chọn tháng rồi lưu lại.",
        "Tháng “31/02/2020” không hợp lệ. Ví dụ: tháng 3/2020, quý I/2020, 6 tháng đầu năm "
        "2020, năm 2020, năm học 2019 – 2020.",
        "Tháng “quý I/2024” không hợp lệ: hãy nhập một tháng, ví dụ 3/2024.",
    ]
    assert period_param({"thang": "2/2020"}, "thang", field="tháng", kind="M") == Period.month(
        2020, 2)
    assert period_param({"ky": "2020-Q1"}, "ky", field="kỳ") == Period.quarter(2020, 1)


def test_x9_the_calendar_says_a_month_that_does_not_exist_does_not_exist(world: World) -> None:
    client = login(world.district_a_cadre)

    iso = client.get(reverse("hub:calendar_month"), {"thang": "2020-13"}).content.decode()
    written = client.get(reverse("hub:calendar_month"), {"thang": "0/2020"}).content.decode()

    assert "Tháng “2020-13” không tồn tại: không có tháng 13." in iso
    assert "Tháng “0/2020” không tồn tại: không có tháng 0." in written
