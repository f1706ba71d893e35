"""Issue 18, point 2: the daily overdue scan reports open work only. Clocks left open by an item concluded before
conclusions settled them are settled first (daily_clocks runs cases.settling), and are never reported overdue."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import complaint_body
from xiaobao.clocks.models import Clock
from xiaobao.notify.models import Notification
from xiaobao.notify.overdue import overdue_candidates


@pytest.fixture(autouse=True)
def _tokens_last_the_month(settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 60


def routed(api, name: str) -> dict:
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        body = complaint_body(respondent={"name": name, "address": "曾都区南郊街道白云大道18号"})
        case = api("xiaobao").post("/api/v1/cases", body).json()
        api("xiaobao").act(case["id"], "submit_for_triage")
        api("xiaobao").act(case["id"], "assign", {"unit": "st-nanjiao"})
    return case


def test_issue_18_2_the_daily_scan_reports_open_work_and_settles_what_finished_items_left_open(api):
    concluded, still_open = routed(api, "办结商行"), routed(api, "未签收商行")
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        ground = api("nanjiao").get("/api/v1/rules/current").json()["grounds"]["not_accepted"][0]["code"]
        api("nanjiao").act(concluded["id"], "not_accept", {"ground": ground, "reason": "不属于本局职责范围"})
        api("xiaobao").act(concluded["id"], "send_notice", {"channel": "phone", "content": "已电话告知"})
    # As conclusions before issue 18 left them: the sign-off (due 03-03) and the acceptance still open.
    Clock.objects.filter(case_id=concluded["id"], name__in=("sign_off", "acceptance")).update(met_on=None, settled=None)
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        candidates = {c.case_id for c in overdue_candidates(date(2026, 3, 20))}
        out = StringIO()
        call_command("daily_clocks", stdout=out)
    assert candidates == {still_open["id"]}
    assert "遗留的期限已结清 2 项" in out.getvalue()
    sign_off = Clock.objects.get(case_id=concluded["id"], name="sign_off")
    assert (str(sign_off.met_on), sign_off.settled) == ("2026-03-04", "missed")
    titles = set(Notification.objects.filter(kind="clock_overdue").values_list("title", flat=True))
    assert any(still_open["number"] in t for t in titles)
    assert not any(concluded["number"] in t for t in titles)
