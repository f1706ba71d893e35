"""The hotline's 回访 result (API-v1.md: POST /api/v1/hotline/orders/{order_no}/visit): 不满意 reopens the item
(重办) through the ordinary reopen path."""

from __future__ import annotations

import pytest

from tests.hotline.conftest import ok, receive, route

ORDER = "ZD12345-20260302-0001"


def finished(api, **overrides) -> int:
    case = route(api, receive(api, **overrides)["id"])
    ok(api("nanjiao").act(case["id"], "sign"))
    ok(api("nanjiao").act(case["id"], "accept"))
    ok(api("nanjiao").act(case["id"], "mediate", {"result": "agreed", "agreement": "退货退款"}))
    ok(api("nanjiao").act(case["id"], "reply", {"channel": "phone", "content": "已调解",
                                                 "public_reply": "双方达成退货退款协议。"}))
    return case["id"]


def visit(api, body: dict, order_no: str = ORDER, user: str = "xiaobao"):
    return api(user).post(f"/api/v1/hotline/orders/{order_no}/visit", body)


def test_a_satisfied_visit_is_recorded_and_the_item_stays_concluded(api, clock):
    case_id = finished(api)
    case = ok(visit(api, {"resolved": True, "satisfaction": "satisfied", "comment": "商家已退款"}))
    assert (case["id"], case["state"], case["outcome"]) == (case_id, "concluded", "mediated")
    labels = [(e["action"], e["note"]) for e in case["events"][-2:]]
    assert labels[0] == ("hotline_visit", "12345回访：已解决，满意：商家已退款")
    assert labels[1][0] == "follow_up"


def test_a_dissatisfied_visit_reopens_the_item(api, clock):
    case_id = finished(api)
    case = ok(visit(api, {"resolved": False, "satisfaction": "dissatisfied", "comment": "商家未退款"}))
    assert (case["id"], case["state"], case["outcome"]) == (case_id, "in_progress", None)
    reopen = case["events"][-1]
    assert reopen["action"] == "reopen" and "12345回访不满意，重办：商家未退款" in reopen["note"]
    handling = next(c for c in case["clocks"] if c["name"] == "handling")
    assert handling["met_on"] is None


def test_a_dissatisfied_inquiry_goes_back_to_its_unit(api, clock):
    case = receive(api, category="咨询")
    ok(api("xiaobao").act(case["id"], "submit_for_triage"))
    ok(api("xiaobao").act(case["id"], "assign", {"unit": "st-nanjiao"}))
    ok(api("nanjiao").act(case["id"], "answer", {"answer": "七日无理由退货运费由商家承担。"}))
    ok(api("nanjiao").act(case["id"], "reply", {"channel": "phone", "content": "已答复",
                                                 "public_reply": "已答复来电人。"}))
    again = ok(visit(api, {"resolved": False, "satisfaction": "dissatisfied"}))
    assert (again["state"], again["unit"], again["outcome"]) == ("assigned", "st-nanjiao", None)
    assert "answer" in ok(api("nanjiao").get(f"/api/v1/cases/{case['id']}"))["actions"]


def test_the_visit_names_every_bad_field(api, clock):
    finished(api)
    r = visit(api, {"satisfaction": "happy"})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"resolved", "satisfaction"}


def test_an_order_still_being_handled_cannot_be_visited(api, clock):
    route(api, receive(api)["id"])
    r = visit(api, {"resolved": True, "satisfaction": "satisfied"})
    assert r.status_code == 409 and r.json()["state"] == "assigned"


def test_an_unknown_order_is_not_found(api, clock):
    assert visit(api, {"resolved": True, "satisfaction": "satisfied"}, order_no="NOPE").status_code == 404


@pytest.mark.parametrize("user", ["nanjiao", "dongcheng", "auditor"])
def test_only_dispatchers_record_the_hotlines_visit(api, clock, user):
    finished(api)
    assert visit(api, {"resolved": True, "satisfaction": "satisfied"}, user=user).status_code == 403
