"""Items driven to where merging is used: complaints of two consumers about one shop, reports of one matter."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import complaint_body, report_body

MONDAY = "2026-05-04 10:00 +0800"  # under the 2026 rules (in force 2026-04-15)
# A second consumer, same shop, same air conditioner.
OTHER_CONSUMER = {"name": "王芳", "phone": "13700000003", "address": "曾都区南郊街道清河路9号",
                  "id_type": "居民身份证", "id_number": "421302199202021234", "wants_reply": True}


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def ok(r, status: int = 200) -> dict:
    assert r.status_code == status, r.content.decode()[:800]
    return r.json()


def registered(api, body: dict) -> int:
    return ok(api("xiaobao").post("/api/v1/cases", body), 201)["id"]


def complaint(api, **overrides) -> int:
    """A complaint registered by 消保股 and waiting in triage."""
    case_id = registered(api, complaint_body(**{"received_at": "2026-05-04T09:00:00+08:00", **overrides}))
    ok(api("xiaobao").act(case_id, "submit_for_triage"))
    return case_id


def accepted_complaint(api, **overrides) -> int:
    case_id = complaint(api, **overrides)
    ok(api("xiaobao").act(case_id, "assign", {"unit": "st-nanjiao"}))
    ok(api("nanjiao").act(case_id, "accept"))
    return case_id


def report(api, **overrides) -> int:
    case_id = registered(api, report_body(received_at="2026-05-04T09:30:00+08:00", **overrides))
    ok(api("xiaobao").act(case_id, "submit_for_triage"))
    return case_id
