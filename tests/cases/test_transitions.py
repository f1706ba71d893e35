"""Every action of the lifecycle table (xiaobao/cases/lifecycle.py), through API v1: once where it is allowed
and moves the item as API-v1.md says, once refused for the wrong state (409) and once for the wrong role
(403). Every successful action writes exactly one timeline event naming who did it, from where to where.

The cast (tests/conftest.py): xiaobao registers and routes, fenguan approves routing, juzhang approves
不予立案, nanjiao / dongcheng / jicha handle for their units, archivist archives, auditor only reads.
"""

from __future__ import annotations

import re

import pytest
import time_machine

from tests.conftest import Api, complaint_body, report_body
from xiaobao.cases.lifecycle import TRANSITIONS

MONDAY = "2026-03-02 10:00 +0800"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


# ---------------------------------------------------------------- driving the API


def item(api, case_id: int) -> dict:
    """The item as the auditor sees it (the auditor sees every item and changes nothing)."""
    r = api("auditor").get(f"/api/v1/cases/{case_id}")
    assert r.status_code == 200, r.json()
    return r.json()


def travel(api, clock, when: str) -> None:
    """Move the frozen clock by days; API tokens live 12 hours, so everyone logs in again."""
    clock.move_to(when)
    for user in ("xiaobao", "nanjiao", "dongcheng", "auditor"):
        api(user).headers = Api(user).headers


def act(api, user: str, case_id: int, action: str, body: dict | None = None, *, to: str) -> dict:
    """Take an action that must succeed; check the one event it writes and return the item."""
    before = item(api, case_id)
    r = api(user).act(case_id, action, body)
    assert r.status_code == 200, r.json()
    after = r.json()
    assert after["state"] == to
    new = after["events"][len(before["events"]):]
    assert [(e["actor"], e["action"], e["from"], e["to"]) for e in new] == [(user, action, before["state"], to)]
    assert after["events"][:len(before["events"])] == before["events"]
    return after


def refused(api, user: str, case_id: int, action: str, body: dict | None = None, *, status: int) -> dict:
    """Take an action that must be refused; nothing about the item may change."""
    before = item(api, case_id)
    r = api(user).act(case_id, action, body)
    assert r.status_code == status, r.json()
    after = item(api, case_id)
    assert (after["state"], after["outcome"], after["unit"]) == (before["state"], before["outcome"], before["unit"])
    assert after["events"] == before["events"]
    payload = r.json()
    if status == 409:
        assert payload["state"] == before["state"]
        assert re.search(r"[\u4e00-\u9fff]", payload["error"]), payload
    elif status == 403:
        assert re.search(r"[\u4e00-\u9fff]", payload["error"]), payload
    return payload


def field_errors(payload: dict) -> list[str]:
    return [e["field"] for e in payload["errors"]]


def clock_of(case: dict, name: str) -> dict:
    return next(c for c in case["clocks"] if c["name"] == name)


def register(api, body: dict, by: str = "xiaobao") -> int:
    r = api(by).post("/api/v1/cases", body)
    assert r.status_code == 201, r.json()
    return r.json()["id"]


def in_triage(api, body: dict | None = None) -> int:
    case_id = register(api, body or complaint_body())
    assert api("xiaobao").act(case_id, "submit_for_triage").status_code == 200
    return case_id


def assigned_complaint(api, unit: str = "st-nanjiao", **overrides) -> int:
    case_id = in_triage(api, complaint_body(**overrides))
    r = api("xiaobao").act(case_id, "assign", {"unit": unit})
    assert r.json()["state"] == "assigned", r.json()
    return case_id


def accepted_complaint(api, **overrides) -> int:
    case_id = assigned_complaint(api, **overrides)
    assert api("nanjiao").act(case_id, "accept").json()["state"] == "in_progress"
    return case_id


def mediated_complaint(api) -> int:
    case_id = accepted_complaint(api)
    r = api("nanjiao").act(case_id, "mediate", {"result": "agreed", "amount_recovered": "800.00"})
    assert r.json()["outcome"] == "mediated", r.json()
    return case_id


def report_pending_routing(api, unit: str = "jicha") -> int:
    case_id = in_triage(api, report_body())
    r = api("xiaobao").act(case_id, "assign", {"unit": unit, "note": "涉嫌销售过期食品"})
    assert r.json()["state"] == "pending_approval", r.json()
    return case_id


def assigned_report(api) -> int:
    case_id = report_pending_routing(api)
    assert api("fenguan").act(case_id, "approve").json()["state"] == "assigned"
    return case_id


def verifying_report(api) -> int:
    case_id = assigned_report(api)
    assert api("jicha").act(case_id, "begin_verification").json()["state"] == "in_progress"
    return case_id


def report_pending_not_filed(api) -> int:
    case_id = verifying_report(api)
    r = api("jicha").act(case_id, "decline_filing", {"reason": "经核查，货架商品均在保质期内，举报不实。",
                                                     "record": "3月3日现场检查货架白酒20件，均在保质期内。"})
    assert r.json()["state"] == "pending_approval", r.json()
    return case_id


