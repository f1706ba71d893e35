"""Rules 二.1 (消保股 routes what reaches it) and 二.1(2), 二.2 (approvals): while an item waits in triage or for an
approval a clock runs, with its warnings (issue 17, point 6). The rules give no period for either: the rule set
gives one with its basis (routing by the end of the next working day, an approval within 2 working days).

The cast: items reaching 消保股 on Mon 2026-03-02 (no holiday in March)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import complaint_body, report_body
from xiaobao.cases import services
from xiaobao.clocks.models import Clock
from xiaobao.notify.models import Notification
from xiaobao.rules.data.rulesets import RULE_SETS
from xiaobao.rules.models import RuleSet


@pytest.fixture
def travel(settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 60
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as t:
        yield t


def clocks_of(case: dict) -> dict[str, dict]:
    return {c["name"]: c for c in case["clocks"]}


def daily(on: str) -> str:
    out = StringIO()
    call_command("daily_clocks", "--on", on, stdout=out)
    return out.getvalue()


def titles(username: str) -> list[str]:
    return list(Notification.objects.filter(recipient__username=username).values_list("title", flat=True))


@pytest.mark.django_db
def test_every_shipped_rule_set_gives_the_routing_and_approval_periods_with_their_basis():
    for shipped in RULE_SETS:
        rs = RuleSet.objects.get(code=shipped["code"])
        routing, approval = rs.clock("routing"), rs.clock("approval")
        assert (routing["length"], routing["unit"]) == (1, "workdays") and "规则 二.1" in routing["basis"]
        assert (approval["length"], approval["unit"]) == (2, "workdays") and "规则 二.1（2）" in approval["basis"]
        # Nothing stops them: no pause reason lists them.
        assert not any({"routing", "approval"} & names for names in rs.pause_stops().values())


def test_an_item_in_triage_has_a_routing_clock_until_it_is_routed(api, travel):
    clerk = api("xiaobao")
    case_id = clerk.post("/api/v1/cases", complaint_body(received_at="2026-03-02T09:30:00+08:00")).json()["id"]
    assert "routing" not in clocks_of(clerk.get(f"/api/v1/cases/{case_id}").json())
    seen = clerk.act(case_id, "submit_for_triage").json()
    routing = clocks_of(seen)["routing"]
    assert (routing["label"], routing["start"], routing["due"], routing["state"]) == ("分流", "2026-03-02", "2026-03-03",
                                                                                       "running")
    assert "规则 二.1" in routing["basis"]
    assert seen["clocks"][0]["name"] == "routing"  # the nearest due date first

    travel.move_to("2026-03-04 09:00 +0800")
    assert clocks_of(clerk.get(f"/api/v1/cases/{case_id}").json())["routing"]["state"] == "overdue"
    out = daily("2026-03-04")
    assert f"{seen['number']} 分流 届满 2026-03-03（逾期 1 日） 消保股" in out
    assert f"逾期：{seen['number']} 分流期限 2026-03-03 已过" in titles("xiaobao")

    routed = clerk.act(case_id, "assign", {"unit": "st-nanjiao"}).json()
    assert (clocks_of(routed)["routing"]["state"], clocks_of(routed)["routing"]["met_on"]) == ("met", "2026-03-04")


def test_the_dispatcher_is_warned_before_routing_falls_due(api, travel):
    clerk = api("xiaobao")
    case_id = clerk.post("/api/v1/cases", complaint_body(received_at="2026-03-02T09:30:00+08:00")).json()["id"]
    number = clerk.act(case_id, "submit_for_triage").json()["number"]
    daily("2026-03-02")
    assert f"即将到期：{number} 分流期限 2026-03-03" in titles("xiaobao")


def test_an_item_returned_to_triage_starts_a_new_routing_run_and_keeps_the_first(api, travel):
    clerk = api("xiaobao")
    case_id = clerk.post("/api/v1/cases", complaint_body(received_at="2026-03-02T09:30:00+08:00")).json()["id"]
    clerk.act(case_id, "submit_for_triage")
    clerk.act(case_id, "assign", {"unit": "st-dongcheng"})
    travel.move_to("2026-03-05 09:00 +0800")
    back = api("dongcheng").act(case_id, "return", {"reason": "不属本所辖区"}).json()
    assert back["state"] == "triage"
    seen = clerk.get(f"/api/v1/cases/{case_id}").json()
    routing = clocks_of(seen)["routing"]
    assert (routing["start"], routing["due"], routing["state"]) == ("2026-03-05", "2026-03-06", "running")
    [run] = [r for r in seen["clock_runs"] if r["name"] == "routing"]
    assert (run["start"], run["due"], run["met_on"]) == ("2026-03-02", "2026-03-03", "2026-03-02")
    assert run["reason"] == "重新待分流，分流期限重新起算"


def test_each_approval_has_its_own_clock_and_the_approver_is_told_when_it_runs_out(api, travel):
    clerk = api("xiaobao")
    case_id = clerk.post("/api/v1/cases", report_body(received_at="2026-03-02T10:00:00+08:00")).json()["id"]
    clerk.act(case_id, "submit_for_triage")
    asked = clerk.act(case_id, "assign", {"unit": "st-nanjiao"}).json()
    assert asked["state"] == "pending_approval" and asked["pending_approval"]["kind"] == "routing"
    approval = clocks_of(asked)["approval"]
    assert (approval["label"], approval["start"], approval["due"], approval["state"]) == (
        "审批", "2026-03-02", "2026-03-04", "running")
    assert clocks_of(asked)["routing"]["state"] == "met"

    daily("2026-03-05")
    assert f"逾期：{asked['number']} 审批期限 2026-03-04 已过" in titles("fenguan")
    travel.move_to("2026-03-05 11:00 +0800")
    approved = api("fenguan").act(case_id, "approve").json()
    assert (clocks_of(approved)["approval"]["state"], clocks_of(approved)["approval"]["met_on"]) == ("met", "2026-03-05")

    # A second approval later (不予立案, rules 二.2) runs on its own clock; the first run is kept.
    handler = api("nanjiao")
    handler.act(case_id, "begin_verification")
    travel.move_to("2026-03-09 09:00 +0800")
    declined = handler.act(case_id, "decline_filing", {"reason": "查无实据", "record": "现场核查未发现过期食品"}).json()
    assert declined["pending_approval"]["kind"] == "not_filed"
    approval = clocks_of(declined)["approval"]
    assert (approval["start"], approval["due"], approval["state"]) == ("2026-03-09", "2026-03-11", "running")
    [run] = [r for r in declined["clock_runs"] if r["name"] == "approval"]
    assert (run["start"], run["met_on"]) == ("2026-03-02", "2026-03-05")
    daily("2026-03-10")
    assert f"即将到期：{declined['number']} 审批期限 2026-03-11" in titles("juzhang")


def test_the_approval_period_is_the_rule_sets_value(bureau, travel):
    rs = RuleSet.objects.get(code="zengdu-2020")
    rs.data = {**rs.data, "clocks": [{**c, "length": 5} if c["name"] == "approval" else c for c in rs.data["clocks"]]}
    rs.save()
    clerk = bureau["xiaobao"]
    case, _ = services.register_case(actor=clerk, data=report_body(received_at="2026-03-02T10:00:00+08:00"))
    services.submit_for_triage(actor=clerk, case_id=case.pk)
    services.assign(actor=clerk, case_id=case.pk, body={"unit": "st-nanjiao"})
    clock = Clock.objects.get(case=case, name="approval")
    assert (clock.start, clock.length, clock.due) == (date(2026, 3, 2), 5, date(2026, 3, 9))
    services.reject_approval(actor=bureau["fenguan"], case_id=case.pk, body={"note": "请核实属地"})
    clock.refresh_from_db()
    assert clock.met_on == date(2026, 3, 2)
    # Sent back to 消保股, it waits to be routed again.
    routing = Clock.objects.get(case=case, name="routing")
    assert (routing.start, routing.met_on) == (date(2026, 3, 2), None)
