"""Backup and restore of the whole database (API-2, issue 16).

One file, a zip: `manifest.json`, one `tables/<db_table>.jsonl` per table (one row a line, its
values in column order, canonically serialised) and `media/…` (the uploads under MEDIA_ROOT).
The manifest lists, per table, its columns, its row count and a sha256 over its lines in
primary-key order, the applied migrations, and the last audit record (id and hash).

- `backup` reads every table in one transaction (PostgreSQL: REPEATABLE READ, READ ONLY — one
  snapshot of everything, the audit chain consistent with the data) in keyset chunks of
  `CHUNK` rows, so memory does not grow with the table; it writes to `<file>.tmp` and renames.
- `restore` refuses a database that already holds data (other than what `migrate` writes)
  unless `force`, a schema other than the backup's, and an audit key the backup's chain was not
  sealed with. In ONE transaction it empties every table (and the sessions), loads each table
  with the user triggers off (the maintained member counts are restored as rows, not recounted),
  checks each table's count and checksum against the manifest — as read from the file and again
  as read back from the database — resets the sequences (PostgreSQL), verifies the audit chain
  up to the backup's last record, and only then commits: a corrupt or truncated file restores
  nothing. Media files are unpacked and checked beside MEDIA_ROOT first and moved in after the
  commit.

Values are serialised from Python values (not the database's text), so a backup from SQLite
restores into PostgreSQL and back, and the checksums agree across the two.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import ExpressionWrapper, F
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.audit import chain
from doanvu.audit.models import AuditRecord

FORMAT = "doanvu-backup"
VERSION = 1
CHUNK = 5000
INSERT_BATCH = 1000
MANIFEST = "manifest.json"
# not backed up, emptied by a restore: a session names a user id, which after a restore may be
# someone else's (and is signed with this server's SECRET_KEY)
EXCLUDED = frozenset({"sessions.session"})
# tables `migrate` itself fills (content types, permissions, data migrations' seeds, the audit
# head): a freshly migrated database holds these and still counts as empty
SEEDED = frozenset({
    "contenttypes.contenttype", "auth.permission", "accounts.roletype", "org.unitkind",
    "org.unitkind_allowed_parents", "org.unitkind_merge_targets", "audit.audithead",
    "documents.documenttype",
})

Say = Callable[[str], None]


class RestoreError(Exception):
    """A backup that cannot be restored (or a database it must not be restored into)."""


@dataclass(frozen=True)
class Table:
    label: str
    model: type[models.Model]
    fields: tuple[Any, ...]

    @property
    def io_fields(self) -> list[Any]:
        """How each column is read and written: the field itself, or for a field of ours that
        turns the stored value into an object (`from_db_value`: PeriodField) the plain Django
        field it stores as, so the stored text travels as it is ("" stays "", NULL NULL)."""
        return [_plain_field(f) for f in self.fields]

    @property
    def db_table(self) -> str:
        return str(self.model._meta.db_table)

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.fields]

    @property
    def member(self) -> str:
        return f"tables/{self.db_table}.jsonl"


@dataclass
class Summary:
    tables: int = 0
    rows: int = 0
    files: int = 0
    audit_records: int = 0
    per_table: dict[str, tuple[int, str]] = field(default_factory=dict)


def tables() -> list[Table]:
    """Every table of every installed app (auto-created many-to-many tables included), by name."""
    seen: set[str] = set()
    found: list[Table] = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.swapped or opts.label_lower in EXCLUDED:
            continue
        if opts.db_table in seen:
            continue
        seen.add(opts.db_table)
        found.append(Table(opts.label_lower, model, tuple(opts.concrete_fields)))
    return sorted(found, key=lambda t: t.db_table)


# -- values ---------------------------------------------------------------------------------------


def _plain_field(f: Any) -> Any:
    if type(f).__module__.startswith("django.") or f.is_relation:
        return f
    for base in type(f).__mro__:
        if base.__module__.startswith("django.db.models"):
            return base()
    raise TypeError(f"no Django field under {type(f).__name__}")  # pragma: no cover


def _plain_type(f: Any) -> str:
    while f.is_relation:
        f = f.target_field
    return str(f.get_internal_type())


def encode(value: Any) -> Any:
    """A database value as JSON: the same text whichever database it came from."""
    if value is None or isinstance(value, bool | int | float | str | dict | list):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot serialise {type(value).__name__}")


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "DateTimeField": dt.datetime.fromisoformat,
    "DateField": dt.date.fromisoformat,
    "TimeField": dt.time.fromisoformat,
    "DecimalField": Decimal,
    "UUIDField": uuid.UUID,
    "DurationField": lambda v: dt.timedelta(microseconds=v),
    "BinaryField": base64.b64decode,
}


def line_of(row: Sequence[Any]) -> bytes:
    return json.dumps([encode(v) for v in row], ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8") + b"\n"


def rows_of(table: Table, chunk: int = CHUNK) -> Iterator[tuple[Any, ...]]:
    """The table's rows in primary-key order, `chunk` at a time (keyset: no OFFSET, no
    whole-table cursor held in memory)."""
    pk = table.model._meta.pk
    assert pk is not None
    names = []
    raw: dict[str, Any] = {}
    for f, io in zip(table.fields, table.io_fields, strict=True):
        if io is f:
            names.append(f.attname)
        else:
            names.append(f"backup_raw_{f.attname}")
            raw[names[-1]] = ExpressionWrapper(F(f.attname), output_field=io)
    at = names.index(pk.attname)
    query = (table.model._base_manager.annotate(**raw).order_by(pk.attname)
             .values_list(*names))
    last: Any = None
    while True:
        page = query if last is None else query.filter(**{f"{pk.attname}__gt": last})
        batch = list(page[:chunk])
        yield from batch
        if len(batch) < chunk:
            return
        last = batch[-1][at]


def digest(table: Table) -> tuple[int, str]:
    """(rows, sha256) of a table as the database holds it now."""
    h = hashlib.sha256()
    n = 0
    for row in rows_of(table):
        h.update(line_of(row))
        n += 1
    return n, h.hexdigest()


def _migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _media_files() -> Iterator[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(root).as_posix()


# -- backup ---------------------------------------------------------------------------------------


def backup(path: str | Path, *, media: bool = True, say: Say = lambda _m: None) -> Summary:
    target = Path(path)
    partial = target.with_name(target.name + ".tmp")
    summary = Summary()
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic(), zipfile.ZipFile(
            partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6, allowZip64=True
        ) as zf:
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            entries = []
            for table in tables():
                h = hashlib.sha256()
                n = 0
                with zf.open(table.member, "w", force_zip64=True) as out:
                    buf: list[bytes] = []
                    for row in rows_of(table):
                        line = line_of(row)
                        h.update(line)
                        buf.append(line)
                        n += 1
                        if len(buf) >= CHUNK:
                            out.write(b"".join(buf))
                            buf.clear()
                    out.write(b"".join(buf))
                entries.append({"model": table.label, "table": table.db_table,
                                "columns": table.columns, "rows": n, "sha256": h.hexdigest()})
                summary.per_table[table.db_table] = (n, h.hexdigest())
                summary.tables += 1
                summary.rows += n
                if n:
                    say(_("{table}: {n} dòng").format(table=table.db_table, n=n))
            files = []
            if media:
                for file, name in _media_files():
                    h = hashlib.sha256()
                    size = 0
                    with file.open("rb") as src, zf.open(f"media/{name}", "w",
                                                         force_zip64=True) as out:
                        while block := src.read(1 << 20):
                            h.update(block)
                            size += len(block)
                            out.write(block)
                    files.append({"path": name, "size": size, "sha256": h.hexdigest()})
                summary.files = len(files)
            last = AuditRecord.objects.order_by("-id").values_list("id", "hash").first()
            summary.audit_records = last[0] if last else 0
            manifest = {
                "format": FORMAT, "version": VERSION,
                "created_at": timezone.now().isoformat(), "vendor": connection.vendor,
                "migrations": _migrations(),
                "audit": {"key_id": chain.current_key()[0],
                          "last_id": last[0] if last else 0, "last_hash": last[1] if last else ""},
                "excluded": sorted(EXCLUDED), "media_included": media,
                "tables": entries, "media": files,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return summary


# -- restore --------------------------------------------------------------------------------------


def read_manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        data = json.loads(zf.read(MANIFEST))
    except KeyError:
        raise RestoreError(_("Tệp không phải bản sao lưu của Đoàn Vụ: không có {name}.").format(
            name=MANIFEST)) from None
    except (ValueError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise RestoreError(_("Mục lục ({name}) của bản sao lưu bị hỏng: {err}").format(
            name=MANIFEST, err=exc)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RestoreError(_("Tệp không phải bản sao lưu của Đoàn Vụ."))
    if data.get("version") != VERSION:
        raise RestoreError(_("Bản sao lưu định dạng phiên bản {v}, phần mềm này đọc phiên bản "
                             "{mine}.").format(v=data.get("version"), mine=VERSION))
    return data


def open_backup(path: str | Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise RestoreError(_("Không tìm thấy tệp sao lưu {path}.").format(path=path)) from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise RestoreError(_("Tệp sao lưu {path} bị hỏng hoặc bị cắt cụt ({err}); không khôi "
                             "phục gì.").format(path=path, err=exc)) from None


def tables_with_data() -> list[str]:
    """Tables holding rows beyond what `migrate` writes: a database with any is not empty."""
    return [t.db_table for t in tables()
            if t.label not in SEEDED and t.model._base_manager.exists()]


def _check_compatible(manifest: dict[str, Any], mine: list[Table]) -> None:
    theirs = {tuple(m) for m in manifest["migrations"]}
    here = {tuple(m) for m in _migrations()}
    if theirs != here:
        missing = sorted(".".join(m) for m in theirs - here)[:5]
        extra = sorted(".".join(m) for m in here - theirs)[:5]
        raise RestoreError(_(
            "Cơ sở dữ liệu đích không cùng phiên bản lược đồ với bản sao lưu (thiếu: {missing}; "
            "thừa: {extra}). Hãy dùng đúng phiên bản phần mềm đã tạo bản sao lưu và chạy "
            "`manage.py migrate` trước.").format(missing=", ".join(missing) or "—",
                                                 extra=", ".join(extra) or "—"))
    by_table = {t.db_table: t for t in mine}
    listed = {e["table"] for e in manifest["tables"]}
    if listed != set(by_table):
        raise RestoreError(_("Bản sao lưu không có đúng các bảng của phần mềm này (khác: "
                             "{tables}).").format(
            tables=", ".join(sorted(listed ^ set(by_table))[:5])))
    for entry in manifest["tables"]:
        if entry["columns"] != by_table[entry["table"]].columns:
            raise RestoreError(_("Bảng {table}: các cột trong bản sao lưu khác các cột của cơ sở "
                                 "dữ liệu đích.").format(table=entry["table"]))


def _check_key(manifest: dict[str, Any]) -> None:
    audit = manifest.get("audit") or {}
    if audit.get("last_id") and audit.get("key_id") not in chain.keyring():
        raise RestoreError(_(
            "Nhật ký thay đổi trong bản sao lưu được niêm phong bằng khóa {kid}, không có trong "
            "DOANVU_AUDIT_KEY hay DOANVU_AUDIT_OLD_KEYS của máy này: sau khi khôi phục sẽ không "
            "kiểm tra được chuỗi. Đặt đúng khóa (hoặc thêm vào DOANVU_AUDIT_OLD_KEYS) rồi chạy "
            "lại.").format(kid=audit.get("key_id")))


def _triggers_off() -> Callable[[], None]:
    """Turn the user triggers off for the load (the rows of the tables they maintain are in the
    backup too); returns what turns them back on."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT DISTINCT c.relname FROM pg_trigger t "
                        "JOIN pg_class c ON c.oid = t.tgrelid "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE NOT t.tgisinternal AND n.nspname = current_schema()")
            names = [r[0] for r in cur.fetchall()]
            qn = connection.ops.quote_name
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name in names:
                cur.execute(f"ALTER TABLE {qn(name)} DISABLE TRIGGER USER")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")

            def back_on() -> None:
                with connection.cursor() as c2:
                    c2.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    for name in names:
                        c2.execute(f"ALTER TABLE {qn(name)} ENABLE TRIGGER USER")
                    c2.execute("SET CONSTRAINTS ALL DEFERRED")
            return back_on
        cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        saved = cur.fetchall()
        for name, _sql in saved:
            cur.execute(f'DROP TRIGGER "{name}"')

        def recreate() -> None:
            with connection.cursor() as c2:
                for _name, sql in saved:
                    c2.execute(sql)
        return recreate


