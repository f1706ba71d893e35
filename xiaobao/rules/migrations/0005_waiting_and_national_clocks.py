"""The shipped rule sets gain the clocks of issue 17, point 6: 消保股's routing (rules 二.1), an approval
(rules 二.1(2), 二.2) and the national acceptance period from the bureau's receipt (SAMR-2019 第十四条,
SAMR-2026 第十五条), each with its basis. Only these clocks are written, so that other changes to the shipped
rule sets keep their own migrations; an administrator's own value for one of them is kept."""

from django.db import migrations

CLOCKS = ("routing", "approval", "national_acceptance")


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
    dependencies = [("rules", "0004_merge_0003_approvals_notices_0003_pause_stops")]
    operations = [migrations.RunPython(forwards, backwards)]
