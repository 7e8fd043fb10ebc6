"""The demo's obligations come from the seeds' rules, through the hub services (HUB-1…6).

The demo is loaded once for the package (tests/demo/loaded/conftest.py), rolled back at its end.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from doanvu.accounts.models import User
from doanvu.accounts.scope import Scope
from doanvu.common.dates import today
from doanvu.common.periods import Period
from doanvu.hub import rules, selectors
from doanvu.hub.models import DeadlinePolicy, Notification, Obligation
from doanvu.org.models import Unit


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.django_db
def test_x5_demo_policies_carry_the_seeds_rules_as_data(demo: None) -> None:
    tay_ninh = Unit.objects.get(name="Tỉnh đoàn Tây Ninh")
    quarterly = DeadlinePolicy.objects.get(code="fv.quarterly_report")
    annual = DeadlinePolicy.objects.get(code="fv.annual_report")
    before_slot = DeadlinePolicy.objects.get(code="ins.documents_before_slot")

    assert quarterly.unit == tay_ninh
    assert rules.DueRule.from_json(quarterly.rule) == rules.DueRule.quarter_day(
        15, quarter_offset=1)
    assert quarterly.source_document.startswith("Kế hoạch số 45-KH/TĐTN-TCKT ngày 18/4/2018")
    assert rules.DueRule.from_json(annual.rule) == rules.DueRule.annual(10, 10)
    assert "trước ngày 10/10 hàng năm" in annual.source_text
    assert rules.describe(rules.DueRule.from_json(before_slot.rule)) == (
        "chậm nhất trước lịch kiểm tra 03 ngày")
    # every obligation of a policy has the date its policy gives
    for ob in Obligation.objects.filter(policy__isnull=False).select_related("policy")[:400]:
        assert ob.due_rule == ob.policy.rule  # type: ignore[union-attr]


@pytest.mark.django_db
def test_hub2_demo_commune_sees_its_late_report_first(demo: None) -> None:
    response = client_for("tn_xa_suoida").get(reverse("hub:my_work"))
    html = response.content.decode()
    suoi_da = Unit.objects.get(name="Đoàn xã Suối Đá", dissolved_on__isnull=True)
    scope = Scope.for_user(User.objects.get(username="tn_xa_suoida"))
    mine = list(selectors.my_open_obligations(scope=scope, today=today()))

    assert response.status_code == 200
    assert len(mine) >= 2
    assert {o.owed_by_unit_id for o in mine} == {suoi_da.pk}
    assert mine[0].is_late(today())
    assert mine[0].title.startswith("Báo cáo kết quả đi cơ sở năm")
    assert any(o.status == "returned" for o in mine)
    assert any(not o.is_late(today()) for o in mine)
    assert html.index(mine[0].title) < html.index(mine[-1].title)


@pytest.mark.django_db
def test_hub6_demo_province_dashboard_is_meaningful(demo: None) -> None:
    tay_ninh = Unit.objects.get(name="Tỉnh đoàn Tây Ninh")
    scope = Scope.for_user(User.objects.get(username="tn_bithu"))
    table = selectors.timeliness_table(scope=scope, unit=tay_ninh,
                                       period=Period.of_year(today().year), as_of=today())
    quarterly = next(r.counts for r in table.totals if r.kind == "fv.quarterly_report")

    response = client_for("tn_bithu").get(reverse("hub:unit_dashboard", args=[tay_ninh.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert quarterly.on_time > quarterly.late > 0
    assert quarterly.missing > 0
    assert '<svg class="chart"' in html
    assert "Đoàn xã Suối Đá" in html
    assert "Kế hoạch số 45-KH/TĐTN-TCKT" in html


@pytest.mark.django_db
def test_hub2_demo_province_secretary_and_tckt_have_work(demo: None) -> None:
    for username in ("tn_bithu", "tn_tckt"):
        scope = Scope.for_user(User.objects.get(username=username))
        assert list(selectors.my_open_obligations(scope=scope, today=today()))
    tckt = Scope.for_user(User.objects.get(username="tn_tckt"))
    assert {o.owed_by_department.short_name  # type: ignore[union-attr]
            for o in selectors.my_open_obligations(scope=tckt, today=today())} == {"TCKT"}


@pytest.mark.django_db
def test_hub3_demo_sent_the_first_in_app_reminders(demo: None) -> None:
    suoi_da_user = User.objects.get(username="tn_xa_suoida")

    assert Notification.objects.filter(user=suoi_da_user, kind="late").exists()
    assert client_for("tn_xa_suoida").get(reverse("org:home")).content.decode().count(
        "thông báo chưa đọc") == 1


@pytest.mark.django_db
def test_hub4_demo_calendar_has_the_inspection(demo: None) -> None:
    day = today() + dt.timedelta(days=9)
    response = client_for("tn_xa_suoida").get(reverse("hub:calendar_week"),
                                              {"ngay": day.strftime("%d/%m/%Y")})

    assert "Đoàn kiểm tra của Ban Thường vụ Tỉnh đoàn làm việc tại đơn vị" in (
        response.content.decode())
