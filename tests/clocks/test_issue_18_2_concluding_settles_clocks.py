"""Issue 18, point 2: concluding an item settles each of its open clocks — met when closed by its due date, else
recorded as missed (未按期) — archiving settles what the item still owed, and `manage.py settle_clocks` does the
same for items concluded or archived before (xiaobao.cases.settling).

March 2026 has no holidays: from Mon 03-02, sign-off is due 03-03, acceptance 03-11 (7 working days)."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from tests.conftest import PASSWORD, complaint_body
from xiaobao.clocks.models import Clock


@pytest.fixture(autouse=True)
def _tokens_last_the_month(settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 60  # the cast's API tokens are issued on 03-02 and used weeks later


def at(day: str):
    return time_machine.travel(f"2026-{day} 10:00 +0800", tick=False)


def ok(r):
    assert r.status_code in (200, 201), r.content.decode()
    return r.json()


def routed_complaint(api, day: str = "03-02") -> int:
    with at(day):
        case = ok(api("xiaobao").post("/api/v1/cases", complaint_body(received_at=f"2026-{day}T09:00:00+08:00")))
        ok(api("xiaobao").act(case["id"], "submit_for_triage"))
        ok(api("xiaobao").act(case["id"], "assign", {"unit": "st-nanjiao"}))
    return case["id"]


def clocks_of(api, case_id: int) -> dict:
    return {c["name"]: c for c in ok(api("nanjiao").get(f"/api/v1/cases/{case_id}"))["clocks"]}


def page_of(case_id: int, username: str = "nanjiao") -> str:
    web = Client()
    web.login(username=username, password=PASSWORD)
    return web.get(f"/cases/{case_id}/").content.decode()


def test_issue_18_2_concluding_late_records_the_open_clocks_past_their_due_date_as_missed(api):
    late = routed_complaint(api)
    with at("03-05"):
        ok(api("nanjiao").act(late, "sign"))  # sign-off was due 03-03: met late by its own step
    with at("03-16"):
        ground = ok(api("nanjiao").get("/api/v1/rules/current"))["grounds"]["not_accepted"][0]["code"]
        ok(api("nanjiao").act(late, "not_accept", {"ground": ground, "reason": "不属于本局职责范围"}))
        clocks = clocks_of(api, late)
        page = page_of(late)
    # Acceptance was due 03-11 and never decided in time: settled by the conclusion on 03-16, as missed.
    assert {k: clocks["acceptance"][k] for k in ("state", "met_on", "settled", "late")} == {
        "state": "missed", "met_on": "2026-03-16", "settled": "missed", "late": True}
    assert clocks["sign_off"]["state"] == "met" and clocks["sign_off"]["late"] is True
    assert clocks["sign_off"]["settled"] is None
    # What the item still owes the person runs on: the reply (rules 二.4).
    assert clocks["reply"]["state"] == "running" and clocks["reply"]["settled"] is None
    assert "未按期" in page and "办结或归档时结清于 2026-03-16（已过届满日，记为未按期）" in page
    assert "逾期完成" in page  # the sign-off, met after its due date


def test_issue_18_2_concluding_in_time_settles_the_open_clocks_as_met(api):
    case_id = routed_complaint(api)
    with at("03-02"):
        ok(api("nanjiao").act(case_id, "sign"))
        ok(api("nanjiao").act(case_id, "record_contact", {"content": "已电话联系投诉人"}))
        ok(api("nanjiao").act(case_id, "accept"))
    with at("03-05"):
        ok(api("nanjiao").act(case_id, "mediate", {"result": "agreed", "agreement": "商家退货退款", "amount_recovered": "3299"}))
        clocks = clocks_of(api, case_id)
        page = page_of(case_id)
    for name in ("handling", "mediation_cap"):
        assert {k: clocks[name][k] for k in ("state", "met_on", "settled", "late")} == {
            "state": "met", "met_on": "2026-03-05", "settled": "met", "late": False}
    assert Clock.objects.filter(case_id=case_id, met_on__isnull=True).count() == 1  # the reply
    assert "未按期" not in page and "办结或归档时结清于 2026-03-05" in page


def test_issue_18_2_archiving_settles_what_the_item_still_owed(api):
    case_id = routed_complaint(api)
    with at("03-02"):
        ok(api("nanjiao").act(case_id, "sign"))
        ok(api("nanjiao").act(case_id, "accept"))
        ok(api("nanjiao").act(case_id, "mediate", {"result": "agreed", "agreement": "商家退货退款"}))
    with at("03-20"):  # the reply was due 03-05 and never given
        ok(api("archivist").act(case_id, "archive"))
        clocks = clocks_of(api, case_id)
    assert {k: clocks["reply"][k] for k in ("state", "met_on", "settled")} == {
        "state": "missed", "met_on": "2026-03-20", "settled": "missed"}
    assert not Clock.objects.filter(case_id=case_id, met_on__isnull=True).exists()


def test_issue_18_2_merging_settles_and_undoing_the_merge_runs_the_clocks_again(api):
    primary, merged = routed_complaint(api), routed_complaint(api)
    with at("03-05"):
        number = ok(api("nanjiao").get(f"/api/v1/cases/{primary}"))["number"]
        ok(api("xiaobao").act(merged, "merge", {"into": number, "reason": "同一事项", "consent": True}))
        assert clocks_of(api, merged)["sign_off"]["state"] == "missed"
        ok(api("xiaobao").act(merged, "unmerge", {"reason": "并错了"}))
        sign_off = clocks_of(api, merged)["sign_off"]
    assert (sign_off["state"], sign_off["settled"], sign_off["met_on"]) == ("overdue", None, None)


@pytest.mark.parametrize("batch", [1, 2000])
def test_issue_18_2_settle_clocks_settles_what_earlier_concluded_and_archived_items_left_open(api, batch):
    on_time, late, archived = routed_complaint(api), routed_complaint(api), routed_complaint(api)
    with at("03-02"):
        for case_id in (on_time, archived):
            ok(api("nanjiao").act(case_id, "sign"))
            ok(api("nanjiao").act(case_id, "accept"))
            ok(api("nanjiao").act(case_id, "mediate", {"result": "agreed", "agreement": "商家退货退款"}))
    with at("03-16"):
        ground = ok(api("nanjiao").get("/api/v1/rules/current"))["grounds"]["not_accepted"][0]["code"]
        ok(api("nanjiao").act(late, "not_accept", {"ground": ground, "reason": "不属于本局职责范围"}))
    with at("03-20"):
        ok(api("archivist").act(archived, "archive"))
    # As an item concluded or archived before conclusions settled clocks left them: open.
    Clock.objects.filter(case_id__in=(on_time, late, archived)).update(met_on=None, settled=None)
    out = StringIO()
    with at("04-01"):
        call_command("settle_clocks", batch=batch, stdout=out)
        again = StringIO()
        call_command("settle_clocks", stdout=again)
    by = {(c.case_id, c.name): c for c in Clock.objects.filter(case_id__in=(on_time, late, archived))}
    # Settled on the day of the conclusion: in time where that was by the due date.
    assert (str(by[on_time, "handling"].met_on), by[on_time, "handling"].settled) == ("2026-03-02", "met")
    assert (str(by[late, "acceptance"].met_on), by[late, "acceptance"].settled) == ("2026-03-16", "missed")
    # A concluded item still owes its reply and notice: left open, for the person's sake.
    assert by[late, "reply"].met_on is None and by[late, "not_accepted_notice"].met_on is None
    assert by[on_time, "reply"].met_on is None
    # An archived item owes nothing: its reply settled on the day it was archived, long past the due date.
    assert (str(by[archived, "reply"].met_on), by[archived, "reply"].settled) == ("2026-03-20", "missed")
    assert (str(by[archived, "handling"].met_on), by[archived, "handling"].settled) == ("2026-03-02", "met")
    assert "完成：结清" in out.getvalue() and "没有需要结清的期限" in again.getvalue()
