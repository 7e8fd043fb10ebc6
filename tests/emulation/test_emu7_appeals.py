"""EMU-7: appeals. An eligible unit appeals a criterion's score within the window of the
issuing unit's policy; a unit that missed its inspection documents may not (and is told why);
the decider did not give the disputed score (the line's `by` or the audit); accepting adds an
adjustment "theo kết quả giải quyết khiếu nại" and publishes a new snapshot while the appealed
one stays and still reproduces; refusing keeps the scores. Bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from doanvu.audit.context import acting
from doanvu.audit.models import AuditRecord
from doanvu.common.dates import today
from doanvu.emulation import ranking, results
from doanvu.emulation.models import (
    Appeal,
    AppealState,
    LineSource,
    RankingEntry,
    RankingSnapshot,
    ScoreLine,
    SnapshotState,
)
from doanvu.emulation.permissions import EmulationScopeError
from doanvu.inspections import services as ins_services
from tests.emulation.conftest import Published, criterion
from tests.inspections.conftest import ins  # noqa: F401 - the inspection fixture

D = dt.date


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def _file(p: Published, code: str = "2.1", **kw: object) -> Appeal:
    sw = p.sw
    return results.appeal_file(actor=sw.emu.world.district_a_cadre, snapshot=p.snapshot,
                               unit=sw.emu.world.district_a, criterion=criterion(sw.emu, code),
                               reason=kw.pop("reason", "Đã hoàn thành 6 công trình"),  # type: ignore[arg-type]
                               evidence="Biên bản nghiệm thu", **kw)  # type: ignore[arg-type]


def test_emu7_accepting_changes_the_score_and_publishes_a_new_snapshot(
        published: Published) -> None:
    sw, first = published.sw, published.snapshot
    assert isinstance(first, RankingSnapshot)
    before = ranking.stored_rows(first)
    appeal = _file(published)
    assert appeal.state == AppealState.PENDING and appeal.filed_on == today()
    decided = results.appeal_decide(actor=published.approver, appeal=appeal, accept=True,
                                    decision="Bổ sung 1 công trình đã nghiệm thu", delta="-1")
    line = decided.line
    assert line is not None and line.source == LineSource.ADJUSTMENT
    assert line.points == Decimal("-1") and line.by_id == published.approver.pk
    assert line.reason.startswith("Theo kết quả giải quyết khiếu nại")
    fresh = decided.result
    assert fresh is not None and fresh.pk != first.pk and fresh.state == SnapshotState.PUBLISHED
    first.refresh_from_db()
    # the appealed snapshot stays published, superseded, unchanged — and still reproduces
    assert first.state == SnapshotState.PUBLISHED and first.superseded_by_id == fresh.pk
    assert ranking.stored_rows(first) == before
    assert ranking.snapshot_reproduces(first) and ranking.snapshot_reproduces(fresh)
    a_before = next(r for r in before if r.unit_id == sw.emu.world.district_a.pk)
    a_after = RankingEntry.objects.get(snapshot=fresh, unit=sw.emu.world.district_a)
    assert a_after.total == a_before.total - 1
    assert AuditRecord.objects.filter(model="emulation.appeal",
                                      object_pk=str(appeal.pk)).count() >= 2
    assert AuditRecord.objects.filter(model="emulation.scoreline", object_pk=str(line.pk),
                                      reason__startswith="Theo kết quả giải quyết").exists()


def test_emu7_refusing_keeps_the_scores(published: Published) -> None:
    appeal = _file(published)
    lines = ScoreLine.objects.count()
    decided = results.appeal_decide(actor=published.approver, appeal=appeal, accept=False,
                                    decision="Minh chứng không đủ")
    assert decided.state == AppealState.REFUSED and decided.line is None
    assert ScoreLine.objects.count() == lines
    assert RankingSnapshot.objects.filter(rubric=published.sw.emu.rubric).count() == 1
    with pytest.raises(results.ResultError, match="đã được giải quyết"):
        results.appeal_decide(actor=published.approver, appeal=appeal, accept=True,
                              decision="x", delta="1")


def test_emu7_out_of_the_window_is_refused_with_the_dates(published: Published) -> None:
    late = today() + dt.timedelta(days=16)
    with pytest.raises(results.ResultError, match="Đã hết thời hạn khiếu nại"):
        _file(published, on=late)
    assert not Appeal.objects.exists()
    # the last day of the window is still in it
    assert _file(published, on=today() + dt.timedelta(days=15)).pk


def test_emu7_without_a_policy_there_is_no_window(published: Published) -> None:
    from doanvu.emulation.models import EmulationPolicy

    EmulationPolicy.objects.all().delete()
    with pytest.raises(results.ResultError, match="chưa quy định thời hạn khiếu nại"):
        _file(published)
    assert not Appeal.objects.exists()


def test_emu7_a_unit_that_missed_its_documents_may_not_appeal(
        published: Published, ins: object, settings: object,  # noqa: F811
        tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    w = published.sw.emu.world
    session = ins_services.session_create(actor=None, team=ins.team1,  # type: ignore[attr-defined]
                                          unit=w.district_a, on=D(2020, 11, 10),
                                          half="sang").session
    assert ins_services.documents_missed_mark(on=D(2020, 11, 8))[0].pk == session.pk
    check = results.eligibility(snapshot=published.snapshot, unit=w.district_a)  # type: ignore[arg-type]
    assert not check.ok and "không gửi đủ tài liệu kiểm tra" in check.reasons[0]
    with pytest.raises(results.ResultError, match="không được quyền khiếu nại"):
        _file(published)
    assert not Appeal.objects.exists()
    # the unit's results page says why, and offers no appeal
    page = _client(w.district_a_cadre).get(reverse("emulation:unit_results",
                                                   args=[w.district_a.pk])).content.decode()
    assert "appeal-ineligible" in page and "không được quyền khiếu nại" in page
    assert "appeal-create" not in page
    r = _client(w.district_a_cadre).post(
        reverse("emulation:appeal_create", args=[published.snapshot.pk, w.district_a.pk]),  # type: ignore[attr-defined]
        {"criterion": str(criterion(published.sw.emu, "2.1").pk), "reason": "x"})
    assert r.status_code == 200 and "không được quyền khiếu nại" in r.content.decode()
    assert not Appeal.objects.exists()
    # the other district is eligible
    assert results.eligibility(snapshot=published.snapshot, unit=w.district_b).ok  # type: ignore[arg-type]


def test_emu7_the_one_who_gave_the_score_may_not_decide(published: Published) -> None:
    sw = published.sw
    line = ScoreLine.objects.get(sheet=sw.sheet_a, criterion=criterion(sw.emu, "1.1"),
                                 source=LineSource.DEPARTMENT)
    line.by = published.approver
    line.save(update_fields=["by"])
    appeal = _file(published, code="1.1")
    with pytest.raises(results.ResultError, match="Bạn đã chấm điểm tiêu chí 1.1"):
        results.appeal_decide(actor=published.approver, appeal=appeal, accept=True,
                              decision="Chấp nhận", delta="0.5")
    appeal.refresh_from_db()
    assert appeal.is_pending and appeal.line is None
    # the audit counts too: a user recorded on the line, though `by` names someone else
    line.by = None
    with acting(sw.emu.world.province_secretary):
        line.save(update_fields=["by"])
    with pytest.raises(results.ResultError, match="Bạn đã chấm điểm"):
        results.appeal_decide(actor=sw.emu.world.province_secretary, appeal=appeal,
                              accept=False, decision="Giữ nguyên")
    # someone else decides
    done = results.appeal_decide(actor=published.approver, appeal=appeal, accept=False,
                                 decision="Giữ nguyên")
    assert done.state == AppealState.REFUSED


def test_emu7_bad_input_changes_nothing(published: Published) -> None:
    sw = published.sw
    w = sw.emu.world
    with pytest.raises(results.ResultError, match="lý do khiếu nại"):
        _file(published, reason="  ")
    with pytest.raises(EmulationScopeError):
        results.appeal_file(actor=w.district_b_cadre, snapshot=published.snapshot,  # type: ignore[arg-type]
                            unit=w.district_a, criterion=criterion(sw.emu, "2.1"), reason="x")
    assert not Appeal.objects.exists()
    appeal = _file(published)
    with pytest.raises(results.ResultError, match="đang chờ giải quyết"):
        _file(published)
    # an adjustment that takes the criterion below 0 is refused, nothing written
    lines = ScoreLine.objects.count()
    with pytest.raises(results.ResultError, match="Tiêu chí 2.1"):
        results.appeal_decide(actor=published.approver, appeal=appeal, accept=True,
                              decision="Chấp nhận", delta="-50")
    with pytest.raises(results.ResultError, match="không phải là một số"):
        results.appeal_decide(actor=published.approver, appeal=appeal, accept=True,
                              decision="Chấp nhận", delta="abc")
    with pytest.raises(EmulationScopeError):
        results.appeal_decide(actor=w.district_a_cadre, appeal=appeal, accept=False,
                              decision="x")
    appeal.refresh_from_db()
    assert appeal.is_pending and ScoreLine.objects.count() == lines
    assert RankingSnapshot.objects.filter(rubric=sw.emu.rubric).count() == 1
    with pytest.raises(results.ResultError, match="từ 1 đến 365"):
        results.policy_set(actor=w.province_secretary, issuing_unit=w.province, year=2020,
                           appeal_days=0)


def test_emu7_pages_file_decide_and_show_the_decision(published: Published, settings: object,
                                                       tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    sw = published.sw
    w = sw.emu.world
    snap = published.snapshot
    unit_c = _client(w.district_a_cadre)
    page = unit_c.get(reverse("emulation:unit_results", args=[w.district_a.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "appeal-create" in text
    # the unit reads its own line, not the other district's, nor the table
    assert "Huyện đoàn Tân Biên" not in text
    assert 'href="' + reverse("emulation:snapshot_detail", args=[snap.pk]) + '"' not in text  # type: ignore[attr-defined]
    assert _client(w.district_a_cadre).get(reverse(
        "emulation:snapshot_detail", args=[snap.pk])).status_code == 404  # type: ignore[attr-defined]
    url = reverse("emulation:appeal_create", args=[snap.pk, w.district_a.pk])  # type: ignore[attr-defined]
    assert unit_c.get(url).status_code == 200
    r = unit_c.post(url, {"criterion": str(criterion(sw.emu, "2.1").pk),
                          "reason": "Đã hoàn thành 6 công trình", "evidence": "Biên bản",
                          "evidence_file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 x",
                                                              "application/pdf")})
    appeal = Appeal.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("emulation:appeal_detail",
                                                             args=[appeal.pk])
    assert unit_c.get(reverse("emulation:appeal_evidence", args=[appeal.pk])).status_code == 200
    other = _file(published, code="1.2")
    decider = _client(published.approver)
    detail = decider.get(reverse("emulation:appeal_detail", args=[appeal.pk])).content.decode()
    assert "appeal-decide" in detail
    # the unit may not decide its own appeal
    assert unit_c.post(reverse("emulation:appeal_decide", args=[appeal.pk]),
                       {"accept": "0", "decision": "x"}).status_code == 404
    decider.post(reverse("emulation:appeal_decide", args=[appeal.pk]),
                 {"accept": "1", "delta": "-1", "decision": "Chỉ 5 công trình có biên bản"})
    appeal.refresh_from_db()
    assert appeal.state == AppealState.ACCEPTED
    shown = unit_c.get(reverse("emulation:appeal_detail", args=[appeal.pk])).content.decode()
    assert "Chỉ 5 công trình có biên bản" in shown and "appeal-decide" not in shown
    # a bad decision through the page: a message, nothing changed
    decider.post(reverse("emulation:appeal_decide", args=[other.pk]),
                 {"accept": "1", "delta": "", "decision": "Chấp nhận"})
    other.refresh_from_db()
    assert other.is_pending


@pytest.mark.parametrize("who", ["outsider", "district_b_cadre", "branch_secretary"])
def test_emu7_every_appeal_page_is_a_404_for_outsiders(published: Published, who: str,
                                                        settings: object,
                                                        tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    w = published.sw.emu.world
    appeal = _file(published, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x",
                                                        "application/pdf"))
    c = _client(getattr(w, who))
    snap = published.snapshot
    for url in [reverse("emulation:unit_results", args=[w.district_a.pk]),
                reverse("emulation:appeal_create", args=[snap.pk, w.district_a.pk]),  # type: ignore[attr-defined]
                reverse("emulation:appeal_detail", args=[appeal.pk]),
                reverse("emulation:appeal_evidence", args=[appeal.pk])]:
        assert c.get(url).status_code == 404, url
    assert c.post(reverse("emulation:appeal_create", args=[snap.pk, w.district_a.pk]),  # type: ignore[attr-defined]
                  {"reason": "x"}).status_code == 404
    assert c.post(reverse("emulation:appeal_decide", args=[appeal.pk]),
                  {"accept": "1", "delta": "1", "decision": "x"}).status_code == 404
    assert c.post(reverse("emulation:policy_set", args=[published.sw.emu.rubric.pk]),
                  {"appeal_days": "99"}).status_code == 404
    appeal.refresh_from_db()
    assert appeal.is_pending and Appeal.objects.count() == 1
    assert results.policy_for(published.sw.emu.rubric).appeal_days == 15  # type: ignore[union-attr]
