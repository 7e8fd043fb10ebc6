"""REM-2: solution groups with their lead department, solutions with deadlines as periods,
progress, evidence and the shortcomings each addresses; a shortcoming closes only with evidence;
`unremedied(unit, year)` for EMU-11."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doanvu.common.errors import ApplicationError
from doanvu.common.periods import Period
from doanvu.remediation import api, services
from doanvu.remediation.models import Solution, SolutionGroup
from tests.conftest import login
from tests.remediation.conftest import RemWorld, scope


def _file() -> SimpleUploadedFile:
    return SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 x", content_type="application/pdf")


def test_rem2_deadlines_read_as_the_plan_writes_them(rem: RemWorld) -> None:
    s = scope(rem.world.admin)
    group = services.group_create(scope=s, unit=rem.world.province, year=2020, number=2,
                                  name="Nhóm giải pháp 2", lead=rem.world.tckt)
    made = [services.solution_create(scope=s, group=group, text=f"Giải pháp {d}", deadline=d,
                                     shortcomings=[rem.items[6]])
            for d in ("tháng 03/2020", "quý I/2020", "thường xuyên")]

    assert [(x.deadline, x.ongoing) for x in made] == [
        (Period.month(2020, 3), False), (Period.quarter(2020, 1), False), (None, True)]
    assert list(rem.items[6].solutions.all()) == made
    assert group.lead == rem.world.tckt


def test_rem2_bad_deadline_is_refused_naming_the_field(rem: RemWorld) -> None:
    s = scope(rem.world.admin)
    group = services.group_create(scope=s, unit=rem.world.province, year=2020, number=1,
                                  name="Nhóm giải pháp 1", lead=rem.office)
    with pytest.raises(ApplicationError) as e:
        services.solution_create(scope=s, group=group, text="x", deadline="tháng 13/2020")

    assert "Thời hạn" in e.value.message
    assert Solution.objects.count() == 0


def test_rem2_lead_from_another_agency_is_refused(rem: RemWorld) -> None:
    from doanvu.org.models import Department

    other = Department.objects.create(unit=rem.world.district_a, name="Văn phòng")
    with pytest.raises(ApplicationError) as e:
        services.group_create(scope=scope(rem.world.admin), unit=rem.world.province, year=2020,
                              number=1, name="Nhóm 1", lead=other)

    assert e.value.field == "lead"
    assert SolutionGroup.objects.count() == 0


def test_rem2_progress_outside_0_100_is_refused(rem: RemWorld) -> None:
    s = scope(rem.world.admin)
    group = services.group_create(scope=s, unit=rem.world.province, year=2020, number=3,
                                  name="Nhóm 3", lead=rem.movement)
    sol = services.solution_create(scope=s, group=group, text="Vận động nguồn vốn")
    with pytest.raises(ApplicationError) as e:
        services.solution_progress(scope=s, solution=sol, progress=120)

    assert e.value.field == "progress"
    sol.refresh_from_db()
    assert sol.progress == 0


def test_rem2_closing_without_evidence_is_refused(rem: RemWorld) -> None:
    with pytest.raises(ApplicationError) as e:
        services.shortcoming_close(scope=scope(rem.world.admin), shortcoming=rem.items[6])

    assert e.value.field == "evidence"
    assert "chưa có minh chứng nào" in e.value.message
    rem.items[6].refresh_from_db()
    assert rem.items[6].closed_on is None


def test_rem2_closing_with_evidence_closes(rem: RemWorld) -> None:
    s = scope(rem.world.admin)
    services.evidence_add(scope=s, actor=rem.world.admin, shortcoming=rem.items[6],
                          name="Tờ trình phần mềm", file=_file())

    services.shortcoming_close(scope=s, shortcoming=rem.items[6], on=dt.date(2020, 3, 31))

    rem.items[6].refresh_from_db()
    assert rem.items[6].closed_on == dt.date(2020, 3, 31)


def test_rem2_adding_evidence_never_reopens_a_closed_item(rem: RemWorld) -> None:
    s = scope(rem.world.admin)
    item = rem.items[5]
    services.evidence_add(scope=s, actor=rem.world.admin, shortcoming=item, name="a",
                          file=_file())
    services.shortcoming_close(scope=s, shortcoming=item, on=dt.date(2020, 5, 1))

    for i in range(3):
        services.evidence_add(scope=s, actor=rem.world.admin, shortcoming=item, name=f"b{i}",
                              file=_file())
        item.refresh_from_db()
        assert item.closed_on == dt.date(2020, 5, 1)
    assert item.evidence.count() == 4


def test_rem2_unremedied_is_the_counted_items_not_closed_by_year_end(rem: RemWorld) -> None:
    s = scope(rem.world.admin)
    services.evidence_add(scope=s, actor=rem.world.admin, shortcoming=rem.items[1],
                          name="Báo cáo", file=_file())
    services.shortcoming_close(scope=s, shortcoming=rem.items[1], on=dt.date(2019, 12, 20))
    services.evidence_add(scope=s, actor=rem.world.admin, shortcoming=rem.items[4],
                          name="Báo cáo", file=_file())
    services.shortcoming_close(scope=s, shortcoming=rem.items[4], on=dt.date(2020, 2, 1))

    numbers = [x.number for x in api.unremedied(rem.world.province, 2019)]

    # 7 counted (8 is the same as 2), less 1 closed in 2019; 4 closed only in 2020 still counts
    assert numbers == [2, 3, 4, 5, 6, 7]


def test_rem2_page_shows_groups_leads_and_deadlines(rem: RemWorld) -> None:
    s = scope(rem.world.admin)
    group = services.group_create(scope=s, unit=rem.world.province, year=2020, number=2,
                                  name="Nhóm giải pháp trong công tác tổ chức xây dựng Đoàn",
                                  lead=rem.world.tckt)
    services.solution_create(scope=s, group=group, text="Xây dựng phần mềm Quản lý đoàn viên",
                             deadline="tháng 03/2020", shortcomings=[rem.items[6]])

    body = login(rem.world.province_secretary).get(
        reverse("remediation:register", args=[rem.world.province.pk]) + "?nam=2019"
    ).content.decode()

    assert "Chủ trì tham mưu: Ban Tổ chức – Kiểm tra" in body
    assert "Xây dựng phần mềm Quản lý đoàn viên" in body
    assert str(Period.month(2020, 3)) in body


def test_rem2_close_page_refuses_without_evidence_then_accepts(
        rem: RemWorld, province_writer: object) -> None:
    client = login(province_writer)  # type: ignore[arg-type]
    item = rem.items[7]
    close = reverse("remediation:shortcoming_close", args=[item.pk])

    refused = client.post(close, {"note": ""}, follow=True).content.decode()
    assert "chưa có minh chứng nào" in refused
    client.post(reverse("remediation:evidence_add", args=[item.pk]),
                {"name": "Quyết định thành lập nguồn vốn", "file": _file()})
    client.post(close, {"note": "Đã thành lập nguồn vốn"})

    item.refresh_from_db()
    assert item.closed_on is not None
    assert item.evidence.get().name == "Quyết định thành lập nguồn vốn"


def test_rem2_register_page_queries_do_not_grow_with_solutions(rem: RemWorld) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    s = scope(rem.world.admin)
    client = login(rem.world.province_secretary)
    url = reverse("remediation:register", args=[rem.world.province.pk]) + "?nam=2019"
    counts = []
    for number in (1, 2, 3):
        group = services.group_create(scope=s, unit=rem.world.province, year=2020,
                                      number=number, name=f"Nhóm {number}", lead=rem.office)
        for i in range(3):
            services.solution_create(scope=s, group=group, text=f"Giải pháp {i}",
                                     deadline="quý I/2020", shortcomings=[rem.items[i + 1]])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1] == counts[2]
