"""A station proposes 立案 on a report; the bureau head decides it (《市场监督管理行政处罚程序规定》第十八条); 消保股
tells the named reporter, who asked for no reply, of the filing (rules 二.2, 二.4)."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    assert_accessible,
    confirm_action,
    login,
    logout,
    open_action,
    report_awaiting_routing_approval,
)
from xiaobao.cases import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_bureau_head_files_a_report_and_the_consumer_office_tells_the_reporter(page, staff):
    case = report_awaiting_routing_approval(staff)
    case.complainant.wants_reply = False
    case.complainant.save()
    services.approve(actor=staff["fenguan"], case_id=case.pk, body={"note": "同意"})
    services.begin_verification(actor=staff["nanjiao"], case_id=case.pk)

    login(page, "nanjiao")
    page.goto(f"/cases/{case.pk}/")
    open_action(page, "立案")
    page.get_by_label("立案编号").fill("曾市监立〔2026〕7号")
    confirm_action(page, "立案")
    expect(page.locator(".head")).to_contain_text("待审批：立案（局负责人）")
    logout(page)

    login(page, "juzhang")
    waiting = page.locator("#inbox-approve_filing")
    expect(waiting.get_by_role("heading")).to_contain_text("待我审批：立案")
    waiting.get_by_role("link", name=case.number).click()
    open_action(page, "批准")
    page.get_by_label("意见").fill("同意立案")
    assert_accessible(page)
    confirm_action(page, "批准")
    expect(page.locator(".head")).to_contain_text("立案")
    expect(page.locator(".head .state")).to_have_text("已办结")
    logout(page)

    login(page, "xiaobao")
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_text("立案告知", exact=True).first).to_be_visible()
    open_action(page, "告知当事人")
    page.get_by_label("告知事项").select_option(label="立案告知")
    page.get_by_label("告知方式").select_option(label="短信")
    page.get_by_label("告知内容").fill("你反映的举报事项，本局已依法立案调查。")
    assert_accessible(page)
    confirm_action(page, "告知当事人")
    expect(page.locator("section.actions").get_by_role("link", name="告知当事人", exact=True)).to_have_count(0)
