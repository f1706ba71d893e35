"""The administrator publishes 2027's holidays and make-up working days on the calendar page."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_administrator_publishes_the_2027_calendar(page):
    login(page, "admin")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作日历").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("工作日历")
    page.goto("/calendar/?year=2027")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("工作日历 · 2027 年")
    expect(heading).to_contain_text("未发布")
    assert_accessible(page)

    page.get_by_label("放假日期").fill("2027-01-01\n2027-02-06\n2027-02-07\n2027-02-08\n2027-02-09\n"
                                     "2027-02-10\n2027-02-11\n2027-02-12")
    page.get_by_label("调休上班日期").fill("2027-01-31\n2027-02-20")
    page.get_by_label("来源").fill("国务院办公厅关于2027年部分节假日安排的通知")
    page.get_by_role("button", name="发布 2027 年日历").click()

    expect(page.locator(".flash.success")).to_contain_text("已发布 2027 年工作日历：节假日 8 天，调休上班 2 天")
    expect(heading).to_contain_text("已发布")
    expect(page.get_by_role("row", name="2027-02-20")).to_contain_text("调休上班")
    assert_accessible(page)


def test_others_cannot_open_the_calendar_page(page):
    login(page, "xiaobao")
    expect(page.get_by_role("link", name="工作日历")).to_have_count(0)
    assert page.goto("/calendar/").status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("无权操作")
    expect(page.get_by_text("只有系统管理员可以管理工作日历。")).to_be_visible()
