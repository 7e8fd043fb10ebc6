"""Append-only, hash-chained audit records (X-4)."""

from __future__ import annotations

from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "Tạo mới"
    UPDATE = "update", "Cập nhật"
    DELETE = "delete", "Xóa"


class AuditRecord(models.Model):
    """One change. `id` is assigned in sequence under a lock so that gaps show deletions.

    No foreign keys: a record must never change when what it describes changes or goes.
    """

    id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    model = models.CharField(max_length=80)
    object_pk = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["model", "object_pk"])]
        verbose_name = "bản ghi nhật ký"

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.model}:{self.object_pk}"


class AuditHead(models.Model):
    """Single row holding the chain's tip; locked while appending, so writers take turns
    and the deletion of the newest records is detected too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.last_id}"
