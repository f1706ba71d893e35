"""GET /api/v1/calendar/deadline and GET/PUT /api/v1/calendar/{year} (API-v1.md, "Working-day calendar")."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
import time_machine

from tests.conftest import complaint_body
from xiaobao.clocks.calendar import get_calendar

from .reference import DayByDay

ONE_DAY = timedelta(days=1)
STARTS = [date(2025, 1, 1) + timedelta(days=i) for i in range((date(2027, 1, 1) - date(2025, 1, 1)).days)]


def reference_is_workday(d: date) -> bool:
    # chinesecalendar knows the State Council notices up to 2026; 2027 is estimated until it is published.
    return chinese_calendar.is_workday(d) if d.year <= 2026 else DayByDay.guessed_workday(d)


def reference_tables() -> tuple[list[date], dict[date, int]]:
    """Every working day from 2025 into 2027, found day by day, and for each date the number of working days
    up to and including it; the n-th working day after s is then workdays[upto[s] + n - 1]."""
    workdays, upto, d = [], {}, date(2025, 1, 1)
    while d <= date(2027, 6, 30):
        if reference_is_workday(d):
            workdays.append(d)
        upto[d] = len(workdays)
        d += ONE_DAY
    return workdays, upto


@pytest.mark.django_db
def test_the_calendar_module_matches_chinesecalendar_for_every_start_in_2025_and_2026():
    cal = get_calendar()
    workdays, upto = reference_tables()
    mismatches = []
    for start in STARTS:
        for n in range(1, 61):
            expected = workdays[upto[start] + n - 1]
            if cal.add_workdays(start, n) != expected:
                mismatches.append(("workdays", start, n))
            end = start + timedelta(days=n)
            while not reference_is_workday(end):
                end += ONE_DAY
            if cal.add_days_legal(start, n) != end:
                mismatches.append(("days", start, n))
    assert mismatches == []


def test_the_endpoint_answers_what_the_reference_says(api):
    clerk = api("xiaobao")
    workdays, upto = reference_tables()
    checked = 0
    for i, start in enumerate(STARTS[::3]):
        n = 1 + (i * 7) % 60
        expected = workdays[upto[start] + n - 1]
        r = clerk.get("/api/v1/calendar/deadline", start=start.isoformat(), days=n, unit="workdays")
        assert r.status_code == 200
        assert r.json() == {"start": start.isoformat(), "due": expected.isoformat(), "unit": "workdays",
                            "provisional": expected.year == 2027}
        checked += 1
    assert checked > 200


def test_the_domain_example_through_the_api(api):
    r = api("nanjiao").get("/api/v1/calendar/deadline", start="2026-02-13", days=7, unit="workdays")
    assert r.json() == {"start": "2026-02-13", "due": "2026-03-02", "unit": "workdays", "provisional": False}
    # 2026-09-01 + 30 calendar days is National Day; the period ends on the next working day.
    r = api("nanjiao").get("/api/v1/calendar/deadline", start="2026-09-01", days=30, unit="days")
    assert r.json()["due"] == "2026-10-08"


@pytest.mark.parametrize("params, field", [
    ({"start": "2026-02-30", "days": 7}, "start"),
    ({"start": "13/02/2026", "days": 7}, "start"),
    ({"start": "2026-02-13", "days": 7, "unit": "weeks"}, "unit"),
    ({"start": "2026-02-13", "days": -1}, "days"),
])
def test_a_bad_start_unit_or_length_is_a_422_naming_the_field(api, params, field):
    r = api("xiaobao").get("/api/v1/calendar/deadline", **params)
    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["errors"]]


def test_the_deadline_needs_a_login(bureau):
    from django.test import Client

    assert Client().get("/api/v1/calendar/deadline", {"start": "2026-02-13", "days": 7}).status_code == 401


def test_2026_is_published_with_its_holidays_and_make_up_days(api):
    r = api("xiaobao").get("/api/v1/calendar/2026")
    assert r.status_code == 200
    body = r.json()
    assert body["year"] == 2026 and body["published"] is True
    assert "2026-02-16" in body["holidays"] and "2026-10-01" in body["holidays"]
    assert "2026-02-14" in body["workdays"] and "2026-02-16" not in body["workdays"]
    assert api("xiaobao").get("/api/v1/calendar/2027").json()["published"] is False


# A made-up notice for 2027 (the real one is not out when this is written): New Year's Day and the Monday
# after it off, Sat 2027-02-06 worked.
NOTICE_2027 = {"holidays": ["2027-01-01", "2027-01-04"], "workdays": ["2027-02-06"]}


def _routed_complaint(api) -> dict:
    clerk = api("xiaobao")
    case = clerk.post("/api/v1/cases", complaint_body(received_at="2026-12-24T09:30:00+08:00")).json()
    clerk.act(case["id"], "submit_for_triage")
    routed = clerk.act(case["id"], "assign", {"unit": "st-nanjiao"}).json()
    assert routed["state"] == "assigned"
    return routed


@time_machine.travel("2026-12-24 10:00 +0800", tick=False)
def test_publishing_2027_recomputes_the_provisional_deadlines_that_reach_into_it(api):
    routed = _routed_complaint(api)
    acceptance = next(c for c in routed["clocks"] if c["name"] == "acceptance")
    # Estimated: 12-25, 12-28 … 12-31, (01-01 off), 01-04, 01-05.
    assert acceptance["due"] == "2027-01-05" and acceptance["provisional"] is True
    assert "暂定" in acceptance["explanation"]

    r = api("admin").put("/api/v1/calendar/2027", NOTICE_2027)
    assert r.status_code == 200, r.json()
    assert r.json()["published"] is True and r.json()["recomputed"] == 1
    assert api("xiaobao").get("/api/v1/calendar/2027").json()["holidays"] == NOTICE_2027["holidays"]

    seen = api("nanjiao").get(f"/api/v1/cases/{routed['id']}").json()
    acceptance = next(c for c in seen["clocks"] if c["name"] == "acceptance")
    assert acceptance["due"] == "2027-01-06" and acceptance["provisional"] is False
    assert "暂定" not in acceptance["explanation"]
    recompute = [e for e in seen["events"] if e["action"] == "recompute_clocks"]
    assert len(recompute) == 1
    assert {"clock": "acceptance", "old_due": "2027-01-05", "new_due": "2027-01-06", "provisional": False} \
        in recompute[0]["data"]["changes"]
    assert "2027年日历发布" in recompute[0]["note"]


@time_machine.travel("2026-12-24 10:00 +0800", tick=False)
def test_only_an_administrator_may_publish_a_year(api):
    for user in ("xiaobao", "nanjiao", "juzhang"):
        r = api(user).put("/api/v1/calendar/2027", NOTICE_2027)
        assert r.status_code == 403
    assert api("xiaobao").get("/api/v1/calendar/2027").json()["published"] is False


@pytest.mark.parametrize("body, field", [
    ({"holidays": ["2027-13-01"], "workdays": []}, "holidays[0]"),
    ({"holidays": ["2026-10-01"], "workdays": []}, "holidays[0]"),
    ({"holidays": [], "workdays": ["2027-02-08"]}, "workdays[0]"),
    ({"holidays": ["2027-02-06"], "workdays": ["2027-02-06"]}, "workdays"),
])
def test_bad_dates_are_a_422_and_publish_nothing(api, body, field):
    r = api("admin").put("/api/v1/calendar/2027", body)
    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["errors"]]
    assert api("admin").get("/api/v1/calendar/2027").json()["published"] is False


@time_machine.travel("2026-12-10 10:00 +0800", tick=False)
def test_the_batch_recomputation_agrees_with_the_per_item_one(api, settings):
    from xiaobao.cases.models import Case
    from xiaobao.clocks import services

    settings.XIAOBAO_TOKEN_HOURS = 24 * 90
    clerk, handler = api("xiaobao"), api("nanjiao")
    ids = []
    for tier in ("urgent", "general", "difficult"):
        case = clerk.post("/api/v1/cases", complaint_body(received_at="2026-12-10T09:30:00+08:00")).json()
        clerk.act(case["id"], "submit_for_triage")
        clerk.act(case["id"], "assign", {"unit": "st-nanjiao"})
        handler.act(case["id"], "accept")
        handler.act(case["id"], "change_tier", {"tier": tier})
        handler.act(case["id"], "pause", {"reason": "testing"})
        ids.append(case["id"])
    with time_machine.travel("2026-12-21 10:00 +0800", tick=False):
        handler.act(ids[0], "resume")
        handler.act(ids[1], "resume")
        r = api("admin").put("/api/v1/calendar/2027", NOTICE_2027)
        assert r.json()["recomputed"] == 3
        for case_id in ids:
            case = Case.objects.get(pk=case_id)
            before = {c.name: (c.due, c.provisional, c.explanation) for c in case.clocks.all()}
            assert services.recompute(case) == []
            assert before == {c.name: (c.due, c.provisional, c.explanation) for c in case.clocks.all()}
            assert not any(provisional for _, provisional, _ in before.values())


def test_a_year_outside_the_calendar_is_refused_not_a_server_error(api):
    r = api("xiaobao").get("/api/v1/calendar/-798")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "year"


def test_an_unpublished_year_is_estimated_with_its_lunar_holidays_and_stays_provisional(api):
    # Issue 18 (9): 2027's 春节 (除夕 02-05 to 初三 02-08), 清明 (04-05), 端午 (06-09) and 中秋 (09-15) are days off
    # in the estimate (《全国年节及纪念日放假办法》第二条), which stays provisional until the notice is published.
    clerk = api("xiaobao")
    r = clerk.get("/api/v1/calendar/deadline?start=2027-02-03&days=3&unit=workdays")
    assert r.json() == {"start": "2027-02-03", "due": "2027-02-10", "unit": "workdays", "provisional": True}
    for start, due in (("2027-04-02", "2027-04-06"), ("2027-06-08", "2027-06-10"), ("2027-09-14", "2027-09-16")):
        r = clerk.get(f"/api/v1/calendar/deadline?start={start}&days=1&unit=workdays")
        assert r.json()["due"] == due and r.json()["provisional"] is True
