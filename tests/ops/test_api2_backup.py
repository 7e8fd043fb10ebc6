"""API-2: `manage.py backup` / `manage.py restore` — an exact round trip (row counts and a
checksum per table, uploads, the audit chain verifying afterwards), refusals that restore
nothing (a tampered or truncated file, a non-empty database without --force, another schema,
an unknown audit key)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from doanvu.audit import chain
from doanvu.audit.models import AuditRecord
from doanvu.members import tally
from doanvu.ops import backup as bk
from doanvu.org import services as org_services
from doanvu.org.models import Unit
from tests.conftest import kind
from tests.members.conftest import MembersWorld, members_world  # noqa: F401 - a fixture
from tests.ops.conftest import import_csv


def digests() -> dict[str, tuple[int, str]]:
    return {t.db_table: bk.digest(t) for t in bk.tables()}


def manifest_of(path: Path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read(bk.MANIFEST))


@pytest.fixture
def saved(members_world: MembersWorld, tmp_path: Path, settings) -> tuple[Path, dict]:  # noqa: F811
    """A world with members imported through the command (an upload in MEDIA_ROOT, audit
    records, maintained counts), backed up; returns the file and the digests at backup time."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")
    import_csv(members_world, tmp_path, rows=3)
    path = tmp_path / "sao-luu.zip"
    call_command("backup", str(path))
    return path, digests()


def _change_after_backup(members_world: MembersWorld) -> Unit:  # noqa: F811
    w = members_world.world
    return org_services.unit_create(actor=None, parent=w.district_b, name="Đoàn xã Mới Lập",
                                    kind=kind("co_so"), founded_on=w.province.founded_on,
                                    sector="dan_cu_nong_thon")


def test_api2_backup_manifest_counts_and_checksums_every_table(saved, tmp_path: Path) -> None:
    path, at_backup = saved
    manifest = manifest_of(path)
    listed = {e["table"]: (e["rows"], e["sha256"]) for e in manifest["tables"]}
    assert listed == at_backup
    # every table of the database is in the backup, except Django's bookkeeping and sessions
    in_db = set(connection.introspection.table_names())
    assert in_db - set(listed) == {"django_migrations", "django_session"}
    for t in bk.tables():
        assert listed[t.db_table][0] == t.model._base_manager.count()
    assert listed["org_person"][0] >= 3 and listed["audit_auditrecord"][0] > 0
    assert manifest["audit"]["last_id"] == AuditRecord.objects.order_by("-id").first().id
    assert [m["path"] for m in manifest["media"]]  # the uploaded import file
    with zipfile.ZipFile(path) as zf:
        assert sum(1 for _ in zf.open("tables/org_person.jsonl")) == listed["org_person"][0]


def test_api2_round_trip_is_exact_and_the_chain_verifies(saved, members_world, tmp_path,  # noqa: F811
                                                         settings) -> None:
    path, at_backup = saved
    manifest = manifest_of(path)
    upload = Path(settings.MEDIA_ROOT) / manifest["media"][0]["path"]
    original = upload.read_bytes()
    extra = _change_after_backup(members_world)
    upload.write_bytes(b"changed")
    assert digests() != at_backup

    call_command("restore", str(path), "--force")

    assert digests() == at_backup
    assert not Unit.objects.filter(pk=extra.pk).exists()
    assert upload.read_bytes() == original
    result = chain.verify(expect=chain.ExpectedHead(id=manifest["audit"]["last_id"],
                                                    hash=manifest["audit"]["last_hash"]))
    assert result.ok and result.checked == manifest["audit"]["last_id"]
    assert tally.differences() == []
    # the restored database takes new writes: sequences and the chain's head go on
    again = _change_after_backup(members_world)
    assert again.pk > max(u for u in Unit.objects.exclude(pk=again.pk).values_list("pk", flat=True))
    assert chain.verify().ok
    assert AuditRecord.objects.count() > manifest["audit"]["last_id"]


def test_api2_restore_into_an_empty_database_needs_no_force(saved) -> None:
    path, at_backup = saved
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # the test's own pending foreign-key checks first
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    if connection.vendor == "sqlite":
        # SQLite's flush is one DELETE per table in an unordered set's order (PostgreSQL's is one
        # TRUNCATE, which fires no row trigger): where memberships go after their tallies, the
        # member-count triggers write tallies again; empty them (the restore empties with its
        # triggers off).
        from doanvu.members.models import MemberTally

        MemberTally.objects.all().delete()
    assert bk.tables_with_data() == []
    call_command("restore", str(path))
    assert digests() == at_backup
    assert chain.verify().ok


