"""Appending to and verifying the hash chain (X-4)."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from .models import AuditHead, AuditRecord

GENESIS = "0" * 64


def to_jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            return value.astimezone(dt.UTC).isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return str(value)


def snapshot(obj: models.Model, exclude: frozenset[str] = frozenset()) -> dict[str, object]:
    data: dict[str, object] = {}
    for f in obj._meta.concrete_fields:
        if f.name in exclude or f.attname in exclude:
            continue
        data[f.attname] = to_jsonable(getattr(obj, f.attname))
    return data


def record_hash(prev_hash: str, fields: dict[str, object]) -> str:
    payload = json.dumps([prev_hash, fields], sort_keys=True, ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _hashed_fields(rec: AuditRecord) -> dict[str, object]:
    return {
        "id": rec.id,
        "at": rec.at.astimezone(dt.UTC).isoformat(),
        "actor_id": rec.actor_id,
        "actor_label": rec.actor_label,
        "action": rec.action,
        "model": rec.model,
        "object_pk": rec.object_pk,
        "object_repr": rec.object_repr,
        "unit_id": rec.unit_id,
        "changes": rec.changes,
        "reason": rec.reason,
    }


def append(
    *,
    action: str,
    model: str,
    object_pk: str,
    object_repr: str,
    unit_id: int | None,
    changes: dict[str, object],
    reason: str = "",
    actor: object | None = None,
) -> AuditRecord:
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        at = timezone.now()
        rec = AuditRecord(
            id=head.last_id + 1,
            at=at,
            actor_id=getattr(actor, "pk", None),
            actor_label=str(actor)[:150] if actor is not None else "hệ thống",
            action=action,
            model=model,
            object_pk=object_pk,
            object_repr=object_repr[:255],
            unit_id=unit_id,
            changes=to_jsonable(changes),  # type: ignore[arg-type]
            reason=reason,
            prev_hash=head.last_hash,
        )
        rec.hash = record_hash(rec.prev_hash, _hashed_fields(rec))
        rec.save(force_insert=True)
        head.last_id = rec.id
        head.last_hash = rec.hash
        head.save(update_fields=["last_id", "last_hash"])
    return rec


@dataclass(frozen=True)
class Entry:
    """One record for `append_many`."""

    action: str
    model: str
    object_pk: str
    object_repr: str
    unit_id: int | None
    changes: dict[str, object]
    reason: str = ""


def append_many(entries: list[Entry], *, actor: object | None = None) -> list[int]:
    """Append several records under one lock of the head and insert them together (a bulk
    write, such as an import batch, audits each object without a round trip per record).
    Returns their ids, in order."""
    if not entries:
        return []
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        at = timezone.now()
        prev_hash, next_id = head.last_hash, head.last_id + 1
        actor_id = getattr(actor, "pk", None)
        actor_label = str(actor)[:150] if actor is not None else "hệ thống"
        records: list[AuditRecord] = []
        for e in entries:
            rec = AuditRecord(
                id=next_id, at=at, actor_id=actor_id, actor_label=actor_label, action=e.action,
                model=e.model, object_pk=e.object_pk, object_repr=e.object_repr[:255],
                unit_id=e.unit_id, changes=to_jsonable(e.changes),  # type: ignore[arg-type]
                reason=e.reason, prev_hash=prev_hash,
            )
            rec.hash = record_hash(rec.prev_hash, _hashed_fields(rec))
            records.append(rec)
            prev_hash, next_id = rec.hash, next_id + 1
        AuditRecord.objects.bulk_create(records, batch_size=1000)
        head.last_id = records[-1].id
        head.last_hash = records[-1].hash
        head.save(update_fields=["last_id", "last_hash"])
    return [r.id for r in records]


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    problem: str = ""


def verify(batch: int = 5000) -> VerifyResult:
    """Walk the chain from the start; report the first record that does not hold."""
    prev_hash = GENESIS
    expected_id = 1
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditRecord.objects.filter(id__gte=expected_id).order_by("id")[:batch])
        if not rows:
            break
        for rec in rows:
            if rec.id != expected_id:
                return VerifyResult(False, checked, expected_id,
                                    f"thiếu bản ghi #{expected_id} (đã bị xóa)")
            if rec.prev_hash != prev_hash:
                return VerifyResult(False, checked, rec.id,
                                    f"bản ghi #{rec.id} không nối với bản ghi trước")
            if record_hash(rec.prev_hash, _hashed_fields(rec)) != rec.hash:
                return VerifyResult(False, checked, rec.id,
                                    f"nội dung bản ghi #{rec.id} đã bị sửa")
            prev_hash = rec.hash
            expected_id += 1
            last_id = rec.id
            checked += 1
    head = AuditHead.objects.filter(id=1).first()
    if head is None and checked:
        # appending always writes the head, so records without one mean it was removed
        return VerifyResult(False, checked, last_id + 1,
                            "không tìm thấy đầu chuỗi (bản ghi cuối cùng đã ghi); có thể các bản "
                            f"ghi sau #{last_id} đã bị xóa")
    if head is not None and (head.last_id != last_id or head.last_hash != prev_hash):
        return VerifyResult(False, checked, last_id + 1,
                            f"các bản ghi sau #{last_id} đã bị xóa (đầu chuỗi ghi #{head.last_id})")
    return VerifyResult(True, checked)
