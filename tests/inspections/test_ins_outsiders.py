"""Every inspection page and action, with the fixture's real ids, as users who must not reach
them (X-3): another district's cadre, a branch secretary, a user with no grant. GET and POST
answer 404 (or 405 for a method the endpoint does not take) and change nothing."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from doanvu.inspections import services
from doanvu.inspections.models import Session, SessionAttendee, SlotMoveRequest
from tests.conftest import login
from tests.inspections.conftest import Ins

D = dt.date


def test_ins_every_page_and_action_is_404_for_outsiders(ins: Ins) -> None:
    w = ins.world
    session = services.session_create(actor=None, team=ins.team1, unit=w.district_a,
                                      on=D(2020, 11, 10), half="sang").session
    services.attendees_propose(actor=None, session=session)
    req = services.move_request_create(actor=None, session=session,
                                       proposed_date=D(2020, 11, 12), proposed_half="sang",
                                       reason="Bận")
    urls = [
        reverse("inspections:plan_create", args=[w.province.pk]),
        reverse("inspections:plan_detail", args=[ins.plan.pk]),
        reverse("inspections:round_create", args=[ins.plan.pk]),
        reverse("inspections:round_detail", args=[ins.round.pk]),
        reverse("inspections:round_calendar", args=[ins.round.pk]),
        reverse("inspections:round_notice", args=[ins.round.pk]),
        reverse("inspections:team_create", args=[ins.round.pk]),
        reverse("inspections:team_detail", args=[ins.team1.pk]),
        reverse("inspections:team_edit", args=[ins.team1.pk]),
        reverse("inspections:session_detail", args=[session.pk]),
        reverse("inspections:session_move_request", args=[session.pk]),
        reverse("inspections:session_attendees_propose", args=[session.pk]),
        reverse("inspections:session_attendees_confirm", args=[session.pk]),
        reverse("inspections:move_request_decide", args=[req.pk]),
        reverse("inspections:session_documents_submit", args=[session.pk]),
        reverse("inspections:session_document", args=[session.pk, 1]),
        reverse("inspections:session_held", args=[session.pk]),
        reverse("inspections:session_reflections", args=[session.pk]),
        reverse("inspections:reflection_file", args=[session.pk, 1, 1]),
        reverse("inspections:round_followup", args=[ins.round.pk]),
        reverse("inspections:round_recommendations", args=[ins.round.pk]),
    ]
    form = {"decision": "dong_y", "proposed_date": "13/11/2020", "proposed_half": "chieu",
            "reason": "x", "signer_title": "X", "signer_name": "Y", "number": "9", "name": "X",
            "head": ins.head.pk, "unit": w.district_a.pk, "date": "11/11/2020", "half": "sang",
            "year": "2021", "title": "Kế hoạch của kẻ gian", "window_start": "01/11/2020",
            "window_end": "30/11/2020", "units": [w.district_a.pk],
            "held_on": "10/11/2020", "content": "Kiến nghị của kẻ gian", "text": "x",
            **{f"name_{a.pk}": "Kẻ Gian" for a in SessionAttendee.objects.all()}}
    for user in (w.district_b_cadre, w.branch_secretary, w.outsider):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code in (404, 405), (user.username, url)
            assert client.post(url, form).status_code in (404, 405), (user.username, url)
        listing = client.get(reverse("inspections:plan_list")).content.decode()
        assert "Tỉnh đoàn Tây Ninh" not in listing and "Huyện đoàn Châu Thành" not in listing
    req.refresh_from_db()
    session.refresh_from_db()
    assert req.state == "cho" and session.attendees_confirmed_at is None
    assert Session.objects.count() == 1 and SlotMoveRequest.objects.count() == 1
    assert not SessionAttendee.objects.filter(full_name="Kẻ Gian").exists()
    assert ins.round.teams.count() == 2 and ins.round.notice_id is None
    assert set(ins.round.teams.values_list("name", flat=True)) == {"Đoàn kiểm tra số 1",
                                                                    "Đoàn kiểm tra số 2"}
    assert ins.plan.rounds.count() == 1
    assert session.held_on is None and not ins.round.recommendations.exists()
    assert not ins.plan.__class__.objects.filter(title="Kế hoạch của kẻ gian").exists()


def test_ins_anonymous_is_sent_to_login(ins: Ins) -> None:
    from django.test import Client

    r = Client().get(reverse("inspections:round_detail", args=[ins.round.pk]))
    assert r.status_code == 302 and "/dang-nhap/" in r["Location"]