def _empty(all_tables: list[Table]) -> None:
    session = apps.get_model("sessions", "Session")._meta.db_table
    qn = connection.ops.quote_name
    names = [t.db_table for t in all_tables] + [session]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("TRUNCATE " + ", ".join(qn(n) for n in names))
        else:
            for n in names:
                cur.execute(f"DELETE FROM {qn(n)}")


def _load(zf: zipfile.ZipFile, table: Table, entry: dict[str, Any]) -> None:
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(table.db_table)} ({', '.join(qn(c) for c in table.columns)}) "
           f"VALUES ({', '.join(['%s'] * len(table.columns))})")
    fields = table.io_fields
    decoders = [_DECODERS.get(_plain_type(f)) for f in fields]
    h = hashlib.sha256()
    n = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cur:
        try:
            with zf.open(table.member) as src:
                for line in src:
                    h.update(line)
                    n += 1
                    values = json.loads(line)
                    if len(values) != len(fields):
                        raise ValueError(_("dòng {n} có {k} giá trị, cần {m}").format(
                            n=n, k=len(values), m=len(fields)))
                    batch.append([
                        f.get_db_prep_save(dec(v) if dec is not None and v is not None else v,
                                           connection)
                        for f, dec, v in zip(fields, decoders, values, strict=True)])
                    if len(batch) >= INSERT_BATCH:
                        cur.executemany(sql, batch)
                        batch.clear()
            if batch:
                cur.executemany(sql, batch)
        except KeyError:
            raise RestoreError(_("Bảng {table}: không có trong tệp sao lưu.").format(
                table=table.db_table)) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, TypeError,
                DatabaseError) as exc:
            raise RestoreError(_("Bảng {table}: dữ liệu trong tệp sao lưu bị hỏng ({err}); "
                                 "không khôi phục gì.").format(table=table.db_table,
                                                               err=exc)) from None
    if n != entry["rows"] or h.hexdigest() != entry["sha256"]:
        raise RestoreError(_("Bảng {table}: tệp sao lưu có {n} dòng, mã kiểm tra {got}; mục lục "
                             "ghi {rows} dòng, mã {want}. Tệp đã bị sửa hoặc hỏng; không khôi "
                             "phục gì.").format(table=table.db_table, n=n, got=h.hexdigest()[:12],
                                                rows=entry["rows"], want=entry["sha256"][:12]))