def inquiry_body(**overrides) -> dict:
    body = {"kind": "inquiry", "channel": "phone", "received_at": "2026-03-02T09:00:00+08:00",
            "complainant": {"name": "王芳", "phone": "13700000003", "address": "曾都区西城街道"},
            "question": "网购商品七日无理由退货的运费由谁承担？"}
    body.update(overrides)
    return body


def test_the_table_has_the_lifecycle_actions_these_tests_cover():
    assert {
        "submit_for_triage", "keep", "assign", "approve", "reject_approval", "return", "accept", "not_accept",
        "refer_elsewhere", "pause", "resume", "change_tier", "mediate", "begin_verification", "file",
        "decline_filing", "answer", "reply", "archive",
    } <= set(TRANSITIONS)


def test_every_action_of_the_table_has_exactly_one_service_function():
    # The apps register their actions (cases.actions), which refuses a second function for an action.
    from xiaobao.cases import actions

    assert set(actions.functions()) == set(TRANSITIONS)


# ---------------------------------------------------------------- submit_for_triage


def test_submit_for_triage_moves_a_registered_item_to_triage_at_the_consumer_office(api):
    case_id = register(api, complaint_body())
    case = act(api, "xiaobao", case_id, "submit_for_triage", to="triage")
    assert case["unit"] == "xiaobao"


def test_a_station_that_registered_an_item_may_submit_it_for_triage(api):
    case_id = register(api, complaint_body(channel="visit"), by="nanjiao")
    assert item(api, case_id)["unit"] == "st-nanjiao"
    case = act(api, "nanjiao", case_id, "submit_for_triage", to="triage")
    assert case["unit"] == "xiaobao"


def test_it_refuses_to_submit_an_item_already_in_triage(api):
    case_id = in_triage(api)
    refused(api, "xiaobao", case_id, "submit_for_triage", status=409)


def test_the_deputy_director_may_not_submit_an_item_for_triage(api):
    case_id = register(api, complaint_body())
    refused(api, "fenguan", case_id, "submit_for_triage", status=403)


# ---------------------------------------------------------------- keep


def test_a_station_may_keep_an_item_it_registered_and_its_clocks_start(api):
    case_id = register(api, complaint_body(channel="visit"), by="nanjiao")
    case = act(api, "nanjiao", case_id, "keep", to="assigned")
    assert case["unit"] == "st-nanjiao" and case["handler"] == "nanjiao"
    acceptance = clock_of(case, "acceptance")
    assert (acceptance["start"], acceptance["due"], acceptance["state"]) == ("2026-03-02", "2026-03-11", "running")


def test_it_refuses_to_keep_an_item_that_is_already_assigned(api):
    case_id = assigned_complaint(api)
    refused(api, "nanjiao", case_id, "keep", status=409)


def test_the_dispatcher_may_not_keep_an_item_it_must_route(api):
    case_id = register(api, complaint_body())
    refused(api, "xiaobao", case_id, "keep", status=403)


# ---------------------------------------------------------------- assign


def test_an_appliance_complaint_is_assigned_to_a_station_without_approval(api):
    case_id = in_triage(api, complaint_body(category="appliances"))
    case = act(api, "xiaobao", case_id, "assign", {"unit": "st-nanjiao", "note": "属地分流"}, to="assigned")
    assert case["unit"] == "st-nanjiao" and case["pending_approval"] is None
    assert case["events"][-1]["note"] == "属地分流"
    assert api("nanjiao").get(f"/api/v1/cases/{case_id}").status_code == 200


def test_a_food_safety_complaint_waits_for_the_deputy_director_before_it_reaches_the_unit(api):
    case_id = in_triage(api, complaint_body(category="food"))
    case = act(api, "xiaobao", case_id, "assign", {"unit": "sec-food"}, to="pending_approval")
    assert case["unit"] == "xiaobao"
    assert case["pending_approval"] == {"kind": "routing", "unit": "sec-food", "approver": "deputy_director"}
    assert api("shipin").get(f"/api/v1/cases/{case_id}").status_code == 404

    case = act(api, "fenguan", case_id, "approve", {"note": "同意"}, to="assigned")
    assert case["unit"] == "sec-food"
    assert api("shipin").get(f"/api/v1/cases/{case_id}").status_code == 200


def test_a_report_cannot_reach_a_unit_until_the_deputy_director_approves_its_routing(api):
    case_id = in_triage(api, report_body())
    case = act(api, "xiaobao", case_id, "assign", {"unit": "st-nanjiao"}, to="pending_approval")
    assert case["unit"] == "xiaobao" and not any(c["name"] == "verification" for c in case["clocks"])

    handler = api("nanjiao")
    assert handler.get(f"/api/v1/cases/{case_id}").status_code == 404
    assert case_id not in [c["id"] for c in handler.get("/api/v1/cases").json()["results"]]
    assert handler.act(case_id, "begin_verification").status_code == 404
    refused(api, "xiaobao", case_id, "approve", status=403)

    case = act(api, "fenguan", case_id, "approve", to="assigned")
    assert case["unit"] == "st-nanjiao" and case["pending_approval"] is None
    verification = clock_of(case, "verification")
    assert (verification["start"], verification["due"]) == ("2026-03-02", "2026-03-11")
    assert handler.get(f"/api/v1/cases/{case_id}").status_code == 200


