# The inbox reads the open clocks by due date with their item off this partial index (issue 9).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clocks', '0008_calendar_recompute_progress'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='clock',
            index=models.Index(condition=models.Q(('met_on__isnull', True)), fields=['due', 'case'], name='clock_open_by_due'),
        ),
    ]
