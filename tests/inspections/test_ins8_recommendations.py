"""INS-8 (with INS-7's cluster meetings): recommendations raised at a round's cluster meeting are
recorded per round and assigned to a department; each department compiles its own, the Office
all of them, within the policy's days after the round ends; a page lists them with their
state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.hub.models import Obligation
from doanvu.inspections import followup
from doanvu.inspections.models import Recommendation
from doanvu.inspections.services import InspectionError, InspectionScopeError
from doanvu.org.models import Department, DepartmentCategory
from tests.conftest import grant, login, make_user
from tests.inspections.conftest import Ins
from tests.inspections.followup_fixtures import After, arrange

D = dt.date


@pytest.fixture
def after(ins: Ins) -> After:
    a = arrange(ins)
    ins.round.cluster_meeting_on = D(2020, 11, 19)
    ins.round.save(update_fields=["cluster_meeting_on"])
    return a


def record(a: After, department: Department | None = None, **kw: object) -> Recommendation:
    values: dict[str, object] = {"content": "Đề nghị hỗ trợ kinh phí cho đội hình tình nguyện.",
                                 "department": department or a.bpt,
                                 "unit": a.ins.world.district_a}
    values.update(kw)
    return followup.recommendation_record(actor=a.ins.world.province_secretary,
                                          round_=a.ins.round, **values)  # type: ignore[arg-type]


def test_ins8_a_recommendation_gives_the_department_and_the_office_their_compilations(
        after: After) -> None:
    rec = record(after)
    assert rec.raised_on == D(2020, 11, 19)  # the round's cluster meeting by default
    dept = Obligation.objects.get(
        key=followup.recommendation_department_key(after.ins.round, after.bpt.pk))
    office = Obligation.objects.get(key=followup.recommendation_office_key(after.ins.round))
    assert dept.owed_by_department == after.bpt and dept.owed_to_department == after.office
    assert dept.due_on == D(2020, 11, 23)  # 3 days after the round ends (20/11)
    assert office.owed_by_department == after.office and office.owed_to_department is None
    assert office.due_on == D(2020, 11, 25)  # 5 days after
    assert {dept.kind, office.kind} == {followup.RECOMMENDATION_DEPARTMENT_KIND,
                                        followup.RECOMMENDATION_OFFICE_KIND}


def test_ins8_one_compilation_per_department_and_one_for_the_office(after: After) -> None:
    record(after)
    record(after, content="Đề nghị tập huấn phần mềm quản lý đoàn viên.")
    record(after, department=after.ins.world.tckt, content="Đề nghị hướng dẫn kết nạp đoàn viên.")
    assert Recommendation.objects.count() == 3
    assert Obligation.objects.filter(kind=followup.RECOMMENDATION_DEPARTMENT_KIND).count() == 2
    assert Obligation.objects.filter(kind=followup.RECOMMENDATION_OFFICE_KIND).count() == 1


def test_ins8_days_and_office_come_from_the_policy(after: After) -> None:
    ttn = Department.objects.create(unit=after.ins.world.province, name="Văn phòng Tỉnh đoàn 2",
                                    category=DepartmentCategory.DEPARTMENT)
    policy = after.ins.policy
    policy.recommendation_department_days = 1
    policy.recommendation_office_days = 2
    policy.office_department = ttn
    policy.save()
    record(after)
    dept = Obligation.objects.get(kind=followup.RECOMMENDATION_DEPARTMENT_KIND)
    office = Obligation.objects.get(kind=followup.RECOMMENDATION_OFFICE_KIND)
    assert dept.due_on == D(2020, 11, 21) and office.due_on == D(2020, 11, 22)
    assert office.owed_by_department == ttn and dept.owed_to_department == ttn


def test_ins8_the_offices_own_recommendations_go_to_the_standing(after: After) -> None:
    record(after, department=after.office)
    dept = Obligation.objects.get(kind=followup.RECOMMENDATION_DEPARTMENT_KIND)
    assert dept.owed_by_department == after.office and dept.owed_to_department is None


@pytest.mark.parametrize(("changes", "field_message"), [
    ({"content": "   "}, "Hãy nhập nội dung kiến nghị"),
    ({"content": "x" * 4001}, "dài quá 4000 ký tự"),
    ({"unit": "district_b_child"}, "không có trong danh sách đơn vị"),
    ({"raised_on": D(2020, 10, 1)}, "ngoài thời gian của đợt"),
    ({"department": "foreign"}, "không phải một ban của Tỉnh đoàn Tây Ninh"),
])
def test_ins8_bad_input_is_refused_and_nothing_written(after: After, changes: dict[str, object],
                                                       field_message: str) -> None:
    w = after.ins.world
    if changes.get("unit") == "district_b_child":
        changes["unit"] = w.commune_a1
    if changes.get("department") == "foreign":
        changes["department"] = Department.objects.create(
            unit=w.district_a, name="Văn phòng Huyện đoàn", category=DepartmentCategory.OFFICE)
    before = Obligation.objects.count()
    with pytest.raises(InspectionError, match=field_message):
        record(after, **changes)
    assert Recommendation.objects.count() == 0 and Obligation.objects.count() == before


def test_ins8_a_round_without_a_meeting_day_needs_the_day(ins: Ins) -> None:
    a = arrange(ins)
    with pytest.raises(InspectionError, match="Hãy nhập ngày nêu kiến nghị"):
        record(a)
    assert record(a, raised_on=D(2020, 11, 18)).raised_on == D(2020, 11, 18)


def test_ins8_who_may_record(after: After) -> None:
    w = after.ins.world
    for actor in (w.outsider, w.district_a_cadre):
        with pytest.raises(InspectionScopeError):
            followup.recommendation_record(actor=actor, round_=after.ins.round, content="x",
                                           department=after.bpt)
    office_user = make_user("vanphong_tinh")
    grant(office_user, "can_bo_ban", w.province, department=after.office)
    rec = followup.recommendation_record(actor=office_user, round_=after.ins.round,
                                         content="Đề nghị bổ sung biên chế.",
                                         department=after.bpt)
    assert rec.recorded_by == office_user


def test_ins8_the_page_lists_each_recommendation_its_department_and_state(after: After) -> None:
    record(after)
    url = reverse("inspections:round_recommendations", args=[after.ins.round.pk])
    page = login(after.ins.world.province_secretary).get(url).content.decode()
    assert "Đề nghị hỗ trợ kinh phí cho đội hình tình nguyện." in page
    assert "Ban Phong trào" in page and "Huyện đoàn Châu Thành" in page
    assert "hạn tổng hợp 23/11/2020" in page and "Quá hạn" in page
    ob = Obligation.objects.get(kind=followup.RECOMMENDATION_DEPARTMENT_KIND)
    from doanvu.hub import services as hub_services

    hub_services.obligation_submit(actor=None, obligation=ob, text="Đã tổng hợp",
                                   at=followup.submitted_at(D(2020, 11, 22)))
    page = login(after.ins.world.province_secretary).get(url).content.decode()
    assert "Đã nộp, chờ tiếp nhận" in page


def test_ins8_recording_on_the_page_and_bad_input_beside_the_field(after: After) -> None:
    url = reverse("inspections:round_recommendations", args=[after.ins.round.pk])
    client = login(after.ins.world.province_secretary)
    ok = client.post(url, {"content": "Đề nghị tổ chức tập huấn.", "department": after.bpt.pk,
                           "unit": after.ins.world.district_b.pk, "raised_on": "19/11/2020"})
    assert ok.status_code == 302
    assert Recommendation.objects.get().unit == after.ins.world.district_b
    bad = client.post(url, {"content": "Ngoài đợt", "department": after.bpt.pk,
                            "raised_on": "01/01/2020"})
    assert bad.status_code == 400 and "ngoài thời gian của đợt" in bad.content.decode()
    assert Recommendation.objects.count() == 1


def test_ins8_outsiders_neither_see_nor_record(after: After) -> None:
    record(after)
    url = reverse("inspections:round_recommendations", args=[after.ins.round.pk])
    w = after.ins.world
    for user in (w.outsider, w.district_a_cadre):
        client = login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"content": "x", "department": after.bpt.pk}).status_code == 404
    # a team member reads the round but may not record
    member = login(after.secretary_user)
    assert member.get(url).status_code == 200
    assert member.post(url, {"content": "x", "department": after.bpt.pk}).status_code == 404
    assert Recommendation.objects.count() == 1
