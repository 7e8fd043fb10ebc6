"""The shared kernel: Vietnamese text folding and NFC (X-1, X-2), dd/mm/yyyy dates (X-1, X-9),
the "as of" parameter (X-10)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from doanvu.common.dates import DateInputError, format_date, parse_date, read_date
from doanvu.common.errors import ApplicationError
from doanvu.common.forms import VNDateField
from doanvu.common.text import fold, nfc
from doanvu.common.views import as_of_param
from doanvu.members.imports.services import _date_from_text

# -- folding ---------------------------------------------------------------------------------


def test_x2_fold_strips_accents_and_lowercases() -> None:
    assert fold("Tây Ninh") == "tay ninh"
    assert fold("Nguyễn Văn A") == "nguyen van a"
    assert fold("HỒ CHÍ MINH") == "ho chi minh"
    assert fold("Hảo Đước") == "hao duoc"


def test_x2_fold_maps_d_stroke_to_d() -> None:
    assert fold("Đoàn") == "doan"
    assert fold("đoàn viên") == "doan vien"
    assert fold("ĐỒNG THÁP") == "dong thap"


def test_x2_fold_of_decomposed_and_composed_text_is_the_same() -> None:
    composed = "Thừa Thiên Huế"
    decomposed = unicodedata.normalize("NFD", composed)

    assert decomposed != composed
    assert fold(decomposed) == fold(composed) == "thua thien hue"


def test_x2_fold_collapses_whitespace_and_handles_empty() -> None:
    assert fold("  Tây \t Ninh\n") == "tay ninh"
    assert fold("") == ""
    assert fold(None) == ""  # type: ignore[arg-type]


def test_x9_fold_drops_nul_which_postgresql_refuses() -> None:
    assert fold("Tây\x00 Ninh") == "tay ninh"
    assert fold("\x00") == ""


def test_x2_query_folded_finds_name_folded() -> None:
    name = fold("Tỉnh đoàn Tây Ninh")

    assert fold("tay ninh") in name
    assert fold("doan") in name
    assert fold("TĨNH ĐOÀN") in name


# -- NFC -------------------------------------------------------------------------------------


def test_x1_nfc_composes_and_collapses_spaces() -> None:
    typed = unicodedata.normalize("NFD", "  Chi đoàn   ấp Bình Phong ")

    result = nfc(typed)

    assert result == "Chi đoàn ấp Bình Phong"
    assert unicodedata.is_normalized("NFC", result)
    assert len(result) == 22


# -- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("01/07/2025", dt.date(2025, 7, 1)),
    ("1/7/2025", dt.date(2025, 7, 1)),
    (" 29/02/2024 ", dt.date(2024, 2, 29)),
    ("2025-07-01", dt.date(2025, 7, 1)),
    ("01-07-2025", dt.date(2025, 7, 1)),
    ("", None),
    ("   ", None),
    (None, None),
])
def test_x1_parse_date_reads_dd_mm_yyyy(text: str | None, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["abc", "07/01/2025T", "01/07", "2025/07/01", "1/7/25",
                                  "01/07/20201", "31/02/2020 x"])
def test_x9_parse_date_refuses_a_wrong_shape_asking_for_dd_mm_yyyy(text: str) -> None:
    with pytest.raises(ApplicationError) as exc:
        parse_date(text, field="ngày hiệu lực")

    assert str(exc.value) == (f"Ngày hiệu lực “{text}” không đúng dạng: hãy nhập theo dạng "
                              "ngày/tháng/năm, ví dụ 01/07/2025.")
    assert exc.value.field == "ngày hiệu lực"


@pytest.mark.parametrize(("text", "why"), [
    ("31/02/2020", "tháng 2/2020 chỉ có 29 ngày"),
    ("29/02/2023", "tháng 2/2023 chỉ có 28 ngày"),
    ("31/04/2020", "tháng 4/2020 chỉ có 30 ngày"),
    ("32/13/2020", "không có tháng 13"),
    ("00/00/0000", "không có tháng 0"),
    ("00/01/2020", "không có ngày 0"),
    ("01/01/0000", "không có năm 0"),
    ("2020-02-30", "tháng 2/2020 chỉ có 29 ngày"),
])
def test_x9_parse_date_says_an_impossible_day_does_not_exist(text: str, why: str) -> None:
    with pytest.raises(DateInputError) as exc:
        parse_date(text, field="ngày hiệu lực")

    assert str(exc.value) == f"Ngày hiệu lực “{text}” không tồn tại: {why}."
    assert exc.value.impossible is True


def test_x9_read_date_is_the_one_parser_of_forms_query_strings_and_the_importer() -> None:
    field = VNDateField()
    messages = []
    for text in ("31/02/2020", "hôm qua"):
        with pytest.raises(ValidationError) as form_error:
            field.clean(text)
        query = as_of_param(RequestFactory().get("/", {"ngay": text}))[1]
        imported = _date_from_text(text, 30)
        messages.append((form_error.value.messages, query, imported))

    assert messages == [
        (["Ngày “31/02/2020” không tồn tại: tháng 2/2020 chỉ có 29 ngày."],
         "Ngày xem “31/02/2020” không tồn tại: tháng 2/2020 chỉ có 29 ngày.",
         "Ngày “31/02/2020” không tồn tại: tháng 2/2020 chỉ có 29 ngày."),
        (["Ngày “hôm qua” không đúng dạng: hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025."],
         "Ngày xem “hôm qua” không đúng dạng: hãy nhập theo dạng ngày/tháng/năm, ví dụ "
         "01/07/2025.",
         "Ngày “hôm qua” không đúng dạng: hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025."),
    ]


def test_x9_read_date_reads_two_digit_years_only_with_a_pivot() -> None:
    assert read_date("17/05/00", two_digit_pivot=25) == dt.date(2000, 5, 17)
    assert read_date("17.05.95", two_digit_pivot=25) == dt.date(1995, 5, 17)
    with pytest.raises(DateInputError):
        read_date("17/05/95")


def test_x1_format_date_writes_dd_mm_yyyy() -> None:
    assert format_date(dt.date(2025, 7, 1)) == "01/07/2025"
    assert format_date(None) == ""


def test_x9_vn_date_field_accepts_vietnamese_dates_and_names_bad_ones() -> None:
    field = VNDateField()

    assert field.clean(" 15/08/2017 ") == dt.date(2017, 8, 15)
    with pytest.raises(ValidationError) as bad:
        field.clean("32/13/2020")
    with pytest.raises(ValidationError) as empty:
        field.clean("")

    assert bad.value.messages == ["Ngày “32/13/2020” không tồn tại: không có tháng 13."]
    assert empty.value.messages == ["Hãy nhập thông tin này."]


def test_x1_vn_date_field_renders_dd_mm_yyyy() -> None:
    html = VNDateField().widget.render("on", dt.date(2025, 7, 1))

    assert 'value="01/07/2025"' in html
    assert 'placeholder="dd/mm/yyyy"' in html


# -- the "as of" parameter ------------------------------------------------------------------


def test_x10_as_of_param_reads_the_date_or_reports_junk() -> None:
    rf = RequestFactory()

    assert as_of_param(rf.get("/", {"ngay": "30/06/2025"})) == (dt.date(2025, 6, 30), "")
    assert as_of_param(rf.get("/")) == (None, "")
    assert as_of_param(rf.get("/", {"ngay": "hôm qua"})) == (
        None, "Ngày xem “hôm qua” không đúng dạng: hãy nhập theo dạng ngày/tháng/năm, ví dụ "
              "01/07/2025.")
