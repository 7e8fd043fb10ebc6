"""PLAN-2: tasks with a lead body, partners, a deadline as a date, a period or "thường xuyên",
progress and evidence; late ones stand in "Việc của tôi" and on the unit's dashboard; bad input
is refused naming the field, nothing half-written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doanvu.common.periods import Period
from doanvu.hub.dashboard import panels_for
from doanvu.hub.models import Obligation, ObligationStatus
from doanvu.plans import selectors, services
from doanvu.plans.models import Plan, Task, TaskEvidence
from tests.conftest import grant, login, make_user
from tests.plans.conftest import D, PlanWorld


@pytest.fixture
def plan(pw: PlanWorld) -> Plan:
    return services.plan_save(actor=None, document=pw.province_plan,
                              data=services.PlanInput(purposes="Mục đích"))


def _task(pw: PlanWorld, plan: Plan, deadline: str, **kw: object) -> Task:
    data = services.TaskInput(text=str(kw.pop("text", "Tổ chức học tập, quán triệt Kết luận")),
                              solution_title="1. Tổ chức học tập, quán triệt",
                              lead_department=kw.pop("lead", pw.office),  # type: ignore[arg-type]
                              partners="Ban Phong trào", deadline=deadline)
    return services.task_create(actor=pw.world.province_secretary, plan=plan, data=data)


@pytest.mark.parametrize(("written", "due_by", "period", "ongoing"), [
    ("31/03/2020", D(2020, 3, 31), None, False),
    ("tháng 7/2020", D(2020, 7, 31), Period.month(2020, 7), False),
    ("quý I/2020", D(2020, 3, 31), Period.quarter(2020, 1), False),
    ("6 tháng đầu năm 2020", D(2020, 6, 30), Period.half(2020, 1), False),
    ("Thường xuyên", None, None, True),
])
def test_plan2_deadline_as_date_period_or_ongoing(pw: PlanWorld, plan: Plan, written: str,
                                                  due_by: dt.date | None,
                                                  period: Period | None, ongoing: bool) -> None:
    task = _task(pw, plan, written)
    task.refresh_from_db()

    assert (task.due_by, task.deadline, task.ongoing) == (due_by, period, ongoing)
    assert task.solution is not None and task.solution.title == "1. Tổ chức học tập, quán triệt"
    assert task.lead_name == "Văn phòng"


def test_plan2_deadline_before_the_plan_is_refused_naming_the_field(pw: PlanWorld,
                                                                    plan: Plan) -> None:
    for written in ("01/02/2020", "tháng 2/2020"):
        with pytest.raises(services.PlanError) as exc:
            _task(pw, plan, written)
        assert exc.value.field == "deadline"
        assert "trước ngày ban hành kế hoạch (02/03/2020)" in exc.value.message
    with pytest.raises(services.PlanError) as bad:
        _task(pw, plan, "tháng 13/2020")
    assert bad.value.field == "deadline"
    assert Task.objects.count() == 0
    assert Obligation.objects.count() == 0


def test_plan2_lead_must_belong_to_the_plans_unit(pw: PlanWorld, plan: Plan) -> None:
    from doanvu.org.models import Department, DepartmentCategory

    foreign = Department.objects.create(unit=pw.world.district_b, name="Văn phòng",
                                        category=DepartmentCategory.OFFICE)
    with pytest.raises(services.PlanError) as exc:
        _task(pw, plan, "tháng 7/2020", lead=foreign)

    assert exc.value.field == "lead"
    assert Task.objects.count() == 0


def test_plan2_a_late_task_stands_in_my_work_and_on_the_dashboard(pw: PlanWorld,
                                                                  plan: Plan) -> None:
    task = _task(pw, plan, "tháng 3/2020")
    office_staff = make_user("vanphong")
    grant(office_staff, "quan_tri_don_vi", pw.world.province)

    assert task.obligation is not None
    assert (task.obligation.owed_by_department, task.obligation.due_on) == (pw.office,
                                                                            D(2020, 3, 31))
    page = login(office_staff).get(reverse("hub:my_work")).content.decode()
    assert "Tổ chức học tập, quán triệt Kết luận" in page
    assert [t.pk for t in selectors.late_tasks(unit=pw.world.province, on=D(2020, 4, 1))] == [
        task.pk]
    panels = panels_for(scope=services.Scope.for_user(office_staff), unit=pw.world.province,
                        period=Period.of_year(2020), as_of=D(2020, 4, 1))
    late = [p for p in panels if p.title.startswith("Nhiệm vụ kế hoạch trễ hạn")]
    assert len(late) == 1 and "Tổ chức học tập" in late[0].body


def test_plan2_done_delivers_the_obligation_and_is_not_late(pw: PlanWorld, plan: Plan) -> None:
    task = _task(pw, plan, "tháng 3/2020")

    services.task_progress(actor=pw.world.province_secretary, task=task, progress=100,
                           note="Đã tổ chức 2 lớp")

    assert task.obligation is not None
    task.obligation.refresh_from_db()
    assert task.obligation.status == ObligationStatus.SUBMITTED
    assert selectors.late_tasks(unit=pw.world.province, on=D(2020, 4, 1)) == []
    with pytest.raises(services.PlanError) as exc:
        services.task_progress(actor=pw.world.province_secretary, task=task, progress=120)
    assert exc.value.field == "progress"


def test_plan2_changing_the_deadline_moves_the_obligation(pw: PlanWorld, plan: Plan) -> None:
    task = _task(pw, plan, "tháng 3/2020")
    old = task.obligation

    task = services.task_update(actor=None, task=task, data=services.TaskInput(
        text=task.text, lead_department=pw.movement, deadline="quý II/2020"))

    assert old is not None
    old.refresh_from_db()
    assert old.status == ObligationStatus.WAIVED
    assert task.obligation is not None
    assert (task.obligation.owed_by_department, task.obligation.due_on) == (pw.movement,
                                                                            D(2020, 6, 30))


def test_plan2_evidence_of_a_type_not_accepted_is_refused(pw: PlanWorld, plan: Plan) -> None:
    task = _task(pw, plan, "tháng 7/2020")

    with pytest.raises(services.PlanError) as exc:
        services.evidence_add(actor=pw.world.province_secretary, task=task, name="Tệp lạ",
                              file=SimpleUploadedFile("virus.exe", b"MZ"))
    services.evidence_add(actor=pw.world.province_secretary, task=task, name="Biên bản",
                          file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4"))

    assert exc.value.field == "file"
    assert "không được tiếp nhận" in exc.value.message
    assert list(TaskEvidence.objects.values_list("name", flat=True)) == ["Biên bản"]


def test_plan2_pages_add_a_task_update_progress_and_evidence(pw: PlanWorld, plan: Plan) -> None:
    client = login(pw.world.province_secretary)
    doc = pw.province_plan.pk

    bad = client.post(reverse("plans:task_create", args=[doc]), {
        "text": "Nhiệm vụ", "lead": f"d{pw.office.pk}", "deadline": "01/01/2019"})
    ok = client.post(reverse("plans:task_create", args=[doc]), {
        "text": "Nhiệm vụ mới", "solution_title": "2. Cán bộ", "lead": f"d{pw.office.pk}",
        "deadline": "quý II/2020"})
    task = Task.objects.get()
    progress = client.post(reverse("plans:task_progress", args=[task.pk]),
                           {"progress": "40", "note": "Đang làm"})
    evidence = client.post(reverse("plans:evidence_add", args=[task.pk]),
                           {"name": "Ảnh", "file": SimpleUploadedFile("anh.pdf", b"%PDF")})
    bad_evidence = client.post(reverse("plans:evidence_add", args=[task.pk]),
                               {"name": "Lạ", "file": SimpleUploadedFile("a.exe", b"x")},
                               follow=True)
    page = client.get(reverse("plans:plan", args=[doc])).content.decode()

    assert bad.status_code == 200
    assert "Thời hạn “01/01/2019” trước ngày ban hành kế hoạch" in bad.content.decode()
    assert (ok.status_code, progress.status_code, evidence.status_code) == (302, 302, 302)
    task.refresh_from_db()
    assert (task.progress, task.progress_note) == (40, "Đang làm")
    assert "không được tiếp nhận" in bad_evidence.content.decode()
    assert TaskEvidence.objects.count() == 1
    assert "2. Cán bộ" in page
    assert str(Period.quarter(2020, 2)) in page


def test_plan2_plan_page_queries_do_not_grow_with_tasks(pw: PlanWorld, plan: Plan) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(pw.world.province_secretary)
    url = reverse("plans:plan", args=[pw.province_plan.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _task(pw, plan, "tháng 7/2020")
    few = queries()
    for i in range(8):
        _task(pw, plan, "quý III/2020", text=f"Nhiệm vụ số {i}", lead=pw.movement)

    assert queries() == few
