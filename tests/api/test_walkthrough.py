"""The newcomer's walk of issue 2, through the API: register, route to 南郊所, accept, mediate, timeline."""

import time_machine

from tests.conftest import complaint_body


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_a_complaint_goes_from_registration_to_mediation_with_every_step_on_the_timeline(api):
    clerk, handler = api("xiaobao"), api("nanjiao")
    r = clerk.post("/api/v1/cases", complaint_body())
    assert r.status_code == 201, r.json()
    case = r.json()
    assert case["state"] == "registered" and case["number"].startswith("TS-2026-")

    assert clerk.act(case["id"], "submit_for_triage").json()["state"] == "triage"
    routed = clerk.act(case["id"], "assign", {"unit": "st-nanjiao", "note": "属地分流"}).json()
    assert routed["state"] == "assigned" and routed["unit"] == "st-nanjiao"
    acceptance = next(c for c in routed["clocks"] if c["name"] == "acceptance")
    # 2026-03-02 + 7 working days
    assert acceptance["start"] == "2026-03-02" and acceptance["due"] == "2026-03-11"
    assert acceptance["state"] == "running" and acceptance["provisional"] is False

    accepted = handler.act(case["id"], "accept").json()
    assert accepted["state"] == "in_progress"
    done = handler.act(case["id"], "mediate", {"result": "agreed", "amount_recovered": "800.00",
                                                "agreement": "商家退还货款800元"}).json()
    assert done["state"] == "concluded" and done["outcome"] == "mediated"
    assert done["amount_recovered"] == "800.00"

    seen = handler.get(f"/api/v1/cases/{case['id']}").json()
    assert [(e["action"], e["from"], e["to"]) for e in seen["events"]] == [
        ("register", None, "registered"),
        ("submit_for_triage", "registered", "triage"),
        ("assign", "triage", "assigned"),
        ("accept", "assigned", "in_progress"),
        ("mediate", "in_progress", "concluded"),
    ]
    assert seen["events"][2]["actor"] == "xiaobao" and seen["events"][3]["actor"] == "nanjiao"
    assert {c["name"]: c["state"] for c in seen["clocks"]}["reply"] == "running"
