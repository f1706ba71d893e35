"""Nobody could find the caller (issue 18, point 5): the clerk types the phone on the registration form and
sees the caller's earlier item, then finds it by the phone on the list page, written another way."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, complaint_for_nanjiao, login
from xiaobao.cases.models import State
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_clerk_sees_the_callers_earlier_item_while_typing_and_finds_it_by_phone(page, staff, screenshot):
    earlier = complaint_for_nanjiao(staff)  # 张伟, 13800000001
    login(page, "xiaobao")
    page.goto("/cases/new/")
    page.locator("#id_complainant_phone").press_sequentially("138-0000-0001", delay=20)
    found = page.locator("#earlier")
    expect(found).to_contain_text("该来电人此前的件（1 件）")
    row = found.get_by_role("row").filter(has_text=earlier.number)
    expect(row).to_contain_text("投诉")
    expect(row).to_contain_text(State.ASSIGNED.label)
    expect(row).to_contain_text("南郊所")
    assert_accessible(page)
    screenshot(page, "registration-earlier-items")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="全部件").click()
    page.get_by_label("按当事人查找").fill("+86 138 0000 0001")
    page.get_by_label("按当事人查找").press("Enter")
    expect(page.locator("#rows")).to_contain_text("共 1 件")
    expect(page.locator("#rows")).to_contain_text(earlier.number)
    expect(page.locator("#person-note")).to_contain_text("本次查找已记入审计记录")
    assert "138" not in page.url
    assert_accessible(page)
    searches = AuditEntry.objects.filter(object="person-search")
    assert {r.detail["via"] for r in searches} == {"registration", "web"}
    assert all(r.detail["person"] == "138****0001" for r in searches)
