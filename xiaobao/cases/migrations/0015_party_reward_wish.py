# The reporter's reward wish on the party (举报奖励). On SQLite Django would rebuild cases_party to add a NOT NULL
# column, which the search triggers on cases_case (0007, 0010) refer to and which breaks the rebuild; there the
# columns are added in place with ALTER TABLE … ADD COLUMN … DEFAULT, elsewhere by the schema editor.

from django.db import migrations, models

FIELDS = [
    ("reward_code", models.CharField(blank=True, max_length=40, verbose_name="奖励身份代码")),
    ("reward_password", models.CharField(blank=True, max_length=128, verbose_name="奖励密码（哈希）")),
    ("wants_reward", models.BooleanField(default=False, verbose_name="要求举报奖励")),
]

SQLITE = {
    "reward_code": "varchar(40) NOT NULL DEFAULT ''",
    "reward_password": "varchar(128) NOT NULL DEFAULT ''",
    "wants_reward": "bool NOT NULL DEFAULT 0",
}


def _field(Party, name):
    # The historical model of this migration's database step does not have the fields yet.
    field = dict(FIELDS)[name].clone()
    field.set_attributes_from_name(name)
    field.model = Party
    return field


def add_columns(apps, schema_editor):
    Party = apps.get_model("cases", "Party")
    for name, _ in FIELDS:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"ALTER TABLE cases_party ADD COLUMN {name} {SQLITE[name]}")
        else:
            schema_editor.add_field(Party, _field(Party, name))


def drop_columns(apps, schema_editor):
    Party = apps.get_model("cases", "Party")
    for name, _ in FIELDS:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"ALTER TABLE cases_party DROP COLUMN {name}")
        else:
            schema_editor.remove_field(Party, _field(Party, name))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0014_combined_choices"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddField(model_name="party", name=name, field=field) for name, field in FIELDS],
            database_operations=[migrations.RunPython(add_columns, drop_columns)],
        ),
    ]
