"""Cross-cutting work on an item: sign-off and first contact, supervision, joint consultation, on-site
handling, follow-up and reopening, splitting and complaint-to-report."""

import pytest
import time_machine

from tests.conftest import complaint_body, report_body


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        yield


def routed(api, body=None, unit="st-nanjiao") -> dict:
    clerk = api("xiaobao")
    case = clerk.post("/api/v1/cases", body or complaint_body()).json()
    clerk.act(case["id"], "submit_for_triage")
    return clerk.act(case["id"], "assign", {"unit": unit}).json()


def clock(case: dict, name: str) -> dict:
    return next(c for c in case["clocks"] if c["name"] == name)


def test_signing_meets_the_sign_off_clock_and_starts_first_contact_which_a_call_meets(api):
    case = routed(api)
    assert clock(case, "sign_off")["due"] == "2026-03-03"  # end of the next working day (rules 一.3(1))
    signed = api("nanjiao").act(case["id"], "sign").json()
    assert clock(signed, "sign_off")["state"] == "met" and signed["handler"] == "nanjiao"
    assert clock(signed, "first_contact")["due"] == "2026-03-03"
    assert "sign" not in signed["actions"]
    r = api("nanjiao").act(case["id"], "record_contact", {"channel": "phone", "content": "已电话联系投诉人"})
    assert clock(r.json(), "first_contact")["state"] == "met"
    assert r.json()["events"][-1]["action"] == "record_contact"


