"""Members and cadres (công tác đoàn vụ): MEM-1 … MEM-13.

The person's own record lives on org.Person (MEM-1 fields). Here: membership of a branch
(MEM-2) with transfers (MEM-3), dues (MEM-4), meetings (MEM-5), removal proposals (MEM-6),
annual rating and classification (MEM-7), rèn luyện registration (MEM-8), "1+1" referrals
(MEM-9), cadre statuses and courses (MEM-12), imports (MEM-13), and the policy records that
hold every number the rules use (ages, amounts, shares, months, thresholds, caps).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Substr

from doanvu.common.periods import PeriodField


class MemberStatus(models.TextChoices):
    ACTIVE = "dang_sinh_hoat", "Đang sinh hoạt"
    TRANSFERRED = "da_chuyen_di", "Đã chuyển đi"
    REMOVED = "xoa_ten", "Xóa tên"
    EXPELLED = "khai_tru", "Khai trừ"
    MATURED = "truong_thanh", "Trưởng thành Đoàn"
    DECEASED = "da_mat", "Đã mất"


class Membership(models.Model):
    """A person's membership of one branch (MEM-2). At most one is current per person
    (database constraint); a member in transit stays current at the sending branch until the
    receiving branch confirms, so they are counted once and both sides see the transfer."""

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="memberships")
    # indexed by members_branch_idx (branch, status)
    branch = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="memberships",
                               db_index=False)
    # Denormalised for scope and subtree filters at national scale; rewritten on tree moves.
    # Indexed for LIKE 'path%' by members_unit_path_like (equality too).
    unit_path = models.CharField(max_length=255, editable=False)
    name_folded = models.CharField(max_length=120, editable=False)
    birth_date = models.DateField(null=True, blank=True, editable=False)
    joined_union_on = models.DateField("ngày vào Đoàn")
    card_number = models.CharField("số thẻ đoàn viên", max_length=30, blank=True)
    status = models.CharField("tình trạng", max_length=20, choices=MemberStatus.choices,
                              default=MemberStatus.ACTIVE)
    is_current = models.BooleanField(default=True)
    started_on = models.DateField("sinh hoạt tại chi đoàn từ")
    ended_on = models.DateField("đến ngày", null=True, blank=True)
    end_reason = models.CharField("lý do", max_length=255, blank=True)
    has_salary = models.BooleanField("có lương (mức đoàn phí)", default=False)
    pays_quarterly = models.BooleanField("đóng đoàn phí theo quý (được BCH đồng ý)",
                                         default=False)
    holds_union_post = models.BooleanField("đang giữ chức vụ Đoàn", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_folded", "id"]
        verbose_name = "đoàn viên"
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(is_current=True),
                                    name="members_one_current_membership"),
        ]
        indexes = [
            models.Index(fields=["unit_path", "status", "name_folded", "id"],
                         name="members_scope_list_idx"),
            models.Index(fields=["name_folded", "id"], name="members_name_idx"),
            # A province's members in name order (PERF-2): 12 = the province's path (2 steps).
            models.Index(Substr("unit_path", 1, 12), "status", "name_folded", "id",
                         name="members_province_name_idx"),
            models.Index(fields=["branch", "status"], name="members_branch_idx"),
            models.Index(fields=["unit_path"], name="members_unit_path_like",
                         opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.branch})"


class TransferKind(models.TextChoices):
    OFFICIAL = "chinh_thuc", "Chuyển sinh hoạt Đoàn"
    TEMPORARY = "tam_thoi", "Sinh hoạt tạm thời"


class TransferStatus(models.TextChoices):
    PENDING = "cho_tiep_nhan", "Chờ tiếp nhận"
    ACCEPTED = "da_tiep_nhan", "Đã tiếp nhận"
    REFUSED = "tu_choi", "Từ chối"
    CANCELLED = "huy", "Đã hủy"
    ENDED = "ket_thuc", "Đã kết thúc (tạm thời)"


class Transfer(models.Model):
    """Chuyển sinh hoạt Đoàn (MEM-3): out of one branch, into another, confirmed by the receiver."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="transfers")
    to_branch = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                  related_name="incoming_transfers")
    kind = models.CharField(max_length=12, choices=TransferKind.choices,
                            default=TransferKind.OFFICIAL)
    status = models.CharField(max_length=15, choices=TransferStatus.choices,
                              default=TransferStatus.PENDING)
    requested_on = models.DateField("ngày đề nghị")
    until = models.DateField("đến ngày (tạm thời)", null=True, blank=True)
    reason = models.CharField("lý do", max_length=255, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.CharField(max_length=255, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    new_membership = models.ForeignKey(Membership, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["to_branch", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.membership.person} → {self.to_branch}"


class CadreStatusKind(models.TextChoices):
    MATERNITY = "thai_san", "Nghỉ thai sản"
    CLERICAL = "van_thu_ke_toan", "Văn thư, kế toán, thủ quỹ, thi đua – khen thưởng"
    ADMIN_DEPUTY = "pho_cvp_hcqt", "Phó Chánh Văn phòng phụ trách hành chính quản trị"
    SECONDMENT = "biet_phai", "Cử đi công tác cơ sở (≥ 6 tháng)"
    TRAINING = "dao_tao_tap_trung", "Đào tạo, bồi dưỡng tập trung (≥ 6 tháng)"


class CadreStatus(models.Model):
    """Statuses of a cadre that rules need (MEM-12, FV-1), with dates."""

    person = models.ForeignKey("org.Person", on_delete=models.CASCADE,
                               related_name="cadre_statuses")
    kind = models.CharField(max_length=20, choices=CadreStatusKind.choices)
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày", null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["person", "-start_date"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"


class CadreCourse(models.Model):
    """Training courses a cadre attended (MEM-12)."""

    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="courses")
    name = models.CharField("khóa học", max_length=255)
    organiser = models.CharField("đơn vị tổ chức", max_length=200, blank=True)
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày", null=True, blank=True)
    certificate = models.CharField("văn bằng, chứng chỉ", max_length=200, blank=True)

    class Meta:
        ordering = ["person", "-start_date"]

    def __str__(self) -> str:
        return self.name


class MembersPolicy(models.Model):
    """Every number of the members rules, per issuing unit and period (promise 7).

    The policy in force for a branch is the nearest ancestor's record valid on the date.
    Defaults of the demo come from Điều lệ Đoàn and NQ 07-NQ/TWĐTN (dues since 1/1/2011).
    """

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                     related_name="members_policies")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField("căn cứ", max_length=255, blank=True)
    min_admission_age = models.PositiveSmallIntegerField(default=16)
    max_admission_age = models.PositiveSmallIntegerField(default=30)
    maturity_age = models.PositiveSmallIntegerField(default=30)
    maturity_exempts_union_post = models.BooleanField(default=True)
    dues_no_salary = models.PositiveIntegerField("đoàn phí không có lương (đ/tháng)", default=2000)
    dues_with_salary = models.PositiveIntegerField("đoàn phí có lương (đ/tháng)", default=5000)
    keep_numerator = models.PositiveSmallIntegerField(default=2)
    keep_denominator = models.PositiveSmallIntegerField(default=3)
    max_waiver_months = models.PositiveSmallIntegerField(default=6)
    removal_after_months = models.PositiveSmallIntegerField(default=3)
    ghost_inactive_months = models.PositiveSmallIntegerField(default=12)
    branch_min_members = models.PositiveSmallIntegerField(default=5)
    branch_max_members = models.PositiveSmallIntegerField(default=60)
    # MEM-5 "meets regularly" (migration 0003_dues_meeting_threshold)
    regular_meeting_min_months = models.PositiveSmallIntegerField(
        "số tháng sinh hoạt tối thiểu trong năm", default=12,
        help_text="Chi đoàn được coi là sinh hoạt đều đặn khi có sinh hoạt chi đoàn ít "
        "nhất số tháng này trong năm (kỳ ngắn hơn: tính theo tỉ lệ, làm tròn lên).",
    )
    # MEM-4 remittance (migration 0010): the cadence in which each level sends dues up, by
    # unit-kind code ("M" monthly, "Q" quarterly, "Y" yearly), the cadence of a kind the table
    # does not name, and the day and month by which the yearly remittance is due
    remittance_cadence_by_kind = models.JSONField(
        "kỳ nộp đoàn phí lên cấp trên theo loại đơn vị", default=dict, blank=True)
    remittance_cadence_fallback = models.CharField(
        "kỳ nộp của loại đơn vị khác", max_length=1, default="Q",
        choices=[("M", "Hằng tháng"), ("Q", "Hằng quý"), ("Y", "Hằng năm")])
    remittance_year_deadline_day = models.PositiveSmallIntegerField(
        "hạn nộp hằng năm: ngày", default=30)
    remittance_year_deadline_month = models.PositiveSmallIntegerField(
        "hạn nộp hằng năm: tháng", default=12)
    # MEM-13: an upload never confirmed is deleted after this many days (its audit is kept)
    import_upload_expiry_days = models.PositiveSmallIntegerField(
        "số ngày giữ tệp nhập chưa xác nhận", default=7)

    class Meta:
        ordering = ["issuing_unit", "-valid_from"]

    def __str__(self) -> str:
        return f"Quy định đoàn vụ của {self.issuing_unit} từ {self.valid_from:%d/%m/%Y}"


class DuesEntry(models.Model):
    """One member's dues for one month (MEM-4)."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="dues")
    month = PeriodField("tháng")
    amount_due = models.PositiveIntegerField()
    amount_paid = models.PositiveIntegerField(default=0)
    paid_on = models.DateField(null=True, blank=True)
    waived = models.BooleanField("miễn (hoàn cảnh khó khăn)", default=False)
    waiver_reason = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["membership", "month"]
        constraints = [models.UniqueConstraint(fields=["membership", "month"],
                                               name="members_dues_once_a_month")]
        indexes = [models.Index(fields=["month", "membership"])]

    def __str__(self) -> str:
        return f"{self.membership.person} {self.month}"


class Remittance(models.Model):
    """What a unit sent up for a period (MEM-4): 1/3 of what it collected, by policy."""

    from_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    period = PeriodField("kỳ")
    amount_due = models.PositiveIntegerField()
    amount_sent = models.PositiveIntegerField(default=0)
    sent_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["from_unit", "period"]
        constraints = [models.UniqueConstraint(fields=["from_unit", "period"],
                                               name="members_remit_once_a_period")]

    def __str__(self) -> str:
        return f"{self.from_unit} → {self.to_unit} {self.period}"


class MeetingKind(models.TextChoices):
    BRANCH = "sinh_hoat", "Sinh hoạt chi đoàn"
    MEMBERS_DAY = "ngay_doan_vien", "Ngày đoàn viên"
    COMMITTEE = "bch", "Họp Ban Chấp hành"


class Meeting(models.Model):
    """A branch meeting or committee meeting (MEM-5)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices,
                            default=MeetingKind.BRANCH)
    date = models.DateField("ngày")
    place = models.CharField("địa điểm", max_length=200, blank=True)
    content = models.TextField("nội dung", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} {self.date:%d/%m/%Y}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "co_mat", "Có mặt"
    EXCUSED = "vang_co_phep", "Vắng có phép"
    UNEXCUSED = "vang_khong_phep", "Vắng không phép"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT,
                                   related_name="attendance")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "membership"],
                                               name="members_attendance_once")]
        indexes = [models.Index(fields=["membership", "meeting"])]

    def __str__(self) -> str:
        return f"{self.membership.person}: {self.get_status_display()}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "de_nghi", "Đề nghị"
    APPROVED = "dong_y", "Chi đoàn đồng ý xóa tên"
    REJECTED = "khong_dong_y", "Không xóa tên"


