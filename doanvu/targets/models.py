"""Targets (chỉ tiêu, IND-1): what a unit's plan sets its scope to reach by a date. A target is
measured either by a registered formula over live data (`formulas.FORMULAS`, named by `formula`
with its `params`) or from the values units enter (`formula` empty, `TargetEntry`).

The goal is data of the target, never a constant in code: seed 003's "100%" and "ít nhất 01
lớp" are rows the plan's issuer records.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị giao chỉ tiêu"))
    plan = models.ForeignKey("documents.Document", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("kế hoạch"))
    name = models.CharField(_("tên chỉ tiêu"), max_length=500)
    goal = models.DecimalField(_("giá trị chỉ tiêu"), max_digits=12, decimal_places=2)
    due_on = models.DateField(_("thời hạn"))
    scope_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("phạm vi áp dụng"))
    formula = models.CharField(_("công thức"), max_length=60, blank=True,
                               help_text=_("để trống: các đơn vị tự nhập kết quả"))
    params = models.JSONField(_("tham số công thức"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)

    class Meta:
        ordering = ("scope_unit_id", "position", "id")
        verbose_name = _("chỉ tiêu")

    def __str__(self) -> str:
        return self.name

    @property
    def entered_by_units(self) -> bool:
        return not self.formula


class TargetEntry(models.Model):
    """A unit's own figure for a target measured by what units enter (one per unit)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="entries",
                               verbose_name=_("chỉ tiêu"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    value = models.DecimalField(_("kết quả"), max_digits=12, decimal_places=2)
    entered_on = models.DateField(_("ngày nhập"))

    class Meta:
        verbose_name = _("kết quả chỉ tiêu do đơn vị nhập")
        constraints = [models.UniqueConstraint(fields=["target", "unit"],
                                               name="targets_entry_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.value}"


class TargetComputation(models.Model):
    """When a formula target's figures (`TargetFigure`) were last computed from raw data, for
    which measurement day, and since when they may be out of date (a change to what the
    formulas read, PERF-4). Derived data: written by `recompute`, not audited."""

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="computation",
                                  verbose_name=_("chỉ tiêu"))
    measured_on = models.DateField(_("ngày đo"))
    computed_at = models.DateTimeField(_("tính lúc"))
    stale_since = models.DateTimeField(_("có thay đổi từ"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần tính chỉ tiêu")

    def __str__(self) -> str:
        return f"{self.target_id}: {self.computed_at:%d/%m/%Y %H:%M}"


class TargetFigure(models.Model):
    """A formula target's maintained figure at one unit (PERF-4): the numerator and denominator
    of its subtree on the measurement day (denominator empty: a count), and the same a year
    earlier for the trend. `parent` is the unit's parent on the tree of that day, so a
    dashboard reads a unit and its children in one query. Rows exist for the target's scope
    and the units under it holding data."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="figures",
                               verbose_name=_("chỉ tiêu"))
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+",
                             db_constraint=False, verbose_name=_("đơn vị"))
    parent = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.DO_NOTHING,
                               related_name="+", db_constraint=False,
                               verbose_name=_("đơn vị cấp trên tại ngày đo"))
    numerator = models.IntegerField(_("tử số"), default=0)
    denominator = models.IntegerField(_("mẫu số"), null=True, blank=True)
    has_data = models.BooleanField(_("có dữ liệu"), default=True)
    previous_numerator = models.IntegerField(_("tử số năm trước"), null=True, blank=True)
    previous_denominator = models.IntegerField(_("mẫu số năm trước"), null=True, blank=True)

    class Meta:
        verbose_name = _("số liệu chỉ tiêu của đơn vị")
        constraints = [models.UniqueConstraint(fields=["target", "unit"],
                                               name="targets_figure_once_per_unit")]
        indexes = [models.Index(fields=["target", "parent"], name="targets_figure_children")]

    def __str__(self) -> str:
        return f"{self.target_id}@{self.unit_id}: {self.numerator}/{self.denominator}"
