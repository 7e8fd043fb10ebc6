"""FV-3 (and FV-1, FV-2, FV-4 … FV-7 as data): the regime is a policy record of its issuing unit,
shown in plain Vietnamese a sentence per rule; its administrators issue and correct it through a
form; bad input is named and nothing is written; outsiders get 404 and see nothing foreign."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doanvu.fieldvisits.models import FieldVisitPolicy
from doanvu.org import services as org_services
from doanvu.org.models import UnitKind
from tests.conftest import World, grant, login, make_user
from tests.fieldvisits.policy_fixtures import FORM, seed_policy


def test_fv3_policy_reads_in_plain_vietnamese(world: World) -> None:
    policy = seed_policy(world.province, valid_to=None)
    url = reverse("fieldvisits:policy_detail", args=[policy.pk])

    body = login(world.province_secretary).get(url).content.decode()

    for sentence in (
        "Mỗi cán bộ đi cơ sở ít nhất 60 ngày/năm",
        "Cán bộ tự chọn và đăng ký các nội dung 1.1, 1.3, 1.6.",
        "Các nội dung 1.2, 1.4, 1.5 do Thường trực phân công.",
        "chỉ theo thư mời của đoàn cấp dưới thì không được tính",
        "phải đi cơ sở cả cấp huyện và cấp cơ sở",
        "Mỗi năm phải dự sinh hoạt chi đoàn (nội dung 1.6) ít nhất 1 lần.",
        "Không áp dụng với cán bộ được phân công làm nhiệm vụ: văn thư, kế toán, thủ quỹ.",
        "Không áp dụng trong thời gian: nghỉ thai sản.",
        "từ 6 tháng trở lên",
        "60 ngày × 6/12 tháng = 30 ngày, vì nghỉ thai sản 01/01–30/06",
        "chậm nhất trong 3 ngày phải có báo cáo kết quả",
        "đăng ký chậm nhất ngày 15 tháng đầu quý",
        "Báo cáo năm: hằng năm, gửi Ban Thường vụ của đơn vị lập báo cáo, trước ngày 20/10 "
        "hằng năm.",
        "Báo cáo quý: hằng quý, gửi Thường trực của đơn vị lập báo cáo, chậm nhất 10 ngày sau "
        "khi hết kỳ.",
        "Chủ trương “1+2”: mỗi cán bộ ở cơ sở ít nhất 60 ngày/năm và phải đến cơ sở được phân "
        "công phụ trách.",
        "Kế hoạch số 45-KH/TĐTN-TCKT",
    ):
        assert sentence in body, sentence
    # a district reads the regime it is governed by, with no edit link
    district = login(world.district_a_cadre)
    assert "Mỗi cán bộ đi cơ sở ít nhất 60 ngày/năm" in district.get(url).content.decode()
    listing = district.get(reverse("fieldvisits:policy_list", args=[world.district_a.pk]))
    assert "Theo chế độ của Tỉnh đoàn Tây Ninh (đơn vị cấp trên)." in listing.content.decode()
    assert reverse("fieldvisits:policy_edit", args=[policy.pk]) not in district.get(
        url).content.decode()


def test_fv3_by_level_split_reads_per_level(world: World) -> None:
    policy = seed_policy(world.province, levels=[
        {"code": "chi_doan", "label": "chi đoàn", "kinds": ["chi_doan"]},
        {"code": "co_so", "label": "cấp xã", "kinds": ["co_so"]},
        {"code": "huyen", "label": "cấp huyện", "kinds": ["huyen"]}],
        days_by_level={"chi_doan": 30, "co_so": 20, "huyen": 10}, coverage={},
        report_days=10, prorate="days")
    body = login(world.province_secretary).get(
        reverse("fieldvisits:policy_detail", args=[policy.pk])).content.decode()
    assert ("Trong số đó phải có ít nhất 30 ngày ở chi đoàn, 20 ngày ở cấp xã và 10 ngày ở cấp "
            "huyện.") in body
    assert "chậm nhất trong 10 ngày phải có báo cáo kết quả" in body
    assert "tỷ lệ số ngày không được miễn trong năm" in body


def test_fv3_administrator_issues_a_regime_through_the_form(world: World) -> None:
    client = login(world.province_secretary)
    create = reverse("fieldvisits:policy_create", args=[world.province.pk])
    assert "Cách nhập các danh sách" in client.get(create).content.decode()

    response = client.post(create, FORM, follow=True)

    assert "Đã ban hành chế độ đi cơ sở." in response.content.decode()
    policy = FieldVisitPolicy.objects.get(issuing_unit=world.province)
    assert policy.days_by_level == {"chi_doan": 30, "co_so": 20, "huyen": 10}
    assert policy.levels[2] == {"code": "huyen", "label": "cấp huyện",
                                "kinds": ["huyen", "truc_thuoc_tinh"]}
    assert policy.coverage == {"tinh": ["huyen", "co_so", "chi_doan"]}
    assert policy.rollups == [
        {"code": "quy", "label": "Báo cáo quý", "period": "quarter", "to": "standing",
         "after_days": 7},
        {"code": "nam", "label": "Báo cáo năm", "period": "year", "to": "btv",
         "unit_kinds": ["tinh", "huyen"], "month": 10, "day": 15}]
    assert (policy.report_days, policy.registration_day, policy.prorate) == (10, 10, "days")
    assert policy.exempt_titles == ["văn thư", "kế toán"]
    assert policy.agency_plan_kinds == ["huyen"]
    # the edit form shows the lists back in the same format and saves a correction
    edit = reverse("fieldvisits:policy_edit", args=[policy.pk])
    page = client.get(edit).content.decode()
    assert "chi_doan | 30" in page
    assert "nam | Báo cáo năm | năm | btv | 15/10 | tinh, huyen" in page
    client.post(edit, {**FORM, "report_days": "5"})
    policy.refresh_from_db()
    assert policy.report_days == 5


BAD = [
    ("days_by_level", "chi_doan | 40\nco_so | 20\nhuyen | 10",
     "Tổng số ngày theo cấp (70) vượt số ngày tối thiểu cả năm (60)."),
    ("days_by_level", "chi_doan | ba mươi", "Dòng 1: số ngày phải là số nguyên"),
    ("days_by_level", "xa | 10", "cấp “xa” chưa được khai báo trong các cấp tính ngày"),
    ("levels", "huyen | cấp huyện", "Dòng 1: cần đủ 3 phần"),
    ("levels", "huyen | cấp huyện | quan", "không có loại đơn vị mã “quan”"),
    ("levels", "Huyện | cấp huyện | huyen", "chỉ gồm chữ thường không dấu"),
    ("coverage", "tinh | thon", "cấp “thon” chưa được khai báo"),
    ("coverage", "tinh", "cần đúng dạng"),
    ("rollups", "nam | Báo cáo năm | tháng | BTV | 20/10", "kỳ “tháng” không rõ"),
    ("rollups", "nam | Báo cáo năm | năm | BTV | 31/02", "hạn phải là một ngày trong năm"),
    ("rollups", "nam | Báo cáo năm | năm", "cần 5 phần"),
    ("rollups", "nam | Báo cáo năm | năm | Văn phòng | 20/10",
     "Các báo cáo tổng hợp (rollups), báo cáo thứ 1 “nam”: nơi nhận (to) “Văn phòng” không hợp lệ"),
    ("rollups", "nam | Báo cáo năm | năm | btv | 20/10 | quan",
     "báo cáo thứ 1 “nam”: unit_kinds: không có loại đơn vị mã “quan”"),
    ("min_days", "0", "Số ngày tối thiểu mỗi năm phải là số nguyên từ 1 đến 366."),
    ("min_days", "sáu mươi", "Hãy nhập một số nguyên"),
    ("registration_day", "31", "Ngày hạn đăng ký kế hoạch quý phải là số nguyên từ 1 đến 28."),
    ("report_days", "0", "Số ngày nộp báo cáo sau đợt đi cơ sở phải là số nguyên từ 1 đến 60."),
    ("youth_month", "13", "Tháng của Tháng Thanh niên phải là số nguyên từ 1 đến 12."),
    ("valid_to", "01/01/2020", "Ngày hết hiệu lực phải từ ngày bắt đầu hiệu lực trở đi."),
    ("valid_from", "32/01/2021", ""),
    ("chosen_kinds", ["1.1", "1.3"], "Nội dung 1.3 chưa thuộc các nội dung được tính."),
    ("assigned_kinds", ["1.1", "1.2"], "không thể vừa do cán bộ tự chọn vừa do Thường trực"),
    ("branch_meeting_kind", "1.4", "Nội dung dự sinh hoạt chi đoàn phải là một nội dung được"),
    ("counted_kinds", [], "hãy chọn ít nhất một nội dung"),
    ("agency_plan_kinds", "huyen, quan", "có mã loại đơn vị không tồn tại"),
    ("long_statuses", ["thai_san"], "không thể vừa miễn ngay vừa chỉ miễn khi đủ thời gian"),
    ("name", "", "Hãy nhập thông tin này."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD, ids=[f"{b[0]}-{i}"
                                                                  for i, b in enumerate(BAD)])
def test_fv3_bad_policy_input_is_named_and_nothing_written(world: World, field: str,
                                                           value: object, message: str) -> None:
    client = login(world.province_secretary)
    data = {**FORM, field: value}
    if field == "chosen_kinds":
        data["counted_kinds"] = ["1.1", "1.2"]
        data["branch_meeting_kind"] = ""
    if field == "assigned_kinds":
        data["chosen_kinds"] = ["1.1"]
    if field == "counted_kinds":
        data.update(chosen_kinds=[], assigned_kinds=[], branch_meeting_kind="")

    response = client.post(reverse("fieldvisits:policy_create", args=[world.province.pk]), data)

    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert not FieldVisitPolicy.objects.exists()


def test_fv3_bad_edit_changes_nothing(world: World) -> None:
    policy = seed_policy(world.province)
    client = login(world.province_secretary)
    response = client.post(reverse("fieldvisits:policy_edit", args=[policy.pk]),
                           {**FORM, "days_by_level": "chi_doan | 61"})
    assert response.status_code == 400
    assert "vượt số ngày tối thiểu cả năm" in response.content.decode()
    policy.refresh_from_db()
    assert policy.days_by_level == {}
    assert policy.name == "Chế độ đi công tác cơ sở giai đoạn 2018 – 2022"


def test_fv3_policy_pages_outsiders(world: World) -> None:
    policy = seed_policy(world.province)
    long_an = org_services.unit_create(actor=None, parent=world.centre, name="Tỉnh đoàn Long An",
                                       kind=UnitKind.objects.get(code="tinh"),
                                       founded_on=world.province.founded_on)
    foreign_admin = make_user("quantri_longan")
    grant(foreign_admin, "quan_tri_don_vi", long_an)
    urls = [reverse("fieldvisits:policy_detail", args=[policy.pk]),
            reverse("fieldvisits:policy_edit", args=[policy.pk]),
            reverse("fieldvisits:policy_list", args=[world.province.pk]),
            reverse("fieldvisits:policy_create", args=[world.province.pk]),
            reverse("fieldvisits:policy_detail", args=[policy.pk + 999])]
    for user in (world.outsider, foreign_admin):
        client = login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, (user.username, url)
            body = response.content.decode()
            assert "Tây Ninh" not in body and "45-KH" not in body
        assert client.post(urls[1], FORM).status_code == 404
        assert client.post(urls[3], FORM).status_code == 404
    # a reader of the province (no administer) reads but may not issue or edit
    reader = login(world.district_a_cadre)
    assert reader.get(urls[1]).status_code == 404
    assert reader.post(urls[1], FORM).status_code == 404
    assert reader.get(reverse("fieldvisits:policy_create",
                              args=[world.district_a.pk])).status_code == 200
    assert FieldVisitPolicy.objects.count() == 1
    policy.refresh_from_db()
    assert policy.report_days == 3
    # the list of a unit the foreign admin administers works and names nothing of Tây Ninh
    own = login(foreign_admin).get(reverse("fieldvisits:policy_list", args=[long_an.pk]))
    assert own.status_code == 200 and "Tây Ninh" not in own.content.decode()
    assert reverse("fieldvisits:policy_create", args=[long_an.pk]) in own.content.decode()


def test_fv7_policy_page_refuses_a_recipient_outside_the_codes(world: World) -> None:
    client = login(world.province_secretary)
    data = {**FORM, "rollups": "nam | Báo cáo năm | năm | Tỉnh ủy | 20/10"}

    response = client.post(reverse("fieldvisits:policy_create", args=[world.province.pk]), data)

    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["rollups"])
    assert "Các báo cáo tổng hợp (rollups), báo cáo thứ 1 “nam”: nơi nhận (to) “Tỉnh ủy”" in errors
    assert "standing" in errors and "central" in errors
    assert not FieldVisitPolicy.objects.exists()


def test_fv7_policy_check_is_the_reports_check(world: World) -> None:
    from doanvu.fieldvisits import policies, rollups
    from tests.fieldvisits.policy_fixtures import SEED_002

    old = [{"code": "nam", "label": "Báo cáo năm", "period": "year",
            "to": "Ban Thường vụ Tỉnh đoàn", "by": "tinh", "month": 10, "day": 20}]
    with pytest.raises(policies.PolicyError) as exc:
        policies.clean({**SEED_002, "rollups": old}, issuing_unit=world.province)
    assert exc.value.field == "rollups"
    assert " ".join(rollups.rollup_problems(old)) in str(exc.value)
    assert "unit_kinds" in str(exc.value) and "by" in str(exc.value)
