"""Issue 14 (IND-1, IND-2): seed 003's four targets of Huyện đoàn Dương Minh Châu, linked to
the plan the documents demo registers and measured on the demo's members."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from doanvu.accounts.scope import Scope
from doanvu.org.models import Unit
from doanvu.targets import selectors
from doanvu.targets.models import Target
from tests.conftest import login


@pytest.mark.django_db
def test_ind1_demo_seed_003_targets_measured_on_the_members(demo: None) -> None:
    dmc = Unit.objects.get(name="Huyện đoàn Dương Minh Châu")
    targets = list(Target.objects.filter(unit=dmc).select_related("plan"))

    assert [t.formula for t in targets] == [
        "residential_secretary_courses", "commune_secretaries_qualified",
        "training_registration", "residential_branches_meeting"]
    assert {t.plan.title if t.plan else None for t in targets} == {
        "Nâng cao chất lượng hoạt động tổ chức cơ sở Đoàn trên địa bàn dân cư giai đoạn 2019-2022"}
    # The district level ended on 1/7/2025 and Dương Minh Châu's communes left it; each target
    # is measured on the tree and data of its due date, 31/12/2022, whenever it is read.
    assert dmc.is_dissolved
    scope = Scope(user_id=None, is_superuser=True)
    for upto in (dt.date(2023, 6, 30), None):
        rows = selectors.target_rows(scope=scope, unit=dmc, upto=upto)
        got = [(r.measure.value, r.measure.numerator, r.measure.denominator, r.met)
               for r in rows]
        assert got == [
            (Decimal(1), 1, None, True),  # one 2022 course for residential branch secretaries
            (Decimal("66.7"), 2, 3, False),  # two of three commune secretaries qualified
            (Decimal("100.0"), 113, 113, True),  # every member active in 2022 registered
            (Decimal("18.5"), 5, 27, False),  # five of 27 residential branches met regularly
        ]
    assert [r.previous for r in rows] == [Decimal(0), Decimal(0), Decimal("100.0"),
                                          Decimal("0.0")]
    meeting = rows[3]
    assert [(p.unit.name, p.numerator, p.denominator) for p in meeting.behind][-3:] == [
        ("Đoàn xã Dương Minh Châu", 2, 4), ("Đoàn xã Phan", 1, 2), ("Đoàn xã Suối Đá", 2, 3)]


@pytest.mark.django_db
def test_ind2_demo_dashboard_of_duong_minh_chau(demo: None) -> None:
    from doanvu.accounts.models import User

    dmc = Unit.objects.get(name="Huyện đoàn Dương Minh Châu")
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    page = login(admin).get(reverse("targets:dashboard", args=[dmc.pk]))  # type: ignore[arg-type]

    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="target"') == 4
    assert "Đoàn xã Suối Đá" in html  # the drill-down of its 2022 communes
    assert "cơ cấu tổ chức hiện tại" not in html


@pytest.mark.django_db
def test_ind2_demo_trend_2019_to_2022_and_units_without_data(demo: None) -> None:
    from doanvu.accounts.models import User

    dmc = Unit.objects.get(name="Huyện đoàn Dương Minh Châu")
    meeting = Target.objects.get(unit=dmc, formula="residential_branches_meeting")
    scope = Scope(user_id=None, is_superuser=True)

    points = selectors.target_points(scope=scope, unit=dmc, target=meeting)

    assert [p.year for p in points] == [2019, 2020, 2021, 2022]
    assert points[-1].value == Decimal("18.5")
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    page = login(admin).get(  # type: ignore[arg-type]
        reverse("targets:target_detail", args=[dmc.pk, meeting.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="trend-point"') == 4
    assert 'class="chart target-trend"' in html
    assert html.count('data-testid="target-part"') == 11  # the district's 2022 communes
    # the secretaries: three communes had theirs recorded in 2022, the other eight "chưa có số
    # liệu" — not 0/0, not "Chưa đạt"; so were the years before any was recorded
    secretaries = Target.objects.get(unit=dmc, formula="commune_secretaries_qualified")
    html = login(admin).get(  # type: ignore[arg-type]
        reverse("targets:target_detail", args=[dmc.pk, secretaries.pk])).content.decode()
    assert html.count('<td class="muted">chưa có số liệu</td>') == 8
    assert html.count("<strong>Chưa đạt</strong>") == 1 and "(0/0)" not in html
    assert [p.empty for p in selectors.target_points(scope=scope, unit=dmc,
                                                     target=secretaries)] == [
        True, True, True, False]


@pytest.mark.django_db
def test_ind2_demo_report_of_2022_for_a_district_no_longer_standing(demo: None) -> None:
    from openpyxl import load_workbook

    from doanvu.accounts.models import User

    dmc = Unit.objects.get(name="Huyện đoàn Dương Minh Châu")
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    client = login(admin)  # type: ignore[arg-type]

    sheet = client.get(reverse("targets:report_xlsx", args=[dmc.pk]),
                       {"bao-cao": "Y", "nam": "2022"})
    rows = list(load_workbook(io.BytesIO(sheet.content)).worksheets[0].iter_rows(
        values_only=True))
    assert [r[1] for r in rows[2:]] == [1, 66.7, 100, 18.5]
    dashboard = client.get(reverse("targets:dashboard", args=[dmc.pk])).content.decode()
    assert "chỉ tải được bảng tính" in dashboard
    refused = client.post(reverse("targets:report_document", args=[dmc.pk]),
                          {"kind": "Y", "year": "2022"}, follow=True)
    assert "không còn hoạt động" in refused.content.decode()
