"""分管局长 approves the routing of a report from 待我审批：分流."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    assert_accessible,
    confirm_action,
    login,
    open_action,
    report_awaiting_routing_approval,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_deputy_director_approves_a_report_waiting_for_routing_approval(page, staff):
    case = report_awaiting_routing_approval(staff)
    login(page, "fenguan")
    waiting = page.locator("#inbox-approve_routing")
    expect(waiting.get_by_role("heading")).to_contain_text("待我审批：分流")
    assert_accessible(page)
    waiting.get_by_role("link", name=case.number).click()
    expect(page.locator(".head")).to_contain_text("待审批：分流至")

    open_action(page, "批准")
    page.get_by_label("意见").fill("同意分流至南郊所")
    assert_accessible(page)
    confirm_action(page, "批准")
    expect(page.locator(".head .state")).to_have_text("已分派")
    expect(page.locator(".head")).to_contain_text("当前单位 南郊所")
    expect(page.locator(".timeline")).to_contain_text("同意分流至南郊所")
