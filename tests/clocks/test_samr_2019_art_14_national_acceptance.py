"""SAMR-2019 第十四条 (SAMR-2026 第十五条): the bureau decides whether to accept a complaint within 7 working days of
receiving it. That national period runs from the bureau's receipt as a clock beside the unit's own 7 working days
from its receipt (rules 二.2); the earlier due date is the one shown first and warned about (DOMAIN.md, "Which
clocks a pause stops", last paragraph; issue 17, point 6). No pause stops it: a local rule cannot stretch it.

The cast: a complaint reaching 消保股 on Mon 2026-03-02 (national period due Wed 03-11)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import complaint_body
from xiaobao.cases import services
from xiaobao.clocks.models import Clock
from xiaobao.notify.models import Notification
from xiaobao.rules.data.rulesets import RULE_SETS
from xiaobao.rules.models import RuleSet


@pytest.fixture
def travel(settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 60
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as t:
        yield t


def clocks_of(case: dict) -> dict[str, dict]:
    return {c["name"]: c for c in case["clocks"]}


def daily(on: str) -> str:
    out = StringIO()
    call_command("daily_clocks", "--on", on, stdout=out)
    return out.getvalue()


def titles(username: str, kind: str) -> list[str]:
    return list(Notification.objects.filter(recipient__username=username, kind=kind).values_list("title", flat=True))


@pytest.mark.django_db
def test_every_shipped_rule_set_runs_the_national_period_beside_the_units_own_citing_its_article():
    for shipped in RULE_SETS:
        rs = RuleSet.objects.get(code=shipped["code"])
        national = rs.clock("national_acceptance")
        assert (national["length"], national["unit"], national["beside"]) == (7, "workdays", "acceptance")
        article = "SAMR-2026 第十五条" if shipped["effective_from"] >= "2026-04-15" else "SAMR-2019 第十四条"
        assert national["basis"].startswith(article), rs.code
        assert not any("national_acceptance" in names for names in rs.pause_stops().values())


def submitted(api) -> int:
    clerk = api("xiaobao")
    case_id = clerk.post("/api/v1/cases", complaint_body(received_at="2026-03-02T09:30:00+08:00")).json()["id"]
    clerk.act(case_id, "submit_for_triage")
    return case_id


def test_the_national_period_runs_from_the_bureaus_receipt_and_is_shown_and_warned_first(api, travel):
    clerk = api("xiaobao")
    # It runs from the registration on: an item left unsubmitted is not left without a clock.
    registered = clerk.post("/api/v1/cases", complaint_body(received_at="2026-03-02T09:30:00+08:00")).json()
    assert clocks_of(registered)["national_acceptance"]["due"] == "2026-03-11"
    case_id = submitted(api)
    national = clocks_of(clerk.get(f"/api/v1/cases/{case_id}").json())["national_acceptance"]
    assert (national["label"], national["start"], national["due"], national["state"]) == (
        "受理决定（自本局收到）", "2026-03-02", "2026-03-11", "running")
    assert national["basis"].startswith("SAMR-2019 第十四条")

    # Routed only on Fri 03-06: the unit's own 7 working days run to 03-17, the national period to 03-11.
    travel.move_to("2026-03-06 09:00 +0800")
    seen = clerk.act(case_id, "assign", {"unit": "st-nanjiao"}).json()
    assert (clocks_of(seen)["acceptance"]["start"], clocks_of(seen)["acceptance"]["due"]) == ("2026-03-06", "2026-03-17")
    names = [c["name"] for c in seen["clocks"]]
    assert names.index("national_acceptance") < names.index("acceptance")

    daily("2026-03-09")  # due soon: within 2 working days
    told = titles("nanjiao", "clock_due_soon")
    assert f"即将到期：{seen['number']} 受理决定（自本局收到）期限 2026-03-11" in told
    daily("2026-03-12")
    assert f"逾期：{seen['number']} 受理决定（自本局收到）期限 2026-03-11 已过" in titles("nanjiao", "clock_overdue")
    assert f"逾期：{seen['number']} 受理决定（自本局收到）期限 2026-03-11 已过" in titles("xiaobao", "clock_overdue")
    # The unit's own period falls due later: while the earlier one is open it is not warned about a second time.
    daily("2026-03-13")
    daily("2026-03-16")
    assert not [t for t in titles("nanjiao", "clock_due_soon") if "受理决定期限" in t]

    travel.move_to("2026-03-16 09:00 +0800")
    accepted = api("nanjiao").act(case_id, "accept").json()
    assert clocks_of(accepted)["national_acceptance"]["met_on"] == clocks_of(accepted)["acceptance"]["met_on"] == (
        "2026-03-16")


def test_a_jurisdiction_pause_stops_the_units_period_but_not_the_national_one(api, travel):
    case_id = submitted(api)
    clerk = api("xiaobao")
    clerk.act(case_id, "assign", {"unit": "st-dongcheng"})
    travel.move_to("2026-03-04 09:00 +0800")
    api("dongcheng").act(case_id, "return", {"reason": "不属本所辖区"})
    travel.move_to("2026-03-09 09:00 +0800")
    seen = clerk.get(f"/api/v1/cases/{case_id}").json()
    assert clocks_of(seen)["acceptance"]["state"] == "paused"
    assert (clocks_of(seen)["national_acceptance"]["state"], clocks_of(seen)["national_acceptance"]["due"]) == (
        "running", "2026-03-11")
    # The item waits for 消保股 again: the dispatchers are warned of the national period.
    daily("2026-03-09")
    assert f"即将到期：{seen['number']} 受理决定（自本局收到）期限 2026-03-11" in titles("xiaobao", "clock_due_soon")


def test_a_testing_pause_before_the_decision_does_not_stretch_the_national_period(bureau, travel):
    clerk, handler = bureau["xiaobao"], bureau["nanjiao"]
    case, _ = services.register_case(actor=clerk, data=complaint_body(received_at="2026-03-02T09:30:00+08:00"))
    services.submit_for_triage(actor=clerk, case_id=case.pk)
    services.assign(actor=clerk, case_id=case.pk, body={"unit": "st-nanjiao"})
    travel.move_to("2026-03-03 09:00 +0800")
    services.pause(actor=handler, case_id=case.pk, body={"reason": "testing", "note": "送检"})
    travel.move_to("2026-03-10 09:00 +0800")
    services.resume(actor=handler, case_id=case.pk)
    own, national = (Clock.objects.get(case=case, name=n) for n in ("acceptance", "national_acceptance"))
    assert own.due > date(2026, 3, 11)  # the rule set's pauses stop the unit's own decision (rules 二.2)
    assert (national.start, national.due) == (date(2026, 3, 2), date(2026, 3, 11))
