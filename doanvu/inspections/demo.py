"""The inspection demo, built through the services after the tree, members and ratings exist.

From seed 000 (Trung ương Đoàn, 2020): the plan, rounds 1 (first half of June, 11 units, tied
to the 6-month cluster meeting) and 2 (second half of November, 11 other units, tied to the
year-end cluster meeting), their content, the teams headed by central secretaries, the
notices establishing the teams (March and September 2020).
From seed 001 (Thành đoàn TP. Hồ Chí Minh, 2020): the plan, the policy (sessions of one half-day
from 08g00 / 14g00; one party committee representative, 4 grassroots secretaries — 2 rated
excellent, 2 good/complete — and, for district unions, the home-affairs official), 6 teams
with staff of Trường Đoàn Lý Tự Trọng among their members, a November 2020 schedule after the
deadlines of 04/11/2020 and 17g00 06/11/2020.

Invented (plausible, not authoritative): the exact windows' days, which secretary heads which
team and which units each team visits, the team secretaries and members other than the named
cadres, the schedule's days and half-days, the Trường Đoàn staff, the wards' 2019
classifications and secretaries in Quận 1, the slot requests.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from doanvu.accounts.models import RoleType, User
from doanvu.accounts.scope import Scope
from doanvu.accounts.services import grant_create
from doanvu.audit.context import acting
from doanvu.documents.models import Document
from doanvu.hub import services as hub_services
from doanvu.hub.models import Obligation
from doanvu.members.models import UnitClassification
from doanvu.members.rating.services import unit_classify
from doanvu.org.models import Department, Person, Position, Supervision, Unit
from doanvu.org.selectors import versions_on

from . import conclusions, followup, services
from .models import Conclusion, InspectionPlan, Round, Session, SessionStatus, Team, TeamRole

D = dt.date
CENTRE = "Trung ương Đoàn"
HCM = "Thành đoàn TP. Hồ Chí Minh"
REASON = "Nạp dữ liệu mẫu: kiểm tra"

CENTRE_PLAN = ("Kế hoạch kiểm tra, đi cơ sở của Ban Bí thư Trung ương Đoàn năm 2020 và khảo sát, "
               "đánh giá giữa nhiệm kỳ")
ROUND_1_UNITS = ("Tỉnh đoàn Hòa Bình", "Tỉnh đoàn Thái Nguyên", "Tỉnh đoàn Phú Thọ",
                 "Tỉnh đoàn Thái Bình", "Tỉnh đoàn Quảng Bình", "Tỉnh đoàn Khánh Hòa",
                 "Tỉnh đoàn Kon Tum", "Tỉnh đoàn Bình Phước", "Tỉnh đoàn Trà Vinh",
                 "Thành đoàn Cần Thơ", "Ban Thanh niên Quân đội")
ROUND_2_UNITS = ("Tỉnh đoàn Điện Biên", "Tỉnh đoàn Tuyên Quang", "Tỉnh đoàn Quảng Ninh",
                 "Tỉnh đoàn Hải Dương", "Tỉnh đoàn Hà Tĩnh", "Tỉnh đoàn Ninh Thuận",
                 "Tỉnh đoàn Lâm Đồng", "Tỉnh đoàn Bình Thuận", "Tỉnh đoàn Long An",
                 "Tỉnh đoàn Cà Mau", "Đoàn Thanh niên Bộ Công an")
ROUND_1_CONTENT = (
    "Kết quả thực hiện Chương trình công tác đoàn và phong trào thanh thiếu nhi 6 tháng đầu năm "
    "2020, trọng tâm là việc thực hiện chủ đề và các chỉ tiêu đã đề ra trong chương trình công "
    "tác năm 2020; công tác chuẩn bị cho Chiến dịch thanh niên tình nguyện hè năm 2020.")
ROUND_2_CONTENT = (
    "Kết quả thực hiện Chương trình công tác Đoàn và phong trào thanh thiếu nhi năm 2020, trọng "
    "tâm là việc thực hiện chủ đề và các chỉ tiêu đã đề ra trong chương trình công tác năm "
    "2020.")
CENTRE_PURPOSE = (
    "Đánh giá chủ đề công tác năm và các chỉ tiêu đề ra trong chương trình công tác đoàn và "
    "phong trào thanh thiếu nhi năm 2020 tại cơ sở.\n"
    "Kịp thời nắm bắt nhu cầu, nguyện vọng của cán bộ, đoàn viên, thanh thiếu nhi; phát hiện và "
    "nhân rộng những mô hình tiêu biểu, điển hình tiên tiến.")
CENTRE_METHOD = (
    "Kiểm tra các cấp bộ đoàn tại đơn vị; làm việc với Ban Thường vụ tỉnh, thành đoàn, đoàn "
    "trực thuộc theo lịch cụ thể của đồng chí Bí thư Trung ương Đoàn - Trưởng đoàn.\n"
    "Quá trình làm việc đảm bảo khách quan, tránh hình thức.")
CENTRE_PROCEDURE = (
    "Các ban khối phong trào thường trực Cụm phối hợp chuẩn bị nội dung, điều kiện cho đoàn "
    "kiểm tra.\n"
    "Ban Kiểm tra Trung ương Đoàn tổng hợp những vấn đề còn hạn chế, vướng mắc ở cơ sở 05 ngày "
    "sau khi kết thúc đợt kiểm tra.\n"
    "Các ban khối phong trào tổng hợp vấn đề của đơn vị 03 ngày sau khi kết thúc kiểm tra tại "
    "đơn vị.")
# Teams of the centre's rounds: (head, secretary, members, units). Heads are the Bí thư of
# the demo's Ban Bí thư (seed 000: "Bí thư Trung ương Đoàn - Trưởng đoàn").
CENTRE_TEAMS = {
    1: (("Nguyễn Anh Tuấn", ("Tỉnh đoàn Hòa Bình", "Tỉnh đoàn Thái Nguyên", "Tỉnh đoàn Phú Thọ")),
        ("Bùi Quang Huy", ("Tỉnh đoàn Thái Bình", "Tỉnh đoàn Quảng Bình")),
        ("Nguyễn Phi Long", ("Tỉnh đoàn Khánh Hòa", "Tỉnh đoàn Kon Tum")),
        ("Nguyễn Ngọc Lương", ("Tỉnh đoàn Bình Phước", "Tỉnh đoàn Trà Vinh")),
        ("Nguyễn Minh Triết", ("Thành đoàn Cần Thơ", "Ban Thanh niên Quân đội"))),
    2: (("Lê Quốc Phong", ("Tỉnh đoàn Điện Biên", "Tỉnh đoàn Tuyên Quang")),
        ("Nguyễn Anh Tuấn", ("Tỉnh đoàn Quảng Ninh", "Tỉnh đoàn Hải Dương",
                             "Đoàn Thanh niên Bộ Công an")),
        ("Bùi Quang Huy", ("Tỉnh đoàn Hà Tĩnh", "Tỉnh đoàn Ninh Thuận")),
        ("Nguyễn Phi Long", ("Tỉnh đoàn Lâm Đồng", "Tỉnh đoàn Bình Thuận")),
        ("Nguyễn Ngọc Lương", ("Tỉnh đoàn Long An", "Tỉnh đoàn Cà Mau"))),
}
CENTRE_STAFF = (("Lê Thị Hồng Nhung", "BKT", "Chuyên viên"),
                ("Đỗ Minh Hiếu", "BKT", "Chuyên viên"),
                ("Trịnh Văn Quân", "VP", "Chuyên viên"),
                ("Hà Thu Trang", "BTC", "Chuyên viên"),
                ("Vũ Đức Thịnh", "TNNT", "Chuyên viên"))
CENTRE_MEMBERS = (("Phạm Thanh Bình", "TNCN&ĐT", "Phó Trưởng ban"),
                  ("Hoàng Minh Đức", "TNTH", "Chuyên viên"),
                  ("Nguyễn Thị Lan Anh", "CTTN", "Chuyên viên"),
                  ("Lương Văn Tài", "BTG", "Chuyên viên"),
                  ("Kiều Thị Hà", "BTC", "Chuyên viên"))

HCM_PLAN = ("Kế hoạch kiểm tra, đánh giá, phân loại và xếp hạng thi đua công tác Đoàn và phong "
            "trào thanh thiếu nhi thành phố năm 2020")
HCM_CONTENT = (
    "Kiểm tra việc triển khai chương trình công tác Đoàn và phong trào thanh thiếu nhi thành "
    "phố, việc thực hiện nhiệm vụ chính trị tại địa phương, đơn vị, các nội dung chỉ đạo của "
    "cấp ủy trong năm 2020.\n"
    "Kết quả thực hiện các mô hình, giải pháp năm 2020.\n"
    "Việc khắc phục những hạn chế, tồn tại của năm 2019.")
HCM_PURPOSE = (
    "Đánh giá chất lượng hoạt động, phân loại và xếp hạng thi đua các cơ sở Đoàn khu vực Quận - "
    "Huyện, Công nhân lao động, Lực lượng vũ trang trực thuộc Thành đoàn năm 2020.")
HCM_METHOD = (
    "Đoàn kiểm tra làm việc trực tiếp với Ban Thường vụ và cán bộ Đoàn, Hội, Đội chuyên trách "
    "của đơn vị, 01 buổi tại cơ sở: buổi sáng từ 08g00, buổi chiều từ 14g00.\n"
    "Mỗi đơn vị mời đại diện Ban Thường vụ cấp ủy; 04 đồng chí Bí thư Đoàn cơ sở (02 đơn vị "
    "hoàn thành xuất sắc nhiệm vụ, 02 đơn vị hoàn thành tốt nhiệm vụ hoặc hoàn thành nhiệm "
    "vụ); các Quận - Huyện đoàn mời thêm chuyên viên Phòng Nội vụ.\n"
    "Cơ sở gửi tài liệu cho các thành viên đoàn kiểm tra qua đồng chí thư ký đoàn chậm nhất "
    "trước lịch kiểm tra 03 ngày.")
HCM_PROCEDURE = (
    "Giới thiệu thành phần đoàn kiểm tra và thành phần cơ sở.\n"
    "Thành viên đoàn kiểm tra đặt những vấn đề đề nghị cơ sở thông tin.\n"
    "Cơ sở trao đổi những vấn đề đoàn kiểm tra đề nghị.\n"
    "Phát biểu của cấp ủy.\n"
    "Kết luận và tổng kết buổi làm việc của Trưởng đoàn kiểm tra.")
# Six teams (seed 001 §III.5): head, secretary, members (name, department short name, title).
HCM_TEAMS = (
    ("Phan Thị Thanh Phương", "Nguyễn Thị Thu Hà",
     (("Trần Quốc Bảo", "", ""), ("Lê Hoàng Minh", "TĐLTT", "Giảng viên"))),
    ("Lâm Đình Khoa", "Võ Hoàng Nam", (("Đặng Thị Mai", "TĐLTT", "Giảng viên"),)),
    ("Vũ Thị Quỳnh Như", "Trần Ngọc Sơn", (("Phạm Quốc Huy", "TĐLTT", "Giảng viên"),)),
    ("Nguyễn Hữu Lộc", "Lý Thanh Tâm", (("Ngô Văn Phát", "TĐLTT", "Giảng viên"),)),
    ("Tô Thị Kim Yến", "Huỳnh Thị Ngọc", (("Trương Minh Khang", "TĐLTT", "Giảng viên"),)),
    ("Hồ Minh Trí", "Châu Văn Lực", (("Đoàn Thị Hạnh", "TĐLTT", "Giảng viên"),)),
)
HCM_SECRETARY_DEPTS = {"Trần Ngọc Sơn": "BTC", "Lý Thanh Tâm": "BTG", "Huỳnh Thị Ngọc": "BTN",
                       "Châu Văn Lực": "CNLĐ"}
# The wards of Quận 1: their 2019 classification and secretaries (for the attendee list).
Q1_WARDS = (("Đoàn phường Bến Nghé", "vung_manh", "Nguyễn Minh Thư"),
            ("Đoàn phường Bến Thành", "kha", "Lê Thanh Tùng"),
            ("Đoàn phường Tân Định", "vung_manh", "Phạm Thị Hồng"),
            ("Đoàn phường Đa Kao", "kha", ""),
            ("Đoàn phường Phạm Ngũ Lão", "trung_binh", ""))
HALVES = ("sang", "chieu")
# INS-7 / INS-8 days: seed 000 (departments 03 days after the inspection at the unit; Ban Kiểm
# tra 05 days after the round; recommendations: departments 03, the Office 05 days after the
# round). The reflection's 3 days are invented (seed 001 asks for it without a day count).
CENTRE_FOLLOWUP_DAYS = {"reflection_days": 3, "unit_compilation_days": 3,
                        "round_compilation_days": 5, "recommendation_department_days": 3,
                        "recommendation_office_days": 5}
HCM_FOLLOWUP_DAYS = dict(CENTRE_FOLLOWUP_DAYS)
# Recommendations (kiến nghị, đề xuất) of the cluster meetings (invented, plausible): round
# number → (unit, department short name, content).
CENTRE_RECOMMENDATIONS = {
    1: (("Tỉnh đoàn Hòa Bình", "TNNT",
         "Đề nghị hỗ trợ nguồn vốn cho các mô hình thanh niên phát triển kinh tế ở vùng đồng "
         "bào dân tộc thiểu số."),
        ("Tỉnh đoàn Kon Tum", "CTTN",
         "Đề nghị hướng dẫn triển khai chương trình phòng, chống đuối nước trẻ em trong hè."),
        ("Thành đoàn Cần Thơ", "TNCN&ĐT",
         "Đề nghị bổ sung hướng dẫn tổ chức Chiến dịch thanh niên tình nguyện hè trong điều "
         "kiện phòng, chống dịch COVID-19."),
        ("Ban Thanh niên Quân đội", "VP",
         "Đề nghị sớm ban hành văn bản hướng dẫn thống nhất mẫu báo cáo 6 tháng.")),
    2: (("Tỉnh đoàn Điện Biên", "BTC",
         "Đề nghị hướng dẫn kiện toàn tổ chức cơ sở Đoàn sau sắp xếp đơn vị hành chính cấp xã."),
        ("Tỉnh đoàn Lâm Đồng", "BTG",
         "Đề nghị cung cấp tài liệu giáo dục lý tưởng cách mạng cho đoàn viên vùng sâu."),
        ("Tỉnh đoàn Cà Mau", "TNNT",
         "Đề nghị hỗ trợ thanh niên khởi nghiệp trong nuôi trồng thủy sản."),
        ("Đoàn Thanh niên Bộ Công an", "VP",
         "Đề nghị bố trí lịch giao ban cụm sớm hơn để đơn vị chủ động công tác.")),
}
HCM_RECOMMENDATIONS = (
    ("Quận đoàn 1", "BTC",
     "Đề nghị Thành đoàn hướng dẫn chuyển sinh hoạt đoàn viên trên phần mềm."),
    ("Huyện đoàn Củ Chi", "BTC",
     "Đề nghị điều chỉnh tiêu chí chấm điểm khu vực dân cư nông thôn."),
    ("Đoàn Tổng Công ty Điện lực TP. Hồ Chí Minh", "CNLĐ",
     "Đề nghị tổ chức tập huấn cho Bí thư chi đoàn khối doanh nghiệp."),
)
REFLECTION_TEXT = ("Qua buổi kiểm tra, đơn vị đã triển khai tốt chủ đề năm; cần tiếp tục đổi mới "
                   "sinh hoạt chi đoàn và nâng chất lượng đoàn viên.")


def _unit(name: str) -> Unit:
    return Unit.objects.select_related("kind").get(name=name)


def _person(name: str, unit: Unit, dept: str = "", title: str = "Chuyên viên") -> Person:
    """The demo person of that name, or a new one with a post in the unit's department."""
    found = Person.objects.filter(full_name=name).order_by("pk").first()
    if found is not None:
        return found
    person = Person.objects.create(full_name=name)
    department = Department.objects.get(unit=unit, short_name=dept) if dept else None
    Position.objects.create(person=person, unit=unit, department=department, title=title,
                            start_date=D(2018, 1, 1))
    return person


