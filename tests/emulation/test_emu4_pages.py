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
from tests.emulation.conftest import SheetWorld, finalise_all
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
    # publishing waits for every sheet to be final: a message naming the units, nothing changes
    assert "not-final" in page
    c.post(reverse("emulation:snapshot_publish", args=[snap.pk]))
    snap.refresh_from_db()
    assert snap.state == SnapshotState.DRAFT
    finalise_all(sheets)
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


def test_emu4_publish_only_when_every_sheet_is_final(sheets: SheetWorld) -> None:
    from doanvu.emulation.models import SheetState

    _score(sheets)
    actor = sheets.emu.world.province_secretary
    snap = ranking.ranking_compute(actor=actor, rubric=sheets.emu.rubric)
    sheets.sheet_a.state = SheetState.FINAL
    sheets.sheet_a.save(update_fields=["state"])
    with pytest.raises(ranking.RankingError,
                       match="còn 1 đơn vị có phiếu chưa chính thức \\(Huyện đoàn Tân Biên\\)"):
        ranking.ranking_publish(actor=actor, snapshot=snap)
    snap.refresh_from_db()
    assert snap.state == SnapshotState.DRAFT and snap.published_on is None
    finalise_all(sheets)
    assert ranking.ranking_publish(actor=actor, snapshot=snap).state == SnapshotState.PUBLISHED


def test_emu4_a_unit_sees_its_own_line_only(sheets: SheetWorld) -> None:
    _score(sheets)
    finalise_all(sheets)
    w = sheets.emu.world
    snap = ranking.ranking_publish(actor=w.province_secretary, snapshot=ranking.ranking_compute(
        actor=w.province_secretary, rubric=sheets.emu.rubric))
    c = _client(w.district_a_cadre)
    sheet_page = c.get(reverse("emulation:sheet_detail", args=[sheets.sheet_a.pk]))
    text = sheet_page.content.decode()
    mine = snap.entries.get(unit=w.district_a)
    assert "own-ranking-line" in text and f"Hạng {mine.rank}" in text and mine.tier_name in text
    page = c.get(reverse("emulation:unit_results", args=[w.district_a.pk])).content.decode()
    assert f"own-line-{snap.pk}" in page and mine.tier_name in page
    assert "Huyện đoàn Tân Biên" not in page
    # the table, its exports and the other unit's results are not the unit's
    for url in (reverse("emulation:snapshot_detail", args=[snap.pk]),
                reverse("emulation:snapshot_export", args=[snap.pk]),
                reverse("emulation:snapshot_pdf", args=[snap.pk]),
                reverse("emulation:unit_results", args=[w.district_b.pk]),
                reverse("emulation:sheet_detail", args=[sheets.sheet_b.pk])):
        assert c.get(url).status_code == 404, url
    # a draft is nobody's line yet
    ranking.ranking_compute(actor=w.province_secretary, rubric=sheets.emu.rubric)
    page = c.get(reverse("emulation:unit_results", args=[w.district_a.pk])).content.decode()
    assert page.count("own-line-") == 1
    # the province reads every unit's results
    p = _client(w.province_secretary)
    assert p.get(reverse("emulation:unit_results", args=[w.district_b.pk])).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "district_b_cadre", "branch_secretary"])
def test_emu4_results_page_is_a_404_for_outsiders(sheets: SheetWorld, who: str) -> None:
    w = sheets.emu.world
    c = _client(getattr(w, who))
    assert c.get(reverse("emulation:unit_results", args=[w.district_a.pk])).status_code == 404
    assert c.get(reverse("emulation:unit_results", args=[999999])).status_code == 404
