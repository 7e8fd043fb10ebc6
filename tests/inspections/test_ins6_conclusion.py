"""INS-6: the secretary records the session along the agenda as a draft; the head issues the
conclusion as a numbered document, then it is frozen; only the team's secretary/head and the
issuing unit write; the inspected unit reads the issued conclusion; audited. INS-8: tasks
tracked to done by their department, limitations marked remedied by the supervising one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.audit.models import AuditRecord
from doanvu.common.errors import ApplicationError
from doanvu.documents.models import Document
from doanvu.inspections import conclusions
from doanvu.inspections.models import (
    AgendaNote,
    Conclusion,
    Direction,
    Limitation,
    SessionStatus,
)
from tests.conftest import login
from tests.inspections.conclusion_world import Concl, concl, draft, issue

__all__ = ["concl"]
D = dt.date


def test_ins6_agenda_comes_from_the_round_procedure(concl: Concl) -> None:
    headings = conclusions.agenda_headings(concl.session)
    assert headings == ["Giới thiệu thành phần.", "Thành viên đoàn đặt vấn đề."]


def test_ins6_secretary_records_draft_along_the_agenda_from_the_page(concl: Concl) -> None:
    client = login(concl.secretary_user)
    url = reverse("inspections:conclusion_edit", args=[concl.session.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "note_1": "Đủ thành phần.", "note_2": "Hỏi về sổ sách.",
        "strengths": "Năng động.", "limitations": "Sổ sách chưa cập nhật.\n\nThiếu sinh hoạt.",
        "dir_text_1": "Cập nhật sổ sách.", "dir_dept_1": concl.ins.world.tckt.pk,
        "adj_code_1": "1.1", "adj_points_1": "-1,5", "adj_reason_1": "Thiếu biên bản",
        "model_title_1": "Ngày thứ Bảy tình nguyện", "model_field_1": "Tình nguyện"})
    assert response.status_code == 302, response.content.decode()[:3000]
    c = Conclusion.objects.get(session=concl.session)
    assert c.state == "nhap" and c.strengths == "Năng động."
    assert [n.text for n in AgendaNote.objects.filter(conclusion=c)] == ["Đủ thành phần.",
                                                                          "Hỏi về sổ sách."]
    assert [x.text for x in c.limitations.all()] == ["Sổ sách chưa cập nhật.", "Thiếu sinh hoạt."]
    assert str(c.adjustments.get().points) == "-1.50"
    assert c.directions.get().department == concl.ins.world.tckt
    assert c.good_models.get().folded.startswith("ngay thu bay tinh nguyen")
    page = client.get(reverse("inspections:conclusion_detail", args=[concl.session.pk]))
    assert "Sổ sách chưa cập nhật." in page.content.decode()


def test_ins6_head_issues_a_numbered_document_then_it_is_frozen(concl: Concl) -> None:
    c = draft(concl)
    client = login(concl.ins.head_user)
    response = client.post(reverse("inspections:conclusion_issue", args=[concl.session.pk]),
                           {"signer_title": "TRƯỞNG ĐOÀN", "signer_name": "Trần Lê Duy",
                            "issued_on": "12/11/2020"})
    assert response.status_code == 302, response.content.decode()[-4000:]
    c.refresh_from_db()
    assert c.state == "ban_hanh" and c.document is not None
    doc = c.document
    assert doc.doc_type.code == "ket_luan" and doc.status != "nhap" and doc.number
    assert doc.issuing_unit == concl.ins.world.province
    assert "KL" in doc.symbol
    assert AuditRecord.objects.filter(model="inspections.conclusion",
                                      object_pk=str(c.pk)).count() >= 2
    with pytest.raises(ApplicationError, match="đã ban hành"):
        draft(concl)
    with pytest.raises(ApplicationError, match="đã được ban hành"):
        issue(concl, c)
    edit = login(concl.secretary_user).get(
        reverse("inspections:conclusion_edit", args=[concl.session.pk]))
    assert edit.status_code == 302
    assert Document.objects.filter(doc_type__code="ket_luan").count() == 1


def test_ins6_only_secretary_head_or_issuer_write_the_unit_reads_once_issued(
        concl: Concl) -> None:
    w = concl.ins.world
    edit = reverse("inspections:conclusion_edit", args=[concl.session.pk])
    detail = reverse("inspections:conclusion_detail", args=[concl.session.pk])
    for user in (concl.member_user, w.district_a_cadre):
        assert login(user).get(edit).status_code == 404
        assert login(user).post(edit, {"strengths": "x"}).status_code == 404
        with pytest.raises(ApplicationError):
            conclusions.conclusion_save(actor=user, session=concl.session, strengths="x")
    assert login(w.province_secretary).get(edit).status_code == 200
    assert not Conclusion.objects.exists()
    c = draft(concl)
    # the secretary may not issue; the inspected unit does not read the draft
    with pytest.raises(ApplicationError):
        conclusions.conclusion_issue(actor=concl.secretary_user, conclusion=c,
                                     signer_title="X", signer_name="Y")
    assert login(w.district_a_cadre).get(detail).status_code == 404
    assert login(concl.member_user).get(detail).status_code == 200
    issue(concl, c)
    page = login(w.district_a_cadre).get(detail)
    assert page.status_code == 200 and "Sổ sách đoàn vụ" in page.content.decode()
    doc = Conclusion.objects.get().document
    assert login(w.district_a_cadre).get(
        reverse("documents:detail", args=[doc.pk])).status_code == 200


def test_ins6_no_record_for_a_session_not_inspected(concl: Concl) -> None:
    Conclusion.objects.all().delete()
    concl.session.status = SessionStatus.NOT_INSPECTED
    concl.session.save(update_fields=["status"])
    with pytest.raises(ApplicationError, match="không được kiểm tra năm nay"):
        draft(concl)
    assert not Conclusion.objects.exists()


def test_ins6_bad_items_are_refused_naming_the_line(concl: Concl) -> None:
    cases = [
        ({"directions": [conclusions.DirectionInput("Việc", None)]}, "ban theo dõi"),
        ({"directions": [conclusions.DirectionInput("Việc", concl.office)],
          "adjustments": [conclusions.AdjustmentInput("1.1", "abc", "x")]}, "không phải là một số"),
        ({"adjustments": [conclusions.AdjustmentInput("1.1", "0", "x")]}, "khác 0"),
        ({"adjustments": [conclusions.AdjustmentInput("1.1", "-1", "")]}, "lý do"),
        ({"adjustments": [conclusions.AdjustmentInput("", "-1", "x")]}, "mã tiêu chí"),
        ({"adjustments": [conclusions.AdjustmentInput("9.9", "-1", "x")]},
         "không có tiêu chí mã “9.9”"),
        ({"adjustments": [conclusions.AdjustmentInput("1.1", "-7", "x")]},
         "vượt quá điểm tối đa 6"),
        ({"models": [conclusions.ModelInput("")]}, "tên mô hình"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ApplicationError, match=message):
            draft(concl, **kwargs)
    assert not Conclusion.objects.exists()
    other = concl.ins.world.district_b
    from doanvu.org.models import Department, DepartmentCategory

    foreign = Department.objects.create(unit=other, name="Ban khác",
                                        category=DepartmentCategory.DEPARTMENT)
    with pytest.raises(ApplicationError, match="không phải một ban"):
        draft(concl, directions=[conclusions.DirectionInput("Việc", foreign)])


def test_ins8_department_tracks_its_tasks_to_done(concl: Concl) -> None:
    c = draft(concl)
    direction = Direction.objects.get(conclusion=c)
    # before issue: nothing to follow
    with pytest.raises(ApplicationError, match="chưa ban hành"):
        conclusions.direction_mark(actor=concl.tckt_cadre, direction=direction, done=True)
    issue(concl, c)
    listing = reverse("inspections:department_directions", args=[concl.ins.world.tckt.pk])
    page = login(concl.tckt_cadre).get(listing)
    assert page.status_code == 200 and "Hoàn thiện sổ sách đoàn vụ" in page.content.decode()
    # another department does not mark it
    with pytest.raises(ApplicationError):
        conclusions.direction_mark(actor=concl.office_cadre, direction=direction, done=True)
    assert login(concl.office_cadre).post(
        reverse("inspections:direction_mark", args=[direction.pk]),
        {"done": "1", "on": "20/01/2021", "note": "x"}).status_code == 404
    response = login(concl.tckt_cadre).post(
        reverse("inspections:direction_mark", args=[direction.pk]),
        {"done": "1", "on": "20/01/2021", "note": "Đã kiểm tra sổ sách", "next": listing})
    assert response.status_code == 302 and response["Location"] == listing
    direction.refresh_from_db()
    assert direction.done_on == D(2021, 1, 20) and direction.done_by == concl.tckt_cadre
    assert "Đã hoàn thành (20/01/2021)" in login(concl.tckt_cadre).get(listing).content.decode()
    assert "Hoàn thiện" not in login(concl.tckt_cadre).get(listing + "?con=1").content.decode()
    with pytest.raises(ApplicationError, match="trước buổi kiểm tra"):
        conclusions.direction_mark(actor=concl.tckt_cadre, direction=direction, done=True,
                                   on=D(2020, 1, 1))
    conclusions.direction_mark(actor=concl.tckt_cadre, direction=direction, done=False)
    direction.refresh_from_db()
    assert direction.done_on is None


def test_ins8_supervising_department_marks_a_limitation_remedied(concl: Concl) -> None:
    c = draft(concl)
    issue(concl, c)
    limitation = Limitation.objects.filter(conclusion=c).first()
    assert limitation is not None
    url = reverse("inspections:limitation_remedied", args=[limitation.pk])
    # not the supervising department, nor the unit itself
    for user in (concl.office_cadre, concl.ins.world.district_a_cadre):
        assert login(user).post(url, {"note": "x"}).status_code == 404
    with pytest.raises(ApplicationError, match="minh chứng"):
        conclusions.limitation_remedied(actor=concl.tckt_cadre, limitation=limitation, note=" ")
    assert login(concl.tckt_cadre).post(url, {"on": "15/03/2021",
                                              "note": "Sổ sách đã cập nhật"}).status_code == 302
    limitation.refresh_from_db()
    assert limitation.remedied_on == D(2021, 3, 15)
    assert limitation.remedied_note == "Sổ sách đã cập nhật"
    with pytest.raises(ApplicationError, match="đã được ghi nhận"):
        conclusions.limitation_remedied(actor=concl.tckt_cadre, limitation=limitation,
                                        note="lại")


def test_ins6_session_page_links_the_conclusion_to_those_who_read_it(concl: Concl) -> None:
    url = reverse("inspections:session_detail", args=[concl.session.pk])
    link = reverse("inspections:conclusion_detail", args=[concl.session.pk])
    unit = login(concl.ins.world.district_a_cadre)
    assert link not in unit.get(url).content.decode()
    assert link in login(concl.secretary_user).get(url).content.decode()
    issue(concl, draft(concl))
    assert link in unit.get(url).content.decode()


def test_ins7_an_issued_conclusion_records_the_session_held(concl: Concl) -> None:
    """A conclusion says the session took place: the reflections and the unit's compilation
    owed after it (INS-7) follow without a separate "held" step."""
    from doanvu.hub.models import Obligation
    from doanvu.inspections import followup

    session = concl.session
    assert session.held_on is None
    issue(concl, draft(concl))
    session.refresh_from_db()
    assert session.held_on == session.date
    assert Obligation.objects.filter(kind=followup.REFLECTION_KIND,
                                     key__contains=f":{session.pk}:").exists()
