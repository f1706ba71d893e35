"""Which clocks each pause reason stops, and the mediation cap's termination ground, as rule-set data with
their basis (issue 17, points 1 and 2): added to the shipped rule sets, nothing else in them changed."""

from django.db import migrations

KEYS = ("pauses", "cap")


def forwards(apps, schema_editor):
    from xiaobao.rules.data.rulesets import RULE_SETS

    RuleSet = apps.get_model("rules", "RuleSet")
    for shipped in RULE_SETS:
        for rs in RuleSet.objects.filter(code=shipped["code"]):
            rs.data = {**rs.data, **{k: shipped["data"][k] for k in KEYS}}
            rs.save(update_fields=["data"])


def backwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rs in RuleSet.objects.all():
        rs.data = {k: v for k, v in rs.data.items() if k not in KEYS}
        rs.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_load_shipped_rules")]
    operations = [migrations.RunPython(forwards, backwards)]
