"""分管局长 sees, at 1366×768 and without scrolling, the unit a report goes to and the clerk's reason beside 批准,
approves, and goes straight on to the next report waiting for them (issue 18, point 7)."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, login, open_action
from tests.conftest import report_body
from xiaobao.cases import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def routed(staff, note: str, received_at: str):
    case, _ = services.register_case(actor=staff["xiaobao"], data=report_body(received_at=received_at))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    return services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "st-nanjiao", "note": note})


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_the_deputy_director_reads_the_reason_beside_approve_and_goes_on_to_the_next_item(page, staff, screenshot):
    first = routed(staff, "举报地址在南郊街道两水路，属南郊所辖区", "2026-03-02T08:00:00+08:00")
    second = routed(staff, "过期食品，南郊所近期在该片区有专项检查", "2026-03-02T09:00:00+08:00")
    login(page, "fenguan")
    page.locator("#inbox-approve_routing").get_by_role("link", name=first.number).click()

    request = page.locator("#approval-request")
    approve = request.get_by_role("link", name="批准", exact=True)
    expect(request).to_contain_text("分流至 南郊所")
    expect(request).to_contain_text("举报地址在南郊街道两水路，属南郊所辖区")
    expect(request).to_contain_text("王晓")
    expect(request).to_contain_text("待您审批的还有 1 件")
    # All of it on the first screen, 批准 beside the reason.
    for part in (request.locator(".reason"), request.get_by_text("南郊所", exact=True), approve):
        assert in_view(page, part)
    assert_accessible(page)
    screenshot(page, "item-approval")

    open_action(page, "批准")
    page.get_by_label("意见").fill("同意")
    page.get_by_role("button", name="批准并处理下一件").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"举报 {second.number}")
    expect(page.locator(".flash").first).to_contain_text(f"已批准：{first.number}")
    expect(page.locator("#approval-request")).to_contain_text("南郊所近期在该片区有专项检查")

    open_action(page, "批准")
    page.get_by_role("button", name="批准并处理下一件").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("待我审批")
    expect(page.locator(".flash").last).to_contain_text("待您审批的件已全部处理")
    expect(page.locator("table.approvals")).to_contain_text("没有待您审批的件")
    for case in (first, second):
        case.refresh_from_db()
        assert case.state == "assigned"
