"""Orders in (API-v1.md "12345 hotline work orders"): a work order becomes an item with the hotline's clocks."""

from __future__ import annotations

import pytest

from tests.conftest import complaint_body
from tests.hotline.conftest import clock_of, ok, order_body, outbox, receive, route


def test_an_order_becomes_a_complaint_with_the_hotlines_clocks(api, clock):
    case = receive(api)
    assert case["channel"] == "hotline" and case["external_id"] == "ZD12345-20260302-0001"
    assert case["kind"] == "complaint" and case["state"] == "registered"
    assert case["facts"].startswith("来电人反映") and case["demand"] == "退货退款"
    assert case["complainant"]["name"] == "张伟" and case["respondent"]["name"] == "曾都区鑫达电器商行"
    assert case["hotline"]["order_no"] == "ZD12345-20260302-0001" and case["hotline"]["title"] == "空调不制冷商家拒绝退货"
    sign, finish = clock_of(case, "hotline_sign"), clock_of(case, "hotline_finish")
    assert (sign["label"], sign["due"], sign["state"]) == ("12345签收", "2026-03-03", "running")
    assert "2026-03-03 09:00 前签收" in sign["explanation"]
    assert (finish["label"], finish["due"]) == ("12345办结", "2026-03-16")
    assert case["events"][0]["note"].startswith("12345热线登记")


def test_the_stricter_deadline_is_shown_first(api, clock):
    # The hotline wants it finished by 03-06, before the legal acceptance decision (7 working days: 03-11).
    case = route(api, receive(api, finish_due="2026-03-06")["id"])
    names = [c["name"] for c in case["clocks"]]
    assert names.index("hotline_finish") < names.index("acceptance")
    dues = [c["due"] for c in case["clocks"] if c["met_on"] is None]
    assert dues == sorted(dues)


def test_the_same_order_again_answers_with_the_same_item(api, clock):
    first = receive(api)
    again = ok(api("xiaobao").post("/api/v1/hotline/orders", order_body(title="重复推送")), 200)
    assert again["id"] == first["id"] and again["hotline"]["title"] == "空调不制冷商家拒绝退货"
    listed = ok(api("xiaobao").get("/api/v1/cases", q="ZD12345-20260302-0001"))
    assert ok(api("xiaobao").get("/api/v1/cases"))["count"] == 1, listed


def test_every_missing_field_is_named_at_once_and_nothing_is_stored(api, clock):
    r = api("xiaobao").post("/api/v1/hotline/orders", {})
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields >= {"order_no", "received_at", "category", "title", "content", "sign_due", "finish_due"}
    # A complaint needs its requester's and respondent's particulars (the item's rule set), named in the order's terms.
    r = api("xiaobao").post("/api/v1/hotline/orders", order_body(requester=None, respondent=None))
    assert {e["field"] for e in r.json()["errors"]} == {"requester.name", "requester.phone", "requester.address",
                                                        "respondent.name", "respondent.address"}
    r = api("xiaobao").post("/api/v1/hotline/orders", order_body(
        requester={"name": "张伟"}, finish_due="下周", sign_due=None))
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"requester.phone", "requester.address", "finish_due", "sign_due"} <= fields
    assert all(e["message"] for e in r.json()["errors"])
    r = api("xiaobao").post("/api/v1/hotline/orders", order_body(order_no={"no": 1}, title=["x"]))
    assert {e["field"] for e in r.json()["errors"]} == {"order_no", "title"}
    assert ok(api("xiaobao").get("/api/v1/cases"))["count"] == 0


@pytest.mark.parametrize(("category", "kind"), [("举报", "report"), ("咨询", "inquiry"), ("求助", "inquiry"),
                                                ("建议", "inquiry")])
def test_the_kind_follows_the_category(api, clock, category, kind):
    assert receive(api, category=category)["kind"] == kind


def test_without_a_demand_the_title_stands_for_it(api, clock):
    assert receive(api, demand=None)["demand"] == "空调不制冷商家拒绝退货"


@pytest.mark.parametrize("user", ["nanjiao", "fenguan", "auditor"])
def test_only_dispatchers_take_orders_in(api, clock, user):
    r = api(user).post("/api/v1/hotline/orders", order_body())
    assert r.status_code == 403 and r.json()["error"]


def test_a_routed_order_is_signed_by_the_unit_and_the_hotline_is_told(api, clock):
    case = route(api, receive(api)["id"])
    assert case["unit"] == "st-nanjiao"
    assert "sign" in ok(api("nanjiao").get(f"/api/v1/cases/{case['id']}"))["actions"]
    clock.to("2026-03-02 15:00 +0800")
    signed = ok(api("nanjiao").act(case["id"], "sign"))
    assert clock_of(signed, "hotline_sign")["met_on"] == "2026-03-02"
    box = outbox(api)
    assert [(e["type"], e["order_no"]) for e in box["results"]] == [("signed", "ZD12345-20260302-0001")]
    assert box["results"][0]["data"] == {"unit": "南郊市场监督管理所", "on_time": True}


def test_an_inquiry_order_is_signed_too(api, clock):
    case = receive(api, category="咨询", order_no="ZX-1")
    ok(api("xiaobao").act(case["id"], "submit_for_triage"))
    ok(api("xiaobao").act(case["id"], "assign", {"unit": "st-nanjiao"}))
    signed = ok(api("nanjiao").act(case["id"], "sign"))
    assert signed["handler"] == "nanjiao" and "sign" not in signed["actions"]
    assert outbox(api)["results"][0]["type"] == "signed"


@pytest.mark.parametrize("channel", ["hotline", "12345"])
def test_an_item_cannot_be_registered_as_a_hotline_item_without_its_order(api, clock, channel):
    # An item of channel hotline registered through POST /api/v1/cases would have no order behind it: no 签收 or
    # 办结 clock, nothing for the outbox. The order endpoint is the way in.
    r = api("xiaobao").post("/api/v1/cases", complaint_body(channel=channel, external_id="ZD12345-20260302-0009"))
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert error["field"] == "channel" and "POST /api/v1/hotline/orders" in error["message"]
    assert "12345热线工单" in error["message"]
    assert ok(api("xiaobao").get("/api/v1/cases"))["count"] == 0
    # The order itself still comes in as channel hotline.
    assert receive(api)["channel"] == "hotline"
