"""Clocks through an item's life, as the API shows them: pauses, tier changes, re-routing (DOMAIN.md,
"Legal clocks"; rules 二.2, 二.4). Dates are checked against tests/clocks/reference.py by hand:

- 2026-03-02 + 7 working days = 03-11; + 15 = 03-23; + 30 = 04-14; + 60 calendar days = 05-01, Labour Day,
  so 05-06.
"""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import complaint_body
from xiaobao.cases.models import Case


def clock(case: dict, name: str) -> dict:
    return next(c for c in case["clocks"] if c["name"] == name)


def routed(api, unit: str = "st-nanjiao") -> dict:
    clerk = api("xiaobao")
    case = clerk.post("/api/v1/cases", complaint_body(received_at="2026-03-02T09:30:00+08:00")).json()
    clerk.act(case["id"], "submit_for_triage")
    return clerk.act(case["id"], "assign", {"unit": unit}).json()


def accepted(api) -> dict:
    case = routed(api)
    return api("nanjiao").act(case["id"], "accept").json()


@pytest.fixture
def travel(settings):
    # The cast's API tokens must outlive the weeks these tests travel through.
    settings.XIAOBAO_TOKEN_HOURS = 24 * 90
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as t:
        yield t


def test_an_accepted_complaint_has_the_general_handling_period_and_the_mediation_cap(api, travel):
    case = accepted(api)
    assert clock(case, "handling")["due"] == "2026-03-23" and clock(case, "handling")["length"] == 15
    cap = clock(case, "mediation_cap")
    assert cap["due"] == "2026-05-06" and cap["unit"] == "days"
    assert "05-01 为休息日" in cap["explanation"]


def test_a_pause_takes_its_days_out_of_the_handling_period_and_the_mediation_cap(api, travel):
    handler = api("nanjiao")
    case = accepted(api)
    travel.move_to("2026-03-05 09:00 +0800")
    paused = handler.act(case["id"], "pause", {"reason": "testing", "note": "送检空调压缩机"})
    assert paused.status_code == 200, paused.json()
    paused = paused.json()
    assert clock(paused, "handling")["state"] == "paused"
    assert paused["actions"].count("resume") == 1 and "pause" not in paused["actions"]

    travel.move_to("2026-03-16 09:00 +0800")
    resumed = handler.act(case["id"], "resume").json()
    # 03-05 … 03-15 do not count: 7 working days and 11 calendar days.
    handling = clock(resumed, "handling")
    assert handling["state"] == "running" and handling["due"] == "2026-04-01"
    assert "中止 03-05…03-15（检验检测），不计入期限" in handling["explanation"]
    assert clock(resumed, "mediation_cap")["due"] == "2026-05-12"
    # The sign-off and acceptance clocks were met before the pause and do not move.
    assert clock(resumed, "acceptance")["due"] == "2026-03-11"
    assert [e["action"] for e in resumed["events"]][-2:] == ["pause", "resume"]
    assert resumed["events"][-1]["data"]["new_due"] == {"handling": "2026-04-01", "mediation_cap": "2026-05-12"}


def test_a_pause_resumed_on_the_day_it_began_takes_nothing_out(api, travel):
    handler = api("nanjiao")
    case = accepted(api)
    travel.move_to("2026-03-05 09:00 +0800")
    during = handler.act(case["id"], "pause", {"reason": "testing"}).json()
    # While open the pause runs through today.
    assert clock(during, "handling")["due"] == "2026-03-24"
    travel.move_to("2026-03-05 16:00 +0800")
    resumed = handler.act(case["id"], "resume").json()
    assert clock(resumed, "handling")["due"] == "2026-03-23"
    assert clock(resumed, "mediation_cap")["due"] == "2026-05-06"
    assert "中止" not in clock(resumed, "handling")["explanation"]


def test_a_second_pause_is_refused_while_one_is_open(api, travel):
    handler = api("nanjiao")
    case = accepted(api)
    handler.act(case["id"], "pause", {"reason": "testing"})
    r = handler.act(case["id"], "pause", {"reason": "appraisal"})
    assert r.status_code == 409


@pytest.mark.parametrize("tier, due, length", [("urgent", "2026-03-11", 7), ("general", "2026-03-23", 15),
                                               ("difficult", "2026-04-14", 30)])
def test_the_tier_sets_the_handling_period(api, travel, tier, due, length):
    case = accepted(api)
    changed = api("nanjiao").act(case["id"], "change_tier", {"tier": tier}).json()
    assert changed["tier"] == tier
    assert clock(changed, "handling")["due"] == due and clock(changed, "handling")["length"] == length
    assert clock(changed, "mediation_cap")["due"] == "2026-05-06"


