"""Competition scoring (thi đua), EMU-1: the rubric (thang điểm thi đua) an issuing unit sets for
a year and a sector group (khối / khu vực xếp hạng), as data.

Every number of a rubric — the points of each criterion, the caps of bonus and penalty items,
the tier thresholds, the top-tier share, the tie-break order — is a field of these records, tied
to the issuing unit and the year: nothing in code knows them. The pure rules (final score,
tiers, ranks) read them through plain values (`rules.py`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _lazy

ZERO = Decimal("0")


class SectorGroup(models.Model):
    """Khối / khu vực xếp hạng: the units an issuing unit ranks together (seed 001: Quận –
    Huyện, Công nhân lao động, Lực lượng vũ trang). Which units belong is set per year."""

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                     related_name="emulation_groups",
                                     verbose_name=_lazy("đơn vị ban hành"))
    name = models.CharField(_lazy("tên khối"), max_length=200)
    order = models.PositiveSmallIntegerField(_lazy("thứ tự"), default=100)

    class Meta:
        verbose_name = _lazy("khối thi đua")
        ordering = ["issuing_unit", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["issuing_unit", "name"],
                                               name="emulation_group_name_unique")]

    def __str__(self) -> str:
        return self.name


class SectorGroupMember(models.Model):
    """A unit evaluated in a group in one year (groups change with the tree: Thủ Đức, 2021)."""

    group = models.ForeignKey(SectorGroup, on_delete=models.CASCADE, related_name="memberships",
                              verbose_name=_lazy("khối thi đua"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                             related_name="emulation_group_years",
                             verbose_name=_lazy("đơn vị được đánh giá"))
    year = models.PositiveSmallIntegerField(_lazy("năm"))

    class Meta:
        verbose_name = _lazy("đơn vị thuộc khối thi đua")
        ordering = ["group", "year", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["group", "unit", "year"],
                                               name="emulation_group_member_unique")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.group} ({self.year})"


class RubricState(models.TextChoices):
    DRAFT = "nhap", _lazy("Đang soạn")
    OPEN = "dang_cham", _lazy("Đang chấm điểm (đã khóa)")
    CLOSED = "da_dong", _lazy("Đã kết thúc")


class FinalRule(models.TextChoices):
    """How a criterion's points enter the final score (EMU-3); the rules read the code."""

    DEPARTMENT_ELSE_SELF = "ban_hoac_tu_cham", _lazy(
        "Điểm của ban phụ trách nếu có, nếu không thì điểm tự chấm; cộng điểm thưởng, trừ điểm "
        "trừ, cộng điều chỉnh của đoàn kiểm tra")


class TieBreakKey(models.TextChoices):
    """One step of the tie-break order (EMU-4); `ref` names the area or criterion by code."""

    AREA_TOTAL = "linh_vuc", _lazy("Tổng điểm lĩnh vực cao hơn")
    CRITERION = "tieu_chi", _lazy("Điểm tiêu chí cao hơn")
    FEWER_PENALTY = "it_diem_tru", _lazy("Ít điểm trừ hơn")
    MORE_BONUS = "nhieu_diem_thuong", _lazy("Nhiều điểm thưởng hơn")


