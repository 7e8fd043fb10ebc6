"""The inspection demo (issue 12 §10): seed 000's central rounds 1 and 2 (11 + 11 units, teams
headed by central secretaries, the notices of March and September 2020) and seed 001's HCMC
year 2020 (six teams, a November 2020 schedule after the 04/11 and 06/11 deadlines)."""

from __future__ import annotations

import datetime as dt

import pytest

from doanvu.inspections import selectors
from doanvu.inspections.models import (
    MoveState,
    Round,
    Session,
    SessionStatus,
    SlotMoveRequest,
    TeamRole,
)
from doanvu.org.models import CommitteeSeat

D = dt.date
HCM_NAME = "Thành đoàn TP. Hồ Chí Minh"




@pytest.mark.django_db
def test_ins1_demo_central_rounds_of_seed_000(demo: None) -> None:
    rounds = list(Round.objects.filter(plan__issuing_unit__name="Trung ương Đoàn",
                                       plan__year=2020).order_by("number"))
    assert [(r.number, r.units.count(), r.window_start, r.window_end) for r in rounds] == [
        (1, 11, D(2020, 6, 1), D(2020, 6, 15)), (2, 11, D(2020, 11, 16), D(2020, 11, 30))]
    assert {u.name for u in rounds[0].units.all()} & {u.name for u in rounds[1].units.all()} \
        == set()
    assert "Ban Thanh niên Quân đội" in {u.name for u in rounds[0].units.all()}
    secretaries = set(CommitteeSeat.objects.filter(
        term__unit__name="Trung ương Đoàn", title__startswith="Bí thư").values_list(
        "person_id", flat=True))
    for r in rounds:
        heads = [m.person_id for t in r.teams.all() for m in t.members.filter(role=TeamRole.HEAD)]
        assert heads and set(heads) <= secretaries
        assert Session.objects.filter(team__round=r).count() == 11
        assert r.notice is not None and r.notice.symbol.endswith("-TB/TWĐTN")
    assert [r.notice.issued_on.month for r in rounds] == [3, 9]  # type: ignore[union-attr]


@pytest.mark.django_db
def test_ins1_demo_hcmc_2020_of_seed_001(demo: None) -> None:
    r = Round.objects.get(plan__issuing_unit__name="Thành đoàn TP. Hồ Chí Minh", plan__year=2020)
    assert r.teams.count() == 6
    sessions = Session.objects.filter(team__round=r)
    assert sessions.count() == r.units.count() == 33
    assert all(D(2020, 11, 9) <= s.date <= D(2020, 11, 20) for s in sessions)
    assert {s.start_time for s in sessions} == {dt.time(8, 0), dt.time(14, 0)}
    assert r.notice is not None
    states = set(SlotMoveRequest.objects.filter(session__team__round=r).values_list(
        "session__unit__name", "state"))
    assert states == {("Quận đoàn 1", MoveState.PENDING), ("Quận đoàn 3", MoveState.ACCEPTED)}
    q1 = sessions.get(unit__name="Quận đoàn 1")
    assert [a.kind for a in q1.attendees.all()] == [
        "cap_uy", "bt_nhom_1", "bt_nhom_1", "bt_nhom_2", "bt_nhom_2", "noi_vu"]


@pytest.mark.django_db
def test_ins5_demo_one_hcmc_unit_missed_its_documents(demo: None) -> None:
    sessions = list(Session.objects.filter(team__round__plan__issuing_unit__name=HCM_NAME,
                                           team__round__plan__year=2020)
                    .select_related("documents_obligation", "unit"))
    missed = [s for s in sessions if s.status == SessionStatus.NOT_INSPECTED]
    assert len(missed) == 1
    (m,) = missed
    assert m.documents_obligation is not None and m.date >= D(2020, 11, 12)
    assert "Không nộp tài liệu kiểm tra đúng hạn" in m.status_reason
    assert selectors.session_missed_documents(unit=m.unit, year=2020)
    others = [s for s in sessions if s != m and s.documents_obligation is not None]
    assert others and all(
        s.documents_obligation is not None and s.documents_obligation.submitted_on is not None
        and s.documents_obligation.submitted_on <= s.documents_obligation.due_on
        and s.documents_obligation.due_on == s.date - dt.timedelta(days=3) for s in others)
    assert not Session.objects.exclude(pk=m.pk).filter(
        status=SessionStatus.NOT_INSPECTED).exists()
