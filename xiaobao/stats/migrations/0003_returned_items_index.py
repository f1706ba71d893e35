"""The items ever returned, read off an index (xiaobao.stats.queries._ever_held_by): a unit's figures test the
holder only for the items it holds now, registered, or that were returned, and the last list was read from
the returns' rows in the timeline one by one. A partial index holds only the return events' item ids.
Plain SQL on a table of xiaobao.cases, as 0002."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("stats", "0002_monthly_report_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS stats_event_returned_case ON cases_event (case_id) WHERE action = 'return'",
            reverse_sql="DROP INDEX IF EXISTS stats_event_returned_case",
        ),
    ]
