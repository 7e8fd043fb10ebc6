"""EMU-3, EMU-4: the ranking snapshot computed from the stored sheets gives the numbers of the
pure rules, a published snapshot is never changed, a recompute makes a new one, a snapshot is
reproducible from the sheets, and the compute reads a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from doanvu.audit.models import AuditRecord
from doanvu.emulation import ranking, rules, scoring
from doanvu.emulation.models import (
    LineSource,
    RankingEntry,
    RubricItem,
    ScoreLine,
    ScoreSheet,
    SheetEntry,
    SnapshotState,
)
from doanvu.emulation.permissions import EmulationScopeError
from tests.emulation.conftest import SheetWorld, criterion, finalise_all


def _line(sheet: ScoreSheet, sw: SheetWorld, code: str, source: str, raw: str | None,
          points: str, reason: str = "") -> None:
    ScoreLine.objects.create(sheet=sheet, criterion=criterion(sw.emu, code), source=source,
                             raw=Decimal(raw) if raw is not None else None,
                             points=Decimal(points), reason=reason, at=timezone.now())


def _score(sw: SheetWorld) -> None:
    a, b = sw.sheet_a, sw.sheet_b
    _line(a, sw, "1.1", LineSource.SELF, "6", "6")
    _line(a, sw, "1.1", LineSource.DEPARTMENT, "5.5", "5.5")
    _line(a, sw, "1.2", LineSource.SELF, "1", "4")
    _line(a, sw, "2.1", LineSource.IMPORTED, "5", "12")
    _line(a, sw, "2.2", LineSource.DEPARTMENT, "100", "8")
    _line(a, sw, "1.1", LineSource.ADJUSTMENT, None, "-0.5", "Thiếu biên bản")
    _line(b, sw, "1.1", LineSource.SELF, "4", "4")
    _line(b, sw, "1.2", LineSource.SELF, "0", "0")
    _line(b, sw, "2.1", LineSource.SELF, "3", "7.5")
    _line(b, sw, "2.2", LineSource.SELF, "50", "4")
    bonus = RubricItem.objects.get(rubric=sw.emu.rubric, code="T1")
    penalty = RubricItem.objects.get(rubric=sw.emu.rubric, code="TR1")
    SheetEntry.objects.create(sheet=a, item=bonus, count=2, reason="Mô hình hay",
                              at=timezone.now())
    SheetEntry.objects.create(sheet=b, item=penalty, count=1, reason="Trễ báo cáo",
                              at=timezone.now())
    b.flags = ["L1"]
    b.save()


def test_emu3_compute_gives_the_numbers_of_the_rules(sheets: SheetWorld) -> None:
    _score(sheets)
    rubric = sheets.emu.rubric
    snap = ranking.ranking_compute(actor=sheets.emu.world.province_secretary, rubric=rubric)

    data = scoring.rules_rubric(rubric)
    stored = [scoring.rules_sheet(s) for s in ScoreSheet.objects.filter(rubric=rubric)]
    expected = rules.evaluate(data, stored)
    results = {r.unit_id: r for r in rules.final_scores(data, stored)}
    got = list(RankingEntry.objects.filter(snapshot=snap).order_by("position"))
    assert [(e.unit_id, e.total, e.rank, e.position, e.tier_code) for e in got] == [
        (s.unit_id, s.total, s.rank, s.position, s.tier) for s in expected]
    for e in got:
        r = results[e.unit_id]
        assert (e.criteria_total, e.bonus, e.penalty) == (r.criteria_total, r.bonus, r.penalty)
    first = got[0]
    # 1.1: 5.5 − 0.5; 1.2: 4; 2.1: min(5 × 2.5, 12); 2.2: 8; bonus 2
    assert first.unit_id == sheets.sheet_a.unit_id
    assert first.total == Decimal("5") + 4 + 12 + 8 + 2
    assert first.tier_name == "Hoàn thành xuất sắc nhiệm vụ" or first.tier_reasons
    assert snap.state == SnapshotState.DRAFT
    assert AuditRecord.objects.filter(model__icontains="rankingentry").exists()


def test_emu4_publish_freezes_and_recompute_keeps_the_old(sheets: SheetWorld) -> None:
    _score(sheets)
    finalise_all(sheets)
    rubric, actor = sheets.emu.rubric, sheets.emu.world.province_secretary
    first = ranking.ranking_publish(
        actor=actor, snapshot=ranking.ranking_compute(actor=actor, rubric=rubric))
    assert first.state == SnapshotState.PUBLISHED and first.published_on is not None
    with pytest.raises(ranking.RankingError):
        ranking.ranking_publish(actor=actor, snapshot=first)
    before = ranking.stored_rows(first)
    assert ranking.snapshot_reproduces(first)

    # a department changes a score: the published table stays, no longer reproduces
    _line(sheets.sheet_b, sheets, "1.1", LineSource.DEPARTMENT, "6", "6")
    assert not ranking.snapshot_reproduces(first)
    second = ranking.ranking_compute(actor=actor, rubric=rubric)
    assert second.pk != first.pk and ranking.snapshot_reproduces(second)
    ranking.ranking_publish(actor=actor, snapshot=second)
    first.refresh_from_db()
    assert first.state == SnapshotState.PUBLISHED and first.superseded_by_id == second.pk
    assert ranking.stored_rows(first) == before
    assert ranking.stored_rows(second) != before


def test_emu3_compute_and_publish_need_the_approvers_scope(sheets: SheetWorld) -> None:
    w = sheets.emu.world
    for who in (w.outsider, w.district_a_cadre, sheets.emu.office_cadre):
        with pytest.raises(EmulationScopeError):
            ranking.ranking_compute(actor=who, rubric=sheets.emu.rubric)
    snap = ranking.ranking_compute(actor=None, rubric=sheets.emu.rubric)
    with pytest.raises(EmulationScopeError):
        ranking.ranking_publish(actor=w.outsider, snapshot=snap)


def test_emu3_compute_queries_do_not_grow_with_the_sheets(sheets: SheetWorld) -> None:
    _score(sheets)
    rubric, w = sheets.emu.rubric, sheets.emu.world
    with CaptureQueriesContext(connection) as few:
        ranking.ranking_compute(actor=None, rubric=rubric)
    for unit in (w.commune_a1, w.commune_a2, w.commune_b1, w.branch_a1, w.branch_b1):
        sheet = ScoreSheet.objects.create(rubric=rubric, unit=unit, year=2020)
        _line(sheet, sheets, "1.1", LineSource.SELF, "3", "3")
        _line(sheet, sheets, "2.2", LineSource.DEPARTMENT, "25", "2")
    with CaptureQueriesContext(connection) as many:
        snap = ranking.ranking_compute(actor=None, rubric=rubric)
    assert RankingEntry.objects.filter(snapshot=snap).count() == 7
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 25
    assert ranking.snapshot_reproduces(snap)
