"""The 南郊所 handler takes an assigned complaint through acceptance, a pause, mediation and a document."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, complaint_for_nanjiao, confirm_action, login, open_action

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_handler_accepts_pauses_resumes_mediates_and_issues_an_acceptance_notice(page, staff, screenshot):
    case = complaint_for_nanjiao(staff)
    login(page, "nanjiao")
    waiting = page.locator("#inbox-assigned")
    expect(waiting.get_by_role("heading")).to_contain_text("待签收、待决定受理或立案")
    screenshot(page, "inbox-handler")
    waiting.get_by_role("link", name=case.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"投诉 {case.number}")

    open_action(page, "受理")
    confirm_action(page, "受理")
    expect(page.locator(".head .state")).to_have_text("办理中")
    screenshot(page, "item-detail")

    open_action(page, "中止计时")
    page.get_by_label("中止事由").select_option(label="检验检测")
    page.get_by_label("说明").fill("空调送检")
    assert_accessible(page)
    confirm_action(page, "中止计时")
    expect(page.locator(".clock.c-paused").first).to_be_visible()

    open_action(page, "恢复计时")
    confirm_action(page, "恢复计时")
    expect(page.locator(".clock.c-paused")).to_have_count(0)

    open_action(page, "调解结果")
    page.get_by_label("调解结果").select_option(label="调解成功")
    page.get_by_label("挽回经济损失（元）").fill("800")
    page.get_by_label("调解协议内容").fill("商家退还货款800元，投诉人退回空调。")
    assert_accessible(page)
    confirm_action(page, "调解结果")
    head = page.locator(".head")
    expect(head.locator(".state")).to_have_text("已办结")
    expect(head).to_contain_text("调解成功")
    expect(page.get_by_text("800.00 元", exact=True)).to_be_visible()

    documents = page.locator("#documents-panel")
    expect(documents.get_by_role("button", name="制作并编号")).to_be_visible()
    documents.get_by_label("制作文书").select_option(label="受理通知书")
    assert_accessible(page)
    documents.get_by_role("button", name="制作并编号").click()
    notice = page.locator("#documents-panel .document[data-type='acceptance_notice']")
    expect(notice).to_contain_text("受理通知书")
    expect(notice.get_by_role("link", name="PDF")).to_be_visible()
