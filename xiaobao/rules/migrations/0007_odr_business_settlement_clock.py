"""The shipped rule sets gain the ODR business's settlement clock (DOMAIN.md "Settling first": 10 working days,
《全国12315互联网平台在线消费纠纷解决企业管理暂行办法》), with its basis. Only this clock is written; an
administrator's own value for it is kept."""

from django.db import migrations

CLOCKS = ("business_settlement",)


def forwards(apps, schema_editor):
    from xiaobao.rules.data.rulesets import RULE_SETS

    RuleSet = apps.get_model("rules", "RuleSet")
    for shipped in RULE_SETS:
        for rule_set in RuleSet.objects.filter(code=shipped["code"]):
            clocks = list(rule_set.data.get("clocks", []))
            present = {c["name"] for c in clocks}
            clocks += [c for c in shipped["data"]["clocks"] if c["name"] in CLOCKS and c["name"] not in present]
            rule_set.data = {**rule_set.data, "clocks": clocks}
            rule_set.save(update_fields=["data"])


def backwards(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rule_set in RuleSet.objects.all():
        clocks = [c for c in rule_set.data.get("clocks", []) if c["name"] not in CLOCKS]
        rule_set.data = {**rule_set.data, "clocks": clocks}
        rule_set.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0006_merge_grounds_waiting_clocks")]
    operations = [migrations.RunPython(forwards, backwards)]