def _plan_document(unit: Unit, year: int) -> Document | None:
    return (Document.objects.filter(issuing_unit=unit, doc_type__code="ke_hoach", year=year,
                                    title__startswith="Kiểm tra").order_by("pk").first())


def load_demo_inspections() -> None:
    """Both scenarios; a no-op when a plan already exists."""
    if InspectionPlan.objects.exists():
        return
    with acting(None, reason=REASON):
        _centre()
        _hcm()
        _after_sessions()


def _schedule(team: Team, units: list[Unit], days: list[dt.date]) -> None:
    slots = [(d, h) for d in days for h in HALVES]
    for unit, (day, half) in zip(units, slots, strict=False):
        services.session_create(actor=None, team=team, unit=unit, on=day, half=half,
                                place="Trụ sở " + unit.name)


def _centre() -> None:
    centre = _unit(CENTRE)
    services.policy_issue(
        actor=None, issuing_unit=centre, valid_from=D(2020, 1, 1), morning_start=dt.time(8, 0),
        afternoon_start=dt.time(14, 0), party_rep_count=1, excellent_count=0,
        excellent_levels=[], good_count=0, good_levels=[], followup_days=CENTRE_FOLLOWUP_DAYS,
        source="Kế hoạch kiểm tra, đi cơ sở của Ban Bí thư Trung ương Đoàn năm 2020")
    plan = services.plan_create(actor=None, issuing_unit=centre, year=2020, title=CENTRE_PLAN,
                                document=_plan_document(centre, 2020))
    staff = [_person(n, centre, d, t) for n, d, t in CENTRE_STAFF]
    others = [_person(n, centre, d, t) for n, d, t in CENTRE_MEMBERS]
    rounds = (
        (1, "Kiểm tra định kỳ Đợt 1 năm 2020", ROUND_1_UNITS, ROUND_1_CONTENT, D(2020, 6, 1),
         D(2020, 6, 15), "Giao ban cụm hoạt động 6 tháng đầu năm 2020", D(2020, 6, 12),
         D(2020, 3, 20)),
        (2, "Kiểm tra định kỳ Đợt 2 năm 2020", ROUND_2_UNITS, ROUND_2_CONTENT, D(2020, 11, 16),
         D(2020, 11, 30), "Giao ban cụm hoạt động cuối năm 2020", D(2020, 11, 27),
         D(2020, 9, 21)),
    )
    for number, title, names, content, start, end, meeting, meeting_on, notice_on in rounds:
        round_ = services.round_create(
            actor=None, plan=plan, number=number, title=title, window_start=start,
            window_end=end, units=[_unit(n) for n in names], purpose=CENTRE_PURPOSE,
            content=content, method=CENTRE_METHOD, procedure=CENTRE_PROCEDURE,
            cluster_meeting=meeting, cluster_meeting_on=meeting_on)
        for i, (head, units) in enumerate(CENTRE_TEAMS[number], start=1):
            secretary, member = staff[i - 1], others[i - 1]
            team = services.team_create(
                actor=None, round_=round_, number=i,
                name=f"Đoàn kiểm tra số {i}",
                members=[services.MemberInput(_person(head, centre), TeamRole.HEAD, "Bí thư "
                                              "Trung ương Đoàn"),
                         services.MemberInput(secretary, TeamRole.SECRETARY, "Ban Kiểm tra"
                                              if i == 1 else ""),
                         services.MemberInput(member)])
            # a working day between two units: the centre's teams travel between provinces
            working = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)
                       if (start + dt.timedelta(days=n)).weekday() < 5]
            days = [working[2 * k + i - 1] for k in range(len(units))]
            for unit, day in zip(units, days, strict=True):
                services.session_create(actor=None, team=team, unit=_unit(unit), on=day,
                                        half="sang")
        services.team_notice_issue(actor=None, round_=round_, signer_title="BÍ THƯ THƯỜNG TRỰC",
                                   signer_name="Nguyễn Anh Tuấn",
                                   issued_on=notice_on)


