"""Inspections (kiểm tra) of a unit's annual plan: rounds, teams, half-day sessions, requests to
move a slot and the attendees each session requires (INS-1 … INS-4, INS-9).

The numbers a plan sets — when a morning or an afternoon session starts, how many grassroots
secretaries of which classification attend, which kinds of unit also invite the home-affairs
official — live in `InspectionPolicy`, issued by a unit for a period and read for the issuing
unit with `org.selectors.nearest_issued`; nothing in the code knows them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InspectionPolicy(models.Model):
    """The rules of a unit's inspections in a period (seed 001 §III.2, §III.6)."""

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                     related_name="inspection_policies",
                                     verbose_name=_("đơn vị ban hành"))
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    morning_start = models.TimeField(_("buổi sáng bắt đầu"))
    afternoon_start = models.TimeField(_("buổi chiều bắt đầu"))
    party_rep_count = models.PositiveSmallIntegerField(_("số đại diện cấp ủy"), default=1)
    excellent_count = models.PositiveSmallIntegerField(
        _("số Bí thư cơ sở xếp loại cao nhất"), default=0)
    excellent_levels = models.JSONField(
        _("mức xếp loại của nhóm thứ nhất"), default=list, blank=True,
        help_text=_("mã mức xếp loại năm trước, ví dụ htxs"))
    good_count = models.PositiveSmallIntegerField(_("số Bí thư cơ sở nhóm thứ hai"), default=0)
    good_levels = models.JSONField(_("mức xếp loại của nhóm thứ hai"), default=list, blank=True)
    home_affairs_count = models.PositiveSmallIntegerField(
        _("số chuyên viên Phòng Nội vụ"), default=0)
    home_affairs_unit_kinds = models.JSONField(
        _("loại đơn vị mời chuyên viên Phòng Nội vụ"), default=list, blank=True,
        help_text=_("mã loại đơn vị, ví dụ huyen"))
    documents_lead_days = models.PositiveSmallIntegerField(
        _("số ngày nộp tài liệu trước buổi kiểm tra"), default=3,
        help_text=_("đơn vị được kiểm tra nộp tài liệu cho thư ký đoàn trước buổi kiểm tra "
                    "bấy nhiêu ngày"))
    # INS-7, INS-8: what is owed after a session, a round and its cluster meeting
    reflection_days = models.PositiveSmallIntegerField(
        _("số ngày nộp bài thu hoạch sau buổi kiểm tra"), default=3,
        help_text=_("thành viên đoàn kiểm tra gửi bài thu hoạch cho trưởng đoàn chậm nhất "
                    "bấy nhiêu ngày sau buổi kiểm tra"))
    unit_compilation_days = models.PositiveSmallIntegerField(
        _("số ngày ban phụ trách tổng hợp vấn đề của đơn vị"), default=3,
        help_text=_("sau khi kết thúc kiểm tra tại đơn vị"))
    round_compilation_days = models.PositiveSmallIntegerField(
        _("số ngày ban kiểm tra tổng hợp đợt kiểm tra"), default=5,
        help_text=_("sau khi kết thúc đợt kiểm tra"))
    recommendation_department_days = models.PositiveSmallIntegerField(
        _("số ngày các ban tổng hợp kiến nghị giao ban cụm"), default=3,
        help_text=_("sau khi kết thúc đợt kiểm tra"))
    recommendation_office_days = models.PositiveSmallIntegerField(
        _("số ngày Văn phòng tổng hợp kiến nghị giao ban cụm"), default=5,
        help_text=_("sau khi kết thúc đợt kiểm tra"))
    inspection_department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("ban tổng hợp đợt kiểm tra"),
        help_text=_("để trống: ban loại Ủy ban / Ban Kiểm tra của đơn vị ban hành"))
    office_department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("đơn vị tổng hợp kiến nghị"),
        help_text=_("để trống: Văn phòng của đơn vị ban hành"))

    class Meta:
        verbose_name = _("quy định kiểm tra")
        ordering = ["issuing_unit", "valid_from"]

    def __str__(self) -> str:
        return str(_("Quy định kiểm tra của {unit} từ {day:%d/%m/%Y}")).format(
            unit=self.issuing_unit, day=self.valid_from)


