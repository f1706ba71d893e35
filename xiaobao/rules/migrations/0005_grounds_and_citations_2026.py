"""The shipped rule sets' termination grounds and citations corrected (issue 17, point 7); nothing else in them
is changed, so that other changes to the shipped rule sets keep their own migrations.

- The SAMR-2026 termination grounds in the order and with the item numbers of the 2026 text (第二十三条 (一)–(八)).
- The clocks of the rule sets under the 2026 rules cite the 2026 articles, not the repealed 2019 ones: only the
  basis of each shipped clock is written, never its length, unit or anything else an administrator set.
- Under the bureau's 2020 rule set the time-limit ground is its own 60 days (rules 二.2, 二.4), not the national
  45 working days that have not passed on the 60th day.
- The rule sets' own basis names the 2026 order by its number (总局令第121号)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from xiaobao.rules.data.rulesets import RULE_SETS

    RuleSet = apps.get_model("rules", "RuleSet")
    for shipped in RULE_SETS:
        for rs in RuleSet.objects.filter(code=shipped["code"]):
            data = dict(rs.data)
            data["grounds"] = {**data.get("grounds", {}),
                               "mediation_terminated": shipped["data"]["grounds"]["mediation_terminated"]}
            basis = {c["name"]: c["basis"] for c in shipped["data"]["clocks"]}
            data["clocks"] = [{**c, "basis": basis[c["name"]]} if c.get("name") in basis else c
                              for c in data.get("clocks", [])]
            if "cap" in data and "cap" in shipped["data"]:
                data["cap"] = {**data["cap"], "basis": shipped["data"]["cap"]["basis"]}
            rs.data = data
            rs.basis = shipped["basis"]
            rs.save(update_fields=["data", "basis"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0004_merge_0003_approvals_notices_0003_pause_stops")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
