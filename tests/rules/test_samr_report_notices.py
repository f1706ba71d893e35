"""SAMR-2019 第三十一条 (and the 2026 rules' notice to a named reporter, its article not verified — see
docs/legal-traceability.md): a named reporter is told whether the report was filed within five working days of the
decision, as a bureau without rules of its own (family "samr") runs it; the 2026 rule set cites no 2019 article."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import report_body
from tests.documents import flows
from xiaobao.rules.models import RuleSet


@pytest.mark.parametrize(("received", "rule_set"), [("2026-03-02", "samr-2019"), ("2026-05-06", "samr-2026")])
def test_samr_2019_art_31_a_named_reporter_is_told_of_not_filing_within_five_working_days(api, settings,
                                                                                          received, rule_set):
    settings.XIAOBAO_RULE_FAMILY = "samr"
    with time_machine.travel(f"{received} 10:00 +0800", tick=False):
        clerk = api("xiaobao")
        case = flows._ok(clerk.post("/api/v1/cases", report_body(received_at=f"{received}T09:00:00+08:00")), 201)
        assert case["rule_set"] == rule_set
        flows._ok(clerk.act(case["id"], "submit_for_triage"))
        flows._ok(clerk.act(case["id"], "assign", {"unit": "jicha"}))
        flows._ok(api("fenguan").act(case["id"], "approve"))
        flows._ok(api("jicha").act(case["id"], "begin_verification"))
        flows._ok(api("jicha").act(case["id"], "decline_filing", {"reason": "未发现违法行为", "record": "现场检查无过期食品"}))
        done = flows._ok(api("juzhang").act(case["id"], "approve"))
        five = flows._ok(api("xiaobao").get("/api/v1/calendar/deadline", start=received, days=5, unit="workdays"))
    assert done["outcome"] == "not_filed"
    notice = next(c for c in done["clocks"] if c["name"] == "not_filed_notice")
    assert notice["due"] == five["due"] and notice["state"] == "running"
    basis = RuleSet.objects.get(code=rule_set).clock("not_filed_notice")["basis"]
    assert ("SAMR-2019 第三十一条" in basis) == (rule_set == "samr-2019")
