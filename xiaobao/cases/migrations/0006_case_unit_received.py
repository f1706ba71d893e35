"""A handler's list (their unit, newest first) and inbox sections (their unit in one state, oldest first)
read off an index instead of sorting the unit's items (issue 9). (unit, state) is a prefix of the new
(unit, state, received_at, id) and goes."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0005_case_unit_state_kind_received"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["unit", "received_at", "id"], name="case_unit_received"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["unit", "state", "received_at", "id"], name="case_unit_state_received"),
        ),
        migrations.RemoveIndex(model_name="case", name="case_unit_state"),
    ]
