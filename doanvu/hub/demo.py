"""Demo obligations, deadline policies and calendar entries from the seeds (X-5, HUB-1…6).

Called once at the end of the demo load (doanvu.demo.loader), inside its transaction; every
obligation is created and closed through doanvu.hub.services, like any module would.

What comes from the seeds, and what is invented:

- Tỉnh đoàn Tây Ninh's field-visit plan (Kế hoạch số 45-KH/TĐTN-TCKT ngày 18/4/2018): the
  departments register their quarter's plan "chậm nhất ngày 15 tây đầu mỗi quý"; a department
  reports on a visit "chậm nhất trong 3 ngày" after it ends; the Ban Tổ chức – Kiểm tra reports
  to the Standing Committee "trước 20/10 hàng năm" and to the central Ban Tổ chức "trước 1/11
  hàng năm"; the lower unions report quarterly and send their annual report "trước ngày 10/10
  hằng năm". The plan runs 2018–2022; the demo keeps its rules in force afterwards and, since
  the 1/7/2025 reform, the communes (now directly under the province) report in place of the
  dissolved district unions. The plan says only "hằng quý" for the quarterly report: the demo
  sets its deadline, like the plan's other quarterly step, on the 15th of the next quarter's
  first month.
- The 2020 remediation plan of the Standing Committee: the departments report to the Office
  "trước ngày 01/11"; and "văn bản chỉ đạo phải ban hành trước thời điểm các đơn vị triển khai
  thực hiện ít nhất là 01 tuần".
- Thành đoàn TP. Hồ Chí Minh's 2020 plan: documents to the inspection team "chậm nhất trước
  lịch kiểm tra 03 ngày", Ban Thiếu nhi's evaluation "chậm nhất ngày 04/11/2020".
- The Central Secretariat's 2020 plan: the cluster's standing department reports "03 ngày sau
  khi kết thúc kiểm tra".

Which unit submitted when, late or not, the inspection slot of Quận đoàn 1 and the dates of the
calendar entries are invented: plausible, not authoritative. Dates of the current work are
placed relative to the day the demo is loaded, so "Việc của tôi" always has something due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from doanvu.common.dates import today as current_day
from doanvu.common.periods import Period
from doanvu.org.models import Department, Unit

from . import rules, services
from .models import CalendarEntryKind, DeadlinePolicy, Obligation

TAY_NINH = "Tỉnh đoàn Tây Ninh"
CENTRE = "Trung ương Đoàn"
HCM = "Thành đoàn TP. Hồ Chí Minh"
HCM_DISTRICT_1 = "Quận đoàn 1"
SUOI_DA = "Đoàn xã Suối Đá"
REFORM = dt.date(2025, 7, 1)
KH45 = "Kế hoạch số 45-KH/TĐTN-TCKT ngày 18/4/2018 của Ban Thường vụ Tỉnh đoàn Tây Ninh"
KH45_FROM = dt.date(2018, 4, 18)
REM_2020 = ("Kế hoạch tiếp tục khắc phục khuyết điểm của tập thể Ban Thường vụ Tỉnh đoàn theo "
            "Nghị quyết Trung ương 4 (XII) năm 2020")
REM_2020_FROM = dt.date(2020, 1, 1)
HCM_2020 = ("Kế hoạch kiểm tra, đánh giá, phân loại và xếp hạng thi đua công tác Đoàn và phong "
            "trào thanh thiếu nhi thành phố năm 2020")
CENTRE_2020 = ("Kế hoạch kiểm tra, đi cơ sở của Ban Bí thư Trung ương Đoàn năm 2020 và khảo sát, "
               "đánh giá giữa nhiệm kỳ")
RETURN_NOTE = "Đề nghị bổ sung số ngày đi cơ sở của từng cán bộ và nội dung dự sinh hoạt chi đoàn."


@dataclass(frozen=True)
class PolicySpec:
    issuer: str
    code: str
    title: str
    rule: rules.DueRule
    valid_from: dt.date
    document: str
    text: str
    remind: tuple[int, ...] = ()
    valid_to: dt.date | None = None
    description: str = ""


POLICIES = (
    PolicySpec(TAY_NINH, "fv.department_quarter_plan", "Đăng ký kế hoạch đi cơ sở của phòng, ban",
               rules.DueRule.quarter_day(15, month=1, quarter_offset=0), KH45_FROM, KH45,
               "Tổng hợp thành kế hoạch chung của phòng, ban và đăng ký với Thường trực Tỉnh đoàn "
               "(qua Ban Tổ chức – Kiểm tra). Thời gian hoàn thành chậm nhất ngày 15 tây đầu mỗi "
               "quý."),
    PolicySpec(TAY_NINH, "fv.quarterly_report", "Báo cáo kết quả đi cơ sở hằng quý",
               rules.DueRule.quarter_day(15, month=1, quarter_offset=1), KH45_FROM, KH45,
               "Kết thúc đi cơ sở, hằng quý các đơn vị có trách nhiệm tổng hợp báo cáo kết quả đi "
               "công tác cơ sở cho Ban Thường vụ Tỉnh đoàn thông qua (Ban Tổ chức - kiểm tra Tỉnh "
               "đoàn).", remind=(5, 1),
               description="Kế hoạch ghi “hằng quý”; hạn ngày 15 tháng đầu quý sau do dữ liệu mẫu "
                           "đặt, theo nhịp của bước đăng ký kế hoạch."),
    PolicySpec(TAY_NINH, "fv.visit_report", "Báo cáo kết quả đợt đi cơ sở",
               rules.DueRule.after(3, "visit_end", "kết thúc đợt đi cơ sở"), KH45_FROM, KH45,
               "Kết thúc đi cơ sở, chậm nhất trong 3 ngày phải có báo cáo tổng hợp của phòng, ban "
               "gửi về Ban Tổ chức - kiểm tra Tỉnh đoàn."),
    PolicySpec(TAY_NINH, "fv.annual_report", "Báo cáo kết quả đi cơ sở năm",
               rules.DueRule.annual(10, 10), KH45_FROM, KH45,
               "Kết thúc năm, các đơn vị tổng hợp báo cáo kết quả đi cơ sở của cán bộ huyện, thành "
               "đoàn gửi về Ban Thường vụ Tỉnh đoàn (qua Ban Tổ chức - kiểm tra Tỉnh đoàn) trước "
               "ngày 10/10 hàng năm."),
    PolicySpec(TAY_NINH, "fv.tckt_report_btv", "Báo cáo đi cơ sở trình Ban Thường vụ",
               rules.DueRule.annual(20, 10), KH45_FROM, KH45,
               "Ban Tổ chức - kiểm tra Tỉnh đoàn báo cáo định kỳ ... cho Ban Thường vụ Tỉnh đoàn "
               "định kỳ 6 tháng, cuối năm (trước 20/10 hàng năm)."),
    PolicySpec(CENTRE, "fv.province_report_central", "Báo cáo đi cơ sở gửi Ban Tổ chức Trung ương",
               rules.DueRule.annual(1, 11), KH45_FROM,
               "Hướng dẫn số 03-HD/TWĐTN-BTC ngày 21/3/2018 của Ban Bí thư Trung ương Đoàn",
               "... và báo cáo Ban Tổ chức Trung ương Đoàn theo thời gian quy định (trước 1/11 "
               "hàng năm)."),
    PolicySpec(TAY_NINH, "rem.department_report", "Báo cáo đánh giá kết quả khắc phục khuyết điểm",
               rules.DueRule.annual(1, 11), REM_2020_FROM, REM_2020,
               "Các ban có báo cáo đánh giá kết quả thực hiện gửi về Văn phòng trước ngày 01/11 "
               "để Văn phòng tổng hợp trình trong phiên họp Ban Thường vụ định kỳ tháng 12."),
    PolicySpec(TAY_NINH, "doc.guidance_lead_time", "Ban hành văn bản chỉ đạo trước khi cơ sở "
               "triển khai", rules.DueRule.lead(7, "lower_units_act",
                                               "các đơn vị triển khai thực hiện"),
               REM_2020_FROM, REM_2020,
               "Các văn bản chỉ đạo phải đảm bảo ban hành trước thời điểm các đơn vị triển khai "
               "thực hiện ít nhất là 01 tuần."),
    PolicySpec(HCM, "ins.documents_before_slot", "Gửi tài liệu cho đoàn kiểm tra",
               rules.DueRule.before(3, "slot", "lịch kiểm tra"), dt.date(2020, 10, 1), HCM_2020,
               "Chuẩn bị và gửi tài liệu cho các thành viên trong đoàn kiểm tra thông qua đồng chí "
               "thư ký đoàn chậm nhất trước lịch kiểm tra 03 ngày.",
               valid_to=dt.date(2021, 1, 1)),
    PolicySpec(CENTRE, "ins.cluster_report", "Báo cáo tổng hợp sau kiểm tra định kỳ",
               rules.DueRule.after(3, "inspection_end", "kết thúc kiểm tra"), dt.date(2020, 1, 1),
               CENTRE_2020,
               "Tổng hợp những vấn đề còn hạn chế, vướng mắc ở cơ sở sau kiểm tra định kỳ Đợt 1 "
               "(03 ngày sau khi kết thúc kiểm tra tại đơn vị).", valid_to=dt.date(2021, 1, 1)),
)


def _unit(name: str) -> Unit:
    return Unit.objects.select_related("kind").get(name=name, dissolved_on__isnull=True)


def _dept(unit: Unit, short: str) -> Department:
    return Department.objects.get(unit=unit, short_name=short, valid_to__isnull=True)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def _past(day: dt.date, today: dt.date) -> dt.date:
    return min(day, today)


class _Demo:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.province = _unit(TAY_NINH)
        self.tckt = _dept(self.province, "TCKT")
        self.office = _dept(self.province, "VP")
        self.bpt = _dept(self.province, "BPT")

    def policies(self) -> None:
        for p in POLICIES:
            services.policy_create(
                unit=_unit(p.issuer), code=p.code, title=p.title, rule=p.rule,
                valid_from=p.valid_from, valid_to=p.valid_to, remind_days=p.remind,
                source_document=p.document, source_text=p.text, description=p.description,
            )

    def deliver(self, ob: Obligation, *, late_by: int = 0, early_by: int = 2, accept: bool,
                note: str = "") -> None:
        """Submit (on time, or `late_by` days late) and maybe accept, dated in the past."""
        if late_by:
            day = _past(ob.due_on + dt.timedelta(days=late_by), self.today)
        else:
            day = ob.due_on - dt.timedelta(days=early_by)
            if ob.period is not None and ob.period.end < ob.due_on:
                day = max(day, ob.period.end + dt.timedelta(days=1))  # a report follows its period
            day = _past(day, self.today)
        services.obligation_submit(actor=None, obligation=ob, at=_at(day),
                                   text=note or f"Báo cáo: {ob.title}.")
        if accept:
            review = _past(day + dt.timedelta(days=2), self.today)
            services.obligation_accept(actor=None, obligation=ob, at=_at(review, 15),
                                       note="Đã tiếp nhận.")

    # -- Tây Ninh: the communes' quarterly and annual field-visit reports -------------------------
    def communes(self) -> None:
        communes = list(Unit.objects.filter(parent=self.province, kind__code="co_so",
                                            dissolved_on__isnull=True).order_by("name"))
        current_q = Period.containing(self.today, "Q")
        quarters = [current_q]
        for _ in range(4):
            prev = Period.containing(quarters[0].start - dt.timedelta(days=1), "Q")
            if prev.start < REFORM:
                break
            quarters.insert(0, prev)
        last_due_year = self.today.year if self.today >= dt.date(self.today.year, 10, 10) else (
            self.today.year - 1)
        years = sorted({last_due_year, self.today.year})
        for i, commune in enumerate(communes):
            for j, quarter in enumerate(quarters):
                ob = services.obligation_create(
                    actor=None, kind="fv.quarterly_report", policy_code="fv.quarterly_report",
                    title=f"Báo cáo kết quả đi cơ sở {quarter}", owed_by_unit=commune,
                    owed_to_unit=self.province, owed_to_department=self.tckt, period=quarter,
                    source_label=KH45, key=f"demo:fv.q:{commune.pk}:{quarter.key}",
                    on=quarter.start,
                )
                self.settle(ob, i, j, recent=quarter == quarters[-2] if len(quarters) > 1
                            else False, suoi_da=commune.name == SUOI_DA)
            for y in years:
                ob = services.obligation_create(
                    actor=None, kind="fv.annual_report", policy_code="fv.annual_report",
                    title=f"Báo cáo kết quả đi cơ sở năm {y}", owed_by_unit=commune,
                    owed_to_unit=self.province, owed_to_department=self.tckt,
                    period=Period.of_year(y), source_label=KH45,
                    key=f"demo:fv.y:{commune.pk}:{y}", on=dt.date(y, 1, 1),
                )
                self.settle(ob, i, 7 + y, recent=True, suoi_da=commune.name == SUOI_DA,
                            late_open=True)

    def settle(self, ob: Obligation, i: int, j: int, *, recent: bool, suoi_da: bool,
               late_open: bool = False) -> None:
        """Give an obligation a plausible history: mostly on time, some late, some missing."""
        if ob.due_on >= self.today:
            assert ob.period is not None
            if not suoi_da and i % 3 == 0 and ob.period.end < self.today:
                self.deliver(ob, accept=False)
            return
        if suoi_da:
            if late_open:
                return  # Suối Đá has not sent its annual report: late, first in its list
            if recent:
                self.deliver(ob, accept=False)
                services.obligation_return(actor=None, obligation=ob, note=RETURN_NOTE,
                                           at=_at(_past(ob.due_on + dt.timedelta(days=3),
                                                        self.today)))
                return
            self.deliver(ob, accept=True)
            return
        score = (i * 7 + j * 3) % 10
        if score == 0:
            return  # missing
        if score in (1, 2):
            self.deliver(ob, late_by=score * 3, accept=not recent)
            return
        self.deliver(ob, early_by=1 + (i + j) % 5, accept=not recent)

    # -- Tây Ninh: the province's own departments --------------------------------------------
    def departments(self) -> None:
        p = self.province
        year = self.today.year
        quarter = Period.containing(self.today, "Q")
        for dept in Department.objects.filter(unit=p, valid_to__isnull=True,
                                              short_name__in=("VP", "BPT", "BTG", "BTN", "UBKT")
                                              ).order_by("name"):
            ob = services.obligation_create(
                actor=None, kind="fv.department_quarter_plan",
                policy_code="fv.department_quarter_plan",
                title=f"Kế hoạch đi cơ sở {quarter} của {dept.name}", owed_by_unit=p,
                owed_by_department=dept, owed_to_unit=p, owed_to_department=self.tckt,
                period=quarter, source_label=KH45, key=f"demo:fv.plan:{dept.pk}:{quarter.key}",
                on=quarter.start,
            )
            if ob.due_on < self.today and dept.short_name != "BTN":
                self.deliver(ob, early_by=3, accept=dept.short_name != "BPT")
        for y in sorted({2020, year}):
            for short, late_by in (("TCKT", 0), ("BPT", 2)):
                ob = services.obligation_create(
                    actor=None, kind="rem.department_report", policy_code="rem.department_report",
                    title=f"Báo cáo đánh giá kết quả khắc phục khuyết điểm năm {y}",
                    owed_by_unit=p, owed_by_department=_dept(p, short), owed_to_unit=p,
                    owed_to_department=self.office, period=Period.of_year(y),
                    source_label=REM_2020, key=f"demo:rem:{short}:{y}", on=dt.date(y, 1, 1),
                )
                if ob.due_on < self.today and (y == 2020 or short == "TCKT"):
                    self.deliver(ob, late_by=late_by, accept=y == 2020)
        # TCKT's yearly reports upwards: to the Standing Committee, and to the centre
        btv = services.obligation_create(
            actor=None, kind="fv.tckt_report_btv", policy_code="fv.tckt_report_btv",
            title=f"Báo cáo kết quả đi cơ sở của cán bộ Tỉnh đoàn năm {year}", owed_by_unit=p,
            owed_by_department=self.tckt, owed_to_unit=p, period=Period.of_year(year),
            source_label=KH45, key=f"demo:fv.btv:{year}", on=dt.date(year, 1, 1),
        )
        if btv.due_on < self.today:
            self.deliver(btv, early_by=1, accept=True)
        centre = _unit(CENTRE)
        central = services.obligation_create(
            actor=None, kind="fv.province_report_central",
            policy_code="fv.province_report_central",
            title=f"Báo cáo kết quả đi cơ sở năm {year} gửi Ban Tổ chức Trung ương Đoàn",
            owed_by_unit=p, owed_by_department=self.tckt, owed_to_unit=centre,
            owed_to_department=_dept(centre, "BTC"), period=Period.of_year(year),
            source_label=KH45, key=f"demo:fv.central:{year}", on=dt.date(year, 1, 1),
        )
        del central  # left open: late once 1/11 has passed
        # relative deadlines: a visit report 3 days after the visit, a guidance a week ahead
        visit_end = self.today - dt.timedelta(days=10)
        visit = services.obligation_create(
            actor=None, kind="fv.visit_report", policy_code="fv.visit_report",
            title="Báo cáo kết quả đợt đi cơ sở tại Đoàn xã Suối Đá", owed_by_unit=p,
            owed_by_department=self.bpt, owed_to_unit=p, owed_to_department=self.tckt,
            events={"visit_end": visit_end}, source_label=KH45, key="demo:fv.visit:suoida",
            on=visit_end,
        )
        self.deliver(visit, early_by=1, accept=True)
        services.obligation_create(
            actor=None, kind="fv.visit_report", policy_code="fv.visit_report",
            title="Báo cáo kết quả đợt đi cơ sở tại Đoàn xã Truông Mít", owed_by_unit=p,
            owed_by_department=self.bpt, owed_to_unit=p, owed_to_department=self.tckt,
            events={"visit_end": self.today + dt.timedelta(days=2)}, source_label=KH45,
            key="demo:fv.visit:truongmit", on=self.today,
        )
        services.obligation_create(
            actor=None, kind="doc.guidance_lead_time", policy_code="doc.guidance_lead_time",
            title="Hướng dẫn tổ chức “Ngày đoàn viên” tại các chi đoàn ấp, khu phố",
            owed_by_unit=p, owed_by_department=self.bpt, owed_to_unit=p,
            events={"lower_units_act": self.today + dt.timedelta(days=20)},
            source_label=REM_2020, key="demo:doc.guidance", on=self.today,
        )

    # -- the 2020 seeds of Thành đoàn TP. Hồ Chí Minh and of Trung ương Đoàn ----------------------
    def history_2020(self) -> None:
        hcm = _unit(HCM)
        district = _unit(HCM_DISTRICT_1)
        docs = services.obligation_create(
            actor=None, kind="ins.documents_before_slot", policy_code="ins.documents_before_slot",
            title="Gửi tài liệu kiểm tra năm 2020 cho đoàn kiểm tra số 1", owed_by_unit=district,
            owed_to_unit=hcm, owed_to_department=_dept(hcm, "VP"),
            events={"slot": dt.date(2020, 11, 12)}, period=Period.of_year(2020),
            source_label=HCM_2020, key="demo:ins.docs:q1:2020", on=dt.date(2020, 11, 1),
        )
        self.deliver(docs, early_by=1, accept=True)
        btn = services.obligation_create(
            actor=None, kind="emu.children_house_evaluation",
            title="Đánh giá kết quả hoạt động của Nhà Thiếu nhi các Quận - Huyện năm 2020",
            owed_by_unit=hcm, owed_by_department=_dept(hcm, "BTN"), owed_to_unit=hcm,
            owed_to_department=_dept(hcm, "VP"), rule=rules.DueRule.fixed(dt.date(2020, 11, 4)),
            period=Period.of_year(2020), source_label=HCM_2020, key="demo:emu.btn:2020",
            kind_label="Đánh giá kết quả hoạt động của Nhà Thiếu nhi", on=dt.date(2020, 10, 1),
        )
        self.deliver(btn, early_by=1, accept=True)
        centre = _unit(CENTRE)
        cluster = services.obligation_create(
            actor=None, kind="ins.cluster_report", policy_code="ins.cluster_report",
            title="Báo cáo tổng hợp sau kiểm tra định kỳ Đợt 1 năm 2020 tại Cụm Đông Nam Bộ",
            owed_by_unit=centre, owed_by_department=_dept(centre, "TNNT"), owed_to_unit=centre,
            owed_to_department=_dept(centre, "BKT"),
            events={"inspection_end": dt.date(2020, 6, 26)}, period=Period.half(2020, 1),
            source_label=CENTRE_2020, key="demo:ins.cluster:2020-1", on=dt.date(2020, 6, 1),
        )
        self.deliver(cluster, early_by=0, accept=True)

    # -- calendar entries ---------------------------------------------------------------------
    def calendar(self) -> None:
        p = self.province
        suoi_da = _unit(SUOI_DA)
        t = self.today
        inspection = t + dt.timedelta(days=9)
        for unit, title in (
            (p, "Kiểm tra chuyên đề xây dựng tổ chức cơ sở Đoàn tại Đoàn xã Suối Đá"),
            (suoi_da, "Đoàn kiểm tra của Ban Thường vụ Tỉnh đoàn làm việc tại đơn vị"),
        ):
            services.calendar_entry_create(
                unit=unit, title=title, kind=CalendarEntryKind.INSPECTION,
                start=_at(inspection, 8), end=_at(inspection, 11),
                location="Trụ sở Đoàn xã Suối Đá", source_label=KH45,
            )
        services.calendar_entry_create(
            unit=p, title="Hội nghị giao ban công tác Đoàn các xã, phường",
            kind=CalendarEntryKind.MEETING,
            start=_at(t + dt.timedelta(days=3), 7), all_day=True, location="Hội trường Tỉnh đoàn",
        )
        services.calendar_entry_create(
            unit=p, title="Đi cơ sở: dự sinh hoạt Chi đoàn ấp Khởi Trung",
            kind=CalendarEntryKind.FIELD_VISIT, start=_at(t - dt.timedelta(days=12), 7),
            end=_at(t - dt.timedelta(days=10), 17), all_day=True, source_label=KH45,
        )


def load_demo_obligations(*, today: dt.date | None = None) -> int:
    """Create the demo's deadline policies, obligations and calendar entries; send the first
    in-app reminders. Returns how many obligations exist afterwards."""
    if DeadlinePolicy.objects.filter(code="fv.quarterly_report").exists():
        return Obligation.objects.count()
    demo = _Demo(today or current_day())
    demo.policies()
    demo.communes()
    demo.departments()
    demo.history_2020()
    demo.calendar()
    services.reminders_send(on=demo.today)
    return Obligation.objects.count()
