"""Plans (kế hoạch, chương trình) of a unit, beside their numbered document (PLAN-1 … PLAN-3).

A plan is a `documents.Document`; `Plan` is the record beside it that the documents app does not
keep: the legal bases it implements (other plans in the system, or free text), purposes and
requirements, organisation of implementation, the solutions broken into tasks (PLAN-2), and the
date by which lower units must issue their own implementing plans (an obligation each in the
hub). PLAN-3: `LeadTimePolicy` (the days a directive must precede the day lower units act, per
issuing unit and period) and `Directive` (a directive to lower units with what the rule said of
it when registered, and the urgent exception with its reason).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doanvu.common.periods import PeriodField


class Plan(models.Model):
    """The structure of a plan document (PLAN-1)."""

    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT,
                                    related_name="plan_record", verbose_name=_("văn bản"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị ban hành"))
    purposes = models.TextField(_("mục đích, yêu cầu"), blank=True)
    organisation = models.TextField(_("tổ chức thực hiện"), blank=True)
    implementing_due_on = models.DateField(
        _("hạn cấp dưới ban hành kế hoạch thực hiện"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm lập"), auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ kế hoạch")
        ordering = ("unit_id", "id")

    def __str__(self) -> str:
        return str(self.document)


class PlanBasis(models.Model):
    """A legal basis (căn cứ) of a plan: a plan or document in the system it implements, or a
    text for one that is not (a central conclusion issued before the system)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="bases",
                             verbose_name=_("kế hoạch"))
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    document = models.ForeignKey("documents.Document", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="implemented_by",
                                 verbose_name=_("văn bản được thực hiện"))
    text = models.CharField(_("căn cứ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("căn cứ của kế hoạch")
        ordering = ("plan_id", "position", "id")
        constraints = [models.CheckConstraint(
            condition=models.Q(document__isnull=False) | ~models.Q(text=""),
            name="plans_basis_document_or_text")]

    def __str__(self) -> str:
        return self.text or str(self.document_id)


class Solution(models.Model):
    """A solution (giải pháp) of the plan; its tasks carry the lead, deadline and progress."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="solutions",
                             verbose_name=_("kế hoạch"))
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    title = models.CharField(_("tên giải pháp"), max_length=500)

    class Meta:
        verbose_name = _("giải pháp của kế hoạch")
        ordering = ("plan_id", "position", "id")

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """A task (nhiệm vụ) of a solution (PLAN-2): the lead body — a department of the unit's
    agency or a unit — partners, a deadline as a date, a period or "thường xuyên", progress."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks",
                             verbose_name=_("kế hoạch"))
    solution = models.ForeignKey(Solution, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="tasks", verbose_name=_("giải pháp"))
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    text = models.TextField(_("nội dung nhiệm vụ"))
    lead_department = models.ForeignKey("org.Department", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("ban chủ trì"))
    lead_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("đơn vị chủ trì"))
    partners = models.CharField(_("đơn vị phối hợp"), max_length=500, blank=True)
    due_on = models.DateField(_("hạn (ngày)"), null=True, blank=True)
    deadline = PeriodField(_("hạn (kỳ)"), null=True, blank=True)
    ongoing = models.BooleanField(_("thực hiện thường xuyên"), default=False)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    progress_note = models.TextField(_("kết quả thực hiện"), blank=True)
    obligation = models.ForeignKey("hub.Obligation", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("việc trong hộp việc"))

    class Meta:
        verbose_name = _("nhiệm vụ của kế hoạch")
        ordering = ("plan_id", "position", "id")
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100),
                                   name="plans_task_progress_le_100"),
            models.CheckConstraint(
                condition=models.Q(lead_department__isnull=True)
                | models.Q(lead_unit__isnull=True),
                name="plans_task_one_lead"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def due_by(self) -> dt.date | None:
        """The last day of the deadline: the date, or the period's last day; None if ongoing."""
        if self.due_on is not None:
            return self.due_on
        return self.deadline.end if self.deadline is not None else None

    @property
    def lead_name(self) -> str:
        if self.lead_department_id is not None:
            return self.lead_department.name  # type: ignore[union-attr]
        if self.lead_unit_id is not None:
            return self.lead_unit.name  # type: ignore[union-attr]
        return ""


class TaskEvidence(models.Model):
    """A file that shows a task done (minh chứng)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence",
                             verbose_name=_("nhiệm vụ"))
    name = models.CharField(_("tên minh chứng"), max_length=255)
    file = models.FileField(_("tệp minh chứng"), upload_to="plans/%Y/")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("người thêm"))
    added_at = models.DateTimeField(_("thời điểm thêm"), auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng thực hiện nhiệm vụ")
        ordering = ("task_id", "added_at", "id")

    def __str__(self) -> str:
        return self.name


class ImplementingDuty(models.Model):
    """A lower unit's duty to issue its plan implementing `plan` by the plan's date: one hub
    obligation, fulfilled when the unit registers a plan whose basis is this one."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="duties",
                             verbose_name=_("kế hoạch cấp trên"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị cấp dưới"))
    obligation = models.ForeignKey("hub.Obligation", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("việc trong hộp việc"))
    fulfilled_by = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+",
                                     verbose_name=_("kế hoạch thực hiện đã ban hành"))

    class Meta:
        verbose_name = _("yêu cầu ban hành kế hoạch thực hiện")
        ordering = ("plan_id", "unit__name", "id")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"],
                                               name="plans_duty_unique_unit")]

    def __str__(self) -> str:
        return f"{self.plan_id} → {self.unit_id}"


