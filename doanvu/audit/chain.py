"""Appending to and verifying the keyed hash chain (X-4; issue 8)."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditAction, AuditBulkRow, AuditHead, AuditRecord

GENESIS = "0" * 64

logger = logging.getLogger(__name__)


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


def _payload(prev_hash: str, fields: dict[str, object]) -> bytes:
    return json.dumps([prev_hash, fields], sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def record_hash(prev_hash: str, fields: dict[str, object]) -> str:
    """The unkeyed rule of the records written before the chain had a key (`key_id` empty)."""
    return hashlib.sha256(_payload(prev_hash, fields)).hexdigest()


def record_mac(key: bytes, prev_hash: str, fields: dict[str, object]) -> str:
    return hmac.new(key, _payload(prev_hash, fields), hashlib.sha256).hexdigest()


# -- keys ---------------------------------------------------------------------------------------

DEV_KEY = "dev-insecure-doanvu-audit-key-not-for-production"


@functools.lru_cache(maxsize=16)
def key_id_of(key: str) -> str:
    """A key's public name, stored with each record it seals: a fingerprint, not the key."""
    return hmac.new(key.encode("utf-8"), b"doanvu-audit-key-id", hashlib.sha256).hexdigest()[:16]


def current_key() -> tuple[str, bytes]:
    """The key new records and the head are sealed with (`DOANVU_AUDIT_KEY`)."""
    key: str = settings.AUDIT_KEY
    return key_id_of(key), key.encode("utf-8")


def keyring() -> dict[str, bytes]:
    """Every key verification knows: the current one and `DOANVU_AUDIT_OLD_KEYS`, by key id."""
    ring = {key_id_of(k): k.encode("utf-8") for k in settings.AUDIT_OLD_KEYS}
    kid, key = current_key()
    ring[kid] = key
    return ring


def head_signature(key: bytes, *, last_id: int, last_hash: str, legacy_until: int) -> str:
    message = f"doanvu-audit-head|{last_id}|{last_hash}|{legacy_until}"
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def export_signature(key: bytes, *, record_id: int, record_hash: str, at: str) -> str:
    message = f"doanvu-audit-export|{record_id}|{record_hash}|{at}"
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def _head_holds(head: AuditHead, ring: dict[str, bytes]) -> bool:
    key = ring.get(head.key_id)
    if key is None:
        return False
    expected = head_signature(key, last_id=head.last_id, last_hash=head.last_hash,
                              legacy_until=head.legacy_until)
    return hmac.compare_digest(expected, head.signature)


def _sign_head(head: AuditHead, kid: str, key: bytes) -> None:
    head.key_id = kid
    head.signature = head_signature(key, last_id=head.last_id, last_hash=head.last_hash,
                                    legacy_until=head.legacy_until)


