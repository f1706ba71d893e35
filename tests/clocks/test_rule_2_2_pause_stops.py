"""Rules 二.2 "下列情形，不计算在投诉办理期限内", 二.2 and 二.4 "鉴定或者检测的时间不计算在60日内": which clocks each
pause reason stops is rule-set data with its basis (DOMAIN.md, "Which clocks a pause stops"; issue 17, point 2).
Testing and appraisal stop the tier period and the 60-day cap; expert review and another department's help
stop the tier period only; jurisdiction stops the acceptance decision.

The cast: a complaint accepted by 南郊所 on Wed 2026-05-06 (general tier: 15 working days with Sat 05-09 a
make-up working day, due 05-26; the cap 07-06)."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import complaint_body
from xiaobao.clocks import services as clocks
from xiaobao.clocks.models import PauseReason
from xiaobao.notify.models import Notification
from xiaobao.rules.data.rulesets import RULE_SETS
from xiaobao.rules.models import RuleSet


@pytest.fixture
def travel(settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 200
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False) as t:
        yield t


def routed(api) -> int:
    clerk = api("xiaobao")
    case_id = clerk.post("/api/v1/cases", complaint_body(received_at="2026-05-06T09:30:00+08:00")).json()["id"]
    clerk.act(case_id, "submit_for_triage")
    clerk.act(case_id, "assign", {"unit": "st-nanjiao"})
    return case_id


@pytest.fixture
def accepted(api, travel) -> int:
    case_id = routed(api)
    case = api("nanjiao").act(case_id, "accept").json()
    assert (clock(case, "handling")["due"], clock(case, "mediation_cap")["due"]) == ("2026-05-26", "2026-07-06")
    return case_id


def clock(case: dict, name: str) -> dict:
    return next(c for c in case["clocks"] if c["name"] == name)


def paused_ten_days(api, travel, case_id: int, reason: str) -> dict:
    """A pause from Mon 05-11 to Thu 05-21: 05-11 … 05-20 (ten days, eight of them working days) do not count
    for the clocks it stops."""
    travel.move_to("2026-05-11 09:00 +0800")
    during = api("nanjiao").act(case_id, "pause", {"reason": reason, "note": "中止"}).json()
    travel.move_to("2026-05-21 09:00 +0800")
    after = api("nanjiao").act(case_id, "resume").json()
    return {"during": during, "after": after}


@pytest.mark.django_db
def test_every_shipped_rule_set_says_what_each_pause_reason_stops_and_why():
    for shipped in RULE_SETS:
        rs = RuleSet.objects.get(code=shipped["code"])
        assert set(rs.data["pauses"]) == set(PauseReason.values), rs.code
        assert all(p["basis"] for p in rs.data["pauses"].values()), rs.code
        stops = rs.pause_stops()
        assert "mediation_cap" in stops["testing"] and "mediation_cap" in stops["appraisal"]
        assert "mediation_cap" not in stops["expert_review"] | stops["other_department"]
        assert "acceptance" in stops["jurisdiction"]
    local = RuleSet.objects.get(code="zengdu-2026").pause_stops()
    assert local["expert_review"] == local["other_department"] == {"acceptance", "handling"}


@pytest.mark.parametrize("reason", ["testing", "appraisal"])
def test_testing_and_appraisal_stop_the_tier_period_and_the_cap(api, accepted, travel, reason):
    seen = paused_ten_days(api, travel, accepted, reason)
    assert clock(seen["during"], "handling")["state"] == clock(seen["during"], "mediation_cap")["state"] == "paused"
    # Eight working days later: 06-05; ten calendar days later: 07-15.
    assert clock(seen["after"], "handling")["due"] == "2026-06-05"
    assert clock(seen["after"], "mediation_cap")["due"] == "2026-07-15"
    assert "中止 05-11…05-20" in clock(seen["after"], "mediation_cap")["explanation"]


@pytest.mark.parametrize("reason", ["expert_review", "other_department"])
def test_expert_review_and_other_departments_stop_the_tier_period_only(api, accepted, travel, reason):
    seen = paused_ten_days(api, travel, accepted, reason)
    assert clock(seen["during"], "handling")["state"] == "paused"
    assert clock(seen["during"], "mediation_cap")["state"] == "running"
    assert clock(seen["after"], "handling")["due"] == "2026-06-05"
    assert clock(seen["after"], "mediation_cap")["due"] == "2026-07-06"
    assert "中止" not in clock(seen["after"], "mediation_cap")["explanation"]


def test_a_return_for_jurisdiction_stops_the_acceptance_decision(api, travel):
    case_id = routed(api)  # acceptance due 05-14
    travel.move_to("2026-05-08 09:00 +0800")
    api("nanjiao").act(case_id, "return", {"reason": "被投诉人位于东城辖区"})
    travel.move_to("2026-05-12 09:00 +0800")
    again = api("xiaobao").act(case_id, "assign", {"unit": "st-dongcheng"}).json()
    # 05-08 … 05-11 (three working days: Sat 05-09 is a make-up working day) do not count: due 05-19.
    assert clock(again, "acceptance")["due"] == "2026-05-19"


def test_the_overdue_scan_flags_a_cap_that_expert_review_does_not_stop(api, accepted, travel):
    travel.move_to("2026-07-01 09:00 +0800")
    api("nanjiao").act(accepted, "pause", {"reason": "expert_review", "note": "专家论证"})
    call_command("daily_clocks", "--on", "2026-07-08", stdout=StringIO())
    overdue = set(Notification.objects.filter(kind="clock_overdue", recipient__username="nanjiao")
                  .values_list("title", flat=True))
    assert any("调解终结期限 2026-07-06 已过" in t for t in overdue)
    assert not any("调解办结" in t for t in overdue)


def test_without_the_rule_sets_word_no_pause_stops_a_clock(api, accepted, travel):
    rs = RuleSet.objects.get(code="zengdu-2026")
    rs.data = {k: v for k, v in rs.data.items() if k != "pauses"}
    rs.save()
    travel.move_to("2026-05-11 09:00 +0800")
    api("nanjiao").act(accepted, "pause", {"reason": "testing", "note": "送检"})
    from xiaobao.cases.models import Case

    case = Case.objects.select_related("rule_set").get(pk=accepted)
    assert clocks.stopped_now(case) == frozenset()
