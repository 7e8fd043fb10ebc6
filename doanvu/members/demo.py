"""Demo members (MEM-1…3): realistic, deterministic members of the demo branches of Suối Đá and
Dương Minh Châu (Tây Ninh) and a few TP. Hồ Chí Minh units, the members policy at the centre, and
the lifecycle cases a demo should show (a pending and a temporary transfer, an accepted one, a
matured and a removed member), and a few months of their dues and meetings. Called once from
doanvu.demo.loader.load_demo.

The bulk of the members is inserted with bulk_create (synthetic data is not a user change and is
not audited), with the folded name, birth date and unit path replicated as the services do; the
lifecycle cases go through the services so their timeline is real.
"""

from __future__ import annotations

import datetime as dt
import random

from doanvu.audit.context import acting
from doanvu.common.dates import today
from doanvu.common.periods import Period
from doanvu.common.text import fold
from doanvu.org.models import Person, Unit

from .core import rules, services
from .dues import meetings
from .dues import rules as dues_rules
from .dues import services as dues
from .models import (
    AttendanceStatus,
    CadreCourse,
    CadreStatus,
    CadreStatusKind,
    Membership,
    MembersPolicy,
    MemberStatus,
)

POLICY_SOURCE = "Điều lệ Đoàn; NQ 07-NQ/TWĐTN"
POLICY_FROM = dt.date(2011, 1, 1)
# NQ 07-NQ/TWĐTN: branches send dues to the grassroots union monthly, grassroots and district
# unions quarterly, provinces to the centre once a year, by 30/12
REMITTANCE_CADENCE_BY_KIND = {
    "chi_doan": "M", "phan_doan": "M", "chi_doan_co_so": "Q", "co_so": "Q", "huyen": "Q",
    "truc_thuoc_tinh": "Q", "tinh": "Y", "truc_thuoc_tw": "Y", "trung_uong": "Y",
}
# the demo policy's terms beyond the model's defaults (the tests' policy uses them too)
POLICY_TERMS: dict[str, object] = {
    "source": POLICY_SOURCE,
    "remittance_cadence_by_kind": REMITTANCE_CADENCE_BY_KIND,
    "remittance_cadence_fallback": "Q",
    "remittance_year_deadline_day": 30,
    "remittance_year_deadline_month": 12,
    "import_upload_expiry_days": 7,
    # ages as the Union counts them (HD 22-HD/TWĐTN): "16" from 15 years and one day
    "age_counting": "running",
}
TAY_NINH_COMMUNES = ("Đoàn xã Suối Đá", "Đoàn xã Dương Minh Châu")
HCM_COMMUNES = ("Đoàn phường Bến Nghé", "Đoàn phường Bến Thành", "Đoàn xã Tân Thông Hội")
PROVINCE_OF = {"Tỉnh đoàn Tây Ninh": ("072", "Tây Ninh"),
               "Thành đoàn TP. Hồ Chí Minh": ("079", "TP. Hồ Chí Minh")}

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi",
          "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Đinh", "Lâm", "Tô", "Châu", "Lý")
MIDDLE = {"nam": ("Văn", "Minh", "Hoàng", "Thanh", "Quốc", "Đức", "Công", "Hữu", "Tấn", "Gia"),
          "nu": ("Thị", "Ngọc", "Thanh", "Thị Kim", "Thị Thu", "Mỹ", "Bảo", "Thùy", "Thị Mỹ",
                 "Khánh")}
GIVEN = {"nam": ("An", "Bảo", "Cường", "Dũng", "Đạt", "Đức", "Hải", "Hiếu", "Hùng", "Khang",
                 "Khoa", "Lộc", "Long", "Minh", "Nam", "Nghĩa", "Phúc", "Quân", "Sơn", "Tài",
                 "Thắng", "Thịnh", "Toàn", "Trí", "Trung", "Tuấn", "Việt", "Vinh"),
         "nu": ("Anh", "Bích", "Châu", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa",
                "Hương", "Lan", "Linh", "Mai", "My", "Ngân", "Ngọc", "Nhi", "Nhung", "Oanh",
                "Phương", "Quỳnh", "Thảo", "Thư", "Trang", "Trâm", "Uyên", "Vy", "Yến")}
OCCUPATIONS = ("Nông dân", "Công nhân", "Học sinh", "Sinh viên", "Buôn bán", "Giáo viên",
               "Công chức", "Lao động tự do", "Thợ may", "Tài xế")
EDUCATION = ("thpt", "thpt", "thpt", "trung_cap", "cao_dang", "dai_hoc", "thcs")


