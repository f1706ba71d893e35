"""The claim-for-gain path in the browser (issue 20, point 2; SAMR-2026 第十六条第（三）项、第二十三条第（六）项): the 南郊所
handler records the factors of 生活消费需要 — refused in place without the reason for a finding of gain, with what was
typed kept — sees them beside the decision, terminates mediation and refers the matter to the police; the numbered
涉嫌违法犯罪案件移送书 appears among the item's documents."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, complaint_for_nanjiao, confirm_action, login, open_action
from xiaobao.cases import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_handler_records_the_factors_terminates_for_gain_and_the_referral_appears(page, staff, screenshot):
    case = complaint_for_nanjiao(staff)
    services.accept(actor=staff["nanjiao"], case_id=case.pk)
    login(page, "nanjiao")
    page.goto(f"/cases/{case.pk}/")

    open_action(page, "生活消费需要认定")
    panel = page.locator("#action-panel")
    panel.get_by_label("商品或服务").fill("同一型号空调")
    panel.get_by_label("购买数量 *").fill("12")
    panel.get_by_label("购买次数 *").fill("4")
    panel.get_by_label("期间（日） *").fill("15")
    panel.get_by_label("认定 *", exact=True).select_option(label="以牟利为目的")
    page.get_by_role("button", name="确认生活消费需要认定").click()
    expect(panel.get_by_role("alert")).to_contain_text("须写明认定理由")
    expect(panel.get_by_label("购买数量 *")).to_have_value("12")
    panel.get_by_label("认定理由").fill("半月内四次购买同型号空调12台，均以质量问题索赔")
    assert_accessible(page)
    confirm_action(page, "生活消费需要认定")
    expect(page.locator("#workspace .purpose-factors")).to_contain_text("认定：以牟利为目的")

    open_action(page, "终止调解并移送公安")
    factors = page.locator("#action-panel .purpose-factors")
    expect(factors).to_contain_text("购买数量：12")
    expect(factors).to_contain_text("15 日内购买 4 次")
    expect(factors).to_contain_text("此前投诉（本局各单位，仅计数）：0 件")
    expect(page.locator("#action-panel").get_by_label("移送的公安机关")).to_have_value("随州市公安局曾都区分局")
    page.locator("#action-panel").get_by_label("具体情况 *").fill("投诉人拒绝维修退货，只要求十倍赔偿。")
    screenshot(page, "item-terminate-for-gain")
    confirm_action(page, "终止调解并移送公安")

    head = page.locator(".head")
    expect(head.locator(".state")).to_have_text("已办结")
    expect(head).to_contain_text("终止调解")
    referral = page.locator('#documents .document[data-type="police_referral"]')
    expect(referral).to_contain_text("涉嫌违法犯罪案件移送书")
    expect(referral).to_contain_text(re.compile(r"曾市监移〔\d{4}〕1号"))
    expect(page.locator("#workspace .ws-referral")).to_contain_text("移送随州市公安局曾都区分局")

    open_action(page, "移送书送达公安机关")
    page.locator("#action-panel").get_by_label("移送方式 *").select_option(label="当面移交")
    page.locator("#action-panel").get_by_label("送达凭证 *").fill("民警李明签收")
    confirm_action(page, "移送书送达公安机关")
    expect(page.locator("#workspace .ws-dispatches")).to_contain_text("以当面移交送达随州市公安局曾都区分局（民警李明签收）")
