"""EMU-3, EMU-4 demo: HCMC's 2020 rankings are computed from the demo's sheets and reproduce
from them; the workers' group, whose sheets are at every stage, stays a draft; the districts',
all final, is published."""

from __future__ import annotations

import pytest

from doanvu.emulation import ranking
from doanvu.emulation.models import RankingEntry, RankingSnapshot, ScoreSheet, SnapshotState

pytestmark = pytest.mark.django_db


def test_emu4_demo_ranking_is_a_reproducible_draft(demo: None) -> None:
    snap = RankingSnapshot.objects.get(rubric__group__name="Khu vực Công nhân lao động",
                                       rubric__year=2020)
    assert snap.state == SnapshotState.DRAFT
    districts = RankingSnapshot.objects.filter(rubric__group__name="Khu vực Quận – Huyện",
                                               rubric__year=2020)
    assert {s.state for s in districts} == {SnapshotState.PUBLISHED}
    assert all(ranking.snapshot_reproduces(s) for s in districts)
    assert RankingEntry.objects.filter(snapshot=snap).count() == \
        ScoreSheet.objects.filter(rubric=snap.rubric).count()
    assert ranking.snapshot_reproduces(snap)