def _safe_media_name(name: str) -> PurePosixPath:
    rel = PurePosixPath(name)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise RestoreError(_("Tệp đính kèm có đường dẫn không hợp lệ trong bản sao lưu: "
                             "{name}").format(name=name))
    return rel


def _stage_media(zf: zipfile.ZipFile, files: list[dict[str, Any]], staging: Path) -> None:
    for entry in files:
        rel = _safe_media_name(entry["path"])
        dest = staging.joinpath(*rel.parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        size = 0
        try:
            with zf.open(f"media/{entry['path']}") as src, dest.open("wb") as out:
                while block := src.read(1 << 20):
                    h.update(block)
                    size += len(block)
                    out.write(block)
        except (KeyError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise RestoreError(_("Tệp đính kèm {name} trong bản sao lưu bị hỏng hoặc thiếu "
                                 "({err}); không khôi phục gì.").format(
                name=entry["path"], err=exc)) from None
        if size != entry["size"] or h.hexdigest() != entry["sha256"]:
            raise RestoreError(_("Tệp đính kèm {name}: nội dung khác mã kiểm tra trong mục lục; "
                                 "không khôi phục gì.").format(name=entry["path"]))


def _load_all(zf: zipfile.ZipFile, manifest: dict[str, Any], mine: list[Table],
              summary: Summary, *, check_audit: bool, say: Say) -> None:
    by_table = {t.db_table: t for t in mine}
    with transaction.atomic():
        back_on = _triggers_off()
        _empty(mine)
        for entry in manifest["tables"]:
            _load(zf, by_table[entry["table"]], entry)
            summary.rows += entry["rows"]
            summary.tables += 1
            if entry["rows"]:
                say(_("{table}: {n} dòng").format(table=entry["table"], n=entry["rows"]))
        back_on()
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                for stmt in connection.ops.sequence_reset_sql(no_style(), [t.model for t in mine]):
                    cur.execute(stmt)
        for entry in manifest["tables"]:
            got = digest(by_table[entry["table"]])
            if got != (entry["rows"], entry["sha256"]):
                raise RestoreError(_("Bảng {table}: đọc lại sau khi nạp có {n} dòng, khác bản sao "
                                     "lưu; không khôi phục gì.").format(table=entry["table"],
                                                                        n=got[0]))
            summary.per_table[entry["table"]] = got
        audit = manifest.get("audit") or {}
        if check_audit:
            expect = (chain.ExpectedHead(id=audit["last_id"], hash=audit["last_hash"])
                      if audit.get("last_id") else None)
            result = chain.verify(expect=expect)
            if not result.ok:
                raise RestoreError(_(
                    "Chuỗi nhật ký sau khi nạp không toàn vẹn tại bản ghi #{id}: {problem}. Không "
                    "khôi phục gì (khóa DOANVU_AUDIT_KEY phải là khóa của máy đã sao lưu).").format(
                        id=result.broken_id, problem=result.problem))
        summary.audit_records = int(audit.get("last_id") or 0)


def restore(path: str | Path, *, force: bool = False, media: bool = True,
            check_audit: bool = True, say: Say = lambda _m: None) -> Summary:
    summary = Summary()
    with open_backup(path) as zf:
        manifest = read_manifest(zf)
        mine = tables()
        _check_compatible(manifest, mine)
        if check_audit:
            _check_key(manifest)
        if not force:
            full = tables_with_data()
            if full:
                raise RestoreError(_(
                    "Cơ sở dữ liệu đích đã có dữ liệu (bảng {tables}…): khôi phục sẽ xóa hết. "
                    "Chỉ khôi phục vào cơ sở dữ liệu mới (sau `manage.py migrate`), hoặc thêm "
                    "--force nếu chắc chắn muốn thay toàn bộ dữ liệu.").format(
                        tables=", ".join(full[:3])))
        files = manifest.get("media", []) if media else []
        root = Path(settings.MEDIA_ROOT)
        staging = root.parent / f".{root.name}-restore-{os.getpid()}"
        try:
            if files:
                shutil.rmtree(staging, ignore_errors=True)
                staging.mkdir(parents=True)
                _stage_media(zf, files, staging)
            try:
                _load_all(zf, manifest, mine, summary, check_audit=check_audit, say=say)
            except DatabaseError as exc:
                raise RestoreError(_("Cơ sở dữ liệu từ chối dữ liệu khôi phục ({err}); không khôi "
                                     "phục gì.").format(err=exc)) from None
            for entry in files:
                rel = _safe_media_name(entry["path"])
                dest = root.joinpath(*rel.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging.joinpath(*rel.parts), dest)
            summary.files = len(files)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    ContentType.objects.clear_cache()
    return summary
