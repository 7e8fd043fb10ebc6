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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.common.periods import PeriodField


class MemberStatus(models.TextChoices):
    ACTIVE = "dang_sinh_hoat", gettext_lazy("Đang sinh hoạt")
    TRANSFERRED = "da_chuyen_di", gettext_lazy("Đã chuyển đi")
    REMOVED = "xoa_ten", gettext_lazy("Xóa tên")
    EXPELLED = "khai_tru", gettext_lazy("Khai trừ")
    MATURED = "truong_thanh", gettext_lazy("Trưởng thành Đoàn")
    DECEASED = "da_mat", gettext_lazy("Đã mất")


class Membership(models.Model):
    """A person's membership of one branch (MEM-2). At most one is current per person
    (database constraint); a member in transit stays current at the sending branch until the
    receiving branch confirms, so they are counted once and both sides see the transfer."""

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="memberships",
                               verbose_name=gettext_lazy("cá nhân"))
    # indexed by members_branch_idx (branch, status)
    branch = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="memberships",
                               db_index=False, verbose_name=gettext_lazy("chi đoàn"))
    # Denormalised for scope and subtree filters at national scale; rewritten on tree moves.
    # Indexed for LIKE 'path%' by members_unit_path_like (equality too).
    unit_path = models.CharField(max_length=255, editable=False)
    name_folded = models.CharField(max_length=120, editable=False)
    birth_date = models.DateField(null=True, blank=True, editable=False)
    # The person's gender, copied like the name and birth date: the list filters and the
    # maintained counts read it without a join.
    gender = models.CharField(max_length=3, blank=True, editable=False)
    joined_union_on = models.DateField(gettext_lazy("ngày vào Đoàn"))
    card_number = models.CharField(gettext_lazy("số thẻ đoàn viên"), max_length=30, blank=True)
    status = models.CharField(
        gettext_lazy("tình trạng"),
        max_length=20,
        choices=MemberStatus.choices,
        default=MemberStatus.ACTIVE,
    )
    is_current = models.BooleanField(gettext_lazy("là nơi sinh hoạt hiện tại"), default=True)
    started_on = models.DateField(gettext_lazy("sinh hoạt tại chi đoàn từ"))
    ended_on = models.DateField(gettext_lazy("đến ngày"), null=True, blank=True)
    end_reason = models.CharField(gettext_lazy("lý do"), max_length=255, blank=True)
    has_salary = models.BooleanField(gettext_lazy("có lương (mức đoàn phí)"), default=False)
    pays_quarterly = models.BooleanField(gettext_lazy("đóng đoàn phí theo quý (được BCH đồng ý)"),
                                         default=False)
    holds_union_post = models.BooleanField(gettext_lazy("đang giữ chức vụ Đoàn"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_folded", "id"]
        verbose_name = gettext_lazy("đoàn viên")
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(is_current=True),
                                    name="members_one_current_membership"),
        ]
        indexes = [
            models.Index(fields=["unit_path", "status", "name_folded", "id"],
                         name="members_scope_list_idx"),
            # Nation-wide names in order (PERF-2). On PostgreSQL it carries the list's filter
            # columns, so a walk checks them in the index (an index-only scan) and reads the
            # table only for the page's rows (0017).
            models.Index(fields=["name_folded", "id"], name="members_name_idx",
                         include=["is_current", "status", "gender", "birth_date", "unit_path"]),
            # A province's members in name order (PERF-2): 12 = the province's path (2 steps).
            models.Index(Substr("unit_path", 1, 12), "status", "name_folded", "id",
                         name="members_province_name_idx"),
            models.Index(fields=["branch", "status"], name="members_branch_idx"),
            models.Index(fields=["unit_path"], name="members_unit_path_like",
                         opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.branch})"


