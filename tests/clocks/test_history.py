"""Clock history: a restarted clock keeps its superseded run (xiaobao.clocks.models.ClockRun), and the
monthly on-time figures count each run as what it was, so a past month never changes (DOMAIN.md,
"Statistics": past months must be reproducible from the stored history).

March 2026 has no holidays: sign-off and first contact run to the end of the next working day.
"""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import complaint_body
from tests.stats.conftest import Clock as Traveller
from tests.stats.conftest import ok, register
from xiaobao.clocks.models import Clock, ClockRun


@pytest.fixture
def clock(api):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield Traveller(api, traveller)


ZERO = {"due": 0, "on_time": 0, "late": 0, "pending": 0, "rate": None}


def on_time(api, month: str, name: str, unit: str | None = None) -> dict:
    params = {"month": month, **({"unit": unit} if unit else {})}
    return ok(api("xiaobao").get("/api/v1/stats/monthly", **params))["on_time"][name]


def to(api, case_id: int, unit: str) -> None:
    ok(api("xiaobao").act(case_id, "submit_for_triage"))
    ok(api("xiaobao").act(case_id, "assign", {"unit": unit}))


def test_a_new_sign_off_keeps_the_first_contact_run_the_first_unit_missed(api, clock):
    clock.to("2026-03-02 10:00 +0800")
    late = register(api, complaint_body())
    in_time = register(api, complaint_body(received_at="2026-03-02T09:00:00+08:00"))
    for case_id in (late, in_time):
        to(api, case_id, "st-nanjiao")
        ok(api("nanjiao").act(case_id, "sign"))  # first contact due 03-03
    # in_time: returned and signed by 东城所 the same day, before 南郊所's first contact fell due.
    ok(api("nanjiao").act(in_time, "return", {"reason": "被投诉人在东城辖区"}))
    ok(api("xiaobao").act(in_time, "assign", {"unit": "st-dongcheng"}))
    ok(api("dongcheng").act(in_time, "sign"))
    ok(api("dongcheng").act(in_time, "record_contact", {"content": "已电话联系投诉人"}))

    # late: 南郊所 never called and returned it on 03-05, two days after first contact fell due.
    clock.to("2026-03-05 10:00 +0800")
    ok(api("nanjiao").act(late, "return", {"reason": "被投诉人在东城辖区"}))
    ok(api("xiaobao").act(late, "assign", {"unit": "st-dongcheng"}))
    ok(api("dongcheng").act(late, "sign"))
    ok(api("dongcheng").act(late, "record_contact", {"content": "已电话联系投诉人"}))

    current = Clock.objects.get(case_id=late, name="first_contact")
    assert (str(current.start), str(current.due), str(current.met_on)) == ("2026-03-05", "2026-03-06", "2026-03-05")
    run = ClockRun.objects.get(case_id=late, name="first_contact")
    assert (str(run.start), str(run.due), run.met_on, str(run.superseded_on)) == (
        "2026-03-02", "2026-03-03", None, "2026-03-05")
    assert run.for_unit.code == "st-nanjiao" and run.reason == "重新签收，首次联系期限重新起算"

    clock.to("2026-04-01 09:00 +0800")
    # Superseded after its due date, never met: late for 南郊所 in March. Superseded within its time
    # (in_time's first run, 03-02 → due 03-03): neither met nor missed, not counted at all.
    assert on_time(api, "2026-03", "first_contact", "st-nanjiao") == {
        "due": 1, "on_time": 0, "late": 1, "pending": 0, "rate": 0.0}
    assert on_time(api, "2026-03", "first_contact", "st-dongcheng") == {
        "due": 2, "on_time": 2, "late": 0, "pending": 0, "rate": 1.0}
    assert on_time(api, "2026-03", "first_contact") == {"due": 3, "on_time": 2, "late": 1, "pending": 0,
                                                        "rate": 0.6667}
    # Both re-routed items' sign-off runs at 南郊所 were met by the signature (03-02, due 03-03).
    assert on_time(api, "2026-03", "sign_off", "st-nanjiao") == {
        "due": 2, "on_time": 2, "late": 0, "pending": 0, "rate": 1.0}


