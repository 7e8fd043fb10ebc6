"""X-5: deadline rules as pure functions; numbers from the seeds come in as data."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doanvu.common.periods import Period
from doanvu.hub.rules import DueRule, DueRuleError, describe, resolve

D = dt.date
INSPECTION_END = DueRule.after(3, "inspection_end", "kết thúc kiểm tra")
BEFORE_SLOT = DueRule.before(3, "slot", "lịch kiểm tra")
QUARTER_15 = DueRule.quarter_day(15)
REPORT_ON_QUARTER = DueRule.quarter_day(15, quarter_offset=1)
BY_20_10 = DueRule.annual(20, 10)
ONE_WEEK_AHEAD = DueRule.lead(7, "lower_units_act", "các đơn vị triển khai thực hiện")


def test_x5_three_days_after_the_inspection_ends() -> None:
    assert resolve(INSPECTION_END, {"inspection_end": D(2020, 6, 26)}) == D(2020, 6, 29)
    assert resolve(INSPECTION_END, {"inspection_end": D(2020, 12, 30)}) == D(2021, 1, 2)
    assert describe(INSPECTION_END) == "chậm nhất 03 ngày sau khi kết thúc kiểm tra"


def test_x5_three_days_before_the_inspection_slot() -> None:
    assert resolve(BEFORE_SLOT, {"slot": D(2020, 11, 12)}) == D(2020, 11, 9)
    assert resolve(BEFORE_SLOT, {"slot": D(2020, 3, 2)}) == D(2020, 2, 28)
    assert describe(BEFORE_SLOT) == "chậm nhất trước lịch kiểm tra 03 ngày"


def test_x5_fifteenth_of_the_quarters_first_month() -> None:
    assert resolve(QUARTER_15, {}, Period.quarter(2020, 2)) == D(2020, 4, 15)
    assert resolve(QUARTER_15, {}, Period.quarter(2020, 4)) == D(2020, 10, 15)
    # a month or a day inside the quarter gives the same date
    assert resolve(QUARTER_15, {}, Period.month(2020, 5)) == D(2020, 4, 15)
    # a report on the quarter is due in the next quarter, across the new year
    assert resolve(REPORT_ON_QUARTER, {}, Period.quarter(2026, 4)) == D(2027, 1, 15)
    assert resolve(REPORT_ON_QUARTER, {}, Period.quarter(2020, 1)) == D(2020, 4, 15)
    assert describe(QUARTER_15) == "chậm nhất ngày 15 tháng đầu mỗi quý"
    assert describe(REPORT_ON_QUARTER) == "chậm nhất ngày 15 tháng đầu của quý sau"


def test_x5_annual_date_means_by_that_day() -> None:
    assert resolve(BY_20_10, {}, Period.of_year(2020)) == D(2020, 10, 20)
    assert resolve(DueRule.annual(10, 10), {}, Period.of_year(2026)) == D(2026, 10, 10)
    assert resolve(DueRule.annual(1, 11, year_offset=1), {}, Period.of_year(2020)) == D(2021, 11, 1)
    assert describe(BY_20_10) == "trước ngày 20/10 hằng năm (tính cả ngày 20/10)"


def test_x5_strict_annual_date_is_the_day_before() -> None:
    strict = DueRule.annual(20, 10, strict=True)

    assert resolve(strict, {}, Period.of_year(2020)) == D(2020, 10, 19)
    assert describe(strict) == "trước ngày 20/10 hằng năm (không tính ngày 20/10)"


def test_x5_lead_time_at_least_a_week_before_lower_units_act() -> None:
    assert resolve(ONE_WEEK_AHEAD, {"lower_units_act": D(2020, 3, 26)}) == D(2020, 3, 19)
    assert describe(ONE_WEEK_AHEAD) == "trước khi các đơn vị triển khai thực hiện ít nhất 01 tuần"


def test_x5_fixed_date() -> None:
    rule = DueRule.fixed(D(2020, 11, 4))

    assert resolve(rule) == D(2020, 11, 4)
    assert describe(rule) == "chậm nhất ngày 04/11/2020"


def test_x5_missing_event_is_named_in_the_error() -> None:
    with pytest.raises(DueRuleError) as missing:
        resolve(INSPECTION_END, {})
    with pytest.raises(DueRuleError) as empty:
        resolve(INSPECTION_END, {"inspection_end": None})

    assert str(missing.value) == "Chưa xác định được hạn: sự kiện “kết thúc kiểm tra” chưa có ngày."
    assert str(empty.value) == str(missing.value)


def test_x5_period_rule_without_a_period_says_so() -> None:
    with pytest.raises(DueRuleError) as exc:
        resolve(BY_20_10, {}, None)

    assert str(exc.value) == ("Chưa xác định được hạn: quy tắc tính theo kỳ nhưng chưa chọn kỳ "
                              "(tháng, quý, năm).")


def test_x5_days_past_the_months_end_mean_its_last_day() -> None:
    feb = DueRule.quarter_day(31, month=2)

    assert resolve(feb, {}, Period.quarter(2020, 1)) == D(2020, 2, 29)
    assert resolve(feb, {}, Period.quarter(2021, 1)) == D(2021, 2, 28)
    assert resolve(DueRule.annual(29, 2), {}, Period.of_year(2027)) == D(2027, 2, 28)


def test_x5_rules_round_trip_through_json() -> None:
    for rule in (INSPECTION_END, BEFORE_SLOT, QUARTER_15, REPORT_ON_QUARTER, BY_20_10,
                 ONE_WEEK_AHEAD, DueRule.fixed(D(2020, 11, 4))):
        assert DueRule.from_json(rule.to_json()) == rule
    assert INSPECTION_END.to_json() == {"kind": "after_event", "days": 3,
                                        "event": "inspection_end",
                                        "event_label": "kết thúc kiểm tra"}
    assert DueRule.fixed(D(2020, 11, 4)).to_json() == {"kind": "fixed", "on": "2020-11-04"}


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "weekly"}, "Loại quy tắc tính hạn “weekly” không được hỗ trợ."),
    ("after 3 days", "Quy tắc tính hạn không hợp lệ: cần một bản ghi có trường “kind”."),
    ({"kind": "after_event", "days": "3", "event": "x"},
     "Trường “days” của quy tắc tính hạn phải là số nguyên."),
    ({"kind": "after_event", "days": 3}, "Quy tắc tính hạn theo sự kiện cần tên sự kiện."),
    ({"kind": "after_event", "days": -1, "event": "x"},
     "Số ngày của quy tắc tính hạn phải từ 0 đến 3660."),
    ({"kind": "annual", "day": 31, "month": 4}, "Ngày 31 không có trong tháng 4."),
    ({"kind": "quarter_day", "day": 15, "month": 4}, "Tháng trong quý phải là 1, 2 hoặc 3."),
    ({"kind": "fixed", "on": "20/10/2020"},
     "Ngày “20/10/2020” trong quy tắc tính hạn không hợp lệ."),
    ({"kind": "fixed", "on": "2020-10-20", "days": 3},
     "Quy tắc tính hạn “fixed” có trường không dùng được: days."),
])
def test_x5_malformed_rule_records_are_refused_in_vietnamese(data: object, message: str) -> None:
    with pytest.raises(DueRuleError) as exc:
        DueRule.from_json(data)

    assert str(exc.value) == message


# -- properties ---------------------------------------------------------------------------------

dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
day_counts = st.integers(min_value=0, max_value=400)
periods = st.one_of(
    st.builds(Period.month, st.integers(1990, 2100), st.integers(1, 12)),
    st.builds(Period.quarter, st.integers(1990, 2100), st.integers(1, 4)),
    st.builds(Period.half, st.integers(1990, 2100), st.integers(1, 2)),
    st.builds(Period.of_year, st.integers(1990, 2100)),
    st.builds(Period.school_year, st.integers(1990, 2100)),
)


@given(event=dates, days=day_counts)
def test_x5_after_and_before_are_exact_offsets(event: dt.date, days: int) -> None:
    after = resolve(DueRule.after(days, "e", "sự kiện"), {"e": event})
    before = resolve(DueRule.before(days, "e", "sự kiện"), {"e": event})
    lead = resolve(DueRule.lead(days, "e", "sự kiện"), {"e": event})

    assert (after - event).days == days
    assert (event - before).days == days
    assert lead == before


@given(period=periods, day=st.integers(1, 31), month=st.integers(1, 3),
       offset=st.integers(-4, 4))
def test_x5_quarter_day_falls_in_the_right_quarter_and_month(
    period: Period, day: int, month: int, offset: int
) -> None:
    due = resolve(DueRule.quarter_day(day, month=month, quarter_offset=offset), {}, period)
    quarter = Period.containing(period.start, "Q")
    for _ in range(abs(offset)):
        quarter = (quarter.next() if offset > 0
                   else Period.containing(quarter.start - dt.timedelta(days=1), "Q"))

    assert quarter.contains(due)
    assert due.month == quarter.start.month + month - 1
    assert due.day == day or (due + dt.timedelta(days=1)).day == 1  # clamped to the month's end


@given(period=periods, day=st.integers(1, 28), month=st.integers(1, 12),
       strict=st.booleans())
def test_x5_annual_date_is_in_the_periods_first_year(
    period: Period, day: int, month: int, strict: bool
) -> None:
    due = resolve(DueRule.annual(day, month, strict=strict), {}, period)
    by_day = D(period.start.year, month, day)

    assert due == (by_day - dt.timedelta(days=1) if strict else by_day)


@given(event=st.one_of(st.none(), dates), days=day_counts)
def test_x5_event_rules_resolve_or_name_the_event(event: dt.date | None, days: int) -> None:
    rule = DueRule.after(days, "ket_thuc", "kết thúc đợt đi cơ sở")
    if event is None:
        with pytest.raises(DueRuleError, match="“kết thúc đợt đi cơ sở” chưa có ngày"):
            resolve(rule, {"ket_thuc": event})
    else:
        assert resolve(rule, {"ket_thuc": event}) >= event


@given(rule=st.one_of(
    st.builds(DueRule.after, day_counts, st.just("e"), st.just("kết thúc kiểm tra")),
    st.builds(DueRule.before, day_counts, st.just("e"), st.just("lịch kiểm tra")),
    st.builds(DueRule.lead, day_counts, st.just("e"), st.just("cấp dưới triển khai")),
    st.builds(DueRule.quarter_day, st.integers(1, 31)),
    st.builds(DueRule.annual, st.integers(1, 28), st.integers(1, 12)),
    st.builds(DueRule.fixed, dates),
))
def test_x5_every_rule_describes_itself_and_survives_json(rule: DueRule) -> None:
    import unicodedata

    text = describe(rule)

    assert text and unicodedata.normalize("NFC", text) == text
    assert DueRule.from_json(rule.to_json()) == rule