def test_a_tier_change_keeps_the_pauses_already_taken(api, travel):
    handler = api("nanjiao")
    case = accepted(api)
    travel.move_to("2026-03-05 09:00 +0800")
    handler.act(case["id"], "pause", {"reason": "appraisal"})
    travel.move_to("2026-03-16 09:00 +0800")
    handler.act(case["id"], "resume")
    changed = handler.act(case["id"], "change_tier", {"tier": "difficult"}).json()
    assert clock(changed, "handling")["due"] == "2026-04-23"
    assert changed["events"][-1]["data"] == {"old": "general", "new": "difficult",
                                             "new_due": {"handling": "2026-04-23"}}


def test_the_handling_period_never_runs_past_the_mediation_cap(api, travel):
    # With the shipped rules 30 working days always end before 60 calendar days; shorten this item's cap
    # to 30 days (03-02 + 30 = 04-01) to see the clamp of rules 二.4.
    case = routed(api)
    rule_set = Case.objects.get(pk=case["id"]).rule_set
    next(c for c in rule_set.data["clocks"] if c["name"] == "mediation_cap")["length"] = 30
    rule_set.save()
    handler = api("nanjiao")
    handler.act(case["id"], "accept")
    changed = handler.act(case["id"], "change_tier", {"tier": "difficult"}).json()
    handling = clock(changed, "handling")
    assert handling["due"] == "2026-04-01" == clock(changed, "mediation_cap")["due"]
    assert "不超过调解终结期限 2026-04-01" in handling["explanation"]
    general = handler.act(case["id"], "change_tier", {"tier": "general"}).json()
    assert clock(general, "handling")["due"] == "2026-03-23"


def test_a_returned_item_keeps_its_acceptance_start_and_the_days_in_triage_do_not_count(api, travel):
    clerk = api("xiaobao")
    case = routed(api)
    assert clock(case, "acceptance")["due"] == "2026-03-11"

    travel.move_to("2026-03-04 09:00 +0800")
    returned = api("nanjiao").act(case["id"], "return", {"reason": "被投诉人位于东城辖区"}).json()
    assert returned["state"] == "triage" and returned["returns_count"] == 1
    seen = clerk.get(f"/api/v1/cases/{case['id']}").json()
    assert clock(seen, "acceptance")["state"] == "paused"
    assert clock(seen, "sign_off")["state"] == "met"

    travel.move_to("2026-03-06 09:00 +0800")
    again = clerk.act(case["id"], "assign", {"unit": "st-dongcheng"}).json()
    acceptance = clock(again, "acceptance")
    # 03-04 and 03-05 were spent deciding jurisdiction: two working days more.
    assert acceptance["start"] == "2026-03-02" and acceptance["due"] == "2026-03-13"
    assert acceptance["state"] == "running"
    assert "中止 03-04…03-05（确定管辖），不计入期限" in acceptance["explanation"]
    # The new unit signs off by the end of its next working day.
    sign_off = clock(again, "sign_off")
    assert sign_off["start"] == "2026-03-06" and sign_off["due"] == "2026-03-09" and sign_off["state"] == "running"
    accepted = api("dongcheng").act(case["id"], "accept").json()
    assert clock(accepted, "acceptance")["state"] == "met"


def test_a_return_and_re_assignment_on_the_same_day_costs_nothing(api, travel):
    case = routed(api)
    api("nanjiao").act(case["id"], "return", {"reason": "错分"})
    again = api("xiaobao").act(case["id"], "assign", {"unit": "st-dongcheng"}).json()
    assert clock(again, "acceptance")["due"] == "2026-03-11"


def test_a_return_during_a_testing_pause_hands_over_to_the_jurisdiction_pause(api, travel):
    clerk = api("xiaobao")
    case = routed(api)
    api("nanjiao").act(case["id"], "pause", {"reason": "testing"})
    travel.move_to("2026-03-04 09:00 +0800")
    api("nanjiao").act(case["id"], "return", {"reason": "被投诉人位于东城辖区"})
    travel.move_to("2026-03-06 09:00 +0800")
    again = clerk.act(case["id"], "assign", {"unit": "st-dongcheng"}).json()
    seen = api("dongcheng").get(f"/api/v1/cases/{again['id']}").json()
    acceptance = clock(seen, "acceptance")
    # Nothing counted from 03-02 to 03-05; seven working days from 03-06 on: 03-06, 03-09 … 03-13, 03-16.
    assert acceptance["state"] == "running" and acceptance["due"] == "2026-03-16"
    assert "中止 03-03…03-05（检验检测、确定管辖），不计入期限" in acceptance["explanation"]
    assert "resume" not in seen["actions"] and "pause" in seen["actions"]
