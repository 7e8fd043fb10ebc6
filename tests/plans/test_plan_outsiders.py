"""X-3 for the plans' pages: the owner reads and writes; a district that received the plan reads
it but changes nothing; a district cadre of another province's subtree — here the sibling
district for the other district's plan — and a user with no role get 404 everywhere and write
nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doanvu.plans import services
from doanvu.plans.models import Directive, LeadTimePolicy, Plan, Task, TaskEvidence
from tests.conftest import login
from tests.plans.conftest import D, PlanWorld, issued


@pytest.fixture
def owned(pw: PlanWorld) -> tuple[Plan, Task, TaskEvidence]:
    """District A's plan with a task and an evidence file."""
    doc = issued(pw.world.district_a, 7, D(2020, 3, 10), "Kế hoạch của Châu Thành",
                 to_lower=True)
    plan = services.plan_save(actor=None, document=doc, data=services.PlanInput(
        basis_documents=[pw.province_plan]))
    task = services.task_create(actor=None, plan=plan, data=services.TaskInput(
        text="Nhiệm vụ của Châu Thành", deadline="quý II/2020"))
    evidence = services.evidence_add(actor=None, task=task, name="Minh chứng",
                                     file=SimpleUploadedFile("mc.pdf", b"%PDF"))
    return plan, task, evidence


def _pages(plan: Plan, task: Task, evidence: TaskEvidence) -> list[str]:
    doc, unit = plan.document_id, plan.unit_id
    return [reverse("plans:plan", args=[doc]), reverse("plans:plan_edit", args=[doc]),
            reverse("plans:task_create", args=[doc]), reverse("plans:task_import", args=[doc]),
            reverse("plans:task_edit", args=[task.pk]),
            reverse("plans:task_progress", args=[task.pk]),
            reverse("plans:evidence_file", args=[evidence.pk]),
            reverse("plans:unit_plans", args=[unit]), reverse("plans:lead_time", args=[unit]),
            reverse("plans:directives", args=[unit])]


@pytest.mark.parametrize("who", ["district_b_cadre", "outsider"])
def test_plan_outsider_gets_404_everywhere(pw: PlanWorld, owned: tuple[Plan, Task,
                                                                       TaskEvidence],
                                           who: str) -> None:
    plan, task, evidence = owned
    client = login(getattr(pw.world, who))

    for url in _pages(plan, task, evidence):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "x", "issued_on": "01/03/2020",
                                 "act_on": "02/03/2020", "text": "x", "progress": "100",
                                 "name": "x", "lead_days": "1", "valid_from": "01/01/2020",
                                 "purposes": "đổi"}).status_code in (404, 405), url
    response = client.post(reverse("plans:evidence_add", args=[task.pk]),
                           {"name": "x", "file": SimpleUploadedFile("x.pdf", b"%PDF")})

    assert response.status_code == 404
    assert TaskEvidence.objects.count() == 1
    task.refresh_from_db()
    assert task.progress == 0
    plan.refresh_from_db()
    assert plan.purposes == ""
    assert Task.objects.count() == 1
    assert (Directive.objects.count(), LeadTimePolicy.objects.count()) == (0, 0)


def test_plan_owner_and_upper_reader_see_the_pages(pw: PlanWorld,
                                                   owned: tuple[Plan, Task, TaskEvidence]) -> None:
    plan, task, evidence = owned
    owner = login(pw.world.district_a_cadre)
    upper = login(pw.world.province_secretary)

    for url in _pages(plan, task, evidence):
        assert owner.get(url).status_code == 200, url
    page = upper.get(reverse("plans:plan", args=[pw.province_plan.pk]))
    assert page.status_code == 200
    assert "Kế hoạch của Châu Thành" in page.content.decode()


def test_plan_recipient_reads_the_higher_plan_but_cannot_edit(pw: PlanWorld) -> None:
    services.plan_save(actor=None, document=pw.province_plan,
                       data=services.PlanInput(purposes="Mục đích của tỉnh"))
    client = login(pw.world.district_b_cadre)

    page = client.get(reverse("plans:plan", args=[pw.province_plan.pk]))
    edit = client.post(reverse("plans:plan_edit", args=[pw.province_plan.pk]),
                       {"purposes": "Sửa"})

    assert page.status_code == 200
    assert "Mục đích của tỉnh" in page.content.decode()
    assert "Sửa hồ sơ kế hoạch" not in page.content.decode()
    assert edit.status_code == 404
    assert Plan.objects.get().purposes == "Mục đích của tỉnh"
