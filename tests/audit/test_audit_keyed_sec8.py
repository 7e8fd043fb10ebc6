"""Issue 8, finding 8: the audit chain is keyed (HMAC with a secret held outside the database),
its head is signed, and `audit_verify` can check the chain against a head exported earlier.

Each attack here is made with database access only, as someone without the key would."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doanvu.audit import chain
from doanvu.audit.models import AuditHead, AuditRecord
from doanvu.org import services
from tests.conftest import World

OTHER_KEY = "another-audit-key-of-at-least-32-characters-xyz"


def verify_error(*args: str) -> str:
    with pytest.raises(CommandError) as exc:
        call_command("audit_verify", *args, stdout=io.StringIO())
    return str(exc.value)


def verify_output(*args: str) -> str:
    out = io.StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue().strip()


def rename(world: World, name: str) -> None:
    services.unit_rename(actor=world.admin, unit=world.district_a, name=name,
                         on=dt.date(2020, 1, 1))


def rehash_from(first_id: int) -> None:
    """Recompute the chain from `first_id` on with the application's own unkeyed sha256 and move
    the head to the new tip, as someone with the database and the source code (not the key)."""
    prev = AuditRecord.objects.get(id=first_id - 1).hash if first_id > 1 else chain.GENESIS
    for rec in AuditRecord.objects.filter(id__gte=first_id).order_by("id"):
        rec.prev_hash = prev
        rec.hash = chain.record_hash(prev, chain._hashed_fields(rec))
        AuditRecord.objects.filter(id=rec.id).update(prev_hash=rec.prev_hash, hash=rec.hash)
        prev = rec.hash
    AuditHead.objects.filter(id=1).update(last_hash=prev)


# -- the attacks of finding 8 --------------------------------------------------------------------


def test_sec8_a_record_rewritten_and_the_chain_recomputed_with_sha256_is_found(
    world: World,
) -> None:
    total = AuditRecord.objects.count()
    AuditRecord.objects.filter(id=3).update(reason="Không có gì xảy ra")
    rehash_from(3)

    assert verify_error() == (
        "Chuỗi nhật ký bị phá vỡ tại bản ghi #3: nội dung bản ghi #3 đã bị sửa. "
        "Đã kiểm tra 2 bản ghi hợp lệ trước đó."
    )
    assert total > 3


def test_sec8_a_record_rehashed_without_a_key_id_is_found(world: World) -> None:
    """Passing a rewritten record off as one of the unkeyed records from before the key."""
    AuditRecord.objects.filter(id__gte=3).update(key_id="")
    AuditRecord.objects.filter(id=3).update(reason="Không có gì xảy ra")
    rehash_from(3)

    assert verify_error() == (
        "Chuỗi nhật ký bị phá vỡ tại bản ghi #3: bản ghi #3 được băm không khóa (sha256) dù "
        "chuỗi dùng khóa HMAC từ bản ghi #1: bản ghi đã bị sửa và băm lại ngoài ứng dụng. "
        "Đã kiểm tra 2 bản ghi hợp lệ trước đó."
    )


def test_sec8_tail_deleted_and_head_moved_back_is_found(world: World) -> None:
    last = AuditRecord.objects.order_by("-id").first()
    assert last is not None
    keep = AuditRecord.objects.get(id=last.id - 2)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE id > %s", [keep.id])
        cursor.execute("UPDATE audit_audithead SET last_id=%s, last_hash=%s WHERE id=1",
                       [keep.id, keep.hash])

    assert verify_error() == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{keep.id + 1}: đầu chuỗi (trỏ tới bản ghi "
        f"#{keep.id}) không khớp chữ ký: đã bị sửa ngoài ứng dụng; có thể các bản ghi sau "
        f"#{keep.id} đã bị xóa. Đã kiểm tra {keep.id} bản ghi hợp lệ trước đó."
    )


def test_sec8_head_moved_to_an_earlier_record_with_its_hash_is_found(world: World) -> None:
    last = AuditRecord.objects.order_by("-id").first()
    assert last is not None
    earlier = AuditRecord.objects.get(id=last.id - 3)
    AuditHead.objects.filter(id=1).update(last_id=earlier.id, last_hash=earlier.hash)

    assert verify_error() == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{earlier.id + 1}: đầu chuỗi (trỏ tới bản ghi "
        f"#{earlier.id}) không khớp chữ ký: đã bị sửa ngoài ứng dụng; chuỗi còn các bản ghi "
        f"đến #{last.id}. Đã kiểm tra {last.id} bản ghi hợp lệ trước đó."
    )


def test_sec8_a_write_after_the_head_was_moved_does_not_hide_the_truncation(
    world: World,
) -> None:
    """The next append would sign the moved head again; the record it writes says so."""
    last = AuditRecord.objects.order_by("-id").first()
    assert last is not None
    keep = AuditRecord.objects.get(id=last.id - 2)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE id > %s", [keep.id])
        cursor.execute("UPDATE audit_audithead SET last_id=%s, last_hash=%s WHERE id=1",
                       [keep.id, keep.hash])

    rename(world, "Thị đoàn Châu Thành")

    assert verify_error() == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{keep.id + 1}: bản ghi #{keep.id + 1} được ghi "
        "khi đầu chuỗi không khớp chữ ký (đã bị sửa ngoài ứng dụng): các bản ghi sau "
        f"#{keep.id} có thể đã bị xóa. Đã kiểm tra {keep.id} bản ghi hợp lệ trước đó."
    )


def test_sec8_exported_head_finds_a_truncation_with_a_replayed_head(
    world: World, tmp_path: Path
) -> None:
    """Someone who kept an old copy of the head row restores it after deleting the newer
    records: the chain in the database is consistent again, but the exported head is not in it."""
    old_head = AuditHead.objects.values().get(id=1)
    rename(world, "Thị đoàn Châu Thành")
    rename(world, "Thị đoàn Châu Thành mới")
    exported = tmp_path / "dau-chuoi.json"
    exported_output = verify_output("--export-head", str(exported))
    tip = AuditRecord.objects.order_by("-id").first()
    assert tip is not None
    AuditRecord.objects.filter(id__gt=old_head["last_id"]).delete()
    AuditHead.objects.filter(id=1).update(**old_head)

    without_export = verify_output()
    error = verify_error("--expect-head", str(exported))

    assert exported_output == (f"Chuỗi nhật ký toàn vẹn: {tip.id} bản ghi. Đã ghi đầu chuỗi "
                               f"(bản ghi #{tip.id}) vào {exported}.")
    assert json.loads(exported.read_text())["id"] == tip.id
    assert without_export == f"Chuỗi nhật ký toàn vẹn: {old_head['last_id']} bản ghi."
    assert error == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{old_head['last_id'] + 1}: không còn bản ghi "
        f"#{tip.id} mà đầu chuỗi đã xuất ghi nhận: các bản ghi sau #{old_head['last_id']} đã bị "
        f"xóa. Đã kiểm tra {old_head['last_id']} bản ghi hợp lệ trước đó."
    )


def test_sec8_exported_head_finds_a_rewritten_chain(world: World) -> None:
    tip = AuditRecord.objects.order_by("-id").first()
    assert tip is not None
    expected = f"{tip.id}:{tip.hash}"
    AuditRecord.objects.filter(id=tip.id).update(hash="f" * 64)
    AuditHead.objects.filter(id=1).update(last_hash="f" * 64)

    # the record's own check comes first; the exported head names the same record
    assert verify_error("--expect-head", expected) == (
        f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{tip.id}: nội dung bản ghi #{tip.id} đã bị sửa. "
        f"Đã kiểm tra {tip.id - 1} bản ghi hợp lệ trước đó."
    )


def test_sec8_expect_head_accepts_the_current_head(world: World, tmp_path: Path) -> None:
    exported = tmp_path / "dau-chuoi.json"
    verify_output("--export-head", str(exported))
    rename(world, "Thị đoàn Châu Thành")
    total = AuditRecord.objects.count()

    assert verify_output("--expect-head", str(exported)) == (
        f"Chuỗi nhật ký toàn vẹn: {total} bản ghi.")


def test_sec8_a_forged_exported_head_is_refused(world: World, tmp_path: Path) -> None:
    exported = tmp_path / "dau-chuoi.json"
    verify_output("--export-head", str(exported))
    data = json.loads(exported.read_text())
    earlier = AuditRecord.objects.get(id=2)
    exported.write_text(json.dumps({**data, "id": 2, "hash": earlier.hash}))

    assert verify_error("--expect-head", str(exported)) == (
        f"Tệp đầu chuỗi {exported} không có chữ ký hợp lệ: không dùng được để đối chiếu.")


def test_sec8_verifying_with_another_key_fails(world: World, settings: Any) -> None:
    settings.AUDIT_KEY = OTHER_KEY

    error = verify_error()

    assert error == (
        "Chuỗi nhật ký bị phá vỡ tại bản ghi #1: bản ghi #1 được ký bằng khóa "
        f"«{chain.key_id_of(chain.DEV_KEY)}» mà máy chủ không có (đặt DOANVU_AUDIT_KEY hoặc "
        "thêm vào DOANVU_AUDIT_OLD_KEYS). Đã kiểm tra 0 bản ghi hợp lệ trước đó."
    )


def test_sec8_the_normal_chain_verifies(world: World) -> None:
    rename(world, "Thị đoàn Châu Thành")
    total = AuditRecord.objects.count()

    assert verify_output() == f"Chuỗi nhật ký toàn vẹn: {total} bản ghi."
    assert set(AuditRecord.objects.values_list("key_id", flat=True)) == {
        chain.key_id_of(chain.DEV_KEY)}


# -- keys: rotation and the records from before the key --------------------------------------------


def test_sec8_rotated_key_verifies_with_the_old_key_listed(world: World, settings: Any) -> None:
    first_new = AuditRecord.objects.count() + 1
    settings.AUDIT_KEY = OTHER_KEY
    settings.AUDIT_OLD_KEYS = [chain.DEV_KEY]
    rename(world, "Thị đoàn Châu Thành")
    total = AuditRecord.objects.count()

    listed = verify_output()
    settings.AUDIT_OLD_KEYS = []
    forgotten = verify_error()

    assert AuditRecord.objects.get(id=first_new).key_id == chain.key_id_of(OTHER_KEY)
    assert listed == f"Chuỗi nhật ký toàn vẹn: {total} bản ghi."
    assert forgotten.startswith("Chuỗi nhật ký bị phá vỡ tại bản ghi #1: bản ghi #1 được ký "
                                f"bằng khóa «{chain.key_id_of(chain.DEV_KEY)}»")


def _legacy_chain(n: int) -> str:
    """n records as the unkeyed chain wrote them before the key, and the head as it was."""
    AuditRecord.objects.all().delete()
    prev = chain.GENESIS
    for i in range(1, n + 1):
        rec = AuditRecord(id=i, at=dt.datetime(2026, 1, i, tzinfo=dt.UTC), action="update",
                          model="org.unit", object_pk="1", object_repr="Huyện đoàn",
                          unit_id=1, changes={"before": {"name": f"A{i}"}, "after": {}},
                          prev_hash=prev, key_id="")
        rec.hash = chain.record_hash(prev, chain._hashed_fields(rec))
        rec.save(force_insert=True)
        prev = rec.hash
    AuditHead.objects.update_or_create(id=1, defaults={
        "last_id": n, "last_hash": prev, "legacy_until": 0, "key_id": "", "signature": ""})
    return prev


def _migration() -> Any:
    return importlib.import_module("doanvu.audit.migrations.0002_keyed_chain")


def test_sec8_records_from_before_the_key_verify_by_the_old_rule(world: World) -> None:
    _legacy_chain(4)
    _migration().seal_existing_head(apps, None)
    rename(world, "Thị đoàn Châu Thành")
    total = AuditRecord.objects.count()

    head = AuditHead.objects.get(id=1)
    first_keyed = AuditRecord.objects.get(id=5)
    assert (head.legacy_until, first_keyed.prev_hash) == (
        4, AuditRecord.objects.get(id=4).hash)
    assert verify_output() == f"Chuỗi nhật ký toàn vẹn: {total} bản ghi."


def test_sec8_a_rewrite_among_the_records_from_before_the_key_is_found(world: World) -> None:
    _legacy_chain(4)
    _migration().seal_existing_head(apps, None)
    rename(world, "Thị đoàn Châu Thành")
    AuditRecord.objects.filter(id=2).update(reason="Không có gì xảy ra")
    prev = AuditRecord.objects.get(id=1).hash
    for rec in AuditRecord.objects.filter(id__in=[2, 3, 4]).order_by("id"):
        rec.prev_hash = prev
        rec.hash = chain.record_hash(prev, chain._hashed_fields(rec))
        rec.save(update_fields=["prev_hash", "hash"])
        prev = rec.hash

    assert verify_error() == ("Chuỗi nhật ký bị phá vỡ tại bản ghi #5: bản ghi #5 không nối với "
                              "bản ghi trước. Đã kiểm tra 4 bản ghi hợp lệ trước đó.")


def test_sec8_an_unkeyed_chain_whose_head_was_never_sealed_is_found(world: World) -> None:
    """Before the migration seals the head, nothing vouches for the unkeyed records."""
    _legacy_chain(3)

    assert verify_error() == (
        "Chuỗi nhật ký bị phá vỡ tại bản ghi #1: bản ghi #1 được băm không khóa (sha256) dù "
        "chuỗi dùng khóa HMAC từ bản ghi #1: bản ghi đã bị sửa và băm lại ngoài ứng dụng. "
        "Đã kiểm tra 0 bản ghi hợp lệ trước đó."
    )


# -- appending --------------------------------------------------------------------------------


def test_sec8_bulk_append_writes_keyed_records_under_one_head(world: World) -> None:
    before = AuditRecord.objects.count()

    records = chain.append_many([
        chain.AuditEntry(action="update", model="org.person", object_pk=str(i),
                         object_repr=f"Người {i}", unit_id=world.branch_a1.pk,
                         changes={"before": {"phone": "1"}, "after": {"phone": "2"}},
                         actor=world.admin, reason="Nhập từ tệp")
        for i in range(3)
    ])

    head = AuditHead.objects.get(id=1)
    assert [r.id for r in records] == [before + 1, before + 2, before + 3]
    assert (head.last_id, head.last_hash) == (before + 3, records[-1].hash)
    assert verify_output() == f"Chuỗi nhật ký toàn vẹn: {before + 3} bản ghi."


def test_sec8_appending_never_updates_or_deletes_an_audit_record(world: World) -> None:
    """What the database grants rely on: the application only INSERTs into the records table
    (and updates the one head row). On PostgreSQL the documented grants are applied to a role
    and an UPDATE or DELETE of a record as that role is refused while appending still works."""
    with CaptureQueriesContext(connection) as queries:
        rename(world, "Thị đoàn Châu Thành")
    touching = [q["sql"].split()[0].upper() for q in queries.captured_queries
                if '"audit_auditrecord"' in q["sql"]]
    assert touching == ["INSERT"]

    if connection.vendor == "postgresql":
        refused = _as_app_role(world)
        assert refused == ["UPDATE", "DELETE", "TRUNCATE"]
    else:
        assert connection.vendor == "sqlite"  # no roles: the grants are PostgreSQL's


def _as_app_role(world: World) -> list[str]:
    from django.db import DatabaseError, transaction

    from doanvu.audit.grants import app_role_grants

    refused: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS doanvu_test_app")
        cursor.execute("CREATE ROLE doanvu_test_app")
        for statement in app_role_grants("doanvu_test_app"):
            cursor.execute(statement)
        cursor.execute("SET ROLE doanvu_test_app")
        try:
            for attempt, sql in (("UPDATE", "UPDATE audit_auditrecord SET reason='x'"),
                                 ("DELETE", "DELETE FROM audit_auditrecord"),
                                 ("TRUNCATE", "TRUNCATE audit_auditrecord")):
                try:
                    with transaction.atomic():
                        cursor.execute(sql)
                except DatabaseError:
                    refused.append(attempt)
            before = AuditRecord.objects.count()
            rename(world, "Thị đoàn Châu Thành mới")
            assert AuditRecord.objects.count() == before + 1
        finally:
            cursor.execute("RESET ROLE")
    return refused


def test_sec8_deploy_doc_gives_the_grants_the_test_applies() -> None:
    from django.conf import settings

    from doanvu.audit.grants import app_role_grants

    doc = (Path(settings.BASE_DIR) / "docs" / "deploy.md").read_text(encoding="utf-8")

    assert [s for s in app_role_grants("doanvu_app") if f"\n{s};\n" not in doc] == []


def test_sec8_production_refuses_to_start_without_a_real_audit_key() -> None:
    import os
    import subprocess
    import sys

    from django.conf import settings

    def start(audit_key: str | None) -> tuple[int, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in {"DOANVU_AUDIT_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
        env.update(DJANGO_SECRET_KEY="s" * 50, DJANGO_DEBUG="false",
                   DJANGO_ALLOWED_HOSTS="example.org")
        if audit_key is not None:
            env["DOANVU_AUDIT_KEY"] = audit_key
        done = subprocess.run([sys.executable, "-c", "import doanvu.settings.production"],
                              cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
                              timeout=60)
        return done.returncode, done.stderr.strip().splitlines()[-1] if done.stderr else ""

    refusal = ("django.core.exceptions.ImproperlyConfigured: DOANVU_AUDIT_KEY phải được đặt (ít "
               "nhất 32 ký tự, không dùng khóa mặc định): khóa ký chuỗi nhật ký thay đổi, xem "
               "docs/deploy.md.")
    assert start(None) == (1, refusal)
    assert start("ngan-qua-31-ky-tu-0123456789abc") == (1, refusal)
    assert start(chain.DEV_KEY) == (1, refusal)
    assert start("k" * 32) == (0, "")
