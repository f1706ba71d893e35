"""The history tables partitioned by year on PostgreSQL (issue 24, point 3; docs/operations.md, section 7).

The timeline (cases_event) and the audit trail (records_auditentry) are the biggest tables and only ever grow.
On PostgreSQL each is partitioned by RANGE on `at`, one partition a year in Beijing time (`<table>_y2026`), and a
DEFAULT partition (`<table>_default`) so that a row of a year without its partition still goes in. PostgreSQL
wants the partition key in the primary key: the physical key is (id, at); Django keeps `id` as the pk, and ids
still come from the table's identity, unique and increasing (the audit chain is ordered by them). SQLite keeps
one plain table: nothing here runs there.

This module does the SQL by table name and knows nothing of items or audit rows: making a year's partition
(moving its rows out of DEFAULT first), converting a populated table online (a partitioned twin filled in
batches, the writes made meanwhile replayed from a change log, and a short swap), detaching a year's partition
and attaching a table as one. xiaobao.cases.history decides when, and writes the archive."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from xiaobao.lib import timeutil

HISTORY_TABLES = ("cases_event", "records_auditentry")
# A populated table converted gets a partition for each year with rows from this many years back; rows older
# than that (and far-future ones) stay in DEFAULT.
YEARS_BACK = 20
LOCK_TIMEOUT = "5s"  # the swap, a detach and an attach give up rather than queue every writer behind them

Report = Callable[[str], None]


class PartitionError(Exception):
    pass


def supported() -> bool:
    return connection.vendor == "postgresql"


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _bound_sql(year: int) -> str:
    low, high = year_bounds(year)
    return f"FROM ('{low.isoformat()}') TO ('{high.isoformat()}')"


def partition_name(table: str, year: int) -> str:
    return f"{table}_y{year}"


def default_name(table: str) -> str:
    return f"{table}_default"


def current_year() -> int:
    return timeutil.now().astimezone(ZoneInfo(settings.TIME_ZONE)).year


def _one(sql: str, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def _all(sql: str, params=()) -> list:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _run(*statements: str) -> None:
    with connection.cursor() as cur:
        for statement in statements:
            cur.execute(statement)


def exists(table: str) -> bool:
    return _one("SELECT to_regclass(%s) IS NOT NULL", [table])[0]


def is_partitioned(table: str) -> bool:
    return _one("SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s))", [table])[0]


def is_attached(table: str) -> bool:
    return _one("SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(%s))", [table])[0]


def year_partitions(table: str) -> dict[int, str]:
    """The year partitions attached to `table`, by year."""
    rows = _all("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = to_regclass(%s)", [table])
    pattern = re.compile(rf"^{re.escape(table)}_y(\d{{4}})$")
    return {int(m[1]): name for (name,) in rows if (m := pattern.match(name))}


def rows_in_default(table: str) -> dict[int, int]:
    """Rows in the DEFAULT partition by year (Beijing time)."""
    if not exists(default_name(table)):
        return {}
    rows = _all(f"SELECT extract(year FROM at AT TIME ZONE %s)::int, count(*) FROM {qn(default_name(table))} "  # noqa: S608
                "GROUP BY 1 ORDER BY 1", [settings.TIME_ZONE])
    return dict(rows)


def ensure_year(table: str, year: int) -> bool:
    """Make `year`'s partition of `table` if it has none (True when made). Rows of that year already in DEFAULT
    move into it in the same transaction (PostgreSQL refuses a new partition while DEFAULT holds rows of its
    range); DEFAULT is locked meanwhile, which is brief while it holds few rows."""
    if year in year_partitions(table):
        return False
    name, default = partition_name(table, year), default_name(table)
    if exists(name):
        raise PartitionError(f"{name} exists but is not attached to {table} (a detached year: attach it first).")
    low, high = year_bounds(year)
    with transaction.atomic():
        _run(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        strays = _one(f"SELECT EXISTS (SELECT 1 FROM {qn(default)} WHERE at >= %s AND at < %s)",  # noqa: S608
                      [low, high])[0]
        if not strays:
            _run(f"CREATE TABLE {qn(name)} PARTITION OF {qn(table)} FOR VALUES {_bound_sql(year)}")
            return True
        _run(f"CREATE TABLE {qn(name)} (LIKE {qn(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        _move_from_default_and_attach(table, name, year)
    return True


def _move_from_default_and_attach(table: str, name: str, year: int) -> None:
    """In the caller's transaction: move `year`'s rows out of `table`'s DEFAULT partition into the plain table
    `name`, then attach `name` as the year's partition (PostgreSQL refuses it while DEFAULT holds rows of its range)."""
    low, high = year_bounds(year)
    with connection.cursor() as cur:
        cur.execute(f"WITH moved AS (DELETE FROM {qn(default_name(table))} WHERE at >= %s AND at < %s "  # noqa: S608
                    f"RETURNING *) INSERT INTO {qn(name)} SELECT * FROM moved", [low, high])
    _run(f"ALTER TABLE {qn(table)} ATTACH PARTITION {qn(name)} FOR VALUES {_bound_sql(year)}")