def _hcm() -> None:
    hcm = _unit(HCM)
    services.policy_issue(
        actor=None, issuing_unit=hcm, valid_from=D(2020, 10, 1), morning_start=dt.time(8, 0),
        afternoon_start=dt.time(14, 0), party_rep_count=1, excellent_count=2,
        excellent_levels=["htxs", "vung_manh"], good_count=2,
        good_levels=["htt", "ht", "kha", "trung_binh"], home_affairs_count=1,
        home_affairs_unit_kinds=["huyen"], followup_days=HCM_FOLLOWUP_DAYS,
        source="Kế hoạch kiểm tra, đánh giá, phân loại và xếp hạng thi đua năm 2020 "
               "(mục III.2, III.6)")
    plan = services.plan_create(actor=None, issuing_unit=hcm, year=2020, title=HCM_PLAN,
                                document=_plan_document(hcm, 2020))
    # the city's units as they stood in November 2020 (before Thủ Đức city, 1/1/2021)
    then = versions_on(D(2020, 11, 9)).filter(parent=hcm).values("unit_id")
    units = list(Unit.objects.filter(pk__in=then).select_related("kind").order_by("name"))
    districts = sorted((u for u in units if u.kind.code == "huyen"),
                       key=lambda u: (u.name != "Quận đoàn 1", u.name))
    others = [u for u in units if u.kind.code != "huyen"]
    round_ = services.round_create(
        actor=None, plan=plan, number=1,
        title="Kiểm tra, đánh giá, phân loại và xếp hạng thi đua năm 2020",
        window_start=D(2020, 11, 9), window_end=D(2020, 11, 27), units=[*districts, *others],
        purpose=HCM_PURPOSE, content=HCM_CONTENT, method=HCM_METHOD, procedure=HCM_PROCEDURE,
        cluster_meeting="Hội nghị tổng kết công tác Đoàn năm 2020")
    teams: list[Team] = []
    for i, (head, secretary, members) in enumerate(HCM_TEAMS, start=1):
        chosen = [services.MemberInput(_person(head, hcm), TeamRole.HEAD),
                  services.MemberInput(_person(secretary, hcm,
                                               HCM_SECRETARY_DEPTS.get(secretary, "")),
                                       TeamRole.SECRETARY)]
        for name, dept, title in members:
            body = "Trường Đoàn Lý Tự Trọng" if dept == "TĐLTT" else ""
            chosen.append(services.MemberInput(_person(name, hcm, dept, title),
                                               TeamRole.MEMBER, body))
        teams.append(services.team_create(actor=None, round_=round_, number=i,
                                          name=f"Đoàn kiểm tra số {i}",
                                          members=chosen))
    # the working days of 9–20/11/2020 (after the 04/11 and 06/11 deadlines of seed 001)
    days = [D(2020, 11, d) for d in (9, 10, 11, 12, 13, 16, 17, 18, 19, 20)]
    targets = [*districts, *others]
    for i, team in enumerate(teams):
        _schedule(team, targets[i::len(teams)], days)
    services.team_notice_issue(actor=None, round_=round_, signer_title="BÍ THƯ",
                               signer_name="Phan Thị Thanh Phương",
                               issued_on=D(2020, 10, 30))
    _q1_attendees()
    _q1_requests()
    _documents(round_)


