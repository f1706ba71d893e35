"""Indexes behind 一人多次 / 一事多人 (xiaobao.intake.selectors): items by receipt time, parties by ID number and
credit code. The tables belong to xiaobao.cases; plain SQL keeps the model state there untouched."""

from django.db import migrations

INDEXES = [
    ("intake_case_received", "cases_case", "received_at"),
    ("intake_party_id_number", "cases_party", "id_number"),
    ("intake_party_credit_code", "cases_party", "credit_code"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0001_initial"),
        ("cases", "0002_initial"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})",
                          reverse_sql=f"DROP INDEX IF EXISTS {name}")
        for name, table, column in INDEXES
    ]