def test_api2_a_migrated_database_counts_as_empty(db) -> None:
    assert bk.tables_with_data() == []


def test_api2_restore_refuses_a_non_empty_database_without_force(saved, members_world) -> None:  # noqa: F811
    path, _at = saved
    _change_after_backup(members_world)
    before = digests()
    with pytest.raises(CommandError) as err:
        call_command("restore", str(path))
    assert "đã có dữ liệu" in str(err.value) and "--force" in str(err.value)
    assert digests() == before


def _rewrite(path: Path, target: Path, member: str, change) -> None:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info.filename, change(data) if info.filename == member else data)


def test_api2_a_tampered_table_is_named_and_nothing_is_restored(saved, members_world,  # noqa: F811
                                                                 tmp_path: Path) -> None:
    path, _at = saved
    extra = _change_after_backup(members_world)
    before = digests()
    bad = tmp_path / "sua.zip"
    _rewrite(path, bad, "tables/org_unit.jsonl",
             lambda data: data.replace("Tân Biên".encode(), "Tân Biển".encode(), 1))
    with pytest.raises(CommandError) as err:
        call_command("restore", str(bad), "--force")
    assert "org_unit" in str(err.value) and "không khôi phục gì" in str(err.value)
    assert digests() == before  # the tables loaded before org_unit were rolled back too
    assert Unit.objects.filter(pk=extra.pk).exists()


def test_api2_a_dropped_row_is_refused(saved, members_world, tmp_path: Path) -> None:  # noqa: F811
    path, _at = saved
    _change_after_backup(members_world)
    before = digests()
    bad = tmp_path / "thieu.zip"
    _rewrite(path, bad, "tables/org_person.jsonl",
             lambda data: b"".join(data.splitlines(keepends=True)[1:]))
    with pytest.raises(CommandError) as err:
        call_command("restore", str(bad), "--force")
    assert "org_person" in str(err.value)
    assert digests() == before


def test_api2_a_truncated_file_is_refused_before_anything(saved, members_world,  # noqa: F811
                                                          tmp_path: Path) -> None:
    path, _at = saved
    _change_after_backup(members_world)
    before = digests()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(CommandError) as err:
        call_command("restore", str(cut), "--force")
    assert "bị cắt cụt" in str(err.value)
    assert digests() == before


def test_api2_restore_refuses_another_schema(saved, tmp_path: Path) -> None:
    path, _at = saved
    manifest = manifest_of(path)
    manifest["migrations"] = manifest["migrations"][:-1]
    other = tmp_path / "khac.zip"
    _rewrite(path, other, bk.MANIFEST, lambda _d: json.dumps(manifest).encode())
    with pytest.raises(CommandError) as err:
        call_command("restore", str(other), "--force")
    assert "không cùng phiên bản lược đồ" in str(err.value)


def test_api2_restore_refuses_a_chain_sealed_with_an_unknown_key(saved, settings) -> None:
    path, at_backup = saved
    settings.AUDIT_KEY = "another-key-of-at-least-thirty-two-characters-long"
    settings.AUDIT_OLD_KEYS = []
    with pytest.raises(CommandError) as err:
        call_command("restore", str(path), "--force")
    assert "DOANVU_AUDIT_OLD_KEYS" in str(err.value)
    assert digests() == at_backup


def test_api2_restore_of_a_missing_file(db, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as err:
        call_command("restore", str(tmp_path / "khong-co.zip"))
    assert "Không tìm thấy tệp sao lưu" in str(err.value)


def test_api2_values_survive_the_text_form() -> None:
    import datetime as dt
    import uuid
    from decimal import Decimal

    row = (None, True, 3, 1.5, "Tây Ninh", Decimal("66.70"),
           dt.datetime(2024, 3, 1, 7, 5, tzinfo=dt.UTC), dt.date(2024, 2, 29), dt.time(7, 30),
           uuid.UUID(int=5), {"b": [1, "x"], "a": None})
    line = bk.line_of(row)
    assert line.endswith(b"\n") and bk.line_of(row) == line
    values = json.loads(line)
    assert values[5] == "66.70" and values[6] == "2024-03-01T07:05:00+00:00"
    assert bk._DECODERS["DecimalField"](values[5]) == Decimal("66.70")
    assert bk._DECODERS["DateTimeField"](values[6]) == row[6]
    assert bk._DECODERS["UUIDField"](values[9]) == row[9]