class LeadTimePolicy(models.Model):
    """PLAN-3: how many days before lower units must act a directive to them must be issued
    (seed 004: "ít nhất là 01 tuần"), issued by a unit for a period."""

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("đơn vị ban hành"))
    name = models.CharField(_("tên quy định"), max_length=255)
    lead_days = models.PositiveSmallIntegerField(_("số ngày ban hành trước tối thiểu"))
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quy định thời gian ban hành văn bản chỉ đạo")
        ordering = ("issuing_unit_id", "valid_from", "id")

    def __str__(self) -> str:
        return self.name


class LeadTimeVerdict(models.TextChoices):
    IN_TIME = "du_thoi_gian", _("Ban hành đủ thời gian")
    EXCEPTION = "ngoai_le_gap", _("Gấp theo chỉ đạo cấp trên (ngoại lệ)")
    SHORT = "gap", _("Ban hành gấp, không đủ thời gian")


class Directive(models.Model):
    """A directive to lower units (văn bản chỉ đạo cơ sở) and what the lead-time rule said of it
    when registered: in time, short (warned), or an urgent directive from a higher level (the
    exception, with its reason)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị ban hành"))
    title = models.CharField(_("trích yếu"), max_length=500)
    document = models.ForeignKey("documents.Document", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("văn bản"))
    issued_on = models.DateField(_("ngày ban hành"))
    act_on = models.DateField(_("ngày cơ sở bắt đầu thực hiện"))
    urgent = models.BooleanField(_("gấp theo chỉ đạo của cấp trên"), default=False)
    urgent_source = models.CharField(_("văn bản chỉ đạo của cấp trên"), max_length=500,
                                     blank=True)
    urgent_reason = models.TextField(_("lý do gấp"), blank=True)
    policy = models.ForeignKey(LeadTimePolicy, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("quy định áp dụng"))
    lead_days = models.PositiveSmallIntegerField(_("số ngày tối thiểu theo quy định"),
                                                 null=True, blank=True)
    verdict = models.CharField(_("đánh giá thời gian"), max_length=20,
                               choices=LeadTimeVerdict.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("người ghi nhận"))

    class Meta:
        verbose_name = _("văn bản chỉ đạo cơ sở")
        ordering = ("unit_id", "-issued_on", "id")

    def __str__(self) -> str:
        return self.title

    @property
    def days_given(self) -> int:
        return (self.act_on - self.issued_on).days
