"""REM-3: the monthly evaluation of full-time standing members — the weights are a policy record
of the issuing unit (adding up to 100, seed 004: remediation 40%), one evaluation per member and
month, locked months refuse edits, a cadre's months side by side."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.org.models import Person
from doanvu.remediation import selectors, services
from doanvu.remediation.models import EvaluationPolicy, MonthlyEvaluation
from tests.conftest import login
from tests.remediation.conftest import RemWorld, scope

SEED_004 = [
    {"code": "tai_lieu", "label": "Tiến độ cung cấp tài liệu họp Ban Thường vụ",  # i18n: data
     "weight": 20},
    {"code": "nhiem_vu", "label": "Mức độ hoàn thành nhiệm vụ được phân công",  # i18n: data
     "weight": 30},
    {"code": "khac_phuc", "label": "Kết quả khắc phục khuyết điểm tháng trước",  # i18n: data
     "weight": 40},
    {"code": "sang_kien", "label": "Sáng kiến chuyên môn trong tháng",  # i18n: data
     "weight": 10},
]


def _policy(rem: RemWorld) -> EvaluationPolicy:
    return services.evaluation_policy_create(
        scope=scope(rem.world.admin), issuing_unit=rem.world.province,
        name="Đánh giá UV.BTV chuyên trách hằng tháng", valid_from=dt.date(2020, 1, 1),
        criteria=SEED_004)


def test_rem3_weights_not_adding_to_100_are_refused(rem: RemWorld) -> None:
    bad = [{**c, "weight": 50} if c["code"] == "khac_phuc" else c for c in SEED_004]
    with pytest.raises(ApplicationError) as e:
        services.evaluation_policy_create(
            scope=scope(rem.world.admin), issuing_unit=rem.world.province, name="x",
            valid_from=dt.date(2020, 1, 1), criteria=bad)

    assert e.value.field == "criteria"
    assert "tổng phải bằng 100 (%), hiện là 110" in e.value.message
    assert EvaluationPolicy.objects.count() == 0


def test_rem3_policy_is_found_for_the_unit_below(rem: RemWorld) -> None:
    policy = _policy(rem)

    assert selectors.evaluation_policy_for(unit=rem.world.district_a,
                                           day=dt.date(2020, 6, 1)) == policy


def test_rem3_locked_month_refuses_edits(rem: RemWorld) -> None:
    policy = _policy(rem)
    s = scope(rem.world.admin)
    person = Person.objects.create(full_name="Nguyễn Văn An")
    march = Period.month(2020, 3)
    points = {"tai_lieu": 100, "nhiem_vu": 90, "khac_phuc": 80, "sang_kien": 50}
    services.evaluation_save(scope=s, unit=rem.world.province, person=person, month=march,
                             policy=policy, points=points)
    services.evaluation_month_lock(scope=s, unit=rem.world.province, month=march)

    with pytest.raises(ApplicationError) as e:
        services.evaluation_save(scope=s, unit=rem.world.province, person=person, month=march,
                                 policy=policy, points={**points, "khac_phuc": 100})

    assert e.value.field == "month"
    assert MonthlyEvaluation.objects.get().points["khac_phuc"] == 80


def test_rem3_points_out_of_range_are_refused_naming_the_criterion(rem: RemWorld) -> None:
    policy = _policy(rem)
    person = Person.objects.create(full_name="Nguyễn Văn An")
    with pytest.raises(ApplicationError) as e:
        services.evaluation_save(scope=scope(rem.world.admin), unit=rem.world.province,
                                 person=person, month=Period.month(2020, 3), policy=policy,
                                 points={"tai_lieu": 100, "nhiem_vu": 100, "khac_phuc": 140,
                                         "sang_kien": 0})

    assert "Kết quả khắc phục khuyết điểm tháng trước" in e.value.message
    assert MonthlyEvaluation.objects.count() == 0


def test_rem3_a_cadre_sees_their_months_side_by_side(rem: RemWorld) -> None:
    policy = _policy(rem)
    s = scope(rem.world.admin)
    person = Person.objects.create(full_name="Trần Thị Bình")
    for month, remedied in ((1, 100), (2, 50)):
        services.evaluation_save(scope=s, unit=rem.world.province, person=person,
                                 month=Period.month(2020, month), policy=policy,
                                 points={"tai_lieu": 100, "nhiem_vu": 100,
                                         "khac_phuc": remedied, "sang_kien": 0})

    body = login(rem.world.province_secretary).get(
        reverse("remediation:evaluations", args=[rem.world.province.pk]) + "?nam=2020"
    ).content.decode()

    assert "Trần Thị Bình" in body
    assert "Kết quả khắc phục khuyết điểm tháng trước: 40%" in body
    assert "90,00" in body and "70,00" in body


def test_rem3_page_opens_on_the_latest_year_evaluated(rem: RemWorld) -> None:
    policy = _policy(rem)
    person = Person.objects.create(full_name="Lê Văn Cường")
    services.evaluation_save(scope=scope(rem.world.admin), unit=rem.world.province,
                             person=person, month=Period.month(2020, 4), policy=policy,
                             points={"tai_lieu": 100, "nhiem_vu": 100, "khac_phuc": 100,
                                     "sang_kien": 100})

    body = login(rem.world.province_secretary).get(
        reverse("remediation:evaluations", args=[rem.world.province.pk])).content.decode()

    assert "Lê Văn Cường" in body
    assert "100,00" in body
