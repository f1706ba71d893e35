"""The item page of a work order: its order number, the hotline's clocks, and its steps as buttons."""

from __future__ import annotations

import re

from django.test import Client

from tests.conftest import PASSWORD
from tests.hotline.conftest import ok, outbox, receive, route


def login(username: str) -> Client:
    c = Client()
    assert c.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return c


def buttons(html: str) -> set[str]:
    return set(re.findall(r'data-action="([a-z_]+)"', html))


def test_the_item_page_shows_the_order_number_the_hotline_clocks_and_its_steps(api, clock):
    case = route(api, receive(api)["id"])
    page = login("nanjiao").get(f"/cases/{case['id']}/").content.decode()
    assert "12345工单" in page and "ZD12345-20260302-0001" in page
    assert "12345签收" in page and "12345办结" in page and "2026-03-16" in page
    assert {"sign", "hotline_return", "request_extension"} <= buttons(page)


def test_a_unit_returns_an_order_from_its_page(api, clock):
    case = route(api, receive(api)["id"])
    client = login("nanjiao")
    form = client.get(f"/cases/{case['id']}/actions/hotline_return/").content.decode()
    assert "退单理由" in form
    r = client.post(f"/cases/{case['id']}/actions/hotline_return/", {"reason": "属住建部门职责"})
    assert r.status_code == 302
    assert ok(api("xiaobao").get(f"/api/v1/cases/{case['id']}"))["outcome"] == "returned_to_hotline"


def test_the_reply_form_of_an_order_asks_for_the_public_reply(api, clock):
    case = route(api, receive(api)["id"])
    ok(api("nanjiao").act(case["id"], "accept"))
    ok(api("nanjiao").act(case["id"], "mediate", {"result": "agreed", "agreement": "退货退款"}))
    client = login("nanjiao")
    r = client.post(f"/cases/{case['id']}/actions/reply/", {"channel": "phone", "content": "已调解"})
    assert r.status_code == 422 and "公开答复内容" in r.content.decode()
    r = client.post(f"/cases/{case['id']}/actions/reply/", {"channel": "phone", "content": "已调解",
                                                            "public_reply": "双方达成退货退款协议。"})
    assert r.status_code == 302
    assert outbox(api)["results"][-1]["data"]["public_reply"] == "双方达成退货退款协议。"


def test_the_hotlines_answer_to_an_extension_from_the_page(api, clock):
    case = route(api, receive(api)["id"])
    ok(api("nanjiao").act(case["id"], "request_extension", {"until": "2026-03-27", "reason": "待检测"}))
    client = login("xiaobao")
    assert "extension_result" in buttons(client.get(f"/cases/{case['id']}/").content.decode())
    assert client.post(f"/cases/{case['id']}/actions/extension_result/", {"approved": "true"}).status_code == 302
    detail = ok(api("xiaobao").get(f"/api/v1/cases/{case['id']}"))
    assert next(c for c in detail["clocks"] if c["name"] == "hotline_finish")["due"] == "2026-03-27"


def test_the_registration_form_offers_no_hotline_channel(bureau):
    page = login("xiaobao").get("/cases/new/").content.decode()
    assert 'value="hotline"' not in page


def test_a_dispatcher_exports_the_outbox_from_its_page_once(api, clock):
    case = route(api, receive(api)["id"])
    ok(api("nanjiao").act(case["id"], "sign"))
    client = login("xiaobao")
    page = client.get("/hotline/outbox/").content.decode()
    assert "12345回传" in page and re.search(r"data-pending>1<", page) and "ZD12345-20260302-0001" in page
    r = client.get("/hotline/outbox.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    page = client.get("/hotline/outbox/").content.decode()
    assert re.search(r"data-pending>0<", page) and "上次导出" in page
