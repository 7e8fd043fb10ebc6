"""API-1, FV-2, FV-6: visit logs pushed through the API — the same service as the page's "Ghi
chuyến đi cơ sở" form and its report step, its refusals on the body's fields, nothing written
on a refusal, the audit naming the token's user, another agency's cadre, visit or unit never
reached nor named."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.urls import reverse

from doanvu.audit.models import AuditRecord
from doanvu.common.dates import format_date
from doanvu.fieldvisits import visits
from doanvu.fieldvisits.models import Visit
from doanvu.hub.models import Obligation
from doanvu.members.core import services as members
from doanvu.members.models import CadreStatusKind
from doanvu.org.models import Department, DepartmentCategory
from tests.api.conftest import api, body, new_key
from tests.conftest import World, grant, make_user
from tests.fieldvisits.conftest import FvWorld, days_ago, make_cadre, make_policy

URL = "/api/v1/di-co-so/"
FOREIGN = ["Trần Văn Biên", "Đoàn xã Tân Lập", "Huyện đoàn Tân Biên"]


@pytest.fixture
def fv(world: World) -> FvWorld:
    """tests/fieldvisits' world (its `fv` fixture): the seed 002 regime of the province, a
    provincial cadre of Ban Phong trào, a cadre of district A and one of district B."""
    movement = Department.objects.create(unit=world.province, name="Ban Phong trào",
                                         short_name="PT", category=DepartmentCategory.DEPARTMENT)
    cadre, cadre_user = make_cadre("Nguyễn Văn Phong", "canbo_phongtrao", unit=world.province,
                                   department=movement)
    district_cadre, district_user = make_cadre("Lê Thị Châu", "canbo_huyen_ct",
                                               unit=world.district_a, department=None)
    other_cadre, other_user = make_cadre("Trần Văn Biên", "canbo_huyen_tb",
                                         unit=world.district_b, department=None)
    return FvWorld(world, make_policy(world), world.tckt, movement, cadre, cadre_user,
                   district_cadre, district_user, other_cadre, other_user)


def post(key: str, url: str, data: Any) -> Any:
    return api(key).post(url, json.dumps(data), content_type="application/json")


def visit_body(fv: FvWorld, **changes: Any) -> dict[str, Any]:
    """The provincial cadre's 2-day visit to a district and a commune (kind 1.1)."""
    data: dict[str, Any] = {
        "tu_ngay": format_date(days_ago(3)), "den_ngay": format_date(days_ago(2)),
        "don_vi_den": [fv.world.district_a.pk, fv.world.commune_a1.pk], "loai": "1.1",
        "giay_di_duong": "Giấy đi đường số 12/GĐĐ",
        "noi_dung_da_lam": "Phối hợp tổ chức ngày hội", "cong_tac_phi": 150000}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def nothing_written() -> None:
    assert Visit.objects.count() == 0
    assert Obligation.objects.filter(kind=visits.REPORT_KIND).count() == 0
    assert not AuditRecord.objects.filter(model="fieldvisits.visit").exists()


def _leaks(response: Any) -> list[str]:
    text = response.content.decode()
    return [n for n in FOREIGN if n in text]


# -- logging --------------------------------------------------------------------------------------


