"""ORG-5, ORG-6, ORG-7 through the pages: departments, terms and seats, positions, supervision."""

from __future__ import annotations

from django.urls import reverse

from doanvu.audit.models import AuditRecord
from doanvu.org.models import CommitteeSeat, Department, Person, Position, Supervision, Term
from tests.conftest import World, login


def test_org5_department_added_from_unit_page_is_shown_and_audited(world: World) -> None:
    client = login(world.province_secretary)
    url = reverse("org:department_add", args=[world.province.pk])
    response = client.post(url, {"name": "Ban Phong trào", "short_name": "BPT", "category": "ban",
                                 "valid_from": "01/01/2018"})
    assert response.status_code == 302
    dep = Department.objects.get(unit=world.province, name="Ban Phong trào")
    assert dep.short_name == "BPT"
    page = client.get(reverse("org:unit_detail", args=[world.province.pk])).content.decode()
    assert "Ban Phong trào" in page
    rec = AuditRecord.objects.filter(model="org.department", object_pk=str(dep.pk)).get()
    assert rec.actor_id == world.province_secretary.pk
    assert rec.action == "create"


def test_org6_term_seat_and_position_shown_for_selected_term(world: World) -> None:
    client = login(world.province_secretary)
    assert client.post(reverse("org:term_add", args=[world.province.pk]),
                       {"name": "2017–2022", "start_date": "15/08/2017"}).status_code == 302
    term = Term.objects.get(unit=world.province)
    response = client.post(reverse("org:seat_add", args=[world.province.pk]), {
        "term": term.pk, "committee": "thuong_truc", "full_name": "Hoàng Thị Thanh Thúy",
        "title": "Bí thư", "order": 1, "start_date": "15/08/2017"})
    assert response.status_code == 302
    person = Person.objects.get(full_name="Hoàng Thị Thanh Thúy")
    assert CommitteeSeat.objects.get(term=term, person=person).title == "Bí thư"
    response = client.post(reverse("org:position_add", args=[world.province.pk]), {
        "person": person.pk, "department": world.tckt.pk, "title": "Trưởng ban",
        "full_time": "on", "start_date": "01/01/2018"})
    assert response.status_code == 302
    assert Position.objects.get(person=person).department == world.tckt
    page = client.get(reverse("org:unit_detail", args=[world.province.pk]),
                      {"nhiem_ky": term.pk}).content.decode()
    assert "Bí thư: <strong>Hoàng Thị Thanh Thúy</strong>" in page
    assert "Trưởng ban" in page


def test_org6_seat_before_term_start_is_refused_with_field_message(world: World) -> None:
    client = login(world.province_secretary)
    term = Term.objects.create(unit=world.province, name="2022–2027",
                               start_date="2022-10-01")
    response = client.post(reverse("org:seat_add", args=[world.province.pk]), {
        "term": term.pk, "committee": "btv", "full_name": "Nguyễn Văn A", "title": "Ủy viên",
        "order": 5, "start_date": "01/01/2020"})
    assert response.status_code == 200
    assert "Ngày bắt đầu trước nhiệm kỳ (01/10/2022)." in response.content.decode()
    assert CommitteeSeat.objects.count() == 0


def test_org7_supervision_assigned_and_ended(world: World) -> None:
    client = login(world.province_secretary)
    response = client.post(reverse("org:supervision_add", args=[world.province.pk]), {
        "supervised_unit": world.district_a.pk, "department": world.tckt.pk,
        "role_label": "Ban phụ trách", "field": "Tổ chức xây dựng Đoàn",
        "start_date": "01/01/2020"})
    assert response.status_code == 302
    sup = Supervision.objects.get(supervised_unit=world.district_a)
    page = client.get(reverse("org:unit_detail", args=[world.district_a.pk])).content.decode()
    assert "Ban Tổ chức – Kiểm tra" in page
    response = client.post(reverse("org:item_end", args=[world.province.pk, "phu-trach", sup.pk]),
                           {"on": "31/12/2020"})
    assert response.status_code == 302
    sup.refresh_from_db()
    assert str(sup.end_date) == "2020-12-31"


def test_org7_supervision_of_a_unit_outside_the_subtree_is_refused(world: World) -> None:
    client = login(world.district_a_cadre)
    response = client.post(reverse("org:supervision_add", args=[world.district_a.pk]), {
        "supervised_unit": world.commune_b1.pk, "full_name": "Lê Văn B",
        "start_date": "01/01/2020"})
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị trong phạm vi của bạn." in response.content.decode()
    assert Supervision.objects.count() == 0


def test_x3_outsider_and_other_district_cannot_use_agency_pages(world: World) -> None:
    dep = Department.objects.create(unit=world.district_b, name="Văn phòng", category="van_phong")
    for user in (world.outsider, world.district_a_cadre, world.branch_secretary):
        client = login(user)
        for name in ("department_add", "term_add", "seat_add", "position_add",
                     "supervision_add"):
            url = reverse(f"org:{name}", args=[world.district_b.pk])
            assert client.get(url).status_code == 404, (user, name)
            assert client.post(url, {"name": "X"}).status_code == 404, (user, name)
        end = reverse("org:item_end", args=[world.district_b.pk, "ban", dep.pk])
        assert client.post(end, {"on": "01/01/2021"}).status_code == 404
    dep.refresh_from_db()
    assert dep.valid_to is None


def test_org6_an_ended_term_is_labelled_as_ended_on_the_unit_page_and_in_the_seat_form(
    world: World,
) -> None:
    import datetime as dt

    old = Term.objects.create(unit=world.province, name="2012–2017",
                              start_date=dt.date(2012, 8, 1), end_date=dt.date(2017, 8, 14))
    current = Term.objects.create(unit=world.province, name="2022–2027",
                                  start_date=dt.date(2022, 10, 1))
    client = login(world.province_secretary)

    page_old = client.get(reverse("org:unit_detail", args=[world.province.pk]),
                          {"nhiem_ky": old.pk}).content.decode()
    page_now = client.get(reverse("org:unit_detail", args=[world.province.pk]),
                          {"nhiem_ky": current.pk}).content.decode()
    as_of_then = client.get(reverse("org:unit_detail", args=[world.province.pk]),
                            {"nhiem_ky": old.pk, "ngay": "01/01/2015"}).content.decode()
    seat_form = client.get(reverse("org:seat_add", args=[world.province.pk])).content.decode()

    assert f'<option value="{old.pk}" selected>2012–2017 (đã kết thúc)</option>' in page_old
    assert "Nhiệm kỳ 2012–2017 đã kết thúc ngày 14/08/2017." in page_old
    assert f'<option value="{current.pk}" selected>2022–2027</option>' in page_now
    assert 'data-testid="term-ended"' not in page_now
    assert "(đã kết thúc)" not in as_of_then  # on 01/01/2015 it was running
    assert f'<option value="{old.pk}">Nhiệm kỳ 2012–2017 (đã kết thúc)</option>' in seat_form
    assert f'<option value="{current.pk}">Nhiệm kỳ 2022–2027</option>' in seat_form
