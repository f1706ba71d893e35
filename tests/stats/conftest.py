"""A small March 2026 for the statistics tests, built through API v1 at fixed moments.

Five items, all received on Mon 2026-03-02 (no holidays in March 2026):
- A complaint, phone, appliances → 南郊所; accepted 03-03, mediated 03-10 with 800.00 recovered, replied 03-11.
- B complaint, 12315 platform, clothing → 南郊所; not accepted 03-03; never replied to.
- C complaint, visit, repair → 东城所, returned 03-03 (not theirs) → 南郊所; accepted 03-04, still in mediation.
- R report, web, food safety → approved by the deputy director → 东城所, who do nothing in March.
- I inquiry, phone, no category: answered at once by 消保股.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import time_machine

from tests.conftest import Api, complaint_body, report_body

USERS = ("xiaobao", "fenguan", "nanjiao", "dongcheng", "jicha", "archivist", "auditor", "juzhang", "admin")


@dataclass
class March:
    a: int
    b: int
    c: int
    r: int
    i: int


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


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content.decode()
    return response.json()


def register(api, body: dict) -> int:
    return ok(api("xiaobao").post("/api/v1/cases", body), 201)["id"]


def route(api, case_id: int, unit: str) -> None:
    ok(api("xiaobao").act(case_id, "submit_for_triage"))
    ok(api("xiaobao").act(case_id, "assign", {"unit": unit}))


@pytest.fixture
def march(api, clock) -> March:
    clock.to("2026-03-02 10:00 +0800")
    a = register(api, complaint_body(channel="phone", category="appliances"))
    b = register(api, complaint_body(channel="platform_12315", category="clothing", external_id="12315-0001",
                                     received_at="2026-03-02T08:15:00+08:00"))
    c = register(api, complaint_body(channel="visit", category="repair", received_at="2026-03-02T09:00:00+08:00"))
    r = register(api, report_body(channel="web", category="food_safety"))
    i = register(api, {"kind": "inquiry", "channel": "phone", "received_at": "2026-03-02T09:45:00+08:00",
                       "facts": "网购商品七天无理由退货的运费由谁承担？",
                       "complainant": {"name": "王芳", "phone": "13700000003", "address": "曾都区西城街道"}})
    route(api, a, "st-nanjiao")
    route(api, b, "st-nanjiao")
    route(api, c, "st-dongcheng")
    route(api, r, "st-dongcheng")
    assert ok(api("fenguan").act(r, "approve", {"note": "同意"}))["unit"] == "st-dongcheng"
    ok(api("xiaobao").act(i, "answer", {"answer": "由经营者承担，另有约定的除外。"}))

    clock.to("2026-03-03 10:00 +0800")
    ok(api("nanjiao").act(a, "accept"))
    ok(api("nanjiao").act(b, "not_accept", {"ground": "not_consumption", "reason": "非生活消费"}))
    ok(api("dongcheng").act(c, "return", {"reason": "被投诉人在南郊辖区"}))
    ok(api("xiaobao").act(c, "assign", {"unit": "st-nanjiao"}))

    clock.to("2026-03-04 10:00 +0800")
    ok(api("nanjiao").act(c, "accept"))

    clock.to("2026-03-10 10:00 +0800")
    ok(api("nanjiao").act(a, "mediate", {"result": "agreed", "amount_recovered": "800.00", "agreement": "退货退款"}))

    clock.to("2026-03-11 10:00 +0800")
    ok(api("nanjiao").act(a, "reply", {"channel": "phone", "content": "已电话告知调解结果"}))

    clock.to("2026-04-01 09:00 +0800")
    return March(a=a, b=b, c=c, r=r, i=i)