class Rubric(models.Model):
    """Thang điểm thi đua of one issuing unit, year and sector group (EMU-1)."""

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                     related_name="emulation_rubrics",
                                     verbose_name=_lazy("đơn vị ban hành"))
    year = models.PositiveSmallIntegerField(_lazy("năm"))
    group = models.ForeignKey(SectorGroup, on_delete=models.PROTECT, related_name="rubrics",
                              verbose_name=_lazy("khối thi đua"))
    name = models.CharField(_lazy("tên thang điểm"), max_length=255)
    state = models.CharField(_lazy("trạng thái"), max_length=12, choices=RubricState.choices,
                             default=RubricState.DRAFT)
    final_rule = models.CharField(_lazy("cách tính điểm cuối cùng"), max_length=30,
                                  choices=FinalRule.choices,
                                  default=FinalRule.DEPARTMENT_ELSE_SELF)
    bonus_cap = models.DecimalField(_lazy("tổng điểm thưởng tối đa"), null=True, blank=True,
                                    max_digits=7, decimal_places=2)
    penalty_cap = models.DecimalField(_lazy("tổng điểm trừ tối đa"), null=True, blank=True,
                                      max_digits=7, decimal_places=2)
    # [{"key": "linh_vuc", "ref": "III"}, {"key": "it_diem_tru", "ref": ""}, …] in order
    tie_breaks = models.JSONField(_lazy("thứ tự xét khi bằng điểm"), default=list, blank=True)
    # the deadlines of the year's scoring (EMU-2, EMU-8; seed 001 §III.3): units' self-scores
    # lock after `self_score_due`; departments finish a unit `scoring_lead_days` before its
    # inspection slot
    self_score_due = models.DateField(_lazy("hạn đơn vị tự chấm và nộp phiếu"), null=True,
                                      blank=True)
    scoring_lead_days = models.PositiveSmallIntegerField(
        _lazy("số ngày các ban chấm xong trước buổi kiểm tra"), default=1)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="copies", verbose_name=_lazy("sao chép từ"))
    frozen_at = models.DateTimeField(_lazy("khóa lúc"), null=True, blank=True)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_lazy("người khóa"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _lazy("thang điểm thi đua")
        ordering = ["-year", "group__order", "group__name"]
        constraints = [models.UniqueConstraint(fields=["issuing_unit", "year", "group"],
                                               name="emulation_one_rubric_a_year_a_group")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.state == RubricState.DRAFT


class WorkArea(models.Model):
    """Lĩnh vực / mảng công tác: a part of the rubric with its own maximum."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="areas",
                               verbose_name=_lazy("thang điểm"))
    code = models.CharField(_lazy("mã lĩnh vực"), max_length=20)
    title = models.CharField(_lazy("tên lĩnh vực"), max_length=255)
    max_points = models.DecimalField(_lazy("điểm tối đa"), max_digits=7, decimal_places=2,
                                     validators=[MinValueValidator(ZERO)])
    order = models.PositiveSmallIntegerField(_lazy("thứ tự"), default=100)

    class Meta:
        verbose_name = _lazy("lĩnh vực công tác")
        ordering = ["rubric", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["rubric", "code"],
                                               name="emulation_area_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class ScoringMethod(models.TextChoices):
    POINTS = "cham_diem", _lazy("Chấm điểm (0 đến điểm tối đa)")
    YES_NO = "co_khong", _lazy("Có / không (đạt được điểm tối đa hoặc 0)")
    COUNT = "so_lan", _lazy("Số lần × điểm mỗi lần, không quá điểm tối đa")
    PERCENT = "ty_le", _lazy("Tỷ lệ % đạt được × điểm tối đa")


class Criterion(models.Model):
    """Tiêu chí: what is scored, how, by which department or affiliated body, on what evidence."""

    area = models.ForeignKey(WorkArea, on_delete=models.CASCADE, related_name="criteria",
                             verbose_name=_lazy("lĩnh vực"))
    code = models.CharField(_lazy("mã tiêu chí"), max_length=20)
    title = models.TextField(_lazy("nội dung tiêu chí"))
    max_points = models.DecimalField(_lazy("điểm tối đa"), max_digits=7, decimal_places=2,
                                     validators=[MinValueValidator(ZERO)])
    method = models.CharField(_lazy("cách chấm"), max_length=12, choices=ScoringMethod.choices,
                              default=ScoringMethod.POINTS)
    # COUNT: the points one occurrence earns (the cap is max_points)
    unit_points = models.DecimalField(_lazy("điểm mỗi lần"), null=True, blank=True,
                                      max_digits=7, decimal_places=2)
    department = models.ForeignKey("org.Department", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="emulation_criteria",
                                   verbose_name=_lazy("ban, đơn vị phụ trách chấm"))
    evidence_required = models.BooleanField(_lazy("bắt buộc minh chứng"), default=False)
    evidence = models.TextField(_lazy("minh chứng cần có"), blank=True)
    order = models.PositiveSmallIntegerField(_lazy("thứ tự"), default=100)

    class Meta:
        verbose_name = _lazy("tiêu chí thi đua")
        ordering = ["area", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["area", "code"],
                                               name="emulation_criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class ItemKind(models.TextChoices):
    BONUS = "thuong", _lazy("Điểm thưởng")
    PENALTY = "tru", _lazy("Điểm trừ")


class RubricItem(models.Model):
    """Điểm thưởng / điểm trừ: points per occurrence, with the item's own cap."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="items",
                               verbose_name=_lazy("thang điểm"))
    kind = models.CharField(_lazy("loại"), max_length=8, choices=ItemKind.choices)
    code = models.CharField(_lazy("mã"), max_length=20)
    title = models.TextField(_lazy("nội dung"))
    points = models.DecimalField(_lazy("điểm mỗi lần"), max_digits=7, decimal_places=2,
                                 validators=[MinValueValidator(ZERO)])
    cap = models.DecimalField(_lazy("tối đa của mục"), null=True, blank=True, max_digits=7,
                              decimal_places=2)
    department = models.ForeignKey("org.Department", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="emulation_items",
                                   verbose_name=_lazy("ban, đơn vị đề xuất"))
    order = models.PositiveSmallIntegerField(_lazy("thứ tự"), default=100)

    class Meta:
        verbose_name = _lazy("mục điểm thưởng, điểm trừ")
        ordering = ["rubric", "kind", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["rubric", "code"],
                                               name="emulation_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class RubricTier(models.Model):
    """Xếp loại: a tier with its minimum final score; rank 1 is the top tier. `max_share` caps
    the share of the group that may hold it (the top-tier cap: "at most N %")."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="tiers",
                               verbose_name=_lazy("thang điểm"))
    code = models.CharField(_lazy("mã"), max_length=20)
    name = models.CharField(_lazy("tên xếp loại"), max_length=120)
    rank = models.PositiveSmallIntegerField(_lazy("bậc (1 là cao nhất)"))
    min_score = models.DecimalField(_lazy("điểm tối thiểu"), max_digits=7, decimal_places=2)
    max_share = models.DecimalField(
        _lazy("tỷ lệ tối đa trong khối (%)"), max_digits=5, decimal_places=2, null=True,
        blank=True)

    class Meta:
        verbose_name = _lazy("mức xếp loại")
        ordering = ["rubric", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="emulation_tier_code_unique"),
            models.UniqueConstraint(fields=["rubric", "rank"], name="emulation_tier_rank_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class RubricDisqualifier(models.Model):
    """Điều kiện loại trừ: a condition that bars a unit from `barred_tier` and every tier above
    it (e.g. a listed violation forbids the top tier)."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="disqualifiers",
                               verbose_name=_lazy("thang điểm"))
    code = models.CharField(_lazy("mã"), max_length=20)
    label = models.TextField(_lazy("điều kiện"))
    barred_tier = models.ForeignKey(RubricTier, on_delete=models.CASCADE,
                                    related_name="disqualifiers",
                                    verbose_name=_lazy("không được xếp từ loại"))

    class Meta:
        verbose_name = _lazy("điều kiện loại trừ")
        ordering = ["rubric", "code"]
        constraints = [models.UniqueConstraint(fields=["rubric", "code"],
                                               name="emulation_disqualifier_code_unique")]

    def __str__(self) -> str:
        return self.label


# -- score sheets (EMU-2, EMU-8, EMU-10) ---------------------------------------------------------


class SheetState(models.TextChoices):
    """The life of a sheet: the unit scores itself, submits; departments score their criteria;
    the inspection team adjusts; the issuing unit makes it final (locked)."""

    DRAFT = "tu_cham", _lazy("Đơn vị đang tự chấm")
    SUBMITTED = "da_nop", _lazy("Đơn vị đã nộp")
    DEPARTMENT = "ban_cham", _lazy("Các ban đang chấm")
    INSPECTED = "da_kiem_tra", _lazy("Đã kiểm tra, điều chỉnh")
    FINAL = "chinh_thuc", _lazy("Chính thức (đã khóa)")


SHEET_STATE_ORDER = [SheetState.DRAFT, SheetState.SUBMITTED, SheetState.DEPARTMENT,
                     SheetState.INSPECTED, SheetState.FINAL]


class ScoreSheet(models.Model):
    """Phiếu chấm điểm thi đua: one evaluated unit's sheet of one rubric (so one year).

    `version` counts the writes: every write locks the row (SELECT … FOR UPDATE) and adds one,
    so writers of one sheet follow each other and none is lost. `due_on` is the date the
    departments must finish scoring by — before the unit's inspection slot (seed 001 §III.3);
    until inspection slots exist it is set on the sheet."""

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="sheets",
                               verbose_name=_lazy("thang điểm"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                             related_name="emulation_sheets",
                             verbose_name=_lazy("đơn vị được đánh giá"))
    year = models.PositiveSmallIntegerField(_lazy("năm"))
    state = models.CharField(_lazy("trạng thái"), max_length=12, choices=SheetState.choices,
                             default=SheetState.DRAFT)
    due_on = models.DateField(_lazy("hạn các ban chấm xong"), null=True, blank=True)
    flags = models.JSONField(_lazy("điều kiện loại trừ đã ghi nhận"), default=list, blank=True)
    version = models.PositiveIntegerField(_lazy("phiên bản"), default=0)
    submitted_at = models.DateTimeField(_lazy("nộp lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_lazy("người nộp"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _lazy("phiếu chấm điểm thi đua")
        ordering = ["rubric", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["rubric", "unit"],
                                               name="emulation_one_sheet_a_rubric_a_unit")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.rubric}"

    @property
    def is_submitted(self) -> bool:
        return self.state != SheetState.DRAFT

    @property
    def is_final(self) -> bool:
        return self.state == SheetState.FINAL


class LineSource(models.TextChoices):
    """Where a criterion's points come from (EMU-10)."""

    SELF = "tu_cham", _lazy("Đơn vị tự chấm")
    DEPARTMENT = "ban_cham", _lazy("Ban phụ trách chấm")
    IMPORTED = "nhap_tu_tep", _lazy("Kết quả thành phần nhập từ tệp")
    ADJUSTMENT = "dieu_chinh", _lazy("Điều chỉnh của đoàn kiểm tra")


class ScoreLine(models.Model):
    """One score of one criterion on a sheet. Self, department and imported scores are one row
    each per criterion, changed in place (the audit keeps every earlier value); adjustments are
    rows added one by one, `points` then being the signed change (raw empty)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="lines",
                              verbose_name=_lazy("phiếu"))
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="lines",
                                  verbose_name=_lazy("tiêu chí"))
    source = models.CharField(_lazy("nguồn điểm"), max_length=12, choices=LineSource.choices)
    raw = models.DecimalField(_lazy("giá trị nhập"), max_digits=9, decimal_places=2, null=True,
                              blank=True)
    points = models.DecimalField(_lazy("điểm"), max_digits=9, decimal_places=2)
    reason = models.TextField(_lazy("lý do"), blank=True)
    evidence = models.TextField(_lazy("minh chứng"), blank=True)
    component = models.ForeignKey("ComponentImport", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="lines",
                                  verbose_name=_lazy("tệp kết quả thành phần"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_lazy("người chấm"))
    at = models.DateTimeField(_lazy("lúc"))
    # an adjustment made by issuing an inspection conclusion (INS-6): its item, for the link
    # back to the conclusion (EMU-10)
    inspection_item = models.ForeignKey("inspections.ScoreAdjustment", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="score_lines",
                                        verbose_name=_lazy("điều chỉnh trong kết luận kiểm tra"))

    class Meta:
        verbose_name = _lazy("điểm tiêu chí")
        ordering = ["sheet", "criterion", "source", "at", "id"]
        constraints = [models.UniqueConstraint(
            fields=["sheet", "criterion", "source"], condition=~models.Q(source="dieu_chinh"),
            name="emulation_one_score_a_source")]
        # the lines that replace a self-score, for the ranking recompute (PERF-3)
        indexes = [models.Index(fields=["sheet", "criterion"],
                                condition=models.Q(source__in=["ban_cham", "nhap_tu_tep"]),
                                name="emulation_line_overrides")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.points}"


def evidence_upload_to(instance: SheetEvidence, filename: str) -> str:
    return f"thi-dua/{instance.sheet_id}/{filename}"


class SheetEvidence(models.Model):
    """Minh chứng: a file the unit uploads for a criterion of its sheet (hub's size/type limits)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="evidence",
                              verbose_name=_lazy("phiếu"))
    criterion = models.ForeignKey(Criterion, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="evidence_files", verbose_name=_lazy("tiêu chí"))
    file = models.FileField(_lazy("tệp"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_lazy("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(_lazy("dung lượng"))
    content_type = models.CharField(_lazy("kiểu tệp"), max_length=120, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_lazy("người tải lên"))
    at = models.DateTimeField(_lazy("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _lazy("minh chứng")
        ordering = ["sheet", "at", "id"]

    def __str__(self) -> str:
        return self.original_name


class SheetEntry(models.Model):
    """A bonus or penalty entry (điểm thưởng / điểm trừ) on a sheet: `count` occurrences of the
    rubric item, so `count × item.points` points, with its reason."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="entries",
                              verbose_name=_lazy("phiếu"))
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="entries",
                             verbose_name=_lazy("mục thưởng, trừ"))
    count = models.PositiveSmallIntegerField(_lazy("số lần"), default=1)
    reason = models.TextField(_lazy("lý do"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_lazy("người ghi"))
    at = models.DateTimeField(_lazy("lúc"))
    # a penalty for a shortcoming of last year's conclusion left unremedied (EMU-11)
    limitation = models.ForeignKey("inspections.Limitation", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="sheet_entries",
                                   verbose_name=_lazy("tồn tại năm trước chưa khắc phục"))
    # EMU-11: the shortcoming of last year's self-review (remediation) this penalty is for
    shortcoming = models.ForeignKey("remediation.Shortcoming", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_lazy("khuyết điểm năm trước chưa khắc phục"))

    class Meta:
        verbose_name = _lazy("điểm thưởng, điểm trừ của phiếu")
        ordering = ["sheet", "item__kind", "at", "id"]

    def __str__(self) -> str:
        return f"{self.item.code} × {self.count}"


class ComponentImport(models.Model):
    """A file of component results from the Office (kết quả thành phần: the school area of the
    school year 2019–2020, Nhà Thiếu nhi, Hội LHTN…), one row per unit per criterion, loaded
    whole or not at all."""

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="component_imports",
                               verbose_name=_lazy("thang điểm"))
    title = models.CharField(_lazy("nội dung"), max_length=255)
    original_name = models.CharField(_lazy("tên tệp"), max_length=255)
    rows = models.PositiveIntegerField(_lazy("số dòng"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_lazy("người nhập"))
    at = models.DateTimeField(_lazy("lúc"))

    class Meta:
        verbose_name = _lazy("tệp kết quả thành phần")
        ordering = ["rubric", "-at", "-id"]

    def __str__(self) -> str:
        return self.title


__all__ = [
    "Criterion", "FinalRule", "ItemKind", "Rubric", "RubricDisqualifier", "RubricItem",
    "RubricState", "RubricTier", "ScoringMethod", "SectorGroup", "SectorGroupMember",
    "TieBreakKey", "WorkArea", "ComponentImport", "LineSource", "ScoreLine", "ScoreSheet",
    "SheetEntry", "SheetEvidence", "SheetState",
]


# -- ranking (EMU-3, EMU-4) ---------------------------------------------------------------------


class SnapshotState(models.TextChoices):
    DRAFT = "nhap", _lazy("Bản nháp")
    PUBLISHED = "cong_bo", _lazy("Đã công bố")


class RankingSnapshot(models.Model):
    """Bảng xếp hạng thi đua of one rubric, computed from the stored sheets at one moment.

    A published snapshot is never changed: a recompute makes a new snapshot and the earlier one
    stays, pointing to the later (`superseded_by`), so an appeal (EMU-7) reads what was
    published."""

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="rankings",
                               verbose_name=_lazy("thang điểm"))
    state = models.CharField(_lazy("trạng thái"), max_length=12, choices=SnapshotState.choices,
                             default=SnapshotState.DRAFT)
    computed_at = models.DateTimeField(_lazy("tính lúc"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_lazy("người tính"))
    published_on = models.DateField(_lazy("ngày công bố"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_lazy("người công bố"))
    note = models.TextField(_lazy("ghi chú"), blank=True)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="supersedes",
                                      verbose_name=_lazy("được thay bằng"))

    class Meta:
        verbose_name = _lazy("bảng xếp hạng thi đua")
        ordering = ["rubric", "-computed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.rubric} – {self.computed_at:%d/%m/%Y}"

    @property
    def is_published(self) -> bool:
        return self.state == SnapshotState.PUBLISHED


class RankingEntry(models.Model):
    """One unit's line of a ranking snapshot."""

    snapshot = models.ForeignKey(RankingSnapshot, on_delete=models.CASCADE,
                                 related_name="entries", verbose_name=_lazy("bảng xếp hạng"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_lazy("đơn vị"))
    total = models.DecimalField(_lazy("điểm cuối cùng"), max_digits=9, decimal_places=2)
    criteria_total = models.DecimalField(_lazy("điểm các tiêu chí"), max_digits=9,
                                         decimal_places=2)
    bonus = models.DecimalField(_lazy("điểm thưởng"), max_digits=9, decimal_places=2)
    penalty = models.DecimalField(_lazy("điểm trừ"), max_digits=9, decimal_places=2)
    rank = models.PositiveIntegerField(_lazy("hạng"))
    position = models.PositiveIntegerField(_lazy("thứ tự"))
    tier_code = models.CharField(_lazy("mã xếp loại"), max_length=20)
    tier_name = models.CharField(_lazy("xếp loại"), max_length=120)
    tier_reasons = models.TextField(_lazy("lý do xếp loại"), blank=True)

    class Meta:
        verbose_name = _lazy("dòng xếp hạng")
        ordering = ["snapshot", "position"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "unit"],
                                               name="emulation_one_entry_a_snapshot_a_unit")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.unit_id}"


# -- notices and appeals (EMU-6, EMU-7) ----------------------------------------------------------


class EmulationPolicy(models.Model):
    """The numbers an issuing unit's emulation plan of one year sets for the result and its
    appeals (seed 001 is the plan): how many days after the ranking is published a unit may
    appeal. Read by the services, never a constant."""

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                     related_name="emulation_policies",
                                     verbose_name=_lazy("đơn vị ban hành"))
    year = models.PositiveSmallIntegerField(_lazy("năm"))
    appeal_days = models.PositiveSmallIntegerField(
        _lazy("số ngày được khiếu nại sau khi công bố kết quả"),
        validators=[MinValueValidator(1)])
    note = models.TextField(_lazy("căn cứ"), blank=True)

    class Meta:
        verbose_name = _lazy("quy định thi đua của năm")
        ordering = ["issuing_unit", "-year"]
        constraints = [models.UniqueConstraint(fields=["issuing_unit", "year"],
                                               name="emulation_one_policy_a_year")]

    def __str__(self) -> str:
        return f"{self.issuing_unit} – {self.year}"


class ResultNotice(models.Model):
    """EMU-6: the notice of remarks, evaluation, classification and ranking (thông báo nhận
    xét, đánh giá, phân loại và xếp hạng) issued to one unit for a published snapshot, a
    numbered document of the issuing unit."""

    snapshot = models.ForeignKey(RankingSnapshot, on_delete=models.PROTECT,
                                 related_name="notices", verbose_name=_lazy("bảng xếp hạng"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_lazy("đơn vị"))
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_lazy("văn bản thông báo"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_lazy("người ban hành"))

    class Meta:
        verbose_name = _lazy("thông báo kết quả thi đua")
        ordering = ["snapshot", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "unit"],
                                               name="emulation_one_notice_a_snapshot_a_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} – {self.document_id}"


class AppealState(models.TextChoices):
    PENDING = "cho", _lazy("Chờ giải quyết")
    ACCEPTED = "chap_nhan", _lazy("Chấp nhận, đã điều chỉnh điểm")
    REFUSED = "khong_chap_nhan", _lazy("Không chấp nhận, giữ nguyên điểm")


def appeal_upload_to(instance: Appeal, filename: str) -> str:
    return f"thi-dua/khieu-nai/{instance.snapshot_id}/{filename}"


class Appeal(models.Model):
    """EMU-7: a unit's appeal (khiếu nại) against the score of one criterion of a published
    ranking, within the policy's window; decided by someone who did not give the disputed
    score. Accepting adds an adjustment line and a new snapshot (`result`); the appealed
    snapshot stays as it was."""

    snapshot = models.ForeignKey(RankingSnapshot, on_delete=models.PROTECT,
                                 related_name="appeals", verbose_name=_lazy("bảng xếp hạng"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_lazy("đơn vị khiếu nại"))
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="appeals",
                                  verbose_name=_lazy("tiêu chí khiếu nại"))
    reason = models.TextField(_lazy("lý do khiếu nại"))
    evidence = models.TextField(_lazy("minh chứng"), blank=True)
    evidence_file = models.FileField(_lazy("tệp minh chứng"), upload_to=appeal_upload_to,
                                     max_length=300, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_lazy("người gửi"))
    filed_on = models.DateField(_lazy("ngày gửi"))
    state = models.CharField(_lazy("kết quả giải quyết"), max_length=16,
                             choices=AppealState.choices, default=AppealState.PENDING)
    decision = models.TextField(_lazy("nội dung giải quyết"), blank=True)
    delta = models.DecimalField(_lazy("điểm điều chỉnh"), max_digits=9, decimal_places=2,
                                null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_lazy("người giải quyết"))
    decided_at = models.DateTimeField(_lazy("giải quyết lúc"), null=True, blank=True)
    line = models.ForeignKey(ScoreLine, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_lazy("dòng điều chỉnh điểm"))
    result = models.ForeignKey(RankingSnapshot, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               verbose_name=_lazy("bảng xếp hạng tính lại"))

    class Meta:
        verbose_name = _lazy("khiếu nại kết quả thi đua")
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit_id} – {self.criterion_id}"

    @property
    def is_pending(self) -> bool:
        return self.state == AppealState.PENDING
# -- component requests (EMU-2; seed 001 §III.3) -------------------------------------------------


class ComponentRequest(models.Model):
    """The issuing unit asks one of its departments (or an affiliated body) for the component
    results of some criteria of a rubric by a date — seed 001: Ban Thiếu nhi with Nhà Thiếu nhi
    Thành phố, to Văn phòng by 04/11/2020. The department owes it as a hub obligation, which
    the system delivers when a component file covering all the criteria is imported."""

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT,
                               related_name="component_requests",
                               verbose_name=_lazy("thang điểm"))
    title = models.CharField(_lazy("nội dung yêu cầu"), max_length=255)
    criterion_codes = models.JSONField(_lazy("mã các tiêu chí"), default=list)
    owed_by = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_lazy("ban, đơn vị thực hiện"))
    owed_to = models.ForeignKey("org.Department", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                verbose_name=_lazy("gửi về ban"))
    due_on = models.DateField(_lazy("hạn gửi"))
    obligation = models.OneToOneField("hub.Obligation", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_lazy("việc phải nộp"))
    delivered_by = models.ForeignKey(ComponentImport, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="requests",
                                     verbose_name=_lazy("tệp đã nhập"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_lazy("người tạo"))
    created_at = models.DateTimeField(_lazy("lúc tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _lazy("yêu cầu kết quả thành phần")
        ordering = ["rubric", "due_on", "id"]

    def __str__(self) -> str:
        return self.title
