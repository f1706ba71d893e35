"""Rules 二.2 (受理 within 7 working days; mediation ends within 60 days of acceptance) and 二.4 (回访) after a
dissatisfied follow-up: reopening returns an item to the decision its situation needs, never yields a due date
before its start, and never allows mediation past the cap (issue 17, point 3).

The cast: a complaint routed to 南郊所 on Wed 2026-05-06 under the 2026 rule set; accepted that day, its cap
is Mon 07-06."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import complaint_body, report_body
from xiaobao.cases.errors import WrongState
from xiaobao.mediation import services as mediation


def ok(r, status: int = 200) -> dict:
    assert r.status_code == status, r.content.decode()[:800]
    return r.json()


@pytest.fixture
def travel(settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 200
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False) as t:
        yield t


def routed(api, body=None, unit="st-nanjiao") -> int:
    clerk = api("xiaobao")
    case_id = ok(clerk.post("/api/v1/cases", body or complaint_body(received_at="2026-05-06T09:30:00+08:00")),
                 201)["id"]
    ok(clerk.act(case_id, "submit_for_triage"))
    ok(clerk.act(case_id, "assign", {"unit": unit}))
    return case_id


def clock(case: dict, name: str) -> dict:
    return next(c for c in case["clocks"] if c["name"] == name)


def dissatisfied(api, case_id: int) -> None:
    ok(api("nanjiao").act(case_id, "follow_up", {"resolved": False, "satisfaction": "dissatisfied", "note": "对处理结果不满意"}))


def test_a_not_accepted_complaint_reopened_goes_back_to_the_acceptance_decision(api, travel):
    case_id = routed(api)
    handler = api("nanjiao")
    ok(handler.act(case_id, "not_accept", {"ground": "not_consumption", "reason": "非生活消费"}))
    travel.move_to("2026-05-11 10:00 +0800")
    dissatisfied(api, case_id)
    reopened = ok(handler.act(case_id, "reopen", {"note": "回访不满意，重新审查是否受理"}))
    assert reopened["state"] == "assigned" and reopened["outcome"] is None
    assert "accept" in reopened["actions"] and "mediate" not in reopened["actions"]
    acceptance = clock(reopened, "acceptance")
    # Seven working days from the reopening: 05-12 … 05-15, 05-18 … 05-20.
    assert (acceptance["start"], acceptance["due"], acceptance["state"]) == ("2026-05-11", "2026-05-20", "running")
    assert [r["reason"] for r in reopened["clock_runs"] if r["name"] == "acceptance"] == \
        ["回访不满意重新办理，受理决定期限重新起算"]
    r = handler.act(case_id, "mediate", {"result": "agreed"})
    assert r.status_code == 409
    accepted = ok(handler.act(case_id, "accept"))
    assert accepted["state"] == "in_progress" and clock(accepted, "mediation_cap")["start"] == "2026-05-11"


def test_a_complaint_reopened_within_its_cap_mediates_until_the_first_acceptances_cap(api, travel):
    case_id = routed(api)
    handler = api("nanjiao")
    ok(handler.act(case_id, "accept"))
    travel.move_to("2026-05-20 10:00 +0800")
    ok(handler.act(case_id, "mediate", {"result": "agreed", "agreement": "退货退款"}))
    travel.move_to("2026-06-29 10:00 +0800")
    dissatisfied(api, case_id)
    reopened = ok(handler.act(case_id, "reopen", {"note": "商家未履行协议"}))
    assert reopened["state"] == "in_progress"
    cap = clock(reopened, "mediation_cap")
    assert (cap["start"], cap["due"], cap["state"]) == ("2026-05-06", "2026-07-06", "running")
    handling_ = clock(reopened, "handling")
    # 15 working days from 06-29 would be 07-20: clamped to the cap.
    assert (handling_["start"], handling_["due"]) == ("2026-06-29", "2026-07-06")
    travel.move_to("2026-07-07 10:00 +0800")
    assert handler.act(case_id, "mediate", {"result": "agreed"}).status_code == 409


def test_a_complaint_reopened_after_its_cap_can_only_be_terminated(api, travel, bureau):
    case_id = routed(api)
    handler = api("nanjiao")
    ok(handler.act(case_id, "accept"))
    travel.move_to("2026-05-20 10:00 +0800")
    ok(handler.act(case_id, "mediate", {"result": "agreed", "agreement": "退货退款"}))
    travel.move_to("2026-08-14 10:00 +0800")  # day 100 after acceptance
    dissatisfied(api, case_id)
    reopened = ok(handler.act(case_id, "reopen", {"note": "商家未履行协议"}))
    handling_ = clock(reopened, "handling")
    assert handling_["start"] == "2026-08-14" and handling_["due"] >= handling_["start"]
    assert "调解终结期限 2026-07-06 已届满" in handling_["explanation"]
    travel.move_to("2026-08-15 10:00 +0800")  # day 101
    r = handler.act(case_id, "mediate", {"result": "agreed", "agreement": "再次达成协议"})
    assert r.status_code == 409 and "2026-07-06" in r.json()["error"]
    with pytest.raises(WrongState, match="2026-07-06"):
        mediation.mediate(actor=bureau["nanjiao"], case_id=case_id, body={"result": "withdrawn"})
    ended = ok(handler.act(case_id, "mediate", {"result": "terminated", "ground": "time_limit"}))
    assert ended["outcome"] == "mediation_terminated"


def test_a_reopened_report_goes_back_to_its_decision_with_a_verification_period(api, travel):
    case_id = routed(api, report_body(received_at="2026-05-06T10:00:00+08:00"), unit="jicha")
    ok(api("fenguan").act(case_id, "approve"))
    jicha = api("jicha")
    ok(jicha.act(case_id, "begin_verification"))
    ok(jicha.act(case_id, "file", {"penalty_case_number": "曾市监立〔2026〕1号"}))
    ok(api("juzhang").act(case_id, "approve", {"note": "同意立案"}))  # 处罚程序规定第十八条
    travel.move_to("2026-05-11 10:00 +0800")
    ok(jicha.act(case_id, "follow_up", {"resolved": False, "satisfaction": "dissatisfied"}))
    reopened = ok(jicha.act(case_id, "reopen", {"note": "举报人对处理结果不满意"}))
    verification = clock(reopened, "verification")
    assert reopened["state"] == "in_progress"
    assert verification["start"] == "2026-05-11" and verification["due"] > verification["start"]


def test_an_item_referred_elsewhere_from_triage_reopens_to_triage(api, travel):
    clerk = api("xiaobao")
    case_id = ok(clerk.post("/api/v1/cases", complaint_body(received_at="2026-05-06T09:30:00+08:00")), 201)["id"]
    ok(clerk.act(case_id, "submit_for_triage"))
    ok(clerk.act(case_id, "refer_elsewhere", {"authority": "区文化和旅游局", "reason": "不属本局职责"}))
    ok(clerk.act(case_id, "follow_up", {"resolved": False, "satisfaction": "dissatisfied"}))
    reopened = ok(clerk.act(case_id, "reopen", {"note": "重新确定管辖"}))
    assert reopened["state"] == "triage" and "assign" in reopened["actions"]
    # The decision clocks start when a unit receives it (rules 二.2).
    assert not [c for c in reopened["clocks"] if c["name"] in ("acceptance", "handling", "mediation_cap")]