def _q1_attendees() -> None:
    """Quận 1's wards, classified for 2019 with their secretaries, and the proposed list."""
    q1 = _unit("Quận đoàn 1")
    for ward, level, secretary in Q1_WARDS:
        unit = _unit(ward)
        if not UnitClassification.objects.filter(unit=unit, year=2019).exists():
            unit_classify(actor=None, unit=unit, year=2019, level=level)
        if secretary:
            Position.objects.create(person=Person.objects.create(full_name=secretary),
                                    unit=unit, title="Bí thư Đoàn phường",
                                    start_date=D(2018, 1, 1))
    session = Session.objects.get(unit=q1, team__round__plan__year=2020)
    services.attendees_propose(actor=None, session=session)


def _q1_requests() -> None:
    """An answered request (Quận 3 moved) and one waiting for the head (Quận 1)."""
    q3 = Session.objects.filter(unit__name="Quận đoàn 3", team__round__plan__year=2020).first()
    if q3 is not None:
        req = services.move_request_create(
            actor=None, session=q3, proposed_date=D(2020, 11, 20), proposed_half="chieu",
            reason="Lãnh đạo cấp ủy bận công tác theo lịch dự kiến")
        services.move_request_decide(actor=None, request=req, accept=True)
    q1 = Session.objects.get(unit__name="Quận đoàn 1", team__round__plan__year=2020)
    taken = set(Session.objects.filter(team__round=q1.team.round).values_list("date", "half"))
    for day in (D(2020, 11, 19), D(2020, 11, 20), D(2020, 11, 18)):
        for half in HALVES:
            if (day, half) not in taken:
                services.move_request_create(
                    actor=None, session=q1, proposed_date=day, proposed_half=half,
                    reason="Đồng chí Bí thư Quận ủy dự hội nghị Thành ủy theo lịch dự "
                           "kiến")
                return


