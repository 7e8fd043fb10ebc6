"""Demo data of EMU-1: Thành đoàn TP. Hồ Chí Minh's 2020 emulation rubrics, one per sector group
(seed 001), and the 2021 draft of the Quận – Huyện group copied from 2020.

What seed 001 gives: the three sector groups ranked apart (Quận – Huyện, Công nhân lao động,
Lực lượng vũ trang); that the Ban – Văn phòng and the affiliated bodies score online "theo nội
dung được phân công" before each unit's inspection; the components scored by others — the
school-area results of school year 2019–2020 supplied by Văn phòng, the evaluation of the
districts' Nhà Thiếu nhi by Ban Thiếu nhi with Nhà Thiếu nhi Thành phố, the evaluation of Hội
and youth movement work by Ban Thư ký Hội LHTN Thành phố; that bonus and penalty points exist
"theo quy định"; what is inspected (the year's programme and political tasks, the 2020 models
and solutions, the remedy of 2019's shortcomings); and the tiers it names (hoàn thành xuất sắc
/ tốt / hoàn thành nhiệm vụ). It gives no criterion wording and no number: the areas below follow
those contents and departments, and every point, cap, threshold, share and condition is
invented demo data (the city's real scale is a separate document, not among the seeds).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

from django.utils import timezone

from doanvu.org.models import Cluster, ClusterKind, Department, Unit

from . import services
from .models import Rubric, SectorGroup

HCM = "Thành đoàn TP. Hồ Chí Minh"
YEAR = 2020
FROZEN_AT = dt.datetime(2020, 10, 30, 9, 0)  # scoring opens before the November inspections

# Area: code, title, max, criteria (code, title, max, method, unit points, department short
# name, evidence required, evidence).
POINTS, YES_NO, COUNT, PERCENT = "cham_diem", "co_khong", "so_lan", "ty_le"

_POLITICS = ("I", "Công tác giáo dục chính trị, tư tưởng, đạo đức, lối sống", "15", [
    ("1.1", "Tổ chức học tập, quán triệt nghị quyết, chỉ thị của Đảng, của Đoàn; học tập và làm "
            "theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "6", POINTS, None, "BTG", True,
     "Kế hoạch, báo cáo kết quả học tập nghị quyết năm 2020"),
    ("1.2", "Tuyên truyền kỷ niệm các ngày lễ lớn, sự kiện chính trị của đất nước, thành phố "
            "năm 2020", "5", POINTS, None, "BTG", False, ""),
    ("1.3", "Định hướng dư luận, nắm bắt tình hình tư tưởng thanh thiếu nhi; báo cáo định kỳ "
            "đúng hạn", "4", YES_NO, None, "BTG", True, "Báo cáo tình hình tư tưởng hằng quý"),
])
_MOVEMENTS = ("II", "Các phong trào hành động cách mạng và công tác đoàn kết tập hợp thanh niên",
              "20", [
    ("2.1", "Thực hiện nhiệm vụ chính trị tại địa phương, đơn vị và các nội dung chỉ đạo của "
            "cấp ủy", "8", POINTS, None, "ĐKTH", True, "Văn bản chỉ đạo của cấp ủy và báo cáo "
                                                     "kết quả thực hiện"),
    ("2.2", "Công trình, phần việc thanh niên hoàn thành trong năm 2020", "6", COUNT, "2",
     "ĐKTH", True, "Biên bản nghiệm thu, bàn giao công trình"),
    ("2.3", "Tỷ lệ thanh niên được tập hợp vào các tổ chức Đoàn, Hội, câu lạc bộ, đội, nhóm",
     "6", PERCENT, None, "ĐKTH", False, ""),
])
_BUILDING = ("III", "Công tác xây dựng tổ chức Đoàn vững mạnh", "20", [
    ("3.1", "Tỷ lệ cơ sở Đoàn trực thuộc được đánh giá, xếp loại hoàn thành tốt nhiệm vụ trở "
            "lên", "6", PERCENT, None, "BTC", True, "Tổng hợp kết quả đánh giá cơ sở Đoàn "
                                                  "trực thuộc"),
    ("3.2", "Phát triển đoàn viên mới; quản lý đoàn viên, thu, nộp đoàn phí đúng quy định", "5",
     POINTS, None, "BTC", False, ""),
    ("3.3", "Kiểm tra, đánh giá kết quả hoạt động của các cơ sở Đoàn trực thuộc để chuẩn bị "
            "tổng kết tại đơn vị", "4", YES_NO, None, "BTC", True,
     "Kế hoạch và báo cáo kiểm tra cơ sở trực thuộc"),
    ("3.4", "Khắc phục những hạn chế, tồn tại được chỉ ra khi kiểm tra năm 2019", "5", POINTS,
     None, "BKT", True, "Báo cáo khắc phục hạn chế, tồn tại năm 2019"),
])
_SCHOOLS = ("IV", "Công tác Đoàn khu vực Trường học (kết quả chấm điểm năm học 2019 – 2020)",
            "10", [
    ("4.1", "Kết quả chấm điểm thi đua khu vực Trường học trực thuộc Quận – Huyện đoàn năm học "
            "2019 – 2020 (Văn phòng Thành đoàn cung cấp)", "10", PERCENT, None, "VP", False, ""),
])
_CHILDREN = ("V", "Công tác thiếu nhi và hoạt động của Nhà Thiếu nhi Quận – Huyện", "10", [
    ("5.1", "Công tác Đội và phong trào thiếu nhi trên địa bàn", "5", POINTS, None, "BTN",
     False, ""),
    ("5.2", "Kết quả đánh giá hoạt động của Nhà Thiếu nhi Quận – Huyện năm 2020 (Ban Thiếu nhi "
            "phối hợp Nhà Thiếu nhi Thành phố, gửi Văn phòng chậm nhất 04/11/2020)", "5",
     PERCENT, None, "NTN", False, ""),
])
_ASSOCIATION = ("VI", "Công tác Hội và phong trào thanh niên", "10", [
    ("6.1", "Kết quả đánh giá công tác Hội và phong trào thanh niên năm 2020 (Ban Thư ký Hội "
            "LHTN Việt Nam Thành phố, gửi các đoàn kiểm tra chậm nhất 04/11/2020)", "10",
     PERCENT, None, "HLHTN", False, ""),
])
_MODELS = ("VII", "Mô hình, giải pháp và công tác kiểm tra, giám sát", "15", [
    ("7.1", "Mô hình, giải pháp hiệu quả được triển khai năm 2020", "9", COUNT, "3", "BKT",
     True, "Báo cáo kết quả thực hiện các mô hình, giải pháp năm 2020"),
    ("7.2", "Thực hiện công tác kiểm tra, giám sát của Ủy ban Kiểm tra cùng cấp", "6", POINTS,
     None, "BKT", False, ""),
])
# the workers' and the armed forces' groups: their own area II and IV instead of school and
# children (the totals stay 100)
_WORKERS = ("IV", "Đoàn kết tập hợp thanh niên công nhân, chăm lo đời sống thanh niên công "
                  "nhân", "20", [
    ("4.1", "Thành lập, củng cố tổ chức Đoàn, Hội trong doanh nghiệp", "8", COUNT, "2", "CNLĐ",
     True, "Quyết định thành lập, củng cố"),
    ("4.2", "Chương trình chăm lo, hỗ trợ thanh niên công nhân năm 2020", "12", POINTS, None,
     "CNLĐ", True, "Báo cáo kết quả chương trình"),
])
_ARMED = ("IV", "Xây dựng tuổi trẻ lực lượng vũ trang vững mạnh, tham gia bảo vệ an ninh trật "
                "tự", "20", [
    ("4.1", "Phong trào thi đua quyết thắng, tuổi trẻ vì an ninh Tổ quốc", "12", POINTS, None,
     "ĐKTH", True, "Báo cáo kết quả phong trào"),
    ("4.2", "Phối hợp với Đoàn địa phương trong các hoạt động tình nguyện", "8", COUNT, "2",
     "ĐKTH", False, ""),
])
_ASSOCIATION_20 = ("VI", _ASSOCIATION[1], "10", _ASSOCIATION[3])

AREAS: dict[str, list[Any]] = {
    "Khu vực Quận – Huyện": [_POLITICS, _MOVEMENTS, _BUILDING, _SCHOOLS, _CHILDREN, _ASSOCIATION,
                             _MODELS],
    "Khu vực Công nhân lao động": [_POLITICS, _MOVEMENTS, _BUILDING, _WORKERS, _MODELS,
                                   _ASSOCIATION_20],
    "Khu vực Lực lượng vũ trang": [_POLITICS, _MOVEMENTS, _BUILDING, _ARMED, _MODELS,
                                   _ASSOCIATION_20],
}

# kind, code, title, points, cap, department
ITEMS = [
    ("thuong", "T1", "Mô hình, giải pháp được Ban Thường vụ Thành đoàn biểu dương, nhân rộng",
     "1", "3", "BKT"),
    ("thuong", "T2", "Tập thể được Trung ương Đoàn, Ủy ban nhân dân Thành phố tặng bằng khen "
                     "trong năm", "2", "4", "VP"),
    ("tru", "TR1", "Báo cáo định kỳ, báo cáo chuyên đề gửi Thành đoàn trễ hạn (mỗi báo cáo)",
     "0.5", "3", "VP"),
    ("tru", "TR2", "Không tham dự hội nghị, lớp tập huấn do Thành đoàn tổ chức (mỗi lần vắng "
                   "không lý do)", "0.5", "2", "VP"),
    ("tru", "TR3", "Không nhập điểm tự đánh giá trên phần mềm đánh giá thi đua cơ sở Đoàn đúng "
                   "thời hạn", "2", "2", "VP"),
]
BONUS_CAP, PENALTY_CAP = "5", "7"
# code, name, rank, minimum score, max share of the group (%)
TIERS = [
    ("htxs", "Hoàn thành xuất sắc nhiệm vụ", 1, "90", "20"),
    ("htt", "Hoàn thành tốt nhiệm vụ", 2, "75", None),
    ("ht", "Hoàn thành nhiệm vụ", 3, "50", None),
    ("kht", "Không hoàn thành nhiệm vụ", 4, "0", None),
]
DISQUALIFIERS = [
    ("L1", "Tập thể Ban Thường vụ hoặc cán bộ chủ chốt của đơn vị bị kỷ luật từ khiển trách trở "
           "lên trong năm", "htxs"),
    ("L2", "Không khắc phục các hạn chế, tồn tại đã được Thành đoàn kết luận khi kiểm tra năm "
           "2019", "htxs"),
]
TIE_BREAKS = [{"key": "linh_vuc", "ref": "III"}, {"key": "it_diem_tru", "ref": ""},
              {"key": "linh_vuc", "ref": "II"}]


def load_demo_rubrics() -> list[Rubric]:
    """The three 2020 rubrics (open for scoring since 30/10/2020) and a 2021 draft copy."""
    hcm = Unit.objects.get(name=HCM)
    depts = {d.short_name: d for d in Department.objects.filter(unit=hcm)}
    rubrics = []
    for n, cluster in enumerate(Cluster.objects.filter(owner=hcm, kind=ClusterKind.SECTOR_GROUP)
                                .order_by("pk"), start=1):
        group = services.sector_group_create(actor=None, issuing_unit=hcm, name=cluster.name,
                                             order=n * 10)
        members = list(cluster.members.all())
        # 2020's districts: before Thủ Đức (1/1/2021) the three old districts were units
        services.sector_group_assign(actor=None, group=group, units=_as_of_2020(members, hcm),
                                     year=YEAR)
        rubrics.append(_rubric(hcm, group, depts))
    draft = services.rubric_copy(actor=None, source=rubrics[0], year=YEAR + 1)
    services.sector_group_assign(actor=None, group=rubrics[0].group,
                                 units=_live(rubrics[0].group, hcm), year=YEAR + 1)
    return [*rubrics, draft]


def _as_of_2020(members: list[Unit], hcm: Unit) -> list[Unit]:
    """Members of the group in 2020: the group's units, with the units merged into Thủ Đức
    in their place."""
    out: list[Unit] = []
    for unit in members:
        sources = list(Unit.objects.filter(successor=unit, dissolved_on__gte=dt.date(2021, 1, 1)))
        out += sources if sources else [unit]
    return sorted({u.pk: u for u in out if u.parent_id == hcm.pk or u.path.startswith(hcm.path)}
                  .values(), key=lambda u: u.name)


def _live(group: SectorGroup, hcm: Unit) -> list[Unit]:
    cluster = Cluster.objects.get(owner=hcm, kind=ClusterKind.SECTOR_GROUP, name=group.name)
    return list(cluster.members.filter(dissolved_on__isnull=True).order_by("name"))


def _rubric(hcm: Unit, group: SectorGroup, depts: dict[str, Department]) -> Rubric:
    name = f"Thang điểm thi đua công tác Đoàn và phong trào thanh thiếu nhi năm {YEAR} – " \
           f"{group.name}"
    rubric = services.rubric_create(actor=None, issuing_unit=hcm, year=YEAR, group=group,
                                    name=name)
    for n, (code, title, max_points, criteria) in enumerate(AREAS[group.name], start=1):
        area = services.area_save(actor=None, rubric=rubric, code=code, title=title,
                                  max_points=D(max_points), order=n * 10)
        for m, (c_code, c_title, c_max, method, unit, dept, ev_req, ev) in enumerate(criteria,
                                                                                    start=1):
            services.criterion_save(
                actor=None, rubric=rubric, area=area, code=c_code, title=c_title,
                max_points=D(c_max), method=method, unit_points=D(unit) if unit else None,
                department=depts.get(dept), evidence_required=ev_req, evidence=ev, order=m * 10)
    for n, (kind, code, title, points, cap, dept) in enumerate(ITEMS, start=1):
        services.item_save(actor=None, rubric=rubric, kind=kind, code=code, title=title,
                           points=D(points), cap=D(cap) if cap else None,
                           department=depts.get(dept), order=n * 10)
    tiers = {}
    for code, tier_name, rank, minimum, share in TIERS:
        tiers[code] = services.tier_save(actor=None, rubric=rubric, code=code, name=tier_name,
                                         rank=rank, min_score=D(minimum),
                                         max_share=D(share) if share else None)
    for code, label, tier in DISQUALIFIERS:
        services.disqualifier_save(actor=None, rubric=rubric, code=code, label=label,
                                   barred_tier=tiers[tier])
    rubric = services.rubric_update(actor=None, rubric=rubric, name=rubric.name,
                                    bonus_cap=D(BONUS_CAP), penalty_cap=D(PENALTY_CAP),
                                    tie_breaks=TIE_BREAKS)
    return services.rubric_freeze(actor=None, rubric=rubric,
                                  at=timezone.make_aware(FROZEN_AT))


# -- score sheets (EMU-2, EMU-8, EMU-10) ---------------------------------------------------------

# The districts' sheets of 2020 at every stage, in the order of the group's units (by name):
# (stage, days before 30/11/2020 the departments must be done). Seed 001 sets the inspections in
# November 2020 and asks the departments to score "trước khi tiến hành kiểm tra tại từng cơ sở
# Đoàn"; the slots are not modelled yet, so the due date sits on each sheet.
SHEET_STAGES = ["adjusted", "self", "submitted", "department", "final", "submitted",
                "department", "self"]
DUE_FIRST = dt.date(2020, 11, 9)
# the component files of seed 001: criterion code → (title, the file's values by unit order)
COMPONENTS = {
    "4.1": "Kết quả chấm điểm thi đua khu vực Trường học năm học 2019 – 2020 (Văn phòng "
           "Thành đoàn)",
    "5.2": "Đánh giá hoạt động Nhà Thiếu nhi Quận – Huyện năm 2020 (Ban Thiếu nhi, Nhà Thiếu "
           "nhi Thành phố, 04/11/2020)",
    "6.1": "Đánh giá công tác Hội và phong trào thanh niên năm 2020 (Ban Thư ký Hội LHTN Thành "
           "phố, 04/11/2020)",
}
# who owes each component file, to whom, by when, and the day it was imported (seed 001 §III.3:
# Ban Thiếu nhi with Nhà Thiếu nhi Thành phố to Văn phòng and Hội LHTN's secretariat to the
# inspection teams by 04/11/2020; the school-area date and the import days are demo data — Nhà
# Thiếu nhi's file comes a day late, so timeliness shows)
COMPONENT_REQUESTS = {
    "4.1": ("VP", None, dt.date(2020, 11, 6), dt.date(2020, 11, 3)),
    "5.2": ("BTN", "VP", dt.date(2020, 11, 4), dt.date(2020, 11, 5)),
    "6.1": ("HLHTN", None, dt.date(2020, 11, 4), dt.date(2020, 11, 4)),
}
COMPONENT_REQUEST_TITLES = {
    "4.1": "Kết quả chấm điểm khu vực Trường học trực thuộc Quận – Huyện đoàn năm học 2019 – "
           "2020",
    "5.2": "Đánh giá kết quả hoạt động của Nhà Thiếu nhi các Quận – Huyện năm 2020 (phối hợp "
           "Nhà Thiếu nhi Thành phố)",
    "6.1": "Đánh giá kết quả công tác Hội và phong trào thanh niên của các Quận – Huyện năm "
           "2020",
}
SELF_DONE_AT = dt.datetime(2020, 11, 2, 16, 0)


def _own_value(method: str, max_points: D, n: int) -> str:
    """A self-score per method, varied by unit (demo data)."""
    if method == YES_NO:
        return "1" if n % 5 else "0"
    if method == COUNT:
        return str(2 + n % 3)
    if method == PERCENT:
        return str(95 - 3 * (n % 6))
    return str(max(max_points - D(n % 3), D(0)))


def _department_value(method: str, max_points: D, n: int, own: str) -> str:
    """The department's score: the same, or a little lower where the evidence was thin."""
    if n % 2 == 0 or method == YES_NO:
        return own
    if method == COUNT:
        return str(max(int(own) - 1, 0))
    if method == PERCENT:
        return str(max(int(own) - 5, 0))
    return str(max(D(own) - D("0.5"), D(0)))


