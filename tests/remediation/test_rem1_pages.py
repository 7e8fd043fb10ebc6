"""REM-1 in the browser: a writer of the unit adds and corrects entries of the register from
its page; refusals name the field; an outsider gets 404 and writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doanvu.remediation.models import Shortcoming, ShortcomingArea
from tests.conftest import login
from tests.remediation.conftest import RemWorld

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_rem1_writer_adds_an_entry_with_the_next_number(rem: RemWorld) -> None:
    client = login(rem.world.province_secretary)
    url = reverse("remediation:shortcoming_create", args=[rem.world.province.pk]) + "?nam=2019"
    assert "Thêm khuyết điểm" in client.get(url).content.decode()

    response = client.post(url, {"review_year": 2019, "year_found": 2018,
                                 "area": rem.areas[1].pk, "text": "Sổ đoàn viên chưa cập nhật",
                                 "same_as": rem.items[5].pk})

    assert response.status_code == 302
    added = Shortcoming.objects.get(unit=rem.world.province, review_year=2019, number=9)
    assert added.same_as == rem.items[5] and added.year_found == 2018
    page = client.get(reverse("remediation:register", args=[rem.world.province.pk])
                      + "?nam=2019").content.decode()
    assert "− 2 khuyết điểm trùng = 7 khuyết điểm" in page


def test_rem1_a_new_area_is_typed_when_none_fits(rem: RemWorld) -> None:
    client = login(rem.world.province_secretary)
    url = reverse("remediation:shortcoming_create", args=[rem.world.province.pk])

    client.post(url, {"review_year": 2020, "year_found": 2020, "area_name": "Công tác Đội",
                      "text": "Chưa sơ kết"})

    added = Shortcoming.objects.get(review_year=2020)
    assert added.number == 1 and added.area.name == "Công tác Đội"


def test_rem1_page_refusals_name_the_field_and_write_nothing(rem: RemWorld) -> None:
    client = login(rem.world.province_secretary)
    url = reverse("remediation:shortcoming_create", args=[rem.world.province.pk])

    body = client.post(url, {"review_year": 2019, "year_found": 2020, "area": rem.areas[0].pk,
                             "text": "x"}).content.decode()
    assert "Năm phát sinh (2020) không thể sau năm kiểm điểm (2019)" in body
    body = client.post(url, {"review_year": 2019, "year_found": 2019,
                             "text": "x"}).content.decode()
    assert "Lĩnh vực: hãy chọn một lĩnh vực hoặc nhập tên lĩnh vực mới." in body
    body = client.post(url, {"review_year": 2019, "year_found": 2019, "area": rem.areas[0].pk,
                             "text": "x", "same_as": rem.items[8].pk}).content.decode()
    assert "Lựa chọn không hợp lệ" in body  # a linked entry is not offered
    assert Shortcoming.objects.count() == 8
    assert ShortcomingArea.objects.count() == 3


def test_rem1_writer_corrects_an_entry(rem: RemWorld) -> None:
    client = login(rem.world.province_secretary)
    item = rem.items[4]
    url = reverse("remediation:shortcoming_edit", args=[item.pk])
    assert "Sửa khuyết điểm 4 năm 2019" in client.get(url).content.decode()

    client.post(url, {"review_year": 2019, "year_found": 2018, "area": rem.areas[2].pk,
                      "text": "Hoạt động cấp tỉnh còn ít", "same_as": ""})

    item.refresh_from_db()
    assert (item.text, item.year_found, item.area_id) == ("Hoạt động cấp tỉnh còn ít", 2018,
                                                          rem.areas[2].pk)


def test_rem1_an_entry_others_repeat_keeps_its_year_and_links(rem: RemWorld) -> None:
    client = login(rem.world.province_secretary)
    url = reverse("remediation:shortcoming_edit", args=[rem.items[2].pk])

    body = client.post(url, {"review_year": 2019, "year_found": 2019, "area": rem.areas[0].pk,
                             "text": "x", "same_as": rem.items[1].pk}).content.decode()
    assert "nên nó không thể trùng với khuyết điểm khác" in body
    body = client.post(url, {"review_year": 2020, "year_found": 2019, "area": rem.areas[0].pk,
                             "text": "x"}).content.decode()
    assert "Năm kiểm điểm: có khuyết điểm khác được ghi là trùng" in body
    rem.items[2].refresh_from_db()
    assert rem.items[2].text == "Chỉ đạo cơ sở còn gấp, chậm"


def test_rem1_outsider_and_reader_get_404_on_the_forms(rem: RemWorld) -> None:
    outsider = login(rem.world.district_a_cadre)
    for url in (reverse("remediation:shortcoming_create", args=[rem.world.province.pk]),
                reverse("remediation:shortcoming_edit", args=[rem.items[1].pk])):
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, {"review_year": 2019, "year_found": 2019,
                                   "area": rem.areas[0].pk, "text": "x"}).status_code == 404
    assert Shortcoming.objects.count() == 8
    rem.items[1].refresh_from_db()
    assert rem.items[1].text != "x"
