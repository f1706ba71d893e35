"""The clerk of 消保股 registers a phone complaint, sends it to triage and assigns it to 南郊所."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, confirm_action, login, open_action

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_clerk_registers_a_phone_complaint_and_assigns_it_to_nanjiao(page, screenshot):
    login(page, "xiaobao")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="登记").click()
    expect(page.get_by_role("heading", name="登记投诉、举报、咨询")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("radio", name="投诉", exact=True).check()
    page.get_by_label("来源渠道").select_option(label="电话")
    page.get_by_label("类别").select_option(value="appliances")
    complainant = page.get_by_role("group", name="投诉人", exact=True)
    complainant.get_by_label("投诉举报人姓名").fill("张伟")
    complainant.get_by_label("联系电话").fill("13800000001")
    complainant.get_by_label("地址", exact=True).fill("曾都区南郊街道清河路8号")
    complainant.get_by_label("证件号码").fill("421302199001011234")
    respondent = page.get_by_role("group", name="被投诉（举报）人", exact=True)
    respondent.get_by_label("被投诉（举报）人名称").fill("曾都区鑫达电器商行")
    respondent.get_by_label("经营地址").fill("曾都区南郊街道白云大道18号")
    page.get_by_label("事实与理由 / 咨询问题").fill("2026年11月20日在该店购买空调一台，价款3299元，安装后不制冷，商家拒绝退换。")
    page.get_by_label("诉求", exact=True).fill("退货并退还货款")
    page.get_by_label("涉案金额（元）").fill("3299.00")
    screenshot(page, "registration-form")
    page.get_by_role("button", name="保存并取号").click()

    flash = page.locator(".flash")
    expect(flash).to_contain_text("已登记，编号 TS-")
    number = re.search(r"TS-\d{4}-\d{6}", flash.inner_text()).group()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"投诉 {number}")

    open_action(page, "提交分流")
    assert_accessible(page)
    confirm_action(page, "提交分流")
    expect(page.locator(".head .state")).to_have_text("待分流")

    open_action(page, "分派")
    page.get_by_label("承办单位").select_option(label="南郊市场监督管理所")
    page.get_by_label("分派意见").fill("属地分流")
    assert_accessible(page)
    confirm_action(page, "分派")
    expect(page.locator(".head .state")).to_have_text("已分派")
    expect(page.locator(".head")).to_contain_text("当前单位 南郊所")