def test_it_refuses_to_assign_an_item_not_yet_submitted_for_triage(api):
    case_id = register(api, complaint_body())
    refused(api, "xiaobao", case_id, "assign", {"unit": "st-nanjiao"}, status=409)


def test_the_deputy_director_may_not_assign_an_item(api):
    case_id = in_triage(api)
    refused(api, "fenguan", case_id, "assign", {"unit": "st-nanjiao"}, status=403)


def test_it_refuses_to_assign_without_a_unit_or_to_a_unit_that_does_not_handle_items(api):
    case_id = in_triage(api)
    assert field_errors(refused(api, "xiaobao", case_id, "assign", {}, status=422)) == ["unit"]
    assert field_errors(refused(api, "xiaobao", case_id, "assign", {"unit": "leaders"}, status=422)) == ["unit"]
    assert field_errors(refused(api, "xiaobao", case_id, "assign", {"unit": "st-nowhere"}, status=422)) == ["unit"]


# ---------------------------------------------------------------- approve


def test_the_bureau_head_approves_not_filing_and_the_report_is_concluded_as_not_filed(api):
    case_id = report_pending_not_filed(api)
    case = item(api, case_id)
    assert case["pending_approval"] == {"kind": "not_filed", "unit": None, "approver": "bureau_head"} and case["unit"] == "jicha"
    case = act(api, "juzhang", case_id, "approve", {"note": "同意不予立案"}, to="concluded")
    assert case["outcome"] == "not_filed" and case["pending_approval"] is None


def test_it_refuses_to_approve_an_item_that_waits_for_no_approval(api):
    case_id = in_triage(api)
    refused(api, "fenguan", case_id, "approve", status=409)


def test_the_bureau_head_may_not_approve_the_routing_of_a_report(api):
    case_id = report_pending_routing(api)
    refused(api, "juzhang", case_id, "approve", status=403)
    assert item(api, case_id)["pending_approval"] == {"kind": "routing", "unit": "jicha", "approver": "deputy_director"}


def test_the_deputy_director_may_not_approve_not_filing(api):
    case_id = report_pending_not_filed(api)
    refused(api, "fenguan", case_id, "approve", status=403)


def test_the_archivist_may_not_approve_anything(api):
    case_id = report_pending_routing(api)
    refused(api, "archivist", case_id, "approve", status=403)


# ---------------------------------------------------------------- reject_approval


def test_a_rejected_routing_goes_back_to_triage_with_the_note(api):
    case_id = report_pending_routing(api)
    case = act(api, "fenguan", case_id, "reject_approval", {"note": "应由南郊所属地核查"}, to="triage")
    assert case["unit"] == "xiaobao" and case["pending_approval"] is None
    assert case["events"][-1]["note"] == "应由南郊所属地核查"
    assert api("jicha").get(f"/api/v1/cases/{case_id}").status_code == 404


def test_a_rejected_not_filing_goes_back_to_verification_at_the_unit(api):
    case_id = report_pending_not_filed(api)
    case = act(api, "juzhang", case_id, "reject_approval", {"note": "证据不足，继续核查"}, to="in_progress")
    assert case["unit"] == "jicha" and case["outcome"] is None and case["pending_approval"] is None
    assert "file" in api("jicha").get(f"/api/v1/cases/{case_id}").json()["actions"]


def test_it_refuses_to_reject_an_approval_without_a_note(api):
    case_id = report_pending_routing(api)
    assert field_errors(refused(api, "fenguan", case_id, "reject_approval", {}, status=422)) == ["note"]
    assert field_errors(refused(api, "fenguan", case_id, "reject_approval", {"note": "  "}, status=422)) == ["note"]


def test_it_refuses_to_reject_an_approval_that_was_never_asked(api):
    case_id = in_triage(api)
    refused(api, "fenguan", case_id, "reject_approval", {"note": "不同意"}, status=409)


def test_the_bureau_head_may_not_reject_the_routing_the_deputy_director_decides(api):
    case_id = report_pending_routing(api)
    refused(api, "juzhang", case_id, "reject_approval", {"note": "不同意"}, status=403)


# ---------------------------------------------------------------- return