class InspectionPlan(models.Model):
    """Kế hoạch kiểm tra năm of a unit (INS-1)."""

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                     related_name="inspection_plans",
                                     verbose_name=_("đơn vị ban hành"))
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    document = models.ForeignKey("documents.Document", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="inspection_plans",
                                 verbose_name=_("văn bản kế hoạch"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kế hoạch kiểm tra")
        ordering = ["-year", "issuing_unit__name", "pk"]

    def __str__(self) -> str:
        return self.title


class Round(models.Model):
    """Đợt kiểm tra: purpose, content, the units inspected, a window, a cluster meeting."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="rounds",
                             verbose_name=_("kế hoạch"))
    number = models.PositiveSmallIntegerField(_("đợt số"))
    title = models.CharField(_("tên đợt"), max_length=300)
    purpose = models.TextField(_("mục đích"), blank=True)
    content = models.TextField(_("nội dung kiểm tra"), blank=True)
    method = models.TextField(_("hình thức, phương pháp kiểm tra"), blank=True)
    procedure = models.TextField(_("quy trình, các bước thực hiện"), blank=True)
    window_start = models.DateField(_("từ ngày"))
    window_end = models.DateField(_("đến ngày"))
    units = models.ManyToManyField("org.Unit", related_name="inspection_rounds", blank=True,
                                   verbose_name=_("đơn vị được kiểm tra"))
    cluster_meeting = models.CharField(_("giao ban cụm gắn với đợt"), max_length=300, blank=True)
    cluster_meeting_on = models.DateField(_("ngày giao ban cụm"), null=True, blank=True)
    notice = models.ForeignKey("documents.Document", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("thông báo thành lập đoàn kiểm tra"))

    class Meta:
        verbose_name = _("đợt kiểm tra")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="inspections_round_number"),
            models.CheckConstraint(condition=Q(window_end__gte=models.F("window_start")),
                                   name="inspections_round_window"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("inspections:round_detail", args=[self.pk])


class Team(models.Model):
    """Đoàn kiểm tra of a round; its people are TeamMember rows (head, secretary, members)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="teams",
                              verbose_name=_("đợt kiểm tra"))
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên đoàn"), max_length=200)

    class Meta:
        verbose_name = _("đoàn kiểm tra")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="inspections_team_number"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    HEAD = "truong_doan", _("Trưởng đoàn")
    SECRETARY = "thu_ky", _("Thư ký")
    MEMBER = "thanh_vien", _("Thành viên")


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members",
                             verbose_name=_("đoàn kiểm tra"))
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT,
                               related_name="inspection_teams", verbose_name=_("cá nhân"))
    role = models.CharField(_("vai trò"), max_length=20, choices=TeamRole.choices)
    body = models.CharField(_("cơ quan, đơn vị công tác"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("thành viên đoàn kiểm tra")
        ordering = ["team", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="inspections_member_once"),
            models.UniqueConstraint(fields=["team"], condition=Q(role="truong_doan"),
                                    name="inspections_one_head"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"


class HalfDay(models.TextChoices):
    MORNING = "sang", _("Sáng")
    AFTERNOON = "chieu", _("Chiều")


class SessionStatus(models.TextChoices):
    SCHEDULED = "du_kien", _("Theo lịch")
    NOT_INSPECTED = "khong_kiem_tra", _("Không được kiểm tra năm nay")


class Session(models.Model):
    """One half-day at the inspected unit (INS-3). A unit, and a team, is in one place at a
    time: the database refuses a second session of either at the same half-day."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="sessions",
                             verbose_name=_("đoàn kiểm tra"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                             related_name="inspection_sessions",
                             verbose_name=_("đơn vị được kiểm tra"))
    date = models.DateField(_("ngày"))
    half = models.CharField(_("buổi"), max_length=6, choices=HalfDay.choices)
    start_time = models.TimeField(_("giờ bắt đầu"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    attendees_confirmed_at = models.DateTimeField(_("đơn vị xác nhận thành phần lúc"), null=True,
                                                  blank=True)
    attendees_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                               on_delete=models.SET_NULL, related_name="+",
                                               verbose_name=_("người xác nhận thành phần"))
    documents_obligation = models.ForeignKey(
        "hub.Obligation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("việc nộp tài liệu kiểm tra"))
    status = models.CharField(_("tình trạng"), max_length=16, choices=SessionStatus.choices,
                              default=SessionStatus.SCHEDULED)
    status_on = models.DateField(_("ngày ghi nhận"), null=True, blank=True)
    status_reason = models.CharField(_("lý do"), max_length=500, blank=True)
    held_on = models.DateField(_("ngày đã kiểm tra"), null=True, blank=True)

    class Meta:
        verbose_name = _("buổi kiểm tra")
        ordering = ["date", "half", "team__number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "date", "half"],
                                    name="inspections_unit_one_place"),
            models.UniqueConstraint(fields=["team", "date", "half"],
                                    name="inspections_team_one_place"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.date:%d/%m/%Y} {self.get_half_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("inspections:session_detail", args=[self.pk])


class MoveState(models.TextChoices):
    PENDING = "cho", _("Chờ trưởng đoàn quyết định")
    ACCEPTED = "dong_y", _("Đã đồng ý")
    REFUSED = "tu_choi", _("Không đồng ý")


class SlotMoveRequest(models.Model):
    """The unit asks the team head to move its slot (seed 001 §III.4)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="move_requests",
                                verbose_name=_("buổi kiểm tra"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("người đề nghị"))
    asked_at = models.DateTimeField(auto_now_add=True)
    from_date = models.DateField(_("ngày cũ"))
    from_half = models.CharField(_("buổi cũ"), max_length=6, choices=HalfDay.choices)
    proposed_date = models.DateField(_("ngày đề nghị"))
    proposed_half = models.CharField(_("buổi đề nghị"), max_length=6, choices=HalfDay.choices)
    reason = models.CharField(_("lý do"), max_length=500)
    state = models.CharField(_("trạng thái"), max_length=10, choices=MoveState.choices,
                             default=MoveState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("người quyết định"))
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_reason = models.CharField(_("lý do quyết định"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("đề nghị đổi lịch kiểm tra")
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["session"], condition=Q(state="cho"),
                                    name="inspections_one_pending_move"),
        ]

    def __str__(self) -> str:
        return str(_("Đề nghị đổi lịch {session}")).format(session=self.session)


class AttendeeKind(models.TextChoices):
    PARTY_REP = "cap_uy", _("Đại diện Ban Thường vụ cấp ủy")
    EXCELLENT_SECRETARY = "bt_nhom_1", _("Bí thư Đoàn cơ sở (nhóm xếp loại thứ nhất)")
    GOOD_SECRETARY = "bt_nhom_2", _("Bí thư Đoàn cơ sở (nhóm xếp loại thứ hai)")
    HOME_AFFAIRS = "noi_vu", _("Chuyên viên Phòng Nội vụ")


class SessionAttendee(models.Model):
    """One required attendee of a session (INS-4): proposed by the system, named and
    confirmed by the inspected unit."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendees",
                                verbose_name=_("buổi kiểm tra"))
    kind = models.CharField(_("thành phần"), max_length=12, choices=AttendeeKind.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    from_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("cơ sở Đoàn"))
    level_name = models.CharField(_("xếp loại năm trước"), max_length=120, blank=True)
    person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("cá nhân"))
    full_name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    title = models.CharField(_("chức vụ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("thành phần tham dự buổi kiểm tra")
        ordering = ["session", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.full_name or '—'}"


class Recommendation(models.Model):
    """Kiến nghị, đề xuất of a grassroots unit at the cluster meeting of a round (INS-7, INS-8):
    the department named advises on it and compiles its own within the policy's days, the
    Office compiles them all."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="recommendations",
                              verbose_name=_("đợt kiểm tra"))
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("đơn vị kiến nghị"))
    content = models.TextField(_("nội dung kiến nghị, đề xuất"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("ban tham mưu giải quyết"))
    raised_on = models.DateField(_("ngày nêu tại giao ban cụm"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("người ghi nhận"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kiến nghị tại giao ban cụm")
        ordering = ["round", "department__name", "pk"]

    def __str__(self) -> str:
        return self.content[:80]
# -- the session record and the conclusion (INS-6) ----------------------------------------------


class ConclusionState(models.TextChoices):
    DRAFT = "nhap", _("Đang soạn")
    ISSUED = "ban_hanh", _("Đã ban hành")


class Conclusion(models.Model):
    """Biên bản buổi kiểm tra and the head's conclusion (kết luận) of one session (INS-6): the
    secretary records the session along the agenda, saved as a draft; the head issues the
    conclusion as a numbered document, after which nothing of it changes."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="conclusion",
                                   verbose_name=_("buổi kiểm tra"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=ConclusionState.choices,
                             default=ConclusionState.DRAFT)
    present_attendees = models.ManyToManyField(SessionAttendee, blank=True, related_name="+",
                                               verbose_name=_("thành phần có mặt"))
    present_others = models.TextField(_("thành phần khác có mặt"), blank=True)
    strengths = models.TextField(_("ưu điểm"), blank=True)
    document = models.ForeignKey("documents.Document", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("văn bản kết luận"))
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("người ban hành"))
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("người cập nhật"))

    class Meta:
        verbose_name = _("kết luận kiểm tra")
        ordering = ["session__date", "session__half", "pk"]

    def __str__(self) -> str:
        return str(_("Kết luận kiểm tra tại {unit} ngày {day:%d/%m/%Y}")).format(
            unit=self.session.unit, day=self.session.date)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("inspections:conclusion_detail", args=[self.session_id])

    @property
    def is_issued(self) -> bool:
        return self.state == ConclusionState.ISSUED

    @property
    def year(self) -> int:
        return self.session.date.year


class AgendaNote(models.Model):
    """What was said under one item of the agenda (giới thiệu; đoàn đặt vấn đề; cơ sở trao
    đổi; phát biểu của cấp ủy; kết luận của trưởng đoàn)."""

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE, related_name="notes",
                                   verbose_name=_("kết luận"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    heading = models.CharField(_("nội dung chương trình"), max_length=300)
    text = models.TextField(_("ghi chép"), blank=True)

    class Meta:
        verbose_name = _("ghi chép theo chương trình làm việc")
        ordering = ["conclusion", "order", "pk"]

    def __str__(self) -> str:
        return self.heading


class Limitation(models.Model):
    """Hạn chế, tồn tại: a shortcoming the unit must remedy; the unit's supervising department
    marks it remedied (EMU-11 reads those left unremedied)."""

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE,
                                   related_name="limitations", verbose_name=_("kết luận"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    text = models.TextField(_("hạn chế, tồn tại"))
    remedied_on = models.DateField(_("ngày ghi nhận đã khắc phục"), null=True, blank=True)
    remedied_note = models.TextField(_("minh chứng khắc phục"), blank=True)
    remedied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("người ghi nhận"))

    class Meta:
        verbose_name = _("hạn chế, tồn tại")
        ordering = ["conclusion", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Direction(models.Model):
    """Phương hướng năm tới: a task for the inspected unit, followed to done by the supervising
    department (INS-8: theo dõi thực hiện kết luận)."""

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE,
                                   related_name="directions", verbose_name=_("kết luận"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    text = models.TextField(_("nhiệm vụ"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT,
                                   related_name="inspection_directions",
                                   verbose_name=_("ban theo dõi"))
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    done_note = models.TextField(_("ghi chú theo dõi"), blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("người ghi nhận"))

    class Meta:
        verbose_name = _("nhiệm vụ sau kiểm tra")
        ordering = ["conclusion", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ScoreAdjustment(models.Model):
    """A self-score item the head adjusts (điều chỉnh điểm tự chấm): the criterion by its code
    in the year's rubric, signed points and the reason. Inspections know no rubric: on issue
    the items are handed to whoever listens (`hooks.adjustments`), the emulation module."""

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE,
                                   related_name="adjustments", verbose_name=_("kết luận"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    criterion_code = models.CharField(_("mã tiêu chí"), max_length=20)
    points = models.DecimalField(_("điểm điều chỉnh"), max_digits=7, decimal_places=2)
    reason = models.TextField(_("lý do"))

    class Meta:
        verbose_name = _("điều chỉnh điểm tự chấm")
        ordering = ["conclusion", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.criterion_code}: {self.signed}"

    @property
    def signed(self) -> str:
        """The points as written: "+1,5", "-2"."""
        text = f"{self.points:+f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")


class GoodModel(models.Model):
    """Mô hình, giải pháp hay noted by the team (EMU-9), searchable without diacritics."""

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE,
                                   related_name="good_models", verbose_name=_("kết luận"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tên mô hình, giải pháp"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    field = models.CharField(_("lĩnh vực"), max_length=120, blank=True)
    tags = models.CharField(_("từ khóa"), max_length=300, blank=True)
    folded = models.TextField(_("nội dung tìm kiếm"), blank=True, editable=False)

    class Meta:
        verbose_name = _("mô hình, giải pháp hay")
        ordering = ["conclusion", "order", "pk"]

    def __str__(self) -> str:
        return self.title
