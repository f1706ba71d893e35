"""消保股's own figures (the office as a unit): it holds an item from registration (or from a station's
submission) until the item is routed, and again after a return. Items registered by 消保股 and by 南郊所, routed,
returned and routed again across the end of March."""

from __future__ import annotations

import importlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import complaint_body, report_body
from xiaobao.cases.models import Case, Event
from xiaobao.clocks.models import ClockRun
from xiaobao.demo.generate import generate
from xiaobao.lib import timeutil
from xiaobao.stats.periods import Month
from xiaobao.stats.queries import on_time_rates, received_by_kind_series, received_by_month_and_kind
from xiaobao.units.models import Unit, UnitKind

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
    # to (a return does not hand them to 消保股): none is 消保股's but its own routing clocks (rules 二.1; issue 17,
    # point 6), while 南郊所 has April's sign-offs.
    # March: returned (first run met 03-02; second run from 03-03 due 03-04, routed 04-01) and routed (03-02),
    # submitted (from 03-30 due 03-31, routed 04-01); April: late (due and routed 04-01), in_april (routed the
    # day it came), kept (from 04-01 due 04-02, never routed).
    expected = {MARCH: {"due": 4, "on_time": 2, "late": 2, "pending": 0, "rate": 0.5},
                APRIL: {"due": 3, "on_time": 2, "late": 1, "pending": 0, "rate": round(2 / 3, 4)}}
    for month in (MARCH, APRIL):
        rates = on_time_rates(month, office)
        assert rates.pop("routing") == expected[month], month
        assert {name: c["due"] for name, c in rates.items()} == dict.fromkeys(rates, 0)
    nanjiao = Unit.objects.get(code="st-nanjiao")
    assert on_time_rates(APRIL, nanjiao)["sign_off"]["due"] == 3  # late, submitted and returned, routed 04-01
    assert on_time_rates(MARCH, nanjiao)["sign_off"]["due"] == 0


def test_an_item_remembers_when_it_was_first_routed(api, clock):
    """Case.routed_at (what 消保股's figures read) is the time of the first routing's timeline line: not an
    assign waiting for approval, the approval itself; a return and a second routing leave it alone."""
    clock.to("2026-03-30 10:00 +0800")
    item = _new(api, "xiaobao", "2026-03-30T09:00:00+08:00")
    ok(api("xiaobao").act(item, "submit_for_triage"))
    assert Case.objects.get(pk=item).routed_at is None
    clock.to("2026-03-31 16:00 +0800")
    ok(api("xiaobao").act(item, "assign", {"unit": "st-dongcheng"}))
    first = Event.objects.get(case_id=item, action="assign").at
    clock.to("2026-04-01 10:00 +0800")
    ok(api("dongcheng").act(item, "return", {"reason": "不属本所辖区"}))
    ok(api("xiaobao").act(item, "assign", {"unit": "st-nanjiao"}))
    assert Case.objects.get(pk=item).routed_at == first

    report = ok(api("xiaobao").post("/api/v1/cases", report_body(received_at="2026-04-01T09:00:00+08:00")), 201)["id"]
    ok(api("xiaobao").act(report, "submit_for_triage"))
    ok(api("xiaobao").act(report, "assign", {"unit": "st-dongcheng"}))
    assert Case.objects.get(pk=report).state == "pending_approval"
    assert Case.objects.get(pk=report).routed_at is None
    clock.to("2026-05-06 10:00 +0800")
    ok(api("fenguan").act(report, "approve", {"note": "同意"}))
    assert Case.objects.get(pk=report).routed_at == Event.objects.get(case_id=report, action="approve").at

    # At March's end the complaint was 东城所's (routed 16:00 on the 31st); at April's end the report, still
    # awaiting approval, was 消保股's.
    trend = received_by_kind_series(APRIL, Unit.objects.get(code="xiaobao"))["series"]
    assert (trend["complaint"][-2:], trend["report"][-2:]) == ([0, 0], [0, 1])
    assert received_by_kind_series(APRIL, Unit.objects.get(code="st-dongcheng"))["series"]["complaint"][-2:] == [1, 0]


