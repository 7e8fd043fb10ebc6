"""INS-9: the notice establishing the round's teams, generated as a numbered document of the
issuing unit and sent to the inspected units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.common.errors import ApplicationError
from doanvu.documents.models import Document, DocumentRecipient
from doanvu.inspections import services
from doanvu.inspections.models import Round
from tests.conftest import login
from tests.inspections.conftest import Ins

D = dt.date


def test_ins9_the_notice_is_a_numbered_document(ins: Ins) -> None:
    w = ins.world
    services.session_create(actor=None, team=ins.team1, unit=w.district_a, on=D(2020, 11, 10),
                            half="sang")
    doc = services.team_notice_issue(actor=w.province_secretary, round_=ins.round,
                                     signer_title="PHÓ BÍ THƯ", signer_name="Trần Lê Duy",
                                     issued_on=D(2020, 10, 20))
    assert (doc.number, doc.symbol, doc.status) == (1, "1-TB/TĐTN", "da_ban_hanh")
    assert doc.title == "Thành lập các đoàn kiểm tra định kỳ đợt 2 năm 2020"
    text = str(doc.body)
    for expected in ("Đoàn kiểm tra số 1", "Trưởng đoàn: Trần Lê Duy",
                     "Thư ký: Bùi Thị Thanh Tuyền",
                     "HÌNH THỨC, CÁCH THỨC, PHƯƠNG PHÁP KIỂM TRA",
                     "Đoàn kiểm tra làm việc trực tiếp với Ban Thường vụ.",
                     "QUY TRÌNH, CÁC BƯỚC THỰC HIỆN", "10/11/2020, buổi sáng (từ 08g00)"):
        assert expected in text, expected
    assert set(DocumentRecipient.objects.filter(document=doc).values_list(
        "unit__name", flat=True)) == {"Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"}
    ins.round.refresh_from_db()
    assert ins.round.notice_id == doc.pk
    with pytest.raises(ApplicationError, match="đã có thông báo"):
        services.team_notice_issue(actor=w.province_secretary, round_=ins.round,
                                   signer_title="X", signer_name="Y")
    assert Document.objects.count() == 1


def test_ins9_issuing_needs_approve_and_a_signer(ins: Ins) -> None:
    w = ins.world
    with pytest.raises(ApplicationError):
        services.team_notice_issue(actor=w.district_a_cadre, round_=ins.round,
                                   signer_title="X", signer_name="Y")
    assert Document.objects.count() == 0 and Round.objects.get().notice_id is None


def test_ins9_notice_through_the_page(ins: Ins) -> None:
    w = ins.world
    url = reverse("inspections:round_notice", args=[ins.round.pk])
    for user in (w.outsider, w.district_a_cadre, ins.head_user):
        assert login(user).post(url, {"signer_title": "X", "signer_name": "Y"}).status_code == 404
    c = login(w.province_secretary)
    bad = c.post(url, {"signer_title": "", "signer_name": "Trần Lê Duy"})
    assert bad.status_code == 400 and "Hãy nhập thông tin này." in bad.content.decode()
    assert Document.objects.count() == 0
    ok = c.post(url, {"signer_title": "PHÓ BÍ THƯ", "signer_name": "Trần Lê Duy",
                      "issued_on": "20/10/2020"})
    assert ok.status_code == 302
    page = c.get(reverse("inspections:round_detail", args=[ins.round.pk])).content.decode()
    assert "1-TB/TĐTN" in page
    again = c.post(url, {"signer_title": "PHÓ BÍ THƯ", "signer_name": "Trần Lê Duy"})
    assert again.status_code == 302 and Document.objects.count() == 1


def test_ins9_a_round_without_teams_gets_no_notice(ins: Ins) -> None:
    from doanvu.inspections.models import Team

    Team.objects.all().delete()
    r = login(ins.world.province_secretary).post(
        reverse("inspections:round_notice", args=[ins.round.pk]),
        {"signer_title": "PHÓ BÍ THƯ", "signer_name": "Trần Lê Duy"})
    assert r.status_code == 400 and "Đợt này chưa có đoàn kiểm tra nào." in r.content.decode()
    assert Document.objects.count() == 0