def _documents(round_: Round) -> None:
    """INS-5: every inspected unit of the demo delivers its documents the day before its
    deadline, except, in the city's round, the last unit scheduled from 12/11, which is marked
    not inspected this year the day after its deadline. The city's district unions, dissolved
    with the district tier on 1/7/2025, get no hub obligation (the hub refuses a dissolved
    unit), so the units concerned are the city's unions that still exist."""
    sessions = list(Session.objects.filter(documents_obligation__isnull=False)
                    .select_related("unit", "team", "documents_obligation")
                    .order_by("date", "half", "pk"))
    late = [s for s in sessions if s.team.round_id == round_.pk and s.date >= D(2020, 11, 12)]
    missed = late[-1] if late else None
    for session in sessions:
        if session == missed:
            continue
        ob = session.documents_obligation
        assert ob is not None
        name = f"tai-lieu-kiem-tra-2020-{session.unit_id}.pdf"
        services.documents_submit(
            actor=None, session=session, on=ob.due_on - dt.timedelta(days=1),
            text="Báo cáo tự kiểm tra công tác Đoàn và phong trào thanh thiếu nhi năm 2020.",
            files=[SimpleUploadedFile(name, b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n",
                                      "application/pdf")])
    if missed is not None and missed.documents_obligation is not None:
        services.documents_missed_mark(
            on=missed.documents_obligation.due_on + dt.timedelta(days=1), round_=round_)