def test_a_run_superseded_within_its_time_is_not_pending_either(api, clock):
    clock.to("2026-03-02 10:00 +0800")
    case_id = register(api, complaint_body())
    to(api, case_id, "st-nanjiao")
    ok(api("nanjiao").act(case_id, "sign"))
    ok(api("nanjiao").act(case_id, "return", {"reason": "被投诉人在东城辖区"}))
    ok(api("xiaobao").act(case_id, "assign", {"unit": "st-dongcheng"}))
    ok(api("dongcheng").act(case_id, "sign"))
    # Today (03-02) both first-contact runs would be pending; only the current one is.
    assert on_time(api, "2026-03", "first_contact") == {"due": 1, "on_time": 0, "late": 0, "pending": 1,
                                                        "rate": None}
    assert on_time(api, "2026-03", "first_contact", "st-nanjiao") == ZERO


def test_reopening_in_april_leaves_marchs_handling_rate_alone(api, clock):
    clock.to("2026-03-02 10:00 +0800")
    case_id = register(api, complaint_body())
    to(api, case_id, "st-nanjiao")
    ok(api("nanjiao").act(case_id, "accept"))  # handling: 15 working days → 03-23
    clock.to("2026-03-10 10:00 +0800")
    ok(api("nanjiao").act(case_id, "mediate", {"result": "agreed", "amount_recovered": "100.00"}))
    clock.to("2026-04-01 09:00 +0800")
    march = on_time(api, "2026-03", "handling")
    assert march == {"due": 1, "on_time": 1, "late": 0, "pending": 0, "rate": 1.0}

    ok(api("nanjiao").act(case_id, "follow_up", {"resolved": False, "satisfaction": "dissatisfied", "note": "商家未按协议退款"}))
    reopened = ok(api("nanjiao").act(case_id, "reopen", {"note": "回访不满意，继续调解"}))
    handling = next(c for c in reopened["clocks"] if c["name"] == "handling")
    assert (handling["start"], handling["state"]) == ("2026-04-01", "running")

    run = ClockRun.objects.get(case_id=case_id, name="handling")
    assert (str(run.start), str(run.due), str(run.met_on), str(run.superseded_on)) == (
        "2026-03-02", "2026-03-23", "2026-03-10", "2026-04-01")
    assert run.for_unit.code == "st-nanjiao" and run.reason.startswith("回访不满意")
    assert on_time(api, "2026-03", "handling") == march
    assert on_time(api, "2026-03", "handling", "st-nanjiao") == march
    # The new run is April's: due 04-23 (04-06 is Qingming), still running.
    assert on_time(api, "2026-04", "handling") == {"due": 1, "on_time": 0, "late": 0, "pending": 1, "rate": None}
    assert handling["due"] == "2026-04-23"


def test_the_item_shows_its_superseded_runs_in_the_api_and_on_its_page(api, clock, client):
    from django.urls import reverse

    from xiaobao.units.models import Staff

    clock.to("2026-03-02 10:00 +0800")
    case_id = register(api, complaint_body())
    to(api, case_id, "st-nanjiao")
    ok(api("nanjiao").act(case_id, "sign"))
    ok(api("nanjiao").act(case_id, "return", {"reason": "被投诉人在东城辖区"}))
    detail = ok(api("xiaobao").act(case_id, "assign", {"unit": "st-dongcheng"}))
    runs = [(r["name"], r["start"], r["met_on"], r["unit_name"], r["reason"]) for r in detail["clock_runs"]]
    assert ("sign_off", "2026-03-02", "2026-03-02", "南郊市场监督管理所", "重新交办，签收期限重新起算") in runs

    client.force_login(Staff.objects.get(username="dongcheng"))
    page = client.get(reverse("web:case", args=[case_id])).content.decode()
    assert "已重新起算的期限（" in page
    assert "重新交办，签收期限重新起算" in page