def load_demo_sheets() -> list[Any]:
    """HCMC's 2020 sheets. The districts' (Quận – Huyện): self-scored, submitted, scored by the
    departments, with the three component files of seed 001 imported, bonus/penalty and an
    inspection adjustment — then, the inspections over, every sheet made final, the ranking
    published, the notices issued and one appeal decided (EMU-6, EMU-7). The workers' group
    (Công nhân lao động) stays at every stage, its ranking a draft."""
    from doanvu.accounts.models import User

    from . import sheets as svc
    from .models import Criterion, LineSource, RubricItem, ScoreLine

    rubric = Rubric.objects.get(issuing_unit__name=HCM, year=YEAR,
                                group__name="Khu vực Quận – Huyện")
    users = {u.username: u for u in User.objects.filter(
        username__in=["hcm_bithu", "hcm_quan1", "hcm_bantochuc", "hcm_vanphong"])}
    secretary = users.get("hcm_bithu")
    made, staged = _stage(rubric, SHEET_STAGES, users)
    criteria = list(Criterion.objects.filter(area__rubric=rubric).select_related("area")
                    .order_by("area__order", "order"))
    _components(rubric, made, criteria, users)
    codes = {c.code: c for c in criteria}
    items = {i.code: i for i in RubricItem.objects.filter(rubric=rubric)}
    for sheet, stage in staged:
        if stage == "adjusted":
            svc.entry_add(actor=secretary, sheet=sheet, item=items["T1"], count=1,
                          reason="Mô hình “Ngày thứ Bảy tình nguyện” được Ban Thường vụ Thành "
                                 "đoàn biểu dương, nhân rộng năm 2020")
            svc.entry_add(actor=users.get("hcm_vanphong"), sheet=sheet, item=items["TR1"],
                          count=2, reason="Báo cáo 6 tháng và báo cáo chuyên đề tháng 9 gửi "
                                          "trễ hạn")
            svc.adjustment_add(actor=secretary, sheet=sheet, criterion=codes["2.2"],
                               delta="-2", reason="Kết luận đoàn kiểm tra số 3: một công trình "
                                                  "thanh niên chưa có biên bản nghiệm thu")
        if stage == "final":
            svc.sheet_finalise(actor=secretary, sheet=sheet)
    # the inspection conclusions adjust the sheets before they are made final (INS-6)
    load_demo_conclusions()
    # the inspections over, the standing committee makes every district's sheet final (the
    # districts not yet staged above self-score and submit first)
    own_criteria = [c for c in criteria if c.code not in COMPONENTS]
    for n, sheet in enumerate(made):
        sheet.refresh_from_db()
        if not ScoreLine.objects.filter(sheet=sheet, source=LineSource.SELF).exists():
            svc.scores_save(actor=None, sheet=sheet, source=LineSource.SELF, values={
                c: _own_value(c.method, c.max_points, n + i)
                for i, c in enumerate(own_criteria)},
                evidence={c: c.evidence for c in own_criteria if c.evidence_required})
        if not sheet.is_submitted:
            svc.sheet_submit(actor=None, sheet=sheet)
        if not sheet.is_final:
            svc.sheet_finalise(actor=secretary, sheet=sheet)
    snapshot = load_demo_ranking(rubric, secretary, at=RANKED_AT, on=PUBLISHED_ON)
    load_demo_results(snapshot, users)
    # the workers' group: sheets at every stage, its ranking a draft
    workers = Rubric.objects.get(issuing_unit__name=HCM, year=YEAR,
                                 group__name="Khu vực Công nhân lao động")
    _w_made, w_staged = _stage(workers, WORKER_STAGES, users)
    w_codes = {c.code: c for c in Criterion.objects.filter(area__rubric=workers)}
    for sheet, stage in w_staged:
        if stage == "adjusted":
            svc.adjustment_add(actor=secretary, sheet=sheet, criterion=w_codes["4.2"],
                               delta="-1", reason="Kết luận đoàn kiểm tra số 5: chương trình "
                                                  "chăm lo chưa có báo cáo tổng kết")
        if stage == "final":
            svc.sheet_finalise(actor=secretary, sheet=sheet)
    load_demo_ranking(workers, secretary)
    return made


