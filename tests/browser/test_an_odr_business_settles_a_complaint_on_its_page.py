"""Settling first in the browser: an ODR business logs in, finds the complaint 消保股 forwarded to it, records its
call with the consumer — refused in place without the process, then saved — and answers that it settled, refused
in place without the amount (what was typed kept), then concluded as 先行和解."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible
from tests.conftest import PASSWORD, complaint_body
from tests.odr.conftest import XINDA, make_business
from xiaobao.cases import services
from xiaobao.cases.models import Case
from xiaobao.odr import settling

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_odr_business_records_its_contact_and_settles_on_its_page(page, staff, screenshot):
    business = make_business("odr-xinda", **XINDA)
    case, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(received_at=None))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    settling.forward_to_business(actor=staff["xiaobao"], case_id=case.pk,
                                 body={"business": business.pk, "consent": True, "consent_note": "电话确认"})

    page.goto("/login/")
    page.get_by_label("用户名").fill("odr-xinda")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    page.goto("/business/")
    expect(page.get_by_role("heading", name="转送本企业先行和解的投诉")).to_be_visible()
    expect(page.locator("header nav")).not_to_contain_text("分流")
    page.get_by_role("link", name=case.number).click()

    expect(page.locator("#consumer-name")).to_have_text("张伟")
    expect(page.locator("#consumer-phone")).to_have_text("13800000001")
    expect(page.locator("#demand")).to_contain_text("退货并退还货款")
    assert_accessible(page)

    contacts = page.locator("#contacts")
    contacts.get_by_label("联系方式").select_option("电话")
    contacts.get_by_label("企业提出的方案").fill("上门更换新机")
    contacts.get_by_role("button", name="保存联系记录").click()
    expect(contacts.get_by_role("alert")).to_contain_text("请填写联系过程")
    expect(contacts.get_by_label("企业提出的方案")).to_have_value("上门更换新机")
    contacts.get_by_label("联系过程").fill("电话联系消费者，说明可上门更换新机")
    contacts.get_by_role("button", name="保存联系记录").click()
    expect(page.locator("#contacts .contact-log")).to_contain_text("电话联系消费者，说明可上门更换新机")

    answer = page.locator("#answer")
    answer.get_by_label("和解成功").check()
    answer.get_by_label("处理情况").fill("已为消费者更换新空调，并补偿300元")
    answer.get_by_role("button", name="提交答复").click()
    expect(answer.get_by_role("alert")).to_contain_text("请填写和解金额")
    expect(page.locator("#answer").get_by_label("处理情况")).to_have_value("已为消费者更换新空调，并补偿300元")
    screenshot(page, "odr-business-answer-refused")
    page.locator("#answer").get_by_label("和解金额（元）").fill("300.00")
    page.locator("#answer").get_by_role("button", name="提交答复").click()

    expect(page.locator(".flash").first).to_contain_text(f"已答复 {case.number}：和解成功")
    expect(page.locator("#empty-inbox")).to_be_visible()
    case.refresh_from_db()
    assert (case.state, case.outcome, str(case.amount_recovered)) == ("concluded", "settled_by_business", "300.00")
    assert Case.objects.get(pk=case.pk).events.filter(action="odr_contact").count() == 1
