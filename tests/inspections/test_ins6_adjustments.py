"""INS-6 → EMU-2/EMU-10: on issuing the conclusion each adjustment becomes an inspection
adjustment line of the unit's sheet of that year, with its reason and a link back to the
conclusion; a wrong code, points above the maximum, a locked sheet or no sheet refuse the issue
with a clear message and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doanvu.common.errors import ApplicationError
from doanvu.documents.models import Document
from doanvu.emulation import scoring
from doanvu.emulation import sheets as sheet_services
from doanvu.emulation.models import ScoreLine, ScoreSheet
from doanvu.inspections import conclusions
from doanvu.inspections.models import Conclusion, ScoreAdjustment
from tests.conftest import login
from tests.inspections.conclusion_world import Concl, concl, criterion, draft, issue

__all__ = ["concl"]


def _nothing_written(c: Concl, conclusion: Conclusion, version: int) -> None:
    conclusion.refresh_from_db()
    assert conclusion.state == "nhap" and conclusion.document_id is None
    assert not Document.objects.filter(doc_type__code="ket_luan").exists()
    assert not ScoreLine.objects.filter(source="dieu_chinh").exists()
    assert ScoreSheet.objects.get(pk=c.sheet_a.pk).version == version


def test_ins6_adjustments_flow_into_the_sheet_with_a_link_back(concl: Concl) -> None:
    c = draft(concl, adjustments=[
        conclusions.AdjustmentInput("1.1", "-2", "Thiếu biên bản học tập nghị quyết"),
        conclusions.AdjustmentInput("2.2", "1,5", "Tỷ lệ tập hợp cao hơn báo cáo")])
    assert not ScoreLine.objects.filter(source="dieu_chinh").exists()  # a draft writes none
    document = issue(concl, c)
    lines = list(ScoreLine.objects.filter(sheet=concl.sheet_a, source="dieu_chinh")
                 .order_by("criterion__code"))
    assert [(ln.criterion.code, str(ln.points)) for ln in lines] == [("1.1", "-2.00"),
                                                                     ("2.2", "1.50")]
    assert lines[0].reason == "Thiếu biên bản học tập nghị quyết"
    assert lines[0].inspection_item == ScoreAdjustment.objects.get(criterion_code="1.1")
    assert lines[0].by == concl.ins.head_user
    sheet = ScoreSheet.objects.get(pk=concl.sheet_a.pk)
    assert sheet.state == "da_kiem_tra"
    result = scoring.sheet_result(sheet)
    assert result.result.criterion_points["1.1"] == 3
    origins = [o for o in result.origins if o.source == "dieu_chinh"]
    assert {o.link for o in origins} == {
        reverse("inspections:conclusion_detail", args=[concl.session.pk])}
    assert all(document.symbol in o.link_label for o in origins)  # type: ignore[attr-defined]
    # the unit sees each point's origin and the conclusion it came from (EMU-10)
    page = login(concl.ins.world.district_a_cadre).get(
        reverse("emulation:sheet_detail", args=[sheet.pk])).content.decode()
    assert "Thiếu biên bản học tập nghị quyết" in page
    assert reverse("inspections:conclusion_detail", args=[concl.session.pk]) in page
    # the other district's sheet is untouched
    assert not ScoreLine.objects.filter(sheet=concl.sheet_b, source="dieu_chinh").exists()


def test_ins6_issue_refused_when_the_sheet_is_locked(concl: Concl) -> None:
    c = draft(concl)
    sheet_services.sheet_submit(actor=None, sheet=concl.sheet_a)
    sheet_services.sheet_finalise(actor=None, sheet=concl.sheet_a)
    version = ScoreSheet.objects.get(pk=concl.sheet_a.pk).version
    with pytest.raises(ApplicationError, match="đã chính thức và đã khóa"):
        issue(concl, c)
    _nothing_written(concl, c, version)
    page = login(concl.ins.head_user).post(
        reverse("inspections:conclusion_issue", args=[concl.session.pk]),
        {"signer_title": "TRƯỞNG ĐOÀN", "signer_name": "Trần Lê Duy"})
    assert page.status_code == 400 and "đã chính thức và đã khóa" in page.content.decode()
    _nothing_written(concl, c, version)


def test_ins6_issue_refused_for_a_code_the_rubric_changed_or_no_sheet(concl: Concl) -> None:
    c = draft(concl)
    version = ScoreSheet.objects.get(pk=concl.sheet_a.pk).version
    # the stored item names a criterion the rubric does not have (written around the check)
    ScoreAdjustment.objects.filter(conclusion=c).update(criterion_code="7.7")
    with pytest.raises(ApplicationError, match="không có tiêu chí mã “7.7”"):
        issue(concl, c)
    _nothing_written(concl, c, version)
    ScoreAdjustment.objects.filter(conclusion=c).update(criterion_code="1.1", points="-9")
    with pytest.raises(ApplicationError, match="vượt quá điểm tối đa"):
        issue(concl, c)
    _nothing_written(concl, c, version)
    # an adjustment that takes the score below 0 (1.2 unscored: 0 - 1)
    ScoreAdjustment.objects.filter(conclusion=c).update(criterion_code="1.2", points="-1")
    with pytest.raises(ApplicationError):
        issue(concl, c)
    _nothing_written(concl, c, version)
    ScoreSheet.objects.filter(pk=concl.sheet_a.pk).delete()
    ScoreAdjustment.objects.filter(conclusion=c).update(criterion_code="1.1", points="-1")
    with pytest.raises(ApplicationError, match="Chưa có phiếu chấm điểm thi đua năm 2020"):
        issue(concl, c)
    c.refresh_from_db()
    assert c.state == "nhap" and not Document.objects.filter(doc_type__code="ket_luan").exists()


def test_ins6_a_conclusion_without_adjustments_needs_no_sheet(concl: Concl) -> None:
    c = draft(concl, session=concl.session_2019, actor=concl.ins.head_user, adjustments=[],
              directions=[])
    document = issue(concl, c)
    assert document.symbol  # type: ignore[attr-defined]
    assert not ScoreLine.objects.filter(source="dieu_chinh").exists()
    assert criterion(concl.rubric, "1.1").code == "1.1"