def demo_round(year: int, number: int, issuer: str) -> Round | None:
    """A round of the demo, for tests and the console."""
    return Round.objects.filter(plan__issuing_unit__name=issuer, plan__year=year,
                                number=number).first()


# -- after the sessions (INS-7, INS-8) ------------------------------------------------------------


def _deliver(ob: Obligation, i: int, text: str, *, with_file: bool = False) -> None:
    """Vary timeliness by position: one in five left open (late now), one in five handed in two
    days late, the others the day before their due date."""
    kind = i % 5
    if kind == 0:
        return
    day = ob.due_on + dt.timedelta(days=2) if kind == 1 else ob.due_on - dt.timedelta(days=1)
    files = []
    if with_file:
        name = f"bai-thu-hoach-{ob.pk}.pdf"
        files = [SimpleUploadedFile(name, b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n",
                                    "application/pdf")]
    hub_services.obligation_submit(actor=None, obligation=ob, text=text, files=files,
                                   at=followup.submitted_at(day))


def _after_sessions() -> None:
    """Every session that took place is marked held on its day: the team members' reflections
    and the supervising department's compilation (the standing department of the unit's cluster
    at the centre, of its sector group in the city) follow; the daily job then gives the
    rounds' compilations. About one in five is left open and one in five handed in late."""
    _grant_head_of_btc()
    sessions = list(Session.objects.filter(status=SessionStatus.SCHEDULED)
                    .select_related("team__round__plan__issuing_unit", "unit")
                    .order_by("date", "half", "team__number"))
    for session in sessions:
        followup.session_held(actor=None, session=session, on=session.date)
    followup.rounds_ended(on=D(2020, 12, 15))
    reflections = Obligation.objects.filter(kind=followup.REFLECTION_KIND).order_by("pk")
    for i, ob in enumerate(reflections):
        _deliver(ob, i, REFLECTION_TEXT, with_file=i % 3 == 0)
    units = Obligation.objects.filter(kind=followup.UNIT_COMPILATION_KIND).order_by("pk")
    for i, ob in enumerate(units):
        _deliver(ob, i + 2, "Tổng hợp những hạn chế, vướng mắc của đơn vị sau kiểm tra.")
    for number, recs in CENTRE_RECOMMENDATIONS.items():
        round_ = demo_round(2020, number, CENTRE)
        assert round_ is not None
        _recommend(round_, recs)
    hcm_round = demo_round(2020, 1, HCM)
    assert hcm_round is not None
    _recommend(hcm_round, HCM_RECOMMENDATIONS, raised_on=hcm_round.window_end)
    for kind in (followup.RECOMMENDATION_DEPARTMENT_KIND, followup.RECOMMENDATION_OFFICE_KIND):
        for i, ob in enumerate(Obligation.objects.filter(kind=kind).order_by("pk")):
            _deliver(ob, i + 3, "Tổng hợp, tham mưu giải quyết kiến nghị, đề xuất của cơ sở.")
    # the centre's round 1 compiled on time; round 2 and the city's round still open
    first = demo_round(2020, 1, CENTRE)
    assert first is not None
    ob = Obligation.objects.get(key=followup.round_compilation_key(first))
    hub_services.obligation_submit(
        actor=None, obligation=ob, at=followup.submitted_at(ob.due_on - dt.timedelta(days=1)),
        text="Báo cáo Ban Bí thư những vấn đề còn hạn chế, vướng mắc ở cơ sở sau kiểm tra định "
             "kỳ Đợt 1 năm 2020.")


