"""The item's page shows what the clerk entered, in the words of the kind, and the agent only to who may see the
person; an anonymous reporter reads 匿名; a state has one word on the list and the item (issue 18, point 8)."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, login, logout
from tests.conftest import complaint_body, report_body
from xiaobao.cases import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_clerk_sees_every_field_entered_and_the_deputy_director_a_masked_agent(page, staff):
    case, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(
        received_at=None, respondent={"name": "曾都区鑫达电器商行", "address": "曾都区南郊街道白云大道18号",
                                      "phone": "0722-3301234"},
        agent={"name": "张强", "phone": "13700000009"}, consent_entrusted_mediation=True))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    login(page, "xiaobao")
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_role("heading", name="投诉人", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="被投诉人", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="投诉事实与诉求")).to_be_visible()
    person = page.locator("#person")
    expect(person).to_contain_text("张伟")
    expect(person).to_contain_text("要求回复是")
    expect(person).to_contain_text("代理人张强 · 13700000009")
    expect(page.locator("#respondent")).to_contain_text("0722-3301234")
    expect(page.locator("#registration")).to_contain_text("类别家用电器")
    expect(page.locator("#registration")).to_contain_text("同意委托调解同意")
    assert_accessible(page)

    # One word per state: the list and the item agree.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="全部件").click()
    row = page.locator("table.cases tr", has=page.get_by_role("link", name=case.number))
    expect(row.locator(".state")).to_have_text("待分流")
    row.get_by_role("link", name=case.number).click()
    expect(page.locator(".head .state")).to_have_text("待分流")

    logout(page)
    login(page, "fenguan")
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("#person")).to_contain_text("已保密")
    # The agent is masked as the person is (issue 16, point 5): there is one, never who.
    expect(page.locator("#person")).to_contain_text("代理人***（已保密）")
    expect(page.locator("main")).not_to_contain_text("13700000009")


def test_an_anonymous_report_and_an_inquiry_read_in_their_own_words(page, staff):
    report, _ = services.register_case(actor=staff["xiaobao"], data=report_body(
        received_at=None, complainant={"anonymous": True, "wants_reply": False}))
    inquiry, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(
        kind="inquiry", received_at=None, facts="网购的衣服不合适，七天内能否无理由退货？"))
    login(page, "xiaobao")
    page.goto(f"/cases/{report.pk}/")
    expect(page.get_by_role("heading", name="举报人", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="举报内容")).to_be_visible()
    expect(page.locator("#person")).to_contain_text("姓名匿名")
    expect(page.locator("#person")).not_to_contain_text("·")

    page.goto(f"/cases/{inquiry.pk}/")
    expect(page.get_by_role("heading", name="咨询人", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="咨询内容")).to_be_visible()
    expect(page.locator("#content")).to_contain_text("七天内能否无理由退货")
    expect(page.locator("main")).not_to_contain_text("投诉举报人")
    expect(page.locator("main")).not_to_contain_text("事实与理由")