def test_a_returned_item_goes_back_to_the_dispatcher_with_its_returns_counted(api):
    case_id = assigned_complaint(api)
    case = act(api, "nanjiao", case_id, "return", {"reason": "被投诉人经营地在东城所辖区"}, to="triage")
    assert case["unit"] == "xiaobao" and case["returns_count"] == 1
    assert case["events"][-1]["note"] == "被投诉人经营地在东城所辖区"
    assert api("nanjiao").get(f"/api/v1/cases/{case_id}").status_code == 404

    waiting = api("xiaobao").get("/api/v1/cases", state="triage").json()["results"]
    assert [(c["id"], c["returns_count"]) for c in waiting] == [(case_id, 1)]

    assert api("xiaobao").act(case_id, "assign", {"unit": "st-dongcheng"}).json()["state"] == "assigned"
    act(api, "dongcheng", case_id, "return", {"reason": "仍不属本所管辖"}, to="triage")
    assert item(api, case_id)["returns_count"] == 2


def test_a_return_while_paused_ends_the_units_pause_and_the_next_unit_gets_running_clocks(api, clock):
    case_id = assigned_complaint(api)
    travel(api, clock, "2026-03-03 10:00 +0800")
    assert api("nanjiao").act(case_id, "pause", {"reason": "testing"}).status_code == 200
    act(api, "nanjiao", case_id, "return", {"reason": "被投诉人经营地在东城所辖区"}, to="triage")
    travel(api, clock, "2026-03-05 10:00 +0800")
    case = act(api, "xiaobao", case_id, "assign", {"unit": "st-dongcheng"}, to="assigned")
    # Paused (testing, then jurisdiction) from Tue 03-03 until Thu 03-05: 03-03 and 03-04 do not count.
    acceptance = clock_of(case, "acceptance")
    assert (acceptance["due"], acceptance["state"]) == ("2026-03-13", "running")
    assert "pause" in api("dongcheng").get(f"/api/v1/cases/{case_id}").json()["actions"]


def test_it_refuses_a_return_without_a_reason(api):
    case_id = assigned_complaint(api)
    assert field_errors(refused(api, "nanjiao", case_id, "return", {}, status=422)) == ["reason"]


def test_it_refuses_to_return_an_item_already_accepted(api):
    case_id = accepted_complaint(api)
    refused(api, "nanjiao", case_id, "return", {"reason": "不属本所管辖"}, status=409)


def test_the_dispatcher_may_not_return_an_item_on_a_units_behalf(api):
    case_id = assigned_complaint(api)
    refused(api, "xiaobao", case_id, "return", {"reason": "不属南郊所管辖"}, status=403)


# ---------------------------------------------------------------- accept


def test_accepting_a_complaint_meets_the_acceptance_clock_and_starts_mediation(api):
    case_id = assigned_complaint(api)
    case = act(api, "nanjiao", case_id, "accept", to="in_progress")
    assert case["handler"] == "nanjiao"
    assert clock_of(case, "acceptance")["state"] == "met"
    handling, cap = clock_of(case, "handling"), clock_of(case, "mediation_cap")
    assert (handling["start"], handling["due"], handling["state"]) == ("2026-03-02", "2026-03-23", "running")
    assert (cap["start"], cap["due"]) == ("2026-03-02", "2026-05-06")


def test_it_refuses_to_accept_a_complaint_twice(api):
    case_id = accepted_complaint(api)
    refused(api, "nanjiao", case_id, "accept", status=409)


def test_it_refuses_to_accept_a_report_as_if_it_were_a_complaint(api):
    case_id = assigned_report(api)
    refused(api, "jicha", case_id, "accept", status=409)


def test_the_dispatcher_may_not_accept_a_complaint_for_the_unit(api):
    case_id = assigned_complaint(api)
    refused(api, "xiaobao", case_id, "accept", status=403)


def test_the_auditor_may_not_accept_a_complaint(api):
    case_id = assigned_complaint(api)
    refused(api, "auditor", case_id, "accept", status=403)


# ---------------------------------------------------------------- not_accept


def test_not_accepting_concludes_the_complaint_with_the_ground_and_its_basis(api):
    case_id = assigned_complaint(api)
    case = act(api, "nanjiao", case_id, "not_accept", {"ground": "not_consumption", "reason": "系经营用途"},
               to="concluded")
    assert case["outcome"] == "not_accepted" and case["ground"] == "not_consumption"
    assert case["rule_set"] == "zengdu-2020"
    assert case["events"][-1]["data"]["basis"] == "SAMR-2019 第十五条第（三）项"


def test_it_refuses_a_ground_that_is_not_in_the_items_rule_set(api):
    case_id = assigned_complaint(api)
    assert field_errors(refused(api, "nanjiao", case_id, "not_accept", {"ground": "bogus"}, status=422)) == ["ground"]
    assert field_errors(refused(api, "nanjiao", case_id, "not_accept", {}, status=422)) == ["ground"]


def test_the_identity_ground_of_2026_does_not_apply_to_an_item_received_before_2026_04_15(api, clock):
    clock.move_to("2026-04-16 10:00 +0800")
    case_id = assigned_complaint(api, received_at="2026-04-14T16:00:00+08:00")
    assert item(api, case_id)["rule_set"] == "zengdu-2020"
    payload = refused(api, "nanjiao", case_id, "not_accept", {"ground": "identity"}, status=422)
    assert field_errors(payload) == ["ground"]


