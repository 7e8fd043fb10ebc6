"""PLAN-1: a plan's structure beside its document; bases link plans up to a central resolution;
lower units owe their implementing plans by the plan's date (hub obligations) and the higher
unit sees who issued, late and missing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.audit.models import AuditRecord
from doanvu.hub.models import Obligation, ObligationStatus
from doanvu.plans import rules, selectors, services
from doanvu.plans.models import ImplementingDuty, Plan, PlanBasis
from tests.conftest import login
from tests.plans.conftest import D, PlanWorld, issued

DUE = D(2020, 3, 31)
CENTRAL = "Thực hiện Kết luận số 08-KL/TWĐTN-BTC ngày 05/3/2019 của BCH Trung ương Đoàn."


def _province_plan(pw: PlanWorld, due: dt.date | None = DUE) -> Plan:
    return services.plan_save(
        actor=pw.world.province_secretary, document=pw.province_plan,
        data=services.PlanInput(purposes="Cụ thể hóa Kết luận.", organisation="Cấp huyện …",
                                implementing_due_on=due, basis_texts=[CENTRAL]))


def test_plan1_structure_is_saved_with_bases_and_audited(pw: PlanWorld) -> None:
    before = AuditRecord.objects.count()

    plan = _province_plan(pw, due=None)

    assert plan.unit == pw.world.province
    assert [(b.document_id, b.text) for b in plan.bases.all()] == [(None, CENTRAL)]
    assert plan.purposes == "Cụ thể hóa Kết luận."
    assert AuditRecord.objects.count() > before


def test_plan1_each_lower_unit_owes_an_implementing_plan(pw: PlanWorld) -> None:
    plan = _province_plan(pw)

    duties = list(ImplementingDuty.objects.filter(plan=plan).order_by("unit__name"))
    assert [d.unit.name for d in duties] == ["Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"]
    obligations = Obligation.objects.filter(kind=services.DUTY_KIND)
    assert sorted(o.owed_by_unit.name for o in obligations) == [
        "Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"]
    assert {o.due_on for o in obligations} == {D(2020, 3, 31)}
    assert {o.owed_to_unit_id for o in obligations} == {pw.world.province.pk}


def test_plan1_a_district_plan_based_on_it_fulfils_the_obligation(pw: PlanWorld) -> None:
    higher = _province_plan(pw)
    district_doc = issued(pw.world.district_a, 5, D(2020, 4, 3), "Kế hoạch thực hiện của huyện")

    lower = services.plan_save(actor=pw.world.district_a_cadre, document=district_doc,
                               data=services.PlanInput(basis_documents=[pw.province_plan]))

    duty = ImplementingDuty.objects.get(plan=higher, unit=pw.world.district_a)
    assert duty.fulfilled_by == lower
    assert duty.obligation is not None
    duty.obligation.refresh_from_db()
    assert duty.obligation.status == ObligationStatus.SUBMITTED
    states = {r.duty.unit.name: r.state for r in selectors.duty_rows(plan=higher,
                                                                      on=D(2020, 5, 1))}
    assert states == {"Huyện đoàn Châu Thành": rules.ISSUED_LATE,
                      "Huyện đoàn Tân Biên": rules.MISSING}
    # the district page shows the plan it implements, up to the central conclusion
    chain = selectors.higher_chain(lower)
    assert [link.document for link in chain] == [pw.province_plan]
    assert chain[0].texts == [CENTRAL]
    scope = services.Scope.for_user(pw.world.province_secretary)
    assert selectors.lower_plans(scope=scope, document=pw.province_plan) == [lower]


def test_plan1_plan_page_shows_chain_duties_and_lower_plans(pw: PlanWorld) -> None:
    _province_plan(pw)
    district_doc = issued(pw.world.district_a, 5, D(2020, 3, 20), "Kế hoạch thực hiện của huyện")
    services.plan_save(actor=None, document=district_doc,
                       data=services.PlanInput(basis_documents=[pw.province_plan]))

    page = login(pw.world.province_secretary).get(
        reverse("plans:plan", args=[pw.province_plan.pk])).content.decode()
    district_page = login(pw.world.district_a_cadre).get(
        reverse("plans:plan", args=[district_doc.pk])).content.decode()

    assert "Đã ban hành đúng hạn" in page
    assert "Huyện đoàn Tân Biên" in page
    assert "Kế hoạch thực hiện của huyện" in page
    assert "Kế hoạch cấp trên được thực hiện" in district_page
    assert CENTRAL in district_page


def test_plan1_due_date_before_the_plan_is_refused_naming_the_field(pw: PlanWorld) -> None:
    with pytest.raises(services.PlanError) as exc:
        _province_plan(pw, due=D(2020, 2, 1))

    assert exc.value.field == "implementing_due_on"
    assert "trước ngày ban hành kế hoạch (02/03/2020)" in exc.value.message
    assert Plan.objects.count() == 0
    assert Obligation.objects.filter(kind=services.DUTY_KIND).count() == 0


def test_plan1_two_plans_cannot_be_each_others_basis(pw: PlanWorld) -> None:
    _province_plan(pw)
    district_doc = issued(pw.world.district_a, 5, D(2020, 3, 20), "Kế hoạch của huyện")
    services.plan_save(actor=None, document=district_doc,
                       data=services.PlanInput(basis_documents=[pw.province_plan]))

    with pytest.raises(services.PlanError) as exc:
        services.plan_save(actor=None, document=pw.province_plan,
                           data=services.PlanInput(basis_documents=[district_doc]))

    assert exc.value.field == "basis_documents"
    assert not PlanBasis.objects.filter(plan__document=pw.province_plan,
                                        document=district_doc).exists()


def test_plan1_outsider_cannot_save_a_plan(pw: PlanWorld) -> None:
    with pytest.raises(services.PlanError):
        _ = services.plan_save(actor=pw.world.district_b_cadre, document=pw.province_plan,
                               data=services.PlanInput(purposes="x"))
    assert Plan.objects.count() == 0


def test_plan1_edit_page_saves_the_structure(pw: PlanWorld) -> None:
    client = login(pw.world.province_secretary)
    url = reverse("plans:plan_edit", args=[pw.province_plan.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"purposes": "Mục đích", "organisation": "Tổ chức",
                                 "basis_texts": CENTRAL, "implementing_due_on": "31/03/2020"})
    bad = client.post(url, {"implementing_due_on": "01/01/2020"})

    assert response.status_code == 302
    assert Plan.objects.get().purposes == "Mục đích"
    assert "trước ngày ban hành kế hoạch" in bad.content.decode()


def test_plan1_a_draft_lower_plan_fulfils_nothing_until_issued(pw: PlanWorld) -> None:
    from doanvu.documents.models import DocumentType
    from doanvu.documents.services import document_create

    higher = _province_plan(pw)
    draft = document_create(actor=None, issuing_unit=pw.world.district_a,
                            doc_type=DocumentType.objects.get(code="ke_hoach"),
                            title="Dự thảo kế hoạch của huyện", body_code="HĐ", place="Châu Thành")

    services.plan_save(actor=None, document=draft,
                       data=services.PlanInput(basis_documents=[pw.province_plan]))

    duty = ImplementingDuty.objects.get(plan=higher, unit=pw.world.district_a)
    assert duty.fulfilled_by is None
    assert duty.obligation is not None and duty.obligation.status == ObligationStatus.OPEN
