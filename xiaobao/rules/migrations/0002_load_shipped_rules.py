from django.db import migrations


def forwards(apps, schema_editor):
    from xiaobao.rules.data.categories import CATEGORIES
    from xiaobao.rules.data.rulesets import RULE_SETS
    from xiaobao.rules.loading import load_categories, load_rule_sets

    load_rule_sets(apps.get_model("rules", "RuleSet"), RULE_SETS)
    load_categories(apps.get_model("rules", "Category"), CATEGORIES)


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