def test_an_item_received_from_2026_04_15_may_be_refused_on_the_identity_ground(api, clock):
    clock.move_to("2026-04-16 10:00 +0800")
    case_id = assigned_complaint(api, received_at="2026-04-15T08:30:00+08:00")
    case = act(api, "nanjiao", case_id, "not_accept", {"ground": "identity", "reason": "拒不配合身份核验"},
               to="concluded")
    assert case["rule_set"] == "zengdu-2026" and case["ground"] == "identity"
    assert case["events"][-1]["data"]["basis"] == "SAMR-2026 第十六条第（六）项"


def test_it_refuses_not_to_accept_a_complaint_already_accepted(api):
    case_id = accepted_complaint(api)
    refused(api, "nanjiao", case_id, "not_accept", {"ground": "not_duty"}, status=409)


def test_the_deputy_director_may_not_refuse_a_complaint(api):
    case_id = assigned_complaint(api)
    refused(api, "fenguan", case_id, "not_accept", {"ground": "not_duty"}, status=403)


# ---------------------------------------------------------------- refer_elsewhere


def test_the_dispatcher_refers_an_item_outside_the_bureaus_power_from_triage(api):
    case_id = in_triage(api)
    case = act(api, "xiaobao", case_id, "refer_elsewhere", {"authority": "曾都区住房和城乡建设局", "reason": "物业纠纷"},
               to="concluded")
    assert case["outcome"] == "referred_elsewhere"
    assert case["events"][-1]["data"]["authority"] == "曾都区住房和城乡建设局"


def test_a_unit_refers_an_assigned_item_elsewhere(api):
    case_id = assigned_complaint(api)
    case = act(api, "nanjiao", case_id, "refer_elsewhere", {"authority": "曾都区交通运输局"}, to="concluded")
    assert case["outcome"] == "referred_elsewhere"


def test_it_refuses_to_refer_without_naming_the_authority(api):
    case_id = in_triage(api)
    assert field_errors(refused(api, "xiaobao", case_id, "refer_elsewhere", {}, status=422)) == ["authority"]


def test_it_refuses_to_refer_an_item_not_yet_submitted_for_triage(api):
    case_id = register(api, complaint_body())
    refused(api, "xiaobao", case_id, "refer_elsewhere", {"authority": "曾都区交通运输局"}, status=409)


def test_the_deputy_director_may_not_refer_an_item_elsewhere(api):
    case_id = in_triage(api)
    refused(api, "fenguan", case_id, "refer_elsewhere", {"authority": "曾都区交通运输局"}, status=403)


# ---------------------------------------------------------------- pause and resume


def test_a_pause_stops_the_clocks_without_moving_the_item(api):
    case_id = accepted_complaint(api)
    case = act(api, "nanjiao", case_id, "pause", {"reason": "testing", "note": "送检空调压缩机"}, to="in_progress")
    assert case["events"][-1]["data"]["reason"] == "testing"
    assert clock_of(case, "handling")["state"] == "paused"
    assert "resume" in case["actions"] and "pause" not in case["actions"]


def test_it_refuses_a_second_pause(api):
    case_id = accepted_complaint(api)
    assert api("nanjiao").act(case_id, "pause", {"reason": "appraisal"}).status_code == 200
    refused(api, "nanjiao", case_id, "pause", {"reason": "testing"}, status=409)


def test_it_refuses_to_pause_a_concluded_item(api):
    case_id = mediated_complaint(api)
    refused(api, "nanjiao", case_id, "pause", {"reason": "testing"}, status=409)


def test_it_refuses_a_pause_for_a_reason_the_rules_do_not_know(api):
    case_id = accepted_complaint(api)
    assert field_errors(refused(api, "nanjiao", case_id, "pause", {"reason": "holiday"}, status=422)) == ["reason"]


def test_the_dispatcher_may_not_pause_a_units_clocks(api):
    case_id = accepted_complaint(api)
    refused(api, "xiaobao", case_id, "pause", {"reason": "testing"}, status=403)


def test_resuming_leaves_the_paused_working_days_out_of_the_count(api, clock):
    case_id = assigned_complaint(api)
    assert clock_of(item(api, case_id), "acceptance")["due"] == "2026-03-11"
    travel(api, clock, "2026-03-03 10:00 +0800")
    assert api("nanjiao").act(case_id, "pause", {"reason": "other_department"}).status_code == 200
    travel(api, clock, "2026-03-05 10:00 +0800")
    case = act(api, "nanjiao", case_id, "resume", to="assigned")
    # Paused on Tue 03-03, resumed on Thu 03-05: 03-03 and 03-04 do not count.
    acceptance = clock_of(case, "acceptance")
    assert (acceptance["due"], acceptance["state"]) == ("2026-03-13", "running")
    assert "pause" in case["actions"] and "resume" not in case["actions"]


