"""Field visits (đi cơ sở, FV-1 … FV-11): the regime as a policy record, quarterly plans and their
planned visits, the visits a cadre logs with their places, files and report, Youth Month
campaigns, and the yearly compliance rows the recompute stores.

Every number the regime sets — 60 days a year, the split by level, which kinds count and who
chooses them, the report window, the registration day, the roll-up deadlines, the "1+2"
reading — lives in `FieldVisitPolicy`, issued by a unit for a period and read with
`org.selectors.nearest_issued`; `rules.py` computes with it and knows no number of its own.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VisitKind(models.TextChoices):
    """The six contents of a visit (seed 002 §III.1, the central guide 03-HD/TWĐTN-BTC)."""

    CO_ORGANISE = "1.1", _("1.1. Phối hợp tổ chức, triển khai hoạt động tại cơ sở")
    INSPECTION = "1.2", _("1.2. Kiểm tra, giám sát")
    THEMATIC = "1.3", _("1.3. Theo chuyên đề: điều tra, khảo sát, nắm bắt tình hình")
    CONSOLIDATION = "1.4", _("1.4. Tham gia đợt củng cố cơ sở")
    LOWER_SESSION = "1.5", _("1.5. Dự sinh hoạt chuyên đề của hội nghị BCH, BTV đoàn cấp dưới")
    BRANCH_MEETING = "1.6", _("1.6. Dự sinh hoạt chi đoàn ấp, khu phố")


class ProrateRule(models.TextChoices):
    MONTHS = "months", _("Theo tháng (tháng miễn khi số ngày miễn trong tháng đạt ngưỡng)")
    DAYS = "days", _("Theo ngày (tỷ lệ số ngày không miễn trong năm)")


class OnePlusTwo(models.TextChoices):
    DAYS = "days", _("Chỉ số ngày ở cơ sở")
    DAYS_AND_UNIT = "days_unit", _("Số ngày ở cơ sở và cơ sở được phân công phụ trách")


class FieldVisitPolicy(models.Model):
    """The field-visit regime a unit set for itself and the units below it for a period
    (seed 002's plan 45-KH/TĐTN-TCKT, seed 000's central regime, a province's variant).

    `levels` names the levels a visited unit counts at, by unit kind code:
    ``[{"code": "huyen", "label": "cấp huyện", "kinds": ["huyen", "truc_thuoc_tinh"]}, …]``;
    `days_by_level` optionally splits the minimum (``{"chi_doan": 30, "co_so": 20, …}``);
    `coverage` maps the kind of the cadre's own unit to the level codes a year must include
    (``{"tinh": ["huyen", "co_so"], "huyen": ["co_so"]}``); `rollups` lists the reports owed
    (``{"code", "label", "period": quarter|half|year, "to", and "after_days" after the period
    ends or "month"/"day" of the year}``).
    """

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                     related_name="fieldvisit_policies",
                                     verbose_name=_("đơn vị ban hành"))
    name = models.CharField(_("tên chế độ"), max_length=255)
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    plan_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("kế hoạch ban hành chế độ"))
    min_days = models.PositiveSmallIntegerField(_("số ngày tối thiểu mỗi năm"), default=60)
    levels = models.JSONField(_("các cấp tính ngày đi cơ sở"), default=list, blank=True)
    days_by_level = models.JSONField(_("số ngày tối thiểu theo cấp"), default=dict, blank=True)
    coverage = models.JSONField(_("các cấp phải đi trong năm"), default=dict, blank=True)
    counted_kinds = models.JSONField(_("nội dung được tính"), default=list)
    chosen_kinds = models.JSONField(_("nội dung cán bộ tự chọn"), default=list)
    assigned_kinds = models.JSONField(_("nội dung do Thường trực phân công"), default=list)
    branch_meeting_kind = models.CharField(
        _("nội dung dự sinh hoạt chi đoàn"), max_length=3, choices=VisitKind.choices,
        blank=True)
    branch_meetings_min = models.PositiveSmallIntegerField(
        _("số lần dự sinh hoạt chi đoàn tối thiểu mỗi năm"), default=1)
    exempt_titles = models.JSONField(
        _("chức danh, nhiệm vụ không áp dụng"), default=list, blank=True,
        help_text=_("so khớp không dấu trong chức vụ của cán bộ"))
    exempt_statuses = models.JSONField(
        _("tình trạng không áp dụng"), default=list, blank=True,
        help_text=_("mã tình trạng cán bộ, ví dụ thai_san"))
    long_statuses = models.JSONField(
        _("tình trạng chỉ miễn khi đủ thời gian"), default=list, blank=True,
        help_text=_("mã tình trạng, ví dụ biet_phai, dao_tao_tap_trung"))
    long_status_min_months = models.PositiveSmallIntegerField(
        _("số tháng tối thiểu của tình trạng dài ngày"), default=6)
    prorate = models.CharField(_("cách tính khi miễn một phần năm"), max_length=10,
                               choices=ProrateRule.choices, default=ProrateRule.MONTHS)
    prorate_month_min_days = models.PositiveSmallIntegerField(
        _("số ngày miễn để tính miễn cả tháng"), default=15)
    report_days = models.PositiveSmallIntegerField(
        _("số ngày nộp báo cáo sau đợt đi cơ sở"), default=3)
    registration_day = models.PositiveSmallIntegerField(
        _("ngày hạn đăng ký kế hoạch quý"), default=15,
        help_text=_("ngày trong tháng đầu của quý"))
    agency_plan_kinds = models.JSONField(
        _("loại đơn vị lập một kế hoạch chung cả cơ quan"), default=list, blank=True,
        help_text=_("mã loại đơn vị, ví dụ huyen"))
    rollups = models.JSONField(_("các báo cáo tổng hợp"), default=list, blank=True)
    one_plus_two = models.CharField(_("cách hiểu chủ trương 1+2"), max_length=10,
                                    choices=OnePlusTwo.choices, default=OnePlusTwo.DAYS)
    one_plus_two_days = models.PositiveSmallIntegerField(
        _("số ngày ở cơ sở theo chủ trương 1+2"), default=60)
    youth_month = models.PositiveSmallIntegerField(
        _("tháng của Tháng Thanh niên"), null=True, blank=True, default=3)
    year_closes_month = models.PositiveSmallIntegerField(
        _("tháng khóa số liệu năm"), default=1,
        help_text=_("của năm sau: sau ngày này không ghi, không báo cáo chuyến đi của năm nữa"))
    year_closes_day = models.PositiveSmallIntegerField(
        _("ngày khóa số liệu năm"), default=31,
        help_text=_("ngày trong tháng khóa số liệu năm"))

    class Meta:
        verbose_name = _("chế độ đi cơ sở")
        verbose_name_plural = _("chế độ đi cơ sở")
        ordering = ["issuing_unit", "valid_from", "id"]

    def __str__(self) -> str:
        return self.name


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    REGISTERED = "registered", _("Đã đăng ký với Ban Tổ chức – Kiểm tra")
    APPROVED = "approved", _("Thường trực đã duyệt")
    ISSUED = "issued", _("Đã ban hành")


class QuarterPlan(models.Model):
    """A department's (or, where the policy says so, a whole agency's) visit plan of a quarter
    (FV-5 steps 2–4): registered by the policy's day, approved by the Standing, issued as the
    unit's numbered plan."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                             related_name="fieldvisit_plans", verbose_name=_("đơn vị"))
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("phòng, ban"))
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=PlanStatus.choices,
                              default=PlanStatus.DRAFT)
    supervisor = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Thường trực phụ trách"))
    registered_on = models.DateField(_("ngày đăng ký"), null=True, blank=True)
    registered_late = models.BooleanField(_("đăng ký trễ hạn"), default=False)
    approved_on = models.DateField(_("ngày duyệt"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("người duyệt"))
    document = models.ForeignKey("documents.Document", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("văn bản kế hoạch"))
    obligation = models.ForeignKey("hub.Obligation", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("việc phải làm"))
    campaign = models.ForeignKey("Campaign", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="plans", verbose_name=_("đợt cao điểm"))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("kế hoạch đi cơ sở quý")
        verbose_name_plural = _("kế hoạch đi cơ sở quý")
        ordering = ["unit", "year", "quarter", "department", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "department", "year", "quarter"],
                                    name="fieldvisits_plan_unique",
                                    condition=Q(department__isnull=False)),
            models.UniqueConstraint(fields=["unit", "year", "quarter"],
                                    name="fieldvisits_agency_plan_unique",
                                    condition=Q(department__isnull=True)),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4),
                                   name="fieldvisits_plan_quarter"),
        ]

    def __str__(self) -> str:
        who = self.department.name if self.department is not None else self.unit.name
        return _("%(who)s – Quý %(q)s/%(y)s") % {"who": who, "q": self.quarter, "y": self.year}


