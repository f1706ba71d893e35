"""The cron commands of the clocks: daily_clocks, calendar_check, calendar_status, and the calendar warning."""

from __future__ import annotations

from datetime import date
from io import StringIO

import holidays
import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import complaint_body
from xiaobao.clocks.calendar import unpublished_horizon_warning
from xiaobao.clocks.models import Clock
from xiaobao.notify.models import Notification
from xiaobao.records.models import AuditEntry


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def travel(settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 90
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as t:
        yield t


def routed(api, unit: str = "st-nanjiao") -> dict:
    clerk = api("xiaobao")
    case = clerk.post("/api/v1/cases", complaint_body(received_at="2026-03-02T09:30:00+08:00")).json()
    clerk.act(case["id"], "submit_for_triage")
    return clerk.act(case["id"], "assign", {"unit": unit}).json()


def test_daily_clocks_reports_each_overdue_clock_once(api, travel):
    late = routed(api)  # sign-off due 03-03, acceptance due 03-11
    accepted = routed(api)
    api("nanjiao").act(accepted["id"], "accept")  # its sign-off and acceptance are met
    paused = routed(api)
    api("nanjiao").act(paused["id"], "pause", {"reason": "testing"})  # acceptance not running out

    travel.move_to("2026-03-11 18:00 +0800")
    first = run("daily_clocks")
    # The acceptance period runs to 24:00 of 03-11: only the sign-offs are late today.
    assert "新逾期期限 2 项" in first
    assert f"{late['number']} 签收 届满 2026-03-03（逾期 8 日） 南郊所" in first
    assert f"{paused['number']} 签收 届满 2026-03-03" in first
    assert accepted["number"] not in first

    travel.move_to("2026-03-12 08:00 +0800")
    second = run("daily_clocks")
    # The national acceptance period from the bureau's receipt runs out the same day: of the late item's pair
    # the unit's own is warned about; testing stops the paused item's own acceptance, not the national period
    # (SAMR-2019 第十四条; issue 17, point 6).
    assert "新逾期期限 2 项" in second
    assert f"{late['number']} 受理决定 届满 2026-03-11（逾期 1 日）" in second
    assert f"{paused['number']} 受理决定（自本局收到） 届满 2026-03-11（逾期 1 日）" in second
    assert "签收" not in second and f"{late['number']} 受理决定（自本局收到）" not in second

    assert "新逾期期限 0 项" in run("daily_clocks")
    rows = AuditEntry.objects.filter(action="clock_overdue").order_by("id")
    assert [(r.case_id, r.detail["clock"], r.detail.get("warned_as")) for r in rows] == [
        (late["id"], "sign_off", None), (paused["id"], "sign_off", None),
        (late["id"], "national_acceptance", "acceptance"), (late["id"], "acceptance", None),
        (paused["id"], "national_acceptance", None)]
    assert rows[0].actor is None and rows[0].object == f"case:{late['id']}"
    assert Clock.objects.filter(overdue_notified=True).count() == 5
    # Each overdue clock is escalated once: to the unit's staff and to 消保股 (DOMAIN.md "Legal clocks").
    told = Notification.objects.filter(kind="clock_overdue")
    assert told.filter(recipient__username="nanjiao").count() == 4
    assert told.filter(recipient__username="xiaobao").count() == 4
    assert not told.filter(recipient__username="dongcheng").exists()
    assert f"逾期：{late['number']} 受理决定期限 2026-03-11 已过" in told.values_list("title", flat=True)


def test_overdue_clocks_in_several_chunks_are_each_marked_audited_and_told_once(api, travel):
    from xiaobao.notify.overdue import mark_overdue

    items = [routed(api, unit) for unit in ("st-nanjiao", "st-dongcheng", "st-nanjiao", "st-dongcheng", "st-nanjiao")]
    travel.move_to("2026-03-05 09:00 +0800")
    marked = mark_overdue(on=date(2026, 3, 5), chunk=2)  # sign-offs due 03-03, three chunks
    assert sorted(m["number"] for m in marked) == sorted(i["number"] for i in items)
    assert mark_overdue(on=date(2026, 3, 5), chunk=2) == []
    assert sorted(AuditEntry.objects.filter(action="clock_overdue").values_list("case_id", flat=True)) == sorted(
        i["id"] for i in items)
    told = Notification.objects.filter(kind="clock_overdue")
    assert told.filter(recipient__username="nanjiao").count() == 3
    assert told.filter(recipient__username="dongcheng").count() == 2
    assert told.filter(recipient__username="xiaobao").count() == 5
    assert call_command("verify_audit", stdout=StringIO()) is None


def test_daily_clocks_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("daily_clocks", "--on", "2026-02-30")


def test_calendar_check_reports_agreement_and_differences(db, monkeypatch):
    assert "2026 年：一致" in run("calendar_check", "2026")
    assert "2027 年：chinesecalendar 尚不包含该年" in run("calendar_check", "2027")

    real = holidays.country_holidays

    def without_national_day(country, years):
        found = real(country, years=years)
        found.pop("2026-10-01")
        return found

    monkeypatch.setattr(holidays, "country_holidays", without_national_day)
    out = run("calendar_check", "2026")
    assert "2026 年：1 处不一致" in out
    assert "2026-10-01: chinesecalendar 为节假日，holidays 包不是" in out


@pytest.mark.django_db
@time_machine.travel("2026-11-29 09:00 +0800", tick=False)
def test_on_november_29_the_administrators_are_warned_that_2027_is_not_published():
    warning = unpublished_horizon_warning()
    assert warning is not None
    assert warning.startswith("2027 年的工作日历尚未发布") and "至 2027-02-27" in warning
    out = run("calendar_status")
    assert "2026" in out.splitlines()[0] and "2027" not in out.splitlines()[0]
    assert "2027 年的工作日历尚未发布" in out


@pytest.mark.django_db
@time_machine.travel("2026-09-01 09:00 +0800", tick=False)
def test_in_september_there_is_no_warning():
    assert unpublished_horizon_warning() is None
    assert "日历覆盖今后90天" in run("calendar_status")


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_an_open_clock_reaching_into_2027_is_warned_about_before_the_90_days(api):
    case = routed(api)
    api("nanjiao").act(case["id"], "accept")  # mediation cap: 11-20 + 60 days = 2027-01-19
    warning = unpublished_horizon_warning(today=date(2026, 9, 1))
    assert warning is not None and "1 项未完成期限" in warning and "今后" not in warning

    api("admin").put("/api/v1/calendar/2027", {"holidays": ["2027-01-01"], "workdays": []})
    assert unpublished_horizon_warning() is None


def test_daily_clocks_reminds_the_holder_once_when_a_deadline_is_two_working_days_away(api, travel):
    case = routed(api)  # acceptance due 2026-03-11
    api("nanjiao").act(case["id"], "sign")
    api("nanjiao").act(case["id"], "record_contact", {"content": "已联系"})
    travel.move_to("2026-03-09 08:00 +0800")
    assert "已提醒 1 项" in run("daily_clocks")
    assert "已提醒 0 项" in run("daily_clocks")
    titles = list(Notification.objects.filter(kind="clock_due_soon").values_list("recipient__username", "title"))
    assert titles == [("nanjiao", f"即将到期：{case['number']} 受理决定期限 2026-03-11")]