def test_api1_visit_log_records_the_visit_through_the_service_audited_as_the_token_user(
        fv: FvWorld) -> None:
    w = fv.world
    response = post(new_key(fv.cadre_user), URL, visit_body(fv))

    assert response.status_code == 201, response.content
    data = body(response)
    visit = Visit.objects.get()
    assert data["id"] == visit.pk and data["can_bo_id"] == fv.cadre.pk
    assert (data["co_quan_id"], data["ban_id"], data["loai"]) == (w.province.pk,
                                                                  fv.movement.pk, "1.1")
    assert (data["tu_ngay"], data["den_ngay"]) == (days_ago(3).isoformat(),
                                                   days_ago(2).isoformat())
    assert [p["id"] for p in data["don_vi_den"]] == [w.district_a.pk, w.commune_a1.pk]
    assert data["cong_tac_phi"] == 150000 and data["ngay_bao_cao"] is None
    assert data["han_bao_cao"] == (days_ago(2) + dt.timedelta(days=3)).isoformat()
    # the service's work: the report owed to Ban Tổ chức – Kiểm tra, the creator recorded
    assert visit.obligation is not None and visit.obligation.owed_to_department == fv.tckt
    assert visit.created_by == fv.cadre_user
    records = AuditRecord.objects.filter(model="fieldvisits.visit", object_pk=str(visit.pk))
    assert {(r.action, r.actor_id) for r in records} == {("create", fv.cadre_user.pk),
                                                         ("update", fv.cadre_user.pk)}


def test_api1_visit_log_a_writer_logs_for_a_cadre_an_outsider_gets_404(fv: FvWorld) -> None:
    w = fv.world
    data = visit_body(fv, can_bo=fv.district_cadre.pk, don_vi_den=[w.commune_a2.pk])

    outsider = post(new_key(w.district_b_cadre), URL, data)
    missing = post(new_key(w.district_b_cadre), URL, {**data, "can_bo": 999999})
    assert (outsider.status_code, missing.status_code) == (404, 404)
    assert body(outsider) == body(missing)
    nothing_written()

    made = post(new_key(w.district_a_cadre), URL, data)
    assert made.status_code == 201, made.content
    visit = Visit.objects.get()
    assert (visit.person, visit.unit) == (fv.district_cadre, w.district_a)
    assert {r.actor_id for r in AuditRecord.objects.filter(model="fieldvisits.visit")} == {
        w.district_a_cadre.pk}


def test_api1_visit_log_a_reader_who_may_not_log_is_refused_403(fv: FvWorld) -> None:
    """An inspection team member reads the district's cadres (read over the district) but logs
    only where they write the governing unit: the service says no, nothing written."""
    w = fv.world
    reader = make_user("doankiemtra_chauthanh")
    grant(reader, "thanh_vien_doan_kiem_tra", w.district_a)
    data = visit_body(fv, can_bo=fv.district_cadre.pk, don_vi_den=[w.commune_a2.pk])

    response = post(new_key(reader), URL, data)

    assert response.status_code == 403, response.content
    assert body(response)["loi"]["ma"] == "khong_duoc_phep"
    assert "không ghi được chuyến đi" in body(response)["loi"]["thong_diep"]
    nothing_written()


def test_api1_visit_log_a_place_outside_the_agency_is_refused_without_its_name(
        fv: FvWorld) -> None:
    w = fv.world
    data = visit_body(fv, can_bo=fv.district_cadre.pk,
                      don_vi_den=[w.commune_a1.pk, w.commune_b1.pk])
    response = post(new_key(fv.district_user), URL, data)

    assert response.status_code == 400
    assert list(body(response)["loi"]["truong"]) == ["don_vi_den"]
    assert str(w.commune_b1.pk) in body(response)["loi"]["truong"]["don_vi_den"][0]
    assert _leaks(response) == []
    nothing_written()