def test_it_refuses_to_resume_when_nothing_is_paused(api):
    case_id = accepted_complaint(api)
    refused(api, "nanjiao", case_id, "resume", status=409)


def test_the_dispatcher_may_not_resume_a_units_clocks(api):
    case_id = accepted_complaint(api)
    assert api("nanjiao").act(case_id, "pause", {"reason": "testing"}).status_code == 200
    refused(api, "xiaobao", case_id, "resume", status=403)


# ---------------------------------------------------------------- change_tier


def test_an_urgent_complaint_must_be_handled_within_7_working_days(api):
    case_id = accepted_complaint(api)
    assert clock_of(item(api, case_id), "handling")["due"] == "2026-03-23"
    case = act(api, "nanjiao", case_id, "change_tier", {"tier": "urgent", "note": "涉及老年人"}, to="in_progress")
    assert case["tier"] == "urgent"
    assert clock_of(case, "handling")["due"] == "2026-03-11"
    assert case["events"][-1]["data"]["old"] == "general" and case["events"][-1]["data"]["new"] == "urgent"


def test_it_refuses_a_tier_that_does_not_exist(api):
    case_id = accepted_complaint(api)
    assert field_errors(refused(api, "nanjiao", case_id, "change_tier", {"tier": "vip"}, status=422)) == ["tier"]


def test_it_refuses_to_change_the_tier_of_a_concluded_complaint(api):
    case_id = mediated_complaint(api)
    refused(api, "nanjiao", case_id, "change_tier", {"tier": "difficult"}, status=409)


def test_the_deputy_director_may_not_change_a_tier(api):
    case_id = accepted_complaint(api)
    refused(api, "fenguan", case_id, "change_tier", {"tier": "difficult"}, status=403)


# ---------------------------------------------------------------- mediate


def test_an_agreed_mediation_concludes_as_mediated_with_the_money_recovered(api):
    case_id = accepted_complaint(api)
    case = act(api, "nanjiao", case_id, "mediate",
               {"result": "agreed", "amount_recovered": "800.00", "agreement": "商家退还货款800元"}, to="concluded")
    assert case["outcome"] == "mediated" and case["amount_recovered"] == "800.00"
    assert clock_of(case, "handling")["state"] == "met" and clock_of(case, "reply")["state"] == "running"


def test_a_terminated_mediation_concludes_with_its_ground_and_starts_the_termination_notice(api):
    case_id = accepted_complaint(api)
    case = act(api, "nanjiao", case_id, "mediate",
               {"result": "terminated", "ground": "no_agreement", "reason": "双方分歧较大"}, to="concluded")
    assert case["outcome"] == "mediation_terminated" and case["ground"] == "no_agreement"
    notice = clock_of(case, "termination_notice")
    assert (notice["start"], notice["due"], notice["state"]) == ("2026-03-02", "2026-03-11", "running")


def test_a_withdrawn_complaint_concludes_as_withdrawn(api):
    case_id = accepted_complaint(api)
    case = act(api, "nanjiao", case_id, "mediate", {"result": "withdrawn"}, to="concluded")
    assert case["outcome"] == "withdrawn"


def test_it_refuses_a_mediation_result_it_does_not_know_or_a_termination_without_a_known_ground(api):
    case_id = accepted_complaint(api)
    assert field_errors(refused(api, "nanjiao", case_id, "mediate", {"result": "maybe"}, status=422)) == ["result"]
    assert field_errors(refused(api, "nanjiao", case_id, "mediate", {"result": "terminated"}, status=422)) == ["ground"]
    payload = refused(api, "nanjiao", case_id, "mediate", {"result": "terminated", "ground": "party_ceased"},
                      status=422)  # a SAMR-2026 ground; this item is under SAMR-2019
    assert field_errors(payload) == ["ground"]


def test_it_refuses_to_record_a_mediation_before_the_complaint_is_accepted(api):
    case_id = assigned_complaint(api)
    refused(api, "nanjiao", case_id, "mediate", {"result": "withdrawn"}, status=409)


def test_the_dispatcher_may_not_record_a_mediation(api):
    case_id = accepted_complaint(api)
    refused(api, "xiaobao", case_id, "mediate", {"result": "withdrawn"}, status=403)


# ---------------------------------------------------------------- begin_verification, file, decline_filing


def test_verification_of_a_report_begins_at_the_unit(api):
    case_id = assigned_report(api)
    case = act(api, "jicha", case_id, "begin_verification", to="in_progress")
    assert case["handler"] == "jicha" and clock_of(case, "verification")["state"] == "running"


def test_it_refuses_to_begin_verification_twice(api):
    case_id = verifying_report(api)
    refused(api, "jicha", case_id, "begin_verification", status=409)


def test_it_refuses_to_verify_a_complaint_as_if_it_were_a_report(api):
    case_id = assigned_complaint(api)
    refused(api, "nanjiao", case_id, "begin_verification", status=409)


