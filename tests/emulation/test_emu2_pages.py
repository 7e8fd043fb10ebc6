"""EMU-2 pages: a unit's sheet, self-score, evidence, submission; a department's worklist and
scoring form; component import; bonus/penalty and adjustment forms — each open to those it
concerns, and a 404 for everybody else on every page and download (X-3)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doanvu.emulation import sheets as svc
from doanvu.emulation.models import (
    ScoreLine,
    ScoreSheet,
    SheetEntry,
    SheetEvidence,
    SheetState,
)
from tests.conftest import login
from tests.emulation.conftest import DUE, SheetWorld, criterion
from tests.emulation.test_emu8_components import workbook


def _evidence(sheets: SheetWorld) -> SheetEvidence:
    return svc.evidence_add(actor=None, sheet=sheets.sheet_a,
                            upload=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 bao cao"))


def _urls(sheets: SheetWorld) -> list[tuple[str, str]]:
    s, r = sheets.sheet_a, sheets.emu.rubric
    ev = _evidence(sheets)
    return [
        ("GET", reverse("emulation:sheet_list", args=[r.pk])),
        ("POST", reverse("emulation:sheets_open", args=[r.pk])),
        ("GET", reverse("emulation:component_import", args=[r.pk])),
        ("GET", reverse("emulation:sheet_detail", args=[s.pk])),
        ("GET", reverse("emulation:sheet_self_score", args=[s.pk])),
        ("GET", reverse("emulation:evidence_upload", args=[s.pk])),
        ("POST", reverse("emulation:sheet_submit", args=[s.pk])),
        ("POST", reverse("emulation:sheet_finalise", args=[s.pk])),
        ("GET", reverse("emulation:entry_add", args=[s.pk])),
        ("GET", reverse("emulation:adjustment_add", args=[s.pk])),
        ("GET", reverse("emulation:department_score", args=[s.pk, sheets.emu.world.tckt.pk])),
        ("GET", reverse("emulation:department_worklist", args=[sheets.emu.world.tckt.pk])),
        ("GET", reverse("emulation:evidence_download", args=[ev.pk])),
    ]


def _state() -> tuple[object, ...]:
    return (list(ScoreSheet.objects.order_by("pk").values_list()),
            list(ScoreLine.objects.order_by("pk").values_list()),
            list(SheetEntry.objects.order_by("pk").values_list()),
            SheetEvidence.objects.count())


@pytest.mark.parametrize("who", ["outsider", "district_b_cadre", "branch_secretary"])
def test_emu2_every_sheet_page_is_a_404_for_outsiders(sheets: SheetWorld, who: str) -> None:
    client = login(getattr(sheets.emu.world, who))
    urls = _urls(sheets)
    before = _state()
    answers = []
    data = {"reason": "x", "item": "1", "count": "1", "criterion": "1", "delta": "1",
            "title": "x", f"c{criterion(sheets.emu, '1.1').pk}": "6"}
    for method, url in urls:
        get, post = client.get(url).status_code, client.post(url, data).status_code
        answers.append((url, get if method == "GET" else post,
                        post if method == "GET" else get))

    assert [a for a in answers if a[1] != 404 or a[2] not in (404, 405)] == []
    assert _state() == before


def test_emu2_department_pages_are_a_404_for_another_department(sheets: SheetWorld) -> None:
    client = login(sheets.office_scorer)  # Văn phòng's scorer
    tckt = sheets.emu.world.tckt.pk

    assert client.get(reverse("emulation:department_worklist", args=[tckt])).status_code == 404
    assert client.post(reverse("emulation:department_score",
                               args=[sheets.sheet_a.pk, tckt]),
                       {f"c{criterion(sheets.emu, '1.1').pk}": "3"}).status_code == 404
    assert not ScoreLine.objects.exists()


def test_emu2_unit_self_scores_uploads_and_submits_through_the_pages(
        sheets: SheetWorld) -> None:
    emu, sheet = sheets.emu, sheets.sheet_a
    client = login(emu.world.district_a_cadre)
    c11, c21 = criterion(emu, "1.1"), criterion(emu, "2.1")
    url = reverse("emulation:sheet_self_score", args=[sheet.pk])

    bad = client.post(url, {f"c{c11.pk}": "9", f"c{c21.pk}": "2"})
    assert bad.status_code == 200
    assert "Tiêu chí 1.1 (Học tập nghị quyết): 9 điểm vượt quá điểm tối đa 6,00." in \
        bad.content.decode()
    assert not ScoreLine.objects.exists()

    assert client.post(url, {f"c{c11.pk}": "5,5", f"c{c21.pk}": "2"}).status_code == 302
    up = client.post(reverse("emulation:evidence_upload", args=[sheet.pk]),
                     {"criterion": str(c11.pk),
                      "file": SimpleUploadedFile("kh.pdf", b"%PDF-1.4 kh")})
    assert up.status_code == 302
    assert client.post(reverse("emulation:sheet_submit", args=[sheet.pk])).status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SUBMITTED

    # after submission: no reason, no change
    again = client.post(url, {f"c{c11.pk}": "6"})
    assert "Phiếu đã nộp: mỗi thay đổi điểm cần ghi lý do." in again.content.decode()
    ev = SheetEvidence.objects.get()
    download = client.get(reverse("emulation:evidence_download", args=[ev.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 kh"


def test_emu2_department_worklist_shows_units_criteria_and_due_dates(
        sheets: SheetWorld) -> None:
    client = login(sheets.tckt_scorer)
    tckt = sheets.emu.world.tckt

    mine = client.get(reverse("emulation:my_worklists")).content.decode()
    page = client.get(reverse("emulation:department_worklist", args=[tckt.pk]))
    form = client.post(reverse("emulation:department_score", args=[sheets.sheet_b.pk, tckt.pk]),
                       {f"c{criterion(sheets.emu, '1.1').pk}": "4"})

    assert tckt.name in mine
    body = page.content.decode()
    assert page.status_code == 200
    assert "Huyện đoàn Châu Thành" in body and "Huyện đoàn Tân Biên" in body
    assert f"hạn {DUE:%d/%m/%Y}" in body and "1.1. Học tập nghị quyết" in body
    assert "2.1" not in body  # Văn phòng's criterion is not on this list
    assert form.status_code == 302
    assert ScoreLine.objects.get().by_id == sheets.tckt_scorer.pk


def test_emu2_component_import_entry_and_adjustment_pages(sheets: SheetWorld) -> None:
    emu, sheet = sheets.emu, sheets.sheet_a
    client = login(emu.world.province_secretary)

    bad = client.post(reverse("emulation:component_import", args=[emu.rubric.pk]), {
        "title": "Nhà Thiếu nhi", "file": SimpleUploadedFile(
            "ntn.xlsx", workbook([["Quận Không Có", "2.2", 10]]))})
    good = client.post(reverse("emulation:component_import", args=[emu.rubric.pk]), {
        "title": "Nhà Thiếu nhi", "file": SimpleUploadedFile(
            "ntn.xlsx", workbook([[sheet.unit.name, "2.2", 10]]))})
    item = emu.rubric.items.get(code="T1")
    no_reason = client.post(reverse("emulation:entry_add", args=[sheet.pk]),
                            {"item": item.pk, "count": "1", "reason": ""})
    entry = client.post(reverse("emulation:entry_add", args=[sheet.pk]),
                        {"item": item.pk, "count": "1", "reason": "Mô hình hay"})
    adjust = client.post(reverse("emulation:adjustment_add", args=[sheet.pk]),
                         {"criterion": criterion(emu, "2.2").pk, "delta": "-0,4",
                          "reason": "Số liệu chưa khớp"})

    assert bad.status_code == 400
    assert "Dòng 2, cột A (Đơn vị)" in bad.content.decode()
    assert good.status_code == 302
    assert no_reason.status_code == 200 and "has-error" in no_reason.content.decode()
    assert SheetEntry.objects.count() == 1  # only the one with a reason
    assert entry.status_code == 302
    assert adjust.status_code == 302
    page = client.get(reverse("emulation:sheet_detail", args=[sheet.pk])).content.decode()
    assert "Số liệu chưa khớp" in page and "Mô hình hay" in page and "Nhà Thiếu nhi" in page


def test_emu2_evidence_of_a_refused_type_is_refused_on_the_page(sheets: SheetWorld) -> None:
    client = login(sheets.emu.world.district_a_cadre)
    answer = client.post(reverse("emulation:evidence_upload", args=[sheets.sheet_a.pk]),
                         {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert answer.status_code == 413
    assert "x.exe" in answer.content.decode()
    assert SheetEvidence.objects.count() == 0
