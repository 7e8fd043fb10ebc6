"""INS-3, INS-4, INS-5, INS-7: the inspection rules are a policy record of the issuing unit —
read in plain Vietnamese by whoever reads the unit, a new version issued from a date by its
administrators (the earlier stays), bad input named, outsiders refused."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from doanvu.common.dates import today
from doanvu.inspections.models import InspectionPolicy
from doanvu.org.models import Department, DepartmentCategory
from tests.conftest import grant, login, make_user
from tests.inspections.conftest import Ins

FORM = {"valid_from": "", "source": "Kế hoạch 73-KH/TĐTN-VP", "morning_start": "07:30",
        "afternoon_start": "13:30", "party_rep_count": "1", "excellent_count": "2",
        "excellent_levels": "htxs", "good_count": "2", "good_levels": "htt, ht",
        "home_affairs_count": "1", "home_affairs_unit_kinds": "huyen",
        "documents_lead_days": "5", "reflection_days": "7", "unit_compilation_days": "3",
        "round_compilation_days": "5", "recommendation_department_days": "3",
        "recommendation_office_days": "5", "inspection_department": "", "office_department": ""}


def test_ins3_the_policy_reads_in_plain_vietnamese(ins: Ins) -> None:
    w = ins.world
    url = reverse("inspections:policy_page", args=[w.province.pk])
    body = login(w.province_secretary).get(url).content.decode()
    assert "buổi sáng từ 08g00, buổi chiều từ 14g00" in body
    assert "chậm nhất 3 ngày trước buổi kiểm tra" in body
    assert "htxs" in body and "Phòng Nội vụ" in body
    # a district reads the province's rules, said to be the upper unit's (its administrator
    # may issue its own); a reader sees no form
    district = login(w.district_a_cadre).get(
        reverse("inspections:policy_page", args=[w.district_a.pk])).content.decode()
    assert "Theo quy định của Tỉnh đoàn Tây Ninh" in district
    reader = make_user("doc_quy_dinh")
    grant(reader, "thanh_vien_doan_kiem_tra", w.province)
    page = login(reader).get(url).content.decode()
    assert "chậm nhất 3 ngày trước buổi kiểm tra" in page and "Ban hành quy định mới" not in page


def test_ins3_an_administrator_issues_a_new_version_from_a_date(ins: Ins) -> None:
    w = ins.world
    office = Department.objects.create(unit=w.province, name="Văn phòng", short_name="VP",
                                       category=DepartmentCategory.OFFICE)
    url = reverse("inspections:policy_page", args=[w.province.pk])
    client = login(w.admin)
    day = today()
    response = client.post(url, {**FORM, "valid_from": day.strftime("%d/%m/%Y"),
                                 "office_department": office.pk}, follow=True)
    assert "Đã ban hành quy định kiểm tra mới." in response.content.decode()
    assert InspectionPolicy.objects.filter(issuing_unit=w.province).count() == 2
    new = InspectionPolicy.objects.filter(issuing_unit=w.province).latest("valid_from")
    assert (new.morning_start, new.documents_lead_days, new.reflection_days) == (
        dt.time(7, 30), 5, 7)
    assert new.good_levels == ["htt", "ht"] and new.office_department == office
    assert "buổi sáng từ 07g30" in client.get(url).content.decode()


def test_ins3_bad_policy_input_is_named_and_nothing_written(ins: Ins) -> None:
    w = ins.world
    url = reverse("inspections:policy_page", args=[w.province.pk])
    client = login(w.admin)
    before = InspectionPolicy.objects.count()
    late = client.post(url, {**FORM, "valid_from": "01/01/2021", "afternoon_start": "07:00"})
    assert late.status_code == 400
    assert "Giờ bắt đầu buổi chiều phải sau giờ bắt đầu buổi sáng." in late.content.decode()
    junk = client.post(url, {**FORM, "valid_from": "31/02/2021", "documents_lead_days": "-1"})
    assert junk.status_code == 400
    other = Department.objects.create(unit=w.district_a, name="Văn phòng Huyện đoàn",
                                      short_name="VPH", category=DepartmentCategory.OFFICE)
    foreign = client.post(url, {**FORM, "valid_from": "01/01/2021",
                                "office_department": other.pk})
    assert foreign.status_code == 400
    assert InspectionPolicy.objects.count() == before


def test_ins3_policy_page_outsiders(ins: Ins) -> None:
    w = ins.world
    url = reverse("inspections:policy_page", args=[w.province.pk])
    before = InspectionPolicy.objects.count()
    for user in (w.outsider, w.district_a_cadre, w.branch_secretary):
        client = login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {**FORM, "valid_from": "01/01/2021"}).status_code == 404
    # reads the unit, may not issue its rules
    reader = make_user("doc_quy_dinh")
    grant(reader, "thanh_vien_doan_kiem_tra", w.province)
    assert login(reader).post(url, {**FORM, "valid_from": "01/01/2021"}).status_code == 404
    assert InspectionPolicy.objects.count() == before