class MemberTally(models.Model):
    """Maintained member counts (issue 11): current memberships per subtree path, status, gender
    ('' unknown) and birth year (0 unknown). Written only by the database triggers of
    members_membership and by `tally.recount()` (members/tally.py); read through members.api."""

    path = models.CharField(max_length=255)
    status = models.CharField(max_length=20)
    gender = models.CharField(max_length=3, blank=True)
    birth_year = models.SmallIntegerField(default=0)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("số đoàn viên theo đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["path", "status", "gender", "birth_year"],
                                    name="members_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.status} {self.gender} {self.birth_year}: {self.n}"


class TransferKind(models.TextChoices):
    OFFICIAL = "chinh_thuc", gettext_lazy("Chuyển sinh hoạt Đoàn")
    TEMPORARY = "tam_thoi", gettext_lazy("Sinh hoạt tạm thời")


class TransferStatus(models.TextChoices):
    PENDING = "cho_tiep_nhan", gettext_lazy("Chờ tiếp nhận")
    ACCEPTED = "da_tiep_nhan", gettext_lazy("Đã tiếp nhận")
    REFUSED = "tu_choi", gettext_lazy("Từ chối")
    CANCELLED = "huy", gettext_lazy("Đã hủy")
    ENDED = "ket_thuc", gettext_lazy("Đã kết thúc (tạm thời)")


class Transfer(models.Model):
    """Chuyển sinh hoạt Đoàn (MEM-3): out of one branch, into another, confirmed by the receiver."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="transfers",
                                   verbose_name=gettext_lazy("đoàn viên"))
    to_branch = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                  related_name="incoming_transfers",
                                  verbose_name=gettext_lazy("chi đoàn tiếp nhận"))
    kind = models.CharField(gettext_lazy("hình thức"), max_length=12, choices=TransferKind.choices,
                            default=TransferKind.OFFICIAL)
    status = models.CharField(gettext_lazy("trạng thái"), max_length=15,
                              choices=TransferStatus.choices, default=TransferStatus.PENDING)
    requested_on = models.DateField(gettext_lazy("ngày đề nghị"))
    until = models.DateField(gettext_lazy("đến ngày (tạm thời)"), null=True, blank=True)
    reason = models.CharField(gettext_lazy("lý do"), max_length=255, blank=True)
    decided_on = models.DateField(gettext_lazy("ngày quyết định"), null=True, blank=True)
    decision_note = models.CharField(gettext_lazy("ghi chú quyết định"), max_length=255, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=gettext_lazy("người đề nghị"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=gettext_lazy("người quyết định"))
    new_membership = models.ForeignKey(Membership, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+",
                                       verbose_name=gettext_lazy("sinh hoạt tại nơi mới"))

    class Meta:
        verbose_name = gettext_lazy("chuyển sinh hoạt Đoàn")
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["to_branch", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.membership.person} → {self.to_branch}"


class CadreStatusKind(models.TextChoices):
    MATERNITY = "thai_san", gettext_lazy("Nghỉ thai sản")
    CLERICAL = "van_thu_ke_toan", gettext_lazy("Văn thư, kế toán, thủ quỹ, thi đua – khen thưởng")
    ADMIN_DEPUTY = "pho_cvp_hcqt", gettext_lazy("Phó Chánh Văn phòng phụ trách hành chính quản trị")
    SECONDMENT = "biet_phai", gettext_lazy("Cử đi công tác cơ sở (≥ 6 tháng)")
    TRAINING = "dao_tao_tap_trung", gettext_lazy("Đào tạo, bồi dưỡng tập trung (≥ 6 tháng)")


class CadreStatus(models.Model):
    """Statuses of a cadre that rules need (MEM-12, FV-1), with dates."""

    person = models.ForeignKey("org.Person", on_delete=models.CASCADE,
                               related_name="cadre_statuses", verbose_name=gettext_lazy("cá nhân"))
    kind = models.CharField(gettext_lazy("loại"), max_length=20, choices=CadreStatusKind.choices)
    start_date = models.DateField(gettext_lazy("từ ngày"))
    end_date = models.DateField(gettext_lazy("đến ngày"), null=True, blank=True)
    note = models.CharField(gettext_lazy("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = gettext_lazy("tình trạng cán bộ")
        ordering = ["person", "-start_date"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"


class CadreCourse(models.Model):
    """Training courses a cadre attended (MEM-12)."""

    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="courses",
                               verbose_name=gettext_lazy("cá nhân"))
    name = models.CharField(gettext_lazy("khóa học"), max_length=255)
    organiser = models.CharField(gettext_lazy("đơn vị tổ chức"), max_length=200, blank=True)
    start_date = models.DateField(gettext_lazy("từ ngày"))
    end_date = models.DateField(gettext_lazy("đến ngày"), null=True, blank=True)
    certificate = models.CharField(gettext_lazy("văn bằng, chứng chỉ"), max_length=200, blank=True)

    class Meta:
        verbose_name = gettext_lazy("khóa đào tạo cán bộ")
        ordering = ["person", "-start_date"]

    def __str__(self) -> str:
        return self.name


class MembersPolicy(models.Model):
    """Every number of the members rules, per issuing unit and period (promise 7).

    The policy in force for a branch is the nearest ancestor's record valid on the date.
    Defaults of the demo come from Điều lệ Đoàn and NQ 07-NQ/TWĐTN (dues since 1/1/2011).
    """

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                     related_name="members_policies",
                                     verbose_name=gettext_lazy("đơn vị ban hành"))
    valid_from = models.DateField(gettext_lazy("hiệu lực từ ngày"))
    valid_to = models.DateField(gettext_lazy("hiệu lực đến ngày"), null=True, blank=True)
    source = models.CharField(gettext_lazy("căn cứ"), max_length=255, blank=True)
    min_admission_age = models.PositiveSmallIntegerField(
        gettext_lazy("tuổi kết nạp tối thiểu"), default=16)
    max_admission_age = models.PositiveSmallIntegerField(
        gettext_lazy("tuổi kết nạp tối đa"), default=30)
    maturity_age = models.PositiveSmallIntegerField(
        gettext_lazy("tuổi trưởng thành Đoàn"), default=30)
    # how the three ages above are counted (migration 0011; core.rules.union_age): the Union's
    # way (HD 22-HD/TWĐTN) — "16" from 15 years and one day, "quá 30" from the day after the 30th
    # birthday, so admission runs from the day after the 15th birthday to the 30th birthday and
    # maturity from the day after it — or completed years
    age_counting = models.CharField(
        gettext_lazy("cách tính tuổi"),
        max_length=10,
        default="running",
        choices=[
            ("running", gettext_lazy("Theo hướng dẫn của Đoàn: đủ 15 tuổi và 1 ngày là 16 tuổi, "
                                     "quá 30 tuổi từ ngày sau sinh nhật lần thứ 30")),
            ("completed", gettext_lazy("Theo số năm tròn đã đủ")),
        ],
    )
    maturity_exempts_union_post = models.BooleanField(
        gettext_lazy("người giữ chức vụ Đoàn chưa phải trưởng thành"), default=True)
    dues_no_salary = models.PositiveIntegerField(
        gettext_lazy("đoàn phí không có lương (đ/tháng)"), default=2000
    )
    dues_with_salary = models.PositiveIntegerField(
        gettext_lazy("đoàn phí có lương (đ/tháng)"), default=5000
    )
    keep_numerator = models.PositiveSmallIntegerField(
        gettext_lazy("phần đoàn phí chi đoàn giữ lại: tử số"), default=2)
    keep_denominator = models.PositiveSmallIntegerField(
        gettext_lazy("phần đoàn phí chi đoàn giữ lại: mẫu số"), default=3)
    max_waiver_months = models.PositiveSmallIntegerField(
        gettext_lazy("số tháng miễn đoàn phí tối đa"), default=6)
    removal_after_months = models.PositiveSmallIntegerField(
        gettext_lazy("xóa tên sau số tháng không sinh hoạt"), default=3)
    ghost_inactive_months = models.PositiveSmallIntegerField(
        gettext_lazy("số tháng không hoạt động (đoàn viên ảo)"), default=12)
    branch_min_members = models.PositiveSmallIntegerField(
        gettext_lazy("số đoàn viên tối thiểu của chi đoàn"), default=5)
    branch_max_members = models.PositiveSmallIntegerField(
        gettext_lazy("số đoàn viên tối đa của chi đoàn"), default=60)
    # MEM-5 "meets regularly" (migration 0003_dues_meeting_threshold)
    regular_meeting_min_months = models.PositiveSmallIntegerField(
        gettext_lazy("số tháng sinh hoạt tối thiểu trong năm"),
        default=12,
        help_text=gettext_lazy(
            "Chi đoàn được coi là sinh hoạt đều đặn khi có sinh hoạt chi đoàn ít "
            "nhất số tháng này trong năm (kỳ ngắn hơn: tính theo tỉ lệ, làm tròn lên)."
        ),
    )
    # MEM-4 remittance (migration 0010): the cadence in which each level sends dues up, by
    # unit-kind code ("M" monthly, "Q" quarterly, "Y" yearly), the cadence of a kind the table
    # does not name, and the day and month by which the yearly remittance is due
    remittance_cadence_by_kind = models.JSONField(
        gettext_lazy("kỳ nộp đoàn phí lên cấp trên theo loại đơn vị"), default=dict, blank=True)
    remittance_cadence_fallback = models.CharField(
        gettext_lazy("kỳ nộp của loại đơn vị khác"),
        max_length=1,
        default="Q",
        choices=[
            ("M", gettext_lazy("Hằng tháng")),
            ("Q", gettext_lazy("Hằng quý")),
            ("Y", gettext_lazy("Hằng năm")),
        ],
    )
    remittance_year_deadline_day = models.PositiveSmallIntegerField(
        gettext_lazy("hạn nộp hằng năm: ngày"), default=30)
    remittance_year_deadline_month = models.PositiveSmallIntegerField(
        gettext_lazy("hạn nộp hằng năm: tháng"), default=12)
    # MEM-13: an upload never confirmed is deleted after this many days (its audit is kept)
    import_upload_expiry_days = models.PositiveSmallIntegerField(
        gettext_lazy("số ngày giữ tệp nhập chưa xác nhận"), default=7)

    class Meta:
        verbose_name = gettext_lazy("quy định đoàn vụ")
        ordering = ["issuing_unit", "-valid_from"]

    def __str__(self) -> str:
        return _("Quy định đoàn vụ của {issuing_unit} từ {valid_from:%d/%m/%Y}").format(
            issuing_unit=self.issuing_unit, valid_from=self.valid_from
        )


class DuesEntry(models.Model):
    """One member's dues for one month (MEM-4)."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="dues",
                                   verbose_name=gettext_lazy("đoàn viên"))
    month = PeriodField(gettext_lazy("tháng"))
    amount_due = models.PositiveIntegerField(gettext_lazy("số phải nộp (đồng)"))
    amount_paid = models.PositiveIntegerField(gettext_lazy("số đã nộp (đồng)"), default=0)
    paid_on = models.DateField(gettext_lazy("ngày nộp"), null=True, blank=True)
    waived = models.BooleanField(gettext_lazy("miễn (hoàn cảnh khó khăn)"), default=False)
    waiver_reason = models.CharField(gettext_lazy("lý do miễn"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=gettext_lazy("người ghi"))

    class Meta:
        verbose_name = gettext_lazy("đoàn phí tháng")
        ordering = ["membership", "month"]
        constraints = [models.UniqueConstraint(fields=["membership", "month"],
                                               name="members_dues_once_a_month")]
        indexes = [models.Index(fields=["month", "membership"])]

    def __str__(self) -> str:
        return f"{self.membership.person} {self.month}"


class Remittance(models.Model):
    """What a unit sent up for a period (MEM-4): 1/3 of what it collected, by policy."""

    from_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=gettext_lazy("đơn vị nộp"))
    to_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                verbose_name=gettext_lazy("đơn vị nhận"))
    period = PeriodField(gettext_lazy("kỳ"))
    amount_due = models.PositiveIntegerField(gettext_lazy("số phải nộp (đồng)"))
    amount_sent = models.PositiveIntegerField(gettext_lazy("số đã nộp (đồng)"), default=0)
    sent_on = models.DateField(gettext_lazy("ngày nộp"), null=True, blank=True)
    note = models.CharField(gettext_lazy("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = gettext_lazy("nộp đoàn phí lên cấp trên")
        ordering = ["from_unit", "period"]
        constraints = [models.UniqueConstraint(fields=["from_unit", "period"],
                                               name="members_remit_once_a_period")]

    def __str__(self) -> str:
        return f"{self.from_unit} → {self.to_unit} {self.period}"


class MeetingKind(models.TextChoices):
    BRANCH = "sinh_hoat", gettext_lazy("Sinh hoạt chi đoàn")
    MEMBERS_DAY = "ngay_doan_vien", gettext_lazy("Ngày đoàn viên")
    COMMITTEE = "bch", gettext_lazy("Họp Ban Chấp hành")


class Meeting(models.Model):
    """A branch meeting or committee meeting (MEM-5)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="meetings",
                             verbose_name=gettext_lazy("đơn vị"))
    kind = models.CharField(gettext_lazy("loại buổi"), max_length=20, choices=MeetingKind.choices,
                            default=MeetingKind.BRANCH)
    date = models.DateField(gettext_lazy("ngày"))
    place = models.CharField(gettext_lazy("địa điểm"), max_length=200, blank=True)
    content = models.TextField(gettext_lazy("nội dung"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=gettext_lazy("người tạo"))

    class Meta:
        verbose_name = gettext_lazy("buổi sinh hoạt")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} {self.date:%d/%m/%Y}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "co_mat", gettext_lazy("Có mặt")
    EXCUSED = "vang_co_phep", gettext_lazy("Vắng có phép")
    UNEXCUSED = "vang_khong_phep", gettext_lazy("Vắng không phép")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance",
                                verbose_name=gettext_lazy("buổi sinh hoạt"))
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT,
                                   related_name="attendance",
                                   verbose_name=gettext_lazy("đoàn viên"))
    status = models.CharField(
        gettext_lazy("tham dự"), max_length=20, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = gettext_lazy("điểm danh")
        constraints = [models.UniqueConstraint(fields=["meeting", "membership"],
                                               name="members_attendance_once")]
        indexes = [models.Index(fields=["membership", "meeting"])]

    def __str__(self) -> str:
        return f"{self.membership.person}: {self.get_status_display()}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "de_nghi", gettext_lazy("Đề nghị")
    APPROVED = "dong_y", gettext_lazy("Chi đoàn đồng ý xóa tên")
    REJECTED = "khong_dong_y", gettext_lazy("Không xóa tên")


class RemovalProposal(models.Model):
    """Đề nghị xóa tên (MEM-6), generated by the dues/attendance rule, decided by the branch."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT,
                                   related_name="removal_proposals",
                                   verbose_name=gettext_lazy("đoàn viên"))
    reason = models.CharField(gettext_lazy("lý do"), max_length=255)
    proposed_on = models.DateField(gettext_lazy("ngày đề nghị"))
    status = models.CharField(gettext_lazy("trạng thái"), max_length=15,
                              choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    decided_on = models.DateField(gettext_lazy("ngày quyết định"), null=True, blank=True)
    decision = models.CharField(gettext_lazy("quyết định / biên bản"), max_length=255, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=gettext_lazy("người quyết định"))

    class Meta:
        verbose_name = gettext_lazy("đề nghị xóa tên")
        ordering = ["-proposed_on", "-id"]

    def __str__(self) -> str:
        return _("Đề nghị xóa tên {person}").format(person=self.membership.person)


class RatingScale(models.Model):
    """A year's rating scale for members or organisations (MEM-7): levels and caps as data.

    levels: [{"code": "htxs", "name": "Hoàn thành xuất sắc nhiệm vụ", "rank": 1}, …]
    caps: {"htxs": {"max_share": 0.2, "of": "htt_or_better"}} — the share rules of the year.
    """

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                     related_name="rating_scales",
                                     verbose_name=gettext_lazy("đơn vị ban hành"))
    year = models.PositiveSmallIntegerField(gettext_lazy("năm"))
    target = models.CharField(gettext_lazy("đối tượng"), max_length=12,
                              choices=[("member", gettext_lazy("Đoàn viên")),
                                       ("branch", gettext_lazy("Chi đoàn")),
                                       ("grassroots", gettext_lazy("Cơ sở Đoàn"))])
    name = models.CharField(gettext_lazy("tên"), max_length=200)
    source = models.CharField(gettext_lazy("căn cứ"), max_length=255, blank=True)
    levels = models.JSONField(gettext_lazy("các mức xếp loại"), default=list)
    caps = models.JSONField(gettext_lazy("giới hạn tỷ lệ"), default=dict, blank=True)

    class Meta:
        verbose_name = gettext_lazy("thang xếp loại")
        ordering = ["-year", "target"]
        constraints = [models.UniqueConstraint(fields=["issuing_unit", "year", "target"],
                                               name="members_one_scale_per_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class MemberRating(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="ratings",
                                   verbose_name=gettext_lazy("đoàn viên"))
    year = models.PositiveSmallIntegerField(gettext_lazy("năm"))
    level = models.CharField(gettext_lazy("mức xếp loại"), max_length=20)
    reason = models.CharField(gettext_lazy("nhận xét, căn cứ xếp loại"), max_length=255, blank=True)
    recommended_to_party = models.BooleanField(
        gettext_lazy("giới thiệu đoàn viên ưu tú"), default=False
    )

    class Meta:
        verbose_name = gettext_lazy("xếp loại đoàn viên")
        constraints = [models.UniqueConstraint(fields=["membership", "year"],
                                               name="members_rating_once_a_year")]

    def __str__(self) -> str:
        return f"{self.membership.person} {self.year}: {self.level}"


class UnitClassification(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="classifications",
                             verbose_name=gettext_lazy("đơn vị"))
    year = models.PositiveSmallIntegerField(gettext_lazy("năm"))
    level = models.CharField(gettext_lazy("mức xếp loại"), max_length=20)
    reason = models.CharField(gettext_lazy("nhận xét, căn cứ xếp loại"), max_length=255, blank=True)

    class Meta:
        verbose_name = gettext_lazy("xếp loại tổ chức Đoàn")
        constraints = [models.UniqueConstraint(fields=["unit", "year"],
                                               name="members_classification_once_a_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.level}"


class TrainingRegistration(models.Model):
    """Đăng ký Chương trình rèn luyện đoàn viên (MEM-8)."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT,
                                   related_name="trainings", verbose_name=gettext_lazy("đoàn viên"))
    year = models.PositiveSmallIntegerField(gettext_lazy("năm"))
    registered_on = models.DateField(gettext_lazy("ngày đăng ký"))
    result = models.CharField(gettext_lazy("kết quả"), max_length=120, blank=True)

    class Meta:
        verbose_name = gettext_lazy("đăng ký rèn luyện")
        constraints = [models.UniqueConstraint(fields=["membership", "year"],
                                               name="members_training_once_a_year")]

    def __str__(self) -> str:
        return _("{person} rèn luyện {year}").format(person=self.membership.person, year=self.year)


class ReferralOutcome(models.TextChoices):
    PENDING = "dang_boi_duong", gettext_lazy("Đang bồi dưỡng")
    ADMITTED = "da_ket_nap", gettext_lazy("Đã kết nạp")
    DECLINED = "khong_ket_nap", gettext_lazy("Không kết nạp")


class Referral(models.Model):
    """"1+1": a member introduces a young person (MEM-9)."""

    referrer = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="referrals",
                                 verbose_name=gettext_lazy("đoàn viên giới thiệu"))
    full_name = models.CharField(gettext_lazy("họ tên thanh niên"), max_length=120)
    birth_date = models.DateField(gettext_lazy("ngày sinh"), null=True, blank=True)
    phone = models.CharField(gettext_lazy("số điện thoại"), max_length=20, blank=True)
    referred_on = models.DateField(gettext_lazy("ngày giới thiệu"))
    outcome = models.CharField(gettext_lazy("kết quả"), max_length=20,
                               choices=ReferralOutcome.choices, default=ReferralOutcome.PENDING)
    admitted_membership = models.ForeignKey(Membership, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+",
                                            verbose_name=gettext_lazy("đoàn viên được kết nạp"))

    class Meta:
        verbose_name = gettext_lazy("giới thiệu thanh niên (1+1)")
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return _("{person} giới thiệu {full_name}").format(
            person=self.referrer.person, full_name=self.full_name
        )


class ImportStatus(models.TextChoices):
    UPLOADED = "da_tai_len", gettext_lazy("Đã tải lên")
    CHECKING = "dang_kiem_tra", gettext_lazy("Đang kiểm tra thử")
    CHECKED = "da_kiem_tra", gettext_lazy("Đã kiểm tra thử")
    RUNNING = "dang_nhap", gettext_lazy("Đang nhập")
    DONE = "hoan_tat", gettext_lazy("Hoàn tất")
    FAILED = "loi", gettext_lazy("Lỗi")
    INTERRUPTED = "bi_gian_doan", gettext_lazy("Bị gián đoạn")
    CANCELLED = "da_huy", gettext_lazy("Đã hủy")
    EXPIRED = "da_het_han", gettext_lazy("Đã hết hạn")


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
