"""EMU-3, EMU-4 pages: the approver computes a draft and publishes it, the snapshot's table and
its .xlsx export; a 404 for everybody else on every page, action and download (X-3)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from doanvu.emulation import ranking
from doanvu.emulation.models import RankingSnapshot, SnapshotState
from tests.emulation.conftest import SheetWorld
from tests.emulation.test_emu3_ranking import _score


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_emu4_compute_publish_table_and_export(sheets: SheetWorld) -> None:
    _score(sheets)
    rubric = sheets.emu.rubric
    c = _client(sheets.emu.world.province_secretary)
    page = c.get(reverse("emulation:ranking_list", args=[rubric.pk]))
    assert page.status_code == 200 and "ranking-compute" in page.content.decode()
    answer = c.post(reverse("emulation:ranking_compute", args=[rubric.pk]), {"note": "Lần 1"})
    snap = RankingSnapshot.objects.get(rubric=rubric)
    assert answer.status_code == 302 and answer["Location"].endswith(
        reverse("emulation:snapshot_detail", args=[snap.pk]))
    page = c.get(answer["Location"]).content.decode()
    assert "Huyện đoàn Châu Thành" in page and "snapshot-publish" in page
    c.post(reverse("emulation:snapshot_publish", args=[snap.pk]))
    snap.refresh_from_db()
    assert snap.state == SnapshotState.PUBLISHED
    page = c.get(reverse("emulation:snapshot_detail", args=[snap.pk])).content.decode()
    assert "snapshot-publish" not in page
    # publishing again is refused with a message, nothing changes
    c.post(reverse("emulation:snapshot_publish", args=[snap.pk]))
    assert ranking.snapshot_reproduces(snap)
    xlsx = c.get(reverse("emulation:snapshot_export", args=[snap.pk]))
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[2][0] == "Hạng"
    assert {r[1] for r in rows[3:]} == {"Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"}


@pytest.mark.parametrize("who", ["outsider", "district_b_cadre", "branch_secretary"])
def test_emu4_every_ranking_page_is_a_404_for_outsiders(sheets: SheetWorld, who: str) -> None:
    _score(sheets)
    rubric = sheets.emu.rubric
    snap = ranking.ranking_compute(actor=None, rubric=rubric)
    c = _client(getattr(sheets.emu.world, who))
    for name, pk in [("ranking_list", rubric.pk), ("snapshot_detail", snap.pk),
                     ("snapshot_export", snap.pk)]:
        assert c.get(reverse(f"emulation:{name}", args=[pk])).status_code == 404, name
    for name, pk in [("ranking_compute", rubric.pk), ("snapshot_publish", snap.pk)]:
        assert c.post(reverse(f"emulation:{name}", args=[pk])).status_code == 404, name
    assert RankingSnapshot.objects.filter(rubric=rubric).count() == 1
    snap.refresh_from_db()
    assert snap.state == SnapshotState.DRAFT


def test_emu4_a_reader_sees_the_table_and_may_not_compute(sheets: SheetWorld) -> None:
    snap = ranking.ranking_compute(actor=None, rubric=sheets.emu.rubric)
    c = _client(sheets.emu.office_cadre)
    page = c.get(reverse("emulation:snapshot_detail", args=[snap.pk])).content.decode()
    assert "snapshot-publish" not in page
    assert c.post(reverse("emulation:snapshot_publish", args=[snap.pk])).status_code == 404
    assert c.post(reverse("emulation:ranking_compute",
                          args=[sheets.emu.rubric.pk])).status_code == 404
