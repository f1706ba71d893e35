"""The shipped rule sets gain the approving role of each approval (and the filing approval, 《市场监督管理行政处罚
程序规定》第十八条) and the clocks of the notices to named people (rules 二.2, 二.4). Only these parts of the
data are written, so that other changes to the shipped rule sets keep their own migrations."""

from django.db import migrations

NOTICE_CLOCKS = ("not_filed_notice", "filed_notice", "not_accepted_notice", "tier_notice", "termination_notice")


def forwards(apps, schema_editor):
    from xiaobao.rules.data.rulesets import RULE_SETS

    RuleSet = apps.get_model("rules", "RuleSet")
    for shipped in RULE_SETS:
        rule_set = RuleSet.objects.filter(code=shipped["code"]).first()
        if rule_set is None:
            continue
        data = dict(rule_set.data)
        data["approval"] = shipped["data"]["approval"]
        wanted = {c["name"]: c for c in shipped["data"]["clocks"] if c["name"] in NOTICE_CLOCKS}
        clocks = [wanted.pop(c["name"], c) for c in data.get("clocks", [])]
        data["clocks"] = clocks + list(wanted.values())
        rule_set.data = data
        rule_set.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_load_shipped_rules")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
