"""The lists' `overdue` filter (API-v1.md: `GET /api/v1/cases?overdue=true`; the list page's 只看逾期): items
with an open clock past its due date, only those the user may see, counted exactly."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD, complaint_body


def assigned(clerk, day: str, unit: str) -> dict:
    with time_machine.travel(f"2026-{day} 10:00 +0800", tick=False):
        case = clerk.post("/api/v1/cases", complaint_body(received_at=f"2026-{day}T09:00:00+08:00")).json()
        clerk.act(case["id"], "submit_for_triage")
        clerk.act(case["id"], "assign", {"unit": unit})  # sign-off due the next working day
    return case


@pytest.mark.parametrize("cap", [5000, 0], ids=["ids-first", "past-the-cap"])
def test_overdue_lists_the_items_with_an_open_clock_past_due_that_the_user_may_see(api, cap, monkeypatch):
    from xiaobao.cases import selectors

    monkeypatch.setattr(selectors, "CLOCK_IDS_CAP", cap)
    clerk = api("xiaobao")
    old_nanjiao = assigned(clerk, "03-02", "st-nanjiao")
    old_dongcheng = assigned(clerk, "03-03", "st-dongcheng")
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        fresh = clerk.post("/api/v1/cases", complaint_body(received_at="2026-03-20T09:00:00+08:00")).json()
        everyone = api("xiaobao").get("/api/v1/cases", overdue="true").json()
        station = api("nanjiao").get("/api/v1/cases", overdue="true").json()
        web = Client()
        web.login(username="nanjiao", password=PASSWORD)
        page = web.get("/cases/", {"overdue": "1"}).content.decode()
    assert everyone["count"] == 2
    assert [r["id"] for r in everyone["results"]] == [old_dongcheng["id"], old_nanjiao["id"]]  # newest first
    assert fresh["id"] not in {r["id"] for r in everyone["results"]}
    assert station["count"] == 1 and [r["id"] for r in station["results"]] == [old_nanjiao["id"]]
    assert old_nanjiao["number"] in page and old_dongcheng["number"] not in page and fresh["number"] not in page