class Campaign(models.Model):
    """A campaign of visits, such as Youth Month (Tháng Thanh niên, FV-10)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                             related_name="fieldvisit_campaigns", verbose_name=_("đơn vị"))
    name = models.CharField(_("tên đợt"), max_length=255)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    target_days = models.PositiveSmallIntegerField(_("số ngày đi cơ sở mỗi cán bộ"), default=0)
    note = models.TextField(_("nội dung trọng tâm"), blank=True)

    class Meta:
        verbose_name = _("đợt đi cơ sở cao điểm")
        verbose_name_plural = _("đợt đi cơ sở cao điểm")
        ordering = ["unit", "start_date", "id"]

    def __str__(self) -> str:
        return self.name


class PlannedVisit(models.Model):
    """One line of a quarter's plan: a cadre's drafted visit (kinds the cadre chooses, FV-5 step
    1) or one the Standing assigned (1.2, 1.4, 1.5)."""

    plan = models.ForeignKey(QuarterPlan, on_delete=models.CASCADE, related_name="lines",
                             verbose_name=_("kế hoạch quý"))
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("cán bộ"))
    kind = models.CharField(_("nội dung"), max_length=3, choices=VisitKind.choices)
    place = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("nơi đến"))
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    content = models.CharField(_("nội dung cụ thể"), max_length=500, blank=True)
    assigned = models.BooleanField(_("do Thường trực phân công"), default=False)

    class Meta:
        verbose_name = _("chuyến đi cơ sở dự kiến")
        verbose_name_plural = _("chuyến đi cơ sở dự kiến")
        ordering = ["plan", "start_date", "id"]

    def __str__(self) -> str:
        return f"{self.person} → {self.place} {self.start_date:%d/%m/%Y}"


class Visit(models.Model):
    """A visit a cadre made (or logged from a phone), with its report (FV-2, FV-6, FV-9).

    Days count as distinct calendar days from `start_date` to `end_date`; a visit counts only
    when its kind counts under the policy, it was not made merely on a lower unit's invitation,
    and it is reported (`reported_on`; a late report counts from then, flagged late)."""

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT,
                               related_name="field_visits", verbose_name=_("cán bộ"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="field_visits",
                             verbose_name=_("cơ quan của cán bộ"))
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("phòng, ban"))
    kind = models.CharField(_("nội dung"), max_length=3, choices=VisitKind.choices)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    places = models.ManyToManyField("org.Unit", related_name="field_visits_received",
                                    verbose_name=_("đơn vị đến"))
    invitation_only = models.BooleanField(
        _("chỉ dự theo thư mời của cơ sở"), default=False,
        help_text=_("dự hoạt động theo thư mời của đoàn cấp dưới không được tính"))
    travel_order = models.CharField(_("giấy đi đường / quyết định cử"), max_length=120,
                                    blank=True)
    activities = models.TextField(_("nội dung đã làm"), blank=True)
    cost = models.DecimalField(_("công tác phí (đồng)"), max_digits=12, decimal_places=0,
                               default=0)
    planned = models.ForeignKey(PlannedVisit, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="visits", verbose_name=_("theo kế hoạch"))
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="visits", verbose_name=_("đợt cao điểm"))
    client_key = models.UUIDField(_("mã gửi"), default=uuid.uuid4, unique=True,
                                  help_text=_("gửi lại từ điện thoại không tạo bản trùng"))
    report = models.TextField(_("báo cáo kết quả"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    reported_on = models.DateField(_("ngày báo cáo"), null=True, blank=True)
    report_due = models.DateField(_("hạn báo cáo"), null=True, blank=True)
    report_late = models.BooleanField(_("báo cáo trễ hạn"), default=False)
    obligation = models.ForeignKey("hub.Obligation", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("việc phải làm"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("người ghi"))
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("chuyến đi cơ sở")
        verbose_name_plural = _("chuyến đi cơ sở")
        ordering = ["person", "start_date", "id"]
        indexes = [
            models.Index(fields=["unit", "start_date"], name="fieldvisits_unit_start"),
            models.Index(fields=["person", "start_date"], name="fieldvisits_person_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="fieldvisits_visit_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y}"


class VisitFile(models.Model):
    """A photo or a file of a visit (size and type checked by the service)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="files",
                              verbose_name=_("chuyến đi"))
    file = models.FileField(_("tệp"), upload_to="fieldvisits/%Y/")
    name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    is_photo = models.BooleanField(_("ảnh"), default=False)
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp của chuyến đi")
        verbose_name_plural = _("tệp của chuyến đi")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return self.name


