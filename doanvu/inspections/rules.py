"""The rules of inspection schedules and attendee lists as pure functions over plain values
(INS-3, INS-4): no ORM, no request. The numbers come from the policy passed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MORNING, AFTERNOON = "sang", "chieu"


@dataclass(frozen=True)
class Times:
    """When each half-day starts (InspectionPolicy.morning_start / afternoon_start)."""

    morning: dt.time
    afternoon: dt.time

    def start_of(self, half: str) -> dt.time:
        return self.morning if half == MORNING else self.afternoon


@dataclass(frozen=True)
class Booking:
    """A session as the clash rule sees it: when, where, which team, who is in it."""

    session_id: int | None
    date: dt.date
    half: str
    unit_id: int
    unit_name: str
    team_id: int
    team_name: str
    persons: dict[int, str] = field(default_factory=dict)  # person id → full name


@dataclass(frozen=True)
class Clash:
    kind: str  # "unit", "team" or "person"
    other: Booking
    person_name: str = ""


def clashes(candidate: Booking, others: Iterable[Booking]) -> list[Clash]:
    """Every way `candidate` would put a unit, a team or a person in two places at the same
    half-day: the same unit in another session, the same team twice, or a person of the
    candidate's team in another team's session then. The candidate's own session is ignored."""
    found: list[Clash] = []
    for other in others:
        if other.session_id is not None and other.session_id == candidate.session_id:
            continue
        if (other.date, other.half) != (candidate.date, candidate.half):
            continue
        if other.unit_id == candidate.unit_id:
            found.append(Clash("unit", other))
        if other.team_id == candidate.team_id:
            found.append(Clash("team", other))
            continue
        for pid in sorted(set(candidate.persons) & set(other.persons)):
            found.append(Clash("person", other, candidate.persons[pid]))
    return found


@dataclass(frozen=True)
class Result:
    """Last year's classification of a unit below the inspected one."""

    unit_id: int
    unit_name: str
    sector: str
    level: str
    level_name: str
    secretary_id: int | None = None
    secretary_name: str = ""


@dataclass(frozen=True)
class AttendeeRules:
    """InspectionPolicy's attendee numbers (seed 001 §III.2)."""

    party_rep_count: int
    excellent_count: int
    excellent_levels: tuple[str, ...]
    good_count: int
    good_levels: tuple[str, ...]
    home_affairs_count: int
    home_affairs_unit_kinds: tuple[str, ...]


@dataclass(frozen=True)
class Proposed:
    kind: str  # models.AttendeeKind value
    result: Result | None = None


PARTY_REP, EXCELLENT, GOOD, HOME_AFFAIRS = "cap_uy", "bt_nhom_1", "bt_nhom_2", "noi_vu"


def pick_spread(results: Sequence[Result], levels: Sequence[str], count: int) -> list[Result]:
    """`count` units of `levels`, taken in turn from each sector so the sectors under the
    inspected unit are represented (seed 001: wards and communes, armed forces, workers), the
    better level first within a sector, then by name. Fewer when fewer qualify."""
    order = {code: i for i, code in enumerate(levels)}
    eligible = sorted((r for r in results if r.level in order),
                      key=lambda r: (order[r.level], r.unit_name, r.unit_id))
    by_sector: dict[str, list[Result]] = {}
    for r in eligible:
        by_sector.setdefault(r.sector, []).append(r)
    queues = [by_sector[s] for s in sorted(by_sector, key=lambda s: (
        order[by_sector[s][0].level], by_sector[s][0].unit_name))]
    picked: list[Result] = []
    while len(picked) < count and any(queues):
        for q in queues:
            if q and len(picked) < count:
                picked.append(q.pop(0))
    return picked


def propose_attendees(rules: AttendeeRules, *, unit_kind: str,
                      results: Sequence[Result]) -> list[Proposed]:
    """The required attendees of a session at a unit of `unit_kind`: the party committee's
    representatives, the secretaries of units of each group of levels (chosen from last year's
    `results`; a place no unit fills stays open for the unit to name), and the home-affairs
    official where the unit's kind asks for one."""
    out = [Proposed(PARTY_REP) for _ in range(rules.party_rep_count)]
    for kind, levels, count in ((EXCELLENT, rules.excellent_levels, rules.excellent_count),
                                (GOOD, rules.good_levels, rules.good_count)):
        chosen = pick_spread(results, levels, count)
        out += [Proposed(kind, r) for r in chosen]
        out += [Proposed(kind) for _ in range(count - len(chosen))]
    if unit_kind in rules.home_affairs_unit_kinds:
        out += [Proposed(HOME_AFFAIRS) for _ in range(rules.home_affairs_count)]
    return out