def test_the_fill_of_routed_at_reads_the_same_times_off_the_timeline(api, clock):
    """Migration cases 0011 fills routed_at for the items routed before it existed, from their events."""


    clock.to("2026-03-02 10:00 +0800")
    items = [_new(api, "xiaobao", f"2026-03-02T09:0{n}:00+08:00") for n in range(3)]
    for n, item in enumerate(items[:2]):
        clock.to(f"2026-03-0{3 + n} 10:00 +0800")
        ok(api("xiaobao").act(item, "submit_for_triage"))
        ok(api("xiaobao").act(item, "assign", {"unit": "st-nanjiao"}))
    ok(api("nanjiao").act(items[0], "return", {"reason": "不属本所辖区"}))
    ok(api("xiaobao").act(items[0], "assign", {"unit": "st-dongcheng"}))
    written = dict(Case.objects.filter(pk__in=items).values_list("pk", "routed_at"))
    assert written[items[0]] is not None and written[items[0]] != written[items[1]] and written[items[2]] is None

    Case.objects.filter(pk__in=items).update(routed_at=None)
    fill = importlib.import_module("xiaobao.cases.migrations.0011_case_routed_at").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert dict(Case.objects.filter(pk__in=items).values_list("pk", "routed_at")) == written


def _held_at_month_ends(span: list[Month]) -> dict[str, dict[tuple[str, str], int]]:
    """The trend worked out in Python from each item's timeline: who held it at the end of its month."""
    handling = {u.pk: u.code for u in Unit.objects.filter(
        kind__in=(UnitKind.SECTION, UnitKind.INSPECTION, UnitKind.STATION))}
    out: dict[str, dict[tuple[str, str], int]] = {}
    for case in Case.objects.prefetch_related("events"):
        month = next((m for m in span if m.start <= case.received_at < m.end), None)
        if month is None:
            continue
        holder = handling.get(case.registering_unit_id, "xiaobao")
        for e in sorted(case.events.all(), key=lambda e: (e.at, e.pk)):
            if e.at >= month.end:
                break
            if e.action in ("assign", "approve") and e.to_state == "assigned":
                holder = e.data["unit"]
            elif e.action in ("submit_for_triage", "return"):
                holder = "xiaobao"
        counts = out.setdefault(holder, {})
        counts[(str(month), case.kind)] = counts.get((str(month), case.kind), 0) + 1
    return out


def test_the_offices_trend_over_generated_data_matches_the_timelines(bureau):
    """A year of generated items (routings with and without approval across month ends, returns, items stations
    registered and kept or sent on): 消保股's trend, read from routed_at, and each station's, read from the
    timeline, agree with each item's events read in Python; and every clock counts for exactly one unit."""
    generate(items=1200, seed=11, years=1)
    assert Case.objects.filter(returns_count__gt=0).exists() and ClockRun.objects.exists()
    assert Case.objects.exclude(registering_unit__code="xiaobao").filter(routed_at__isnull=False).exists()
    assert Case.objects.exclude(registering_unit__code="xiaobao").filter(routed_at__isnull=True).exists()
    for case in Case.objects.exclude(routed_at=None)[:20]:
        first = Event.objects.filter(case=case, action__in=("assign", "approve"), to_state="assigned").order_by("at")
        assert case.routed_at == first.first().at
    month = Month.containing(timeutil.today())
    expected = _held_at_month_ends(month.last_months(12))
    assert sum(expected["xiaobao"].values()) > 0 and len(expected) > 2
    for code, counts in expected.items():
        assert received_by_month_and_kind(month, Unit.objects.get(code=code)) == counts, code
    units = list(Unit.objects.all())
    offices_replies = 0  # 消保股's own clocks: replies to items it referred elsewhere from triage
    for m in month.last_months(4):
        bureau_rates = on_time_rates(m)
        by_unit = {unit.code: on_time_rates(m, unit) for unit in units}
        offices_replies += by_unit["xiaobao"]["reply"]["due"]
        for name, rates in bureau_rates.items():
            for key in ("due", "on_time", "late", "pending"):
                assert sum(r[name][key] for r in by_unit.values()) == rates[key], (m, name, key)
    assert offices_replies > 0


def test_on_postgresql_a_month_of_the_offices_trend_reads_only_columns_of_the_covering_index(bureau, api, clock):
    """stats 0005: every column of the items 消保股's monthly count reads is in stats_case_received_cover, so
    PostgreSQL can count a month off the index without visiting the table (docs/performance.md)."""


    if connection.vendor != "postgresql":
        pytest.skip("an index with INCLUDE columns is PostgreSQL's")
    _new(api, "xiaobao", "2026-03-02T09:00:00+08:00")
    with CaptureQueriesContext(connection) as queries:
        assert received_by_month_and_kind(MARCH, Unit.objects.get(code="xiaobao"), months=1) == {
            ("2026-03", "complaint"): 1}
    count = next(q["sql"] for q in queries.captured_queries if "COUNT" in q["sql"])
    read = set(re.findall(r'"cases_case"\."(\w+)"', count))
    with connection.cursor() as cursor:
        cursor.execute("""SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                          WHERE c.relname = 'stats_case_received_cover'""")
        covered = {row[0] for row in cursor.fetchall()}
    assert {"received_at", "routed_at", "kind"} <= read
    assert read <= covered, read - covered