def _hashed_fields(rec: AuditRecord) -> dict[str, object]:
    fields: dict[str, object] = {
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
    if rec.key_id:  # the unkeyed records keep the fields they were hashed with
        fields["key_id"] = rec.key_id
        fields["head_broken"] = rec.head_broken
    return fields


# -- appending ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditEntry:
    action: str
    model: str
    object_pk: str
    object_repr: str
    unit_id: int | None
    changes: dict[str, object]
    reason: str = ""
    actor: object | None = None


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
    return append_many([AuditEntry(action=action, model=model, object_pk=object_pk,
                                   object_repr=object_repr, unit_id=unit_id, changes=changes,
                                   reason=reason, actor=actor)])[0]


def append_many(entries: Sequence[AuditEntry], *,
                actor: object | None = None) -> list[AuditRecord]:
    """Append records in order under one lock of the head, each sealed with the current key,
    and insert them together: a bulk write (an import batch) audits each object it changed
    without a round trip per record. `actor` names who acted where an entry names nobody."""
    if not entries:
        return []
    # no savepoint inside the caller's transaction: a failure here fails the change it records
    with transaction.atomic(savepoint=False):
        records = _seal(entries, actor)
        AuditRecord.objects.bulk_create(records, batch_size=1000)
    return records


def _lock_head() -> tuple[AuditHead, bool]:
    return AuditHead.objects.select_for_update().get_or_create(id=1)


def _seal(entries: Sequence[AuditEntry], actor: object | None,
          locked: tuple[AuditHead, bool] | None = None) -> list[AuditRecord]:
    """Lock the head (unless `locked` is it), build the sealed records that extend it and
    move it on (the caller inserts the records in the same transaction)."""
    kid, key = current_key()
    head, created = locked if locked is not None else _lock_head()
    # Extending a head that does not hold would sign whatever it was moved to: the first
    # record written on it says so, and verification reports it.
    broken = not created and not _head_holds(head, keyring())
    if broken:
        logger.error("audit head #%s does not match its signature", head.last_id)
    at = timezone.now()
    prev_hash, next_id = head.last_hash, head.last_id + 1
    records: list[AuditRecord] = []
    for entry in entries:
        who = entry.actor if entry.actor is not None else actor
        rec = AuditRecord(
            id=next_id,
            at=at,
            actor_id=getattr(who, "pk", None),
            actor_label=str(who)[:150] if who is not None else _("hệ thống"),
            action=entry.action,
            model=entry.model,
            object_pk=entry.object_pk,
            object_repr=entry.object_repr[:255],
            unit_id=entry.unit_id,
            changes=to_jsonable(entry.changes),  # type: ignore[arg-type]
            reason=entry.reason,
            prev_hash=prev_hash,
            key_id=kid,
            head_broken=broken and not records,
        )
        rec.hash = record_mac(key, rec.prev_hash, _hashed_fields(rec))
        records.append(rec)
        prev_hash, next_id = rec.hash, next_id + 1
    head.last_id = records[-1].id
    head.last_hash = records[-1].hash
    _sign_head(head, kid, key)
    head.save(update_fields=["last_id", "last_hash", "key_id", "signature"])
    return records


# -- bulk steps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkRow:
    """One object a bulk step changed: its before → after (changed fields only, or whole)."""

    object_pk: str
    before: dict[str, object]
    after: dict[str, object]
    unit_id: int | None = None
    action: str = AuditAction.UPDATE


def bulk_row_mac(key: bytes, record_id: int, row: AuditBulkRow) -> str:
    message = json.dumps([record_id, row.seq, row.action, row.object_pk, row.unit_id, row.before,
                          row.after], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, b"doanvu-audit-row|" + message.encode("utf-8"),
                    hashlib.sha256).hexdigest()


def bulk_digest(macs: Sequence[str]) -> str:
    """What the record's hashed `changes` commit to: every row's MAC, in order."""
    digest = hashlib.sha256(b"doanvu-audit-rows")
    for mac in macs:
        digest.update(mac.encode("ascii"))
    return digest.hexdigest()


def append_bulk(*, model: str, rows: Sequence[BulkRow], object_repr: str,
                unit_id: int | None, reason: str = "", actor: object | None = None,
                summary: dict[str, object] | None = None,
                batch_size: int = 2000) -> AuditRecord:
    """One chain step for a batch: one record (action `bulk`) whose hashed changes hold the
    number of rows and their digest, and the rows in `AuditBulkRow`, each with its own MAC.
    One lock of the head, one record and len(rows)/batch_size inserts of small rows."""
    kid, key = current_key()
    with transaction.atomic(savepoint=False):
        locked = _lock_head()
        record_id = locked[0].last_id + 1
        stored: list[AuditBulkRow] = []
        for seq, row in enumerate(rows, start=1):
            item = AuditBulkRow(record_id=record_id, seq=seq, action=row.action,
                                object_pk=str(row.object_pk), unit_id=row.unit_id,
                                before=to_jsonable(row.before),  # type: ignore[arg-type]
                                after=to_jsonable(row.after))  # type: ignore[arg-type]
            item.mac = bulk_row_mac(key, record_id, item)
            stored.append(item)
        changes: dict[str, object] = {"rows": len(stored),
                                      "digest": bulk_digest([r.mac for r in stored])}
        if summary:
            changes["summary"] = summary
        (rec,) = _seal([AuditEntry(action=AuditAction.BULK, model=model, object_pk="",
                                   object_repr=object_repr, unit_id=unit_id, changes=changes,
                                   reason=reason, actor=actor)], None, locked)
        rec.save(force_insert=True)
        AuditBulkRow.objects.bulk_create(stored, batch_size=batch_size)
    return rec


def _check_bulk_rows(rec: AuditRecord, ring: dict[str, bytes]) -> str:
    """The rows of a bulk record against their MACs and the digest the record commits to."""
    key = ring[rec.key_id]
    changes = rec.changes if isinstance(rec.changes, dict) else {}
    macs: list[str] = []
    for seq, row in enumerate(AuditBulkRow.objects.filter(record_id=rec.id).order_by("seq")
                              .iterator(chunk_size=5000), start=1):
        if row.seq != seq:
            return _("thiếu dòng {seq} của bản ghi hàng loạt #{rec_id} (đã bị xóa)").format(
                       seq=seq,
                       rec_id=rec.id)
        if not hmac.compare_digest(bulk_row_mac(key, rec.id, row), row.mac):
            return (_("dòng {seq} của bản ghi hàng loạt #{rec_id} ({model} "
                      "{object_pk}) đã bị sửa").format(
                        seq=row.seq,
                        rec_id=rec.id,
                        model=rec.model,
                        object_pk=row.object_pk))
        macs.append(row.mac)
    if len(macs) != changes.get("rows") or bulk_digest(macs) != changes.get("digest"):
        return (_("các dòng của bản ghi hàng loạt #{rec_id} không khớp mã tổng mà bản ghi ghi "
                  "nhận ({rows} dòng, còn {found}): đã bị thêm, xóa hoặc "
                  "thay").format(
                    rec_id=rec.id,
                    rows=changes.get('rows'),
                    found=len(macs)))
    return ""


# -- verifying ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    problem: str = ""


@dataclass(frozen=True)
class ExpectedHead:
    """A head exported earlier (`audit_verify --export-head`): this record, with this hash."""

    id: int
    hash: str


def _check_record(rec: AuditRecord, prev_hash: str, legacy_until: int,
                  ring: dict[str, bytes]) -> str:
    if rec.prev_hash != prev_hash:
        return _("bản ghi #{rec_id} không nối với bản ghi trước").format(rec_id=rec.id)
    fields = _hashed_fields(rec)
    if not rec.key_id:
        if rec.id > legacy_until:
            return (_("bản ghi #{rec_id} được băm không khóa (sha256) dù chuỗi dùng khóa HMAC "
                      "từ bản ghi #{first_keyed}: bản ghi đã bị sửa và băm lại ngoài ứng "
                      "dụng").format(
                        rec_id=rec.id,
                        first_keyed=legacy_until + 1))
        expected = record_hash(rec.prev_hash, fields)
    else:
        key = ring.get(rec.key_id)
        if key is None:
            return (_("bản ghi #{rec_id} được ký bằng khóa «{key_id}» mà máy chủ không có "
                      "(đặt DOANVU_AUDIT_KEY hoặc thêm vào DOANVU_AUDIT_OLD_KEYS)").format(
                        rec_id=rec.id,
                        key_id=rec.key_id))
        expected = record_mac(key, rec.prev_hash, fields)
    if not hmac.compare_digest(expected, rec.hash):
        return _("nội dung bản ghi #{rec_id} đã bị sửa").format(rec_id=rec.id)
    if rec.action == AuditAction.BULK and rec.key_id:
        problem = _check_bulk_rows(rec, ring)
        if problem:
            return problem
    if rec.head_broken:
        return (_("bản ghi #{rec_id} được ghi khi đầu chuỗi không khớp chữ ký (đã bị sửa ngoài "
                  "ứng dụng): các bản ghi sau #{last_kept} có thể đã bị xóa").format(
                    rec_id=rec.id,
                    last_kept=rec.id - 1))
    return ""


def verify(*, expect: ExpectedHead | None = None, batch: int = 5000) -> VerifyResult:
    """Walk the chain from the start; report the first record that does not hold, then the
    head (its signature, and that it is the last record), then the exported head if given."""
    ring = keyring()
    head = AuditHead.objects.filter(id=1).first()
    legacy_until = head.legacy_until if head is not None else 0
    prev_hash = GENESIS
    expected_id = 1
    # the hash of the exported head's record, as the walk finds it (an empty chain's is GENESIS)
    expected_hash: str | None = GENESIS if expect is not None and expect.id == 0 else None
    while True:
        rows = list(AuditRecord.objects.filter(id__gte=expected_id).order_by("id")[:batch])
        for rec in rows:
            checked = expected_id - 1
            if rec.id != expected_id:
                return VerifyResult(False, checked, expected_id,
                                    _("thiếu bản ghi #{expected_id} (đã bị xóa)").format(
                                        expected_id=expected_id))
            problem = _check_record(rec, prev_hash, legacy_until, ring)
            if problem:
                return VerifyResult(False, checked, rec.id, problem)
            if expect is not None and rec.id == expect.id:
                expected_hash = rec.hash
            prev_hash = rec.hash
            expected_id += 1
        if rows:
            continue
        # Records appended while we walked move the head on: read it again and walk on.
        seen = head.last_id if head is not None else 0
        head = AuditHead.objects.filter(id=1).first()
        if (head is None or head.last_id <= seen or head.last_id < expected_id
                or not _head_holds(head, ring)):
            break
    last_id = checked = expected_id - 1
    problem = _head_problem(head, last_id, prev_hash, ring)
    if problem:
        broken = min(head.last_id, last_id) + 1 if head is not None else last_id + 1
        return VerifyResult(False, checked, broken, problem)
    stray = _stray_row()
    if stray is not None:
        return VerifyResult(False, checked, stray.record_id,
                            _("dòng {seq} gắn với bản ghi #{record_id} không phải "
                              "bản ghi hàng loạt (đã bị thêm ngoài ứng dụng)").format(
                                seq=stray.seq,
                                record_id=stray.record_id))
    if expect is not None:
        if expect.id > last_id:
            return VerifyResult(False, checked, last_id + 1,
                                _("không còn bản ghi #{record_id} mà đầu chuỗi đã xuất ghi "
                                  "nhận: các bản ghi sau #{last_id} đã bị xóa").format(
                                    record_id=expect.id,
                                    last_id=last_id))
        if expected_hash != expect.hash:
            return VerifyResult(False, checked, expect.id,
                                _("bản ghi #{record_id} khác với đầu chuỗi đã xuất (mã băm "
                                  "khác): chuỗi đã bị viết lại đến bản ghi này").format(
                                    record_id=expect.id))
    return VerifyResult(True, checked)


def _stray_row() -> AuditBulkRow | None:
    """A bulk row that belongs to no bulk record of the chain (written behind its back)."""
    return (AuditBulkRow.objects
            .exclude(record_id__in=AuditRecord.objects.filter(action=AuditAction.BULK)
                     .values("id"))
            .order_by("record_id", "seq").first())


def _head_problem(head: AuditHead | None, last_id: int, last_hash: str,
                  ring: dict[str, bytes]) -> str:
    if head is None:
        if not last_id:
            return ""
        # appending always writes the head, so records without one mean it was removed
        return (_("không tìm thấy đầu chuỗi (bản ghi cuối cùng đã ghi); có thể các bản ghi sau "
                  "#{last_id} đã bị xóa").format(last_id=last_id))
    if not _head_holds(head, ring):
        if head.last_id < last_id:
            where = _("chuỗi còn các bản ghi đến #{last_id}").format(last_id=last_id)
        else:
            where = _("có thể các bản ghi sau #{last_id} đã bị xóa").format(last_id=last_id)
        return (_("đầu chuỗi (trỏ tới bản ghi #{head_id}) không khớp chữ ký: đã bị sửa "
                  "ngoài ứng dụng; {where}").format(
                    head_id=head.last_id,
                    where=where))
    if head.last_id > last_id:
        return _("các bản ghi sau #{last_id} đã bị xóa (đầu chuỗi ghi #{head_id})").format(
                   last_id=last_id,
                   head_id=head.last_id)
    if head.last_id < last_id:
        return (_("đầu chuỗi trỏ về bản ghi #{head_id} nhưng chuỗi còn các bản ghi đến "
                  "#{last_id}: đầu chuỗi đã bị dời lùi").format(
                    head_id=head.last_id,
                    last_id=last_id))
    if head.last_hash != last_hash:
        return _("đầu chuỗi không khớp bản ghi #{last_id}").format(last_id=last_id)
    return ""
