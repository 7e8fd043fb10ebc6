"""The keyed chain (issue 8): records name the key that sealed them, the head is signed.

Records written before this migration keep their unkeyed sha256 (key_id empty) and are verified
by that rule; they are not re-sealed, so what was recorded then stays exactly as it was. The head
is signed now with the configured key and remembers the last unkeyed record (legacy_until): the
signed head vouches for the unkeyed part, the first keyed record links to the last unkeyed one,
and an unkeyed record after legacy_until is refused.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64


def _sign(key: str, last_id: int, last_hash: str, legacy_until: int) -> tuple[str, str]:
    # a frozen copy of chain.key_id_of and chain.head_signature as of this migration
    raw = key.encode("utf-8")
    key_id = hmac.new(raw, b"doanvu-audit-key-id", hashlib.sha256).hexdigest()[:16]
    message = f"doanvu-audit-head|{last_id}|{last_hash}|{legacy_until}"
    return key_id, hmac.new(raw, message.encode("utf-8"), hashlib.sha256).hexdigest()


def seal_existing_head(apps, schema_editor):
    AuditHead = apps.get_model("audit", "AuditHead")
    AuditRecord = apps.get_model("audit", "AuditRecord")
    head = AuditHead.objects.filter(id=1).first()
    if head is None:
        if AuditRecord.objects.exists():
            return  # records without a head: a break audit_verify must go on reporting
        head = AuditHead(id=1, last_id=0, last_hash=GENESIS)
    head.legacy_until = head.last_id
    head.key_id, head.signature = _sign(settings.AUDIT_KEY, head.last_id, head.last_hash,
                                        head.legacy_until)
    head.save()


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditrecord",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="auditrecord",
            name="head_broken",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="audithead",
            name="legacy_until",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="audithead",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="audithead",
            name="signature",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(seal_existing_head, migrations.RunPython.noop),
    ]
