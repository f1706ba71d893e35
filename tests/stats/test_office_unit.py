"""消保股's own figures (the office as a unit): it holds an item from registration (or from a station's
submission) until the item is routed, and again after a return. Items registered by 消保股 and by 南郊所, routed,
returned and routed again across the end of March."""

from __future__ import annotations

from tests.conftest import complaint_body
from xiaobao.stats.periods import Month
from xiaobao.stats.queries import on_time_rates, received_by_kind_series
from xiaobao.units.models import Unit

from .conftest import ok

MARCH, APRIL = Month(2026, 3), Month(2026, 4)


def _new(api, user: str, received_at: str, **body) -> int:
    return ok(api(user).post("/api/v1/cases", complaint_body(received_at=received_at, **body)), 201)["id"]


def test_the_office_counts_what_it_held_at_each_months_end(api, clock):
    office = Unit.objects.get(code="xiaobao")
    clock.to("2026-03-02 10:00 +0800")
    returned = _new(api, "xiaobao", "2026-03-02T09:00:00+08:00")  # routed, returned: 消保股's at March's end
    ok(api("xiaobao").act(returned, "submit_for_triage"))
    ok(api("xiaobao").act(returned, "assign", {"unit": "st-dongcheng"}))
    routed = _new(api, "xiaobao", "2026-03-02T09:10:00+08:00")  # routed in March: 东城所's
    ok(api("xiaobao").act(routed, "submit_for_triage"))
    ok(api("xiaobao").act(routed, "assign", {"unit": "st-dongcheng"}))
    clock.to("2026-03-03 10:00 +0800")
    ok(api("dongcheng").act(returned, "return", {"reason": "不属本所辖区"}))

    clock.to("2026-03-30 10:00 +0800")
    submitted = _new(api, "nanjiao", "2026-03-30T09:00:00+08:00")  # 南郊所's, submitted to 消保股 in March
    kept = _new(api, "nanjiao", "2026-03-30T09:05:00+08:00")  # still 南郊所's at March's end
    ok(api("nanjiao").act(submitted, "submit_for_triage"))

    clock.to("2026-03-31 23:30 +0800")
    late = _new(api, "xiaobao", "2026-03-31T23:20:00+08:00")  # routed the next morning: 消保股's in March
    ok(api("xiaobao").act(late, "submit_for_triage"))

    clock.to("2026-04-01 09:00 +0800")
    for item, unit in ((late, "st-nanjiao"), (submitted, "st-nanjiao"), (returned, "st-nanjiao")):
        ok(api("xiaobao").act(item, "assign", {"unit": unit}))
    ok(api("nanjiao").act(kept, "submit_for_triage"))  # 消保股's from April on, but received in March
    in_april = _new(api, "xiaobao", "2026-04-01T08:00:00+08:00")  # routed in April
    ok(api("xiaobao").act(in_april, "submit_for_triage"))
    ok(api("xiaobao").act(in_april, "assign", {"unit": "st-dongcheng"}))
    clock.to("2026-04-30 23:00 +0800")
    _new(api, "xiaobao", "2026-04-30T22:00:00+08:00")  # never routed in April
    clock.to("2026-05-06 09:00 +0800")

    trend = received_by_kind_series(APRIL, office)
    assert trend["months"][-2:] == ["2026-03", "2026-04"]
    # March: returned, submitted and late (not routed, nor kept); April: the last one only.
    assert trend["series"]["complaint"][-2:] == [3, 1]
    assert received_by_kind_series(APRIL, Unit.objects.get(code="st-nanjiao"))["series"]["complaint"][-2:] == [1, 0]
    assert received_by_kind_series(APRIL, Unit.objects.get(code="st-dongcheng"))["series"]["complaint"][-2:] == [1, 1]
    assert received_by_kind_series(APRIL)["series"]["complaint"][-2:] == [5, 2]
    # Clocks start when a unit that handles items receives the item, and count for the unit it was last routed
    # to (a return does not hand them to 消保股): none is 消保股's, while 南郊所 has April's sign-offs.
    for month in (MARCH, APRIL):
        assert {name: c["due"] for name, c in on_time_rates(month, office).items()} == dict.fromkeys(
            on_time_rates(month, office), 0)
    nanjiao = Unit.objects.get(code="st-nanjiao")
    assert on_time_rates(APRIL, nanjiao)["sign_off"]["due"] == 3  # late, submitted and returned, routed 04-01
    assert on_time_rates(MARCH, nanjiao)["sign_off"]["due"] == 0
