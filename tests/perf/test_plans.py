"""The read path at scale (issue 9, docs/performance.md): a station's list and inbox read their page off an
index instead of sorting the unit's items, and the invited items of a joint consultation (会商) stay
visible — the access rule of xiaobao/cases/selectors.py is the same, only its SQL changed."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection  # noqa: F401 (skipif condition)
from django.test import Client
from django.utils import timezone

from tests.conftest import complaint_body
from xiaobao.cases.models import Case
from xiaobao.cases.search import search_cases
from xiaobao.cases.selectors import LIST_ORDER, filter_cases, inbox_sections, visible_cases, visible_parts
from xiaobao.demo.generate import generate
from xiaobao.handling.models import Consultation
from xiaobao.units.models import Staff, Unit

sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'")


@pytest.fixture
def station_items(bureau):
    generate(items=60, seed=9, years=1)
    station = Unit.objects.get(code="st-nanjiao")
    Case.objects.filter(pk__in=list(Case.objects.values_list("pk", flat=True)[::2])).update(unit=station)
    return Staff.objects.get(username="nanjiao")


def invite(unit_code: str) -> Case:
    """An open joint consultation on another unit's item that invites `unit_code`."""
    unit = Unit.objects.get(code=unit_code)
    case = Case.objects.exclude(unit=unit).order_by("pk").first()
    c = Consultation.objects.create(case=case, lead=case.unit, topic="会商", opened_at=timezone.now(),
                                    opened_by=Staff.objects.get(username="xiaobao"))
    c.invited.add(unit)
    return case


def plan(qs) -> str:
    return qs.explain()


@sqlite_only
def test_a_stations_list_page_is_read_off_an_index_in_order(station_items):
    page = filter_cases(visible_cases(station_items), {}).order_by(*LIST_ORDER)[:30]
    text = plan(page)
    assert "case_unit_received" in text and "TEMP B-TREE" not in text, text
    assert "MULTI-INDEX OR" not in text and "consultation" not in str(page.query), text


@sqlite_only
def test_with_an_invitation_the_units_part_is_still_read_off_the_index(station_items):
    invite("st-nanjiao")
    own, invited = visible_parts(station_items)
    text = plan(own.order_by(*LIST_ORDER)[:30])
    assert "case_unit_received" in text and "TEMP B-TREE" not in text, text
    assert "unit_id" not in str(invited.query).split("WHERE")[1]


@sqlite_only
def test_a_stations_inbox_sections_are_read_off_an_index_in_order(station_items):
    today = timezone.localdate()
    for key, _, qs in inbox_sections(station_items, today=today, warn_until=today):
        if key in ("registered", "assigned", "in_progress"):
            text = plan(qs.order_by("received_at")[:20])
            assert "case_unit_state_received" in text and "TEMP B-TREE" not in text, (key, text)
        if key == "reply":
            # From the open reply clocks (partial index), not from every concluded item of the unit: their
            # items' ids are read first, then those rows by primary key.
            from xiaobao.clocks.models import Clock

            reply_clocks = Clock.objects.filter(met_on__isnull=True, name="reply").values("case_id")
            assert "cases_inbox_open_clock_name" in plan(reply_clocks), key
            assert "USING INTEGER PRIMARY KEY" in plan(qs[:20]), (key, plan(qs[:20]))


def test_the_invited_item_is_in_the_stations_lists_while_the_consultation_is_open(station_items, api):
    case = invite("st-nanjiao")
    assert case.unit.code != "st-nanjiao"
    client = api("nanjiao")
    listed = {r["id"] for r in client.get("/api/v1/cases", page_size=200).json()["results"]}
    own = set(Case.objects.filter(unit__code="st-nanjiao").values_list("pk", flat=True))
    assert listed == own | {case.pk}
    assert client.get("/api/v1/cases", page_size=200).json()["count"] == len(own) + 1
    word = case.number
    assert [r["id"] for r in client.get("/api/v1/cases", q=word).json()["results"]] == [case.pk]
    assert case in search_cases(visible_cases(station_items), word[-2:])
    Consultation.objects.filter(case=case).update(concluded_at=timezone.now())
    listed = {r["id"] for r in client.get("/api/v1/cases", page_size=200).json()["results"]}
    assert listed == own
    assert client.get("/api/v1/cases", q=word).json()["count"] == 0


def test_with_an_invitation_the_pages_merge_the_two_parts_in_order(station_items, api):
    invited = invite("st-nanjiao")
    assert len(visible_parts(station_items)) == 2
    expected = list(visible_cases(station_items).order_by(*LIST_ORDER).values_list("pk", flat=True))
    assert invited.pk in expected
    client = api("nanjiao")
    pages = [client.get("/api/v1/cases", page_size=7, page=n).json() for n in range(1, len(expected) // 7 + 2)]
    assert {p["count"] for p in pages} == {len(expected)}
    assert [r["id"] for p in pages for r in p["results"]] == expected
    web = Client()
    web.force_login(station_items)
    page = web.get("/cases/", {"page": 2, "include_closed": "1"}).content.decode()  # finished items too
    assert f"共 {len(expected)} 件" in page
    numbers = dict(Case.objects.values_list("pk", "number"))
    assert all(numbers[pk] in page for pk in expected[30:60])


def test_a_section_invited_to_its_own_units_item_sees_it_once(bureau, api):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        r = api("xiaobao").post("/api/v1/cases", complaint_body())
        case = Case.objects.get(pk=r.json()["id"])
        Case.objects.filter(pk=case.pk).update(unit=Unit.objects.get(code="sec-food"))
        c = Consultation.objects.create(case=case, lead=Unit.objects.get(code="xiaobao"), topic="会商",
                                        opened_at=timezone.now(), opened_by=Staff.objects.get(username="xiaobao"))
        c.invited.add(Unit.objects.get(code="sec-food"))
        body = api("shipin").get("/api/v1/cases").json()
    assert body["count"] == 1 and [row["id"] for row in body["results"]] == [case.pk]


def test_other_units_staff_do_not_see_the_invited_item(station_items, api):
    case = invite("st-nanjiao")
    for username in ("dongcheng", "shipin"):
        user = Staff.objects.get(username=username)
        if user.unit_id == case.unit_id:
            continue
        assert api(username).get(f"/api/v1/cases/{case.pk}").status_code == 404
        assert not visible_cases(user).filter(pk=case.pk).exists()
