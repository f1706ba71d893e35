"""Rules 二.2, 二.4: under the bureau's 2020 rule set mediation ends within 60 days of acceptance ("在受理投诉人投诉
之日起60日内终结调解，调解不成的应当终止调解"), stricter than the national 45 working days of SAMR-2019 第二十一条第（五）项.
A complaint terminated when its 60 days have run out cites a ground that fits that day: the bureau's own clause,
not the national ground whose 45 working days have not yet passed (issue 17, point 7).

The cast: a complaint received and accepted by 南郊所 on Mon 2025-09-01, under the 2020 rule set. Its 60 days end
Fri 10-31; its 45 working days (国庆 and 中秋 in between, two make-up days) only on 11-07."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import time_machine
from django.apps import apps

from tests.conftest import complaint_body
from tests.documents import flows
from xiaobao.rules.data.rulesets import RULE_SETS
from xiaobao.rules.models import RuleSet

RULES_FILE = Path(__file__).resolve().parents[2] / "docs" / "zengdu-complaint-rules.txt"
ACCEPTED = "2025-09-01 10:00 +0800"
CAP = "2025-10-31"


@pytest.fixture
def travel(settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 200
    with time_machine.travel(ACCEPTED, tick=False) as t:
        yield t


@pytest.fixture
def case_id(api, travel) -> int:
    clerk = api("xiaobao")
    case = flows._ok(clerk.post("/api/v1/cases", complaint_body(received_at="2025-09-01T09:30:00+08:00")), 201)
    assert case["rule_set"] == "zengdu-2020"
    flows._ok(clerk.act(case["id"], "submit_for_triage"))
    flows._ok(clerk.act(case["id"], "assign", {"unit": "st-nanjiao"}))
    accepted = flows._ok(api("nanjiao").act(case["id"], "accept"))
    assert next(c for c in accepted["clocks"] if c["name"] == "mediation_cap")["due"] == CAP
    return case["id"]


def _time_limit(rule_set: str) -> dict:
    return RuleSet.objects.get(code=rule_set).ground("mediation_terminated", "time_limit")


def test_rule_2_2_the_2020_time_limit_ground_quotes_the_bureaus_60_days(api, travel):
    ground = _time_limit("zengdu-2020")
    assert "四十五个工作日" not in ground["text"] and "60日" in ground["text"]
    # Every part of the ground is the clause itself, word for word.
    rules = RULES_FILE.read_text(encoding="utf-8")
    for quoted in ("受理投诉人投诉之日起60日内", "需要进行鉴定或者检测的，鉴定或者检测的时间不计算在60日内"):
        assert quoted in ground["text"] and quoted in rules
    assert ground["basis"].startswith("规则 二.2、二.4") and "SAMR-2019" not in ground["basis"]
    # The national rule set keeps the national ground.
    assert "四十五个工作日" in _time_limit("samr-2019")["text"]


def test_rule_2_2_a_2020_complaint_past_its_60_days_is_terminated_on_the_bureaus_ground(api, case_id, travel):
    travel.move_to("2025-10-31 09:00 +0800")  # day 60: the cap's last day
    early = api("nanjiao").act(case_id, "mediate", {"result": "terminated", "ground": "time_limit"})
    assert early.status_code == 409 and CAP in early.json()["error"] and "60日" in early.json()["error"]

    travel.move_to("2025-11-03 09:00 +0800")  # past the 60 days; 45 working days end only on 11-07
    assert flows._ok(api("nanjiao").get("/api/v1/calendar/deadline", start="2025-09-01", days=45,
                                        unit="workdays"))["due"] == "2025-11-07"
    ended = flows._ok(api("nanjiao").act(case_id, "mediate", {"result": "terminated", "ground": "time_limit",
                                                               "reason": "60日内未能达成调解协议"}))
    assert ended["outcome"] == "mediation_terminated" and ended["ground"] == "time_limit"
    doc = flows.issue(api, case_id, "termination_decision")
    text = flows.docx_text(flows.download(api, doc["id"], "docx").content)
    assert flows.flat("理由：在受理投诉人投诉之日起60日内调解不成") in text
    # Neither the 45 working days that have not passed nor the article that sets them, nor the internal rules.
    assert "四十五个工作日" not in text and "第二十一条第（五）项" not in text and "规则" not in text
    assert "《市场监督管理投诉举报处理暂行办法》" in text


def test_the_migration_corrects_a_rule_set_loaded_before_it_and_keeps_what_an_administrator_set(bureau):
    migration = importlib.import_module("xiaobao.rules.migrations.0005_grounds_and_citations_2026")
    rs = RuleSet.objects.get(code="zengdu-2026")
    old = dict(rs.data)
    # As shipped before: the 2019 order of the grounds, the 2019 articles on the clocks.
    old["grounds"] = {**old["grounds"], "mediation_terminated": list(reversed(old["grounds"]["mediation_terminated"]))}
    old["clocks"] = [{**c, "basis": "规则 二.2；SAMR-2019 第十四条"} if c["name"] == "acceptance" else
                     {**c, "length": 20} if c["name"] == "handling" else c for c in old["clocks"]]
    rs.data, rs.basis = old, "旧依据"
    rs.save()

    migration.forwards(apps, None)

    rs.refresh_from_db()
    shipped = next(r for r in RULE_SETS if r["code"] == "zengdu-2026")
    assert rs.data["grounds"]["mediation_terminated"] == shipped["data"]["grounds"]["mediation_terminated"]
    assert rs.clock("acceptance")["basis"] == "规则 二.2；SAMR-2026 第十五条"
    assert rs.clock("handling")["length"] == 20  # an administrator's change is not the migration's business
    assert rs.basis == shipped["basis"]