@pytest.mark.parametrize(("changes", "field", "says"), [
    # FV-2 rules, the service's Vietnamese messages on the body's fields; dates relative to
    # today built when the test runs (a suite crossing midnight must not use yesterday's)
    (lambda: {"tu_ngay": format_date(days_ago(1)), "den_ngay": format_date(days_ago(-1))},
     "den_ngay", "Chuyến đi chưa diễn ra"),
    (lambda: {"tu_ngay": format_date(days_ago(2)), "den_ngay": format_date(days_ago(4))},
     "den_ngay", "trước ngày bắt đầu"),
    ({"tu_ngay": "02/05/2019", "den_ngay": "03/05/2019"}, "den_ngay", "năm 2019 đã khóa"),
    ({"loai": "1.2"}, "loai", "do Thường trực phân công"),
    ({"giay_di_duong": "x" * 121}, "giay_di_duong", "120"),
    # the body's own checks
    ({"tu_ngay": "31/02/2025"}, "tu_ngay", "không tồn tại"),
    ({"tu_ngay": 20250101}, "tu_ngay", "dd/mm/yyyy"),
    ({"tu_ngay": None}, "tu_ngay", "Hãy nhập"),
    ({"loai": "9.9"}, "loai", "không phải một lựa chọn hợp lệ"),
    ({"cong_tac_phi": -5}, "cong_tac_phi", "Nhỏ hơn giới hạn"),
    ({"cong_tac_phi": "mười nghìn"}, "cong_tac_phi", "số nguyên"),
    ({"don_vi_den": []}, "don_vi_den", "ít nhất một đơn vị"),
    ({"don_vi_den": ["abc"]}, "don_vi_den[0]", "mã số đơn vị"),
    ({"don_vi_den": 5}, "don_vi_den", "danh sách"),
    ({"ma_gui": "khong-phai-uuid"}, "ma_gui", "UUID"),
    ({"noi_dung_da_lam": 12}, "noi_dung_da_lam", "chuỗi ký tự"),
    ({"nguoi_di": "Phong"}, "nguoi_di", "không có ở địa chỉ này"),
])
def test_api1_visit_log_bad_input_is_a_400_naming_the_field_and_nothing_written(
        fv: FvWorld, changes: Any, field: str, says: str) -> None:
    data = visit_body(fv)
    data.update(changes() if callable(changes) else changes)
    data = {k: v for k, v in data.items() if v is not None}
    response = post(new_key(fv.cadre_user), URL, data)

    assert response.status_code == 400, response.content
    problems = body(response)["loi"]["truong"]
    assert field in problems, problems
    assert says in problems[field][0], problems
    nothing_written()


def test_api1_visit_log_days_of_an_exempting_leave_are_refused(fv: FvWorld) -> None:
    members.cadre_status_add(actor=None, person=fv.cadre, kind=CadreStatusKind.MATERNITY,
                             start_date=days_ago(30), end_date=days_ago(2))
    response = post(new_key(fv.cadre_user), URL, visit_body(fv))
    assert response.status_code == 400
    assert "nghỉ thai sản" in body(response)["loi"]["truong"]["tu_ngay"][0]
    nothing_written()


def test_api1_visit_log_an_account_without_a_cadre_must_name_one(fv: FvWorld) -> None:
    response = post(new_key(fv.world.district_a_cadre), URL, visit_body(fv))
    assert response.status_code == 400
    assert list(body(response)["loi"]["truong"]) == ["can_bo"]
    nothing_written()


def test_api1_visit_log_malformed_bodies_are_4xx(fv: FvWorld) -> None:
    client = api(new_key(fv.cadre_user))
    assert client.post(URL, "{", content_type="application/json").status_code == 400
    assert client.post(URL, "[1, 2]", content_type="application/json").status_code == 400
    assert client.post(URL, {"tu_ngay": "01/01/2025"}).status_code == 415
    assert client.put(URL, "{}", content_type="application/json").status_code == 405
    assert api("dv_khong_phai_khoa").post(URL, "{}", content_type="application/json"
                                          ).status_code == 401
    nothing_written()


def test_api1_visit_log_the_same_key_twice_makes_one_visit(fv: FvWorld) -> None:
    key = new_key(fv.cadre_user)
    data = visit_body(fv, ma_gui=str(uuid.uuid4()))
    first = post(key, URL, data)
    again = post(key, URL, data)

    assert (first.status_code, again.status_code) == (201, 200)
    assert body(first)["id"] == body(again)["id"] and Visit.objects.count() == 1
    assert Obligation.objects.filter(kind=visits.REPORT_KIND).count() == 1
    # another cadre cannot reuse the key (nor learn the visit)
    other = post(new_key(fv.district_user), URL, {
        **visit_body(fv, don_vi_den=[fv.world.commune_a1.pk]), "ma_gui": data["ma_gui"]})
    assert other.status_code == 400 and list(body(other)["loi"]["truong"]) == ["ma_gui"]
    assert "Nguyễn Văn Phong" not in other.content.decode()


