"""An item is visible only where it is handled: 东城所 gets the 404 page for a 南郊所 item."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, complaint_for_nanjiao, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_dongcheng_handler_gets_the_not_found_page_for_a_nanjiao_item(page, staff):
    case = complaint_for_nanjiao(staff)
    login(page, "dongcheng")
    expect(page.get_by_role("link", name=case.number)).to_have_count(0)

    response = page.goto(f"/cases/{case.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("未找到")
    expect(page.get_by_text("未找到该页面或该件，或者您无权查看。")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text(case.number)).to_have_count(0)
    expect(page.get_by_text("张伟")).to_have_count(0)
    expect(page.get_by_text("曾都区鑫达电器商行")).to_have_count(0)
    assert page.locator("section.actions").count() == 0
