"""Administration (issue 18, point 9): the administrator gives a colleague a role by ticking it, in an admin site
that speaks Chinese; the calendar of a year not yet published shows its estimate with 春节, 清明节, 端午节 and
中秋节 as provisional; and the State Council's notice is entered as it is written, by date range."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, login
from xiaobao.units.models import Role, Staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Words the admin pages must not show to a Chinese administrator (Django's English, the model names).
ENGLISH = re.compile(r"\b(Groups?|Users?|Staff|Permissions?|Site administration|Save|Delete|History|Add)\b")


def test_the_administrator_ticks_a_role_in_an_admin_site_in_chinese(page):
    login(page, "admin")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="系统管理").click()
    expect(page.get_by_role("heading", name="站点管理")).to_be_visible()
    main = page.locator("#content")
    expect(main.get_by_role("link", name="工作人员", exact=True)).to_be_visible()
    expect(main.get_by_role("link", name="后台任务记录")).to_be_visible()
    expect(main.get_by_role("link", name="组", exact=True)).to_have_count(0)  # access comes from roles
    assert not ENGLISH.search(page.locator("body").inner_text())

    main.get_by_role("link", name="工作人员", exact=True).click()
    page.get_by_role("link", name="nanjiao", exact=True).click()
    expect(page.locator("textarea[name=roles], input[type=text][name=roles]")).to_have_count(0)  # no JSON typed
    roles = page.locator("#id_roles")
    expect(roles.get_by_label("承办人")).to_be_checked()
    expect(roles.get_by_label("单位负责人")).not_to_be_checked()
    assert not ENGLISH.search(page.locator("#content").inner_text())
    roles.get_by_label("单位负责人").check()
    page.get_by_role("button", name="保存", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("成功")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="nanjiao", exact=True))
    expect(row).to_contain_text("承办人、单位负责人")
    assert Staff.objects.get(username="nanjiao").roles == [Role.HANDLER, Role.UNIT_LEADER]


def test_an_unpublished_year_is_estimated_with_its_lunar_holidays_and_published_by_range(page):
    login(page, "admin")
    page.goto("/calendar/?year=2027")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("未发布")
    expect(heading).to_contain_text("暂定")
    estimate = page.locator("#cal-estimate")
    expect(estimate).to_contain_text("暂定")
    # The weekdays off the estimate foresees, the lunar holidays by their names (农历 2027: 除夕 is Fri 02-05).
    for day in ("2027-01-01（五，元旦）", "2027-02-05（五，春节）", "2027-02-08（一，春节）", "2027-04-05（一，清明节）",
                "2027-06-09（三，端午节）", "2027-09-15（三，中秋节）", "2027-10-01（五，国庆节）"):
        expect(estimate).to_contain_text(day)
    assert_accessible(page)

    # A range written backwards is refused in place, and what was typed stays.
    holidays = page.get_by_label("放假日期")
    holidays.fill("2027-01-01\n2027-02-11~2027-02-05")
    page.get_by_role("button", name="发布 2027 年日历").click()
    expect(page.locator("p.error[role=alert]")).to_contain_text("日期范围“2027-02-11~2027-02-05”的起日应不晚于止日")
    expect(holidays).to_have_value("2027-01-01\n2027-02-11~2027-02-05")
    expect(heading).to_contain_text("未发布")

    # The notice as it is written: "2月5日至11日放假调休，共7天。2月20日（星期六）上班。"
    holidays.fill("2027-01-01\n2027-02-05 至 2027-02-11\n2027-10-01~2027-10-07")
    page.get_by_label("调休上班日期").fill("2027-02-20")
    page.get_by_label("来源").fill("国务院办公厅关于2027年部分节假日安排的通知")
    page.get_by_role("button", name="发布 2027 年日历").click()
    expect(page.locator(".flash.success")).to_contain_text("已发布 2027 年工作日历：节假日 15 天，调休上班 1 天")
    expect(heading).to_contain_text("已发布")
    expect(heading).not_to_contain_text("暂定")
    expect(page.locator("#cal-estimate")).to_have_count(0)
    for day in ("2027-02-05", "2027-02-09", "2027-02-11", "2027-10-07"):
        expect(page.get_by_role("row", name=day)).to_contain_text("法定节假日")
    expect(page.get_by_role("row", name="2027-02-20")).to_contain_text("调休上班")
