"""API-1, EMU-2, EMU-8: a department pushes its scores of a sheet through the API — the same
service as the page "Chấm điểm: <ban>" (its lock, its checks), all or nothing, the refusal
naming the line (`diem[1].diem`), the audit naming the token's user, another unit's sheet 404,
and two departments pushing to one sheet at once both landing (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from django.db import OperationalError, connection, connections
from django.urls import reverse

from doanvu.audit.models import AuditRecord
from doanvu.common.dates import today
from doanvu.emulation import services
from doanvu.emulation import sheets as sheet_services
from doanvu.emulation.models import LineSource, ScoreLine, ScoreSheet, SheetState
from doanvu.org.models import Department, DepartmentCategory
from tests.api.conftest import api, body, new_key
from tests.conftest import World, grant, make_user
from tests.emulation.conftest import DUE, EmuWorld, SheetWorld, build_rubric, criterion


@pytest.fixture
def sw(world: World) -> SheetWorld:
    """tests/emulation's `sheets` world: Tỉnh đoàn Tây Ninh's rubric for its districts, frozen,
    a sheet for each district; scorers of Ban Tổ chức – Kiểm tra (1.1) and Văn phòng (2.1)."""
    office = Department.objects.create(unit=world.province, name="Văn phòng", short_name="VP",
                                       category=DepartmentCategory.OFFICE)
    group = services.sector_group_create(actor=None, issuing_unit=world.province,
                                         name="Khối Huyện, Thành phố")
    services.sector_group_assign(actor=None, group=group,
                                 units=[world.district_a, world.district_b], year=2020)
    office_cadre = make_user("vanphong_tinh")
    grant(office_cadre, "van_phong", world.province)
    emu = EmuWorld(world, group, build_rubric(world, group, office=office), office, office_cadre)
    services.rubric_freeze(actor=None, rubric=emu.rubric)
    emu.rubric.refresh_from_db()
    made = {s.unit_id: s for s in sheet_services.sheets_open(actor=None, rubric=emu.rubric,
                                                              due_on=DUE)}
    tckt_scorer = make_user("chamdiem_tckt")
    grant(tckt_scorer, "can_bo_cham_diem", world.province, department=world.tckt)
    office_scorer = make_user("chamdiem_vp")
    grant(office_scorer, "can_bo_cham_diem", world.province, department=office)
    return SheetWorld(emu, made[world.district_a.pk], made[world.district_b.pk], tckt_scorer,
                      office_scorer)


def url(sheet: ScoreSheet | int) -> str:
    return reverse("api:v1_sheet_scores_push", args=[getattr(sheet, "pk", sheet)])


def push(key: str, sheet: ScoreSheet | int, data: Any) -> Any:
    return api(key).post(url(sheet), json.dumps(data), content_type="application/json")


def lines(sheet: ScoreSheet) -> dict[str, tuple[Decimal | None, str]]:
    return {ln.criterion.code: (ln.raw, ln.evidence) for ln in ScoreLine.objects.filter(
        sheet=sheet, source=LineSource.DEPARTMENT).select_related("criterion")}


def both_departments(sw: SheetWorld) -> str:
    """A token of a user scoring for both departments (Ban Tổ chức – Kiểm tra and Văn phòng)."""
    user = make_user("chamdiem_hai_ban")
    grant(user, "can_bo_cham_diem", sw.emu.world.province, department=sw.emu.world.tckt)
    grant(user, "can_bo_cham_diem", sw.emu.world.province, department=sw.emu.office)
    return new_key(user)


def test_api1_sheet_scores_push_lands_through_the_service_audited_as_the_token_user(
        sw: SheetWorld) -> None:
    c = criterion(sw.emu, "1.1")
    version = sw.sheet_a.version
    response = push(new_key(sw.tckt_scorer), sw.sheet_a,
                    {"diem": [{"tieu_chi": c.pk, "diem": 4.5, "ghi_chu": "Biên bản học tập"}]})

    assert response.status_code == 200, response.content
    data = body(response)
    assert (data["id"], data["don_vi_id"], data["phien_ban"]) == (
        sw.sheet_a.pk, sw.emu.world.district_a.pk, version + 1)
    assert data["diem_ban_cham"] == [{
        "tieu_chi": c.pk, "ma": "1.1", "ban_id": sw.emu.world.tckt.pk, "diem": 4.5,
        "diem_tinh": 4.5, "ghi_chu": "Biên bản học tập", "ly_do": "",
        "nguoi_cham_id": sw.tckt_scorer.pk, "luc": data["diem_ban_cham"][0]["luc"]}]
    assert lines(sw.sheet_a) == {"1.1": (Decimal("4.5"), "Biên bản học tập")}
    line = ScoreLine.objects.get(sheet=sw.sheet_a, source=LineSource.DEPARTMENT)
    record = AuditRecord.objects.get(model="emulation.scoreline", object_pk=str(line.pk))
    assert (record.action, record.actor_id) == ("create", sw.tckt_scorer.pk)
    sheet_record = AuditRecord.objects.filter(model="emulation.scoresheet",
                                              object_pk=str(sw.sheet_a.pk)).latest("id")
    assert sheet_record.actor_id == sw.tckt_scorer.pk


def test_api1_sheet_scores_push_all_or_nothing_naming_the_line(sw: SheetWorld) -> None:
    key = both_departments(sw)
    c11, c21 = criterion(sw.emu, "1.1"), criterion(sw.emu, "2.1")

    response = push(key, sw.sheet_a, {"diem": [{"tieu_chi": c21.pk, "diem": 2},
                                               {"tieu_chi": c11.pk, "diem": 7}]})

    assert response.status_code == 400
    problems = body(response)["loi"]["truong"]
    assert list(problems) == ["diem[1].diem"]
    assert "7 điểm vượt quá điểm tối đa 6" in problems["diem[1].diem"][0]
    assert lines(sw.sheet_a) == {}  # 2.1's good line not written either
    assert not AuditRecord.objects.filter(model="emulation.scoreline").exists()

    ok = push(key, sw.sheet_a, {"diem": [{"tieu_chi": c21.pk, "diem": 2},
                                         {"tieu_chi": c11.pk, "diem": 6}]})
    assert ok.status_code == 200, ok.content
    assert lines(sw.sheet_a) == {"1.1": (Decimal("6"), ""), "2.1": (Decimal("2"), "")}


def test_api1_sheet_scores_push_only_the_criteria_of_the_users_department(
        sw: SheetWorld) -> None:
    c11, c21, c12 = (criterion(sw.emu, code) for code in ("1.1", "2.1", "1.2"))
    key = new_key(sw.tckt_scorer)

    other = push(key, sw.sheet_a, {"diem": [{"tieu_chi": c11.pk, "diem": 5},
                                            {"tieu_chi": c21.pk, "diem": 2}]})
    nobodys = push(key, sw.sheet_a, {"diem": [{"tieu_chi": c12.pk, "diem": 1}]})

    assert other.status_code == 400
    assert list(body(other)["loi"]["truong"]) == ["diem[1].tieu_chi"]
    assert "do Văn phòng chấm" in body(other)["loi"]["truong"]["diem[1].tieu_chi"][0]
    assert nobodys.status_code == 400
    assert list(body(nobodys)["loi"]["truong"]) == ["diem[0].tieu_chi"]
    assert lines(sw.sheet_a) == {}


def test_api1_sheet_scores_push_another_units_sheet_is_404_alike(sw: SheetWorld) -> None:
    c = criterion(sw.emu, "1.1")
    data = {"diem": [{"tieu_chi": c.pk, "diem": 5}]}
    outsider = new_key(sw.emu.world.district_b_cadre)

    foreign = push(outsider, sw.sheet_a, data)
    missing = push(outsider, 999999, data)

    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert body(foreign) == body(missing)
    assert "Châu Thành" not in foreign.content.decode()
    assert lines(sw.sheet_a) == {}


def test_api1_sheet_scores_push_a_final_sheet_is_locked(sw: SheetWorld) -> None:
    ScoreSheet.objects.filter(pk=sw.sheet_a.pk).update(state=SheetState.FINAL)
    c = criterion(sw.emu, "1.1")
    response = push(new_key(sw.tckt_scorer), sw.sheet_a,
                    {"diem": [{"tieu_chi": c.pk, "diem": 5}], "ly_do": "Chấm muộn"})
    assert response.status_code == 400
    assert "đã chính thức và đã khóa" in body(response)["loi"]["thong_diep"]
    assert lines(sw.sheet_a) == {}


def test_api1_sheet_scores_push_a_change_after_submission_needs_a_reason(
        sw: SheetWorld) -> None:
    c = criterion(sw.emu, "1.1")
    key = new_key(sw.tckt_scorer)
    assert push(key, sw.sheet_a, {"diem": [{"tieu_chi": c.pk, "diem": 4}]}).status_code == 200
    ScoreSheet.objects.filter(pk=sw.sheet_a.pk).update(state=SheetState.SUBMITTED)

    refused = push(key, sw.sheet_a, {"diem": [{"tieu_chi": c.pk, "diem": 5}]})
    assert refused.status_code == 400 and list(body(refused)["loi"]["truong"]) == ["ly_do"]
    assert lines(sw.sheet_a) == {"1.1": (Decimal("4"), "")}
    done = push(key, sw.sheet_a, {"diem": [{"tieu_chi": c.pk, "diem": 5}],
                                  "ly_do": "Bổ sung biên bản"})
    assert done.status_code == 200 and body(done)["trang_thai"] == SheetState.DEPARTMENT
    assert AuditRecord.objects.filter(model="emulation.scoreline").latest("id").reason == \
        "Bổ sung biên bản"


@pytest.mark.parametrize(("data", "field"), [
    ({"diem": [{"tieu_chi": 0, "diem": 1}]}, "diem[0].tieu_chi"),
    ({"diem": [{"tieu_chi": 999999, "diem": 1}]}, "diem[0].tieu_chi"),
    ({"diem": [{"tieu_chi": "1.1", "diem": 1}]}, "diem[0].tieu_chi"),
    ({"diem": [{"tieu_chi": "C11", "diem": "5"}]}, "diem[0].diem"),
    ({"diem": [{"tieu_chi": "C11", "diem": True}]}, "diem[0].diem"),
    ({"diem": [{"tieu_chi": "C11", "diem": -1}]}, "diem[0].diem"),
    ({"diem": [{"tieu_chi": "C11", "diem": 1.234}]}, "diem[0].diem"),
    ({"diem": [{"tieu_chi": "C11", "diem": 1e300}]}, "diem[0].diem"),
    ({"diem": [{"tieu_chi": "C11", "diem": 1, "nguon": "tu_cham"}]}, "diem[0].nguon"),
    ({"diem": [{"tieu_chi": "C11", "diem": 1}, {"tieu_chi": "C11", "diem": 2}]},
     "diem[1].tieu_chi"),
    ({"diem": [{"tieu_chi": "C11", "diem": 1, "ghi_chu": "x" * 2001}]}, "diem[0].ghi_chu"),
    ({"diem": [{"tieu_chi": "C11"}]}, "diem[0].diem"),
    ({"diem": []}, "diem"),
    ({"diem": {"tieu_chi": 1}}, "diem"),
    ({"diem": ["C11"]}, "diem[0]"),
    ({}, "diem"),
    ({"diem": [{"tieu_chi": "C11", "diem": 1}], "ly_do": 5}, "ly_do"),
    ({"diem": [{"tieu_chi": "C11", "diem": 1}], "phien_ban": 3}, "phien_ban"),
])
def test_api1_sheet_scores_push_bad_bodies_are_a_400_naming_the_field(
        sw: SheetWorld, data: dict[str, Any], field: str) -> None:
    c = criterion(sw.emu, "1.1")
    text = json.dumps(data).replace('"C11"', str(c.pk))
    response = api(new_key(sw.tckt_scorer)).post(url(sw.sheet_a), text,
                                                 content_type="application/json")

    assert response.status_code == 400, response.content
    problems = body(response)["loi"]["truong"]
    assert field in problems, problems
    assert all("Ensure" not in m and "valid" not in m for ms in problems.values() for m in ms)
    assert lines(sw.sheet_a) == {}


def test_api1_sheet_scores_push_malformed_or_unsupported_requests_are_4xx(
        sw: SheetWorld) -> None:
    client = api(new_key(sw.tckt_scorer))
    assert client.post(url(sw.sheet_a), '{"diem": [', content_type="application/json"
                       ).status_code == 400
    assert client.post(url(sw.sheet_a), {"diem": "1"}).status_code == 415
    assert client.get(url(sw.sheet_a)).status_code == 405
    assert api("dv_khong_phai_khoa").post(url(sw.sheet_a), "{}",
                                          content_type="application/json").status_code == 401
    assert lines(sw.sheet_a) == {}


# -- concurrency ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_api1_two_departments_pushing_scores_to_one_sheet_at_once_both_land(
        sw: SheetWorld) -> None:
    """Ban Tổ chức – Kiểm tra pushes 1.1 and Văn phòng 2.1 of the same sheet through the API, 10
    times each with changing values (as test_emu8_two_departments_scoring_one_sheet_at_once_
    both_land does through the service). PostgreSQL: both at once, each thread on its own
    connection, the sheet's row lock making them follow each other. SQLite serialises writers
    anyway (its in-memory test database refuses rather than waits), so there the two run one
    after the other: the same writes, the same end."""
    postgres = connection.vendor == "postgresql"
    sheet = sw.sheet_a
    start_version = ScoreSheet.objects.get(pk=sheet.pk).version
    rounds = 10
    problems: list[str] = []
    barrier = threading.Barrier(2) if postgres else None
    keys = {"1.1": new_key(sw.tckt_scorer), "2.1": new_key(sw.office_scorer)}
    ids = {code: criterion(sw.emu, code).pk for code in keys}

    def work(code: str, values: list[float]) -> None:
        try:
            client = api(keys[code])
            if barrier is not None:
                barrier.wait(timeout=30)
            for n, value in enumerate(values):
                while True:
                    try:
                        response = client.post(url(sheet), json.dumps({
                            "diem": [{"tieu_chi": ids[code], "diem": value}],
                            "ly_do": f"Lần chấm {n + 1}"}), content_type="application/json")
                    except OperationalError as exc:
                        if postgres or "locked" not in str(exc):
                            raise
                        time.sleep(0.002)
                        continue
                    if response.status_code != 200:
                        problems.append(f"{code} {n}: {response.status_code} "
                                        f"{response.content[:300]!r}")
                    break
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            problems.append(repr(exc))
        finally:
            connections.close_all()

    jobs = [threading.Thread(target=work, args=("1.1", [n % 6 + 0.5 for n in range(rounds)])),
            threading.Thread(target=work, args=("2.1", [n % 4 + 1 for n in range(rounds)]))]
    for t in jobs:
        t.start()
        if not postgres:
            t.join(timeout=120)
    for t in jobs:
        t.join(timeout=120)

    assert problems == []
    landed = {ln.criterion.code: (ln.raw, ln.reason) for ln in ScoreLine.objects.filter(
        sheet=sheet, source=LineSource.DEPARTMENT).select_related("criterion")}
    assert landed == {"1.1": (Decimal("3.5"), "Lần chấm 10"), "2.1": (Decimal("2"), "Lần chấm 10")}
    # every push counted: none lost, each audited as its token's user
    assert ScoreSheet.objects.get(pk=sheet.pk).version == start_version + 2 * rounds
    updates = AuditRecord.objects.filter(model="emulation.scoreline", action="update")
    assert updates.count() == 2 * (rounds - 1)
    assert {r.actor_id for r in updates} == {sw.tckt_scorer.pk, sw.office_scorer.pk}


def test_api1_sheet_scores_push_after_the_departments_date_needs_a_reason(
        sw: SheetWorld) -> None:
    """EMU-8: after the sheet's date for the departments (before the inspection) a department
    scoring late says why; nothing is written without it."""
    ScoreSheet.objects.filter(pk=sw.sheet_a.pk).update(due_on=today() - dt.timedelta(days=1))
    c = criterion(sw.emu, "1.1")
    key = new_key(sw.tckt_scorer)

    refused = push(key, sw.sheet_a, {"diem": [{"tieu_chi": c.pk, "diem": 5}]})
    assert refused.status_code == 400 and list(body(refused)["loi"]["truong"]) == ["ly_do"]
    assert "quá hạn" in body(refused)["loi"]["truong"]["ly_do"][0]
    assert lines(sw.sheet_a) == {}
    done = push(key, sw.sheet_a, {"diem": [{"tieu_chi": c.pk, "diem": 5}],
                                  "ly_do": "Chờ biên bản của cơ sở"})
    assert done.status_code == 200 and lines(sw.sheet_a) == {"1.1": (Decimal("5"), "")}
