"""Indexes behind the monthly report (xiaobao.stats.queries; docs/performance.md, "Statistics"): the month's
conclusions and returns found by time instead of a scan of the whole timeline, each item's latest move
before a moment by (item, time), and the items that can still be open at a month's end by conclusion time.
The tables belong to xiaobao.cases; plain SQL keeps the model state there untouched (as intake 0002 does)."""

from django.db import migrations

INDEXES = [
    ("stats_event_to_state_at", "cases_event", "to_state, at"),
    ("stats_event_action_at", "cases_event", "action, at"),
    ("stats_event_case_at", "cases_event", "case_id, at"),
    ("stats_case_concluded_received", "cases_case", "concluded_at, received_at"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("stats", "0001_initial"),
        ("cases", "0005_case_unit_state_kind_received"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
                          reverse_sql=f"DROP INDEX IF EXISTS {name}")
        for name, table, columns in INDEXES
    ]
