"""X-3 for inspections: every public service with an `actor` refuses an actor outside its
scope with nothing written, and lets the issuer (or the unit) through. A new service fails
`test_ins_every_service_with_an_actor_has_a_case` until it gets a case here."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from doanvu.accounts.models import User
from doanvu.hub.models import Obligation
from doanvu.inspections import services
from doanvu.inspections.models import (
    InspectionPlan,
    InspectionPolicy,
    Round,
    Session,
    SessionAttendee,
    SlotMoveRequest,
    Team,
    TeamMember,
    TeamRole,
)
from tests.inspections.conftest import Ins

D = dt.date


def _session(ins: Ins) -> Session:
    return services.session_create(actor=None, team=ins.team1, unit=ins.world.district_a,
                                   on=D(2020, 11, 10), half="sang").session


def _request(ins: Ins) -> SlotMoveRequest:
    return services.move_request_create(actor=None, session=_session(ins),
                                        proposed_date=D(2020, 11, 12), proposed_half="sang",
                                        reason="Bận")


def _proposed(ins: Ins) -> Session:
    session = _session(ins)
    services.attendees_propose(actor=None, session=session)
    return session


def _nothing(ins: Ins) -> None:
    return None


Act = Callable[[Ins, User, Any], object]
# service → (the setup the system makes, the actor's step, who may, what an outsider must not
# change)
CASES: dict[str, tuple[Callable[[Ins], Any], Act, str, Callable[[], Any]]] = {
    "policy_issue": (_nothing, lambda ins, a, _: services.policy_issue(
        actor=a, issuing_unit=ins.world.province, valid_from=D(2021, 1, 1),
        morning_start=dt.time(8), afternoon_start=dt.time(14), party_rep_count=1,
        excellent_count=2, excellent_levels=["htxs"], good_count=2, good_levels=["htt"]),
        "province_secretary", lambda: InspectionPolicy.objects.count()),
    "plan_create": (_nothing, lambda ins, a, _: services.plan_create(
        actor=a, issuing_unit=ins.world.province, year=2021, title="Kế hoạch kiểm tra 2021"),
        "province_secretary", lambda: InspectionPlan.objects.count()),
    "round_create": (_nothing, lambda ins, a, _: services.round_create(
        actor=a, plan=ins.plan, number=2, title="Đợt 2", window_start=D(2020, 6, 1),
        window_end=D(2020, 6, 15), units=[]),
        "province_secretary", lambda: Round.objects.count()),
    "team_create": (_nothing, lambda ins, a, _: services.team_create(
        actor=a, round_=ins.round, number=3, name="Đoàn số 3",
        members=[services.MemberInput(ins.head, TeamRole.HEAD)]),
        "province_secretary", lambda: Team.objects.count()),
    "team_update": (_nothing, lambda ins, a, _: services.team_update(
        actor=a, team=ins.team1, number=1, name="Đoàn số 1 bị sửa",
        members=[services.MemberInput(ins.head, TeamRole.HEAD)]),
        "province_secretary", lambda: list(TeamMember.objects.order_by("pk").values_list(
            "team_id", "person_id", "role"))),
    "session_create": (_nothing, lambda ins, a, _: services.session_create(
        actor=a, team=ins.team1, unit=ins.world.district_a, on=D(2020, 11, 10), half="sang"),
        "province_secretary", lambda: Session.objects.count()),
    "move_request_create": (_session, lambda ins, a, s: services.move_request_create(
        actor=a, session=s, proposed_date=D(2020, 11, 12), proposed_half="sang", reason="Bận"),
        "district_a_cadre", lambda: SlotMoveRequest.objects.count()),
    "move_request_decide": (_request, lambda ins, a, r: services.move_request_decide(
        actor=a, request=r, accept=True),
        "head_user", lambda: list(Session.objects.values_list("date", "half"))),
    "attendees_propose": (_session, lambda ins, a, s: services.attendees_propose(
        actor=a, session=s),
        "district_a_cadre", lambda: SessionAttendee.objects.count()),
    "attendees_confirm": (_proposed, lambda ins, a, s: services.attendees_confirm(
        actor=a, session=s, rows=[services.AttendeeInput(x.pk, "Lê Văn A")
                                  for x in SessionAttendee.objects.filter(session=s)]),
        "district_a_cadre", lambda: list(
            Session.objects.values_list("attendees_confirmed_at", flat=True))),
    "team_notice_issue": (_nothing, lambda ins, a, _: services.team_notice_issue(
        actor=a, round_=ins.round, signer_title="BÍ THƯ", signer_name="Hoàng Thị Thanh Thúy",
        issued_on=D(2020, 10, 20)),
        "province_secretary", lambda: list(Round.objects.values_list("notice_id", flat=True))),
    "documents_submit": (_session, lambda ins, a, s: services.documents_submit(
        actor=a, session=s, on=D(2020, 11, 5), files=[SimpleUploadedFile(
            "tai-lieu.pdf", b"%PDF-1.4 " + b"x" * 100, "application/pdf")]),
        "district_a_cadre", lambda: list(Obligation.objects.values_list("status", flat=True))),
}


def test_ins_every_service_with_an_actor_has_a_case() -> None:
    found = {name for name, fn in inspect.getmembers(services, inspect.isfunction)
             if fn.__module__ == services.__name__ and not name.startswith("_")
             and "actor" in inspect.signature(fn).parameters}
    assert found == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_ins_service_refuses_an_outsider_and_serves_its_user(ins: Ins, name: str,
                                                             settings: Any,
                                                             tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    setup, act, allowed, state = CASES[name]
    w = ins.world
    context = setup(ins)
    before = state()
    for outsider in (w.district_b_cadre, w.outsider, w.branch_secretary):
        with pytest.raises(services.InspectionScopeError):
            act(ins, outsider, context)
        assert state() == before
    user = ins.head_user if allowed == "head_user" else getattr(w, allowed)
    assert act(ins, user, context) is not None
    assert state() != before
