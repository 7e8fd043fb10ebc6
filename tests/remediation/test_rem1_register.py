"""REM-1: a body's register of shortcomings from its yearly self-review — areas as data, year
found, carried over, linked as the same; the page shows the count's arithmetic."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doanvu.common.errors import ApplicationError
from doanvu.remediation import selectors, services
from doanvu.remediation.models import Shortcoming
from tests.conftest import login
from tests.remediation.conftest import RemWorld, scope


def test_rem1_seed_004_register_counts_five_plus_three_minus_one(rem: RemWorld) -> None:
    count = selectors.count_of(list(selectors.register_of(unit=rem.world.province, year=2019)))

    assert (count.new, count.carried, count.duplicates, count.total) == (5, 3, 1, 7)


def test_rem1_page_shows_the_arithmetic(rem: RemWorld) -> None:
    url = reverse("remediation:register", args=[rem.world.province.pk]) + "?nam=2019"

    body = login(rem.world.province_secretary).get(url).content.decode()

    assert ("5 khuyết điểm phát sinh mới + 3 khuyết điểm năm trước chưa khắc phục xong − 1 "
            "khuyết điểm trùng = 7 khuyết điểm") in body
    assert "Trong lĩnh vực công tác tổ chức xây dựng Đoàn" in body
    assert "trùng với khuyết điểm 2, không tính thêm" in body
    assert "Từ năm 2018 chuyển sang" in body


def test_rem1_found_after_review_is_refused_naming_the_field(rem: RemWorld) -> None:
    with pytest.raises(ApplicationError) as e:
        services.shortcoming_create(scope=scope(rem.world.admin), unit=rem.world.province,
                                    review_year=2019, year_found=2020, area=rem.areas[0],
                                    number=9, text="x")

    assert e.value.field == "year_found"
    assert "Năm phát sinh (2020) không thể sau năm kiểm điểm (2019)" in e.value.message
    assert Shortcoming.objects.count() == 8


def test_rem1_link_to_a_duplicate_is_refused(rem: RemWorld) -> None:
    with pytest.raises(ApplicationError) as e:
        services.shortcoming_create(scope=scope(rem.world.admin), unit=rem.world.province,
                                    review_year=2019, year_found=2018, area=rem.areas[0],
                                    number=9, text="x", same_as=rem.items[8])

    assert e.value.field == "same_as"
    assert Shortcoming.objects.count() == 8


def test_rem1_empty_text_and_taken_number_are_refused(rem: RemWorld) -> None:
    s = scope(rem.world.admin)
    for number, text, field in ((9, "  ", "text"), (1, "mới", "number")):
        with pytest.raises(ApplicationError) as e:
            services.shortcoming_create(scope=s, unit=rem.world.province, review_year=2019,
                                        year_found=2019, area=rem.areas[0], number=number,
                                        text=text)
        assert e.value.field == field
    assert Shortcoming.objects.count() == 8


def test_rem1_a_district_cadre_may_not_write_the_province_register(rem: RemWorld) -> None:
    with pytest.raises(ApplicationError):
        services.shortcoming_create(scope=scope(rem.world.district_a_cadre),
                                    unit=rem.world.province, review_year=2019, year_found=2019,
                                    area=rem.areas[0], number=9, text="x")
    assert Shortcoming.objects.count() == 8
