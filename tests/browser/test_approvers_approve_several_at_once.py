"""分管局长 approves several routings at once from 审批; one decided meanwhile in another window is named with
the reason, the others go through (issue 18, point 7)."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, login, report_awaiting_routing_approval
from xiaobao.cases import services
from xiaobao.cases.models import Case

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_deputy_director_approves_three_routings_at_once(page, staff, screenshot):
    waiting = [report_awaiting_routing_approval(staff) for _ in range(4)]
    login(page, "fenguan")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="审批").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("待我审批")
    table = page.locator("table.approvals")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table).to_contain_text("分流至 南郊所")
    expect(table).to_contain_text("属地分流")
    assert_accessible(page)
    screenshot(page, "approvals")

    for case in waiting[:3]:
        page.get_by_label(f"选择 {case.number}").check()
    # Meanwhile the third is approved from another window.
    services.approve(actor=staff["fenguan"], case_id=waiting[2].pk, body={"note": "同意"})
    page.get_by_label("审批意见").fill("同意分流")
    page.get_by_role("button", name="批准所选件").click()

    expect(page.locator(".flash")).to_contain_text(f"已批准 2 件：{waiting[0].number}、{waiting[1].number}")
    alert = page.locator("form .error[role=alert]").first
    expect(alert).to_contain_text("未能批准 1 件")
    expect(alert).to_contain_text(waiting[2].number)
    expect(page.get_by_label("审批意见")).to_have_value("同意分流")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text(waiting[3].number)
    assert [Case.objects.get(pk=c.pk).state for c in waiting] == ["assigned", "assigned", "assigned",
                                                                   "pending_approval"]
