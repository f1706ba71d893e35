"""The hotline's own steps (API-v1.md "12345 hotline work orders"): 退单, 延期申请 and the hotline's answer, and
the reply of a concluded order with its 公开答复内容."""

from __future__ import annotations

from tests.conftest import complaint_body
from tests.hotline.conftest import clock_of, ok, outbox, receive, route


def test_a_unit_returns_an_order_that_is_not_its_duty(api, clock):
    case = route(api, receive(api)["id"])
    assert "hotline_return" in ok(api("nanjiao").get(f"/api/v1/cases/{case['id']}"))["actions"]
    returned = ok(api("nanjiao").act(case["id"], "hotline_return", {"reason": "属住建部门职责"}))
    assert (returned["state"], returned["outcome"]) == ("concluded", "returned_to_hotline")
    assert returned["events"][-1]["label"] == "退单" and returned["events"][-1]["note"] == "属住建部门职责"
    entry = outbox(api)["results"][-1]
    assert (entry["type"], entry["data"]["reason"]) == ("returned", "属住建部门职责")


def test_a_returned_order_is_not_replied_to(api, clock):
    case = route(api, receive(api)["id"])
    ok(api("nanjiao").act(case["id"], "hotline_return", {"reason": "属住建部门职责"}))
    assert "reply" not in ok(api("nanjiao").get(f"/api/v1/cases/{case['id']}"))["actions"]
    r = api("nanjiao").act(case["id"], "reply", {"channel": "phone", "content": "x", "public_reply": "y"})
    assert r.status_code == 409
    assert [e["type"] for e in outbox(api)["results"]] == ["returned"]


def test_a_return_needs_a_reason(api, clock):
    case = route(api, receive(api)["id"])
    r = api("nanjiao").act(case["id"], "hotline_return", {})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"


def test_no_return_after_acceptance(api, clock):
    case = route(api, receive(api)["id"])
    ok(api("nanjiao").act(case["id"], "accept"))
    r = api("nanjiao").act(case["id"], "hotline_return", {"reason": "不属本所"})
    assert r.status_code == 409 and r.json()["state"] == "in_progress"


def test_the_dispatcher_returns_an_order_before_routing(api, clock):
    case = receive(api)
    assert ok(api("xiaobao").act(case["id"], "hotline_return", {"reason": "非市场监管职责"}))["outcome"] == \
        "returned_to_hotline"


def test_an_ordinary_item_has_no_hotline_steps(api, clock):
    case = ok(api("xiaobao").post("/api/v1/cases", complaint_body()), 201)
    ok(api("xiaobao").act(case["id"], "submit_for_triage"))
    ok(api("xiaobao").act(case["id"], "assign", {"unit": "st-nanjiao"}))
    actions = ok(api("nanjiao").get(f"/api/v1/cases/{case['id']}"))["actions"]
    assert not {"hotline_return", "request_extension"} & set(actions)
    assert api("nanjiao").act(case["id"], "hotline_return", {"reason": "x"}).status_code == 409


def test_an_extension_moves_the_finish_clock_only_when_the_hotline_approves(api, clock):
    case = route(api, receive(api)["id"])
    ok(api("nanjiao").act(case["id"], "accept"))
    asked = ok(api("nanjiao").act(case["id"], "request_extension", {"until": "2026-03-27", "reason": "待检测报告"}))
    assert "request_extension" not in asked["actions"]
    entry = outbox(api)["results"][-1]
    assert entry["type"] == "extension_requested" and entry["data"] == {"until": "2026-03-27", "reason": "待检测报告"}
    refused = ok(api("xiaobao").act(case["id"], "extension_result", {"approved": False}))
    assert clock_of(refused, "hotline_finish")["due"] == "2026-03-16"
    ok(api("nanjiao").act(case["id"], "request_extension", {"until": "2026-03-20", "reason": "再次申请"}))
    approved = ok(api("xiaobao").act(case["id"], "extension_result", {"approved": True}))
    finish = clock_of(approved, "hotline_finish")
    assert finish["due"] == "2026-03-20" and "延期至 2026-03-20" in finish["explanation"]
    assert ok(api("xiaobao").get("/api/v1/hotline/orders/ZD12345-20260302-0001"))["hotline"]["finish_due"] == \
        "2026-03-20"


def test_an_extension_is_asked_before_the_due_date_for_a_later_one(api, clock):
    case = route(api, receive(api)["id"])
    r = api("nanjiao").act(case["id"], "request_extension", {"until": "2026-03-10", "reason": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "until"
    r = api("nanjiao").act(case["id"], "request_extension", {})
    assert {e["field"] for e in r.json()["errors"]} == {"until", "reason"}
    clock.to("2026-03-17 10:00 +0800")
    r = api("nanjiao").act(case["id"], "request_extension", {"until": "2026-03-27", "reason": "逾期后申请"})
    assert r.status_code == 409 and "已过" in r.json()["error"]


def test_only_the_hotline_answers_an_extension(api, clock):
    case = route(api, receive(api)["id"])
    ok(api("nanjiao").act(case["id"], "request_extension", {"until": "2026-03-27", "reason": "待检测"}))
    assert api("nanjiao").act(case["id"], "extension_result", {"approved": True}).status_code == 403
    r = api("xiaobao").act(case["id"], "extension_result", {})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "approved"


def mediated(api, case_id: int) -> dict:
    ok(api("nanjiao").act(case_id, "sign"))
    ok(api("nanjiao").act(case_id, "accept"))
    return ok(api("nanjiao").act(case_id, "mediate", {"result": "agreed", "agreement": "商家退货退款3299元"}))


def test_the_reply_of_a_concluded_order_needs_the_public_reply_and_finishes_it(api, clock):
    case = route(api, receive(api)["id"])
    mediated(api, case["id"])
    r = api("nanjiao").act(case["id"], "reply", {"channel": "phone", "content": "经调解，商家同意退货退款。"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "public_reply"
    detail = ok(api("nanjiao").get(f"/api/v1/cases/{case['id']}"))
    assert "reply" not in [e["action"] for e in detail["events"]]
    ok(api("nanjiao").act(case["id"], "reply", {"channel": "phone", "content": "经调解，商家同意退货退款。",
                                                 "public_reply": "经调解，双方达成退货退款协议。"}))
    finished = outbox(api)["results"][-1]
    assert finished["type"] == "finished"
    # A further reply of the same conclusion (a letter after the call) is not sent to the hotline again.
    ok(api("nanjiao").act(case["id"], "reply", {"channel": "letter", "content": "书面告知"}))
    assert outbox(api)["results"][-1]["cursor"] == finished["cursor"]
    assert finished["data"]["result"] == "经调解，商家同意退货退款。"
    assert finished["data"]["public_reply"] == "经调解，双方达成退货退款协议。"


def test_an_ordinary_reply_needs_no_public_reply(api, clock):
    case = ok(api("xiaobao").post("/api/v1/cases", complaint_body()), 201)
    ok(api("xiaobao").act(case["id"], "submit_for_triage"))
    ok(api("xiaobao").act(case["id"], "assign", {"unit": "st-nanjiao"}))
    mediated(api, case["id"])
    ok(api("nanjiao").act(case["id"], "reply", {"channel": "phone", "content": "已告知"}))
    assert outbox(api)["results"] == []
