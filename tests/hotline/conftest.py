"""12345 work orders driven through API v1 at fixed moments (Mon 2026-03-02; no holidays in March 2026)."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import Api

USERS = ("xiaobao", "fenguan", "nanjiao", "dongcheng", "jicha", "archivist", "auditor", "juzhang", "admin")


class Clock:
    """The frozen clock; moving it logs everyone in again (API tokens live 12 hours)."""

    def __init__(self, api, traveller):
        self.api = api
        self.traveller = traveller

    def to(self, moment: str) -> None:
        self.traveller.move_to(moment)
        for user in USERS:
            self.api(user).headers = Api(user).headers


@pytest.fixture
def clock(api):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield Clock(api, traveller)


def order_body(**overrides) -> dict:
    body = {
        "order_no": "ZD12345-20260302-0001", "received_at": "2026-03-02T09:00:00+08:00", "category": "投诉",
        "title": "空调不制冷商家拒绝退货",
        "content": "来电人反映2026年2月20日在曾都区鑫达电器商行购买空调一台，安装后不制冷，商家拒绝退换。",
        "demand": "退货退款",
        "requester": {"name": "张伟", "phone": "13800000001", "address": "曾都区南郊街道清河路8号"},
        "respondent": {"name": "曾都区鑫达电器商行", "address": "曾都区南郊街道白云大道18号"},
        "sign_due": "2026-03-03T09:00:00+08:00", "finish_due": "2026-03-16",
    }
    body.update(overrides)
    return body


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content.decode()
    return response.json()


def receive(api, **overrides) -> dict:
    return ok(api("xiaobao").post("/api/v1/hotline/orders", order_body(**overrides)), 201)


def route(api, case_id: int, unit: str = "st-nanjiao") -> dict:
    ok(api("xiaobao").act(case_id, "submit_for_triage"))
    return ok(api("xiaobao").act(case_id, "assign", {"unit": unit, "category": "appliances"}))


def clock_of(case: dict, name: str) -> dict:
    return next(c for c in case["clocks"] if c["name"] == name)


def outbox(api, after: int = 0) -> dict:
    return ok(api("xiaobao").get("/api/v1/hotline/outbox", after=after))
