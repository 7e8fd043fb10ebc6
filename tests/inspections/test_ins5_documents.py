"""INS-5 / EMU-5: the inspected unit delivers its documents to the team through a hub obligation
due the policy's lead time before the slot; the team reads them online; a unit that misses
the deadline is marked not inspected this year, with the reason shown, and may not appeal."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from doanvu.audit.models import AuditRecord
from doanvu.hub.models import Obligation, ObligationStatus
from doanvu.inspections import selectors, services
from doanvu.inspections.models import InspectionPolicy, Session, SessionStatus
from doanvu.inspections.services import InspectionError
from tests.conftest import login, make_user
from tests.inspections.conftest import Ins

D = dt.date


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def pdf(name: str = "bao-cao-kiem-tra.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * 400, "application/pdf")


def schedule(ins: Ins, day: dt.date | None = None, half: str = "sang") -> Session:
    day = day or D(2020, 11, 10)
    return services.session_create(actor=None, team=ins.team1, unit=ins.world.district_a,
                                   on=day, half=half).session


def test_ins5_scheduling_creates_the_obligation_with_the_policys_lead_time(ins: Ins) -> None:
    s = schedule(ins)
    ob = s.documents_obligation
    assert ob is not None
    assert ob.due_on == D(2020, 11, 7)  # 3 days before 10/11 (the policy's default, seed 001)
    assert ob.owed_by_unit == ins.world.district_a and ob.owed_to_unit == ins.world.province
    assert ob.kind == services.DOCUMENTS_KIND and ob.kind_label == "Nộp tài liệu kiểm tra"
    assert "Đoàn kiểm tra số 1" in ob.title and ins.round.title in ob.title


def test_ins5_a_moved_slot_moves_the_same_obligation(ins: Ins) -> None:
    w = ins.world
    s = schedule(ins)
    req = services.move_request_create(actor=w.district_a_cadre, session=s,
                                       proposed_date=D(2020, 11, 13), proposed_half="chieu",
                                       reason="Lãnh đạo bận")
    services.move_request_decide(actor=ins.head_user, request=req, accept=True)
    s.refresh_from_db()
    assert Obligation.objects.filter(kind=services.DOCUMENTS_KIND).count() == 1
    assert s.documents_obligation is not None
    assert s.documents_obligation.due_on == D(2020, 11, 10)


def test_ins5_a_new_lead_time_in_the_policy_changes_new_sessions(ins: Ins) -> None:
    services.policy_issue(
        actor=None, issuing_unit=ins.world.province, valid_from=D(2020, 11, 12),
        morning_start=dt.time(8, 0), afternoon_start=dt.time(14, 0), party_rep_count=1,
        excellent_count=0, excellent_levels=[], good_count=0, good_levels=[],
        documents_lead_days=5)
    before = schedule(ins, D(2020, 11, 10))
    after = services.session_create(actor=None, team=ins.team2, unit=ins.world.district_b,
                                    on=D(2020, 11, 16), half="sang").session
    assert before.documents_obligation is not None and after.documents_obligation is not None
    assert before.documents_obligation.due_on == D(2020, 11, 7)
    assert after.documents_obligation.due_on == D(2020, 11, 11)
    assert InspectionPolicy.objects.get(valid_from=D(2020, 11, 12)).documents_lead_days == 5


def test_ins5_the_unit_submits_and_the_team_reads_online(ins: Ins, media: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "today", lambda: D(2020, 11, 5))
    w = ins.world
    s = schedule(ins)
    page = reverse("inspections:session_detail", args=[s.pk])
    unit = login(w.district_a_cadre)
    r = unit.post(reverse("inspections:session_documents_submit", args=[s.pk]),
                  {"text": "Báo cáo tự kiểm tra", "attachments": [pdf()]})
    assert r.status_code == 302
    ob = Obligation.objects.get(pk=s.documents_obligation_id)
    assert ob.status == ObligationStatus.SUBMITTED
    (f,) = selectors.session_documents(session=s)
    doc = reverse("inspections:session_document", args=[s.pk, f.pk])
    ins.secretary.user = make_user("thukydoan")
    ins.secretary.save()
    readers = (ins.head_user, ins.secretary.user, w.province_secretary, w.district_a_cadre)
    for user in readers:
        client = login(user)
        assert "bao-cao-kiem-tra.pdf" in client.get(page).content.decode(), user.username
        resp = client.get(doc)
        assert resp.status_code == 200, user.username
        assert b"".join(resp.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
        assert "inline" in resp["Content-Disposition"]
    for user in (w.district_b_cadre, w.branch_secretary, w.outsider):
        assert login(user).get(doc).status_code == 404, user.username
        assert login(user).post(reverse("inspections:session_documents_submit", args=[s.pk]),
                                {"attachments": [pdf("ke-gian.pdf")]}).status_code == 404
    assert len(selectors.session_documents(session=s)) == 1


def test_ins5_only_the_unit_submits_documents(ins: Ins, media: Path) -> None:
    s = schedule(ins)
    with pytest.raises(InspectionError):
        services.documents_submit(actor=ins.world.district_b_cadre, session=s, files=[pdf()],
                                  on=D(2020, 11, 1))
    # the team head reads the session but may not deliver for the unit
    assert login(ins.head_user).post(
        reverse("inspections:session_documents_submit", args=[s.pk]),
        {"attachments": [pdf()]}).status_code == 404


def test_ins5_documents_after_the_deadline_are_refused(ins: Ins, media: Path) -> None:
    s = schedule(ins)
    with pytest.raises(InspectionError, match="Đã quá hạn nộp tài liệu kiểm tra \\(07/11/2020\\)"):
        services.documents_submit(actor=ins.world.district_a_cadre, session=s, files=[pdf()],
                                  on=D(2020, 11, 8))
    ob = Obligation.objects.get(pk=s.documents_obligation_id)
    assert ob.status == ObligationStatus.OPEN and not ob.files.exists()
    # through the page (today is long after 2020): a message beside the field, nothing written
    r = login(ins.world.district_a_cadre).post(
        reverse("inspections:session_documents_submit", args=[s.pk]), {"attachments": [pdf()]})
    assert r.status_code == 400 and "Đã quá hạn nộp tài liệu kiểm tra" in r.content.decode()
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.OPEN and not ob.files.exists()


def test_ins5_a_missed_deadline_marks_the_session_and_shows_the_reason(ins: Ins,
                                                                      media: Path) -> None:
    w = ins.world
    missed = schedule(ins)
    on_time = services.session_create(actor=None, team=ins.team2, unit=w.district_b,
                                      on=D(2020, 11, 10), half="chieu").session
    services.documents_submit(actor=w.district_b_cadre, session=on_time, files=[pdf()],
                              on=D(2020, 11, 6))
    assert services.documents_missed_mark(on=D(2020, 11, 7)) == []  # due day itself: not yet
    marked = services.documents_missed_mark(on=D(2020, 11, 8))
    assert [s.pk for s in marked] == [missed.pk]
    missed.refresh_from_db()
    on_time.refresh_from_db()
    assert missed.status == SessionStatus.NOT_INSPECTED and missed.status_on == D(2020, 11, 8)
    assert "Không nộp tài liệu kiểm tra đúng hạn (07/11/2020" in missed.status_reason
    assert "không có quyền khiếu nại" in missed.status_reason
    assert on_time.status == SessionStatus.SCHEDULED
    assert selectors.session_missed_documents(unit=w.district_a, year=2020)
    assert not selectors.session_missed_documents(unit=w.district_b, year=2020)
    assert not selectors.session_missed_documents(unit=w.district_a, year=2021)
    html = login(w.district_a_cadre).get(
        reverse("inspections:session_detail", args=[missed.pk])).content.decode()
    assert "Không được kiểm tra năm nay" in html and "Không nộp tài liệu kiểm tra đúng hạn" in html
    assert 'data-testid="documents-form"' not in html
    audit = AuditRecord.objects.filter(model="inspections.session", object_pk=str(missed.pk),
                                       action="update").order_by("id").last()
    assert audit is not None and "Không nộp tài liệu" in audit.reason
    with pytest.raises(InspectionError, match="không được kiểm tra năm nay"):
        services.documents_submit(actor=w.district_a_cadre, session=missed, files=[pdf()],
                                  on=D(2020, 11, 5))


def test_ins5_marking_is_idempotent_and_the_command_runs(ins: Ins) -> None:
    s = schedule(ins)
    out = StringIO()
    call_command("mark_missed_inspection_documents", "--ngay", "09/11/2020", stdout=out)
    assert "1 buổi kiểm tra" in out.getvalue()
    count = AuditRecord.objects.filter(model="inspections.session", object_pk=str(s.pk)).count()
    assert services.documents_missed_mark(on=D(2020, 11, 9)) == []
    assert services.documents_missed_mark(on=D(2020, 11, 20)) == []
    s.refresh_from_db()
    assert s.status_on == D(2020, 11, 9)
    assert AuditRecord.objects.filter(model="inspections.session",
                                      object_pk=str(s.pk)).count() == count


def test_emu5_a_unit_that_missed_its_documents_may_not_appeal(ins: Ins) -> None:
    """EMU-5: the appeal rule (EMU-7) asks `session_missed_documents` of the year."""
    schedule(ins)
    assert not selectors.session_missed_documents(unit=ins.world.district_a, year=2020)
    services.documents_missed_mark(on=D(2020, 11, 8))
    assert selectors.session_missed_documents(unit=ins.world.district_a, year=2020)
