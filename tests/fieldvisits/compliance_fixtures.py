"""Fixtures of the compliance tests (FV-1, FV-3, FV-4, FV-8, FV-11): seed 002's regime as a pure
`RegimePolicy` and as a record, cadres with posts in the shared `world`, and visits.

Import the names a test needs (`from tests.fieldvisits.compliance_fixtures import …`); the
`fv` fixture builds on tests/conftest.py's `world`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from doanvu.accounts.models import User
from doanvu.fieldvisits import rules
from doanvu.fieldvisits.models import FieldVisitPolicy, Visit
from doanvu.members.models import CadreStatus
from doanvu.org.models import Department, Person, Position, Supervision, Unit
from tests.conftest import World, grant, make_user

YEAR = 2020
ALL_KINDS = ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]
EXEMPT_TITLES = ["văn thư", "kế toán", "thủ quỹ", "thi đua – khen thưởng",
                 "phó chánh văn phòng phụ trách hành chính"]
LEVELS = [
    {"code": "huyen", "label": "cấp huyện", "kinds": ["huyen", "truc_thuoc_tinh"]},
    {"code": "co_so", "label": "cấp cơ sở",
     "kinds": ["co_so", "chi_doan_co_so", "chi_doan", "phan_doan"]},
]
SPLIT_LEVELS = [
    {"code": "huyen", "label": "cấp huyện", "kinds": ["huyen", "truc_thuoc_tinh"]},
    {"code": "xa", "label": "cấp xã", "kinds": ["co_so", "chi_doan_co_so"]},
    {"code": "chi_doan", "label": "chi đoàn", "kinds": ["chi_doan", "phan_doan"]},
]
SEED002: dict[str, Any] = {  # plan 45-KH/TĐTN-TCKT as data
    "min_days": 60, "levels": LEVELS, "days_by_level": {},
    "coverage": {"tinh": ["huyen", "co_so"], "huyen": ["co_so"]},
    "counted_kinds": ALL_KINDS, "chosen_kinds": ["1.1", "1.3", "1.6"],
    "assigned_kinds": ["1.2", "1.4", "1.5"], "branch_meeting_kind": "1.6",
    "branch_meetings_min": 1, "exempt_titles": EXEMPT_TITLES,
    "exempt_statuses": ["thai_san", "van_thu_ke_toan", "pho_cvp_hcqt"],
    "long_statuses": ["biet_phai", "dao_tao_tap_trung"], "long_status_min_months": 6,
    "prorate": "months", "prorate_month_min_days": 15, "report_days": 3,
    "registration_day": 15, "one_plus_two": "days", "one_plus_two_days": 60,
}


@dataclass
class _Record:
    """An object with FieldVisitPolicy's fields, for `RegimePolicy.of` without a database."""

    values: dict[str, Any]

    def __getattribute__(self, name: str) -> Any:
        values = object.__getattribute__(self, "values")
        return values[name] if name in values else object.__getattribute__(self, name)


def regime(**over: Any) -> rules.RegimePolicy:
    """Seed 002's regime, with `over` changed (as the record's fields)."""
    return rules.RegimePolicy.of(_Record({**SEED002, **over}))


def policy_record(unit: Unit, **over: Any) -> FieldVisitPolicy:
    return FieldVisitPolicy.objects.create(
        issuing_unit=unit, name="Kế hoạch 45-KH/TĐTN-TCKT", valid_from=dt.date(2018, 4, 18),
        valid_to=dt.date(2022, 12, 31), source="45-KH/TĐTN-TCKT", **{**SEED002, **over})


def d(day: str) -> dt.date:
    """"dd/mm" of YEAR, or "dd/mm/yyyy"."""
    parts = [int(p) for p in day.split("/")]
    return dt.date(parts[2] if len(parts) == 3 else YEAR, parts[1], parts[0])


