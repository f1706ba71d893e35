"""催办 and 通报 of an overdue order: the daily scan (manage.py daily_clocks) escalates the hotline's own clocks
like the legal ones — the unit's staff, its leaders and 消保股 are told."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from tests.hotline.conftest import ok, receive, route
from xiaobao.notify.models import Notification
from xiaobao.records.models import AuditEntry


def test_an_unsigned_order_is_escalated_after_its_sign_deadline(api, clock):
    case = route(api, receive(api, sign_due="2026-03-02T17:00:00+08:00")["id"])
    clock.to("2026-03-03 07:00 +0800")
    call_command("daily_clocks", stdout=StringIO())
    overdue = AuditEntry.objects.filter(action="clock_overdue", case_id=case["id"])
    assert [e.detail["label"] for e in overdue] == ["12345签收"]
    told = {n.recipient.username for n in Notification.objects.filter(case_id=case["id"])}
    assert {"nanjiao", "xiaobao"} <= told
    detail = ok(api("nanjiao").get(f"/api/v1/cases/{case['id']}"))
    assert next(c for c in detail["clocks"] if c["name"] == "hotline_sign")["state"] == "overdue"
