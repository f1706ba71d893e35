"""消保股 adds an ODR business (issue 22, point 1): a slip in the 统一社会信用代码 and an unchecked joining
condition are said in place, with everything typed kept; corrected, the business is registered and its account's
first password is shown once. The business then logs in, must change that password, and lands on its own page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, login
from xiaobao.odr.models import Business

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GOOD_CODE = "91420000177570439L"


def test_a_bad_credit_code_is_said_in_place_then_the_business_is_registered(page, staff, screenshot):
    login(page, "xiaobao")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="ODR企业").click()
    expect(page.get_by_role("heading", name="ODR企业名录（在线消费纠纷解决企业）")).to_be_visible()
    page.get_by_role("link", name="登记ODR企业").click()
    expect(page.get_by_role("heading", name="登记ODR企业")).to_be_visible()

    page.get_by_label("企业名称", exact=True).fill("曾都区鑫达电器商行")
    page.get_by_label("统一社会信用代码", exact=True).fill("91420000177570439X")  # the check character mistyped
    page.get_by_label("地址", exact=True).fill("曾都区南郊街道白云大道18号")
    page.get_by_label("纠纷处理联系人", exact=True).fill("王经理")
    page.get_by_label("纠纷处理联系电话", exact=True).fill("0722-3300001")
    page.get_by_label("企业自愿申请").check()
    for label in ("有固定的纠纷处理场所", "有专门的纠纷处理人员（至少1名）", "有纠纷处理联系电话",
                  "签署及时处理消费纠纷的承诺书"):
        page.get_by_label(label, exact=True).check()  # 书面的纠纷处理制度 not yet seen
    page.get_by_label("先行赔付").check()
    url = page.url
    page.get_by_role("button", name="登记并开通企业账号").click()

    expect(page.get_by_text("统一社会信用代码校验位不正确，请核对。")).to_be_visible()
    expect(page.get_by_text("加入条件未核实：有书面的纠纷处理制度和流程。五项条件都具备才能加入。")).to_be_visible()
    assert page.url == url  # swapped in place, no new page
    expect(page.get_by_label("企业名称", exact=True)).to_have_value("曾都区鑫达电器商行")
    expect(page.get_by_label("纠纷处理联系电话", exact=True)).to_have_value("0722-3300001")
    expect(page.get_by_label("企业自愿申请")).to_be_checked()
    expect(page.get_by_label("先行赔付")).to_be_checked()
    expect(page.get_by_label("有固定的纠纷处理场所")).to_be_checked()
    assert_accessible(page)
    screenshot(page, "odr-business-refused")
    assert not Business.objects.exists()

    page.get_by_label("统一社会信用代码", exact=True).fill(GOOD_CODE)
    page.get_by_label("有书面的纠纷处理制度和流程").check()
    page.get_by_role("button", name="登记并开通企业账号").click()

    expect(page.get_by_role("heading", name="已登记：曾都区鑫达电器商行")).to_be_visible()
    expect(page.get_by_text("初始密码只显示这一次", exact=False)).to_be_visible()
    username = page.locator("#new-username").inner_text()
    password = page.locator("#new-password").inner_text()
    assert username == f"odr-{GOOD_CODE.lower()}" and len(password) >= 12
    screenshot(page, "odr-business-created")
    business = Business.objects.get()
    assert business.origin == "applied" and business.commitments == ["advance_compensation"]

    page.get_by_role("link", name="返回名录").click()
    row = page.get_by_role("row", name=re.compile("曾都区鑫达电器商行"))
    expect(row).to_contain_text("正常")
    expect(row).to_contain_text("企业自愿申请")

    # The business's first login: the forced change, then its own page (built apart; here its address).
    page.get_by_role("button", name="退出").click()
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/account/password/$"))
    expect(page.get_by_role("link", name="全部件")).to_have_count(0)
    page.get_by_label("原密码").fill(password)
    page.get_by_label("新密码", exact=True).fill("Shangjia-hejie-2026")
    page.get_by_label("再次输入新密码").fill("Shangjia-hejie-2026")
    page.get_by_role("button", name="修改密码").click()
    expect(page).to_have_url(re.compile(r"/business/$"))
    assert page.goto("/cases/").status == 404
