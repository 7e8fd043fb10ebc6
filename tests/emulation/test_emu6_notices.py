"""EMU-6: the per-unit notice of remarks, evaluation, classification and ranking, generated as a
numbered Thông báo of the issuing unit for every unit of a published snapshot in one audited
action, addressed to the unit; the city-wide table as .xlsx and PDF. Outsiders get a 404 on the
action, the exports and the documents."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from doanvu.audit.models import AuditRecord
from doanvu.common.dates import today
from doanvu.documents.models import Document, DocumentStatus
from doanvu.emulation import ranking, results
from doanvu.emulation.models import RankingEntry, ResultNotice
from doanvu.emulation.permissions import EmulationScopeError
from tests.emulation.conftest import Published


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_emu6_notices_for_every_unit_in_one_action(published: Published) -> None:
    w = published.sw.emu.world
    snap = published.snapshot
    made = results.notices_issue(actor=w.province_secretary, snapshot=snap,  # type: ignore[arg-type]
                                 signer_title="BÍ THƯ", signer_name="Hoàng Thị Thanh Thúy")
    assert {n.unit_id for n in made} == {w.district_a.pk, w.district_b.pk}
    numbers = sorted(n.document.number for n in made)
    assert numbers == [numbers[0], numbers[0] + 1]
    a = next(n for n in made if n.unit_id == w.district_a.pk)
    doc = a.document
    assert doc.status == DocumentStatus.ISSUED and doc.issuing_unit_id == w.province.pk
    assert doc.doc_type.code == "thong_bao" and doc.issued_on == today()
    assert [x.unit_id for x in doc.addresses.all()] == [w.district_a.pk]
    entry = RankingEntry.objects.get(snapshot=snap, unit=w.district_a)
    text = str(doc.body)
    assert "Thiếu biên bản" in text and "Mô hình hay" in text  # the remarks of the sheet
    assert entry.tier_name in text and f"Xếp hạng {entry.rank}/2" in text
    assert "15 ngày" in text
    assert AuditRecord.objects.filter(model="emulation.resultnotice").count() == 2
    # once issued, a second run has nothing to do: a message, nothing new
    with pytest.raises(results.ResultError, match="đã có thông báo"):
        results.notices_issue(actor=w.province_secretary, snapshot=snap,  # type: ignore[arg-type]
                              signer_title="BÍ THƯ", signer_name="Hoàng Thị Thanh Thúy")
    assert ResultNotice.objects.count() == 2


def test_emu6_bad_input_issues_nothing(sheets: object, published: Published) -> None:
    w = published.sw.emu.world
    docs = Document.objects.count()
    with pytest.raises(results.ResultError, match="họ tên người ký"):
        results.notices_issue(actor=w.province_secretary, snapshot=published.snapshot,  # type: ignore[arg-type]
                              signer_title="BÍ THƯ", signer_name=" ")
    with pytest.raises(EmulationScopeError):
        results.notices_issue(actor=w.district_a_cadre, snapshot=published.snapshot,  # type: ignore[arg-type]
                              signer_title="BÍ THƯ", signer_name="A")
    draft = ranking.ranking_compute(actor=None, rubric=published.sw.emu.rubric)
    with pytest.raises(results.ResultError, match="đã công bố"):
        results.notices_issue(actor=w.province_secretary, snapshot=draft,
                              signer_title="BÍ THƯ", signer_name="A")
    assert Document.objects.count() == docs and not ResultNotice.objects.exists()


def test_emu6_pages_issue_and_the_unit_reads_its_notice(published: Published) -> None:
    w = published.sw.emu.world
    snap = published.snapshot
    c = _client(w.province_secretary)
    page = c.get(reverse("emulation:snapshot_detail", args=[snap.pk])).content.decode()  # type: ignore[attr-defined]
    assert "notices-issue" in page and "snapshot-pdf" in page
    r = c.post(reverse("emulation:notices_issue", args=[snap.pk]),  # type: ignore[attr-defined]
               {"signer_title": "BÍ THƯ", "signer_name": "Hoàng Thị Thanh Thúy"})
    assert r.status_code == 302 and ResultNotice.objects.count() == 2
    notice = ResultNotice.objects.get(unit=w.district_a)
    unit_c = _client(w.district_a_cadre)
    text = unit_c.get(reverse("emulation:unit_results", args=[w.district_a.pk])).content.decode()
    assert notice.document.symbol in text
    assert unit_c.get(reverse("documents:detail", args=[notice.document.pk])).status_code == 200
    # the other district's notice is not the unit's
    other = ResultNotice.objects.get(unit=w.district_b)
    assert unit_c.get(reverse("documents:detail", args=[other.document.pk])).status_code == 404


def test_emu6_city_table_as_xlsx_and_pdf(published: Published) -> None:
    c = _client(published.sw.emu.world.province_secretary)
    snap = published.snapshot
    xlsx = c.get(reverse("emulation:snapshot_export", args=[snap.pk]))  # type: ignore[attr-defined]
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert {r[1] for r in rows[3:]} == {"Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"}
    pdf = c.get(reverse("emulation:snapshot_pdf", args=[snap.pk]))  # type: ignore[attr-defined]
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.content))
    fonts = {str(f["/BaseFont"]).split("+", 1)[-1]
             for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert all(f.startswith(("Liberation-Serif", "TimesNewRoman", "Tinos")) for f in fonts)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Huyện đoàn Châu Thành" in text and "Huyện đoàn Tân Biên" in text
    # landscape A4
    box = reader.pages[0].mediabox
    assert round(float(box.width) * 25.4 / 72) == 297


@pytest.mark.parametrize("who", ["outsider", "district_a_cadre", "district_b_cadre",
                                 "branch_secretary"])
def test_emu6_outsiders_get_404_on_the_action_exports_and_notices(published: Published,
                                                                   who: str) -> None:
    w = published.sw.emu.world
    snap = published.snapshot
    results.notices_issue(actor=w.province_secretary, snapshot=snap,  # type: ignore[arg-type]
                          signer_title="BÍ THƯ", signer_name="Hoàng Thị Thanh Thúy")
    c = _client(getattr(w, who))
    for name in ("snapshot_export", "snapshot_pdf", "snapshot_detail"):
        assert c.get(reverse(f"emulation:{name}", args=[snap.pk])).status_code == 404, name  # type: ignore[attr-defined]
    assert c.post(reverse("emulation:notices_issue", args=[snap.pk]),  # type: ignore[attr-defined]
                  {"signer_title": "BÍ THƯ", "signer_name": "X"}).status_code == 404
    mine = {"district_a_cadre": w.district_a.pk, "district_b_cadre": w.district_b.pk}.get(who)
    for n in ResultNotice.objects.select_related("document"):
        status = c.get(reverse("documents:detail", args=[n.document.pk])).status_code
        assert status == (200 if n.unit_id == mine else 404), (who, n.unit_id)
    assert ResultNotice.objects.count() == 2