class RemovalProposal(models.Model):
    """Đề nghị xóa tên (MEM-6), generated by the dues/attendance rule, decided by the branch."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT,
                                   related_name="removal_proposals")
    reason = models.CharField(max_length=255)
    proposed_on = models.DateField()
    status = models.CharField(max_length=15, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED)
    decided_on = models.DateField(null=True, blank=True)
    decision = models.CharField("quyết định / biên bản", max_length=255, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-proposed_on", "-id"]

    def __str__(self) -> str:
        return f"Đề nghị xóa tên {self.membership.person}"


class RatingScale(models.Model):
    """A year's rating scale for members or organisations (MEM-7): levels and caps as data.

    levels: [{"code": "htxs", "name": "Hoàn thành xuất sắc nhiệm vụ", "rank": 1}, …]
    caps: {"htxs": {"max_share": 0.2, "of": "htt_or_better"}} — the share rules of the year.
    """

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                     related_name="rating_scales")
    year = models.PositiveSmallIntegerField()
    target = models.CharField(max_length=12, choices=[("member", "Đoàn viên"),
                                                      ("branch", "Chi đoàn"),
                                                      ("grassroots", "Cơ sở Đoàn")])
    name = models.CharField(max_length=200)
    source = models.CharField("căn cứ", max_length=255, blank=True)
    levels = models.JSONField(default=list)
    caps = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-year", "target"]
        constraints = [models.UniqueConstraint(fields=["issuing_unit", "year", "target"],
                                               name="members_one_scale_per_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class MemberRating(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="ratings")
    year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=20)
    reason = models.CharField(max_length=255, blank=True)
    recommended_to_party = models.BooleanField("giới thiệu đoàn viên ưu tú", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["membership", "year"],
                                               name="members_rating_once_a_year")]

    def __str__(self) -> str:
        return f"{self.membership.person} {self.year}: {self.level}"


class UnitClassification(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="classifications")
    year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=20)
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"],
                                               name="members_classification_once_a_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.level}"


class TrainingRegistration(models.Model):
    """Đăng ký Chương trình rèn luyện đoàn viên (MEM-8)."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT,
                                   related_name="trainings")
    year = models.PositiveSmallIntegerField()
    registered_on = models.DateField()
    result = models.CharField("kết quả", max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["membership", "year"],
                                               name="members_training_once_a_year")]

    def __str__(self) -> str:
        return f"{self.membership.person} rèn luyện {self.year}"