# the workers' sheets at every stage (by unit name)
WORKER_STAGES = ["adjusted", "self", "submitted", "department", "final", "department"]
RANKED_AT = dt.datetime(2020, 12, 10, 9, 0)
PUBLISHED_ON = dt.date(2020, 12, 14)


def _stage(rubric: Rubric, stages: list[str], users: dict[str, Any]
           ) -> tuple[list[Any], list[tuple[Any, str]]]:
    """Open the rubric's sheets and take each to its stage: self-scored (with evidence),
    submitted, scored by the departments (Ban Tổ chức by hcm_bantochuc)."""
    from . import sheets as svc
    from .models import Criterion, LineSource

    made = svc.sheets_open(actor=None, rubric=rubric, due_on=DUE_FIRST)
    criteria = list(Criterion.objects.filter(area__rubric=rubric).select_related(
        "area", "department").order_by("area__order", "order"))
    own_criteria = [c for c in criteria if c.code not in COMPONENTS
                    or rubric.group.name != "Khu vực Quận – Huyện"]
    # Quận 1 first: hcm_quan1's unit shows the whole path
    made.sort(key=lambda s: (s.unit.name != "Quận đoàn 1", s.unit.name))
    staged = list(zip(made, stages, strict=False))
    for n, (sheet, stage) in enumerate(staged):
        if sheet.due_on is None:  # a unit the inspection schedule does not date
            sheet = svc.sheet_due_set(actor=None, sheet=sheet,
                                      due_on=DUE_FIRST + dt.timedelta(days=2 * n))
        unit_actor = users.get("hcm_quan1") if sheet.unit.name == "Quận đoàn 1" else None
        own = {c: _own_value(c.method, c.max_points, n + i) for i, c in enumerate(own_criteria)}
        svc.scores_save(actor=unit_actor, sheet=sheet, source=LineSource.SELF, values=own,
                        evidence={c: c.evidence for c in own_criteria if c.evidence_required})
        if stage == "self":
            continue
        svc.sheet_submit(actor=unit_actor, sheet=sheet)
        if stage == "submitted":
            continue
        by_department: dict[int, dict[Criterion, object]] = {}
        for i, c in enumerate(own_criteria):
            if c.department_id is not None:
                by_department.setdefault(c.department_id, {})[c] = _department_value(
                    c.method, c.max_points, n + i, str(own[c]))
        for values in by_department.values():
            first = next(iter(values))
            actor = users.get("hcm_bantochuc") if first.department and \
                first.department.short_name == "BTC" else None
            svc.scores_save(actor=actor, sheet=sheet, source=LineSource.DEPARTMENT,
                            values=values, on=(sheet.due_on or DUE_FIRST) - dt.timedelta(days=1))
    return made, staged


