"""The organisation: unit tree with dated history (ORG-1, ORG-3), kinds and sectors (ORG-2),
clusters (ORG-4), agency departments (ORG-5), terms and committees (ORG-6), supervision (ORG-7)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.text import fold


class UnitKind(models.Model):
    """A level of the tree, as data: since 1/7/2025 the district level is gone (ORG-1)."""

    code = models.SlugField(_lazy("mã"), max_length=40, unique=True)
    name = models.CharField(_lazy("tên loại"), max_length=120)
    level = models.PositiveSmallIntegerField(
        _lazy("cấp"), help_text=_lazy("0 = Trung ương; số lớn hơn là cấp thấp hơn")
    )
    is_grassroots = models.BooleanField(_lazy("là cơ sở Đoàn"), default=False)
    is_branch = models.BooleanField(_lazy("là chi đoàn / phân đoàn"), default=False)
    has_agency = models.BooleanField(_lazy("có cơ quan chuyên trách"), default=False)
    allowed_parents = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="allowed_children",
        verbose_name=_lazy("có thể trực thuộc"),
    )
    merge_targets = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="merge_sources",
        verbose_name=_lazy("có thể sáp nhập vào"),
    )

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _lazy("loại đơn vị")
        verbose_name_plural = _lazy("loại đơn vị")

    def __str__(self) -> str:
        return self.name

    # What a unit of this kind has, read from the kind's data (never from its code or name):
    # the unit page and the pages above it show only the sections that apply (issue 10).
    @property
    def has_lower_units(self) -> bool:
        """Units of this kind direct lower units that report to them (not a branch)."""
        return not self.is_branch

    @property
    def has_standing_committee(self) -> bool:
        """A Ban Thường vụ is elected above the branch; a branch has its BCH and secretaries."""
        return not self.is_branch


class Sector(models.TextChoices):
    """Khu vực (ORG-2)."""

    RURAL = "dan_cu_nong_thon", _lazy("Địa bàn dân cư – nông thôn")
    URBAN = "dan_cu_do_thi", _lazy("Địa bàn dân cư – đô thị")
    SCHOOL = "truong_hoc", _lazy("Trường học")
    WORKERS = "cong_nhan", _lazy("Công nhân lao động – doanh nghiệp")
    ARMED = "luc_luong_vu_trang", _lazy("Lực lượng vũ trang")
    AGENCY = "co_quan", _lazy("Cơ quan")
    MIXED = "tong_hop", _lazy("Tổng hợp")


class Unit(models.Model):
    """An organisation unit (đơn vị). Its row holds the current state; UnitVersion the past."""

    name = models.CharField(_lazy("tên đơn vị"), max_length=255)
    short_name = models.CharField(_lazy("tên viết tắt"), max_length=60, blank=True)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, verbose_name=_lazy("loại"))
    sector = models.CharField(_lazy("khu vực"), max_length=30, choices=Sector.choices, blank=True)
    place = models.CharField(_lazy("địa danh"), max_length=120, blank=True,
                             help_text=_lazy("dùng trong dòng địa danh, ngày tháng của văn bản"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_lazy("đơn vị cấp trên"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=1)
    founded_on = models.DateField(_lazy("ngày thành lập"))
    dissolved_on = models.DateField(_lazy("ngày giải thể / sáp nhập"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors",
        verbose_name=_lazy("đơn vị kế thừa"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _lazy("đơn vị")
        verbose_name_plural = _lazy("đơn vị")
        indexes = [
            models.Index(fields=["parent", "name"]),
            # Search results are read in this order (see selectors.unit_search).
            models.Index(fields=["depth", "name"], name="org_unit_search_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # Keeping the folded name in step with the name is bookkeeping, not a business rule.
        self.name_folded = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "name_folded"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def is_active_on(self, day: object) -> bool:
        return self.founded_on <= day and (  # type: ignore[operator]
            self.dissolved_on is None or self.dissolved_on > day  # type: ignore[operator]
        )

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None


class UnitVersion(models.Model):
    """The state of a unit over [valid_from, valid_to): answers "as of" questions (X-10, ORG-3)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    name = models.CharField(max_length=255)
    name_folded = models.CharField(max_length=255)
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT)
    sector = models.CharField(max_length=30, choices=Sector.choices, blank=True)
    parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(max_length=255)
    depth = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["unit", "valid_from"]
        indexes = [
            models.Index(fields=["path", "valid_from"]),
            models.Index(fields=["parent", "valid_from"]),
            models.Index(fields=["unit", "valid_from"]),
            models.Index(fields=["depth", "name"], name="org_unitver_search_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unitversion_interval_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from}–{self.valid_to or '…'})"


class UnitEventKind(models.TextChoices):
    FOUNDED = "founded", _lazy("Thành lập")
    RENAMED = "renamed", _lazy("Đổi tên")
    MOVED = "moved", _lazy("Chuyển trực thuộc")
    MERGED = "merged", _lazy("Sáp nhập")
    ABSORBED = "absorbed", _lazy("Tiếp nhận đơn vị sáp nhập")
    SPLIT = "split", _lazy("Chia tách")
    DISSOLVED = "dissolved", _lazy("Giải thể")
    RECLASSIFIED = "reclassified", _lazy("Đổi loại / khu vực")


class UnitEvent(models.Model):
    """One dated change of the tree, as a cadre would list it in the unit's history (ORG-3)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=UnitEventKind.choices)
    date = models.DateField(_lazy("ngày hiệu lực"))
    related_units = models.ManyToManyField(Unit, blank=True, related_name="+")
    decision = models.CharField(_lazy("số quyết định"), max_length=120, blank=True)
    note = models.TextField(_lazy("ghi chú"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} {self.date:%d/%m/%Y}"


class DepartmentCategory(models.TextChoices):
    OFFICE = "van_phong", _lazy("Văn phòng")
    DEPARTMENT = "ban", _lazy("Ban chuyên môn")
    INSPECTION = "kiem_tra", _lazy("Ủy ban / Ban Kiểm tra")
    AFFILIATED = "su_nghiep", _lazy("Đơn vị sự nghiệp trực thuộc")


class Department(models.Model):
    """A department of a unit's specialised agency, or an affiliated body (ORG-5)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="departments",
                             verbose_name=_lazy("đơn vị"))
    name = models.CharField(_lazy("tên"), max_length=200)
    short_name = models.CharField(
        _lazy("ký hiệu"), max_length=30, blank=True,
        help_text=_lazy("dùng trong số văn bản, ví dụ TCKT"),
    )
    category = models.CharField(_lazy("loại"), max_length=20, choices=DepartmentCategory.choices)
    valid_from = models.DateField(_lazy("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_lazy("đến ngày"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "category", "name"]
        verbose_name = _lazy("ban, đơn vị trực thuộc")

    def __str__(self) -> str:
        return self.name


class ClusterKind(models.TextChoices):
    ACTIVITY = "hoat_dong", _lazy("Cụm hoạt động")
    EMULATION = "thi_dua", _lazy("Cụm / khối thi đua")
    SECTOR_GROUP = "khu_vuc", _lazy("Khu vực xếp hạng")


class Cluster(models.Model):
    """Cụm: sibling units grouped by their upper unit, with a standing department (ORG-4)."""

    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="clusters",
                              verbose_name=_lazy("đơn vị quản lý cụm"))
    name = models.CharField(_lazy("tên cụm"), max_length=200)
    kind = models.CharField(_lazy("loại"), max_length=20, choices=ClusterKind.choices)
    standing_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT,
        related_name="standing_clusters",
        verbose_name=_lazy("ban thường trực cụm"),
    )
    members = models.ManyToManyField(Unit, related_name="cluster_memberships", blank=True)
    valid_from = models.DateField(_lazy("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_lazy("hiệu lực đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _lazy("cụm đơn vị")
        ordering = ["owner", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "nam", "Nam"
    FEMALE = "nu", _lazy("Nữ")


class EducationLevel(models.TextChoices):
    THCS = "thcs", "THCS"
    THPT = "thpt", "THPT"
    TRUNG_CAP = "trung_cap", _lazy("Trung cấp")
    CAO_DANG = "cao_dang", _lazy("Cao đẳng")
    DAI_HOC = "dai_hoc", _lazy("Đại học")
    THAC_SI = "thac_si", _lazy("Thạc sĩ")
    TIEN_SI = "tien_si", _lazy("Tiến sĩ")


class TheoryLevel(models.TextChoices):
    SO_CAP = "so_cap", _lazy("Sơ cấp")
    TRUNG_CAP = "trung_cap", _lazy("Trung cấp")
    CAO_CAP = "cao_cap", _lazy("Cao cấp / Cử nhân")


class Person(models.Model):
    """A person who holds posts; the members module adds the member record (MEM-1)."""

    full_name = models.CharField(_lazy("họ và tên"), max_length=120)
    # indexed by org_person_dup_idx (name_folded, birth_date), which also serves the ordering
    name_folded = models.CharField(max_length=120, editable=False)
    gender = models.CharField(_lazy("giới tính"), max_length=3, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_lazy("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_lazy("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_lazy("thư điện tử"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="person", verbose_name=_lazy("tài khoản"),
    )
    # MEM-1: the personal record the members module keeps.
    cccd = models.CharField(_lazy("số CCCD"), max_length=12, null=True, blank=True, unique=True)
    ethnicity = models.CharField(_lazy("dân tộc"), max_length=40, blank=True)
    religion = models.CharField(_lazy("tôn giáo"), max_length=40, blank=True)
    hometown = models.CharField(_lazy("quê quán"), max_length=200, blank=True)
    hometown_folded = models.CharField(max_length=200, blank=True, editable=False)
    address = models.CharField(_lazy("nơi ở hiện nay"), max_length=255, blank=True)
    education_level = models.CharField(_lazy("trình độ học vấn, chuyên môn"), max_length=12,
                                       choices=EducationLevel.choices, blank=True)
    political_theory = models.CharField(_lazy("trình độ lý luận chính trị"), max_length=12,
                                        choices=TheoryLevel.choices, blank=True)
    party_member = models.BooleanField(_lazy("đảng viên"), default=False)
    party_joined_on = models.DateField(_lazy("ngày vào Đảng"), null=True, blank=True)
    occupation = models.CharField(_lazy("nghề nghiệp"), max_length=120, blank=True)

    class Meta:
        ordering = ["name_folded"]
        verbose_name = _lazy("cá nhân")
        indexes = [
            models.Index(fields=["name_folded", "birth_date"], name="org_person_dup_idx"),
            # member search by the first digits of a phone number (LIKE '09…%') on PostgreSQL
            models.Index(fields=["phone"], name="org_person_phone_like",
                         opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_folded = fold(self.full_name)
        self.hometown_folded = fold(self.hometown)
        if self.cccd == "":
            self.cccd = None
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Term(models.Model):
    """Nhiệm kỳ of a unit's committees (ORG-6)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="terms",
                             verbose_name=_lazy("đơn vị"))
    name = models.CharField(_lazy("nhiệm kỳ"), max_length=40)
    start_date = models.DateField(_lazy("bắt đầu"))
    end_date = models.DateField(_lazy("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _lazy("nhiệm kỳ")
        ordering = ["unit", "-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="term_unique_per_unit"),
        ]

    def __str__(self) -> str:
        return _("Nhiệm kỳ {name}").format(name=self.name)

    def has_ended(self, day: dt.date) -> bool:
        """Over on `day`: its last day (end_date) has passed."""
        return self.end_date is not None and self.end_date < day

    def label_on(self, day: dt.date) -> str:
        """ "Nhiệm kỳ 2017–2022 (đã kết thúc)" for a term over on `day`, else "Nhiệm kỳ …"."""
        if self.has_ended(day):
            return _("Nhiệm kỳ {name} (đã kết thúc)").format(name=self.name)
        return str(self)

    def name_on(self, day: dt.date) -> str:
        """ "2017–2022 (đã kết thúc)", where the word "Nhiệm kỳ" stands beside it already."""
        if self.has_ended(day):
            return _("{name} (đã kết thúc)").format(name=self.name)
        return self.name


class CommitteeKind(models.TextChoices):
    BCH = "bch", _lazy("Ban Chấp hành")
    BTV = "btv", _lazy("Ban Thường vụ")
    STANDING = "thuong_truc", _lazy("Thường trực")


class CommitteeSeat(models.Model):
    """A person's seat in a committee of a term, with the position held there (ORG-6)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="seats",
                             verbose_name=_lazy("nhiệm kỳ"))
    committee = models.CharField(_lazy("cơ quan"), max_length=20, choices=CommitteeKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="seats",
                               verbose_name=_lazy("cá nhân"))
    title = models.CharField(_lazy("chức danh"), max_length=120, default=_lazy("Ủy viên"))
    order = models.PositiveSmallIntegerField(_lazy("thứ tự"), default=100)
    start_date = models.DateField(_lazy("từ ngày"), null=True, blank=True)
    end_date = models.DateField(_lazy("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _lazy("ủy viên")
        ordering = ["term", "committee", "order", "person__name_folded"]

    def __str__(self) -> str:
        return f"{self.person} – {self.title} ({self.get_committee_display()})"


class Position(models.Model):
    """Chức vụ: a post in a unit or one of its departments, from/to dates (ORG-6, MEM-12)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions",
                               verbose_name=_lazy("cá nhân"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions",
                             verbose_name=_lazy("đơn vị"))
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="positions",
        verbose_name=_lazy("ban")
    )
    title = models.CharField(_lazy("chức vụ"), max_length=120)
    full_time = models.BooleanField(_lazy("chuyên trách"), default=True)
    start_date = models.DateField(_lazy("từ ngày"))
    end_date = models.DateField(_lazy("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _lazy("chức vụ")
        ordering = ["unit", "department", "title"]
        indexes = [models.Index(fields=["unit", "end_date"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.title}"


class Supervision(models.Model):
    """Phân công phụ trách: who in the upper unit supervises a lower unit (ORG-7)."""

    assigning_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="supervisions_assigned",
        verbose_name=_lazy("đơn vị phân công")
    )
    supervised_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="supervisions",
        verbose_name=_lazy("đơn vị được phụ trách")
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="supervisions",
        verbose_name=_lazy("cán bộ phụ trách")
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="supervisions",
        verbose_name=_lazy("ban phụ trách")
    )
    role_label = models.CharField(_lazy("vai trò"), max_length=120, blank=True)
    field = models.CharField(_lazy("lĩnh vực"), max_length=200, blank=True)
    start_date = models.DateField(_lazy("từ ngày"))
    end_date = models.DateField(_lazy("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _lazy("phân công phụ trách")
        ordering = ["supervised_unit", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(department__isnull=False),
                name="supervision_has_supervisor",
            )
        ]

    def __str__(self) -> str:
        who = self.person or self.department
        return _(
            "{who} phụ trách {supervised_unit}"
        ).format(who=who, supervised_unit=self.supervised_unit)