def ensure_years(years, tables=HISTORY_TABLES) -> list[str]:
    """`ensure_year` for each partitioned table and year; the names of the partitions made."""
    made = []
    for table in tables:
        if not is_partitioned(table):
            continue
        for year in sorted(set(years)):
            if ensure_year(table, year):
                made.append(partition_name(table, year))
    return made


def ensure_coming(tables=HISTORY_TABLES) -> list[str]:
    """This year's and next year's partitions (the daily job: the new year's exist long before its first row)."""
    year = current_year()
    return ensure_years([year, year + 1], tables)


def detach(table: str, year: int) -> str:
    """Detach `year`'s partition: it stays as a plain table of the same name, no longer read through `table`.
    The caller's transaction, if any, holds the parent's lock until it commits."""
    name = partition_name(table, year)
    if year not in year_partitions(table):
        raise PartitionError(f"{table} has no partition for {year}.")
    with transaction.atomic():
        _run(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'", f"ALTER TABLE {qn(table)} DETACH PARTITION {qn(name)}")
    return name


def create_standalone(table: str, year: int) -> str:
    """An empty table shaped like `table`, to restore a year into before `attach` (no index yet: the rows load
    faster, and attaching builds the partition's indexes)."""
    name = partition_name(table, year)
    _run(f"CREATE TABLE {qn(name)} (LIKE {qn(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    return name


def attach(table: str, year: int) -> str:
    """Attach the plain table `<table>_y<year>` as the year's partition (rows of that year found in DEFAULT meanwhile
    move into it first). Attaching checks each row's `at` against the range and builds the partition's indexes."""
    name = partition_name(table, year)
    if not exists(name):
        raise PartitionError(f"{name} does not exist.")
    if is_attached(name):
        return name
    with transaction.atomic():
        _run(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        _move_from_default_and_attach(table, name, year)
    return name


def drop(name: str) -> None:
    if is_attached(name):
        raise PartitionError(f"{name} is still attached.")
    _run(f"DROP TABLE {qn(name)}")


def columns(table: str) -> list[str]:
    return [r[0] for r in _all("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
                                "AND NOT attisdropped ORDER BY attnum", [table])]


# --- Converting a table into a partitioned one ---------------------------------------------------------------

_INDEX_DEF = re.compile(r"^CREATE (UNIQUE )?INDEX (\S+) ON (?:ONLY )?(\S+) (.*)$", re.DOTALL)


def _twin(table: str) -> str:
    return f"{table}__p"


def _log(table: str) -> str:
    return f"{table}__changes"


def _indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of every index of `table` but the primary key's."""
    return _all("SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = to_regclass(%s) AND NOT i.indisprimary ORDER BY c.relname", [table])


def _foreign_keys(table: str) -> list[tuple[str, str]]:
    return _all("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(%s) "
                "AND contype = 'f' ORDER BY conname", [table])


def _years_with_rows(table: str) -> set[int]:
    now = current_year()
    rows = _all(f"SELECT DISTINCT extract(year FROM at AT TIME ZONE %s)::int FROM {qn(table)}",  # noqa: S608
                [settings.TIME_ZONE])
    return {y for (y,) in rows if now - YEARS_BACK <= y <= now + 1}


def _create_twin(table: str, years: set[int], *, partitioned: bool = True) -> None:
    """The partitioned table beside `table`: the same columns, identity, defaults, checks, foreign keys and
    indexes (every index of the old table, named `<name>__p` until the swap), the primary key (id, at), a
    partition for each year and DEFAULT. Not `partitioned`: a plain table with the primary key (id)."""
    twin = _twin(table)
    statements = [
        f"CREATE TABLE {qn(twin)} (LIKE {qn(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY "
        f"INCLUDING STORAGE INCLUDING COMMENTS)" + (" PARTITION BY RANGE (at)" if partitioned else ""),
        f"ALTER TABLE {qn(twin)} ADD CONSTRAINT {qn(twin + '_pkey')} PRIMARY KEY {'(id, at)' if partitioned else '(id)'}",
    ]
    for name, definition in _foreign_keys(table):
        statements.append(f"ALTER TABLE {qn(twin)} ADD CONSTRAINT {qn(name + '__p')} {definition}")
    for name, definition in _indexes(table):
        m = _INDEX_DEF.match(definition)
        if m is None:
            raise PartitionError(f"cannot read the definition of index {name}: {definition}")
        statements.append(f"CREATE {m[1] or ''}INDEX {qn(name + '__p')} ON {qn(twin)} {m[4]}")
    for year in sorted(years) if partitioned else ():
        statements.append(f"CREATE TABLE {qn(partition_name(table, year))} PARTITION OF {qn(twin)} "
                          f"FOR VALUES {_bound_sql(year)}")
    if partitioned:
        statements.append(f"CREATE TABLE {qn(default_name(table))} PARTITION OF {qn(twin)} DEFAULT")
    _run(*statements)


def _swap(table: str) -> None:
    """In the caller's transaction, with `table` locked and every row copied: the twin takes the table's name, its
    identity goes on where the old one stopped, and the old table goes."""
    twin = _twin(table)
    old_seq = _one("SELECT pg_get_serial_sequence(%s, 'id')", [table])[0]
    new_seq = _one("SELECT pg_get_serial_sequence(%s, 'id')", [twin])[0]
    last_value, is_called = _one(f"SELECT last_value, is_called FROM {old_seq}")  # noqa: S608 (from the catalog)
    _one("SELECT setval(%s, %s, %s)", [new_seq, last_value, is_called])
    indexes = [name for name, _ in _indexes(table)]
    keys = [name for name, _ in _foreign_keys(table)]
    _run(f"DROP TABLE {qn(table)}",
         f"DROP TABLE IF EXISTS {qn(_log(table))}",
         f"DROP FUNCTION IF EXISTS {qn(_log(table))}()",
         f"ALTER TABLE {qn(twin)} RENAME TO {qn(table)}",
         f"ALTER TABLE {qn(table)} RENAME CONSTRAINT {qn(twin + '_pkey')} TO {qn(table + '_pkey')}",
         *(f"ALTER TABLE {qn(table)} RENAME CONSTRAINT {qn(k + '__p')} TO {qn(k)}" for k in keys),
         *(f"ALTER INDEX {qn(i + '__p')} RENAME TO {qn(i)}" for i in indexes))
    seq_name = new_seq.split(".")[-1].strip('"')
    if seq_name != f"{table}_id_seq":
        _run(f"ALTER SEQUENCE {new_seq} RENAME TO {qn(table + '_id_seq')}")


def _replay(table: str, limit: int | None) -> int:
    """Copy again the rows the change log names (inserted, changed or deleted since the copy began): each is
    deleted from the twin and copied afresh from the old table. One transaction; returns the ids replayed."""
    twin, log = qn(_twin(table)), qn(_log(table))
    cap = f"LIMIT {int(limit)}" if limit else ""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"DELETE FROM {log} WHERE ctid IN (SELECT ctid FROM {log} {cap}) RETURNING id")  # noqa: S608
        ids = sorted({r[0] for r in cur.fetchall()})
        if ids:
            cur.execute(f"DELETE FROM {twin} WHERE id = ANY(%s)", [ids])  # noqa: S608
            cur.execute(f"INSERT INTO {twin} SELECT * FROM {qn(table)} WHERE id = ANY(%s)", [ids])  # noqa: S608
    return len(ids)


def convert_if_empty(table: str) -> bool:
    """The migration's part: make `table` partitioned when it has no row (a fresh install). False when it has
    rows (`manage.py partition_history` converts it online) or already is."""
    if not supported() or is_partitioned(table):
        return False
    if _one(f"SELECT EXISTS (SELECT 1 FROM {qn(table)})")[0]:  # noqa: S608 (names from the migration)
        return False
    year = current_year()
    with transaction.atomic():
        _create_twin(table, {year, year + 1})
        _swap(table)
    return True


def unpartition(table: str) -> int:
    """Back to one plain table, in one transaction holding the table's lock throughout: for an empty or small
    table only (the migration's reverse, tests that need a table to convert; a detached year is not brought
    back). Returns the rows copied."""
    if not is_partitioned(table):
        return 0
    with transaction.atomic():
        _run(f"LOCK TABLE {qn(table)} IN ACCESS EXCLUSIVE MODE")
        _create_twin(table, set(), partitioned=False)
        with connection.cursor() as cur:
            cur.execute(f"INSERT INTO {qn(_twin(table))} SELECT * FROM {qn(table)}")  # noqa: S608
            rows = cur.rowcount
        _swap(table)
    return rows


def convert(table: str, *, batch: int = 10_000, report: Report = lambda line: None) -> dict:
    """Convert a populated `table` into a partitioned one while the system runs. Readers and writers go on
    against the old table throughout but for the swap, one short transaction holding its lock:

    1. the twin (`_create_twin`), with a partition for each year that has rows;
    2. a trigger logs the id of every row inserted, changed or deleted in the old table from now on;
    3. the rows up to the highest id at that moment are copied in batches of `batch` by id, a transaction each;
    4. the logged ids are replayed (`_replay`) until few are left;
    5. the swap: the old table locked (giving up after LOCK_TIMEOUT: run the command again), the last logged ids
       replayed, both tables counted, the twin renamed in and the old table dropped.

    A run that stops before the swap leaves the twin and the log; the next run drops them and starts again.
    Returns {"rows", "seconds", "rows_per_second", "swap_seconds" (the lock held), "partitions"}."""
    if is_partitioned(table):
        return {"rows": 0, "already": True}
    twin, log = _twin(table), _log(table)
    started = time.monotonic()
    with transaction.atomic():
        _run(f"DROP TABLE IF EXISTS {qn(twin)}", f"DROP TRIGGER IF EXISTS {qn(log)} ON {qn(table)}",
             f"DROP TABLE IF EXISTS {qn(log)}", f"DROP FUNCTION IF EXISTS {qn(log)}()")
    for name in [default_name(table), *(partition_name(table, y) for y in range(1990, current_year() + 3))]:
        if exists(name):
            raise PartitionError(f"{name} exists already: drop it (a partition of an unfinished conversion?).")
    years = _years_with_rows(table) | {current_year(), current_year() + 1}
    report(f"{table}：建立分区表（{min(years)}–{max(years)} 年各一个分区，另有默认分区）……")
    with transaction.atomic():
        _create_twin(table, years)
    with transaction.atomic():
        _run(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'",
             f"CREATE TABLE {qn(log)} (id bigint NOT NULL)",
             f"CREATE FUNCTION {qn(log)}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "  # noqa: S608
             f"IF TG_OP <> 'INSERT' THEN INSERT INTO {qn(log)} VALUES (OLD.id); END IF; "
             f"IF TG_OP <> 'DELETE' THEN INSERT INTO {qn(log)} VALUES (NEW.id); END IF; "
             f"RETURN NULL; END $$",
             f"CREATE TRIGGER {qn(log)} AFTER INSERT OR UPDATE OR DELETE ON {qn(table)} "
             f"FOR EACH ROW EXECUTE FUNCTION {qn(log)}()")
    top = _one(f"SELECT max(id) FROM {qn(table)}")[0] or 0  # noqa: S608
    total = _one(f"SELECT count(*) FROM {qn(table)} WHERE id <= %s", [top])[0]  # noqa: S608
    copied, last = 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"WITH c AS (INSERT INTO {qn(twin)} SELECT * FROM {qn(table)} WHERE id > %s AND id <= %s "  # noqa: S608
                        f"ORDER BY id LIMIT %s RETURNING id) SELECT max(id), count(*) FROM c", [last, top, batch])
            high, n = cur.fetchone()
        if not n:
            break
        copied += n
        last = high
        report(f"{table}：已复制 {copied}/{total} 行（{copied / max(time.monotonic() - started, 0.001):.0f} 行/秒）")
    while _replay(table, batch) >= batch:
        pass
    locked = time.monotonic()
    with transaction.atomic():
        _run(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'", f"LOCK TABLE {qn(table)} IN ACCESS EXCLUSIVE MODE")
        _replay(table, None)
        old_rows = _one(f"SELECT count(*) FROM {qn(table)}")[0]  # noqa: S608
        new_rows = _one(f"SELECT count(*) FROM {qn(twin)}")[0]  # noqa: S608
        if old_rows != new_rows:
            raise PartitionError(f"{table}: {old_rows} rows, the partitioned copy {new_rows}; nothing was swapped.")
        _swap(table)
    swap = time.monotonic() - locked
    _run(f"ANALYZE {qn(table)}")
    seconds = time.monotonic() - started
    return {"rows": new_rows, "seconds": round(seconds, 1), "rows_per_second": round(new_rows / max(seconds, 0.001)),
            "swap_seconds": round(swap, 2), "partitions": sorted(years)}