def test_the_dispatcher_may_not_begin_verification(api):
    case_id = assigned_report(api)
    refused(api, "xiaobao", case_id, "begin_verification", status=403)


def test_filing_a_report_waits_for_the_bureau_head_who_concludes_it_as_filed(api):
    # 《市场监督管理行政处罚程序规定》第十八条: the head decides whether to file; the unit no longer files alone.
    case_id = verifying_report(api)
    case = act(api, "jicha", case_id, "file", {"note": "立案调查", "penalty_case_number": "曾市监立〔2026〕12号"},
               to="pending_approval")
    assert case["outcome"] is None and case["pending_approval"]["kind"] == "filing"
    assert clock_of(case, "verification")["state"] == "met"
    case = act(api, "juzhang", case_id, "approve", to="concluded")
    assert case["outcome"] == "filed"


def test_it_refuses_to_file_a_report_before_verification(api):
    case_id = assigned_report(api)
    refused(api, "jicha", case_id, "file", status=409)


def test_the_deputy_director_may_not_file_a_report(api):
    case_id = verifying_report(api)
    refused(api, "fenguan", case_id, "file", status=403)


def test_declining_to_file_waits_for_the_bureau_head(api):
    case_id = verifying_report(api)
    case = act(api, "jicha", case_id, "decline_filing", {"reason": "举报不实", "record": "现场核查未见过期食品"},
               to="pending_approval")
    assert case["outcome"] is None and case["unit"] == "jicha"
    assert case["pending_approval"] == {"kind": "not_filed", "unit": None, "approver": "bureau_head"}
    assert clock_of(case, "verification")["state"] == "met"
    assert "approve" in api("juzhang").get(f"/api/v1/cases/{case_id}").json()["actions"]
    assert "approve" not in api("fenguan").get(f"/api/v1/cases/{case_id}").json()["actions"]


def test_it_refuses_to_decline_filing_without_a_reason_or_the_written_record(api):
    case_id = verifying_report(api)
    assert field_errors(refused(api, "jicha", case_id, "decline_filing", {}, status=422)) == ["reason", "record"]


def test_it_refuses_to_decline_filing_before_verification(api):
    case_id = assigned_report(api)
    refused(api, "jicha", case_id, "decline_filing", {"reason": "举报不实"}, status=409)


def test_the_dispatcher_may_not_decline_filing(api):
    case_id = verifying_report(api)
    refused(api, "xiaobao", case_id, "decline_filing", {"reason": "举报不实"}, status=403)


# ---------------------------------------------------------------- answer


def test_the_dispatcher_answers_an_inquiry_at_once(api):
    case_id = register(api, inquiry_body())
    case = act(api, "xiaobao", case_id, "answer", {"answer": "除另有约定外，由消费者承担。"}, to="concluded")
    assert case["outcome"] == "answered"
    assert case["events"][-1]["note"] == "除另有约定外，由消费者承担。"


def test_an_inquiry_in_triage_can_be_answered(api):
    case_id = in_triage(api, inquiry_body())
    case = act(api, "xiaobao", case_id, "answer", {"answer": "请咨询12315。"}, to="concluded")
    assert case["outcome"] == "answered"


def test_it_refuses_an_answer_without_content(api):
    case_id = register(api, inquiry_body())
    assert field_errors(refused(api, "xiaobao", case_id, "answer", {}, status=422)) == ["answer"]


def test_it_refuses_to_answer_an_inquiry_twice(api):
    case_id = register(api, inquiry_body())
    assert api("xiaobao").act(case_id, "answer", {"answer": "由消费者承担。"}).status_code == 200
    refused(api, "xiaobao", case_id, "answer", {"answer": "再答一次"}, status=409)


def test_it_refuses_to_answer_a_complaint_as_if_it_were_an_inquiry(api):
    case_id = register(api, complaint_body())
    refused(api, "xiaobao", case_id, "answer", {"answer": "请自行协商"}, status=409)


def test_the_deputy_director_may_not_answer_an_inquiry(api):
    case_id = register(api, inquiry_body())
    refused(api, "fenguan", case_id, "answer", {"answer": "由消费者承担。"}, status=403)


# ---------------------------------------------------------------- reply


def test_a_reply_to_the_complainant_meets_the_reply_clock(api, clock):
    case_id = mediated_complaint(api)
    reply_clock = clock_of(item(api, case_id), "reply")
    assert (reply_clock["start"], reply_clock["due"], reply_clock["state"]) == ("2026-03-02", "2026-03-05", "running")
    travel(api, clock, "2026-03-04 15:00 +0800")
    case = act(api, "nanjiao", case_id, "reply", {"channel": "phone", "content": "已电话告知调解结果"},
               to="concluded")
    reply_clock = clock_of(case, "reply")
    assert (reply_clock["state"], reply_clock["met_on"]) == ("met", "2026-03-04")
    assert case["events"][-1]["data"]["channel"] == "phone"


