"""REM-3 in the browser: a writer records a member's month with a points field per criterion of
the policy in force, an approver locks the month, the member sees their own months side by side;
refusals name the field; an outsider gets 404 and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.common.periods import Period
from doanvu.org.models import Person, Position
from doanvu.remediation import services
from doanvu.remediation.models import EvaluationPolicy, MonthlyEvaluation
from tests.conftest import login, make_user
from tests.remediation.conftest import RemWorld, scope
from tests.remediation.test_rem3_evaluation import SEED_004

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

POINTS = {"diem_tai_lieu": 100, "diem_nhiem_vu": 90, "diem_khac_phuc": 80, "diem_sang_kien": 50}


def _policy(rem: RemWorld) -> EvaluationPolicy:
    return services.evaluation_policy_create(
        scope=scope(rem.world.admin), issuing_unit=rem.world.province,
        name="Đánh giá UV.BTV chuyên trách hằng tháng", valid_from=dt.date(2020, 1, 1),
        criteria=SEED_004)


def _member(rem: RemWorld, name: str = "Trần Lê Duy") -> Person:
    person = Person.objects.create(full_name=name)
    Position.objects.create(person=person, unit=rem.world.province, title="Phó Bí thư",
                            full_time=True, start_date=dt.date(2017, 1, 1))
    return person


def test_rem3_writer_records_a_month_per_criterion(rem: RemWorld) -> None:
    _policy(rem)
    person = _member(rem)
    client = login(rem.world.province_secretary)
    url = (reverse("remediation:evaluation_record", args=[rem.world.province.pk])
           + "?thang=3/2020")
    body = client.get(url).content.decode()
    assert "Kết quả khắc phục khuyết điểm tháng trước (trọng số 40%)" in body
    assert "Trần Lê Duy" in body

    response = client.post(url, {"person": person.pk, **POINTS, "note": "Tốt"})

    assert response.status_code == 302
    saved = MonthlyEvaluation.objects.get()
    assert saved.month == Period.month(2020, 3) and saved.points["khac_phuc"] == 80
    page = client.get(reverse("remediation:evaluations", args=[rem.world.province.pk])
                      + "?nam=2020").content.decode()
    assert "Trần Lê Duy" in page and "84,00" in page


def test_rem3_points_out_of_range_name_the_criterion_and_write_nothing(rem: RemWorld) -> None:
    _policy(rem)
    person = _member(rem)
    client = login(rem.world.province_secretary)
    url = (reverse("remediation:evaluation_record", args=[rem.world.province.pk])
           + "?thang=3/2020")

    response = client.post(url, {"person": person.pk, **POINTS, "diem_khac_phuc": 140})

    assert response.status_code == 200
    assert "diem_khac_phuc" in response.context["form"].errors
    assert MonthlyEvaluation.objects.count() == 0


def test_rem3_without_a_policy_in_force_nothing_is_offered(rem: RemWorld) -> None:
    client = login(rem.world.province_secretary)
    body = client.get(reverse("remediation:evaluation_record", args=[rem.world.province.pk])
                      + "?thang=3/2020").content.decode()
    assert "Chưa có quy định đánh giá có hiệu lực trong tháng 3/2020" in body
    bad = client.get(reverse("remediation:evaluation_record", args=[rem.world.province.pk])
                     + "?thang=quý I/2020").content.decode()
    assert "Tháng: phải là một tháng" in bad


def test_rem3_approver_locks_a_month_and_a_locked_month_refuses(rem: RemWorld) -> None:
    _policy(rem)
    person = _member(rem)
    client = login(rem.world.province_secretary)
    url = (reverse("remediation:evaluation_record", args=[rem.world.province.pk])
           + "?thang=3/2020")
    client.post(url, {"person": person.pk, **POINTS})

    client.post(reverse("remediation:evaluation_lock", args=[rem.world.province.pk]),
                {"thang": "3/2020"})
    assert MonthlyEvaluation.objects.get().locked
    body = client.post(url, {"person": person.pk, **POINTS, "diem_khac_phuc": 100},
                       follow=True).content.decode()

    assert "Tháng tháng 3/2020: đã khóa" in body or "đã khóa, không sửa được" in body
    assert MonthlyEvaluation.objects.get().points["khac_phuc"] == 80


def test_rem3_a_cadre_sees_their_own_months_side_by_side(rem: RemWorld) -> None:
    policy = _policy(rem)
    person = _member(rem)
    user = make_user("duy_tinh")
    person.user = user
    person.save(update_fields=["user"])
    for month, remedied in ((1, 100), (2, 50)):
        services.evaluation_save(scope=scope(rem.world.admin), unit=rem.world.province,
                                 person=person, month=Period.month(2020, month), policy=policy,
                                 points={"tai_lieu": 100, "nhiem_vu": 100,
                                         "khac_phuc": remedied, "sang_kien": 0})

    body = login(user).get(reverse("remediation:my_evaluations")).content.decode()

    assert "năm 2020" in body
    assert "tháng 1/2020" in body and "tháng 2/2020" in body
    assert "90,00" in body and "70,00" in body
    assert "Kết quả khắc phục khuyết điểm tháng trước" in body
    other = login(rem.world.province_secretary).get(
        reverse("remediation:my_evaluations") + "?nam=2020").content.decode()
    assert "90,00" not in other


def test_rem3_outsider_gets_404_and_writes_nothing(rem: RemWorld) -> None:
    _policy(rem)
    person = _member(rem)
    outsider = login(rem.world.district_a_cadre)
    unit = rem.world.province.pk
    record = reverse("remediation:evaluation_record", args=[unit]) + "?thang=3/2020"

    assert outsider.get(record).status_code == 404
    assert outsider.post(record, {"person": person.pk, **POINTS}).status_code == 404
    assert outsider.post(reverse("remediation:evaluation_lock", args=[unit]),
                         {"thang": "3/2020"}).status_code == 404
    assert MonthlyEvaluation.objects.count() == 0
