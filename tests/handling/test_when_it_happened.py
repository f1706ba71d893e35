"""When it happened (issue 18, point 6; API-v1.md "Law enforced on actions"): the records of facts —
record_contact, record_session, pause, resume, record_visit, follow_up — take `occurred_at`, not in the future,
not before the item's receipt, and for a pause or a resume not before the previous line of the timeline; the
timeline keeps both times; decisions are timed by the server; 回访 has no default satisfaction.

The cast: complaints received Wed 2026-05-06 09:30, routed to 南郊所 and accepted that day (rule set
zengdu-2026: a testing pause stops the handling period and the mediation cap, rules 二.2)."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import complaint_body, local
from xiaobao.cases.models import Case
from xiaobao.clocks import services as clocks
from xiaobao.handling.models import FollowUp, SiteVisit
from xiaobao.mediation.models import MediationSession

RECEIVED = "2026-05-06T09:30:00+08:00"


def ok(r, status: int = 200) -> dict:
    assert r.status_code == status, r.content.decode()[:800]
    return r.json()


def refused(r, field: str = "occurred_at") -> str:
    assert r.status_code == 422, r.content.decode()[:800]
    errors = r.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    return errors[0]["message"]


@pytest.fixture
def travel(settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 200
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False) as t:
        yield t


def routed(api) -> int:
    clerk = api("xiaobao")
    case_id = ok(clerk.post("/api/v1/cases", complaint_body(received_at=RECEIVED)), 201)["id"]
    ok(clerk.act(case_id, "submit_for_triage"))
    ok(clerk.act(case_id, "assign", {"unit": "st-nanjiao"}))
    return case_id


def accepted(api) -> int:
    case_id = routed(api)
    ok(api("nanjiao").act(case_id, "accept"))
    return case_id


def last_event(case: dict, action: str) -> dict:
    return [e for e in case["events"] if e["action"] == action][-1]


def clock(case: dict, name: str) -> dict:
    return next(c for c in case["clocks"] if c["name"] == name)


def dues(case: dict) -> dict:
    return {c["name"]: (c["due"], c["state"]) for c in case["clocks"]}


def test_a_contact_entered_later_keeps_when_it_happened_beside_when_it_was_entered(api, travel):
    case_id = routed(api)
    ok(api("nanjiao").act(case_id, "sign"))
    travel.move_to("2026-05-08 10:00 +0800")
    case = ok(api("nanjiao").act(case_id, "record_contact", {
        "content": "电话联系投诉人，约定调解时间", "occurred_at": "2026-05-07T15:00"}))  # naive: Beijing time
    line = last_event(case, "record_contact")
    assert line["occurred_at"] == "2026-05-07T15:00:00+08:00"
    assert line["at"] == "2026-05-08T10:00:00+08:00"
    # First contact (rules 一.3(1)) was made on the day it happened, not the day it was entered.
    assert clock(case, "first_contact")["met_on"] == "2026-05-07"
    # A line entered without it happened when it was entered.
    case = ok(api("nanjiao").act(case_id, "record_contact", {"content": "再次联系", "with_whom": "respondent"}))
    assert last_event(case, "record_contact")["occurred_at"] is None
    assert ok(api("nanjiao").get(f"/api/v1/cases/{case_id}"))["events"][-2]["occurred_at"] == "2026-05-07T15:00:00+08:00"


def test_a_record_in_the_future_or_before_the_receipt_is_refused_naming_occurred_at(api, travel):
    case_id = routed(api)
    handler = api("nanjiao")
    assert "不能晚于现在" in refused(handler.act(case_id, "record_contact", {
        "content": "电话联系投诉人", "occurred_at": "2026-05-06T11:00:00+08:00"}))
    assert "不能早于该件的接收时间 2026-05-06 09:30" in refused(handler.act(case_id, "record_contact", {
        "content": "电话联系投诉人", "occurred_at": "2026-05-06T09:00:00+08:00"}))
    assert "格式不正确" in refused(handler.act(case_id, "record_visit", {
        "officers": "王强、李明", "findings": "现场检查", "occurred_at": "昨天下午"}))
    assert "不能晚于现在" in refused(handler.act(case_id, "pause", {
        "reason": "testing", "occurred_at": "2026-05-07T09:00:00+08:00"}))
    case = ok(handler.get(f"/api/v1/cases/{case_id}"))
    assert [e["action"] for e in case["events"]] == ["register", "submit_for_triage", "assign"]  # nothing stored


def test_decisions_are_timed_by_the_server(api, travel):
    case_id = routed(api)
    message = refused(api("nanjiao").act(case_id, "accept", {"occurred_at": "2026-05-06T09:45:00+08:00"}))
    assert "“受理”以系统记录的时间为准" in message
    assert ok(api("nanjiao").get(f"/api/v1/cases/{case_id}"))["state"] == "assigned"
    # Another station neither learns that the item exists nor why its body is wrong.
    assert api("dongcheng").act(case_id, "accept", {"occurred_at": "2026-05-06T09:45:00+08:00"}).status_code == 404
    case = ok(api("nanjiao").act(case_id, "accept"))
    assert last_event(case, "accept")["occurred_at"] is None
    assert last_event(case, "accept")["at"] == "2026-05-06T10:00:00+08:00"


def test_a_pause_entered_later_stops_the_clocks_from_the_day_it_happened(api, travel):
    late, live, unpaused = accepted(api), accepted(api), accepted(api)
    handler = api("nanjiao")
    travel.move_to("2026-05-11 10:00 +0800")
    ok(handler.act(live, "pause", {"reason": "testing", "note": "送检"}))
    travel.move_to("2026-05-13 10:00 +0800")
    case = ok(handler.act(late, "pause", {"reason": "testing", "note": "送检",
                                          "occurred_at": "2026-05-11T10:00:00+08:00"}))
    line = last_event(case, "pause")
    assert (line["occurred_at"], line["at"]) == ("2026-05-11T10:00:00+08:00", "2026-05-13T10:00:00+08:00")
    assert line["data"]["start"] == "2026-05-11"
    # The same clocks, stopped from the same day, as the pause entered on the day (while a pause is open its
    # days count up to today: both as of today).
    for name in ("handling", "mediation_cap"):
        assert clocks.due_now(Case.objects.get(pk=late), name) == clocks.due_now(Case.objects.get(pk=live), name)
    assert clock(case, "handling")["state"] == "paused"
    assert clock(case, "handling")["due"] > clock(ok(handler.get(f"/api/v1/cases/{unpaused}")), "handling")["due"]

    travel.move_to("2026-05-15 10:00 +0800")
    ok(handler.act(live, "resume"))
    travel.move_to("2026-05-18 10:00 +0800")
    case = ok(handler.act(late, "resume", {"occurred_at": "2026-05-15T09:00:00+08:00"}))
    assert last_event(case, "resume")["data"]["end"] == "2026-05-15"
    live_case = ok(handler.get(f"/api/v1/cases/{live}"))
    assert dues(case) == dues(live_case)
    # …and they are later than those of the complaint that was never paused (the pause counted).
    never = ok(handler.get(f"/api/v1/cases/{unpaused}"))
    for name in ("handling", "mediation_cap"):
        assert clock(case, name)["due"] > clock(never, name)["due"], name


def test_a_pause_or_resume_goes_back_no_further_than_the_previous_line(api, travel):
    case_id = accepted(api)
    handler = api("nanjiao")
    travel.move_to("2026-05-08 10:00 +0800")
    ok(handler.act(case_id, "record_contact", {"content": "联系被投诉人", "with_whom": "respondent"}))
    travel.move_to("2026-05-13 10:00 +0800")
    message = refused(handler.act(case_id, "pause", {"reason": "testing", "occurred_at": "2026-05-07T10:00"}))
    assert "不能早于办理记录的上一条（2026-05-08 10:00）" in message
    # A record of another kind may go back before it (only receipt and the future bound it).
    ok(handler.act(case_id, "record_contact", {"content": "补记：5月7日电话联系投诉人",
                                               "occurred_at": "2026-05-07T10:00"}))
    ok(handler.act(case_id, "pause", {"reason": "testing", "occurred_at": "2026-05-11T10:00"}))
    message = refused(handler.act(case_id, "resume", {"occurred_at": "2026-05-10T10:00"}))
    assert "不能早于办理记录的上一条（2026-05-11 10:00）" in message
    assert ok(handler.get(f"/api/v1/cases/{case_id}"))["actions"].count("resume") == 1  # still paused


def test_a_follow_up_has_no_default_satisfaction_and_says_when_it_was_made(api, travel):
    case_id = accepted(api)
    ok(api("nanjiao").act(case_id, "mediate", {"result": "agreed", "amount_recovered": "3299.00",
                                               "agreement": "退货退款"}))
    travel.move_to("2026-05-12 10:00 +0800")
    clerk = api("xiaobao")
    assert "请填写回访满意度" in refused(clerk.act(case_id, "follow_up", {"resolved": True, "note": "电话回访"}),
                                   "satisfaction")
    assert not FollowUp.objects.filter(case_id=case_id).exists()
    case = ok(clerk.act(case_id, "follow_up", {"resolved": True, "satisfaction": "basic", "note": "电话回访",
                                               "occurred_at": "2026-05-11T16:20:00+08:00"}))
    assert last_event(case, "follow_up")["occurred_at"] == "2026-05-11T16:20:00+08:00"
    assert FollowUp.objects.get(case_id=case_id).at == local("2026-05-11T16:20:00+08:00")  # 回访 of that day


def test_a_session_and_a_visit_entered_later_keep_when_they_happened(api, travel):
    case_id = accepted(api)
    handler = api("nanjiao")
    travel.move_to("2026-05-12 10:00 +0800")
    case = ok(handler.act(case_id, "record_visit", {"officers": "王强、李明", "findings": "门店已下架该型号空调",
                                                    "occurred_at": "2026-05-11T14:00:00+08:00"}))
    assert last_event(case, "record_visit")["occurred_at"] == "2026-05-11T14:00:00+08:00"
    assert SiteVisit.objects.get(case_id=case_id).visited_at == local("2026-05-11T14:00:00+08:00")
    case = ok(handler.act(case_id, "record_session", {"mode": "on_site", "place": "南郊所调解室",
                                                      "occurred_at": "2026-05-11T15:30:00+08:00"}))
    assert last_event(case, "record_session")["occurred_at"] == "2026-05-11T15:30:00+08:00"
    assert MediationSession.objects.get(case_id=case_id).held_at == local("2026-05-11T15:30:00+08:00")
    assert "调解时间不能晚于现在" in refused(handler.act(case_id, "record_session", {
        "mode": "remote", "occurred_at": "2026-05-13T15:30:00+08:00"}))
    # `at`, the name record_session took first, still works and still answers under its own name.
    assert "调解时间不能早于该件的接收时间" in refused(handler.act(case_id, "record_session", {
        "mode": "remote", "at": "2026-05-01T15:30:00+08:00"}), "at")


def test_a_delivery_entered_later_shows_when_it_was_delivered_beside_when_it_was_entered(api, travel):
    # Deliveries said when they happened already (`delivered_at`); their timeline line now keeps both times.
    from tests.documents import flows

    case_id = accepted(api)
    doc = flows.issue(api, case_id, "acceptance_notice")
    travel.move_to("2026-05-08 10:00 +0800")
    ok(api("nanjiao").post(f"/api/v1/documents/{doc['id']}/deliveries", {
        "channel": "letter", "recipient": "complainant", "delivered_at": "2026-05-07T11:00:00+08:00"}), 201)
    line = last_event(ok(api("nanjiao").get(f"/api/v1/cases/{case_id}")), "deliver_document")
    assert (line["occurred_at"], line["at"]) == ("2026-05-07T11:00:00+08:00", "2026-05-08T10:00:00+08:00")
    ok(api("nanjiao").post(f"/api/v1/documents/{doc['id']}/deliveries", {"channel": "phone", "recipient": "complainant"}),
       201)
    assert last_event(ok(api("nanjiao").get(f"/api/v1/cases/{case_id}")), "deliver_document")["occurred_at"] is None
