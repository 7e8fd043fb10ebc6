"""The remediation demo (issue 14): seed 004, Tây Ninh's 2020 plan to remedy the shortcomings its
Standing Committee found in its 2019 self-review.

- The register: 8 entries in three areas — 5 found in 2019 and 3 carried from 2018, one of which
  is the same as a 2019 one (seed 004's footnote: 5 + 3 − 1 = 7). The seed does not say which
  shortcomings came from 2018; the demo carries over numbers 3 and 5, and links a 2018 entry on
  the year's targets as the same as number 1.
- Three solution groups led by Văn phòng, Ban Tổ chức – Kiểm tra and Ban Phong trào (seed 004
  §IV) with the plan's solutions and deadlines ("tháng 03/2020", "quý I/2020", "thường xuyên").
- The monthly evaluation policy of full-time standing members: remediation of last month's
  shortcomings 40% (seed 004); the other three weights are the demo's, and so are the thresholds
  suggesting the year-end rating. January–March 2020 are rated, January and February locked.
- REM-4: the quarterly and half-yearly report deadlines (the demo's) beside the hub demo's
  yearly one (01/11, seed 004), and the departments' 2020 reports opened to the Office.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile

from doanvu.accounts.scope import Scope
from doanvu.common.periods import Period
from doanvu.hub import rules as hub_rules
from doanvu.hub import selectors as hub_selectors
from doanvu.hub import services as hub_services
from doanvu.org.models import Department, Person, Unit

from . import reports, services
from .models import Shortcoming

SYSTEM = Scope(user_id=None, is_superuser=True)
TAY_NINH = "Tỉnh đoàn Tây Ninh"
REVIEW_YEAR = 2019

AREAS = ("Trong công tác lãnh đạo, điều hành",
         "Trong lĩnh vực công tác tổ chức xây dựng Đoàn",
         "Trong lĩnh vực công tác tổ chức các hoạt động phong trào")

# (number, area index, year found, text, number of the entry it is the same as)
REGISTER = (
    (1, 0, 2019, "Chưa đạt 100% chỉ tiêu kế hoạch năm của tỉnh và Trung ương Đoàn giao. Việc "
     "triển khai một số nội dung theo sự chỉ đạo của Trung ương Đoàn có lúc, có thời điểm vẫn "
     "chưa đạt hiệu quả, còn bị phê bình, nhắc nhở.", None),
    (2, 0, 2019, "Một số hoạt động của cấp tỉnh chỉ đạo cơ sở triển khai thực hiện còn gấp hoặc "
     "chỉ đạo còn chậm chưa kịp thời, gây khó khăn cho cơ sở trong quá trình triển khai thực "
     "hiện.", None),
    (3, 0, 2018, "Một số giải pháp khắc phục khuyết điểm theo Nghị quyết Trung ương 4 chưa được "
     "thực hiện đảm bảo đúng lộ trình thời gian theo kế hoạch của Tỉnh đoàn, có giải pháp triển "
     "khai thực hiện chậm.", None),
    (4, 0, 2019, "Một số hoạt động cấp tỉnh tổ chức chưa xứng tầm với quy mô; nội dung và hình "
     "thức tổ chức chưa phù hợp.", None),
    (5, 1, 2018, "Công tác quản lý đoàn viên, nhất là ở xã, phường, thị trấn còn chưa chặt chẽ và "
     "sâu sát với tình hình thực tế tại cơ sở. Phương thức đoàn kết tập hợp, tổ chức các hoạt "
     "động cho thanh niên chưa có nhiều đổi mới; chưa theo kịp yêu cầu, nguyện vọng và tình hình "
     "phát triển của thanh niên nên chưa thu hút được đông đảo thanh niên tham gia. Việc thành "
     "lập các chi đoàn trong các doanh nghiệp ngoài nhà nước chưa có nhiều chuyển biến.", None),
    (6, 1, 2019, "Phần mềm quản lý đoàn viên chưa triển khai thực hiện.", None),
    (7, 2, 2019, "Còn 02 đơn vị không vận động được nguồn vốn khởi nghiệp cấp huyện (Trảng Bàng "
     "và Thành phố Tây Ninh).", None),
    (8, 0, 2018, "Chưa đạt chỉ tiêu kế hoạch năm do Trung ương Đoàn giao.", 1),
)

# group number → (lead department's short name, name, [(solution, deadline, shortcomings)])
GROUPS = (
    (1, "VP", "Nhóm giải pháp khắc phục hạn chế, khuyết điểm trong công tác lãnh đạo, điều hành", (
        ("Duy trì đánh giá ủy viên Ban Thường vụ chuyên trách trong các phiên họp Ban Thường vụ "
         "định kỳ hằng tháng theo các tiêu chí cụ thể.", "thường xuyên", (1, 3)),
        ("Nội dung các hoạt động cấp tỉnh được tập thể Thường trực cho ý kiến và các ban chuyên "
         "môn góp ý, thảo luận trước khi ban hành kế hoạch chính thức.", "thường xuyên", (4,)),
        ("Văn bản chỉ đạo cơ sở ban hành trước thời điểm các đơn vị triển khai ít nhất 01 tuần "
         "(trừ trường hợp gấp theo chỉ đạo của Trung ương Đoàn).", "thường xuyên", (2,)),
    )),
    (2, "TCKT", "Nhóm giải pháp khắc phục hạn chế, khuyết điểm trong công tác tổ chức xây dựng "
     "Đoàn", (
        ("Phối hợp xây dựng phần mềm “Quản lý đoàn viên” mới, trình phiên họp Ban Thường vụ "
         "thường kỳ.", "tháng 03/2020", (6,)),
        ("Tập huấn 100% cán bộ Tỉnh đoàn, lãnh đạo các huyện, thành đoàn và Đoàn trực thuộc "
         "cách cập nhật, quản lý phần mềm.", "tháng 05/2020", (6,)),
        ("Tổng rà soát, đánh giá lại thực trạng đội ngũ đoàn viên, hội viên, thanh niên, không "
         "để xảy ra tình trạng đoàn viên, hội viên “ảo”.", "tháng 04/2020", (5,)),
        ("Phân công Thường trực, Ủy viên Ban Thường vụ, các ban phụ trách các huyện, thành đoàn "
         "và đoàn trực thuộc; đi cơ sở theo chủ trương “1+2”, báo cáo hằng quý.", "thường xuyên",
         (5,)),
        ("Đánh giá, sơ kết mô hình “tuyên truyền trên xe buýt”.", "quý I/2020", (5,)),
        ("Chăm lo thanh niên công nhân; hướng đến thành lập các chi hội, chi đoàn khu nhà trọ.",
         "thường xuyên", (5,)),
    )),
    (3, "BPT", "Nhóm giải pháp khắc phục hạn chế, khuyết điểm trong công tác tổ chức các hoạt "
     "động phong trào", (
        ("Vận động nguồn lực bổ sung nguồn vốn “Hỗ trợ thanh niên khởi nghiệp”.", "thường xuyên",
         (7,)),
        ("Trao đổi với cấp ủy huyện Trảng Bàng và Thành phố về giải pháp thành lập nguồn vốn hỗ "
         "trợ thanh niên khởi nghiệp cấp huyện.", "tháng 03/2020", (7,)),
        ("Xây dựng phóng sự, bài viết về các gương thanh niên khởi nghiệp.", "thường xuyên",
         (7,)),
    )),
)
# progress of some solutions by (group, position): percent, note
PROGRESS = {(2, 1): (100, "Đã trình phiên họp Ban Thường vụ tháng 03/2020."),
            (2, 2): (100, "Đã tập huấn xong trong tháng 5/2020."),
            (3, 2): (50, "Đã làm việc với Huyện ủy Trảng Bàng.")}

POLICY: dict[str, Any] = {
    "name": "Đánh giá ủy viên Ban Thường vụ chuyên trách hằng tháng năm 2020",
    "source": "Kế hoạch khắc phục khuyết điểm của tập thể Ban Thường vụ Tỉnh đoàn năm 2020",
    "criteria": [
        {"code": "tai_lieu", "label": "Tiến độ cung cấp tài liệu họp Ban Thường vụ định kỳ",
         "weight": 20},
        {"code": "nhiem_vu", "label": "Mức độ hoàn thành nhiệm vụ được phân công", "weight": 30},
        {"code": "khac_phuc", "label": "Kết quả khắc phục khuyết điểm tự nhận và được góp ý "
         "trong tháng trước", "weight": 40},
        {"code": "sang_kien", "label": "Sáng kiến chuyên môn trong tháng", "weight": 10},
    ],
    # the least year mean suggesting each level of the members' scale (the demo's figures: the
    # seed only says the results are "one of the bases" of the year-end rating)
    "rating_thresholds": [{"level": "htxs", "min": 90}, {"level": "htt", "min": 80},
                          {"level": "ht", "min": 50}],
}
# REM-4: the seed sets the yearly report's day (01/11, already a hub policy of the demo) but not
# the quarterly and half-yearly ones: the demo's are the 10th of the month after the period
REPORT_POLICIES = (
    ("rem.department_report_quarter", "Báo cáo quý kết quả khắc phục khuyết điểm",
     hub_rules.DueRule.quarter_day(10, month=1, quarter_offset=1)),
    ("rem.department_report_half", "Báo cáo 6 tháng kết quả khắc phục khuyết điểm",
     hub_rules.DueRule.quarter_day(10, month=1, quarter_offset=2)),
)
REPORT_SOURCE = ("Kế hoạch tiếp tục khắc phục khuyết điểm của tập thể Ban Thường vụ Tỉnh đoàn "
                 "năm 2020, mục IV")
MEMBERS = ("Hoàng Thị Thanh Thúy", "Trần Lê Duy", "Lâm Quốc Thái")
# points per member and month: (tài liệu, nhiệm vụ, khắc phục, sáng kiến)
POINTS = {
    1: ((100, 90, 80, 50), (90, 90, 70, 60), (100, 80, 90, 40)),
    2: ((100, 95, 85, 60), (80, 90, 80, 50), (100, 90, 90, 50)),
    3: ((100, 95, 90, 70), (90, 95, 85, 60), (100, 90, 95, 60)),
}
LOCKED_MONTHS = (1, 2)


def load_demo_remediation() -> None:
    tn = Unit.objects.filter(name=TAY_NINH).first()
    if tn is None:
        return
    areas = [services.area_create(scope=SYSTEM, unit=tn, name=n, position=i)
             for i, n in enumerate(AREAS, start=1)]
    items: dict[int, Shortcoming] = {}
    for number, area, found, text, same in REGISTER:
        items[number] = services.shortcoming_create(
            scope=SYSTEM, unit=tn, review_year=REVIEW_YEAR, year_found=found, area=areas[area],
            number=number, text=text, same_as=items[same] if same else None)
    depts = {d.short_name: d for d in Department.objects.filter(unit=tn).order_by("id")}
    for number, lead, name, solutions in GROUPS:
        group = services.group_create(scope=SYSTEM, unit=tn, year=REVIEW_YEAR + 1,
                                      number=number, name=name, lead=depts.get(lead))
        for position, (text, deadline, numbers) in enumerate(solutions, start=1):
            solution = services.solution_create(
                scope=SYSTEM, group=group, text=text, deadline=deadline, position=position,
                shortcomings=[items[n] for n in numbers])
            if (number, position) in PROGRESS:
                progress, note = PROGRESS[(number, position)]
                services.solution_progress(scope=SYSTEM, solution=solution, progress=progress,
                                           note=note)
                if progress == 100 and number == 2 and position == 2:
                    services.evidence_add(
                        scope=SYSTEM, actor=None, shortcoming=items[6], solution=solution,
                        name="Báo cáo kết quả tập huấn phần mềm Quản lý đoàn viên",
                        file=ContentFile(b"Bao cao ket qua tap huan", name="tap-huan.txt"))
                    services.shortcoming_close(
                        scope=SYSTEM, shortcoming=items[6], on=dt.date(2020, 5, 29),
                        note="Phần mềm đã triển khai, cán bộ đã được tập huấn.")
    _evaluations(tn)
    _reports(tn)


def _reports(tn: Unit) -> None:
    """REM-4: the quarterly and half-yearly deadline policies, and the departments' reports of
    2020 opened (the yearly ones of Ban Tổ chức – Kiểm tra and Ban Phong trào the hub's demo
    already made are found, not made again)."""
    for code, title, rule in REPORT_POLICIES:
        if hub_selectors.policy_in_force(unit=tn, code=code, on=dt.date(2020, 1, 1)) is None:
            hub_services.policy_create(unit=tn, code=code, title=title, rule=rule,
                                       valid_from=dt.date(2020, 1, 1),
                                       source_document=REPORT_SOURCE,
                                       source_text="Yêu cầu các ban, bộ phận báo cáo tiến độ "
                                                   "thực hiện định kỳ hàng quý, 6 tháng và năm.")
    if reports.office_of(tn) is not None:
        reports.obligations_open(scope=SYSTEM, unit=tn, year=REVIEW_YEAR + 1)


def _evaluations(tn: Unit) -> None:
    policy = services.evaluation_policy_create(
        scope=SYSTEM, issuing_unit=tn, name=POLICY["name"], source=POLICY["source"],
        valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2020, 12, 31),
        criteria=POLICY["criteria"], rating_thresholds=POLICY["rating_thresholds"])
    codes = [c["code"] for c in POLICY["criteria"]]
    persons = [Person.objects.filter(full_name=n, positions__unit=tn).distinct().first()
               for n in MEMBERS]
    for month, rows in POINTS.items():
        period = Period.month(2020, month)
        for person, points in zip(persons, rows, strict=True):
            if person is None:
                continue
            services.evaluation_save(scope=SYSTEM, unit=tn, person=person, month=period,
                                     policy=policy, points=dict(zip(codes, points, strict=True)))
        if month in LOCKED_MONTHS:
            services.evaluation_month_lock(scope=SYSTEM, unit=tn, month=period)
