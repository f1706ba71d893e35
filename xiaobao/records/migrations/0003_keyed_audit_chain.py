# Issue 16, point 9: rows already written keep their plain SHA-256 hashes (scheme 1) and verify as before; rows
# from now on are sealed with HMAC-SHA256 under the audit key (scheme 2). The first keyed row's MAC covers the
# last plain row's hash, so the plain rows before it cannot be rewritten unseen either.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
    ]
