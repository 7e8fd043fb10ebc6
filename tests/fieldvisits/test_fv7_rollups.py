"""FV-7: roll-up reports — due days read from the policy's data (and a malformed list refused),
generated from the visits as a numbered report and as .xlsx, each tracked as an obligation."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from doanvu.documents.models import DocumentStatus
from doanvu.fieldvisits import rollups
from doanvu.hub.models import Obligation, ObligationStatus
from tests.conftest import World
from tests.fieldvisits.plan_fixtures import FV, YEAR, build, visit

D = dt.date


@pytest.fixture
def fv(world: World) -> FV:
    return build(world)


def test_fv7_due_days_from_policy_data(fv: FV) -> None:
    dues = {(d.spec.code, d.n): d.due_on for d in rollups.schedule(fv.world.province, YEAR)}
    assert dues[("quy_thuong_truc", 1)] == D(YEAR, 4, 10)
    assert dues[("quy_thuong_truc", 4)] == D(YEAR + 1, 1, 10)
    assert dues[("sau_thang_btv", 1)] == D(YEAR, 7, 20)
    assert dues[("nam_btv", 1)] == D(YEAR, 10, 20)
    assert dues[("nam_trung_uong", 1)] == D(YEAR, 11, 1)
    assert not any(code.startswith("huyen") for code, _n in dues)
    district = {(d.spec.code, d.n): d.due_on for d in rollups.schedule(fv.world.district_a, YEAR)}
    assert set(district) == {("huyen_quy", 1), ("huyen_quy", 2), ("huyen_quy", 3),
                             ("huyen_quy", 4), ("huyen_nam", 1)}
    assert district[("huyen_nam", 1)] == D(YEAR, 10, 10)
    fv.policy.rollups = [{**fv.policy.rollups[2], "month": 10, "day": 15}]
    fv.policy.save()
    assert [d.due_on for d in rollups.schedule(fv.world.province, YEAR)] == [D(YEAR, 10, 15)]


@pytest.mark.parametrize("entry, word", [
    ({"code": "a", "label": "A", "period": "month", "to": "btv", "after_days": 3}, "period"),
    ({"code": "a", "label": "A", "period": "year", "to": "bch", "after_days": 3}, "to"),
    ({"code": "a", "label": "A", "period": "year", "to": "btv"}, "after_days"),
    ({"code": "a", "label": "A", "period": "year", "to": "btv", "month": 2, "day": 30}, "tháng"),
    ({"code": "a", "label": "A", "period": "year", "to": "btv", "after_days": 500}, "after_days"),
    ({"label": "A", "period": "year", "to": "btv", "after_days": 3}, "code"),
])
def test_fv7_malformed_rollups_refused(fv: FV, entry: dict, word: str) -> None:
    problems = rollups.rollup_problems([entry])
    assert len(problems) == 1 and word in problems[0] and "thứ 1" in problems[0]
    fv.policy.rollups = [entry]
    fv.policy.save()
    with pytest.raises(rollups.RollupError) as exc:
        rollups.schedule(fv.world.province, YEAR)
    assert exc.value.field == "rollups"


def test_fv7_seed_rollups_are_valid() -> None:
    from tests.fieldvisits.plan_fixtures import ROLLUPS
    assert rollups.rollup_problems(ROLLUPS) == []


def _visits(fv: FV) -> None:
    w = fv.world
    visit(fv.cadre_person, w.province, w.commune_a1, D(YEAR, 2, 3), 2, cost=300000,
          department=fv.movement)
    visit(fv.cadre_person, w.province, w.district_a, D(YEAR, 2, 4), 2, cost=200000,
          department=fv.movement)  # overlaps on 4/2: 3 distinct days
    visit(fv.cadre2_person, w.province, w.branch_a1, D(YEAR, 3, 10), 1, kind="1.6",
          cost=150000, department=fv.movement)
    visit(fv.cadre2_person, w.province, w.branch_a1, D(YEAR, 4, 10), 1, cost=999)  # Q2


def test_fv7_report_figures_from_data(fv: FV) -> None:
    _visits(fv)
    rep = rollups.report(fv.world.province, YEAR, "quarter", 1)
    rows = {r.person.full_name: r for r in rep.cadres}
    assert (rows["Nguyễn Văn An"].visits, rows["Nguyễn Văn An"].days) == (2, 3)
    assert rows["Nguyễn Văn An"].year_counted == 3
    assert rows["Nguyễn Văn An"].required == 60
    assert (rows["Lê Minh Cường"].visits, rows["Lê Minh Cường"].days) == (1, 1)
    assert (rep.visits, rep.days, int(rep.cost)) == (3, 4, 650000)


def test_fv7_xlsx_has_the_figures(fv: FV) -> None:
    _visits(fv)
    data = rollups.workbook(rollups.report(fv.world.province, YEAR, "quarter", 1))
    wb = load_workbook(io.BytesIO(data))
    cadres = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    an = next(r for r in cadres if r[0] == "Nguyễn Văn An")
    assert an[1:7] == ["Ban Phong trào", 2, 3, 500000, 3, 60]
    assert cadres[-1][0] == "Tổng cộng" and cadres[-1][2:5] == [3, 4, 650000]
    costs = [list(r) for r in wb.worksheets[1].iter_rows(values_only=True)]
    assert ["Ban Phong trào", 3, 650000] in costs


def test_fv7_generate_document_and_obligation(fv: FV) -> None:
    _visits(fv)
    with pytest.raises(rollups.RollupError):
        rollups.rollup_generate(actor=fv.cadre, unit=fv.world.province, year=YEAR,
                                code="quy_thuong_truc", n=1, signer_title="Trưởng ban",
                                signer_name="Đỗ Văn Khoa")
    assert rollups.obligations_open(actor=fv.tckt_user, unit=fv.world.province, year=YEAR) == 8
    assert rollups.obligations_open(actor=fv.tckt_user, unit=fv.world.province, year=YEAR) == 0
    ob = Obligation.objects.get(key=f"fv.rollup:{fv.world.province.pk}:nam_trung_uong:{YEAR}:1")
    assert ob.due_on == D(YEAR, 11, 1) and ob.owed_to_unit == fv.world.centre
    assert ob.owed_by_department == fv.world.tckt
    out = rollups.rollup_generate(actor=fv.tckt_user, unit=fv.world.province, year=YEAR,
                                  code="quy_thuong_truc", n=1, signer_title="Trưởng ban",
                                  signer_name="Đỗ Văn Khoa", issued_on=D(YEAR, 4, 5))
    doc = out.document
    assert doc.status == DocumentStatus.ISSUED and doc.number == 1
    assert doc.doc_type.code == "bao_cao"
    body = str(doc.body)
    assert "Nguyễn Văn An" in body and "650.000" in body
    assert out.obligation is not None and out.obligation.status == ObligationStatus.SUBMITTED
    assert out.obligation.due_on == D(YEAR, 4, 10)
    dues = rollups.schedule(fv.world.province, YEAR)
    assert rollups.documents_of(dues)["fv.rollup:quy_thuong_truc:2020:1"] == doc
    with pytest.raises(rollups.RollupError):  # sent once
        rollups.rollup_generate(actor=fv.tckt_user, unit=fv.world.province, year=YEAR,
                                code="quy_thuong_truc", n=1, signer_title="Trưởng ban",
                                signer_name="Đỗ Văn Khoa")


def test_fv7_district_reports_to_province(fv: FV) -> None:
    visit(fv.district_cadre_person, fv.world.district_a, fv.world.commune_a1, D(YEAR, 5, 1), 1,
          cost=100000)
    out = rollups.rollup_generate(actor=fv.district_secretary, unit=fv.world.district_a,
                                  year=YEAR, code="huyen_nam", n=1, signer_title="Bí thư",
                                  signer_name="Huỳnh Văn Lâm", issued_on=D(YEAR, 10, 5))
    assert out.obligation is not None
    assert out.obligation.owed_to_unit == fv.world.province
    assert out.obligation.owed_to_department == fv.world.tckt
    assert out.obligation.due_on == D(YEAR, 10, 10)
    assert "Ngô Thị Mai" in str(out.document.body)
