"""FV-11: the "1+2" reading is part of the policy record — days at the base only, or days and
the grassroots unit each cadre is assigned to — chosen on the form, said in plain Vietnamese,
and the rules read it from the record (no reading is built into the code)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from doanvu.fieldvisits import rules
from doanvu.fieldvisits.models import FieldVisitPolicy
from tests.conftest import World, login
from tests.fieldvisits.policy_fixtures import FORM, seed_policy

UNIT_SENTENCE = "và phải đến cơ sở được phân công phụ trách"


def test_fv11_both_readings_are_said_on_the_page(world: World) -> None:
    with_unit = seed_policy(world.province)
    days_only = seed_policy(world.province, one_plus_two="days", one_plus_two_days=45,
                            valid_from=dt.date(2023, 1, 1), valid_to=None)
    client = login(world.province_secretary)

    first = client.get(reverse("fieldvisits:policy_detail", args=[with_unit.pk])).content.decode()
    second = client.get(reverse("fieldvisits:policy_detail", args=[days_only.pk])).content.decode()

    assert UNIT_SENTENCE in first
    assert "Chủ trương “1+2”: mỗi cán bộ ở cơ sở ít nhất 45 ngày/năm." in second
    assert UNIT_SENTENCE not in second


def test_fv11_the_reading_from_the_record_drives_the_rules(world: World) -> None:
    visit = rules.VisitFact(start=dt.date(2020, 3, 2), end=dt.date(2020, 3, 4), kind="1.6",
                            reported_on=dt.date(2020, 3, 5), place_kinds=("chi_doan",))
    results = {}
    for reading in ("days", "days_unit"):
        record = seed_policy(world.province, one_plus_two=reading, min_days=3,
                             one_plus_two_days=3)
        regime = rules.RegimePolicy.of(record)
        required = rules.requirement(regime, 2020)
        results[reading] = rules.compliance(regime, required, [visit], cadre_kind="huyen",
                                            year=2020)
        record.delete()
    assert results["days"].met
    assert not results["days_unit"].met
    assert "Chưa đến cơ sở được phân công phụ trách" in results["days_unit"].missing


def test_fv11_the_form_sets_the_reading_and_refuses_an_unknown_one(world: World) -> None:
    client = login(world.province_secretary)
    url = reverse("fieldvisits:policy_create", args=[world.province.pk])

    bad = client.post(url, {**FORM, "one_plus_two": "ca_hai"})
    assert bad.status_code == 400 and "one_plus_two" in bad.context["form"].errors
    assert not FieldVisitPolicy.objects.exists()
    client.post(url, {**FORM, "one_plus_two": "days_unit", "one_plus_two_days": "60"})
    assert FieldVisitPolicy.objects.get().one_plus_two == "days_unit"
    bad_days = client.post(url, {**FORM, "one_plus_two_days": "400"})
    assert "Số ngày ở cơ sở theo chủ trương 1+2 phải là số nguyên từ 0 đến 366." in " ".join(
        bad_days.context["form"].errors["one_plus_two_days"])
