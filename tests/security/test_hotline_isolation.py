"""Attacks on the 12345 bridge: a station's handler reaching for another unit's work order, the outbox (every
order's results) or the hotline's own inputs."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD
from tests.hotline.conftest import ok, order_body, receive, route


@pytest.fixture(autouse=True)
def _monday_2_march_2026():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        yield


def test_a_station_cannot_read_another_units_order(api):
    case = route(api, receive(api)["id"], "st-nanjiao")
    for path in ("/api/v1/hotline/orders/ZD12345-20260302-0001", f"/api/v1/cases/{case['id']}"):
        r = api("dongcheng").get(path)
        assert r.status_code == 404, path
        assert "张伟" not in r.content.decode() and "ZD12345" not in r.content.decode()
    assert ok(api("nanjiao").get("/api/v1/hotline/orders/ZD12345-20260302-0001"))["id"] == case["id"]


def test_a_station_cannot_act_on_another_units_order(api):
    case = route(api, receive(api)["id"], "st-nanjiao")
    r = api("dongcheng").act(case["id"], "hotline_return", {"reason": "顺手退掉"})
    assert r.status_code == 404
    r = api("dongcheng").act(case["id"], "request_extension", {"until": "2026-04-30", "reason": "拖延"})
    assert r.status_code == 404
    assert ok(api("xiaobao").get(f"/api/v1/cases/{case['id']}"))["state"] == "assigned"


def test_a_handler_cannot_read_the_outbox_nor_export_it(api):
    case = route(api, receive(api)["id"], "st-nanjiao")
    ok(api("nanjiao").act(case["id"], "sign"))
    for user in ("nanjiao", "dongcheng"):
        assert api(user).get("/api/v1/hotline/outbox").status_code == 403
        assert api(user).get("/api/v1/hotline/outbox", format="xlsx").status_code == 403
        client = Client()
        assert client.post("/login/", {"username": user, "password": PASSWORD}).status_code == 302
        assert client.get("/hotline/outbox/").status_code == 403
        assert client.get("/hotline/outbox.xlsx").status_code == 403


def test_a_handler_cannot_forge_the_hotlines_answers(api):
    case = route(api, receive(api)["id"], "st-nanjiao")
    ok(api("nanjiao").act(case["id"], "request_extension", {"until": "2026-04-30", "reason": "待检测"}))
    # The unit approving its own extension, inventing a satisfied 回访, or injecting an order.
    assert api("nanjiao").act(case["id"], "extension_result", {"approved": True}).status_code == 403
    assert api("nanjiao").post("/api/v1/hotline/orders/ZD12345-20260302-0001/visit",
                               {"resolved": True, "satisfaction": "satisfied"}).status_code == 403
    assert api("nanjiao").post("/api/v1/hotline/orders", order_body(order_no="FORGED")).status_code == 403
    assert ok(api("xiaobao").get("/api/v1/hotline/outbox"))["results"][-1]["type"] == "extension_requested"


def test_a_reused_order_number_does_not_reveal_the_order(api):
    receive(api)
    # Only dispatchers take orders in, so the duplicate answer (the existing item) goes to those who see it all.
    assert api("dongcheng").post("/api/v1/hotline/orders", order_body()).status_code == 403