def test_a_contact_without_content_is_refused_naming_the_field(api):
    case = routed(api)
    r = api("nanjiao").act(case["id"], "record_contact", {"channel": "phone"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "content"


def test_supervision_is_issued_by_the_consumer_office_and_answered_by_the_unit(api):
    case = routed(api)
    assert api("nanjiao").act(case["id"], "supervise", {"note": "请加快办理"}).status_code == 403
    r = api("xiaobao").act(case["id"], "supervise", {"note": "请于期限内办结并反馈"})
    assert r.status_code == 200
    seen = api("nanjiao").get(f"/api/v1/cases/{case['id']}").json()
    assert "answer_supervision" in seen["actions"]
    assert seen["events"][-1]["data"]["due"] == "2026-03-05"  # three working days
    answered = api("nanjiao").act(case["id"], "answer_supervision", {"answer": "已联系双方，正在调解"}).json()
    assert "answer_supervision" not in answered["actions"]
    assert api("nanjiao").act(case["id"], "answer_supervision", {"answer": "again"}).status_code == 409


def test_an_invited_section_reads_the_item_and_gives_its_opinion_but_cannot_handle_it(api):
    case = routed(api)
    handler = api("nanjiao")
    assert api("shipin").get(f"/api/v1/cases/{case['id']}").status_code == 404
    r = handler.act(case["id"], "open_consultation", {"units": ["sec-food"], "topic": "疑难投诉会商"})
    assert r.status_code == 200
    invited = api("shipin")
    seen = invited.get(f"/api/v1/cases/{case['id']}").json()
    assert seen["actions"] == ["give_opinion"]
    assert invited.act(case["id"], "accept").status_code == 403
    assert invited.act(case["id"], "give_opinion", {"opinion": "建议送检"}).status_code == 200
    done = handler.act(case["id"], "conclude_consultation", {"conclusion": "送检后再行调解"}).json()
    assert [e["action"] for e in done["events"]][-3:] == ["open_consultation", "give_opinion", "conclude_consultation"]
    # The consultation is over: the section no longer sees the item.
    assert invited.get(f"/api/v1/cases/{case['id']}").status_code == 404


def test_on_site_handling_is_requested_and_recorded(api):
    case = routed(api)
    api("xiaobao").act(case["id"], "request_visit", {"reason": "消费者要求到现场", "scheduled_for": "2026-03-04"})
    r = api("nanjiao").act(case["id"], "record_visit", {"officers": "陈明、王强", "findings": "现场查看空调确有故障"})
    assert r.status_code == 200 and r.json()["events"][-1]["note"] == "现场查看空调确有故障"


def test_a_dissatisfied_follow_up_lets_the_unit_reopen_the_item(api):
    case = routed(api)
    handler = api("nanjiao")
    handler.act(case["id"], "accept")
    handler.act(case["id"], "mediate", {"result": "agreed", "amount_recovered": "100"})
    assert handler.act(case["id"], "reopen", {"note": "x"}).status_code == 409
    handler.act(case["id"], "follow_up", {"resolved": False, "satisfaction": "dissatisfied", "note": "商家未按协议退款"})
    seen = handler.get(f"/api/v1/cases/{case['id']}").json()
    assert "reopen" in seen["actions"]
    assert handler.act(case["id"], "reopen", {}).status_code == 422
    reopened = handler.act(case["id"], "reopen", {"note": "回访不满意，继续调解"}).json()
    assert reopened["state"] == "in_progress" and reopened["outcome"] is None
    assert clock(reopened, "handling")["start"] == "2026-03-02" and clock(reopened, "handling")["state"] == "running"


def test_a_submission_that_is_both_is_split_into_a_linked_report(api):
    clerk = api("xiaobao")
    case = clerk.post("/api/v1/cases", complaint_body()).json()
    r = clerk.act(case["id"], "split", {"facts": "该店销售的空调无3C认证"}).json()
    report_id = r["events"][-1]["data"]["report"]
    report = clerk.get(f"/api/v1/cases/{report_id}").json()
    assert report["kind"] == "report" and report["state"] == "registered"
    assert {"id": case["id"], "number": case["number"], "kind": "split"} in report["links"]


def test_complaint_to_report_opens_a_linked_report_that_needs_approval_while_the_complaint_goes_on(api):
    case = routed(api)
    handler = api("nanjiao")
    handler.act(case["id"], "accept")
    r = handler.act(case["id"], "open_report", {"facts": "调解中发现该店销售无厂名厂址的空调"}).json()
    assert r["state"] == "in_progress"
    report_id = r["events"][-1]["data"]["report"]
    clerk = api("xiaobao")
    assert clerk.get(f"/api/v1/cases/{report_id}").json()["state"] == "triage"
    assert clerk.act(report_id, "assign", {"unit": "st-nanjiao"}).json()["state"] == "pending_approval"


def test_a_report_with_an_anonymous_reporter_has_no_first_contact_clock(api):
    body = report_body()
    body["complainant"] = {"anonymous": True}
    case = routed(api, body)
    api("fenguan").act(case["id"], "approve", {"note": "同意"})
    signed = api("nanjiao").act(case["id"], "sign").json()
    assert "first_contact" not in {c["name"] for c in signed["clocks"]}


def test_the_plain_archive_action_still_numbers_the_item_in_the_archive(api):
    case = routed(api)
    handler = api("nanjiao")
    handler.act(case["id"], "accept")
    handler.act(case["id"], "mediate", {"result": "withdrawn"})
    archived = api("archivist").act(case["id"], "archive").json()
    assert archived["state"] == "archived"
    record = api("archivist").get(f"/api/v1/cases/{case['id']}/archive-record").json()
    assert record["number"].startswith("2026-TS-") and record["classification"] == "complaint.withdrawn"


def test_buttons_that_cannot_work_yet_are_not_shown(api):
    body = report_body()
    case = routed(api, body)
    api("fenguan").act(case["id"], "approve", {"note": "同意"})
    handler = api("nanjiao")
    handler.act(case["id"], "begin_verification")
    handler.act(case["id"], "decline_filing", {"reason": "未发现违法行为", "record": "现场检查未见违法行为"})
    concluded = api("juzhang").act(case["id"], "approve").json()
    assert concluded["outcome"] == "not_filed"
    assert "upload_penalty_decision" not in concluded["actions"]
    complaint = routed(api)
    handler.act(complaint["id"], "accept")
    assert "entrusted_result" not in handler.get(f"/api/v1/cases/{complaint['id']}").json()["actions"]


def test_an_identity_request_is_tracked_without_stopping_any_clock(api):
    case = routed(api)
    handler = api("nanjiao")
    before = clock(handler.get(f"/api/v1/cases/{case['id']}").json(), "acceptance")["due"]
    assert handler.act(case["id"], "request_id", {}).json()["errors"][0]["field"] == "due"
    asked = handler.act(case["id"], "request_id", {"due": "2026-03-06", "note": "请提供身份证复印件"}).json()
    assert asked["events"][-1]["note"].startswith("要求投诉人于 2026-03-06 前提供身份证明")
    assert clock(asked, "acceptance")["due"] == before and clock(asked, "acceptance")["state"] == "running"
    assert "receive_id" in asked["actions"] and "request_id" not in asked["actions"]
    got = handler.act(case["id"], "receive_id", {}).json()
    assert got["events"][-1]["action"] == "receive_id" and "receive_id" not in got["actions"]
