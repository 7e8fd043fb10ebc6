"""Issue 14 (IND-1, IND-2): seed 003's four targets of Huyện đoàn Dương Minh Châu, linked to
the plan the documents demo registers and measured on the demo's members."""

from __future__ import annotations

import datetime as dt

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
    rows = selectors.target_rows(scope=Scope(user_id=None, is_superuser=True), unit=dmc,
                                 upto=dt.date(2023, 6, 30))
    # The demo's tree is today's: the district level ended on 1/7/2025 and Dương Minh Châu's
    # communes left it, so measured on the live tree the district holds no members. Measuring
    # on the tree as of the target's year is not built yet.
    assert dmc.is_dissolved
    assert [(r.measure.denominator or 0) for r in rows] == [0, 0, 0, 0]


@pytest.mark.django_db
def test_ind2_demo_dashboard_of_duong_minh_chau(demo: None) -> None:
    from doanvu.accounts.models import User

    dmc = Unit.objects.get(name="Huyện đoàn Dương Minh Châu")
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    page = login(admin).get(reverse("targets:dashboard", args=[dmc.pk]))  # type: ignore[arg-type]

    assert page.status_code == 200
    assert page.content.decode().count('data-testid="target"') == 4
