"""Users, role types as data (permission kinds + reach) and grants of roles on units (X-3)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    # set when an administrator chose the password: the owner must replace it at first login
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)

    class Meta:
        verbose_name = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username


class PermissionKind(models.TextChoices):
    READ = "read", "Xem"
    WRITE = "write", _("Cập nhật")
    APPROVE = "approve", _("Phê duyệt")
    SCORE = "score", _("Chấm điểm")
    FINANCE = "finance", _("Tài chính")
    ADMINISTER = "administer", _("Quản trị")


class Reach(models.TextChoices):
    UNIT = "unit", _("Chỉ đơn vị này")
    SUBTREE = "subtree", _("Đơn vị này và các cấp dưới")
    DEPARTMENT = "department", _("Lĩnh vực của một ban (đơn vị này và cấp dưới)")


class RoleType(models.Model):
    """A role as data, like hitobito's role types: what it may do and how far it reaches."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên vai trò"), max_length=120)
    permissions = models.JSONField(_("quyền"), default=list)
    reach = models.CharField(_("phạm vi"), max_length=20, choices=Reach.choices)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("loại vai trò")

    def __str__(self) -> str:
        return self.name

    def permission_labels(self) -> list[str]:
        labels = dict(PermissionKind.choices)
        return [str(labels.get(p, p)) for p in self.permissions]


class RoleGrant(models.Model):
    """A user holds a role on a unit (and, for department reach, in one department)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants",
        verbose_name=_("tài khoản")
    )
    role_type = models.ForeignKey(RoleType, on_delete=models.PROTECT, related_name="grants",
                                  verbose_name=_("vai trò"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="grants",
                             verbose_name=_("đơn vị"))
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="grants",
        verbose_name=_("ban")
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("người cấp quyền"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        ordering = ["unit", "role_type"]
        indexes = [models.Index(fields=["user", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="rolegrant_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.role_type} – {self.unit}"


class SecondFactorEventKind(models.TextChoices):
    ENABLED = "enabled", _("Bật xác thực hai bước")
    CODES_RENEWED = "codes_renewed", _("Cấp lại mã dự phòng")
    DISABLED = "disabled", _("Tự đặt lại xác thực hai bước")
    RESET = "reset", _("Quản trị viên đặt lại xác thực hai bước")
    VERIFIED = "verified", _("Xác thực thành công")
    FAILED = "failed", _("Nhập sai mã xác thực")


class SecondFactorMethod(models.TextChoices):
    TOTP = "totp", _("Mã từ ứng dụng xác thực")
    RECOVERY = "recovery", _("Mã dự phòng")


class SecondFactorEvent(models.Model):
    """One event of a user's second factor (issue 16), written so that the audit chain holds it:
    the devices themselves hold secrets and change on every use, so they are not audited."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="second_factor_events", verbose_name=_("tài khoản"))
    kind = models.CharField(_("sự kiện"), max_length=20, choices=SecondFactorEventKind.choices)
    method = models.CharField(_("cách xác thực"), max_length=20, blank=True,
                              choices=SecondFactorMethod.choices)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("sự kiện xác thực hai bước")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