def _branches() -> list[Unit]:
    communes = (*TAY_NINH_COMMUNES, *HCM_COMMUNES)
    return list(Unit.objects.filter(parent__name__in=communes, kind__is_branch=True,
                                    dissolved_on__isnull=True)
                .select_related("parent", "kind").order_by("path"))


def _province(branch: Unit, provinces: dict[str, str]) -> tuple[str, str]:
    for path, name in provinces.items():
        if branch.path.startswith(path):
            return PROVINCE_OF[name]
    return "072", "Tây Ninh"


def load_demo_members() -> int:
    """Create the demo members; returns how many memberships exist afterwards."""
    centre = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if centre is None:
        return 0
    policy, _ = MembersPolicy.objects.get_or_create(
        issuing_unit=centre, valid_from=POLICY_FROM, defaults=POLICY_TERMS)
    branches = _branches()
    if not branches:
        return 0
    provinces = dict(Unit.objects.filter(name__in=PROVINCE_OF).values_list("path", "name"))
    rng = random.Random(20250701)
    day = today()
    serial = 100_000
    people: list[Person] = []
    plan: list[tuple[Unit, dt.date, dt.date]] = []
    for branch in branches:
        code, province_name = _province(branch, provinces)
        for _ in range(rng.randint(15, 30)):
            gender = rng.choice(("nam", "nu"))
            name = (f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} "
                    f"{rng.choice(GIVEN[gender])}")
            age = rng.randint(17, 29)
            birth = rules.years_before(day, age) - dt.timedelta(days=rng.randint(1, 360))
            joined = (rules.years_before(birth, -rng.randint(16, min(age - 1, 19)))
                      + dt.timedelta(days=rng.randint(0, 200)))
            serial += rng.randint(1, 97)
            hometown = f"{branch.parent.name.replace('Đoàn ', '')}, {province_name}"  # type: ignore[union-attr]
            people.append(Person(
                full_name=name, name_folded=fold(name), gender=gender, birth_date=birth,
                cccd=rules.make_cccd(province=code, gender=gender, birth_year=birth.year,
                                     serial=serial),
                phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                ethnicity="Kinh" if rng.random() > 0.05 else "Khmer",
                religion="Không" if rng.random() > 0.2 else rng.choice(("Phật giáo", "Cao Đài",
                                                                        "Công giáo")),
                hometown=hometown, hometown_folded=fold(hometown), address=hometown,
                education_level=rng.choice(EDUCATION), occupation=rng.choice(OCCUPATIONS),
            ))
            plan.append((branch, birth, joined))
    Person.objects.bulk_create(people, batch_size=500)
    memberships = [
        Membership(person=p, branch=b, unit_path=b.path, name_folded=p.name_folded,
                   birth_date=birth, gender=p.gender, joined_union_on=joined, started_on=joined,
                   card_number=f"{p.cccd[-6:]}" if p.cccd else "",
                   has_salary=p.occupation in {"Giáo viên", "Công chức", "Công nhân"})
        for p, (b, birth, joined) in zip(people, plan, strict=True)
    ]
    Membership.objects.bulk_create(memberships, batch_size=500)
    _lifecycle_cases(branches, day, policy)
    return Membership.objects.filter(is_current=True).count()


def _first_current(branch: Unit, skip: int = 0) -> Membership:
    return (Membership.objects.filter(branch=branch, is_current=True)
            .select_related("person", "branch", "branch__kind").order_by("name_folded", "id")
            [skip])


