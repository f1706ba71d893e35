"""A past month reads the same whatever happens afterwards (DOMAIN.md: "Past months must be reproducible
from the stored history")."""

from __future__ import annotations

from tests.conftest import complaint_body
from tests.stats.conftest import ok
from xiaobao.units.models import Unit


def figures(api, **params) -> dict:
    return ok(api("xiaobao").get("/api/v1/stats/monthly", month="2026-03", **params))


def april(api, clock, march) -> None:
    """Everything moves on in April: items are archived, concluded and re-routed."""
    clock.to("2026-04-02 10:00 +0800")
    ok(api("archivist").act(march.a, "archive"))
    ok(api("archivist").act(march.i, "archive"))
    ok(api("nanjiao").act(march.c, "mediate", {"result": "withdrawn"}))
    # 东城所 finally finds R is not theirs; 消保股 sends it to 稽查分局, whose filing the bureau head decides.
    ok(api("dongcheng").act(march.r, "return", {"reason": "涉嫌违法经营，应由稽查分局查处"}))
    ok(api("xiaobao").act(march.r, "assign", {"unit": "jicha"}))
    ok(api("fenguan").act(march.r, "approve", {"note": "同意"}))
    clock.to("2026-04-03 10:00 +0800")
    ok(api("jicha").act(march.r, "begin_verification"))
    ok(api("jicha").act(march.r, "file", {"note": "拟立案"}))
    ok(api("juzhang").act(march.r, "approve", {"note": "同意立案"}))  # 处罚程序规定第十八条


def test_archiving_concluding_and_rerouting_in_april_leave_march_alone(api, clock, march):
    before = figures(api)
    before_nanjiao = figures(api, unit="st-nanjiao")
    before_dongcheng = figures(api, unit="st-dongcheng")
    april(api, clock, march)

    after = figures(api)
    for key in ("received", "concluded", "mediation_success_rate", "amount_recovered", "returns_by_unit",
                "open_at_month_end", "units"):
        assert after[key] == before[key], key
    for name, rates in before["on_time"].items():
        if name != "sign_off":
            assert after["on_time"][name] == rates, name
    for unit, earlier in (("st-nanjiao", before_nanjiao), ("st-dongcheng", before_dongcheng)):
        now = figures(api, unit=unit)
        assert (now["received"], now["concluded"], now["returns_by_unit"]) == (
            earlier["received"], earlier["concluded"], earlier["returns_by_unit"])

    # April shows April: one return, two conclusions, nothing received.
    april_figures = ok(api("xiaobao").get("/api/v1/stats/monthly", month="2026-04"))
    assert april_figures["received"]["total"] == 0
    assert april_figures["concluded"]["by_outcome"]["withdrawn"] == 1
    assert april_figures["concluded"]["by_outcome"]["filed"] == 1
    assert april_figures["returns_by_unit"] == {"st-dongcheng": 1}


def test_rerouting_in_april_leaves_marchs_sign_off_rate_alone(api, clock, march):
    before = figures(api)["on_time"]["sign_off"]
    april(api, clock, march)
    assert figures(api)["on_time"]["sign_off"] == before


def test_a_units_whole_march_stays_when_its_items_leave_it_in_april(api, clock, march):
    """A unit's figures look the holder up only among the items it can have held (the station holds them now,
    registered them, or they were returned): an item that left the unit afterwards still counts for it."""
    clock.to("2026-03-20 10:00 +0800")
    # 南郊所 registers an item itself and still holds it at the end of March (no move yet).
    own = ok(api("nanjiao").post("/api/v1/cases", complaint_body(received_at="2026-03-20T09:00:00+08:00")), 201)["id"]
    clock.to("2026-04-02 09:00 +0800")
    units = ("st-nanjiao", "st-dongcheng", "jicha", "xiaobao")
    before = {unit: figures(api, unit=unit) for unit in units}
    assert before["st-nanjiao"]["received"]["total"] == 4
    assert before["st-nanjiao"]["open_at_month_end"]["total"] == 2  # C in mediation, its own item registered
    assert before["st-dongcheng"]["open_at_month_end"]["total"] == 1  # R
    # In April R is returned by 东城所 and goes to 稽查分局; 南郊所 sends its own item to 消保股 for 东城所.
    april(api, clock, march)
    ok(api("nanjiao").act(own, "submit_for_triage"))
    ok(api("xiaobao").act(own, "assign", {"unit": "st-dongcheng"}))
    for unit in units:
        assert figures(api, unit=unit) == before[unit], unit


def test_each_clock_counts_for_exactly_one_unit(api, clock, march):
    """The units' on-time figures add up to the bureau's, in March as it was and after April moved items on
    (a unit's clocks are narrowed to the items it can have held and their holder found once per item)."""
    codes = list(Unit.objects.values_list("code", flat=True))
    assert {"xiaobao", "st-nanjiao", "st-dongcheng", "jicha"} <= set(codes)

    def add_up() -> None:
        bureau = figures(api)["on_time"]
        units = [figures(api, unit=code)["on_time"] for code in codes]
        for name, rates in bureau.items():
            for key in ("due", "on_time", "late", "pending"):
                assert sum(u[name][key] for u in units) == rates[key], (name, key)

    clock.to("2026-04-01 09:00 +0800")
    add_up()
    april(api, clock, march)
    add_up()
