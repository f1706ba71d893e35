"""《市场监督管理行政处罚程序规定》第十八条: a report's clue is verified within fifteen working days of receiving the
material (第一款), testing, inspection, quarantine and appraisal time not counted (第二款) — the national rule sets'
verification clock, as a bureau without rules of its own (family "samr") runs it.

The cast: a report received on Wed 2026-05-06, routed to 稽查分局 with the deputy director's approval that day."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import report_body
from tests.documents import flows
from xiaobao.rules.models import RuleSet


@pytest.fixture
def verifying(api, settings):
    settings.XIAOBAO_RULE_FAMILY = "samr"
    settings.XIAOBAO_TOKEN_HOURS = 24 * 100
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False) as travel:
        clerk = api("xiaobao")
        case = flows._ok(clerk.post("/api/v1/cases", report_body(received_at="2026-05-06T09:00:00+08:00")), 201)
        assert case["rule_set"] == "samr-2026"
        flows._ok(clerk.act(case["id"], "submit_for_triage"))
        flows._ok(clerk.act(case["id"], "assign", {"unit": "jicha"}))
        flows._ok(api("fenguan").act(case["id"], "approve"))
        flows._ok(api("jicha").act(case["id"], "begin_verification"))
        yield case["id"], travel


def _verification(case: dict) -> dict:
    return next(c for c in case["clocks"] if c["name"] == "verification")


def test_penalty_procedure_art_18_verification_takes_fifteen_working_days_and_testing_time_is_not_counted(
        api, verifying):
    case_id, travel = verifying
    fifteen = flows._ok(api("jicha").get("/api/v1/calendar/deadline", start="2026-05-06", days=15,
                                         unit="workdays"))["due"]
    assert _verification(flows._ok(api("jicha").get(f"/api/v1/cases/{case_id}")))["due"] == fifteen
    # Appraisal from 05-11 to 05-18: the five working days 05-11 … 05-15 are not counted.
    travel.move_to("2026-05-11 09:00 +0800")
    flows._ok(api("jicha").act(case_id, "pause", {"reason": "appraisal", "note": "送检"}))
    travel.move_to("2026-05-18 09:00 +0800")
    resumed = flows._ok(api("jicha").act(case_id, "resume"))
    later = flows._ok(api("jicha").get("/api/v1/calendar/deadline", start=fifteen, days=5, unit="workdays"))["due"]
    assert _verification(resumed)["due"] == later
    rule_set = RuleSet.objects.get(code="samr-2026")
    assert rule_set.clock("verification")["basis"] == "《市场监督管理行政处罚程序规定》第十八条第一款"
    assert "第十八条第二款" in rule_set.data["pauses"]["appraisal"]["basis"]
