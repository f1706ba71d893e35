"""Migrations a running province can take without stopping (issue 24, point 4; docs/operations.md).

The big tables (BIG_TABLES) hold millions of rows; on them a migration must neither lock the table for a build
(an index without CONCURRENTLY) nor rewrite or fill it in one statement. scripts/check_migrations.py refuses a new
migration that does (tests/deploy/test_migrations_online.py runs it in CI). What it accepts instead:

* indexes: django.contrib.postgres.operations.AddIndexConcurrently (a migration with `atomic = False`);
* new columns: nullable, filled afterwards in batches;
* fills: RunPython with a function marked @batched, in a migration with `atomic = False`, that changes the rows a
  slice at a time, each slice its own short transaction — `update_in_batches` below does it by id ranges.

A migration whose lock has been weighed and accepted (a tiny table under a big name, a maintenance window) says
so in `online_review = "why"`; the check lets it through and prints the reason."""

from __future__ import annotations

from django.db import transaction

# db_table → (app_label, model_name) of the tables that grow with the items (millions at a province).
BIG_TABLES = {
    "cases_case": ("cases", "case"),
    "cases_event": ("cases", "event"),
    "cases_party": ("cases", "party"),
    "cases_case_text": None,  # the search table (cases/search.py), raw SQL only
    "clocks_clock": ("clocks", "clock"),
    "clocks_clockrun": ("clocks", "clockrun"),
    "records_auditentry": ("records", "auditentry"),
}
BIG_MODELS = {pair for pair in BIG_TABLES.values() if pair}


def batched(fn):
    """Marks a RunPython function as one that changes a big table a slice at a time (scripts/check_migrations)."""
    fn.online_batched = True
    return fn


def update_in_batches(schema_editor, table: str, set_sql: str, where_sql: str = "TRUE", params=(),
                      size: int = 10_000) -> int:
    """UPDATE `table` SET `set_sql` WHERE `where_sql`, by id ranges of `size`, each in its own transaction, so
    that no row lock is held long and readers and writers go on. Returns the rows changed. The migration that
    calls it must be `atomic = False`. `set_sql` and `where_sql` are SQL written in the migration (never input)."""
    conn = schema_editor.connection
    qn = conn.ops.quote_name
    with conn.cursor() as cur:
        cur.execute(f"SELECT min(id), max(id) FROM {qn(table)}")  # noqa: S608 (names from the migration)
        low, top = cur.fetchone()
    changed = 0
    if low is None:
        return 0
    start = low
    while start <= top:
        with transaction.atomic(using=conn.alias), conn.cursor() as cur:
            cur.execute(f"UPDATE {qn(table)} SET {set_sql} WHERE ({where_sql}) AND id >= %s AND id < %s",  # noqa: S608
                        [*params, start, start + size])
            changed += cur.rowcount
        start += size
    return changed