class Compliance(models.Model):
    """A cadre's stored compliance for a year (the recompute's result, FV-3/4/11): the requirement
    with its arithmetic, the days counted by level, branch meetings, the "1+2" parts, and the one
    sentence of what is still missing."""

    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("cán bộ"))
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("cơ quan"))
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("phòng, ban"))
    year = models.PositiveSmallIntegerField(_("năm"))
    policy = models.ForeignKey(FieldVisitPolicy, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("chế độ áp dụng"))
    exempt = models.BooleanField(_("không áp dụng"), default=False)
    required_days = models.PositiveSmallIntegerField(_("số ngày phải đi"), default=0)
    requirement_text = models.CharField(_("cách tính yêu cầu"), max_length=255, blank=True)
    counted_days = models.PositiveSmallIntegerField(_("số ngày được tính"), default=0)
    days_by_level = models.JSONField(_("số ngày theo cấp"), default=dict, blank=True)
    days_by_month = models.JSONField(_("số ngày theo tháng"), default=list, blank=True)
    base_days_required = models.PositiveSmallIntegerField(
        _("số ngày ở cơ sở theo chủ trương 1+2"), default=0)
    branch_meetings = models.PositiveSmallIntegerField(_("số lần dự sinh hoạt chi đoàn"),
                                                       default=0)
    assigned_unit_days = models.PositiveSmallIntegerField(
        _("số ngày ở cơ sở được phân công"), default=0)
    unreported = models.PositiveSmallIntegerField(_("số chuyến chưa báo cáo"), default=0)
    cost = models.DecimalField(_("công tác phí (đồng)"), max_digits=14, decimal_places=0,
                               default=0)
    met = models.BooleanField(_("đạt"), default=False)
    missing = models.CharField(_("còn thiếu"), max_length=500, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("kết quả đi cơ sở")
        verbose_name_plural = _("kết quả đi cơ sở")
        ordering = ["unit", "year", "person", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "unit", "year"],
                                    name="fieldvisits_compliance_unique"),
        ]
        indexes = [models.Index(fields=["unit", "year"], name="fieldvisits_compliance_unit")]

    def __str__(self) -> str:
        return f"{self.person} {self.year}"
