"""The field-visit demo (issue 13, item 8), loaded last by doanvu/demo/loader.py.

Three regimes as data: seed 002's Tây Ninh plan 45-KH/TĐTN-TCKT (2018–2022), seed 000's central
regime for the Ban Bí thư (2020), and a by-level variant issued by Thành đoàn TP. Hồ Chí Minh
(30 days at branches / 20 at communes / 10 at districts, a 10-day report window).

Tây Ninh's 2020 under seed 002: the provincial agency and three district secretaries, cadres of
every status (a maternity leave 01/01–30/06 → 30 days; a kế toán exempt by her task; a cadre
seconded to the base for 8 months; a short training that exempts nothing), each cadre's grassroots
unit ("1+2", seed 004), four quarters of registered and approved plans (the province's issued as
numbered documents), a Youth Month campaign, visits with reports and costs — an invitation-only
visit, a cadre who never attended a branch meeting, a late report, a visit not yet reported.
The Ban Bí thư's 2020 under seed 000, with their Youth Month (March) visits.

Deterministic: fixed data, keys derived from names (uuid5), every ordered read ends with "id".
Visits and their places are bulk-created (hundreds of rows; the load is timed by tests).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from doanvu.accounts.models import User
from doanvu.documents import services as documents
from doanvu.documents.models import Document, DocumentType
from doanvu.org.models import Department, Person, Position, Supervision, Unit

from . import rules
from .models import (
    Campaign,
    FieldVisitPolicy,
    PlannedVisit,
    PlanStatus,
    QuarterPlan,
    Visit,
)
from .policies import clean

D = dt.date
YEAR = 2020
KEY = uuid.UUID("6f1c1d52-13a0-4f7e-9d55-2020f1e1d13b")  # the demo's uuid5 namespace

CENTRE = "Trung ương Đoàn"
TAY_NINH = "Tỉnh đoàn Tây Ninh"
HCM = "Thành đoàn TP. Hồ Chí Minh"

LEVELS_TN = [
    {"code": "huyen", "label": "cấp huyện", "kinds": ["huyen", "truc_thuoc_tinh"]},
    {"code": "co_so", "label": "cấp cơ sở", "kinds": ["co_so", "chi_doan"]},
]
TAY_NINH_POLICY: dict[str, Any] = {
    "name": ("Chế độ đi công tác cơ sở của cán bộ đoàn cấp tỉnh và cấp huyện, thành phố "
             "(giai đoạn 2018 – 2022)"),
    "valid_from": D(2018, 4, 18), "valid_to": D(2022, 12, 31),
    "source": ("Kế hoạch số 45-KH/TĐTN-TCKT ngày 18/4/2018 của Ban Thường vụ Tỉnh đoàn; "
               "Hướng dẫn số 03-HD/TWĐTN-BTC ngày 21/3/2018"),
    "min_days": 60, "levels": LEVELS_TN, "days_by_level": {},
    "coverage": {"tinh": ["huyen", "co_so"], "huyen": ["co_so"]},
    "counted_kinds": ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"],
    "chosen_kinds": ["1.1", "1.3", "1.6"], "assigned_kinds": ["1.2", "1.4", "1.5"],
    "branch_meeting_kind": "1.6", "branch_meetings_min": 1,
    # seed 002 §II.2 (matched without accents inside the cadre's post title)
    "exempt_titles": ["văn thư", "kế toán", "thủ quỹ", "thi đua khen thưởng",
                      "thi đua – khen thưởng",
                      "phó chánh văn phòng phụ trách hành chính"],
    "exempt_statuses": ["thai_san", "van_thu_ke_toan", "pho_cvp_hcqt"],
    "long_statuses": ["biet_phai", "dao_tao_tap_trung"], "long_status_min_months": 6,
    "prorate": "months", "prorate_month_min_days": 15, "report_days": 3,
    "registration_day": 15, "agency_plan_kinds": ["huyen"],
    "rollups": [  # seed 002 §IV.1 step 6 and §IV.2 steps 4–5
        {"code": "quy_thuong_truc", "label": "Báo cáo quý của Ban Tổ chức – Kiểm tra",
         "period": "quarter", "to": "standing", "after_days": 10, "unit_kinds": ["tinh"]},
        {"code": "sau_thang_btv", "label": "Báo cáo 6 tháng của Ban Tổ chức – Kiểm tra",
         "period": "half", "to": "btv", "after_days": 15, "unit_kinds": ["tinh"]},
        {"code": "nam_btv", "label": "Báo cáo năm của Ban Tổ chức – Kiểm tra",
         "period": "year", "to": "btv", "month": 10, "day": 20,
         "unit_kinds": ["tinh"]},
        {"code": "nam_trung_uong", "label": "Báo cáo năm gửi Trung ương",
         "period": "year", "to": "central", "month": 11, "day": 1,
         "unit_kinds": ["tinh"]},
        {"code": "quy_huyen", "label": "Báo cáo quý của huyện, thành đoàn",
         "period": "quarter", "to": "province",  # its BTV, through the Ban Tổ chức – Kiểm tra
         "after_days": 10, "unit_kinds": ["huyen"]},
        {"code": "nam_huyen", "label": "Báo cáo năm của huyện, thành đoàn",
         "period": "year", "to": "province",
         "month": 10, "day": 10, "unit_kinds": ["huyen"]},
    ],
    "one_plus_two": "days_unit", "one_plus_two_days": 60, "youth_month": 3,
}
CENTRE_POLICY: dict[str, Any] = {
    "name": "Chế độ đi cơ sở của các đồng chí Bí thư Trung ương Đoàn năm 2020",
    "valid_from": D(2020, 1, 1), "valid_to": D(2020, 12, 31),
    "source": ("Kế hoạch kiểm tra, đi cơ sở của Ban Bí thư Trung ương Đoàn năm 2020, "
               "mục II.3"),
    "min_days": 60,
    "levels": [
        {"code": "tinh", "label": "cấp tỉnh", "kinds": ["tinh", "truc_thuoc_tw"]},
        {"code": "huyen", "label": "cấp huyện", "kinds": ["huyen", "truc_thuoc_tinh"]},
        {"code": "co_so", "label": "cấp cơ sở", "kinds": ["co_so", "chi_doan"]},
    ],
    "days_by_level": {}, "coverage": {},
    # seed 000 II.3: thematic, inspection and survey by the plan, lower BCH/BTV sessions
    "counted_kinds": ["1.2", "1.3", "1.5"], "chosen_kinds": ["1.3", "1.5"],
    "assigned_kinds": ["1.2"], "branch_meeting_kind": "", "branch_meetings_min": 0,
    "exempt_titles": [], "exempt_statuses": ["thai_san"], "long_statuses": [],
    "long_status_min_months": 6, "prorate": "months", "prorate_month_min_days": 15,
    "report_days": 3, "registration_day": 15, "agency_plan_kinds": [], "rollups": [],
    "one_plus_two": "days", "one_plus_two_days": 60, "youth_month": 3,
}
HCM_POLICY: dict[str, Any] = {
    "name": "Chế độ đi cơ sở chia theo cấp của cán bộ Thành đoàn (dữ liệu mẫu)",
    "valid_from": D(2021, 1, 1), "valid_to": None,
    "source": "Biến thể chia số ngày theo cấp, báo cáo trong 10 ngày",
    "min_days": 60,
    "levels": [
        {"code": "chi_doan", "label": "chi đoàn", "kinds": ["chi_doan"]},
        {"code": "co_so", "label": "cấp xã", "kinds": ["co_so"]},
        {"code": "huyen", "label": "cấp huyện", "kinds": ["huyen", "truc_thuoc_tinh"]},
    ],
    "days_by_level": {"chi_doan": 30, "co_so": 20, "huyen": 10},
    "coverage": {"tinh": ["huyen", "co_so", "chi_doan"], "huyen": ["co_so", "chi_doan"]},
    "counted_kinds": ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"],
    "chosen_kinds": ["1.1", "1.3", "1.6"], "assigned_kinds": ["1.2", "1.4", "1.5"],
    "branch_meeting_kind": "1.6", "branch_meetings_min": 2,
    "exempt_titles": ["văn thư", "kế toán", "thủ quỹ"],
    "exempt_statuses": ["thai_san"], "long_statuses": ["biet_phai", "dao_tao_tap_trung"],
    "long_status_min_months": 6, "prorate": "days", "prorate_month_min_days": 15,
    "report_days": 10, "registration_day": 10, "agency_plan_kinds": ["huyen"],
    "rollups": [
        {"code": "quy", "label": "Báo cáo quý", "period": "quarter",
         "to": "standing", "after_days": 7},
        {"code": "nam", "label": "Báo cáo năm", "period": "year",
         "to": "btv", "month": 10, "day": 15},
    ],
    "one_plus_two": "days", "one_plus_two_days": 60, "youth_month": 3,
}

# A district's communes (names as they are today; none merged away) — the places of visits.
COMMUNES = {
    "Thành đoàn Tây Ninh": ("Đoàn phường Ninh Sơn", "Đoàn xã Thạnh Tân"),
    "Thị đoàn Hòa Thành": ("Đoàn xã Trường Tây", "Đoàn xã Trường Hòa"),
    "Thị đoàn Trảng Bàng": ("Đoàn xã Phước Chỉ", "Đoàn xã Hưng Thuận"),
    "Huyện đoàn Gò Dầu": ("Đoàn xã Thanh Phước", "Đoàn xã Bàu Đồn"),
    "Huyện đoàn Bến Cầu": ("Đoàn xã Long Thuận", "Đoàn xã Tiên Thuận"),
    "Huyện đoàn Châu Thành": ("Đoàn xã Hảo Đước", "Đoàn xã Thái Bình"),
    "Huyện đoàn Tân Biên": ("Đoàn xã Tân Lập",),
    "Huyện đoàn Tân Châu": ("Đoàn xã Suối Ngô", "Đoàn xã Tân Hưng"),
    "Huyện đoàn Dương Minh Châu": ("Đoàn xã Suối Đá", "Đoàn xã Phước Ninh"),
}
BRANCHES = ("Chi đoàn ấp Khởi Trung", "Chi đoàn ấp Suối Đá", "Chi đoàn ấp Phước Lễ",
            "Chi đoàn ấp Ninh Bình", "Chi đoàn khu phố 1")
DMC = "Huyện đoàn Dương Minh Châu"

# Seconded to the base for 8 months of 2020: a new chuyên viên of Ban Tuyên giáo.
SECONDED = "Võ Thành Nhân"
MATERNITY = "Bùi Thị Thanh Tuyền"
CLERK = "Tạ Thị Hồng Nhung"  # Kế toán: exempt by her task
SHORT_TRAINING = "Đặng Thị Thu Trang"  # 2 months: exempts nothing
NO_BRANCH_MEETING = "Huỳnh Văn Lợi"
LATE_REPORT = "Phạm Minh Khôi"
LOGGER = "Mai Văn Hiếu"  # demo login tn_chuyenvien: an invitation-only visit, one unreported

# Cadre statuses (members.CadreStatus), created by the caller: person, kind, start, end, note.
STATUSES = (
    (MATERNITY, "thai_san", D(2020, 1, 1), D(2020, 6, 30), "Nghỉ thai sản"),
    (SECONDED, "biet_phai", D(2020, 2, 1), D(2020, 9, 30),
     "Ban Thường vụ cử tăng cường về Đoàn xã Suối Đá"),
    (SHORT_TRAINING, "dao_tao_tap_trung", D(2020, 9, 1), D(2020, 10, 31),
     "Lớp bồi dưỡng 2 tháng (dưới 6 tháng: vẫn phải đi cơ sở)"),
)
StatusAdder = Callable[[Person, str, dt.date, dt.date | None, str], object]

# Which Standing member supervises each department's plan (FV-5 step 2).
PLAN_SUPERVISOR = {"VP": "Hoàng Thị Thanh Thúy", "TCKT": "Trần Lê Duy",
                   "BPT": "Lâm Quốc Thái", "BTG": "Lâm Quốc Thái",
                   "BTN": "Trần Lê Duy", "UBKT": "Trần Lê Duy"}
# The province's quarterly plans issued as numbered documents (numbers unused in 2020).
PLAN_NUMBERS = {1: 8, 2: 61, 3: 132, 4: 207}
# Tỉnh đoàn's registration a week late in the third quarter (Ban Tuyên giáo).
LATE_REGISTRATION = ("BTG", 3)

# The central secretaries' provinces (seed 000 II.1–2) and Youth Month visits.
CENTRE_PROVINCES = ("Tỉnh đoàn Hòa Bình", "Tỉnh đoàn Thái Nguyên", "Tỉnh đoàn Phú Thọ",
                    "Tỉnh đoàn Thái Bình", "Tỉnh đoàn Quảng Bình", "Tỉnh đoàn Khánh Hòa",
                    "Tỉnh đoàn Kon Tum", "Tỉnh đoàn Bình Phước", "Tỉnh đoàn Trà Vinh",
                    "Thành đoàn Cần Thơ", "Tỉnh đoàn Long An", "Tỉnh đoàn Cà Mau")
SECRETARIES = ("Lê Quốc Phong", "Nguyễn Anh Tuấn", "Bùi Quang Huy", "Nguyễn Phi Long",
               "Nguyễn Ngọc Lương", "Nguyễn Minh Triết")
SECRETARY_TITLES = ("Bí thư thứ nhất Trung ương Đoàn", "Bí thư Thường trực Trung ương Đoàn",
                    "Bí thư Trung ương Đoàn")


@dataclass
class Cadre:
    person: Person
    unit: Unit
    department: Department | None
    home: Unit  # the district-level unit the cadre mostly visits (their "1+2" unit's district)
    communes: list[Unit]
    months: list[int]  # the months of 2020 with visits (exempt months left out)
    branch_meeting: bool = True
    user: User | None = None
    visits: list[Visit] = field(default_factory=list)


def _units_named(root: Unit, names: Sequence[str]) -> dict[str, Unit]:
    found: dict[str, Unit] = {}
    rows = (Unit.objects.filter(path__startswith=root.path, name__in=list(names))
            .select_related("kind").order_by("path", "id"))
    for u in rows:
        found.setdefault(u.name, u)
    missing = set(names) - set(found)
    if missing:
        raise LookupError(f"fieldvisits demo: no unit named {sorted(missing)}")
    return found


def _policy(unit: Unit, values: dict[str, Any], document: Document | None) -> FieldVisitPolicy:
    data = clean({**values, "plan_document": document}, issuing_unit=unit)
    return FieldVisitPolicy.objects.create(issuing_unit=unit, **data)


def _seed_document(unit: Unit, number: int, year: int) -> Document | None:
    return (Document.objects.filter(issuing_unit=unit, number=number, year=year)
            .order_by("id").first())


def load_demo_fieldvisits(*, add_status: StatusAdder) -> None:
    """Load the field-visit demo (call once, inside the demo's transaction). `add_status`
    records a cadre status (the members app's; the demo loader passes it in)."""
    tn = Unit.objects.get(name=TAY_NINH, parent__isnull=False)
    centre = Unit.objects.get(name=CENTRE, parent__isnull=True)
    hcm = Unit.objects.get(name=HCM)
    tn_policy = _policy(tn, TAY_NINH_POLICY, _seed_document(tn, 45, 2018))
    centre_policy = _policy(centre, CENTRE_POLICY, _seed_document(centre, 41, 2020))
    _policy(hcm, HCM_POLICY, None)
    _tay_ninh(tn, tn_policy, add_status)
    _centre(centre, centre_policy)


# -- Tây Ninh 2020 ------------------------------------------------------------------------------

def _tay_ninh(tn: Unit, policy: FieldVisitPolicy, add_status: StatusAdder) -> None:
    regime = rules.RegimePolicy.of(policy)
    depts = {d.short_name: d for d in Department.objects.filter(unit=tn).order_by("id")}
    persons = {p.full_name: p for p in Person.objects.filter(
        positions__unit=tn).order_by("id")}
    # the seconded chuyên viên of Ban Tuyên giáo (a post of the 2018–2022 agency)
    seconded = Person.objects.create(full_name=SECONDED, gender="nam")
    Position.objects.create(person=seconded, unit=tn, department=depts["BTG"],
                            title="Chuyên viên", start_date=D(2018, 9, 1))
    persons[SECONDED] = seconded
    for name, kind, start, end, note in STATUSES:
        add_status(persons[name], kind, start, end, note)

    names = [*COMMUNES, *(c for cs in COMMUNES.values() for c in cs), *BRANCHES]
    units = _units_named(tn, names)
    supervised = {s.person_id: s.supervised_unit for s in Supervision.objects.filter(
        assigning_unit=tn, person__isnull=False, start_date__lte=D(YEAR, 12, 31),
        supervised_unit__kind__code="huyen").select_related("supervised_unit").order_by("id")}
    districts = list(COMMUNES)
    cadres: list[Cadre] = []
    posts = (Position.objects.filter(unit=tn, start_date__lte=D(YEAR, 12, 31))
             .select_related("person", "department").order_by("id"))
    spare = 0
    for post in posts:
        if post.person.full_name == CLERK:
            continue  # exempt by her task: no visits, listed as exempt
        home = supervised.get(post.person_id)
        if home is None:  # no district of their own: one for the "1+2" grassroots unit
            home = units[districts[spare % len(districts)]]
            spare += 1
        months = list(range(1, 13))
        if post.person.full_name == MATERNITY:
            months = list(range(7, 13))
        elif post.person.full_name == SECONDED:
            months = [1, 10, 11, 12]
        elif post.person.full_name == SHORT_TRAINING:
            months = [1, 2, 3, 4, 5, 6, 7, 8, 11, 12]  # none during her course
        cadres.append(Cadre(post.person, tn, post.department, home,
                            [units[c] for c in COMMUNES[home.name]], months,
                            branch_meeting=post.person.full_name != NO_BRANCH_MEETING))
    for district in ("Thành đoàn Tây Ninh", DMC, "Huyện đoàn Gò Dầu"):
        unit = units[district]
        for post in (Position.objects.filter(unit=unit, start_date__lte=D(YEAR, 12, 31))
                     .select_related("person", "department").order_by("id")):
            cadres.append(Cadre(post.person, unit, None, unit,
                                [units[c] for c in COMMUNES[district]], list(range(1, 13))))
    # "1+2": every cadre answers for a grassroots unit in 2020 (seed 004 §III.2)
    have = set(supervised)
    Supervision.objects.bulk_create([
        Supervision(assigning_unit=c.unit if c.unit.kind.code == "huyen" else tn,
                    supervised_unit=c.communes[0], person=c.person,
                    role_label="Cán bộ phụ trách cơ sở (chủ trương 1+2)",
                    field="Toàn diện", start_date=D(YEAR, 1, 1),
                    end_date=D(YEAR, 12, 31))
        for c in cadres if c.person.pk not in have])
    users = {u.pk: u for u in User.objects.filter(
        pk__in=[c.person.user_id for c in cadres if c.person.user_id]).order_by("id")}
    for c in cadres:
        c.user = users.get(c.person.user_id) if c.person.user_id else None

    campaign = Campaign.objects.create(
        unit=tn, name="Tháng Thanh niên năm 2020", start_date=D(YEAR, 3, 1),
        end_date=D(YEAR, 3, 31), target_days=5,
        note="Ra quân Tháng Thanh niên, thăm đội hình, mô hình ở cơ sở",
    )
    branches = [units[b] for b in BRANCHES]
    specs = [spec for i, c in enumerate(cadres) for spec in _year_of(i, c, branches)]
    _plans_and_visits(tn, depts, persons, cadres, specs, regime, campaign)


@dataclass(frozen=True)
class Spec:
    cadre: Cadre
    kind: str
    start: dt.date
    end: dt.date
    place: Unit
    invitation_only: bool = False
    reported_after: int | None = 1  # days after the end; None: not reported yet
    content: str = ""


def _year_of(i: int, c: Cadre, branches: list[Unit]) -> list[Spec]:
    """A cadre's 2020: two visits a month (3 days at the district level or a commune, then 2 at
    a commune), a branch meeting in May, and the listed special cases."""
    out: list[Spec] = []
    chosen = ("1.1", "1.3")
    assigned = ("1.2", "1.4", "1.5")
    lower = c.unit.kind.code == "huyen"
    for m in c.months:
        a = 4 + i % 5
        first_place = c.communes[m % len(c.communes)] if lower else c.home
        kind_a = assigned[m % 3] if m % 2 else chosen[m % 2]
        out.append(Spec(c, kind_a, D(YEAR, m, a), D(YEAR, m, a + 2), first_place,
                        content=_content(kind_a)))
        b = 17 + i % 4
        kind_b = chosen[(m + i) % 2]
        out.append(Spec(c, kind_b, D(YEAR, m, b), D(YEAR, m, b + 1),
                        c.communes[(m + 1) % len(c.communes)], content=_content(kind_b)))
    if c.branch_meeting:
        month = 5 if 5 in c.months else c.months[-1]
        out.append(Spec(c, "1.6", D(YEAR, month, 26), D(YEAR, month, 26),
                        branches[i % len(branches)], content=_content("1.6")))
    name = c.person.full_name
    if name == LOGGER:
        out.append(Spec(c, "1.1", D(YEAR, 4, 28), D(YEAR, 4, 28), c.communes[0],
                        invitation_only=True,
                        content="Dự lễ ra quân theo thư mời của Đoàn xã"))
        last = [s for s in out if s.kind != "1.6" and not s.invitation_only][-1]
        out[out.index(last)] = Spec(last.cadre, last.kind, last.start, last.end, last.place,
                                    reported_after=None, content=last.content)
    if name == LATE_REPORT:
        march = next(s for s in out if s.start.month == 3)
        out[out.index(march)] = Spec(march.cadre, march.kind, march.start, march.end,
                                     march.place, reported_after=9, content=march.content)
    return out


def _content(kind: str) -> str:
    return {
        "1.1": "Phối hợp tổ chức hoạt động tình nguyện tại cơ sở",
        "1.2": "Kiểm tra, giám sát chuyên đề theo chương trình của Ban Thường vụ",
        "1.3": "Khảo sát tình hình đoàn viên, thanh niên trên địa bàn",
        "1.4": "Tham gia đợt củng cố cơ sở Đoàn",
        "1.5": "Dự hội nghị Ban Chấp hành đoàn cấp dưới",
        "1.6": "Dự sinh hoạt chi đoàn ấp, khu phố",
    }[kind]


def _plans_and_visits(tn: Unit, depts: dict[str, Department], persons: dict[str, Person],
                      cadres: list[Cadre], specs: list[Spec], regime: rules.RegimePolicy,
                      campaign: Campaign) -> None:
    approver = User.objects.filter(username="tn_bithu").order_by("id").first()
    plans: dict[tuple[int, int | None, int], QuarterPlan] = {}
    documents_by_quarter = {q: _issue_plan(tn, depts.get("TCKT"), q) for q in range(1, 5)}
    for c in cadres:
        for q in range(1, 5):
            key = (c.unit.pk, c.department.pk if c.department else None, q)
            if key in plans:
                continue
            due = rules.registration_due(regime, YEAR, q)
            late = c.department is not None and (c.department.short_name, q) == LATE_REGISTRATION
            registered = due + dt.timedelta(days=7) if late else due - dt.timedelta(days=3)
            short = c.department.short_name if c.department else ""
            supervisor = persons.get(PLAN_SUPERVISOR.get(short, ""))
            issued = c.unit.pk == tn.pk
            plans[key] = QuarterPlan.objects.create(
                unit=c.unit, department=c.department, year=YEAR, quarter=q,
                status=PlanStatus.ISSUED if issued else PlanStatus.APPROVED,
                supervisor=supervisor, registered_on=registered, registered_late=late,
                approved_on=registered + dt.timedelta(days=4),
                approved_by=approver if issued else None,
                document=documents_by_quarter[q] if issued else None,
                campaign=campaign if q == 1 and issued else None,
                note=("" if c.department is not None else
                      "Các đồng chí Thường trực Tỉnh đoàn" if issued
                      else "Kế hoạch chung của cơ quan"),
            )
    lines = PlannedVisit.objects.bulk_create([
        PlannedVisit(plan=plans[(s.cadre.unit.pk, s.cadre.department.pk if s.cadre.department
                                 else None, rules.quarter_of(s.start))],
                     person=s.cadre.person, kind=s.kind, place=s.place, start_date=s.start,
                     end_date=s.end, content=s.content, assigned=s.kind in regime.assigned_kinds)
        for s in specs if not s.invitation_only])
    planned = iter(lines)
    visits: list[Visit] = []
    for n, s in enumerate(specs):
        line = None if s.invitation_only else next(planned)
        reported = (s.end + dt.timedelta(days=s.reported_after)
                    if s.reported_after is not None else None)
        due = rules.report_due(regime, s.end)
        days = (s.end - s.start).days + 1
        visits.append(Visit(
            person=s.cadre.person, unit=s.cadre.unit, department=s.cadre.department,
            kind=s.kind, start_date=s.start, end_date=s.end, invitation_only=s.invitation_only,
            travel_order=("" if s.invitation_only else
                          f"GĐĐ {n + 1:03d}/{YEAR}"),
            activities=s.content, cost=Decimal(150_000 * days + 100_000),
            planned=line, campaign=campaign if s.start.month == 3 else None,
            client_key=uuid.uuid5(KEY, f"tn/{s.cadre.person.full_name}/{s.start}/{s.kind}"),
            report=(f"Đã {s.content[0].lower()}{s.content[1:]} tại {s.place.name}."
                    if reported else ""),
            proposals="", reported_on=reported, report_due=due,
            report_late=reported is not None and reported > due,
            created_by=s.cadre.user,
        ))
    _save_visits(visits, [[s.place] for s in specs])


def _issue_plan(tn: Unit, department: Department | None, quarter: int) -> Document | None:
    """The province's quarter plan as a numbered document (FV-5 step 4)."""
    doc_type = DocumentType.objects.filter(code="ke_hoach").order_by("id").first()
    if doc_type is None:
        return None
    number = PLAN_NUMBERS[quarter]
    while Document.objects.filter(issuing_unit=tn, doc_type=doc_type, year=YEAR,
                                  number=number).exists():
        number += 1
    roman = ("I", "II", "III", "IV")[quarter - 1]
    return documents.document_register_issued(
        actor=None, issuing_unit=tn, doc_type=doc_type, number=number,
        issued_on=D(YEAR, 3 * quarter - 2, 22), department=department,
        title=f"Đi công tác cơ sở của cán bộ Tỉnh đoàn quý {roman} năm {YEAR}",
        legal_bases=["Căn cứ Kế hoạch số 45-KH/TĐTN-TCKT ngày 18/4/2018 của Ban Thường vụ "
                     "Tỉnh đoàn về đi công tác cơ sở giai đoạn 2018 – 2022;"],
        recipients=["Thường trực Tỉnh đoàn", "Các ban, văn phòng Tỉnh đoàn", "Lưu VP, Ban TCKT"],
        signer_on_behalf="TM. BAN THƯỜNG VỤ TỈNH ĐOÀN",
        signer_title="PHÓ BÍ THƯ", signer_name="Trần Lê Duy")


def _save_visits(visits: list[Visit], places: list[list[Unit]]) -> None:
    made = Visit.objects.bulk_create(visits)
    through = Visit.places.through
    through.objects.bulk_create([through(visit_id=v.pk, unit_id=u.pk)  # type: ignore[misc]
                                 for v, us in zip(made, places, strict=True) for u in us])


# -- the Ban Bí thư's 2020 (seed 000 II.3) ------------------------------------------------------

def _centre(centre: Unit, policy: FieldVisitPolicy) -> None:
    regime = rules.RegimePolicy.of(policy)
    provinces = _units_named(centre, CENTRE_PROVINCES)
    persons = {p.full_name: p for p in Person.objects.filter(
        full_name__in=SECRETARIES, seats__term__unit=centre).order_by("id")}
    campaign = Campaign.objects.create(
        unit=centre, name="Ban Bí thư đi cơ sở dịp Tháng Thanh niên 2020",
        start_date=D(YEAR, 3, 1), end_date=D(YEAR, 3, 31), target_days=3,
        note=("Dự, chỉ đạo hoạt động khởi động Tháng Thanh niên; thăm đội hình, mô hình, "
              "cơ sở đoàn"))
    visits: list[Visit] = []
    places: list[list[Unit]] = []
    order = list(provinces.values())
    for i, name in enumerate(SECRETARIES):
        person = persons[name]
        title = SECRETARY_TITLES[min(i, 2)]
        Position.objects.get_or_create(person=person, unit=centre, title=title,
                                       defaults={"start_date": D(2017, 12, 14),
                                                 "end_date": D(2022, 12, 14)})
        # ten trips of 6 days, one of them in Youth Month; the last secretary falls short
        months = (3, 4, 5, 6, 7, 8, 9, 10, 11, 12) if i < 5 else (3, 5, 6, 8, 11, 12)
        for j, m in enumerate(months):
            start = D(YEAR, m, 3 + i)
            end = start + dt.timedelta(days=5)
            kind = ("1.2" if m in (6, 11) else "1.5" if m == 3 else ("1.3", "1.5")[j % 2])
            province = order[(i + j) % len(order)]
            reported = end + dt.timedelta(days=2)
            visits.append(Visit(
                person=person, unit=centre, kind=kind, start_date=start, end_date=end,
                activities=(_content(kind) if m != 3 else
                            "Dự, chỉ đạo hoạt động khởi động Tháng Thanh niên"),
                cost=Decimal(2_500_000), campaign=campaign if m == 3 else None,
                travel_order=f"QĐ cử {i + 1}.{j + 1:02d}/{YEAR}",
                client_key=uuid.uuid5(KEY, f"tw/{name}/{start}"),
                report=f"Làm việc với {province.name}.",
                reported_on=reported, report_due=rules.report_due(regime, end),
                report_late=reported > rules.report_due(regime, end)))
            places.append([province])
    _save_visits(visits, places)

