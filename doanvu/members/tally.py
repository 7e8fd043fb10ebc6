"""Maintained member counts (issue 11): members_membertally, kept by database triggers.

Every current membership (is_current) counts +1 in one row per subtree it lies in — each level
of its unit_path (the branch itself and every ancestor) — keyed by (path, status, gender,
birth_year). Triggers on members_membership keep the rows in the writing statement's own
transaction, whatever wrote (a service's save(), a queryset .update(), the import's bulk INSERT,
the generator's COPY, raw SQL), so the counts commit or roll back with the write:

- PostgreSQL: one statement-level AFTER trigger per event with transition tables; each applies
  one aggregated upsert per statement (-1 per old row, +1 per new row, zero net deltas skipped),
  in key order so concurrent writers lock tally rows in the same order (no deadlock).
- SQLite: row-level AFTER triggers (SQLite has no statement triggers), the levels expanded with
  json_each (CTEs are not allowed in trigger bodies).

`recount()` rebuilds the table from raw memberships; `differences()` compares the two;
`manage.py member_counts` runs them. Pages read through members.api (`member_counts`), never a
raw count over a subtree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection as default_connection
from django.db import transaction
from django.db.models import Sum

from doanvu.org.paths import STEP

TABLE = "members_membertally"
SOURCE = "members_membership"
KEY = ("path", "status", "gender", "birth_year")
DIMENSIONS = ("status", "gender", "birth_year")
MAX_LEVELS = 255 // STEP  # unit_path is a varchar(255)
_SQLITE_LEVELS = "[" + ",".join(str(STEP * k) for k in range(1, MAX_LEVELS + 1)) + "]"
TRIGGERS = ("members_tally_ins", "members_tally_upd", "members_tally_del")


def _birth_year(vendor: str, col: str) -> str:
    if vendor == "postgresql":
        return f"COALESCE(EXTRACT(YEAR FROM {col})::int, 0)"
    return f"COALESCE(CAST(substr({col}, 1, 4) AS INTEGER), 0)"


def _levels(vendor: str, path_col: str) -> tuple[str, str]:
    """(join clause, level length expression) expanding a row into each level of its path."""
    if vendor == "postgresql":
        return (f"CROSS JOIN LATERAL generate_series({STEP}, length({path_col}), {STEP}) AS lv(l)",
                "lv.l")
    return (f"JOIN json_each('{_SQLITE_LEVELS}') AS lv ON lv.value <= length({path_col})",
            "lv.value")


def _grouped_source(vendor: str, select_rows: str) -> str:
    """`select_rows` yields (unit_path, status, gender, birth_date, d): summed per membership key
    (zero net deltas dropped) and then per level."""
    by = _birth_year(vendor, "r.birth_date")
    join, lvl = _levels(vendor, "d.unit_path")
    return (
        f"SELECT substr(d.unit_path, 1, {lvl}) AS path, d.status, d.gender, d.birth_year, "
        f"CAST(SUM(d.n) AS INTEGER) AS n FROM ("
        f"SELECT r.unit_path, r.status, r.gender, {by} AS birth_year, SUM(r.d) AS n "
        f"FROM ({select_rows}) AS r GROUP BY 1, 2, 3, 4 HAVING SUM(r.d) <> 0) AS d {join} "
        f"GROUP BY 1, 2, 3, 4"
    )


def _rows(table: str, sign: int) -> str:
    return (f"SELECT unit_path, status, gender, birth_date, {sign} AS d FROM {table} "
            f"WHERE is_current")


# -- triggers ----------------------------------------------------------------------------------


def _pg_function(name: str, select_rows: str) -> str:
    upsert = (
        f"INSERT INTO {TABLE} (path, status, gender, birth_year, n) "
        f"SELECT * FROM ({_grouped_source('postgresql', select_rows)}) AS t "
        f"ORDER BY 1, 2, 3, 4 "
        f"ON CONFLICT (path, status, gender, birth_year) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n"
    )
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {upsert}; RETURN NULL; END $$")


def _pg_install() -> list[str]:
    new, old = "members_tally_new", "members_tally_old"
    return [
        _pg_function("members_tally_ins", _rows(new, 1)),
        _pg_function("members_tally_upd", f"{_rows(old, -1)} UNION ALL {_rows(new, 1)}"),
        _pg_function("members_tally_del", _rows(old, -1)),
        f"CREATE TRIGGER members_tally_ins AFTER INSERT ON {SOURCE} "
        f"REFERENCING NEW TABLE AS {new} FOR EACH STATEMENT EXECUTE FUNCTION members_tally_ins()",
        f"CREATE TRIGGER members_tally_upd AFTER UPDATE ON {SOURCE} "
        f"REFERENCING OLD TABLE AS {old} NEW TABLE AS {new} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION members_tally_upd()",
        f"CREATE TRIGGER members_tally_del AFTER DELETE ON {SOURCE} "
        f"REFERENCING OLD TABLE AS {old} FOR EACH STATEMENT EXECUTE FUNCTION members_tally_del()",
    ]


def _pg_uninstall() -> list[str]:
    return [*(f"DROP TRIGGER IF EXISTS {t} ON {SOURCE}" for t in TRIGGERS),
            *(f"DROP FUNCTION IF EXISTS {t}()" for t in TRIGGERS)]


def _sqlite_apply(row: str, sign: int) -> str:
    by = _birth_year("sqlite", f"{row}.birth_date")
    return (
        f"INSERT INTO {TABLE} (path, status, gender, birth_year, n) "
        f"SELECT substr({row}.unit_path, 1, lv.value), {row}.status, {row}.gender, {by}, {sign} "
        f"FROM json_each('{_SQLITE_LEVELS}') AS lv "
        f"WHERE {row}.is_current AND lv.value <= length({row}.unit_path) "
        f"ON CONFLICT (path, status, gender, birth_year) DO UPDATE SET n = n + excluded.n;"
    )


def _sqlite_install() -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in
                          ("unit_path", "status", "gender", "birth_date", "is_current"))
    return [
        f"CREATE TRIGGER members_tally_ins AFTER INSERT ON {SOURCE} WHEN NEW.is_current "
        f"BEGIN {_sqlite_apply('NEW', 1)} END",
        f"CREATE TRIGGER members_tally_upd AFTER UPDATE OF unit_path, status, gender, birth_date, "
        f"is_current ON {SOURCE} WHEN (OLD.is_current OR NEW.is_current) AND ({changed}) "
        f"BEGIN {_sqlite_apply('OLD', -1)} {_sqlite_apply('NEW', 1)} END",
        f"CREATE TRIGGER members_tally_del AFTER DELETE ON {SOURCE} WHEN OLD.is_current "
        f"BEGIN {_sqlite_apply('OLD', -1)} END",
    ]


def _sqlite_uninstall() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {t}" for t in TRIGGERS]


def install_triggers(connection: Any = None) -> None:
    conn = connection or default_connection
    stmts = _pg_install() if conn.vendor == "postgresql" else _sqlite_install()
    with conn.cursor() as cur:
        for stmt in [*(_pg_uninstall() if conn.vendor == "postgresql" else _sqlite_uninstall()),
                     *stmts]:
            cur.execute(stmt)


def drop_triggers(connection: Any = None) -> None:
    conn = connection or default_connection
    with conn.cursor() as cur:
        for stmt in _pg_uninstall() if conn.vendor == "postgresql" else _sqlite_uninstall():
            cur.execute(stmt)


def _alter_triggers(conn: Any, action: str) -> None:
    # ALTER TABLE refuses a table with pending trigger events: Django's foreign keys are
    # deferred, so their checks run now, as a commit would
    with conn.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for t in TRIGGERS:
            cur.execute(f"ALTER TABLE {SOURCE} {action} TRIGGER {t}")
        cur.execute("SET CONSTRAINTS ALL DEFERRED")


def suspend_triggers(connection: Any = None) -> None:
    """For one bulk write followed by `recount()` (the nation generator): PostgreSQL disables
    the triggers (ALTER TABLE, so inside the transaction only), SQLite drops them."""
    conn = connection or default_connection
    if conn.vendor == "postgresql":
        _alter_triggers(conn, "DISABLE")
    else:
        drop_triggers(conn)


def resume_triggers(connection: Any = None) -> None:
    conn = connection or default_connection
    if conn.vendor == "postgresql":
        _alter_triggers(conn, "ENABLE")
    else:
        install_triggers(conn)


# -- recount and check ---------------------------------------------------------------------------


def _recount_select(vendor: str) -> str:
    return _grouped_source(vendor, _rows(SOURCE, 1))


def _big_query_settings(cur: Any) -> None:
    """For one scan of every membership (inside the caller's transaction): hash the groups in
    memory (4 M groups on the nation), and no JIT (its compile time is a third of a small
    recount)."""
    cur.execute("SET LOCAL work_mem = '1GB'")
    cur.execute("SET LOCAL jit = off")


def _pg_recount_into(cur: Any, target: str) -> None:
    """Fill `target` with a recount, level by level (PostgreSQL): the memberships grouped once
    per (unit_path, key), then each level summed from the level below plus the rows at that
    level — every grouped row is hashed once per level it feeds, instead of expanding every
    membership group into all its levels at once (a third of the work on the nation)."""
    by = _birth_year("postgresql", "birth_date")
    cur.execute(
        f"CREATE TEMP TABLE members_tally_base ON COMMIT DROP AS "
        f"SELECT unit_path AS path, status, gender, {by} AS birth_year, COUNT(*)::int AS n "
        f"FROM {SOURCE} WHERE is_current GROUP BY 1, 2, 3, 4")
    cur.execute("SELECT COALESCE(MAX(length(path)), 0) FROM members_tally_base")
    deepest = int(cur.fetchone()[0])
    below = ""
    for length in range(deepest, 0, -STEP):
        level = f"members_tally_l{length}"
        rolled = (f" UNION ALL SELECT substr(path, 1, {length}), status, gender, birth_year, n "
                  f"FROM {below}" if below else "")
        cur.execute(
            f"CREATE TEMP TABLE {level} ON COMMIT DROP AS "
            f"SELECT path, status, gender, birth_year, SUM(n)::int AS n FROM ("
            f"SELECT path, status, gender, birth_year, n FROM members_tally_base "
            f"WHERE length(path) = {length}{rolled}) AS x GROUP BY 1, 2, 3, 4")
        if below:
            cur.execute(f"INSERT INTO {target} (path, status, gender, birth_year, n) "
                        f"SELECT path, status, gender, birth_year, n FROM {below}")
            cur.execute(f"DROP TABLE {below}")
        below = level
    if below:
        cur.execute(f"INSERT INTO {target} (path, status, gender, birth_year, n) "
                    f"SELECT path, status, gender, birth_year, n FROM {below}")
        cur.execute(f"DROP TABLE {below}")
    cur.execute("DROP TABLE members_tally_base")


def recount(connection: Any = None) -> int:
    """Rebuild the table from raw memberships (writers wait meanwhile); returns its row count."""
    conn = connection or default_connection
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if conn.vendor == "postgresql":
            _big_query_settings(cur)
            cur.execute(f"LOCK TABLE {SOURCE} IN SHARE MODE")
            cur.execute(f"TRUNCATE {TABLE}")
            # one index build after the rows beats 5 M random index insertions
            cur.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT members_tally_key")
            _pg_recount_into(cur, TABLE)
            cur.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT members_tally_key "
                        f"UNIQUE (path, status, gender, birth_year)")
            cur.execute(f"ANALYZE {TABLE}")
        else:
            cur.execute(f"DELETE FROM {TABLE}")
            cur.execute(f"INSERT INTO {TABLE} (path, status, gender, birth_year, n) "
                        f"{_recount_select(conn.vendor)}")
        cur.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return int(cur.fetchone()[0])


@dataclass(frozen=True)
class Difference:
    path: str
    status: str
    gender: str
    birth_year: int
    kept: int  # what the table says
    actual: int  # what a recount says


def differences(connection: Any = None, *, limit: int | None = None) -> list[Difference]:
    """Keys where the maintained count differs from a recount, by key. One snapshot: a single
    statement on SQLite; on PostgreSQL a REPEATABLE READ transaction when this is the outermost
    one (a concurrent writer's transaction is seen whole or not at all)."""
    conn = connection or default_connection
    pg = conn.vendor == "postgresql"
    actual = "members_tally_recount" if pg else f"({_recount_select(conn.vendor)})"
    sql = (
        f"SELECT path, status, gender, birth_year, SUM(kept), SUM(actual) FROM ("
        f"SELECT path, status, gender, birth_year, n AS kept, 0 AS actual FROM {TABLE} "
        f"UNION ALL SELECT path, status, gender, birth_year, 0, n FROM {actual} AS a) AS x "
        f"GROUP BY 1, 2, 3, 4 HAVING SUM(kept) <> SUM(actual) ORDER BY 1, 2, 3, 4"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    outermost = not conn.in_atomic_block
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if pg:
            if outermost:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            _big_query_settings(cur)
            cur.execute("CREATE TEMP TABLE members_tally_recount (path varchar(255), "
                        "status varchar(20), gender varchar(3), birth_year smallint, n int) "
                        "ON COMMIT DROP")
            _pg_recount_into(cur, "members_tally_recount")
        cur.execute(sql)
        rows = cur.fetchall()
        if pg:
            cur.execute("DROP TABLE members_tally_recount")
        return [Difference(p, s, g, int(y), int(k), int(a)) for p, s, g, y, k, a in rows]


# -- reads -------------------------------------------------------------------------------------


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def totals(paths: Iterable[str], *, status: str | None) -> dict[str, int]:
    """Members per subtree path (of `status`, or every status when None); 0 for none."""
    from .models import MemberTally

    wanted = sorted(set(paths))
    out = dict.fromkeys(wanted, 0)
    for chunk in _chunks(wanted):
        qs = MemberTally.objects.filter(path__in=chunk)
        if status is not None:
            qs = qs.filter(status=status)
        for path, n in qs.values_list("path").annotate(s=Sum("n")).values_list("path", "s"):
            out[path] = int(n or 0)
    return out


def breakdown(paths: Iterable[str], *, status: str | None,
              by: Sequence[str]) -> dict[str, dict[tuple[Any, ...], int]]:
    """Members per subtree path and per value of the dimensions `by` (of DIMENSIONS)."""
    from .models import MemberTally

    bad = [d for d in by if d not in DIMENSIONS]
    if bad:
        raise ValueError(f"unknown dimension(s): {bad}")
    wanted = sorted(set(paths))
    out: dict[str, dict[tuple[Any, ...], int]] = {p: {} for p in wanted}
    for chunk in _chunks(wanted):
        qs = MemberTally.objects.filter(path__in=chunk)
        if status is not None:
            qs = qs.filter(status=status)
        rows = qs.values_list("path", *by).annotate(s=Sum("n")).values_list("path", *by, "s")
        for row in rows:
            if row[-1]:
                out[row[0]][tuple(row[1:-1])] = int(row[-1])
    return out
