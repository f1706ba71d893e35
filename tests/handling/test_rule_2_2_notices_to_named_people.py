"""Rules 二.2 "由办理机构将结果告知具名的投诉举报人" and 二.4 "对投诉在相应时限内调解不成的应当说明理由告知消费者":
a named person is told of 不予立案, of 立案, of 不予受理, and of a tier period passed without a result, whether or
not they ticked "wants a reply", each on its own clock in the item's `clocks` (API-v1.md "Law enforced on
actions"). The notice goes out from whoever may see the person — 消保股, or the unit of a complaint — so the
unit of a report never needs the reporter's identity."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import Api, complaint_body, report_body
from tests.web.test_pages import login
from xiaobao.cases.errors import NotPermitted
from xiaobao.handling import services as handling
from xiaobao.units.models import Staff


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller


def ok(r, status: int = 200) -> dict:
    assert r.status_code == status, r.json()
    return r.json()


def clocks(case: dict) -> dict[str, dict]:
    return {c["name"]: c for c in case["clocks"]}


def no_reply_wanted(**person) -> dict:
    return {"name": "李娜", "phone": "13900000002", "address": "曾都区东城街道文化路1号", "wants_reply": False, **person}


def verifying_report(api, **overrides) -> int:
    clerk = api("xiaobao")
    case_id = ok(clerk.post("/api/v1/cases", report_body(**overrides)), 201)["id"]
    ok(clerk.act(case_id, "submit_for_triage"))
    ok(clerk.act(case_id, "assign", {"unit": "st-nanjiao"}))
    ok(api("fenguan").act(case_id, "approve"))
    ok(api("nanjiao").act(case_id, "begin_verification"))
    return case_id


def not_filed(api, **overrides) -> int:
    case_id = verifying_report(api, **overrides)
    ok(api("nanjiao").act(case_id, "decline_filing", {"reason": "举报不实", "record": "现场检查未见过期食品"}))
    ok(api("juzhang").act(case_id, "approve"))
    return case_id


def assigned_complaint(api, **overrides) -> int:
    clerk = api("xiaobao")
    case_id = ok(clerk.post("/api/v1/cases", complaint_body(**overrides)), 201)["id"]
    ok(clerk.act(case_id, "submit_for_triage"))
    ok(clerk.act(case_id, "assign", {"unit": "st-nanjiao"}))
    return case_id


# ---------------------------------------------------------------- 不予立案 and 立案 (rules 二.2)


def test_a_named_reporter_who_asked_no_reply_is_still_told_of_not_filing(api):
    case_id = not_filed(api, complainant=no_reply_wanted())
    seen = clocks(ok(api("xiaobao").get(f"/api/v1/cases/{case_id}")))
    assert "reply" not in seen
    notice = seen["not_filed_notice"]
    assert (notice["start"], notice["due"], notice["state"]) == ("2026-03-02", "2026-03-05", "running")
    assert "告知具名的投诉举报人" in notice["basis"]


def test_the_unit_of_a_report_neither_sees_nor_sends_the_notice_and_the_consumer_office_does(api):
    case_id = not_filed(api, complainant=no_reply_wanted())
    unit = api("nanjiao")
    assert "send_notice" not in ok(unit.get(f"/api/v1/cases/{case_id}"))["actions"]
    r = unit.act(case_id, "send_notice", {"channel": "phone", "content": "已告知"})
    assert r.status_code == 403 and "消保股" in r.json()["error"]

    clerk = api("xiaobao")
    assert "send_notice" in ok(clerk.get(f"/api/v1/cases/{case_id}"))["actions"]
    told = ok(clerk.act(case_id, "send_notice", {"channel": "phone", "content": "经核查决定不予立案，理由已说明。"}))
    assert clocks(told)["not_filed_notice"]["met_on"] == "2026-03-02"
    line = told["events"][-1]
    assert (line["action"], line["actor"], line["data"]["notices"]) == ("send_notice", "xiaobao", ["not_filed_notice"])
    assert "send_notice" not in told["actions"]


def test_the_service_refuses_the_unit_of_a_report(api):
    case_id = not_filed(api)
    with pytest.raises(NotPermitted):
        handling.send_notice(actor=Staff.objects.get(username="nanjiao"), case_id=case_id,
                             body={"channel": "phone", "content": "已告知"})


def test_an_anonymous_reporter_gets_no_notice_clock(api):
    case_id = not_filed(api, complainant={"anonymous": True})
    assert "not_filed_notice" not in clocks(ok(api("xiaobao").get(f"/api/v1/cases/{case_id}")))


def test_a_report_referred_elsewhere_from_its_unit_is_told_as_not_filed_here(api):
    clerk = api("xiaobao")
    case_id = ok(clerk.post("/api/v1/cases", report_body(complainant=no_reply_wanted())), 201)["id"]
    ok(clerk.act(case_id, "submit_for_triage"))
    ok(clerk.act(case_id, "assign", {"unit": "st-nanjiao"}))
    ok(api("fenguan").act(case_id, "approve"))
    ok(api("nanjiao").act(case_id, "refer_elsewhere", {"authority": "曾都区农业农村局"}))
    done = ok(api("juzhang").act(case_id, "approve"))
    assert clocks(done)["not_filed_notice"]["state"] == "running"


def test_a_named_reporter_is_told_of_filing_from_the_heads_decision(api, clock):
    case_id = verifying_report(api, complainant=no_reply_wanted())
    ok(api("nanjiao").act(case_id, "file", {}))
    assert "filed_notice" not in clocks(ok(api("xiaobao").get(f"/api/v1/cases/{case_id}")))
    clock.move_to("2026-03-03 09:00 +0800")
    filed = ok(Api("juzhang").act(case_id, "approve"))
    notice = clocks(filed)["filed_notice"]
    assert (notice["start"], notice["due"]) == ("2026-03-03", "2026-03-06")


# ---------------------------------------------------------------- 不予受理 (rules 二.2; SAMR 第十四条/第十五条)


def test_a_complainant_is_told_of_not_accepting_within_the_acceptance_period_without_asking(api):
    case_id = assigned_complaint(api, complainant={**complaint_body()["complainant"], "wants_reply": False})
    done = ok(api("nanjiao").act(case_id, "not_accept", {"ground": "not_duty"}))
    seen = clocks(done)
    assert "reply" not in seen
    assert seen["not_accepted_notice"]["due"] == seen["acceptance"]["due"] == "2026-03-11"
    # The unit handling a complaint sees the complainant and may tell them itself.
    told = ok(api("nanjiao").act(case_id, "send_notice", {"channel": "sms", "content": "不予受理，理由：…",
                                                          "notice": "not_accepted_notice"}))
    assert clocks(told)["not_accepted_notice"]["state"] == "met"


def test_a_notice_meets_the_reply_clock_of_a_person_who_asked_for_one(api):
    case_id = assigned_complaint(api)  # wants_reply in the shared body
    ok(api("nanjiao").act(case_id, "not_accept", {"ground": "not_duty"}))
    told = ok(api("xiaobao").act(case_id, "send_notice", {"channel": "phone", "content": "不予受理"}))
    assert clocks(told)["reply"]["state"] == "met" and told["events"][-1]["data"]["reply_met"] is True


def test_nothing_to_tell_is_a_409_and_a_notice_not_waiting_a_422(api):
    case_id = assigned_complaint(api)
    ok(api("nanjiao").act(case_id, "accept"))
    r = api("nanjiao").act(case_id, "send_notice", {"channel": "phone", "content": "x"})
    assert r.status_code == 409
    case_id = not_filed(api)
    r = api("xiaobao").act(case_id, "send_notice", {"channel": "phone", "content": "x", "notice": "tier_notice"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "notice"


# ---------------------------------------------------------------- a tier period passed (rules 二.4)


def test_when_the_tier_period_passes_without_a_result_the_consumer_is_told_why(api, clock):
    case_id = assigned_complaint(api, tier="urgent")
    accepted = ok(api("nanjiao").act(case_id, "accept"))
    assert clocks(accepted)["handling"]["due"] == "2026-03-11"  # urgent: 7 working days
    call_command("daily_clocks", on="2026-03-11", stdout=open("/dev/null", "w"))
    assert "tier_notice" not in clocks(ok(api("nanjiao").get(f"/api/v1/cases/{case_id}")))

    call_command("daily_clocks", on="2026-03-12", stdout=open("/dev/null", "w"))
    call_command("daily_clocks", on="2026-03-13", stdout=open("/dev/null", "w"))  # once only
    clock.move_to("2026-03-12 09:00 +0800")
    handler = Api("nanjiao")
    seen = ok(handler.get(f"/api/v1/cases/{case_id}"))
    notice = clocks(seen)["tier_notice"]
    assert (notice["start"], notice["due"]) == ("2026-03-11", "2026-03-16")
    assert "说明理由告知消费者" in notice["basis"] and seen["state"] == "in_progress"

    told = ok(handler.act(case_id, "send_notice", {"channel": "phone", "notice": "tier_notice",
                                                   "content": "因需等待检测结果，调解尚未完成。"}))
    assert clocks(told)["tier_notice"]["met_on"] == "2026-03-12" and told["state"] == "in_progress"


# ---------------------------------------------------------------- a withdrawal ends mediation


def test_a_withdrawal_gets_the_termination_notice_where_the_rule_set_says_so(api):
    case_id = assigned_complaint(api)
    ok(api("nanjiao").act(case_id, "accept"))
    done = ok(api("nanjiao").act(case_id, "mediate", {"result": "withdrawn", "reason": "投诉人撤回"}))
    notice = clocks(done)["termination_notice"]
    assert (notice["due"], notice["state"]) == ("2026-03-11", "running")


# ---------------------------------------------------------------- the page


def test_the_consumer_office_sends_the_notice_from_the_item_page(api):
    case_id = not_filed(api, complainant=no_reply_wanted())
    page = login("xiaobao")
    detail = page.get(f"/cases/{case_id}/").content.decode()
    assert 'data-action="send_notice"' in detail and "不予立案告知" in detail
    assert 'data-action="send_notice"' not in login("nanjiao").get(f"/cases/{case_id}/").content.decode()
    form = page.get(f"/cases/{case_id}/actions/send_notice/").content.decode()
    assert '<option value="not_filed_notice">不予立案告知</option>' in form
    r = page.post(f"/cases/{case_id}/actions/send_notice/", {"notice": "", "channel": "letter",
                                                             "content": "举报处理结果告知"})
    assert r.status_code == 302
    assert clocks(ok(api("xiaobao").get(f"/api/v1/cases/{case_id}")))["not_filed_notice"]["state"] == "met"
