"""REM-4: the departments leading a solution group report to the Office quarterly (quý I, 9
tháng), half-yearly and yearly, as hub obligations due by the deadline policies in force (the
yearly one 01/11, seed 004); each report is prefilled from the department's solutions and issued
as a numbered Báo cáo (.docx/.pdf); the Office's compilation for December's meeting and the
year-end report come from the data; every report is also .xlsx; outsiders get 404."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doanvu.common.periods import Period
from doanvu.documents.models import Document
from doanvu.hub import rules as hub_rules
from doanvu.hub import services as hub_services
from doanvu.hub.models import Obligation, ObligationStatus
from doanvu.remediation import reports, services
from doanvu.remediation.models import SolutionGroup
from tests.conftest import login
from tests.remediation.conftest import RemWorld, scope

pytestmark = pytest.mark.django_db

SIGN = {"signer_title": "Trưởng ban", "signer_name": "Nguyễn Văn A", "issued_on": ""}


def _policies(rem: RemWorld, *, with_quarter: bool = True) -> None:
    unit = rem.world.province
    hub_services.policy_create(unit=unit, code="rem.department_report",
                               title="Báo cáo đánh giá kết quả khắc phục khuyết điểm",
                               rule=hub_rules.DueRule.annual(1, 11),
                               valid_from=dt.date(2020, 1, 1))
    hub_services.policy_create(unit=unit, code="rem.department_report_half",
                               title="Báo cáo 6 tháng khắc phục khuyết điểm",
                               rule=hub_rules.DueRule.quarter_day(15, month=1, quarter_offset=2),
                               valid_from=dt.date(2020, 1, 1))
    if with_quarter:
        hub_services.policy_create(unit=unit, code="rem.department_report_quarter",
                                   title="Báo cáo quý khắc phục khuyết điểm",
                                   rule=hub_rules.DueRule.quarter_day(10, month=1,
                                                                      quarter_offset=1),
                                   valid_from=dt.date(2020, 1, 1))


def _plan(rem: RemWorld) -> list[SolutionGroup]:
    s = scope(rem.world.admin)
    unit = rem.world.province
    g1 = services.group_create(scope=s, unit=unit, year=2020, number=1, name="Nhóm 1",
                               lead=rem.office)
    g2 = services.group_create(scope=s, unit=unit, year=2020, number=2, name="Nhóm 2",
                               lead=rem.world.tckt)
    g3 = services.group_create(scope=s, unit=unit, year=2020, number=3, name="Nhóm 3",
                               lead=rem.movement)
    services.solution_create(scope=s, group=g1, text="Đánh giá UV.BTV hằng tháng",
                             deadline="thường xuyên", shortcomings=[rem.items[1]])
    sol = services.solution_create(scope=s, group=g2, text="Phần mềm Quản lý đoàn viên",
                                   deadline="tháng 03/2020", shortcomings=[rem.items[6]])
    services.solution_progress(scope=s, solution=sol, progress=100, note="Đã tập huấn 100%")
    services.solution_create(scope=s, group=g2, text="Tổng rà soát đoàn viên",
                             deadline="tháng 04/2020", shortcomings=[rem.items[5]])
    services.solution_create(scope=s, group=g3, text="Vận động vốn khởi nghiệp",
                             deadline="tháng 3/2020", shortcomings=[rem.items[7]])
    services.evidence_add(scope=s, actor=rem.world.admin, shortcoming=rem.items[6],
                          name="Báo cáo tập huấn", file=SimpleUploadedFile("th.txt", b"x"))
    services.shortcoming_close(scope=s, shortcoming=rem.items[6], on=dt.date(2020, 5, 29))
    return [g1, g2, g3]


def test_rem4_schedule_comes_from_the_policies_and_leaves_the_office_out(rem: RemWorld) -> None:
    _policies(rem)
    _plan(rem)

    dues = reports.schedule(rem.world.province, 2020)

    assert {d.department.pk for d in dues} == {rem.world.tckt.pk, rem.movement.pk}
    tckt = {d.period.key: d.due_on for d in dues if d.department == rem.world.tckt}
    assert tckt == {"2020-Q1": dt.date(2020, 4, 10), "2020-Q3": dt.date(2020, 10, 10),
                    "2020-H1": dt.date(2020, 7, 15), "2020-Y": dt.date(2020, 11, 1)}


def test_rem4_a_cadence_without_a_policy_is_not_owed(rem: RemWorld) -> None:
    _policies(rem, with_quarter=False)
    _plan(rem)

    dues = reports.schedule(rem.world.province, 2020)

    assert sorted({d.period.key for d in dues}) == ["2020-H1", "2020-Y"]


def test_rem4_opening_makes_obligations_to_the_office_once(rem: RemWorld) -> None:
    _policies(rem)
    _plan(rem)
    client = login(rem.world.province_secretary)
    url = reverse("remediation:reports_open", args=[rem.world.province.pk, 2020])

    client.post(url)
    client.post(url)

    obs = Obligation.objects.filter(kind__startswith="rem.department_report")
    assert obs.count() == 8
    yearly = obs.get(owed_by_department=rem.movement, kind="rem.department_report")
    assert yearly.owed_to_department == rem.office
    assert yearly.due_on == dt.date(2020, 11, 1)
    assert yearly.period == Period.of_year(2020)


def test_rem4_department_report_is_prefilled_and_issuing_submits_it(rem: RemWorld) -> None:
    _policies(rem)
    _plan(rem)
    reports.obligations_open(scope=scope(rem.world.admin), unit=rem.world.province, year=2020)
    client = login(rem.world.province_secretary)
    url = reverse("remediation:department_report",
                  args=[rem.world.province.pk, 2020, rem.world.tckt.pk, "2020-Y"])

    body = client.get(url).content.decode()

    assert "tiến độ bình quân 50%, 1 giải pháp đã hoàn thành" in body
    assert ("Phần mềm Quản lý đoàn viên (thời hạn: tháng 3/2020; tiến độ 100%): Đã tập huấn "
            "100%") in body
    assert "khuyết điểm 6 đã khắc phục xong ngày 29/05/2020" in body
    prefilled = reports.department_body(
        reports.progress_of(rem.world.province, 2020, period=Period.of_year(2020),
                            department=rem.world.tckt), rem.world.tckt)
    response = client.post(url, {"body": prefilled, **SIGN})

    assert response.status_code == 302
    doc = Document.objects.get(department=rem.world.tckt)
    assert doc.symbol and doc.number == 1
    ob = Obligation.objects.get(owed_by_department=rem.world.tckt, kind="rem.department_report")
    assert ob.status == ObligationStatus.SUBMITTED and ob.source_id == doc.pk
    docx = client.get(reverse("documents:download", args=[doc.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    page = client.get(reverse("remediation:reports", args=[rem.world.province.pk]) + "?nam=2020")
    assert doc.symbol in page.content.decode()
    outsider = login(rem.world.district_a_cadre)
    assert outsider.get(reverse("documents:download", args=[doc.pk, "docx"])).status_code == 404


def test_rem4_empty_report_names_the_field_and_writes_nothing(rem: RemWorld) -> None:
    _policies(rem)
    _plan(rem)
    reports.obligations_open(scope=scope(rem.world.admin), unit=rem.world.province, year=2020)
    client = login(rem.world.province_secretary)
    url = reverse("remediation:department_report",
                  args=[rem.world.province.pk, 2020, rem.world.tckt.pk, "2020-Y"])

    response = client.post(url, {"body": "   ", **SIGN})

    assert response.status_code == 200
    assert "Nội dung báo cáo" in response.content.decode()
    assert Document.objects.count() == 0
    assert Obligation.objects.get(owed_by_department=rem.world.tckt,
                                  kind="rem.department_report").status == ObligationStatus.OPEN


def test_rem4_unopened_report_is_refused(rem: RemWorld) -> None:
    _policies(rem)
    _plan(rem)

    with pytest.raises(reports.ReportError) as e:
        reports.department_report_issue(
            actor=rem.world.admin, scope=scope(rem.world.admin), unit=rem.world.province,
            year=2020, department_pk=rem.world.tckt.pk, period_key="2020-Y", body="I. A\nB",
            signer_title="T", signer_name="N")

    assert e.value.field == "period"
    assert Document.objects.count() == 0


@pytest.mark.parametrize("which", [reports.COMPILATION, reports.YEAR_END])
def test_rem4_office_reports_come_from_the_data(rem: RemWorld, which: str) -> None:
    _policies(rem)
    _plan(rem)
    reports.obligations_open(scope=scope(rem.world.admin), unit=rem.world.province, year=2020)
    client = login(rem.world.province_secretary)
    url = reverse("remediation:office_report", args=[rem.world.province.pk, 2020, which])

    body = client.get(url).content.decode()

    assert ("5 khuyết điểm phát sinh mới + 3 khuyết điểm năm trước chưa khắc phục xong − 1 "
            "khuyết điểm trùng = 7 khuyết điểm; đã khắc phục xong 1/7") in body
    assert "Ban Phong trào, báo cáo năm 2020: " in body
    ov = reports.overview(rem.world.province, 2020)
    response = client.post(url, {"body": reports.office_body(ov, which), **SIGN})
    assert response.status_code == 302
    doc = Document.objects.get(department=rem.office)
    assert doc.title == reports.office_title(which, 2020)
    assert client.get(reverse("documents:download", args=[doc.pk, "docx"])).status_code == 200


def test_rem4_xlsx_exports_hold_the_figures(rem: RemWorld) -> None:
    from openpyxl import load_workbook

    _policies(rem)
    _plan(rem)
    client = login(rem.world.province_secretary)
    unit = rem.world.province.pk

    office = client.get(reverse("remediation:office_report_xlsx",
                                args=[unit, 2020, reports.COMPILATION]))
    dept = client.get(reverse("remediation:department_report_xlsx",
                              args=[unit, 2020, rem.world.tckt.pk, "2020-H1"]))

    assert office.status_code == 200 and dept.status_code == 200
    wb = load_workbook(io.BytesIO(office.content))
    rows = list(wb[wb.sheetnames[0]].values)
    assert rows[-1][:2] == ("Tổng", "5 + 3 − 1 = 7")
    sheet = load_workbook(io.BytesIO(dept.content)).active
    texts = [r[2] for r in sheet.values]
    assert "Phần mềm Quản lý đoàn viên" in texts and "Đánh giá UV.BTV hằng tháng" not in texts


def test_rem4_outsider_gets_404_on_every_page_and_export(rem: RemWorld) -> None:
    _policies(rem)
    _plan(rem)
    unit, tckt = rem.world.province.pk, rem.world.tckt.pk
    client = login(rem.world.district_a_cadre)

    for url in (reverse("remediation:reports", args=[unit]),
                reverse("remediation:department_report", args=[unit, 2020, tckt, "2020-Y"]),
                reverse("remediation:department_report_xlsx", args=[unit, 2020, tckt, "2020-Y"]),
                reverse("remediation:office_report", args=[unit, 2020, reports.COMPILATION]),
                reverse("remediation:office_report_xlsx", args=[unit, 2020, reports.YEAR_END])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("remediation:reports_open", args=[unit, 2020])).status_code == 404
    assert client.post(reverse("remediation:office_report",
                               args=[unit, 2020, reports.YEAR_END]),
                       {"body": "x", **SIGN}).status_code == 404
    assert Obligation.objects.count() == 0 and Document.objects.count() == 0


def test_rem4_reader_sees_the_page_but_not_the_forms(rem: RemWorld) -> None:
    from tests.conftest import grant, make_user

    _policies(rem)
    _plan(rem)
    reader = make_user("doc_tinh")
    grant(reader, "thanh_vien_doan_kiem_tra", rem.world.province)
    client = login(reader)
    unit = rem.world.province.pk

    page = client.get(reverse("remediation:reports", args=[unit]) + "?nam=2020")

    assert page.status_code == 200
    assert "Giao các báo cáo" not in page.content.decode()
    assert client.get(reverse("remediation:office_report",
                              args=[unit, 2020, reports.COMPILATION])).status_code == 404


def test_rem4_a_department_writes_only_its_own_report(rem: RemWorld) -> None:
    from tests.conftest import grant, make_user

    _policies(rem)
    _plan(rem)
    reports.obligations_open(scope=scope(rem.world.admin), unit=rem.world.province, year=2020)
    staff = make_user("canbo_tckt")
    grant(staff, "can_bo_ban", rem.world.province, department=rem.world.tckt)
    client = login(staff)
    unit = rem.world.province.pk

    own = client.get(reverse("remediation:department_report",
                             args=[unit, 2020, rem.world.tckt.pk, "2020-Y"]))
    other = client.post(reverse("remediation:department_report",
                                args=[unit, 2020, rem.movement.pk, "2020-Y"]),
                        {"body": "I. A\nB", **SIGN})

    assert own.status_code == 200
    assert other.status_code == 404
    assert Document.objects.count() == 0