def fact(start: str, end: str | None = None, kind: str = "1.1", *, places: tuple[str, ...] =
         ("co_so",), invitation_only: bool = False, reported: str | None = "default",
         assigned: bool = False) -> rules.VisitFact:
    s, e = d(start), d(end or start)
    rep = e if reported == "default" else (d(reported) if reported else None)
    return rules.VisitFact(start=s, end=e, kind=kind, invitation_only=invitation_only,
                           reported_on=rep, place_kinds=places, assigned_place=assigned)


def cadre(unit: Unit, title: str, *, name: str = "", department: Department | None = None,
          start: dt.date = dt.date(2017, 1, 1), end: dt.date | None = None,
          user: User | None = None) -> Person:
    person = Person.objects.create(full_name=name or f"Cán bộ {title}", user=user)
    Position.objects.create(person=person, unit=unit, department=department, title=title,
                            start_date=start, end_date=end)
    return person


def status(person: Person, kind: str, start: str, end: str | None) -> CadreStatus:
    return CadreStatus.objects.create(person=person, kind=kind, start_date=d(start),
                                      end_date=d(end) if end else None)


def visit(person: Person, unit: Unit, places: list[Unit], start: str, end: str | None = None,
          kind: str = "1.1", *, reported: bool = True, invitation_only: bool = False,
          cost: int = 0) -> Visit:
    v = Visit.objects.create(person=person, unit=unit, kind=kind, start_date=d(start),
                             end_date=d(end or start), invitation_only=invitation_only,
                             reported_on=d(end or start) if reported else None,
                             cost=Decimal(cost))
    v.places.set(places)
    return v


def supervise(person: Person, assigning: Unit, unit: Unit) -> Supervision:
    return Supervision.objects.create(assigning_unit=assigning, supervised_unit=unit,
                                      person=person, start_date=dt.date(2017, 1, 1))


@dataclass
class FV:
    world: World
    policy: FieldVisitPolicy
    dept: Department
    goer: Person  # a provincial cadre who meets the regime
    short: Person  # a provincial cadre 12 days short, no branch meeting, no district level
    clerk: Person  # văn thư: exempt
    mother: Person  # maternity 01/01–30/06: 30 days
    district_cadre: Person
    goer_user: User
    tckt_head: User  # write on the province (Ban Tổ chức – Kiểm tra)


@pytest.fixture
def fv(world: World) -> FV:
    w = world
    policy = policy_record(w.province)
    dept = w.tckt
    goer_user = make_user("canbo_di_co_so")
    goer = cadre(w.province, "Chuyên viên", name="Nguyễn Văn Đi", department=dept, user=goer_user)
    short = cadre(w.province, "Phó Trưởng ban", name="Trần Thị Thiếu", department=dept)
    clerk = cadre(w.province, "Văn thư", name="Lê Văn Thư", department=dept)
    mother = cadre(w.province, "Chuyên viên", name="Phạm Thị Mẹ", department=dept)
    status(mother, "thai_san", "01/01", "30/06")
    district_cadre = cadre(w.district_a, "Phó Bí thư", name="Võ Văn Huyện")
    # goer: 58 days at the commune (06/01–04/03), 2 at the district, one branch meeting
    visit(goer, w.province, [w.commune_a1], "06/01", "04/03")
    visit(goer, w.province, [w.district_b], "10/04", "11/04", "1.2")
    visit(goer, w.province, [w.branch_a1], "20/05", kind="1.6")
    # short: 48 days at communes only
    visit(short, w.province, [w.commune_a1], "01/02", "18/03")
    visit(short, w.province, [w.commune_b1], "01/05")
    visit(mother, w.province, [w.commune_a1], "01/08", "30/08")
    visit(district_cadre, w.district_a, [w.commune_a2], "01/03", "10/03", "1.3")
    tckt_head = make_user("truongban_tckt")
    grant(tckt_head, "quan_tri_don_vi", w.province)
    return FV(w, policy, dept, goer, short, clerk, mother, district_cadre, goer_user, tckt_head)