def _lifecycle_cases(branches: list[Unit], day: dt.date, policy: MembersPolicy) -> None:
    by_name = {(b.parent.name, b.name): b for b in branches}  # type: ignore[union-attr]
    tn = [b for b in branches if b.parent and b.parent.name in TAY_NINH_COMMUNES]
    hcm = [b for b in branches if b.parent and b.parent.name in HCM_COMMUNES]
    home = by_name.get(("Đoàn xã Suối Đá", "Chi đoàn ấp Khởi Trung")) or tn[0]
    other = next(b for b in tn if b != home)
    # a pending official transfer between two Tây Ninh branches (Chờ tiếp nhận)
    services.transfer_request(
        actor=None, membership=_first_current(home), to_branch=other,
        kind="chinh_thuc", requested_on=day - dt.timedelta(days=10),
        reason="Chuyển nơi cư trú")
    # a temporary transfer, accepted: working in TP. Hồ Chí Minh for a year
    if hcm:
        temp = services.transfer_request(
            actor=None, membership=_first_current(home, 1), to_branch=hcm[0], kind="tam_thoi",
            requested_on=day - dt.timedelta(days=60), until=day + dt.timedelta(days=300),
            reason="Đi làm công nhân tại TP. Hồ Chí Minh")
        services.transfer_accept(actor=None, transfer=temp, on=day - dt.timedelta(days=55),
                                 note="Tiếp nhận sinh hoạt tạm thời")
    # an accepted official transfer (so a timeline shows both branches)
    moved = services.transfer_request(
        actor=None, membership=_first_current(other, 1), to_branch=home, kind="chinh_thuc",
        requested_on=day - dt.timedelta(days=120), reason="Kết hôn, về sống tại ấp Khởi Trung")
    services.transfer_accept(actor=None, transfer=moved, on=day - dt.timedelta(days=110))
    # a member who reached maturity age, admitted through the service, then matured
    birth = rules.years_before(day, policy.maturity_age) - dt.timedelta(days=40)
    senior = services.member_admit(
        actor=None, branch=home, joined_union_on=rules.years_before(birth, -17),
        person=services.PersonInput(
            full_name="Trần Văn Hậu", birth_date=birth, gender="nam",
            cccd=rules.make_cccd(province="072", gender="nam", birth_year=birth.year,
                                 serial=990_001),
            ethnicity="Kinh", religion="Không", hometown="Suối Đá, Tây Ninh",
            occupation="Nông dân"),
        reason="Hồ sơ đoàn viên cũ")
    services.member_mature(actor=None, membership=senior, on=day - dt.timedelta(days=7),
                           reason="Quá 30 tuổi, không giữ chức vụ Đoàn")
    # a member removed by a branch decision (no dues, no meetings)
    services.member_remove(actor=None, membership=_first_current(other, 2),
                           on=day - dt.timedelta(days=20),
                           reason="Biên bản họp chi đoàn: 3 tháng không đóng đoàn phí, "
                                  "không sinh hoạt, không có lý do chính đáng")
    # a cadre with a status and a course (MEM-12)
    cadre = _first_current(home, 2).person
    CadreStatus.objects.create(person=cadre, kind=CadreStatusKind.TRAINING,
                               start_date=day - dt.timedelta(days=100),
                               end_date=day + dt.timedelta(days=100),
                               note="Lớp trung cấp lý luận chính trị tập trung")
    CadreCourse.objects.create(person=cadre, name="Bồi dưỡng nghiệp vụ công tác Đoàn",
                               organiser="Tỉnh đoàn Tây Ninh",
                               start_date=day - dt.timedelta(days=400),
                               end_date=day - dt.timedelta(days=395),
                               certificate="Giấy chứng nhận")


# -- dues and meetings (MEM-4, MEM-5) --------------------------------------------------------


def load_demo_dues_and_meetings(*, months: int = 4, as_of: dt.date | None = None) -> int:
    """A few months of dues and meetings for every demo branch that has members.

    A no-op (returns 0) when there are no members; safe to call twice (nothing doubles).
    Returns the number of branches filled.
    """
    as_of = as_of or today()
    window = dues_rules.months_before(Period.containing(as_of, "M"), months)
    branch_ids = list(Membership.objects.filter(is_current=True, status=MemberStatus.ACTIVE)
                      .values_list("branch_id", flat=True).distinct().order_by("branch_id"))
    if not branch_ids or not MembersPolicy.objects.exists():
        return 0
    filled = 0
    for branch in Unit.objects.filter(pk__in=branch_ids).select_related("kind"):
        members = list(dues.current_members(unit=branch))
        if not members:
            continue
        with acting(None, reason="Dữ liệu minh họa"):
            for i, month in enumerate(window):
                # most pay, one in five pays late or not at all; the last member stops in the end
                payers = [m.pk for j, m in enumerate(members)
                          if (j + i) % 5 != 4 and not (j == len(members) - 1 and i >= 1)]
                dues.dues_record_payment(branch=branch, month=month, paid=payers,
                                         paid_on=min(month.end, as_of))
                day = month.start + dt.timedelta(days=14)
                if not branch.meetings.filter(date=day).exists():
                    # Only members already in the branch on the meeting day can attend it.
                    present = [m for m in members if m.started_on <= day]
                    attendance = {
                        m.pk: (AttendanceStatus.PRESENT if (j + i) % 4 else
                               AttendanceStatus.EXCUSED if j % 2 else AttendanceStatus.UNEXCUSED)
                        for j, m in enumerate(present)}
                    if len(present) > 1:
                        attendance[present[-1].pk] = AttendanceStatus.UNEXCUSED
                    meetings.meeting_create(unit=branch, kind="sinh_hoat", date=day,
                                            place=f"Nhà văn hóa {branch.name}"[:200],
                                            content=f"Sinh hoạt chi đoàn {month}",
                                            attendance=attendance)
        filled += 1
    return filled
