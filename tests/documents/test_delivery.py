"""Deliveries: logged per channel and recipient; the 终止调解决定书 reaching both parties meets the
termination_notice clock (SAMR-2019 Art. 21)."""

import time_machine

from tests.documents import flows


def _clock(api, case_id: int, name: str) -> dict:
    item = api("nanjiao").get(f"/api/v1/cases/{case_id}").json()
    return next(c for c in item["clocks"] if c["name"] == name)


def test_delivering_the_termination_decision_to_both_parties_meets_the_termination_notice_clock(api, settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 7  # the tokens of day one are still good days later
    with time_machine.travel(flows.FROZEN, tick=False):
        case_id = flows.terminated(api, complainant=flows.CONSENTING)
        doc = flows.issue(api, case_id, "termination_decision")
        assert _clock(api, case_id, "termination_notice")["state"] == "running"
    with time_machine.travel("2026-03-04 15:00 +0800", tick=False):
        r = api("nanjiao").post(f"/api/v1/documents/{doc['id']}/deliveries",
                                {"channel": "sms", "recipient": "complainant", "note": "短信告知"})
        assert r.status_code == 201, r.json()
        assert r.json()["channel"] == "sms" and r.json()["by"] == "nanjiao"
        assert _clock(api, case_id, "termination_notice")["state"] == "running"
    with time_machine.travel("2026-03-05 09:00 +0800", tick=False):
        r = api("nanjiao").post(f"/api/v1/documents/{doc['id']}/deliveries",
                                {"channel": "letter", "recipient": "respondent"})
        assert r.status_code == 201
        clock = _clock(api, case_id, "termination_notice")
        assert clock["state"] == "met" and clock["met_on"] == "2026-03-05"
        listed = api("nanjiao").get(f"/api/v1/cases/{case_id}/documents").json()
        assert [d["recipient"] for d in listed[0]["delivered"]] == ["complainant", "respondent"]
        events = api("nanjiao").get(f"/api/v1/cases/{case_id}").json()["events"]
        assert [e["action"] for e in events][-2:] == ["deliver_document", "deliver_document"]
        assert events[-1]["data"]["clock_met"] == "termination_notice"


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_bad_channel_or_recipient_is_a_422_and_an_internal_record_is_not_delivered(api):
    doc = flows.issue(api, flows.accepted(api), "acceptance_notice")
    r = api("nanjiao").post(f"/api/v1/documents/{doc['id']}/deliveries", {"channel": "fax", "recipient": "respondent"})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"channel", "recipient"}
    record = flows.issue(api, flows.report_declined(api), "non_filing_record")
    r = api("nanjiao").post(f"/api/v1/documents/{record['id']}/deliveries", {"channel": "sms", "recipient": "complainant"})
    assert r.status_code == 409 and r.json()["state"] == "pending_approval"


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_delivery_cannot_be_dated_in_the_future(api):
    doc = flows.issue(api, flows.accepted(api), "acceptance_notice")
    r = api("nanjiao").post(f"/api/v1/documents/{doc['id']}/deliveries",
                            {"channel": "phone", "recipient": "complainant", "delivered_at": "2026-03-09T10:00:00+08:00"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "delivered_at"