def test_it_refuses_a_reply_by_a_channel_it_does_not_know(api):
    case_id = mediated_complaint(api)
    payload = refused(api, "nanjiao", case_id, "reply", {"channel": "pigeon", "content": "已告知"}, status=422)
    assert field_errors(payload) == ["channel"]
    assert clock_of(item(api, case_id), "reply")["state"] == "running"


def test_it_refuses_to_reply_before_the_item_is_concluded(api):
    case_id = accepted_complaint(api)
    refused(api, "nanjiao", case_id, "reply", {"channel": "phone", "content": "正在调解"}, status=409)


def test_the_deputy_director_may_not_reply_to_the_complainant(api):
    case_id = mediated_complaint(api)
    refused(api, "fenguan", case_id, "reply", {"channel": "phone", "content": "已告知"}, status=403)


# ---------------------------------------------------------------- archive


def test_the_archivist_archives_a_concluded_item(api):
    case_id = mediated_complaint(api)
    case = act(api, "archivist", case_id, "archive", to="archived")
    assert case["outcome"] == "mediated"


def test_it_refuses_to_archive_an_item_still_being_handled(api):
    case_id = accepted_complaint(api)
    refused(api, "archivist", case_id, "archive", status=409)


@pytest.mark.parametrize("user", ["xiaobao", "nanjiao", "auditor"])
def test_only_the_archivist_archives(api, user):
    case_id = mediated_complaint(api)
    refused(api, user, case_id, "archive", status=403)


# Someone whose role may take each action (on an item of the right state); the archived item refuses them all.
ACTOR_FOR = {
    "submit_for_triage": "xiaobao", "keep": "nanjiao", "assign": "xiaobao", "approve": "fenguan",
    "reject_approval": "fenguan", "return": "nanjiao", "accept": "nanjiao", "not_accept": "nanjiao",
    "refer_elsewhere": "xiaobao", "pause": "nanjiao", "resume": "nanjiao", "change_tier": "nanjiao",
    "mediate": "nanjiao", "begin_verification": "nanjiao", "file": "nanjiao", "decline_filing": "nanjiao",
    "answer": "xiaobao", "reply": "nanjiao", "archive": "archivist",
    # Cross-cutting actions (xiaobao.handling); give_opinion is only for invited units, tested there.
    "sign": "nanjiao", "record_contact": "nanjiao", "supervise": "xiaobao", "answer_supervision": "nanjiao",
    "open_consultation": "nanjiao", "conclude_consultation": "nanjiao", "request_visit": "xiaobao",
    "record_visit": "nanjiao", "follow_up": "nanjiao", "reopen": "nanjiao", "split": "xiaobao",
    "open_report": "nanjiao", "request_id": "nanjiao", "receive_id": "nanjiao", "send_notice": "xiaobao",
    # The handler's workspace (xiaobao.mediation).
    "record_session": "nanjiao", "entrust": "nanjiao", "entrusted_result": "nanjiao",
    "record_verification": "nanjiao", "upload_penalty_decision": "nanjiao", "archive_penalty_decision": "xiaobao",
    # Claims for gain and extortion (xiaobao.mediation.purpose).
    "assess_consumer_purpose": "nanjiao", "terminate_and_refer": "nanjiao", "dispatch_referral": "nanjiao",
    # 并案 and repeated reports (xiaobao.merging).
    "merge": "xiaobao", "unmerge": "xiaobao", "repeat_report": "xiaobao",
    # The 12345 hotline's own steps (xiaobao.hotline).
    "hotline_return": "nanjiao", "request_extension": "nanjiao", "extension_result": "xiaobao",
    "hotline_visit": "xiaobao",
    # Settling first (xiaobao.odr); business_answer is only for the business the item is with (tests/odr).
    "forward_to_business": "xiaobao", "escalate": "xiaobao",
}
BODY_FOR = {
    "assign": {"unit": "st-nanjiao"}, "reject_approval": {"note": "不同意"}, "return": {"reason": "不属本所管辖"},
    "not_accept": {"ground": "not_duty"}, "refer_elsewhere": {"authority": "曾都区交通运输局"},
    "pause": {"reason": "testing"}, "change_tier": {"tier": "urgent"}, "mediate": {"result": "withdrawn"},
    "decline_filing": {"reason": "举报不实", "record": "核查记录"}, "answer": {"answer": "已答复"},
    "reply": {"channel": "phone", "content": "已告知"}, "send_notice": {"channel": "phone", "content": "已告知"},
}


def test_an_archived_item_accepts_no_action(api):
    assert set(ACTOR_FOR) == set(TRANSITIONS) - {"give_opinion", "business_answer"}
    case_id = mediated_complaint(api)
    assert api("archivist").act(case_id, "archive").status_code == 200
    for action, user in ACTOR_FOR.items():
        payload = refused(api, user, case_id, action, BODY_FOR.get(action), status=409)
        assert payload["state"] == "archived", action
    assert api("nanjiao").get(f"/api/v1/cases/{case_id}").json()["actions"] == []
