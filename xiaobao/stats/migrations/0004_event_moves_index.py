"""Each item's moves between units in time order, with what the holder is read from, on PostgreSQL
(xiaobao.stats.queries._holder): "the unit holding the item at a moment" is the latest move before it, looked up
once per item counted. PostgreSQL read all of the item's events by `case_id` and sorted them (~12 µs a lookup,
more once an item's events lie on many pages); off this index it reads the last one or two entries and nothing
else (a unit's 12-month trend at 1M 271 → 175 ms). The query names the four actions as a plain IN so the
planner can match the index's condition. SQLite has no INCLUDE and reads `stats_event_case_at` in order
already. Plain SQL on a table of xiaobao.cases, as 0002."""

from django.db import migrations

MOVES = "('assign', 'approve', 'submit_for_triage', 'return')"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS stats_event_moves ON cases_event (case_id, at, id) "
            f"INCLUDE (action, to_state, data) WHERE action IN {MOVES}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS stats_event_moves")


class Migration(migrations.Migration):

    dependencies = [
        ("stats", "0003_returned_items_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
