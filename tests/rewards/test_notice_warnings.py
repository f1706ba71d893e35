"""The reporter is told within 15 working days of closing the case (《市场监管领域重大违法行为举报奖励暂行办法》; DOMAIN.md,
"Report rewards"): the daily job (manage.py lapse_rewards) warns the handling unit's leaders and 消保股 three working
days before the notice clock runs out and once it has, each once, in the app only and without the reporter's name."""

import pytest
import time_machine
from django.core.management import call_command

from tests.mediation.conftest import ok
from tests.rewards.conftest import assess_body, filed_report, reward_url
from xiaobao.notify.models import Notification
from xiaobao.records.models import AuditEntry
from xiaobao.units.models import Role, Staff, Unit


@pytest.fixture
def leader(bureau):
    return Staff.objects.create(username="jicha-leader", full_name="稽查分局局长", roles=[Role.UNIT_LEADER],
                                unit=Unit.objects.get(code="jicha"))


def daily(day: str) -> None:
    with time_machine.travel(f"{day} 00:10 +0800", tick=False):
        call_command("lapse_rewards")


def warnings(kind: str) -> list[tuple[str, str]]:
    return sorted((n.recipient.username, n.title) for n in Notification.objects.filter(kind=kind))


def test_reward_notice_warned_three_working_days_before_and_when_overdue_once_each(api, clock, leader):
    case_id = filed_report(api)
    reward = ok(api("jicha").post(reward_url(case_id), assess_body()), 201)
    assert reward["clocks"][0]["due"] == "2026-03-23"  # 15 working days from 2026-03-02
    Notification.objects.all().delete()

    daily("2026-03-17")  # four working days left (18, 19, 20, 23): not yet
    assert not Notification.objects.filter(kind__startswith="reward").exists()
    daily("2026-03-18")  # three left
    title = "举报奖励告知期限将至：{} 告知举报人期限 2026-03-23（还有 3 个工作日）".format(reward["number"])
    assert warnings("reward_notice_due_soon") == [("jicha-leader", title), ("xiaobao", title)]
    daily("2026-03-19")
    daily("2026-03-23")  # the last day: still not overdue, already warned
    assert Notification.objects.filter(kind__startswith="reward").count() == 2

    daily("2026-03-24")
    title = "举报奖励告知逾期：{} 告知举报人期限 2026-03-23 已过".format(reward["number"])
    assert warnings("reward_notice_overdue") == [("jicha-leader", title), ("xiaobao", title)]
    daily("2026-03-25")
    assert Notification.objects.filter(kind="reward_notice_overdue").count() == 2

    told = Notification.objects.filter(kind__startswith="reward")
    # Only the leader and 消保股 (not the handler, not the approvers), in the app only, never the reporter.
    assert {n.recipient.username for n in told} == {"jicha-leader", "xiaobao"}
    assert not any(n.external for n in told)
    assert not any("李娜" in n.title + n.body or "13900000002" in n.title + n.body for n in told)
    assert "15个工作日内告知举报人" in told.first().body
    assert list(AuditEntry.objects.filter(action__startswith="reward_notice", case_id=case_id)
                .order_by("pk").values_list("action", "actor")) == [
        ("reward_notice_due_soon", None), ("reward_notice_overdue", None)]


def test_reward_notice_no_warning_once_the_reporter_is_told(api, clock, leader):
    case_id = filed_report(api)
    ok(api("jicha").post(reward_url(case_id), assess_body()), 201)
    ok(api("jicha").post(reward_url(case_id, "notify"), {"channel": "phone"}))
    for day in ("2026-03-18", "2026-03-24"):
        daily(day)
    assert not Notification.objects.filter(kind__startswith="reward").exists()


def test_reward_notice_assessed_late_is_reported_overdue_without_a_due_soon_warning(api, clock, leader):
    case_id = filed_report(api)
    ok(api("jicha").post(reward_url(case_id), assess_body()), 201)
    daily("2026-04-01")
    assert [n.kind for n in Notification.objects.filter(kind__startswith="reward")] == ["reward_notice_overdue"] * 2
    assert "已逾期 7 个工作日" in Notification.objects.filter(kind="reward_notice_overdue").first().body
