"""API access tokens (issue 16, API-1): a user's own, stored hashed, with an expiry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A key a user's program sends as `Authorization: Token <key>`: it acts as that user, with
    that user's scope. Only the key's SHA-256 is kept; the key is shown once, when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name=_("tài khoản"))
    name = models.CharField(_("tên khóa"), max_length=100)
    # the key's first characters, shown to tell keys apart (not enough to use it)
    prefix = models.CharField(_("đầu khóa"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_on = models.DateField(_("hết hạn sau ngày"))
    # set at most once a day (the day's first use, audited): docs/architecture.md "API"
    last_used_at = models.DateTimeField(_("dùng gần nhất"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("khóa truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
