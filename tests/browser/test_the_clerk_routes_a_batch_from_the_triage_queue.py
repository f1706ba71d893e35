"""The triage queue of 消保股: suggestions beside each item, routing the ticked ones in one go."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, login
from tests.conftest import complaint_body
from xiaobao.cases import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def in_triage(staff, **overrides):
    case, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(received_at=None, **overrides))
    return services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)


def test_the_clerk_routes_two_ticked_items_to_the_chosen_stations(page, staff, screenshot):
    first = in_triage(staff)
    second = in_triage(staff, respondent={"name": "曾都区东城眼镜店", "address": "曾都区东城街道烈山大道20号"})
    login(page, "xiaobao")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="分流").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("待分流")
    assert_accessible(page)
    screenshot(page, "triage-queue")

    page.get_by_label(f"选择 {first.number}").check()
    page.get_by_label(f"选择 {second.number}").check()
    page.get_by_label(f"{first.number} 分流至").select_option(label="南郊所")
    page.get_by_label(f"{second.number} 分流至").select_option(label="东城所")
    page.get_by_label("分流意见").fill("属地分流")
    page.get_by_role("button", name="分流所选件").click()
    expect(page.locator(".flash")).to_contain_text("已分流 2 件")
    expect(page.get_by_text("没有待分流的件。")).to_be_visible()
