"""Multi-row INSERT … RETURNING id without building model instances: the bulk import's writes.

Django's bulk_create prepares every value of every object through the field API and, on SQLite, sends at most
999 parameters per statement; at 100k rows that is most of the import's time. Here only the values that need
converting (dates, decimals, JSON) go through the field's get_db_prep_save, the fields a row does not give are
filled with their default once, and a statement carries as many rows as the database allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, models

# Values of these fields are passed to the driver as they are (str, int, bool, None).
PLAIN = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)


class Insert:
    def __init__(self, model: type[models.Model], given: Sequence[str], *, now: datetime):
        """`given`: the attnames each row supplies, in order; every other column gets its default."""
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        by_attname = {f.attname: f for f in fields}
        unknown = set(given) - set(by_attname)
        if unknown:
            raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
        self.table = model._meta.db_table
        self.pk = model._meta.pk.column
        self.columns = [by_attname[a].column for a in given]
        self.adapted = [(i, f) for i, a in enumerate(given) if (f := _adapter(by_attname[a])) is not None]
        self.width = len(given)
        self.constants: list[Any] = []
        for f in fields:
            if f.attname in given:
                continue
            value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            self.columns.append(f.column)
            self.constants.append(f.get_db_prep_save(value, connection))

    def row(self, values: Sequence[Any]) -> list[Any]:
        if len(values) != self.width:
            raise ValueError(f"{self.table}: {len(values)} values for {self.width} columns")
        out = [*values, *self.constants]
        for i, adapt in self.adapted:
            out[i] = adapt(out[i])
        return out

    def run(self, rows: Iterable[Sequence[Any]]) -> list[int]:
        """Insert the rows; their new ids, in order."""
        prepared = [self.row(r) for r in rows]
        if not prepared:
            return []
        qn = connection.ops.quote_name
        columns = ", ".join(qn(c) for c in self.columns)
        # SQLite: the driver's own cursor with its "?" placeholders (Django's wrapper rewrites every "%s" of a
        # 30,000-parameter statement with a regular expression); same connection, same transaction.
        sqlite = connection.vendor == "sqlite"
        mark = "?" if sqlite else "%s"
        one = "(" + ", ".join([mark] * len(self.columns)) + ")"
        ids: list[int] = []
        connection.ensure_connection()
        cursor = connection.connection.cursor() if sqlite else connection.cursor()
        try:
            if not connection.features.can_return_rows_from_bulk_insert:
                for r in prepared:  # an old SQLite: one statement per row
                    cursor.execute(f"INSERT INTO {qn(self.table)} ({columns}) VALUES {one}", r)  # noqa: S608
                    ids.append(cursor.lastrowid)
                return ids
            per = max(1, max_params() // len(self.columns))
            for start in range(0, len(prepared), per):
                chunk = prepared[start:start + per]
                sql = (f"INSERT INTO {qn(self.table)} ({columns}) VALUES {', '.join([one] * len(chunk))} "  # noqa: S608
                       f"RETURNING {qn(self.pk)}")  # names from the model, values as parameters
                cursor.execute(sql, [v for r in chunk for v in r])
                ids += [r[0] for r in cursor.fetchall()]
        finally:
            cursor.close()
        return ids


def _adapter(field: models.Field):
    """None for values passed as they are, else the conversion to the database's form."""
    if isinstance(field, PLAIN):
        return None
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        # Aware datetimes only (the import makes them aware): the field's naive-value warning is not needed.
        if connection.vendor == "sqlite" and settings.USE_TZ:
            tz = connection.timezone  # what ops.adapt_datetimefield_value does, without its checks per value
            return lambda v: None if v is None else str(v.astimezone(tz).replace(tzinfo=None))
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):  # a date, not a time (DateTimeField is handled above)
        # What DateField.get_db_prep_value does for a date (ops.adapt_datefield_value: str(value)), without the
        # field's lookups per value.
        return lambda v: None if v is None else v.isoformat()
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if isinstance(field, models.JSONField):
        return lambda v: None if v is None else ops.adapt_json_value(v, field.encoder)
    return lambda v: field.get_db_prep_save(v, connection)


def max_params() -> int:
    """Parameters one statement may carry: SQLite's compiled limit (32,766 since 3.32; Django assumes 999),
    PostgreSQL's 65,535."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    if connection.vendor == "postgresql":
        return 65_535
    return connection.features.max_query_params or 999


# SQLite's page cache for a bulk import's connection, in KiB (the default is 2 MiB): the batches' inserts reach
# every index of six tables, whose pages then stay in memory instead of being read again (about a tenth less
# time in SQLite for the 12345 import at 30k rows).
IMPORT_CACHE_KIB = 65_536


@contextmanager
def import_cache() -> Iterator[None]:
    """On SQLite, a larger page cache for this connection while a bulk import runs; restored after."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.execute("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {int(before)}")