class ReferralOutcome(models.TextChoices):
    PENDING = "dang_boi_duong", "Đang bồi dưỡng"
    ADMITTED = "da_ket_nap", "Đã kết nạp"
    DECLINED = "khong_ket_nap", "Không kết nạp"


class Referral(models.Model):
    """"1+1": a member introduces a young person (MEM-9)."""

    referrer = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="referrals")
    full_name = models.CharField("họ tên thanh niên", max_length=120)
    birth_date = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    referred_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=ReferralOutcome.choices,
                               default=ReferralOutcome.PENDING)
    admitted_membership = models.ForeignKey(Membership, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.referrer.person} giới thiệu {self.full_name}"


class ImportStatus(models.TextChoices):
    UPLOADED = "da_tai_len", "Đã tải lên"
    CHECKING = "dang_kiem_tra", "Đang kiểm tra thử"
    CHECKED = "da_kiem_tra", "Đã kiểm tra thử"
    RUNNING = "dang_nhap", "Đang nhập"
    DONE = "hoan_tat", "Hoàn tất"
    FAILED = "loi", "Lỗi"
    INTERRUPTED = "bi_gian_doan", "Bị gián đoạn"
    CANCELLED = "da_huy", "Đã hủy"
    EXPIRED = "da_het_han", "Đã hết hạn"


class ImportJob(models.Model):
    """An upload of members from .xlsx/.csv (MEM-13): mapping, dry run, confirmed import."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=15, choices=ImportStatus.choices,
                              default=ImportStatus.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    bad_rows = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    # fault handling: the worker running the job ("host:pid"), when it last reported, the
    # batches committed so far and their counts (each batch commits with its progress)
    worker = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    batches_done = models.PositiveIntegerField(default=0)
    progress = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
