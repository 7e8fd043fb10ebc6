"""Issue 14: the plans demo — seed 003's district plan structured (its basis, sections, tasks,
the communes' implementing plans) and seed 004's plan with its tasks by group and lead, and
PLAN-3's lead-time policy with an urgent exception counted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doanvu.documents.models import Document
from doanvu.hub.models import Obligation
from doanvu.org.models import Unit
from doanvu.plans import api, rules, selectors
from doanvu.plans.models import LeadTimePolicy, Plan, Task
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _plan(unit_name: str, number: int) -> Plan:
    return Plan.objects.get(document__issuing_unit__name=unit_name, document__number=number,
                            document__year=2020)


def test_plan1_demo_seed_003_structure_and_implementing_plans(demo: None) -> None:
    plan = _plan("Huyện đoàn Dương Minh Châu", 15)

    assert [b.text[:37] for b in plan.bases.all()] == ["Thực hiện Kết luận số 08-KL/TWĐTN-BTC"]
    assert plan.purposes.startswith("Cụ thể hóa các nội dung, giải pháp")
    assert [s.title[:2] for s in plan.solutions.all()] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert plan.tasks.count() == 12
    states = {r.duty.unit.name: r.state for r in selectors.duty_rows(plan=plan)}
    assert states["Đoàn xã Suối Đá"] == rules.ISSUED_ON_TIME
    assert states["Đoàn xã Phan"] == rules.ISSUED_LATE
    assert states["Đoàn xã Bến Củi"] == rules.MISSING
    lower = Plan.objects.get(document__issuing_unit__name="Đoàn xã Suối Đá")
    assert [link.document for link in selectors.higher_chain(lower)] == [plan.document]


def test_plan1_demo_seed_003_page_shows_targets_and_lower_plans(demo: None) -> None:
    plan = _plan("Huyện đoàn Dương Minh Châu", 15)

    page = login_as("tn_bithu").get(reverse("plans:plan", args=[plan.document_id]))

    body = page.content.decode()
    assert page.status_code == 200
    assert "Thực hiện Kết luận số 08-KL/TWĐTN-BTC" in body
    assert "Chỉ tiêu" in body and "Chưa đạt" in body
    assert "Đoàn xã Suối Đá" in body and "Ban hành trễ hạn" in body


def test_plan2_demo_seed_004_tasks_by_group_and_lead(demo: None) -> None:
    plan = _plan("Tỉnh đoàn Tây Ninh", 12)
    tasks = list(plan.tasks.select_related("lead_department", "solution"))

    assert {t.solution.title[:1]: t.lead_department.short_name  # type: ignore[union-attr]
            for t in tasks} == {"1": "VP", "2": "TCKT", "3": "BPT"}
    assert len(tasks) == 12
    late = {t.text[:20] for t in selectors.late_tasks(unit=plan.unit)}
    assert late == {"Tập huấn 100% cán bộ", "Trao đổi với cấp ủy "}
    owed = Obligation.objects.filter(kind="plans.task", status="open")
    assert sorted(o.owed_by_department.short_name for o in owed) == [  # type: ignore[union-attr]
        "BPT", "TCKT"]
    assert Task.objects.get(text__startswith="Phối hợp xây dựng phần mềm").evidence.count() == 1


def test_plan3_demo_lead_time_policy_and_exception_counted(demo: None) -> None:
    tn = Unit.objects.get(name="Tỉnh đoàn Tây Ninh")
    policy = LeadTimePolicy.objects.get(issuing_unit=tn)

    count = api.lead_time_count(tn, 2020)

    assert policy.lead_days == 7
    assert (count.total, count.in_time, count.exceptions, count.short) == (3, 1, 1, 1)
    assert selectors.lead_time_policy_for(unit=Unit.objects.get(name="Đoàn xã Suối Đá"),
                                          day=Document.objects.get(
                                              issuing_unit=tn, number=12, year=2020,
                                              doc_type__code="ke_hoach").issued_on) == policy
    page = login_as("tn_bithu").get(reverse("plans:directives", args=[tn.pk]) + "?nam=2020")
    assert "1 gấp theo chỉ đạo của cấp trên (ngoại lệ)" in page.content.decode()


def test_plan3_demo_count_feeds_the_monthly_evaluation_page(demo: None) -> None:
    # seed 004's shortcoming 2 — directives issued with less than the lead time — is what the
    # standing members are evaluated on remedying: their evaluation page shows the year's count
    tn = Unit.objects.get(name="Tỉnh đoàn Tây Ninh")

    page = login_as("tn_bithu").get(reverse("remediation:evaluations", args=[tn.pk]) + "?nam=2020")
    earlier = login_as("tn_bithu").get(
        reverse("remediation:evaluations", args=[tn.pk]) + "?nam=2019")

    body = page.content.decode()
    assert page.status_code == 200
    assert "Văn bản chỉ đạo cấp dưới ban hành không bảo đảm thời gian" in body
    assert "2/3 văn bản" in body
    assert "1 văn bản khẩn theo chỉ đạo cấp trên (ngoại lệ), 1 văn bản thiếu thời gian" in body
    assert reverse("plans:directives", args=[tn.pk]) + "?nam=2020" in body
    # a year without directives says nothing rather than "0/0"
    assert "không bảo đảm thời gian" not in earlier.content.decode()


def login_as(username: str):  # type: ignore[no-untyped-def]
    from doanvu.accounts.models import User

    return login(User.objects.get(username=username))
