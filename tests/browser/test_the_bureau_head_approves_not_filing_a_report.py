"""局负责人 approves 南郊所's proposal not to open a case on a report (不予立案)."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    assert_accessible,
    confirm_action,
    login,
    open_action,
    report_awaiting_routing_approval,
)
from xiaobao.cases import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def report_proposed_not_to_file(staff):
    case = report_awaiting_routing_approval(staff)
    services.approve(actor=staff["fenguan"], case_id=case.pk, body={"note": "同意"})
    services.begin_verification(actor=staff["nanjiao"], case_id=case.pk)
    return services.decline_filing(actor=staff["nanjiao"], case_id=case.pk,
                                   body={"reason": "经现场核查，货架上未发现过期食品，举报事项不属实。",
                                         "record": "3月3日到该店现场检查，货架散装白酒均在保质期内。"})


def test_the_bureau_head_approves_a_decision_not_to_file(page, staff):
    case = report_proposed_not_to_file(staff)
    login(page, "juzhang")
    waiting = page.locator("#inbox-approve_not_filed")
    expect(waiting.get_by_role("heading")).to_contain_text("待我审批：不予立案")
    waiting.get_by_role("link", name=case.number).click()
    expect(page.locator(".head")).to_contain_text("待审批：不予立案（局负责人）")

    open_action(page, "批准")
    page.get_by_label("意见").fill("同意不予立案")
    assert_accessible(page)
    confirm_action(page, "批准")
    head = page.locator(".head")
    expect(head.locator(".state")).to_have_text("已办结")
    expect(head).to_contain_text("不予立案")
