"""The inbox's "待回复当事人" (xiaobao/cases/selectors.py inbox_sections) starts from the open reply clocks:
a partial index of the open clocks by name finds them without reading every open clock (issue 9). Raw SQL
on the clocks table, like intake's indexes on cases_case: the query that needs it lives here."""

from django.db import migrations

INDEX = "cases_inbox_open_clock_name"


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_search_bigrams"), ("clocks", "0006_due_soon_reminder")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON clocks_clock (name, case_id) WHERE met_on IS NULL",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
