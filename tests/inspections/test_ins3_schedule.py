"""INS-3: half-day sessions at the policy's hours, no double-booking of a person, a team or a
unit, the round's calendar, a unit asking the head to move its slot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.common.errors import ApplicationError
from doanvu.inspections import rules, services
from doanvu.inspections.models import InspectionPolicy, MoveState, Session, SlotMoveRequest
from tests.conftest import login
from tests.inspections.conftest import Ins

D = dt.date


def _schedule(ins: Ins, team: object, unit: object, day: dt.date, half: str) -> Session:
    return services.session_create(actor=None, team=team, unit=unit, on=day,  # type: ignore[arg-type]
                                   half=half).session


def test_ins3_sessions_start_at_the_policys_hours(ins: Ins) -> None:
    w = ins.world
    morning = _schedule(ins, ins.team1, w.district_a, D(2020, 11, 10), "sang")
    afternoon = _schedule(ins, ins.team1, w.district_b, D(2020, 11, 10), "chieu")
    assert (morning.start_time, afternoon.start_time) == (dt.time(8, 0), dt.time(14, 0))


def test_ins3_a_later_policy_changes_the_hours_without_code(ins: Ins) -> None:
    InspectionPolicy.objects.filter(pk=ins.policy.pk).update(valid_to=D(2020, 10, 31))
    services.policy_issue(actor=None, issuing_unit=ins.world.province, valid_from=D(2020, 11, 1),
                          morning_start=dt.time(7, 30), afternoon_start=dt.time(13, 30),
                          party_rep_count=1, excellent_count=2, excellent_levels=["htxs"],
                          good_count=2, good_levels=["htt"])
    s = _schedule(ins, ins.team1, ins.world.district_a, D(2020, 11, 10), "sang")
    assert s.start_time == dt.time(7, 30)


def test_ins3_a_person_in_two_teams_cannot_be_in_two_places(ins: Ins) -> None:
    w = ins.world
    _schedule(ins, ins.team1, w.district_a, D(2020, 11, 10), "sang")
    with pytest.raises(ApplicationError) as exc:
        _schedule(ins, ins.team2, w.district_b, D(2020, 11, 10), "sang")
    assert str(exc.value) == (
        "Trùng lịch: Mai Văn Hiếu đã ở Đoàn kiểm tra số 1 làm việc tại Huyện đoàn Châu Thành "
        "buổi sáng ngày 10/11/2020.")
    assert Session.objects.filter(team=ins.team2).count() == 0
    # the other half-day is free
    assert _schedule(ins, ins.team2, w.district_b, D(2020, 11, 10), "chieu").pk


def test_ins3_a_unit_cannot_be_inspected_twice_at_once(ins: Ins) -> None:
    w = ins.world
    _schedule(ins, ins.team1, w.district_a, D(2020, 11, 11), "chieu")
    with pytest.raises(ApplicationError) as exc:
        _schedule(ins, ins.team2, w.district_a, D(2020, 11, 11), "chieu")
    assert "Huyện đoàn Châu Thành đã có lịch kiểm tra buổi chiều ngày 11/11/2020 " \
           "(Đoàn kiểm tra số 1 làm việc tại Huyện đoàn Châu Thành)." in str(exc.value)
    assert Session.objects.count() == 1


def test_ins3_bad_slots_are_refused_with_a_message(ins: Ins) -> None:
    w = ins.world
    with pytest.raises(ApplicationError, match="ngoài thời gian của đợt"):
        _schedule(ins, ins.team1, w.district_a, D(2020, 12, 1), "sang")
    with pytest.raises(ApplicationError, match="không có trong danh sách đơn vị"):
        _schedule(ins, ins.team1, w.commune_a1, D(2020, 11, 10), "sang")
    assert Session.objects.count() == 0


def test_ins3_clash_rule_ignores_the_session_itself() -> None:
    a = rules.Booking(1, D(2020, 11, 10), "sang", 5, "X", 7, "T", {3: "P"})
    assert rules.clashes(a, [a]) == []
    b = rules.Booking(2, D(2020, 11, 10), "sang", 6, "Y", 8, "U", {3: "P"})
    assert [c.kind for c in rules.clashes(a, [b])] == ["person"]


def test_ins3_the_head_accepts_a_move(ins: Ins) -> None:
    w = ins.world
    s = _schedule(ins, ins.team1, w.district_a, D(2020, 11, 10), "sang")
    req = services.move_request_create(actor=w.district_a_cadre, session=s,
                                       proposed_date=D(2020, 11, 12), proposed_half="chieu",
                                       reason="Lãnh đạo bận họp Huyện ủy")
    services.move_request_decide(actor=ins.head_user, request=req, accept=True)
    s.refresh_from_db()
    req.refresh_from_db()
    assert (s.date, s.half, s.start_time) == (D(2020, 11, 12), "chieu", dt.time(14, 0))
    assert (req.state, req.decided_by_id) == (MoveState.ACCEPTED, ins.head_user.pk)


def test_ins3_a_refusal_needs_a_reason_and_keeps_the_slot(ins: Ins) -> None:
    w = ins.world
    s = _schedule(ins, ins.team1, w.district_a, D(2020, 11, 10), "sang")
    req = services.move_request_create(actor=w.district_a_cadre, session=s,
                                       proposed_date=D(2020, 11, 12), proposed_half="chieu",
                                       reason="Bận")
    with pytest.raises(ApplicationError, match="Hãy nhập lý do"):
        services.move_request_decide(actor=ins.head_user, request=req, accept=False)
    services.move_request_decide(actor=ins.head_user, request=req, accept=False,
                                 reason="Đoàn đã kín lịch")
    s.refresh_from_db()
    req.refresh_from_db()
    assert (s.date, s.half) == (D(2020, 11, 10), "sang")
    assert (req.state, req.decision_reason) == (MoveState.REFUSED, "Đoàn đã kín lịch")


def test_ins3_accepting_checks_double_booking_again(ins: Ins) -> None:
    w = ins.world
    s = _schedule(ins, ins.team1, w.district_a, D(2020, 11, 10), "sang")
    req = services.move_request_create(actor=w.district_a_cadre, session=s,
                                       proposed_date=D(2020, 11, 13), proposed_half="sang",
                                       reason="Bận")
    _schedule(ins, ins.team2, w.district_b, D(2020, 11, 13), "sang")  # Mai Văn Hiếu is taken
    with pytest.raises(ApplicationError, match="Mai Văn Hiếu đã ở Đoàn kiểm tra số 2"):
        services.move_request_decide(actor=ins.head_user, request=req, accept=True)
    s.refresh_from_db()
    req.refresh_from_db()
    assert (s.date, req.state) == (D(2020, 11, 10), MoveState.PENDING)


def test_ins3_only_the_unit_asks_and_only_the_head_decides(ins: Ins) -> None:
    w = ins.world
    s = _schedule(ins, ins.team1, w.district_a, D(2020, 11, 10), "sang")
    with pytest.raises(ApplicationError):
        services.move_request_create(actor=w.district_b_cadre, session=s,
                                     proposed_date=D(2020, 11, 12), proposed_half="sang",
                                     reason="x")
    req = services.move_request_create(actor=w.district_a_cadre, session=s,
                                       proposed_date=D(2020, 11, 12), proposed_half="sang",
                                       reason="Bận")
    for someone in (w.district_a_cadre, w.district_b_cadre, w.outsider):
        with pytest.raises(ApplicationError):
            services.move_request_decide(actor=someone, request=req, accept=True)
    req.refresh_from_db()
    assert req.state == MoveState.PENDING


def test_ins3_calendar_and_session_pages(ins: Ins) -> None:
    w = ins.world
    s = _schedule(ins, ins.team1, w.district_a, D(2020, 11, 10), "sang")
    _schedule(ins, ins.team2, w.district_b, D(2020, 11, 10), "chieu")
    page = login(w.province_secretary).get(reverse("inspections:round_calendar",
                                                   args=[ins.round.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "10/11/2020" in text and "Huyện đoàn Châu Thành" in text and "08g00" in text
    assert "14g00" in text
    # the unit sees its session with the "xin đổi lịch" form
    unit_page = login(w.district_a_cadre).get(reverse("inspections:session_detail", args=[s.pk]))
    assert unit_page.status_code == 200 and "Xin đổi lịch" in unit_page.content.decode()
    # but not the other district's session, nor the round
    other = Session.objects.get(team=ins.team2)
    assert login(w.district_a_cadre).get(
        reverse("inspections:session_detail", args=[other.pk])).status_code == 404
    assert login(w.district_a_cadre).get(
        reverse("inspections:round_calendar", args=[ins.round.pk])).status_code == 404


def test_ins3_move_flow_through_the_pages(ins: Ins) -> None:
    w = ins.world
    s = _schedule(ins, ins.team1, w.district_a, D(2020, 11, 10), "sang")
    unit = login(w.district_a_cadre)
    url = reverse("inspections:session_move_request", args=[s.pk])
    bad = unit.post(url, {"proposed_date": "31/11/2020", "proposed_half": "sang", "reason": "x"})
    assert bad.status_code == 400
    assert "Ngày “31/11/2020” không tồn tại" in bad.content.decode()
    r = unit.post(url, {"proposed_date": "12/11/2020", "proposed_half": "chieu",
                        "reason": "Lãnh đạo bận"})
    assert r.status_code == 302
    req = SlotMoveRequest.objects.get()
    decide = reverse("inspections:move_request_decide", args=[req.pk])
    assert unit.post(decide, {"decision": "dong_y"}).status_code == 404
    head = login(ins.head_user)
    page = head.get(reverse("inspections:session_detail", args=[s.pk]))
    assert page.status_code == 200 and "Gửi quyết định" in page.content.decode()
    assert head.post(decide, {"decision": "dong_y"}).status_code == 302
    s.refresh_from_db()
    assert (s.date, s.half) == (D(2020, 11, 12), "chieu")


def test_ins3_schedule_through_the_team_page(ins: Ins) -> None:
    w = ins.world
    url = reverse("inspections:team_detail", args=[ins.team1.pk])
    c = login(w.province_secretary)
    assert c.post(url, {"unit": w.district_a.pk, "date": "10/11/2020",
                        "half": "sang"}).status_code == 302
    clash = c.post(reverse("inspections:team_detail", args=[ins.team2.pk]),
                   {"unit": w.district_b.pk, "date": "10/11/2020", "half": "sang"})
    assert clash.status_code == 400
    assert "Mai Văn Hiếu đã ở Đoàn kiểm tra số 1" in clash.content.decode()
    # a district cadre cannot schedule (nor read the team)
    assert login(w.district_a_cadre).post(url, {"unit": w.district_a.pk, "date": "11/11/2020",
                                                "half": "sang"}).status_code == 404
    assert Session.objects.count() == 1


def test_ins3_sessions_are_in_the_hub_calendar_and_follow_a_move(ins: Ins) -> None:
    from doanvu.hub.models import CalendarEntry

    w = ins.world
    s = _schedule(ins, ins.team1, w.district_a, D(2020, 11, 10), "sang")
    entries = CalendarEntry.objects.filter(source_id=s.pk, kind="inspection")
    assert sorted((e.unit.name, e.title) for e in entries) == [
        ("Huyện đoàn Châu Thành", "Đoàn kiểm tra số 1 kiểm tra đơn vị"),
        ("Tỉnh đoàn Tây Ninh", "Đoàn kiểm tra số 1 kiểm tra Huyện đoàn Châu Thành")]
    req = services.move_request_create(actor=w.district_a_cadre, session=s,
                                       proposed_date=D(2020, 11, 12), proposed_half="chieu",
                                       reason="Bận")
    services.move_request_decide(actor=ins.head_user, request=req, accept=True)
    from django.utils import timezone

    assert {timezone.localtime(e.start).strftime("%d/%m/%Y %H:%M") for e in
            CalendarEntry.objects.filter(source_id=s.pk, kind="inspection")} == {"12/11/2020 14:00"}


def test_ins3_a_request_outside_the_window_or_onto_a_taken_slot_is_refused(ins: Ins) -> None:
    w = ins.world
    s = _schedule(ins, ins.team1, w.district_a, D(2020, 11, 10), "sang")
    _schedule(ins, ins.team2, w.district_b, D(2020, 11, 13), "sang")
    unit = login(w.district_a_cadre)
    url = reverse("inspections:session_move_request", args=[s.pk])
    outside = unit.post(url, {"proposed_date": "01/12/2020", "proposed_half": "sang",
                              "reason": "Bận"})
    assert outside.status_code == 400
    assert "Ngày 01/12/2020 ngoài thời gian của đợt (09/11/2020 – 20/11/2020)." in \
        outside.content.decode()
    taken = unit.post(url, {"proposed_date": "13/11/2020", "proposed_half": "sang",
                            "reason": "Bận"})
    assert taken.status_code == 400
    assert "Mai Văn Hiếu đã ở Đoàn kiểm tra số 2 làm việc tại Huyện đoàn Tân Biên" in \
        taken.content.decode()
    empty = unit.post(url, {"proposed_date": "12/11/2020", "proposed_half": "sang",
                            "reason": ""})
    assert empty.status_code == 400 and "Hãy nhập thông tin này." in empty.content.decode()
    assert SlotMoveRequest.objects.count() == 0


def test_ins3_the_inspected_unit_finds_its_session_on_the_list(ins: Ins) -> None:
    w = ins.world
    s = _schedule(ins, ins.team1, w.district_a, D(2020, 11, 10), "sang")
    page = login(w.district_a_cadre).get(reverse("inspections:plan_list")).content.decode()
    assert reverse("inspections:session_detail", args=[s.pk]) in page
    # the province reads it through its plan, not as "its unit's" inspection
    province = login(w.province_secretary).get(reverse("inspections:plan_list")).content.decode()
    assert 'data-testid="my-sessions"' not in province
    assert 'data-testid="my-sessions"' not in login(w.district_b_cadre).get(
        reverse("inspections:plan_list")).content.decode()
