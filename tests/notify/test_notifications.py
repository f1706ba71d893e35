"""Notifications: the people who must act next are told, in the app at once and by e-mail/SMS by day."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from tests.conftest import complaint_body, report_body
from tests.web.test_pages import login
from xiaobao.notify.backends import ConsoleSmsBackend
from xiaobao.notify.models import Notification
from xiaobao.notify.services import flush_outbox
from xiaobao.units.models import Staff

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        yield


def titles(username: str) -> list[str]:
    return list(Notification.objects.filter(recipient__username=username).values_list("title", flat=True))


def test_routing_tells_the_unit_and_a_report_first_tells_the_deputy_director(api, django_capture_on_commit_callbacks):
    clerk = api("xiaobao")
    with django_capture_on_commit_callbacks(execute=True):
        complaint = clerk.post("/api/v1/cases", complaint_body()).json()
        clerk.act(complaint["id"], "submit_for_triage")
        clerk.act(complaint["id"], "assign", {"unit": "st-nanjiao"})
        report = clerk.post("/api/v1/cases", report_body()).json()
        clerk.act(report["id"], "submit_for_triage")
        clerk.act(report["id"], "assign", {"unit": "st-nanjiao"})
    assert titles("nanjiao") == [f"新分派：{complaint['number']}（投诉）"]
    assert titles("fenguan") == [f"待审批（分流）：{report['number']}"]
    assert titles("dongcheng") == []
    with django_capture_on_commit_callbacks(execute=True):
        api("fenguan").act(report["id"], "approve", {"note": "同意"})
    assert f"新分派：{report['number']}（举报）" in titles("nanjiao")


def test_a_return_tells_the_dispatchers_and_the_page_shows_an_unread_count(api, django_capture_on_commit_callbacks):
    clerk = api("xiaobao")
    with django_capture_on_commit_callbacks(execute=True):
        case = clerk.post("/api/v1/cases", complaint_body()).json()
        clerk.act(case["id"], "submit_for_triage")
        clerk.act(case["id"], "assign", {"unit": "st-dongcheng"})
        api("dongcheng").act(case["id"], "return", {"reason": "不在本所辖区"})
    assert titles("xiaobao") == [f"被退回：{case['number']}（不在本所辖区）"]
    page = login("xiaobao")
    assert 'aria-label="未读通知">1<' in page.get("/").content.decode()
    assert "被退回" in page.get("/notifications/").content.decode()
    page.post("/notifications/", {})
    assert 'aria-label="未读通知"' not in page.get("/").content.decode()


def test_e_mail_and_sms_wait_for_the_morning(api, django_capture_on_commit_callbacks):
    Staff.objects.filter(username="nanjiao").update(email="nanjiao@example.gov.cn", phone="13900000009")
    clerk = api("xiaobao")
    with django_capture_on_commit_callbacks(execute=True):
        case = clerk.post("/api/v1/cases", complaint_body()).json()
        clerk.act(case["id"], "submit_for_triage")
        clerk.act(case["id"], "assign", {"unit": "st-nanjiao"})
    ConsoleSmsBackend.sent.clear()
    assert flush_outbox(now=datetime(2026, 3, 2, 22, 30, tzinfo=SHANGHAI)) == 0  # night: nothing goes out
    assert mail.outbox == [] and ConsoleSmsBackend.sent == []
    assert flush_outbox(now=datetime(2026, 3, 3, 8, 5, tzinfo=SHANGHAI)) == 1
    assert mail.outbox[0].to == ["nanjiao@example.gov.cn"] and "新分派" in mail.outbox[0].subject
    assert ConsoleSmsBackend.sent[0][0] == "13900000009"
    assert flush_outbox(now=datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI)) == 0  # each goes out once
    call_command("send_notifications", stdout=open("/dev/null", "w"))