def _components(rubric: Rubric, made: list[Any], criteria: list[Any],
                users: dict[str, Any]) -> None:
    """The three component files of seed 001, asked of the departments (hub obligations), then
    imported for every district with a sheet, each delivering its request."""
    import io

    from doanvu.common.spreadsheet import XlsxWriter

    from .component_requests import component_request_create
    from .components import component_import

    codes = {c.code: c for c in criteria}
    hcm_depts = {d.short_name: d for d in Department.objects.filter(unit=rubric.issuing_unit)}
    for code, (owed_by, owed_to, due_on, _day) in COMPONENT_REQUESTS.items():
        component_request_create(
            actor=users.get("hcm_vanphong"), rubric=rubric, criteria=[codes[code]],
            owed_by=hcm_depts[owed_by], owed_to=hcm_depts[owed_to] if owed_to else None,
            due_on=due_on, title=COMPONENT_REQUEST_TITLES[code])
    for code, title in COMPONENTS.items():
        book = XlsxWriter()
        ws = book.sheet("Kết quả")
        ws.append(["Đơn vị", "Mã tiêu chí", "Giá trị", "Ghi chú"])
        for n, sheet in enumerate(made):
            ws.append([sheet.unit.name, code, 70 + (7 * n) % 30, ""])
        out = io.BytesIO(book.to_bytes())
        component_import(actor=users.get("hcm_vanphong"), rubric=rubric, upload=out,
                         name=f"ket-qua-{code}.xlsx", title=title,
                         on=COMPONENT_REQUESTS[code][3])
        assert codes[code]


