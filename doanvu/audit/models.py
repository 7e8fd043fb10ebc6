"""Append-only, hash-chained audit records (X-4)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class AuditAction(models.TextChoices):
    CREATE = "create", gettext_lazy("Tạo mới")
    UPDATE = "update", gettext_lazy("Cập nhật")
    DELETE = "delete", gettext_lazy("Xóa")
    BULK = "bulk", gettext_lazy("Ghi hàng loạt")


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
    # HMAC-SHA256 with the key named by key_id; sha256 for the records from before the key
    # (key_id empty, ids up to AuditHead.legacy_until)
    hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16, blank=True, default="")
    # written on a head that did not match its signature (moved outside the application)
    head_broken = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["model", "object_pk"])]
        verbose_name = gettext_lazy("bản ghi nhật ký")

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.model}:{self.object_pk}"


class AuditBulkRow(models.Model):
    """One object changed by a bulk step (`audit.services.record_bulk`): the step is one
    AuditRecord whose hashed `changes` hold the number of rows and a digest over every row's
    MAC, so a changed, removed, added or reordered row is found by `audit_verify`.

    `mac` = HMAC(key of the record, record id, seq and the row's fields): a changed row is
    named. No foreign key, as for the records."""

    record_id = models.BigIntegerField()
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    object_pk = models.CharField(max_length=64)
    unit_id = models.BigIntegerField(null=True, blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["record_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["record_id", "seq"],
                                               name="audit_bulkrow_once")]
        verbose_name = gettext_lazy("dòng ghi hàng loạt")

    def __str__(self) -> str:
        return f"#{self.record_id}.{self.seq} {self.object_pk}"


class AuditHead(models.Model):
    """Single row holding the chain's tip; locked while appending, so writers take turns
    and the deletion of the newest records is detected too. Signed with the key (HMAC over
    last_id, last_hash and legacy_until), so it cannot be moved back without the key."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    # the last record hashed without a key, before the chain had one
    legacy_until = models.BigIntegerField(default=0)
    key_id = models.CharField(max_length=16, blank=True, default="")
    signature = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"#{self.last_id}"
