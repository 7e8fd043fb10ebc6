"""PLAN-3: a directive to lower units issued with less than the policy's lead time before they
must act is warned about; an urgent directive from a higher level is allowed, the exception
recorded with its reason and counted per unit and year (seed 004's shortcoming 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.plans import api, rules, services
from doanvu.plans.models import Directive, LeadTimePolicy
from tests.conftest import World, login
from tests.plans.conftest import D


@pytest.fixture
def policy(world: World) -> LeadTimePolicy:
    return services.lead_time_policy_create(
        actor=None, issuing_unit=world.province,
        name="Ban hành văn bản chỉ đạo trước ít nhất 01 tuần", lead_days=7,
        valid_from=D(2020, 2, 14), source="Kế hoạch 12-KH/TĐTN-VP")


def _register(world: World, act_on: dt.date, **kw: object) -> Directive:
    return services.directive_register(actor=world.province_secretary, unit=world.province,
                                       title="Tổ chức Ngày đoàn viên", issued_on=D(2020, 3, 2),
                                       act_on=act_on, **kw)  # type: ignore[arg-type]


def test_plan3_in_time_directive_is_recorded(world: World, policy: LeadTimePolicy) -> None:
    made = _register(world, D(2020, 3, 9))

    assert (made.verdict, made.lead_days, made.policy) == (rules.IN_TIME, 7, policy)


def test_plan3_short_directive_is_warned_then_recorded_when_confirmed(
        world: World, policy: LeadTimePolicy) -> None:
    with pytest.raises(services.LeadTimeWarning) as exc:
        _register(world, D(2020, 3, 5))
    assert exc.value.field == "act_on"
    assert "3 ngày, ít hơn 7 ngày" in exc.value.message
    assert Directive.objects.count() == 0

    made = _register(world, D(2020, 3, 5), confirm_short=True)

    assert made.verdict == rules.SHORT


def test_plan3_urgent_higher_directive_is_the_recorded_exception(
        world: World, policy: LeadTimePolicy) -> None:
    with pytest.raises(services.PlanError) as no_reason:
        _register(world, D(2020, 3, 4), urgent=True, urgent_source="Công văn TW Đoàn")

    made = _register(world, D(2020, 3, 4), urgent=True,
                     urgent_source="Công văn hỏa tốc số 5-CV/TWĐTN",
                     urgent_reason="Trung ương Đoàn yêu cầu triển khai ngay")

    assert no_reason.value.field == "urgent_reason"
    assert (made.verdict, made.urgent_reason) == (
        rules.EXCEPTION, "Trung ương Đoàn yêu cầu triển khai ngay")
    count = api.lead_time_count(world.province, 2020)
    assert (count.total, count.exceptions, count.short, count.not_in_time) == (1, 1, 0, 1)
    assert api.lead_time_count(world.province, 2021).total == 0


def test_plan3_the_policy_is_data_of_the_issuing_unit(world: World) -> None:
    services.lead_time_policy_create(actor=None, issuing_unit=world.province, name="10 ngày",
                                     lead_days=10, valid_from=D(2021, 1, 1))

    before = _register(world, D(2020, 3, 5))  # 2020: no policy in force, nothing to warn
    with pytest.raises(services.LeadTimeWarning):
        services.directive_register(actor=None, unit=world.district_a, title="Chỉ đạo xã",
                                    issued_on=D(2021, 3, 1), act_on=D(2021, 3, 9))

    assert (before.verdict, before.lead_days) == (rules.IN_TIME, None)


def test_plan3_bad_input_names_the_field(world: World, policy: LeadTimePolicy) -> None:
    with pytest.raises(services.PlanError) as backwards:
        _register(world, D(2020, 3, 1))
    with pytest.raises(services.PlanError) as days:
        services.lead_time_policy_create(actor=None, issuing_unit=world.province, name="x",
                                         lead_days=-1, valid_from=D(2020, 1, 1))
    with pytest.raises(services.PlanError) as outsider:
        services.lead_time_policy_create(actor=world.district_a_cadre,
                                         issuing_unit=world.province, name="x", lead_days=3,
                                         valid_from=D(2020, 1, 1))

    assert backwards.value.field == "act_on"
    assert days.value.field == "lead_days"
    assert outsider.value.field == "unit"
    assert Directive.objects.count() == 0
    assert LeadTimePolicy.objects.count() == 1


def test_plan3_pages_warn_and_count(world: World, policy: LeadTimePolicy) -> None:
    client = login(world.province_secretary)
    url = reverse("plans:directives", args=[world.province.pk])
    form = {"title": "Hội thi Bí thư chi đoàn giỏi", "issued_on": "02/03/2020",
            "act_on": "05/03/2020"}

    warned = client.post(url, form)
    confirmed = client.post(url, {**form, "confirm_short": "on"})
    page = client.get(url + "?nam=2020").content.decode()
    policy_page = client.get(reverse("plans:lead_time", args=[world.province.pk]))

    assert warned.status_code == 200
    assert "ít hơn 7 ngày" in warned.content.decode()
    assert confirmed.status_code == 302
    assert "1 văn bản: 0 ban hành đủ thời gian, 0 gấp theo chỉ đạo của cấp trên (ngoại lệ), " \
           "1 ban hành gấp không đủ thời gian." in page
    assert "ít nhất 7 ngày" in policy_page.content.decode()