# EMU-6, EMU-7 (demo data: seed 001 names the notice and the loss of the right to appeal, not
# the number of days; the window below is invented and lives in the policy record)
APPEAL_DAYS = 10
APPELLANT = "Huyện đoàn Củ Chi"
APPEAL_CRITERION = "3.2"


def load_demo_results(snapshot: Any, users: dict[str, Any]) -> Any:
    """The year's appeal window, the notice of every district (issued the day the ranking is
    published), Củ Chi's appeal of a score Ban Tổ chức gave — decided by the Bí thư, who did
    not give it, accepted, the ranking recomputed into a new snapshot (the first stays) — and
    Quận 3, which missed its inspection documents, unable to appeal."""
    from . import results
    from .models import Criterion

    rubric = snapshot.rubric
    results.policy_set(actor=None, issuing_unit=rubric.issuing_unit, year=rubric.year,
                       appeal_days=APPEAL_DAYS,
                       note="Thông báo kết quả thi đua năm 2020 (dữ liệu mẫu)")
    results.notices_issue(actor=None, snapshot=snapshot, signer_title="BÍ THƯ",
                          signer_name="Phan Thị Thanh Phương", issued_on=PUBLISHED_ON)
    unit = Unit.objects.get(name=APPELLANT)
    appeal = results.appeal_file(
        actor=None, snapshot=snapshot, unit=unit,
        criterion=Criterion.objects.get(area__rubric=rubric, code=APPEAL_CRITERION),
        reason="Đơn vị phát triển 1.250 đoàn viên mới, vượt chỉ tiêu được giao; Ban Tổ chức "
               "chưa tính số đoàn viên kết nạp trong tháng 10/2020.",
        evidence="Danh sách đoàn viên kết nạp tháng 10/2020 đã gửi Ban Tổ chức Thành đoàn.",
        on=dt.date(2020, 12, 17))
    return results.appeal_decide(
        actor=users.get("hcm_bithu"), appeal=appeal, accept=True, delta="0.5",
        decision="Đối chiếu danh sách kết nạp tháng 10/2020: đơn vị đạt chỉ tiêu phát triển "
                 "đoàn viên mới, điều chỉnh tăng 0,5 điểm tiêu chí 3.2.",
        at=timezone.make_aware(dt.datetime(2020, 12, 21, 15, 0)), on=dt.date(2020, 12, 21))