def _recommend(round_: Round, recs: tuple[tuple[str, str, str], ...],
               raised_on: dt.date | None = None) -> None:
    issuer = round_.plan.issuing_unit
    for unit, dept, content in recs:
        followup.recommendation_record(
            actor=None, round_=round_, content=content, unit=_unit(unit),
            department=Department.objects.get(unit=issuer, short_name=dept), raised_on=raised_on)


def _grant_head_of_btc() -> None:
    """The head of the city's Ban Tổ chức (hcm_bantochuc, who scores its criteria) also answers
    for the department's compilations: a department role with write, so they land in his
    "Việc của tôi"."""
    user = User.objects.filter(username="hcm_bantochuc").first()
    if user is None:
        return
    hcm = _unit(HCM)
    grant_create(actor=None, scope=Scope(user_id=None, is_superuser=True), user=user,
                 role_type=RoleType.objects.get(code="can_bo_ban"), unit=hcm,
                 department=Department.objects.get(unit=hcm, short_name="BTC"),
                 start_date=D(2020, 11, 1))
# -- session records and conclusions (INS-6, INS-8, EMU-9, EMU-11) -------------------------------
# Invented (plausible, not authoritative): the 2019 round at Quận đoàn 1 and its team, Ban Tổ
# chức supervising Quận đoàn 1, every note, strength, limitation, task, adjustment and model.

HCM_2019_PLAN = ("Kế hoạch kiểm tra, đánh giá, phân loại và xếp hạng thi đua công tác Đoàn và "
                 "phong trào thanh thiếu nhi thành phố năm 2019")
NOTES = ("Đoàn kiểm tra và Ban Thường vụ {unit} giới thiệu thành phần; đại diện cấp ủy và 04 "
         "đồng chí Bí thư Đoàn cơ sở dự.",
         "Đoàn kiểm tra đề nghị đơn vị thông tin về công tác phát triển đoàn viên, việc khắc "
         "phục hạn chế năm 2019 và các công trình thanh niên.",
         "Ban Thường vụ {unit} trao đổi, cung cấp thêm hồ sơ minh chứng.",
         "Đại diện cấp ủy ghi nhận sự năng động của tổ chức Đoàn, đề nghị tiếp tục tham mưu "
         "công tác chuyển đổi số.",
         "Trưởng đoàn kết luận buổi làm việc.")
# per demo conclusion: strengths, limitations, tasks (text, department), adjustments
# (criterion code, points, reason), models (title, description, field, tags)
CONCLUSIONS = (
    ("Ban Thường vụ bám sát chương trình công tác năm 2020, triển khai kịp thời các chủ trương "
     "của Thành đoàn; công tác tập hợp thanh niên có nhiều cách làm mới.",
     ("Sổ sách đoàn vụ của một số cơ sở chưa cập nhật kịp thời.",),
     (("Hoàn thiện sổ sách đoàn vụ của các cơ sở trong quý I năm 2021.", "BTC"),
      ("Nhân rộng mô hình “Ngày thứ Bảy tình nguyện” ra các phường.", "BTG")),
     (("1.1", "-1", "Thiếu biên bản học tập nghị quyết của 2 cơ sở"),),
     (("Ngày thứ Bảy tình nguyện", "Mỗi thứ Bảy, đoàn viên các phường cùng làm một công trình "
       "vệ sinh môi trường, sửa chữa nhà cho hộ khó khăn.", "Tình nguyện",
       "tình nguyện, môi trường"),
      ("Sổ đoàn viên điện tử", "Quản lý đoàn viên, thu đoàn phí qua ứng dụng trên điện thoại.",
       "Xây dựng tổ chức Đoàn", "chuyển đổi số, đoàn phí"))),
    ("Công tác giáo dục chính trị, tư tưởng được quan tâm; phối hợp tốt với chính quyền địa "
     "phương trong các hoạt động an sinh xã hội.",
     ("Tỷ lệ thanh niên được tập hợp còn thấp so với chỉ tiêu.",
      "Báo cáo chuyên đề gửi Thành đoàn còn chậm."),
     (("Xây dựng kế hoạch tập hợp thanh niên lao động tự do năm 2021.", "BTC"),),
     (("3.2", "-0,5", "Thu, nộp đoàn phí 6 tháng cuối năm chưa đúng quy định"),),
     (("Câu lạc bộ Lý luận trẻ", "Sinh hoạt định kỳ hằng tháng, thảo luận các chuyên đề thời "
       "sự, chính trị cho cán bộ Đoàn trẻ.", "Giáo dục chính trị, tư tưởng",
       "lý luận, tuyên giáo"),)),
    ("Phong trào thanh niên tình nguyện sôi nổi; công tác Đội và phong trào thiếu nhi có nhiều "
     "hoạt động thiết thực.",
     ("Chưa tổ chức kiểm tra, đánh giá các cơ sở Đoàn trực thuộc trước khi thành phố kiểm tra.",),
     (("Tổ chức kiểm tra các cơ sở Đoàn trực thuộc trước tháng 10 năm 2021.", "BKT"),),
     (),
     (("Tủ sách thiếu nhi ở khu phố", "Mỗi khu phố một tủ sách do đoàn viên quản lý, mở cửa "
       "cuối tuần.", "Thiếu nhi", "đọc sách, thiếu nhi"),)),
)
CONCLUSION_2019 = (
    "Ban Thường vụ Quận đoàn năng động, nhiều mô hình hay trong công tác tập hợp thanh niên.",
    ("Các chi đoàn khu phố sinh hoạt chưa đều, chưa được củng cố.",
     "Báo cáo chuyên đề gửi Thành đoàn còn chậm."),
    (("Củng cố chi đoàn khu phố trong năm 2020.", "BTC"),), (),
    (("Góc học tập cho thiếu nhi khu phố", "Đoàn phường bố trí góc học tập miễn phí buổi tối.",
      "Thiếu nhi", "học tập, thiếu nhi"),))



