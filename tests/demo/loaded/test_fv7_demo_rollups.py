"""FV-7 on the loaded demo (issue 13): the demo's regimes declare their roll-ups in the one
schema the reports are delivered by (`to` codes + `unit_kinds`), so every roll-up check passes
and each report of Tây Ninh is owed to whom seed 002 §IV.1 step 6 and §IV.2 steps 4–5 say."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from doanvu.fieldvisits import rollups
from doanvu.fieldvisits.models import FieldVisitPolicy
from doanvu.fieldvisits.policies import unit_kind_codes
from doanvu.fieldvisits.selectors import organisation_department
from doanvu.hub.models import Obligation
from doanvu.org.models import Unit

YEAR = 2020


@pytest.mark.django_db
def test_fv7_demo_policies_have_no_rollup_problems(demo: str) -> None:
    kinds = unit_kind_codes()
    policies = list(FieldVisitPolicy.objects.all())
    assert any(p.rollups for p in policies)
    for p in policies:
        assert rollups.rollup_problems(p.rollups, kinds) == [], p.name
        assert all(s.to in rollups.RECIPIENTS for s in rollups.specs(p))
        assert all("by" not in e for e in p.rollups), p.name


def _owed(unit: Unit, code: str, n: int) -> Obligation:
    return Obligation.objects.get(key=f"fv.rollup:{unit.pk}:{code}:{YEAR}:{n}")


@pytest.mark.django_db
def test_fv7_demo_province_rollups_owed_to_the_right_recipient(demo: str) -> None:
    tn = Unit.objects.get(name="Tỉnh đoàn Tây Ninh", parent__isnull=False)
    centre = Unit.objects.get(name="Trung ương Đoàn", parent__isnull=True)
    tckt = organisation_department(tn)
    central_org = organisation_department(centre)
    assert tckt is not None and central_org is not None
    assert "Tổ chức" in central_org.name

    rollups.obligations_open(actor=None, unit=tn, year=YEAR)

    to = {(d.spec.code, d.n): d.spec.to for d in rollups.schedule(tn, YEAR)}
    assert to[("quy_thuong_truc", 1)] == "standing"
    assert to[("sau_thang_btv", 2)] == "btv"
    assert to[("nam_btv", 1)] == "btv"
    assert to[("nam_trung_uong", 1)] == "central"
    assert not any(code.endswith("_huyen") for code, _n in to)
    # quarterly to Thường trực, 6-monthly/yearly to Ban Thường vụ Tỉnh đoàn: its own unit, from
    # its Ban Tổ chức – Kiểm tra
    for code, n in (("quy_thuong_truc", 1), ("sau_thang_btv", 1), ("nam_btv", 1)):
        ob = _owed(tn, code, n)
        assert (ob.owed_by_unit, ob.owed_by_department) == (tn, tckt)
        assert (ob.owed_to_unit, ob.owed_to_department) == (tn, None)
    # yearly to Ban Tổ chức Trung ương Đoàn
    ob = _owed(tn, "nam_trung_uong", 1)
    assert (ob.owed_to_unit, ob.owed_to_department) == (centre, central_org)

    # a district of Tây Ninh (2020; the districts are dissolved since 2025, so no obligation
    # is opened now) reports to the province through its Ban Tổ chức – Kiểm tra
    district = Unit.objects.filter(parent=tn, kind__code="huyen").order_by("pk").first()
    assert district is not None
    codes = {d.spec.code: d.spec.to for d in rollups.schedule(district, YEAR)}
    assert codes == {"quy_huyen": "province", "nam_huyen": "province"}
    to_unit, to_dept, _label = rollups._recipient(district, "province")
    assert (to_unit, to_dept) == (tn, tckt)


@pytest.mark.django_db
def test_fv7_demo_generate_reports_di_co_so(demo: str, tmp_path: Path) -> None:
    tn = Unit.objects.get(name="Tỉnh đoàn Tây Ninh", parent__isnull=False)
    call_command("generate_reports", "--nam", str(YEAR), "--don-vi", str(tn.pk),
                 "--loai", "di-co-so", "--thu-muc", str(tmp_path))
    assert any(p.suffix == ".xlsx" for p in tmp_path.rglob("*"))
