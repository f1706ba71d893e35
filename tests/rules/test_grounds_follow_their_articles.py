"""SAMR-2019 第十五条、第二十一条; SAMR-2026 第十六条、第二十三条: every ground list of every shipped rule set, as the
database holds it after the migrations, runs through the items of its article in order — (一), (二), … with no gap
and no item twice — so a ground's place in the list, in the form and its citation on a document agree. The bureau's
own 60 days (rules 二.2, 二.4) stand in the place of the national time limit, item (五)."""

from __future__ import annotations

import re

import pytest

from xiaobao.rules.data.rulesets import RULE_SETS
from xiaobao.rules.models import RuleSet

NUMERALS = "一二三四五六七八九十"
CITED = re.compile(r"^(SAMR-\d{4}) (第[一二三四五六七八九十]+条)第（([一二三四五六七八九十])）项$")
ARTICLES = {("SAMR-2019", "not_accepted"): "第十五条", ("SAMR-2019", "mediation_terminated"): "第二十一条",
            ("SAMR-2026", "not_accepted"): "第十六条", ("SAMR-2026", "mediation_terminated"): "第二十三条"}
NATIONAL = {"zengdu-2020": "SAMR-2019", "samr-2019": "SAMR-2019", "zengdu-2026": "SAMR-2026", "samr-2026": "SAMR-2026"}


@pytest.mark.parametrize("code", [r["code"] for r in RULE_SETS])
@pytest.mark.parametrize("outcome", ["not_accepted", "mediation_terminated"])
def test_every_ground_list_runs_through_the_items_of_its_article_in_order(db, code, outcome):
    grounds = RuleSet.objects.get(code=code).grounds(outcome)
    national = NATIONAL[code]
    items = []
    for g in grounds:
        cited = CITED.match(g["basis"])
        if cited is None:  # the bureau's own clause, in the place of the national time limit
            assert g["code"] == "time_limit" and g["basis"].startswith("规则 二.2、二.4") and code.startswith("zengdu")
            items.append("五")
            continue
        instrument, article, item = cited.groups()
        assert (instrument, article) == (national, ARTICLES[national, outcome]), g
        items.append(item)
    assert items == list(NUMERALS[:len(items)])
    assert len({g["code"] for g in grounds}) == len(grounds)
