"""Remediation (khắc phục khuyết điểm, seed 004): the register of a body's shortcomings from its
yearly self-review (REM-1), the solution groups and solutions that remedy them with their
evidence (REM-2), and the monthly evaluation of full-time standing members (REM-3).

The areas a unit sorts its shortcomings into are data (`ShortcomingArea`); the weights of the
monthly evaluation live in `EvaluationPolicy`, issued by a unit for a period.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doanvu.common.periods import PeriodField


class ShortcomingArea(models.Model):
    """An area of a unit's self-review ("lãnh đạo, điều hành", "tổ chức xây dựng Đoàn", "phong
    trào"): data of the unit, not a list in code."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)

    class Meta:
        verbose_name = _("lĩnh vực khuyết điểm")
        ordering = ("unit_id", "position", "id")
        constraints = [models.UniqueConstraint(fields=["unit", "name"],
                                               name="rem_area_unique_name")]

    def __str__(self) -> str:
        return self.name


class Shortcoming(models.Model):
    """One shortcoming (khuyết điểm, hạn chế) the body's standing committee listed in the
    self-review (kiểm điểm tập thể) of `review_year`. Found that year it is new; found earlier
    (`year_found` < `review_year`) it is carried over. `same_as` links it to the entry it
    repeats, which it does not add to the year's count (seed 004: 5 + 3 − 1 = 7)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    review_year = models.PositiveSmallIntegerField(_("năm kiểm điểm"))
    year_found = models.PositiveSmallIntegerField(_("năm phát sinh"))
    area = models.ForeignKey(ShortcomingArea, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("lĩnh vực"))
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    text = models.TextField(_("nội dung khuyết điểm"))
    same_as = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="repeats", verbose_name=_("trùng với khuyết điểm"))
    closed_on = models.DateField(_("ngày khắc phục xong"), null=True, blank=True)
    closed_note = models.TextField(_("đánh giá khi khắc phục xong"), blank=True)

    class Meta:
        verbose_name = _("khuyết điểm")
        ordering = ("unit_id", "review_year", "number", "id")
        constraints = [
            models.UniqueConstraint(fields=["unit", "review_year", "number"],
                                    name="rem_shortcoming_unique_number"),
            models.CheckConstraint(condition=models.Q(year_found__lte=models.F("review_year")),
                                   name="rem_shortcoming_found_before_review"),
        ]

    def __str__(self) -> str:
        return f"{self.review_year} · {self.number}"

    @property
    def carried(self) -> bool:
        return self.year_found < self.review_year


class SolutionGroup(models.Model):
    """A group of solutions (nhóm giải pháp) of a unit's remediation plan for a year, led by one
    department of its agency (seed 004 §IV: Văn phòng leads group 1)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm thực hiện"))
    number = models.PositiveSmallIntegerField(_("số nhóm"))
    name = models.CharField(_("tên nhóm giải pháp"), max_length=255)
    lead = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("ban chủ trì"))

    class Meta:
        verbose_name = _("nhóm giải pháp")
        ordering = ("unit_id", "year", "number", "id")
        constraints = [models.UniqueConstraint(fields=["unit", "year", "number"],
                                               name="rem_group_unique_number")]

    def __str__(self) -> str:
        return self.name


class Solution(models.Model):
    """A concrete solution with its deadline as a period ("tháng 03/2020", "quý I/2020") or
    ongoing ("thường xuyên"), its progress and the shortcomings it addresses."""

    group = models.ForeignKey(SolutionGroup, on_delete=models.CASCADE, related_name="solutions",
                              verbose_name=_("nhóm giải pháp"))
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    text = models.TextField(_("nội dung giải pháp"))
    deadline = PeriodField(_("thời hạn"), null=True, blank=True)
    ongoing = models.BooleanField(_("thực hiện thường xuyên"), default=False)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    progress_note = models.TextField(_("kết quả thực hiện"), blank=True)
    shortcomings = models.ManyToManyField(Shortcoming, blank=True, related_name="solutions",
                                          verbose_name=_("khuyết điểm được khắc phục"))

    class Meta:
        verbose_name = _("giải pháp")
        ordering = ("group_id", "position", "id")
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100),
                                              name="rem_solution_progress_le_100")]

    def __str__(self) -> str:
        return self.text[:80]


class Evidence(models.Model):
    """A file that shows a shortcoming remedied (minh chứng), optionally from one solution."""

    shortcoming = models.ForeignKey(Shortcoming, on_delete=models.PROTECT,
                                    related_name="evidence", verbose_name=_("khuyết điểm"))
    solution = models.ForeignKey(Solution, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("giải pháp"))
    name = models.CharField(_("tên minh chứng"), max_length=255)
    file = models.FileField(_("tệp minh chứng"), upload_to="remediation/%Y/")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("người thêm"))
    added_at = models.DateTimeField(_("thời điểm thêm"), auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng khắc phục")
        ordering = ("shortcoming_id", "added_at", "id")

    def __str__(self) -> str:
        return self.name


class EvaluationPolicy(models.Model):
    """How a unit's standing committee rates its full-time members each month (REM-3): the
    criteria with their weights (``[{"code": "tai_lieu", "label": "…", "weight": 20}, …]``,
    adding up to 100), issued by a unit for a period."""

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("đơn vị ban hành"))
    name = models.CharField(_("tên quy định đánh giá"), max_length=255)
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    criteria = models.JSONField(_("tiêu chí và trọng số"), default=list)
    rating_thresholds = models.JSONField(
        _("ngưỡng gợi ý xếp loại cuối năm"), default=list, blank=True,
        help_text=_("[{\"level\": mã mức xếp loại, \"min\": điểm bình quân năm tối thiểu}]"))

    class Meta:
        verbose_name = _("quy định đánh giá hằng tháng")
        ordering = ("issuing_unit_id", "valid_from", "id")

    def __str__(self) -> str:
        return self.name


class MonthlyEvaluation(models.Model):
    """One member's evaluation for one month (points 0–100 per criterion code); a locked month
    refuses edits."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("ủy viên Ban Thường vụ"))
    month = PeriodField(_("tháng"))
    policy = models.ForeignKey(EvaluationPolicy, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("quy định đánh giá"))
    points = models.JSONField(_("điểm theo tiêu chí"), default=dict)
    note = models.TextField(_("nhận xét"), blank=True)
    locked = models.BooleanField(_("đã khóa"), default=False)

    class Meta:
        verbose_name = _("đánh giá tháng")
        ordering = ("unit_id", "person_id", "month")
        constraints = [models.UniqueConstraint(fields=["unit", "person", "month"],
                                               name="rem_evaluation_unique_month")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month}"
