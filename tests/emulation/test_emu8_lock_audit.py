"""EMU-8: every change of a sheet is audited; after submission a change needs a reason; a final
sheet is locked; concurrent writers of one sheet never lose an update (PostgreSQL: two
departments at once, each on its own connection; SQLite: the same writes one after the other)."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, connections

from doanvu.audit.models import AuditRecord
from doanvu.emulation import sheets as svc
from doanvu.emulation.models import LineSource, ScoreLine, ScoreSheet, SheetState
from doanvu.emulation.sheets import SheetError
from tests.emulation.conftest import SheetWorld, criterion


def _records(model: str) -> list[tuple[str, str]]:
    return list(AuditRecord.objects.filter(model=model).order_by("id")
                .values_list("action", "reason"))


def _submitted(sheets: SheetWorld) -> ScoreSheet:
    emu = sheets.emu
    svc.scores_save(actor=emu.world.district_a_cadre, sheet=sheets.sheet_a,
                    source=LineSource.SELF,
                    values={criterion(emu, "1.1"): "5", criterion(emu, "2.2"): "50"},
                    evidence={criterion(emu, "1.1"): "Kế hoạch 05-KH/ĐTN"})
    return svc.sheet_submit(actor=emu.world.district_a_cadre, sheet=sheets.sheet_a)


def test_emu8_every_change_is_audited_with_its_actor(sheets: SheetWorld) -> None:
    sheet = _submitted(sheets)

    assert _records("emulation.scoreline") == [("create", ""), ("create", "")]
    sheet_records = AuditRecord.objects.filter(model="emulation.scoresheet",
                                               object_pk=str(sheet.pk)).order_by("id")
    assert [r.action for r in sheet_records] == ["create", "update", "update"]
    last = sheet_records.last()
    assert last is not None and last.actor_id == sheets.emu.world.district_a_cadre.pk
    assert last.changes["after"]["state"] == "da_nop"  # type: ignore[index]


def test_emu8_after_submission_a_change_needs_a_reason_which_the_audit_keeps(
        sheets: SheetWorld) -> None:
    emu = sheets.emu
    sheet = _submitted(sheets)
    c = criterion(emu, "1.1")
    with pytest.raises(SheetError) as exc:
        svc.score_save(actor=emu.world.district_a_cadre, sheet=sheet, criterion=c,
                       source=LineSource.SELF, raw="6", evidence="Kế hoạch 05-KH/ĐTN")
    assert (str(exc.value), exc.value.field) == (
        "Phiếu đã nộp: mỗi thay đổi điểm cần ghi lý do.", "reason")
    assert ScoreLine.objects.get(criterion=c, source=LineSource.SELF).raw == Decimal("5")

    # a department's first score is not a change; changing it afterwards is
    svc.score_save(actor=sheets.tckt_scorer, sheet=sheet, criterion=c,
                   source=LineSource.DEPARTMENT, raw="4")
    with pytest.raises(SheetError):
        svc.score_save(actor=sheets.tckt_scorer, sheet=sheet, criterion=c,
                       source=LineSource.DEPARTMENT, raw="4.5")
    svc.score_save(actor=sheets.tckt_scorer, sheet=sheet, criterion=c,
                   source=LineSource.DEPARTMENT, raw="4.5",
                   reason="Bổ sung biên bản học tập nghị quyết")

    line = ScoreLine.objects.get(criterion=c, source=LineSource.DEPARTMENT)
    assert (line.raw, line.reason, line.by_id) == (
        Decimal("4.5"), "Bổ sung biên bản học tập nghị quyết", sheets.tckt_scorer.pk)
    record = AuditRecord.objects.filter(model="emulation.scoreline",
                                        object_pk=str(line.pk)).latest("id")
    assert record.reason == "Bổ sung biên bản học tập nghị quyết"
    assert record.changes["before"]["raw"] == "4.00"  # type: ignore[index]
    sheet.refresh_from_db()
    assert sheet.state == SheetState.DEPARTMENT


def test_emu8_a_final_sheet_is_locked(sheets: SheetWorld) -> None:
    emu = sheets.emu
    sheet = _submitted(sheets)
    with pytest.raises(Exception):  # noqa: B017 - only the standing committee finalises
        svc.sheet_finalise(actor=emu.office_cadre, sheet=sheet)
    svc.sheet_finalise(actor=emu.world.province_secretary, sheet=sheet)

    with pytest.raises(SheetError) as exc:
        svc.score_save(actor=sheets.tckt_scorer, sheet=sheet, criterion=criterion(emu, "1.1"),
                       source=LineSource.DEPARTMENT, raw="4", reason="Muộn")
    assert str(exc.value) == ("Phiếu của Huyện đoàn Châu Thành đã chính thức và đã khóa: không "
                              "thể sửa nữa.")
    assert not ScoreLine.objects.filter(source=LineSource.DEPARTMENT).exists()


def test_emu8_unsubmitted_sheet_cannot_be_finalised_nor_submitted_twice(
        sheets: SheetWorld) -> None:
    with pytest.raises(SheetError):
        svc.sheet_finalise(actor=sheets.emu.world.province_secretary, sheet=sheets.sheet_a)
    with pytest.raises(SheetError) as exc:
        svc.sheet_submit(actor=sheets.emu.world.district_a_cadre, sheet=sheets.sheet_a)
    assert str(exc.value) == "Chưa tự chấm tiêu chí nào: hãy tự chấm trước khi nộp."


# -- concurrency ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_emu8_two_departments_scoring_one_sheet_at_once_both_land(sheets: SheetWorld) -> None:
    """Ban Tổ chức – Kiểm tra scores 1.1 and Văn phòng scores 2.1 of the same sheet, 10 times
    each with changing values. PostgreSQL: both at once, each thread on its own connection, the
    sheet's row lock (SELECT … FOR UPDATE) making them follow each other. SQLite serialises
    writers anyway (and its in-memory test database refuses rather than waits), so there the two
    run one after the other: the same writes, the same end."""
    postgres = connection.vendor == "postgresql"
    emu, sheet = sheets.emu, sheets.sheet_a
    start_version = ScoreSheet.objects.get(pk=sheet.pk).version
    rounds = 10
    errors: list[str] = []
    barrier = threading.Barrier(2) if postgres else None

    def work(user: object, code: str, values: list[str]) -> None:
        try:
            c = criterion(emu, code)
            if barrier is not None:
                barrier.wait(timeout=30)
            for n, value in enumerate(values):
                while True:
                    try:
                        svc.score_save(actor=user, sheet=sheet, criterion=c,
                                       source=LineSource.DEPARTMENT, raw=value,
                                       reason=f"Lần chấm {n + 1}")
                        break
                    except OperationalError as exc:
                        if postgres or "locked" not in str(exc):
                            raise
                        time.sleep(0.002)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    jobs = [threading.Thread(target=work, args=(
                sheets.tckt_scorer, "1.1", [str(n % 6 + 0.5) for n in range(rounds)])),
            threading.Thread(target=work, args=(
                sheets.office_scorer, "2.1", [str(n % 4 + 1) for n in range(rounds)]))]
    if postgres:
        for t in jobs:
            t.start()
        for t in jobs:
            t.join(timeout=120)
    else:
        for t in jobs:
            t.start()
            t.join(timeout=120)

    assert errors == []
    lines = {ln.criterion.code: (ln.raw, ln.reason) for ln in ScoreLine.objects.filter(
        sheet=sheet, source=LineSource.DEPARTMENT).select_related("criterion")}
    assert lines == {"1.1": (Decimal("3.5"), "Lần chấm 10"), "2.1": (Decimal("2"), "Lần chấm 10")}
    # every write counted: none lost
    assert ScoreSheet.objects.get(pk=sheet.pk).version == start_version + 2 * rounds
    assert AuditRecord.objects.filter(model="emulation.scoreline", action="update").count() \
        == 2 * (rounds - 1)