# -- the report -----------------------------------------------------------------------------------


def _logged(fv: FvWorld) -> Visit:
    response = post(new_key(fv.cadre_user), URL, visit_body(fv))
    assert response.status_code == 201, response.content
    return Visit.objects.get(pk=body(response)["id"])


def test_api1_visit_report_files_the_report_and_delivers_its_obligation(fv: FvWorld) -> None:
    visit = _logged(fv)
    url = reverse("api:v1_visit_report", args=[visit.pk])
    response = post(new_key(fv.cadre_user), url,
                    {"ket_qua": "Đã phối hợp tổ chức ngày hội", "de_xuat": "Hỗ trợ kinh phí"})

    assert response.status_code == 200, response.content
    data = body(response)
    assert data["ket_qua"] == "Đã phối hợp tổ chức ngày hội" and data["de_xuat"]
    assert data["ngay_bao_cao"] is not None and data["bao_cao_tre_han"] is False
    visit.refresh_from_db()
    assert visit.reported_on is not None and visit.obligation is not None
    assert visit.obligation.status == "submitted"
    record = AuditRecord.objects.filter(model="fieldvisits.visit",
                                        object_pk=str(visit.pk)).latest("id")
    assert (record.action, record.actor_id) == ("update", fv.cadre_user.pk)

    twice = post(new_key(fv.cadre_user), url, {"ket_qua": "Lần nữa"})
    assert twice.status_code == 400 and "ket_qua" in body(twice)["loi"]["truong"]


def test_api1_visit_report_outsider_404_and_bad_bodies_write_nothing(fv: FvWorld) -> None:
    visit = _logged(fv)
    url = reverse("api:v1_visit_report", args=[visit.pk])
    outsider = post(new_key(fv.other_user), url, {"ket_qua": "Không phải của tôi"})
    missing = post(new_key(fv.other_user), reverse("api:v1_visit_report", args=[999999]),
                   {"ket_qua": "Không có"})
    assert (outsider.status_code, missing.status_code) == (404, 404)
    assert body(outsider) == body(missing) and "Nguyễn Văn Phong" not in outsider.content.decode()

    key = new_key(fv.cadre_user)
    for data, field in [({}, "ket_qua"), ({"ket_qua": ""}, "ket_qua"),
                        ({"ket_qua": "x" * 10001}, "ket_qua"), ({"ket_qua": 5}, "ket_qua"),
                        ({"ket_qua": "Được", "ngay": "01/01/2025"}, "ngay")]:
        response = post(key, url, data)
        assert response.status_code == 400, (data, response.content)
        assert field in body(response)["loi"]["truong"], (data, response.content)
    visit.refresh_from_db()
    assert visit.reported_on is None and visit.report == ""


def test_api1_visit_report_after_the_policys_days_is_flagged_late(fv: FvWorld) -> None:
    """FV-6: the regime's `report_days` (3) after the end — a report later still files, flagged
    late, and the visit counts from the report's day."""
    key = new_key(fv.cadre_user)
    made = post(key, URL, visit_body(fv, tu_ngay=format_date(days_ago(10)),
                                     den_ngay=format_date(days_ago(9))))
    assert made.status_code == 201, made.content
    assert body(made)["han_bao_cao"] == (days_ago(9) + dt.timedelta(days=3)).isoformat()

    response = post(key, reverse("api:v1_visit_report", args=[body(made)["id"]]),
                    {"ket_qua": "Báo cáo muộn"})

    assert response.status_code == 200, response.content
    assert body(response)["bao_cao_tre_han"] is True
    assert Visit.objects.get().report_late is True
