"""Issue 24, point 3: on PostgreSQL the timeline is partitioned by year of `at` (xiaobao.lib.partitions). An
empty table (a fresh install, a test database) is converted here; a populated one is left as it is, because
rewriting it under a lock would stop a province: `manage.py partition_history` converts it online, and this
migration says so. SQLite: nothing."""

from django.db import migrations

TABLE = "cases_event"


def partition(apps, schema_editor):
    from xiaobao.lib import partitions

    if schema_editor.connection.vendor != "postgresql" or partitions.is_partitioned(TABLE):
        return
    if not partitions.convert_if_empty(TABLE):
        print(f"\n  {TABLE} has rows: it stays unpartitioned until `manage.py partition_history` converts it "
              "online (docs/operations.md, section 7).")


def unpartition(apps, schema_editor):
    from xiaobao.lib import partitions

    if schema_editor.connection.vendor == "postgresql":
        partitions.unpartition(TABLE)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0019_alter_case_outcome_alter_case_state"),
        # The statistics indexes on the timeline exist first, so the partitioned table gets them too.
        ("stats", "0005_received_covering_index"),
    ]

    # Converts only an empty table (a fresh install); a populated one is left for the online command.
    online_review = "converts the table only while it is empty; a populated one: manage.py partition_history"

    operations = [migrations.RunPython(partition, unpartition)]
