"""Rules 二.2 "应当在接到区局消费者权益保护股分办件或者自己接到的消费者投诉，7个工作日内作出受理、不予受理的决定": a
complaint a station receives itself is decided within 7 working days of its own receipt, not of the day it keeps
it (issue 17, point 6). A report it receives itself is verified within 7 working days of receiving the material
(rules 二.2 "自收到投诉举报材料之日起7个工作日内予以核查").

The cast: a complaint reaching 南郊所 on Fri 2026-02-13, before the Spring Festival (7 working days: 03-02, with
Sat 02-14 and Sat 02-28 make-up working days), registered and kept there only on Wed 02-25."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from tests.conftest import complaint_body, report_body
from xiaobao.cases import services
from xiaobao.clocks.models import Clock

RECEIVED = "2026-02-13T10:00:00+08:00"


@pytest.fixture
def travel(settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 30
    with time_machine.travel("2026-02-25 09:00 +0800", tick=False) as t:
        yield t


def clocks_of(case: dict) -> dict[str, dict]:
    return {c["name"]: c for c in case["clocks"]}


def test_a_complaint_the_station_keeps_is_decided_within_7_working_days_of_its_own_receipt(api, travel):
    handler = api("nanjiao")
    case_id = handler.post("/api/v1/cases", complaint_body(received_at=RECEIVED)).json()["id"]
    kept = handler.act(case_id, "keep")
    assert kept.status_code == 200, kept.content
    seen = handler.get(f"/api/v1/cases/{case_id}").json()
    own = clocks_of(seen)["acceptance"]
    assert (own["start"], own["due"], own["state"], own["days_left"]) == ("2026-02-13", "2026-03-02", "running", 4)
    assert "调休上班：02-14、02-28" in own["explanation"]
    # The national period from the bureau's receipt falls due the same day: the unit's own shows first.
    national = clocks_of(seen)["national_acceptance"]
    assert (national["start"], national["due"]) == ("2026-02-13", "2026-03-02")
    names = [c["name"] for c in seen["clocks"]]
    assert names.index("acceptance") < names.index("national_acceptance")


def test_a_complaint_routed_by_the_consumer_office_runs_from_the_day_the_station_receives_it(api, travel):
    clerk = api("xiaobao")
    case_id = clerk.post("/api/v1/cases", complaint_body(received_at=RECEIVED)).json()["id"]
    clerk.act(case_id, "submit_for_triage")
    seen = clerk.act(case_id, "assign", {"unit": "st-nanjiao"}).json()
    # 分办件: the unit's 7 working days run from its receipt of the routed item, 02-25 …
    assert (clocks_of(seen)["acceptance"]["start"], clocks_of(seen)["acceptance"]["due"]) == ("2026-02-25", "2026-03-05")
    # … the national period from the bureau's receipt, the earlier, shown first.
    assert (clocks_of(seen)["national_acceptance"]["start"], clocks_of(seen)["national_acceptance"]["due"]) == (
        "2026-02-13", "2026-03-02")
    names = [c["name"] for c in seen["clocks"]]
    assert names.index("national_acceptance") < names.index("acceptance")


def test_keeping_through_the_services_starts_the_acceptance_on_the_receipt(bureau, travel):
    handler = bureau["nanjiao"]
    case, _ = services.register_case(actor=handler, data=complaint_body(received_at=RECEIVED))
    services.keep(actor=handler, case_id=case.pk)
    clock = Clock.objects.get(case=case, name="acceptance")
    assert (clock.start, clock.due, clock.basis) == (date(2026, 2, 13), date(2026, 3, 2), "规则 二.2；SAMR-2019 第十四条")


def test_a_report_the_station_keeps_is_verified_within_7_working_days_of_receiving_the_material(api, travel):
    handler = api("nanjiao")
    case_id = handler.post("/api/v1/cases", report_body(received_at=RECEIVED)).json()["id"]
    seen = handler.act(case_id, "keep").json()
    verification = clocks_of(seen)["verification"]
    assert (verification["start"], verification["due"]) == ("2026-02-13", "2026-03-02")
    assert "national_acceptance" not in clocks_of(seen)  # a complaint's period, not a report's
