"""Obligations and deadlines (HUB-1, X-5), reminders (HUB-3), calendar (HUB-4).

Every module creates obligations only through doanvu.hub.services; nothing writes these tables
directly. Business rules live in rules.py (dates) and services.py (transitions).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doanvu.common.periods import PeriodField


class DeadlinePolicy(models.Model):
    """A deadline rule as data: issued by a unit, in force over [valid_from, valid_to).

    The rule applies to the issuing unit and every unit below it, unless a nearer ancestor of
    the unit that demands the obligation issued its own policy with the same code.
    """

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="deadline_policies",
        verbose_name=_lazy("đơn vị ban hành"),
    )
    code = models.CharField(
        _lazy("mã"), max_length=80,
        help_text=_lazy("ví dụ fv.quarterly_report, ins.department_report"),
    )
    title = models.CharField(_lazy("tên loại việc"), max_length=255)
    rule = models.JSONField(_lazy("quy tắc tính hạn"))
    remind_days = models.JSONField(
        _lazy("nhắc trước (ngày)"), default=list, blank=True,
        help_text=_lazy("ví dụ [3, 1]; để trống thì dùng mặc định của hệ thống"),
    )
    valid_from = models.DateField(_lazy("hiệu lực từ ngày"))
    valid_to = models.DateField(_lazy("hết hiệu lực từ ngày"), null=True, blank=True)
    source_document = models.CharField(_lazy("văn bản quy định"), max_length=255, blank=True)
    source_text = models.TextField(_lazy("trích văn bản"), blank=True)
    description = models.TextField(_lazy("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "code", "-valid_from"]
        verbose_name = _lazy("quy định thời hạn")
        verbose_name_plural = _lazy("quy định thời hạn")
        indexes = [models.Index(fields=["code", "unit", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="deadlinepolicy_interval_valid",
            )
        ]

    def __str__(self) -> str:
        # the Vietnamese name a cadre reads; the code is a key for modules, never shown
        return self.title


class ObligationStatus(models.TextChoices):
    OPEN = "open", _lazy("Chưa nộp")
    SUBMITTED = "submitted", _lazy("Đã nộp, chờ tiếp nhận")
    ACCEPTED = "accepted", _lazy("Đã tiếp nhận")
    RETURNED = "returned", _lazy("Bị trả lại")
    WAIVED = "waived", _lazy("Được miễn")


OPEN_STATUSES = (ObligationStatus.OPEN, ObligationStatus.RETURNED)
DONE_STATUSES = (ObligationStatus.SUBMITTED, ObligationStatus.ACCEPTED)


class Obligation(models.Model):
    """Who owes what to whom, by when, from which rule (HUB-1).

    "Late" is not stored: an open or returned obligation past its due date is late, and so is
    one submitted after it (submitted_on > due_on).
    """

    kind = models.CharField(_lazy("mã loại việc"), max_length=80, db_index=True)
    kind_label = models.CharField(_lazy("loại việc"), max_length=255)
    title = models.CharField(_lazy("nội dung"), max_length=255)
    key = models.CharField(
        max_length=160, blank=True, editable=False,
        help_text=_lazy("khóa của mô-đun tạo ra, để tạo lại không bị trùng"),
    )
    owed_by_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="obligations_owed",
        verbose_name=_lazy("đơn vị thực hiện"),
    )
    owed_by_department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_lazy("ban thực hiện"),
    )
    owed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="obligations_owed", verbose_name=_lazy("cá nhân thực hiện"),
    )
    owed_to_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="obligations_due_to",
        verbose_name=_lazy("nộp cho đơn vị"),
    )
    owed_to_department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_lazy("nộp qua ban"),
    )
    due_on = models.DateField(_lazy("hạn"), db_index=True)
    due_rule = models.JSONField(_lazy("quy tắc tính hạn"))
    due_text = models.CharField(_lazy("thời hạn"), max_length=255)
    period = PeriodField(_lazy("kỳ"), null=True, blank=True)
    period_start = models.DateField(null=True, blank=True, editable=False)
    period_end = models.DateField(null=True, blank=True, editable=False)
    policy = models.ForeignKey(
        DeadlinePolicy, null=True, blank=True, on_delete=models.PROTECT, related_name="obligations",
        verbose_name=_lazy("quy định"),
    )
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_lazy("căn cứ"), max_length=255, blank=True)
    status = models.CharField(
        _lazy("trạng thái"), max_length=12, choices=ObligationStatus.choices,
        default=ObligationStatus.OPEN,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_lazy("người tạo"),
    )
    submitted_at = models.DateTimeField(_lazy("nộp lúc"), null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_lazy("người nộp"),
    )
    submission_text = models.TextField(_lazy("nội dung nộp"), blank=True)
    reviewed_at = models.DateTimeField(_lazy("xử lý lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_lazy("người xử lý"),
    )
    review_note = models.TextField(_lazy("ý kiến xử lý"), blank=True)
    reminded_on = models.DateField(_lazy("nhắc lần cuối"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _lazy("việc phải nộp")
        verbose_name_plural = _lazy("việc phải nộp")
        indexes = [
            models.Index(fields=["owed_by_unit", "status", "due_on"]),
            models.Index(fields=["owed_to_unit", "status", "due_on"]),
            models.Index(fields=["owed_to_unit", "kind", "period_start"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="obligation_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_late(self, today: dt.date) -> bool:
        if self.status in OPEN_STATUSES:
            return self.due_on < today
        if self.status in DONE_STATUSES and self.submitted_on is not None:
            return self.submitted_on > self.due_on
        return False

    def days_late(self, today: dt.date) -> int:
        if self.status in OPEN_STATUSES:
            return max(0, (today - self.due_on).days)
        if self.submitted_on is not None:
            return max(0, (self.submitted_on - self.due_on).days)
        return 0

    def status_label(self, today: dt.date) -> str:
        """The status as shown: "quá hạn" and "nộp muộn" are derived, never stored."""
        if self.status in OPEN_STATUSES and self.due_on < today:
            base = _(
                "Quá hạn"
            ) if self.status == ObligationStatus.OPEN else _("Bị trả lại, quá hạn")
            return _("{base} {days_late} ngày").format(base=base, days_late=self.days_late(today))
        if self.status in DONE_STATUSES and self.is_late(today):
            return _(
                "{get_status_display} (muộn {days_late} ngày)"
            ).format(get_status_display=self.get_status_display(), days_late=self.days_late(today))
        return str(self.get_status_display())


def obligation_upload_to(instance: ObligationFile, filename: str) -> str:
    today = timezone.localdate()
    return f"hub/{today:%Y}/{today:%m}/{instance.obligation_id}/{filename}"


class ObligationFile(models.Model):
    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=obligation_upload_to, max_length=300)
    original_name = models.CharField(_lazy("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(_lazy("dung lượng"))
    content_type = models.CharField(max_length=120, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["obligation", "uploaded_at", "pk"]
        verbose_name = _lazy("tệp đã nộp")

    def __str__(self) -> str:
        return self.original_name


class NotificationKind(models.TextChoices):
    BEFORE_DUE = "before_due", _lazy("Sắp đến hạn")
    LATE = "late", _lazy("Quá hạn")
    REMINDER = "reminder", _lazy("Nhắc việc")
    RETURNED = "returned", _lazy("Bị trả lại")


class Notification(models.Model):
    """An in-app notice; `dedupe_key` makes a task that runs twice send nothing twice (HUB-3)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hub_notifications"
    )
    obligation = models.ForeignKey(
        Obligation, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    dedupe_key = models.CharField(max_length=160)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_to = models.CharField(max_length=254, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _lazy("thông báo")
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notification_once"),
        ]

    def __str__(self) -> str:
        return self.message[:80]


class CalendarFeed(models.Model):
    """The secret token of a user's iCalendar feed (HUB-4)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return _("Lịch của {user}").format(user=self.user)


class CalendarEntryKind(models.TextChoices):
    INSPECTION = "inspection", _lazy("Kiểm tra")
    CLUSTER_MEETING = "cluster_meeting", _lazy("Giao ban cụm")
    FIELD_VISIT = "field_visit", _lazy("Đi cơ sở")
    MEETING = "meeting", _lazy("Hội nghị, cuộc họp")
    EVENT = "event", _lazy("Hoạt động")
    OTHER = "other", _lazy("Khác")


class CalendarEntry(models.Model):
    """A dated event of a unit that other modules write through hub services (HUB-4)."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="calendar_entries"
    )
    title = models.CharField(_lazy("nội dung"), max_length=255)
    kind = models.CharField(_lazy("loại"), max_length=20, choices=CalendarEntryKind.choices)
    start = models.DateTimeField(_lazy("bắt đầu"))
    end = models.DateTimeField(_lazy("kết thúc"), null=True, blank=True)
    all_day = models.BooleanField(_lazy("cả ngày"), default=False)
    location = models.CharField(_lazy("địa điểm"), max_length=255, blank=True)
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_lazy("căn cứ"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _lazy("lịch công tác")
        indexes = [
            models.Index(fields=["unit", "start"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="calendarentry_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title
