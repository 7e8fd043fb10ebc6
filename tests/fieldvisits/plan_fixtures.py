"""Fixtures of the plan and roll-up tests (FV-5, FV-7, FV-9, FV-10), on the shared `world` tree:
seed 002's regime issued by Tỉnh đoàn Tây Ninh (chosen 1.1/1.3/1.6, assigned 1.2/1.4/1.5,
registration by the 15th, districts plan as one agency, Youth Month in March, the roll-ups of
FV-7 as data), a department (Ban Phong trào) with its head and two cadres, the Standing, Ban
Tổ chức – Kiểm tra, and a district union's agency with its secretary and a cadre.

Each test module builds it with `build(world)` in its own fixture."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from doanvu.accounts.models import User
from doanvu.fieldvisits.models import FieldVisitPolicy, Visit
from doanvu.org.models import (
    CommitteeKind,
    CommitteeSeat,
    Department,
    DepartmentCategory,
    Person,
    Position,
    Term,
    Unit,
)
from tests.conftest import World, grant, make_user

D = dt.date
YEAR = 2020

ROLLUPS = [
    {"code": "quy_thuong_truc", "label": "Báo cáo quý gửi Thường trực", "period": "quarter",
     "to": "standing", "after_days": 10, "unit_kinds": ["tinh"]},
    {"code": "sau_thang_btv", "label": "Báo cáo 6 tháng trình Ban Thường vụ", "period": "half",
     "to": "btv", "after_days": 20, "unit_kinds": ["tinh"]},
    {"code": "nam_btv", "label": "Báo cáo năm trình Ban Thường vụ", "period": "year",
     "to": "btv", "month": 10, "day": 20, "unit_kinds": ["tinh"]},
    {"code": "nam_trung_uong", "label": "Báo cáo năm gửi Ban Tổ chức Trung ương",
     "period": "year", "to": "central", "month": 11, "day": 1, "unit_kinds": ["tinh"]},
    {"code": "huyen_quy", "label": "Báo cáo quý gửi Tỉnh đoàn", "period": "quarter",
     "to": "province", "after_days": 10, "unit_kinds": ["huyen"]},
    {"code": "huyen_nam", "label": "Báo cáo năm gửi Tỉnh đoàn", "period": "year",
     "to": "province", "month": 10, "day": 10, "unit_kinds": ["huyen"]},
]


@dataclass
class FV:
    world: World
    policy: FieldVisitPolicy
    movement: Department  # Ban Phong trào
    head: User  # the department head (write in the department's field)
    head_person: Person
    cadre: User  # a cadre of the department, linked to their person
    cadre_person: Person
    cadre2_person: Person
    standing: User  # the Secretary (approve on the province)
    standing_person: Person
    deputy_person: Person
    tckt_user: User
    district_secretary: User
    district_person: Person
    district_cadre_person: Person
    other_cadre: User  # a cadre of another district union, for outsider tests
    other_person: Person


def person(name: str, user: User | None = None) -> Person:
    return Person.objects.create(full_name=name, user=user)


def post(p: Person, unit: Unit, title: str, department: Department | None = None) -> Position:
    return Position.objects.create(person=p, unit=unit, department=department, title=title,
                                   start_date=D(2018, 1, 1))


def policy(unit: Unit) -> FieldVisitPolicy:
    return FieldVisitPolicy.objects.create(
        issuing_unit=unit, name="Chế độ đi cơ sở theo Kế hoạch 45-KH/TĐTN-TCKT",
        valid_from=D(2018, 1, 1), source="45-KH/TĐTN-TCKT", min_days=60,
        levels=[{"code": "huyen", "label": "cấp huyện", "kinds": ["huyen"]},
                {"code": "co_so", "label": "cấp cơ sở", "kinds": ["co_so", "chi_doan"]}],
        coverage={"tinh": ["huyen", "co_so"], "huyen": ["co_so"]},
        counted_kinds=["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"],
        chosen_kinds=["1.1", "1.3", "1.6"], assigned_kinds=["1.2", "1.4", "1.5"],
        branch_meeting_kind="1.6", registration_day=15, agency_plan_kinds=["huyen"],
        rollups=ROLLUPS, youth_month=3)


def build(world: World) -> FV:
    prov = world.province
    world.district_a.short_name = "HĐCT"  # its documents need a symbol and a place
    world.district_a.place = "Châu Thành"
    world.district_a.save(update_fields=["short_name", "place"])
    movement = Department.objects.create(unit=prov, name="Ban Phong trào", short_name="PT",
                                         category=DepartmentCategory.DEPARTMENT)
    pol = policy(prov)
    head = make_user("truongban_pt")
    grant(head, "can_bo_ban", prov, department=movement)
    head_person = person("Trần Thị Bích", head)
    post(head_person, prov, "Trưởng Ban Phong trào", movement)
    cadre = make_user("canbo_pt")
    cadre_person = person("Nguyễn Văn An", cadre)
    post(cadre_person, prov, "Chuyên viên Ban Phong trào", movement)
    cadre2_person = person("Lê Minh Cường")
    post(cadre2_person, prov, "Chuyên viên Ban Phong trào", movement)
    standing_person = person("Phạm Quốc Dũng", world.province_secretary)
    post(standing_person, prov, "Bí thư Tỉnh đoàn")
    deputy_person = person("Võ Thị Hạnh")
    post(deputy_person, prov, "Phó Bí thư Tỉnh đoàn")
    term = Term.objects.create(unit=prov, name="2017–2022", start_date=D(2017, 10, 1))
    for order, p, title in ((1, standing_person, "Bí thư"), (2, deputy_person, "Phó Bí thư")):
        CommitteeSeat.objects.create(term=term, committee=CommitteeKind.STANDING, person=p,
                                     title=title, order=order)
    tckt_user = make_user("tckt_tinh")
    grant(tckt_user, "ban_tckt", prov, department=world.tckt)
    post(person("Đỗ Văn Khoa", tckt_user), prov, "Trưởng Ban Tổ chức – Kiểm tra", world.tckt)
    district_secretary = make_user("bithu_chauthanh")
    grant(district_secretary, "bi_thu", world.district_a)
    district_person = person("Huỳnh Văn Lâm", district_secretary)
    post(district_person, world.district_a, "Bí thư Huyện đoàn")
    district_cadre_person = person("Ngô Thị Mai")
    post(district_cadre_person, world.district_a, "Cán bộ Huyện đoàn")
    other_cadre = make_user("canbo_tanbien_fv")
    grant(other_cadre, "bi_thu", world.district_b)
    other_person = person("Tạ Văn Ngoại", other_cadre)
    post(other_person, world.district_b, "Bí thư Huyện đoàn")
    return FV(world, pol, movement, head, head_person, cadre, cadre_person, cadre2_person,
              world.province_secretary, standing_person, deputy_person, tckt_user,
              district_secretary, district_person, district_cadre_person, other_cadre,
              other_person)


def visit(p: Person, unit: Unit, place: Unit, start: dt.date, days: int = 1, *,
          kind: str = "1.1", cost: int = 0, department: Department | None = None,
          reported: bool = True, campaign: object = None) -> Visit:
    v = Visit.objects.create(person=p, unit=unit, department=department, kind=kind,
                             start_date=start, end_date=start + dt.timedelta(days=days - 1),
                             cost=Decimal(cost), reported_on=start + dt.timedelta(days=days)
                             if reported else None, campaign=campaign)
    v.places.add(place)
    return v