def load_demo_ranking(rubric: Rubric, actor: Any, *, at: dt.datetime | None = None,
                      on: dt.date | None = None) -> Any:
    """EMU-3, EMU-4: the group's ranking computed from the stored sheets; published only when
    every sheet is final, else left a draft."""
    from .models import ScoreSheet, SheetState
    from .ranking import ranking_compute, ranking_publish

    snapshot = ranking_compute(actor=actor, rubric=rubric,
                               at=timezone.make_aware(at) if at else None,
                               note="Bảng tính từ các phiếu đã lưu (dữ liệu mẫu)")
    if not ScoreSheet.objects.filter(rubric=rubric).exclude(state=SheetState.FINAL).exists():
        snapshot = ranking_publish(actor=actor, snapshot=snapshot, on=on)
    return snapshot


def load_demo_conclusions() -> None:
    """INS-6 after the sheets: the 2019 conclusion at Quận đoàn 1 (its unremedied limitation a
    penalty candidate on the 2020 sheet, EMU-11); issued 2020 conclusions for the first
    districts whose sheets are still open — Quận đoàn 1 first — their adjustments written into
    the sheets (the unit sees the conclusion behind each point, EMU-10) and their good models
    in the register (EMU-9); a draft left for the head of team 4 (login hcm_bantochuc)."""
    from doanvu.inspections import demo as ins_demo
    from doanvu.inspections.models import Session, TeamRole

    from .models import ScoreSheet, SheetState

    if ins_demo.load_demo_2019_conclusion() is None:
        return
    open_units = set(ScoreSheet.objects.filter(
        rubric__issuing_unit__name=HCM, year=YEAR).exclude(state=SheetState.FINAL)
        .values_list("unit_id", flat=True))
    sessions = list(Session.objects.filter(
        team__round__plan__issuing_unit__name=HCM, team__round__plan__year=YEAR,
        status="du_kien").select_related("unit", "team").order_by("date", "half", "pk"))
    chosen = sorted((s for s in sessions if s.unit_id in open_units),
                    key=lambda s: s.unit.name != "Quận đoàn 1")[:len(ins_demo.CONCLUSIONS)]
    for session, spec in zip(chosen, ins_demo.CONCLUSIONS, strict=False):
        ins_demo.record_conclusion(session, spec, issued_on=session.date + dt.timedelta(days=2))
    done = {s.pk for s in chosen}
    waiting = next((s for s in sessions if s.pk not in done and s.team.members.filter(
        role=TeamRole.HEAD, person__user__username="hcm_bantochuc").exists()), None)
    if waiting is not None:
        strengths, limitations, tasks, _adjustments, models = ins_demo.CONCLUSIONS[2]
        ins_demo.record_conclusion(waiting, (strengths, limitations, tasks, (), models))