def record_conclusion(session: Session, spec: tuple, *,  # type: ignore[type-arg]
                      issued_on: dt.date | None = None) -> Conclusion:
    """The demo's record of `session` from a CONCLUSIONS entry, issued on `issued_on` (a draft
    when None) on behalf of the team head."""
    strengths, limitations, tasks, adjustments, models = spec
    depts = {d.short_name: d for d in Department.objects.filter(
        unit=session.team.round.plan.issuing_unit)}
    conclusion = conclusions.conclusion_save(
        actor=None, session=session,
        notes=[n.format(unit=session.unit.name) for n in NOTES],
        present=list(session.attendees.all()),
        present_others="Đại diện Ban Thường vụ cấp ủy", strengths=strengths,
        limitations=list(limitations),
        directions=[conclusions.DirectionInput(t, depts[d]) for t, d in tasks],
        adjustments=[conclusions.AdjustmentInput(*a) for a in adjustments],
        models=[conclusions.ModelInput(*m) for m in models])
    if issued_on is not None:
        head = session.team.members.get(role=TeamRole.HEAD).person.full_name
        conclusions.conclusion_issue(actor=None, conclusion=conclusion,
                                     signer_title="TRƯỞNG ĐOÀN KIỂM TRA", signer_name=head,
                                     issued_on=issued_on)
    return conclusion


def load_demo_2019_conclusion() -> Conclusion | None:
    """The city's 2019 round at Quận đoàn 1 and its issued conclusion: of its two limitations
    Ban Tổ chức (supervising Quận đoàn 1 from 2019) marked one remedied in March 2020; the
    other is a penalty candidate on Quận đoàn 1's 2020 sheet (EMU-11). None when already
    there or without the city's 2020 plan."""
    if Conclusion.objects.exists() or not InspectionPlan.objects.filter(
            issuing_unit__name=HCM, year=2020).exists():
        return None
    with acting(None, reason=REASON):
        hcm = _unit(HCM)
        q1 = _unit("Quận đoàn 1")
        Supervision.objects.get_or_create(
            assigning_unit=hcm, supervised_unit=q1,
            department=Department.objects.get(unit=hcm, short_name="BTC"),
            defaults={"role_label": "Ban phụ trách", "field": "Toàn diện",
                      "start_date": D(2019, 1, 1)})
        services.policy_issue(
            actor=None, issuing_unit=hcm, valid_from=D(2019, 10, 1), valid_to=D(2020, 9, 30),
            morning_start=dt.time(8, 0), afternoon_start=dt.time(14, 0), party_rep_count=1,
            excellent_count=2, excellent_levels=["htxs", "vung_manh"], good_count=2,
            good_levels=["htt", "ht", "kha", "trung_binh"], home_affairs_count=1,
            home_affairs_unit_kinds=["huyen"], source="Kế hoạch kiểm tra năm 2019")
        plan = services.plan_create(actor=None, issuing_unit=hcm, year=2019,
                                    title=HCM_2019_PLAN)
        round_ = services.round_create(
            actor=None, plan=plan, number=1,
            title="Kiểm tra, đánh giá, phân loại và xếp hạng thi đua năm 2019",
            window_start=D(2019, 11, 11), window_end=D(2019, 11, 22), units=[q1],
            content="Kiểm tra việc triển khai chương trình công tác Đoàn năm 2019.",
            method=HCM_METHOD, procedure=HCM_PROCEDURE)
        head, secretary = HCM_TEAMS[0][0], HCM_TEAMS[0][1]
        team = services.team_create(
            actor=None, round_=round_, number=1, name="Đoàn kiểm tra số 1",
            members=[services.MemberInput(_person(head, hcm), TeamRole.HEAD),
                     services.MemberInput(_person(secretary, hcm), TeamRole.SECRETARY)])
        session = services.session_create(actor=None, team=team, unit=q1, on=D(2019, 11, 12),
                                          half="sang", place="Trụ sở Quận đoàn 1").session
        conclusion = record_conclusion(session, CONCLUSION_2019, issued_on=D(2019, 11, 14))
        conclusions.limitation_remedied(
            actor=None, limitation=conclusion.limitations.get(order=2), on=D(2020, 3, 16),
            note="Đã nộp đủ báo cáo chuyên đề quý I/2020 đúng hạn (Ban Tổ chức xác nhận).")
    return conclusion
