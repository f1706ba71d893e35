"""March 2026's figures, checked by hand against the story in tests/stats/conftest.py."""

from __future__ import annotations

from tests.stats.conftest import ok

ZERO_CLOCK = {"due": 0, "on_time": 0, "late": 0, "pending": 0, "rate": None}


def test_the_bureau_sees_what_came_in_in_march(api, march):
    f = ok(api("xiaobao").get("/api/v1/stats/monthly", month="2026-03"))
    assert f["month"] == "2026-03" and f["unit"] is None
    assert f["received"] == {
        "total": 5,
        "by_kind": {"complaint": 3, "report": 1, "inquiry": 1},
        "by_channel": {"phone": 2, "visit": 1, "letter": 0, "web": 1, "platform_12315": 1, "referral": 0,
                       "hotline": 0},
        "by_category": {"appliances": 1, "clothing": 1, "food_safety": 1, "repair": 1, "unclassified": 1},
        # C was returned by 东城所 and ended the month with 南郊所; the inquiry never left 消保股.
        "by_unit": {"st-nanjiao": 3, "st-dongcheng": 1, "xiaobao": 1},
    }


def test_the_bureau_sees_what_was_concluded_and_recovered(api, march):
    f = ok(api("auditor").get("/api/v1/stats/monthly", month="2026-03"))
    assert f["concluded"] == {"total": 3, "by_outcome": {
        "not_accepted": 1, "mediated": 1, "mediation_terminated": 0, "withdrawn": 0, "referred_elsewhere": 0,
        "filed": 0, "not_filed": 0, "answered": 1, "repeat_not_handled": 0,
        "returned_to_hotline": 0, "settled_by_business": 0}}
    assert f["mediation_success_rate"] == 1.0
    assert f["amount_recovered"] == "800.00"
    assert f["returns_by_unit"] == {"st-dongcheng": 1}
    assert f["open_at_month_end"] == {"total": 2, "by_state": {
        "registered": 0, "triage": 0, "pending_approval": 0, "assigned": 1, "in_progress": 1}}


def test_every_clock_has_its_on_time_rate(api, march):
    f = ok(api("juzhang").get("/api/v1/stats/monthly", month="2026-03"))
    assert f["on_time"] == {
        # A, B signed off by accepting/declining on 03-03 (due 03-03); C's first run at 东城所 ended with the
        # return on 03-03 (due 03-03) and was superseded when C went to 南郊所, who signed off on 03-04 (due
        # 03-04); R lay unsigned at 东城所 past 03-03.
        "sign_off": {"due": 5, "on_time": 4, "late": 1, "pending": 0, "rate": 0.8},
        "first_contact": ZERO_CLOCK,
        # A and B decided on 03-03, C on 03-04; all due 03-11.
        "acceptance": {"due": 3, "on_time": 3, "late": 0, "pending": 0, "rate": 1.0},
        # A mediated 03-10 (due 03-24); C accepted 03-04, 15 working days → 03-25, still open.
        "handling": {"due": 2, "on_time": 1, "late": 1, "pending": 0, "rate": 0.5},
        # A's 60-day cap was met on 03-10; C's falls due in May.
        "mediation_cap": {"due": 1, "on_time": 1, "late": 0, "pending": 0, "rate": 1.0},
        # R: received 03-02, 7 working days → 03-11, never verified in March.
        "verification": {"due": 1, "on_time": 0, "late": 1, "pending": 0, "rate": 0.0},
        # A replied 03-11 (due 03-13); B's reply was due 03-06 and never came.
        "reply": {"due": 2, "on_time": 1, "late": 1, "pending": 0, "rate": 0.5},
        "termination_notice": ZERO_CLOCK,
        # B's complainant was never told of 不予受理 (due with the acceptance period, 03-11).
        "not_accepted_notice": {"due": 1, "on_time": 0, "late": 1, "pending": 0, "rate": 0.0},
        "not_filed_notice": ZERO_CLOCK, "filed_notice": ZERO_CLOCK, "tier_notice": ZERO_CLOCK,
        # The 12345 hotline's deadlines (xiaobao.hotline): no work order in this March.
        "hotline_sign": ZERO_CLOCK, "hotline_finish": ZERO_CLOCK,
        # 消保股 routed A, B, C and R on the day it received them (due 03-03) and C again on the day 东城所
        # returned it (03-03, due 03-04); the inquiry was answered without triage (rules 二.1).
        "routing": {"due": 5, "on_time": 5, "late": 0, "pending": 0, "rate": 1.0},
        # The deputy director approved R's routing on the day it was asked (due 03-04).
        "approval": {"due": 1, "on_time": 1, "late": 0, "pending": 0, "rate": 1.0},
        # A, B and C were received on 03-02 (national period due 03-11) and decided by 03-04.
        "national_acceptance": {"due": 3, "on_time": 3, "late": 0, "pending": 0, "rate": 1.0},
        # An ODR business's 10 working days (xiaobao.odr): nothing was forwarded to a business.
        "business_settlement": ZERO_CLOCK,
    }


def test_a_clock_not_yet_due_is_pending_while_the_month_runs(api, march, clock):
    clock.to("2026-03-20 10:00 +0800")
    handling = ok(api("xiaobao").get("/api/v1/stats/monthly", month="2026-03"))["on_time"]["handling"]
    assert handling == {"due": 2, "on_time": 1, "late": 0, "pending": 1, "rate": 1.0}


def test_a_unit_sees_its_own_figures(api, march):
    f = ok(api("nanjiao").get("/api/v1/stats/monthly", month="2026-03", unit="st-nanjiao"))
    assert f["unit"] == "st-nanjiao"
    assert f["received"]["total"] == 3
    assert f["received"]["by_kind"] == {"complaint": 3, "report": 0, "inquiry": 0}
    assert f["received"]["by_unit"] == {"st-nanjiao": 3}
    assert f["concluded"]["total"] == 2
    assert f["amount_recovered"] == "800.00"
    assert f["returns_by_unit"] == {}
    assert f["on_time"]["sign_off"] == {"due": 3, "on_time": 3, "late": 0, "pending": 0, "rate": 1.0}
    assert [u["unit"] for u in f["units"]] == ["st-nanjiao"]

    dongcheng = ok(api("dongcheng").get("/api/v1/stats/monthly", month="2026-03", unit="st-dongcheng"))
    assert dongcheng["received"]["by_kind"] == {"complaint": 0, "report": 1, "inquiry": 0}
    assert dongcheng["returns_by_unit"] == {"st-dongcheng": 1}
    assert dongcheng["on_time"]["verification"]["late"] == 1
    # C's superseded sign-off run (returned in time) counts for 东城所, where it ran; R's is late there.
    assert dongcheng["on_time"]["sign_off"] == {"due": 2, "on_time": 1, "late": 1, "pending": 0, "rate": 0.5}


def test_february_and_april_are_empty(api, march):
    for month in ("2026-02", "2026-04"):
        f = ok(api("xiaobao").get("/api/v1/stats/monthly", month=month))
        assert f["received"]["total"] == 0
        assert f["concluded"]["total"] == 0
        assert f["amount_recovered"] == "0.00"
        assert f["mediation_success_rate"] is None
