"""送达地址确认 (SAMR-2026): a party's consent to electronic delivery and the electronic addresses confirmed.

On SQLite a text column with a default is added by ALTER TABLE ADD COLUMN … DEFAULT '' instead of Django's
rebuild of the table: the search triggers on cases_case (0007, 0010) read cases_party and do not survive its
rebuild. The column is the same as Django's (NOT NULL, default '')."""

from django.db import migrations, models


class AddTextColumnInPlace(migrations.AddField):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        definition, params = schema_editor.column_sql(model, field, include_default=True)
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)} "
                              f"ADD COLUMN {schema_editor.quote_name(field.column)} {definition}", params)
        return None


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0014_combined_choices'),
    ]

    operations = [
        migrations.AddField(
            model_name='party',
            name='e_delivery_consent',
            field=models.BooleanField(blank=True, null=True, verbose_name='同意电子送达'),
        ),
        AddTextColumnInPlace(
            model_name='party',
            name='e_delivery_email',
            field=models.CharField(blank=True, db_default='', default='', max_length=254, verbose_name='电子送达电子邮箱'),
        ),
        AddTextColumnInPlace(
            model_name='party',
            name='e_delivery_phone',
            field=models.CharField(blank=True, db_default='', default='', max_length=40, verbose_name='电子送达手机号码'),
        ),
    ]
