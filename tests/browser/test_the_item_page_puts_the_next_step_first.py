"""The item's page offers the expected next step first and the other actions in labelled groups, each one click
away (issue 18, point 8)."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, complaint_for_nanjiao, confirm_action, login, open_action

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TWELVE = {"return", "accept", "not_accept", "refer_elsewhere", "pause", "change_tier", "sign", "record_contact",
          "open_consultation", "request_visit", "record_visit", "request_id",
          "merge",  # 并案, a family of its own (xiaobao.merging), offered to the unit holding the item
          "assess_consumer_purpose"}  # 生活消费需要 (xiaobao.mediation.purpose), beside the decision to accept


def test_an_assigned_complaint_offers_acceptance_first_and_the_rest_in_groups(page, staff):
    case = complaint_for_nanjiao(staff)
    login(page, "nanjiao")
    page.goto(f"/cases/{case.pk}/")
    actions = page.locator("section.actions")
    links = actions.locator("a[data-action]")
    expect(links.first).to_have_text("受理")
    expect(links.first).to_have_class("button primary")
    found = [links.nth(i).get_attribute("data-action") for i in range(links.count())]
    assert sorted(found) == sorted(TWELVE)  # every action, once
    for i in range(links.count()):
        expect(links.nth(i)).to_be_visible()  # none hidden in a menu: one click each
    expect(actions.get_by_role("group")).to_have_count(4)
    expect(actions.get_by_role("group", name="办理")).to_contain_text("不予受理")
    expect(actions.get_by_role("group", name="记录")).to_contain_text("联系记录")
    expect(actions.get_by_role("group", name="协同")).to_contain_text("发起会商")
    expect(actions.get_by_role("group", name="其他")).to_contain_text("中止计时")
    assert_accessible(page)

    open_action(page, "受理")
    confirm_action(page, "受理")
    # In progress, the next step of a complaint is the mediation's result.
    expect(page.locator("section.actions a[data-action]").first).to_have_text("调解结果")


def test_in_the_triage_queue_the_clerk_is_offered_to_assign_first(page, staff):
    from tests.conftest import complaint_body
    from xiaobao.cases import services

    case, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(received_at=None))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    login(page, "xiaobao")
    page.goto(f"/cases/{case.pk}/")
    first = page.locator("section.actions a[data-action]").first
    expect(first).to_have_text("分派")
    first.click()
    expect(page.locator("#action-panel h3")).to_have_text("分派")
