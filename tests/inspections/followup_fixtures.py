"""Shared arrangements of the INS-7 / INS-8 tests: the province's departments (a supervising
Ban Phong trào, the Office; the Ban Tổ chức – Kiểm tra compiles rounds per the policy), a team
secretary with an account, and one scheduled session at Huyện đoàn Châu Thành."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from doanvu.accounts.models import User
from doanvu.inspections import services
from doanvu.inspections.models import Session
from doanvu.org.models import Department, DepartmentCategory, Supervision
from tests.conftest import make_user
from tests.inspections.conftest import Ins

D = dt.date


@dataclass
class After:
    ins: Ins
    session: Session
    bpt: Department  # supervises Châu Thành
    office: Department
    secretary_user: User


def arrange(ins: Ins, *, supervise: bool = True) -> After:
    w = ins.world
    bpt = Department.objects.create(unit=w.province, name="Ban Phong trào", short_name="BPT",
                                    category=DepartmentCategory.DEPARTMENT)
    office = Department.objects.create(unit=w.province, name="Văn phòng", short_name="VP",
                                       category=DepartmentCategory.OFFICE)
    ins.policy.inspection_department = w.tckt
    ins.policy.save(update_fields=["inspection_department"])
    if supervise:
        Supervision.objects.create(assigning_unit=w.province, supervised_unit=w.district_a,
                                   department=bpt, start_date=D(2018, 1, 1))
    secretary_user = make_user("thuky_doan1")
    ins.secretary.user = secretary_user
    ins.secretary.save(update_fields=["user"])
    session = services.session_create(actor=None, team=ins.team1, unit=w.district_a,
                                      on=D(2020, 11, 10), half="sang").session
    return After(ins, session, bpt, office, secretary_user)
